//! The projector: the rows one ledger event implies.
//!
//! One function says what every event does to the tables, and it is used three ways: by the
//! store's writes, inside the transaction that appends the event (so a row is whatever its
//! chain says, read and changed inside that transaction); by fsck, which replays every chain
//! into a scratch database and compares the two, column by column; and by its tests.
//!
//! Rules it keeps:
//! - A record is added once (the insert names its id or number, and a second add fails).
//! - An edit applies its changes to the row as it is now, and stamps `edited_at`; an
//!   evidence edit names only the fields an item may change.
//! - A retraction or an end applies to a record not yet retracted or ended.
//! - Every time column is the entry's own `at` (created, edited, retracted, ended, imported).
//! - Events about proofs and packets change no row.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;
use crate::ledger::{Changes, EVIDENCE_EDITABLE, Event};
use crate::model::*;

fn conflict(reason: String) -> StoreError {
    StoreError::Invalid {
        field: "ledger",
        reason,
    }
}

/// `current` with each change's new value in place: the record's JSON form, changed field by
/// field, read back as the record type (so a change to something the record cannot hold fails).
pub(crate) fn changed<T: Serialize + DeserializeOwned>(
    current: &T,
    changes: &Changes,
) -> Result<T, StoreError> {
    let mut json = serde_json::to_value(current)
        .map_err(|e| conflict(format!("the record cannot be written as JSON: {e}")))?;
    let Some(fields) = json.as_object_mut() else {
        return Err(conflict("the record is not a JSON object".into()));
    };
    for (field, change) in changes {
        fields.insert(field.clone(), change.to.clone());
    }
    serde_json::from_value(json).map_err(|e| conflict(format!("its changes do not fit: {e}")))
}

/// A contact a record of case `case_id` may point at: one of that case's own (a record that
/// points into another case would show, in a packet or a letter, a call that case never had).
fn own_contact(conn: &Connection, case_id: CaseId, contact: ContactId) -> Result<(), StoreError> {
    let of: Option<CaseId> = conn
        .prepare_cached("SELECT case_id FROM contacts WHERE id = ?1")?
        .query_row([contact], |r| r.get(0))
        .optional()?;
    match of {
        Some(c) if c == case_id => Ok(()),
        Some(_) => Err(conflict(format!(
            "it points at contact {contact}, which belongs to another case"
        ))),
        None => Err(conflict(format!(
            "it points at contact {contact}, which the chain never logged"
        ))),
    }
}

/// A time a row may hold: in the years the store reads back (1900–9999 in UTC; a later or
/// earlier one would be written with a sign that no reader of RFC 3339 takes).
fn storable(what: &str, t: chrono::DateTime<chrono::Utc>) -> Result<(), StoreError> {
    if crate::clock::in_range(t.date_naive()) {
        Ok(())
    } else {
        Err(conflict(format!(
            "its {what} {} is outside the years 1900 to 9999",
            t.to_rfc3339()
        )))
    }
}

/// The times of a contact that its row holds.
fn contact_times(f: &ContactFields) -> Result<(), StoreError> {
    storable("start", f.started_at)?;
    f.ended_at.map_or(Ok(()), |t| storable("end", t))
}

/// Writes the rows `event` implies for case `case_id`, recorded at `at` (an RFC 3339 time,
/// stored in its one form: UTC, whole seconds, `Z`).
pub(crate) fn project(
    conn: &Connection,
    case_id: CaseId,
    at: &str,
    event: &Event,
) -> Result<(), StoreError> {
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| crate::clock::truncate(t.with_timezone(&chrono::Utc)))
        .map_err(|_| conflict(format!("its time '{at}' is not an RFC 3339 time")))?;
    storable("time", at)?;
    let at = &crate::clock::to_stored(at);
    match event {
        Event::CaseCreated(e) => {
            let f = &e.case;
            conn.execute(
                "INSERT INTO cases (id, uid, title, company, category, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![case_id, e.uid, f.title, f.company, f.category, f.status, at],
            )?;
            super::cases::write_fields(conn, case_id, f)?;
        }
        Event::CaseEdited(e) => {
            // `e.id` is the case's id where the entry was written: after an import it is
            // another database's, and the chain itself says which case it is.
            let case = super::cases::read(conn, case_id)?
                .ok_or_else(|| conflict(format!("case {case_id} is not there to edit")))?;
            let fields = changed(&case.fields, &e.changes)?;
            super::cases::write_fields(conn, case_id, &fields)?;
            conn.execute(
                "UPDATE cases SET edited_at = ?2 WHERE id = ?1",
                params![case_id, at],
            )?;
        }
        Event::ContactAdded(e) => {
            let f = &e.contact;
            contact_times(f)?;
            conn.execute(
                "INSERT INTO contacts (id, case_id, started_at, channel, direction, tier, summary,
                    outcome, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    e.id,
                    case_id,
                    crate::clock::to_stored(f.started_at),
                    f.channel,
                    f.direction,
                    f.tier,
                    f.summary,
                    f.outcome,
                    at
                ],
            )?;
            super::contacts::write_fields(conn, e.id, f)?;
        }
        Event::ContactEdited(e) => {
            let contact = super::contacts::read(conn, e.id)?
                .filter(|c| c.case_id == case_id)
                .ok_or_else(|| conflict(format!("contact {} is not there to edit", e.id)))?;
            let fields = changed(&contact.fields, &e.changes)?;
            contact_times(&fields)?;
            super::contacts::write_fields(conn, e.id, &fields)?;
            conn.execute(
                "UPDATE contacts SET edited_at = ?2 WHERE id = ?1",
                params![e.id, at],
            )?;
        }
        Event::ContactRetracted(e) => {
            let marked = conn.execute(
                "UPDATE contacts SET retracted_at = ?3, retract_reason = ?4
                 WHERE id = ?1 AND case_id = ?2 AND retracted_at IS NULL",
                params![e.id, case_id, at, e.reason],
            )?;
            if marked != 1 {
                return Err(conflict(format!(
                    "contact {} is not there, or was retracted already",
                    e.id
                )));
            }
        }
        Event::PromiseAdded(e) => {
            let f = &e.promise;
            own_contact(conn, case_id, f.contact_id)?;
            storable("due time", f.due_at)?;
            conn.execute(
                "INSERT INTO promises (id, case_id, contact_id, what, due_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    e.id,
                    case_id,
                    f.contact_id,
                    f.what,
                    crate::clock::to_stored(f.due_at),
                    at
                ],
            )?;
            super::promises::write_fields(conn, e.id, f)?;
        }
        Event::PromiseEdited(e) => {
            let promise = super::promises::read(conn, e.id)?
                .filter(|p| p.case_id == case_id)
                .ok_or_else(|| conflict(format!("promise {} is not there to edit", e.id)))?;
            let fields = changed(&promise.fields, &e.changes)?;
            storable("due time", fields.due_at)?;
            if fields.contact_id != promise.fields.contact_id {
                own_contact(conn, case_id, fields.contact_id)?;
            }
            super::promises::write_fields(conn, e.id, &fields)?;
            conn.execute(
                "UPDATE promises SET edited_at = ?2 WHERE id = ?1",
                params![e.id, at],
            )?;
        }
        Event::PromiseEnded(e) => {
            if e.status == PromiseStatus::Pending {
                return Err(conflict(format!("promise {} ends as pending", e.id)));
            }
            let ended = conn.execute(
                "UPDATE promises SET status = ?3, ended_at = ?4, end_note = ?5
                 WHERE id = ?1 AND case_id = ?2 AND status = 'pending'",
                params![e.id, case_id, e.status, at, e.note],
            )?;
            if ended != 1 {
                return Err(conflict(format!(
                    "promise {} is not there, or ended already",
                    e.id
                )));
            }
        }
        Event::EvidenceAdded(e) => {
            if let Some(contact) = e.evidence.contact_id {
                own_contact(conn, case_id, contact)?;
            }
            if let Some(t) = e.evidence.captured_at {
                storable("capture time", t)?;
            }
            super::evidence::insert(conn, case_id, e.number, &e.evidence, at)?;
        }
        Event::EvidenceEdited(e) => {
            if let Some(field) = e
                .changes
                .keys()
                .find(|k| !EVIDENCE_EDITABLE.contains(&k.as_str()))
            {
                return Err(conflict(format!(
                    "an edit of evidence {}'s {field}, which never changes",
                    evidence_label(e.number)
                )));
            }
            let item = super::evidence::read(conn, case_id, e.number)?.ok_or_else(|| {
                conflict(format!(
                    "evidence {} is not there to edit",
                    evidence_label(e.number)
                ))
            })?;
            let f = changed(&item.fields, &e.changes)?;
            if let Some(contact) = f.contact_id.filter(|c| Some(*c) != item.fields.contact_id) {
                own_contact(conn, case_id, contact)?;
            }
            conn.execute(
                "UPDATE evidence SET contact_id = ?2, kind = ?3, note = ?4 WHERE id = ?1",
                params![item.id, f.contact_id, f.kind, f.note],
            )?;
        }
        Event::EvidenceRetracted(e) => {
            let marked = conn.execute(
                "UPDATE evidence SET retracted_at = ?4, retract_reason = ?5
                 WHERE case_id = ?1 AND number = ?2 AND sha256 = ?3 AND retracted_at IS NULL",
                params![case_id, e.number, e.sha256, at, e.reason],
            )?;
            if marked != 1 {
                return Err(conflict(format!(
                    "evidence {} is not there with that SHA-256, or was retracted already",
                    evidence_label(e.number)
                )));
            }
        }
        // A receipt went out in a contact of this case.
        Event::ReceiptGiven(e) => own_contact(conn, case_id, e.contact)?,
        Event::PacketBuilt(_)
        | Event::CaseImported(_)
        | Event::LedgerUpgraded(_)
        | Event::TimestampAdded(_) => {}
    }
    Ok(())
}

/// The next free row id of `table` (one of ours), as SQLite would pick it: what an add's
/// event names before its row is written.
pub(crate) fn next_id(conn: &Connection, table: &'static str) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"))?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(1))
}
