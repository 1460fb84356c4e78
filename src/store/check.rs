//! What fsck asks of the store: each case's chain replayed through the projector into a
//! scratch database, and every column of every row compared with it; every row this build
//! cannot read, named. Nothing here stops at the first problem.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::types::Value;
use rusqlite::{Connection, params};

use super::{Store, StoreError, schema};
use crate::ledger::{Entry, Event};
use crate::model::{CaseId, evidence_label};

/// Why a row cannot be read, in a sentence (no advice to run fsck: this is fsck).
fn unreadable_reason(e: &StoreError) -> String {
    match e {
        StoreError::Corrupt { reason, .. } => reason.clone(),
        StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(_, _, err)) => err.to_string(),
        StoreError::Sqlite(rusqlite::Error::InvalidColumnType(_, name, ty)) => {
            format!("its {name} holds {ty}")
        }
        StoreError::Sqlite(rusqlite::Error::IntegralValueOutOfRange(_, v)) => {
            format!("a number out of range ({v})")
        }
        other => other.to_string(),
    }
}

/// The rows `sql` (one parameter: the case) returns that `parse` cannot read, each named by
/// `label` with the reason: the one loop behind every table's unreadable-row check.
pub(super) fn unreadable_in<T>(
    conn: &Connection,
    sql: &str,
    case_id: CaseId,
    label: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<String>,
    parse: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([case_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        if let Err(e) = parse(r) {
            out.push((label(r)?, unreadable_reason(&e)));
        }
    }
    Ok(out)
}

/// A scratch database with recourse's schema and no data: what the rows must be, replayed
/// from the chains alone.
pub struct Scratch {
    conn: Connection,
}

/// A chain entry the projector could not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProblem {
    /// The entry.
    pub seq: u64,
    /// What is wrong with it.
    pub detail: String,
}

/// One row of a database that differs from what its chain says, or is there in only one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// `case`, `contact 3`, `promise 2`, `evidence E001`.
    pub record: String,
    /// What differs.
    pub detail: String,
}

impl Scratch {
    /// An empty in-memory database at the latest schema.
    pub fn new() -> Result<Scratch, StoreError> {
        let conn = Connection::open_in_memory()?;
        for sql in schema::MIGRATIONS {
            conn.execute_batch(sql)?;
        }
        Ok(Scratch { conn })
    }

    /// Projects the entries of the case whose chain is bound to `uid` (ids as this database
    /// has them: see `ledger::translate`, payloads opened) into the scratch database; names
    /// each entry that cannot be applied and goes on with the next.
    pub fn replay(&mut self, case_id: CaseId, uid: &str, entries: &[Entry]) -> Vec<EntryProblem> {
        let mut problems = Vec::new();
        // One transaction for the whole chain (each entry in a savepoint within it).
        let _ = self.conn.execute_batch("BEGIN");
        for (i, entry) in entries.iter().enumerate() {
            let event = match Event::parse(&entry.kind, &entry.payload) {
                Ok(Some(event)) => event,
                Ok(None) => continue,
                Err(e) => {
                    problems.push(EntryProblem {
                        seq: entry.seq,
                        detail: format!("ledger entry {} ({}): {e}", entry.seq, entry.kind),
                    });
                    continue;
                }
            };
            if let Event::CaseCreated(created) = &event
                && created.uid != uid
            {
                problems.push(EntryProblem {
                    seq: entry.seq,
                    detail: format!(
                        "ledger entry {} (case.created) opens the chain of case {}, not of {uid}, to which its hashes bind it",
                        entry.seq,
                        created.uid.escape_debug()
                    ),
                });
                continue;
            }
            if matches!(event, Event::CaseCreated(_)) != (i == 0) {
                problems.push(EntryProblem {
                    seq: entry.seq,
                    detail: format!(
                        "ledger entry {} ({}): a chain opens with case.created, once",
                        entry.seq, entry.kind
                    ),
                });
                continue;
            }
            // Each entry in its own savepoint: one that fails leaves no half of its rows.
            let applied = self
                .conn
                .execute_batch("SAVEPOINT entry")
                .map_err(StoreError::from)
                .and_then(|()| super::project::project(&self.conn, case_id, &entry.at, &event));
            let end = if applied.is_ok() {
                "RELEASE entry"
            } else {
                "ROLLBACK TO entry; RELEASE entry"
            };
            let _ = self.conn.execute_batch(end);
            if let Err(e) = applied {
                let reason = match e {
                    StoreError::Invalid { reason, .. } => reason,
                    StoreError::Sqlite(e) => constraint_reason(&e).unwrap_or_else(|| e.to_string()),
                    other => other.to_string(),
                };
                problems.push(EntryProblem {
                    seq: entry.seq,
                    detail: format!(
                        "ledger entry {} ({}) cannot be replayed: {reason}",
                        entry.seq, entry.kind
                    ),
                });
            }
        }
        let _ = self.conn.execute_batch("COMMIT");
        problems
    }
}

/// A constraint an entry's rows break, in words (`None`: not a constraint failure).
pub(crate) fn constraint_reason(e: &rusqlite::Error) -> Option<String> {
    let rusqlite::Error::SqliteFailure(f, message) = e else {
        return None;
    };
    if f.code != rusqlite::ErrorCode::ConstraintViolation {
        return None;
    }
    Some(match f.extended_code {
        rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY | rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE => {
            "it adds a record twice".to_owned()
        }
        rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
            "it points at a record that is not there".to_owned()
        }
        _ => format!(
            "its record breaks a rule of the schema ({})",
            message.as_deref().unwrap_or("a constraint")
        ),
    })
}

/// One table compared: its query by case, its key column, how a row is named, the columns the
/// ledger does not fix.
type Table = (
    &'static str,
    &'static str,
    fn(i64) -> String,
    &'static [&'static str],
);

/// A table's rows of one case, by key, each as its columns' values by name.
type Rows = BTreeMap<i64, BTreeMap<String, Value>>;

fn rows(conn: &Connection, sql: &str, case_id: CaseId, key: &str) -> Result<Rows, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let mut out = Rows::new();
    let mut query = stmt.query(params![case_id])?;
    while let Some(r) = query.next()? {
        let mut row = BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            row.insert(name.clone(), r.get::<_, Value>(i)?);
        }
        let k = match row.get(key) {
            Some(Value::Integer(k)) => *k,
            // A key that is not a whole number cannot match the ledger's: keyed apart.
            _ => i64::MIN + out.len() as i64,
        };
        out.insert(k, row);
    }
    Ok(out)
}

/// One kind of record compared between the database and the scratch replay: rows only in one,
/// and every column that differs (but `skip`, which the ledger does not fix).
fn compare(
    live: &Rows,
    expected: &Rows,
    label: impl Fn(i64) -> String,
    skip: &[&str],
    out: &mut Vec<RowProblem>,
) {
    for (k, row) in live {
        let Some(want) = expected.get(k) else {
            out.push(RowProblem {
                record: label(*k),
                detail: "is in the database but not in the ledger".into(),
            });
            continue;
        };
        let columns: BTreeSet<&String> = row.keys().chain(want.keys()).collect();
        for column in columns {
            if skip.contains(&column.as_str()) {
                continue;
            }
            if row.get(column) != want.get(column) {
                out.push(RowProblem {
                    record: label(*k),
                    detail: format!("field '{column}' differs from the ledger"),
                });
            }
        }
    }
    for k in expected.keys().filter(|k| !live.contains_key(k)) {
        out.push(RowProblem {
            record: label(*k),
            detail: "is in the ledger but missing from the database".into(),
        });
    }
}

/// An evidence item's bookmarks, by number: (offset, note) in order.
fn bookmarks(
    conn: &Connection,
    case_id: CaseId,
) -> Result<BTreeMap<i64, Vec<(Value, Value)>>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT e.number, b.offset_ms, b.note FROM bookmarks b JOIN evidence e ON e.id = b.evidence_id
         WHERE e.case_id = ?1 ORDER BY e.number, b.offset_ms, b.note, b.id",
    )?;
    let mut out: BTreeMap<i64, Vec<(Value, Value)>> = BTreeMap::new();
    let mut query = stmt.query([case_id])?;
    while let Some(r) = query.next()? {
        // A number that is not a whole number is the evidence row's damage, named there.
        if let Value::Integer(n) = r.get::<_, Value>(0)? {
            out.entry(n).or_default().push((r.get(1)?, r.get(2)?));
        }
    }
    Ok(out)
}

fn evidence_name(n: i64) -> String {
    match u32::try_from(n) {
        Ok(n) => format!("evidence {}", evidence_label(n)),
        Err(_) => format!("evidence number {n}"),
    }
}

impl Store {
    /// A case's uid, as stored (fsck reads it without reading the rest of the row).
    pub fn case_uid(&self, id: CaseId) -> Result<String, StoreError> {
        let uid: Value = self
            .conn
            .query_row("SELECT uid FROM cases WHERE id = ?1", [id], |r| r.get(0))?;
        // A uid that is not text cannot be the one the chain was hashed with: the chain check
        // then names every entry, rather than fsck stopping here.
        Ok(match uid {
            Value::Text(t) => t,
            other => format!("{other:?}"),
        })
    }

    /// Every row of the case this build cannot read (a bad date, an unknown code), and why.
    pub fn unreadable_rows(&self, case_id: CaseId) -> Result<Vec<RowProblem>, StoreError> {
        let mut out = Vec::new();
        for (record, reason) in super::cases::unreadable(&self.conn, case_id)?
            .into_iter()
            .chain(super::contacts::unreadable(&self.conn, case_id)?)
            .chain(super::promises::unreadable(&self.conn, case_id)?)
            .chain(super::evidence::unreadable(&self.conn, case_id)?)
        {
            out.push(RowProblem {
                record,
                detail: format!("cannot be read ({reason})"),
            });
        }
        Ok(out)
    }

    /// Every difference between the case's rows here and in `scratch`, where its chain was
    /// replayed: every column of the case, its contacts, promises, evidence and bookmarks.
    /// Evidence row ids are the database's own (the ledger numbers items), so they are not
    /// compared.
    pub fn differences(
        &self,
        scratch: &Scratch,
        case_id: CaseId,
    ) -> Result<Vec<RowProblem>, StoreError> {
        let mut out = Vec::new();
        let tables: [Table; 4] = [
            (
                "SELECT * FROM cases WHERE id = ?1",
                "id",
                |_| "case".to_owned(),
                &[],
            ),
            (
                "SELECT * FROM contacts WHERE case_id = ?1",
                "id",
                |id| format!("contact {id}"),
                &[],
            ),
            (
                "SELECT * FROM promises WHERE case_id = ?1",
                "id",
                |id| format!("promise {id}"),
                &[],
            ),
            (
                "SELECT * FROM evidence WHERE case_id = ?1",
                "number",
                evidence_name,
                &["id"],
            ),
        ];
        for (sql, key, label, skip) in tables {
            let live = rows(&self.conn, sql, case_id, key)?;
            let expected = rows(&scratch.conn, sql, case_id, key)?;
            compare(&live, &expected, label, skip, &mut out);
        }
        let live = bookmarks(&self.conn, case_id)?;
        let expected = bookmarks(&scratch.conn, case_id)?;
        let numbers: BTreeSet<&i64> = live.keys().chain(expected.keys()).collect();
        for n in numbers {
            if live.get(n) != expected.get(n) {
                out.push(RowProblem {
                    record: evidence_name(*n),
                    detail: "bookmarks differ from the ledger".into(),
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::store::test_support::*;

    /// The case's chain as the store wrote it, ids as here, payloads opened.
    fn chain(store: &Store, case: CaseId) -> Vec<Entry> {
        crate::ledger::translate(&store.ledger(case).unwrap())
    }

    fn with_payload(entry: &Entry, payload: serde_json::Value) -> Entry {
        Entry {
            payload: payload.to_string(),
            ..entry.clone()
        }
    }

    #[test]
    fn a_chain_the_store_wrote_replays_cleanly_and_a_forged_one_is_named() {
        let (_dir, mut store) = store();
        let now = t("2026-11-20T05:30:00Z");
        let case = store.create_case(&case_fields(), now).unwrap();
        let other = store.create_case(&case_fields(), now).unwrap();
        let c = store
            .add_contact(case, &contact_fields("2026-11-20T06:00:00Z"), now)
            .unwrap();
        let theirs = store
            .add_contact(other, &contact_fields("2026-11-20T06:00:00Z"), now)
            .unwrap();
        store.retract_contact(c, "잘못 기록", now).unwrap();
        let entries = chain(&store, case);
        let uid = store.case_uid(case).unwrap();
        assert_eq!(Scratch::new().unwrap().replay(case, &uid, &entries), []);

        // A promise on a contact the chain never logged; a second retraction; a contact added
        // twice; an entry whose time is not a time.
        let promise = serde_json::json!({"id": 9, "promise": {
            "answers": serde_json::to_value(FiveAnswers::default()).unwrap(),
            "contact_id": theirs.0, "due_at": "2026-11-21T00:00:00Z",
            "promised_by": null, "what": "연락"}});
        let forged = vec![
            entries[0].clone(),
            entries[1].clone(),
            Entry {
                seq: 3,
                ..with_payload(
                    &entries[1],
                    serde_json::from_str(&entries[1].payload).unwrap(),
                )
            },
            Entry {
                seq: 4,
                kind: "promise.added".into(),
                ..with_payload(&entries[1], promise)
            },
            Entry {
                seq: 5,
                ..entries[2].clone()
            },
            Entry {
                seq: 6,
                ..entries[2].clone()
            },
            Entry {
                seq: 7,
                at: "어제".into(),
                ..entries[2].clone()
            },
        ];
        let problems = Scratch::new().unwrap().replay(case, &uid, &forged);
        let seqs: Vec<u64> = problems.iter().map(|p| p.seq).collect();
        assert_eq!(seqs, [3, 4, 6, 7], "{problems:#?}");
        assert!(
            problems[0].detail.contains("adds a record twice"),
            "{problems:#?}"
        );
        assert!(problems[1].detail.contains("never logged"), "{problems:#?}");
        assert!(
            problems[2].detail.contains("retracted already"),
            "{problems:#?}"
        );
        assert!(
            problems[3].detail.contains("not an RFC 3339 time"),
            "{problems:#?}"
        );

        // A time past 9999 in UTC would be stored as "+10000-…", which no reader takes.
        let far = [Entry {
            at: "9999-12-31T23:30:00-01:00".into(),
            ..entries[0].clone()
        }];
        let problems = Scratch::new().unwrap().replay(case, &uid, &far);
        assert!(
            problems.len() == 1
                && problems[0]
                    .detail
                    .contains("outside the years 1900 to 9999"),
            "{problems:#?}"
        );
        // A case.created whose uid is not the one the hashes bind the chain to.
        let problems = Scratch::new()
            .unwrap()
            .replay(case, "another-uid", &entries);
        assert_eq!(problems.first().map(|p| p.seq), Some(1), "{problems:#?}");
        assert!(
            problems[0].detail.contains("opens the chain of case"),
            "{problems:#?}"
        );
    }
}
