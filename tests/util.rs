//! A temp data directory per test and a runner for the built `recourse` binary, in the manner
//! of ripgrep's `tests/util.rs`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The time every test runs at, so overdue checks and stored times repeat.
pub const NOW: &str = "2026-11-20T12:00:00+09:00";

/// A scratch area with its own data directory.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The scratch area's root (files to import go here).
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// The data directory under test.
    pub fn data_dir(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    /// Writes a file into the scratch area and returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.tmp.path().join(name);
        std::fs::write(&path, bytes).expect("write test file");
        path
    }

    /// A `recourse` command with this data dir, a fixed clock and a fixed zone.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_recourse"));
        cmd.args(args)
            .env("RECOURSE_DATA_DIR", self.data_dir())
            .env("RECOURSE_NOW", NOW)
            .env("TZ", "Asia/Seoul")
            .env_remove("RECOURSE_LANG");
        cmd
    }

    /// Runs and returns the output whatever the exit code.
    pub fn output(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run recourse")
    }

    /// Runs, expects exit 0, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.output(args);
        assert!(
            out.status.success(),
            "recourse {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs, expects exit `code`, returns stdout + stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.output(args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(code), "recourse {args:?}: {text}");
        text
    }

    /// Runs with `--json`-style output and parses it.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON")
    }

    /// Opens the database directly, as an outside tool would.
    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.data_dir().join("recourse.sqlite3")).expect("open db")
    }

    /// A case with one contact and one promise; returns (case, contact, promise) ids.
    pub fn sample_case(&self) -> (String, String, String) {
        let case = self
            .ok(&[
                "case",
                "new",
                "--title",
                "공기청정기 환불 거부",
                "--company",
                "가나다몰",
                "--platform",
                "오픈마켓",
                "--order",
                "2026111012345",
                "--amount",
                "189000",
                "--category",
                "refund",
                "--delivered",
                "2026-11-17",
            ])
            .trim()
            .to_owned();
        let contact = self
            .ok(&[
                "contact",
                "add",
                &case,
                "--channel",
                "phone",
                "--tier",
                "first-line",
                "--agent",
                "김상담",
                "--summary",
                "판매자 확인 후 내일 문자 준다고 함",
                "--at",
                "2026-11-18T14:30:00+09:00",
                "--outcome",
                "promised-follow-up",
            ])
            .trim()
            .to_owned();
        let promise = self
            .ok(&[
                "promise",
                "add",
                &case,
                "--contact",
                &contact,
                "--what",
                "내일까지 문자로 결과 안내",
                "--due",
                "2026-11-19T18:00:00+09:00",
                "--scope",
                "판매자 발송 여부",
                "--scope-is",
                "clear",
                "--authority",
                "제가 결정할 수는 없어요",
                "--authority-is",
                "refused",
            ])
            .trim()
            .to_owned();
        (case, contact, promise)
    }
}
