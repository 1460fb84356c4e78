//! Contacts: log, edit, list.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::{
    Change, Store, StoreError, parse_opt_time, parse_retraction, parse_time, retraction_reason,
};
use crate::clock::{to_stored, truncate};
use crate::ledger::Event;
use crate::ledger::event::{ContactAdded, ContactRetracted, Edited};
use crate::model::*;
use std::collections::BTreeMap;

const CONTACT_COLUMNS: &str = "id, case_id, started_at, ended_at, channel, direction, tier,
    agent_name, agent_id, reference, summary, claimed, offered, outcome, recording_announced,
    created_at, edited_at, retracted_at, retract_reason";

type RawContact = (ContactId, CaseId, [Option<String>; 6], ContactFieldsNoTimes);

/// The contact's fields other than its times, as read from a row.
struct ContactFieldsNoTimes {
    channel: Channel,
    direction: Direction,
    tier: Tier,
    agent_name: Option<String>,
    agent_id: Option<String>,
    reference: Option<String>,
    summary: String,
    claimed: Option<String>,
    offered: Option<String>,
    outcome: Outcome,
    recording_announced: bool,
}

fn contact_from_row(r: &Row<'_>) -> rusqlite::Result<RawContact> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        [
            r.get(2)?,
            r.get(3)?,
            r.get(15)?,
            r.get(16)?,
            r.get(17)?,
            r.get(18)?,
        ],
        ContactFieldsNoTimes {
            channel: r.get(4)?,
            direction: r.get(5)?,
            tier: r.get(6)?,
            agent_name: r.get(7)?,
            agent_id: r.get(8)?,
            reference: r.get(9)?,
            summary: r.get(10)?,
            claimed: r.get(11)?,
            offered: r.get(12)?,
            outcome: r.get(13)?,
            recording_announced: r.get(14)?,
        },
    ))
}

fn finish((id, case_id, times, f): RawContact) -> Result<Contact, StoreError> {
    let [
        started,
        ended,
        created,
        edited,
        retracted_at,
        retract_reason,
    ] = times;
    let n = id.0;
    Ok(Contact {
        id,
        case_id,
        fields: ContactFields {
            started_at: parse_time("contact", n, started.as_deref().unwrap_or(""))?,
            ended_at: parse_opt_time("contact", n, ended)?,
            channel: f.channel,
            direction: f.direction,
            tier: f.tier,
            agent_name: f.agent_name,
            agent_id: f.agent_id,
            reference: f.reference,
            summary: f.summary,
            claimed: f.claimed,
            offered: f.offered,
            outcome: f.outcome,
            recording_announced: f.recording_announced,
        },
        created_at: parse_time("contact", n, created.as_deref().unwrap_or(""))?,
        edited_at: parse_opt_time("contact", n, edited)?,
        retracted: parse_retraction("contact", n, retracted_at, retract_reason)?,
    })
}

fn validate(f: &ContactFields) -> Result<(), StoreError> {
    for (field, value) in [
        ("agent_name", f.agent_name.as_deref()),
        ("agent_id", f.agent_id.as_deref()),
        ("reference", f.reference.as_deref()),
    ] {
        super::no_control(field, value, false)?;
    }
    for (field, value) in [
        ("summary", Some(f.summary.as_str())),
        ("claimed", f.claimed.as_deref()),
        ("offered", f.offered.as_deref()),
    ] {
        super::no_control(field, value, true)?;
    }
    if f.summary.trim().is_empty() {
        return Err(StoreError::Invalid {
            field: "summary",
            reason: "say in a sentence what happened; give --summary".into(),
        });
    }
    if let Some(ended) = f.ended_at
        && ended < f.started_at
    {
        return Err(StoreError::Invalid {
            field: "ended",
            reason: format!(
                "the contact ends ({}) before it starts ({}); check --at and --ended",
                to_stored(ended),
                to_stored(f.started_at)
            ),
        });
    }
    Ok(())
}

pub(super) fn write_fields(
    tx: &rusqlite::Connection,
    id: ContactId,
    f: &ContactFields,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE contacts SET started_at = ?2, ended_at = ?3, channel = ?4, direction = ?5,
            tier = ?6, agent_name = ?7, agent_id = ?8, reference = ?9, summary = ?10,
            claimed = ?11, offered = ?12, outcome = ?13, recording_announced = ?14
         WHERE id = ?1",
        params![
            id,
            to_stored(f.started_at),
            f.ended_at.map(to_stored),
            f.channel,
            f.direction,
            f.tier,
            f.agent_name,
            f.agent_id,
            f.reference,
            f.summary,
            f.claimed,
            f.offered,
            f.outcome,
            f.recording_announced,
        ],
    )?;
    Ok(())
}

/// Times are kept to the second everywhere, so what is hashed is what is shown.
/// A contact read inside a caller's transaction (the projector's view of the row).
pub(super) fn read(
    conn: &rusqlite::Connection,
    id: ContactId,
) -> Result<Option<Contact>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = ?1"
    ))?
    .query_row([id], contact_from_row)
    .optional()?
    .map(finish)
    .transpose()
}

/// The case's contact rows this build cannot read, and why.
pub(super) fn unreadable(
    conn: &rusqlite::Connection,
    case_id: CaseId,
) -> Result<Vec<(String, String)>, StoreError> {
    super::check::unreadable_in(
        conn,
        &format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE case_id = ?1 ORDER BY id"),
        case_id,
        |r| Ok(format!("contact {}", r.get::<_, i64>(0)?)),
        |r| {
            contact_from_row(r)
                .map_err(StoreError::from)
                .and_then(finish)
        },
    )
}

/// Checks, inside a caller's transaction, that a contact exists, belongs to `case_id` and is not
/// retracted.
pub(super) fn check_in_case(
    conn: &rusqlite::Connection,
    contact_id: ContactId,
    case_id: CaseId,
) -> Result<(), StoreError> {
    let contact = read(conn, contact_id)?.ok_or(StoreError::NotFound {
        what: "contact",
        id: contact_id.0,
        hint: "`recourse case show CASE` lists a case's contacts",
    })?;
    if contact.case_id != case_id {
        return Err(StoreError::Invalid {
            field: "contact",
            reason: format!(
                "contact {contact_id} belongs to case {}, not case {case_id}; `recourse case show {case_id}` lists this case's contacts",
                contact.case_id
            ),
        });
    }
    if let Some(r) = &contact.retracted {
        return Err(StoreError::Invalid {
            field: "contact",
            reason: format!(
                "contact {contact_id} was retracted ({}); link to another contact",
                r.reason
            ),
        });
    }
    Ok(())
}

fn normalised(f: &ContactFields) -> ContactFields {
    ContactFields {
        started_at: truncate(f.started_at),
        ended_at: f.ended_at.map(truncate),
        ..f.clone()
    }
}

impl Store {
    /// Logs a contact in a case; returns its id.
    pub fn add_contact(
        &mut self,
        case_id: CaseId,
        fields: &ContactFields,
        now: DateTime<Utc>,
    ) -> Result<ContactId, StoreError> {
        validate(fields)?;
        let fields = normalised(fields);
        self.case(case_id)?;
        let tx = self.write()?;
        let id = ContactId(super::project::next_id(&tx, "contacts")?);
        let event = Event::ContactAdded(ContactAdded {
            contact: fields,
            id,
        });
        super::apply(&tx, case_id, now, &event)?;
        tx.commit()?;
        Ok(id)
    }

    /// Reads a contact.
    pub fn contact(&self, id: ContactId) -> Result<Contact, StoreError> {
        let raw = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = ?1"
            ))?
            .query_row([id], contact_from_row)
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "contact",
                id: id.0,
                hint: "`recourse case show CASE` lists a case's contacts",
            })?;
        finish(raw)
    }

    /// Takes a contact back: it stays, marked retracted with the reason, and the ledger says so.
    pub fn retract_contact(
        &mut self,
        id: ContactId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = retraction_reason(reason)?;
        let contact = self.contact(id)?;
        if let Some(r) = &contact.retracted {
            return Err(StoreError::Invalid {
                field: "retracted",
                reason: format!(
                    "contact {id} was already retracted at {}; nothing changed",
                    crate::clock::show_local(r.at)
                ),
            });
        }
        let tx = self.write()?;
        // Checked again inside the transaction: the app and a command may race to retract it.
        if read(&tx, id)?.is_none_or(|c| c.retracted.is_some()) {
            return Err(StoreError::Invalid {
                field: "retracted",
                reason:
                    "it was retracted meanwhile (by another window or command); nothing changed"
                        .into(),
            });
        }
        let event = Event::ContactRetracted(ContactRetracted { id, reason });
        super::apply(&tx, contact.case_id, now, &event)?;
        tx.commit()?;
        Ok(())
    }

    /// Checks that a contact exists and belongs to `case_id` (a promise or evidence may only
    /// point at its own case's contacts).
    pub fn check_contact_in_case(
        &self,
        contact_id: ContactId,
        case_id: CaseId,
    ) -> Result<(), StoreError> {
        check_in_case(&self.conn, contact_id, case_id)
    }

    /// A case's contacts, oldest first.
    pub fn contacts(&self, case_id: CaseId) -> Result<Vec<Contact>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE case_id = ?1 ORDER BY started_at, id"
        ))?;
        let rows = stmt.query_map([case_id], contact_from_row)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Every contact in which a still-pending promise was made.
    pub(super) fn contacts_with_pending_promises(&self) -> Result<Vec<Contact>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts
             WHERE id IN (SELECT contact_id FROM promises WHERE status = 'pending')
             ORDER BY case_id, started_at, id"
        ))?;
        let rows = stmt.query_map([], contact_from_row)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Replaces a contact's fields; records what changed. Returns the changes (empty: nothing
    /// written).
    pub fn edit_contact(
        &mut self,
        id: ContactId,
        base: &ContactFields,
        fields: &ContactFields,
        now: DateTime<Utc>,
    ) -> Result<BTreeMap<String, Change>, StoreError> {
        validate(fields)?;
        let (base, fields) = (normalised(base), normalised(fields));
        let tx = self.write()?;
        let current = read(&tx, id)?.ok_or(StoreError::NotFound {
            what: "contact",
            id: id.0,
            hint: "`recourse case show CASE` lists a case's contacts",
        })?;
        let (merged, changes) = super::merge_edit(&current.fields, &base, &fields)?;
        if changes.is_empty() {
            return Ok(changes);
        }
        validate(&merged)?;
        let event = Event::ContactEdited(Edited {
            changes: changes.clone(),
            id,
        });
        super::apply(&tx, current.case_id, now, &event)?;
        tx.commit()?;
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    #[test]
    fn log_and_edit_a_contact() {
        let (_dir, mut store) = store();
        let case = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let fields = contact_fields("2026-11-20T06:00:00Z");
        let id = store
            .add_contact(case, &fields, t("2026-11-20T06:10:00Z"))
            .unwrap();
        assert_eq!(store.contact(id).unwrap().fields, fields);

        let mut edited = fields.clone();
        edited.reference = Some("상담번호 A-1029".into());
        let changes = store
            .edit_contact(id, &fields, &edited, t("2026-11-20T07:00:00Z"))
            .unwrap();
        assert_eq!(changes["reference"].from, serde_json::Value::Null);
        let contact = store.contact(id).unwrap();
        assert_eq!(contact.fields.reference.as_deref(), Some("상담번호 A-1029"));
        assert_eq!(contact.edited_at, Some(t("2026-11-20T07:00:00Z")));
        let detail = store.case_detail(case, t("2026-11-20T08:00:00Z")).unwrap();
        assert_eq!(detail.edits[0].record, "contact");
        assert_eq!(detail.edits[0].id, id.0);
    }

    #[test]
    fn a_contact_cannot_end_before_it_starts_or_join_a_missing_case() {
        let (_dir, mut store) = store();
        let case = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let mut fields = contact_fields("2026-11-20T06:00:00Z");
        fields.ended_at = Some(t("2026-11-20T05:00:00Z"));
        assert!(matches!(
            store.add_contact(case, &fields, t("2026-11-20T06:10:00Z")),
            Err(StoreError::Invalid { field: "ended", .. })
        ));
        let fields = contact_fields("2026-11-20T06:00:00Z");
        assert!(matches!(
            store.add_contact(CaseId(42), &fields, t("2026-11-20T06:10:00Z")),
            Err(StoreError::NotFound { what: "case", .. })
        ));
        assert_eq!(store.ledger_head(case).unwrap().length, 1);
    }
}
