//! Turning a file into evidence: vault first, then the row and its ledger entry.
//!
//! The order is the crash-safety argument: the object is durable before the row that points at
//! it is committed, so a row never lacks its object.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::inspect_file;
use crate::datadir::DataDir;
use crate::model::*;
use crate::store::{EvidenceAdded, StoreError};
use crate::vault::{Control, Sha256, VaultError};

/// What the caller knows about a file being added.
#[derive(Debug, Clone)]
pub struct AddOptions {
    /// The kind, when the user said; otherwise it is guessed from the content.
    pub kind: Option<EvidenceKind>,
    /// The contact it belongs to.
    pub contact_id: Option<ContactId>,
    /// The user's note.
    pub note: Option<String>,
    /// How it came in.
    pub source: EvidenceSource,
    /// When it was captured, when the caller knows and the content does not say (a screen
    /// capture or a pasted image is captured when it is taken).
    pub captured_at: Option<DateTime<Utc>>,
    /// For a recording: what the recorder knows (otherwise read from the file).
    pub audio: Option<AudioInfo>,
}

/// A file added (or found already present).
#[derive(Debug, Clone)]
pub struct AddedFile {
    /// The evidence number in the case (`E001` …).
    pub number: u32,
    /// Whether the case already held this content (nothing new was added).
    pub was_present: bool,
    /// Whether that existing item was retracted.
    pub was_retracted: bool,
    /// The content's digest.
    pub sha256: Sha256,
    /// The size.
    pub size_bytes: u64,
    /// The name stored (lossy UTF-8).
    pub original_name: String,
    /// Whether the file name was not valid UTF-8 and was stored with replacement characters.
    pub name_was_lossy: bool,
    /// The kind stored.
    pub kind: EvidenceKind,
}

/// Why a file could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// The vault refused or failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The database refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks that the case (and contact) exist before any bytes are copied.
pub fn preflight(dd: &DataDir, case_id: CaseId, options: &AddOptions) -> Result<(), AddError> {
    dd.store.case(case_id)?;
    if let Some(contact_id) = options.contact_id {
        dd.store.check_contact_in_case(contact_id, case_id)?;
    }
    Ok(())
}

/// Adds the file at `path` to a case.
pub fn add_file(
    dd: &mut DataDir,
    case_id: CaseId,
    path: &Path,
    options: &AddOptions,
    now: DateTime<Utc>,
    control: &Control,
) -> Result<AddedFile, AddError> {
    let stored = dd.vault.import_file(path, control)?;
    // Inspect the vault's copy: it is what the evidence is, and it can no longer change.
    let object = dd.vault.object_path(&stored.sha256);
    let inspection = inspect_file(&object).map_err(|source| VaultError::Read {
        path: object.clone(),
        source,
    })?;
    let raw_name = path.file_name().unwrap_or(path.as_os_str());
    let original_name = raw_name.to_string_lossy().into_owned();
    let name_was_lossy = raw_name.to_str().is_none();
    let kind = options.kind.unwrap_or(inspection.kind);
    let fields = EvidenceFields {
        contact_id: options.contact_id,
        kind,
        sha256: stored.sha256,
        size_bytes: stored.size_bytes,
        original_name: original_name.clone(),
        media_type: inspection.media_type,
        captured_at: inspection.captured_at.or(options.captured_at),
        source: options.source,
        note: options.note.clone(),
        audio: (kind == EvidenceKind::Recording).then(|| {
            options
                .audio
                .clone()
                .or_else(|| crate::audio::probe::probe(&object))
                .unwrap_or_default()
        }),
    };
    let (number, was_present, was_retracted) = match dd.store.add_evidence(case_id, &fields, now)? {
        EvidenceAdded::New(n) => (n, false, false),
        EvidenceAdded::AlreadyPresent(n) => (n, true, false),
        EvidenceAdded::AlreadyRetracted(n) => (n, true, true),
    };
    Ok(AddedFile {
        number,
        was_present,
        was_retracted,
        sha256: stored.sha256,
        size_bytes: stored.size_bytes,
        original_name,
        name_was_lossy,
        kind,
    })
}
