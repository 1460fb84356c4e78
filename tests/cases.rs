//! Cases, contacts and promises through the command line.

use crate::util::Dir;

#[test]
fn korean_case_round_trips_through_json() {
    let d = Dir::new();
    let (case, contact, promise) = d.sample_case();
    assert_eq!(
        (case.as_str(), contact.as_str(), promise.as_str()),
        ("1", "1", "1")
    );

    let show = d.json(&["case", "show", "1", "--json"]);
    assert_eq!(show["case"]["title"], "공기청정기 환불 거부");
    assert_eq!(show["case"]["company"], "가나다몰");
    assert_eq!(show["case"]["amount"]["minor"], 189000);
    assert_eq!(show["case"]["amount"]["currency"], "KRW");
    assert_eq!(show["case"]["dates"]["delivered"], "2026-11-17");
    assert_eq!(show["case"]["created_at"], "2026-11-20T03:00:00Z");
    assert_eq!(show["contacts"][0]["agent_name"], "김상담");
    assert_eq!(show["contacts"][0]["started_at"], "2026-11-18T05:30:00Z");
    let p = &show["promises"][0];
    assert_eq!(
        p["promised_by"], "김상담",
        "the contact's agent is the promiser by default"
    );
    assert_eq!(p["answers"]["scope"]["said"], "판매자 발송 여부");
    assert_eq!(p["answers"]["scope"]["assessment"], "clear");
    assert_eq!(p["answers"]["authority"]["assessment"], "refused");
    assert_eq!(p["answers"]["method"]["assessment"], "not-asked");
    // Due 2026-11-19 18:00 KST, now is 2026-11-20 12:00 KST.
    assert_eq!(p["overdue"], true);
    assert_eq!(p["looks_like_stalling"], true);
    assert_eq!(show["ledger"]["length"], 3);
    assert_eq!(show["ledger"]["head"].as_str().unwrap().len(), 64);

    let list = d.json(&["case", "list", "--json"]);
    assert_eq!(list[0]["overdue_promises"], 1);
    assert_eq!(list[0]["contacts"], 1);

    let text = d.ok(&["case", "show", "1"]);
    assert!(text.contains("OVERDUE by 0d 18h"), "{text}");
    assert!(
        text.contains("2026-11-18 14:30 +09:00"),
        "local time with zone: {text}"
    );
    assert!(text.contains("₩189,000"), "{text}");
}

#[test]
fn ending_a_promise_clears_overdue_and_is_final() {
    let d = Dir::new();
    d.sample_case();
    d.ok(&["promise", "end", "1", "--broken", "--note", "문자 안 옴"]);
    let show = d.json(&["case", "show", "1", "--json"]);
    assert_eq!(show["promises"][0]["status"], "broken");
    assert_eq!(show["promises"][0]["end_note"], "문자 안 옴");
    assert_eq!(show["promises"][0]["overdue"], false);
    let err = d.fails(2, &["promise", "end", "1", "--kept"]);
    assert!(err.contains("already ended as broken"), "{err}");
    // One of --kept/--broken/--withdrawn is required.
    d.fails(2, &["promise", "end", "1"]);
}

#[test]
fn edits_are_marked_and_keep_the_old_text() {
    let d = Dir::new();
    d.sample_case();
    d.ok(&[
        "contact",
        "edit",
        "1",
        "--summary",
        "내일 오후 2시까지 문자 준다고 함",
        "--ref",
        "A-1029",
    ]);
    d.ok(&[
        "case",
        "edit",
        "1",
        "--status",
        "escalated",
        "--seller",
        "주식회사 예시상점",
    ]);
    let show = d.json(&["case", "show", "1", "--json"]);
    assert_eq!(show["contacts"][0]["edited_at"], "2026-11-20T03:00:00Z");
    assert_eq!(show["case"]["status"], "escalated");
    let edits = show["edits"].as_array().unwrap();
    let contact_edit = edits.iter().find(|e| e["record"] == "contact").unwrap();
    assert_eq!(
        contact_edit["changes"]["summary"]["from"],
        "판매자 확인 후 내일 문자 준다고 함"
    );
    assert_eq!(contact_edit["changes"]["reference"]["to"], "A-1029");
    let text = d.ok(&["case", "show", "1"]);
    assert!(
        text.contains("summary was \"판매자 확인 후 내일 문자 준다고 함\""),
        "{text}"
    );

    // The ledger holds the change too, in its own words.
    let ledger = d.json(&["case", "ledger", "1", "--json"]);
    let kinds: Vec<&str> = ledger
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "case.created",
            "contact.added",
            "promise.added",
            "contact.edited",
            "case.edited"
        ]
    );

    // An edit that changes nothing writes nothing.
    let before = ledger.as_array().unwrap().len();
    d.ok(&["case", "edit", "1", "--status", "escalated"]);
    assert_eq!(
        d.json(&["case", "ledger", "1", "--json"])
            .as_array()
            .unwrap()
            .len(),
        before
    );
}

#[test]
fn money_and_dates_are_read_strictly() {
    let d = Dir::new();
    let id = d.ok(&[
        "case",
        "new",
        "--title",
        "t",
        "--company",
        "c",
        "--amount",
        "12.50",
        "--currency",
        "usd",
    ]);
    let show = d.json(&["case", "show", id.trim(), "--json"]);
    assert_eq!(show["case"]["amount"]["minor"], 1250);
    assert_eq!(show["case"]["amount"]["currency"], "USD");

    let err = d.fails(
        2,
        &[
            "case",
            "new",
            "--title",
            "t",
            "--company",
            "c",
            "--amount",
            "39000.5",
        ],
    );
    assert!(err.contains("more decimals than KRW allows"), "{err}");
    let err = d.fails(
        2,
        &[
            "case",
            "new",
            "--title",
            "t",
            "--company",
            "c",
            "--delivered",
            "17/11/2026",
        ],
    );
    assert!(
        err.contains("--delivered") && err.contains("YYYY-MM-DD"),
        "{err}"
    );
    let err = d.fails(
        2,
        &[
            "case",
            "new",
            "--title",
            "t",
            "--company",
            "c",
            "--category",
            "late",
        ],
    );
    assert!(
        err.contains("delivery-delay"),
        "lists the accepted codes: {err}"
    );
    let err = d.fails(2, &["case", "new", "--title", " ", "--company", "c"]);
    assert!(err.contains("title"), "{err}");
    // Nothing of the refused commands was stored.
    assert_eq!(
        d.json(&["case", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn unknown_ids_and_cross_case_links_are_refused() {
    let d = Dir::new();
    d.sample_case();
    let err = d.fails(2, &["case", "show", "7"]);
    assert!(
        err.contains("there is no case 7") && err.contains("recourse case list"),
        "{err}"
    );
    let err = d.fails(
        2,
        &[
            "contact",
            "add",
            "7",
            "--channel",
            "phone",
            "--tier",
            "first-line",
            "--summary",
            "x",
        ],
    );
    assert!(err.contains("there is no case 7"), "{err}");
    d.ok(&[
        "case",
        "new",
        "--title",
        "둘째 사건",
        "--company",
        "다른회사",
    ]);
    let err = d.fails(
        2,
        &[
            "promise",
            "add",
            "2",
            "--contact",
            "1",
            "--what",
            "x",
            "--due",
            "2026-12-01",
        ],
    );
    assert!(err.contains("belongs to case 1, not case 2"), "{err}");
    let err = d.fails(
        2,
        &[
            "promise",
            "add",
            "1",
            "--contact",
            "1",
            "--what",
            "x",
            "--due",
            "2026-12-01",
            "--scope",
            "뭔가",
        ],
    );
    assert!(
        err.contains("--scope-is"),
        "an answer needs an assessment: {err}"
    );
    let err = d.fails(
        2,
        &[
            "contact",
            "add",
            "1",
            "--channel",
            "phone",
            "--tier",
            "first-line",
            "--summary",
            "x",
            "--at",
            "2026-11-20 10:00",
            "--ended",
            "2026-11-20 09:00",
        ],
    );
    assert!(
        err.contains("ends") && err.contains("before it starts"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let d = Dir::new();
    d.fails(2, &["case", "frobnicate"]);
    d.fails(
        2,
        &[
            "contact",
            "add",
            "1",
            "--channel",
            "pigeon",
            "--tier",
            "first-line",
            "--summary",
            "x",
        ],
    );
    let help = d.ok(&["--help"]);
    assert!(help.contains("fsck"), "{help}");
    let help = d.ok(&["promise", "add", "--help"]);
    assert!(help.contains("continuity"), "{help}");
    // --data-dir is accepted after the subcommand too.
    let other = d.path().join("other");
    d.ok(&[
        "case",
        "new",
        "--title",
        "t",
        "--company",
        "c",
        "--data-dir",
        other.to_str().unwrap(),
    ]);
    assert!(other.join("recourse.sqlite3").is_file());
}

#[cfg(unix)]
#[test]
fn the_data_dir_is_private_and_laid_out_as_designed() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    d.ok(&["case", "list"]);
    let root = d.data_dir();
    for sub in [
        "vault/objects",
        "vault/tmp",
        "recordings/partial",
        "packets",
    ] {
        assert!(root.join(sub).is_dir(), "{sub}");
    }
    let mode = std::fs::metadata(&root).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    // WAL and full sync, as an outside tool sees it.
    let db = d.sqlite();
    let mode: String = db
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn retracting_keeps_the_record_marked_and_in_the_ledger() {
    let d = Dir::new();
    d.sample_case();
    d.ok(&[
        "contact",
        "add",
        "1",
        "--channel",
        "chat",
        "--tier",
        "supervisor",
        "--summary",
        "잘못 입력한 기록",
    ]);
    let f = d.file("wrong.txt", "다른 사건 파일".as_bytes());
    d.ok(&["evidence", "add", "1", f.to_str().unwrap()]);
    assert_eq!(
        d.json(&["case", "show", "1", "--json"])["tier"],
        "supervisor"
    );

    let err = d.fails(2, &["contact", "retract", "2", "--reason", " "]);
    assert!(err.contains("--reason"), "{err}");
    d.ok(&[
        "contact",
        "retract",
        "2",
        "--reason",
        "다른 사건에 기록할 것을 잘못 넣음",
    ]);
    d.ok(&[
        "evidence",
        "retract",
        "1",
        "E001",
        "--reason",
        "다른 사건의 파일",
    ]);
    let err = d.fails(
        2,
        &["evidence", "retract", "1", "E001", "--reason", "again"],
    );
    assert!(err.contains("already retracted"), "{err}");
    let err = d.fails(2, &["evidence", "retract", "1", "E009", "--reason", "x"]);
    assert!(err.contains("no evidence item 9"), "{err}");

    let show = d.json(&["case", "show", "1", "--json"]);
    assert_eq!(
        show["contacts"].as_array().unwrap().len(),
        2,
        "still on record"
    );
    assert_eq!(
        show["contacts"][1]["retracted"]["reason"],
        "다른 사건에 기록할 것을 잘못 넣음"
    );
    assert_eq!(
        show["evidence"][0]["retracted"]["reason"],
        "다른 사건의 파일"
    );
    assert_eq!(
        show["tier"], "first-line",
        "a retracted contact does not count"
    );
    let text = d.ok(&["case", "show", "1"]);
    assert!(
        text.contains("RETRACTED 2026-11-20 12:00 +09:00: 다른 사건의 파일"),
        "{text}"
    );
    let ledger = d.json(&["case", "ledger", "1", "--json"]);
    let kinds: Vec<&str> = ledger
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        &kinds[kinds.len() - 2..],
        ["contact.retracted", "evidence.retracted"]
    );

    // A retracted contact takes no new links; the retracted file is not silently re-added.
    let err = d.fails(
        2,
        &[
            "promise",
            "add",
            "1",
            "--contact",
            "2",
            "--what",
            "x",
            "--due",
            "2026-12-01",
        ],
    );
    assert!(err.contains("contact 2 was retracted"), "{err}");
    let out = d.output(&["evidence", "add", "1", f.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("E001 of case 1, which was retracted"));
    d.ok(&["fsck"]);
}

/// An escape sequence or a bell typed (or pasted) into a contact, a promise or an end note is
/// refused with the field named, as in a case: printed later by `case show` or a letter it
/// would drive the terminal instead of showing. Nothing is stored.
#[test]
fn control_characters_in_contacts_and_promises_are_refused() {
    let d = Dir::new();
    d.sample_case();
    let before = d.ok(&["case", "show", "1", "--json"]);
    for args in [
        vec![
            "contact",
            "add",
            "1",
            "--channel",
            "phone",
            "--tier",
            "first-line",
            "--summary",
            "전화 \u{1b}[2J 끊김",
        ],
        vec![
            "contact",
            "add",
            "1",
            "--channel",
            "phone",
            "--tier",
            "first-line",
            "--summary",
            "x",
            "--agent",
            "김\u{7}",
        ],
        vec![
            "contact",
            "add",
            "1",
            "--channel",
            "chat",
            "--tier",
            "first-line",
            "--summary",
            "x",
            "--ref",
            "A\u{1b}]0;t\u{7}",
        ],
        vec!["contact", "edit", "1", "--summary", "\u{1b}[31m빨강"],
        vec![
            "promise",
            "add",
            "1",
            "--contact",
            "1",
            "--what",
            "문자\u{1b}[1A",
            "--due",
            "2026-11-25T18:00:00+09:00",
        ],
        vec!["promise", "end", "1", "--broken", "--note", "끝\u{8}"],
    ] {
        let err = d.fails(2, &args);
        assert!(err.contains("control character"), "{args:?}: {err}");
    }
    assert_eq!(d.ok(&["case", "show", "1", "--json"]), before);
    // A line break in free text is fine.
    d.ok(&["contact", "edit", "1", "--summary", "첫 줄\n둘째 줄"]);
}
