//! Many writers at once on one case: the app's store (in this process, with its own
//! connection, as the app's store thread has) and several `recourse` processes, each editing its
//! own field of the same case and logging contacts. Every edit is applied to the case as it is
//! inside the write transaction, so none reverts another's field, no contact is lost, and the
//! ledger replays to exactly the rows.

use std::thread;

use recourse::model::CaseId;

use crate::util::Dir;

/// The field each CLI writer owns: its `case edit` flag.
const CLI_FIELDS: [&str; 4] = ["--wants", "--product", "--seller", "--platform"];
const ROUNDS: usize = 12;

fn value(field: &str, round: usize) -> String {
    format!("{}-{round}번째", field.trim_start_matches("--"))
}

#[test]
fn writers_on_one_case_keep_every_field_and_every_contact() {
    let d = Dir::new();
    d.sample_case();
    let before = d.json(&["case", "show", "1", "--json"]);
    let count = |v: &serde_json::Value, key: &str| v[key].as_array().map_or(0, Vec::len);
    let (contacts_before, edits_before) = (count(&before, "contacts"), count(&before, "edits"));
    let data = d.data_dir();
    let app = thread::spawn(move || {
        // The app's side: read the case as a form would open it, change one field, save.
        let mut dd = recourse::datadir::DataDir::open(&data).unwrap();
        let now = recourse::clock::parse_instant(crate::util::NOW).unwrap();
        for round in 0..ROUNDS {
            let base = dd.store.case(CaseId(1)).unwrap().fields;
            let mut fields = base.clone();
            fields.order_number = Some(format!("ORDER-{round}"));
            dd.store.edit_case(CaseId(1), &base, &fields, now).unwrap();
            let mut contact = recourse::model::ContactFields {
                started_at: now,
                ended_at: None,
                channel: recourse::model::Channel::Chat,
                direction: recourse::model::Direction::Outgoing,
                tier: recourse::model::Tier::FirstLine,
                agent_name: None,
                agent_id: None,
                reference: None,
                summary: format!("앱에서 {round}번째"),
                claimed: None,
                offered: None,
                outcome: recourse::model::Outcome::Unresolved,
                recording_announced: false,
            };
            contact.reference = Some(format!("app-{round}"));
            dd.store.add_contact(CaseId(1), &contact, now).unwrap();
        }
    });
    thread::scope(|s| {
        for field in CLI_FIELDS {
            let d = &d;
            s.spawn(move || {
                for round in 0..ROUNDS {
                    d.ok(&["case", "edit", "1", field, &value(field, round)]);
                    let summary = format!("{} {round}번째 통화", field.trim_start_matches("--"));
                    d.ok(&[
                        "contact",
                        "add",
                        "1",
                        "--channel",
                        "phone",
                        "--tier",
                        "first-line",
                        "--summary",
                        &summary,
                    ]);
                }
            });
        }
    });
    app.join().unwrap();

    let case = d.json(&["case", "show", "1", "--json"]);
    for field in CLI_FIELDS {
        let key = field.trim_start_matches("--");
        assert_eq!(
            case["case"][key].as_str(),
            Some(value(field, ROUNDS - 1).as_str()),
            "{key} holds its last write"
        );
    }
    assert_eq!(
        case["case"]["order_number"].as_str(),
        Some(format!("ORDER-{}", ROUNDS - 1).as_str())
    );
    assert_eq!(
        count(&case, "contacts"),
        contacts_before + (CLI_FIELDS.len() + 1) * ROUNDS,
        "no contact lost"
    );
    let edits = case["edits"].as_array().unwrap();
    assert_eq!(
        edits.len(),
        edits_before + (CLI_FIELDS.len() + 1) * ROUNDS,
        "one edit entry per write"
    );
    for e in &edits[edits_before..] {
        assert_eq!(e["changes"].as_object().unwrap().len(), 1, "{e}");
    }
    let fsck = d.json(&["fsck", "--json"]);
    assert_eq!(fsck["is_intact"], true, "{fsck}");
}
