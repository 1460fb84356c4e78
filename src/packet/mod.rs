//! The escalation packet: one ZIP a complaints department or dispute body can check byte for
//! byte without this app.
//!
//! # Packet format 4 (`recourse.packet.v4`) — the contract
//!
//! A third party can re-implement this from the text below and the ledger encoding in
//! `ledger`. The rule: **every byte in the ZIP is accounted for by the ledger chain** or by the
//! sender's key. A file is evidence the chain recorded, the chain itself, a file recomputed from
//! the chain and the options the manifest records, or the signature; anything else is extra.
//!
//! ```text
//! VERIFY.txt                  how to check it by hand (ko, en)            derived
//! verify.sh                   a convenience sha256sum -c script            derived
//! verify.html                 the offline browser verifier (fixed bytes)   derived
//! report.pdf                  the case on A4                               derived
//! report.html                 the case for a browser                       derived
//! 1372-form.txt               consumer-agency packets only: the 1372 form  derived
//! evidence/<N>                each evidence.added record's file            bound
//! evidence/<N>.json           its metadata                                 derived
//! timestamps/TS<seq>.tst      each timestamp.added entry's token (DER)     derived
//! ledger.jsonl                the chain, one entry a line                  the chain
//! sender.pem                  the sender's Ed25519 public key (SPKI PEM)   derived
//! manifest.json               options, case, files, ledger head, sender    derived
//! manifest.sig                Ed25519 signature of manifest.json (64 B)    the sender's
//! SHA256SUMS                  every file above but itself                  derived
//! ```
//!
//! - **Who.** `manifest.json`'s `sender` names the key (`algorithm` `ed25519`, `public_key`
//!   the raw 32 bytes in standard base64, `fingerprint` as `proof::key` defines it; all three
//!   must agree). `manifest.sig` is that key's RFC 8032 signature of `manifest.json`'s exact
//!   bytes, checked strictly; `sender.pem` is the same key as an SPKI PEM. The manifest lists
//!   every file before it (so the signature covers every byte but its own and `SHA256SUMS`'s,
//!   which lists the signature too). The reports print the fingerprint.
//! - **When.** A `timestamp.added` entry holds an RFC 3161 token (base64 DER) over the hash of
//!   an earlier entry (`covers`); `timestamps/TS<seq>.tst` is its bytes, named by the entry's
//!   own position (three digits at least). The verifier checks each token offline as
//!   `proof::tsa::check` does; one that does not check out is a finding. Whether to trust the
//!   TSA is the reviewer's call: the verdict names it and its chain.
//! - **Receipt codes.** A `receipt.given` entry (`code`, `contact`, `covers`) records that the
//!   code of an earlier entry (`proof::receipt`) went out to the company in that contact; the
//!   code must name that entry (checked against its hash), the contact must be the chain's.
//! - **Format 3** is format 4 without `1372-form.txt`; its `verify.html` is the page of format
//!   3 (`assets/verify-v3.html`). The cover letter of a packet made by recourse 0.1.0 comes
//!   from `templates/letter-*.txt`; later generators write it with `crate::letters`.
//! - **Format 2** is format 3 without `verify.html`, `timestamps/`, `sender.pem`,
//!   `manifest.sig` and the manifest's `sender`; it is still verified with the same rules
//!   (its derived files rebuilt byte for byte) and its verdict says it is not signed.
//!
//! - **Entries**, in this order and no others; names identical in the local and central
//!   headers; no bytes before the first local header or after the end-of-central-directory
//!   record; no directories, links or encryption; stored or deflated only.
//! - **Evidence** `<N>` = `evidence_file_name(number, kind, original_name)` of every
//!   `evidence.added` entry the chain replays to (retracted items included, marked so in the
//!   report). Its bytes must have the SHA-256 and size that entry recorded.
//! - **Options** live in the manifest: `generated_at` (RFC 3339 UTC, whole seconds; also every
//!   ZIP entry's time), `zone` (IANA name: every time in the reports is shown in it), `lang`,
//!   `recipient`, `deadline`, `redacted`, and `generator` (`recourse X.Y.Z`).
//! - **The chain** is checked entry by entry as `ledger::check_chain` does: sequence, links,
//!   each entry's hash in its encoding, the encoding rule (2 only from the first entry or a
//!   `ledger.upgraded` entry on, never back), every payload its own canonical JSON (keys
//!   sorted and each once, no spaces: one text, one meaning), and it must replay: one
//!   `case.created` as entry 1, each record added once.
//! - **Private values** (ledger encoding 2) are salted commitments in the hashed payloads; the
//!   values and salts are each line's `private`. Every disclosure must open its commitment. An
//!   unredacted packet discloses every commitment; a redacted one all but the claimant's phone,
//!   email and address, which it withholds (and entries of encoding 1 may hold none of those). Everything derived is a
//!   deterministic function of the chain, these options and the evidence bytes (image previews
//!   are decoded from them within a fixed memory budget). `generated_at` may not be earlier
//!   than the chain's last entry.
//! - **Derived files** are rebuilt by the verifier and compared byte for byte. A verifier of
//!   another version than `generator` cannot rebuild the reports and says so per file ("not
//!   checked"); `ledger.jsonl`, `manifest.json` and `SHA256SUMS` have a fixed form for every
//!   version: `ledger.jsonl` is one compact JSON object per entry (`case_uid, seq, at, kind,
//!   payload, prev_hash, hash, encoding` and `private` when it discloses anything, in that
//!   order, `\n` after each); `manifest.json` is the
//!   [`Manifest`] written by `serde_json::to_vec_pretty`; `SHA256SUMS` is `<sha256>  <path>\n`
//!   per file in ZIP order, `manifest.json` and `manifest.sig` included; `sender.pem` and the
//!   timestamp tokens have one form too.
//! - **Not proven by integrity**: when (a fake built from scratch is internally consistent) and
//!   who; the verdict says what the timestamps and the signature prove, apart from integrity.
//!
//! Format 1 (`recourse.packet.v1`, recourse 0.1) is still read by [`verify_v1`], with weaker
//! checks that the verdict names; it is no longer written or imported.

pub mod build;
pub mod chain;
pub mod import;
mod pdf;
pub mod report;
pub mod review;
pub mod verify;
pub mod verify_v1;
mod zipread;
pub(crate) use zipread::is_reserved_on_windows;

use serde::{Deserialize, Serialize};

/// The packet format this build writes and reads.
pub const FORMAT: &str = "recourse.packet.v4";

/// Format 3: format 4 without `1372-form.txt`, still verified (its reports rebuilt when made by
/// a generator this build knows, its `verify.html` the page of that format).
pub const FORMAT_3: &str = "recourse.packet.v3";

/// The generators whose derived files this build rebuilds byte for byte: its own; 0.2.0
/// (format 4 as this build writes it, with the `verify.html` it carried, before ledgers could
/// hold `evidence.edited`); and 0.1.0 (formats 2 and 3, with the cover letters of
/// `templates/letter-*.txt`).
pub fn known_generator(generator: &str) -> bool {
    generator == generator_now() || generator == GENERATOR_0_2 || generator == GENERATOR_0_1
}

/// How `generator` read a chain: recourse before 0.3 skipped `evidence.edited`, so the reports
/// of its packets are rebuilt without it (see `ledger::Rules`).
pub fn replay_rules(generator: &str) -> crate::ledger::Rules {
    if generator == GENERATOR_0_2 || generator == GENERATOR_0_1 {
        crate::ledger::Rules::BEFORE_0_3
    } else {
        crate::ledger::Rules::CURRENT
    }
}

/// The generator of format 4 before `evidence.edited`: its packets carry its own `verify.html`.
pub const GENERATOR_0_2: &str = "recourse 0.2.0";

/// Whether a recourse generator writes packets of `format`: 0.1.0 wrote formats 2 and 3, every
/// later version format 4 or later. A packet that pairs them otherwise was relabelled; another
/// program's packets may be of any format.
pub fn generator_writes(generator: &str, format: &str) -> bool {
    if generator == GENERATOR_0_1 {
        format == FORMAT_2 || format == FORMAT_3
    } else if generator.starts_with("recourse ") {
        // Every recourse after 0.1.0 writes format 4 or a later one (which this build refuses
        // before it gets here).
        format == FORMAT
    } else {
        true
    }
}

/// The generator of formats 2 and 3 before the letters were rebuilt from the case's facts.
pub const GENERATOR_0_1: &str = "recourse 0.1.0";

fn generator_now() -> String {
    generator()
}

/// Format 2: format 3 without the sender's signature and the proofs' files, still read (and
/// rebuilt byte for byte, by the same generator) but no longer written.
pub const FORMAT_2: &str = "recourse.packet.v2";

/// The first format, still read (never written).
pub const FORMAT_1: &str = "recourse.packet.v1";

/// The generator this build writes into a manifest; derived files are reproducible by the
/// same generator only.
pub fn generator() -> String {
    format!("recourse {}", env!("CARGO_PKG_VERSION"))
}

pub use crate::model::Recipient;

/// The report's language: the one `Lang` (serialised `"ko"`, `"en"` as always).
pub type PacketLang = crate::names::Lang;

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

/// `manifest.json` of format 2. Fields this format does not define make it invalid (here and in
/// its parts): a reviewer is never shown a claim the verifier did not read. Every field is
/// derived from the chain and the build options, and the verifier rebuilds it.
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
    /// The IANA time zone every time in the reports is shown in.
    pub zone: String,
    /// The report's language.
    pub lang: PacketLang,
    /// Whom it is for.
    pub recipient: Recipient,
    /// The date the cover letter asks the demand to be met by.
    pub deadline: Option<String>,
    /// Whether the claimant's phone, email and address are withheld: their disclosures are
    /// left out of `ledger.jsonl` (the entries still hash in full) and the reports say
    /// "withheld". Checked against the chain, not believed: a redacted packet withholds
    /// exactly those values, an unredacted one withholds none.
    pub redacted: bool,
    /// Every file but `manifest.json` and `SHA256SUMS`, in ZIP order.
    pub files: Vec<ManifestFile>,
    /// The ledger it holds.
    pub ledger: ManifestLedger,
    /// Format 3: the key `manifest.sig` is made with (absent in format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<ManifestSender>,
}

/// The sender key as a format-3 manifest names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestSender {
    /// `ed25519`.
    pub algorithm: String,
    /// The raw 32-byte public key, standard base64.
    pub public_key: String,
    /// Its fingerprint (see `proof::key`).
    pub fingerprint: String,
}

impl ManifestSender {
    /// The manifest's entry for `key`.
    pub fn of(key: &crate::proof::key::PublicKey) -> ManifestSender {
        ManifestSender {
            algorithm: "ed25519".into(),
            public_key: key.to_base64(),
            fingerprint: key.fingerprint(),
        }
    }

    /// The key, when the entry is one this format defines (algorithm, key and fingerprint
    /// agreeing).
    pub fn key(&self) -> Option<crate::proof::key::PublicKey> {
        let key = crate::proof::key::PublicKey::from_base64(&self.public_key)?;
        (self.algorithm == "ed25519" && self.fingerprint == key.fingerprint()).then_some(key)
    }
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
    /// The payload JSON exactly as hashed.
    pub payload: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
    /// Its ledger encoding, 1 or 2.
    pub encoding: u8,
    /// The private values it commits to that this packet discloses, by pointer (see
    /// `ledger::commit`); absent when none.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub private: crate::ledger::Disclosures,
}

impl LedgerLine {
    /// The line of an entry of case `uid`; `redact` leaves out the disclosures of the
    /// claimant's phone, email and address.
    pub fn of(uid: &str, e: &crate::ledger::Entry, redact: bool) -> LedgerLine {
        let mut private = e.private.clone();
        if redact {
            private.retain(|pointer, _| !crate::ledger::commit::is_redacted_field(pointer));
        }
        LedgerLine {
            case_uid: uid.to_owned(),
            seq: e.seq,
            at: e.at.clone(),
            kind: e.kind.clone(),
            payload: e.payload.clone(),
            prev_hash: e.prev_hash.to_hex(),
            hash: e.hash.to_hex(),
            encoding: e.encoding,
            private,
        }
    }

    /// The entry this line states (`None` when a hash is not one).
    pub fn to_entry(&self) -> Option<crate::ledger::Entry> {
        Some(crate::ledger::Entry {
            seq: self.seq,
            at: self.at.clone(),
            kind: self.kind.clone(),
            payload: self.payload.clone(),
            prev_hash: self.prev_hash.parse().ok()?,
            hash: self.hash.parse().ok()?,
            encoding: self.encoding,
            private: self.private.clone(),
        })
    }
}

/// `ledger.jsonl` of a chain, in its one fixed form.
pub fn ledger_jsonl(uid: &str, entries: &[crate::ledger::Entry], redact: bool) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&serde_json::to_string(&LedgerLine::of(uid, e, redact)).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// A writer that hashes everything written through it on its way to `inner` (`io::sink()`
/// to only hash): a packet's own digest, taken while it is copied or read once.
pub(crate) struct Hashing<W> {
    /// The digest so far.
    pub hasher: sha2::Sha256,
    /// Where the bytes go.
    pub inner: W,
}

impl<W: std::io::Write> Hashing<W> {
    /// Hashes what is written into `inner`.
    pub fn new(inner: W) -> Hashing<W> {
        use sha2::Digest;
        Hashing {
            hasher: sha2::Sha256::new(),
            inner,
        }
    }

    /// The digest of everything written.
    pub fn sha256(self) -> crate::vault::Sha256 {
        use sha2::Digest;
        crate::vault::Sha256(self.hasher.finalize().into())
    }
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `SHA256SUMS` for the files of a manifest, the manifest's own bytes and (format 3) its
/// signature's.
pub fn sha256sums(
    files: &[ManifestFile],
    manifest_bytes: &[u8],
    signature: Option<&[u8]>,
) -> String {
    use sha2::Digest;
    let mut sums = String::new();
    for f in files {
        sums.push_str(&format!("{}  {}\n", f.sha256, f.path));
    }
    sums.push_str(&format!(
        "{}  manifest.json\n",
        hex::encode(sha2::Sha256::digest(manifest_bytes))
    ));
    if let Some(sig) = signature {
        sums.push_str(&format!(
            "{}  manifest.sig\n",
            hex::encode(sha2::Sha256::digest(sig))
        ));
    }
    sums
}

/// `verify.html`: the packet's verifier for a browser (fixed bytes of this generator).
pub const VERIFY_HTML: &str = include_str!("../../assets/verify.html");

/// The `verify.html` recourse 0.2.0 put in format 4 packets, frozen: it does not replay
/// `evidence.edited` (no 0.2.0 ledger holds one).
pub const VERIFY_HTML_4_0_2: &str = include_str!("../../assets/verify-v4-0.2.html");

/// The `verify.html` of format 3 packets, frozen: their bytes are fixed by the format.
pub const VERIFY_HTML_3: &str = include_str!("../../assets/verify-v3.html");

/// The `verify.html` a packet of `format` made by `generator` carries.
pub fn verify_html_of(format: &str, generator: &str) -> &'static str {
    if format == FORMAT_3 {
        VERIFY_HTML_3
    } else if generator == GENERATOR_0_2 {
        VERIFY_HTML_4_0_2
    } else {
        VERIFY_HTML
    }
}

/// `verify.html`'s SHA-256, hex: the report prints it and `recourse verifier` writes the page.
pub fn verify_html_sha256() -> String {
    verify_html_sha256_of(FORMAT, &generator())
}

/// The SHA-256 of the `verify.html` of `format` by `generator`.
pub fn verify_html_sha256_of(format: &str, generator: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(
        verify_html_of(format, generator).as_bytes(),
    ))
}

/// Text from a packet, safe to show: control characters (ESC, newlines, …) and bidirectional
/// overrides are shown escaped, so a hostile title cannot paint a fake verdict in a terminal or
/// push the GUI's text around.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Bidirectional overrides and isolates, zero-width and other invisible format
        // characters, and the line and paragraph separators: they reorder, hide or break
        // what a reader sees.
        let invisible = matches!(
            c,
            '\u{00ad}'
                | '\u{061c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        );
        if c.is_control() || invisible {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The name of an evidence file in a packet: `E001-<kind>-<original name>`, made safe for
/// every file system (NFC; `/ \\ : * ? " < > |` and control characters become `_`; no
/// leading or trailing dots or spaces; at most 120 bytes, keeping an extension of up to 10
/// bytes; Hangul kept). Part of the format: a verifier derives every evidence entry's name
/// with it.
pub fn evidence_file_name(number: u32, kind: &str, original: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // NFC: a name from macOS (NFD Hangul) is the same name everywhere else.
    let mut clean: String = original
        .nfc()
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
        // The cut may leave a space or dot at the end, which Windows drops.
        clean = stem.trim_end_matches([' ', '.']).to_owned();
        if clean.is_empty() {
            clean = "file".to_owned();
        }
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
        // Cut where a space or a dot would end the name: trimmed again.
        let spaced = format!("{} {}", "a".repeat(105), "b".repeat(20));
        let cut = evidence_file_name(1, "document", &spaced);
        assert!(!cut.ends_with(' ') && !cut.ends_with('.'), "{cut:?}");
        let dotted = format!("{}.{}", "c".repeat(105), "d".repeat(20));
        let cut = evidence_file_name(1, "document", &dotted);
        assert!(!cut.ends_with(' ') && !cut.ends_with('.'), "{cut:?}");
        let long = format!("{}.png", "가".repeat(100));
        let name = evidence_file_name(4, "screenshot", &long);
        assert!(name.len() <= 120, "{}", name.len());
        assert!(name.ends_with(".png"));
    }
}
