//! Startup benchmark: the app's launch to first frame and its peak resident memory with a data
//! directory of 10,000 cases (each with a contact), against the same app on an empty data
//! directory as the named reference, measured alternately in one run on a virtual display
//! (Xvfb, started here; Mesa's llvmpipe renders). The app closes itself after its first frame
//! when `RECOURSE_EXIT_AFTER_FIRST_FRAME` is set; GNU time reports the peak RSS.
//!
//! Run: `cargo bench --bench startup` (env `RUNS`, default 5; `CASES`, default 10000).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use recourse::datadir::DataDir;
use recourse::model::*;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One line of the performance table: what, ours, the reference, ratio, target, met.
pub type Row = (String, String, String, String, String, bool);

fn main() {
    measure();
}

struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Xvfb on a free display; returns it and the display name.
fn xvfb() -> Option<(Xvfb, String)> {
    for n in 140..200 {
        if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
            continue;
        }
        let child = Command::new("Xvfb")
            .args([
                format!(":{n}"),
                "-screen".into(),
                "0".into(),
                "1280x800x24".into(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let x = Xvfb(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return Some((x, format!(":{n}")));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        return None;
    }
    None
}

fn populate(dir: &Path, cases: u64) {
    let mut dd = DataDir::open(dir).unwrap();
    // Bulk loading only: the benchmark measures reading, not this.
    dd.store
        .conn()
        .execute_batch("PRAGMA synchronous = OFF")
        .unwrap();
    let now = chrono::Utc::now();
    for i in 0..cases {
        let fields = CaseFields {
            title: format!("사건 {i:05} 환불 지연"),
            company: ["가나다몰", "라마바마켓", "사아자쇼핑"][i as usize % 3].into(),
            company_contact: None,
            company_address: None,
            platform: Some("오픈마켓".into()),
            seller: None,
            order_number: Some(format!("2026{i:08}")),
            product: None,
            amount: Some(recourse::money::Money::parse("39000", "KRW").unwrap()),
            dates: OrderDates::default(),
            category: Category::Refund,
            wants: None,
            status: CaseStatus::Open,
            problems: Vec::new(),
            payment_method: None,
            installments: None,
            claimant: Claimant::default(),
        };
        let case = dd.store.create_case(&fields, now).unwrap();
        dd.store
            .add_contact(
                case,
                &ContactFields {
                    started_at: now,
                    ended_at: None,
                    channel: Channel::Phone,
                    direction: Direction::Outgoing,
                    tier: Tier::FirstLine,
                    agent_name: Some("김상담".into()),
                    agent_id: None,
                    reference: None,
                    summary: "판매자 확인 후 연락 준다고 함".into(),
                    claimed: None,
                    offered: None,
                    outcome: Outcome::PromisedFollowUp,
                    recording_announced: true,
                },
                now,
            )
            .unwrap();
    }
}

/// One launch: (time to the first frame and exit, peak RSS in KiB).
fn launch(display: &str, data: &Path, home: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_recourse"))
        .arg("--data-dir")
        .arg(data)
        .env("DISPLAY", display)
        .env("HOME", home)
        .env("RECOURSE_EXIT_AFTER_FIRST_FRAME", "1")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("GNU time (package `time`) and the app");
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the app failed: {err}");
    let kb = err
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    (took, kb)
}

fn median<T: Copy + Ord>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

/// Runs the benchmark, prints its report, returns its table rows.
pub fn measure() -> Vec<Row> {
    let runs = env_number("RUNS", 5).max(1);
    let cases = env_number("CASES", 10_000);
    let Some((_x, display)) = xvfb() else {
        println!("startup benchmark: skipped (Xvfb is not installed)");
        return vec![(
            "startup to first frame".into(),
            "skipped: no Xvfb".into(),
            "—".into(),
            "—".into(),
            "—".into(),
            false,
        )];
    };
    let scratch = tempfile::tempdir().unwrap();
    let (empty, big, home) = (
        scratch.path().join("empty"),
        scratch.path().join("big"),
        scratch.path().join("home"),
    );
    std::fs::create_dir_all(&home).unwrap();
    DataDir::open(&empty).unwrap();
    let made = Instant::now();
    populate(&big, cases);
    let db_mib = std::fs::metadata(big.join("recourse.sqlite3"))
        .unwrap()
        .len() as f64
        / 1048576.0;
    // One launch each first: fonts and shaders into the caches, as for a user's second start.
    launch(&display, &empty, &home);
    launch(&display, &big, &home);
    let (mut t_empty, mut t_big, mut m_empty, mut m_big) = (vec![], vec![], vec![], vec![]);
    for i in 0..runs {
        let order = if i % 2 == 0 {
            [&empty, &big]
        } else {
            [&big, &empty]
        };
        for d in order {
            let (t, kb) = launch(&display, d, &home);
            if d == &big {
                t_big.push(t);
                m_big.push(kb);
            } else {
                t_empty.push(t);
                m_empty.push(kb);
            }
        }
    }
    let (te, tb, me, mb) = (
        median(t_empty),
        median(t_big),
        median(m_empty),
        median(m_big),
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mib = |kb: u64| kb as f64 / 1024.0;
    let t_ratio = tb.as_secs_f64() / te.as_secs_f64();
    let m_ratio = mb as f64 / me.max(1) as f64;
    println!(
        "startup benchmark: {cases} cases ({db_mib:.1} MiB database, made in {:.1} s), median of {runs} launches each, Xvfb + llvmpipe",
        made.elapsed().as_secs_f64()
    );
    println!(
        "  launch to first frame   empty {:>7.0} ms   {cases} cases {:>7.0} ms   ratio {t_ratio:.2}   (target ≤ 1000 ms and ≤ 2×)",
        ms(te),
        ms(tb)
    );
    println!(
        "  peak resident memory    empty {:>7.1} MiB  {cases} cases {:>7.1} MiB  ratio {m_ratio:.2}   (target ≤ 200 MiB)",
        mib(me),
        mib(mb)
    );
    vec![
        (
            format!("launch to first frame, {cases} cases"),
            format!("{:.0} ms", ms(tb)),
            format!("empty data dir {:.0} ms", ms(te)),
            format!("{t_ratio:.2}"),
            "≤ 1000 ms and ≤ 2×".into(),
            ms(tb) <= 1000.0 && t_ratio <= 2.0,
        ),
        (
            format!("peak resident memory, {cases} cases"),
            format!("{:.1} MiB", mib(mb)),
            format!("empty data dir {:.1} MiB", mib(me)),
            format!("{m_ratio:.2}"),
            "≤ 200 MiB".into(),
            mib(mb) <= 200.0,
        ),
    ]
}
