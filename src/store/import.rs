//! Putting a case that came in a packet into this database: its chain byte for byte, its rows
//! projected from that chain by the same projector every write uses, and which row each of the
//! packet's record ids became.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::ledger::event::CaseImported;
use crate::ledger::{Entry, Event};
use crate::model::*;

impl Store {
    /// The case whose chain is bound to `uid`, if it is here.
    pub fn case_by_uid(&self, uid: &str) -> Result<Option<CaseId>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT id FROM cases WHERE uid = ?1", [uid], |r| r.get(0))
            .optional()?)
    }

    /// The case's entries with record ids as this database has them (for replay and history;
    /// the chain check uses `ledger`).
    pub fn ledger_for_replay(&self, case_id: CaseId) -> Result<Vec<Entry>, StoreError> {
        Ok(crate::ledger::translate(&self.ledger(case_id)?))
    }

    /// Adds a case that came in a packet, in one transaction: the packet's chain `entries`
    /// verbatim (bound to `uid`), the rows its entries imply (the packet's contacts and promises under new ids,
    /// in the order the chain added them), and a `case.imported` entry recording which id
    /// became which. Returns the new case's id.
    pub fn import_case(
        &mut self,
        uid: &str,
        entries: &[Entry],
        packet_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<CaseId, StoreError> {
        let tx = self.write()?;
        let case_id = CaseId(super::project::next_id(&tx, "cases")?);
        // The packet's records, by the ids its own database gave them, become the next free
        // ids here.
        let mut imported = CaseImported {
            contacts: Default::default(),
            entries: entries.len() as u64,
            packet_sha256: packet_sha256.to_owned(),
            promises: Default::default(),
        };
        let (mut contact, mut promise) = (
            super::project::next_id(&tx, "contacts")?,
            super::project::next_id(&tx, "promises")?,
        );
        for entry in crate::ledger::translate(entries) {
            match Event::parse(&entry.kind, &entry.payload) {
                Ok(Some(Event::ContactAdded(e))) => {
                    imported.contacts.insert(e.id.0, contact);
                    contact += 1;
                }
                Ok(Some(Event::PromiseAdded(e))) => {
                    imported.promises.insert(e.id.0, promise);
                    promise += 1;
                }
                _ => {}
            }
        }
        let event = Event::CaseImported(imported);
        let marker = Entry {
            seq: entries.len() as u64 + 1,
            at: crate::clock::to_stored(now),
            kind: event.kind().code().to_owned(),
            payload: event.payload().to_string(),
            prev_hash: crate::ledger::GENESIS,
            hash: crate::ledger::GENESIS,
            encoding: crate::ledger::ENCODING,
            private: Default::default(),
        };
        let mut chain = entries.to_vec();
        chain.push(marker);
        let here = crate::ledger::translate(&chain);
        for entry in &here[..entries.len()] {
            let invalid = |reason: String| StoreError::Invalid {
                field: "ledger",
                reason: format!(
                    "the packet's ledger entry {} ({}) cannot be replayed: {reason}; nothing was imported",
                    entry.seq, entry.kind
                ),
            };
            let event =
                Event::parse(&entry.kind, &entry.payload).map_err(|e| invalid(e.to_string()))?;
            if let Some(Event::CaseCreated(created)) = &event
                && created.uid != uid
            {
                return Err(invalid(format!(
                    "it opens the chain of case {}, not of this packet's case {uid}",
                    created.uid
                )));
            }
            if let Some(event) = event {
                super::project::project(&tx, case_id, &entry.at, &event).map_err(|e| match e {
                    StoreError::Invalid { reason, .. } => invalid(reason),
                    other => other,
                })?;
            }
        }
        for e in entries {
            tx.execute(
                "INSERT INTO ledger (case_id, seq, at, kind, payload, prev_hash, hash, encoding, private)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    case_id,
                    e.seq,
                    e.at,
                    e.kind,
                    e.payload,
                    e.prev_hash,
                    e.hash,
                    e.encoding,
                    super::ledger::private_json(&e.private)
                ],
            )?;
        }
        super::apply(&tx, case_id, now, &event)?;
        tx.commit()?;
        Ok(case_id)
    }
}
