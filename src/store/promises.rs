//! Promises: record with the five answers, edit, end, list.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::{Change, Store, StoreError, parse_opt_time, parse_time};
use crate::clock::{to_stored, truncate};
use crate::ledger::Event;
use crate::ledger::event::{Edited, PromiseAdded, PromiseEnded};
use crate::model::*;

const PROMISE_COLUMNS: &str = "id, case_id, contact_id, promised_by, what, due_at,
    scope_said, scope_is, method_said, method_is, resolution_said, resolution_is,
    authority_said, authority_is, continuity_said, continuity_is,
    status, ended_at, end_note, created_at, edited_at";

type RawPromise = (Promise, [Option<String>; 4]);

fn promise_from_row(r: &Row<'_>) -> rusqlite::Result<RawPromise> {
    let answer = |i: usize| -> rusqlite::Result<Answer> {
        Ok(Answer {
            said: r.get(i)?,
            assessment: r.get(i + 1)?,
        })
    };
    let promise = Promise {
        id: r.get(0)?,
        case_id: r.get(1)?,
        fields: PromiseFields {
            contact_id: r.get(2)?,
            promised_by: r.get(3)?,
            what: r.get(4)?,
            due_at: DateTime::UNIX_EPOCH,
            answers: FiveAnswers {
                scope: answer(6)?,
                method: answer(8)?,
                resolution: answer(10)?,
                authority: answer(12)?,
                continuity: answer(14)?,
            },
        },
        status: r.get(16)?,
        ended_at: None,
        end_note: r.get(18)?,
        created_at: DateTime::UNIX_EPOCH,
        edited_at: None,
    };
    Ok((promise, [r.get(5)?, r.get(17)?, r.get(19)?, r.get(20)?]))
}

fn finish((mut p, times): RawPromise) -> Result<Promise, StoreError> {
    let [due, ended, created, edited] = times;
    let n = p.id.0;
    p.fields.due_at = parse_time("promise", n, due.as_deref().unwrap_or(""))?;
    p.ended_at = parse_opt_time("promise", n, ended)?;
    p.created_at = parse_time("promise", n, created.as_deref().unwrap_or(""))?;
    p.edited_at = parse_opt_time("promise", n, edited)?;
    Ok(p)
}

pub(super) fn write_fields(
    tx: &rusqlite::Connection,
    id: PromiseId,
    f: &PromiseFields,
) -> Result<(), StoreError> {
    let a = &f.answers;
    tx.execute(
        "UPDATE promises SET contact_id = ?2, promised_by = ?3, what = ?4, due_at = ?5,
            scope_said = ?6, scope_is = ?7, method_said = ?8, method_is = ?9,
            resolution_said = ?10, resolution_is = ?11, authority_said = ?12,
            authority_is = ?13, continuity_said = ?14, continuity_is = ?15
         WHERE id = ?1",
        params![
            id,
            f.contact_id,
            f.promised_by,
            f.what,
            to_stored(f.due_at),
            a.scope.said,
            a.scope.assessment,
            a.method.said,
            a.method.assessment,
            a.resolution.said,
            a.resolution.assessment,
            a.authority.said,
            a.authority.assessment,
            a.continuity.said,
            a.continuity.assessment,
        ],
    )?;
    Ok(())
}

/// A promise read inside a caller's transaction (the projector's view of the row).
pub(super) fn read(
    conn: &rusqlite::Connection,
    id: PromiseId,
) -> Result<Option<Promise>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {PROMISE_COLUMNS} FROM promises WHERE id = ?1"
    ))?
    .query_row([id], promise_from_row)
    .optional()?
    .map(finish)
    .transpose()
}

/// The case's promise rows this build cannot read, and why.
pub(super) fn unreadable(
    conn: &rusqlite::Connection,
    case_id: CaseId,
) -> Result<Vec<(String, String)>, StoreError> {
    super::check::unreadable_in(
        conn,
        &format!("SELECT {PROMISE_COLUMNS} FROM promises WHERE case_id = ?1 ORDER BY id"),
        case_id,
        |r| Ok(format!("promise {}", r.get::<_, i64>(0)?)),
        |r| {
            promise_from_row(r)
                .map_err(StoreError::from)
                .and_then(finish)
        },
    )
}

impl Store {
    fn validate_promise(&self, case_id: CaseId, f: &PromiseFields) -> Result<(), StoreError> {
        super::no_control("what", Some(&f.what), true)?;
        super::no_control("promised_by", f.promised_by.as_deref(), false)?;
        for q in crate::model::Question::ALL {
            super::no_control("answers", Some(&f.answers.get(q).said), true)?;
        }
        if f.what.trim().is_empty() {
            return Err(StoreError::Invalid {
                field: "what",
                reason: "say what was promised; give --what".into(),
            });
        }
        self.check_contact_in_case(f.contact_id, case_id)
    }

    /// Records a promise made in one of the case's contacts; returns its id.
    pub fn add_promise(
        &mut self,
        case_id: CaseId,
        fields: &PromiseFields,
        now: DateTime<Utc>,
    ) -> Result<PromiseId, StoreError> {
        self.case(case_id)?;
        self.validate_promise(case_id, fields)?;
        let fields = PromiseFields {
            due_at: truncate(fields.due_at),
            ..fields.clone()
        };
        let tx = self.write()?;
        // Again inside the transaction: the contact may have been retracted meanwhile.
        super::contacts::check_in_case(&tx, fields.contact_id, case_id)?;
        let id = PromiseId(super::project::next_id(&tx, "promises")?);
        let event = Event::PromiseAdded(PromiseAdded {
            id,
            promise: fields,
        });
        super::apply(&tx, case_id, now, &event)?;
        tx.commit()?;
        Ok(id)
    }

    /// Reads a promise.
    pub fn promise(&self, id: PromiseId) -> Result<Promise, StoreError> {
        let raw = self
            .conn
            .prepare_cached(&format!(
                "SELECT {PROMISE_COLUMNS} FROM promises WHERE id = ?1"
            ))?
            .query_row([id], promise_from_row)
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "promise",
                id: id.0,
                hint: "`recourse case show CASE` lists a case's promises",
            })?;
        finish(raw)
    }

    /// A case's promises by due time.
    pub fn promises(&self, case_id: CaseId) -> Result<Vec<Promise>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PROMISE_COLUMNS} FROM promises WHERE case_id = ?1 ORDER BY due_at, id"
        ))?;
        let rows = stmt.query_map([case_id], promise_from_row)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Every pending promise of a case not resolved or abandoned, by case and due time.
    pub(super) fn pending_promises_of_open_cases(&self) -> Result<Vec<Promise>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PROMISE_COLUMNS} FROM promises
             WHERE status = 'pending' AND case_id IN
                 (SELECT id FROM cases WHERE status NOT IN ('resolved', 'abandoned'))
             ORDER BY case_id, due_at, id"
        ))?;
        let rows = stmt.query_map([], promise_from_row)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Replaces a promise's fields (not its status); records what changed.
    pub fn edit_promise(
        &mut self,
        id: PromiseId,
        base: &PromiseFields,
        fields: &PromiseFields,
        now: DateTime<Utc>,
    ) -> Result<BTreeMap<String, Change>, StoreError> {
        let old = self.promise(id)?;
        self.validate_promise(old.case_id, fields)?;
        let due = |f: &PromiseFields| PromiseFields {
            due_at: truncate(f.due_at),
            ..f.clone()
        };
        let (base, fields) = (due(base), due(fields));
        let tx = self.write()?;
        let current = read(&tx, id)?.ok_or(StoreError::NotFound {
            what: "promise",
            id: id.0,
            hint: "`recourse case show CASE` lists a case's promises",
        })?;
        let (merged, changes) = super::merge_edit(&current.fields, &base, &fields)?;
        if changes.is_empty() {
            return Ok(changes);
        }
        if merged.contact_id != current.fields.contact_id {
            super::contacts::check_in_case(&tx, merged.contact_id, current.case_id)?;
        }
        let event = Event::PromiseEdited(Edited {
            changes: changes.clone(),
            id,
        });
        super::apply(&tx, current.case_id, now, &event)?;
        tx.commit()?;
        Ok(changes)
    }

    /// Marks a pending promise kept, broken or withdrawn.
    pub fn end_promise(
        &mut self,
        id: PromiseId,
        status: PromiseStatus,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let old = self.promise(id)?;
        if status == PromiseStatus::Pending {
            return Err(StoreError::Invalid {
                field: "status",
                reason: "a promise ends as kept, broken or withdrawn".into(),
            });
        }
        if old.status != PromiseStatus::Pending {
            return Err(StoreError::Invalid {
                field: "status",
                reason: format!(
                    "promise {id} already ended as {} at {}; nothing changed",
                    old.status,
                    old.ended_at
                        .map(crate::clock::show_local)
                        .unwrap_or_default()
                ),
            });
        }
        let now = truncate(now);
        super::no_control("note", note, true)?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let tx = self.write()?;
        // Checked again inside the transaction: the app and a command may race to end it.
        if read(&tx, id)?.is_none_or(|p| p.status != PromiseStatus::Pending) {
            return Err(StoreError::Invalid {
                field: "status",
                reason: format!("promise {id} was ended meanwhile; nothing changed"),
            });
        }
        let event = Event::PromiseEnded(PromiseEnded {
            id,
            note: note.map(str::to_owned),
            status,
        });
        super::apply(&tx, old.case_id, now, &event)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    fn promise_fields(contact_id: ContactId) -> PromiseFields {
        let answers = FiveAnswers {
            scope: Answer {
                said: "판매자 발송 여부".into(),
                assessment: Assessment::Clear,
            },
            authority: Answer {
                said: "제가 결정할 수는 없어요".into(),
                assessment: Assessment::Refused,
            },
            ..FiveAnswers::default()
        };
        PromiseFields {
            contact_id,
            promised_by: Some("김상담".into()),
            what: "내일까지 문자로 알려주기".into(),
            due_at: t("2026-11-21T09:00:00Z"),
            answers,
        }
    }

    #[test]
    fn record_answers_then_break_it() {
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
        let fields = promise_fields(contact);
        let id = store
            .add_promise(case, &fields, t("2026-11-20T06:11:00Z"))
            .unwrap();
        let p = store.promise(id).unwrap();
        assert_eq!(p.fields, fields);
        assert!(p.fields.answers.looks_like_stalling());
        assert!(!p.is_overdue(t("2026-11-21T08:59:59Z")));
        assert!(p.is_overdue(t("2026-11-21T09:00:01Z")));

        store
            .end_promise(
                id,
                PromiseStatus::Broken,
                Some("연락 없음"),
                t("2026-11-21T10:00:00Z"),
            )
            .unwrap();
        let p = store.promise(id).unwrap();
        assert_eq!(p.status, PromiseStatus::Broken);
        assert!(!p.is_overdue(t("2026-11-22T00:00:00Z")));
        let err = store
            .end_promise(id, PromiseStatus::Kept, None, t("2026-11-21T11:00:00Z"))
            .unwrap_err();
        assert!(err.to_string().contains("already ended as broken"), "{err}");
        assert_eq!(
            store.ledger(case).unwrap().last().unwrap().kind,
            "promise.ended"
        );
    }

    #[test]
    fn a_promise_must_come_from_a_contact_of_the_same_case() {
        let (_dir, mut store) = store();
        let a = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let b = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let contact_of_a = store
            .add_contact(
                a,
                &contact_fields("2026-11-20T06:00:00Z"),
                t("2026-11-20T06:10:00Z"),
            )
            .unwrap();
        let err = store
            .add_promise(b, &promise_fields(contact_of_a), t("2026-11-20T06:11:00Z"))
            .unwrap_err();
        assert!(
            err.to_string().contains("belongs to case 1, not case 2"),
            "{err}"
        );
    }
}
