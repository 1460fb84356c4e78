//! Resource bounds: peak memory while importing and verifying big or hostile inputs (measured
//! with GNU time), no network connection from any command or the app (strace), and private
//! permissions on the data directory and read-only evidence objects.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::util::{Dir, NOW};

/// The ceiling the issue sets for verifying any packet and importing any file.
const MAX_RSS_KB: u64 = 200 * 1024;

/// Runs `recourse args` under `/usr/bin/time -v`; returns (exit code, peak RSS in KiB, output).
fn peak_rss(d: &Dir, args: &[&str]) -> (i32, u64, String) {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_recourse"))
        .args(args)
        .env("RECOURSE_DATA_DIR", d.data_dir())
        .env("RECOURSE_NOW", NOW)
        .env("TZ", "Asia/Seoul")
        .output()
        .expect("GNU time (/usr/bin/time, package `time`) is needed: bash .ci/install-deps");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let kb = err
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no RSS in: {err}"));
    (out.status.code().unwrap_or(-1), kb, err)
}

#[test]
fn peak_memory_stays_under_200_mb_importing_and_verifying() {
    let d = Dir::new();
    d.sample_case();
    // A 1 GB file (sparse: its pages cost nothing to make; the import still reads every byte).
    let big = d.path().join("통화-1GB.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let mut rows = Vec::new();
    let (code, kb, err) = peak_rss(&d, &["evidence", "add", "1", big.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    rows.push(("import 1 GiB", kb));
    std::fs::remove_file(&big).unwrap();
    let packet = d.path().join("packet.zip");
    let (code, kb, err) = peak_rss(
        &d,
        &["packet", "build", "1", "--out", packet.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    rows.push(("build a 1 GiB packet", kb));
    let (code, kb, err) = peak_rss(&d, &["verify", packet.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    rows.push(("verify a 1 GiB packet", kb));
    let (code, kb, err) = peak_rss(&d, &["import", packet.to_str().unwrap()]);
    // The case is already here: refused after verifying, which is the memory-heavy part.
    assert_eq!(code, 2, "{err}");
    rows.push(("import it as a case (refused: already here)", kb));
    // A bomb: 100 MiB of zeros deflated, beside a small packet's lists.
    let bomb = {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("manifest.json", opts).unwrap();
        std::io::Write::write_all(&mut z, b"{}").unwrap();
        z.start_file("evidence/bomb", opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..100 {
            std::io::Write::write_all(&mut z, &zeros).unwrap();
        }
        z.finish().unwrap().into_inner()
    };
    let bomb_path = d.file("bomb.zip", &bomb);
    let (code, kb, err) = peak_rss(&d, &["verify", bomb_path.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    rows.push(("verify a ZIP bomb (refused)", kb));
    for (what, kb) in &rows {
        println!("peak RSS {:>7.1} MiB  {what}", *kb as f64 / 1024.0);
    }
    for (what, kb) in rows {
        assert!(kb < MAX_RSS_KB, "{what}: {kb} KiB");
    }
}

/// The `connect` calls a command made, from `strace -f`.
fn connects(d: &Dir, args: &[&str], extra_env: &[(&str, &str)]) -> Vec<String> {
    connects_ending(d, args, extra_env, true)
}

/// [`connects`] of a command that must succeed (`ok`) or must fail.
fn connects_ending(d: &Dir, args: &[&str], extra_env: &[(&str, &str)], ok: bool) -> Vec<String> {
    let log = d
        .path()
        .join(format!("strace-{}.log", args.join("-").replace('/', "_")));
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-e", "trace=connect", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_recourse"))
        .args(args)
        .env("RECOURSE_DATA_DIR", d.data_dir())
        .env("RECOURSE_NOW", NOW)
        .env("TZ", "Asia/Seoul");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .expect("strace is needed: bash .ci/install-deps");
    assert_eq!(
        out.status.success(),
        ok,
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("connect("))
        .map(str::to_owned)
        .collect()
}

fn network(calls: &[String]) -> Vec<&String> {
    calls
        .iter()
        .filter(|l| l.contains("AF_INET") || l.contains("AF_INET6") || l.contains("AF_NETLINK"))
        .collect()
}

#[test]
fn no_command_opens_a_network_connection() {
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let photo = d.file(
        "사진.jpg",
        &recourse::evidence::fixtures::jpeg_with_exif("2026:11:17 19:05:30", None),
    );
    let packet = d.path().join("p.zip");
    let ics = d.path().join("r.ics");
    let tsq = d.path().join("head.tsq");
    let page = d.path().join("verify.html");
    let mut all = Vec::new();
    for args in [
        vec!["case", "list", "--json"],
        vec!["evidence", "add", &case, photo.to_str().unwrap()],
        vec!["advise", &case],
        vec!["due"],
        vec!["calendar", "export", "--out", ics.to_str().unwrap()],
        vec!["packet", "build", &case, "--out", packet.to_str().unwrap()],
        vec!["verify", packet.to_str().unwrap()],
        vec!["fsck"],
        vec!["key", "show"],
        vec!["receipt", &case],
        vec!["timestamp", &case, "--request-out", tsq.to_str().unwrap()],
        vec!["verifier", "--out", page.to_str().unwrap()],
    ] {
        let calls = connects(&d, &args, &[]);
        let net: Vec<String> = network(&calls).into_iter().cloned().collect();
        assert!(net.is_empty(), "{args:?} connected: {net:?}");
        all.extend(calls);
    }
    // With no TSA configured, `timestamp` refuses and connects nowhere.
    let calls = connects_ending(&d, &["timestamp", &case], &[], false);
    let net: Vec<String> = network(&calls).into_iter().cloned().collect();
    assert!(net.is_empty(), "timestamp connected: {net:?}");
    println!("{} connect calls in all, none to a network", all.len());
}

/// The app itself, on a virtual display: it may talk to the X server and D-Bus over local
/// sockets, never to a network.
#[test]
fn the_app_opens_no_network_connection() {
    if Command::new("xvfb-run").arg("--help").output().is_err() {
        eprintln!("skipped: xvfb-run is not installed (bash .ci/install-deps installs it)");
        return;
    }
    let d = Dir::new();
    let log = d.path().join("strace-app.log");
    let out = Command::new("xvfb-run")
        .args([
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            "timeout",
            "-s",
            "KILL",
            "12",
        ])
        .args(["strace", "-f", "-qq", "-e", "trace=connect", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_recourse"))
        .arg("--demo")
        .env("TZ", "Asia/Seoul")
        .output()
        .unwrap();
    let calls: Vec<String> = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("connect("))
        .map(str::to_owned)
        .collect();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        calls
            .iter()
            .any(|l| l.contains("AF_UNIX") && l.contains("X11")),
        "the app did not reach the X server, so the check proves nothing: {stderr}\n{calls:?}"
    );
    let net = network(&calls);
    assert!(net.is_empty(), "the app connected: {net:?}");
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_data_dir_is_private_and_evidence_objects_read_only() {
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let f = d.file("메모.txt", "메모".as_bytes());
    d.ok(&["evidence", "add", &case, f.to_str().unwrap()]);
    let root = d.data_dir();
    for sub in [
        "",
        "vault",
        "vault/objects",
        "vault/tmp",
        "recordings",
        "recordings/partial",
        "packets",
    ] {
        assert_eq!(mode(&root.join(sub)), 0o700, "{sub}/");
    }
    let db = root.join("recourse.sqlite3");
    assert_eq!(
        mode(&db) & 0o077,
        0,
        "the database is readable by others: {:o}",
        mode(&db)
    );
    let objects: Vec<_> = walk(&root.join("vault/objects"));
    assert_eq!(objects.len(), 1);
    for o in objects {
        assert_eq!(mode(&o), 0o444, "{}", o.display());
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
