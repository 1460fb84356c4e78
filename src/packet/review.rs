//! Reading a packet for review without importing it: the verdict, and the case as its ledger
//! tells it (replayed from `ledger.jsonl`, nothing written anywhere).

use std::io::Read;
use std::path::Path;

use super::LedgerLine;
use super::verify::{VerifyError, VerifyReport, verify};
use crate::ledger::{Entry, Replayed, replay, translate};

/// A packet opened for review.
#[derive(Debug, Clone)]
pub struct Review {
    /// The verdict.
    pub report: VerifyReport,
    /// The case's records as the ledger states them (empty when the ledger is unreadable).
    pub records: Replayed,
}

/// Verifies the packet at `path` and replays its ledger.
pub fn open(path: &Path) -> Result<Review, VerifyError> {
    let report = verify(path)?;
    let records = read_ledger(path)
        .and_then(|entries| replay(&translate(&entries)).ok())
        .unwrap_or_default();
    Ok(Review { report, records })
}

fn read_ledger(path: &Path) -> Option<Vec<Entry>> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let entry = zip.by_name("ledger.jsonl").ok()?;
    let mut text = String::new();
    entry.take(64 << 20).read_to_string(&mut text).ok()?;
    text.lines()
        .map(|line| {
            let l: LedgerLine = serde_json::from_str(line).ok()?;
            Some(Entry {
                seq: l.seq,
                at: l.at,
                kind: l.kind,
                payload: l.payload,
                prev_hash: l.prev_hash.parse().ok()?,
                hash: l.hash.parse().ok()?,
            })
        })
        .collect()
}
