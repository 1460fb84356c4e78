//! `recourse import`: a verified packet becomes a case here — its records, its evidence in the
//! vault, and its chain byte for byte, continued with `case.imported`.

use std::io::Read;
use std::path::Path;

use super::verify::verify;
use super::{LedgerLine, Manifest};
use crate::datadir::DataDir;
use crate::model::*;
use crate::vault::Control;
use chrono::{DateTime, Utc};

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
    /// It withholds the claimant's details, which the case here would then lack.
    #[error(
        "the packet is redacted: the claimant's phone, email and address are withheld, so the case cannot be rebuilt from it whole; ask the sender for an unredacted packet (nothing was imported)"
    )]
    Redacted,
    /// A record holds a control character.
    #[error(
        "the packet's case holds a control character (at {0}), which could repaint a terminal; nothing was imported — ask the sender to correct it"
    )]
    ControlCharacter(String),
    /// A packet of format 1, whose checks do not bind its evidence to its ledger.
    #[error(
        "this packet is of format 1 (recourse 0.1), whose checks do not bind every file to its ledger, so it is not imported; ask the sender to build it again with this version (`recourse verify` still reads it)"
    )]
    OldFormat,
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

/// Where in `v` a string holds a control character other than a line break or tab.
fn control_character_in(v: &serde_json::Value, at: &str) -> Option<String> {
    match v {
        serde_json::Value::String(s) => s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            .then(|| at.to_owned()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| control_character_in(x, &format!("{at}/{i}"))),
        serde_json::Value::Object(map) => map
            .iter()
            .find_map(|(k, x)| control_character_in(x, &format!("{at}/{k}"))),
        _ => None,
    }
}

/// Verifies the packet at `path` and, when intact, adds its case: exactly what `verify` calls
/// intact is imported, its records from the verified chain, its evidence by ledger record.
pub fn import(dd: &mut DataDir, path: &Path, now: DateTime<Utc>) -> Result<Imported, ImportError> {
    // Verify and import one copy that only this process holds: the file at `path` may change
    // between the check and the reads that follow (a shared folder, a download in progress),
    // and what is imported must be exactly what was verified.
    let private = tempfile::Builder::new()
        .prefix(".import-")
        .suffix(".zip.tmp")
        .tempfile_in(dd.root().join("packets"))
        .map_err(|e| ImportError::Io(e.to_string()))?;
    // Locked while in use: the next start removes the copies of imports that were killed.
    crate::osfile::lock(private.as_file()).map_err(|e| ImportError::Io(e.to_string()))?;
    // Its digest, for `case.imported`, is taken while it is copied.
    let packet_sha256 = {
        let mut from = std::fs::File::open(path).map_err(|e| {
            ImportError::Io(format!("cannot open the packet ({e}): {}", path.display()))
        })?;
        let mut to = super::Hashing::new(private.as_file());
        std::io::copy(&mut from, &mut to).map_err(|e| {
            ImportError::Io(format!("cannot copy the packet ({e}): {}", path.display()))
        })?;
        to.sha256().to_hex()
    };
    import_verified_copy(dd, private.path(), packet_sha256, now)
}

fn import_verified_copy(
    dd: &mut DataDir,
    path: &Path,
    packet_sha256: String,
    now: DateTime<Utc>,
) -> Result<Imported, ImportError> {
    let report = verify(path)?;
    if report.format < 2 {
        return Err(ImportError::OldFormat);
    }
    if report.redacted && report.intact {
        return Err(ImportError::Redacted);
    }
    if !report.intact {
        let mut why: Vec<String> = report
            .bad_files()
            .map(|f| format!("{}: {:?}", f.path.escape_debug(), f.verdict).to_lowercase())
            .collect();
        why.extend(report.ledger.problems.iter().cloned());
        why.extend(report.findings.iter().cloned());
        return Err(ImportError::NotIntact(why.join("; ")));
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
        entries.push(
            l.to_entry()
                .ok_or_else(|| ImportError::Ledger("a malformed hash".into()))?,
        );
    }
    let detail = super::chain::case_from_chain(&manifest.case.uid, &entries, now)
        .map_err(|e| ImportError::Ledger(e.to_string()))?;
    // What is typed here cannot hold control characters (they would repaint a terminal); what
    // comes in a packet may not either, whatever its chain says.
    if let Some(at) = control_character_in(&serde_json::to_value(&detail).unwrap_or_default(), "") {
        return Err(ImportError::ControlCharacter(at));
    }
    // Evidence files into the vault first (a crash after this leaves only unreferenced objects),
    // each from the one entry name its ledger record gives.
    let tmp_dir = tempfile::Builder::new()
        .prefix(".import-")
        .tempdir_in(dd.root().join("packets"))
        .map_err(|e| ImportError::Io(e.to_string()))?;
    for e in &detail.evidence {
        let f = &e.fields;
        let member = format!(
            "evidence/{}",
            super::evidence_file_name(e.number, f.kind.code(), &f.original_name)
        );
        // A fixed name: the original name is only data, never a path.
        let tmp = tmp_dir.path().join(evidence_label(e.number));
        {
            let mut entry = zip
                .by_name(&member)
                .map_err(|err| ImportError::Io(format!("{}: {err}", member.escape_debug())))?;
            let mut out =
                std::fs::File::create(&tmp).map_err(|e| ImportError::Io(e.to_string()))?;
            std::io::copy(&mut entry, &mut out).map_err(|e| ImportError::Io(e.to_string()))?;
        }
        let stored_file = dd.vault.import_file(&tmp, &Control::default())?;
        let _ = std::fs::remove_file(&tmp);
        if stored_file.sha256 != f.sha256 {
            return Err(ImportError::Io(format!(
                "{} changed while it was copied; nothing was imported",
                member.escape_debug()
            )));
        }
    }
    let title = detail.case.fields.title.clone();
    let case_id = dd
        .store
        .import_case(&manifest.case.uid, &entries, &packet_sha256, now)?;
    // The key it came with, to tell a later packet of this case from another key's.
    if let Some(key) = report
        .sender
        .as_ref()
        .filter(|s| s.signature_valid)
        .and_then(|s| crate::proof::key::PublicKey::from_base64(&s.public_key))
    {
        dd.store.set_case_sender(case_id, &key, now)?;
    }
    Ok(Imported {
        case_id,
        title,
        evidence: detail.evidence.len(),
        entries: entries.len(),
    })
}
