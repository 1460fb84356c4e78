//! `recourse import`: a verified packet becomes a case here — its records, its evidence in the
//! vault, and its chain byte for byte, continued with `case.imported`.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::verify::{Verdict, verify};
use super::{LedgerLine, Manifest};
use crate::datadir::DataDir;
use crate::ledger::{Entry, replay, translate};
use crate::model::*;
use crate::store::{ImportedCase, ImportedContact, ImportedEvidence, ImportedPromise};
use crate::vault::Control;

/// What was imported.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The new case.
    pub case_id: CaseId,
    /// Its title.
    pub title: String,
    /// Evidence files copied into the vault.
    pub evidence: usize,
    /// Entries of the chain that came with it.
    pub entries: usize,
}

/// Why a packet was not imported (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Unreadable or hostile.
    #[error(transparent)]
    Verify(#[from] super::verify::VerifyError),
    /// It does not verify.
    #[error(
        "the packet is not intact ({0}); nothing was imported — ask the sender for a fresh copy"
    )]
    NotIntact(String),
    /// It leaves out entries' content.
    #[error(
        "the packet is redacted: {0} ledger entries are withheld, so the case cannot be rebuilt from it; ask the sender for an unredacted packet"
    )]
    Redacted(u64),
    /// The case is already here.
    #[error("this case is already here as case {0} (same identifier); nothing was imported")]
    AlreadyHere(CaseId),
    /// The ledger does not describe records we can rebuild.
    #[error("the packet's ledger cannot be replayed ({0}); nothing was imported")]
    Ledger(String),
    /// The data directory failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The vault failed.
    #[error(transparent)]
    Vault(#[from] crate::vault::VaultError),
    /// Reading the ZIP or writing a temp file failed.
    #[error("{0}")]
    Io(String),
}

fn read_entry(
    zip: &mut zip::ZipArchive<std::fs::File>,
    name: &str,
) -> Result<Vec<u8>, ImportError> {
    let e = zip
        .by_name(name)
        .map_err(|e| ImportError::Io(format!("{name}: {e}")))?;
    let mut out = Vec::new();
    e.take(64 << 20)
        .read_to_end(&mut out)
        .map_err(|e| ImportError::Io(format!("{name}: {e}")))?;
    Ok(out)
}

fn field<T: serde::de::DeserializeOwned>(
    v: &serde_json::Map<String, Value>,
    what: &str,
) -> Result<T, ImportError> {
    serde_json::from_value(Value::Object(v.clone()))
        .map_err(|e| ImportError::Ledger(format!("{what}: {e}")))
}

/// Verifies the packet at `path` and, when intact, adds its case.
pub fn import(dd: &mut DataDir, path: &Path, now: DateTime<Utc>) -> Result<Imported, ImportError> {
    let report = verify(path)?;
    if !report.intact {
        let mut why: Vec<String> = report
            .files
            .iter()
            .filter(|f| f.verdict != Verdict::Ok)
            .map(|f| format!("{}: {:?}", f.path, f.verdict).to_lowercase())
            .collect();
        why.extend(report.ledger.problems.iter().cloned());
        return Err(ImportError::NotIntact(why.join("; ")));
    }
    if report.ledger.redacted_entries > 0 {
        return Err(ImportError::Redacted(report.ledger.redacted_entries));
    }
    let file = std::fs::File::open(path).map_err(|e| ImportError::Io(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| ImportError::Io(e.to_string()))?;
    let manifest: Manifest = serde_json::from_slice(&read_entry(&mut zip, "manifest.json")?)
        .map_err(|e| ImportError::Io(format!("manifest.json: {e}")))?;
    if let Some(id) = dd.store.case_by_uid(&manifest.case.uid)? {
        return Err(ImportError::AlreadyHere(id));
    }
    let text = String::from_utf8(read_entry(&mut zip, "ledger.jsonl")?)
        .map_err(|_| ImportError::Ledger("not UTF-8".into()))?;
    let mut entries = Vec::new();
    for line in text.lines() {
        let l: LedgerLine =
            serde_json::from_str(line).map_err(|e| ImportError::Ledger(e.to_string()))?;
        entries.push(Entry {
            seq: l.seq,
            at: l.at,
            kind: l.kind,
            payload: l.payload,
            prev_hash: l
                .prev_hash
                .parse()
                .map_err(|_| ImportError::Ledger("hash".into()))?,
            hash: l
                .hash
                .parse()
                .map_err(|_| ImportError::Ledger("hash".into()))?,
        });
    }
    // Ids as the sender's database last had them (a case imported before carries its maps).
    let current = translate(&entries);
    let state = replay(&current).map_err(|e| ImportError::Ledger(e.to_string()))?;

    // Times and retractions from the entries, by record.
    let mut added: HashMap<(String, i64), String> = HashMap::new();
    let mut edited: HashMap<(String, i64), String> = HashMap::new();
    let mut retracted: HashMap<(String, i64), (String, String)> = HashMap::new();
    let mut ended: HashMap<i64, (String, Option<String>)> = HashMap::new();
    let mut case_edited = None;
    for e in &current {
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let id = p
            .get("id")
            .or_else(|| p.get("number"))
            .and_then(Value::as_i64);
        let (record, action) = e.kind.split_once('.').unwrap_or(("", ""));
        match (record, action, id) {
            ("case", "edited", _) => case_edited = Some(e.at.clone()),
            (r, "added", Some(id)) => {
                added.insert((r.to_owned(), id), e.at.clone());
            }
            (r, "edited", Some(id)) => {
                edited.insert((r.to_owned(), id), e.at.clone());
            }
            (r, "retracted", Some(id)) => {
                let reason = p
                    .get("reason")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                retracted.insert((r.to_owned(), id), (e.at.clone(), reason));
            }
            ("promise", "ended", Some(id)) => {
                let note = p.get("note").and_then(Value::as_str).map(str::to_owned);
                ended.insert(id, (e.at.clone(), note));
            }
            _ => {}
        }
    }
    let at = |r: &str, id: i64| added.get(&(r.to_owned(), id)).cloned().unwrap_or_default();

    let fields: CaseFields = field(&state.case, "case")?;
    let mut contacts = Vec::new();
    for (id, rs) in &state.contacts {
        contacts.push(ImportedContact {
            packet_id: *id,
            fields: field(&rs.fields, &format!("contact {id}"))?,
            created_at: at("contact", *id),
            edited_at: edited.get(&("contact".into(), *id)).cloned(),
            retracted: retracted.get(&("contact".into(), *id)).cloned(),
        });
    }
    let mut promises = Vec::new();
    for (id, rs) in &state.promises {
        let status: PromiseStatus = rs
            .status
            .as_deref()
            .unwrap_or("pending")
            .parse()
            .map_err(|e| ImportError::Ledger(format!("promise {id}: {e}")))?;
        promises.push(ImportedPromise {
            packet_id: *id,
            fields: field(&rs.fields, &format!("promise {id}"))?,
            status,
            ended: ended.get(id).cloned(),
            created_at: at("promise", *id),
            edited_at: edited.get(&("promise".into(), *id)).cloned(),
        });
    }
    // Evidence files into the vault first (a crash after this leaves only unreferenced objects).
    let tmp_dir = tempfile::Builder::new()
        .prefix(".import-")
        .tempdir_in(dd.root().join("packets"))
        .map_err(|e| ImportError::Io(e.to_string()))?;
    let mut evidence = Vec::new();
    for (number, rs) in &state.evidence {
        let f: EvidenceFields = field(&rs.fields, &format!("evidence {number}"))?;
        let prefix = format!("evidence/{}-", evidence_label(*number as u32));
        let member = manifest
            .files
            .iter()
            .find(|m| {
                m.path.starts_with(&prefix)
                    && !m.path.ends_with(".json")
                    && m.sha256 == f.sha256.to_hex()
            })
            .ok_or_else(|| {
                ImportError::Ledger(format!("no file for {}", evidence_label(*number as u32)))
            })?;
        // A fixed name: the original name is only data, never a path.
        let tmp = tmp_dir.path().join(evidence_label(*number as u32));
        {
            let mut e = zip
                .by_name(&member.path)
                .map_err(|e| ImportError::Io(format!("{}: {e}", member.path)))?;
            let mut out =
                std::fs::File::create(&tmp).map_err(|e| ImportError::Io(e.to_string()))?;
            std::io::copy(&mut e, &mut out).map_err(|e| ImportError::Io(e.to_string()))?;
        }
        let stored = dd.vault.import_file(&tmp, &Control::default())?;
        let _ = std::fs::remove_file(&tmp);
        if stored.sha256 != f.sha256 {
            return Err(ImportError::Io(format!(
                "{} changed while it was copied; nothing was imported",
                member.path
            )));
        }
        evidence.push(ImportedEvidence {
            number: *number as u32,
            fields: f,
            imported_at: at("evidence", *number),
            retracted: retracted.get(&("evidence".into(), *number)).cloned(),
        });
    }
    let title = fields.title.clone();
    let imported = ImportedCase {
        uid: manifest.case.uid.clone(),
        fields,
        created_at: entries.first().map(|e| e.at.clone()).unwrap_or_default(),
        edited_at: case_edited,
        contacts,
        promises,
        evidence,
        packet_sha256: report.packet_sha256.clone(),
        entries,
    };
    let case_id = dd.store.import_case(&imported, now)?;
    Ok(Imported {
        case_id,
        title,
        evidence: imported.evidence.len(),
        entries: imported.entries.len(),
    })
}
