//! Checking a packet without trusting anything in it but the ledger chain (format 2; see the
//! contract in the `packet` module docs).
//!
//! The verifier reads `ledger.jsonl`, recomputes the chain, and from the chain and the options
//! in `manifest.json` works out every entry the packet must hold: each evidence file by the
//! name, SHA-256 and size its `evidence.added` entry fixes, and every other file byte for byte
//! as this version builds it. Then it streams every entry of the ZIP once and compares. A file
//! the chain does not account for is extra; a list (`manifest.json`, `SHA256SUMS`) is checked
//! like any other derived file, so rewriting the lists consistently proves nothing.
//!
//! Hostile input — names that climb out of the folder, links, overlapping entries, entries
//! holding more than they declare, ZIP bombs, truncated or non-ZIP files, non-UTF-8 names —
//! is refused; a packet re-packed by another tool or doctored at the ZIP level (bytes before or
//! after the archive, a local name differing from the central one, names that collide on
//! Windows or macOS) is not intact, with the reason in words.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use serde::Serialize;
use sha2::Digest;

use super::build::{BuildOptions, Planned, lists, plan};
use super::zipread::{
    EntryRead, HeaderRule, MAX_ENTRIES, Span, check_name, collision_key, dos_time, has_descriptor,
    header_problem, hostile, layout_problems, local_data_start, portability_problem, read_entry,
};
use super::{FORMAT, FORMAT_1, FORMAT_2, FORMAT_3, GENERATOR_0_1, LedgerLine, Manifest};
use crate::ledger::{Entry, GENESIS};
use crate::model::Code;
use crate::vault::Sha256;

/// What was found for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// What the chain says it must be.
    Ok,
    /// Its content differs from what the chain says (or cannot be read back).
    Altered,
    /// The chain says it must be there; it is not.
    Missing,
    /// In the ZIP, but nothing in the chain accounts for it.
    Extra,
    /// Format 1 only: listed in just one of manifest.json and SHA256SUMS.
    Unlisted,
    /// Made by another version of recourse, whose output this one cannot rebuild: the file
    /// matches the lists, but its content was not checked against the chain.
    NotChecked,
}

/// One file's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct FileVerdict {
    /// Path in the ZIP.
    pub path: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, when not ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The evidence number its ledger record gives, for an evidence file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<u32>,
}

/// The ledger's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerVerdict {
    /// Entries in `ledger.jsonl`.
    pub entries: u64,
    /// Its last hash.
    pub head: String,
    /// Format 1 only: entries whose payload the builder withheld.
    pub redacted_entries: u64,
    /// Evidence entries (`evidence.added`) in the chain.
    pub evidence_entries: u64,
    /// Whether the chain is unbroken and describes the case the manifest names.
    pub intact: bool,
    /// What is wrong, if anything.
    pub problems: Vec<String>,
}

/// One thing a verdict can say about a packet, and whether it is proven.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// Whether the check proved it.
    pub proven: bool,
    /// What it says, in one sentence.
    pub says: String,
}

/// The verdict split into what is proven and what is not.
#[derive(Debug, Clone, Serialize)]
pub struct Claims {
    /// The files are what the ledger recorded.
    pub files: Claim,
    /// The ledger chain is unbroken.
    pub chain: Claim,
    /// When it was made: needs a trusted timestamp.
    pub when: Claim,
    /// Who made it: needs a signature.
    pub who: Claim,
}

/// The whole verdict.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// The packet format read: 1 or 2.
    pub format: u8,
    /// Whether every file and the ledger hold, and nothing else was found.
    pub intact: bool,
    /// The packet's own SHA-256, when asked for (it costs a second read of every byte).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packet_sha256: Option<String>,
    /// The case's title, as the manifest states it (text from the packet: escape it to show).
    pub case_title: String,
    /// The case's uid.
    pub case_uid: String,
    /// When it was built, as the manifest states it.
    pub generated_at: String,
    /// What built it, as the manifest states it.
    pub generator: String,
    /// Whether the packet withholds the claimant's phone, email and address (checked against
    /// the chain's commitments).
    pub redacted: bool,
    /// Per file, in ZIP order then missing ones.
    pub files: Vec<FileVerdict>,
    /// The ledger.
    pub ledger: LedgerVerdict,
    /// What is wrong with the packet as a whole (its ZIP layout, names, build time).
    pub findings: Vec<String>,
    /// What is proven and what is not.
    pub claims: Claims,
    /// Format 3: the key the manifest is signed with, and what it is to this reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender: Option<SenderVerdict>,
    /// The chain's timestamps, each checked offline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<StampVerdict>,
    /// The chain's receipt codes, each checked against the entry it names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub receipts: Vec<ReceiptVerdict>,
    /// An unsigned packet (format 2) of a case imported here with a signed packet: the key
    /// that case came with. Nothing shows this packet is from the same sender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsigned_but_known: Option<crate::store::KnownSender>,
}

/// The sender key of a format-3 packet.
#[derive(Debug, Clone, Serialize)]
pub struct SenderVerdict {
    /// Its fingerprint.
    pub fingerprint: String,
    /// The raw public key, base64.
    pub public_key: String,
    /// Whether `manifest.sig` is this key's signature of `manifest.json`.
    pub signature_valid: bool,
    /// What the key is to the reader's data directory.
    pub relation: KeyRelation,
}

/// What a sender key is to the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "is", rename_all = "kebab-case")]
pub enum KeyRelation {
    /// Not compared with any data directory.
    Unknown,
    /// Never seen here.
    New,
    /// This data directory's own key.
    Own,
    /// The key another packet of this same case came with.
    SameCase {
        /// That case here.
        case_id: i64,
        /// Its title.
        title: String,
    },
    /// Not the key an earlier packet of this same case came with.
    OtherThanCase {
        /// That case here.
        case_id: i64,
        /// Its title.
        title: String,
        /// The key it came with.
        fingerprint: String,
    },
    /// The key other imported cases came with (not this case).
    SameAs {
        /// Those cases here, with their titles.
        cases: Vec<(i64, String)>,
    },
}

/// One timestamp of the chain.
#[derive(Debug, Clone, Serialize)]
pub struct StampVerdict {
    /// The `timestamp.added` entry.
    pub entry: u64,
    /// The position it covers.
    pub covers: u64,
    /// Whether the token checks out offline.
    pub valid: bool,
    /// Its time (RFC 3339 UTC), when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gen_time: Option<String>,
    /// The TSA's certificate subject, when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsa: Option<String>,
    /// Its chain in words, or why it proves nothing.
    pub detail: String,
    /// The SHA-256 of the top certificate of its chain (the root when included), when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_sha256: Option<String>,
}

/// One receipt code of the chain.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptVerdict {
    /// The `receipt.given` entry.
    pub entry: u64,
    /// The code.
    pub code: String,
    /// The contact it went out in.
    pub contact: i64,
    /// The position it names.
    pub covers: u64,
    /// Whether it names that position.
    pub valid: bool,
}

/// The keys a reader knows, from their data directory.
#[derive(Debug, Clone, Default)]
pub struct KnownKeys {
    /// Their own sender key, if they have made one.
    pub own: Option<crate::proof::key::PublicKey>,
    /// The imported cases and the keys they came with.
    pub imported: Vec<crate::store::KnownSender>,
}

impl KnownKeys {
    /// The keys the data directory at `root` knows: its own and those its imported cases came
    /// with. A data directory that does not exist is not made (a reviewer may have none): then
    /// every key is new.
    pub fn of_data_dir(root: &Path) -> KnownKeys {
        let mut known = KnownKeys::default();
        if !root.join(crate::datadir::DATABASE_FILE).exists() {
            return known;
        }
        known.own = crate::proof::key::SenderKey::load(&root.join(crate::proof::key::KEY_FILE))
            .ok()
            .flatten()
            .map(|k| k.public());
        if let Ok(dd) = crate::datadir::DataDir::open(root) {
            known.imported = dd.store.known_senders().unwrap_or_default();
        }
        known
    }

    /// What `key` is to this reader, for a packet of case `uid`.
    pub fn relation(&self, key: &crate::proof::key::PublicKey, uid: &str) -> KeyRelation {
        // First: a case imported here and built again is signed with the reader's own key.
        if self.own.as_ref() == Some(key) {
            return KeyRelation::Own;
        }
        if let Some(c) = self.imported.iter().find(|c| c.uid == uid) {
            return if c.key == *key {
                KeyRelation::SameCase {
                    case_id: c.case_id.0,
                    title: c.title.clone(),
                }
            } else {
                KeyRelation::OtherThanCase {
                    case_id: c.case_id.0,
                    title: c.title.clone(),
                    fingerprint: c.key.fingerprint(),
                }
            };
        }
        let cases: Vec<(i64, String)> = self
            .imported
            .iter()
            .filter(|c| c.key == *key)
            .map(|c| (c.case_id.0, c.title.clone()))
            .collect();
        if cases.is_empty() {
            KeyRelation::New
        } else {
            KeyRelation::SameAs { cases }
        }
    }
}

impl KeyRelation {
    /// In words, after "signed by key X".
    pub fn words(&self) -> String {
        use super::shown;
        match self {
            KeyRelation::Unknown => "not compared with any key you know".into(),
            KeyRelation::New => "this key is new to you".into(),
            KeyRelation::Own => "this is your own key (this data directory's)".into(),
            KeyRelation::SameCase { case_id, title } => format!(
                "the same key as case {case_id} \"{}\" you imported",
                shown(title)
            ),
            KeyRelation::OtherThanCase {
                case_id,
                title,
                fingerprint,
            } => format!(
                "ANOTHER key than the one case {case_id} \"{}\" came with ({fingerprint}): not the same sender's key",
                shown(title)
            ),
            KeyRelation::SameAs { cases } => format!(
                "the same key as case(s) you imported: {}",
                cases
                    .iter()
                    .map(|(id, t)| format!("{id} \"{}\"", shown(t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl VerifyReport {
    /// The files whose verdict is not ok.
    pub fn bad_files(&self) -> impl Iterator<Item = &FileVerdict> {
        self.files.iter().filter(|f| f.verdict != Verdict::Ok)
    }
}

/// How to verify.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Also compute the packet's own SHA-256 (a second read of every byte).
    pub packet_digest: bool,
    /// The reader's keys, to say what the sender key is to them.
    pub known: Option<KnownKeys>,
}

/// Why a packet could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// Not a ZIP, truncated, or unreadable.
    #[error("{0}")]
    Unreadable(String),
    /// Built to harm or mislead the reader.
    #[error("refused: {0}")]
    Hostile(String),
}

/// The claims about when and who, which integrity alone never proves.
pub(super) fn when_and_who() -> (Claim, Claim) {
    (
        Claim {
            proven: false,
            says: "when: not proven (no trusted timestamp) — a packet built from scratch with back-dated times looks the same".into(),
        },
        Claim {
            proven: false,
            says: "who: not proven (no signature)".into(),
        },
    )
}

/// The packet's own SHA-256, read once more from the start.
pub fn packet_digest(path: &Path) -> Result<String, VerifyError> {
    let mut r = File::open(path).map_err(|e| VerifyError::Unreadable(e.to_string()))?;
    let mut h = super::Hashing::new(io::sink());
    io::copy(&mut r, &mut h)
        .map_err(|e| VerifyError::Unreadable(format!("cannot read {} ({e})", path.display())))?;
    Ok(h.sha256().to_hex())
}

/// Checks the packet at `path` (without the packet's own digest).
pub fn verify(path: &Path) -> Result<VerifyReport, VerifyError> {
    verify_with(path, VerifyOptions::default())
}

pub(super) type Zip = zip::ZipArchive<BufReader<File>>;

fn open_zip(path: &Path) -> Result<(File, Zip), VerifyError> {
    let file = File::open(path).map_err(|e| {
        VerifyError::Unreadable(format!(
            "cannot open the packet ({e}); check the path: {}",
            path.display()
        ))
    })?;
    // The stream and the header reads each have their own position (crate::osfile says why).
    let reader =
        crate::osfile::second_handle(&file).map_err(|e| VerifyError::Unreadable(e.to_string()))?;
    // A small buffer: every entry's read starts with a seek, which throws the buffer away, so
    // a large one would be refilled (and mostly wasted) once per entry. Entry data is read in
    // larger chunks, which bypass the buffer.
    let zip = zip::ZipArchive::new(BufReader::with_capacity(8 << 10, reader)).map_err(|e| {
        VerifyError::Unreadable(format!(
            "{} is not a readable ZIP file ({e}); a packet is the .zip that `recourse packet build` wrote — check the download is complete",
            path.display()
        ))
    })?;
    Ok((file, zip))
}

/// [`open_zip`], refusing what no packet of any format is: more entries than a packet holds,
/// two entries of one name, entries that overlap (a ZIP bomb technique).
pub(super) fn open_checked(path: &Path) -> Result<(File, Zip), VerifyError> {
    let (file, mut zip) = open_zip(path)?;
    if zip.len() > MAX_ENTRIES {
        return Err(hostile(format!(
            "{} entries is more than a packet holds",
            zip.len()
        )));
    }
    if zip.has_duplicate_names() {
        return Err(hostile("the ZIP holds two entries with the same name"));
    }
    if zip.has_overlapping_files().unwrap_or(true) {
        return Err(hostile(
            "ZIP entries overlap each other (a ZIP bomb technique)",
        ));
    }
    Ok((file, zip))
}

/// Reads one of the small files whole, bounded; `None` when absent.
fn read_small(zip: &mut Zip, name: &str) -> Result<Option<Vec<u8>>, VerifyError> {
    let Some(i) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let entry = zip
        .by_index_raw(i)
        .map_err(|e| VerifyError::Unreadable(format!("{name} cannot be read ({e})")))?;
    let read = read_entry(entry, name, true)?;
    Ok(read.kept)
}

/// Whether `SHA256SUMS` gives `manifest_bytes`' digest for `manifest.json`.
fn sums_vouch_for(zip: &mut Zip, manifest_bytes: &[u8]) -> Result<bool, VerifyError> {
    let sums = read_small(zip, "SHA256SUMS")?;
    let want = hex::encode(sha2::Sha256::digest(manifest_bytes));
    Ok(sums
        .as_deref()
        .and_then(super::zipread::parse_sums)
        .and_then(|s| s.get("manifest.json").cloned())
        .is_some_and(|h| h == want))
}

/// What a rewritten manifest claims that the chain does not: the reviewer reads the manifest's
/// title first, so a contradiction is named field by field.
fn manifest_contradictions(found: &Manifest, derived: &Manifest) -> Vec<String> {
    let mut out = Vec::new();
    for (field, claimed, recorded) in [
        ("title", &found.case.title, &derived.case.title),
        ("company", &found.case.company, &derived.case.company),
    ] {
        if claimed != recorded {
            out.push(format!(
                "the manifest names the case's {field} \"{}\", the ledger records \"{}\"",
                claimed.escape_debug(),
                recorded.escape_debug()
            ));
        }
    }
    out
}

/// The entries of a format-2 `ledger.jsonl`, or what is wrong with it.
fn parse_ledger(bytes: &[u8]) -> Result<(String, Vec<Entry>), String> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| "ledger.jsonl is not UTF-8 text".to_owned())?;
    let mut uid = None;
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let l: LedgerLine = serde_json::from_str(line).map_err(|_| {
            format!("line {n} of ledger.jsonl is not a ledger entry of this format")
        })?;
        let entry = l
            .to_entry()
            .ok_or_else(|| format!("entry {n}: malformed hash"))?;
        if *uid.get_or_insert_with(|| l.case_uid.clone()) != l.case_uid {
            return Err(format!("entry {n} belongs to another case than entry 1"));
        }
        entries.push(entry);
    }
    Ok((uid.unwrap_or_default(), entries))
}

/// Recomputes the chain (each entry in its encoding, each disclosure against its commitment);
/// lists every break.
fn chain_problems(uid: &str, entries: &[Entry]) -> Vec<String> {
    crate::ledger::check_chain(uid, entries)
        .iter()
        .map(|p| {
            let seq = p.seq();
            let kind = entries
                .iter()
                .find(|e| e.seq == seq)
                .map(|e| format!(" ({})", e.kind.escape_debug()))
                .unwrap_or_default();
            format!("{p}{kind}")
        })
        .collect()
}

/// What a packet withholds that its `redacted` option does not allow: an unredacted packet
/// discloses every commitment, a redacted one every one but the claimant's phone, email and
/// address.
fn withheld_problems(entries: &[Entry], redacted: bool) -> Vec<String> {
    let mut out = Vec::new();
    for e in entries {
        let Ok(payload) = serde_json::from_str::<serde_json::Value>(&e.payload) else {
            continue;
        };
        if e.encoding < 2 {
            // Written before commitments: its private values are in the hashed text, so a
            // redacted packet may hold none of the ones it withholds.
            if redacted {
                for pointer in crate::ledger::commit::plain_values(&payload)
                    .iter()
                    .filter(|p| crate::ledger::commit::is_redacted_field(p))
                {
                    out.push(format!(
                        "entry {} holds {} in plain text, which a redacted packet withholds",
                        e.seq,
                        pointer.escape_debug()
                    ));
                }
            }
            continue;
        }
        for pointer in crate::ledger::commit::commitments(&payload).keys() {
            let may_withhold = redacted && crate::ledger::commit::is_redacted_field(pointer);
            if !may_withhold && !e.private.contains_key(pointer) {
                out.push(format!(
                    "entry {} withholds {}, which a{} packet must disclose",
                    e.seq,
                    pointer.escape_debug(),
                    if redacted {
                        " redacted"
                    } else {
                        "n unredacted"
                    }
                ));
            }
        }
    }
    out
}

/// The build options a manifest records, read strictly.
fn options_of(m: &Manifest) -> Result<BuildOptions, String> {
    let generated_at = chrono::DateTime::parse_from_rfc3339(&m.generated_at)
        .map_err(|_| {
            format!(
                "manifest.json says it was built at \"{}\", which is not a time",
                m.generated_at.escape_debug()
            )
        })?
        .with_timezone(&chrono::Utc);
    let zone: chrono_tz::Tz = m.zone.parse().map_err(|_| {
        format!(
            "manifest.json names the time zone \"{}\", which is not an IANA zone",
            m.zone.escape_debug()
        )
    })?;
    let deadline = m
        .deadline
        .as_deref()
        .map(|d| {
            d.parse::<chrono::NaiveDate>().map_err(|_| {
                format!(
                    "manifest.json gives the deadline \"{}\", which is not a date",
                    d.escape_debug()
                )
            })
        })
        .transpose()?;
    Ok(BuildOptions {
        lang: m.lang,
        recipient: m.recipient,
        redact: m.redacted,
        generated_at,
        deadline,
        zone,
    })
}

/// What the chain says one entry must be.
enum Expected {
    /// Bytes this version makes, with their digest.
    Derived(Sha256, u64),
    /// Made by another version: only checked against the lists.
    Foreign,
    /// An evidence file.
    Evidence { number: u32, sha: Sha256, size: u64 },
}

/// Checks the packet at `path`.
pub fn verify_with(path: &Path, options: VerifyOptions) -> Result<VerifyReport, VerifyError> {
    let (file, mut zip) = open_checked(path)?;
    let file_len = file
        .metadata()
        .map_err(|e| VerifyError::Unreadable(e.to_string()))?
        .len();
    // Lists under another folder (`./manifest.json`) are a re-packed packet, named below.
    let has_lists = zip.file_names().any(|n| {
        n.is_ok_and(|n| matches!(n.rsplit('/').next(), Some("manifest.json" | "SHA256SUMS")))
    });
    if !has_lists {
        return Err(hostile(
            "this ZIP has neither manifest.json nor SHA256SUMS: it is not a recourse packet",
        ));
    }

    // Which format: read loosely first, since a newer format may add fields this one refuses.
    let manifest_bytes = read_small(&mut zip, "manifest.json")?;
    let format = manifest_bytes
        .as_deref()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| v.get("format")?.as_str().map(str::to_owned));
    match format.as_deref() {
        Some(FORMAT | FORMAT_3 | FORMAT_2) | None => {}
        Some(FORMAT_1) => {
            drop(zip);
            let mut report = super::verify_v1::verify(path)?;
            if options.packet_digest {
                report.packet_sha256 = Some(packet_digest(path)?);
            }
            return Ok(report);
        }
        Some(other) => {
            return Err(hostile(format!(
                "manifest.json says format \"{}\"; this recourse reads \"{FORMAT}\", \"{FORMAT_3}\", \"{FORMAT_2}\" and \"{FORMAT_1}\" — update recourse",
                other.escape_debug()
            )));
        }
    }

    let mut findings: Vec<String> = Vec::new();
    let mut ledger = LedgerVerdict {
        entries: 0,
        head: GENESIS.to_hex(),
        redacted_entries: 0,
        evidence_entries: 0,
        intact: false,
        problems: Vec::new(),
    };

    // The chain.
    let ledger_bytes = read_small(&mut zip, "ledger.jsonl")?;
    let chain = match ledger_bytes.as_deref().map(parse_ledger) {
        None => {
            ledger
                .problems
                .push("ledger.jsonl is missing or damaged".into());
            None
        }
        Some(Err(why)) => {
            ledger.problems.push(why);
            None
        }
        Some(Ok((uid, entries))) => {
            ledger.entries = entries.len() as u64;
            ledger.head = entries.last().map_or(GENESIS, |e| e.hash).to_hex();
            ledger.evidence_entries = entries
                .iter()
                .filter(|e| e.kind == "evidence.added")
                .count() as u64;
            ledger.problems.extend(chain_problems(&uid, &entries));
            // What an import would write: the chain replayed through the store's own
            // projector. A chain it cannot replay (a promise on a contact never logged, a
            // second retraction, a record added twice …) is not a case, whatever its hashes.
            match crate::store::Scratch::new() {
                Ok(mut scratch) => ledger.problems.extend(
                    scratch
                        .replay(
                            crate::model::CaseId(1),
                            &uid,
                            &crate::ledger::translate(&entries),
                        )
                        .into_iter()
                        .map(|p| p.detail),
                ),
                Err(e) => ledger
                    .problems
                    .push(format!("the chain could not be replayed here ({e})")),
            }
            if entries.is_empty() {
                ledger.problems.push("ledger.jsonl holds no entries".into());
            }
            Some((uid, entries))
        }
    };

    // The manifest: its options are what the derived files are made with.
    let manifest: Option<Manifest> = match manifest_bytes.as_deref() {
        None => {
            findings.push("manifest.json is missing".into());
            None
        }
        Some(b) => match serde_json::from_slice::<Manifest>(b) {
            Ok(m) => Some(m),
            Err(_) if sums_vouch_for(&mut zip, b)? => {
                return Err(hostile(
                    "manifest.json is not a valid manifest, yet SHA256SUMS vouches for it: the packet was made to mislead",
                ));
            }
            Err(e) => {
                findings.push(format!(
                    "manifest.json is not a manifest of this format ({})",
                    e.to_string().escape_debug()
                ));
                None
            }
        },
    };
    let build_options = manifest.as_ref().and_then(|m| match options_of(m) {
        Ok(o) => Some(o),
        Err(why) => {
            findings.push(why);
            None
        }
    });
    // Format 3: the sender key, and its signature over the manifest's exact bytes.
    let version: u8 = match format.as_deref() {
        Some(FORMAT_2) => 2,
        Some(FORMAT_3) => 3,
        _ => 4,
    };
    // Formats 3 and 4 are signed alike.
    let signed = version >= 3;
    let signature = if signed {
        read_small(&mut zip, "manifest.sig")?
    } else {
        None
    };
    let sender_key = match (manifest.as_ref(), version) {
        (Some(m), 2) => {
            if m.sender.is_some() {
                findings.push(
                    "manifest.json of format 2 names a sender key, which format 2 does not have"
                        .into(),
                );
            }
            None
        }
        (Some(m), _) => match m.sender.as_ref().map(|s| (s, s.key())) {
            Some((_, Some(k))) => Some(k),
            Some((s, None)) => {
                findings.push(format!(
                    "manifest.json names the sender key \"{}\" ({}), which is not an Ed25519 key with that fingerprint",
                    s.public_key.escape_debug(),
                    s.fingerprint.escape_debug()
                ));
                None
            }
            None => {
                findings.push(format!(
                    "manifest.json of format {version} names no sender key"
                ));
                None
            }
        },
        _ => None,
    };
    let signature_valid = match (&sender_key, &signature, &manifest_bytes) {
        (Some(k), Some(sig), Some(m)) => k.verifies(m, sig),
        _ => false,
    };
    if let (Some(m), Some((uid, entries))) = (&manifest, &chain) {
        ledger
            .problems
            .extend(withheld_problems(entries, m.redacted));
        if m.case.uid != *uid {
            ledger
                .problems
                .push("the ledger belongs to another case than the manifest names".into());
        }
        if m.ledger.length != ledger.entries || m.ledger.head != ledger.head {
            ledger.problems.push(format!(
                "the manifest says the ledger has {} entries ending in {}, ledger.jsonl has {} ending in {}",
                m.ledger.length,
                m.ledger.head.escape_debug(),
                ledger.entries,
                ledger.head
            ));
        }
        if let (Some(o), Some(last)) = (&build_options, entries.last()) {
            match last.at_time() {
                Some(t) if t > o.generated_at => findings.push(format!(
                    "manifest.json says the packet was built at {}, before the ledger's last entry ({}): the build time is false",
                    m.generated_at.escape_debug(),
                    last.at.escape_debug()
                )),
                Some(_) => {}
                None => findings.push(format!(
                    "the ledger's last entry has the time \"{}\", which is not a time",
                    last.at.escape_debug()
                )),
            }
        }
    }
    ledger.intact = ledger.problems.is_empty() && chain.is_some();

    // What the chain says the packet holds.
    let ours = super::generator();
    let foreign = manifest
        .as_ref()
        .is_some_and(|m| !super::known_generator(&m.generator));
    if let (Some(m), Some(f)) = (&manifest, format.as_deref())
        && !super::generator_writes(&m.generator, f)
    {
        findings.push(format!(
            "manifest.json says {} built this packet in format \"{}\", which it never writes ({GENERATOR_0_1} wrote formats 2 and 3, {ours} writes \"{FORMAT}\"): the format or the generator was changed",
            m.generator.escape_debug(),
            f.escape_debug()
        ));
    }
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    let mut expected_order: Vec<String> = Vec::new();
    let mut planned_manifest: Option<Manifest> = None;
    let mut unmatched_images: Vec<u32> = Vec::new();
    // The derived files are rebuilt on a second thread while every entry is read (the
    // reports take as long to render as tens of megabytes take to hash).
    let generator = manifest_generator(&manifest);
    let plan_inputs = match (&chain, &build_options, ledger.intact) {
        (Some((uid, entries)), Some(o), true) => Some((uid, entries, o)),
        _ => None,
    };
    let (sender_ref, signature_ref) = (&sender_key, &signature);
    let plan_job = |(uid, entries, o): (&String, &Vec<Entry>, &BuildOptions)| {
        let mut unmatched: Vec<u32> = Vec::new();
        let mut preview_zip = open_zip(path).ok().map(|(_, z)| z);
        // The signature found stands in for the sender's (checked apart above).
        let found_signature = |_: &[u8]| signature_ref.clone().unwrap_or_default();
        let signer = sender_ref.as_ref().map(|key| super::build::Signer {
            key,
            sign: &found_signature,
        });
        if signed && signer.is_none() {
            return (
                Err("the packet names no usable sender key".to_owned()),
                Vec::new(),
            );
        }
        let planned = plan(
            uid,
            entries,
            o,
            &generator,
            format.as_deref().unwrap_or(FORMAT),
            signer,
            &mut |e| {
                let z = preview_zip.as_mut()?;
                let name = format!(
                    "evidence/{}",
                    super::evidence_file_name(
                        e.number,
                        e.fields.kind.code(),
                        &e.fields.original_name
                    )
                );
                let entry = z.by_name(&name).ok()?;
                if entry.size() > crate::evidence::PREVIEW_MAX_FILE_BYTES {
                    return None;
                }
                let mut bytes = Vec::new();
                entry
                    .take(crate::evidence::PREVIEW_MAX_FILE_BYTES)
                    .read_to_end(&mut bytes)
                    .ok()?;
                // The reports show a preview of the recorded image; from other bytes they cannot be
                // rebuilt (and the image itself is reported as altered).
                if Sha256(sha2::Sha256::digest(&bytes).into()) != e.fields.sha256 {
                    unmatched.push(e.number);
                }
                super::build::preview(&bytes)
            },
        )
        .map_err(|e| e.to_string());
        (planned, unmatched)
    };

    // Every entry, once: names, headers, layout, content.
    let mut spans = Vec::new();
    let mut seen_keys: BTreeMap<String, String> = BTreeMap::new();
    let mut read: Vec<(String, EntryRead)> = Vec::new();
    let planned = std::thread::scope(|scope| -> Result<_, VerifyError> {
        let job = plan_inputs.map(|inputs| {
            std::thread::Builder::new()
                .name("packet-plan".into())
                .spawn_scoped(scope, move || plan_job(inputs))
        });
        for i in 0..zip.len() {
            let entry = zip
                .by_index_raw(i)
                .map_err(|e| VerifyError::Unreadable(format!("entry {i} cannot be read ({e})")))?;
            let raw_name = entry.name_raw().to_vec();
            let sizes = (entry.size(), entry.compressed_size());
            let name = std::str::from_utf8(&raw_name)
                .map_err(|_| hostile(format!("entry {i}'s name is not UTF-8")))?
                .to_owned();
            check_name(&name)?;
            if entry.is_symlink() {
                return Err(hostile(format!(
                    "{} is a symbolic link",
                    name.escape_debug()
                )));
            }
            let (central, local) = (entry.central_header_start(), entry.header_start());
            let compressed = entry.compressed_size();
            spans.push(Span {
                name: name.clone(),
                local,
                data_start: local_data_start(&file, local).unwrap_or(local),
                compressed,
                central,
                has_descriptor: has_descriptor(&file, local),
            });
            if let Some(why) = portability_problem(&name) {
                findings.push(why);
            }
            if let Some(other) = seen_keys.insert(collision_key(&name), name.clone()) {
                findings.push(format!(
                    "\"{}\" and \"{}\" would be extracted as one file on Windows or macOS",
                    other.escape_debug(),
                    name.escape_debug()
                ));
            }
            if entry.is_dir() {
                findings.push(format!(
                "the folder entry \"{}\" is not part of a packet: it was re-packed by another tool",
                name.escape_debug()
            ));
                continue;
            }
            // The lists were read whole (and bounded) by read_small; here only their digest.
            let mut r = read_entry(entry, &name, false)?;
            if r.damaged.is_none()
                && let Some(why) = header_problem(
                    &file,
                    central,
                    local,
                    &raw_name,
                    sizes,
                    build_options.as_ref().map(|o| HeaderRule {
                        time: dos_time(o.generated_at),
                        mode: if name == "verify.sh" {
                            0o100755
                        } else {
                            0o100644
                        },
                    }),
                )
            {
                r.damaged = Some(why);
            }
            read.push((name, r));
        }
        Ok(job.map(|j| match j {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                (
                    Err("the reports could not be rebuilt".to_owned()),
                    Vec::new(),
                )
            }),
            Err(_) => plan_inputs.map(plan_job).unwrap_or_else(|| {
                (
                    Err("the reports could not be rebuilt".to_owned()),
                    Vec::new(),
                )
            }),
        }))
    })?;
    findings.extend(layout_problems(&file, file_len, &mut spans));
    if let Some((planned, unmatched)) = planned {
        unmatched_images = unmatched;
        match planned {
            Ok((files, m)) => {
                if let Some(found) = &manifest {
                    findings.extend(manifest_contradictions(found, &m));
                }
                for f in files {
                    let path = f.path().to_owned();
                    let e = match f {
                        Planned::Evidence {
                            number,
                            sha256,
                            size,
                            ..
                        } => Expected::Evidence {
                            number,
                            sha: sha256,
                            size,
                        },
                        // The lists are checked after the files (they depend on them), the
                        // signature against the key.
                        Planned::Derived { path, .. }
                            if path == "manifest.json"
                                || path == "SHA256SUMS"
                                || path == "manifest.sig" =>
                        {
                            Expected::Foreign
                        }
                        // Files of one fixed form in every version are checked whoever made
                        // them; the reports only by the version that made them.
                        Planned::Derived { .. } if foreign && !fixed_form(&path) => {
                            Expected::Foreign
                        }
                        Planned::Derived { bytes, .. } => Expected::Derived(
                            Sha256(sha2::Sha256::digest(&bytes).into()),
                            bytes.len() as u64,
                        ),
                    };
                    expected_order.push(path.clone());
                    expected.insert(path, e);
                }
                planned_manifest = Some(m);
            }
            Err(e) => ledger.problems.push(format!(
                "the ledger does not describe a case this version can read back ({e})"
            )),
        }
    }
    ledger.intact = ledger.problems.is_empty() && chain.is_some();

    // The lists, as this version derives them from the chain and the files found.
    let found: BTreeMap<&str, &EntryRead> = read.iter().map(|(n, r)| (n.as_str(), r)).collect();
    let expected_lists = planned_manifest.map(|mut m| {
        if foreign {
            // Another version's reports cannot be rebuilt; the lists then carry their digests
            // as found, and every other line is still the chain's.
            for f in &mut m.files {
                if let Some(Expected::Foreign) = expected.get(&f.path)
                    && let Some(r) = found.get(f.path.as_str())
                {
                    f.size = r.size;
                    f.sha256 = r.sha.to_hex();
                }
            }
        }
        let (bytes, sums) = lists(&m, signature.as_deref().filter(|_| signed));
        (
            Sha256(sha2::Sha256::digest(&bytes).into()),
            Sha256(sha2::Sha256::digest(sums.as_bytes()).into()),
        )
    });

    let mut files: Vec<FileVerdict> = Vec::new();
    let have_expectations = !expected.is_empty();
    for (name, r) in &read {
        let v = |verdict, detail: Option<String>, evidence| FileVerdict {
            path: name.clone(),
            verdict,
            detail,
            evidence,
        };
        let shown = name.escape_debug();
        let verdict = if let Some(why) = &r.damaged {
            let number = match expected.get(name) {
                Some(Expected::Evidence { number, .. }) => Some(*number),
                _ => None,
            };
            v(Verdict::Altered, Some(why.clone()), number)
        } else if !have_expectations {
            v(
                Verdict::NotChecked,
                Some(
                    "the ledger or the manifest cannot be read, so nothing vouches for this file"
                        .into(),
                ),
                None,
            )
        } else if name == "manifest.sig" && signed {
            if signature_valid {
                v(Verdict::Ok, None, None)
            } else {
                v(
                    Verdict::Altered,
                    Some(match &sender_key {
                        Some(k) => format!(
                            "this is not key {}'s signature of manifest.json: the manifest was changed after it was signed, or the signature is another key's",
                            k.fingerprint()
                        ),
                        None => "there is no usable sender key to check it with".into(),
                    }),
                    None,
                )
            }
        } else if name == "manifest.json" || name == "SHA256SUMS" {
            let want = expected_lists
                .as_ref()
                .map(|(m, s)| if name == "manifest.json" { m } else { s });
            match want {
                Some(w) if *w == r.sha => v(Verdict::Ok, None, None),
                _ => v(
                    Verdict::Altered,
                    Some(format!(
                        "{shown} is not what the ledger and the files in the packet give: a list was rewritten or a file in it differs"
                    )),
                    None,
                ),
            }
        } else {
            match expected.get(name) {
                None => v(
                    Verdict::Extra,
                    Some("nothing in the ledger accounts for this file".into()),
                    None,
                ),
                Some(Expected::Evidence { number, sha, size }) => {
                    let label = crate::model::evidence_label(*number);
                    if r.sha == *sha && r.size == *size {
                        v(Verdict::Ok, None, Some(*number))
                    } else {
                        v(
                            Verdict::Altered,
                            Some(format!(
                                "this is not the file the ledger recorded as {label}: its SHA-256 is {} ({} bytes); the ledger recorded {sha} ({size} bytes)",
                                r.sha, r.size
                            )),
                            Some(*number),
                        )
                    }
                }
                Some(Expected::Derived(sha, size)) => {
                    if r.sha == *sha && r.size == *size {
                        v(Verdict::Ok, None, None)
                    } else if (name == "report.pdf" || name == "report.html")
                        && !unmatched_images.is_empty()
                    {
                        let labels: Vec<String> = unmatched_images
                            .iter()
                            .map(|n| crate::model::evidence_label(*n))
                            .collect();
                        v(
                            Verdict::NotChecked,
                            Some(format!(
                                "cannot be rebuilt: it shows a preview of {}, whose file in the packet is not the one recorded",
                                labels.join(", ")
                            )),
                            None,
                        )
                    } else if name == "ledger.jsonl" {
                        v(
                            Verdict::Altered,
                            Some("ledger.jsonl is not in the one form the format fixes (extra fields, spacing or lines)".into()),
                            None,
                        )
                    } else {
                        v(
                            Verdict::Altered,
                            Some(format!(
                                "{shown} is not what the ledger and the packet's options produce: it was changed after it was built"
                            )),
                            None,
                        )
                    }
                }
                Some(Expected::Foreign) => {
                    let made_by = manifest_generator(&manifest);
                    v(
                        Verdict::NotChecked,
                        Some(format!(
                            "made by {}, this is {ours}: its content was not rebuilt from the ledger",
                            made_by.escape_debug()
                        )),
                        None,
                    )
                }
            }
        };
        files.push(verdict);
    }
    let present: BTreeSet<&str> = read.iter().map(|(n, _)| n.as_str()).collect();
    // The format fixes the order too: one packet, one byte sequence.
    let in_zip: Vec<&str> = read
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| expected.contains_key(*n))
        .collect();
    let in_format: Vec<&str> = expected_order
        .iter()
        .map(String::as_str)
        .filter(|n| present.contains(n))
        .collect();
    if in_zip != in_format {
        let first = in_zip
            .iter()
            .zip(&in_format)
            .find(|(a, b)| a != b)
            .map(|(a, b)| {
                format!(
                    " (\"{}\" where the format puts \"{}\")",
                    a.escape_debug(),
                    b.escape_debug()
                )
            })
            .unwrap_or_default();
        findings.push(format!(
            "the files are not in the order the format fixes{first}: the packet was re-packed by another tool"
        ));
    }
    for name in &expected_order {
        if !present.contains(name.as_str()) {
            let number = match expected.get(name) {
                Some(Expected::Evidence { number, .. }) => Some(*number),
                _ => None,
            };
            files.push(FileVerdict {
                path: name.clone(),
                verdict: Verdict::Missing,
                detail: Some(match number {
                    Some(n) => format!(
                        "the ledger records {} but its file is not in the packet",
                        crate::model::evidence_label(n)
                    ),
                    None => "the format requires it, and it is not in the packet".into(),
                }),
                evidence: number,
            });
        }
    }

    let files_ok = files.iter().all(|f| f.verdict == Verdict::Ok);
    let intact = files_ok && ledger.intact && findings.is_empty();
    let not_checked = files
        .iter()
        .filter(|f| f.verdict == Verdict::NotChecked)
        .count();
    // When and who, apart from integrity.
    let proofs = match &chain {
        Some((_, entries)) if ledger.intact => crate::proof::chain::proofs(entries),
        _ => crate::proof::chain::Proofs::default(),
    };
    // The files claim is about the files: a proof that proves nothing is its own finding.
    let files_findings_empty = findings.is_empty();
    let proof_problems = proofs.problems();
    let proofs_hold = proof_problems.is_empty();
    findings.extend(proof_problems);
    let zone = build_options.as_ref().map_or(chrono_tz::UTC, |o| o.zone);
    let (when, who) = when_and_who();
    let when = match proofs.latest_stamp() {
        Some((s, info)) => Claim {
            proven: true,
            says: format!(
                "when: entries 1–{} existed by {}, if you trust the TSA whose {} has SHA-256 {} (the token names it {}: names are the token's own claims; {}){}",
                s.covers,
                crate::clock::show_in(info.gen_time, zone),
                match &info.missing_issuer {
                    None if info.chain_complete => "root certificate".to_owned(),
                    Some(issuer) => format!(
                        "certificate at the top of the chain the packet holds (its issuer {} is not in the packet)",
                        super::shown(issuer)
                    ),
                    None => "certificate at the top of the chain the packet holds".to_owned(),
                },
                info.anchor_sha256,
                super::shown(info.chain.last().map_or("", String::as_str)),
                super::shown(&info.chain.join(" → ")),
                match ledger.entries.saturating_sub(s.covers) {
                    0 => String::new(),
                    1 => format!("; entry {} is not timestamped", ledger.entries),
                    _ => format!(
                        "; entries {}–{} are not timestamped",
                        s.covers + 1,
                        ledger.entries
                    ),
                }
            ),
        },
        None if signed => Claim {
            proven: false,
            says: "when: not proven (no valid timestamp in the chain) — a packet built from scratch with back-dated times looks the same".into(),
        },
        None => when,
    };
    let uid = manifest.as_ref().map(|m| m.case.uid.as_str()).unwrap_or("");
    let sender = sender_key.map(|k| SenderVerdict {
        fingerprint: k.fingerprint(),
        public_key: k.to_base64(),
        signature_valid,
        relation: options
            .known
            .as_ref()
            .map_or(KeyRelation::Unknown, |known| known.relation(&k, uid)),
    });
    let unsigned_but_known = (version == 2)
        .then(|| {
            options
                .known
                .as_ref()
                .and_then(|k| k.imported.iter().find(|c| c.uid == uid).cloned())
        })
        .flatten();
    let who = match (&sender, version) {
        (_, 2) => Claim {
            proven: false,
            says: match &unsigned_but_known {
                Some(c) => format!(
                    "who: not proven (format 2 packets are not signed) — and case {} \"{}\" you imported came signed by key {}: nothing shows this packet is from the same sender",
                    c.case_id.0,
                    super::shown(&c.title),
                    c.key.fingerprint()
                ),
                None => "who: not proven (format 2 packets are not signed)".into(),
            },
        },
        (Some(s), _) if s.signature_valid => Claim {
            proven: true,
            says: format!(
                "who: signed by key {}; {}",
                s.fingerprint,
                s.relation.words()
            ),
        },
        (Some(s), _) => Claim {
            proven: false,
            says: format!(
                "who: not proven — manifest.sig is not key {}'s signature of manifest.json",
                s.fingerprint
            ),
        },
        (None, _) => who,
    };
    let timestamps = proofs
        .stamps
        .iter()
        .map(|s| match &s.result {
            Ok(info) => StampVerdict {
                entry: s.seq,
                covers: s.covers,
                valid: true,
                gen_time: Some(crate::clock::to_stored(info.gen_time)),
                tsa: Some(info.tsa.clone()),
                detail: crate::proof::chain::chain_words(info, false),
                root_sha256: Some(info.anchor_sha256.clone()),
            },
            Err(e) => StampVerdict {
                entry: s.seq,
                covers: s.covers,
                valid: false,
                gen_time: None,
                tsa: None,
                detail: e.to_string(),
                root_sha256: None,
            },
        })
        .collect();
    let receipts = proofs
        .receipts
        .iter()
        .map(|r| ReceiptVerdict {
            entry: r.seq,
            code: r.code.clone(),
            contact: r.contact,
            covers: r.covers,
            valid: r.problem.is_none(),
        })
        .collect();
    let intact = intact && proofs_hold;
    let claims = Claims {
        files: Claim {
            proven: files_ok && ledger.intact && files_findings_empty,
            says: if files_ok && ledger.intact && files_findings_empty {
                format!(
                    "the files are what the ledger recorded: {} evidence file(s) match their ledger records, and every other file is exactly what the ledger produces",
                    ledger.evidence_entries
                )
            } else if not_checked > 0
                && ledger.intact
                && files
                    .iter()
                    .all(|f| matches!(f.verdict, Verdict::Ok | Verdict::NotChecked))
            {
                format!(
                    "not proven: {not_checked} file(s) could not be rebuilt from the ledger (see above)"
                )
            } else {
                "not proven: some files are not what the ledger recorded (see above)".into()
            },
        },
        chain: Claim {
            proven: ledger.intact,
            says: if ledger.intact {
                format!(
                    "the ledger chain of {} entries is unbroken, ending in {}",
                    ledger.entries, ledger.head
                )
            } else {
                "the ledger chain does not hold (see the problems above)".into()
            },
        },
        when,
        who,
    };
    let packet_sha256 = options
        .packet_digest
        .then(|| packet_digest(path))
        .transpose()?;
    let m = manifest.as_ref();
    Ok(VerifyReport {
        unsigned_but_known,
        format: version,
        sender,
        timestamps,
        receipts,
        intact,
        packet_sha256,
        case_title: m.map(|m| m.case.title.clone()).unwrap_or_default(),
        case_uid: m.map(|m| m.case.uid.clone()).unwrap_or_default(),
        generated_at: m.map(|m| m.generated_at.clone()).unwrap_or_default(),
        generator: m.map(|m| m.generator.clone()).unwrap_or_default(),
        redacted: m.is_some_and(|m| m.redacted),
        files,
        ledger,
        findings,
        claims,
    })
}

/// Files whose form the format fixes for every version (not the reports).
fn fixed_form(path: &str) -> bool {
    path == "ledger.jsonl" || path == "sender.pem" || path.starts_with("timestamps/")
}

fn manifest_generator(m: &Option<Manifest>) -> String {
    m.as_ref()
        .map_or_else(super::generator, |m| m.generator.clone())
}
