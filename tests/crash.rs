//! kill -9 at any moment of `evidence add` leaves a data directory that `fsck` passes: no row
//! without its object, no ledger entry without its row, and the temp file cleaned on the next
//! start.

use std::time::{Duration, Instant};

use crate::util::Dir;

fn temp_files(d: &Dir) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(d.data_dir().join("vault/tmp"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[test]
fn kill_9_during_a_large_import_leaves_fsck_clean() {
    let d = Dir::new();
    d.sample_case();
    // Distinct bytes so the copy really writes (a sparse file would be cheap zeros).
    let big: Vec<u8> = (0..(192u32 << 20))
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let path = d.file("통화녹음.bin", &big);
    drop(big);

    // First kill: mid-copy, once the temp file has grown.
    let mut child = d
        .command(&["evidence", "add", "1", path.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let grown = temp_files(&d).iter().any(|p| {
            std::fs::metadata(p)
                .map(|m| m.len() > 8 << 20)
                .unwrap_or(false)
        });
        if grown || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!temp_files(&d).is_empty(), "the kill landed mid-copy");

    let out = d.output(&["fsck"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("removed 1 unfinished import"));
    assert!(temp_files(&d).is_empty(), "cleaned on the next start");
    let show = d.json(&["case", "show", "1", "--json"]);
    assert!(
        show["evidence"].as_array().unwrap().is_empty(),
        "no row without its object"
    );

    // More kills at spread-out moments, each followed by the same invariants.
    let full = {
        let t = Instant::now();
        let probe = Dir::new();
        probe.sample_case();
        probe.ok(&["evidence", "add", "1", path.to_str().unwrap()]);
        t.elapsed()
    };
    for step in 1..=5u32 {
        let delay = full * step / 6;
        let mut child = d
            .command(&["evidence", "add", "1", path.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let out = d.output(&["fsck", "--json"]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            report["is_intact"], true,
            "after a kill at {delay:?}: {report}"
        );
        let rows = d.json(&["case", "show", "1", "--json"])["evidence"]
            .as_array()
            .unwrap()
            .len();
        if status.success() {
            assert_eq!(rows, 1, "a completed import is recorded");
        }
        assert!(rows <= 1);
    }
    // Whatever happened, adding it once more ends with exactly one item.
    d.ok(&["evidence", "add", "1", path.to_str().unwrap()]);
    assert_eq!(
        d.json(&["case", "show", "1", "--json"])["evidence"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    d.ok(&["fsck"]);
}
