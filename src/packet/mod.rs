//! The escalation packet: one ZIP a complaints department or dispute body can check byte for
//! byte without this app.
//!
//! ```text
//! VERIFY.txt                 how to check it by hand (ko, en)
//! verify.sh                  the same check as a POSIX sh script (sha256sum)
//! report.pdf                 the case on A4: cover letter, summary, chronology, promises with
//!                            the five answers, evidence index, stamped previews, integrity
//! report.html                the case for a browser, previews embedded
//! evidence/E001-<kind>-<name>        the original file, byte-identical
//! evidence/E001-<kind>-<name>.json   its metadata
//! ledger.jsonl               the case's ledger entries, to recompute the chain
//! manifest.json              format, case, generated_at, every file above with size and SHA-256,
//!                            the ledger's head and length
//! SHA256SUMS                 coreutils format, every file above and manifest.json
//! ```
//!
//! A packet is deterministic: the same case and `generated_at` give a byte-identical ZIP (fixed
//! entry times and order; `packet.built` entries after the last change are not exported, so
//! building twice exports the same chain).

pub mod build;
pub mod import;
mod pdf;
pub mod report;
pub mod review;
pub mod verify;

use serde::{Deserialize, Serialize};

/// The packet format this build writes and reads.
pub const FORMAT: &str = "recourse.packet.v1";

pub use crate::model::Recipient;

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum PacketLang {
    /// Korean.
    #[default]
    Ko,
    /// English.
    En,
}

/// One file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Its path inside the ZIP.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// The case as the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestCase {
    /// The case's random identifier, which its ledger chain is bound to.
    pub uid: String,
    /// Its title.
    pub title: String,
    /// The company.
    pub company: String,
}

/// The ledger as the packet holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestLedger {
    /// Entries in `ledger.jsonl`.
    pub length: u64,
    /// The last entry's hash.
    pub head: String,
}

/// `manifest.json`. Fields this format does not define make it invalid (here and in its parts):
/// a reviewer is never shown a claim the verifier did not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The program and version that built it.
    pub generator: String,
    /// The case.
    pub case: ManifestCase,
    /// When it was built (RFC 3339 UTC); also every entry's time in the ZIP.
    pub generated_at: String,
    /// The report's language.
    pub lang: PacketLang,
    /// Whom it is for.
    pub recipient: Recipient,
    /// Whether the claimant's phone, email and address were left out.
    pub redacted: bool,
    /// Every file but `manifest.json` and `SHA256SUMS`, in ZIP order.
    pub files: Vec<ManifestFile>,
    /// The ledger it holds.
    pub ledger: ManifestLedger,
}

/// One line of `ledger.jsonl`: an entry with what is needed to recompute its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerLine {
    /// The case's uid (part of every entry's hash).
    pub case_uid: String,
    /// Position in the chain, from 1.
    pub seq: u64,
    /// RFC 3339 UTC, exactly as hashed.
    pub at: String,
    /// The entry kind.
    pub kind: String,
    /// The payload JSON exactly as hashed — or, when `redacted`, with the claimant's contact
    /// details removed (the entry's hash then cannot be recomputed, only its place checked).
    pub payload: String,
    /// Whether `payload` was redacted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub redacted: bool,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The name of an evidence file in a packet: `E001-<kind>-<original name>`, made safe for
/// every file system (no separators, control characters or reserved names; at most 120 bytes;
/// Hangul kept).
pub fn evidence_file_name(number: u32, kind: &str, original: &str) -> String {
    let mut clean: String = original
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    clean = clean.trim_matches([' ', '.']).to_owned();
    if clean.is_empty() {
        clean = "file".to_owned();
    }
    let prefix = format!("{}-{kind}-", crate::model::evidence_label(number));
    // Keep the extension when shortening.
    let budget = 120usize.saturating_sub(prefix.len());
    if clean.len() > budget {
        let ext = clean
            .rfind('.')
            .map(|i| clean[i..].to_owned())
            .filter(|e| e.len() <= 10)
            .unwrap_or_default();
        let mut stem: String = String::new();
        for c in clean.chars() {
            if stem.len() + c.len_utf8() + ext.len() > budget {
                break;
            }
            stem.push(c);
        }
        if !stem.ends_with(ext.as_str()) {
            stem.push_str(&ext);
        }
        clean = stem;
    }
    format!("{prefix}{clean}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_names_are_safe_and_keep_hangul() {
        assert_eq!(
            evidence_file_name(1, "photo", "파손 사진.jpg"),
            "E001-photo-파손 사진.jpg"
        );
        assert_eq!(
            evidence_file_name(12, "other", "../../etc/passwd"),
            "E012-other-_.._etc_passwd"
        );
        assert_eq!(evidence_file_name(3, "other", "..."), "E003-other-file");
        let long = format!("{}.png", "가".repeat(100));
        let name = evidence_file_name(4, "screenshot", &long);
        assert!(name.len() <= 120, "{}", name.len());
        assert!(name.ends_with(".png"));
    }
}
