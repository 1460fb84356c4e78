//! The advisor through the command line: `advise`, `due`, `calendar export`, the setting.

use std::str::FromStr;

use icalendar::{Calendar, CalendarComponent, Component};

use crate::util::Dir;

fn codes(advice: &serde_json::Value) -> Vec<String> {
    advice["advice"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn advise_lists_codes_most_urgent_first_with_reasons_and_words() {
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let advice = d.json(&["advise", &case, "--json"]);
    assert_eq!(
        codes(&advice),
        [
            "promise-overdue",
            "promise-looks-like-stalling",
            "ask-five-questions",
            "legal-deadline",
            "gather-evidence",
            "gather-evidence",
            "gather-evidence",
        ]
    );
    let overdue = &advice["advice"][0];
    assert_eq!(overdue["severity"], "urgent");
    assert_eq!(overdue["action"]["do"], "mark-broken");
    let reason = overdue["reason"].as_str().unwrap();
    for fact in [
        "김상담",
        "내일까지 문자로 결과 안내",
        "11월 19일(목) 18:00",
        "18시간",
    ] {
        assert!(reason.contains(fact), "{fact} missing from: {reason}");
    }
    assert!(
        overdue["say_en"]
            .as_str()
            .unwrap()
            .contains("broken promise")
    );
    // The withdrawal window: delivered Tuesday 17 Nov, 7 days → Tuesday 24 Nov, 4 days left.
    let deadline = &advice["advice"][3];
    assert_eq!(deadline["facts"]["deadline"]["rule"], "withdrawal-7-days");
    assert_eq!(deadline["facts"]["deadline"]["due"], "2026-11-24");
    assert_eq!(deadline["facts"]["days_left"], 4);
    assert!(
        deadline["reason"]
            .as_str()
            .unwrap()
            .contains("법률 자문이 아닌")
    );

    // English, and an earlier moment: nothing overdue yet, the promise is due soon.
    let before = d.json(&[
        "advise",
        &case,
        "--json",
        "--lang",
        "en",
        "--now",
        "2026-11-19T09:00:00+09:00",
    ]);
    assert_eq!(codes(&before)[0], "promise-due-soon");
    assert!(
        before["advice"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Thu 19 Nov 18:00 (9 h left)"),
        "{}",
        before["advice"][0]["reason"]
    );

    // The people's form says the same.
    let text = d.ok(&["advise", &case]);
    assert!(text.contains("[promise-overdue]"), "{text}");
    assert!(text.contains("말하기:"), "{text}");
}

#[test]
fn ending_the_promise_and_resolving_the_case_quiet_the_advisor() {
    let d = Dir::new();
    let (case, _, promise) = d.sample_case();
    d.ok(&["promise", "end", &promise, "--broken"]);
    let advice = codes(&d.json(&["advise", &case, "--json"]));
    assert!(!advice.contains(&"promise-overdue".to_owned()));
    assert!(
        advice.contains(&"escalate-to-supervisor-or-complaints".to_owned()),
        "a broken first-line promise sends the user up a tier: {advice:?}"
    );
    d.ok(&["case", "edit", &case, "--status", "resolved"]);
    assert!(codes(&d.json(&["advise", &case, "--json"])).is_empty());
    assert!(d.ok(&["advise", &case]).contains("지금은 할 일이 없습니다"));
}

#[test]
fn the_escalation_setting_changes_the_advice() {
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let later = [
        "advise",
        &case,
        "--json",
        "--now",
        "2026-12-05T12:00:00+09:00",
    ];
    // Open since the call on 18 Nov: 17 days by 5 Dec.
    assert!(codes(&d.json(&later)).contains(&"escalate-external".to_owned()));
    let shown = d.ok(&["settings", "--escalate-after-days", "30"]);
    assert!(shown.contains("escalate-after-days 30"), "{shown}");
    assert!(!codes(&d.json(&later)).contains(&"escalate-external".to_owned()));
    let err = d.fails(2, &["settings", "--escalate-after-days", "0"]);
    assert!(err.contains("escalate-after-days"), "{err}");
    let err = d.fails(2, &["advise", &case, "--now", "tomorrow"]);
    assert!(err.contains("RFC 3339"), "{err}");
}

#[test]
fn due_lists_promises_and_deadlines_across_open_cases_only() {
    let d = Dir::new();
    d.sample_case();
    // A second case: a prepaid order that has not shipped, paid Tuesday 22 Sep 2026 (before
    // Chuseok), and a resolved third case that must not appear.
    d.ok(&[
        "case",
        "new",
        "--title",
        "가습기 미배송",
        "--company",
        "라마바몰",
        "--category",
        "delivery-delay",
        "--ordered",
        "2026-11-18",
        "--paid",
        "2026-11-18",
    ]);
    d.ok(&[
        "case",
        "new",
        "--title",
        "끝난 일",
        "--company",
        "사아자",
        "--delivered",
        "2026-11-19",
        "--status",
        "resolved",
    ]);
    let due = d.json(&["due", "--json"]);
    let items = due["items"].as_array().unwrap();
    let summary: Vec<(String, String, String)> = items
        .iter()
        .map(|i| {
            (
                i["case"].to_string(),
                i["kind"].as_str().unwrap().to_owned(),
                i["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("1".into(), "promise".into(), "overdue".into()),
            // Paid Wednesday 18 Nov: 19, 20, 23 Nov → due Monday 23 Nov.
            ("2".into(), "deadline".into(), "upcoming".into()),
            ("1".into(), "deadline".into(), "upcoming".into()),
        ]
    );
    assert_eq!(items[1]["deadline"]["due"], "2026-11-23");
    assert_eq!(items[2]["deadline"]["rule"], "withdrawal-7-days");
    let text = d.ok(&["due", "--lang", "en"]);
    assert!(text.contains("OVERDUE"), "{text}");
    assert!(!text.contains("끝난 일"), "{text}");
}

#[test]
fn the_calendar_file_parses_back_with_every_item_and_a_reminder() {
    let d = Dir::new();
    d.sample_case();
    let out = d.path().join("recourse.ics");
    let out_arg = out.to_str().unwrap();
    d.ok(&["calendar", "export", "--out", out_arg]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "lines end in CRLF");
    assert!(text.lines().all(|l| l.len() <= 76), "long lines are folded");

    let cal = Calendar::from_str(&text).expect("the file parses");
    let events: Vec<&icalendar::Event> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let due = d.json(&["due", "--json"]);
    assert_eq!(events.len(), due["items"].as_array().unwrap().len());
    assert_eq!(events.len(), 2);
    let promise = events
        .iter()
        .find(|e| e.get_uid().unwrap().starts_with("promise-"))
        .unwrap();
    assert!(
        promise
            .get_summary()
            .unwrap()
            .contains("내일까지 문자로 결과 안내")
    );
    // 18:00 in Seoul is 09:00 UTC.
    assert_eq!(
        promise.get_start(),
        Some(icalendar::DatePerhapsTime::DateTime(
            icalendar::CalendarDateTime::Utc(
                chrono::DateTime::parse_from_rfc3339("2026-11-19T09:00:00Z")
                    .unwrap()
                    .to_utc()
            )
        ))
    );
    let deadline = events
        .iter()
        .find(|e| e.get_uid().unwrap().starts_with("deadline-"))
        .unwrap();
    assert_eq!(
        deadline.get_start(),
        Some(icalendar::DatePerhapsTime::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        ))
    );
    for e in &events {
        assert_eq!(e.components().len(), 1, "one reminder per event");
        assert_eq!(e.components()[0].property_value("ACTION"), Some("DISPLAY"));
    }
    // Exporting again gives the same file: calendars update events rather than duplicate them.
    d.ok(&["calendar", "export", "--out", out_arg]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
}
