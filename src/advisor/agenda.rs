//! The agenda across all cases: every pending promise and every legal deadline still ahead (or
//! missed by the seller), for `recourse due`, the app's Due view, its reminders, and the
//! iCalendar file a phone calendar imports.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use icalendar::{Alarm, Calendar, Component, EventLike};
use serde::Serialize;

use super::legal::{self, Deadline, Who};
use super::words::{Ctx, span};
use super::{DUE_SOON, PromiseRef};
use crate::model::AgendaInput;
use crate::model::{Case, CaseId, CaseStatus, Contact, Promise, PromiseStatus};
use crate::names::Lang;

/// Where an agenda item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueState {
    /// A promise past due, or a seller's deadline missed.
    Overdue,
    /// Due within a day.
    DueSoon,
    /// Later.
    Upcoming,
}

/// What is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DueWhat {
    /// A pending promise.
    Promise {
        /// The promise.
        promise: PromiseRef,
    },
    /// A legal deadline.
    Deadline {
        /// The deadline.
        deadline: Deadline,
    },
}

/// One agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    /// The case.
    pub case: CaseId,
    /// The case's stable id (for calendar UIDs).
    pub case_uid: String,
    /// The case's title.
    pub case_title: String,
    /// When it is due (a deadline: the end of its last day in Korea).
    pub at: DateTime<Utc>,
    /// Where it stands.
    pub state: DueState,
    /// What.
    #[serde(flatten)]
    pub what: DueWhat,
}

impl DueItem {
    /// A stable identity across runs (calendar UID, "already notified" memory).
    pub fn key(&self) -> String {
        match &self.what {
            DueWhat::Promise { promise } => format!("promise-{}-{}", self.case_uid, promise.id.0),
            DueWhat::Deadline { deadline } => {
                format!(
                    "deadline-{}-{}-{}",
                    self.case_uid, deadline.rule, deadline.due
                )
            }
        }
    }

    /// A one-line title: the promise or the deadline, in `lang`.
    pub fn title(&self, lang: Lang) -> String {
        match (&self.what, lang) {
            (DueWhat::Promise { promise }, Lang::Ko) => format!(
                "약속: {}{}",
                promise.what,
                promise
                    .by
                    .as_ref()
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default()
            ),
            (DueWhat::Promise { promise }, Lang::En) => format!(
                "Promise: {}{}",
                promise.what,
                promise
                    .by
                    .as_ref()
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default()
            ),
            (DueWhat::Deadline { deadline }, _) => {
                let title = deadline
                    .rule()
                    .map(|r| r.title(lang).to_owned())
                    .unwrap_or_else(|| deadline.rule.clone());
                match lang {
                    Lang::Ko => format!("법정 기한: {title}"),
                    Lang::En => format!("Legal deadline: {title}"),
                }
            }
        }
    }

    /// When, in words ("3시간 남음" / "2 d 1 h late").
    pub fn when_text(&self, now: DateTime<Utc>, lang: Lang) -> String {
        let minutes = (self.at - now).num_minutes();
        match (minutes >= 0, lang) {
            (true, Lang::Ko) => format!("{} 남음", span(minutes, lang)),
            (true, Lang::En) => format!("{} left", span(minutes, lang)),
            (false, Lang::Ko) => format!("{} 지남", span(-minutes, lang)),
            (false, Lang::En) => format!("{} late", span(-minutes, lang)),
        }
    }
}

/// The agenda of one case: its pending promises (and the contacts they were made in; others
/// may be there too) and its legal deadlines.
pub fn case_agenda(
    case: &Case,
    promises: &[Promise],
    contacts: &[Contact],
    now: DateTime<Utc>,
) -> Vec<DueItem> {
    if matches!(
        case.fields.status,
        CaseStatus::Resolved | CaseStatus::Abandoned
    ) {
        return Vec::new();
    }
    let item = |at: DateTime<Utc>, state: DueState, what: DueWhat| DueItem {
        case: case.id,
        case_uid: case.uid.clone(),
        case_title: case.fields.title.clone(),
        at,
        state,
        what,
    };
    let mut out = Vec::new();
    for p in promises {
        let contact = contacts.iter().find(|c| c.id == p.fields.contact_id);
        // Not pending, or made in a contact taken back: not on the agenda.
        if p.status != PromiseStatus::Pending || contact.is_none_or(|c| c.retracted.is_some()) {
            continue;
        }
        let due = p.fields.due_at;
        let state = if due < now {
            DueState::Overdue
        } else if due - now <= DUE_SOON {
            DueState::DueSoon
        } else {
            DueState::Upcoming
        };
        let contact = contact.map(super::ContactRef::of);
        out.push(item(
            due,
            state,
            DueWhat::Promise {
                promise: PromiseRef {
                    id: p.id,
                    what: p.fields.what.clone(),
                    by: p.fields.promised_by.clone(),
                    due_at: due,
                    contact,
                },
            },
        ));
    }
    for deadline in legal::deadlines(&case.fields, now) {
        // Met late: nothing is due any more (the interest owed is advice, not a date).
        if deadline.met_late_on.is_some() {
            continue;
        }
        let at = deadline.ends_at();
        let state = match (deadline.who, deadline.days_left(now)) {
            // A consumer's right that has ended is no longer on the agenda.
            (Who::Consumer, d) if d < 0 => continue,
            (Who::Seller, d) if d < 0 => DueState::Overdue,
            (_, d) if d <= 1 => DueState::DueSoon,
            _ => DueState::Upcoming,
        };
        out.push(item(at, state, DueWhat::Deadline { deadline }));
    }
    out
}

/// The agenda of every open case (`Store::agenda_inputs` reads them), soonest (most overdue)
/// first.
pub fn agenda(cases: &[AgendaInput], now: DateTime<Utc>) -> Vec<DueItem> {
    let mut out = Vec::new();
    for i in cases {
        out.extend(case_agenda(&i.case, &i.promises, &i.contacts, now));
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.case.cmp(&b.case)));
    out
}

/// The agenda as an iCalendar file: a timed event with a reminder an hour before for each
/// promise, an all-day event with a reminder the day before for each deadline.
pub fn to_ics(items: &[DueItem], now: DateTime<Utc>, lang: Lang, offset: FixedOffset) -> String {
    let mut cal = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//recourse//recourse//KO"),
        ("CALSCALE", "GREGORIAN"),
    ] {
        cal.append_property(icalendar::Property::new(key, value));
    }
    cal.name("recourse");
    for it in items {
        let mut ev = icalendar::Event::new();
        ev.uid(&format!("{}@recourse", it.key()))
            .timestamp(now)
            .summary(&format!("{} — {}", it.title(lang), it.case_title));
        match &it.what {
            DueWhat::Promise { promise } => {
                ev.starts(promise.due_at)
                    .ends(promise.due_at + Duration::minutes(15));
                let ctx = Ctx {
                    lang,
                    offset,
                    now,
                    case: None,
                };
                let text = match &promise.contact {
                    Some(c) => format!("{} — {}", ctx.contact(c), promise.what),
                    None => promise.what.clone(),
                };
                ev.description(&text);
                let remind = match lang {
                    Lang::Ko => "약속 기한 1시간 전",
                    Lang::En => "A promise is due in an hour",
                };
                ev.alarm(alarm(remind, -Duration::hours(1), &it.key(), now));
            }
            DueWhat::Deadline { deadline } => {
                ev.starts(deadline.due)
                    .ends(deadline.due.succ_opt().unwrap_or(deadline.due));
                if let Some(rule) = deadline.rule() {
                    let note = match lang {
                        Lang::Ko => "법률 자문이 아닌 안내입니다.",
                        Lang::En => "Guidance, not legal advice.",
                    };
                    ev.description(&format!("{}\n{}\n{note}", rule.basis(lang), rule.source));
                }
                let remind = match lang {
                    Lang::Ko => "법정 기한이 내일입니다",
                    Lang::En => "A legal deadline is tomorrow",
                };
                // 09:00 the day before (an all-day event starts at midnight).
                ev.alarm(alarm(remind, -Duration::hours(15), &it.key(), now));
            }
        }
        cal.push(ev.done());
    }
    cal.done().to_string()
}

/// A display reminder with a stable UID: a calendar importing a newer export updates it rather
/// than adding a second one (and with the same clock the file is the same).
fn alarm(text: &str, before: Duration, key: &str, now: DateTime<Utc>) -> Alarm {
    let mut a = Alarm::display(text, before);
    a.uid(&format!("{key}-alarm@recourse")).timestamp(now);
    a
}

/// The reminders to send now: a promise that has fallen due, a legal deadline whose last day is
/// today or tomorrow. `sent` holds the keys of reminders already sent (each goes out once);
/// returns the new keys with their items.
pub fn reminders_due<'a>(
    items: &'a [DueItem],
    now: DateTime<Utc>,
    sent: &std::collections::BTreeSet<String>,
) -> Vec<(String, &'a DueItem)> {
    items
        .iter()
        .filter_map(|it| {
            let key = match &it.what {
                DueWhat::Promise { .. } if it.at <= now => format!("{}@due", it.key()),
                DueWhat::Deadline { deadline } if (0..=1).contains(&deadline.days_left(now)) => {
                    format!("{}@day-before", it.key())
                }
                _ => return None,
            };
            (!sent.contains(&key)).then_some((key, it))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::store::test_support::*;

    /// The agenda read in three queries is the agenda worked out from each case in full, for
    /// a mix of cases: open and resolved, promises pending, kept and in a retracted contact,
    /// several promises in one contact, cases with and without dates.
    #[test]
    fn the_agenda_read_in_bulk_equals_the_agenda_of_each_case_in_full() {
        let (_dir, mut store) = store();
        let now = t("2026-11-20T03:00:00Z");
        for i in 0..12_u32 {
            let mut fields = case_fields();
            fields.title = format!("case {i}");
            fields.category = [Category::Other, Category::Refund, Category::Defect][i as usize % 3];
            if i % 2 == 0 {
                fields.dates.delivered = chrono::NaiveDate::from_ymd_opt(2026, 11, 10 + i);
            }
            if i % 5 == 4 {
                fields.status = CaseStatus::Resolved;
            }
            let case = store
                .create_case(&fields, t("2026-11-09T00:00:00Z"))
                .unwrap();
            for j in 0..(i % 4) {
                let at = format!("2026-11-1{j}T05:00:00Z");
                let contact = store
                    .add_contact(case, &contact_fields(&at), t(&at))
                    .unwrap();
                for k in 0..=(j % 2) {
                    let promise = PromiseFields {
                        contact_id: contact,
                        promised_by: Some(format!("agent {j}")),
                        what: format!("promise {i}.{j}.{k}"),
                        due_at: t(&format!("2026-11-{}T09:00:00Z", 15 + j + k)),
                        answers: FiveAnswers::default(),
                    };
                    let p = store.add_promise(case, &promise, t(&at)).unwrap();
                    if (i + k) % 3 == 0 {
                        store
                            .end_promise(p, PromiseStatus::Kept, None, t(&at))
                            .unwrap();
                    }
                }
                if i % 4 == 3 && j == 0 {
                    store
                        .retract_contact(contact, "wrong case", t(&at))
                        .unwrap();
                }
            }
        }
        let mut in_full = Vec::new();
        for id in store.case_ids().unwrap() {
            let d = store.case_detail(id, now).unwrap();
            let promises: Vec<Promise> = d
                .promises
                .into_iter()
                .map(|pv| pv.promise)
                .filter(|p| p.status == PromiseStatus::Pending)
                .collect();
            in_full.extend(case_agenda(&d.case, &promises, &d.contacts, now));
        }
        in_full.sort_by(|a, b| a.at.cmp(&b.at).then(a.case.cmp(&b.case)));
        let bulk = agenda(&store.agenda_inputs().unwrap(), now);
        assert!(bulk.len() > 10, "the mix has items: {}", bulk.len());
        assert!(
            bulk.iter()
                .any(|i| matches!(i.what, DueWhat::Deadline { .. }))
        );
        assert_eq!(bulk, in_full);
    }

    #[test]
    fn reminders_go_out_once_when_a_promise_falls_due_and_a_day_before_a_deadline() {
        let (_dir, mut store) = store();
        let mut fields = case_fields();
        fields.category = Category::Other;
        // Delivered Tuesday 10 Nov 2026: the withdrawal window's last day is Tuesday 17 Nov.
        fields.dates.delivered = chrono::NaiveDate::from_ymd_opt(2026, 11, 10);
        let case = store
            .create_case(&fields, t("2026-11-10T00:00:00Z"))
            .unwrap();
        let contact = store
            .add_contact(
                case,
                &contact_fields("2026-11-12T05:00:00Z"),
                t("2026-11-12T05:00:00Z"),
            )
            .unwrap();
        let promise = PromiseFields {
            contact_id: contact,
            promised_by: None,
            what: "문자 안내".into(),
            due_at: t("2026-11-13T09:00:00Z"),
            answers: FiveAnswers::default(),
        };
        store
            .add_promise(case, &promise, t("2026-11-12T05:00:00Z"))
            .unwrap();
        let mut sent = std::collections::BTreeSet::new();
        let at = |now: &str, sent: &std::collections::BTreeSet<String>| -> Vec<String> {
            let now = t(now);
            let items = agenda(&store.agenda_inputs().unwrap(), now);
            reminders_due(&items, now, sent)
                .into_iter()
                .map(|(k, _)| {
                    k.split('-').next().unwrap().to_owned() + k.rsplit('@').next().unwrap()
                })
                .collect()
        };
        assert!(at("2026-11-13T08:59:00Z", &sent).is_empty());
        assert_eq!(at("2026-11-13T09:00:00Z", &sent), ["promisedue"]);
        let now = t("2026-11-13T09:00:00Z");
        for (k, _) in reminders_due(&agenda(&store.agenda_inputs().unwrap(), now), now, &sent) {
            sent.insert(k);
        }
        assert!(at("2026-11-13T10:00:00Z", &sent).is_empty(), "once only");
        // Monday 16 Nov in Seoul: the window closes tomorrow.
        assert_eq!(at("2026-11-15T15:00:00Z", &sent), ["deadlineday-before"]);
        assert!(at("2026-11-15T14:59:00Z", &sent).is_empty());
    }
}
