//! Tampering is caught by `fsck`, which names what was touched.

use std::os::unix::fs::PermissionsExt;

use crate::util::Dir;

fn case_with_evidence(d: &Dir) -> String {
    d.sample_case();
    let a = d.file("a.txt", "첫 번째 증거".as_bytes());
    let b = d.file("b.txt", "두 번째 증거".as_bytes());
    let out = d.ok(&[
        "evidence",
        "add",
        "1",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    out.lines()
        .nth(1)
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .to_owned()
}

#[test]
fn a_clean_data_dir_passes() {
    let d = Dir::new();
    case_with_evidence(&d);
    let out = d.ok(&["fsck"]);
    assert!(
        out.contains("1 case(s), 5 ledger entries, 2 evidence item(s), 2 vault object(s)"),
        "{out}"
    );
    let json = d.json(&["fsck", "--json"]);
    assert_eq!(json["is_intact"], true);
}

#[test]
fn one_flipped_byte_in_the_vault_names_the_evidence() {
    let d = Dir::new();
    let sha = case_with_evidence(&d);
    let object = d
        .data_dir()
        .join("vault/objects")
        .join(&sha[..2])
        .join(&sha[2..]);
    std::fs::set_permissions(&object, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut bytes = std::fs::read(&object).unwrap();
    bytes[3] ^= 0x01;
    std::fs::write(&object, &bytes).unwrap();

    let out = d.fails(1, &["fsck"]);
    assert!(
        out.contains("case 1, evidence E002: the stored file was altered"),
        "{out}"
    );
    assert!(
        out.contains(&format!("vault/objects/{}/{}", &sha[..2], &sha[2..])),
        "{out}"
    );
    assert!(
        !out.contains("E001"),
        "only the altered item is named: {out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&String::from_utf8(d.output(&["fsck", "--json"]).stdout).unwrap())
            .unwrap();
    assert_eq!(json["is_intact"], false);
    assert_eq!(json["problems"][0]["problem"], "evidence-altered");
    assert_eq!(json["problems"][0]["evidence"], "E002");
}

#[test]
fn a_missing_object_is_named() {
    let d = Dir::new();
    let sha = case_with_evidence(&d);
    std::fs::remove_file(
        d.data_dir()
            .join("vault/objects")
            .join(&sha[..2])
            .join(&sha[2..]),
    )
    .unwrap();
    let out = d.fails(1, &["fsck"]);
    assert!(
        out.contains("case 1, evidence E002: the stored file is missing"),
        "{out}"
    );
}

#[test]
fn a_plain_update_of_the_ledger_is_refused_by_the_trigger() {
    let d = Dir::new();
    d.sample_case();
    let db = d.sqlite();
    let err = db
        .execute(
            "UPDATE ledger SET payload = '{}' WHERE case_id = 1 AND seq = 2",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = db
        .execute("DELETE FROM ledger WHERE case_id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    // The sqlite3 shell, an outside tool, is refused the same way.
    let out = std::process::Command::new("sqlite3")
        .arg(d.data_dir().join("recourse.sqlite3"))
        .arg("UPDATE ledger SET kind = 'x' WHERE seq = 1;")
        .output();
    if let Ok(out) = out {
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("append-only"));
    }
    d.ok(&["fsck"]);
}

#[test]
fn a_ledger_row_edited_with_triggers_dropped_is_named_by_case_and_seq() {
    let d = Dir::new();
    d.sample_case();
    let db = d.sqlite();
    db.execute_batch(
        "DROP TRIGGER ledger_refuses_update;
         UPDATE ledger SET payload = replace(payload, '내일 문자', '오늘 환불')
             WHERE case_id = 1 AND seq = 2;",
    )
    .unwrap();
    let changed: i64 = db.changes() as i64;
    assert_eq!(changed, 1);
    let out = d.fails(1, &["fsck"]);
    assert!(
        out.contains("case 1: ledger entry 2 does not match its hash"),
        "{out}"
    );
    assert!(
        !out.contains("ledger entry 1 ") && !out.contains("ledger entry 3 "),
        "{out}"
    );
}

#[test]
fn a_record_inserted_behind_the_ledgers_back_is_caught() {
    let d = Dir::new();
    d.sample_case();
    d.sqlite()
        .execute(
            "INSERT INTO contacts (case_id, started_at, channel, direction, tier, summary, outcome, created_at)
             VALUES (1, '2026-11-19T00:00:00Z', 'phone', 'incoming', 'first-line', '끼워넣은 기록', 'resolved', '2026-11-19T00:00:00Z')",
            [],
        )
        .unwrap();
    let out = d.fails(1, &["fsck"]);
    assert!(
        out.contains("case 1: contact 2 is in the database but not in the ledger"),
        "{out}"
    );
}

#[test]
fn a_row_changed_behind_the_ledgers_back_is_named_by_record_and_field() {
    let d = Dir::new();
    d.sample_case();
    d.ok(&["contact", "edit", "1", "--ref", "A-1029"]);
    // The ledger is intact; only the contact row and the promise row were rewritten.
    d.sqlite()
        .execute_batch(
            "UPDATE contacts SET summary = '고객이 스스로 취소함' WHERE id = 1;
             UPDATE promises SET status = 'kept' WHERE id = 1;
             DELETE FROM evidence;",
        )
        .unwrap();
    let out = d.fails(1, &["fsck"]);
    assert!(
        out.contains("case 1: contact 1 field 'summary' differs from the ledger"),
        "{out}"
    );
    assert!(
        out.contains("case 1: promise 1 field 'status' differs from the ledger"),
        "{out}"
    );
    assert!(
        !out.contains("ledger entry"),
        "the chain itself is intact: {out}"
    );
    assert!(
        !out.contains("'reference'"),
        "the recorded edit matches: {out}"
    );
}
