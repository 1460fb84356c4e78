//! The desktop app driven headless through AccessKit (egui_kittest): find widgets by role and
//! label, click and type, then check what the database holds and what the window shows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use recourse::gui::i18n::T;

#[path = "pulse.rs"]
mod pulse;

use recourse::gui::i18n::Lang;
use recourse::gui::{AppOptions, Command, RecourseApp};
use recourse::model::*;

/// A fixed "now" so overdue and due-soon do not depend on the day the tests run.
fn now() -> chrono::DateTime<chrono::Utc> {
    recourse::clock::parse_instant("2026-11-20T12:00:00+09:00").unwrap()
}

fn harness(dir: &std::path::Path, lang: Lang) -> Harness<'static, RecourseApp> {
    let options = AppOptions {
        data_dir: dir.to_owned(),
        lang: Some(lang),
        now: Some(now()),
        review: None,
        demo: false,
    };
    let mut h = Harness::builder()
        // Tall enough that no form needs scrolling: clicks land where the widgets are.
        .with_size(egui::vec2(1280.0, 1600.0))
        .with_max_steps(16)
        .build_eframe(move |cc| RecourseApp::new(cc, options).unwrap());
    h.run();
    h
}

/// Focuses a text field found by its label and types into it.
fn type_into(h: &mut Harness<'_, RecourseApp>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).focus();
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

fn click(h: &mut Harness<'_, RecourseApp>, label: &str) {
    h.get_by_label(label).click();
    // A click may start a background job whose spinner repaints until it ends.
    let _ = h.try_run();
}

/// Clicks a checkbox (its label is its name).
fn check(h: &mut Harness<'_, RecourseApp>, label: &str) {
    h.get_by_role_and_label(Role::CheckBox, label).click();
    h.run();
}

/// A second case with nothing but its title, company and category.
fn second_case() -> CaseFields {
    CaseFields {
        title: "가습기 미배송".into(),
        company: "라마바몰".into(),
        company_contact: None,
        company_address: None,
        platform: None,
        seller: None,
        order_number: None,
        product: None,
        amount: None,
        dates: OrderDates::default(),
        category: Category::DeliveryDelay,
        wants: None,
        status: CaseStatus::Open,
        problems: Vec::new(),
        payment_method: None,
        installments: None,
        claimant: Claimant::default(),
    }
}

fn new_case(h: &mut Harness<'_, RecourseApp>, title: &str) {
    click(h, "＋ New case");
    type_into(h, Role::TextInput, "Title", title);
    type_into(h, Role::TextInput, "Company", "하늘쇼핑");
    type_into(h, Role::TextInput, "Amount", "289,000");
    click(h, "Save");
}

#[test]
fn create_a_case_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    h.get_by_label("How to start");
    new_case(&mut h, "무선청소기 환불 거부");

    let store = &h.state().data_dir().store;
    let cases = store.list_cases(now()).unwrap();
    assert_eq!(cases.len(), 1);
    let case = store.case(cases[0].id).unwrap();
    assert_eq!(case.fields.title, "무선청소기 환불 거부");
    assert_eq!(case.fields.company, "하늘쇼핑");
    assert_eq!(case.fields.amount.unwrap().minor, 289_000);
    // The window shows the new case open, with its amount in won.
    h.get_by_label_contains("₩289,000");
    assert!(h.query_by_label("Save").is_none(), "the form closed");
}

#[test]
fn a_bad_amount_keeps_the_form_open_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    click(&mut h, "＋ New case");
    type_into(&mut h, Role::TextInput, "Title", "t");
    type_into(&mut h, Role::TextInput, "Company", "c");
    type_into(&mut h, Role::TextInput, "Amount", "12.5");
    click(&mut h, "Save");
    h.get_by_label_contains("more decimals than KRW allows");
    assert!(h.state().data_dir().store.case_ids().unwrap().is_empty());
}

#[test]
fn log_a_contact_then_its_promise_with_the_five_questions_then_break_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    new_case(&mut h, "배송 지연");

    click(&mut h, "＋ Log contact");
    type_into(&mut h, Role::TextInput, "Agent name", "이상담");
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Summary",
        "판매자 확인 후 내일 문자 준다고 함",
    );
    check(&mut h, "They promised a follow-up");
    check(&mut h, "I told them I am recording");
    click(&mut h, "Save");

    // The promise form opened for that contact, with the agent as the promiser.
    type_into(
        &mut h,
        Role::TextInput,
        "What was promised",
        "내일까지 발송 일정 문자",
    );
    type_into(
        &mut h,
        Role::TextInput,
        "Answer as said — Scope",
        "발송 여부",
    );
    // Assessment buttons come in question order, four per question.
    h.get_all_by_label("clear").next().unwrap().click(); // scope: clear
    h.run();
    type_into(
        &mut h,
        Role::TextInput,
        "Answer as said — Authority",
        "제가 결정할 수는 없어요",
    );
    h.get_all_by_label("refused").nth(3).unwrap().click(); // authority: refused
    h.run();
    h.get_by_label_contains("looks like a delay rather than a plan");
    // The form coaches live: two asked, and the next question in words to say.
    h.get_by_label("2 of the five questions asked");
    h.get_by_label_contains("Ask next: “Will you phone or email the seller?");
    click(&mut h, "Save");

    let store = &h.state().data_dir().store;
    let case = store.case_ids().unwrap()[0];
    let contacts = store.contacts(case).unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].fields.agent_name.as_deref(), Some("이상담"));
    assert_eq!(contacts[0].fields.outcome, Outcome::PromisedFollowUp);
    assert!(contacts[0].fields.recording_announced);
    let promises = store.promises(case).unwrap();
    assert_eq!(promises.len(), 1);
    let p = &promises[0];
    assert_eq!(p.fields.contact_id, contacts[0].id);
    assert_eq!(p.fields.promised_by.as_deref(), Some("이상담"));
    assert_eq!(p.fields.answers.scope.said, "발송 여부");
    assert_eq!(p.fields.answers.scope.assessment, Assessment::Clear);
    assert_eq!(p.fields.answers.authority.assessment, Assessment::Refused);
    assert_eq!(p.fields.answers.method.assessment, Assessment::NotAsked);

    // Mark it broken from the Promises tab.
    click(&mut h, "Promises");
    click(&mut h, "End the promise");
    type_into(&mut h, Role::TextInput, "Note", "문자 안 옴");
    click(&mut h, "Broken");
    let p = h.state().data_dir().store.promise(p.id).unwrap();
    assert_eq!(p.status, PromiseStatus::Broken);
    assert_eq!(p.end_note.as_deref(), Some("문자 안 옴"));
    h.get_by_label("broken");
}

#[test]
fn switching_to_korean_shows_korean_labels_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    new_case(&mut h, "환불 거부");
    click(&mut h, "Language");
    click(&mut h, "한국어");
    h.get_by_label("＋ 새 사건");
    h.get_by_label("타임라인");
    h.get_by_label("증거");
    h.get_by_role_and_label(Role::Label, "다음 할 일");
    assert_eq!(h.state().prefs.lang, Lang::Ko);
}

#[test]
fn evidence_dropped_or_chosen_is_imported_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    new_case(&mut h, "증거 테스트");
    let files = tempfile::tempdir().unwrap();
    let photo = files.path().join("파손사진.jpg");
    std::fs::write(
        &photo,
        recourse::evidence::fixtures::jpeg_with_exif("2026:11:17 19:05:30", Some("+09:00")),
    )
    .unwrap();
    let note = files.path().join("memo.txt");
    std::fs::write(&note, "상담 메모").unwrap();
    let case = h.state().data_dir().store.case_ids().unwrap()[0];

    // The same command the drop handler and the file dialog emit.
    h.state_mut().push(Command::ImportFiles {
        case,
        paths: vec![photo.clone(), note],
        source: EvidenceSource::DragDrop,
    });
    for _ in 0..200 {
        h.run();
        if h.state().data_dir().store.evidence(case).unwrap().len() == 2
            && h.query_by_label_contains("Added 2 file(s)").is_some()
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let evidence = h.state().data_dir().store.evidence(case).unwrap();
    assert_eq!(evidence.len(), 2);
    assert_eq!(evidence[0].fields.source, EvidenceSource::DragDrop);
    assert_eq!(evidence[0].fields.kind, EvidenceKind::Photo);
    h.get_by_label_contains("Added 2 file(s)");

    click(&mut h, "Evidence");
    click(&mut h, "E001");
    h.get_by_label(&evidence[0].fields.sha256.to_hex());
    click(&mut h, "Re-verify");
    for _ in 0..100 {
        h.run();
        if h.query_by_label_contains("matches its hash").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.get_by_label_contains("matches its hash");

    // The grid shows the same items, selectable the same way, and the choice is remembered.
    click(&mut h, "Close");
    assert!(
        h.query_by_label(&evidence[0].fields.sha256.to_hex())
            .is_none()
    );
    click(&mut h, "Grid");
    click(&mut h, "E002");
    h.get_by_label(&evidence[1].fields.sha256.to_hex());
    assert!(h.state().state.evidence_grid);
}

#[test]
fn record_a_call_with_a_bookmark_from_the_window() {
    let pulse = pulse::Pulse::start();
    // The app records in-process: point its sound client at the test's server. No other test
    // in this binary records.
    // SAFETY: set before the harness starts any audio thread; no other test reads it.
    unsafe { std::env::set_var("XDG_RUNTIME_DIR", pulse.runtime_dir()) };
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    new_case(&mut h, "녹음 테스트");
    click(&mut h, "＋ Log contact");
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Summary",
        "환불 문의 전화",
    );
    click(&mut h, "Save");
    click(&mut h, "Contacts");
    click(&mut h, "● Record");
    // Not announced yet: the app asks first.
    h.get_by_label_contains("Tell the agent first");
    click(&mut h, "I told them — record");
    let started = wait_for(&mut h, |h| h.query_by_label("■ Stop").is_some());
    assert!(started, "the recording bar did not appear");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    h.run();
    type_into(
        &mut h,
        Role::TextInput,
        "Bookmark note",
        "금요일까지 연락 준다고 함",
    );
    click(&mut h, "🔖 Bookmark (0)");
    assert!(wait_for(&mut h, |h| h
        .query_by_label("🔖 Bookmark (1)")
        .is_some()));
    std::thread::sleep(std::time::Duration::from_millis(800));
    click(&mut h, "■ Stop");
    assert!(wait_for(&mut h, |h| h
        .query_by_label_contains("Recording filed as E001")
        .is_some()));

    let case = h.state().data_dir().store.case_ids().unwrap()[0];
    let contact = h.state().data_dir().store.contacts(case).unwrap()[0].clone();
    assert!(
        contact.fields.recording_announced,
        "the announcement is on record"
    );
    let evidence = h.state().data_dir().store.evidence(case).unwrap();
    assert_eq!(evidence.len(), 1);
    let e = &evidence[0];
    assert_eq!(e.fields.kind, EvidenceKind::Recording);
    assert_eq!(e.fields.source, EvidenceSource::Recording);
    assert_eq!(e.fields.contact_id, Some(contact.id));
    let audio = e.fields.audio.as_ref().unwrap();
    assert!(audio.duration_ms.unwrap() >= 1_500, "{audio:?}");
    assert_eq!(audio.bookmarks.len(), 1);
    assert_eq!(
        audio.bookmarks[0].note.as_deref(),
        Some("금요일까지 연락 준다고 함")
    );
    assert!(audio.bookmarks[0].offset_ms >= 1_000, "{audio:?}");
    // The bar is gone and the item shows with its length and bookmark.
    assert!(h.query_by_label("■ Stop").is_none());
    click(&mut h, "Evidence");
    click(&mut h, "E001");
    h.get_by_label_contains("금요일까지 연락 준다고 함");
}

/// Runs frames until `done` holds (background work finishing), for up to 10 s.
fn wait_for(
    h: &mut Harness<'_, RecourseApp>,
    done: impl Fn(&Harness<'_, RecourseApp>) -> bool,
) -> bool {
    for _ in 0..500 {
        // A background job (building, verifying) keeps a spinner repainting until it is done.
        let _ = h.try_run();
        if done(h) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

#[test]
fn build_a_packet_in_the_packet_tab_then_review_it_and_a_damaged_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    new_case(&mut h, "묶음 테스트");
    let case = h.state().data_dir().store.case_ids().unwrap()[0];
    let photo = dir.path().join("파손.jpg");
    std::fs::write(
        &photo,
        recourse::evidence::fixtures::jpeg_with_exif("2026:11:17 19:05:30", Some("+09:00")),
    )
    .unwrap();
    h.state_mut().push(Command::ImportFiles {
        case,
        paths: vec![photo],
        source: EvidenceSource::FileImport,
    });
    assert!(wait_for(&mut h, |h| h
        .state()
        .data_dir()
        .store
        .evidence(case)
        .unwrap()
        .len()
        == 1));
    click(&mut h, "Packet");
    // When and who: the sender key (made on first use), the receipt code of the head, and no
    // timestamp until a TSA is chosen.
    h.get_by_label_contains("Sender key fingerprint (signs every packet): ");
    h.get_by_label_contains("Receipt code of the record now: RC-");
    h.get_by_label_contains("No timestamp yet");
    click(&mut h, "the Korea Consumer Agency (1372)");
    type_into(
        &mut h,
        Role::TextInput,
        "Reply deadline (e.g. 2026-12-31)",
        "2026-11-30",
    );
    click(&mut h, "Build packet");
    assert!(
        wait_for(&mut h, |h| h.state().last_packet.is_some()),
        "no packet"
    );
    let (path, sha, _) = h.state().last_packet.clone().unwrap();
    assert_eq!(
        recourse::vault::Sha256::of(&std::fs::read(&path).unwrap()),
        sha
    );
    let ledger = h.state().data_dir().store.ledger(case).unwrap();
    assert_eq!(ledger.last().unwrap().kind, "packet.built");

    click(&mut h, "Open for review");
    assert!(wait_for(&mut h, |h| h.state().review.is_some()));
    h.get_by_label_contains("files match · ledger of");
    assert!(
        h.query_all_by_label_contains("묶음 테스트").count() >= 2,
        "the case list and the review"
    );
    click(&mut h, "Close review");
    assert!(h.state().review.is_none());

    // A damaged copy: the banner turns to the list of what differs.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let e = zip.by_name("evidence/E001-photo-파손.jpg").unwrap();
        (e.data_start().unwrap() + e.compressed_size() / 2) as usize
    };
    bytes[at] ^= 0x40;
    let damaged = dir.path().join("damaged.zip");
    std::fs::write(&damaged, bytes).unwrap();
    h.state_mut().push(Command::ReviewPacket(damaged));
    assert!(wait_for(&mut h, |h| h.state().review.is_some()));
    h.get_by_label_contains("NOT INTACT: 1 of");
    h.get_by_label_contains("altered: E001 evidence/E001-photo-파손.jpg");
    click(&mut h, "Close review");

    // A volunteer imports the intact packet into another data directory.
    let other = tempfile::tempdir().unwrap();
    let mut v = harness(other.path(), Lang::En);
    v.state_mut().push(Command::ImportPacketFile(path.clone()));
    assert!(wait_for(&mut v, |v| v
        .state()
        .data_dir()
        .store
        .case_ids()
        .unwrap()
        .len()
        == 1));
    assert!(wait_for(&mut v, |v| v
        .query_by_label_contains("Imported “묶음 테스트”")
        .is_some()));
    let imported = v.state().data_dir().store.case_ids().unwrap()[0];
    assert_eq!(
        v.state().data_dir().store.evidence(imported).unwrap()[0]
            .fields
            .sha256,
        {
            h.state().data_dir().store.evidence(case).unwrap()[0]
                .fields
                .sha256
        }
    );
}

#[test]
fn the_advisor_acts_and_the_due_view_lists_every_case() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    new_case(&mut h, "반품 환불 지연");
    h.get_by_label("Capture the order page");

    // Dates make legal deadlines: delivered Tuesday 17 Nov → withdrawal until Tuesday 24 Nov.
    click(&mut h, "✏ Edit…");
    type_into(&mut h, Role::TextInput, "Paid", "11/17");
    click(&mut h, "Save");
    h.get_by_label_contains("'11/17' is not a date");
    h.get_by_role_and_label(Role::TextInput, "Paid").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    type_into(&mut h, Role::TextInput, "Delivered", "2026-11-17");
    click(&mut h, "Save");
    let case = h.state().data_dir().store.case_ids().unwrap()[0];
    let fields = h.state().data_dir().store.case(case).unwrap().fields;
    assert_eq!(fields.dates.delivered.unwrap().to_string(), "2026-11-17");
    assert_eq!(fields.dates.paid, None);
    h.get_by_label_contains("until Tue 24 Nov (4 days left)");

    // Two unresolved first-line calls: the advisor says to escalate, and its button opens the
    // contact form at the supervisor tier.
    for (i, at) in ["2026-11-18T10:00:00+09:00", "2026-11-19T10:00:00+09:00"]
        .iter()
        .enumerate()
    {
        let mut fields = ContactFields {
            started_at: recourse::clock::parse_instant(at).unwrap(),
            ended_at: None,
            channel: Channel::Chat,
            direction: Direction::Outgoing,
            tier: Tier::FirstLine,
            agent_name: Some(format!("상담원{i}")),
            agent_id: None,
            reference: Some(format!("R-{i}")),
            summary: "확인 후 연락 준다고만 함".into(),
            claimed: None,
            offered: None,
            outcome: Outcome::Unresolved,
            recording_announced: false,
        };
        fields.summary.push_str(&i.to_string());
        h.state_mut().push(Command::AddContact {
            case,
            fields: Box::new(fields),
            then_promise: false,
        });
        h.run();
    }
    h.get_by_label("Ask for a supervisor or the complaints department — bring the evidence");
    h.get_by_label_contains("the chat on Wed 18 Nov (상담원0, ref. R-0)");
    click(&mut h, "Log the escalation call");
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Summary",
        "팀장 연결 요청",
    );
    click(&mut h, "Save");
    let contacts = h.state().data_dir().store.contacts(case).unwrap();
    assert_eq!(contacts.last().unwrap().fields.tier, Tier::Supervisor);
    assert!(
        h.query_by_label("Ask for a supervisor or the complaints department — bring the evidence")
            .is_none(),
        "a supervisor was reached"
    );

    // A second case with an overdue promise; the Due view lists both cases' items.
    h.state_mut()
        .push(Command::CreateCase(Box::new(second_case())));
    h.run();
    let second = h.state().data_dir().store.case_ids().unwrap()[1];
    let mut contact = {
        let c = &h.state().data_dir().store.contacts(case).unwrap()[0];
        c.fields.clone()
    };
    contact.outcome = Outcome::PromisedFollowUp;
    h.state_mut().push(Command::AddContact {
        case: second,
        fields: Box::new(contact),
        then_promise: false,
    });
    h.run();
    let contact_id = h.state().data_dir().store.contacts(second).unwrap()[0].id;
    h.state_mut().push(Command::AddPromise {
        case: second,
        fields: Box::new(PromiseFields {
            contact_id,
            promised_by: Some("박상담".into()),
            what: "내일 발송 확인 문자".into(),
            due_at: recourse::clock::parse_instant("2026-11-19T18:00:00+09:00").unwrap(),
            answers: FiveAnswers::default(),
        }),
    });
    h.run();
    h.get_by_label_contains("Due (1)").click();
    h.run();
    h.get_by_label("Promise: 내일 발송 확인 문자 (박상담)");
    h.get_by_label("Legal deadline: withdrawal (return for any reason)");
    // The promise fell due: a reminder is due once, and remembered.
    h.state_mut().remind(now());
    let notified = h.state().prefs.notified.clone();
    assert_eq!(notified.len(), 1, "{notified:?}");
    assert!(notified.iter().next().unwrap().ends_with("@due"));
    h.state_mut().remind(now());
    assert_eq!(h.state().prefs.notified, notified, "once only");
    // A row opens its case.
    h.get_by_role_and_label(Role::Link, "반품 환불 지연")
        .click();
    h.run();
    assert_eq!(h.state().prefs.selected_case, Some(case.0));

    // The last contact says resolved: the advisor offers to close the case.
    let mut done = h.state().data_dir().store.contacts(case).unwrap()[0]
        .fields
        .clone();
    done.started_at = now();
    done.outcome = Outcome::Resolved;
    h.state_mut().push(Command::AddContact {
        case,
        fields: Box::new(done),
        then_promise: false,
    });
    h.run();
    click(&mut h, "Close as resolved");
    let status = h.state().data_dir().store.case(case).unwrap().fields.status;
    assert_eq!(status, CaseStatus::Resolved);
    h.get_by_label("Nothing urgent right now.");
}

/// The three most urgent pieces of advice are open in full; the ones after show their step and
/// open when it is clicked, with their words and button.
#[test]
fn advice_after_the_third_opens_when_clicked() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let mut h = harness(dir.path(), Lang::En);
    let lines = h.state().advice_shown();
    assert!(lines.len() > 3, "the demo case has more than three steps");
    for (step, reason, code, _) in &lines[..3] {
        h.get_by_label(reason);
        // The stable code is in the step's tooltip, not on the panel.
        assert!(h.query_by_label(code).is_none(), "{step}: {code} shown");
    }
    // Folded, the fourth shows its step and the start of its reason on one line (which
    // promise it is about), but not its body (the words to say, the buttons).
    let (step, reason, _, say) = &lines[3];
    let say = say.as_deref().expect("the fourth has words to say");
    h.get_by_label(reason);
    let says = |h: &egui_kittest::Harness<'_, RecourseApp>| h.query_all_by_label(say).count();
    let folded = says(&h);
    // The arrow (named by the step, for a screen reader) opens it, the step's words fold it.
    h.get_by_role_and_label(Role::DisclosureTriangle, step)
        .click();
    h.run();
    h.get_by_label(reason);
    assert_eq!(says(&h), folded + 1, "opened: its body shows");
    h.get_by_role_and_label(Role::Label, step).click();
    h.run();
    assert_eq!(says(&h), folded, "and folds again");
}

/// The Letters tab writes each letter from the case: the text shown is the one `letters`
/// renders, Copy all puts it on the clipboard, and a letter the case cannot have says why.
#[test]
fn the_letters_tab_shows_copies_and_explains_each_letter() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let mut h = harness(dir.path(), Lang::En);
    click(&mut h, "Letters");
    let shown = |h: &Harness<'_, RecourseApp>| {
        h.query_all_by_role(Role::MultilineTextInput)
            .map(|n| n.accesskit_node().value().unwrap_or_default().to_owned())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
    };
    let case = h.state().data_dir().store.case_ids().unwrap()[0];
    let detail = h.state().data_dir().store.case_detail(case, now()).unwrap();
    let want = |kind| {
        recourse::letters::render(&detail, kind, now(), Lang::En)
            .unwrap()
            .text
    };
    let complaints = want(recourse::letters::Kind::Complaints);
    assert!(complaints.contains("하늘쇼핑 (가상)"), "{complaints}");
    assert_eq!(shown(&h), vec![complaints.clone()]);

    h.get_by_label("Copy all").click();
    // The click is seen in one frame and its command run in the next: look at each frame's
    // output for what went to the clipboard.
    let mut copied: Vec<String> = Vec::new();
    for _ in 0..4 {
        h.step();
        copied.extend(
            h.output()
                .platform_output
                .commands
                .iter()
                .filter_map(|c| match c {
                    egui::OutputCommand::CopyText(t) => Some(t.clone()),
                    _ => None,
                }),
        );
    }
    assert_eq!(copied, vec![complaints]);
    h.run();

    // The demo paid 289,000 won by credit card in 3 installments and the goods came damaged:
    // the card-company notice is there, citing the Installment Transactions Act.
    h.get_by_role_and_label(Role::ComboBox, "Which letter")
        .click();
    h.run();
    h.get_by_label("Card-installment defence notice to the card company")
        .click();
    h.run();
    let card = want(recourse::letters::Kind::CardIssuer);
    assert!(card.contains("Installment Transactions Act"), "{card}");
    assert_eq!(shown(&h), vec![card]);

    // The goods went back on 12 Nov: no withdrawal is open, and the tab says why instead of
    // writing a notice the law no longer backs.
    h.get_by_role_and_label(Role::ComboBox, "Which letter")
        .click();
    h.run();
    h.get_by_label("Written withdrawal to the seller").click();
    h.run();
    let why = recourse::letters::unavailable(
        &detail,
        recourse::letters::Kind::Withdrawal,
        now(),
        Lang::En,
    )
    .unwrap();
    h.get_by_label(&why);
    assert!(shown(&h).is_empty());
    assert!(h.query_by_label("Copy all").is_none());
    h.get_by_role_and_label(Role::ComboBox, "Which letter")
        .click();
    h.run();
    h.get_by_label("Card-installment defence notice to the card company")
        .click();
    h.run();

    // In Korean, the same letter in Korean.
    h.get_by_label("한국어").click();
    h.run();
    let ko = recourse::letters::render(
        &detail,
        recourse::letters::Kind::CardIssuer,
        now(),
        Lang::Ko,
    )
    .unwrap()
    .text;
    assert!(ko.contains("할부거래"), "{ko}");
    assert_eq!(shown(&h), vec![ko]);
}

/// Shows each tab of the open case in turn and hands it to `look`, named `prefix` + the tab.
fn walk_tabs(
    h: &mut Harness<'_, RecourseApp>,
    lang: Lang,
    prefix: &str,
    look: &mut impl FnMut(&Harness<'_, RecourseApp>, &str),
) {
    for tab in [
        T::TabTimeline,
        T::TabContacts,
        T::TabPromises,
        T::TabEvidence,
        T::TabPacket,
        T::TabLetters,
    ] {
        h.get_by_label(tab.get(lang)).click();
        let _ = h.try_run();
        look(h, &format!("{prefix}{tab:?}"));
    }
}

/// Opens the contact form, hands it to `look`, and closes it again with Esc.
fn visit_contact_form(
    h: &mut Harness<'_, RecourseApp>,
    lang: Lang,
    look: &mut impl FnMut(&Harness<'_, RecourseApp>, &str),
) {
    h.get_by_label(&format!("＋ {}", T::LogContact.get(lang)))
        .click();
    let _ = h.try_run();
    look(h, "contact form");
    h.key_press(egui::Key::Escape);
    let _ = h.try_run();
}

/// Every interactive widget drawn in the last frame that the part of the window it is drawn
/// in cuts off at a side (hidden under a panel, past the window's edge): its rect against the
/// rect it can be clicked in. A widget scrolled out of view vertically is not cut off.
fn cut_off(h: &Harness<'_, RecourseApp>, width: f32) -> Vec<String> {
    h.ctx
        .viewport(|vp| {
            let pass = if vp.this_pass.widgets.layers().next().is_some() {
                &vp.this_pass
            } else {
                &vp.prev_pass
            };
            let interactive: Vec<_> = pass
                .widgets
                .layers()
                .flat_map(|(_, ws)| ws.iter())
                .filter(|w| w.visible && w.enabled && w.sense.interactive())
                .collect();
            assert!(interactive.len() > 20, "the pass holds the widgets");
            interactive
                .into_iter()
                .filter(|w| {
                    let shown = w.interact_rect.max.x - w.interact_rect.min.x;
                    shown < w.rect.width() - 0.5
                        || w.rect.min.x < -0.5
                        || w.rect.max.x > width + 0.5
                })
                .map(|w| (w.rect, w.interact_rect))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .map(|(rect, clickable)| {
            format!(
                "{:?} at {rect:?} (clickable {clickable:?})",
                name_of(h, rect)
            )
        })
        .collect()
}

/// The accessible name or value of the widget at `rect`, to say which one a failure is about.
fn name_of(h: &Harness<'_, RecourseApp>, rect: egui::Rect) -> String {
    let near = move |a: f64, b: f32| (a - f64::from(b)).abs() < 0.5;
    h.query_all(egui_kittest::kittest::By::new().predicate(move |n| {
        n.data().bounds().is_some_and(|b| {
            near(b.x0, rect.min.x)
                && near(b.y0, rect.min.y)
                && near(b.x1, rect.max.x)
                && near(b.y1, rect.max.y)
        })
    }))
    .next()
    .map(|n| {
        let n = n.accesskit_node();
        n.label()
            .or_else(|| n.value())
            .unwrap_or_default()
            .to_owned()
    })
    .unwrap_or_else(|| "(unnamed)".to_owned())
}

/// At 1366×768 and 1024×700, in Korean and English, on the demo case and on a case with long
/// Korean names: no control of any tab, of the advisor or of the forms is cut off.
#[test]
fn every_control_fits_at_laptop_sizes() {
    for (width, height) in [(1366.0, 768.0), (1024.0, 700.0)] {
        for lang in [Lang::Ko, Lang::En] {
            let dir = tempfile::tempdir().unwrap();
            {
                let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
                recourse::gui::demo::populate(&mut dd, now()).unwrap();
                let mut f = dd.store.case(CaseId(1)).unwrap().fields;
                f.title = "무선청소기 배송 지연 후 환불 거부 및 판매자 연락 두절, 고객센터 세 번째 상담 후에도 답변 없음".into();
                f.company = "주식회사 하늘쇼핑글로벌커머스코리아 고객만족센터 (가상)".into();
                dd.store.create_case(&f, now()).unwrap();
            }
            let options = AppOptions {
                data_dir: dir.path().to_owned(),
                lang: Some(lang),
                now: Some(now()),
                review: None,
                demo: false,
            };
            let mut h = Harness::builder()
                .with_size(egui::vec2(width, height))
                .with_max_steps(16)
                .build_eframe(move |cc| RecourseApp::new(cc, options).unwrap());
            h.run();
            let mut failures = Vec::new();
            let mut look = |h: &Harness<'_, RecourseApp>, what: &str| {
                for w in cut_off(h, width) {
                    failures.push(format!("{width}×{height} {lang:?} {what}: {w}"));
                }
            };
            for case in [1, 2] {
                h.state_mut().push(Command::SelectCase(CaseId(case)));
                h.run();
                walk_tabs(&mut h, lang, &format!("case {case} "), &mut look);
            }
            visit_contact_form(&mut h, lang, &mut look);
            h.get_by_label(&format!("＋ {}", T::NewCase.get(lang)))
                .click();
            let _ = h.try_run();
            look(&h, "case form");
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }
    }
}

/// A form keeps typed work: it opens with its first field focused (typing goes there), Esc on
/// an open drop-down closes only the drop-down, Esc on a typed form asks before discarding
/// (Esc again goes back to it), Discard closes it, and Ctrl+Enter saves.
#[test]
fn a_form_never_loses_typed_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    click(&mut h, "＋ New case");
    // The title has the focus: typed keys land there.
    h.get_by_role_and_label(Role::TextInput, "Title")
        .type_text("반품 거부");
    h.run();
    let title = |h: &Harness<'_, RecourseApp>| {
        h.get_by_role_and_label(Role::TextInput, "Title")
            .accesskit_node()
            .value()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(title(&h), "반품 거부");
    // Shortcuts do not replace a form being filled in, nor open another over it.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    assert_eq!(title(&h), "반품 거부");
    // A drop-down open in the form: Esc closes it, not the form.
    h.get_by_role_and_label(Role::ComboBox, "Category").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Title");
    // Esc on the typed form asks; Esc again goes back to it, typed text kept.
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("Discard what you typed? It has not been saved.");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_label("Discard what you typed? It has not been saved.")
            .is_none()
    );
    assert_eq!(title(&h), "반품 거부");
    // With the company typed, Ctrl+Enter saves.
    type_into(&mut h, Role::TextInput, "Company", "하늘쇼핑");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.run();
    let cases = h.state().data_dir().store.case_ids().unwrap();
    assert_eq!(cases.len(), 1, "saved by Ctrl+Enter");
    // A fresh form, typed into, then Discard: nothing saved, form gone.
    click(&mut h, "＋ New case");
    h.get_by_role_and_label(Role::TextInput, "Title")
        .type_text("x");
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    click(&mut h, "Discard");
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Title")
            .is_none()
    );
    assert_eq!(h.state().data_dir().store.case_ids().unwrap().len(), 1);
    // An untouched form closes on Esc at once.
    click(&mut h, "＋ New case");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Title")
            .is_none()
    );
}

/// Every time on screen and in every sentence is in the data directory's zone: with Seoul,
/// the timeline says +09:00 and no reason or words to say name another zone; with UTC, the
/// timeline says +00:00 and the sentences that give a time of day say "(UTC+00:00)" — never
/// a screen in one zone and the copied words in another. A promise sits at its contact's time.
#[test]
fn times_are_in_one_zone_on_screen_and_in_the_words() {
    for (zone, offset) in [
        (chrono_tz::Asia::Seoul, "+09:00"),
        (chrono_tz::UTC, "+00:00"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
            recourse::gui::demo::populate(&mut dd, now()).unwrap();
            dd.store.set_zone(zone).unwrap();
        }
        let h = harness(dir.path(), Lang::Ko);
        let rows: Vec<String> = h
            .query_all_by_role(Role::Label)
            .filter_map(|n| n.accesskit_node().value())
            .filter(|v| v.starts_with("2026-"))
            .collect();
        assert!(!rows.is_empty());
        for r in &rows {
            assert!(r.contains(offset), "{zone}: {r}");
        }
        let lines = h.state().advice_shown();
        let sentences: Vec<&str> = lines
            .iter()
            .flat_map(|(_, reason, _, say)| [Some(reason.as_str()), say.as_deref()])
            .flatten()
            .collect();
        let labelled = sentences.iter().filter(|s| s.contains("(UTC")).count();
        if zone == chrono_tz::Asia::Seoul {
            assert_eq!(labelled, 0, "{sentences:#?}");
        } else {
            assert!(labelled > 0, "{sentences:#?}");
            for s in &sentences {
                assert!(!s.contains("(UTC+09:00)"), "{s}");
            }
        }
        // The contact form shows and reads its times in the same zone: its start is now,
        // 2026-11-20 12:00 in Seoul, 03:00 in UTC, and saved it is that moment.
        let mut h = h;
        h.get_by_label("＋ 연락 기록").click();
        h.run();
        let started = h
            .get_by_role_and_label(Role::TextInput, "시작")
            .accesskit_node()
            .value()
            .unwrap_or_default();
        let want = if zone == chrono_tz::UTC {
            "2026-11-20 03:00"
        } else {
            "2026-11-20 12:00"
        };
        assert_eq!(started, want, "{zone}");
        type_into(&mut h, Role::MultilineTextInput, "요약", "시각 확인");
        h.get_by_label("저장").click();
        h.run();
        let case = h.state().prefs.selected_case.map(CaseId).unwrap();
        let saved = h.state().data_dir().store.contacts(case).unwrap();
        assert!(
            saved.iter().any(|c| c.fields.started_at == now()),
            "{zone}: {:?}",
            saved
                .iter()
                .map(|c| c.fields.started_at)
                .collect::<Vec<_>>()
        );
        // The demo's first promise was made in the call of 9 Nov, 14:00 in Seoul.
        let made = rows
            .iter()
            .find(|r| {
                r.contains("판매자 확인 후 내일까지 발송 일정 문자 안내") && r.contains("약속:")
            })
            .unwrap_or_else(|| panic!("{rows:#?}"));
        let call = rows
            .iter()
            .find(|r| r.contains("주문 후 열흘째 미발송"))
            .unwrap();
        assert_eq!(made[..22], call[..22], "{made} / {call}");
    }
}

/// Words of the Korean UI that may stay in Latin letters: names, codes and units.
const LATIN_OK: &[&str] = &[
    "recourse",
    "SHA",
    "TSA",
    "RFC",
    "ZIP",
    "PDF",
    "HTML",
    "URL",
    "https",
    "http",
    "freetsa",
    "org",
    "tsr",
    "Ctrl",
    "Esc",
    "Enter",
    "KST",
    "UTC",
    "English",
    "ZX",
    "txt",
    "png",
    "jpg",
    "json",
    "jsonl",
    "zip",
    "pdf",
    // The packet's own file names (manifest.json, report.pdf, ledger.jsonl).
    "manifest",
    "report",
    "ledger",
    "ics",
    "verify",
    "html",
    "wav",
    "Ed25519",
    "IANA",
    "Asia",
    "Seoul",
    "SMS",
    "ID",
    "OK",
    "KRW",
    "KiB",
    "MiB",
    "GiB",
    "Etc",
    "sha256sum",
    // Names: SSG닷컴 (a platform), EUC-KR (the encoding a text was read in).
    "SSG",
    "EUC",
];

/// The Latin-letter words (three letters or more, outside [`LATIN_OK`]) of every text the
/// window shows now.
fn latin_words(h: &Harness<'_, RecourseApp>) -> Vec<String> {
    let mut out = Vec::new();
    for n in h.query_all(egui_kittest::kittest::By::new().predicate(|_| true)) {
        let n = n.accesskit_node();
        for text in [n.label(), n.value()].into_iter().flatten() {
            // Hyphenated runs with a digit are codes (hashes, fingerprints, RC-…, A-77120).
            // So are media types (image/png).
            let words = text
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '/')
                .filter(|run| !run.chars().any(|c| c.is_ascii_digit() || c == '/'))
                .flat_map(|run| run.split('-'));
            for word in words {
                let letters = word.chars().filter(char::is_ascii_alphabetic).count();
                if letters >= 3 && !LATIN_OK.contains(&word) {
                    out.push(format!("{word:?} in {text:?}"));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every screen of the Korean UI — each tab of the demo case, the Due view, the forms, the
/// advice — shows no English word outside the names, codes and units a Korean reader expects.
#[test]
fn the_korean_ui_has_no_english_left() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
        // An edit, for the timeline's edit row ("contact #1 edited: agent_name" once).
        let c = dd.store.contacts(CaseId(1)).unwrap()[0].clone();
        let mut f = c.fields.clone();
        f.agent_name = Some("김상담".into());
        f.reference = Some("B-1".into());
        dd.store.edit_contact(c.id, &c.fields, &f, now()).unwrap();
    }
    let mut h = harness(dir.path(), Lang::Ko);
    let lang = Lang::Ko;
    let mut found = Vec::new();
    let mut look = |h: &Harness<'_, RecourseApp>, what: &str| {
        for w in latin_words(h) {
            found.push(format!("{what}: {w}"));
        }
    };
    walk_tabs(&mut h, lang, "", &mut look);
    visit_contact_form(&mut h, lang, &mut look);
    // An evidence item's details.
    h.get_by_label(T::TabEvidence.get(lang)).click();
    let _ = h.try_run();
    h.get_by_label("E001").click();
    let _ = h.try_run();
    look(&h, "evidence details");
    // The promise form and the end-promise form.
    h.get_by_label(T::TabPromises.get(lang)).click();
    let _ = h.try_run();
    h.get_all_by_label(T::Edit.get(lang))
        .next()
        .unwrap()
        .click();
    let _ = h.try_run();
    look(&h, "promise form");
    h.key_press(egui::Key::Escape);
    let _ = h.try_run();
    h.get_all_by_label(T::EndPromise.get(lang))
        .next()
        .unwrap()
        .click();
    let _ = h.try_run();
    look(&h, "end-promise form");
    h.key_press(egui::Key::Escape);
    let _ = h.try_run();
    // The Due view.
    h.get_by_label_contains(T::DueButton.get(lang).split(' ').next().unwrap())
        .click();
    let _ = h.try_run();
    look(&h, "due view");
    // The case form, and what it says of a bad amount.
    h.get_by_label(&format!("＋ {}", T::NewCase.get(lang)))
        .click();
    let _ = h.try_run();
    look(&h, "case form");
    type_into(&mut h, Role::TextInput, T::Title.get(lang), "제목");
    type_into(&mut h, Role::TextInput, T::Company.get(lang), "회사");
    type_into(&mut h, Role::TextInput, T::Amount.get(lang), "만 원");
    h.get_by_label(T::Save.get(lang)).click();
    let _ = h.try_run();
    look(&h, "case form, bad amount");
    found.sort();
    found.dedup();
    assert!(
        found.is_empty(),
        "{} English words:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// What goes wrong in the background — a damaged copy under review, a file that is no packet,
/// a packet whose case is already here, an evidence file damaged in the vault before a build —
/// is said in Korean in the Korean UI, and never as a command to run.
#[test]
fn failures_in_the_background_are_said_in_korean() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    click(&mut h, T::TabPacket.get(lang));
    click(&mut h, T::PacketBuild.get(lang));
    assert!(
        wait_for(&mut h, |h| h.state().last_packet.is_some()),
        "no packet"
    );
    let (path, _, _) = h.state().last_packet.clone().unwrap();
    let mut found = Vec::new();
    let mut look = |h: &Harness<'_, RecourseApp>, what: &str| {
        for w in latin_words(h) {
            found.push(format!("{what}: {w}"));
        }
        for n in h.query_all(egui_kittest::kittest::By::new().predicate(|_| true)) {
            let label = n.accesskit_node().label().unwrap_or_default();
            if label.contains('`') || label.contains(" --") {
                found.push(format!("{what}: a command in {label:?}"));
            }
        }
    };

    // A copy with one evidence file altered.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let name = zip
            .file_names()
            .find_map(|n| {
                n.ok()
                    .filter(|n| n.starts_with("evidence/E001"))
                    .map(|n| n.into_owned())
            })
            .unwrap();
        let e = zip.by_name(&name).unwrap();
        (e.data_start().unwrap() + e.compressed_size() / 2) as usize
    };
    bytes[at] ^= 0x40;
    let damaged = dir.path().join("damaged.zip");
    std::fs::write(&damaged, bytes).unwrap();
    h.state_mut().push(Command::ReviewPacket(damaged));
    assert!(wait_for(&mut h, |h| h.state().review.is_some()));
    look(&h, "review of a damaged copy");
    click(&mut h, T::CloseReview.get(lang));

    // A file that is no packet at all.
    let not_zip = dir.path().join("메모.zip");
    std::fs::write(&not_zip, "그냥 글").unwrap();
    let before = h.state().notice.as_ref().map(|n| n.text.clone());
    h.state_mut().push(Command::ReviewPacket(not_zip));
    assert!(wait_for(&mut h, |h| h
        .state()
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        != before));
    look(&h, "review of a non-ZIP");
    assert!(h.state().notice.as_ref().unwrap().is_error);

    // The packet's own case, imported again.
    let before = h.state().notice.as_ref().map(|n| n.text.clone());
    h.state_mut().push(Command::ImportPacketFile(path.clone()));
    assert!(wait_for(&mut h, |h| h
        .state()
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        != before));
    h.get_by_label_contains("이미 사건 1(으)로 있습니다");
    look(&h, "import of a case already here");

    // An evidence file damaged in the vault: no packet, and a way out in the app.
    let sha = h.state().data_dir().store.evidence(CaseId(1)).unwrap()[0]
        .fields
        .sha256;
    let object = h.state().data_dir().vault.object_path(&sha);
    let mut perms = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).unwrap();
    let original = std::fs::read(&object).unwrap();
    let mut bytes = original.clone();
    bytes[0] ^= 1;
    std::fs::write(&object, bytes).unwrap();
    h.state_mut().last_packet = None;
    click(&mut h, T::PacketBuild.get(lang));
    assert!(wait_for(&mut h, |h| h
        .state()
        .state
        .packet_form
        .error
        .is_some()));
    h.get_by_label_contains("증거 E001의 저장된 파일이 기록된 SHA-256과 더 이상 맞지 않습니다");
    look(&h, "build with a damaged vault file");
    assert!(h.state().last_packet.is_none());
    // What it advises works: the original added again mends the stored copy, without a new
    // item, and the packet builds.
    let items = h
        .state()
        .data_dir()
        .store
        .evidence(CaseId(1))
        .unwrap()
        .len();
    let copy = dir.path().join("원본.png");
    std::fs::write(&copy, &original).unwrap();
    h.state_mut().push(Command::ImportFiles {
        case: CaseId(1),
        paths: vec![copy],
        source: EvidenceSource::FileImport,
    });
    assert!(wait_for(&mut h, |h| std::fs::read(&object).unwrap()
        == original
        && h.state().notice.as_ref().is_some_and(|n| !n.is_error)));
    // The Evidence tab shows the item mended.
    assert_eq!(h.state().state.selected_evidence, Some(1));
    click(&mut h, T::TabPacket.get(lang));
    click(&mut h, T::PacketBuild.get(lang));
    assert!(
        wait_for(&mut h, |h| h.state().last_packet.is_some()),
        "{:?}",
        h.state().state.packet_form.error
    );
    assert_eq!(
        h.state()
            .data_dir()
            .store
            .evidence(CaseId(1))
            .unwrap()
            .len(),
        items
    );

    found.sort();
    found.dedup();
    assert!(
        found.is_empty(),
        "{} English words:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// An evidence item added by mistake is retracted from its details with a reason: the ledger
/// records it, the item and its file stay (struck through, with the reason), and the next
/// packet carries it as retracted. No reason, no retraction.
#[test]
fn retracting_evidence_from_its_details_keeps_it_marked_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    let before = h.state().data_dir().store.ledger(CaseId(1)).unwrap().len();
    click(&mut h, T::TabEvidence.get(lang));
    click(&mut h, "E002");
    click(&mut h, T::RetractEvidence.get(lang));
    // The reason field has focus: typing goes straight in.
    assert!(
        h.get_by_role_and_label(Role::TextInput, T::RetractReason.get(lang))
            .accesskit_node()
            .is_focused()
    );
    click(&mut h, T::RetractConfirm.get(lang));
    h.get_by_label("취소하는 이유를 적으세요.");
    assert_eq!(
        h.state().data_dir().store.ledger(CaseId(1)).unwrap().len(),
        before,
        "nothing recorded without a reason"
    );
    type_into(
        &mut h,
        Role::TextInput,
        T::RetractReason.get(lang),
        "다른 주문의 화면을 잘못 올림",
    );
    click(&mut h, T::RetractConfirm.get(lang));
    let items = h.state().data_dir().store.evidence(CaseId(1)).unwrap();
    let e2 = items.iter().find(|e| e.number == 2).unwrap();
    assert_eq!(
        e2.retracted.as_ref().map(|r| r.reason.as_str()),
        Some("다른 주문의 화면을 잘못 올림")
    );
    let ledger = h.state().data_dir().store.ledger(CaseId(1)).unwrap();
    assert_eq!(ledger.len(), before + 1);
    assert!(
        ledger.last().unwrap().kind.contains("retract"),
        "{}",
        ledger.last().unwrap().kind
    );
    assert!(
        h.state()
            .data_dir()
            .vault
            .object_path(&e2.fields.sha256)
            .is_file()
    );
    h.get_by_label_contains("에 취소함: 다른 주문의 화면을 잘못 올림");
    h.get_by_label_contains("E002을(를) 취소했습니다");
    assert!(
        h.query_by_label(T::RetractEvidence.get(lang)).is_none(),
        "a retracted item offers no second retraction"
    );
    // The list still shows it, marked.
    h.get_by_label(&format!("E002 ({})", T::Retracted.get(lang)));
    assert!(latin_words(&h).is_empty(), "{:?}", latin_words(&h));
    // The next packet carries it as retracted.
    click(&mut h, T::TabPacket.get(lang));
    click(&mut h, T::PacketBuild.get(lang));
    assert!(wait_for(&mut h, |h| h.state().last_packet.is_some()));
    let (path, _, _) = h.state().last_packet.clone().unwrap();
    let report = recourse::packet::verify::verify(&path).unwrap();
    assert!(report.intact, "{report:?}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut sidecar = String::new();
    std::io::Read::read_to_string(
        &mut zip
            .by_name("evidence/E002-screenshot-배송조회_미발송.png.json")
            .unwrap(),
        &mut sidecar,
    )
    .unwrap();
    let sidecar: serde_json::Value = serde_json::from_str(&sidecar).unwrap();
    assert_eq!(
        sidecar["retracted"]["reason"], "다른 주문의 화면을 잘못 올림",
        "{sidecar}"
    );
    assert!(
        zip.by_name("evidence/E002-screenshot-배송조회_미발송.png")
            .is_ok()
    );
}

/// The Packet tab says whether the last packet still tells the whole case: current right after
/// a build, and how many changes behind once the case moves on (a timestamp or the packet
/// itself is no change).
#[test]
fn the_packet_tab_warns_when_the_case_changed_since_the_last_packet() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    click(&mut h, T::TabPacket.get(lang));
    assert!(
        h.query_by_label_contains("마지막 묶음(").is_none(),
        "no packet yet"
    );
    click(&mut h, T::PacketBuild.get(lang));
    assert!(wait_for(&mut h, |h| h.state().last_packet.is_some()));
    h.get_by_label_contains(") 뒤로 바뀐 기록은 없습니다.");
    let c = h.state().data_dir().store.contacts(CaseId(1)).unwrap()[0].clone();
    let mut f = c.fields.clone();
    f.agent_name = Some("김상담".into());
    // Another writer (the CLI, say) changes the case.
    recourse::datadir::DataDir::open(dir.path())
        .unwrap()
        .store
        .edit_contact(c.id, &c.fields, &f, now())
        .unwrap();
    h.state_mut().push(Command::SelectCase(CaseId(1)));
    h.run();
    h.get_by_label_contains("뒤로 바뀐 기록이 1건 있습니다. 보내기 전에 묶음을 새로 만드세요.");
    click(&mut h, T::PacketBuild.get(lang));
    assert!(wait_for(&mut h, |h| h
        .query_by_label_contains(") 뒤로 바뀐 기록은 없습니다.")
        .is_some()));
    h.get_by_label(T::PacketBuilt.get(lang));
    // Another case's Packet tab does not offer this case's packet.
    h.state_mut()
        .push(Command::CreateCase(Box::new(second_case())));
    h.run();
    let second = h.state().data_dir().store.list_cases(now()).unwrap().len();
    assert_eq!(second, 2);
    click(&mut h, T::TabPacket.get(lang));
    assert!(
        h.query_by_label(T::PacketBuilt.get(lang)).is_none(),
        "the first case's packet is not the second's"
    );
    assert!(h.query_by_label(T::SavePacketAs.get(lang)).is_none());
}

/// With no case yet, the window says what to do first, in Korean, and its first step opens
/// the case form; the example case is one button away.
#[test]
fn the_first_run_says_what_to_do_first() {
    let dir = tempfile::tempdir().unwrap();
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    h.get_by_label(T::FirstRunTitle.get(lang));
    h.get_by_label(T::FirstRunContact.get(lang));
    h.get_by_label(T::OpenDemo.get(lang));
    assert!(latin_words(&h).is_empty(), "{:?}", latin_words(&h));
    click(&mut h, T::FirstCase.get(lang));
    assert!(h.state().state.case_form.is_some(), "the case form opened");
    type_into(&mut h, Role::TextInput, T::Title.get(lang), "첫 사건");
    type_into(&mut h, Role::TextInput, T::Company.get(lang), "하늘쇼핑");
    click(&mut h, T::Save.get(lang));
    assert!(
        h.query_by_label(T::FirstRunTitle.get(lang)).is_none(),
        "the guide gives way to the case"
    );
}

/// A date field's 📅 opens this month's calendar in Korean (weeks from Sunday); a day clicked
/// goes into the field as YYYY-MM-DD, and Esc closes the calendar, not the form.
#[test]
fn a_date_can_be_picked_from_a_korean_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    click(&mut h, T::FirstCase.get(lang));
    let picker = recourse::gui::i18n::fill(T::PickDate.get(lang), &[T::DateOrdered.get(lang)]);
    click(&mut h, &picker);
    // The fixed now is 2026-11-20 in Seoul: November 2026, whose 1st is a Sunday.
    h.get_by_label("2026년 11월");
    h.get_by_label("일");
    assert!(latin_words(&h).is_empty(), "{:?}", latin_words(&h));
    click(&mut h, "◀");
    h.get_by_label("2026년 10월");
    click(&mut h, "▶");
    h.get_by_role_and_label(Role::Button, "15").click();
    h.run();
    let form = h
        .state()
        .state
        .case_form
        .as_ref()
        .expect("the form stays open");
    assert_eq!(form.dates[0], "2026-11-15");
    assert!(
        h.query_by_label("2026년 11월").is_none(),
        "a pick closes the calendar"
    );
    click(&mut h, &picker);
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_label("2026년 11월").is_none(),
        "Esc closes the calendar"
    );
    assert!(h.state().state.case_form.is_some(), "and only the calendar");
    // From the keyboard: it opens with the field's day focused (the 15th), the arrows move
    // (a week down is the 22nd, a day right the 23rd), PageDown keeps the day in the next
    // month, Enter picks.
    click(&mut h, &picker);
    for key in [
        egui::Key::ArrowDown,
        egui::Key::ArrowRight,
        egui::Key::PageDown,
    ] {
        h.key_press(key);
        h.run();
    }
    h.get_by_label("2026년 12월");
    h.key_press(egui::Key::Enter);
    h.run();
    let form = h.state().state.case_form.as_ref().unwrap();
    assert_eq!(form.dates[0], "2026-12-23");
}

/// With no microphone listed, ● Record is disabled (its tooltip says why), and a recording
/// asked for anyway is refused without marking the contact "recording announced".
#[test]
fn no_microphone_means_no_record_button_and_no_false_announcement() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::En);
    new_case(&mut h, "녹음 없음");
    click(&mut h, "＋ Log contact");
    type_into(&mut h, Role::MultilineTextInput, "Summary", "전화 문의");
    click(&mut h, "Save");
    click(&mut h, "Contacts");
    h.state_mut().audio.devices = Some(Vec::new());
    h.run();
    assert!(
        h.get_by_label("● Record").accesskit_node().is_disabled(),
        "Record is disabled"
    );
    let case = h.state().data_dir().store.case_ids().unwrap()[0];
    let contact = h.state().data_dir().store.contacts(case).unwrap()[0].id;
    h.state_mut().push(Command::StartRecording {
        case,
        contact,
        announced: true,
    });
    h.run();
    h.get_by_label_contains("No microphone found");
    let c = h.state().data_dir().store.contact(contact).unwrap();
    assert!(!c.fields.recording_announced);
    assert!(h.query_by_label("■ Stop").is_none());
}

/// Ctrl+V with an image on the clipboard (egui hands the app the image) files it as evidence
/// from any tab, and shows the Evidence tab.
#[test]
fn ctrl_v_with_an_image_files_it_as_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), Lang::Ko);
    click(&mut h, "＋ 새 사건");
    type_into(&mut h, Role::TextInput, "제목", "붙여넣기");
    type_into(&mut h, Role::TextInput, "회사", "하늘쇼핑");
    click(&mut h, "저장");
    let image = egui::ColorImage::new([4, 3], vec![egui::Color32::from_rgb(200, 30, 30); 12]);
    h.event(egui::Event::PasteImage(std::sync::Arc::new(image)));
    let case = h.state().data_dir().store.case_ids().unwrap()[0];
    let filed = wait_for(&mut h, |h| {
        h.state().data_dir().store.evidence(case).unwrap().len() == 1
    });
    assert!(filed, "the pasted image was not filed");
    let e = &h.state().data_dir().store.evidence(case).unwrap()[0];
    assert_eq!(e.fields.media_type, "image/png");
    assert_eq!(e.fields.source, EvidenceSource::Clipboard);
    // The Evidence tab is showing: its import buttons are there.
    h.get_by_label(recourse::gui::i18n::T::ImportEvidence.get(Lang::Ko));
    // The new item is open, says where it came from, and that its hash is the new PNG's (the
    // row is written before the app hears the import is done: wait for that too).
    assert!(wait_for(&mut h, |h| h.state().state.selected_evidence == Some(1)));
    h.get_by_label("클립보드에서 붙여 넣음");
    let note = T::PastedNote.get(Lang::Ko);
    assert_eq!(
        h.query_all_by_label_contains(note).count(),
        2,
        "the note in the details and in what the status bar says"
    );
}

/// Where a point of the window lies: the menu bar, the case list, the case, or next steps.
fn region(h: &Harness<'_, RecourseApp>, at: egui::Pos2) -> &'static str {
    let bounds = |label: &str| {
        h.get_by_label(label)
            .accesskit_node()
            .data()
            .bounds()
            .unwrap()
    };
    let menu = bounds(T::MenuFile.get(Lang::Ko));
    let list = bounds(T::ResizeCaseList.get(Lang::Ko));
    let advisor = bounds(T::ResizeAdvisor.get(Lang::Ko));
    let (x, y) = (f64::from(at.x), f64::from(at.y));
    if y <= menu.y1 + 1.0 {
        "menu"
    } else if x < list.x0 {
        "case list"
    } else if x > advisor.x1 {
        "next steps"
    } else {
        "case"
    }
}

/// Tab goes round the window in reading order — menu, case list, the case, next steps — and
/// every stop is drawn with a focus ring a person can see.
#[test]
fn tab_goes_list_then_case_then_next_steps() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let mut h = harness(dir.path(), Lang::Ko);
    h.state_mut().push(Command::SelectCase(CaseId(1)));
    h.run();
    let mut order: Vec<&str> = Vec::new();
    let mut first = None;
    for _ in 0..200 {
        h.key_press(egui::Key::Tab);
        h.run();
        let focused = h.ctx.memory(|m| m.focused()).expect("Tab focuses a widget");
        if first == Some(focused) {
            break;
        }
        first.get_or_insert(focused);
        let rect = h
            .ctx
            .viewport(|vp| vp.prev_pass.widgets.get(focused).copied())
            .unwrap()
            .rect;
        let here = region(&h, rect.center());
        if order.last() != Some(&here) {
            order.push(here);
        }
        // The ring: an accent-coloured stroke painted around the focused widget's rect.
        let accent = recourse::gui::theme::palette(&h.ctx.global_style().visuals).accent;
        let ringed = h.output().shapes.iter().any(|clip| match &clip.shape {
            egui::Shape::Rect(r) => {
                r.stroke.color == accent
                    && r.stroke.width >= 2.0
                    && r.rect.contains_rect(rect)
                    && r.rect.width() <= rect.width() + 8.0
            }
            _ => false,
        });
        assert!(
            ringed,
            "no focus ring around the widget at {rect:?} ({here})"
        );
    }
    assert!(first.is_some());
    assert_eq!(order, ["menu", "case list", "case", "next steps"]);
}

/// The platform field offers the common Korean platforms by their Korean names, and still
/// takes any name typed.
#[test]
fn the_platform_is_picked_from_a_korean_list_or_typed() {
    let dir = tempfile::tempdir().unwrap();
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    click(&mut h, T::FirstCase.get(lang));
    click(&mut h, T::PickPlatform.get(lang));
    for name in ["쿠팡", "네이버 스마트스토어", "11번가", "G마켓", "무신사"] {
        h.get_by_label(name);
    }
    assert!(latin_words(&h).is_empty(), "{:?}", latin_words(&h));
    click(&mut h, "네이버 스마트스토어");
    let platform =
        |h: &Harness<'_, RecourseApp>| h.state().state.case_form.as_ref().unwrap().platform.clone();
    assert_eq!(platform(&h), "네이버 스마트스토어");
    assert!(h.query_by_label("쿠팡").is_none(), "a pick closes the list");
    type_into(&mut h, Role::TextInput, T::Platform.get(lang), " 직구");
    assert_eq!(platform(&h), "네이버 스마트스토어 직구");
}

/// An image opens at full size from its details and ←/→ step through the items; a chat log
/// saved by Korean Windows (code page 949) reads as Korean, and says how it was read.
#[test]
fn the_viewer_shows_an_image_and_korean_text_saved_on_windows() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let log = files.path().join("카톡_대화.txt");
    // "똠방각하 환불 약속" in code page 949, from Python's `encode('cp949')`.
    std::fs::write(
        &log,
        [
            140, 99, 185, 230, 176, 162, 199, 207, 32, 200, 175, 186, 210, 32, 190, 224, 188, 211,
        ],
    )
    .unwrap();
    let png_size;
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
        let options = recourse::evidence::AddOptions {
            kind: None,
            contact_id: None,
            note: None,
            source: EvidenceSource::FileImport,
            captured_at: None,
            audio: None,
        };
        recourse::evidence::add_file(
            &mut dd,
            CaseId(1),
            &log,
            &options,
            now(),
            &recourse::vault::Control::default(),
        )
        .unwrap();
        // E001's size from its PNG header (width and height, big-endian, at bytes 16..24).
        let e1 = dd.store.evidence(CaseId(1)).unwrap();
        let bytes = std::fs::read(dd.vault.object_path(&e1[0].fields.sha256)).unwrap();
        let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        png_size = (be(16), be(20));
    }
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    click(&mut h, T::TabEvidence.get(lang));
    click(&mut h, "E001");
    click(&mut h, T::ViewLarge.get(lang));
    let pixels = format!("{}×{} 픽셀", png_size.0, png_size.1);
    assert!(
        wait_for(&mut h, |h| h.query_by_label(&pixels).is_some()),
        "the image's own size is shown"
    );
    assert!(latin_words(&h).is_empty(), "{:?}", latin_words(&h));
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(h.state().state.viewer, Some(2));
    h.key_press(egui::Key::ArrowLeft);
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert_eq!(
        h.state().state.viewer,
        Some(6),
        "← from the first goes round to the last"
    );
    assert!(
        wait_for(&mut h, |h| h
            .query_by_label_contains("똠방각하 환불 약속")
            .is_some()),
        "the text reads as Korean"
    );
    h.get_by_label_contains("문자 인코딩 EUC-KR");
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().state.viewer, None, "Esc closes the viewer");
    assert!(
        h.state().state.selected_evidence.is_some(),
        "and only the viewer"
    );
}

/// A notice does not outlive what it was about: once read (1.5 s), the next thing the user
/// does — a command, another tab — clears it.
#[test]
fn an_old_notice_goes_when_the_user_does_something_else() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    // Retracting an item twice is refused with a notice.
    for _ in 0..2 {
        h.state_mut().push(Command::RetractEvidence {
            case: CaseId(1),
            number: 2,
            reason: "잘못 올림".into(),
        });
        h.run();
    }
    assert!(h.state().notice.as_ref().is_some_and(|n| n.is_error));
    // Said just now: a click at once does not wipe it before it could be read.
    click(&mut h, T::TabEvidence.get(lang));
    assert!(h.state().notice.is_some());
    std::thread::sleep(std::time::Duration::from_millis(1600));
    click(&mut h, T::TabTimeline.get(lang));
    assert!(
        h.state().notice.is_none(),
        "{:?}",
        h.state().notice.as_ref().map(|n| &n.text)
    );
}

/// A contact logged by mistake is taken back with a reason from its card: it stays, marked,
/// with the reason, and the ledger records the retraction.
#[test]
fn retracting_a_contact_keeps_it_marked_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    let contacts = h.state().data_dir().store.contacts(CaseId(1)).unwrap();
    let first = contacts[0].id;
    click(&mut h, T::TabContacts.get(lang));
    let name = recourse::gui::i18n::fill(T::RetractContactNamed.get(lang), &[&first.to_string()]);
    click(&mut h, &name);
    assert!(
        h.get_by_role_and_label(Role::TextInput, T::RetractReason.get(lang))
            .accesskit_node()
            .is_focused()
    );
    type_into(
        &mut h,
        Role::TextInput,
        T::RetractReason.get(lang),
        "다른 사건의 통화를 잘못 기록함",
    );
    click(&mut h, T::RetractConfirm.get(lang));
    let c = h.state().data_dir().store.contact(first).unwrap();
    assert_eq!(
        c.retracted.as_ref().map(|r| r.reason.as_str()),
        Some("다른 사건의 통화를 잘못 기록함")
    );
    let ledger = h.state().data_dir().store.ledger(CaseId(1)).unwrap();
    assert_eq!(ledger.last().unwrap().kind, "contact.retracted");
    h.get_by_label_contains("에 취소함: 다른 사건의 통화를 잘못 기록함");
    h.get_by_label_contains(&format!("연락 #{first}을(를) 취소했습니다"));
    assert!(
        h.query_by_label(&name).is_none(),
        "no second retraction offered"
    );
    assert!(latin_words(&h).is_empty(), "{:?}", latin_words(&h));
}

/// An item's contact, kind and note are changed from its details, through the ledger: the
/// file and its hash stay, the edit is recorded, and a retracted item offers no edit.
#[test]
fn an_evidence_item_is_linked_to_a_contact_and_given_a_kind_and_note() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut dd = recourse::datadir::DataDir::open(dir.path()).unwrap();
        recourse::gui::demo::populate(&mut dd, now()).unwrap();
    }
    let lang = Lang::Ko;
    let mut h = harness(dir.path(), lang);
    let before = h.state().data_dir().store.evidence(CaseId(1)).unwrap()[0].clone();
    assert_eq!(
        before.fields.contact_id, None,
        "E001 of the demo has no contact"
    );
    let contact = h.state().data_dir().store.contacts(CaseId(1)).unwrap()[0].id;
    click(&mut h, T::TabEvidence.get(lang));
    click(&mut h, "E001");
    click(&mut h, T::EditEvidence.get(lang));
    assert!(latin_words(&h).is_empty(), "{:?}", latin_words(&h));
    // The contact and kind drop-downs, then the note.
    h.get_by_role_and_label(Role::ComboBox, T::EvidenceContact.get(lang))
        .click();
    h.run();
    h.get_by_label_contains(&format!("#{contact} ")).click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, T::Kind.get(lang))
        .click();
    h.run();
    h.get_by_label(recourse::gui::i18n::Named::name(
        EvidenceKind::Document,
        lang,
    ))
    .click();
    h.run();
    type_into(&mut h, Role::TextInput, T::Note.get(lang), "주문 내역 화면");
    click(&mut h, T::Save.get(lang));
    let after = h.state().data_dir().store.evidence(CaseId(1)).unwrap()[0].clone();
    assert_eq!(after.fields.contact_id, Some(contact));
    assert_eq!(after.fields.kind, EvidenceKind::Document);
    assert_eq!(after.fields.note.as_deref(), Some("주문 내역 화면"));
    assert_eq!(
        after.fields.sha256, before.fields.sha256,
        "the file never changes"
    );
    let ledger = h.state().data_dir().store.ledger(CaseId(1)).unwrap();
    assert_eq!(ledger.last().unwrap().kind, "evidence.edited");
    h.get_by_label_contains("E001을(를) 고쳤습니다");
    assert!(
        h.state().state.evidence_edit.is_none(),
        "the form closes once saved"
    );
    // A retracted item is not changed.
    h.state_mut().push(Command::RetractEvidence {
        case: CaseId(1),
        number: 2,
        reason: "잘못 올림".into(),
    });
    h.run();
    click(&mut h, &format!("E002 ({})", T::Retracted.get(lang)));
    assert_eq!(h.state().state.selected_evidence, Some(2));
    assert!(h.query_by_label(T::EditEvidence.get(lang)).is_none());
}

#[test]
fn the_window_icon_is_the_app_icon() {
    let icon = recourse::gui::window_icon();
    assert_eq!((icon.width, icon.height), (128, 128));
    let px = |x: usize, y: usize| {
        let i = (y * 128 + x) * 4;
        [
            icon.rgba[i],
            icon.rgba[i + 1],
            icon.rgba[i + 2],
            icon.rgba[i + 3],
        ]
    };
    // assets/icons/recourse.svg at half size: the seal's red (#e0482e) centred at (89, 89),
    // the page's white at (40, 40), a transparent corner.
    assert_eq!(px(89, 80), [0xe0, 0x48, 0x2e, 0xff]);
    assert_eq!(px(40, 40), [0xff, 0xff, 0xff, 0xff]);
    assert_eq!(px(0, 0)[3], 0);
}
