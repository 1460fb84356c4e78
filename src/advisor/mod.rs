//! The advisor: what the consumer should do next, as a pure function of a case and the time.
//!
//! Each piece of advice carries the facts it rests on (which contacts, which promise, which
//! date), so every face words it the same way ([`words`]) and tests check it exactly. The
//! playbook is DESIGN §2: gather evidence first, hold every promised follow-up to the five
//! questions, escalate after one or two first-line failures, then go outside the company; and
//! the legal deadlines of Korean e-commerce law ([`legal`]) as they apply to the case's dates.

pub mod agenda;
pub mod days;
pub mod legal;
pub mod words;

#[cfg(test)]
mod legal_table;
#[cfg(test)]
pub(crate) mod scenarios;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::model::CaseDetail;
use crate::model::{
    Assessment, CaseStatus, Channel, ContactId, EvidenceKind, Outcome, Problem, PromiseId,
    PromiseStatus, Question, Recipient, Tier,
};
use crate::model::{Contact, Promise};
use legal::{Deadline, Who};

/// How soon a pending promise counts as "due soon".
pub const DUE_SOON: Duration = Duration::hours(24);

/// First-line contacts without resolution after which the advisor says to escalate.
pub const UNRESOLVED_FIRST_LINE_LIMIT: usize = 2;

/// A call logged this recently without an end time may still be going on.
pub const CALL_MAY_BE_ONGOING: Duration = Duration::hours(2);

/// A consumer's legal deadline this close (days) is urgent.
pub const DEADLINE_URGENT_DAYS: i64 = 3;

pub use crate::model::AdviceSettings as Settings;

/// How pressing a piece of advice is; advice is listed most pressing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Act now.
    Urgent,
    /// Act soon.
    Warning,
    /// Worth knowing.
    Info,
}

/// A contact, as advice cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactRef {
    /// The contact.
    pub id: ContactId,
    /// When it started.
    pub at: DateTime<Utc>,
    /// How.
    pub channel: Channel,
    /// Which rung.
    pub tier: Tier,
    /// The agent's name, or their ID when no name was given.
    pub agent: Option<String>,
    /// The company's reference number.
    pub reference: Option<String>,
}

impl ContactRef {
    fn of(c: &Contact) -> Self {
        let f = &c.fields;
        ContactRef {
            id: c.id,
            at: f.started_at,
            channel: f.channel,
            tier: f.tier,
            agent: f.agent_name.clone().or_else(|| f.agent_id.clone()),
            reference: f.reference.clone(),
        }
    }
}

/// A promise, as advice cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromiseRef {
    /// The promise.
    pub id: PromiseId,
    /// What was promised.
    pub what: String,
    /// Who promised.
    pub by: Option<String>,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// The contact it was made in.
    pub contact: Option<ContactRef>,
}

/// Why the advisor points outside the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "because", rename_all = "kebab-case")]
pub enum ExternalWhy {
    /// A supervisor or the complaints department left it unresolved.
    ComplaintsFailed {
        /// That contact.
        contact: ContactRef,
    },
    /// A promise made at the supervisor or complaints tier was broken.
    ComplaintsPromiseBroken {
        /// That promise.
        promise: PromiseRef,
    },
    /// The case has been open too long.
    OpenTooLong {
        /// Since when.
        since: DateTime<Utc>,
        /// Days open.
        days: i64,
        /// The setting it passed.
        limit: u32,
    },
}

/// A gap in the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "gap", rename_all = "kebab-case")]
pub enum Gap {
    /// No screenshot at all: the order page, the product page, the chat.
    NoOrderScreenshot,
    /// A defect claim without a photo of the goods.
    NoDefectPhoto,
    /// Phone calls without a recording.
    CallsWithoutRecording {
        /// The calls.
        contacts: Vec<ContactRef>,
        /// The latest of them, if it may still be going on (started within
        /// [`CALL_MAY_BE_ONGOING`] and not ended): it can still be recorded.
        ongoing: Option<ContactId>,
    },
    /// Contacts without the agent's name or a reference number.
    ContactsWithoutAgentOrReference {
        /// The contacts.
        contacts: Vec<ContactRef>,
    },
}

/// The obvious next action for a piece of advice (a button in the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "do", rename_all = "kebab-case")]
pub enum Action {
    /// Open the promise to fill in the five answers.
    EditPromise {
        /// The promise.
        promise: PromiseId,
    },
    /// Mark the promise broken.
    MarkBroken {
        /// The promise.
        promise: PromiseId,
    },
    /// Log a contact at this tier (the escalation call).
    LogContact {
        /// The tier to log.
        tier: Tier,
    },
    /// Build the escalation packet for this recipient.
    BuildPacket {
        /// Whom for.
        recipient: Recipient,
    },
    /// Add evidence.
    AddEvidence,
    /// Mark the contact as announced.
    MarkAnnounced {
        /// The contact.
        contact: ContactId,
    },
    /// Mark the case resolved.
    CloseCase,
    /// Record this call (it may still be going on).
    RecordCall {
        /// The contact.
        contact: ContactId,
    },
}

/// One piece of advice. The `code` in JSON is stable: scripts and tests rely on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Advice {
    /// A pending promise is past its due time: mark it broken and escalate.
    PromiseOverdue {
        /// The promise.
        promise: PromiseRef,
        /// How late.
        late_minutes: i64,
    },
    /// Unresolved first-line contacts (or a broken first-line promise), nobody higher reached.
    EscalateToSupervisorOrComplaints {
        /// The unresolved first-line contacts.
        contacts: Vec<ContactRef>,
        /// A first-line promise that was broken.
        broken: Option<PromiseRef>,
    },
    /// The company's own escalation failed, or the case has been open too long.
    EscalateExternal {
        /// Why.
        why: ExternalWhy,
        /// Contacts with the company so far (the words never claim contacts that did not
        /// happen).
        contacts: usize,
    },
    /// A legal deadline under Korean e-commerce law.
    LegalDeadline {
        /// The deadline.
        deadline: Deadline,
        /// Days to its last day in Korea (negative: passed).
        days_left: i64,
    },
    /// A call is being recorded and the contact is not marked announced.
    AnnounceRecording {
        /// The contact.
        contact: ContactRef,
    },
    /// A pending promise falls due within [`DUE_SOON`].
    PromiseDueSoon {
        /// The promise.
        promise: PromiseRef,
        /// Time left.
        left_minutes: i64,
    },
    /// A pending promise's answers suggest a delay, not a plan.
    PromiseLooksLikeStalling {
        /// The promise.
        promise: PromiseRef,
        /// Questions answered vaguely or refused.
        evasive: Vec<Question>,
        /// Of resolution and authority, those not asked (a vague or refused one is in
        /// `evasive`).
        unclear: Vec<Question>,
    },
    /// A promise recorded with questions not asked.
    AskFiveQuestions {
        /// The promise.
        promise: PromiseRef,
        /// The questions not asked.
        missing: Vec<Question>,
    },
    /// The last contact says resolved, and a promise made before it is still open past its
    /// due time: was it kept?
    #[serde(rename = "promise-kept?")]
    PromiseKept {
        /// The promise.
        promise: PromiseRef,
    },
    /// Paid by credit card in installments and the seller failed: the remaining installments
    /// can be refused by written notice to the card company (Installment Transactions Act
    /// art. 16).
    CardInstallmentDefence {
        /// How the right applies to the case.
        defence: legal::Defence,
    },
    /// The last contact says resolved: close the case?
    #[serde(rename = "resolved?")]
    Resolved {
        /// That contact.
        contact: ContactRef,
    },
    /// Evidence worth gathering.
    GatherEvidence {
        /// What is missing.
        #[serde(flatten)]
        gap: Gap,
    },
}

impl Advice {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Advice::PromiseOverdue { .. } => "promise-overdue",
            Advice::EscalateToSupervisorOrComplaints { .. } => {
                "escalate-to-supervisor-or-complaints"
            }
            Advice::EscalateExternal { .. } => "escalate-external",
            Advice::LegalDeadline { .. } => "legal-deadline",
            Advice::AnnounceRecording { .. } => "announce-recording",
            Advice::PromiseDueSoon { .. } => "promise-due-soon",
            Advice::PromiseLooksLikeStalling { .. } => "promise-looks-like-stalling",
            Advice::AskFiveQuestions { .. } => "ask-five-questions",
            Advice::Resolved { .. } => "resolved?",
            Advice::PromiseKept { .. } => "promise-kept?",
            Advice::CardInstallmentDefence { .. } => "card-installment-defence",
            Advice::GatherEvidence { .. } => "gather-evidence",
        }
    }

    /// How pressing it is.
    pub fn severity(&self) -> Severity {
        match self {
            Advice::PromiseOverdue { .. }
            | Advice::EscalateToSupervisorOrComplaints { .. }
            | Advice::EscalateExternal { .. }
            | Advice::AnnounceRecording { .. } => Severity::Urgent,
            Advice::LegalDeadline {
                deadline,
                days_left,
            } => match deadline.who {
                Who::Consumer if (0..=DEADLINE_URGENT_DAYS).contains(days_left) => Severity::Urgent,
                // Met late with nothing left to claim (shipped late): a fact on record.
                Who::Seller
                    if *days_left < 0
                        && (deadline.met_late_on.is_none()
                            || deadline
                                .rule()
                                .is_some_and(|r| r.late_interest_percent_per_year.is_some())) =>
                {
                    Severity::Warning
                }
                _ => Severity::Info,
            },
            Advice::PromiseDueSoon { .. }
            | Advice::PromiseLooksLikeStalling { .. }
            | Advice::AskFiveQuestions { .. }
            | Advice::Resolved { .. }
            | Advice::PromiseKept { .. }
            | Advice::CardInstallmentDefence { .. } => Severity::Warning,
            Advice::GatherEvidence { .. } => Severity::Info,
        }
    }

    /// Whether this needs action now (shown in red).
    pub fn is_urgent(&self) -> bool {
        self.severity() == Severity::Urgent
    }

    /// The obvious next step, if there is one button for it.
    pub fn action(&self) -> Option<Action> {
        Some(match self {
            Advice::PromiseOverdue { promise, .. } => Action::MarkBroken {
                promise: promise.id,
            },
            Advice::EscalateToSupervisorOrComplaints { .. } => Action::LogContact {
                tier: Tier::Supervisor,
            },
            Advice::EscalateExternal { .. } => Action::BuildPacket {
                recipient: Recipient::ConsumerAgency,
            },
            Advice::LegalDeadline { deadline, .. } if deadline.who == Who::Seller => {
                Action::BuildPacket {
                    recipient: Recipient::Complaints,
                }
            }
            Advice::LegalDeadline { .. } => return None,
            Advice::AnnounceRecording { contact } => Action::MarkAnnounced {
                contact: contact.id,
            },
            Advice::PromiseDueSoon { .. } => return None,
            Advice::PromiseLooksLikeStalling { promise, .. }
            | Advice::AskFiveQuestions { promise, .. } => Action::EditPromise {
                promise: promise.id,
            },
            Advice::Resolved { .. } => Action::CloseCase,
            Advice::PromiseKept { promise } => Action::EditPromise {
                promise: promise.id,
            },
            Advice::CardInstallmentDefence { .. } => return None,
            Advice::GatherEvidence { gap } => match gap {
                Gap::CallsWithoutRecording {
                    ongoing: Some(contact),
                    ..
                } => Action::RecordCall { contact: *contact },
                Gap::ContactsWithoutAgentOrReference { .. } | Gap::CallsWithoutRecording { .. } => {
                    return None;
                }
                _ => Action::AddEvidence,
            },
        })
    }

    /// Listing order within one severity.
    fn rank(&self) -> u8 {
        match self {
            Advice::PromiseOverdue { .. } => 0,
            Advice::AnnounceRecording { .. } => 1,
            Advice::EscalateToSupervisorOrComplaints { .. } => 2,
            Advice::EscalateExternal { .. } => 3,
            Advice::LegalDeadline { .. } => 4,
            Advice::Resolved { .. } => 5,
            Advice::PromiseKept { .. } => 5,
            Advice::CardInstallmentDefence { .. } => 5,
            Advice::PromiseDueSoon { .. } => 6,
            Advice::PromiseLooksLikeStalling { .. } => 7,
            Advice::AskFiveQuestions { .. } => 8,
            Advice::GatherEvidence { .. } => 9,
        }
    }
}

/// The advice for a case at `now`, most urgent first. A resolved or abandoned case gets none.
pub fn advise(case: &CaseDetail, now: DateTime<Utc>, settings: &Settings) -> Vec<Advice> {
    advise_while_recording(case, now, settings, None)
}

/// [`advise`], knowing that the call of contact `recording` is being recorded right now.
pub fn advise_while_recording(
    case: &CaseDetail,
    now: DateTime<Utc>,
    settings: &Settings,
    recording: Option<ContactId>,
) -> Vec<Advice> {
    if matches!(
        case.case.fields.status,
        CaseStatus::Resolved | CaseStatus::Abandoned
    ) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let live: Vec<&Contact> = case
        .contacts
        .iter()
        .filter(|c| c.retracted.is_none())
        .collect();
    // Indexed once, so the advice is linear in the case's size (a 10k-contact case is read
    // every minute).
    let by_id: HashMap<ContactId, &Contact> = live.iter().map(|c| (c.id, *c)).collect();
    let contact_ref = |id: ContactId| by_id.get(&id).map(|c| ContactRef::of(c));
    let promise_ref = |p: &Promise| PromiseRef {
        id: p.id,
        what: p.fields.what.clone(),
        by: p.fields.promised_by.clone(),
        due_at: p.fields.due_at,
        contact: contact_ref(p.fields.contact_id),
    };
    // A promise made in a contact taken back (logged by mistake) counts no more than it.
    let promises: Vec<&Promise> = case
        .promises
        .iter()
        .map(|p| &p.promise)
        .filter(|p| by_id.contains_key(&p.fields.contact_id))
        .collect();
    let pending = || {
        promises
            .iter()
            .copied()
            .filter(|p| p.status == PromiseStatus::Pending)
    };
    let tier_of = |p: &Promise| contact_ref(p.fields.contact_id).map(|c| c.tier);
    let last = live.iter().max_by_key(|c| (c.fields.started_at, c.id));
    let settled = last.is_some_and(|c| c.fields.outcome == Outcome::Resolved);

    // Promises: overdue, due soon, and how well they were questioned. Once the last contact
    // settled the case, an open promise made before it is a question (was it kept?), not a
    // reason to escalate.
    for p in pending() {
        let due = p.fields.due_at;
        if settled {
            if due < now {
                out.push(Advice::PromiseKept {
                    promise: promise_ref(p),
                });
            }
            continue;
        }
        if due < now {
            out.push(Advice::PromiseOverdue {
                promise: promise_ref(p),
                late_minutes: (now - due).num_minutes(),
            });
        } else if due - now <= DUE_SOON {
            out.push(Advice::PromiseDueSoon {
                promise: promise_ref(p),
                left_minutes: (due - now).num_minutes(),
            });
        }
        let answers = &p.fields.answers;
        let missing: Vec<Question> = Question::ALL
            .into_iter()
            .filter(|q| answers.get(*q).assessment == Assessment::NotAsked)
            .collect();
        if !missing.is_empty() && !settled {
            out.push(Advice::AskFiveQuestions {
                promise: promise_ref(p),
                missing,
            });
        }
        let evasive: Vec<Question> = Question::ALL
            .into_iter()
            .filter(|q| {
                matches!(
                    answers.get(*q).assessment,
                    Assessment::Vague | Assessment::Refused
                )
            })
            .collect();
        let unclear: Vec<Question> = [Question::Resolution, Question::Authority]
            .into_iter()
            .filter(|q| answers.get(*q).assessment == Assessment::NotAsked)
            .collect();
        if answers.looks_like_stalling() && !settled {
            out.push(Advice::PromiseLooksLikeStalling {
                promise: promise_ref(p),
                evasive,
                unclear,
            });
        }
    }

    if let Some(last) = last.filter(|_| settled) {
        out.push(Advice::Resolved {
            contact: ContactRef::of(last),
        });
    }

    // Escalation, unless the last contact settled it.
    let reached = |tiers: &[Tier]| live.iter().any(|c| tiers.contains(&c.fields.tier));
    if !settled && !reached(&[Tier::Supervisor, Tier::Complaints, Tier::External]) {
        let unresolved: Vec<ContactRef> = live
            .iter()
            .filter(|c| c.fields.tier == Tier::FirstLine && c.fields.outcome != Outcome::Resolved)
            .map(|c| ContactRef::of(c))
            .collect();
        let broken = promises
            .iter()
            .find(|p| p.status == PromiseStatus::Broken && tier_of(p) == Some(Tier::FirstLine))
            .map(|p| promise_ref(p));
        if unresolved.len() >= UNRESOLVED_FIRST_LINE_LIMIT || broken.is_some() {
            out.push(Advice::EscalateToSupervisorOrComplaints {
                contacts: unresolved,
                broken,
            });
        }
    }
    if !settled && !reached(&[Tier::External]) {
        let higher = [Tier::Supervisor, Tier::Complaints];
        let failed = live
            .iter()
            .find(|c| higher.contains(&c.fields.tier) && c.fields.outcome == Outcome::Unresolved);
        let broken = promises.iter().find(|p| {
            p.status == PromiseStatus::Broken && tier_of(p).is_some_and(|t| higher.contains(&t))
        });
        let since = live
            .iter()
            .map(|c| c.fields.started_at)
            .chain([case.case.created_at])
            .min()
            .unwrap_or(case.case.created_at);
        let days = (now - since).num_days();
        let why = if let Some(c) = failed {
            Some(ExternalWhy::ComplaintsFailed {
                contact: ContactRef::of(c),
            })
        } else if let Some(p) = broken {
            Some(ExternalWhy::ComplaintsPromiseBroken {
                promise: promise_ref(p),
            })
        } else if days >= i64::from(settings.escalate_external_after_days) {
            Some(ExternalWhy::OpenTooLong {
                since,
                days,
                limit: settings.escalate_external_after_days,
            })
        } else {
            None
        };
        if let Some(why) = why {
            out.push(Advice::EscalateExternal {
                why,
                contacts: live.len(),
            });
        }
    }

    // Legal deadlines from the case's dates.
    let mut seller_missed = false;
    for deadline in legal::deadlines(&case.case.fields, now) {
        let days_left = deadline.days_left(now);
        seller_missed |= deadline.who == Who::Seller && days_left < 0;
        out.push(Advice::LegalDeadline {
            deadline,
            days_left,
        });
    }

    // The card-installment defence, paid by credit card, once the seller has failed (a
    // contact left unresolved, a promise broken, a legal deadline missed) or the order was
    // withdrawn: art. 16(1) is a defence against a seller in breach, not a first step.
    let seller_failed = seller_missed
        || live.iter().any(|c| c.fields.outcome == Outcome::Unresolved)
        || promises.iter().any(|p| p.status == PromiseStatus::Broken);
    if !settled
        && let Some(defence) =
            legal::defence_rule().and_then(|r| legal::defence_now(&case.case.fields, r, now))
        && (seller_failed || defence.withdrawn)
    {
        out.push(Advice::CardInstallmentDefence { defence });
    }

    // The call being recorded now.
    if let Some(c) = recording.and_then(|id| live.iter().find(|c| c.id == id))
        && !c.fields.recording_announced
    {
        out.push(Advice::AnnounceRecording {
            contact: ContactRef::of(c),
        });
    }

    // Evidence worth having before the next step.
    if !settled {
        let evidence = || case.evidence.iter().filter(|e| e.retracted.is_none());
        let has = |kind: EvidenceKind| evidence().any(|e| e.fields.kind == kind);
        if !has(EvidenceKind::Screenshot) {
            out.push(Advice::GatherEvidence {
                gap: Gap::NoOrderScreenshot,
            });
        }
        let goods_at_fault = case.case.fields.facts().iter().any(|f| {
            matches!(
                f,
                Problem::Damaged | Problem::WrongItem | Problem::NotAsAdvertised
            )
        });
        if goods_at_fault && !has(EvidenceKind::Photo) {
            out.push(Advice::GatherEvidence {
                gap: Gap::NoDefectPhoto,
            });
        }
        let recorded: HashSet<ContactId> = evidence()
            .filter(|e| e.fields.kind == EvidenceKind::Recording)
            .filter_map(|e| e.fields.contact_id)
            .collect();
        let calls: Vec<ContactRef> = live
            .iter()
            .filter(|c| c.fields.channel == Channel::Phone && !recorded.contains(&c.id))
            .map(|c| ContactRef::of(c))
            .collect();
        if !calls.is_empty() {
            let ongoing = live
                .iter()
                .filter(|c| c.fields.channel == Channel::Phone && !recorded.contains(&c.id))
                .filter(|c| c.fields.ended_at.is_none_or(|end| end > now))
                .filter(|c| {
                    c.fields.started_at <= now && now - c.fields.started_at <= CALL_MAY_BE_ONGOING
                })
                .max_by_key(|c| c.fields.started_at)
                .map(|c| c.id);
            out.push(Advice::GatherEvidence {
                gap: Gap::CallsWithoutRecording {
                    contacts: calls,
                    ongoing,
                },
            });
        }
        let anonymous: Vec<ContactRef> = live
            .iter()
            .map(|c| ContactRef::of(c))
            .filter(|c| c.agent.is_none() || c.reference.is_none())
            .collect();
        if !anonymous.is_empty() {
            out.push(Advice::GatherEvidence {
                gap: Gap::ContactsWithoutAgentOrReference {
                    contacts: anonymous,
                },
            });
        }
    }

    out.sort_by_key(|a| (a.severity(), a.rank()));
    out
}
