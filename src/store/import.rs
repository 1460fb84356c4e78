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
            let event = Event::parse(&entry.kind, &entry.payload).ok().flatten();
            // Every record an entry refers to was added before it in the packet's chain: an id
            // it never added would otherwise land on whatever row has that id here.
            if let Some(e) = &event {
                let (contacts, promises) = e.references();
                let unknown = contacts
                    .iter()
                    .find(|c| !imported.contacts.contains_key(c))
                    .map(|c| format!("contact {c}"))
                    .or_else(|| {
                        promises
                            .iter()
                            .find(|p| !imported.promises.contains_key(p))
                            .map(|p| format!("promise {p}"))
                    });
                if let Some(what) = unknown {
                    return Err(StoreError::Invalid {
                        field: "ledger",
                        reason: format!(
                            "the packet's ledger entry {} ({}) refers to {what}, which its chain never added before it; nothing was imported",
                            entry.seq, entry.kind
                        ),
                    });
                }
            }
            match event {
                Some(Event::ContactAdded(e)) => {
                    imported.contacts.insert(e.id.0, contact);
                    contact += 1;
                }
                Some(Event::PromiseAdded(e)) => {
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
                    StoreError::Sqlite(e) if super::check::constraint_reason(&e).is_some() => {
                        invalid(super::check::constraint_reason(&e).unwrap_or_default())
                    }
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

#[cfg(test)]
mod tests {
    use crate::ledger::Entry;
    use crate::store::test_support::*;

    #[test]
    fn a_chain_that_names_a_record_it_never_added_is_refused() {
        let (_dir, mut from) = store();
        let now = t("2026-11-20T05:30:00Z");
        let case = from.create_case(&case_fields(), now).unwrap();
        from.add_contact(case, &contact_fields("2026-11-20T06:00:00Z"), now)
            .unwrap();
        let uid = from.case(case).unwrap().uid;
        let entries = from.ledger(case).unwrap();

        // Here, a case whose contacts have the ids the packet's would get and more.
        let (_dir2, mut here) = store();
        let mine = here.create_case(&case_fields(), now).unwrap();
        for at in ["2026-11-20T06:00:00Z", "2026-11-20T07:00:00Z"] {
            here.add_contact(mine, &contact_fields(at), now).unwrap();
        }
        // The packet's own chain imports; its contact becomes contact 3 here.
        let (_dir3, mut fresh) = store();
        fresh
            .import_case(&uid, &entries, &"ab".repeat(32), now)
            .unwrap();

        // A retraction of contact 2, which this chain never added (here, 2 is another case's).
        let mut forged = entries.clone();
        forged.push(Entry {
            seq: 3,
            kind: "contact.retracted".into(),
            payload: r#"{"id":2,"reason":"x"}"#.into(),
            ..entries[1].clone()
        });
        let err = here
            .import_case(&uid, &forged, &"ab".repeat(32), now)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("refers to contact 2, which its chain never added"),
            "{err}"
        );
        // Nothing of it was written.
        assert_eq!(here.case_ids().unwrap().len(), 1);
        assert_eq!(here.contacts(mine).unwrap().len(), 2);
    }
}
