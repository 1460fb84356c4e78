//! The hostile-input suite: one table over a corpus the test makes itself — files that are
//! empty, huge, unreadable, not files, badly named, truncated or lying, and packets that are
//! malformed, crafted or whose manifest lies — each with the handling expected, and a check
//! that the data directory changed only where it should.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::packet::{Raw, case_with_packet, lists, raw_zip};
use crate::util::Dir;

/// What a row expects.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exit 2 with this text in the message; nothing in the data directory changes.
    Refused(&'static str),
    /// `evidence add` succeeds; the new item's JSON must satisfy the check.
    Added(fn(&serde_json::Value) -> Result<(), String>),
    /// `verify` exits 1 (not intact) naming this; `import` refuses it (exit 2), changing nothing.
    NotIntact(&'static str),
}

/// How a row's input is made, in the scratch area.
type Make = fn(&Dir) -> PathBuf;

struct Row {
    name: &'static str,
    /// `evidence add` for files, `verify` then `import` for packets.
    packet: bool,
    make: Make,
    expect: Expect,
}

/// The data directory's logical state: cases, ledger heads, evidence, vault objects, packets.
fn snapshot(d: &Dir) -> String {
    let mut s = d.ok(&["case", "list", "--json"]);
    for id in 1..=3 {
        let out = d.output(&["case", "show", &id.to_string(), "--json"]);
        if out.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            s.push_str(&v["ledger"].to_string());
            s.push_str(&v["evidence"].to_string());
        }
    }
    let mut objects: Vec<String> = walk(&d.data_dir().join("vault/objects"));
    objects.extend(walk(&d.data_dir().join("packets")));
    objects.sort();
    s.push_str(&objects.join("\n"));
    s
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}

/// Runs with a deadline: a FIFO or a device must never block the command. `path` goes last,
/// as raw bytes (a non-UTF-8 name must reach the command as it is).
fn run(d: &Dir, args: &[&str], path: &Path) -> Output {
    let mut child = d
        .command(args)
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        // Generous: the 5 GB file takes a while on a slow disk; a FIFO would block for ever.
        if started.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            panic!("recourse {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut out = Output {
        status: child.wait().unwrap(),
        stdout: Vec::new(),
        stderr: Vec::new(),
    };
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut out.stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut out.stderr)
        .unwrap();
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn wav(samples: usize) -> Vec<u8> {
    let mut c = std::io::Cursor::new(Vec::new());
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::new(&mut c, spec).unwrap();
    for i in 0..samples {
        w.write_sample((i % 100) as i16).unwrap();
    }
    w.finalize().unwrap();
    c.into_inner()
}

/// A copy of a real packet with `name` replaced and SHA256SUMS made to agree: it looks valid,
/// and only what it claims is false.
fn lying_packet(d: &Dir, edit: impl Fn(&mut Vec<(String, Vec<u8>)>)) -> PathBuf {
    let (_, real) = case_with_packet(d);
    let mut a = zip::ZipArchive::new(std::fs::File::open(&real).unwrap()).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        files.push((f.name().unwrap().into_owned(), b));
    }
    edit(&mut files);
    let sums: String = files
        .iter()
        .filter(|(n, _)| n != "SHA256SUMS")
        .map(|(n, b)| format!("{}  {n}\n", recourse::vault::Sha256::of(b).to_hex()))
        .collect();
    let path = d.path().join("lying.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (n, b) in &files {
        w.start_file(n.as_str(), opts).unwrap();
        w.write_all(if n == "SHA256SUMS" {
            sums.as_bytes()
        } else {
            b
        })
        .unwrap();
    }
    w.finish().unwrap();
    // The real one goes: only the lying copy is in play.
    std::fs::remove_file(real).unwrap();
    path
}

/// Rewrites the manifest's JSON.
fn manifest_edit(files: &mut [(String, Vec<u8>)], f: impl Fn(&mut serde_json::Value)) {
    for (n, b) in files.iter_mut() {
        if n == "manifest.json" {
            let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
            f(&mut v);
            *b = serde_json::to_vec_pretty(&v).unwrap();
        }
    }
}

fn zip_with(extra: Raw) -> Vec<u8> {
    let ok = b"hello";
    let mut e = lists(&[("VERIFY.txt", ok)]);
    e.insert(0, Raw::file("VERIFY.txt", ok));
    e.push(extra);
    raw_zip(&e)
}

fn write(d: &Dir, name: &str, bytes: &[u8]) -> PathBuf {
    d.file(name, bytes)
}

const ROWS: &[Row] = &[
    // Files.
    Row {
        name: "empty file",
        packet: false,
        make: |d| write(d, "empty.bin", b""),
        expect: Expect::Added(|e| (e["size_bytes"] == 0).then_some(()).ok_or("size".into())),
    },
    Row {
        name: "5 GB sparse file",
        packet: false,
        make: |d| {
            let p = d.path().join("huge.bin");
            std::fs::File::create(&p)
                .unwrap()
                .set_len(5_000_000_000)
                .unwrap();
            p
        },
        expect: Expect::Added(|e| {
            // SHA-256 of 5,000,000,000 zero bytes (openssl dgst -sha256).
            const ZEROS: &str = "750f9080de24a9e562c6b1fecc288c732a758003ab16e5cad014eba45c17466b";
            (e["size_bytes"] == 5_000_000_000_u64 && e["sha256"] == ZEROS)
                .then_some(())
                .ok_or(format!("size {}, sha256 {}", e["size_bytes"], e["sha256"]))
        }),
    },
    Row {
        name: "directory",
        packet: false,
        make: |d| {
            let p = d.path().join("a-folder");
            std::fs::create_dir_all(&p).unwrap();
            p
        },
        expect: Expect::Refused("is a directory"),
    },
    Row {
        name: "broken symlink",
        packet: false,
        make: |d| {
            let p = d.path().join("broken-link");
            std::os::unix::fs::symlink("/nonexistent/recourse", &p).unwrap();
            p
        },
        expect: Expect::Refused("no such file"),
    },
    Row {
        name: "FIFO",
        packet: false,
        make: |d| {
            let p = d.path().join("pipe");
            let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            p
        },
        expect: Expect::Refused("not a regular file"),
    },
    Row {
        name: "unreadable (read fails: EIO)",
        packet: false,
        make: |_| PathBuf::from("/proc/self/mem"),
        expect: Expect::Refused("reading failed"),
    },
    Row {
        name: "non-UTF-8 name",
        packet: false,
        make: |d| {
            use std::os::unix::ffi::OsStrExt;
            let p = d
                .path()
                .join(std::ffi::OsStr::from_bytes(b"\xc1\xbe\xfe-memo.txt"));
            std::fs::write(&p, "메모").unwrap();
            p
        },
        expect: Expect::Added(|e| {
            e["original_name"]
                .as_str()
                .is_some_and(|n| n.ends_with("-memo.txt") && n.contains('\u{fffd}'))
                .then_some(())
                .ok_or(format!("name {}", e["original_name"]))
        }),
    },
    Row {
        name: "truncated JPEG",
        packet: false,
        make: |d| {
            let j = recourse::evidence::fixtures::jpeg_with_exif("2026:11:17 19:05:30", None);
            write(d, "cut.jpg", &j[..j.len() / 2])
        },
        expect: Expect::Added(|e| {
            (e["media_type"] == "image/jpeg")
                .then_some(())
                .ok_or(format!("media type {}", e["media_type"]))
        }),
    },
    Row {
        name: "EXIF with absurd values",
        packet: false,
        make: |d| {
            let j =
                recourse::evidence::fixtures::jpeg_with_exif("9999:99:99 99:99:99", Some("+99:99"));
            write(d, "absurd.jpg", &j)
        },
        expect: Expect::Added(|e| {
            e.get("captured_at")
                .is_none_or(serde_json::Value::is_null)
                .then_some(())
                .ok_or(format!("captured_at {}", e["captured_at"]))
        }),
    },
    Row {
        name: "WAV whose header claims 4 GiB of audio",
        packet: false,
        make: |d| {
            let mut w = wav(8_000);
            w[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
            w[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
            write(d, "lying.wav", &w)
        },
        expect: Expect::Added(|e| {
            // 8,000 samples at 8 kHz: the length comes from what is there, not the claim.
            let ms = e["audio"]["duration_ms"].as_u64();
            (e["kind"] == "recording" && ms.is_none_or(|ms| ms <= 1_000))
                .then_some(())
                .ok_or(format!("kind {}, duration {ms:?}", e["kind"]))
        }),
    },
    // Packets: malformed and crafted ZIPs.
    Row {
        name: "not a ZIP",
        packet: true,
        make: |d| write(d, "text.zip", "이건 ZIP이 아닙니다".as_bytes()),
        expect: Expect::Refused("not a readable zip"),
    },
    Row {
        name: "empty packet file",
        packet: true,
        make: |d| write(d, "empty.zip", b""),
        expect: Expect::Refused("not a readable zip"),
    },
    Row {
        name: "truncated packet",
        packet: true,
        make: |d| {
            let z = zip_with(Raw::file("evidence/a", b"abc"));
            write(d, "truncated.zip", &z[..z.len() / 2])
        },
        expect: Expect::Refused("not a readable zip"),
    },
    Row {
        name: "path traversal",
        packet: true,
        make: |d| write(d, "traversal.zip", &zip_with(Raw::file("../evil", b"x"))),
        expect: Expect::Refused("outside"),
    },
    Row {
        name: "absolute path",
        packet: true,
        make: |d| {
            write(
                d,
                "absolute.zip",
                &zip_with(Raw::file("/tmp/recourse-evil", b"x")),
            )
        },
        expect: Expect::Refused("outside"),
    },
    Row {
        name: "symbolic link entry",
        packet: true,
        make: |d| {
            let mut link = Raw::file("evidence/link", b"/etc/passwd");
            link.symlink = true;
            write(d, "symlink.zip", &zip_with(link))
        },
        expect: Expect::Refused("symbolic link"),
    },
    Row {
        name: "duplicate names",
        packet: true,
        make: |d| write(d, "dup.zip", &zip_with(Raw::file("VERIFY.txt", b"other"))),
        expect: Expect::Refused("same name"),
    },
    Row {
        name: "entry larger than it declares",
        packet: true,
        make: |d| {
            let mut e = Raw::file("evidence/big", &[7u8; 40_000]);
            e.deflate = true;
            e.declared = Some(1000);
            write(d, "lying-size.zip", &zip_with(e))
        },
        expect: Expect::Refused("declares"),
    },
    Row {
        name: "ZIP bomb",
        packet: true,
        make: |d| {
            let mut e = Raw::file("evidence/bomb", &vec![0u8; 100 << 20]);
            e.deflate = true;
            write(d, "bomb.zip", &zip_with(e))
        },
        expect: Expect::Refused("bomb"),
    },
    Row {
        name: "manifest listing a path outside",
        packet: true,
        make: |d| {
            let ok: &[u8] = b"hello";
            let mut e = lists(&[("VERIFY.txt", ok), ("../../etc/passwd", ok)]);
            e.insert(0, Raw::file("VERIFY.txt", ok));
            write(d, "outside.zip", &raw_zip(&e))
        },
        expect: Expect::Refused("outside"),
    },
    // Packets that look valid (SHA256SUMS agrees) but whose manifest lies.
    Row {
        name: "manifest lies about a file's size",
        packet: true,
        make: |d| {
            lying_packet(d, |f| {
                manifest_edit(f, |m| {
                    m["files"][0]["size"] = serde_json::json!(1);
                })
            })
        },
        expect: Expect::NotIntact("VERIFY.txt"),
    },
    Row {
        name: "manifest lies about the ledger head",
        packet: true,
        make: |d| {
            lying_packet(d, |f| {
                manifest_edit(f, |m| {
                    m["ledger"]["head"] = serde_json::json!("a".repeat(64))
                })
            })
        },
        expect: Expect::NotIntact("ledger"),
    },
    Row {
        name: "manifest names another case title than the ledger",
        packet: true,
        make: |d| {
            lying_packet(d, |f| {
                manifest_edit(f, |m| {
                    m["case"]["title"] = serde_json::json!("환불 완료된 건")
                })
            })
        },
        expect: Expect::NotIntact("title"),
    },
    Row {
        name: "manifest leaves out an evidence file the ZIP holds",
        packet: true,
        make: |d| {
            lying_packet(d, |f| {
                manifest_edit(f, |m| {
                    let files = m["files"].as_array_mut().unwrap();
                    let at = files
                        .iter()
                        .position(|x| x["path"].as_str().unwrap().ends_with(".wav"))
                        .unwrap();
                    files.remove(at);
                })
            })
        },
        expect: Expect::NotIntact(".wav"),
    },
    Row {
        name: "manifest lists a file the ZIP does not hold",
        packet: true,
        make: |d| {
            lying_packet(d, |f| {
                let at = f.iter().position(|(n, _)| n.ends_with(".wav")).unwrap();
                f.remove(at);
            })
        },
        expect: Expect::NotIntact(".wav"),
    },
];

fn check_row(row: &Row, d: &Dir) -> Result<(), String> {
    let input = (row.make)(d);
    let before = snapshot(d);
    let expect_unchanged = |what: &str| -> Result<(), String> {
        let after = snapshot(d);
        (after == before)
            .then_some(())
            .ok_or(format!("{what} changed the data directory"))
    };
    if !row.packet {
        let out = run(d, &["evidence", "add", "1"], &input);
        let said = text(&out);
        match row.expect {
            Expect::Refused(why) => {
                if out.status.code() != Some(2) || !said.to_lowercase().contains(why) {
                    return Err(format!(
                        "expected exit 2 with \"{why}\", got {:?}: {said}",
                        out.status.code()
                    ));
                }
                expect_unchanged("a refused file")?;
            }
            Expect::Added(check) => {
                if !out.status.success() {
                    return Err(format!("expected it added: {said}"));
                }
                let show = d.json(&["case", "show", "1", "--json"]);
                let last = show["evidence"].as_array().and_then(|a| a.last()).cloned();
                check(&last.unwrap_or_default())?;
            }
            Expect::NotIntact(_) => unreachable!(),
        }
    } else {
        let verify = run(d, &["verify"], &input);
        let said = text(&verify);
        match row.expect {
            Expect::Refused(why) => {
                if verify.status.code() != Some(2) || !said.to_lowercase().contains(why) {
                    return Err(format!(
                        "verify: expected exit 2 with \"{why}\", got {:?}: {said}",
                        verify.status.code()
                    ));
                }
            }
            Expect::NotIntact(what) => {
                if verify.status.code() != Some(1) || !said.contains(what) {
                    return Err(format!(
                        "verify: expected exit 1 naming \"{what}\", got {:?}: {said}",
                        verify.status.code()
                    ));
                }
            }
            Expect::Added(_) => unreachable!(),
        }
        let before = snapshot(d);
        let import = run(d, &["import"], &input);
        if import.status.code() != Some(2) {
            return Err(format!(
                "import: expected exit 2, got {:?}: {}",
                import.status.code(),
                text(&import)
            ));
        }
        if snapshot(d) != before {
            return Err("a refused import changed the data directory".into());
        }
    }
    if !Path::new("/tmp/recourse-evil").exists() && !d.path().join("evil").exists() {
        Ok(())
    } else {
        Err("a file was written outside".into())
    }
}

#[test]
fn the_hostile_input_table() {
    let mut failures = Vec::new();
    for row in ROWS {
        let d = Dir::new();
        d.sample_case();
        if let Err(e) = check_row(row, &d) {
            failures.push(format!("{}: {e}", row.name));
        }
        let fsck = d.output(&["fsck"]);
        if !fsck.status.success() {
            failures.push(format!("{}: fsck after it: {}", row.name, text(&fsck)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every ZIP of two foreign test corpora — Go's `archive/zip/testdata` (Debian's golang-src)
/// and CPython's test ZIPs (libpython3.x-testsuite), both installed by `.ci/install-deps` —
/// through `verify` and `import`: exit 1 or 2, never a crash, each under 200 MB of memory
/// (GNU time's peak RSS), and nothing imported.
#[test]
fn foreign_zip_corpora_are_refused_without_a_crash() {
    let mut zips = Vec::new();
    let mut roots: Vec<std::path::PathBuf> = Vec::new();
    for (base, tail) in [
        ("/usr/share", "src/archive/zip/testdata"),
        ("/usr/lib", "test"),
    ] {
        for e in std::fs::read_dir(base).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("go-") || name.starts_with("python3") {
                let root = e.path().join(tail);
                if root.is_dir() {
                    roots.push(root);
                }
            }
        }
    }
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "zip") {
                out.push(p);
            }
        }
    }
    for r in &roots {
        walk(r, &mut zips);
    }
    assert!(
        zips.len() >= 20,
        "the corpora are missing (run .ci/install-deps): {} ZIPs under {roots:?}",
        zips.len()
    );
    let d = Dir::new();
    for zip in &zips {
        for cmd in ["verify", "import"] {
            let out = std::process::Command::new("/usr/bin/time")
                .args(["-f", "peak-rss-kb %M", env!("CARGO_BIN_EXE_recourse"), cmd])
                .arg(zip)
                .env("RECOURSE_DATA_DIR", d.data_dir())
                .env("RECOURSE_NOW", crate::util::NOW)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            // time reports the command's own status; the command was not killed by a signal.
            let code = out.status.code();
            assert!(
                matches!(code, Some(1 | 2)),
                "{cmd} {}: exit {code:?}\n{stderr}",
                zip.display()
            );
            let rss: u64 = stderr
                .lines()
                .find_map(|l| l.strip_prefix("peak-rss-kb "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap();
            assert!(rss < 200 * 1024, "{cmd} {}: {rss} KiB", zip.display());
        }
    }
    let cases = d.json(&["case", "list", "--json"]);
    assert_eq!(
        cases.as_array().map(Vec::len),
        Some(0),
        "nothing was imported"
    );
    eprintln!("{} foreign ZIPs verified and refused", zips.len());
}
