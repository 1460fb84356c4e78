//! The whole-data-directory check behind `recourse fsck`.
//!
//! It proves three things and names every exception: the SQLite file is sound; every case's
//! ledger chain re-computes from its first entry and accounts for every record; every vault
//! object's bytes still hash to its name and every evidence row's object is there. Each
//! object is hashed once, however many cases share it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::datadir::DataDir;
use crate::ledger::check_chain;
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
    /// A record in the database differs from what its ledger says, or only one of the two
    /// has it: it was changed outside recourse.
    Record {
        /// The case.
        case_id: CaseId,
        /// Which record: `case`, `contact 3`, `promise 2`, `evidence E001`.
        record: String,
        /// What differs.
        detail: String,
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
            Problem::Record {
                case_id,
                record,
                detail,
            } => write!(
                f,
                "case {case_id}: {record} {detail}: it was changed outside recourse; the ledger holds what recourse wrote"
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
            report.problems.push(Problem::Ledger {
                case_id,
                seq: problem.seq(),
                detail: problem.to_string(),
            });
        }
        // Every timestamp checked offline against the entry it covers, every receipt code
        // against the entry it names: a proof that proves nothing is a problem, never ignored.
        let proofs = crate::proof::chain::proofs(&entries);
        for s in proofs.stamps.iter().filter(|s| s.result.is_err()) {
            report.problems.push(Problem::Ledger {
                case_id,
                seq: s.seq,
                detail: format!(
                    "its timestamp (over entry {}) proves nothing: {}",
                    s.covers,
                    s.result
                        .as_ref()
                        .err()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                ),
            });
        }
        for r in &proofs.receipts {
            if let Some(p) = &r.problem {
                report.problems.push(Problem::Ledger {
                    case_id,
                    seq: r.seq,
                    detail: format!("its receipt code {}: {p}", r.code.escape_debug()),
                });
            }
        }
        let for_replay = crate::ledger::translate(&entries);
        compare_records(dd, case_id, &for_replay, report)?;
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

/// A record as the database holds it, in the ledger's terms.
struct RowState {
    fields: serde_json::Value,
    status: Option<String>,
    is_retracted: bool,
}

fn json_of<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Replays the case's ledger and compares every record with its row.
fn compare_records(
    dd: &DataDir,
    case_id: CaseId,
    entries: &[crate::ledger::Entry],
    report: &mut Report,
) -> Result<(), FsckError> {
    let replayed = match crate::ledger::replay(entries) {
        Ok(r) => r,
        Err(e) => {
            report.problems.push(Problem::Ledger {
                case_id,
                seq: e.seq,
                detail: e.to_string(),
            });
            return Ok(());
        }
    };
    let mut push = |record: String, detail: String| {
        report.problems.push(Problem::Record {
            case_id,
            record,
            detail,
        })
    };
    let case = dd.store.case(case_id)?;
    let case_fields = json_of(&case.fields);
    // Entries written before a field existed do not name it: it holds its default there (the
    // facts of schema 6: no problems recorded).
    let mut ledger_case = replayed.case.clone();
    ledger_case
        .entry("problems")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    for field in differing(&case_fields, &ledger_case) {
        push(
            "case".into(),
            format!("field '{field}' differs from the ledger"),
        );
    }
    let contacts = dd.store.contacts(case_id)?.into_iter().map(|c| {
        (
            c.id.0,
            RowState {
                fields: json_of(&c.fields),
                status: None,
                is_retracted: c.retracted.is_some(),
            },
        )
    });
    let promises = dd.store.promises(case_id)?.into_iter().map(|p| {
        (
            p.id.0,
            RowState {
                fields: json_of(&p.fields),
                status: Some(p.status.to_string()),
                is_retracted: false,
            },
        )
    });
    let evidence = dd.store.evidence(case_id)?.into_iter().map(|e| {
        (
            i64::from(e.number),
            RowState {
                fields: json_of(&e.fields),
                status: None,
                is_retracted: e.retracted.is_some(),
            },
        )
    });
    let problems = &mut report.problems;
    compare_group(
        case_id,
        contacts.collect(),
        &replayed.contacts,
        problems,
        |id| format!("contact {id}"),
    );
    compare_group(
        case_id,
        promises.collect(),
        &replayed.promises,
        problems,
        |id| format!("promise {id}"),
    );
    compare_group(
        case_id,
        evidence.collect(),
        &replayed.evidence,
        problems,
        |n| {
            format!(
                "evidence {}",
                evidence_label(u32::try_from(n).unwrap_or(u32::MAX))
            )
        },
    );
    Ok(())
}

/// Compares one kind of record, by id, between the database and the replayed ledger.
fn compare_group(
    case_id: CaseId,
    rows: BTreeMap<i64, RowState>,
    ledger: &BTreeMap<i64, crate::ledger::RecordState>,
    problems: &mut Vec<Problem>,
    label: impl Fn(i64) -> String,
) {
    let mut push = |id: i64, detail: String| {
        problems.push(Problem::Record {
            case_id,
            record: label(id),
            detail,
        })
    };
    for (id, row) in &rows {
        let Some(expected) = ledger.get(id) else {
            push(*id, "is in the database but not in the ledger".into());
            continue;
        };
        for field in differing(&row.fields, &expected.fields) {
            push(*id, format!("field '{field}' differs from the ledger"));
        }
        if row.status != expected.status {
            push(*id, "status differs from the ledger".into());
        }
        if row.is_retracted != expected.is_retracted {
            push(*id, "retraction differs from the ledger".into());
        }
    }
    for id in ledger.keys().filter(|id| !rows.contains_key(id)) {
        push(*id, "is in the ledger but missing from the database".into());
    }
}

/// The top-level fields whose values differ between a row and the ledger's version of it.
fn differing(
    row: &serde_json::Value,
    ledger: &serde_json::Map<String, serde_json::Value>,
) -> Vec<String> {
    let Some(row) = row.as_object() else {
        return vec!["(all)".into()];
    };
    let mut keys: BTreeSet<&String> = row.keys().collect();
    keys.extend(ledger.keys());
    keys.into_iter()
        .filter(|k| {
            row.get(*k).unwrap_or(&serde_json::Value::Null)
                != ledger.get(*k).unwrap_or(&serde_json::Value::Null)
        })
        .cloned()
        .collect()
}
