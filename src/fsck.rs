//! The whole-data-directory check behind `recourse fsck`.
//!
//! It proves three things and names every exception: the SQLite file is sound; every case's
//! ledger chain re-computes from its first entry and accounts for every record; every vault
//! object's bytes still hash to its name and every evidence row's object is there. Each
//! object is hashed once, however many cases share it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::datadir::DataDir;
use crate::ledger::{ChainProblem, check_chain};
use crate::model::{CaseId, evidence_label};
use crate::store::StoreError;
use crate::vault::{Control, ObjectCheck, Sha256, Vault, VaultError};

/// One thing that does not hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum Problem {
    /// SQLite's own check failed.
    Database {
        /// What SQLite said.
        detail: String,
    },
    /// A ledger chain is broken.
    Ledger {
        /// The case.
        case_id: CaseId,
        /// The entry concerned.
        seq: u64,
        /// What is wrong.
        detail: String,
    },
    /// A case has records the ledger does not account for, or the reverse.
    Unrecorded {
        /// The case.
        case_id: CaseId,
        /// Which records ("evidence", "contacts", "promises").
        records: String,
        /// Rows in the table.
        rows: u64,
        /// Ledger entries that added them.
        entries: u64,
    },
    /// A vault object's bytes no longer hash to its name.
    EvidenceAltered {
        /// The case.
        case_id: CaseId,
        /// `E001` …
        evidence: String,
        /// The object's path under the data directory.
        path: String,
        /// What the bytes hash to now.
        actual_sha256: Sha256,
    },
    /// An evidence row's object is not in the vault.
    EvidenceMissing {
        /// The case.
        case_id: CaseId,
        /// `E001` …
        evidence: String,
        /// Where the object should be.
        path: String,
    },
    /// A vault object could not be read back.
    Unreadable {
        /// Its path under the data directory.
        path: String,
        /// The system's reason.
        detail: String,
    },
    /// Something in the vault's objects folder that is not an object.
    StrayFile {
        /// Its path.
        path: String,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Database { detail } => write!(
                f,
                "database: SQLite reports damage ({detail}); restore recourse.sqlite3 from a backup"
            ),
            Problem::Ledger {
                case_id, detail, ..
            } => write!(f, "case {case_id}: {detail}"),
            Problem::Unrecorded {
                case_id,
                records,
                rows,
                entries,
            } => write!(
                f,
                "case {case_id}: {rows} {records} in the database but {entries} in the ledger: records were added or removed outside recourse"
            ),
            Problem::EvidenceAltered {
                case_id,
                evidence,
                path,
                actual_sha256,
            } => write!(
                f,
                "case {case_id}, evidence {evidence}: the stored file was altered (its SHA-256 is now {}); restore it from a backup or a packet: {path}",
                actual_sha256.short()
            ),
            Problem::EvidenceMissing {
                case_id,
                evidence,
                path,
            } => write!(
                f,
                "case {case_id}, evidence {evidence}: the stored file is missing; restore it from a backup or a packet: {path}"
            ),
            Problem::Unreadable { path, detail } => write!(
                f,
                "vault: a stored file cannot be read ({detail}); check the disk and its permissions: {path}"
            ),
            Problem::StrayFile { path } => write!(
                f,
                "vault: a file that is not a stored object (its name is not its SHA-256); move it out of the vault: {path}"
            ),
        }
    }
}

/// What the check counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Cases checked.
    pub cases: u64,
    /// Ledger entries re-computed.
    pub ledger_entries: u64,
    /// Evidence rows checked.
    pub evidence: u64,
    /// Vault objects re-hashed.
    pub objects: u64,
    /// Bytes re-hashed.
    pub object_bytes: u64,
    /// Objects no evidence row points at (left by an interrupted import; harmless).
    pub unreferenced_objects: u64,
    /// Temp files of killed imports removed when the data directory was opened.
    pub cleaned_temp_files: u64,
}

/// The result of a check.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Whether everything holds.
    pub is_intact: bool,
    /// Every problem found.
    pub problems: Vec<Problem>,
    /// What was checked.
    pub counts: Counts,
}

/// Why the check itself could not run.
#[derive(Debug, thiserror::Error)]
pub enum FsckError {
    /// The database could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The vault could not be read.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Checks a data directory.
pub fn check(dd: &DataDir, control: &Control) -> Result<Report, FsckError> {
    let mut report = Report {
        counts: Counts {
            cleaned_temp_files: dd.cleaned_temp_files as u64,
            ..Counts::default()
        },
        ..Report::default()
    };
    for detail in dd.store.integrity_problems()? {
        report.problems.push(Problem::Database { detail });
    }
    check_ledgers(dd, &mut report)?;
    check_vault(dd, control, &mut report)?;
    report.is_intact = report.problems.is_empty();
    Ok(report)
}

fn check_ledgers(dd: &DataDir, report: &mut Report) -> Result<(), FsckError> {
    for case_id in dd.store.case_ids()? {
        let uid = dd.store.case(case_id)?.uid;
        let entries = dd.store.ledger(case_id)?;
        report.counts.cases += 1;
        report.counts.ledger_entries += entries.len() as u64;
        for problem in check_chain(&uid, &entries) {
            let seq = match problem {
                ChainProblem::Sequence { found, .. } => found,
                ChainProblem::Link { seq } | ChainProblem::Content { seq } => seq,
            };
            report.problems.push(Problem::Ledger {
                case_id,
                seq,
                detail: problem.to_string(),
            });
        }
        let added = |kind: &str| entries.iter().filter(|e| e.kind == kind).count() as u64;
        let rows = [
            (
                "contacts",
                dd.store.contacts(case_id)?.len() as u64,
                added("contact.added"),
            ),
            (
                "promises",
                dd.store.promises(case_id)?.len() as u64,
                added("promise.added"),
            ),
            (
                "evidence",
                dd.store.evidence(case_id)?.len() as u64,
                added("evidence.added"),
            ),
        ];
        for (records, rows, entries) in rows {
            if rows != entries {
                report.problems.push(Problem::Unrecorded {
                    case_id,
                    records: records.to_owned(),
                    rows,
                    entries,
                });
            }
        }
    }
    Ok(())
}

fn check_vault(dd: &DataDir, control: &Control, report: &mut Report) -> Result<(), FsckError> {
    let mut users: BTreeMap<Sha256, Vec<(CaseId, String)>> = BTreeMap::new();
    for e in dd.store.all_evidence()? {
        users
            .entry(e.fields.sha256)
            .or_default()
            .push((e.case_id, evidence_label(e.number)));
        report.counts.evidence += 1;
    }
    let mut present = BTreeSet::new();
    for object in dd.vault.objects() {
        match object {
            Ok(sha) => {
                report.counts.objects += 1;
                let before = control
                    .done_bytes
                    .load(std::sync::atomic::Ordering::Relaxed);
                let result = match dd.vault.check(&sha, control) {
                    Ok(result) => result,
                    Err(VaultError::Cancelled) => return Err(VaultError::Cancelled.into()),
                    Err(e) => {
                        present.insert(sha);
                        let detail = match &e {
                            VaultError::Unreadable { source, .. } => source.to_string(),
                            other => other.to_string(),
                        };
                        report.problems.push(Problem::Unreadable {
                            path: Vault::display_path(&sha),
                            detail,
                        });
                        continue;
                    }
                };
                // Gone between listing and reading: the check below reports it as missing.
                if result == ObjectCheck::Missing {
                    continue;
                }
                present.insert(sha);
                report.counts.object_bytes += control
                    .done_bytes
                    .load(std::sync::atomic::Ordering::Relaxed)
                    - before;
                let Some(rows) = users.get(&sha) else {
                    report.counts.unreferenced_objects += 1;
                    continue;
                };
                if let ObjectCheck::Altered { actual } = result {
                    for (case_id, evidence) in rows {
                        report.problems.push(Problem::EvidenceAltered {
                            case_id: *case_id,
                            evidence: evidence.clone(),
                            path: Vault::display_path(&sha),
                            actual_sha256: actual,
                        });
                    }
                }
            }
            Err(path) => report.problems.push(Problem::StrayFile {
                path: path
                    .strip_prefix(dd.root())
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
            }),
        }
    }
    for (sha, rows) in &users {
        if !present.contains(sha) {
            for (case_id, evidence) in rows {
                report.problems.push(Problem::EvidenceMissing {
                    case_id: *case_id,
                    evidence: evidence.clone(),
                    path: Vault::display_path(sha),
                });
            }
        }
    }
    Ok(())
}
