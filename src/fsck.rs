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
    let mut scratch = crate::store::Scratch::new()?;
    for case_id in dd.store.case_ids()? {
        let uid = dd.store.case_uid(case_id)?;
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
        // The chain replayed through the store's own projector into a scratch database, then
        // every column of every row compared: what the ledger says the rows are, against what
        // they are. Each entry that cannot be replayed and each row that cannot be read is
        // named, and the check goes on.
        let for_replay = crate::ledger::translate(&entries);
        for p in scratch.replay(case_id, &uid, &for_replay) {
            report.problems.push(Problem::Ledger {
                case_id,
                seq: p.seq,
                detail: p.detail,
            });
        }
        for p in dd
            .store
            .unreadable_rows(case_id)?
            .into_iter()
            .chain(dd.store.differences(&scratch, case_id)?)
        {
            report.problems.push(Problem::Record {
                case_id,
                record: p.record,
                detail: p.detail,
            });
        }
    }
    Ok(())
}

fn check_vault(dd: &DataDir, control: &Control, report: &mut Report) -> Result<(), FsckError> {
    let mut users: BTreeMap<Sha256, Vec<(CaseId, String)>> = BTreeMap::new();
    // Read as stored: a row this build cannot read otherwise is named by the ledger check,
    // and its file is still checked here.
    for (case_id, number, sha256) in dd.store.evidence_objects()? {
        users
            .entry(sha256)
            .or_default()
            .push((case_id, evidence_label(number)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{case_fields, contact_fields, t};

    fn records(report: &Report) -> Vec<String> {
        report
            .problems
            .iter()
            .filter_map(|p| match p {
                Problem::Record {
                    case_id,
                    record,
                    detail,
                } => Some(format!("case {case_id}: {record} {detail}")),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn five_kinds_of_damage_are_all_named_in_one_run() {
        let dir = tempfile::tempdir().unwrap();
        let mut dd = DataDir::open(dir.path()).unwrap();
        let now = t("2026-11-20T05:30:00Z");
        let one = dd.store.create_case(&case_fields(), now).unwrap();
        let two = dd.store.create_case(&case_fields(), now).unwrap();
        for at in [
            "2026-11-20T06:00:00Z",
            "2026-11-20T07:00:00Z",
            "2026-11-20T08:00:00Z",
        ] {
            dd.store.add_contact(one, &contact_fields(at), now).unwrap();
        }
        dd.store
            .add_contact(two, &contact_fields("2026-11-20T06:00:00Z"), now)
            .unwrap();
        let clean = check(&dd, &Control::default()).unwrap();
        assert!(clean.is_intact, "{:?}", clean.problems);

        // What a hand with sqlite3 can do behind recourse's back: a date no reader takes, a
        // code this build does not know, a changed field, a row removed, a row added.
        dd.store
            .conn()
            .execute_batch(
                "UPDATE contacts SET started_at = '어제 오후' WHERE id = 1;
                 UPDATE cases SET category = 'alien-abduction' WHERE id = 2;
                 UPDATE cases SET title = '바꾼 제목' WHERE id = 1;
                 DELETE FROM contacts WHERE id = 3;
                 INSERT INTO contacts (case_id, started_at, channel, direction, tier, summary,
                     outcome, created_at)
                 VALUES (1, '2026-11-20T09:00:00Z', 'phone', 'outgoing', 'first-line', '없던 통화',
                     'unresolved', '2026-11-20T09:00:00Z');",
            )
            .unwrap();
        let report = check(&dd, &Control::default()).unwrap();
        assert!(!report.is_intact);
        assert_eq!(report.counts.cases, 2, "it went on past the damaged case");
        let found = records(&report);
        for expected in [
            "case 1: contact 1 cannot be read (bad time '어제 오후'",
            "case 1: contact 1 field 'started_at' differs from the ledger",
            "case 2: case cannot be read (",
            "case 2: case field 'category' differs from the ledger",
            "case 1: case field 'title' differs from the ledger",
            "case 1: contact 3 is in the ledger but missing from the database",
            "case 1: contact 5 is in the database but not in the ledger",
        ] {
            assert!(
                found.iter().any(|f| f.starts_with(expected)),
                "{expected} not in {found:#?}"
            );
        }
        // Nothing else: the rows left alone are not blamed.
        assert_eq!(found.len(), 7, "{found:#?}");
    }

    #[test]
    fn every_column_is_compared_not_only_the_fields() {
        let dir = tempfile::tempdir().unwrap();
        let mut dd = DataDir::open(dir.path()).unwrap();
        let now = t("2026-11-20T05:30:00Z");
        let case = dd.store.create_case(&case_fields(), now).unwrap();
        let c = dd
            .store
            .add_contact(case, &contact_fields("2026-11-20T06:00:00Z"), now)
            .unwrap();
        dd.store
            .retract_contact(c, "잘못 기록", t("2026-11-20T07:00:00Z"))
            .unwrap();
        assert!(check(&dd, &Control::default()).unwrap().is_intact);
        // The times and the reason the report prints, which the old check never compared.
        dd.store
            .conn()
            .execute_batch(
                "UPDATE contacts SET retract_reason = '회사가 지우라고 함', created_at = '2026-11-19T00:00:00Z';
                 UPDATE cases SET created_at = '2026-11-01T00:00:00Z';",
            )
            .unwrap();
        let found = records(&check(&dd, &Control::default()).unwrap());
        assert_eq!(
            found,
            [
                "case 1: case field 'created_at' differs from the ledger",
                "case 1: contact 1 field 'created_at' differs from the ledger",
                "case 1: contact 1 field 'retract_reason' differs from the ledger",
            ],
        );
    }
}
