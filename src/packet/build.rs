//! Building a packet from a case.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde_json::{Value, json};
use sha2::Digest;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::report::{self, Preview, ReportInput};
use super::{
    FORMAT, LedgerLine, Manifest, ManifestCase, ManifestFile, ManifestLedger, PacketLang,
    Recipient, evidence_file_name,
};
use crate::clock::to_stored;
use crate::datadir::DataDir;
use crate::ledger::Entry;
use crate::model::{CaseId, Code, Evidence};
use crate::vault::{Control, Sha256};

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The report's language.
    pub lang: PacketLang,
    /// Whom it is for.
    pub recipient: Recipient,
    /// Leave out the claimant's phone, email and address everywhere.
    pub redact: bool,
    /// The build time written into the packet (and every ZIP entry's time).
    pub generated_at: DateTime<Utc>,
    /// The date the demand should be met by, for the cover letter.
    pub deadline: Option<chrono::NaiveDate>,
}

/// A packet built.
#[derive(Debug, Clone)]
pub struct Built {
    /// Where it is.
    pub path: PathBuf,
    /// Its SHA-256 (recorded in the case's ledger).
    pub sha256: Sha256,
    /// Its size.
    pub size: u64,
    /// Files inside.
    pub files: usize,
    /// Ledger entries it holds.
    pub ledger_length: u64,
    /// The head of the chain it holds.
    pub ledger_head: String,
}

/// Why a packet could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PacketError {
    /// The case could not be read.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// An evidence file no longer matches its hash: the packet would lie.
    #[error(
        "{label}'s stored file does not match its SHA-256 any more ({path}); run `recourse fsck` — no packet was written"
    )]
    Damaged {
        /// `E003`.
        label: String,
        /// The vault path.
        path: String,
    },
    /// The output exists.
    #[error("{} exists; choose another --out or move it away (nothing was written)", .0.display())]
    Exists(PathBuf),
    /// Writing failed.
    #[error("cannot write the packet ({source}): {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// Cancelled.
    #[error("cancelled; no packet was written")]
    Cancelled,
}

/// Files that are already compressed go in stored; text is deflated.
fn compression_for(media_type: &str) -> CompressionMethod {
    let text = media_type.starts_with("text/")
        || media_type.ends_with("json")
        || media_type.ends_with("xml")
        || media_type == "message/rfc822"
        || media_type == "application/rtf";
    if text {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    }
}

/// The ZIP entry time: `generated_at` in UTC (DOS times have no zone).
fn zip_time(at: DateTime<Utc>) -> zip::DateTime {
    zip::DateTime::from_date_and_time(
        at.year().clamp(1980, 2107) as u16,
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
    )
    .unwrap_or_default()
}

/// The chain a packet exports: everything up to the last entry that changed the case, so
/// `packet.built` entries after it do not change the next packet.
pub fn exported_entries(entries: &[Entry]) -> &[Entry] {
    let end = entries
        .iter()
        .rposition(|e| e.kind != "packet.built")
        .map_or(0, |i| i + 1);
    &entries[..end]
}

/// Removes the claimant's phone, email and address from a ledger payload; returns whether
/// anything was removed.
fn redact_payload(value: &mut Value) -> bool {
    fn claimant(v: &mut Value) -> bool {
        let mut changed = false;
        if let Value::Object(map) = v {
            if map.contains_key("from") || map.contains_key("to") {
                for side in ["from", "to"] {
                    if let Some(s) = map.get_mut(side) {
                        changed |= claimant(s);
                    }
                }
            } else {
                for key in ["phone", "email", "address"] {
                    if let Some(x) = map.get_mut(key)
                        && !x.is_null()
                    {
                        *x = Value::String("[redacted]".into());
                        changed = true;
                    }
                }
            }
        }
        changed
    }
    match value {
        Value::Object(map) => {
            let mut changed = false;
            for (k, v) in map.iter_mut() {
                changed |= if k == "claimant" {
                    claimant(v)
                } else {
                    redact_payload(v)
                };
            }
            changed
        }
        Value::Array(items) => items.iter_mut().fold(false, |c, v| redact_payload(v) | c),
        _ => false,
    }
}

fn ledger_lines(uid: &str, entries: &[Entry], redact: bool) -> Vec<LedgerLine> {
    entries
        .iter()
        .map(|e| {
            let mut payload = e.payload.clone();
            let mut redacted = false;
            if redact
                && let Ok(mut v) = serde_json::from_str::<Value>(&e.payload)
                && redact_payload(&mut v)
            {
                payload = v.to_string();
                redacted = true;
            }
            LedgerLine {
                case_uid: uid.to_owned(),
                seq: e.seq,
                at: e.at.clone(),
                kind: e.kind.clone(),
                payload,
                redacted,
                prev_hash: e.prev_hash.to_hex(),
                hash: e.hash.to_hex(),
            }
        })
        .collect()
}

/// The metadata that travels beside an evidence file.
fn sidecar(e: &Evidence, d: &crate::store::CaseDetail) -> Value {
    let f = &e.fields;
    let contact = f
        .contact_id
        .and_then(|id| d.contacts.iter().find(|c| c.id == id))
        .map(|c| {
            json!({
                "id": c.id,
                "started_at": to_stored(c.fields.started_at),
                "channel": c.fields.channel.code(),
                "tier": c.fields.tier.code(),
                "agent_name": c.fields.agent_name,
                "reference": c.fields.reference,
            })
        });
    json!({
        "evidence": e.label(),
        "kind": f.kind.code(),
        "sha256": f.sha256.to_hex(),
        "size": f.size_bytes,
        "original_name": f.original_name,
        "media_type": f.media_type,
        "captured_at": f.captured_at.map(to_stored),
        "imported_at": to_stored(e.imported_at),
        "source": f.source.code(),
        "note": f.note,
        "contact": contact,
        "audio": f.audio,
        "retracted": e.retracted.as_ref().map(|r| json!({"at": to_stored(r.at), "reason": r.reason})),
    })
}

/// A downscaled JPEG of an image for the report (the original goes in untouched).
fn preview(path: &Path) -> Option<Preview> {
    let small = crate::evidence::downscaled(path, 720)?.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 78)
        .encode_image(&small)
        .ok()?;
    Some(Preview {
        jpeg,
        size: small.dimensions(),
    })
}

struct Writer {
    zip: zip::ZipWriter<BufWriter<File>>,
    time: zip::DateTime,
    files: Vec<ManifestFile>,
    path: PathBuf,
}

impl Writer {
    fn options(&self, method: CompressionMethod, mode: u32) -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(self.time)
            .unix_permissions(mode)
            .large_file(false)
    }

    fn io(&self) -> impl FnOnce(io::Error) -> PacketError + '_ {
        |source| PacketError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Adds an in-memory file and lists it.
    fn add(
        &mut self,
        name: &str,
        bytes: &[u8],
        mode: u32,
        listed: bool,
    ) -> Result<(), PacketError> {
        let options = self.options(CompressionMethod::Deflated, mode);
        self.zip
            .start_file(name, options)
            .map_err(|e| (self.io())(io::Error::other(e)))?;
        self.zip.write_all(bytes).map_err(self.io())?;
        if listed {
            self.files.push(ManifestFile {
                path: name.to_owned(),
                size: bytes.len() as u64,
                sha256: hex::encode(sha2::Sha256::digest(bytes)),
            });
        }
        Ok(())
    }

    /// Adds an in-memory file that is already compressed (stored, not deflated) and lists it.
    fn add_stored(&mut self, name: &str, bytes: &[u8]) -> Result<(), PacketError> {
        let options = self.options(CompressionMethod::Stored, 0o644);
        self.zip
            .start_file(name, options)
            .map_err(|e| (self.io())(io::Error::other(e)))?;
        self.zip.write_all(bytes).map_err(self.io())?;
        self.files.push(ManifestFile {
            path: name.to_owned(),
            size: bytes.len() as u64,
            sha256: hex::encode(sha2::Sha256::digest(bytes)),
        });
        Ok(())
    }

    /// Streams a vault object in, checking it still matches its hash.
    fn add_object(
        &mut self,
        name: &str,
        object: &Path,
        expected: &Sha256,
        label: &str,
        media_type: &str,
        control: &Control,
    ) -> Result<(), PacketError> {
        let damaged = || PacketError::Damaged {
            label: label.to_owned(),
            path: object.display().to_string(),
        };
        let mut file = File::open(object).map_err(|_| damaged())?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let large = size >= u64::from(u32::MAX);
        let options = self
            .options(compression_for(media_type), 0o644)
            .large_file(large);
        self.zip
            .start_file(name, options)
            .map_err(|e| (self.io())(io::Error::other(e)))?;
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            if control.cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(PacketError::Cancelled);
            }
            let n = file.read(&mut buf).map_err(|_| damaged())?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            self.zip.write_all(&buf[..n]).map_err(self.io())?;
            total += n as u64;
            control
                .done_bytes
                .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        }
        let got: [u8; 32] = hasher.finalize().into();
        if got != expected.0 {
            return Err(damaged());
        }
        self.files.push(ManifestFile {
            path: name.to_owned(),
            size: total,
            sha256: expected.to_hex(),
        });
        Ok(())
    }
}

/// Builds the packet of `case_id` at `out` (which must not exist) and records it in the case's
/// ledger. Written to a temp file beside `out` and renamed into place only when complete.
pub fn build(
    dd: &mut DataDir,
    case_id: CaseId,
    out: &Path,
    options: &BuildOptions,
    control: &Control,
) -> Result<Built, PacketError> {
    if out.exists() {
        return Err(PacketError::Exists(out.to_owned()));
    }
    let generated_at = crate::clock::truncate(options.generated_at);
    let detail = dd.store.case_detail(case_id, generated_at)?;
    let all_entries = dd.store.ledger(case_id)?;
    let entries = exported_entries(&all_entries);
    let uid = detail.case.uid.clone();
    let lines = ledger_lines(&uid, entries, options.redact);
    let head = entries
        .last()
        .map_or(crate::ledger::GENESIS, |e| e.hash)
        .to_hex();

    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io_err = |source| PacketError::Io {
        path: out.to_owned(),
        source,
    };
    let tmp = tempfile::Builder::new()
        .prefix(".packet-")
        .suffix(".zip.tmp")
        .tempfile_in(dir)
        .map_err(io_err)?;
    // Held under an exclusive lock while written: the next start removes the temp files of
    // builds that were killed, and the lock tells it which ones are still alive.
    tmp.as_file().lock().map_err(io_err)?;
    let file = tmp.reopen().map_err(io_err)?;
    let mut w = Writer {
        zip: zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, file)),
        time: zip_time(generated_at),
        files: Vec::new(),
        path: out.to_owned(),
    };

    // Evidence names and previews first: the report refers to both.
    let names: Vec<String> = detail
        .evidence
        .iter()
        .map(|e| {
            format!(
                "evidence/{}",
                evidence_file_name(e.number, e.fields.kind.code(), &e.fields.original_name)
            )
        })
        .collect();
    let previews: Vec<Option<Preview>> = detail
        .evidence
        .iter()
        .map(|e| {
            e.fields
                .media_type
                .starts_with("image/")
                .then(|| preview(&dd.vault.object_path(&e.fields.sha256)))
                .flatten()
        })
        .collect();
    let input = ReportInput {
        detail: &detail,
        options,
        generated_at,
        evidence_paths: &names,
        previews: &previews,
        ledger_length: entries.len() as u64,
        ledger_head: &head,
    };
    let verify_txt = report::verify_txt(&input);
    w.add("VERIFY.txt", verify_txt.as_bytes(), 0o644, true)?;
    w.add("verify.sh", report::VERIFY_SH.as_bytes(), 0o755, true)?;
    let pdf = report::pdf(&input).map_err(|e| io_err(io::Error::other(e)))?;
    w.add_stored("report.pdf", &pdf)?;
    let html = report::html(&input).map_err(|e| io_err(io::Error::other(e)))?;
    w.add("report.html", html.as_bytes(), 0o644, true)?;
    for (e, name) in detail.evidence.iter().zip(&names) {
        let object = dd.vault.object_path(&e.fields.sha256);
        w.add_object(
            name,
            &object,
            &e.fields.sha256,
            &e.label(),
            &e.fields.media_type,
            control,
        )?;
        let meta = serde_json::to_vec_pretty(&sidecar(e, &detail)).unwrap_or_default();
        w.add(&format!("{name}.json"), &meta, 0o644, true)?;
    }
    let mut jsonl = String::new();
    for line in &lines {
        jsonl.push_str(&serde_json::to_string(line).unwrap_or_default());
        jsonl.push('\n');
    }
    w.add("ledger.jsonl", jsonl.as_bytes(), 0o644, true)?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        generator: format!("recourse {}", env!("CARGO_PKG_VERSION")),
        case: ManifestCase {
            uid: uid.clone(),
            title: detail.case.fields.title.clone(),
            company: detail.case.fields.company.clone(),
        },
        generated_at: to_stored(generated_at),
        lang: options.lang,
        recipient: options.recipient,
        redacted: options.redact,
        files: w.files.clone(),
        ledger: ManifestLedger {
            length: entries.len() as u64,
            head: head.clone(),
        },
    };
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    w.add("manifest.json", &manifest_bytes, 0o644, true)?;
    let mut sums = String::new();
    for f in &w.files {
        sums.push_str(&format!("{}  {}\n", f.sha256, f.path));
    }
    w.add("SHA256SUMS", sums.as_bytes(), 0o644, false)?;
    let files = w.files.len() + 1;
    let writer = w.zip.finish().map_err(|e| io_err(io::Error::other(e)))?;
    let file = writer.into_inner().map_err(|e| io_err(e.into_error()))?;
    file.sync_all().map_err(io_err)?;
    drop(file);

    // The packet's own digest, for the ledger and the user.
    let mut hasher = sha2::Sha256::new();
    let mut f = tmp.reopen().map_err(io_err)?;
    let size = io::copy(&mut f, &mut HashWriter(&mut hasher)).map_err(io_err)?;
    let sha256 = Sha256(hasher.finalize().into());
    tmp.persist_noclobber(out).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            PacketError::Exists(out.to_owned())
        } else {
            io_err(e.error)
        }
    })?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    dd.store.record_packet_built(
        case_id,
        &json!({
            "sha256": sha256.to_hex(),
            "size": size,
            "file": out.file_name().map(|n| n.to_string_lossy().into_owned()),
            "generated_at": to_stored(generated_at),
            "recipient": options.recipient.code(),
            "redacted": options.redact,
            "ledger_length": entries.len(),
        }),
        chrono::Utc::now().max(generated_at),
    )?;
    Ok(Built {
        path: out.to_owned(),
        sha256,
        size,
        files,
        ledger_length: entries.len() as u64,
        ledger_head: head,
    })
}

struct HashWriter<'a>(&'a mut sha2::Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_reaches_every_claimant_detail_and_nothing_else() {
        let mut created: Value = serde_json::from_str(
            r#"{"case":{"title":"t","claimant":{"name":"김소비","phone":"010-1234-5678","email":null,"address":"서울"}}}"#,
        )
        .unwrap();
        assert!(redact_payload(&mut created));
        assert_eq!(created["case"]["claimant"]["name"], "김소비");
        assert_eq!(created["case"]["claimant"]["phone"], "[redacted]");
        assert!(created["case"]["claimant"]["email"].is_null());
        assert_eq!(created["case"]["claimant"]["address"], "[redacted]");
        let mut edited: Value = serde_json::from_str(
            r#"{"changes":{"claimant":{"from":{"phone":null},"to":{"phone":"010-9"}},"title":{"from":"a","to":"b"}}}"#,
        )
        .unwrap();
        assert!(redact_payload(&mut edited));
        assert_eq!(edited["changes"]["claimant"]["to"]["phone"], "[redacted]");
        assert_eq!(edited["changes"]["title"]["to"], "b");
        let mut contact: Value =
            serde_json::from_str(r#"{"contact":{"summary":"010-1"}}"#).unwrap();
        assert!(!redact_payload(&mut contact));
    }
}

#[cfg(test)]
mod preview_tests {
    #[test]
    fn a_png_gets_a_jpeg_preview() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("object");
        let img =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120]));
        img.save_with_format(&path, image::ImageFormat::Png)
            .unwrap();
        let preview = super::preview(&path).expect("a preview");
        assert_eq!(&preview.jpeg[..2], &[0xff, 0xd8]);
        assert_eq!(preview.size, (64, 48));
    }
}
