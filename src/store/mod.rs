//! The case store: one SQLite database per data directory.
//!
//! Invariants:
//! - Every change to a case's records and the ledger entry that records it are written in one
//!   `IMMEDIATE` transaction, so after a crash both are there or neither is.
//! - The connection runs in WAL mode with `synchronous=FULL` (a committed change survives power
//!   loss) and `foreign_keys=ON`.
//! - Times are stored as UTC RFC 3339 text, dates as `YYYY-MM-DD`, money as integer minor units
//!   plus a currency code.
//!
//! `rusqlite::Connection` is `Send`, not `Sync`: a thread that needs the store opens its own.

mod cases;
mod check;
mod contacts;
mod evidence;
mod import;
mod ledger;
mod project;
mod promises;
mod proofs;
pub mod schema;
pub use proofs::{KnownSender, PendingStamp};
mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;

pub use cases::{AgendaInput, CaseDetail, CaseSummary, Change, Edit, PromiseView};
pub use check::{EntryProblem, RowProblem, Scratch};
pub use evidence::EvidenceAdded;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
    /// The database file could not be opened.
    #[error("cannot open the database ({source}); check the data directory's permissions: {}", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The database was written by a newer recourse.
    #[error(
        "the database is at schema version {found}, newer than this recourse understands ({supported}); update recourse: {}",
        path.display()
    )]
    TooNew {
        /// The version found.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
        /// The database file.
        path: PathBuf,
    },
    /// The file is an SQLite database, but not one recourse wrote.
    #[error(
        "this database was not written by recourse (schema version {found}); choose another data directory with --data-dir: {}",
        path.display()
    )]
    NotOurs {
        /// The version found.
        found: i64,
        /// The database file.
        path: PathBuf,
    },
    /// A record does not exist.
    #[error("there is no {what} {id}; {hint}")]
    NotFound {
        /// "case", "contact", "promise".
        what: &'static str,
        /// The id given.
        id: i64,
        /// Where to find the right id.
        hint: &'static str,
    },
    /// A value is not acceptable.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field concerned.
        field: &'static str,
        /// Why, and what to do.
        reason: String,
    },
    /// A stored row holds something this build cannot read.
    #[error("the database holds an unreadable {what} in row {id}: {reason}; run `recourse fsck`")]
    Corrupt {
        /// What was being read.
        what: &'static str,
        /// The row id.
        id: i64,
        /// Why.
        reason: String,
    },
}

/// SQLite's failures in words that say what to do.
fn sqlite_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => format!(
            "the database is busy: another recourse (the app or a command) is writing; try again in a moment ({e})"
        ),
        Some(DiskFull) => format!(
            "the disk holding the data directory is full; free some space and try again; nothing was changed ({e})"
        ),
        Some(ReadOnly | CannotOpen | PermissionDenied) => {
            format!("the database cannot be written; check the data directory's permissions ({e})")
        }
        Some(DatabaseCorrupt | NotADatabase) => format!(
            "the database file is damaged; run `recourse fsck` and restore recourse.sqlite3 from a backup ({e})"
        ),
        _ => format!("the database failed: {e}"),
    }
}

/// The store over one SQLite database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        schema::migrate(&mut conn, path)?;
        Ok(Store { conn })
    }

    /// The underlying connection, for checks and tests.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// SQLite's own consistency checks (`integrity_check`, `foreign_key_check`); an empty list
    /// means the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        for row in stmt.query_map([], |r| {
            Ok(format!(
                "row {} of {} points at a missing {}",
                r.get::<_, i64>(1)?,
                r.get::<_, String>(0)?,
                r.get::<_, String>(2)?
            ))
        })? {
            problems.push(row?);
        }
        Ok(problems)
    }
}

/// The one write path: `event`'s rows projected and the event appended to the case's chain,
/// both inside the caller's transaction (so both are there after a crash, or neither).
pub(crate) fn apply(
    tx: &rusqlite::Transaction<'_>,
    case_id: crate::model::CaseId,
    now: DateTime<Utc>,
    event: &crate::ledger::Event,
) -> Result<crate::ledger::Entry, StoreError> {
    let now = crate::clock::truncate(now);
    project::project(tx, case_id, &crate::clock::to_stored(now), event)?;
    ledger::append(tx, case_id, now, event.kind(), &event.payload())
}

/// An edit without races: what the caller changed (`base`, the record as its form opened, to
/// `wanted`) laid over the record as it is now, read inside the write transaction. Returns the
/// result and what really changes; a field someone else changed meanwhile keeps their value
/// unless this edit changed it too (then the later write wins, as in any editor). Nested
/// fields (a case's dates, its claimant, a promise's five answers) merge leaf by leaf, so
/// two windows setting two different dates keep both.
pub(crate) fn merge_edit<T>(
    current: &T,
    base: &T,
    wanted: &T,
) -> Result<(T, crate::ledger::Changes), StoreError>
where
    T: Serialize + serde::de::DeserializeOwned,
{
    let json = |v: &T| {
        serde_json::to_value(v).map_err(|e| StoreError::Invalid {
            field: "record",
            reason: format!("it cannot be written as JSON: {e}"),
        })
    };
    let merged = merge_leaves(json(current)?, &json(base)?, &json(wanted)?, 0);
    let merged: T = serde_json::from_value(merged).map_err(|e| StoreError::Invalid {
        field: "record",
        reason: format!("the edit does not fit the record: {e}"),
    })?;
    let changes = cases::diff(current, &merged);
    Ok((merged, changes))
}

/// `current` with every part where `wanted` differs from `base` taken from `wanted`: the
/// record's fields (`depth` 0), and within a group of fields (`dates`, `claimant`, `answers`)
/// each member. A member is one value however it is written (an answer's text and assessment
/// go together), and so is an amount (its currency and figure go together).
fn merge_leaves(
    current: serde_json::Value,
    base: &serde_json::Value,
    wanted: &serde_json::Value,
    depth: u8,
) -> serde_json::Value {
    use serde_json::Value;
    match (current, base, wanted) {
        (Value::Object(mut now), Value::Object(b), Value::Object(w)) if depth < 2 => {
            let null = Value::Null;
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(w.keys()).collect();
            for key in keys {
                let (bv, wv) = (b.get(key).unwrap_or(&null), w.get(key).unwrap_or(&null));
                if bv == wv {
                    continue;
                }
                let cur = now.remove(key).unwrap_or(Value::Null);
                let next = if depth == 0 && key == "amount" {
                    wv.clone()
                } else {
                    merge_leaves(cur, bv, wv, depth + 1)
                };
                if next.is_null() && !w.contains_key(key) {
                    // Absent in what the caller wants (an optional field it cleared).
                    continue;
                }
                now.insert(key.clone(), next);
            }
            Value::Object(now)
        }
        (current, base, wanted) if base == wanted => current,
        (_, _, wanted) => wanted.clone(),
    }
}

impl Store {
    /// A write transaction. IMMEDIATE: it takes the write lock at once, so what it reads is
    /// what it changes.
    pub(crate) fn write(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    /// Appends one event that changes no row (a packet built, a timestamp, a receipt).
    pub(crate) fn record(
        &mut self,
        case_id: crate::model::CaseId,
        event: &crate::ledger::Event,
        now: DateTime<Utc>,
    ) -> Result<crate::ledger::Entry, StoreError> {
        let tx = self.write()?;
        let entry = apply(&tx, case_id, now, event)?;
        tx.commit()?;
        Ok(entry)
    }
}

pub use crate::model::LedgerHead;

pub(crate) fn parse_time(
    what: &'static str,
    id: i64,
    text: &str,
) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt {
            what,
            id,
            reason: format!("bad time '{text}': {e}"),
        })
}

pub(crate) fn parse_opt_time(
    what: &'static str,
    id: i64,
    text: Option<String>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    text.map(|t| parse_time(what, id, &t)).transpose()
}

/// Refuses text holding a control character (an escape sequence, a bell, a NUL …): printed
/// to a terminal or into a letter it would do what it says rather than show. Free text may
/// hold line breaks (`allow_newline`); a name or a code may not.
pub(crate) fn no_control(
    field: &'static str,
    value: Option<&str>,
    allow_newline: bool,
) -> Result<(), StoreError> {
    if let Some(bad) = value
        .into_iter()
        .flat_map(str::chars)
        .find(|ch| ch.is_control() && !(allow_newline && *ch == '\n'))
    {
        return Err(StoreError::Invalid {
            field,
            reason: format!(
                "it holds the control character {}; type the text without it",
                bad.escape_default()
            ),
        });
    }
    Ok(())
}

/// Validates a retraction reason: a record is only taken back with a stated reason.
pub(crate) fn retraction_reason(reason: &str) -> Result<String, StoreError> {
    no_control("reason", Some(reason), true)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid {
            field: "reason",
            reason: "say why it is taken back; give --reason".into(),
        });
    }
    Ok(reason.to_owned())
}

pub(crate) fn parse_retraction(
    what: &'static str,
    id: i64,
    at: Option<String>,
    reason: Option<String>,
) -> Result<Option<crate::model::Retraction>, StoreError> {
    Ok(
        parse_opt_time(what, id, at)?.map(|at| crate::model::Retraction {
            at,
            reason: reason.unwrap_or_default(),
        }),
    )
}

pub(crate) fn parse_opt_date(
    what: &'static str,
    id: i64,
    text: Option<String>,
) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| StoreError::Corrupt {
            what,
            id,
            reason: format!("bad date '{t}': {e}"),
        })
    })
    .transpose()
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::model::*;

    pub fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        (dir, store)
    }

    pub fn t(s: &str) -> DateTime<Utc> {
        crate::clock::parse_instant(s).unwrap()
    }

    pub fn case_fields() -> CaseFields {
        CaseFields {
            title: "공기청정기 배송 지연".into(),
            company: "가나다몰".into(),
            company_contact: None,
            company_address: None,
            platform: Some("마켓플레이스".into()),
            seller: None,
            order_number: Some("2026112012345".into()),
            product: Some("공기청정기".into()),
            amount: Some(crate::money::Money::parse("39000", "KRW").unwrap()),
            dates: OrderDates::default(),
            category: Category::DeliveryDelay,
            wants: Some("환불".into()),
            status: CaseStatus::Open,
            problems: Vec::new(),
            payment_method: None,
            installments: None,
            claimant: Claimant::default(),
        }
    }

    pub fn contact_fields(at: &str) -> ContactFields {
        ContactFields {
            started_at: t(at),
            ended_at: None,
            channel: Channel::Phone,
            direction: Direction::Outgoing,
            tier: Tier::FirstLine,
            agent_name: Some("김상담".into()),
            agent_id: None,
            reference: None,
            summary: "판매자에게 확인 후 내일 문자 준다고 함".into(),
            claimed: None,
            offered: None,
            outcome: Outcome::PromisedFollowUp,
            recording_announced: true,
        }
    }
}
