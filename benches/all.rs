//! Every benchmark, then one table of figures, references, ratios and targets: import against
//! `openssl dgst` + `cp`, packet build against `zip -0`, verify against `openssl dgst`, frame
//! CPU time with 10,000 contacts against an empty case, a 60-minute recording's dropped
//! samples and writer CPU, and launch-to-first-frame and resident memory with 10,000 cases
//! against an empty data directory.
//!
//! Run: `cargo bench --bench all` (each benchmark's own knobs apply, e.g. `RUNS`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "frame.rs"]
mod frame;
#[allow(dead_code)]
#[path = "import.rs"]
mod import;
#[allow(dead_code)]
#[path = "packet.rs"]
mod packet;
#[allow(dead_code)]
#[path = "record.rs"]
mod record;
#[allow(dead_code)]
#[path = "startup.rs"]
mod startup;

use unicode_width::UnicodeWidthStr;

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

fn main() {
    let started = std::time::Instant::now();
    let mut rows = Vec::new();
    for (name, measure) in [
        ("import", import::measure as fn() -> Vec<import::Row>),
        ("packet", packet::measure),
        ("frame", frame::measure),
        ("record", record::measure),
        ("startup", startup::measure),
    ] {
        println!("\n── {name} ──");
        // Each starts on a quiet disk: nothing the previous one wrote is still being written back.
        let _ = std::process::Command::new("sync").status();
        rows.extend(measure());
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "\nrecourse performance table — {cpu}, {cores} cores, {:.0} s in all\n",
        started.elapsed().as_secs_f64()
    );
    let header = ("benchmark", "recourse", "reference", "ratio", "target");
    let w = [
        rows.iter().map(|r| r.0.width()).max().unwrap_or(0).max(9),
        rows.iter().map(|r| r.1.width()).max().unwrap_or(0).max(8),
        rows.iter().map(|r| r.2.width()).max().unwrap_or(0).max(9),
        6,
        rows.iter().map(|r| r.4.width()).max().unwrap_or(0).max(6),
    ];
    println!(
        "| {} | {} | {} | {} | {} | met |",
        pad(header.0, w[0]),
        pad(header.1, w[1]),
        pad(header.2, w[2]),
        pad(header.3, w[3]),
        pad(header.4, w[4])
    );
    println!(
        "| {} | {} | {} | {} | {} | --- |",
        "-".repeat(w[0]),
        "-".repeat(w[1]),
        "-".repeat(w[2]),
        "-".repeat(w[3]),
        "-".repeat(w[4])
    );
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            pad(&r.0, w[0]),
            pad(&r.1, w[1]),
            pad(&r.2, w[2]),
            pad(&r.3, w[3]),
            pad(&r.4, w[4]),
            if r.5 { "yes" } else { "NO" }
        );
    }
    let missed = rows.iter().filter(|r| !r.5).count();
    println!(
        "\n{} of {} figures meet their targets",
        rows.len() - missed,
        rows.len()
    );
}
