//! The typed events behind ledger entries: for every entry kind, the one place that says what
//! its payload holds, how it is written, and how it is read back.
//!
//! The store writes an entry's payload as [`Event::payload`] and the projector (`store::project`)
//! reads the rows an entry implies from [`Event::parse`], so a field cannot be written one way
//! and read another. The bytes are a contract: an entry's hash covers its payload, and the
//! golden tests below pin the payload of every kind.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::EntryKind;
use crate::model::{
    CaseFields, CaseId, ContactFields, ContactId, EvidenceFields, PromiseFields, PromiseId,
    PromiseStatus,
};
use crate::vault::Sha256;

pub use crate::model::Change;

/// What an edit changed, by field (the field's name in the record's JSON form).
pub type Changes = BTreeMap<String, Change>;

/// `case.created`: the case's fields and the uid its chain is bound to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseCreated {
    /// The case's fields.
    pub case: CaseFields,
    /// The case's uid.
    pub uid: String,
}

/// `contact.edited`, `promise.edited`: a record's changed fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edited<Id> {
    /// What changed.
    pub changes: Changes,
    /// The record.
    pub id: Id,
}

/// `case.edited`: the case's changed fields. Its `id` is the case's row id where the entry
/// was written (absent from entries of the earliest development builds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEdited {
    /// What changed.
    pub changes: Changes,
    /// The case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<CaseId>,
}

/// `contact.added`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactAdded {
    /// Its fields.
    pub contact: ContactFields,
    /// Its id.
    pub id: ContactId,
}

/// `contact.retracted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRetracted {
    /// The contact.
    pub id: ContactId,
    /// Why, in the consumer's words.
    pub reason: String,
}

/// `promise.added`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromiseAdded {
    /// Its id.
    pub id: PromiseId,
    /// Its fields.
    pub promise: PromiseFields,
}

/// `promise.ended`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromiseEnded {
    /// The promise.
    pub id: PromiseId,
    /// How it ended, in the consumer's words.
    pub note: Option<String>,
    /// Kept, broken or withdrawn.
    pub status: PromiseStatus,
}

/// `evidence.added`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceAdded {
    /// What is known of the file.
    pub evidence: EvidenceFields,
    /// Its number in the case.
    pub number: u32,
}

/// `evidence.edited`: only [`super::EVIDENCE_EDITABLE`] may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceEdited {
    /// What changed.
    pub changes: Changes,
    /// The item.
    pub number: u32,
}

/// `evidence.retracted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRetracted {
    /// The item.
    pub number: u32,
    /// Why, in the consumer's words.
    pub reason: String,
    /// Its file's SHA-256.
    pub sha256: Sha256,
}

/// `packet.built`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PacketBuilt {
    /// The packet's file name.
    pub file: Option<String>,
    /// Its `--generated-at`.
    pub generated_at: String,
    /// How many entries of the chain it holds.
    pub ledger_length: u64,
    /// The recipient code.
    pub recipient: String,
    /// Whether private values were withheld.
    pub redacted: bool,
    /// The packet's SHA-256, hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// `case.imported`: the chain before it is the packet's; ids it named became these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseImported {
    /// Contact ids: the packet's → this database's.
    pub contacts: BTreeMap<i64, i64>,
    /// How many entries the packet's chain had.
    pub entries: u64,
    /// The packet's SHA-256, hex.
    pub packet_sha256: String,
    /// Promise ids: the packet's → this database's.
    pub promises: BTreeMap<i64, i64>,
}

/// `ledger.upgraded`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerUpgraded {
    /// The encoding from this entry on.
    pub encoding: u8,
}

/// `timestamp.added`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimestampAdded {
    /// The position whose entry hash the token stamps.
    pub covers: u64,
    /// The token's DER, standard base64.
    pub token: String,
}

/// `receipt.given`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptGiven {
    /// The code as given.
    pub code: String,
    /// The contact it went out in.
    pub contact: ContactId,
    /// The position it names.
    pub covers: u64,
}

/// What one ledger entry records.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `case.created`.
    CaseCreated(CaseCreated),
    /// `case.edited`.
    CaseEdited(CaseEdited),
    /// `contact.added`.
    ContactAdded(ContactAdded),
    /// `contact.edited`.
    ContactEdited(Edited<ContactId>),
    /// `contact.retracted`.
    ContactRetracted(ContactRetracted),
    /// `promise.added`.
    PromiseAdded(PromiseAdded),
    /// `promise.edited`.
    PromiseEdited(Edited<PromiseId>),
    /// `promise.ended`.
    PromiseEnded(PromiseEnded),
    /// `evidence.added`.
    EvidenceAdded(EvidenceAdded),
    /// `evidence.edited`.
    EvidenceEdited(EvidenceEdited),
    /// `evidence.retracted`.
    EvidenceRetracted(EvidenceRetracted),
    /// `packet.built`.
    PacketBuilt(PacketBuilt),
    /// `case.imported`.
    CaseImported(CaseImported),
    /// `ledger.upgraded`.
    LedgerUpgraded(LedgerUpgraded),
    /// `timestamp.added`.
    TimestampAdded(TimestampAdded),
    /// `receipt.given`.
    ReceiptGiven(ReceiptGiven),
}

/// An entry whose payload is not what its kind says it holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its {kind} payload cannot be read: {reason}")]
pub struct EventError {
    /// The entry's kind.
    pub kind: String,
    /// What serde said.
    pub reason: String,
}

fn read<T: DeserializeOwned>(kind: &str, payload: &str) -> Result<T, EventError> {
    serde_json::from_str(payload).map_err(|e| EventError {
        kind: kind.to_owned(),
        reason: e.to_string(),
    })
}

fn value<T: Serialize>(payload: &T) -> Value {
    // Every payload type is plain data with string keys: serialising it cannot fail.
    serde_json::to_value(payload).unwrap_or(Value::Null)
}

impl Event {
    /// Reads an entry's (opened) payload by its kind; `None` for a kind this build does not
    /// know (a newer recourse wrote it: it changes no record this build keeps).
    pub fn parse(kind: &str, payload: &str) -> Result<Option<Event>, EventError> {
        Ok(Some(match kind {
            "case.created" => Event::CaseCreated(read(kind, payload)?),
            "case.edited" => Event::CaseEdited(read(kind, payload)?),
            "contact.added" => Event::ContactAdded(read(kind, payload)?),
            "contact.edited" => Event::ContactEdited(read(kind, payload)?),
            "contact.retracted" => Event::ContactRetracted(read(kind, payload)?),
            "promise.added" => Event::PromiseAdded(read(kind, payload)?),
            "promise.edited" => Event::PromiseEdited(read(kind, payload)?),
            "promise.ended" => Event::PromiseEnded(read(kind, payload)?),
            "evidence.added" => Event::EvidenceAdded(read(kind, payload)?),
            "evidence.edited" => Event::EvidenceEdited(read(kind, payload)?),
            "evidence.retracted" => Event::EvidenceRetracted(read(kind, payload)?),
            "packet.built" => Event::PacketBuilt(read(kind, payload)?),
            "case.imported" => Event::CaseImported(read(kind, payload)?),
            "ledger.upgraded" => Event::LedgerUpgraded(read(kind, payload)?),
            "timestamp.added" => Event::TimestampAdded(read(kind, payload)?),
            "receipt.given" => Event::ReceiptGiven(read(kind, payload)?),
            _ => return Ok(None),
        }))
    }

    /// Its entry kind.
    pub fn kind(&self) -> EntryKind {
        match self {
            Event::CaseCreated(_) => EntryKind::CaseCreated,
            Event::CaseEdited(_) => EntryKind::CaseEdited,
            Event::ContactAdded(_) => EntryKind::ContactAdded,
            Event::ContactEdited(_) => EntryKind::ContactEdited,
            Event::ContactRetracted(_) => EntryKind::ContactRetracted,
            Event::PromiseAdded(_) => EntryKind::PromiseAdded,
            Event::PromiseEdited(_) => EntryKind::PromiseEdited,
            Event::PromiseEnded(_) => EntryKind::PromiseEnded,
            Event::EvidenceAdded(_) => EntryKind::EvidenceAdded,
            Event::EvidenceEdited(_) => EntryKind::EvidenceEdited,
            Event::EvidenceRetracted(_) => EntryKind::EvidenceRetracted,
            Event::PacketBuilt(_) => EntryKind::PacketBuilt,
            Event::CaseImported(_) => EntryKind::CaseImported,
            Event::LedgerUpgraded(_) => EntryKind::LedgerUpgraded,
            Event::TimestampAdded(_) => EntryKind::TimestampAdded,
            Event::ReceiptGiven(_) => EntryKind::ReceiptGiven,
        }
    }

    /// The contact and promise ids it refers to without adding them (an edit's record, a
    /// promise's contact, a receipt's contact …): an imported chain must have added each.
    pub fn references(&self) -> (Vec<i64>, Vec<i64>) {
        let changed_contact = |changes: &Changes| {
            changes
                .get("contact_id")
                .and_then(|c| c.to.as_i64())
                .into_iter()
                .collect::<Vec<_>>()
        };
        match self {
            Event::ContactEdited(e) => (vec![e.id.0], Vec::new()),
            Event::ContactRetracted(e) => (vec![e.id.0], Vec::new()),
            Event::PromiseAdded(e) => (vec![e.promise.contact_id.0], Vec::new()),
            Event::PromiseEdited(e) => (changed_contact(&e.changes), vec![e.id.0]),
            Event::PromiseEnded(e) => (Vec::new(), vec![e.id.0]),
            Event::EvidenceAdded(e) => (
                e.evidence.contact_id.map(|c| c.0).into_iter().collect(),
                Vec::new(),
            ),
            Event::EvidenceEdited(e) => (changed_contact(&e.changes), Vec::new()),
            Event::ReceiptGiven(e) => (vec![e.contact.0], Vec::new()),
            _ => (Vec::new(), Vec::new()),
        }
    }

    /// Its payload as JSON, before sealing (`ledger::commit`); written with `to_string` it is
    /// the bytes the entry hashes: keys sorted, no spaces.
    pub fn payload(&self) -> Value {
        match self {
            Event::CaseCreated(p) => value(p),
            Event::CaseEdited(p) => value(p),
            Event::ContactAdded(p) => value(p),
            Event::ContactEdited(p) => value(p),
            Event::ContactRetracted(p) => value(p),
            Event::PromiseAdded(p) => value(p),
            Event::PromiseEdited(p) => value(p),
            Event::PromiseEnded(p) => value(p),
            Event::EvidenceAdded(p) => value(p),
            Event::EvidenceEdited(p) => value(p),
            Event::EvidenceRetracted(p) => value(p),
            Event::PacketBuilt(p) => value(p),
            Event::CaseImported(p) => value(p),
            Event::LedgerUpgraded(p) => value(p),
            Event::TimestampAdded(p) => value(p),
            Event::ReceiptGiven(p) => value(p),
        }
    }
}

#[cfg(test)]
mod tests {
    //! Golden payloads. The expected strings are written from the payload shapes the format
    //! documents (`EntryKind` and DESIGN's packet format), keys in byte order, not taken from
    //! a run of this code.
    use super::*;
    use crate::model::*;

    fn golden(event: Event, kind: &str, expected: &str) {
        assert_eq!(event.kind().code(), kind);
        assert_eq!(event.payload().to_string(), expected, "{kind}");
        assert_eq!(
            Event::parse(kind, expected).unwrap(),
            Some(event),
            "{kind} reads back"
        );
    }

    fn ts(s: &str) -> chrono::DateTime<chrono::Utc> {
        crate::clock::parse_instant(s).unwrap()
    }

    fn change(from: Value, to: Value) -> Change {
        Change { from, to }
    }

    #[test]
    fn every_case_and_contact_kind_has_its_golden_payload() {
        let case = CaseFields {
            title: "배송 지연".into(),
            company: "가나다몰".into(),
            company_contact: None,
            company_address: None,
            platform: None,
            seller: None,
            order_number: Some("A-1".into()),
            product: None,
            amount: Some(crate::money::Money::parse("39000", "KRW").unwrap()),
            dates: OrderDates {
                ordered: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
                ..OrderDates::default()
            },
            category: Category::DeliveryDelay,
            wants: None,
            status: CaseStatus::Open,
            problems: Vec::new(),
            payment_method: None,
            installments: None,
            claimant: Claimant {
                name: Some("홍길동".into()),
                ..Claimant::default()
            },
        };
        golden(
            Event::CaseCreated(CaseCreated {
                case,
                uid: "u-1".into(),
            }),
            "case.created",
            r#"{"case":{"amount":{"currency":"KRW","minor":39000},"category":"delivery-delay","claimant":{"address":null,"email":null,"name":"홍길동","phone":null},"company":"가나다몰","company_address":null,"company_contact":null,"dates":{"delivered":null,"ordered":"2026-11-01","paid":null,"return_received":null,"return_sent":null},"installments":null,"order_number":"A-1","payment_method":null,"platform":null,"problems":[],"product":null,"seller":null,"status":"open","title":"배송 지연","wants":null},"uid":"u-1"}"#,
        );
        golden(
            Event::CaseEdited(CaseEdited {
                changes: [(
                    "status".to_owned(),
                    change("open".into(), "escalated".into()),
                )]
                .into(),
                id: Some(CaseId(1)),
            }),
            "case.edited",
            r#"{"changes":{"status":{"from":"open","to":"escalated"}},"id":1}"#,
        );
        // The earliest development builds wrote no id; such an entry still reads, and writes
        // back the same bytes.
        golden(
            Event::CaseEdited(CaseEdited {
                changes: [("wants".to_owned(), change(Value::Null, "환불".into()))].into(),
                id: None,
            }),
            "case.edited",
            r#"{"changes":{"wants":{"from":null,"to":"환불"}}}"#,
        );
        let contact = ContactFields {
            started_at: ts("2026-11-20T06:00:00Z"),
            ended_at: None,
            channel: Channel::Phone,
            direction: Direction::Outgoing,
            tier: Tier::FirstLine,
            agent_name: Some("김상담".into()),
            agent_id: None,
            reference: None,
            summary: "내일 문자 준다고 함".into(),
            claimed: None,
            offered: None,
            outcome: Outcome::PromisedFollowUp,
            recording_announced: true,
        };
        golden(
            Event::ContactAdded(ContactAdded {
                contact,
                id: ContactId(3),
            }),
            "contact.added",
            r#"{"contact":{"agent_id":null,"agent_name":"김상담","channel":"phone","claimed":null,"direction":"outgoing","ended_at":null,"offered":null,"outcome":"promised-follow-up","recording_announced":true,"reference":null,"started_at":"2026-11-20T06:00:00Z","summary":"내일 문자 준다고 함","tier":"first-line"},"id":3}"#,
        );
        golden(
            Event::ContactEdited(Edited {
                changes: [("reference".to_owned(), change(Value::Null, "A-1029".into()))].into(),
                id: ContactId(3),
            }),
            "contact.edited",
            r#"{"changes":{"reference":{"from":null,"to":"A-1029"}},"id":3}"#,
        );
        golden(
            Event::ContactRetracted(ContactRetracted {
                id: ContactId(3),
                reason: "잘못 기록".into(),
            }),
            "contact.retracted",
            r#"{"id":3,"reason":"잘못 기록"}"#,
        );
    }

    #[test]
    fn every_promise_and_evidence_kind_has_its_golden_payload() {
        let promise = PromiseFields {
            contact_id: ContactId(3),
            promised_by: None,
            what: "문자로 알려주기".into(),
            due_at: ts("2026-11-21T09:00:00Z"),
            answers: FiveAnswers {
                scope: Answer {
                    said: "발송 여부".into(),
                    assessment: Assessment::Clear,
                },
                ..FiveAnswers::default()
            },
        };
        golden(
            Event::PromiseAdded(PromiseAdded {
                id: PromiseId(2),
                promise,
            }),
            "promise.added",
            r#"{"id":2,"promise":{"answers":{"authority":{"assessment":"not-asked","said":""},"continuity":{"assessment":"not-asked","said":""},"method":{"assessment":"not-asked","said":""},"resolution":{"assessment":"not-asked","said":""},"scope":{"assessment":"clear","said":"발송 여부"}},"contact_id":3,"due_at":"2026-11-21T09:00:00Z","promised_by":null,"what":"문자로 알려주기"}}"#,
        );
        golden(
            Event::PromiseEdited(Edited {
                changes: [(
                    "due_at".to_owned(),
                    change("2026-11-21T09:00:00Z".into(), "2026-11-22T09:00:00Z".into()),
                )]
                .into(),
                id: PromiseId(2),
            }),
            "promise.edited",
            r#"{"changes":{"due_at":{"from":"2026-11-21T09:00:00Z","to":"2026-11-22T09:00:00Z"}},"id":2}"#,
        );
        golden(
            Event::PromiseEnded(PromiseEnded {
                id: PromiseId(2),
                note: None,
                status: PromiseStatus::Broken,
            }),
            "promise.ended",
            r#"{"id":2,"note":null,"status":"broken"}"#,
        );
        let sha: Sha256 = "ab".repeat(32).parse().unwrap();
        let evidence = EvidenceFields {
            contact_id: Some(ContactId(3)),
            kind: EvidenceKind::Screenshot,
            sha256: sha,
            size_bytes: 1234,
            original_name: "화면.png".into(),
            media_type: "image/png".into(),
            captured_at: None,
            source: EvidenceSource::FileImport,
            note: None,
            audio: None,
        };
        golden(
            Event::EvidenceAdded(EvidenceAdded {
                evidence,
                number: 1,
            }),
            "evidence.added",
            &format!(
                r#"{{"evidence":{{"captured_at":null,"contact_id":3,"kind":"screenshot","media_type":"image/png","note":null,"original_name":"화면.png","sha256":"{}","size_bytes":1234,"source":"file-import"}},"number":1}}"#,
                "ab".repeat(32)
            ),
        );
        golden(
            Event::EvidenceEdited(EvidenceEdited {
                changes: [("note".to_owned(), change(Value::Null, "주문 화면".into()))].into(),
                number: 1,
            }),
            "evidence.edited",
            r#"{"changes":{"note":{"from":null,"to":"주문 화면"}},"number":1}"#,
        );
        golden(
            Event::EvidenceRetracted(EvidenceRetracted {
                number: 1,
                reason: "다른 주문".into(),
                sha256: sha,
            }),
            "evidence.retracted",
            &format!(
                r#"{{"number":1,"reason":"다른 주문","sha256":"{}"}}"#,
                "ab".repeat(32)
            ),
        );
    }

    #[test]
    fn every_proof_and_packet_kind_has_its_golden_payload() {
        golden(
            Event::PacketBuilt(PacketBuilt {
                file: Some("case-1.zip".into()),
                generated_at: "2026-11-25T00:00:00Z".into(),
                ledger_length: 7,
                recipient: "company".into(),
                redacted: false,
                sha256: "cd".repeat(32),
                size: 4096,
            }),
            "packet.built",
            &format!(
                r#"{{"file":"case-1.zip","generated_at":"2026-11-25T00:00:00Z","ledger_length":7,"recipient":"company","redacted":false,"sha256":"{}","size":4096}}"#,
                "cd".repeat(32)
            ),
        );
        // Map keys are text in JSON and sort as text: "10" before "2".
        golden(
            Event::CaseImported(CaseImported {
                contacts: [(2, 5), (10, 6)].into(),
                entries: 9,
                packet_sha256: "ef".repeat(32),
                promises: [(1, 4)].into(),
            }),
            "case.imported",
            &format!(
                r#"{{"contacts":{{"10":6,"2":5}},"entries":9,"packet_sha256":"{}","promises":{{"1":4}}}}"#,
                "ef".repeat(32)
            ),
        );
        golden(
            Event::LedgerUpgraded(LedgerUpgraded { encoding: 2 }),
            "ledger.upgraded",
            r#"{"encoding":2}"#,
        );
        golden(
            Event::TimestampAdded(TimestampAdded {
                covers: 4,
                token: "MIIB".into(),
            }),
            "timestamp.added",
            r#"{"covers":4,"token":"MIIB"}"#,
        );
        golden(
            Event::ReceiptGiven(ReceiptGiven {
                code: "RC-7K2M".into(),
                contact: ContactId(3),
                covers: 4,
            }),
            "receipt.given",
            r#"{"code":"RC-7K2M","contact":3,"covers":4}"#,
        );
    }

    #[test]
    fn an_unknown_kind_is_skipped_and_a_bad_payload_named() {
        assert_eq!(Event::parse("something.new", "{}").unwrap(), None);
        let err = Event::parse("contact.added", r#"{"contact":"x","id":1}"#).unwrap_err();
        assert_eq!(err.kind, "contact.added");
        assert!(Event::parse("promise.ended", r#"{"id":1,"status":"maybe"}"#).is_err());
    }
}
