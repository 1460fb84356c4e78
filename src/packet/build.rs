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
    FORMAT, Manifest, ManifestCase, ManifestFile, ManifestLedger, PacketLang, Recipient,
    evidence_file_name,
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
    /// The time zone every time in the reports is shown in (the data directory's, never the
    /// builder's `TZ`).
    pub zone: chrono_tz::Tz,
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
    /// The sender key cannot be used.
    #[error("{0}; no packet was written")]
    Key(#[from] crate::proof::key::KeyError),
    /// The chain does not describe a case this version can report.
    #[error(
        "the case's ledger cannot be read back ({0}); run `recourse fsck` — no packet was written"
    )]
    Chain(#[from] super::chain::ChainCaseError),
    /// The build time given is earlier than the case's last change: the packet would claim a
    /// time the verifier must call false.
    #[error(
        "the build time is earlier than the case's last change ({0}); give a later --generated-at or leave it out — no packet was written"
    )]
    BuiltBeforeLastChange(String),
    /// Redaction of details an entry holds in its hashed payload.
    #[error(
        "--redact cannot withhold the claimant's phone, email or address here: ledger entry {0} holds them in its hashed content (it was written before salted commitments, recourse 0.1), so leaving them out would break the chain a reviewer checks; build without --redact, or hand the packet only to someone who may see those details"
    )]
    RedactionUnavailable(u64),
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
/// `packet.built` (and `ledger.upgraded`) entries after it do not change the next packet.
pub fn exported_entries(entries: &[Entry]) -> &[Entry] {
    // Neither a packet's record nor the switch to encoding 2 changes the case.
    let end = entries
        .iter()
        .rposition(|e| e.kind != "packet.built" && e.kind != "ledger.upgraded")
        .map_or(0, |i| i + 1);
    &entries[..end]
}

/// Whether an entry of encoding 1 holds the claimant's phone, email or address in its hashed
/// payload (those cannot be withheld without breaking the chain).
fn holds_plain_contact_details(e: &Entry) -> bool {
    let Ok(payload) = serde_json::from_str::<Value>(&e.payload) else {
        return false;
    };
    crate::ledger::commit::plain_values(&payload)
        .iter()
        .any(|p| crate::ledger::commit::is_redacted_field(p))
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

/// The preview of the image file at `path` (see [`preview`]).
fn preview_of_file(path: &Path) -> Option<Preview> {
    let bytes = std::fs::File::open(path).ok()?;
    if bytes.metadata().ok()?.len() > crate::evidence::PREVIEW_MAX_FILE_BYTES {
        return None;
    }
    let mut data = Vec::new();
    bytes
        .take(crate::evidence::PREVIEW_MAX_FILE_BYTES)
        .read_to_end(&mut data)
        .ok()?;
    preview(&data)
}

/// A downscaled JPEG of an image for the report (the original goes in untouched), decoded
/// within a fixed memory budget: an image too large to decode in it gets no preview. The same
/// bytes give the same preview on every machine, so a verifier can rebuild the report.
pub fn preview(bytes: &[u8]) -> Option<Preview> {
    let small = crate::evidence::downscaled_bytes(bytes, 720)?.to_rgb8();
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
    path: PathBuf,
}

impl Writer {
    fn options(&self, method: CompressionMethod, mode: u32) -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(self.time)
            .unix_permissions(mode)
            // "Made by Unix" on every OS: the zip crate would say DOS on Windows, and the bytes
            // (format-2 determinism), unzip's reading of the mode and of the names would differ.
            .system(zip::System::Unix)
            .large_file(false)
    }

    fn io(&self) -> impl FnOnce(io::Error) -> PacketError + '_ {
        |source| PacketError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Adds an in-memory file, deflated unless already compressed.
    fn add(
        &mut self,
        name: &str,
        bytes: &[u8],
        mode: u32,
        stored: bool,
    ) -> Result<(), PacketError> {
        let method = if stored {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = self.options(method, mode);
        self.zip
            .start_file(name, options)
            .map_err(|e| (self.io())(io::Error::other(e)))?;
        self.zip.write_all(bytes).map_err(self.io())?;
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
        let _ = total;
        Ok(())
    }
}

/// One entry of a packet as the format derives it.
#[derive(Debug, Clone)]
pub enum Planned {
    /// A file made from the chain and the options.
    Derived {
        /// Its path in the ZIP.
        path: String,
        /// Its bytes.
        bytes: Vec<u8>,
        /// Already compressed (stored, not deflated).
        stored: bool,
        /// Unix mode.
        mode: u32,
    },
    /// An evidence file, bound to its `evidence.added` record.
    Evidence {
        /// Its path in the ZIP.
        path: String,
        /// Its evidence number.
        number: u32,
        /// The SHA-256 the chain recorded.
        sha256: Sha256,
        /// The size the chain recorded.
        size: u64,
        /// Its media type (decides the compression).
        media_type: String,
    },
}

impl Planned {
    /// Its path in the ZIP.
    pub fn path(&self) -> &str {
        match self {
            Planned::Derived { path, .. } | Planned::Evidence { path, .. } => path,
        }
    }
}

/// Format 3's sender: the key the manifest names, and what gives `manifest.sig` for the
/// manifest's bytes (the builder signs; the verifier hands back the signature it found and
/// checks it apart).
#[derive(Clone, Copy)]
pub struct Signer<'a> {
    /// The sender key.
    pub key: &'a crate::proof::key::PublicKey,
    /// `manifest.sig` for the manifest's bytes.
    pub sign: &'a dyn Fn(&[u8]) -> Vec<u8>,
}

/// What a packet of `entries` holds, in ZIP order, and its manifest (format 3 with a `signer`,
/// format 2 without): the one function a builder and a verifier share (see the format in the module docs of `packet`). `preview`
/// gives an image item's preview from its bytes; `generator` is written into the manifest.
pub fn plan(
    uid: &str,
    entries: &[Entry],
    options: &BuildOptions,
    generator: &str,
    format: &str,
    signer: Option<Signer<'_>>,
    preview: &mut dyn FnMut(&Evidence) -> Option<Preview>,
) -> Result<(Vec<Planned>, Manifest), PacketError> {
    // Format 2 has no signer; formats 3 and 4 have one.
    let format = match (signer.is_some(), format) {
        (false, _) => super::FORMAT_2,
        (true, f) if f == super::FORMAT_3 => super::FORMAT_3,
        (true, _) => FORMAT,
    };
    let generated_at = crate::clock::truncate(options.generated_at);
    let detail = super::chain::case_from_chain_with(
        uid,
        entries,
        generated_at,
        super::replay_rules(generator),
    )?;
    let head = entries
        .last()
        .map_or(crate::ledger::GENESIS, |e| e.hash)
        .to_hex();
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
                .then(|| preview(e))
                .flatten()
        })
        .collect();
    let proofs = crate::proof::chain::proofs(entries);
    let verifier_sha256 = super::verify_html_sha256_of(format, generator);
    let entry_hashes: Vec<String> = entries.iter().map(|e| e.hash.to_hex()).collect();
    let input = ReportInput {
        detail: &detail,
        options,
        generated_at,
        evidence_paths: &names,
        previews: &previews,
        ledger_length: entries.len() as u64,
        ledger_head: &head,
        entry_hashes: &entry_hashes,
        facts_letters: generator != super::GENERATOR_0_1,
        proof: signer.map(|s| report::ReportProof {
            sender: s.key,
            proofs: &proofs,
            verifier_sha256: &verifier_sha256,
        }),
    };
    let text = |path: &str, bytes: Vec<u8>, mode| Planned::Derived {
        path: path.to_owned(),
        bytes,
        stored: false,
        mode,
    };
    let report_err = |e: String| PacketError::Io {
        path: PathBuf::from("report"),
        source: io::Error::other(e),
    };
    let mut files = vec![
        text("VERIFY.txt", report::verify_txt(&input).into_bytes(), 0o644),
        text("verify.sh", report::VERIFY_SH.as_bytes().to_vec(), 0o755),
    ];
    if signer.is_some() {
        files.push(text(
            "verify.html",
            super::verify_html_of(format, generator).as_bytes().to_vec(),
            0o644,
        ));
    }
    files.extend([
        Planned::Derived {
            path: "report.pdf".into(),
            bytes: report::pdf(&input).map_err(report_err)?,
            stored: true,
            mode: 0o644,
        },
        text(
            "report.html",
            report::html(&input)
                .map_err(|e| report_err(e.to_string()))?
                .into_bytes(),
            0o644,
        ),
    ]);
    // Format 4: a consumer-agency packet carries the 1372 online form's fields, filled in.
    if format == FORMAT && options.recipient == super::Recipient::ConsumerAgency {
        let form = crate::letters::render_redacted(
            &report::shown_detail(&detail, options.redact),
            &detail,
            crate::letters::Kind::KcaForm,
            generated_at,
            options.lang,
            options.deadline,
        )
        .map_err(|e| report_err(e.to_string()))?;
        files.push(text("1372-form.txt", form.text.into_bytes(), 0o644));
    }
    for (e, name) in detail.evidence.iter().zip(&names) {
        files.push(Planned::Evidence {
            path: name.clone(),
            number: e.number,
            sha256: e.fields.sha256,
            size: e.fields.size_bytes,
            media_type: e.fields.media_type.clone(),
        });
        let meta = serde_json::to_vec_pretty(&sidecar(e, &detail)).unwrap_or_default();
        files.push(text(&format!("{name}.json"), meta, 0o644));
    }
    if signer.is_some() {
        for stamp in &proofs.stamps {
            files.push(text(
                &stamp.file_name(),
                stamp.token.clone().unwrap_or_default(),
                0o644,
            ));
        }
    }
    files.push(text(
        "ledger.jsonl",
        super::ledger_jsonl(uid, entries, options.redact).into_bytes(),
        0o644,
    ));
    if let Some(s) = signer {
        files.push(text("sender.pem", s.key.pem().into_bytes(), 0o644));
    }
    let listed = files
        .iter()
        .map(|f| match f {
            Planned::Derived { path, bytes, .. } => ManifestFile {
                path: path.clone(),
                size: bytes.len() as u64,
                sha256: hex::encode(sha2::Sha256::digest(bytes)),
            },
            Planned::Evidence {
                path, sha256, size, ..
            } => ManifestFile {
                path: path.clone(),
                size: *size,
                sha256: sha256.to_hex(),
            },
        })
        .collect();
    let manifest = Manifest {
        format: format.to_owned(),
        generator: generator.to_owned(),
        case: ManifestCase {
            uid: uid.to_owned(),
            title: detail.case.fields.title.clone(),
            company: detail.case.fields.company.clone(),
        },
        generated_at: to_stored(generated_at),
        zone: options.zone.name().to_owned(),
        lang: options.lang,
        recipient: options.recipient,
        deadline: options.deadline.map(|d| d.to_string()),
        redacted: options.redact,
        files: listed,
        ledger: ManifestLedger {
            length: entries.len() as u64,
            head,
        },
        sender: signer.map(|s| super::ManifestSender::of(s.key)),
    };
    let manifest_bytes = manifest_bytes(&manifest);
    let signature = signer.map(|s| (s.sign)(&manifest_bytes));
    let sums = super::sha256sums(&manifest.files, &manifest_bytes, signature.as_deref());
    files.push(text("manifest.json", manifest_bytes, 0o644));
    if let Some(sig) = signature {
        files.push(Planned::Derived {
            path: "manifest.sig".into(),
            bytes: sig,
            stored: true,
            mode: 0o644,
        });
    }
    files.push(text("SHA256SUMS", sums.into_bytes(), 0o644));
    Ok((files, manifest))
}

/// `manifest.json`'s bytes, in their one fixed form.
pub fn manifest_bytes(manifest: &Manifest) -> Vec<u8> {
    serde_json::to_vec_pretty(manifest).unwrap_or_default()
}

/// `manifest.json`'s bytes and `SHA256SUMS` for a manifest and (format 3) the signature found.
pub fn lists(manifest: &Manifest, signature: Option<&[u8]>) -> (Vec<u8>, String) {
    let bytes = manifest_bytes(manifest);
    let sums = super::sha256sums(&manifest.files, &bytes, signature);
    (bytes, sums)
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
    let case = dd.store.case(case_id)?;
    let all_entries = dd.store.ledger(case_id)?;
    let entries = exported_entries(&all_entries);
    let uid = case.uid.clone();
    if options.redact
        && let Some(e) = entries.iter().find(|e| holds_plain_contact_details(e))
    {
        return Err(PacketError::RedactionUnavailable(e.seq));
    }
    if let Some(last) = entries.last().and_then(Entry::at_time)
        && last > generated_at
    {
        return Err(PacketError::BuiltBeforeLastChange(to_stored(last)));
    }
    let key = crate::proof::key::SenderKey::load_or_create(dd.root())?;
    let public = key.public();
    let sign = |bytes: &[u8]| key.sign(bytes).to_vec();
    let signer = Signer {
        key: &public,
        sign: &sign,
    };
    let vault = &dd.vault;
    let (planned, manifest) = plan(
        &uid,
        entries,
        options,
        &super::generator(),
        FORMAT,
        Some(signer),
        &mut |e| preview_of_file(&vault.object_path(&e.fields.sha256)),
    )?;
    let head = manifest.ledger.head.clone();

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
    crate::osfile::lock(tmp.as_file()).map_err(io_err)?;
    let file = tmp.reopen().map_err(io_err)?;
    let mut w = Writer {
        zip: zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, file)),
        time: zip_time(generated_at),
        path: out.to_owned(),
    };
    for p in &planned {
        match p {
            Planned::Derived {
                path,
                bytes,
                stored,
                mode,
            } => w.add(path, bytes, *mode, *stored)?,
            Planned::Evidence {
                path,
                number,
                sha256,
                media_type,
                ..
            } => w.add_object(
                path,
                &dd.vault.object_path(sha256),
                sha256,
                &crate::model::evidence_label(*number),
                media_type,
                control,
            )?,
        }
    }
    let files = planned.len();
    let writer = w.zip.finish().map_err(|e| io_err(io::Error::other(e)))?;
    let file = writer.into_inner().map_err(|e| io_err(e.into_error()))?;
    file.sync_all().map_err(io_err)?;
    drop(file);

    // The packet's own digest, for the ledger and the user.
    let mut f = tmp.reopen().map_err(io_err)?;
    let mut hashing = super::Hashing::new(io::sink());
    let size = io::copy(&mut f, &mut hashing).map_err(io_err)?;
    let sha256 = hashing.sha256();
    crate::osfile::persist(tmp, out, false).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            PacketError::Exists(out.to_owned())
        } else {
            io_err(e.error)
        }
    })?;
    let _ = crate::vault::sync_dir(dir);
    dd.store.record_packet_built(
        case_id,
        crate::ledger::event::PacketBuilt {
            sha256: sha256.to_hex(),
            size,
            file: out.file_name().map(|n| n.to_string_lossy().into_owned()),
            generated_at: to_stored(generated_at),
            recipient: options.recipient.code().to_owned(),
            redacted: options.redact,
            ledger_length: entries.len() as u64,
        },
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

#[cfg(test)]
mod redaction_tests {
    use super::*;

    fn entry(encoding: u8, payload: &str) -> Entry {
        Entry {
            seq: 1,
            at: "2026-11-20T00:00:00Z".into(),
            kind: "case.created".into(),
            payload: payload.into(),
            prev_hash: crate::ledger::GENESIS,
            hash: crate::ledger::GENESIS,
            encoding,
            private: Default::default(),
        }
    }

    #[test]
    fn only_plain_contact_details_in_encoding_1_block_redaction() {
        let phone = r#"{"case":{"claimant":{"name":"김소비","phone":"010-1","email":null}}}"#;
        let name_only = r#"{"case":{"claimant":{"name":"김소비","phone":null,"email":null}}}"#;
        assert!(holds_plain_contact_details(&entry(1, phone)));
        assert!(!holds_plain_contact_details(&entry(1, name_only)));
        // Encoding 2 never holds one in plain text (the chain check refuses it); if a doctored
        // chain does, it is not withheld either.
        assert!(holds_plain_contact_details(&entry(2, phone)));
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
        let preview = super::preview_of_file(&path).expect("a preview");
        assert_eq!(&preview.jpeg[..2], &[0xff, 0xd8]);
        assert_eq!(preview.size, (64, 48));
    }
}
