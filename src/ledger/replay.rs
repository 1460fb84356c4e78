//! Replaying a case's ledger into the records it describes.
//!
//! Every entry's payload carries the record's fields as JSON (the same serde form the store's
//! model types have), and every edit carries each changed field's new value, so folding the
//! entries in order gives what every record must look like now. `fsck` compares that with the
//! database to catch a row changed behind the ledger's back; a packet import can rebuild a case
//! from it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Entry;

/// What the ledger says one record is now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordState {
    /// The record's editable fields as JSON, as last written.
    pub fields: Map<String, Value>,
    /// A promise's status code (`pending` until ended).
    pub status: Option<String>,
    /// Whether it was retracted.
    pub is_retracted: bool,
}

/// What the ledger says a whole case is now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replayed {
    /// The case's fields.
    pub case: Map<String, Value>,
    /// Contacts by id.
    pub contacts: BTreeMap<i64, RecordState>,
    /// Promises by id.
    pub promises: BTreeMap<i64, RecordState>,
    /// Evidence by number within the case.
    pub evidence: BTreeMap<i64, RecordState>,
}

/// An entry whose payload does not have the shape its kind promises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ledger entry {seq} ({kind}) has a payload this version cannot read")]
pub struct ReplayError {
    /// The entry.
    pub seq: u64,
    /// Its kind.
    pub kind: String,
}

/// The evidence fields an `evidence.edited` entry may change.
pub const EVIDENCE_EDITABLE: [&str; 3] = ["contact_id", "kind", "note"];

fn object(v: Option<&Value>) -> Option<Map<String, Value>> {
    v.and_then(Value::as_object).cloned()
}

fn apply_changes(fields: &mut Map<String, Value>, changes: Option<&Value>) -> Option<()> {
    for (field, change) in changes?.as_object()? {
        fields.insert(field.clone(), change.get("to")?.clone());
    }
    Some(())
}

/// Which entry kinds a replay applies: those the build that wrote a packet knew. A packet's
/// derived files are rebuilt as its own generator read its chain — recourse before 0.3 skipped
/// `evidence.edited` like any kind it did not know, so a chain it carried with one (a case that
/// came to it from a newer recourse) is read the same way when its reports are rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Apply `evidence.edited` (recourse 0.3 on).
    pub evidence_edits: bool,
}

impl Rules {
    /// What this build applies.
    pub const CURRENT: Rules = Rules {
        evidence_edits: true,
    };
    /// What recourse 0.2.0 and 0.1.0 applied.
    pub const BEFORE_0_3: Rules = Rules {
        evidence_edits: false,
    };
}

/// Folds a case's entries, in order, into the records they describe. Unknown kinds (from a
/// newer version) are skipped; a known kind with a malformed payload is an error, and so is a
/// second add of a record already added (same contact or promise id, same evidence number).
pub fn replay(entries: &[Entry]) -> Result<Replayed, ReplayError> {
    replay_with(entries, Rules::CURRENT)
}

/// [`replay`] by the `rules` of the build that wrote a packet.
pub fn replay_with(entries: &[Entry], rules: Rules) -> Result<Replayed, ReplayError> {
    let mut out = Replayed::default();
    for entry in entries {
        let fail = || ReplayError {
            seq: entry.seq,
            kind: entry.kind.clone(),
        };
        let payload: Value = serde_json::from_str(&entry.payload).map_err(|_| fail())?;
        let id = payload
            .get("id")
            .or_else(|| payload.get("number"))
            .and_then(Value::as_i64);
        let applied = match entry.kind.as_str() {
            // The case is created once, by the chain's first entry; a later `case.created`
            // would silently replace every field without an edit on record.
            "case.created" if entry.seq == 1 && out.case.is_empty() => {
                object(payload.get("case")).map(|case| out.case = case)
            }
            "case.created" => None,
            "case.edited" => apply_changes(&mut out.case, payload.get("changes")),
            "contact.added" | "promise.added" | "evidence.added" => {
                let (map, key, status) = match entry.kind.as_str() {
                    "contact.added" => (&mut out.contacts, "contact", None),
                    "promise.added" => (&mut out.promises, "promise", Some("pending".to_owned())),
                    _ => (&mut out.evidence, "evidence", None),
                };
                // A record is added once: a second add under the same id or number would
                // silently replace what the chain first recorded.
                id.zip(object(payload.get(key)))
                    .filter(|(id, _)| !map.contains_key(id))
                    .map(|(id, fields)| {
                        map.insert(
                            id,
                            RecordState {
                                fields,
                                status,
                                is_retracted: false,
                            },
                        );
                    })
            }
            // Skipped, as a build before them skipped a kind it did not know.
            "evidence.edited" if !rules.evidence_edits => Some(()),
            // An evidence item's file is what its add fixed, hash and all: an edit that names
            // any field but these three says something no recourse writes.
            "evidence.edited"
                if payload
                    .get("changes")
                    .and_then(Value::as_object)
                    .is_none_or(|c| c.keys().any(|k| !EVIDENCE_EDITABLE.contains(&k.as_str()))) =>
            {
                None
            }
            "contact.edited" | "promise.edited" | "evidence.edited" => {
                let map = match entry.kind.as_str() {
                    "contact.edited" => &mut out.contacts,
                    "promise.edited" => &mut out.promises,
                    _ => &mut out.evidence,
                };
                id.and_then(|id| map.get_mut(&id))
                    .and_then(|r| apply_changes(&mut r.fields, payload.get("changes")))
            }
            "promise.ended" => {
                let status = payload.get("status").and_then(Value::as_str);
                id.and_then(|id| out.promises.get_mut(&id))
                    .zip(status)
                    .map(|(r, s)| r.status = Some(s.to_owned()))
            }
            "contact.retracted" | "evidence.retracted" => {
                let map = if entry.kind == "contact.retracted" {
                    &mut out.contacts
                } else {
                    &mut out.evidence
                };
                id.and_then(|id| map.get_mut(&id))
                    .map(|r| r.is_retracted = true)
            }
            // Proofs over earlier positions: they change no record, but one that names a
            // position not before it, or a contact the chain never logged, says something false.
            "timestamp.added" => payload
                .get("covers")
                .and_then(Value::as_u64)
                .filter(|c| (1..entry.seq).contains(c))
                .zip(payload.get("token").and_then(Value::as_str))
                .map(|_| ()),
            "receipt.given" => payload
                .get("covers")
                .and_then(Value::as_u64)
                .filter(|c| (1..entry.seq).contains(c))
                .zip(payload.get("code").and_then(Value::as_str))
                .zip(
                    payload
                        .get("contact")
                        .and_then(Value::as_i64)
                        .filter(|c| out.contacts.contains_key(c)),
                )
                .map(|_| ()),
            _ => Some(()),
        };
        applied.ok_or_else(fail)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{GENESIS, entry_hash};

    fn entries(items: &[(&str, &str)]) -> Vec<Entry> {
        items
            .iter()
            .enumerate()
            .map(|(i, (kind, payload))| Entry {
                seq: i as u64 + 1,
                at: "2026-11-20T00:00:00Z".into(),
                kind: (*kind).into(),
                payload: (*payload).into(),
                prev_hash: GENESIS,
                hash: entry_hash(&GENESIS, "u", 1, "", kind, payload),
                encoding: 1,
                private: Default::default(),
            })
            .collect()
    }

    #[test]
    fn folds_adds_edits_ends_and_retractions() {
        let r = replay(&entries(&[
            (
                "case.created",
                r#"{"case":{"title":"환불","status":"open"},"uid":"u"}"#,
            ),
            (
                "contact.added",
                r#"{"contact":{"summary":"첫 통화"},"id":4}"#,
            ),
            (
                "contact.edited",
                r#"{"changes":{"summary":{"from":"첫 통화","to":"첫 통화 (수정)"}},"id":4}"#,
            ),
            ("promise.added", r#"{"id":2,"promise":{"what":"문자"}}"#),
            ("promise.ended", r#"{"id":2,"note":null,"status":"broken"}"#),
            (
                "evidence.added",
                r#"{"evidence":{"sha256":"ab"},"number":1}"#,
            ),
            (
                "evidence.retracted",
                r#"{"number":1,"reason":"잘못","sha256":"ab"}"#,
            ),
            (
                "case.edited",
                r#"{"changes":{"status":{"from":"open","to":"escalated"}},"id":1}"#,
            ),
            ("something.new", r#"{}"#),
        ]))
        .unwrap();
        assert_eq!(r.case["status"], "escalated");
        assert_eq!(r.contacts[&4].fields["summary"], "첫 통화 (수정)");
        assert_eq!(r.promises[&2].status.as_deref(), Some("broken"));
        assert!(r.evidence[&1].is_retracted);
        assert!(!r.contacts[&4].is_retracted);
    }

    #[test]
    fn a_record_added_twice_is_an_error_not_a_replacement() {
        let err = replay(&entries(&[
            (
                "evidence.added",
                r#"{"evidence":{"sha256":"ab"},"number":1}"#,
            ),
            (
                "evidence.added",
                r#"{"evidence":{"sha256":"cd"},"number":1}"#,
            ),
        ]))
        .unwrap_err();
        assert_eq!(err.seq, 2);
    }

    #[test]
    fn an_evidence_edit_changes_its_contact_kind_or_note_and_never_its_file() {
        let added = (
            "evidence.added",
            r#"{"evidence":{"contact_id":null,"kind":"other","note":null,"sha256":"ab"},"number":1}"#,
        );
        let r = replay(&entries(&[
            added,
            (
                "evidence.edited",
                r#"{"changes":{"contact_id":{"from":null,"to":4},"kind":{"from":"other","to":"chat"},"note":{"from":null,"to":"상담 채팅"}},"number":1}"#,
            ),
        ]))
        .unwrap();
        assert_eq!(r.evidence[&1].fields["contact_id"], 4);
        assert_eq!(r.evidence[&1].fields["kind"], "chat");
        assert_eq!(r.evidence[&1].fields["note"], "상담 채팅");
        // A forged edit that swaps the file's hash (or any other fixed fact) is refused.
        for forged in [
            r#"{"changes":{"sha256":{"from":"ab","to":"cd"}},"number":1}"#,
            r#"{"changes":{"note":{"from":null,"to":"x"},"size_bytes":{"from":1,"to":2}},"number":1}"#,
            r#"{"number":1}"#,
        ] {
            let err = replay(&entries(&[added, ("evidence.edited", forged)])).unwrap_err();
            assert_eq!(
                (err.seq, err.kind.as_str()),
                (2, "evidence.edited"),
                "{forged}"
            );
        }
        // A build before 0.3 skipped the kind: its reports are rebuilt without the edit.
        let edited = entries(&[
            added,
            (
                "evidence.edited",
                r#"{"changes":{"kind":{"from":"other","to":"chat"}},"number":1}"#,
            ),
        ]);
        let before = replay_with(&edited, Rules::BEFORE_0_3).unwrap();
        assert_eq!(before.evidence[&1].fields["kind"], "other");
        assert_eq!(replay(&edited).unwrap().evidence[&1].fields["kind"], "chat");
        assert_eq!(
            crate::packet::replay_rules("recourse 0.2.0"),
            Rules::BEFORE_0_3
        );
        assert_eq!(
            crate::packet::replay_rules(&crate::packet::generator()),
            Rules::CURRENT
        );
        // Nor is an edit of an item never added.
        let err = replay(&entries(&[(
            "evidence.edited",
            r#"{"changes":{"note":{"from":null,"to":"x"}},"number":9}"#,
        )]))
        .unwrap_err();
        assert_eq!(err.seq, 1);
    }

    #[test]
    fn a_malformed_payload_is_named() {
        let err = replay(&entries(&[(
            "contact.added",
            r#"{"contact":"not an object"}"#,
        )]))
        .unwrap_err();
        assert_eq!(err.seq, 1);
        assert_eq!(err.kind, "contact.added");
    }
}
