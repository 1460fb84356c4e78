//! Escalation packets: built by the binary, checked with outside tools (`unzip -t`,
//! `sha256sum -c`, `sh verify.sh`) and with `recourse verify`, damaged one byte at a time, and
//! fed hostile ZIPs made by hand.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::Dir;

const GENERATED: &str = "2026-11-21T10:00:00+09:00";

/// A case with Korean text, a camera photo, a screenshot and a WAV recording; returns the case
/// id and the packet's path.
pub(crate) fn case_with_packet(dir: &Dir) -> (String, PathBuf) {
    let (case, contact, _) = dir.sample_case();
    dir.ok(&[
        "case",
        "edit",
        &case,
        "--claimant-name",
        "김소비",
        "--claimant-phone",
        "010-1234-5678",
        "--claimant-email",
        "kim@example.kr",
    ]);
    let photo = dir.file(
        "파손사진.jpg",
        &recourse::evidence::fixtures::jpeg_with_exif("2026:11:17 19:05:30", Some("+09:00")),
    );
    let png = dir.path().join("주문내역.png");
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120]))
        .save(&png)
        .unwrap();
    let wav = dir.path().join("통화.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    for i in 0..8_000 {
        w.write_sample(((i % 40) as i16 - 20) * 500).unwrap();
    }
    w.finalize().unwrap();
    dir.ok(&[
        "evidence",
        "add",
        &case,
        "--contact",
        &contact,
        photo.to_str().unwrap(),
        png.to_str().unwrap(),
        wav.to_str().unwrap(),
    ]);
    let out = dir.path().join("packet.zip");
    build(dir, &case, &out, &[]);
    (case, out)
}

fn build(dir: &Dir, case: &str, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "packet",
        "build",
        case,
        "--out",
        out.to_str().unwrap(),
        "--generated-at",
        GENERATED,
    ];
    args.extend_from_slice(extra);
    dir.ok(&args)
}

fn tool(cmd: &str, args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(cmd)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed for this test ({e}); bash .ci/install-deps"))
}

fn verify(dir: &Dir, zip: &Path) -> (i32, String) {
    let out = dir.output(&["verify", zip.to_str().unwrap()]);
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_packet_checks_out_with_standard_tools_and_with_verify() {
    let dir = Dir::new();
    let (case, zip) = case_with_packet(&dir);
    let t = tool("unzip", &["-t", zip.to_str().unwrap()], dir.path());
    assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stdout));
    let x = dir.path().join("x");
    std::fs::create_dir(&x).unwrap();
    let u = tool("unzip", &["-q", zip.to_str().unwrap()], &x);
    assert!(u.status.success());
    let sums = tool("sha256sum", &["-c", "SHA256SUMS"], &x);
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    let sh = tool("sh", &["verify.sh"], &x);
    assert!(
        sh.status.success(),
        "{}",
        String::from_utf8_lossy(&sh.stdout)
    );

    // Every evidence file is there, byte-identical, named E00n-kind-name, with its sidecar.
    let shown = dir.json(&["case", "show", &case, "--json"]);
    let evidence = shown["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 3);
    let listing: Vec<String> = std::fs::read_dir(x.join("evidence"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for e in evidence {
        let sha = e["sha256"].as_str().unwrap();
        let label = format!("E{:03}", e["number"].as_u64().unwrap());
        let name = listing
            .iter()
            .find(|n| n.starts_with(&label) && !n.ends_with(".json"))
            .unwrap_or_else(|| panic!("{label} missing from {listing:?}"));
        assert!(
            name.ends_with(e["original_name"].as_str().unwrap()),
            "{name}"
        );
        let bytes = std::fs::read(x.join("evidence").join(name)).unwrap();
        assert_eq!(recourse::vault::Sha256::of(&bytes).to_hex(), sha);
        let sidecar: serde_json::Value = serde_json::from_slice(
            &std::fs::read(x.join("evidence").join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(sidecar["sha256"], sha);
        // The report names every file by its full SHA-256.
        let html = std::fs::read_to_string(x.join("report.html")).unwrap();
        assert!(html.contains(sha), "report.html lacks {sha}");
    }
    let html = std::fs::read_to_string(x.join("report.html")).unwrap();
    assert!(html.contains("공기청정기 환불 거부"));
    // The PDF holds the Korean title and every evidence SHA-256 as text.
    let pdf = tool("pdftotext", &["report.pdf", "-"], &x);
    assert!(pdf.status.success());
    let pdf_text = String::from_utf8_lossy(&pdf.stdout);
    assert!(pdf_text.contains("공기청정기 환불 거부"), "{pdf_text}");
    for e in evidence {
        let sha = e["sha256"].as_str().unwrap();
        assert!(pdf_text.contains(sha), "report.pdf lacks {sha}");
    }
    assert!(
        pdf_text.contains("김상담"),
        "the chronology names the agent"
    );
    assert!(
        html.contains("data:image/jpeg;base64,"),
        "previews embedded"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(x.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "recourse.packet.v4");

    let (code, text) = verify(&dir, &zip);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("INTACT"), "{text}");
    // Review reads the case back from the packet alone, with previews of the image evidence.
    let review = recourse::packet::review::open(&zip).unwrap();
    assert!(review.report.intact);
    assert_eq!(review.records.evidence.len(), 3);
    assert!(
        review.previews.contains_key(&2),
        "the PNG (E002) has a preview"
    );
    assert!(!review.previews.contains_key(&3), "the WAV (E003) has none");

    // Building was recorded in the case's ledger with the packet's digest.
    let ledger = dir.json(&["case", "ledger", &case, "--json"]);
    let last = ledger.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "packet.built");
    let digest = recourse::vault::Sha256::of(&std::fs::read(&zip).unwrap()).to_hex();
    assert!(last["payload"].as_str().unwrap().contains(&digest));
    // Deterministic: the same case and time give the same bytes, packet.built entries aside.
    let again = dir.path().join("again.zip");
    build(&dir, &case, &again, &[]);
    assert_eq!(std::fs::read(&zip).unwrap(), std::fs::read(&again).unwrap());
    dir.ok(&["fsck"]);
}

/// Where each entry's data starts and how long it is in the file.
fn entry_spans(zip: &Path) -> Vec<(String, u64, u64)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let e = archive.by_index_raw(i).unwrap();
            (
                e.name().unwrap().into_owned(),
                e.data_start().unwrap(),
                e.compressed_size(),
            )
        })
        .collect()
}

#[test]
fn one_flipped_byte_in_any_entry_is_named() {
    let dir = Dir::new();
    let (_, zip) = case_with_packet(&dir);
    let original = std::fs::read(&zip).unwrap();
    let spans = entry_spans(&zip);
    assert!(spans.len() >= 10);
    for (name, start, len) in spans
        .into_iter()
        .flat_map(|(n, s, l)| [1, 2, 3].map(|q| (n.clone(), s, l * q / 4)))
    {
        let mut bytes = original.clone();
        bytes[(start + len) as usize] ^= 0x01;
        let damaged = dir.path().join("damaged.zip");
        std::fs::write(&damaged, &bytes).unwrap();
        let (code, text) = verify(&dir, &damaged);
        assert_eq!(code, 1, "{name}: {text}");
        let named = text
            .lines()
            .any(|l| l.starts_with("ALTERED") && l.contains(&format!(" {name}")));
        assert!(named, "{name} not named: {text}");
    }
}

#[test]
fn redaction_withholds_the_claimants_contact_details_and_still_verifies_in_full() {
    let dir = Dir::new();
    let (case, _) = case_with_packet(&dir);
    let out = dir.path().join("redacted.zip");
    build(&dir, &case, &out, &["--redact", "--for", "consumer-agency"]);
    // No entry of the ZIP holds a withheld value, in any form: not the report, not the
    // ledger, not the metadata (every entry inflated and searched).
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["010-1234-5678", "01012345678", "kim@example.kr"] {
            assert!(!text.contains(secret), "{:?} holds {secret}", e.name());
        }
    }
    let x = dir.path().join("r");
    std::fs::create_dir(&x).unwrap();
    assert!(
        tool("unzip", &["-q", out.to_str().unwrap()], &x)
            .status
            .success()
    );
    // The 1372 form says the contact details were withheld, not that the case lacks them.
    let form = std::fs::read_to_string(x.join("1372-form.txt")).unwrap();
    let withheld = form
        .lines()
        .find(|l| l.starts_with("이 묶음에서 개인정보 보호를 위해 뺀 항목"))
        .unwrap_or_else(|| panic!("{form}"));
    assert!(withheld.contains("신청인 연락처"), "{form}");
    assert!(
        !form
            .lines()
            .any(|l| l.starts_with("사건에 없어") && l.contains("신청인 연락처")),
        "{form}"
    );
    // The 1372 form says the contact details were withheld, not that the case lacks them.
    let form = std::fs::read_to_string(x.join("1372-form.txt")).unwrap();
    let withheld = form
        .lines()
        .find(|l| l.starts_with("이 묶음에서 개인정보 보호를 위해 뺀 항목"))
        .unwrap_or_else(|| panic!("{form}"));
    assert!(withheld.contains("신청인 연락처"), "{form}");
    assert!(
        !form
            .lines()
            .any(|l| l.starts_with("사건에 없어") && l.contains("신청인 연락처")),
        "{form}"
    );
    let pdf = tool("pdftotext", &["report.pdf", "-"], &x);
    let pdf_text = String::from_utf8_lossy(&pdf.stdout);
    assert!(pdf_text.contains("김소비"), "the name stays: {pdf_text}");
    // The ledger keeps salted commitments where the values were: 32-byte salts, one per field
    // and entry, so a withheld phone number cannot be guessed from its commitment.
    let ledger = std::fs::read_to_string(x.join("ledger.jsonl")).unwrap();
    assert!(ledger.contains("commitment"), "{ledger}");
    let mut salts = std::collections::BTreeSet::new();
    for line in ledger.lines() {
        let l: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(l.get("redacted").is_none(), "no free-standing flag");
        for (pointer, d) in l["private"].as_object().into_iter().flatten() {
            assert!(
                pointer.ends_with("/name"),
                "only the name is disclosed: {pointer}"
            );
            let salt = d["salt"].as_str().unwrap();
            assert_eq!(salt.len(), 64);
            assert!(salts.insert(salt.to_owned()), "salts differ");
        }
    }
    let (code, text) = verify(&dir, &out);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("redacted  the claimant's phone, email and address are withheld"),
        "{text}"
    );
    assert!(
        !text.contains("UNCHECKED"),
        "every entry verified in full: {text}"
    );
    let refused = Dir::new().fails(2, &["import", out.to_str().unwrap()]);
    assert!(refused.contains("redacted"), "{refused}");
}

/// One entry of a ZIP made by hand, to say things a well-behaved writer never would.
pub(crate) struct Raw {
    pub(crate) name: Vec<u8>,
    pub(crate) data: Vec<u8>,
    pub(crate) deflate: bool,
    /// The uncompressed size to declare (default: the real one).
    pub(crate) declared: Option<u32>,
    /// The CRC to declare (default: the real one).
    pub(crate) crc: Option<u32>,
    pub(crate) symlink: bool,
}

impl Raw {
    pub(crate) fn file(name: &str, data: &[u8]) -> Raw {
        Raw {
            name: name.as_bytes().to_vec(),
            data: data.to_vec(),
            deflate: false,
            declared: None,
            crc: None,
            symlink: false,
        }
    }
}

pub(crate) fn raw_zip(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let crc = e.crc.unwrap_or_else(|| {
            let mut c = flate2::Crc::new();
            c.update(&e.data);
            c.sum()
        });
        let body = if e.deflate {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            enc.write_all(&e.data).unwrap();
            enc.finish().unwrap()
        } else {
            e.data.clone()
        };
        let size = e.declared.unwrap_or(e.data.len() as u32);
        let method: u16 = if e.deflate { 8 } else { 0 };
        let offset = out.len() as u32;
        let mut local = Vec::new();
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&20u16.to_le_bytes());
        local.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
        local.extend_from_slice(&method.to_le_bytes());
        local.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&(body.len() as u32).to_le_bytes());
        local.extend_from_slice(&size.to_le_bytes());
        local.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(&e.name);
        out.extend_from_slice(&local);
        out.extend_from_slice(&body);
        let attrs: u32 = if e.symlink {
            0o120_777 << 16
        } else {
            0o100_644 << 16
        };
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&(0x0300u16 | 20).to_le_bytes()); // made by Unix
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0x0800u16.to_le_bytes());
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&[0, 0, 0x21, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&(body.len() as u32).to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attrs
        central.extend_from_slice(&attrs.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A minimal packet's two lists for `files`, so only the hostile part is wrong.
pub(crate) fn lists(files: &[(&str, &[u8])]) -> Vec<Raw> {
    let listed: Vec<serde_json::Value> = files
        .iter()
        .map(|(n, d)| {
            serde_json::json!({"path": n, "size": d.len(), "sha256": recourse::vault::Sha256::of(d).to_hex()})
        })
        .collect();
    let manifest = serde_json::json!({
        "format": "recourse.packet.v1", "generator": "test", "generated_at": "2026-11-21T01:00:00Z",
        "case": {"uid": "u", "title": "t", "company": "c"}, "lang": "ko", "recipient": "complaints",
        "redacted": false, "files": listed, "ledger": {"length": 0, "head": "0".repeat(64)},
    })
    .to_string();
    let mut sums = String::new();
    for (n, d) in files {
        sums.push_str(&format!(
            "{}  {n}\n",
            recourse::vault::Sha256::of(d).to_hex()
        ));
    }
    sums.push_str(&format!(
        "{}  manifest.json\n",
        recourse::vault::Sha256::of(manifest.as_bytes()).to_hex()
    ));
    vec![
        Raw::file("manifest.json", manifest.as_bytes()),
        Raw::file("SHA256SUMS", sums.as_bytes()),
    ]
}

fn refused(dir: &Dir, name: &str, bytes: &[u8], expect: &str) {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let before: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let (code, text) = verify(dir, &path);
    assert_eq!(code, 2, "{name}: {text}");
    assert!(
        text.to_lowercase().contains(expect),
        "{name}: expected \"{expect}\" in: {text}"
    );
    // Nothing was written anywhere near.
    let after: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before, after, "{name}");
    assert!(!dir.path().join("evil").exists() && !Path::new("/tmp/recourse-evil").exists());
}

#[test]
fn hostile_zips_are_refused_with_exit_2() {
    let dir = Dir::new();
    let ok = b"hello";
    let with = |extra: Raw| {
        let mut e = lists(&[("VERIFY.txt", ok)]);
        e.insert(0, Raw::file("VERIFY.txt", ok));
        e.push(extra);
        raw_zip(&e)
    };
    refused(
        &dir,
        "traversal.zip",
        &with(Raw::file("../evil", b"x")),
        "outside",
    );
    refused(
        &dir,
        "absolute.zip",
        &with(Raw::file("/tmp/recourse-evil", b"x")),
        "outside",
    );
    refused(
        &dir,
        "backslash.zip",
        &with(Raw::file("..\\evil", b"x")),
        "outside",
    );
    let mut link = Raw::file("evidence/link", b"/etc/passwd");
    link.symlink = true;
    refused(&dir, "symlink.zip", &with(link), "symbolic link");
    refused(
        &dir,
        "duplicate.zip",
        &with(Raw::file("VERIFY.txt", b"other")),
        "same name",
    );
    let mut nonutf8 = Raw::file("x", b"x");
    nonutf8.name = vec![b'e', 0xff, 0xfe];
    refused(&dir, "nonutf8.zip", &with(nonutf8), "utf-8");
    // Holds more than it declares: stored, and deflated with a CRC of the whole content.
    let mut stored = Raw::file("evidence/big", &[7u8; 4096]);
    stored.declared = Some(100);
    refused(&dir, "lying-stored.zip", &with(stored), "declares");
    let mut deflated = Raw::file("evidence/big", &[7u8; 40_000]);
    deflated.deflate = true;
    deflated.declared = Some(1000);
    refused(&dir, "lying-deflated.zip", &with(deflated), "declares");
    // A bomb: 100 MiB of zeros in about 100 KiB.
    let mut bomb = Raw::file("evidence/bomb", &vec![0u8; 100 << 20]);
    bomb.deflate = true;
    refused(&dir, "bomb.zip", &with(bomb), "bomb");
    // Not a ZIP, a truncated one, an empty file.
    refused(
        &dir,
        "text.zip",
        "이건 ZIP이 아닙니다".as_bytes(),
        "not a readable zip",
    );
    let whole = with(Raw::file("evidence/a", b"abc"));
    refused(
        &dir,
        "truncated.zip",
        &whole[..whole.len() / 2],
        "not a readable zip",
    );
    refused(&dir, "empty.zip", b"", "not a readable zip");
    // Manifests that lie or are not manifests.
    let mut e = vec![Raw::file("VERIFY.txt", ok)];
    let bogus = b"{\"not\": \"a manifest\"}";
    e.push(Raw::file("manifest.json", bogus));
    e.push(Raw::file(
        "SHA256SUMS",
        format!(
            "{}  VERIFY.txt\n{}  manifest.json\n",
            recourse::vault::Sha256::of(ok).to_hex(),
            recourse::vault::Sha256::of(bogus).to_hex()
        )
        .as_bytes(),
    ));
    refused(
        &dir,
        "bogus-manifest.zip",
        &raw_zip(&e),
        "not a valid manifest",
    );
    let mut e = lists(&[("VERIFY.txt", ok), ("../../etc/passwd", ok)]);
    e.insert(0, Raw::file("VERIFY.txt", ok));
    refused(&dir, "lying-manifest.zip", &raw_zip(&e), "outside");
    refused(
        &dir,
        "no-lists.zip",
        &raw_zip(&[Raw::file("a.txt", ok)]),
        "not a recourse packet",
    );
}

#[test]
fn import_round_trip_keeps_every_record_and_evidence_hash() {
    let dir = Dir::new();
    let (case, zip) = case_with_packet(&dir);
    let before = dir.json(&["case", "show", &case, "--json"]);

    // A volunteer's data directory that already holds a case with contacts, so ids collide.
    let other = Dir::new();
    other.sample_case();
    let out = other
        .command(&["import", zip.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let imported = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(imported, "2");
    other.ok(&["fsck"]);
    let after = other.json(&["case", "show", &imported, "--json"]);
    for key in ["title", "company", "order_number", "amount", "claimant"] {
        assert_eq!(after["case"][key], before["case"][key], "{key}");
    }
    let hashes = |v: &serde_json::Value| -> Vec<String> {
        v["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["sha256"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(hashes(&after), hashes(&before));
    assert_eq!(after["contacts"].as_array().unwrap().len(), 1);
    let promise = &after["promises"][0];
    assert_eq!(promise["answers"], before["promises"][0]["answers"]);
    // The promise points at the imported contact, by this database's id.
    assert_eq!(promise["contact_id"], after["contacts"][0]["id"]);
    // The chain came byte for byte and continues with case.imported.
    let ledger = other.json(&["case", "ledger", &imported, "--json"]);
    let last = ledger.as_array().unwrap().last().unwrap();
    assert_eq!(last["kind"], "case.imported");
    let source = dir.json(&["case", "ledger", &case, "--json"]);
    assert_eq!(ledger[0]["hash"], source[0]["hash"]);

    // Editing an imported record, then building again: every evidence hash is kept and the
    // new packet verifies; importing that one elsewhere applies the edit to the right contact.
    let contact = after["contacts"][0]["id"].to_string();
    other.ok(&[
        "contact",
        "edit",
        &contact,
        "--summary",
        "가져온 뒤 고친 요약",
    ]);
    other.ok(&["fsck"]);
    let again = other.path().join("again.zip");
    build(&other, &imported, &again, &[]);
    let (code, text) = verify(&other, &again);
    assert_eq!(code, 0, "{text}");
    let third = Dir::new();
    let id = third
        .ok(&["import", again.to_str().unwrap()])
        .trim()
        .to_owned();
    third.ok(&["fsck"]);
    let hop = third.json(&["case", "show", &id, "--json"]);
    assert_eq!(hashes(&hop), hashes(&before));
    assert_eq!(hop["contacts"][0]["summary"], "가져온 뒤 고친 요약");

    // Twice is refused; so is a damaged packet; nothing is added.
    let twice = other.fails(2, &["import", zip.to_str().unwrap()]);
    assert!(twice.contains("already here"), "{twice}");
    let mut bytes = std::fs::read(&zip).unwrap();
    let (_, start, len) = entry_spans(&zip)
        .into_iter()
        .find(|(n, _, _)| n.starts_with("evidence/E001"))
        .unwrap();
    bytes[(start + len / 2) as usize] ^= 1;
    let damaged = third.path().join("damaged.zip");
    std::fs::write(&damaged, bytes).unwrap();
    let fourth = Dir::new();
    let refused = fourth.fails(2, &["import", damaged.to_str().unwrap()]);
    assert!(refused.contains("not intact"), "{refused}");
    assert_eq!(
        fourth
            .json(&["case", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}
