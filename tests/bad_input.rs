//! Input that must fail cleanly and lose nothing: a full disk, a huge file.

use std::process::Command;

use crate::util::Dir;

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    path: std::path::PathBuf,
}

impl SmallDisk {
    /// Mounts `size` of tmpfs at `path`, or returns None where mounting is not allowed.
    fn mount(path: &std::path::Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(path).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok.then(|| SmallDisk {
            path: path.to_owned(),
        })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

#[test]
fn a_full_disk_fails_clearly_and_leaves_nothing_half_written() {
    let d = Dir::new();
    let Some(_disk) = SmallDisk::mount(&d.data_dir(), "4m") else {
        eprintln!(
            "skipped: cannot mount a tmpfs here (needs root); the full-disk path is untested"
        );
        return;
    };
    d.sample_case();
    let small = d.file("small.txt", b"fits");
    let big = d.file("big.bin", &vec![0x5a; 8 << 20]);
    let err = d.fails(
        2,
        &[
            "evidence",
            "add",
            "1",
            small.to_str().unwrap(),
            big.to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("the disk holding the data directory is full"),
        "{err}"
    );
    assert!(err.contains("stopped at file 2 of 2"), "{err}");
    assert!(
        err.trim_end().ends_with("big.bin"),
        "names the file last: {err}"
    );

    // The first file is fully there; the second left nothing behind.
    let show = d.json(&["case", "show", "1", "--json"]);
    assert_eq!(show["evidence"].as_array().unwrap().len(), 1);
    assert!(
        std::fs::read_dir(d.data_dir().join("vault/tmp"))
            .unwrap()
            .next()
            .is_none()
    );
    d.ok(&["fsck"]);
    // Still usable once there is room: small additions work.
    let other = d.file("other.txt", b"also fits");
    d.ok(&["evidence", "add", "1", other.to_str().unwrap()]);
}
