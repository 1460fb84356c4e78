//! Evidence rows. The file itself is in the vault before its row is written, so a row always
//! has its object; a crash between the two leaves an unreferenced object, which is harmless.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::{Store, StoreError, parse_opt_time, parse_retraction, parse_time, retraction_reason};
use crate::clock::{to_stored, truncate};
use crate::ledger::{Event, event};
use crate::model::*;

/// The outcome of adding a file to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceAdded {
    /// A new evidence row with this number.
    New(u32),
    /// The case already holds this content as evidence with this number; nothing was added.
    AlreadyPresent(u32),
    /// The case holds this content as an item that was retracted; nothing was added.
    AlreadyRetracted(u32),
}

const EVIDENCE_COLUMNS: &str = "id, case_id, number, contact_id, kind, sha256, size_bytes,
    original_name, media_type, imported_at, captured_at, source, note, retracted_at,
    retract_reason, audio, duration_ms, sample_rate, channels, device, recovered";

type RawEvidence = (Evidence, String, [Option<String>; 3]);

fn evidence_from_row(r: &Row<'_>) -> rusqlite::Result<RawEvidence> {
    let evidence = Evidence {
        id: r.get(0)?,
        case_id: r.get(1)?,
        number: r.get(2)?,
        fields: EvidenceFields {
            contact_id: r.get(3)?,
            kind: r.get(4)?,
            sha256: r.get(5)?,
            size_bytes: r.get(6)?,
            original_name: r.get(7)?,
            media_type: r.get(8)?,
            captured_at: None,
            source: r.get(11)?,
            note: r.get(12)?,
            audio: if r.get::<_, bool>(15)? {
                Some(AudioInfo {
                    duration_ms: r.get(16)?,
                    sample_rate: r.get(17)?,
                    channels: r.get(18)?,
                    device: r.get(19)?,
                    recovered: r.get(20)?,
                    bookmarks: Vec::new(),
                })
            } else {
                None
            },
        },
        imported_at: DateTime::UNIX_EPOCH,
        retracted: None,
    };
    Ok((evidence, r.get(9)?, [r.get(10)?, r.get(13)?, r.get(14)?]))
}

fn finish((mut e, imported, times): RawEvidence) -> Result<Evidence, StoreError> {
    let [captured, retracted_at, retract_reason] = times;
    e.imported_at = parse_time("evidence", e.id.0, &imported)?;
    e.fields.captured_at = parse_opt_time("evidence", e.id.0, captured)?;
    e.retracted = parse_retraction("evidence", e.id.0, retracted_at, retract_reason)?;
    Ok(e)
}

/// Writes an evidence row and its bookmarks (the projector's `evidence.added`).
pub(super) fn insert(
    conn: &rusqlite::Connection,
    case_id: CaseId,
    number: u32,
    fields: &EvidenceFields,
    at: &str,
) -> Result<(), StoreError> {
    let audio = fields.audio.as_ref();
    conn.prepare_cached(
        "INSERT INTO evidence (case_id, number, contact_id, kind, sha256, size_bytes,
            original_name, media_type, imported_at, captured_at, source, note,
            audio, duration_ms, sample_rate, channels, device, recovered)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
            ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        case_id,
        number,
        fields.contact_id,
        fields.kind,
        fields.sha256,
        fields.size_bytes,
        fields.original_name,
        fields.media_type,
        at,
        fields.captured_at.map(to_stored),
        fields.source,
        fields.note,
        audio.is_some(),
        audio.and_then(|a| a.duration_ms),
        audio.and_then(|a| a.sample_rate),
        audio.and_then(|a| a.channels),
        audio.and_then(|a| a.device.as_deref()),
        audio.is_some_and(|a| a.recovered),
    ])?;
    if let Some(audio) = audio {
        let id = conn.last_insert_rowid();
        let mut insert = conn.prepare_cached(
            "INSERT INTO bookmarks (evidence_id, offset_ms, note) VALUES (?1, ?2, ?3)",
        )?;
        for b in &audio.bookmarks {
            insert.execute(params![id, b.offset_ms, b.note])?;
        }
    }
    Ok(())
}

/// An evidence item read inside a caller's transaction, without its bookmarks (the
/// projector's view of the row).
pub(super) fn read(
    conn: &rusqlite::Connection,
    case_id: CaseId,
    number: u32,
) -> Result<Option<Evidence>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE case_id = ?1 AND number = ?2"
    ))?
    .query_row(params![case_id, number], evidence_from_row)
    .optional()?
    .map(finish)
    .transpose()
}

/// The case's evidence rows this build cannot read, and why.
pub(super) fn unreadable(
    conn: &rusqlite::Connection,
    case_id: CaseId,
) -> Result<Vec<(String, String)>, StoreError> {
    super::check::unreadable_in(
        conn,
        &format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE case_id = ?1 ORDER BY number, id"),
        case_id,
        |r| {
            Ok(match r.get::<_, u32>(2) {
                Ok(n) => format!("evidence {}", evidence_label(n)),
                Err(_) => format!("evidence row {}", r.get::<_, i64>(0)?),
            })
        },
        |r| {
            evidence_from_row(r)
                .map_err(StoreError::from)
                .and_then(finish)
        },
    )
}

impl Store {
    /// Adds a file already stored in the vault as evidence of a case. The same content twice
    /// in one case is reported, not duplicated.
    pub fn add_evidence(
        &mut self,
        case_id: CaseId,
        fields: &EvidenceFields,
        now: DateTime<Utc>,
    ) -> Result<EvidenceAdded, StoreError> {
        self.case(case_id)?;
        // As every typed text: no escape sequence into a terminal or a letter later.
        super::no_control("note", fields.note.as_deref(), true)?;
        if let Some(contact_id) = fields.contact_id {
            self.check_contact_in_case(contact_id, case_id)?;
        }
        let now = truncate(now);
        let mut fields = EvidenceFields {
            captured_at: fields.captured_at.map(truncate),
            ..fields.clone()
        };
        if let Some(audio) = &mut fields.audio {
            audio.bookmarks.sort_by_key(|b| b.offset_ms);
        }
        let tx = self.write()?;
        // Again inside the transaction: the contact may have been retracted meanwhile.
        if let Some(contact_id) = fields.contact_id {
            super::contacts::check_in_case(&tx, contact_id, case_id)?;
        }
        let existing: Option<(u32, Option<String>)> = tx
            .prepare_cached(
                "SELECT number, retracted_at FROM evidence WHERE case_id = ?1 AND sha256 = ?2",
            )?
            .query_row(params![case_id, fields.sha256], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match existing {
            Some((number, None)) => return Ok(EvidenceAdded::AlreadyPresent(number)),
            Some((number, Some(_))) => return Ok(EvidenceAdded::AlreadyRetracted(number)),
            None => {}
        }
        let number: u32 = tx
            .prepare_cached("SELECT coalesce(max(number), 0) + 1 FROM evidence WHERE case_id = ?1")?
            .query_row([case_id], |r| r.get(0))?;
        let event = Event::EvidenceAdded(event::EvidenceAdded {
            evidence: fields,
            number,
        });
        super::apply(&tx, case_id, now, &event)?;
        tx.commit()?;
        Ok(EvidenceAdded::New(number))
    }

    /// Takes an evidence item back: the row stays, marked, and the file stays in the vault
    /// (a packet lists it as retracted), so nothing that was once shown is silently gone.
    pub fn retract_evidence(
        &mut self,
        case_id: CaseId,
        number: u32,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = retraction_reason(reason)?;
        let item = self
            .evidence(case_id)?
            .into_iter()
            .find(|e| e.number == number)
            .ok_or(StoreError::NotFound {
                what: "evidence item",
                id: i64::from(number),
                hint: "`recourse case show CASE` lists a case's evidence as E001, E002, …",
            })?;
        if let Some(r) = &item.retracted {
            return Err(StoreError::Invalid {
                field: "evidence",
                reason: format!(
                    "{} was already retracted at {}; nothing changed",
                    item.label(),
                    crate::clock::show_local(r.at)
                ),
            });
        }
        let tx = self.write()?;
        // Checked again inside the transaction: the app and a command may race to retract it.
        if read(&tx, case_id, number)?.is_none_or(|e| e.retracted.is_some()) {
            return Err(StoreError::Invalid {
                field: "retracted",
                reason:
                    "it was retracted meanwhile (by another window or command); nothing changed"
                        .into(),
            });
        }
        let event = Event::EvidenceRetracted(event::EvidenceRetracted {
            number,
            reason,
            sha256: item.fields.sha256,
        });
        super::apply(&tx, case_id, now, &event)?;
        tx.commit()?;
        Ok(())
    }

    /// Changes what an evidence item is said to be — the contact it belongs to, its kind, the
    /// consumer's note — and records each change (`evidence.edited`, `{number, changes}`). The
    /// file and its hash never change. The item is read inside the write transaction, so an
    /// edit from another window or command in between is neither reverted nor lost. Returns
    /// the changes (empty: nothing written).
    pub fn edit_evidence(
        &mut self,
        case_id: CaseId,
        number: u32,
        edit: &EvidenceEdit,
        now: DateTime<Utc>,
    ) -> Result<std::collections::BTreeMap<String, super::Change>, StoreError> {
        let note = match &edit.note {
            Some(note) => {
                super::no_control("note", note.as_deref(), true)?;
                Some(
                    note.as_deref()
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned),
                )
            }
            None => None,
        };
        let now = truncate(now);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let item = tx
            .query_row(
                &format!(
                    "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE case_id = ?1 AND number = ?2"
                ),
                params![case_id, number],
                evidence_from_row,
            )
            .optional()?
            .map(finish)
            .transpose()?
            .ok_or(StoreError::NotFound {
                what: "evidence item",
                id: i64::from(number),
                hint: "`recourse case show CASE` lists a case's evidence as E001, E002, …",
            })?;
        if item.retracted.is_some() {
            return Err(StoreError::Invalid {
                field: "evidence",
                reason: format!(
                    "{} is retracted; a retracted item is not changed",
                    item.label()
                ),
            });
        }
        let mut fields = item.fields.clone();
        if let Some(contact) = edit.contact_id {
            // Checked only when it changes (an item may stay with a contact retracted since),
            // and inside the transaction, so a retraction cannot slip in between.
            if let Some(c) = contact.filter(|c| Some(*c) != item.fields.contact_id) {
                let found: Option<(CaseId, Option<String>)> = tx
                    .query_row(
                        "SELECT case_id, retracted_at FROM contacts WHERE id = ?1",
                        [c],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                match found {
                    None => {
                        return Err(StoreError::NotFound {
                            what: "contact",
                            id: c.0,
                            hint: "`recourse case show CASE` lists a case's contacts",
                        });
                    }
                    Some((other, _)) if other != case_id => {
                        return Err(StoreError::Invalid {
                            field: "contact",
                            reason: format!(
                                "contact {c} belongs to case {other}, not case {case_id}; `recourse case show {case_id}` lists this case's contacts"
                            ),
                        });
                    }
                    Some((_, Some(_))) => {
                        return Err(StoreError::Invalid {
                            field: "contact",
                            reason: format!("contact {c} was retracted; link to another contact"),
                        });
                    }
                    Some(_) => {}
                }
            }
            fields.contact_id = contact;
        }
        if let Some(kind) = edit.kind {
            fields.kind = kind;
        }
        if let Some(note) = note {
            fields.note = note;
        }
        let changes = super::cases::diff(&item.fields, &fields);
        if changes.is_empty() {
            return Ok(changes);
        }
        let event = Event::EvidenceEdited(event::EvidenceEdited {
            changes: changes.clone(),
            number,
        });
        super::apply(&tx, case_id, now, &event)?;
        tx.commit()?;
        Ok(changes)
    }

    /// A case's evidence by number.
    pub fn evidence(&self, case_id: CaseId) -> Result<Vec<Evidence>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE case_id = ?1 ORDER BY number"
        ))?;
        let rows = stmt.query_map([case_id], evidence_from_row)?;
        let mut items = rows.map(|r| finish(r?)).collect::<Result<Vec<_>, _>>()?;
        self.attach_bookmarks(
            &mut items,
            "SELECT b.evidence_id, b.offset_ms, b.note FROM bookmarks b
             JOIN evidence e ON e.id = b.evidence_id WHERE e.case_id = ?1
             ORDER BY b.evidence_id, b.offset_ms, b.id",
            [case_id.0],
        )?;
        Ok(items)
    }

    /// Puts each recording's bookmarks in its audio facts.
    fn attach_bookmarks(
        &self,
        items: &mut [Evidence],
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<(), StoreError> {
        if !items.iter().any(|e| e.fields.audio.is_some()) {
            return Ok(());
        }
        let by_id: std::collections::HashMap<i64, usize> =
            items.iter().enumerate().map(|(i, e)| (e.id.0, i)).collect();
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if let Some(audio) = by_id.get(&id).and_then(|&i| items[i].fields.audio.as_mut()) {
                audio.bookmarks.push(Bookmark {
                    offset_ms: r.get(1)?,
                    note: r.get(2)?,
                });
            }
        }
        Ok(())
    }

    /// Every evidence row of every case, for the vault check.
    pub fn all_evidence(&self) -> Result<Vec<Evidence>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence ORDER BY case_id, number"
        ))?;
        let rows = stmt.query_map([], evidence_from_row)?;
        let mut items = rows.map(|r| finish(r?)).collect::<Result<Vec<_>, _>>()?;
        self.attach_bookmarks(
            &mut items,
            "SELECT evidence_id, offset_ms, note FROM bookmarks ORDER BY evidence_id, offset_ms, id",
            [],
        )?;
        Ok(items)
    }

    /// Every evidence row's case, number and object, read as stored (rows whose number or
    /// SHA-256 cannot be read are left out: fsck names them as unreadable rows).
    pub fn evidence_objects(&self) -> Result<Vec<(CaseId, u32, crate::vault::Sha256)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT case_id, number, sha256 FROM evidence ORDER BY case_id, number")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            if let (Ok(case), Ok(number), Ok(sha)) = (r.get(0), r.get(1), r.get(2)) {
                out.push((case, number, sha));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;
    use crate::vault::Sha256;

    fn fields(content: &[u8]) -> EvidenceFields {
        EvidenceFields {
            contact_id: None,
            kind: EvidenceKind::Screenshot,
            sha256: Sha256::of(content),
            size_bytes: content.len() as u64,
            original_name: "주문내역.png".into(),
            media_type: "image/png".into(),
            captured_at: None,
            source: EvidenceSource::FileImport,
            note: None,
            audio: None,
        }
    }

    #[test]
    fn same_content_twice_in_a_case_is_one_row_but_two_cases_get_one_each() {
        let (_dir, mut store) = store();
        let a = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let b = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let now = t("2026-11-20T06:00:00Z");
        assert_eq!(
            store.add_evidence(a, &fields(b"one"), now).unwrap(),
            EvidenceAdded::New(1)
        );
        assert_eq!(
            store.add_evidence(a, &fields(b"two"), now).unwrap(),
            EvidenceAdded::New(2)
        );
        assert_eq!(
            store.add_evidence(a, &fields(b"one"), now).unwrap(),
            EvidenceAdded::AlreadyPresent(1)
        );
        assert_eq!(
            store.add_evidence(b, &fields(b"one"), now).unwrap(),
            EvidenceAdded::New(1)
        );
        assert_eq!(store.evidence(a).unwrap().len(), 2);
        assert_eq!(store.all_evidence().unwrap().len(), 3);
        // case.created + two evidence.added for case a; the duplicate wrote nothing.
        assert_eq!(store.ledger_head(a).unwrap().length, 3);
        assert_eq!(store.evidence(a).unwrap()[1].label(), "E002");
    }

    #[test]
    fn an_evidence_edit_in_the_history_names_its_item_not_its_case() {
        let (_dir, mut store) = store();
        let now = t("2026-11-20T07:00:00Z");
        store.create_case(&case_fields(), now).unwrap();
        let case = store.create_case(&case_fields(), now).unwrap();
        for content in [b"one".as_slice(), b"two"] {
            store.add_evidence(case, &fields(content), now).unwrap();
        }
        let edit = EvidenceEdit {
            note: Some(Some("주문 화면".into())),
            ..EvidenceEdit::default()
        };
        store.edit_evidence(case, 1, &edit, now).unwrap();
        let edits = store.case_detail(case, now).unwrap().edits;
        assert_eq!(
            edits
                .iter()
                .map(|e| (e.record.as_str(), e.id))
                .collect::<Vec<_>>(),
            [("evidence", 1)],
            "E001 of case 2, not \"evidence 2\""
        );
    }

    #[test]
    fn an_edit_changes_contact_kind_and_note_records_each_and_replays_to_the_row() {
        let (_dir, mut store) = store();
        let case = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let contact = store
            .add_contact(
                case,
                &contact_fields("2026-11-20T06:00:00Z"),
                t("2026-11-20T06:10:00Z"),
            )
            .unwrap();
        let now = t("2026-11-20T07:00:00Z");
        store.add_evidence(case, &fields(b"chat"), now).unwrap();
        let edit = EvidenceEdit {
            contact_id: Some(Some(contact)),
            kind: Some(EvidenceKind::Chat),
            note: Some(Some("  상담 채팅 화면  ".into())),
        };
        let changes = store.edit_evidence(case, 1, &edit, now).unwrap();
        assert_eq!(
            changes.keys().map(String::as_str).collect::<Vec<_>>(),
            ["contact_id", "kind", "note"]
        );
        let item = &store.evidence(case).unwrap()[0];
        assert_eq!(item.fields.contact_id, Some(contact));
        assert_eq!(item.fields.kind, EvidenceKind::Chat);
        assert_eq!(item.fields.note.as_deref(), Some("상담 채팅 화면"));
        assert_eq!(item.fields.sha256, Sha256::of(b"chat"));
        // The payload, byte for byte (written here by hand from the format, not by the code).
        let last = store.ledger(case).unwrap().pop().unwrap();
        assert_eq!(last.kind, "evidence.edited");
        assert_eq!(
            last.payload,
            format!(
                r#"{{"changes":{{"contact_id":{{"from":null,"to":{}}},"kind":{{"from":"screenshot","to":"chat"}},"note":{{"from":null,"to":"상담 채팅 화면"}}}},"number":1}}"#,
                contact.0
            )
        );
        // The ledger replays to exactly the row.
        let replayed = crate::ledger::replay(&store.ledger(case).unwrap()).unwrap();
        let row = serde_json::to_value(&item.fields).unwrap();
        assert_eq!(
            serde_json::Value::Object(replayed.evidence[&1].fields.clone()),
            row
        );
        // The same again changes nothing and writes nothing.
        let length = store.ledger_head(case).unwrap().length;
        assert!(store.edit_evidence(case, 1, &edit, now).unwrap().is_empty());
        assert_eq!(store.ledger_head(case).unwrap().length, length);
        // Only what is given changes: a note from elsewhere is not reverted by a kind edit.
        let kind_only = EvidenceEdit {
            kind: Some(EvidenceKind::Document),
            ..EvidenceEdit::default()
        };
        store.edit_evidence(case, 1, &kind_only, now).unwrap();
        let item = &store.evidence(case).unwrap()[0];
        assert_eq!(item.fields.note.as_deref(), Some("상담 채팅 화면"));
        assert_eq!(item.fields.kind, EvidenceKind::Document);
        // Its contact retracted since, the item can still be changed otherwise.
        store
            .retract_contact(contact, "다른 사건의 통화", now)
            .unwrap();
        let note_only = EvidenceEdit {
            note: Some(None),
            ..EvidenceEdit::default()
        };
        store.edit_evidence(case, 1, &note_only, now).unwrap();
        assert_eq!(store.evidence(case).unwrap()[0].fields.note, None);
        // A retracted item is not changed; nor is an unknown one.
        store.retract_evidence(case, 1, "잘못 올림", now).unwrap();
        let blank = EvidenceEdit {
            kind: Some(EvidenceKind::Other),
            ..EvidenceEdit::default()
        };
        assert!(matches!(
            store.edit_evidence(case, 1, &blank, now),
            Err(StoreError::Invalid {
                field: "evidence",
                ..
            })
        ));
        assert!(matches!(
            store.edit_evidence(case, 7, &blank, now),
            Err(StoreError::NotFound { .. })
        ));
    }
}
