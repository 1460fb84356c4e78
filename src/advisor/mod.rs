//! The advisor: what the consumer should do next, as a pure function of a case and the time.
//!
//! Each piece of advice carries the facts it rests on (which promise, how late, how many
//! contacts), so every face can word it in its own language and tests can check it exactly.
//! This is the first cut (overdue and due-soon promises, promises that look like stalling, and
//! the nudge to escalate after repeated first-line failures); the advisor issue deepens it.

pub mod days;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::model::{ContactId, Outcome, PromiseId, PromiseStatus, Tier};
use crate::store::CaseDetail;

/// How soon a pending promise counts as "due soon".
pub const DUE_SOON: Duration = Duration::hours(24);

/// First-line contacts without resolution after which the advisor says to escalate.
pub const UNRESOLVED_FIRST_LINE_LIMIT: usize = 2;

/// One piece of advice, most urgent first in [`advise`]'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Advice {
    /// A pending promise is past its due time: mark it broken and escalate. (Listed after the
    /// escalation nudge: many overdue promises must not push that out of sight.)
    PromiseOverdue {
        /// The promise.
        promise: PromiseId,
        /// What was promised.
        what: String,
        /// Who promised.
        by: Option<String>,
        /// How late it is.
        late_minutes: i64,
    },
    /// Two or more first-line contacts ended unresolved and nobody higher was reached.
    EscalateToSupervisorOrComplaints {
        /// The unresolved first-line contacts.
        contacts: Vec<ContactId>,
    },
    /// A pending promise falls due within [`DUE_SOON`].
    PromiseDueSoon {
        /// The promise.
        promise: PromiseId,
        /// What was promised.
        what: String,
        /// Who promised.
        by: Option<String>,
        /// Time left.
        left_minutes: i64,
    },
    /// A pending promise's answers to the five questions suggest a delay, not a plan.
    PromiseLooksLikeStalling {
        /// The promise.
        promise: PromiseId,
        /// Vague or refused answers.
        evasive: usize,
    },
}

impl Advice {
    /// Whether this needs action now (shown in red).
    pub fn is_urgent(&self) -> bool {
        matches!(
            self,
            Advice::PromiseOverdue { .. } | Advice::EscalateToSupervisorOrComplaints { .. }
        )
    }
}

/// The advice for a case at `now`, most urgent first. A resolved or abandoned case gets none.
pub fn advise(case: &CaseDetail, now: DateTime<Utc>) -> Vec<Advice> {
    use crate::model::CaseStatus::{Abandoned, Resolved};
    if matches!(case.case.fields.status, Resolved | Abandoned) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let pending = case
        .promises
        .iter()
        .map(|p| &p.promise)
        .filter(|p| p.status == PromiseStatus::Pending);
    let live = case.contacts.iter().filter(|c| c.retracted.is_none());
    let reached_higher = live.clone().any(|c| c.fields.tier != Tier::FirstLine);
    let unresolved: Vec<ContactId> = live
        .filter(|c| c.fields.tier == Tier::FirstLine && c.fields.outcome != Outcome::Resolved)
        .map(|c| c.id)
        .collect();
    if !reached_higher && unresolved.len() >= UNRESOLVED_FIRST_LINE_LIMIT {
        out.push(Advice::EscalateToSupervisorOrComplaints {
            contacts: unresolved,
        });
    }
    for p in pending.clone() {
        let due = p.fields.due_at;
        if due < now {
            out.push(Advice::PromiseOverdue {
                promise: p.id,
                what: p.fields.what.clone(),
                by: p.fields.promised_by.clone(),
                late_minutes: (now - due).num_minutes(),
            });
        }
    }
    for p in pending.clone() {
        let due = p.fields.due_at;
        if due >= now && due - now <= DUE_SOON {
            out.push(Advice::PromiseDueSoon {
                promise: p.id,
                what: p.fields.what.clone(),
                by: p.fields.promised_by.clone(),
                left_minutes: (due - now).num_minutes(),
            });
        }
    }
    for p in pending {
        if p.fields.answers.looks_like_stalling() {
            out.push(Advice::PromiseLooksLikeStalling {
                promise: p.id,
                evasive: p.fields.answers.evasive_count(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::store::test_support::*;

    #[test]
    fn overdue_promise_and_two_unresolved_first_line_contacts() {
        let (_dir, mut store) = store();
        let case = store
            .create_case(&case_fields(), t("2026-11-18T00:00:00Z"))
            .unwrap();
        let mut first = contact_fields("2026-11-18T05:00:00Z");
        first.outcome = Outcome::Unresolved;
        let a = store
            .add_contact(case, &first, t("2026-11-18T05:10:00Z"))
            .unwrap();
        let b = store
            .add_contact(
                case,
                &contact_fields("2026-11-19T05:00:00Z"),
                t("2026-11-19T05:10:00Z"),
            )
            .unwrap();
        let promise = PromiseFields {
            contact_id: b,
            promised_by: Some("김상담".into()),
            what: "문자로 안내".into(),
            due_at: t("2026-11-20T09:00:00Z"),
            answers: FiveAnswers::default(),
        };
        let p = store
            .add_promise(case, &promise, t("2026-11-19T05:11:00Z"))
            .unwrap();

        let before = advise(
            &store.case_detail(case, t("2026-11-20T00:00:00Z")).unwrap(),
            t("2026-11-20T00:00:00Z"),
        );
        assert!(before.contains(&Advice::PromiseDueSoon {
            promise: p,
            what: "문자로 안내".into(),
            by: Some("김상담".into()),
            left_minutes: 540
        }));
        let now = t("2026-11-20T12:00:00Z");
        let advice = advise(&store.case_detail(case, now).unwrap(), now);
        assert_eq!(
            advice[1],
            Advice::PromiseOverdue {
                promise: p,
                what: "문자로 안내".into(),
                by: Some("김상담".into()),
                late_minutes: 180
            }
        );
        assert_eq!(
            advice[0],
            Advice::EscalateToSupervisorOrComplaints {
                contacts: vec![a, b]
            }
        );
        // Not asked at all: resolution and authority are not clear.
        assert!(advice.contains(&Advice::PromiseLooksLikeStalling {
            promise: p,
            evasive: 0
        }));

        // Kept promises and a resolved case raise nothing.
        store
            .end_promise(p, PromiseStatus::Kept, None, now)
            .unwrap();
        let mut fields = store.case(case).unwrap().fields;
        fields.status = CaseStatus::Resolved;
        store.edit_case(case, &fields, now).unwrap();
        assert!(advise(&store.case_detail(case, now).unwrap(), now).is_empty());
    }
}
