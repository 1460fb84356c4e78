//! The proofs a chain holds, checked: every `timestamp.added` token against the entry it
//! covers, every `receipt.given` code against the entry it names. The builder puts these in the
//! report; the verifier turns them into its "when" claim and its findings.

use base64::Engine;
use serde_json::Value;

use super::tsa::{self, TokenInfo, TokenProblem};
use crate::ledger::Entry;

/// One `timestamp.added` entry, checked.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// The entry's own position.
    pub seq: u64,
    /// The position its token covers.
    pub covers: u64,
    /// The token (DER), when its base64 could be read.
    pub token: Option<Vec<u8>>,
    /// What the token says, or why it proves nothing.
    pub result: Result<TokenInfo, TokenProblem>,
}

impl Stamp {
    /// Its file in a packet: `timestamps/TS<seq>.tst`.
    pub fn file_name(&self) -> String {
        format!("timestamps/TS{:03}.tst", self.seq)
    }
}

/// One `receipt.given` entry, checked.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// The entry's own position.
    pub seq: u64,
    /// When it was recorded (RFC 3339 UTC, as hashed).
    pub at: String,
    /// The code as recorded.
    pub code: String,
    /// The contact it went out in (as the case's records number it).
    pub contact: i64,
    /// The position it names.
    pub covers: u64,
    /// Why it does not name that position, if it does not.
    pub problem: Option<String>,
}

/// The proofs of a chain.
#[derive(Debug, Clone, Default)]
pub struct Proofs {
    /// Timestamps in chain order.
    pub stamps: Vec<Stamp>,
    /// Receipt codes in chain order.
    pub receipts: Vec<Receipt>,
}

impl Proofs {
    /// The position the best valid timestamp covers, with its token's facts.
    pub fn latest_stamp(&self) -> Option<(&Stamp, &TokenInfo)> {
        self.stamps
            .iter()
            .filter_map(|s| s.result.as_ref().ok().map(|i| (s, i)))
            .max_by_key(|(s, i)| (s.covers, std::cmp::Reverse(i.gen_time)))
    }

    /// Every problem, in words, for the verifier's findings.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.stamps {
            if let Err(e) = &s.result {
                out.push(format!(
                    "the timestamp in entry {} (over entry {}) proves nothing: {e}",
                    s.seq, s.covers
                ));
            }
        }
        for r in &self.receipts {
            if let Some(p) = &r.problem {
                out.push(format!(
                    "the receipt code in entry {} ({}): {p}",
                    r.seq,
                    r.code.escape_debug()
                ));
            }
        }
        out
    }
}

/// Checks the proofs in `entries` (a chain in order, hashes as stored).
pub fn proofs(entries: &[Entry]) -> Proofs {
    let mut out = Proofs::default();
    // Contacts as the report numbers them: an imported chain's ids become this database's.
    let translated = entries
        .iter()
        .any(|e| e.kind == "case.imported" && e.seq > 1)
        .then(|| crate::ledger::translate(entries));
    let contact_of = |e: &Entry, p: &Value| {
        let own = p.get("contact").and_then(Value::as_i64).unwrap_or(0);
        translated
            .as_ref()
            .and_then(|t| t.iter().find(|x| x.seq == e.seq))
            .and_then(|x| serde_json::from_str::<Value>(&x.payload).ok())
            .and_then(|x| x.get("contact").and_then(Value::as_i64))
            .unwrap_or(own)
    };
    let hash_of = |seq: u64| entries.iter().find(|e| e.seq == seq).map(|e| e.hash);
    for e in entries {
        if e.kind != "timestamp.added" && e.kind != "receipt.given" {
            continue;
        }
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let covers = p.get("covers").and_then(Value::as_u64).unwrap_or(0);
        let covered = (covers >= 1 && covers < e.seq)
            .then(|| hash_of(covers))
            .flatten();
        if e.kind == "timestamp.added" {
            let token = p
                .get("token")
                .and_then(Value::as_str)
                .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok());
            let result = match (&token, covered) {
                (None, _) => Err(TokenProblem("its token is not base64".into())),
                (_, None) => Err(TokenProblem(format!(
                    "it names entry {covers}, which is not an earlier entry of this chain"
                ))),
                (Some(t), Some(h)) => tsa::check(t, &h),
            };
            out.stamps.push(Stamp {
                seq: e.seq,
                covers,
                token,
                result,
            });
        } else {
            let code = p
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let problem = match covered {
                None => Some(format!(
                    "it names entry {covers}, which is not an earlier entry of this chain"
                )),
                Some(h) if super::receipt::normalize(&code).as_deref() != Some(code.as_str()) => {
                    Some(format!(
                        "it is not a receipt code in its one form (entry {covers} gives {})",
                        super::receipt::code(&h)
                    ))
                }
                Some(h) if !super::receipt::names(&code, &h) => Some(format!(
                    "it does not match entry {covers}, whose hash gives {}",
                    super::receipt::code(&h)
                )),
                Some(_) => None,
            };
            out.receipts.push(Receipt {
                seq: e.seq,
                at: e.at.clone(),
                code,
                contact: contact_of(e, &p),
                covers,
                problem,
            });
        }
    }
    out
}

/// A token's certificate chain in a reviewer's words: the names are what the token claims, so
/// the root is named by its fingerprint too, and trusting it is the reviewer's decision.
pub fn chain_words(info: &TokenInfo, ko: bool) -> String {
    let path = info.chain.join(" → ");
    let fp = &info.anchor_sha256;
    match (&info.missing_issuer, info.chain_complete, ko) {
        (_, true, true) => format!(
            "인증서 사슬 포함: {path}; 루트 인증서 SHA-256 {fp} — 이름은 토큰이 스스로 밝힌 것이므로, 이 지문이 믿는 TSA가 공개한 루트와 같을 때에만 증명이 됩니다"
        ),
        (_, true, false) => format!(
            "certificate chain included: {path}; root certificate SHA-256 {fp} — the names are the token's own claims: this proves the time only if that fingerprint is the published root of a TSA you trust"
        ),
        (Some(issuer), false, true) => format!(
            "인증서 사슬 일부 포함: {path} (맨 위 인증서 SHA-256 {fp}) — 그 위의 {issuer} 인증서는 묶음에 없습니다"
        ),
        (Some(issuer), false, false) => format!(
            "certificate chain partly included: {path} (top certificate SHA-256 {fp}) — the certificate of its issuer {issuer} is not in the packet"
        ),
        (None, false, true) => format!("인증서 사슬: {path} (맨 위 인증서 SHA-256 {fp})"),
        (None, false, false) => format!("certificate chain: {path} (top certificate SHA-256 {fp})"),
    }
}
