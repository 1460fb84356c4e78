//! The advisor's scenario table: timelines of contacts, promises, answers, evidence and dates,
//! each with the exact advice codes expected (in order) at a given moment.

use chrono::NaiveDate;

use super::*;
use crate::model::*;
use crate::store::test_support::{case_fields, store, t};
use crate::vault::Sha256;

/// One step of a timeline.
#[derive(Clone, Copy)]
enum Step {
    /// A contact: when, channel, tier, outcome, agent name, reference number.
    Contact(
        &'static str,
        Channel,
        Tier,
        Outcome,
        Option<&'static str>,
        Option<&'static str>,
    ),
    /// A promise in contact `n` (0-based), due at, the five assessments.
    Promise(usize, &'static str, [Assessment; 5]),
    /// End promise `n` with a status.
    End(usize, PromiseStatus),
    /// Evidence of a kind, for contact `n` if given.
    Evidence(EvidenceKind, Option<usize>),
    /// Set the case's status.
    Status(CaseStatus),
    /// Take back contact `n` (logged by mistake).
    Retract(usize),
}

use Assessment::{Clear as C, NotAsked as N, Refused as R, Vague as V};
use Channel::{Chat, Phone};
use Outcome::{PromisedFollowUp as Promised, Resolved as Done, Unresolved as Open};
use Step::*;
use Tier::{Complaints, External, FirstLine, Supervisor};

const ALL_CLEAR: [Assessment; 5] = [C, C, C, C, C];
const AGENT: Option<&str> = Some("김상담");
const REF: Option<&str> = Some("A-1001");

/// Evidence that silences the gather-evidence advice for a delivery-delay case.
const SHOT: Step = Evidence(EvidenceKind::Screenshot, None);

struct Scenario {
    name: &'static str,
    category: Category,
    /// (ordered, paid, delivered, noticed, return_sent, return_received)
    dates: [Option<&'static str>; 6],
    steps: &'static [Step],
    /// Contact being recorded now.
    recording: Option<usize>,
    now: &'static str,
    expect: &'static [&'static str],
}

const NO_DATES: [Option<&str>; 6] = [None; 6];

fn day(s: Option<&str>) -> Option<NaiveDate> {
    s.map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "a new case with nothing in it asks for a screenshot",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &["gather-evidence"],
    },
    Scenario {
        name: "a promise kept on time raises nothing",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-19T09:00:00Z", ALL_CLEAR),
            End(0, PromiseStatus::Kept),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "a resolved case gets no advice at all, not even escalation",
        category: Category::Refund,
        dates: NO_DATES,
        steps: &[
            Contact("2026-11-10T05:00:00Z", Phone, FirstLine, Open, None, None),
            Contact("2026-11-11T05:00:00Z", Phone, FirstLine, Open, None, None),
            Promise(1, "2026-11-12T05:00:00Z", [N; 5]),
            Status(CaseStatus::Resolved),
        ],
        recording: None,
        now: "2026-12-20T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "an abandoned case gets none either",
        category: Category::Refund,
        dates: [None, None, Some("2026-11-10"), None, None, None],
        steps: &[Status(CaseStatus::Abandoned)],
        recording: None,
        now: "2026-11-12T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "a promise recorded without the questions: ask them, and it looks like stalling",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-25T09:00:00Z", [N; 5]),
        ],
        recording: None,
        now: "2026-11-19T00:00:00Z",
        expect: &["promise-looks-like-stalling", "ask-five-questions"],
    },
    Scenario {
        name: "three clear answers but no word on authority: ask the missing two, stalling",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-25T09:00:00Z", [C, C, C, N, N]),
        ],
        recording: None,
        now: "2026-11-19T00:00:00Z",
        expect: &["promise-looks-like-stalling", "ask-five-questions"],
    },
    Scenario {
        name: "two vague answers, all asked: stalling only",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-25T09:00:00Z", [V, C, C, C, V]),
        ],
        recording: None,
        now: "2026-11-19T00:00:00Z",
        expect: &["promise-looks-like-stalling"],
    },
    Scenario {
        name: "one vague answer on method only: nothing to say",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-25T09:00:00Z", [C, V, C, C, C]),
        ],
        recording: None,
        now: "2026-11-19T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "a refused answer on authority is stalling",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-25T09:00:00Z", [C, C, C, R, C]),
        ],
        recording: None,
        now: "2026-11-19T00:00:00Z",
        expect: &["promise-looks-like-stalling"],
    },
    Scenario {
        name: "due in 23 hours is due soon; 25 hours is not",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-19T23:00:00Z", ALL_CLEAR),
            Promise(0, "2026-11-20T01:00:00Z", ALL_CLEAR),
        ],
        recording: None,
        now: "2026-11-19T00:00:00Z",
        expect: &["promise-due-soon"],
    },
    Scenario {
        name: "an overdue first-line promise: mark it broken",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-19T09:00:00Z", ALL_CLEAR),
        ],
        recording: None,
        now: "2026-11-19T09:01:00Z",
        expect: &["promise-overdue"],
    },
    Scenario {
        name: "a broken first-line promise: go to a supervisor",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-19T09:00:00Z", ALL_CLEAR),
            End(0, PromiseStatus::Broken),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &["escalate-to-supervisor-or-complaints"],
    },
    Scenario {
        name: "two unresolved first-line calls, not recorded: escalate, record the next",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact("2026-11-18T05:00:00Z", Phone, FirstLine, Open, AGENT, REF),
            Contact("2026-11-19T05:00:00Z", Phone, FirstLine, Open, AGENT, REF),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &["escalate-to-supervisor-or-complaints", "gather-evidence"],
    },
    Scenario {
        name: "two unresolved first-line chats, one taken back: no escalation",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact("2026-11-18T05:00:00Z", Chat, FirstLine, Open, AGENT, REF),
            Contact("2026-11-19T05:00:00Z", Chat, FirstLine, Open, AGENT, REF),
            Retract(1),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "an overdue promise made in a contact taken back raises nothing",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-19T09:00:00Z", [N; 5]),
            Retract(0),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "one unresolved first-line call, recorded, with agent and reference: nothing yet",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact("2026-11-18T05:00:00Z", Phone, FirstLine, Open, AGENT, REF),
            Evidence(EvidenceKind::Recording, Some(0)),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "two unresolved calls but a supervisor was reached: no first-line nudge",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact("2026-11-18T05:00:00Z", Chat, FirstLine, Open, AGENT, REF),
            Contact("2026-11-19T05:00:00Z", Chat, FirstLine, Open, AGENT, REF),
            Contact(
                "2026-11-19T06:00:00Z",
                Chat,
                Supervisor,
                Promised,
                AGENT,
                REF,
            ),
            Promise(2, "2026-11-21T09:00:00Z", ALL_CLEAR),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "the complaints department left it unresolved: go outside",
        category: Category::Refund,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact("2026-11-18T05:00:00Z", Chat, Complaints, Open, AGENT, REF),
        ],
        recording: None,
        now: "2026-11-19T00:00:00Z",
        expect: &["escalate-external"],
    },
    Scenario {
        name: "a broken supervisor promise: go outside",
        category: Category::Refund,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-18T05:00:00Z",
                Chat,
                Supervisor,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-19T09:00:00Z", ALL_CLEAR),
            End(0, PromiseStatus::Broken),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &["escalate-external"],
    },
    Scenario {
        name: "open 14 days with a pending promise: go outside",
        category: Category::Other,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-01T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-12-01T09:00:00Z", ALL_CLEAR),
        ],
        recording: None,
        now: "2026-11-15T05:00:00Z",
        expect: &["escalate-external"],
    },
    Scenario {
        name: "open 13 days: not yet",
        category: Category::Other,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-01T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-12-01T09:00:00Z", ALL_CLEAR),
        ],
        recording: None,
        now: "2026-11-15T04:59:00Z",
        expect: &[],
    },
    Scenario {
        name: "already with an outside body: no more escalation advice",
        category: Category::Other,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact("2026-10-01T05:00:00Z", Chat, Complaints, Open, AGENT, REF),
            Contact(
                "2026-10-05T05:00:00Z",
                Chat,
                External,
                Promised,
                Some("1372"),
                REF,
            ),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &[],
    },
    Scenario {
        name: "the last contact says resolved: offer to close, stop escalating",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            Contact("2026-11-10T05:00:00Z", Phone, FirstLine, Open, None, None),
            Contact("2026-11-11T05:00:00Z", Phone, FirstLine, Open, None, None),
            Contact("2026-11-12T05:00:00Z", Phone, FirstLine, Done, None, None),
        ],
        recording: None,
        now: "2026-12-20T00:00:00Z",
        expect: &["resolved?"],
    },
    Scenario {
        name: "recording a call not marked announced",
        category: Category::DeliveryDelay,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact("2026-11-19T23:50:00Z", Chat, FirstLine, Open, AGENT, REF),
        ],
        recording: Some(0),
        now: "2026-11-20T00:00:00Z",
        expect: &["announce-recording"],
    },
    Scenario {
        name: "a defect claim without a photo, contacts without agent or reference",
        category: Category::Defect,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact("2026-11-19T05:00:00Z", Chat, FirstLine, Open, None, None),
        ],
        recording: None,
        now: "2026-11-20T00:00:00Z",
        expect: &["gather-evidence", "gather-evidence"],
    },
    Scenario {
        name: "withdrawal: delivered Tuesday, 2 days left is urgent",
        category: Category::Other,
        dates: [
            Some("2026-11-05"),
            Some("2026-11-05"),
            Some("2026-11-10"),
            None,
            None,
            None,
        ],
        steps: &[SHOT],
        recording: None,
        now: "2026-11-15T03:00:00Z",
        expect: &["legal-deadline"],
    },
    Scenario {
        name: "withdrawal window ending on Seollal 2027 moves past the substitute day",
        category: Category::Other,
        dates: [None, None, Some("2027-01-31"), None, None, None],
        steps: &[SHOT],
        recording: None,
        // 9 Feb 2027 is the substitute holiday; the right holds until 10 Feb.
        now: "2027-02-09T12:00:00Z",
        expect: &["legal-deadline"],
    },
    Scenario {
        name: "prepaid order not shipped over Chuseok 2026: seller late, not before",
        category: Category::DeliveryDelay,
        dates: [
            Some("2026-09-22"),
            Some("2026-09-22"),
            None,
            None,
            None,
            None,
        ],
        steps: &[SHOT],
        recording: None,
        // Due 29 Sep (23, 28, 29 are the business days); 30 Sep in Seoul is past it.
        now: "2026-09-30T01:00:00Z",
        expect: &["legal-deadline"],
    },
    Scenario {
        name: "refund late after a return received before the 2026 National Foundation Day substitute",
        category: Category::Refund,
        dates: [
            None,
            None,
            None,
            None,
            Some("2026-09-28"),
            Some("2026-10-02"),
        ],
        steps: &[SHOT],
        recording: None,
        now: "2026-10-10T01:00:00Z",
        expect: &["legal-deadline"],
    },
    Scenario {
        name: "goods not as advertised: one right with two clocks (and the 7 days of art. 17(1))",
        category: Category::Defect,
        dates: [
            None,
            None,
            Some("2026-11-02"),
            Some("2026-11-18"),
            None,
            None,
        ],
        steps: &[SHOT, Evidence(EvidenceKind::Photo, None)],
        recording: None,
        now: "2026-11-20T01:00:00Z",
        expect: &["legal-deadline", "legal-deadline"],
    },
    Scenario {
        name: "a resolved last contact beside a stale promise asks, it does not escalate",
        category: Category::Refund,
        dates: NO_DATES,
        steps: &[
            SHOT,
            Contact(
                "2026-11-10T05:00:00Z",
                Chat,
                FirstLine,
                Promised,
                AGENT,
                REF,
            ),
            Promise(0, "2026-11-11T09:00:00Z", ALL_CLEAR),
            Contact("2026-11-12T05:00:00Z", Chat, FirstLine, Done, AGENT, REF),
        ],
        recording: None,
        now: "2026-11-13T00:00:00Z",
        expect: &["promise-kept?", "resolved?"],
    },
];

/// Runs a scenario and returns the advice.
fn run(s: &Scenario) -> Vec<Advice> {
    let (_dir, mut store) = store();
    let mut fields = case_fields();
    fields.category = s.category;
    let [
        ordered,
        paid,
        delivered,
        noticed,
        return_sent,
        return_received,
    ] = s.dates;
    fields.dates = OrderDates {
        ordered: day(ordered),
        paid: day(paid),
        delivered: day(delivered),
        noticed: day(noticed),
        return_sent: day(return_sent),
        return_received: day(return_received),
        ..OrderDates::default()
    };
    let created = s
        .steps
        .iter()
        .filter_map(|step| match step {
            Contact(at, ..) => Some(t(at)),
            _ => None,
        })
        .chain([t(s.now) - chrono::Duration::hours(1)])
        .min()
        .unwrap();
    let case = store.create_case(&fields, created).unwrap();
    let mut contacts = Vec::new();
    let mut promises = Vec::new();
    for (i, step) in s.steps.iter().enumerate() {
        match *step {
            Contact(at, channel, tier, outcome, agent, reference) => {
                let f = ContactFields {
                    started_at: t(at),
                    ended_at: None,
                    channel,
                    direction: Direction::Outgoing,
                    tier,
                    agent_name: agent.map(Into::into),
                    agent_id: None,
                    reference: reference.map(Into::into),
                    summary: format!("contact {i}"),
                    claimed: None,
                    offered: None,
                    outcome,
                    recording_announced: false,
                };
                contacts.push(store.add_contact(case, &f, t(at)).unwrap());
            }
            Promise(contact, due, answers) => {
                let mut five = FiveAnswers::default();
                for (q, a) in Question::ALL.into_iter().zip(answers) {
                    five.get_mut(q).assessment = a;
                }
                let f = PromiseFields {
                    contact_id: contacts[contact],
                    promised_by: Some("김상담".into()),
                    what: "판매자 확인 후 문자".into(),
                    due_at: t(due),
                    answers: five,
                };
                promises.push(store.add_promise(case, &f, created).unwrap());
            }
            End(n, status) => {
                store
                    .end_promise(promises[n], status, None, created)
                    .unwrap();
            }
            Evidence(kind, contact) => {
                let f = EvidenceFields {
                    contact_id: contact.map(|n| contacts[n]),
                    kind,
                    sha256: Sha256::of(format!("file {i}").as_bytes()),
                    size_bytes: 6,
                    original_name: format!("file{i}"),
                    media_type: "application/octet-stream".into(),
                    captured_at: None,
                    source: EvidenceSource::FileImport,
                    note: None,
                    audio: None,
                };
                store.add_evidence(case, &f, created).unwrap();
            }
            Retract(n) => {
                store
                    .retract_contact(contacts[n], "잘못 기록", created)
                    .unwrap();
            }
            Status(status) => {
                let base = store.case(case).unwrap().fields;
                let mut f = base.clone();
                f.status = status;
                store.edit_case(case, &base, &f, created).unwrap();
            }
        }
    }
    let now = t(s.now);
    let detail = store.case_detail(case, now).unwrap();
    advise_while_recording(
        &detail,
        now,
        &Settings::default(),
        s.recording.map(|n| contacts[n]),
    )
}

#[test]
fn the_scenario_table() {
    assert!(SCENARIOS.len() >= 20);
    let mut failures = Vec::new();
    for s in SCENARIOS {
        let advice = run(s);
        let codes: Vec<&str> = advice.iter().map(Advice::code).collect();
        if codes != s.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                s.name, s.expect, codes
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn find<'a>(advice: &'a [Advice], code: &str) -> &'a Advice {
    advice.iter().find(|a| a.code() == code).unwrap()
}

fn scenario(name_starts: &str) -> &'static Scenario {
    SCENARIOS
        .iter()
        .find(|s| s.name.starts_with(name_starts))
        .unwrap()
}

#[test]
fn deadlines_carry_the_dates_the_edge_cases_turn_on() {
    let deadline = |s: &str| match find(&run(scenario(s)), "legal-deadline") {
        Advice::LegalDeadline {
            deadline,
            days_left,
        } => (deadline.clone(), *days_left),
        _ => unreachable!(),
    };
    let (d, left) = deadline("withdrawal: delivered Tuesday");
    assert_eq!(
        (d.rule.as_str(), d.due, left),
        ("withdrawal-7-days", day(Some("2026-11-17")).unwrap(), 2)
    );
    assert!(
        run(scenario("withdrawal: delivered Tuesday"))[0].is_urgent(),
        "2 days left on a consumer right is urgent"
    );

    let (d, left) = deadline("withdrawal window ending on Seollal");
    assert_eq!(d.due, day(Some("2027-02-10")).unwrap());
    assert_eq!(left, 1);
    assert_eq!(d.moved_from.unwrap().1.as_deref(), Some("설날"));

    let (d, left) = deadline("prepaid order not shipped");
    assert_eq!(d.rule, "shipping-prepaid-3-business-days");
    assert_eq!((d.due, left), (day(Some("2026-09-29")).unwrap(), -1));

    // Returned Friday 2 Oct 2026: 3 Oct (Sat, holiday), 5 Oct substitute, 9 Oct Hangeul Day:
    // business days 6, 7, 8 Oct.
    let (d, left) = deadline("refund late after a return");
    assert_eq!((d.due, left), (day(Some("2026-10-08")).unwrap(), -2));
    // 39,000 won × 15 % × 2 / 365 = 32 won.
    assert_eq!(d.late_interest.unwrap().minor, 32);
}

#[test]
fn the_reasons_name_the_agent_the_promise_and_the_date() {
    let advice = run(scenario("an overdue first-line promise"));
    let case = case_fields();
    let ctx = |lang| words::Ctx {
        lang,
        offset: legal::kst(),
        now: t("2026-11-19T09:01:00Z"),
        case: Some(&case),
    };
    let ko = words::word(&advice[0], &ctx(crate::names::Lang::Ko));
    assert!(ko.reason.contains("김상담"), "{}", ko.reason);
    assert!(ko.reason.contains("판매자 확인 후 문자"), "{}", ko.reason);
    assert!(ko.reason.contains("11월 19일(목) 18:00"), "{}", ko.reason);
    assert!(ko.reason.contains("접수번호 A-1001"), "{}", ko.reason);
    let en = words::word(&advice[0], &ctx(crate::names::Lang::En));
    assert!(en.reason.contains("Thu 19 Nov 18:00"), "{}", en.reason);
    assert!(en.say_en.as_deref().unwrap().contains("broken promise"));
    assert!(en.say_ko.as_deref().unwrap().contains("약속 불이행"));
}

#[test]
fn a_call_logged_a_moment_ago_can_still_be_recorded() {
    let s = scenario("two unresolved first-line calls");
    let at = |now: &'static str| -> Option<Action> {
        let advice = run(&Scenario { now, ..*s });
        advice
            .iter()
            .rev()
            .find(|a| a.code() == "gather-evidence")
            .and_then(Advice::action)
    };
    // The second call started 2026-11-19 05:00 UTC.
    assert!(matches!(
        at("2026-11-19T06:00:00Z"),
        Some(Action::RecordCall { .. })
    ));
    assert_eq!(
        at("2026-11-19T07:01:00Z"),
        None,
        "two hours later it is over"
    );
}

/// Whether `text` opens a parenthesis inside another: "오늘(11월 17일(화))" reads badly. A
/// citation's own parentheses ("art. 17(5)", a digit before the bracket) are not a level.
pub(crate) fn nested_parens(text: &str) -> bool {
    let mut levels: Vec<bool> = Vec::new();
    let mut prev = ' ';
    for ch in text.chars() {
        match ch {
            '(' => {
                let citation = prev.is_ascii_digit();
                if !citation && levels.iter().any(|c| !c) {
                    return true;
                }
                levels.push(citation);
            }
            ')' => {
                levels.pop();
            }
            _ => {}
        }
        prev = ch;
    }
    false
}

#[test]
fn every_sentence_of_every_scenario_holds_for_its_case() {
    use crate::names::Lang;
    let mut failures = Vec::new();
    for s in SCENARIOS {
        let live_contacts = s
            .steps
            .iter()
            .filter(|st| matches!(st, Contact(..)))
            .count()
            - s.steps.iter().filter(|st| matches!(st, Retract(_))).count();
        let calls = s
            .steps
            .iter()
            .filter(|st| matches!(st, Contact(_, Channel::Phone, ..)))
            .count();
        for payment in [None, Some(PaymentMethod::CreditCard)] {
            let mut case = case_fields();
            case.category = s.category;
            case.payment_method = payment;
            let advice = run(s);
            for a in &advice {
                for lang in [Lang::Ko, Lang::En] {
                    let ctx = words::Ctx {
                        lang,
                        offset: legal::kst(),
                        now: t(s.now),
                        case: Some(&case),
                    };
                    let w = words::word(a, &ctx);
                    let legal_line = matches!(
                        a,
                        Advice::LegalDeadline { .. } | Advice::CardInstallmentDefence { .. }
                    );
                    if legal_line != w.article.as_deref().is_some_and(|x| !x.is_empty()) {
                        failures.push(format!(
                            "{} / {}: article {:?}",
                            s.name,
                            a.code(),
                            w.article
                        ));
                    }
                    let mut texts = vec![w.step.clone(), w.reason.clone()];
                    texts.extend(w.say_ko.clone());
                    texts.extend(w.say_en.clone());
                    for text in &texts {
                        let mut bad = |why: &str| {
                            failures.push(format!("{} / {}: {why}: {text}", s.name, a.code()))
                        };
                        let korean = text.chars().any(|c| ('가'..='힣').contains(&c));
                        if korean && nested_parens(text) {
                            bad("parentheses inside parentheses");
                        }
                        if korean && text.contains('₩') {
                            bad("₩ in a Korean sentence (write 원)");
                        }
                        if korean
                            && text.char_indices().any(|(i, c)| {
                                c == '번' && text[..i].ends_with(|p: char| p.is_ascii_digit())
                            })
                        {
                            bad("a digit before 번 reads as a number, not a count");
                        }
                        if text.contains("째") {
                            bad("N일째 counts the first day");
                        }
                        if text.contains("이의를 제기") {
                            bad("no general right to dispute with the card company");
                        }
                        if text.contains("전자거래분쟁조정위원회")
                            && !text.contains("전자문서·전자거래분쟁조정위원회")
                        {
                            bad("the committee's name is 전자문서·전자거래분쟁조정위원회");
                        }
                        if text.contains("(이름)") || text.contains("{{") || text.contains("}}") {
                            bad("a placeholder");
                        }
                        if live_contacts == 0
                            && (text.contains("문의했지만") || text.contains("I have contacted"))
                        {
                            bad("claims contacts the case does not hold");
                        }
                        if calls == 0 && (text.contains("통화 기록") || text.contains("every call"))
                        {
                            bad("speaks of calls in a case without one");
                        }
                        if payment.is_none() && text.contains("할부로 결제했으니") {
                            bad("claims a card payment not entered");
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
