//! Timestamping a case now, through the TSA the user configured: the one path the CLI and the
//! app share (the app runs it on a background thread with its own connection).

use chrono::{DateTime, Utc};

use super::tsa::{self, TokenInfo};
use crate::model::CaseId;
use crate::store::Store;

/// A timestamp recorded.
#[derive(Debug, Clone)]
pub struct Stamped {
    /// The `timestamp.added` entry's position.
    pub seq: u64,
    /// The position its token covers.
    pub covers: u64,
    /// What the token says.
    pub info: TokenInfo,
}

/// Why the case was not timestamped.
#[derive(Debug, thiserror::Error)]
pub enum StampError {
    /// No TSA is configured: recourse connects nowhere.
    #[error(
        "no TSA is configured, and recourse connects nowhere unless you choose one: `recourse settings --tsa-url URL` (only a hash is sent), or do it by hand with --request-out FILE.tsq and --import FILE.tsr"
    )]
    NoTsa,
    /// The case has no entries.
    #[error("case {0} has no ledger entries to timestamp")]
    Empty(i64),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The TSA, its reply or its token.
    #[error("{0}; nothing was recorded")]
    Token(String),
}

/// Gets a token over the case's current head from the configured TSA, checks it offline and
/// records it in the chain.
pub fn stamp_now(
    store: &mut Store,
    case_id: CaseId,
    now: DateTime<Utc>,
) -> Result<Stamped, StampError> {
    let url = store.tsa_url()?.ok_or(StampError::NoTsa)?;
    let entries = store.ledger(case_id)?;
    let last = entries.last().ok_or(StampError::Empty(case_id.0))?;
    let request = tsa::request(&last.hash).map_err(|e| StampError::Token(e.0))?;
    let reply = tsa::post(&url, &request).map_err(|e| StampError::Token(e.0))?;
    let token = tsa::token_of_reply(&reply)
        .map_err(|e| StampError::Token(format!("the TSA at {url}: {e}")))?;
    let (_, nonce) = tsa::imprint_and_nonce(&token).map_err(|e| StampError::Token(e.0))?;
    if !nonce
        .as_deref()
        .is_some_and(|n| tsa::same_nonce(n, &request.nonce))
    {
        return Err(StampError::Token(format!(
            "the TSA at {url} answered with another nonce ({}) than the request's ({}): the reply is not to this request",
            nonce.as_deref().unwrap_or("none"),
            request.nonce
        )));
    }
    let info = tsa::check(&token, &last.hash)
        .map_err(|e| StampError::Token(format!("the TSA at {url}: {e}")))?;
    let entry = store.record_timestamp(case_id, last.seq, &token, None, now)?;
    Ok(Stamped {
        seq: entry.seq,
        covers: last.seq,
        info,
    })
}

/// Whether an entry changes what the case says — not a proof of it (a timestamp, a receipt),
/// a packet of it, or a re-encoding of the ledger.
pub fn is_change(e: &crate::ledger::Entry) -> bool {
    !matches!(
        e.kind.as_str(),
        "timestamp.added" | "packet.built" | "ledger.upgraded" | "receipt.given"
    )
}

/// The last packet built of this case here, when it was built, and how many changes its
/// chain does not hold. A packet holds the chain up to its payload's `ledger_length` (read when
/// the build began), so what was recorded while it was being built counts as not in it. A
/// packet built before the case came in by import was the sender's, not one made here.
pub fn since_last_packet(entries: &[crate::ledger::Entry]) -> Option<(DateTime<Utc>, usize)> {
    let imported = entries
        .iter()
        .rposition(|e| e.kind == "case.imported")
        .map_or(0, |i| i + 1);
    let at = imported
        + entries[imported..]
            .iter()
            .rposition(|e| e.kind == "packet.built")?;
    let built = &entries[at];
    let holds = serde_json::from_str::<serde_json::Value>(&built.payload)
        .ok()
        .and_then(|p| p.get("ledger_length").and_then(serde_json::Value::as_u64))
        .unwrap_or(built.seq.saturating_sub(1));
    let since = entries
        .iter()
        .filter(|e| e.seq > holds && is_change(e))
        .count();
    built.at_time().map(|t| (t, since))
}

/// Whether the app's opt-in "after each change, at most every `minutes`" calls for a timestamp
/// of a case now: there are entries after the last timestamp's (proofs and packets aside), and
/// the last timestamp entry is at least `minutes` old.
pub fn due(entries: &[crate::ledger::Entry], minutes: u32, now: DateTime<Utc>) -> bool {
    let last_change = entries.iter().rev().find(|e| is_change(e)).map(|e| e.seq);
    let last_stamp = entries.iter().rev().find(|e| e.kind == "timestamp.added");
    match (last_change, last_stamp) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(change), Some(stamp)) => {
            let covered = serde_json::from_str::<serde_json::Value>(&stamp.payload)
                .ok()
                .and_then(|p| p.get("covers").and_then(serde_json::Value::as_u64))
                .unwrap_or(0);
            let old_enough = stamp
                .at_time()
                .is_none_or(|t| now - t >= chrono::Duration::minutes(i64::from(minutes)));
            change > covered && old_enough
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Entry;

    fn entry(seq: u64, kind: &str, payload: &str) -> Entry {
        Entry {
            seq,
            at: format!("2026-11-{:02}T09:00:00Z", seq),
            kind: kind.to_owned(),
            payload: payload.to_owned(),
            prev_hash: crate::ledger::GENESIS,
            hash: crate::ledger::GENESIS,
            encoding: 2,
            private: Default::default(),
        }
    }

    #[test]
    fn what_was_recorded_while_a_packet_was_built_is_not_in_it() {
        let mut chain = vec![
            entry(1, "case.created", "{}"),
            entry(2, "contact.added", "{}"),
            // Recorded while the build (which read 2 entries) ran.
            entry(3, "evidence.retracted", "{}"),
            entry(4, "packet.built", r#"{"ledger_length":2}"#),
        ];
        assert_eq!(since_last_packet(&chain).map(|(_, n)| n), Some(1));
        // Proofs after it change nothing the case says.
        chain.push(entry(5, "timestamp.added", "{}"));
        chain.push(entry(6, "receipt.given", "{}"));
        assert_eq!(since_last_packet(&chain).map(|(_, n)| n), Some(1));
        chain.push(entry(7, "contact.added", "{}"));
        assert_eq!(since_last_packet(&chain).map(|(_, n)| n), Some(2));
        // A newer packet that holds it all.
        chain.push(entry(8, "packet.built", r#"{"ledger_length":7}"#));
        assert_eq!(since_last_packet(&chain).map(|(_, n)| n), Some(0));
    }

    #[test]
    fn the_senders_packet_before_an_import_is_not_one_built_here() {
        let chain = vec![
            entry(1, "case.created", "{}"),
            entry(2, "packet.built", r#"{"ledger_length":1}"#),
            entry(3, "case.imported", "{}"),
        ];
        assert_eq!(since_last_packet(&chain), None);
        assert_eq!(since_last_packet(&chain[..2]).map(|(_, n)| n), Some(0));
    }
}
