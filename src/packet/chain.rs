//! A case as its ledger chain states it: the records the entries describe, with the times the
//! entries give them. Building a packet, verifying one, reviewing one and importing one all read
//! the case through this one function, so what a report shows is by construction what the chain
//! says — and a verifier holding only the chain can rebuild the report byte for byte.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::ledger::{Entry, translate};
use crate::model::*;
use crate::store::{CaseDetail, Change, Edit, LedgerHead, PromiseView};

/// Why a chain does not describe a case this version can rebuild.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ChainCaseError(pub String);

fn fields<T: serde::de::DeserializeOwned>(
    v: &Map<String, Value>,
    what: &str,
) -> Result<T, ChainCaseError> {
    serde_json::from_value(Value::Object(v.clone())).map_err(|e| {
        ChainCaseError(format!(
            "{what} as the ledger records it cannot be read: {e}"
        ))
    })
}

fn time(at: &str, what: &str) -> Result<DateTime<Utc>, ChainCaseError> {
    DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ChainCaseError(format!("{what}: \"{}\" is not a time", at.escape_debug())))
}

/// The times and endings each record got from the entries (after translation to current ids).
#[derive(Default)]
struct Times {
    added: HashMap<(String, i64), String>,
    edited: HashMap<(String, i64), String>,
    retracted: HashMap<(String, i64), (String, String)>,
    ended: HashMap<i64, (String, Option<String>)>,
    case_edited: Option<String>,
    edits: Vec<Edit>,
}

fn times(entries: &[Entry]) -> Times {
    let mut t = Times::default();
    for e in entries {
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let id = p
            .get("id")
            .or_else(|| p.get("number"))
            .and_then(Value::as_i64);
        let (record, action) = e.kind.split_once('.').unwrap_or(("", ""));
        match (record, action, id) {
            ("case", "edited", _) => t.case_edited = Some(e.at.clone()),
            (r, "added", Some(id)) => {
                t.added.insert((r.to_owned(), id), e.at.clone());
            }
            (r, "edited", Some(id)) => {
                t.edited.insert((r.to_owned(), id), e.at.clone());
            }
            (r, "retracted", Some(id)) => {
                let reason = p
                    .get("reason")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                t.retracted
                    .insert((r.to_owned(), id), (e.at.clone(), reason));
            }
            ("promise", "ended", Some(id)) => {
                let note = p.get("note").and_then(Value::as_str).map(str::to_owned);
                t.ended.insert(id, (e.at.clone(), note));
            }
            _ => {}
        }
        if action == "edited"
            && let Some(changes) = p.get("changes").and_then(Value::as_object)
        {
            let changes = changes
                .iter()
                .filter_map(|(k, c)| {
                    Some((
                        k.clone(),
                        Change {
                            from: c.get("from")?.clone(),
                            to: c.get("to")?.clone(),
                        },
                    ))
                })
                .collect::<BTreeMap<_, _>>();
            t.edits.push(Edit {
                at: e.at.clone(),
                record: record.to_owned(),
                id: id.unwrap_or(0),
                changes,
            });
        }
    }
    t
}

/// The case `entries` (a whole chain, in order) describe, as of `now` (which decides what is
/// overdue). Ids are the ones the chain's last holder used (see `ledger::translate`).
pub fn case_from_chain(
    uid: &str,
    entries: &[Entry],
    now: DateTime<Utc>,
) -> Result<CaseDetail, ChainCaseError> {
    case_from_chain_with(uid, entries, now, crate::ledger::Rules::CURRENT)
}

/// [`case_from_chain`] as the build with `rules` read the chain (a packet's reports are rebuilt
/// as its generator made them).
pub fn case_from_chain_with(
    uid: &str,
    entries: &[Entry],
    now: DateTime<Utc>,
    rules: crate::ledger::Rules,
) -> Result<CaseDetail, ChainCaseError> {
    let current = translate(entries);
    let state =
        crate::ledger::replay_with(&current, rules).map_err(|e| ChainCaseError(e.to_string()))?;
    let t = times(&current);
    let retraction = |record: &str, id: i64| -> Result<Option<Retraction>, ChainCaseError> {
        t.retracted
            .get(&(record.to_owned(), id))
            .map(|(at, reason)| {
                Ok(Retraction {
                    at: time(at, "a retraction")?,
                    reason: reason.clone(),
                })
            })
            .transpose()
    };
    let added = |record: &str, id: i64| -> Result<DateTime<Utc>, ChainCaseError> {
        let at = t
            .added
            .get(&(record.to_owned(), id))
            .map(String::as_str)
            .unwrap_or_default();
        time(at, &format!("when {record} {id} was added"))
    };
    let edited = |record: &str, id: i64| -> Result<Option<DateTime<Utc>>, ChainCaseError> {
        t.edited
            .get(&(record.to_owned(), id))
            .map(|at| time(at, "an edit"))
            .transpose()
    };
    let first = entries
        .first()
        .ok_or_else(|| ChainCaseError("the ledger is empty".into()))?;
    let case = Case {
        id: CaseId(0),
        uid: uid.to_owned(),
        fields: fields(&state.case, "the case")?,
        created_at: time(&first.at, "the case's first entry")?,
        edited_at: t
            .case_edited
            .as_deref()
            .map(|at| time(at, "an edit"))
            .transpose()?,
    };

    let mut contacts = Vec::new();
    for (id, rs) in &state.contacts {
        contacts.push(Contact {
            id: ContactId(*id),
            case_id: case.id,
            fields: fields(&rs.fields, &format!("contact {id}"))?,
            created_at: added("contact", *id)?,
            edited_at: edited("contact", *id)?,
            retracted: retraction("contact", *id)?,
        });
    }
    contacts.sort_by_key(|c: &Contact| (c.fields.started_at, c.id.0));
    let tier = contacts
        .iter()
        .filter(|c| c.retracted.is_none())
        .map(|c| c.fields.tier)
        .max()
        .unwrap_or(Tier::FirstLine);

    let mut promises = Vec::new();
    for (id, rs) in &state.promises {
        let status: PromiseStatus = rs
            .status
            .as_deref()
            .unwrap_or("pending")
            .parse()
            .map_err(|e| ChainCaseError(format!("promise {id}: {e}")))?;
        let ended = t.ended.get(id);
        let promise = Promise {
            id: PromiseId(*id),
            case_id: case.id,
            fields: fields(&rs.fields, &format!("promise {id}"))?,
            status,
            ended_at: ended
                .map(|(at, _)| time(at, "a promise's end"))
                .transpose()?,
            end_note: ended.and_then(|(_, note)| note.clone()),
            created_at: added("promise", *id)?,
            edited_at: edited("promise", *id)?,
        };
        promises.push(PromiseView {
            overdue: promise.is_overdue(now),
            looks_like_stalling: promise.fields.answers.looks_like_stalling(),
            promise,
        });
    }
    promises.sort_by_key(|p| (p.promise.fields.due_at, p.promise.id.0));

    let mut evidence = Vec::new();
    for (number, rs) in &state.evidence {
        let n = u32::try_from(*number)
            .ok()
            .filter(|n| (1..=99_999).contains(n))
            .ok_or_else(|| ChainCaseError(format!("evidence number {number} is out of range")))?;
        let mut f: EvidenceFields = fields(&rs.fields, &format!("evidence {number}"))?;
        if let Some(a) = &mut f.audio {
            a.bookmarks.sort_by_key(|b| b.offset_ms);
        }
        evidence.push(Evidence {
            id: EvidenceId(*number),
            case_id: case.id,
            number: n,
            fields: f,
            imported_at: added("evidence", *number)?,
            retracted: retraction("evidence", *number)?,
        });
    }
    let ledger = LedgerHead {
        length: entries.len() as u64,
        head: entries.last().map_or(crate::ledger::GENESIS, |e| e.hash),
    };
    Ok(CaseDetail {
        case,
        tier,
        contacts,
        promises,
        evidence,
        edits: t.edits,
        ledger,
    })
}
