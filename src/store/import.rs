//! Putting a case that came in a packet into this database: its rows, its chain byte for byte,
//! and which row each of the packet's record ids became.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::json;

use super::{Store, StoreError, ledger};
use crate::clock::to_stored;
use crate::ledger::{Entry, EntryKind, IdMap};
use crate::model::*;

/// A contact as the packet's ledger states it.
#[derive(Debug, Clone)]
pub struct ImportedContact {
    /// Its id in the packet.
    pub packet_id: i64,
    /// Its fields.
    pub fields: ContactFields,
    /// When it was logged, edited, retracted (time, reason).
    pub created_at: String,
    /// Last edit.
    pub edited_at: Option<String>,
    /// Retraction.
    pub retracted: Option<(String, String)>,
}

/// A promise as the packet's ledger states it.
#[derive(Debug, Clone)]
pub struct ImportedPromise {
    /// Its id in the packet.
    pub packet_id: i64,
    /// Its fields (`contact_id` still the packet's).
    pub fields: PromiseFields,
    /// Its status.
    pub status: PromiseStatus,
    /// When and with what note it ended.
    pub ended: Option<(String, Option<String>)>,
    /// When it was recorded.
    pub created_at: String,
    /// Last edit.
    pub edited_at: Option<String>,
}

/// An evidence item as the packet's ledger states it (its file already in the vault).
#[derive(Debug, Clone)]
pub struct ImportedEvidence {
    /// Its number in the case.
    pub number: u32,
    /// Its fields (`contact_id` still the packet's).
    pub fields: EvidenceFields,
    /// When it was added.
    pub imported_at: String,
    /// Retraction.
    pub retracted: Option<(String, String)>,
}

/// A whole case from a packet.
#[derive(Debug, Clone)]
pub struct ImportedCase {
    /// The case's uid (its chain is bound to it).
    pub uid: String,
    /// Its fields.
    pub fields: CaseFields,
    /// Opened, last edited.
    pub created_at: String,
    /// Last edit of the case itself.
    pub edited_at: Option<String>,
    /// Records.
    pub contacts: Vec<ImportedContact>,
    /// Promises.
    pub promises: Vec<ImportedPromise>,
    /// Evidence.
    pub evidence: Vec<ImportedEvidence>,
    /// The chain, verbatim.
    pub entries: Vec<Entry>,
    /// The packet's SHA-256.
    pub packet_sha256: String,
}

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

    /// Inserts an imported case in one transaction and appends `case.imported`.
    pub fn import_case(
        &mut self,
        c: &ImportedCase,
        now: DateTime<Utc>,
    ) -> Result<CaseId, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let f = &c.fields;
        tx.execute(
            "INSERT INTO cases (uid, title, company, category, status, created_at, edited_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c.uid,
                f.title,
                f.company,
                f.category,
                f.status,
                c.created_at,
                c.edited_at
            ],
        )?;
        let case_id = CaseId(tx.last_insert_rowid());
        super::cases::write_fields(&tx, case_id, f)?;
        let mut contacts: HashMap<i64, i64> = HashMap::new();
        let mut promises: HashMap<i64, i64> = HashMap::new();
        for x in &c.contacts {
            let k = &x.fields;
            tx.execute(
                "INSERT INTO contacts (case_id, started_at, ended_at, channel, direction, tier,
                    agent_name, agent_id, reference, summary, claimed, offered, outcome,
                    recording_announced, created_at, edited_at, retracted_at, retract_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18)",
                params![
                    case_id,
                    to_stored(k.started_at),
                    k.ended_at.map(to_stored),
                    k.channel,
                    k.direction,
                    k.tier,
                    k.agent_name,
                    k.agent_id,
                    k.reference,
                    k.summary,
                    k.claimed,
                    k.offered,
                    k.outcome,
                    k.recording_announced,
                    x.created_at,
                    x.edited_at,
                    x.retracted.as_ref().map(|r| r.0.clone()),
                    x.retracted.as_ref().map(|r| r.1.clone()),
                ],
            )?;
            contacts.insert(x.packet_id, tx.last_insert_rowid());
        }
        let local = |id: ContactId| -> Result<i64, StoreError> {
            contacts
                .get(&id.0)
                .copied()
                .ok_or_else(|| StoreError::Invalid {
                    field: "contact",
                    reason: format!(
                        "the packet's ledger refers to contact {id}, which it never logged"
                    ),
                })
        };
        for x in &c.promises {
            let p = &x.fields;
            let a = &p.answers;
            tx.execute(
                "INSERT INTO promises (case_id, contact_id, promised_by, what, due_at,
                    scope_said, scope_is, method_said, method_is, resolution_said, resolution_is,
                    authority_said, authority_is, continuity_said, continuity_is, status,
                    ended_at, end_note, created_at, edited_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20)",
                params![
                    case_id,
                    local(p.contact_id)?,
                    p.promised_by,
                    p.what,
                    to_stored(p.due_at),
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
                    x.status,
                    x.ended.as_ref().map(|e| e.0.clone()),
                    x.ended.as_ref().and_then(|e| e.1.clone()),
                    x.created_at,
                    x.edited_at,
                ],
            )?;
            promises.insert(x.packet_id, tx.last_insert_rowid());
        }
        for x in &c.evidence {
            let e = &x.fields;
            let audio = e.audio.as_ref();
            tx.execute(
                "INSERT INTO evidence (case_id, number, contact_id, kind, sha256, size_bytes,
                    original_name, media_type, imported_at, captured_at, source, note,
                    retracted_at, retract_reason, audio, duration_ms, sample_rate, channels,
                    device, recovered)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20)",
                params![
                    case_id,
                    x.number,
                    e.contact_id.map(local).transpose()?,
                    e.kind,
                    e.sha256,
                    e.size_bytes,
                    e.original_name,
                    e.media_type,
                    x.imported_at,
                    e.captured_at.map(to_stored),
                    e.source,
                    e.note,
                    x.retracted.as_ref().map(|r| r.0.clone()),
                    x.retracted.as_ref().map(|r| r.1.clone()),
                    audio.is_some(),
                    audio.and_then(|a| a.duration_ms),
                    audio.and_then(|a| a.sample_rate),
                    audio.and_then(|a| a.channels),
                    audio.and_then(|a| a.device.as_deref()),
                    audio.is_some_and(|a| a.recovered),
                ],
            )?;
            if let Some(a) = audio {
                let id = tx.last_insert_rowid();
                for b in &a.bookmarks {
                    tx.execute(
                        "INSERT INTO bookmarks (evidence_id, offset_ms, note) VALUES (?1, ?2, ?3)",
                        params![id, b.offset_ms, b.note],
                    )?;
                }
            }
        }
        for e in &c.entries {
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
        ledger::append(
            &tx,
            case_id,
            crate::clock::truncate(now),
            EntryKind::CaseImported,
            &{
                let mut payload = IdMap { contacts, promises }.to_json();
                payload["packet_sha256"] = json!(c.packet_sha256);
                payload["entries"] = json!(c.entries.len());
                payload
            },
        )?;
        tx.commit()?;
        Ok(case_id)
    }
}
