//! Checking a packet of format 1 (recourse 0.1), which is no longer written. Its checks are
//! the ones that format had — the lists agree with the files and the chain is unbroken — and
//! its verdict says what they leave open: derived files are not rebuilt, evidence is matched by
//! digest rather than bound to its record, and redacted entries cannot be checked.
//!
//! Checking a packet without trusting it: every entry streamed and hashed (nothing extracted,
//! memory bounded), compared with `manifest.json` and `SHA256SUMS` and the two with each other,
//! the ledger chain recomputed, and every evidence entry of the ledger matched to its file.
//!
//! Hostile input — names that climb out of the folder or are absolute, symlinks, duplicate
//! names, overlapping entries, entries holding more than they declare, ZIP bombs, truncated or
//! non-ZIP files, non-UTF-8 names, malformed or lying manifests — is an error, never a guess.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::verify::{FileVerdict, LedgerVerdict, Verdict, VerifyError, VerifyReport};
use super::zipread::{
    EntryRead as Read_, check_name, header_problem, hostile, parse_sums, read_entry,
};
use super::{
    FORMAT_1 as FORMAT, ManifestCase, ManifestFile, ManifestLedger, PacketLang, Recipient,
};
use crate::ledger::{GENESIS, entry_hash};
use crate::vault::Sha256;

/// `manifest.json` of format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    generator: String,
    case: ManifestCase,
    generated_at: String,
    lang: PacketLang,
    recipient: Recipient,
    redacted: bool,
    files: Vec<ManifestFile>,
    ledger: ManifestLedger,
}

/// A line of format 1's `ledger.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LedgerLine {
    case_uid: String,
    seq: u64,
    at: String,
    kind: String,
    payload: String,
    #[serde(default)]
    redacted: bool,
    prev_hash: String,
    hash: String,
}

/// Checks the packet at `path`.
pub fn verify(path: &Path) -> Result<VerifyReport, VerifyError> {
    // The ZIP headers' own bytes, for what the zip crate does not say (see header_problem).
    let (headers, mut zip) = super::verify::open_checked(path)?;
    let mut order: Vec<String> = Vec::new();
    let mut found: BTreeMap<String, Read_> = BTreeMap::new();
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| VerifyError::Unreadable(format!("entry {i} cannot be read ({e})")))?;
        let name = std::str::from_utf8(entry.name_raw())
            .map_err(|_| hostile(format!("entry {i}'s name is not UTF-8")))?
            .to_owned();
        check_name(&name)?;
        if entry.is_symlink() {
            return Err(hostile(format!("{name} is a symbolic link")));
        }
        if entry.is_dir() {
            continue;
        }
        let keep = matches!(
            name.as_str(),
            "manifest.json" | "SHA256SUMS" | "ledger.jsonl"
        );
        let (central, local) = (entry.central_header_start(), entry.header_start());
        let raw_name = entry.name_raw().to_vec();
        let sizes = (entry.size(), entry.compressed_size());
        let mut read = read_entry(entry, &name, keep)?;
        if read.damaged.is_none()
            && let Some(why) = header_problem(&headers, central, local, &raw_name, sizes, None)
        {
            read.damaged = Some(why);
            read.kept = None;
        }
        order.push(name.clone());
        found.insert(name, read);
    }

    // The lists.
    let (has_manifest, has_sums) = (
        found.contains_key("manifest.json"),
        found.contains_key("SHA256SUMS"),
    );
    if !has_manifest && !has_sums {
        return Err(hostile(
            "this ZIP has neither manifest.json nor SHA256SUMS: it is not a recourse packet",
        ));
    }
    let sums_bytes = found.get("SHA256SUMS").and_then(|r| r.kept.clone());
    let manifest_bytes = found.get("manifest.json").and_then(|r| r.kept.clone());
    let sums: Option<BTreeMap<String, String>> = sums_bytes.as_deref().and_then(parse_sums);
    let manifest: Option<Manifest> = manifest_bytes
        .as_deref()
        .and_then(|b| serde_json::from_slice(b).ok());
    let manifest_sha = manifest_bytes
        .as_deref()
        .map(|b| hex::encode(sha2::Sha256::digest(b)));
    let sums_says_manifest = sums.as_ref().and_then(|s| s.get("manifest.json").cloned());

    let mut files: Vec<FileVerdict> = Vec::new();
    // A list present but unreadable is altered; an absent one is reported missing below.
    let mut sums_altered = has_sums && sums.is_none();
    let mut manifest_altered = has_manifest && manifest.is_none();
    // Read loosely for the format first: a newer format may add fields this one refuses.
    let format = manifest_bytes
        .as_deref()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| v.get("format")?.as_str().map(str::to_owned));
    if let Some(format) = format
        && format != FORMAT
    {
        return Err(hostile(format!(
            "manifest.json says format \"{format}\"; this recourse reads \"{FORMAT}\" — update recourse"
        )));
    }
    // A manifest that makes no sense is a lie when SHA256SUMS vouches for it, damage otherwise.
    let vouched = manifest_sha.is_some() && sums_says_manifest == manifest_sha;
    if let Some(m) = &manifest
        && let Err(why) = manifest_sense(m)
    {
        if vouched {
            return Err(hostile(why));
        }
        manifest_altered = true;
    }
    if manifest.is_none()
        && manifest_sha.is_some()
        && sums_says_manifest.is_some()
        && sums_says_manifest == manifest_sha
    {
        return Err(hostile(
            "manifest.json is not a valid manifest, yet SHA256SUMS vouches for it: the packet was made to mislead",
        ));
    }
    if let (Some(m), Some(s), false) = (&manifest, &sums, manifest_altered) {
        if sums_says_manifest != manifest_sha {
            // Either list could be the damaged one: the one that disagrees with the other's
            // file lines is.
            let agree = m
                .files
                .iter()
                .filter(|f| s.get(&f.path) == Some(&f.sha256))
                .count();
            if agree == m.files.len() {
                sums_altered = true;
            } else {
                manifest_altered = true;
            }
        } else {
            let lines_match = m.files.iter().all(|f| s.get(&f.path) == Some(&f.sha256))
                && s.len() == m.files.len() + 1;
            if !lines_match {
                sums_altered = true;
            }
        }
    }
    let listed_manifest: BTreeMap<&str, (u64, &str)> = manifest
        .as_ref()
        .filter(|_| !manifest_altered)
        .map(|m| {
            m.files
                .iter()
                .map(|f| (f.path.as_str(), (f.size, f.sha256.as_str())))
                .collect()
        })
        .unwrap_or_default();
    let listed_sums: BTreeMap<&str, &str> = sums
        .as_ref()
        .filter(|_| !sums_altered)
        .map(|s| s.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect())
        .unwrap_or_default();
    for name in &order {
        let read = &found[name];
        let hex_sha = read.sha.to_hex();
        let verdict = |verdict, detail: Option<String>| FileVerdict {
            path: name.clone(),
            verdict,
            detail,
            evidence: None,
        };
        let v = if name == "manifest.json" {
            if manifest_altered {
                verdict(
                    Verdict::Altered,
                    Some("does not match its line in SHA256SUMS nor the files".into()),
                )
            } else {
                verdict(Verdict::Ok, None)
            }
        } else if name == "SHA256SUMS" {
            if sums_altered {
                verdict(
                    Verdict::Altered,
                    Some("its lines disagree with manifest.json and the files".into()),
                )
            } else {
                verdict(Verdict::Ok, None)
            }
        } else if let Some(why) = &read.damaged {
            verdict(Verdict::Altered, Some(why.clone()))
        } else {
            let m = listed_manifest.get(name.as_str());
            let s = listed_sums.get(name.as_str());
            match (m, s) {
                (None, None) if manifest_altered || sums_altered => {
                    // With one list damaged, the other alone decides.
                    verdict(Verdict::Extra, Some("listed in no intact list".into()))
                }
                (None, None) => verdict(Verdict::Extra, Some("listed nowhere".into())),
                (Some((size, sha)), _) if *sha != hex_sha || *size != read.size => verdict(
                    Verdict::Altered,
                    Some(format!("SHA-256 is {hex_sha}, the manifest says {sha}")),
                ),
                (_, Some(sha)) if *sha != hex_sha => verdict(
                    Verdict::Altered,
                    Some(format!("SHA-256 is {hex_sha}, SHA256SUMS says {sha}")),
                ),
                (Some(_), None) if !sums_altered => verdict(
                    Verdict::Unlisted,
                    Some("in manifest.json but not in SHA256SUMS".into()),
                ),
                (None, Some(_)) if !manifest_altered => verdict(
                    Verdict::Unlisted,
                    Some("in SHA256SUMS but not in manifest.json".into()),
                ),
                _ => verdict(Verdict::Ok, None),
            }
        };
        files.push(v);
    }
    let present: BTreeSet<&str> = order.iter().map(String::as_str).collect();
    let mut missing: BTreeSet<&str> = listed_manifest.keys().copied().collect();
    missing.extend(listed_sums.keys().copied());
    for (name, there) in [("manifest.json", has_manifest), ("SHA256SUMS", has_sums)] {
        if !there {
            missing.insert(name);
        }
    }
    for name in missing {
        if !present.contains(name) {
            files.push(FileVerdict {
                path: name.to_owned(),
                verdict: Verdict::Missing,
                detail: Some("listed but not in the ZIP".into()),
                evidence: None,
            });
        }
    }

    let ledger = check_ledger(
        found.get("ledger.jsonl").and_then(|r| r.kept.as_deref()),
        manifest.as_ref().filter(|_| !manifest_altered),
        &found,
    );
    let intact = files.iter().all(|f| f.verdict == Verdict::Ok) && ledger.intact;
    let (when, who) = super::verify::when_and_who();
    let weaker = "format 1 (recourse 0.1): the files match the lists and the chain, but derived files (reports, metadata) are not rebuilt from the ledger and evidence is matched by digest only — ask the sender for a packet of format 2";
    Ok(VerifyReport {
        format: 1,
        sender: None,
        unsigned_but_known: None,
        timestamps: Vec::new(),
        receipts: Vec::new(),
        intact,
        packet_sha256: None,
        generator: manifest
            .as_ref()
            .map(|m| m.generator.clone())
            .unwrap_or_default(),
        findings: Vec::new(),
        redacted: manifest.as_ref().is_some_and(|m| m.redacted),
        claims: super::verify::Claims {
            files: super::verify::Claim {
                proven: false,
                says: weaker.into(),
            },
            chain: super::verify::Claim {
                proven: ledger.intact && ledger.redacted_entries == 0,
                says: if ledger.intact {
                    format!(
                        "the ledger chain of {} entries is unbroken{}",
                        ledger.entries,
                        if ledger.redacted_entries > 0 {
                            format!(
                                " in its links, but {} redacted entries cannot be checked",
                                ledger.redacted_entries
                            )
                        } else {
                            String::new()
                        }
                    )
                } else {
                    "the ledger chain does not hold".into()
                },
            },
            when,
            who,
        },
        case_title: manifest
            .as_ref()
            .map(|m| m.case.title.clone())
            .unwrap_or_default(),
        case_uid: manifest
            .as_ref()
            .map(|m| m.case.uid.clone())
            .unwrap_or_default(),
        generated_at: manifest
            .as_ref()
            .map(|m| m.generated_at.clone())
            .unwrap_or_default(),
        files,
        ledger,
    })
}

/// What a manifest must hold to be believed: plain paths, each once, and real digests.
fn manifest_sense(m: &Manifest) -> Result<(), String> {
    if chrono::DateTime::parse_from_rfc3339(&m.generated_at).is_err() {
        return Err(format!(
            "manifest.json says it was built at \"{}\", which is not a time",
            m.generated_at.escape_debug()
        ));
    }
    let mut seen = BTreeSet::new();
    for f in &m.files {
        if check_name(&f.path).is_err() {
            return Err(format!(
                "manifest.json lists \"{}\", a path outside the packet's folder",
                f.path.escape_debug()
            ));
        }
        if !seen.insert(f.path.as_str()) || f.path == "manifest.json" || f.path == "SHA256SUMS" {
            return Err(format!("manifest.json lists {} twice", f.path));
        }
        if f.sha256.len() != 64
            || !f
                .sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(format!(
                "manifest.json gives {} a SHA-256 that is not one",
                f.path
            ));
        }
    }
    Ok(())
}

fn check_ledger(
    bytes: Option<&[u8]>,
    manifest: Option<&Manifest>,
    found: &BTreeMap<String, Read_>,
) -> LedgerVerdict {
    let mut v = LedgerVerdict {
        entries: 0,
        head: GENESIS.to_hex(),
        redacted_entries: 0,
        evidence_entries: 0,
        intact: false,
        problems: Vec::new(),
    };
    let Some(bytes) = bytes else {
        v.problems.push("ledger.jsonl is missing or damaged".into());
        return v;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        v.problems.push("ledger.jsonl is not UTF-8 text".into());
        return v;
    };
    let mut prev = GENESIS;
    let mut uid: Option<String> = None;
    // The entries as read, for replaying the case the manifest describes.
    let mut entries: Vec<crate::ledger::Entry> = Vec::new();
    let evidence_hashes: BTreeSet<String> = found
        .iter()
        .filter(|(name, _)| name.starts_with("evidence/") && !name.ends_with(".json"))
        .map(|(_, r)| r.sha.to_hex())
        .collect();
    for (i, line) in text.lines().enumerate() {
        let expected_seq = i as u64 + 1;
        let Ok(l) = serde_json::from_str::<LedgerLine>(line) else {
            v.problems.push(format!(
                "line {expected_seq} of ledger.jsonl is not a ledger entry"
            ));
            return v;
        };
        let (Ok(hash), Ok(prev_hash)) = (l.hash.parse::<Sha256>(), l.prev_hash.parse::<Sha256>())
        else {
            v.problems
                .push(format!("entry {expected_seq}: malformed hash"));
            return v;
        };
        if *uid.get_or_insert_with(|| l.case_uid.clone()) != l.case_uid {
            v.problems
                .push(format!("entry {expected_seq} belongs to another case"));
        }
        if l.seq != expected_seq {
            v.problems.push(format!(
                "entry {expected_seq} is numbered {} (an entry was removed or inserted)",
                l.seq
            ));
        }
        if prev_hash != prev {
            v.problems.push(format!(
                "entry {expected_seq} does not follow from the entry before it"
            ));
        }
        if l.redacted {
            v.redacted_entries += 1;
        } else if entry_hash(&prev_hash, &l.case_uid, l.seq, &l.at, &l.kind, &l.payload) != hash {
            v.problems.push(format!(
                "entry {expected_seq} ({}) was changed after it was written: its content does not hash to its hash",
                l.kind
            ));
        }
        if l.kind == "evidence.added" {
            v.evidence_entries += 1;
            let sha = serde_json::from_str::<serde_json::Value>(&l.payload)
                .ok()
                .and_then(|p| p["evidence"]["sha256"].as_str().map(str::to_owned));
            match sha {
                Some(sha) if evidence_hashes.contains(&sha) => {}
                Some(sha) => v.problems.push(format!(
                    "entry {expected_seq} records evidence {sha}, which no file in evidence/ matches"
                )),
                None => v
                    .problems
                    .push(format!("entry {expected_seq} records evidence without a SHA-256")),
            }
        }
        entries.push(crate::ledger::Entry {
            encoding: 1,
            private: Default::default(),
            seq: l.seq,
            at: l.at.clone(),
            kind: l.kind.clone(),
            payload: l.payload.clone(),
            prev_hash,
            hash,
        });
        prev = hash;
        v.entries += 1;
    }
    v.head = prev.to_hex();
    match manifest {
        Some(m) => {
            if m.ledger.length != v.entries || m.ledger.head != v.head {
                v.problems.push(format!(
                    "the manifest says the ledger has {} entries ending in {}, ledger.jsonl has {} ending in {}",
                    m.ledger.length, m.ledger.head, v.entries, v.head
                ));
            }
            if uid.as_deref().is_some_and(|u| u != m.case.uid) {
                v.problems
                    .push("the ledger belongs to another case than the manifest names".into());
            }
            if v.redacted_entries > 0 && !m.redacted {
                v.problems.push(format!(
                    "{} ledger entries are redacted, but the manifest says the packet is not",
                    v.redacted_entries
                ));
            }
            // What the manifest shows a reviewer first must be what the ledger says.
            if let Ok(case) = crate::ledger::replay(&crate::ledger::translate(&entries)) {
                for (field, claimed) in [("title", &m.case.title), ("company", &m.case.company)] {
                    let recorded = case.case.get(field).and_then(|t| t.as_str());
                    if recorded.is_some_and(|r| r != claimed) {
                        v.problems.push(format!(
                            "the manifest names the case's {field} \"{claimed}\", the ledger records \"{}\"",
                            recorded.unwrap_or_default()
                        ));
                    }
                }
            }
        }
        None => v
            .problems
            .push("without an intact manifest the ledger's head cannot be confirmed".into()),
    }
    v.intact = v.problems.is_empty();
    v
}
