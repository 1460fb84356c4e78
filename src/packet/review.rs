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
    /// Previews of the image evidence, by evidence number: (width, height, RGBA pixels).
    pub previews: std::collections::BTreeMap<i64, (u32, u32, Vec<u8>)>,
}

/// Images larger than this are not previewed (they are still verified).
const PREVIEW_MAX_BYTES: u64 = 32 << 20;

/// Verifies the packet at `path` and replays its ledger.
pub fn open(path: &Path) -> Result<Review, VerifyError> {
    let report = verify(path)?;
    let records = read_ledger(path)
        .and_then(|entries| replay(&translate(&entries)).ok())
        .unwrap_or_default();
    let previews = previews(path, &report);
    Ok(Review {
        report,
        records,
        previews,
    })
}

/// Decodes the image evidence that verified, shrunk to 480 px, straight from the ZIP.
fn previews(
    path: &Path,
    report: &VerifyReport,
) -> std::collections::BTreeMap<i64, (u32, u32, Vec<u8>)> {
    let mut out = std::collections::BTreeMap::new();
    let Ok(file) = std::fs::File::open(path) else {
        return out;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return out;
    };
    for f in &report.files {
        let ok = f.verdict == super::verify::Verdict::Ok;
        let Some(rest) = f.path.strip_prefix("evidence/E") else {
            continue;
        };
        if !ok || f.path.ends_with(".json") {
            continue;
        }
        let Some(number) = rest.split('-').next().and_then(|n| n.parse::<i64>().ok()) else {
            continue;
        };
        let Ok(entry) = zip.by_name(&f.path) else {
            continue;
        };
        if entry.size() > PREVIEW_MAX_BYTES {
            continue;
        }
        let mut bytes = Vec::new();
        if entry
            .take(PREVIEW_MAX_BYTES)
            .read_to_end(&mut bytes)
            .is_err()
        {
            continue;
        }
        if let Ok(image) = image::load_from_memory(&bytes) {
            let small = image.thumbnail(480, 480).to_rgba8();
            out.insert(number, (small.width(), small.height(), small.into_raw()));
        }
    }
    out
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
