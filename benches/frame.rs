//! Frame-time benchmark: CPU time per frame of the case view (Timeline and Evidence tabs) for a
//! case with 10,000 contacts, 2,000 promises and 10,000 evidence rows, against the same views
//! of an empty case, measured in one run on the headless egui_kittest harness (no GPU; the
//! frame is egui's layout, tessellation and AccessKit tree — the work `ui()` causes).
//!
//! Run: `cargo bench --bench frame` (env `FRAMES`, default 300 per view).
//! Targets: median ≤ 2 ms, and median ratio to the empty case ≤ 2.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use egui_kittest::Harness;

use recourse::datadir::DataDir;
use recourse::gui::i18n::Lang;
use recourse::gui::{AppOptions, Command, RecourseApp};
use recourse::model::*;
use recourse::vault::Sha256;

const CONTACTS: usize = 10_000;
const PROMISES: usize = 2_000;
const EVIDENCE: usize = 10_000;

/// CPU time of the calling thread (what this thread spent, not wall time).
#[cfg(unix)]
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Elsewhere (Windows) std has no thread CPU clock: wall time since the first call, which the
/// ratios against the reference measured the same way still compare fairly on an idle machine.
#[cfg(not(unix))]
fn thread_cpu() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

fn case_fields(title: &str) -> CaseFields {
    CaseFields {
        title: title.into(),
        company: "벤치마크쇼핑".into(),
        company_contact: None,
        company_address: None,
        platform: None,
        seller: None,
        order_number: Some("B-1".into()),
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
    }
}

fn populate(dd: &mut DataDir, now: DateTime<Utc>) -> (CaseId, CaseId) {
    // The bench's own connection trades durability for speed while generating.
    dd.store
        .conn()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    let empty = dd.store.create_case(&case_fields("빈 사건"), now).unwrap();
    let big = dd.store.create_case(&case_fields("큰 사건"), now).unwrap();
    let start = now - chrono::Duration::days(400);
    let mut contacts = Vec::with_capacity(CONTACTS);
    for i in 0..CONTACTS {
        let at = start + chrono::Duration::minutes(i as i64 * 50);
        let fields = ContactFields {
            started_at: at,
            ended_at: None,
            channel: Channel::ALL[i % Channel::ALL.len()],
            direction: Direction::Outgoing,
            tier: Tier::FirstLine,
            agent_name: Some(format!("상담원 {i}")),
            agent_id: None,
            reference: Some(format!("R-{i}")),
            summary: format!("{i}번째 통화: 판매자 확인 후 연락 준다고 함"),
            claimed: None,
            offered: None,
            outcome: Outcome::Unresolved,
            recording_announced: true,
        };
        contacts.push(dd.store.add_contact(big, &fields, at).unwrap());
    }
    for i in 0..PROMISES {
        let contact = contacts[i * (CONTACTS / PROMISES)];
        let made = start + chrono::Duration::minutes((i * (CONTACTS / PROMISES)) as i64 * 50);
        let fields = PromiseFields {
            contact_id: contact,
            promised_by: Some(format!("상담원 {i}")),
            what: format!("약속 {i}: 내일까지 문자로 안내"),
            due_at: made + chrono::Duration::days(1),
            answers: FiveAnswers::default(),
        };
        let id = dd.store.add_promise(big, &fields, made).unwrap();
        if i % 3 == 0 {
            dd.store
                .end_promise(
                    id,
                    PromiseStatus::Broken,
                    None,
                    made + chrono::Duration::days(2),
                )
                .unwrap();
        }
    }
    for i in 0..EVIDENCE {
        let fields = EvidenceFields {
            contact_id: Some(contacts[i % CONTACTS]),
            kind: EvidenceKind::Document,
            sha256: Sha256::of(format!("evidence {i}").as_bytes()),
            size_bytes: 1000 + i as u64,
            original_name: format!("영수증_{i}.pdf"),
            media_type: "application/pdf".into(),
            captured_at: None,
            source: EvidenceSource::FileImport,
            note: None,
            audio: None,
        };
        dd.store
            .add_evidence(
                big,
                &fields,
                start + chrono::Duration::minutes(i as i64 * 50),
            )
            .unwrap();
    }
    (empty, big)
}

struct Stats {
    median: Duration,
    p99: Duration,
}

fn frame_stats(h: &mut Harness<'_, RecourseApp>, frames: usize) -> Stats {
    for _ in 0..20 {
        h.step();
    }
    let mut times: Vec<Duration> = (0..frames)
        .map(|_| {
            let t = thread_cpu();
            h.step();
            thread_cpu() - t
        })
        .collect();
    times.sort();
    Stats {
        median: times[times.len() / 2],
        p99: times[(times.len() * 99 / 100).min(times.len() - 1)],
    }
}

fn open_view(h: &mut Harness<'_, RecourseApp>, case: CaseId, tab: recourse::gui::Tab) {
    h.state_mut().push(Command::SelectCase(case));
    h.step();
    h.step();
    h.state_mut().state.tab = tab;
    h.step();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One line of the performance table: what, ours, the reference, ratio, target, met.
pub type Row = (String, String, String, String, String, bool);

fn main() {
    measure();
}

/// Runs the benchmark, prints its report, returns its table rows.
pub fn measure() -> Vec<Row> {
    let frames = std::env::var("FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let dir = tempfile::tempdir().unwrap();
    let now = recourse::clock::parse_instant("2026-11-20T12:00:00+09:00").unwrap();
    let generated = Instant::now();
    let (empty, big) = {
        let mut dd = DataDir::open(dir.path()).unwrap();
        populate(&mut dd, now)
    };
    eprintln!(
        "generated {CONTACTS} contacts, {PROMISES} promises, {EVIDENCE} evidence rows in {:.1} s",
        generated.elapsed().as_secs_f64()
    );
    let options = AppOptions {
        data_dir: dir.path().to_owned(),
        lang: Some(Lang::Ko),
        now: Some(now),
        review: None,
        demo: false,
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| RecourseApp::new(cc, options).unwrap());
    h.step();

    println!(
        "frame benchmark: CPU time per frame of the case view, {frames} frames each, headless"
    );
    println!(
        "  {:<10} {:>14} {:>14} {:>14} {:>10}",
        "tab", "empty median", "big median", "big p99", "ratio"
    );
    let mut worst_ratio: f64 = 0.0;
    let mut worst_median: f64 = 0.0;
    let mut rows: Vec<Row> = Vec::new();
    for (name, tab) in [
        ("timeline", recourse::gui::Tab::Timeline),
        ("evidence", recourse::gui::Tab::Evidence),
    ] {
        open_view(&mut h, empty, tab);
        let base = frame_stats(&mut h, frames);
        open_view(&mut h, big, tab);
        let loaded = frame_stats(&mut h, frames);
        let ratio = loaded.median.as_secs_f64() / base.median.as_secs_f64();
        worst_ratio = worst_ratio.max(ratio);
        worst_median = worst_median.max(ms(loaded.median));
        println!(
            "  {name:<10} {:>11.3} ms {:>11.3} ms {:>11.3} ms {ratio:>10.2}",
            ms(base.median),
            ms(loaded.median),
            ms(loaded.p99)
        );
        rows.push((
            format!("frame CPU, {name} tab, 10,000 contacts"),
            format!("{:.3} ms", ms(loaded.median)),
            format!("empty case {:.3} ms", ms(base.median)),
            format!("{ratio:.2}"),
            "≤ 2 ms and ≤ 2×".into(),
            ms(loaded.median) <= 2.0 && ratio <= 2.0,
        ));
    }
    println!(
        "  targets: median <= 2 ms ({}), ratio <= 2 ({})",
        if worst_median <= 2.0 {
            "met"
        } else {
            "NOT met"
        },
        if worst_ratio <= 2.0 { "met" } else { "NOT met" }
    );
    rows
}
