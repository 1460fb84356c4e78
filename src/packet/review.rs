//! Reading a packet for review without importing it: the verdict, and the case as its ledger
//! tells it (replayed from `ledger.jsonl`, nothing written anywhere).

use std::io::Read;
use std::path::Path;

use super::LedgerLine;
use super::verify::{VerifyError, VerifyReport};
use crate::ledger::{Entry, Replayed, replay, translate};

/// A packet opened for review.
#[derive(Debug, Clone)]
pub struct Review {
    /// The verdict.
    pub report: VerifyReport,
    /// The case's records as the ledger states them (empty when the ledger is unreadable).
    pub records: Replayed,
    /// Each evidence file's verdict, by evidence number (worked out once, not per frame).
    pub evidence_verdicts: std::collections::BTreeMap<i64, super::verify::Verdict>,
    /// Previews of the image evidence, by evidence number: (width, height, RGBA pixels).
    pub previews: std::collections::BTreeMap<i64, (u32, u32, Vec<u8>)>,
}

/// Images larger than this are not previewed (they are still verified).
const PREVIEW_MAX_BYTES: u64 = crate::evidence::PREVIEW_MAX_FILE_BYTES;

/// Verifies the packet at `path` and replays its ledger — only when the chain verified, so
/// nothing shown comes from entries that do not hold.
pub fn open(path: &Path) -> Result<Review, VerifyError> {
    open_knowing(path, None)
}

/// [`open`], saying what the sender key is to a reader who knows `known`.
pub fn open_knowing(
    path: &Path,
    known: Option<super::verify::KnownKeys>,
) -> Result<Review, VerifyError> {
    let report = super::verify::verify_with(
        path,
        super::verify::VerifyOptions {
            packet_digest: false,
            known,
        },
    )?;
    let records = report
        .ledger
        .intact
        .then(|| read_ledger(path))
        .flatten()
        .and_then(|entries| replay(&translate(&entries)).ok())
        .unwrap_or_default();
    // Every evidence file is labelled by the ledger record the verifier bound it to, never by
    // its name (format 1 has no binding: its names are read, as that format did).
    let evidence_verdicts = report
        .files
        .iter()
        .filter_map(|f| {
            let n = match report.format {
                2 => i64::from(f.evidence?),
                _ => evidence_number(&f.path)?,
            };
            Some((n, f.verdict))
        })
        .collect();
    let previews = previews(path, &report);
    Ok(Review {
        report,
        records,
        evidence_verdicts,
        previews,
    })
}

/// `evidence/E012-photo-x.jpg` → 12; `None` for sidecars and other files.
fn evidence_number(path: &str) -> Option<i64> {
    if path.ends_with(".json") {
        return None;
    }
    path.strip_prefix("evidence/E")?
        .split('-')
        .next()?
        .parse()
        .ok()
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
        let number = match report.format {
            2 => f.evidence.map(i64::from),
            _ => evidence_number(&f.path),
        };
        let Some(number) = number else {
            continue;
        };
        if f.verdict != super::verify::Verdict::Ok {
            continue;
        }
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
        if let Some(image) = crate::evidence::downscaled_bytes(&bytes, 480) {
            let small = image.to_rgba8();
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
            l.to_entry()
        })
        .collect()
}
