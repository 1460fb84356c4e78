//! The database schema as an ordered list of migrations, applied under `PRAGMA user_version`.
//!
//! Migration `i` (0-based) takes the schema from version `i` to `i + 1`. All pending migrations
//! run in one transaction, so an upgrade either completes or leaves the file as it was. A
//! shipped migration is never edited: a change is a new entry at the end.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Every migration, in order. The schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: cases, contacts, promises with the five questions, evidence, bookmarks, the ledger.
    r#"
CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    uid                TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL CHECK (title <> ''),
    company            TEXT NOT NULL CHECK (company <> ''),
    company_contact    TEXT,
    company_address    TEXT,
    platform           TEXT,
    seller             TEXT,
    order_number       TEXT,
    product            TEXT,
    amount_minor       INTEGER,
    currency           TEXT CHECK (currency IS NULL OR length(currency) = 3),
    ordered_on         TEXT,
    paid_on            TEXT,
    delivered_on       TEXT,
    return_sent_on     TEXT,
    return_received_on TEXT,
    category           TEXT NOT NULL,
    wants              TEXT,
    status             TEXT NOT NULL,
    claimant_name      TEXT,
    claimant_phone     TEXT,
    claimant_email     TEXT,
    claimant_address   TEXT,
    created_at         TEXT NOT NULL,
    edited_at          TEXT
);

CREATE TABLE contacts (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    started_at          TEXT NOT NULL,
    ended_at            TEXT,
    channel             TEXT NOT NULL,
    direction           TEXT NOT NULL,
    tier                TEXT NOT NULL,
    agent_name          TEXT,
    agent_id            TEXT,
    reference           TEXT,
    summary             TEXT NOT NULL CHECK (summary <> ''),
    claimed             TEXT,
    offered             TEXT,
    outcome             TEXT NOT NULL,
    recording_announced INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    edited_at           TEXT,
    retracted_at        TEXT,
    retract_reason      TEXT
);
CREATE INDEX contacts_by_case ON contacts (case_id, started_at);

CREATE TABLE promises (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    contact_id      INTEGER NOT NULL REFERENCES contacts(id),
    promised_by     TEXT,
    what            TEXT NOT NULL CHECK (what <> ''),
    due_at          TEXT NOT NULL,
    scope_said      TEXT NOT NULL DEFAULT '',
    scope_is        TEXT NOT NULL DEFAULT 'not-asked',
    method_said     TEXT NOT NULL DEFAULT '',
    method_is       TEXT NOT NULL DEFAULT 'not-asked',
    resolution_said TEXT NOT NULL DEFAULT '',
    resolution_is   TEXT NOT NULL DEFAULT 'not-asked',
    authority_said  TEXT NOT NULL DEFAULT '',
    authority_is    TEXT NOT NULL DEFAULT 'not-asked',
    continuity_said TEXT NOT NULL DEFAULT '',
    continuity_is   TEXT NOT NULL DEFAULT 'not-asked',
    status          TEXT NOT NULL DEFAULT 'pending',
    ended_at        TEXT,
    end_note        TEXT,
    created_at      TEXT NOT NULL,
    edited_at       TEXT
);
CREATE INDEX promises_by_case ON promises (case_id, due_at);

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    number        INTEGER NOT NULL,
    contact_id    INTEGER REFERENCES contacts(id),
    kind          TEXT NOT NULL,
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes    INTEGER NOT NULL,
    original_name TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    captured_at   TEXT,
    source        TEXT NOT NULL,
    note          TEXT,
    retracted_at  TEXT,
    retract_reason TEXT,
    UNIQUE (case_id, number),
    UNIQUE (case_id, sha256)
);
CREATE INDEX evidence_by_sha256 ON evidence (sha256);

CREATE TABLE bookmarks (
    id          INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    offset_ms   INTEGER NOT NULL CHECK (offset_ms >= 0),
    note        TEXT
);
CREATE INDEX bookmarks_by_evidence ON bookmarks (evidence_id, offset_ms);

CREATE TABLE ledger (
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT NOT NULL CHECK (length(hash) = 64),
    PRIMARY KEY (case_id, seq)
);
CREATE TRIGGER ledger_refuses_update BEFORE UPDATE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: entries cannot be changed');
END;
CREATE TRIGGER ledger_refuses_delete BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: entries cannot be deleted');
END;
"#,
    // 2: what is known of a recording (its bookmarks are in `bookmarks`).
    r#"
ALTER TABLE evidence ADD COLUMN audio INTEGER NOT NULL DEFAULT 0 CHECK (audio IN (0, 1));
ALTER TABLE evidence ADD COLUMN duration_ms INTEGER CHECK (duration_ms >= 0);
ALTER TABLE evidence ADD COLUMN sample_rate INTEGER CHECK (sample_rate > 0);
ALTER TABLE evidence ADD COLUMN channels INTEGER CHECK (channels > 0);
ALTER TABLE evidence ADD COLUMN device TEXT;
ALTER TABLE evidence ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0 CHECK (recovered IN (0, 1));
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    // 3: the day the consumer found the problem (legal deadlines for goods not as advertised
    // count from it) and the day the refund came (the seller's refund deadline ends with it).
    r#"
ALTER TABLE cases ADD COLUMN noticed_on TEXT;
ALTER TABLE cases ADD COLUMN refunded_on TEXT;
"#,
    // 4: ledger encoding 2. Each entry states its encoding (older ones are 1), and the private
    // values its payload commits to live beside it, unhashed, as JSON {pointer: {salt, value}}.
    r#"
ALTER TABLE ledger ADD COLUMN encoding INTEGER NOT NULL DEFAULT 1 CHECK (encoding IN (1, 2));
ALTER TABLE ledger ADD COLUMN private TEXT;
"#,
    // 5: proofs of when and who. Timestamp requests made for the offline path (`timestamp
    // --request-out`) wait here for their reply, matched by nonce; an imported case remembers
    // the key its packet was signed with, to tell a later packet from another key.
    r#"
CREATE TABLE timestamp_requests (
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    nonce    TEXT NOT NULL,
    covers   INTEGER NOT NULL CHECK (covers >= 1),
    head     TEXT NOT NULL CHECK (length(head) = 64),
    made_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, nonce)
);
CREATE TABLE case_senders (
    case_id     INTEGER PRIMARY KEY REFERENCES cases(id),
    public_key  TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    seen_at     TEXT NOT NULL
);
"#,
    // 6: the facts the legal rules follow: what went wrong (problem codes, comma-separated),
    // how it was paid and in how many installments (the card-installment defence), the day the
    // seller shipped and a supply date agreed with the seller (art. 15(1)).
    r#"
ALTER TABLE cases ADD COLUMN problems TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN payment_method TEXT;
ALTER TABLE cases ADD COLUMN installments INTEGER CHECK (installments >= 1);
ALTER TABLE cases ADD COLUMN shipped_on TEXT;
ALTER TABLE cases ADD COLUMN supply_agreed_on TEXT;
"#,
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database to the latest version, or refuses one written by a newer recourse.
pub fn migrate(conn: &mut Connection, path_for_errors: &std::path::Path) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = latest_version();
    if found < 0 {
        return Err(StoreError::NotOurs {
            found,
            path: path_for_errors.to_owned(),
        });
    }
    if found > latest {
        return Err(StoreError::TooNew {
            found,
            supported: latest,
            path: path_for_errors.to_owned(),
        });
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql)?;
    }
    if found < latest {
        // PRAGMA takes no bound parameters; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {latest}"))?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// The schema as SQLite reports it, for comparing two databases.
    fn schema(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Puts a row of user data into a database at `version`, in the shape that version had,
    /// so an upgrade has something to lose.
    fn seed(conn: &Connection, version: i64) {
        if version >= 1 {
            conn.execute_batch(
                "INSERT INTO cases (uid, title, company, category, status, created_at)
                 VALUES ('u-1', '배송 지연', '가나다몰', 'delivery-delay', 'open', '2026-11-20T05:30:00Z');
                 INSERT INTO evidence (case_id, number, kind, sha256, size_bytes, original_name,
                    media_type, imported_at, source)
                 VALUES (1, 1, 'recording', printf('%064d', 1), 10, 'call.m4a', 'audio/mp4',
                    '2026-11-20T05:31:00Z', 'file-import');",
            )
            .unwrap();
        }
    }

    #[test]
    fn upgrades_from_every_earlier_version() {
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh = Store::open(&fresh_dir.path().join("db.sqlite3")).unwrap();
        let expected = schema(fresh.conn());

        for start in 0..latest_version() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("db.sqlite3");
            {
                let conn = Connection::open(&path).unwrap();
                for sql in &MIGRATIONS[..start as usize] {
                    conn.execute_batch(sql).unwrap();
                }
                conn.execute_batch(&format!("PRAGMA user_version = {start}"))
                    .unwrap();
                seed(&conn, start);
            }
            let store = Store::open(&path).unwrap();
            let version: i64 = store
                .conn()
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(version, latest_version(), "from version {start}");
            assert_eq!(schema(store.conn()), expected, "from version {start}");
            if start >= 1 {
                let title: String = store
                    .conn()
                    .query_row("SELECT title FROM cases WHERE uid = 'u-1'", [], |r| {
                        r.get(0)
                    })
                    .unwrap();
                assert_eq!(title, "배송 지연", "from version {start}");
                // A recording filed before version 2 has no audio facts, not empty ones.
                let audio: i64 = store
                    .conn()
                    .query_row("SELECT audio FROM evidence WHERE number = 1", [], |r| {
                        r.get(0)
                    })
                    .unwrap();
                assert_eq!(audio, 0, "from version {start}");
            }
        }
    }

    #[test]
    fn refuses_a_foreign_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA user_version = -5")
            .unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::NotOurs { found: -5, .. }),
            "{err}"
        );
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(&format!("PRAGMA user_version = {}", latest_version() + 1))
                .unwrap();
        }
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    }
}
