//! Packet benchmark: a case with 200 evidence files totalling 1 GiB (incompressible, so stored
//! as `zip -0` would). In one run, alternating:
//!
//! - `packet build` (in-process: evidence streamed from the vault and re-hashed, the PDF and
//!   HTML reports, manifest, ledger, SHA256SUMS, then the packet's own digest) against
//!   `zip -0 -r` of the same files (target ≤ 1.5);
//! - `recourse verify` of that packet against `openssl dgst -sha256` over the same files
//!   (target ≤ 1.2).
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
    let start = Instant::now();
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
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

        verifies.push(run(Command::new(exe).arg("verify").arg(&packet)));
        digests.push(run(Command::new("openssl")
            .arg("dgst")
            .arg("-sha256")
            .args(&paths)));
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
    println!(
        "  verify / openssl    {:.2}   (target ≤ 1.2)",
        ratio(&verifies, &digests)
    );
    let med = |v: &[Duration]| median(v.to_vec()).as_secs_f64();
    let mib = total as f64 / 1048576.0;
    let (b, v) = (ratio(&builds, &zips), ratio(&verifies, &digests));
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
            "verify that packet".to_string(),
            format!("{:.2} s", med(&verifies)),
            format!("openssl dgst -sha256 {:.2} s", med(&digests)),
            format!("{v:.2}"),
            "≤ 1.2".into(),
            v <= 1.2,
        ),
    ]
}
