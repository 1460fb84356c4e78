//! Appending to and reading the ledger table. The encoding and chain rules live in `ledger`.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

use super::{LedgerHead, Store, StoreError};
use crate::clock::to_stored;
use crate::ledger::{Disclosures, ENCODING, Entry, EntryKind, GENESIS, commit, entry_hash_with};
use crate::model::CaseId;
use crate::vault::Sha256;

/// Appends one entry to a case's chain inside the caller's transaction, in encoding 2: the
/// payload's private values sealed into salted commitments, kept beside it. A chain of
/// encoding 1 first gets its `ledger.upgraded` entry.
pub(crate) fn append(
    tx: &Transaction<'_>,
    case_id: CaseId,
    at: DateTime<Utc>,
    kind: EntryKind,
    payload: &Value,
) -> Result<Entry, StoreError> {
    let last: Option<(u64, u8)> = tx
        .prepare_cached(
            "SELECT seq, encoding FROM ledger WHERE case_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((_, encoding)) = last
        && encoding < ENCODING
    {
        append_sealed(
            tx,
            case_id,
            at,
            EntryKind::LedgerUpgraded,
            &serde_json::json!({ "encoding": ENCODING }),
        )?;
    }
    append_sealed(tx, case_id, at, kind, payload)
}

fn append_sealed(
    tx: &Transaction<'_>,
    case_id: CaseId,
    at: DateTime<Utc>,
    kind: EntryKind,
    payload: &Value,
) -> Result<Entry, StoreError> {
    let uid: String = tx
        .prepare_cached("SELECT uid FROM cases WHERE id = ?1")?
        .query_row([case_id], |r| r.get(0))?;
    let last: Option<(u64, Sha256)> = tx
        .prepare_cached(
            "SELECT seq, hash FROM ledger WHERE case_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS),
    };
    let mut sealed = payload.clone();
    let private = commit::seal(&mut sealed, &mut commit::fresh_salt);
    // serde_json without `preserve_order` writes object keys sorted and no whitespace; the hash
    // covers these exact bytes as stored.
    let payload = sealed.to_string();
    let at = to_stored(at);
    let kind = kind.code().to_owned();
    let hash = entry_hash_with(ENCODING, &prev_hash, &uid, seq, &at, &kind, &payload);
    tx.prepare_cached(
        "INSERT INTO ledger (case_id, seq, at, kind, payload, prev_hash, hash, encoding, private)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        case_id,
        seq,
        at,
        kind,
        payload,
        prev_hash,
        hash,
        ENCODING,
        private_json(&private)
    ])?;
    Ok(Entry {
        seq,
        at,
        kind,
        payload,
        prev_hash,
        hash,
        encoding: ENCODING,
        private,
    })
}

/// The `private` column of an entry: NULL when it discloses nothing.
pub(crate) fn private_json(private: &Disclosures) -> Option<String> {
    (!private.is_empty()).then(|| serde_json::to_string(private).unwrap_or_default())
}

impl Store {
    /// Records that a packet of the case was built.
    pub fn record_packet_built(
        &mut self,
        case_id: CaseId,
        built: crate::ledger::event::PacketBuilt,
        now: DateTime<Utc>,
    ) -> Result<Entry, StoreError> {
        self.record(case_id, &crate::ledger::Event::PacketBuilt(built), now)
    }

    /// A case's ledger entries in chain order.
    pub fn ledger(&self, case_id: CaseId) -> Result<Vec<Entry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, kind, payload, prev_hash, hash, encoding, private FROM ledger
             WHERE case_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            let private: Option<String> = r.get(7)?;
            Ok((
                Entry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    kind: r.get(2)?,
                    payload: r.get(3)?,
                    prev_hash: r.get(4)?,
                    hash: r.get(5)?,
                    encoding: r.get(6)?,
                    private: Disclosures::new(),
                },
                private,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut entry, private) = row?;
            if let Some(text) = private {
                // A private column that is not a disclosure map is damage; fsck names it, as
                // the commitments then do not open.
                entry.private = serde_json::from_str(&text).unwrap_or_default();
            }
            out.push(entry);
        }
        Ok(out)
    }

    /// A case's ledger length and head hash.
    pub fn ledger_head(&self, case_id: CaseId) -> Result<LedgerHead, StoreError> {
        let last: Option<(u64, Sha256)> = self
            .conn
            .prepare_cached(
                "SELECT seq, hash FROM ledger WHERE case_id = ?1 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match last {
            Some((length, head)) => LedgerHead { length, head },
            None => LedgerHead {
                length: 0,
                head: GENESIS,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::ledger::check_chain;
    use crate::store::test_support::*;

    #[test]
    fn every_change_appends_a_linked_entry() {
        let (_dir, mut store) = store();
        let now = t("2026-11-20T05:30:00Z");
        let case = store.create_case(&case_fields(), now).unwrap();
        store
            .add_contact(case, &contact_fields("2026-11-20T06:00:00Z"), now)
            .unwrap();
        let entries = store.ledger(case).unwrap();
        assert_eq!(
            entries.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            ["case.created", "contact.added"]
        );
        let uid = store.case(case).unwrap().uid;
        assert!(check_chain(&uid, &entries).is_empty());
        let head = store.ledger_head(case).unwrap();
        assert_eq!(head.length, 2);
        assert_eq!(head.head, entries[1].hash);
    }

    #[test]
    fn triggers_refuse_update_and_delete() {
        let (_dir, mut store) = store();
        let case = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let err = store
            .conn()
            .execute(
                "UPDATE ledger SET payload = '{}' WHERE case_id = ?1",
                [case],
            )
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        let err = store
            .conn()
            .execute("DELETE FROM ledger WHERE case_id = ?1", [case])
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        assert_eq!(store.ledger(case).unwrap().len(), 1);
    }
}
