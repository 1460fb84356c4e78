//! Import benchmark: `recourse evidence add` of a 1 GiB file against the plain way of doing the
//! same work on the same cached file — `openssl dgst -sha256 FILE` followed by
//! `cp FILE DEST && sync DEST` — measured alternately in one run. Prints the medians and their
//! ratio (target ≤ 0.85: one read, hashing overlapped with writing).
//!
//! Run: `cargo bench --bench import` (env `RUNS`, default 5; `SIZE_MIB`, default 1024).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Writes `size` bytes of incompressible pseudo-random data (xorshift), unless already there.
fn make_input(path: &Path, size: u64) {
    if fs::metadata(path).map(|m| m.len() == size).unwrap_or(false) {
        return;
    }
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut block = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        for word in block.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        let n = left.min(block.len() as u64) as usize;
        out.write_all(&block[..n]).unwrap();
        left -= n as u64;
    }
    out.flush().unwrap();
}

/// Reads the file once so both contenders start from the page cache.
fn warm(path: &Path) {
    let mut f = File::open(path).unwrap();
    let mut buf = vec![0u8; 4 << 20];
    while f.read(&mut buf).unwrap() > 0 {}
}

/// Writes back whatever the previous run left dirty, untimed, so no run pays for another's.
fn settle() {
    let _ = Command::new("sync").status();
}

fn run(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let out = cmd.output().expect("run");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn reference(input: &Path, dest: &Path) -> Duration {
    settle();
    let hash = run(Command::new("openssl")
        .arg("dgst")
        .arg("-sha256")
        .arg(input));
    let copy = run(Command::new("sh")
        .arg("-c")
        .arg("cp \"$1\" \"$2\" && sync \"$2\"")
        .arg("sh")
        .arg(input)
        .arg(dest));
    hash + copy
}

fn recourse(bin: &Path, input: &Path, data_dir: &Path) -> Duration {
    let _ = fs::remove_dir_all(data_dir);
    run(Command::new(bin)
        .args(["case", "new", "--title", "bench", "--company", "bench"])
        .env("RECOURSE_DATA_DIR", data_dir));
    settle();
    run(Command::new(bin)
        .args(["evidence", "add", "1"])
        .arg(input)
        .env("RECOURSE_DATA_DIR", data_dir))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// One line of the performance table: what, ours, the reference, ratio, target, met.
pub type Row = (String, String, String, String, String, bool);

fn main() {
    measure();
}

/// Runs the benchmark, prints its report, returns its table rows.
pub fn measure() -> Vec<Row> {
    // `cargo bench` passes `--bench`; any other argument filters nothing here.
    let runs = env_number("RUNS", 5).max(1) as usize;
    let size = env_number("SIZE_MIB", 1024) << 20;
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-import");
    fs::create_dir_all(&work).unwrap();
    let input = work.join("input.bin");
    // Every run writes to its own place, and nothing is deleted until the end: this file system
    // may discard freed blocks (`mount -o discard`), and a deletion's discards would land in
    // the next timed run.
    let dest = |i: usize| work.join(format!("copy-{i}.bin"));
    let data_dir = |i: usize| work.join(format!("data-{i}"));
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_recourse"));

    make_input(&input, size);
    warm(&input);

    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for i in 0..runs {
        // Alternate who goes first so neither always inherits the other's write-back.
        if i % 2 == 0 {
            theirs.push(reference(&input, &dest(i)));
            ours.push(recourse(&bin, &input, &data_dir(i)));
        } else {
            ours.push(recourse(&bin, &input, &data_dir(i)));
            theirs.push(reference(&input, &dest(i)));
        }
    }
    for i in 0..runs {
        let _ = fs::remove_file(dest(i));
        let _ = fs::remove_dir_all(data_dir(i));
    }
    let pairs: Vec<String> = theirs
        .iter()
        .zip(&ours)
        .map(|(t, o)| format!("{:.2}/{:.2}", t.as_secs_f64(), o.as_secs_f64()))
        .collect();
    let (ours, theirs) = (median(ours), median(theirs));
    let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
    let mib = size as f64 / (1 << 20) as f64;
    println!("import benchmark: {mib:.0} MiB file from the page cache, median of {runs} runs");
    println!(
        "  reference  openssl dgst -sha256 FILE; cp FILE DEST && sync DEST   {:>7.3} s",
        theirs.as_secs_f64()
    );
    println!(
        "  recourse   evidence add (read once, hash + write overlapped, fsync) {:>7.3} s  ({:.0} MiB/s)",
        ours.as_secs_f64(),
        mib / ours.as_secs_f64()
    );
    println!("  each run, reference/recourse in s: {}", pairs.join("  "));
    println!(
        "  ratio      {ratio:.2}  (target <= 0.85: {})",
        if ratio <= 0.85 { "met" } else { "NOT met" }
    );
    let _ = fs::remove_file(&input);
    vec![(
        format!("import {mib:.0} MiB (evidence add)"),
        format!("{:.2} s", ours.as_secs_f64()),
        format!("openssl dgst + cp + sync {:.2} s", theirs.as_secs_f64()),
        format!("{ratio:.2}"),
        "≤ 0.85".into(),
        ratio <= 0.85,
    )]
}
