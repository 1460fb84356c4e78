//! Fuzzing on stable Rust with proptest: the packet reader and verifier (and review) on raw
//! packet bytes; the raw text of SHA256SUMS, manifest.json and ledger.jsonl edited in place
//! (verify, review, import); the manifest and ledger parsers (through packets whose SHA256SUMS
//! is made to agree, so the mutated JSON reaches the deep checks, and through ledger replay
//! directly); RFC 3161 timestamp replies and tokens (no mutation moves the time a token
//! vouches for); EXIF extraction; and WAV header handling (layout, repair, cues, probing).
//!
//! Each target mutates real seeds (a packet built by the binary, a camera JPEG, a WAV with
//! cues) with bit flips, byte writes, "interesting" integers, insertions, deletions, splices
//! and truncations, for a time budget: `RECOURSE_FUZZ_SECS` per target (default 8; CI runs the
//! default). A failure is shrunk by proptest to a small mutation list; put it in `REGRESSIONS`.
//!
//! Long run: `RECOURSE_FUZZ_SECS=600 cargo test --release --test fuzz -- --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::Cell;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// One edit of a byte string. Positions are taken modulo the length.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(usize, u8),
    SetByte(usize, u8),
    /// Writes a boundary integer (little-endian, 4 bytes): 0, 1, 0x7FFF_FFFF, 0x8000_0000, MAX.
    Interesting(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    /// Copies a range of the input elsewhere (repeated structures, doubled headers).
    Splice(usize, usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0u8..8).prop_map(|(p, b)| Mutation::FlipBit(p, b)),
        3 => (any::<usize>(), any::<u8>()).prop_map(|(p, v)| Mutation::SetByte(p, v)),
        3 => (any::<usize>(), 0u8..5).prop_map(|(p, w)| Mutation::Interesting(p, w)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(p, v)| Mutation::Insert(p, v)),
        1 => (any::<usize>(), 1usize..256).prop_map(|(p, n)| Mutation::Delete(p, n)),
        1 => (any::<usize>(), any::<usize>(), 1usize..512)
            .prop_map(|(a, b, n)| Mutation::Splice(a, b, n)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..8)
}

fn apply(seed: &[u8], ms: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for m in ms {
        let len = b.len().max(1);
        match m {
            Mutation::FlipBit(p, bit) if !b.is_empty() => b[p % len] ^= 1 << bit,
            Mutation::SetByte(p, v) if !b.is_empty() => b[p % len] = *v,
            Mutation::Interesting(p, w) if b.len() >= 4 => {
                let v: u32 = [0, 1, 0x7FFF_FFFF, 0x8000_0000, u32::MAX][*w as usize % 5];
                let at = p % (b.len() - 3);
                b[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
            Mutation::Insert(p, v) => {
                let at = p % (b.len() + 1);
                b.splice(at..at, v.iter().copied());
            }
            Mutation::Delete(p, n) if !b.is_empty() => {
                let at = p % len;
                let end = (at + n).min(b.len());
                b.drain(at..end);
            }
            Mutation::Splice(from, to, n) if !b.is_empty() => {
                let from = from % len;
                let end = (from + n).min(b.len());
                let chunk = b[from..end].to_vec();
                let to = to % (b.len() + 1);
                b.splice(to..to, chunk);
            }
            Mutation::Truncate(p) => b.truncate(p % (b.len() + 1)),
            _ => {}
        }
    }
    b
}

/// Runs `check` on mutated seeds until the time budget is spent; returns the execution count.
fn fuzz(name: &str, seeds: &[Vec<u8>], check: impl Fn(&[u8]) -> Result<(), TestCaseError>) -> u64 {
    let budget = Duration::from_secs_f64(
        std::env::var("RECOURSE_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(8.0),
    );
    let execs = Cell::new(0u64);
    let started = Instant::now();
    let mut round = 0u64;
    // Every input first, unmutated, then mutated ones.
    for s in seeds {
        check(s).unwrap_or_else(|e| panic!("{name}: the unmutated seed fails: {e}"));
        execs.set(execs.get() + 1);
    }
    while started.elapsed() < budget {
        round += 1;
        let mut runner = TestRunner::new_with_rng(
            Config {
                cases: 64,
                failure_persistence: None,
                ..Config::default()
            },
            proptest::test_runner::TestRng::from_seed(
                proptest::test_runner::RngAlgorithm::ChaCha,
                &{
                    let mut s = [0u8; 32];
                    s[..8].copy_from_slice(&round.to_le_bytes());
                    s[8..16].copy_from_slice(&(name.len() as u64).to_le_bytes());
                    s
                },
            ),
        );
        let strategy = (0..seeds.len(), mutations());
        let result = runner.run(&strategy, |(seed, ms)| {
            execs.set(execs.get() + 1);
            let input = apply(&seeds[seed], &ms);
            let verdict = check(&input);
            if verdict.is_err() {
                // Kept for the regression table: the seeds themselves vary between runs.
                let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
                let _ = std::fs::create_dir_all(&dir);
                let file = dir.join(format!("{name}-{}.bin", input.len()));
                let _ = std::fs::write(&file, &input);
                eprintln!("{name}: failing input saved to {}", file.display());
            }
            verdict
        });
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
    }
    let n = execs.get();
    println!(
        "fuzz {name}: {n} execs in {:.1} s ({:.0}/s), 0 crashes",
        started.elapsed().as_secs_f64(),
        n as f64 / started.elapsed().as_secs_f64()
    );
    n
}

/// Catches a panic inside the code under test and turns it into a test failure.
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .map_err(|_| TestCaseError::fail(format!("{what} panicked")))
}

/// A scratch file the targets write their input to (on tmpfs when there is one).
struct Scratch {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let base = Path::new("/dev/shm");
        let dir = if base.is_dir() {
            tempfile::tempdir_in(base)
        } else {
            tempfile::tempdir()
        }
        .unwrap();
        let path = dir.path().join(name);
        Scratch { _dir: dir, path }
    }

    fn write(&self, bytes: &[u8]) -> &Path {
        std::fs::write(&self.path, bytes).unwrap();
        &self.path
    }
}

fn recourse(data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_recourse"))
        .args(args)
        .env("RECOURSE_DATA_DIR", data)
        .env("RECOURSE_NOW", "2026-11-20T12:00:00+09:00")
        .env("TZ", "Asia/Seoul")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn wav_seed(dir: &Path) -> Vec<u8> {
    let path = dir.join("call.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    for i in 0..4000 {
        w.write_sample(((i as f32 * 0.3).sin() * 8000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    recourse::audio::wav::write_cues(
        &path,
        &[
            recourse::model::Bookmark {
                offset_ms: 120,
                note: Some("약속: 금요일까지 회신".into()),
            },
            recourse::model::Bookmark {
                offset_ms: 400,
                note: None,
            },
        ],
    )
    .unwrap();
    std::fs::read(path).unwrap()
}

/// A packet with a contact, a promise and three kinds of evidence, built by the binary.
fn packet_seed(dir: &Path) -> Vec<u8> {
    let data = dir.join("data");
    let jpeg = dir.join("photo.jpg");
    std::fs::write(
        &jpeg,
        recourse::evidence::fixtures::jpeg_with_exif("2026:11:18 19:05:30", Some("+09:00")),
    )
    .unwrap();
    let wav = dir.join("call.wav");
    std::fs::write(&wav, wav_seed(dir)).unwrap();
    let note = dir.join("메모.txt");
    std::fs::write(&note, "상담 메모: 판매자 확인 후 연락".as_bytes()).unwrap();
    recourse(
        &data,
        &[
            "case",
            "new",
            "--title",
            "공기청정기 환불",
            "--company",
            "가나다몰",
            "--amount",
            "189000",
            "--delivered",
            "2026-11-17",
        ],
    );
    recourse(
        &data,
        &[
            "contact",
            "add",
            "1",
            "--channel",
            "phone",
            "--tier",
            "first-line",
            "--agent",
            "김상담",
            "--summary",
            "내일 문자 준다고 함",
            "--at",
            "2026-11-18T14:30:00+09:00",
            "--outcome",
            "promised-follow-up",
        ],
    );
    recourse(
        &data,
        &[
            "promise",
            "add",
            "1",
            "--contact",
            "1",
            "--what",
            "문자 안내",
            "--due",
            "2026-11-19T18:00:00+09:00",
            "--scope",
            "발송 여부",
            "--scope-is",
            "clear",
        ],
    );
    recourse(
        &data,
        &[
            "evidence",
            "add",
            "1",
            jpeg.to_str().unwrap(),
            wav.to_str().unwrap(),
            note.to_str().unwrap(),
            "--contact",
            "1",
        ],
    );
    recourse(
        &data,
        &["contact", "edit", "1", "--summary", "내일 오후 문자"],
    );
    let out = dir.join("packet.zip");
    recourse(
        &data,
        &["packet", "build", "1", "--out", out.to_str().unwrap()],
    );
    std::fs::read(out).unwrap()
}

fn seeds_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Inputs that once broke something, as byte strings; each is checked before fuzzing starts.
/// (The first finds, below as tests, are edits of a packet whose case id varies per build.)
const REGRESSIONS: &[&[u8]] = &[];

/// Found by `fuzz_packet_verify_and_review`: a stored entry whose CRC-32 in the central
/// directory was wrong verified as intact (its SHA-256 was right), though unzip tools refuse it.
#[test]
fn regression_a_wrong_crc_in_the_central_directory_is_damage() {
    let dir = seeds_dir();
    let mut zip = packet_seed(dir.path());
    // Central directory headers: signature PK\x01\x02, CRC-32 at +16, name length at +28, the
    // name at +46.
    let target = b"evidence/E002-recording-call.wav";
    let at = (0..zip.len() - 46)
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] && zip[i + 46..].starts_with(target))
        .expect("the WAV's central directory header");
    zip[at + 16] ^= 0xA3;
    let scratch = Scratch::new("p.zip");
    let report = recourse::packet::verify::verify(scratch.write(&zip)).unwrap();
    assert!(!report.intact);
    let bad: Vec<&str> = report
        .files
        .iter()
        .filter(|f| f.detail.is_some())
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(bad, ["evidence/E002-recording-call.wav"]);
}

/// Found by `fuzz_manifest_and_ledger_parsers`: a manifest naming another case title than its
/// ledger (SHA256SUMS made to agree) verified as intact.
#[test]
fn regression_a_manifest_whose_title_contradicts_the_ledger_is_not_intact() {
    let dir = seeds_dir();
    let seed = entries(&packet_seed(dir.path())).unwrap();
    let manifest = &seed.iter().find(|(n, _)| n == "manifest.json").unwrap().1;
    let lying = String::from_utf8(manifest.clone())
        .unwrap()
        .replace("공기청정기 환불", "공기청정기 환불 (처리 완료)");
    let zip = repack(&seed, "manifest.json", lying.as_bytes());
    let scratch = Scratch::new("p.zip");
    let report = recourse::packet::verify::verify(scratch.write(&zip)).unwrap();
    assert!(!report.intact);
    assert!(
        report.findings.iter().any(|p| p.contains("title")),
        "{:?}",
        report.findings
    );
}

/// Found by `fuzz_packet_verify_and_review` (10-minute run): a central-directory header
/// rewritten to "strong encryption, ZIP version 25.5" verified as intact — its bytes still hash
/// right — while unzip skips the file. Verify now reads both headers of every entry.
#[test]
fn regression_an_entry_unzip_tools_would_not_extract_is_damage() {
    let dir = seeds_dir();
    let seed = packet_seed(dir.path());
    let target = b"report.pdf";
    let central = (0..seed.len() - 46)
        .find(|&i| seed[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] && seed[i + 46..].starts_with(target))
        .expect("the report's central directory header");
    let scratch = Scratch::new("p.zip");
    // (what, offset in the central header, bytes written there, words the verdict must use,
    // alternatives split by |)
    let cases: [(&str, usize, &[u8], &str); 4] = [
        (
            "the fuzz find",
            4,
            &[0x0a, 0xff, 0xff, 0xff, 0x7f, 0x00],
            "encrypted",
        ),
        ("encrypted flag", 8, &[0x01, 0x00], "encrypted"),
        ("version 25.5 needed", 6, &[0xff, 0x00], "version 25.5"),
        (
            "method disagrees with the local header",
            10,
            &[0x08, 0x00],
            // (The stored bytes then fail to inflate first, which says as much.)
            "decompressed|disagree",
        ),
    ];
    for (what, at, bytes, words) in cases {
        let mut zip = seed.clone();
        zip[central + at..central + at + bytes.len()].copy_from_slice(bytes);
        let report = recourse::packet::verify::verify(scratch.write(&zip))
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(!report.intact, "{what}: verified as intact");
        let bad: Vec<(&str, &str)> = report
            .files
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.detail.as_deref()?)))
            .collect();
        assert_eq!(bad.len(), 1, "{what}: {bad:?}");
        assert_eq!(bad[0].0, "report.pdf", "{what}");
        assert!(
            words.split('|').any(|w| bad[0].1.contains(w)),
            "{what}: {}",
            bad[0].1
        );
    }
}

/// Found by `fuzz_manifest_and_ledger_parsers` (10-minute run): a manifest with fields the
/// format does not define (a splice left a second "title" at the top) or a build time that is
/// not a time verified as intact. Both are refused now.
#[test]
fn regression_a_manifest_with_unknown_fields_or_a_non_time_is_refused() {
    let dir = seeds_dir();
    let seed = entries(&packet_seed(dir.path())).unwrap();
    let manifest = String::from_utf8(
        seed.iter()
            .find(|(n, _)| n == "manifest.json")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let scratch = Scratch::new("p.zip");
    for (what, lying) in [
        (
            "unknown field",
            manifest.replacen("\"lang\"", "\"title\": \"처리 완료\",\n  \"lang\"", 1),
        ),
        (
            "build time not a time",
            manifest.replacen("\"generated_at\": \"", "\"generated_at\": \"x", 1),
        ),
    ] {
        assert_ne!(lying, manifest, "{what}: the edit applies");
        let zip = repack(&seed, "manifest.json", lying.as_bytes());
        match recourse::packet::verify::verify(scratch.write(&zip)) {
            Ok(report) => assert!(!report.intact, "{what}: verified as intact"),
            Err(e) => assert!(e.to_string().contains("manifest"), "{what}: {e}"),
        }
    }
}

/// A packet of a newer format (with a field this one does not define) is not called damaged or
/// a lie: it says to update recourse.
#[test]
fn a_newer_format_says_to_update() {
    let dir = seeds_dir();
    let seed = entries(&packet_seed(dir.path())).unwrap();
    let manifest = String::from_utf8(
        seed.iter()
            .find(|(n, _)| n == "manifest.json")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let newer = manifest
        .replacen("recourse.packet.v4", "recourse.packet.v5", 1)
        .replacen("\"lang\"", "\"signature\": \"…\",\n  \"lang\"", 1);
    assert!(newer.contains("v5") && newer.contains("signature"));
    let zip = repack(&seed, "manifest.json", newer.as_bytes());
    let scratch = Scratch::new("p.zip");
    let e = recourse::packet::verify::verify(scratch.write(&zip)).unwrap_err();
    assert!(e.to_string().contains("update recourse"), "{e}");
}

#[test]
fn fuzz_packet_verify_and_review() {
    let dir = seeds_dir();
    let seed = packet_seed(dir.path());
    let scratch = Scratch::new("p.zip");
    let original = recourse::packet::verify::verify(scratch.write(&seed)).unwrap();
    assert!(original.intact);
    let mut seeds = vec![seed.clone()];
    seeds.extend(REGRESSIONS.iter().map(|r| r.to_vec()));
    fuzz("packet-verify", &seeds, |input| {
        let path = scratch.write(input);
        let verdict = no_panic("verify", || recourse::packet::verify::verify(path))?;
        if let Ok(report) = &verdict {
            // A packet can only be intact when every file's bytes are what the builder wrote:
            // the mutation then touched only what the format lets vary (ZIP metadata).
            if report.intact && input != seed.as_slice() {
                let original = entries(&seed).unwrap_or_default();
                let changed: Vec<String> = match entries(input) {
                    Some(now) => now
                        .iter()
                        .filter(|e| !original.contains(e))
                        .map(|(n, _)| n.clone())
                        .chain(
                            original
                                .iter()
                                .filter(|e| !now.contains(e))
                                .map(|(n, _)| format!("-{n}")),
                        )
                        .collect(),
                    None => vec!["(the ZIP library cannot read it)".into()],
                };
                prop_assert!(
                    changed.is_empty(),
                    "a changed packet verified as intact; changed entries: {changed:?}"
                );
            }
        }
        let _ = no_panic("review", || recourse::packet::review::open(path))?;
        Ok(())
    });
}

/// The packet's entries (name, bytes), if the ZIP reads.
fn entries(zip: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut a = zip::ZipArchive::new(Cursor::new(zip)).ok()?;
    let mut out = Vec::new();
    for i in 0..a.len() {
        let mut f = a.by_index(i).ok()?;
        let mut b = Vec::new();
        f.read_to_end(&mut b).ok()?;
        let name = f.name().ok()?.into_owned();
        out.push((name, b));
    }
    Some(out)
}

/// Rebuilds a packet with `name`'s bytes replaced and SHA256SUMS made to agree, so a lying
/// manifest or ledger passes the outer checks and reaches the parsers.
fn repack(seed: &[(String, Vec<u8>)], name: &str, bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    let mut files: Vec<(String, Vec<u8>)> = seed.to_vec();
    for (n, b) in &mut files {
        if n == name {
            *b = bytes.to_vec();
        }
    }
    let sums: String = files
        .iter()
        .filter(|(n, _)| n != "SHA256SUMS")
        .map(|(n, b)| format!("{}  {n}\n", hex::encode(sha2::Sha256::digest(b))))
        .collect();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (n, b) in &files {
        w.start_file(n.as_str(), opts).unwrap();
        if n == "SHA256SUMS" {
            w.write_all(sums.as_bytes()).unwrap();
        } else {
            w.write_all(b).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn fuzz_manifest_and_ledger_parsers() {
    let dir = seeds_dir();
    let seed = entries(&packet_seed(dir.path())).unwrap();
    let get = |n: &str| seed.iter().find(|(k, _)| k == n).unwrap().1.clone();
    let manifest = get("manifest.json");
    let ledger = get("ledger.jsonl");
    let scratch = Scratch::new("p.zip");
    // Both documents in one target: a tag byte in front picks which one the rest replaces.
    let seeds = vec![
        [&[0u8][..], &manifest].concat(),
        [&[1u8][..], &ledger].concat(),
    ];
    fuzz("manifest-and-ledger", &seeds, |input| {
        let Some((&which, body)) = input.split_first() else {
            return Ok(());
        };
        let name = if which % 2 == 0 {
            "manifest.json"
        } else {
            "ledger.jsonl"
        };
        let zip = repack(&seed, name, body);
        let path = scratch.write(&zip);
        let verdict = no_panic("verify", || recourse::packet::verify::verify(path))?;
        // Fields a builder states that nothing else in the packet can confirm: rewriting them
        // consistently (with SHA256SUMS) is not a lie the packet can reveal.
        let claims = |b: &[u8]| -> Option<serde_json::Value> {
            let mut v: serde_json::Value = serde_json::from_slice(b).ok()?;
            if let Some(o) = v.as_object_mut() {
                for free in ["generator", "generated_at", "lang", "recipient"] {
                    o.remove(free);
                }
            }
            Some(v)
        };
        let same_claims = |body: &[u8], original: &[u8]| match name {
            "manifest.json" => claims(body).is_some() && claims(body) == claims(original),
            _ => {
                let lines = |b: &[u8]| -> Vec<Option<serde_json::Value>> {
                    String::from_utf8_lossy(b)
                        .lines()
                        .map(|l| serde_json::from_str(l).ok())
                        .collect()
                };
                lines(body) == lines(original)
            }
        };
        if let Ok(report) = verdict
            && report.intact
            && !same_claims(body, &get(name))
        {
            let original = get(name);
            let at = body
                .iter()
                .zip(&original)
                .position(|(a, b)| a != b)
                .unwrap_or(body.len().min(original.len()));
            let around = |b: &[u8]| {
                String::from_utf8_lossy(&b[at.saturating_sub(40)..(at + 40).min(b.len())])
                    .into_owned()
            };
            prop_assert!(
                body == original.as_slice(),
                "a packet with a rewritten {name} verified as intact: at byte {at}, {:?} became {:?}",
                around(&original),
                around(body)
            );
        }
        // The ledger's lines straight into replay, as an importer would after verifying.
        if name == "ledger.jsonl" {
            let entries: Vec<recourse::ledger::Entry> = String::from_utf8_lossy(body)
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .map(|v| recourse::ledger::Entry {
                    seq: v["seq"].as_u64().unwrap_or(0),
                    at: v["at"].as_str().unwrap_or_default().to_owned(),
                    kind: v["kind"].as_str().unwrap_or_default().to_owned(),
                    payload: v["payload"].as_str().unwrap_or_default().to_owned(),
                    prev_hash: recourse::vault::Sha256([0; 32]),
                    hash: recourse::vault::Sha256([0; 32]),
                    encoding: v["encoding"].as_u64().unwrap_or(1) as u8,
                    private: serde_json::from_value(v["private"].clone()).unwrap_or_default(),
                })
                .collect();
            let _ = no_panic("replay", || recourse::ledger::replay(&entries))?;
            let _ = no_panic("translate", || recourse::ledger::translate(&entries))?;
        }
        Ok(())
    });
}

/// Rebuilds a packet with `name`'s bytes replaced and nothing else touched: no list is made to
/// agree, so the mutated raw text of a list meets the verifier as a forger's hand-edit would.
fn replace_raw(seed: &[(String, Vec<u8>)], name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (n, b) in seed {
        w.start_file(n.as_str(), opts).unwrap();
        w.write_all(if n == name { bytes } else { b }).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The raw text of SHA256SUMS, manifest.json and ledger.jsonl mutated in place (a tag byte
/// picks which): verify, review and import never panic, and a packet is intact only when the
/// text is byte for byte the builder's — every list is derived from the chain, so no edit of
/// one can be consistent on its own.
#[test]
fn fuzz_raw_lists() {
    let dir = seeds_dir();
    let seed = entries(&packet_seed(dir.path())).unwrap();
    let get = |n: &str| seed.iter().find(|(k, _)| k == n).unwrap().1.clone();
    const NAMES: [&str; 3] = ["SHA256SUMS", "manifest.json", "ledger.jsonl"];
    let seeds: Vec<Vec<u8>> = NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| [&[i as u8][..], &get(n)].concat())
        .collect();
    let scratch = Scratch::new("p.zip");
    let data = tempfile::tempdir().unwrap();
    let store_dir = data.path().to_owned();
    fuzz("raw-lists", &seeds, |input| {
        let Some((&which, body)) = input.split_first() else {
            return Ok(());
        };
        let name = NAMES[usize::from(which) % NAMES.len()];
        let path = scratch.write(&replace_raw(&seed, name, body));
        let verdict = no_panic("verify", || recourse::packet::verify::verify(path))?;
        if let Ok(report) = &verdict {
            prop_assert!(
                !report.intact || body == get(name).as_slice(),
                "a hand-edited {name} verified as intact"
            );
        }
        let _ = no_panic("review", || recourse::packet::review::open(path))?;
        // Import into a scratch data directory: it must refuse what verify refuses, and never
        // panic; an accepted one (the unchanged seed) is removed again by a fresh directory.
        if verdict.as_ref().is_ok_and(|r| !r.intact) {
            let _ = std::fs::remove_dir_all(&store_dir);
            let imported = no_panic("import", || {
                let mut dd = recourse::datadir::DataDir::open(&store_dir).ok()?;
                Some(recourse::packet::import::import(&mut dd, path, chrono::Utc::now()).is_ok())
            })?;
            prop_assert!(
                imported != Some(true),
                "import took a packet that is not intact"
            );
        }
        Ok(())
    });
}

#[test]
fn fuzz_exif_extraction() {
    let fixtures = [
        recourse::evidence::fixtures::jpeg_with_exif("2026:11:18 19:05:30", Some("+09:00")),
        recourse::evidence::fixtures::jpeg_with_exif("2026:11:18 19:05:30", None),
        recourse::evidence::fixtures::jpeg_with_exif("9999:99:99 99:99:99", Some("+99:99")),
    ];
    let scratch = Scratch::new("photo.jpg");
    fuzz("exif", &fixtures, |input| {
        let i = no_panic("inspect", || recourse::evidence::inspect(input))?;
        // A capture time, when one is read, is a real instant in a sane range.
        if let Some(t) = i.captured_at {
            prop_assert!(
                (1970..=2200).contains(&chrono::Datelike::year(&t)),
                "absurd capture time {t}"
            );
        }
        let path = scratch.write(input);
        let _ = no_panic("inspect_file", || recourse::evidence::inspect_file(path))?;
        let _ = no_panic("thumbnail", || recourse::evidence::downscaled(path, 64))?;
        Ok(())
    });
}

#[test]
fn fuzz_wav_headers() {
    let dir = seeds_dir();
    let seed = wav_seed(dir.path());
    let scratch = Scratch::new("call.wav");
    fuzz("wav", &[seed], |input| {
        let path = scratch.write(input);
        let _ = no_panic("layout", || {
            std::fs::File::open(path).map(|mut f| recourse::audio::wav::layout(&mut f))
        })?;
        let _ = no_panic("read_cues", || recourse::audio::wav::read_cues(path))?;
        let _ = no_panic("probe", || recourse::audio::probe::probe(path))?;
        // Repair rewrites the file in place: afterwards the header must describe the data.
        let repaired = no_panic("repair", || recourse::audio::wav::repair(path))?;
        if let Ok((_, layout)) = repaired {
            let len = std::fs::metadata(path).unwrap().len();
            prop_assert!(
                layout.data_start + layout.data_len <= len,
                "repair left a data chunk past the end: {layout:?}, file {len} bytes"
            );
        }
        Ok(())
    });
}

/// A TSA reply and its token, made with openssl (a throwaway CA and TSA), over `digest`.
fn openssl_token(dir: &Path, digest: &str) -> Vec<u8> {
    std::fs::write(
        dir.join("tsa.cnf"),
        "[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = unused\n\
         [ ca_ext ]\nbasicConstraints = critical, CA:true\nkeyUsage = critical, keyCertSign\n\
         [ tsa_ext ]\nbasicConstraints = critical, CA:false\nextendedKeyUsage = critical, timeStamping\n\
         [ tsa ]\ndefault_tsa = t\n[ t ]\ndir = .\nserial = ./serial\nsigner_cert = ./tsa.pem\ncerts = ./ca.pem\nsigner_key = ./tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\ness_cert_id_alg = sha256\n",
    )
    .unwrap();
    std::fs::write(dir.join("serial"), "01\n").unwrap();
    for args in [
        "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj /CN=Fuzz-Root -config tsa.cnf -extensions ca_ext",
        "req -newkey rsa:2048 -nodes -keyout tsa.key -out tsa.csr -subj /CN=Fuzz-TSA -config tsa.cnf",
        "x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out tsa.pem -days 3650 -extfile tsa.cnf -extensions tsa_ext",
    ] {
        let ok = Command::new("openssl")
            .args(args.split(' '))
            .current_dir(dir)
            .output()
            .expect("openssl is needed: bash .ci/install-deps")
            .status
            .success();
        assert!(ok, "openssl {args}");
    }
    let q = dir.join("q.tsq");
    assert!(
        Command::new("openssl")
            .args([
                "ts", "-query", "-digest", digest, "-sha256", "-cert", "-out"
            ])
            .arg(&q)
            .current_dir(dir)
            .status()
            .unwrap()
            .success()
    );
    let r = dir.join("r.tsr");
    let out = Command::new("openssl")
        .args(["ts", "-reply", "-config", "tsa.cnf", "-queryfile"])
        .arg(&q)
        .args(["-chain", "ca.pem", "-out"])
        .arg(&r)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(r).unwrap()
}

/// RFC 3161 replies and tokens from a packet: every mutation is refused or, when it still
/// checks out, says the very time and hash the TSA signed (no edit moves the time).
#[test]
fn fuzz_timestamp_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let head: recourse::vault::Sha256 =
        "7f3a91b2c4d5e6f7a8b9000102030405060708090a0b0c0d0e0f101112131415"
            .parse()
            .unwrap();
    let reply = openssl_token(dir.path(), &head.to_hex());
    let token = recourse::proof::tsa::token_of_reply(&reply).unwrap();
    let genuine = recourse::proof::tsa::check(&token, &head).unwrap();
    fuzz("timestamp", &[reply, token], |input| {
        let token = no_panic("token_of_reply", || {
            recourse::proof::tsa::token_of_reply(input)
        })?;
        let token = token.unwrap_or_else(|_| input.to_vec());
        let _ = no_panic("imprint", || {
            recourse::proof::tsa::imprint_and_nonce(&token)
        })?;
        if let Ok(info) = no_panic("check", || recourse::proof::tsa::check(&token, &head))? {
            prop_assert_eq!(info.gen_time, genuine.gen_time);
            prop_assert_eq!(&info.tsa, &genuine.tsa);
        }
        Ok(())
    });
}
