//! Adding evidence: the vault, duplicates, kinds, odd files.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use recourse::evidence::fixtures::jpeg_with_exif;

use crate::util::Dir;

fn sha256sum(path: &std::path::Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn files_land_in_the_vault_by_their_sha256() {
    let d = Dir::new();
    d.sample_case();
    let photo = d.file(
        "택배상자.jpg",
        &jpeg_with_exif("2026:11:17 19:05:30", Some("+09:00")),
    );
    let png = d.file(
        "주문내역.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0",
    );
    let out = d.ok(&[
        "evidence",
        "add",
        "1",
        photo.to_str().unwrap(),
        png.to_str().unwrap(),
        "--contact",
        "1",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    let photo_sha = sha256sum(&photo);
    assert_eq!(
        lines,
        [
            format!("E001 {photo_sha} 택배상자.jpg"),
            format!("E002 {} 주문내역.png", sha256sum(&png))
        ]
    );

    let object = d
        .data_dir()
        .join("vault/objects")
        .join(&photo_sha[..2])
        .join(&photo_sha[2..]);
    assert_eq!(
        std::fs::read(&object).unwrap(),
        std::fs::read(&photo).unwrap()
    );
    assert_eq!(
        std::fs::metadata(&object).unwrap().permissions().mode() & 0o777,
        0o444
    );

    let show = d.json(&["case", "show", "1", "--json"]);
    let e = &show["evidence"];
    assert_eq!(e[0]["kind"], "photo");
    assert_eq!(e[0]["media_type"], "image/jpeg");
    assert_eq!(e[0]["captured_at"], "2026-11-17T10:05:30Z");
    assert_eq!(e[0]["contact_id"], 1);
    assert_eq!(e[0]["sha256"], photo_sha.as_str());
    assert_eq!(e[1]["kind"], "screenshot");
    assert_eq!(e[1]["source"], "file-import");
    assert_eq!(
        d.json(&["case", "ledger", "1", "--json"])[3]["kind"],
        "evidence.added"
    );
}

#[test]
fn the_same_file_twice_is_one_item_and_in_two_cases_one_object() {
    let d = Dir::new();
    d.sample_case();
    d.ok(&["case", "new", "--title", "둘째", "--company", "가나다몰"]);
    let f = d.file("receipt.pdf", b"%PDF-1.4\nreceipt 189000 KRW\n");
    d.ok(&["evidence", "add", "1", f.to_str().unwrap()]);
    let again = d.output(&["evidence", "add", "1", f.to_str().unwrap()]);
    assert!(again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already evidence E001"), "{stderr}");
    d.ok(&[
        "evidence",
        "add",
        "2",
        f.to_str().unwrap(),
        "--kind",
        "document",
        "--note",
        "카드 영수증",
    ]);

    let db = d.sqlite();
    let rows: i64 = db
        .query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 2, "one row per case");
    let objects = std::fs::read_dir(d.data_dir().join("vault/objects"))
        .unwrap()
        .count();
    assert_eq!(objects, 1, "one object for both");
    let show = d.json(&["case", "show", "2", "--json"]);
    assert_eq!(show["evidence"][0]["note"], "카드 영수증");
    assert_eq!(show["evidence"][0]["number"], 1);
}

#[test]
fn odd_files_are_handled_or_refused_clearly() {
    let d = Dir::new();
    d.sample_case();
    // Empty: allowed, warned.
    let empty = d.file("empty.txt", b"");
    let out = d.output(&["evidence", "add", "1", empty.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is empty (0 bytes)"));

    // A name that is not UTF-8: stored lossily, warned.
    let raw = std::ffi::OsStr::from_bytes(b"caf\xe9-\xff.txt");
    let odd = d.path().join(raw);
    std::fs::write(&odd, b"odd name").unwrap();
    let out = d
        .command(&["evidence", "add", "1"])
        .arg(&odd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("caf\u{fffd}-\u{fffd}.txt"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));

    // A batch with a missing file and a directory adds nothing at all.
    let good = d.file("good.txt", b"good");
    let err = d.fails(
        2,
        &[
            "evidence",
            "add",
            "1",
            good.to_str().unwrap(),
            "/nonexistent/x.jpg",
            d.path().to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("no such file") && err.contains("/nonexistent/x.jpg"),
        "{err}"
    );
    assert!(err.contains("is a directory"), "{err}");
    assert!(err.contains("nothing was added"), "{err}");
    let show = d.json(&["case", "show", "1", "--json"]);
    assert_eq!(
        show["evidence"].as_array().unwrap().len(),
        2,
        "good.txt was not added either"
    );

    // A FIFO is not a file to keep.
    let fifo = d.path().join("pipe");
    let c = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let err = d.fails(2, &["evidence", "add", "1", fifo.to_str().unwrap()]);
    assert!(err.contains("not a regular file"), "{err}");

    // A contact of another case, or a missing case, is refused before any copy.
    let err = d.fails(2, &["evidence", "add", "9", good.to_str().unwrap()]);
    assert!(err.contains("there is no case 9"), "{err}");
    assert_eq!(
        std::fs::read_dir(d.data_dir().join("vault/objects"))
            .unwrap()
            .count(),
        2
    );
    assert!(d.fails(0, &["fsck"]).contains("everything holds"));
}

#[test]
fn an_unreadable_file_is_refused() {
    // Root reads anything, so this only means something for other users.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: running as root, permissions do not apply");
        return;
    }
    let d = Dir::new();
    d.sample_case();
    let f = d.file("secret.txt", b"x");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    let err = d.fails(2, &["evidence", "add", "1", f.to_str().unwrap()]);
    assert!(err.contains("secret.txt"), "{err}");
}
