//! Receipt codes: a short code of the chain's head that the consumer pastes into a message to
//! the company ("my record of this dispute: RC-…"), so the company's own inbox holds proof of
//! what the record was at that moment.
//!
//! `RC-` and the first 80 bits of the hash of ledger entry N, in upper-case hex, in groups of
//! four: `RC-7F3A-91B2-C4D5-E6F7-A8B9` is entry N's hash `7f3a91b2c4d5e6f7a8b9…` in
//! `ledger.jsonl`, so anyone can find the entry it names with a text search. To make a
//! different chain whose entry N gives the same code, a forger must find a second preimage of
//! 80 bits of SHA-256 — about 2⁸⁰ hashes, out of reach. The chain records where each code went
//! out in a `receipt.given` entry: `{code, contact, covers: N}`.

use crate::vault::Sha256;

/// Bytes of the hash a code carries.
pub const CODE_BYTES: usize = 10;

/// The receipt code of an entry whose hash is `hash`.
pub fn code(hash: &Sha256) -> String {
    let hex = hex::encode_upper(&hash.0[..CODE_BYTES]);
    let groups: Vec<&str> = (0..hex.len()).step_by(4).map(|i| &hex[i..i + 4]).collect();
    format!("RC-{}", groups.join("-"))
}

/// A code as a user may type it (any case, with or without dashes and spaces), in its one
/// form; `None` when it is not a receipt code.
pub fn normalize(text: &str) -> Option<String> {
    let t = text.trim();
    let rest = t
        .strip_prefix("RC-")
        .or_else(|| t.strip_prefix("rc-"))
        .or_else(|| t.strip_prefix("RC"))
        .or_else(|| t.strip_prefix("rc"))
        .unwrap_or(t);
    let digits: String = rest.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if digits.len() != CODE_BYTES * 2 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(&digits, &mut bytes[..CODE_BYTES]).ok()?;
    Some(code(&Sha256(bytes)))
}

/// Whether `code` names the entry whose hash is `hash`.
pub fn names(code_text: &str, hash: &Sha256) -> bool {
    normalize(code_text).is_some_and(|c| c == code(hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_the_hash_prefix_in_groups() {
        let h: Sha256 = "7f3a91b2c4d5e6f7a8b9000102030405060708090a0b0c0d0e0f101112131415"
            .parse()
            .unwrap();
        assert_eq!(code(&h), "RC-7F3A-91B2-C4D5-E6F7-A8B9");
        assert!(names("rc-7f3a91b2c4d5e6f7a8b9", &h));
        assert!(names(" RC 7F3A 91B2 C4D5 E6F7 A8B9 ", &h));
        assert!(!names("RC-7F3A-91B2-C4D5-E6F7-A8B8", &h));
        assert_eq!(normalize("RC-7F3A-91B2"), None);
        assert_eq!(normalize("RC-7F3A-91B2-C4D5-E6F7-A8BZ"), None);
    }
}
