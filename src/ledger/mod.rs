//! The ledger: one append-only, hash-chained log per case.
//!
//! Every change to a case's records appends an entry in the same SQLite transaction as the
//! change (see `store`), and triggers refuse UPDATE and DELETE on the table. This module holds
//! the part that needs no database: the entry's byte encoding, its hash, and the chain check,
//! which the packet verifier reuses on `ledger.jsonl`.
//!
//! # Encoding, version 1
//!
//! ```text
//! hash(entry) = SHA-256( prev_hash ‖ encode(entry) )
//!
//! encode(entry) = "recourse.ledger.v1" 0x00
//!                 ‖ field(case_uid)          UTF-8, the case's random uid
//!                 ‖ seq                      u64 big-endian, 1 for the first entry
//!                 ‖ field(at)                UTF-8, RFC 3339 UTC, e.g. 2026-11-20T05:30:00Z
//!                 ‖ field(kind)              UTF-8, e.g. contact.added
//!                 ‖ field(payload)           UTF-8, the payload exactly as stored
//! field(x)      = u32 big-endian byte length of x ‖ x
//! prev_hash     = the previous entry's hash; 32 zero bytes for the first entry
//! ```
//!
//! The tag separates this encoding from any other SHA-256 input and carries the version; the
//! kind separates entry types; the length prefixes make the encoding unambiguous.
//!
//! # Encoding, version 2
//!
//! The same layout with the tag `"recourse.ledger.v2" 0x00`, and one rule for the payload:
//! private values (the claimant's name, phone, email and address) are not in it. Each is
//! replaced by `{"commitment": "<hex>"}`, a salted commitment (see [`commit`]); the value and
//! its salt are kept beside the entry, unhashed, as its *disclosures*. So a packet can leave a
//! value out and every entry still hashes in full, and nothing left out can be guessed.
//!
//! Every entry states its encoding. A chain written before encoding 2 keeps its entries as
//! they were hashed and continues with a `ledger.upgraded` entry, the first of encoding 2;
//! after it every entry is of encoding 2. A chain begun under encoding 2 is so from entry 1. The payload is
//! a JSON object written once by `serde_json` (keys sorted, no spaces), but the hash covers the
//! stored bytes, not a re-serialisation, so a verifier never has to reproduce our JSON writer.

pub mod commit;
pub mod event;
mod replay;
mod translate;

pub use commit::{Disclosure, Disclosures};

pub use event::{Change, Changes, Event, EventError};
pub use replay::{
    EVIDENCE_EDITABLE, RecordState, ReplayError, Replayed, Rules, replay, replay_with,
};
pub use translate::{IdMap, translate};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::vault::Sha256;

/// The tag that opens every entry of encoding 1; changing the encoding means a new tag.
pub const ENCODING_TAG: &[u8] = b"recourse.ledger.v1\0";

/// The tag that opens every entry of encoding 2.
pub const ENCODING_TAG_2: &[u8] = b"recourse.ledger.v2\0";

/// The encoding this build writes.
pub const ENCODING: u8 = 2;

/// The `prev_hash` of a chain's first entry.
pub const GENESIS: Sha256 = Sha256([0; 32]);

/// What an entry records. The code is hashed, so codes never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// The case was opened; payload: the case's fields.
    CaseCreated,
    /// Case fields changed; payload: `{changes: {field: {from, to}}}`.
    CaseEdited,
    /// A contact was logged; payload: `{id, contact}`.
    ContactAdded,
    /// A contact changed; payload: `{id, changes}`.
    ContactEdited,
    /// A contact was taken back; payload: `{id, reason}`.
    ContactRetracted,
    /// A promise was recorded; payload: `{id, promise}`.
    PromiseAdded,
    /// A promise changed; payload: `{id, changes}`.
    PromiseEdited,
    /// A promise was marked kept, broken or withdrawn; payload: `{id, status, note}`.
    PromiseEnded,
    /// A file became evidence; payload: `{number, evidence}` with its SHA-256.
    EvidenceAdded,
    /// An evidence item was taken back; payload: `{number, sha256, reason}`.
    EvidenceRetracted,
    /// What an evidence item is said to be changed — its contact, kind or note, never its
    /// file; payload: `{number, changes: {field: {from, to}}}`.
    EvidenceEdited,
    /// The case came in a packet; payload: `{packet_sha256, entries, contacts: {old: new},
    /// promises: {old: new}}` — the chain before this entry is the packet's, byte for byte, and
    /// its record ids become the new ones from here on (see `translate`).
    CaseImported,
    /// An escalation packet was built; payload: `{sha256, size, file, generated_at, recipient,
    /// redacted, ledger_length}` (the packet holds the chain up to `ledger_length`).
    PacketBuilt,
    /// The chain continues under encoding 2 from this entry on; payload: `{encoding: 2}`.
    LedgerUpgraded,
    /// An RFC 3161 timestamp token over an earlier position; payload: `{covers, token}` — the
    /// position whose entry hash the token's message imprint is, and the token's DER in
    /// standard base64 (see `proof::tsa`).
    TimestampAdded,
    /// A receipt code went out to the company in a contact; payload: `{code, contact, covers}`
    /// (see `proof::receipt`).
    ReceiptGiven,
}

impl EntryKind {
    /// The stable code that is stored and hashed.
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::CaseCreated => "case.created",
            EntryKind::CaseEdited => "case.edited",
            EntryKind::ContactAdded => "contact.added",
            EntryKind::ContactEdited => "contact.edited",
            EntryKind::ContactRetracted => "contact.retracted",
            EntryKind::PromiseAdded => "promise.added",
            EntryKind::PromiseEdited => "promise.edited",
            EntryKind::PromiseEnded => "promise.ended",
            EntryKind::EvidenceAdded => "evidence.added",
            EntryKind::EvidenceRetracted => "evidence.retracted",
            EntryKind::EvidenceEdited => "evidence.edited",
            EntryKind::PacketBuilt => "packet.built",
            EntryKind::CaseImported => "case.imported",
            EntryKind::LedgerUpgraded => "ledger.upgraded",
            EntryKind::TimestampAdded => "timestamp.added",
            EntryKind::ReceiptGiven => "receipt.given",
        }
    }
}

/// One ledger entry as stored and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the case's chain, from 1.
    pub seq: u64,
    /// When the change was made, RFC 3339 UTC, exactly as hashed.
    pub at: String,
    /// The entry kind's code, e.g. `contact.added`.
    pub kind: String,
    /// The payload JSON, exactly as hashed.
    pub payload: String,
    /// The previous entry's hash.
    pub prev_hash: Sha256,
    /// This entry's hash.
    pub hash: Sha256,
    /// Its encoding: 1 or 2.
    pub encoding: u8,
    /// The private values its payload commits to, by pointer (encoding 2; none withheld in
    /// the data directory, the redacted ones withheld in a redacted packet).
    pub private: Disclosures,
}

impl Entry {
    /// The payload with every disclosed private value in place of its commitment (and
    /// [`commit::WITHHELD`] where one was withheld): what replay and reports read.
    pub fn opened_payload(&self) -> String {
        if self.encoding < 2 {
            return self.payload.clone();
        }
        match serde_json::from_str::<serde_json::Value>(&self.payload) {
            Ok(v) => commit::open(&v, &self.private).to_string(),
            Err(_) => self.payload.clone(),
        }
    }

    /// The time of the change.
    pub fn at_time(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.at)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    // Entries are small (a payload is a few KiB); a 4 GiB field cannot be produced by the store.
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The version-1 encoding of an entry (see the module docs).
pub fn encode(case_uid: &str, seq: u64, at: &str, kind: &str, payload: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(ENCODING_TAG.len() + 64 + payload.len());
    out.extend_from_slice(ENCODING_TAG);
    field(&mut out, case_uid.as_bytes());
    out.extend_from_slice(&seq.to_be_bytes());
    field(&mut out, at.as_bytes());
    field(&mut out, kind.as_bytes());
    field(&mut out, payload.as_bytes());
    out
}

/// The encoding `encoding` (1 or 2) of an entry: they differ in their tag.
pub fn encode_with(
    encoding: u8,
    case_uid: &str,
    seq: u64,
    at: &str,
    kind: &str,
    payload: &str,
) -> Vec<u8> {
    let mut out = encode(case_uid, seq, at, kind, payload);
    if encoding >= 2 {
        out.splice(..ENCODING_TAG.len(), ENCODING_TAG_2.iter().copied());
    }
    out
}

/// The hash of an entry of encoding `encoding` given its predecessor's.
pub fn entry_hash_with(
    encoding: u8,
    prev_hash: &Sha256,
    case_uid: &str,
    seq: u64,
    at: &str,
    kind: &str,
    payload: &str,
) -> Sha256 {
    let mut hasher = sha2::Sha256::new();
    hasher.update(prev_hash.0);
    hasher.update(encode_with(encoding, case_uid, seq, at, kind, payload));
    Sha256(hasher.finalize().into())
}

/// The hash of an entry of encoding 1 given its predecessor's.
pub fn entry_hash(
    prev_hash: &Sha256,
    case_uid: &str,
    seq: u64,
    at: &str,
    kind: &str,
    payload: &str,
) -> Sha256 {
    entry_hash_with(1, prev_hash, case_uid, seq, at, kind, payload)
}

/// A break in a chain, found by [`check_chain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum ChainProblem {
    /// Sequence numbers skip or repeat (an entry was removed or inserted).
    Sequence {
        /// The number expected here.
        expected: u64,
        /// The number found.
        found: u64,
    },
    /// The entry does not point at its predecessor's hash.
    Link {
        /// The entry's sequence number.
        seq: u64,
    },
    /// The entry's content does not hash to its stored hash (edited after the fact).
    Content {
        /// The entry's sequence number.
        seq: u64,
    },
    /// The entry's encoding breaks the rule (unknown, or back to 1, or 2 without the upgrade).
    Encoding {
        /// The entry's sequence number.
        seq: u64,
    },
    /// A value disclosed beside the entry does not match the commitment in it.
    Disclosure {
        /// The entry's sequence number.
        seq: u64,
        /// What is wrong.
        what: String,
    },
}

impl ChainProblem {
    /// The entry it is about.
    pub fn seq(&self) -> u64 {
        match self {
            ChainProblem::Sequence { found, .. } => *found,
            ChainProblem::Link { seq }
            | ChainProblem::Content { seq }
            | ChainProblem::Encoding { seq }
            | ChainProblem::Disclosure { seq, .. } => *seq,
        }
    }
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainProblem::Sequence { expected, found } => write!(
                f,
                "ledger entry {found} stands where entry {expected} should: entries were removed or inserted"
            ),
            ChainProblem::Link { seq } => write!(
                f,
                "ledger entry {seq} does not link to the entry before it: the chain was cut or reordered"
            ),
            ChainProblem::Content { seq } => write!(
                f,
                "ledger entry {seq} does not match its hash: it was changed after it was written"
            ),
            ChainProblem::Encoding { seq } => write!(
                f,
                "ledger entry {seq} has an encoding the chain's rule does not allow there (entries of encoding 2 follow a ledger.upgraded entry or start the chain, and never go back)"
            ),
            ChainProblem::Disclosure { seq, what } => write!(f, "ledger entry {seq}: {what}"),
        }
    }
}

/// Re-computes a case's chain from its first entry and lists every break. An intact chain
/// gives an empty list; the last entry's hash is then the head.
pub fn check_chain<'a>(
    case_uid: &str,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    let mut expected_seq = 1;
    let mut prev = GENESIS;
    let mut encoding_before = 0u8;
    for entry in entries {
        if !encoding_allowed(encoding_before, entry) {
            problems.push(ChainProblem::Encoding { seq: entry.seq });
        }
        encoding_before = entry.encoding;
        // One text, one meaning: the payload must be its own canonical serialisation (keys
        // sorted and each once, no spaces), as the store writes it. Otherwise the hashed text
        // can hold a duplicate key that one reader takes and another does not.
        match serde_json::from_str::<serde_json::Value>(&entry.payload) {
            // (Not `v == payload`: a Value compares to a string as a JSON string.)
            Ok(v) if v.is_object() && serde_json::to_string(&v).is_ok_and(|t| t == entry.payload) => {}
            _ => problems.push(ChainProblem::Disclosure {
                seq: entry.seq,
                what: "its payload is not one canonical JSON object (keys sorted, each once, no spaces): readers could take it to say different things".into(),
            }),
        }
        if entry.encoding >= 2
            && let Ok(payload) = serde_json::from_str::<serde_json::Value>(&entry.payload)
        {
            for what in commit::disclosure_problems(&payload, &entry.private) {
                problems.push(ChainProblem::Disclosure {
                    seq: entry.seq,
                    what,
                });
            }
            for pointer in commit::plain_values(&payload) {
                problems.push(ChainProblem::Disclosure {
                    seq: entry.seq,
                    what: format!(
                        "it holds {} in plain text, where encoding 2 keeps a private value only as a commitment",
                        pointer.escape_debug()
                    ),
                });
            }
        } else if !entry.private.is_empty() {
            problems.push(ChainProblem::Disclosure {
                seq: entry.seq,
                what:
                    "values are disclosed beside an entry of encoding 1, which has no commitments"
                        .into(),
            });
        }
        if entry.seq != expected_seq {
            problems.push(ChainProblem::Sequence {
                expected: expected_seq,
                found: entry.seq,
            });
        }
        if entry.prev_hash != prev {
            problems.push(ChainProblem::Link { seq: entry.seq });
        }
        let actual = entry_hash_with(
            entry.encoding,
            &entry.prev_hash,
            case_uid,
            entry.seq,
            &entry.at,
            &entry.kind,
            &entry.payload,
        );
        if actual != entry.hash {
            problems.push(ChainProblem::Content { seq: entry.seq });
        }
        prev = entry.hash;
        // A hostile ledger.jsonl may carry u64::MAX; the next entry then cannot fit anyway.
        expected_seq = entry.seq.saturating_add(1);
    }
    problems
}

/// Whether `entry` may have its encoding after an entry of encoding `before` (0: it is the
/// first): encoding 1 only while no entry of 2 came, encoding 2 from the first entry or from a
/// `ledger.upgraded` entry on.
pub fn encoding_allowed(before: u8, entry: &Entry) -> bool {
    match (before, entry.encoding) {
        (0 | 1, 1) => true,
        (0, 2) => true,
        (1, 2) => entry.kind == EntryKind::LedgerUpgraded.code(),
        (2, 2) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UID: &str = "6f1c2a4e-8d3b-4c7a-9e21-0b5d3f7a1c88";

    fn chain(items: &[(&str, &str, &str)]) -> Vec<Entry> {
        let mut prev = GENESIS;
        let mut out = Vec::new();
        for (i, (at, kind, payload)) in items.iter().enumerate() {
            let seq = i as u64 + 1;
            let hash = entry_hash(&prev, UID, seq, at, kind, payload);
            out.push(Entry {
                seq,
                at: (*at).into(),
                kind: (*kind).into(),
                payload: (*payload).into(),
                prev_hash: prev,
                hash,
                encoding: 1,
                private: Disclosures::new(),
            });
            prev = hash;
        }
        out
    }

    fn sample() -> Vec<Entry> {
        chain(&[
            (
                "2026-11-20T05:30:00Z",
                "case.created",
                r#"{"company":"가나다몰","title":"환불 거부"}"#,
            ),
            (
                "2026-11-20T06:00:00Z",
                "contact.added",
                r#"{"id":1,"summary":"내일 문자 준다고 함"}"#,
            ),
        ])
    }

    /// Known-answer vectors. They were computed independently from the documented encoding
    /// (Python's hashlib over the bytes laid out by hand), so a change to the encoding or the
    /// hash breaks this test rather than silently forking the format.
    #[test]
    fn known_answer_vectors() {
        let encoded = encode(UID, 1, "2026-11-20T05:30:00Z", "case.created", "{}");
        assert_eq!(
            hex::encode(&encoded),
            concat!(
                "7265636f757273652e6c65646765722e763100",
                "00000024",
                "36663163326134652d386433622d346337612d396532312d306235643366376131633838",
                "0000000000000001",
                "00000014",
                "323032362d31312d32305430353a33303a30305a",
                "0000000c",
                "636173652e63726561746564",
                "00000002",
                "7b7d"
            )
        );
        let entries = sample();
        assert_eq!(entries[0].hash.to_hex(), KAT_HASH_1);
        assert_eq!(entries[1].hash.to_hex(), KAT_HASH_2);
    }

    /// Encoding 2's known answer, computed independently with Python's hashlib from the
    /// documented layout: the tag `recourse.ledger.v2\0`, and a payload holding the commitment
    /// of `commit`'s known answer.
    #[test]
    fn known_answer_vector_encoding_2() {
        let payload = r#"{"case":{"claimant":{"phone":{"commitment":"1d9513fbc4077fd06ca275b4f90e98dbe0759c5d7539b370221fc657b30fafba"}}}}"#;
        let h = entry_hash_with(
            2,
            &GENESIS,
            UID,
            1,
            "2026-11-20T05:30:00Z",
            "case.created",
            payload,
        );
        assert_eq!(
            h.to_hex(),
            "4fb170bd2d2be10ba0d55ff2d21e4eba424071cb65527e95dffb67c7dd24a95d"
        );
        assert_eq!(
            &encode_with(2, UID, 1, "t", "k", "{}")[..ENCODING_TAG_2.len()],
            ENCODING_TAG_2
        );
    }

    #[test]
    fn encoding_2_follows_an_upgrade_and_never_goes_back() {
        let mut entries = sample();
        // Continue under encoding 2 with a ledger.upgraded entry: fine.
        let prev = entries[1].hash;
        let upgraded = entry_hash_with(
            2,
            &prev,
            UID,
            3,
            "2026-11-21T00:00:00Z",
            "ledger.upgraded",
            r#"{"encoding":2}"#,
        );
        entries.push(Entry {
            seq: 3,
            at: "2026-11-21T00:00:00Z".into(),
            kind: "ledger.upgraded".into(),
            payload: r#"{"encoding":2}"#.into(),
            prev_hash: prev,
            hash: upgraded,
            encoding: 2,
            private: Disclosures::new(),
        });
        assert!(check_chain(UID, &entries).is_empty());
        // Encoding 2 without the upgrade, or back to 1, is named.
        let mut skipped = sample();
        skipped[1].encoding = 2;
        assert!(check_chain(UID, &skipped).contains(&ChainProblem::Encoding { seq: 2 }));
    }

    const KAT_HASH_1: &str = "98d135a933b63fe59ca4d84d00f1e8ec1b2421cdcd0660aefc684cfcd1923fa3";
    const KAT_HASH_2: &str = "574f6aeff4d55ee3a99859704983964799f81c1dc7b0c0ab4ee62e63319c318a";

    #[test]
    fn intact_chain_has_no_problems() {
        assert!(check_chain(UID, &sample()).is_empty());
    }

    #[test]
    fn an_edited_payload_is_named_by_seq() {
        let mut entries = sample();
        entries[1].payload = r#"{"id":1,"summary":"오늘 환불해 준다고 함"}"#.into();
        assert_eq!(
            check_chain(UID, &entries),
            vec![ChainProblem::Content { seq: 2 }]
        );
    }

    #[test]
    fn a_removed_entry_breaks_sequence_and_link() {
        let mut entries = sample();
        entries.remove(0);
        let problems = check_chain(UID, &entries);
        assert!(problems.contains(&ChainProblem::Sequence {
            expected: 1,
            found: 2
        }));
        assert!(problems.contains(&ChainProblem::Link { seq: 2 }));
    }

    #[test]
    fn a_chain_is_bound_to_its_case() {
        assert_eq!(
            check_chain("another-case", &sample()),
            vec![
                ChainProblem::Content { seq: 1 },
                ChainProblem::Content { seq: 2 }
            ]
        );
    }
}
