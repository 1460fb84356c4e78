//! Packet benchmark: a case with 200 evidence files totalling 1 GiB (incompressible, so stored
//! as `zip -0` would). In one run, alternating:
//!
//! - `packet build` (in-process: evidence streamed from the vault and re-hashed, the PDF and
//!   HTML reports, manifest, ledger, SHA256SUMS, then the packet's own digest) against
//!   `zip -0 -r` of the same files (target ≤ 1.5);
//! - `recourse verify` of that packet against `openssl dgst -sha256` over the same files, in
//!   wall time (target ≤ 1.05) and CPU time of the child (target ≤ 1.15);
//! - `recourse verify` of a packet of 100,000 small entries (target ≤ 2 s; `unzip -tq` of it
//!   for reference);
//! - peak RSS (GNU time) of `packet build` of a case holding an 11000×11000 PNG (target
//!   < 200 MB), against the same build with a 300×200 PNG.
//!
//! Run: `cargo bench --bench packet` (env `RUNS`, default 3; `FILES`, default 200; `FILE_MIB`,
//! default 5.12 → 1 GiB).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use recourse::datadir::DataDir;
use recourse::evidence::{AddOptions, add_file};
use recourse::model::*;
use recourse::packet::build::{BuildOptions, build};
use recourse::vault::Control;

fn env_number(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn run(cmd: &mut Command) -> Duration {
    run_timed(cmd, true).0
}

/// CPU time (user + system) of the children waited for so far.
#[cfg(unix)]
fn children_cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let t = |v: libc::timeval| Duration::new(v.tv_sec as u64, v.tv_usec as u32 * 1000);
    t(u.ru_utime) + t(u.ru_stime)
}

/// Elsewhere (Windows) there is no such counter in std: zero, so the CPU column reads 0.
#[cfg(not(unix))]
fn children_cpu() -> Duration {
    Duration::ZERO
}

/// Runs a command; returns its wall time and CPU time. `must_succeed` false accepts exit 1
/// (a verdict of not intact).
fn run_timed(cmd: &mut Command, must_succeed: bool) -> (Duration, Duration) {
    let cpu = children_cpu();
    let start = Instant::now();
    let out = cmd.output().expect("run");
    let wall = start.elapsed();
    assert!(
        out.status.success() || (!must_succeed && out.status.code() == Some(1)),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (wall, children_cpu() - cpu)
}

/// Peak RSS of a command in KiB (GNU time).
fn peak_rss_kib(cmd: &[&std::ffi::OsStr]) -> u64 {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("peak-rss-kb %M")
        .args(cmd)
        .output()
        .expect("GNU time");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kb "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap()
}

/// One line of the performance table: what, ours, the reference, ratio, target, met.
pub type Row = (String, String, String, String, String, bool);

fn main() {
    measure();
}

/// Runs the benchmark, prints its report, returns its table rows.
pub fn measure() -> Vec<Row> {
    let runs = env_number("RUNS", 3.0) as usize;
    let files = env_number("FILES", 200.0) as usize;
    let file_bytes = (env_number("FILE_MIB", 5.12) * 1048576.0) as usize;
    let scratch = tempfile::tempdir().unwrap();
    let src = scratch.path().join("files");
    std::fs::create_dir(&src).unwrap();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut block = vec![0u8; file_bytes];
    for i in 0..files {
        for w in block.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            w.copy_from_slice(&state.to_le_bytes());
        }
        std::fs::File::create(src.join(format!("capture-{i:03}.bin")))
            .unwrap()
            .write_all(&block)
            .unwrap();
    }
    let data = scratch.path().join("data");
    let mut dd = DataDir::open(&data).unwrap();
    let now = chrono::Utc::now();
    let case = dd
        .store
        .create_case(
            &CaseFields {
                title: "벤치마크 사건".into(),
                company: "가나다몰".into(),
                company_contact: None,
                company_address: None,
                platform: None,
                seller: None,
                order_number: None,
                product: None,
                amount: None,
                dates: OrderDates::default(),
                category: Category::Refund,
                wants: None,
                status: CaseStatus::Open,
                problems: Vec::new(),
                payment_method: None,
                installments: None,
                claimant: Claimant::default(),
            },
            now,
        )
        .unwrap();
    let options = AddOptions {
        kind: Some(EvidenceKind::Other),
        contact_id: None,
        note: None,
        source: EvidenceSource::FileImport,
        captured_at: None,
        audio: None,
    };
    let mut paths: Vec<String> = Vec::new();
    for i in 0..files {
        let p = src.join(format!("capture-{i:03}.bin"));
        add_file(&mut dd, case, &p, &options, now, &Control::default()).unwrap();
        paths.push(p.display().to_string());
    }
    let total: u64 = (files * file_bytes) as u64;
    println!(
        "packet benchmark: {files} evidence files, {:.0} MiB in all, {runs} runs each, alternating",
        total as f64 / 1048576.0
    );

    let (mut builds, mut zips, mut verifies, mut digests) = (vec![], vec![], vec![], vec![]);
    let (mut verify_cpu, mut digest_cpu) = (vec![], vec![]);
    let out_dir = scratch.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let exe = env!("CARGO_BIN_EXE_recourse");
    for r in 0..runs {
        let packet = out_dir.join(format!("packet-{r}.zip"));
        let options = BuildOptions {
            lang: recourse::packet::PacketLang::Ko,
            recipient: Recipient::Complaints,
            redact: false,
            generated_at: now,
            deadline: None,
            zone: chrono_tz::Asia::Seoul,
        };
        let start = Instant::now();
        build(&mut dd, case, &packet, &options, &Control::default()).unwrap();
        builds.push(start.elapsed());

        let zip_out = out_dir.join(format!("plain-{r}.zip"));
        zips.push(run(Command::new("zip")
            .arg("-0")
            .arg("-r")
            .arg("-q")
            .arg(&zip_out)
            .arg(".")
            .current_dir(&src)));

        // The packet was just written: let its write-back finish first, so verify's reads do
        // not pay for it (openssl reads files written long before).
        run(&mut Command::new("sync"));
        let (w, c) = run_timed(Command::new(exe).arg("verify").arg(&packet), true);
        verifies.push(w);
        verify_cpu.push(c);
        let (w, c) = run_timed(
            Command::new("openssl")
                .arg("dgst")
                .arg("-sha256")
                .args(&paths),
            true,
        );
        digests.push(w);
        digest_cpu.push(c);
        for p in [&packet, &zip_out] {
            std::fs::remove_file(p).unwrap();
        }
    }
    let show = |name: &str, v: &[Duration]| {
        println!(
            "  {name:<42} {}",
            v.iter()
                .map(|d| format!("{:.2} s", d.as_secs_f64()))
                .collect::<Vec<_>>()
                .join("  ")
        );
    };
    show("recourse packet build", &builds);
    show("reference: zip -0 -r (same files)", &zips);
    show("recourse verify", &verifies);
    show("reference: openssl dgst -sha256 (same files)", &digests);
    let ratio = |a: &[Duration], b: &[Duration]| {
        median(a.to_vec()).as_secs_f64() / median(b.to_vec()).as_secs_f64()
    };
    println!(
        "  build / zip -0      {:.2}   (target ≤ 1.5)",
        ratio(&builds, &zips)
    );
    show("recourse verify, CPU", &verify_cpu);
    show("reference: openssl dgst -sha256, CPU", &digest_cpu);
    println!(
        "  verify / openssl    {:.2} wall (target ≤ 1.05), {:.2} CPU (target ≤ 1.15)",
        ratio(&verifies, &digests),
        ratio(&verify_cpu, &digest_cpu)
    );
    let med = |v: &[Duration]| median(v.to_vec()).as_secs_f64();
    let mib = total as f64 / 1048576.0;
    let (b, v) = (ratio(&builds, &zips), ratio(&verifies, &digests));
    let vc = ratio(&verify_cpu, &digest_cpu);
    drop(dd);
    std::fs::remove_dir_all(&src).unwrap();
    std::fs::remove_dir_all(&data).unwrap();
    let (many, many_ref) = many_entries(scratch.path(), exe, runs);
    let (big_png, small_png) = large_png_build(scratch.path(), exe);
    vec![
        (
            format!("packet build, {files} files {mib:.0} MiB"),
            format!("{:.2} s", med(&builds)),
            format!("zip -0 -r {:.2} s", med(&zips)),
            format!("{b:.2}"),
            "≤ 1.5".into(),
            b <= 1.5,
        ),
        (
            "verify that packet, wall".to_string(),
            format!("{:.2} s", med(&verifies)),
            format!("openssl dgst -sha256 {:.2} s", med(&digests)),
            format!("{v:.2}"),
            "≤ 1.05".into(),
            v <= 1.05,
        ),
        (
            "verify that packet, CPU".to_string(),
            format!("{:.2} s", med(&verify_cpu)),
            format!("openssl dgst -sha256 {:.2} s", med(&digest_cpu)),
            format!("{vc:.2}"),
            "≤ 1.15".into(),
            vc <= 1.15,
        ),
        (
            "verify a 100,000-entry packet".to_string(),
            format!("{:.2} s", many.as_secs_f64()),
            format!("unzip -tq {:.2} s", many_ref.as_secs_f64()),
            format!("{:.2}", many.as_secs_f64() / many_ref.as_secs_f64()),
            "≤ 2 s".into(),
            many.as_secs_f64() <= 2.0,
        ),
        (
            "peak RSS, build with an 11000×11000 PNG".to_string(),
            format!("{:.1} MiB", big_png as f64 / 1024.0),
            format!("300×200 PNG {:.1} MiB", small_png as f64 / 1024.0),
            format!("{:.2}", big_png as f64 / small_png as f64),
            "< 200 MB".into(),
            (big_png as f64) * 1024.0 < 200e6,
        ),
    ]
}

/// A packet of 100,000 entries (99,998 small files the ledger does not account for, and the
/// two lists): `recourse verify` against `unzip -tq`, the median of `runs`.
fn many_entries(dir: &std::path::Path, exe: &str, runs: usize) -> (Duration, Duration) {
    let path = dir.join("many.zip");
    {
        let mut w = zip::ZipWriter::new(std::io::BufWriter::new(
            std::fs::File::create(&path).unwrap(),
        ));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut sums = String::new();
        for i in 0..99_998 {
            let name = format!("evidence/E{i:05}-other-x.txt");
            let body = format!("{i}");
            sums.push_str(&format!(
                "{}  {name}\n",
                recourse::vault::Sha256::of(body.as_bytes()).to_hex()
            ));
            w.start_file(name, opts).unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.start_file("manifest.json", opts).unwrap();
        w.write_all(b"{}").unwrap();
        w.start_file("SHA256SUMS", opts).unwrap();
        w.write_all(sums.as_bytes()).unwrap();
        w.finish().unwrap();
    }
    let (mut ours, mut theirs) = (vec![], vec![]);
    for _ in 0..runs {
        ours.push(run_timed(Command::new(exe).arg("verify").arg(&path), false).0);
        theirs.push(run(Command::new("unzip").arg("-tq").arg(&path)));
    }
    println!(
        "  100,000 entries: verify {:.2} s, unzip -tq {:.2} s (target ≤ 2 s)",
        median(ours.clone()).as_secs_f64(),
        median(theirs.clone()).as_secs_f64()
    );
    (median(ours), median(theirs))
}

/// Peak RSS (KiB) of `packet build` of a case holding an 11000×11000 PNG (470 KB on disk,
/// 363 MB decoded), against the same case with a 300×200 PNG.
fn large_png_build(dir: &std::path::Path, exe: &str) -> (u64, u64) {
    let mut out = Vec::new();
    for (name, side) in [("big", (11_000u32, 11_000u32)), ("small", (300, 200))] {
        let data = dir.join(format!("png-{name}"));
        let png = dir.join(format!("{name}.png"));
        image::RgbImage::from_pixel(side.0, side.1, image::Rgb([20, 40, 60]))
            .save(&png)
            .unwrap();
        let cli = |args: &[&str]| {
            let out = Command::new(exe)
                .args(args)
                .env("RECOURSE_DATA_DIR", &data)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        cli(&["case", "new", "--title", "큰 사진", "--company", "가나다몰"]);
        cli(&["evidence", "add", "1", png.to_str().unwrap()]);
        let packet = dir.join(format!("{name}.zip"));
        let rss = peak_rss_kib(&[
            exe.as_ref(),
            "--data-dir".as_ref(),
            data.as_os_str(),
            "packet".as_ref(),
            "build".as_ref(),
            "1".as_ref(),
            "--out".as_ref(),
            packet.as_os_str(),
        ]);
        println!(
            "  packet build with a {}×{} PNG: peak RSS {:.1} MiB",
            side.0,
            side.1,
            rss as f64 / 1024.0
        );
        out.push(rss);
    }
    (out[0], out[1])
}
