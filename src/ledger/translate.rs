//! Record ids in an imported case's entries. A packet's entries name contacts and promises by
//! the *source* database's row ids; when a case is imported, its `case.imported` entry records
//! which row each of them became here. Replay and the edit history read older entries through
//! those maps (composed, when a case was imported more than once); the chain itself stays byte
//! for byte as it was hashed, and the maps travel inside it to the next packet.

use std::collections::HashMap;

use serde_json::Value;

use super::Entry;

/// Which row each earlier id became, as one `case.imported` entry states it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdMap {
    /// Contact ids: before → after.
    pub contacts: HashMap<i64, i64>,
    /// Promise ids: before → after.
    pub promises: HashMap<i64, i64>,
}

impl IdMap {
    /// The maps as a `case.imported` payload holds them (`{"contacts": {"1": 7}, …}`).
    pub fn to_json(&self) -> Value {
        let side = |m: &HashMap<i64, i64>| {
            let mut pairs: Vec<_> = m.iter().collect();
            pairs.sort();
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), Value::from(*v)))
                    .collect(),
            )
        };
        serde_json::json!({"contacts": side(&self.contacts), "promises": side(&self.promises)})
    }

    fn from_payload(p: &Value) -> IdMap {
        let side = |key: &str| -> HashMap<i64, i64> {
            p.get(key)
                .and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_i64()?)))
                        .collect()
                })
                .unwrap_or_default()
        };
        IdMap {
            contacts: side("contacts"),
            promises: side("promises"),
        }
    }
}

fn swap(v: Option<&mut Value>, map: &HashMap<i64, i64>) {
    if let Some(v) = v
        && let Some(id) = v.as_i64()
        && let Some(row) = map.get(&id)
    {
        *v = Value::from(*row);
    }
}

fn apply(e: &Entry, map: &IdMap) -> Entry {
    let Ok(mut p) = serde_json::from_str::<Value>(&e.payload) else {
        return e.clone();
    };
    match e.kind.as_str() {
        "contact.added" | "contact.edited" | "contact.retracted" => {
            swap(p.get_mut("id"), &map.contacts)
        }
        "promise.added" => {
            swap(p.get_mut("id"), &map.promises);
            swap(p.pointer_mut("/promise/contact_id"), &map.contacts);
        }
        "promise.edited" => {
            swap(p.get_mut("id"), &map.promises);
            swap(p.pointer_mut("/changes/contact_id/from"), &map.contacts);
            swap(p.pointer_mut("/changes/contact_id/to"), &map.contacts);
        }
        "promise.ended" => swap(p.get_mut("id"), &map.promises),
        "evidence.added" => swap(p.pointer_mut("/evidence/contact_id"), &map.contacts),
        "evidence.edited" => {
            swap(p.pointer_mut("/changes/contact_id/from"), &map.contacts);
            swap(p.pointer_mut("/changes/contact_id/to"), &map.contacts);
        }
        "receipt.given" => swap(p.get_mut("contact"), &map.contacts),
        _ => return e.clone(),
    }
    Entry {
        payload: p.to_string(),
        ..e.clone()
    }
}

/// The entries with every id in the ids this database uses (a case never imported comes back
/// unchanged), and every payload opened: disclosed private values in place of their
/// commitments (see `Entry::opened_payload`). What replay and reports read; the result's hashes
/// no longer cover its payloads.
pub fn translate(entries: &[Entry]) -> Vec<Entry> {
    let mut out: Vec<Entry> = entries
        .iter()
        .map(|e| Entry {
            payload: e.opened_payload(),
            ..e.clone()
        })
        .collect();
    // One pass from the end: the maps of every later import composed into one (each entry read
    // once, each map once — a chain of many imports costs no more than its length).
    let mut later = IdMap::default();
    for i in (0..entries.len()).rev() {
        if entries[i].kind == "case.imported" {
            if let Ok(p) = serde_json::from_str::<Value>(&entries[i].payload) {
                let map = IdMap::from_payload(&p);
                compose(&mut later.contacts, &map.contacts);
                compose(&mut later.promises, &map.promises);
            }
            continue;
        }
        if !later.contacts.is_empty() || !later.promises.is_empty() {
            out[i] = apply(&out[i], &later);
        }
    }
    out
}

/// `later` becomes "`map`, then `later`": an id before this import is first renamed by `map`,
/// then by every import after it (ids `map` leaves alone go straight to `later`).
fn compose(later: &mut HashMap<i64, i64>, map: &HashMap<i64, i64>) {
    let renamed: Vec<(i64, i64)> = map
        .iter()
        .map(|(before, after)| (*before, *later.get(after).unwrap_or(after)))
        .collect();
    later.extend(renamed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::GENESIS;

    fn entry(seq: u64, kind: &str, payload: &str) -> Entry {
        Entry {
            encoding: 1,
            private: Default::default(),
            seq,
            at: "2026-11-20T00:00:00Z".into(),
            kind: kind.into(),
            payload: payload.into(),
            prev_hash: GENESIS,
            hash: GENESIS,
        }
    }

    #[test]
    fn ids_follow_each_import_in_turn() {
        let entries = vec![
            entry(1, "contact.added", r#"{"contact":{},"id":1}"#),
            entry(2, "promise.added", r#"{"id":1,"promise":{"contact_id":1}}"#),
            entry(
                3,
                "case.imported",
                r#"{"contacts":{"1":5},"promises":{"1":9}}"#,
            ),
            entry(4, "contact.edited", r#"{"changes":{},"id":5}"#),
            entry(
                5,
                "evidence.added",
                r#"{"evidence":{"contact_id":5},"number":1}"#,
            ),
            entry(
                6,
                "case.imported",
                r#"{"contacts":{"5":2},"promises":{"9":3}}"#,
            ),
        ];
        let t = translate(&entries);
        assert_eq!(t[0].payload, r#"{"contact":{},"id":2}"#);
        assert_eq!(t[1].payload, r#"{"id":3,"promise":{"contact_id":2}}"#);
        assert_eq!(t[3].payload, r#"{"changes":{},"id":2}"#);
        assert_eq!(t[4].payload, r#"{"evidence":{"contact_id":2},"number":1}"#);
        // Hashes and everything else stay.
        assert_eq!(t[0].hash, entries[0].hash);
        // An id the first import left alone is still renamed by the second.
        let t = translate(&[
            entry(1, "contact.added", r#"{"contact":{},"id":5}"#),
            entry(2, "case.imported", r#"{"contacts":{"1":2},"promises":{}}"#),
            entry(
                3,
                "case.imported",
                r#"{"contacts":{"5":8,"2":4},"promises":{}}"#,
            ),
        ]);
        assert_eq!(t[0].payload, r#"{"contact":{},"id":8}"#);
        // Many imports: each map read once (the chain's length, not its square).
        let mut many = vec![entry(1, "contact.added", r#"{"contact":{},"id":1}"#)];
        for seq in 2..20_002 {
            many.push(entry(
                seq,
                "case.imported",
                r#"{"contacts":{"1":1},"promises":{}}"#,
            ));
        }
        many.push(entry(
            20_002,
            "case.imported",
            r#"{"contacts":{"1":3},"promises":{}}"#,
        ));
        assert_eq!(translate(&many)[0].payload, r#"{"contact":{},"id":3}"#);
        // A case never imported is left alone.
        assert_eq!(translate(&entries[..2]), entries[..2].to_vec());
    }
}
