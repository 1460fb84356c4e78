//! What the proofs of when and who keep in the database: timestamp requests waiting for their
//! reply, the ledger entries that record tokens and receipt codes, and the sender key each
//! imported case came with. The rules live in `proof`.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::clock::to_stored;
use crate::ledger::event::{ReceiptGiven, TimestampAdded};
use crate::ledger::{Entry, Event};
use crate::model::{CaseId, ContactId};
use crate::proof::key::PublicKey;
use crate::vault::Sha256;

/// A timestamp request made for the offline path, waiting for its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingStamp {
    /// Its nonce, hex.
    pub nonce: String,
    /// The chain position it asks a token for.
    pub covers: u64,
    /// That position's entry hash.
    pub head: Sha256,
    /// When it was made (RFC 3339 UTC).
    pub made_at: String,
}

/// A case whose packet was signed by a sender key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KnownSender {
    /// The case's chain uid.
    pub uid: String,
    /// Its id here.
    pub case_id: CaseId,
    /// Its title.
    pub title: String,
    /// The key its packet was signed with.
    pub key: PublicKey,
}

impl Store {
    /// Keeps a request made for the offline path until its reply comes.
    pub fn add_timestamp_request(
        &mut self,
        case_id: CaseId,
        covers: u64,
        head: &Sha256,
        nonce: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO timestamp_requests (case_id, nonce, covers, head, made_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![case_id, nonce, covers, head.to_hex(), to_stored(now)],
        )?;
        Ok(())
    }

    /// The requests of a case still waiting for a reply, oldest first.
    pub fn timestamp_requests(&self, case_id: CaseId) -> Result<Vec<PendingStamp>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT nonce, covers, head, made_at FROM timestamp_requests
             WHERE case_id = ?1 ORDER BY made_at, covers",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok(PendingStamp {
                nonce: r.get(0)?,
                covers: r.get(1)?,
                head: r.get(2)?,
                made_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a checked token over position `covers` in the case's ledger, and forgets the
    /// request it answers (by `nonce`), in one transaction.
    pub fn record_timestamp(
        &mut self,
        case_id: CaseId,
        covers: u64,
        token_der: &[u8],
        nonce: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Entry, StoreError> {
        use base64::Engine;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(nonce) = nonce {
            tx.execute(
                "DELETE FROM timestamp_requests WHERE case_id = ?1 AND nonce = ?2",
                params![case_id, nonce],
            )?;
        }
        let token = base64::engine::general_purpose::STANDARD.encode(token_der);
        let event = Event::TimestampAdded(TimestampAdded { covers, token });
        let entry = super::apply(&tx, case_id, now, &event)?;
        tx.commit()?;
        Ok(entry)
    }

    /// Records that receipt code `code` of position `covers` went out in contact `contact`.
    pub fn record_receipt(
        &mut self,
        contact: ContactId,
        covers: u64,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<Entry, StoreError> {
        let case_id = self.contact(contact)?.case_id;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let event = Event::ReceiptGiven(ReceiptGiven {
            code: code.to_owned(),
            contact,
            covers,
        });
        let entry = super::apply(&tx, case_id, now, &event)?;
        tx.commit()?;
        Ok(entry)
    }

    /// Remembers the key an imported case's packet was signed with (the first one stays).
    pub fn set_case_sender(
        &mut self,
        case_id: CaseId,
        key: &PublicKey,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO case_senders (case_id, public_key, fingerprint, seen_at)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (case_id) DO NOTHING",
            params![case_id, key.to_base64(), key.fingerprint(), to_stored(now)],
        )?;
        Ok(())
    }

    /// The key an imported case's packet was signed with.
    pub fn case_sender(&self, case_id: CaseId) -> Result<Option<PublicKey>, StoreError> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT public_key FROM case_senders WHERE case_id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(text.as_deref().and_then(PublicKey::from_base64))
    }

    /// Every imported case with the key its packet was signed with.
    pub fn known_senders(&self) -> Result<Vec<KnownSender>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.uid, c.id, c.title, s.public_key FROM case_senders s
             JOIN cases c ON c.id = s.case_id ORDER BY c.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, CaseId>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (uid, case_id, title, key) = row?;
            if let Some(key) = PublicKey::from_base64(&key) {
                out.push(KnownSender {
                    uid,
                    case_id,
                    title,
                    key,
                });
            }
        }
        Ok(out)
    }

    /// The TSA the user chose (`settings --tsa-url`); none by default, and then recourse
    /// never connects anywhere.
    pub fn tsa_url(&self) -> Result<Option<String>, StoreError> {
        Ok(self.setting("tsa-url")?.filter(|u| !u.is_empty()))
    }

    /// Sets (or with `None` clears) the TSA.
    pub fn set_tsa_url(&mut self, url: Option<&str>) -> Result<(), StoreError> {
        self.set_setting("tsa-url", url.unwrap_or(""))
    }

    /// The app's opt-in: timestamp after each change, at most every this many minutes.
    pub fn timestamp_every_minutes(&self) -> Result<Option<u32>, StoreError> {
        Ok(self
            .setting("timestamp-every-minutes")?
            .and_then(|m| m.parse().ok())
            .filter(|m| *m > 0))
    }

    /// Sets (or with `None` turns off) the app's automatic timestamps.
    pub fn set_timestamp_every_minutes(&mut self, minutes: Option<u32>) -> Result<(), StoreError> {
        self.set_setting(
            "timestamp-every-minutes",
            &minutes.map(|m| m.to_string()).unwrap_or_default(),
        )
    }
}
