//! Salted commitments: how encoding 2 keeps private values out of the hashed chain.
//!
//! A private value (the claimant's name, phone, email and address) is not hashed itself. The
//! payload holds a commitment in its place, and the value and a random salt travel beside the
//! entry, unhashed:
//!
//! ```text
//! payload:     {"case":{"claimant":{"phone":{"commitment":"<64 hex>"}, …}, …}}
//! disclosure:  "/case/claimant/phone" → {"salt":"<64 hex>","value":"010-1234-5678"}
//!
//! commitment = SHA-256( "recourse.commitment.v1" 0x00
//!                       ‖ field(pointer)        UTF-8 JSON pointer (RFC 6901) into the payload
//!                       ‖ salt                  32 random bytes
//!                       ‖ field(value) )        UTF-8
//! field(x)   = u32 big-endian byte length of x ‖ x
//! ```
//!
//! With the value and salt, anyone can check the commitment; without them (a redacted packet)
//! the entry still hashes in full and the 256-bit salt makes guessing the value hopeless. The
//! pointer is inside the commitment, so a disclosed value cannot be moved to another field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Digest;

/// The tag that opens every commitment's input.
pub const COMMITMENT_TAG: &[u8] = b"recourse.commitment.v1\0";

/// What an opened payload shows where a value was withheld.
pub const WITHHELD: &str = "[withheld]";

/// The fields of a claimant object that are committed rather than hashed.
pub const PRIVATE_FIELDS: [&str; 4] = ["name", "phone", "email", "address"];

/// The private fields a redacted packet leaves out (the name stays: a complaint has an
/// applicant).
pub const REDACTED_FIELDS: [&str; 3] = ["phone", "email", "address"];

/// A private value and its salt, as kept beside an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// The salt, 64 hex digits.
    pub salt: String,
    /// The value.
    pub value: String,
}

/// An entry's disclosures, by JSON pointer into its payload.
pub type Disclosures = BTreeMap<String, Disclosure>;

fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The commitment to `value` at `pointer` with `salt` (see the module docs), hex.
pub fn commitment(pointer: &str, salt: &[u8], value: &str) -> String {
    let mut input = Vec::with_capacity(COMMITMENT_TAG.len() + 48 + pointer.len() + value.len());
    input.extend_from_slice(COMMITMENT_TAG);
    field(&mut input, pointer.as_bytes());
    input.extend_from_slice(salt);
    field(&mut input, value.as_bytes());
    hex::encode(sha2::Sha256::digest(&input))
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Replaces every private value of `payload` by its commitment, with a fresh salt from `salt`
/// each; returns the disclosures. Private values are the string fields [`PRIVATE_FIELDS`] of
/// any object under a `claimant` key (directly, or as an edit's `from`/`to`).
pub fn seal(payload: &mut Value, salt: &mut dyn FnMut() -> [u8; 32]) -> Disclosures {
    let mut out = Disclosures::new();
    walk(payload, String::new(), &mut |pointer, claimant| {
        for key in PRIVATE_FIELDS {
            if let Some(Value::String(value)) = claimant.get(key) {
                let p = format!("{pointer}/{key}");
                let s = salt();
                let c = commitment(&p, &s, value);
                out.insert(
                    p,
                    Disclosure {
                        salt: hex::encode(s),
                        value: value.clone(),
                    },
                );
                claimant.insert(key.to_owned(), serde_json::json!({ "commitment": c }));
            }
        }
    });
    out
}

/// Calls `f` with every claimant object in `v` and its pointer.
fn walk(v: &mut Value, pointer: String, f: &mut dyn FnMut(&str, &mut Map<String, Value>)) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                let p = format!("{pointer}/{}", escape_pointer(k));
                if k == "claimant" {
                    claimant_objects(child, p, f);
                } else {
                    walk(child, p, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

fn claimant_objects(
    v: &mut Value,
    pointer: String,
    f: &mut dyn FnMut(&str, &mut Map<String, Value>),
) {
    if let Value::Object(map) = v {
        // An edit's change is exactly `{from, to}`; anything else is a claimant object, even
        // one that also has a `from` key (which would otherwise hide its other fields).
        let is_change = !map.is_empty() && map.keys().all(|k| k == "from" || k == "to");
        if is_change {
            for side in ["from", "to"] {
                if let Some(s) = map.get_mut(side) {
                    claimant_objects(s, format!("{pointer}/{side}"), f);
                }
            }
        } else {
            f(&pointer, map);
        }
    }
}

/// A commitment object's hex, if `v` is one.
fn commitment_of(v: &Value) -> Option<&str> {
    let o = v.as_object()?;
    (o.len() == 1).then(|| o.get("commitment")?.as_str())?
}

/// The pointers of private values `payload` holds in plain text (what encoding 1 did, and
/// encoding 2 forbids).
pub fn plain_values(payload: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut copy = payload.clone();
    walk(&mut copy, String::new(), &mut |pointer, claimant| {
        for key in PRIVATE_FIELDS {
            if let Some(Value::String(_)) = claimant.get(key) {
                out.push(format!("{pointer}/{key}"));
            }
        }
    });
    out
}

/// Every commitment in `payload`, by pointer.
pub fn commitments(payload: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut copy = payload.clone();
    walk(&mut copy, String::new(), &mut |pointer, claimant| {
        for key in PRIVATE_FIELDS {
            if let Some(c) = claimant.get(key).and_then(commitment_of) {
                out.insert(format!("{pointer}/{key}"), c.to_owned());
            }
        }
    });
    out
}

/// What is wrong with an entry's disclosures: a disclosure that matches no commitment of the
/// payload, or whose value and salt do not give it.
pub fn disclosure_problems(payload: &Value, disclosed: &Disclosures) -> Vec<String> {
    let committed = commitments(payload);
    let mut out = Vec::new();
    for (pointer, d) in disclosed {
        let shown = pointer.escape_debug();
        let Some(c) = committed.get(pointer) else {
            out.push(format!(
                "a value is disclosed for {shown}, where the entry holds no commitment"
            ));
            continue;
        };
        let salt = hex::decode(&d.salt).ok().filter(|s| s.len() == 32);
        match salt {
            Some(salt) if commitment(pointer, &salt, &d.value) == *c => {}
            _ => out.push(format!(
                "the value disclosed for {shown} does not match the entry's commitment: it was changed"
            )),
        }
    }
    out
}

/// `payload` with every disclosed value put back in place of its commitment, and
/// [`WITHHELD`] where a commitment has no disclosure.
pub fn open(payload: &Value, disclosed: &Disclosures) -> Value {
    let mut v = payload.clone();
    walk(&mut v, String::new(), &mut |pointer, claimant| {
        for key in PRIVATE_FIELDS {
            if claimant.get(key).and_then(commitment_of).is_some() {
                let p = format!("{pointer}/{key}");
                let value = disclosed
                    .get(&p)
                    .map_or_else(|| WITHHELD.to_owned(), |d| d.value.clone());
                claimant.insert(key.to_owned(), Value::String(value));
            }
        }
    });
    v
}

/// Whether a private value `pointer` names is one a redacted packet leaves out.
pub fn is_redacted_field(pointer: &str) -> bool {
    REDACTED_FIELDS
        .iter()
        .any(|f| pointer.rsplit('/').next() == Some(*f))
}

/// A fresh 32-byte salt from the operating system's generator.
pub fn fresh_salt() -> [u8; 32] {
    let mut s = [0u8; 32];
    // The OS generator does not fail on the systems recourse runs on; if it ever did, a salt
    // from the clock and the process would still differ per field and entry, which is what
    // the salt is for, though it would be guessable.
    if getrandom::fill(&mut s).is_err() {
        let seed = format!(
            "{:?}{}{:p}",
            std::time::SystemTime::now(),
            std::process::id(),
            &s
        );
        s = sha2::Sha256::digest(seed.as_bytes()).into();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealing_opening_and_checking_round_trip() {
        let mut payload: Value = serde_json::from_str(
            r#"{"case":{"title":"t","claimant":{"name":"김소비","phone":"010-1234-5678","email":null,"address":"서울"}}}"#,
        )
        .unwrap();
        let original = payload.clone();
        let mut n = 0u8;
        let disclosed = seal(&mut payload, &mut || {
            n += 1;
            [n; 32]
        });
        assert_eq!(disclosed.len(), 3, "null stays null: {disclosed:?}");
        assert!(!payload.to_string().contains("010-1234-5678"));
        assert!(payload["case"]["claimant"]["email"].is_null());
        assert_eq!(open(&payload, &disclosed), original);
        assert!(disclosure_problems(&payload, &disclosed).is_empty());
        let mut withheld = disclosed.clone();
        withheld.retain(|p, _| !is_redacted_field(p));
        assert_eq!(withheld.len(), 1);
        assert_eq!(
            open(&payload, &withheld)["case"]["claimant"]["phone"],
            WITHHELD
        );
        let mut lied = disclosed.clone();
        lied.get_mut("/case/claimant/phone").unwrap().value = "010-0000-0000".into();
        assert_eq!(disclosure_problems(&payload, &lied).len(), 1);
        let mut moved = disclosed.clone();
        let phone = moved.remove("/case/claimant/phone").unwrap();
        moved.insert("/case/claimant/address".into(), phone);
        assert_eq!(disclosure_problems(&payload, &moved).len(), 1);
    }

    #[test]
    fn a_from_key_beside_private_fields_does_not_hide_them() {
        let payload: Value = serde_json::from_str(
            r#"{"case":{"claimant":{"from":null,"name":"김소비","phone":"010-1234-5678"}}}"#,
        )
        .unwrap();
        assert_eq!(
            plain_values(&payload),
            vec!["/case/claimant/name", "/case/claimant/phone"]
        );
    }

    #[test]
    fn edits_commit_both_sides() {
        let mut payload: Value = serde_json::from_str(
            r#"{"changes":{"claimant":{"from":{"phone":null},"to":{"phone":"010-9"}},"title":{"from":"a","to":"b"}}}"#,
        )
        .unwrap();
        let disclosed = seal(&mut payload, &mut || [7; 32]);
        assert_eq!(
            disclosed.keys().collect::<Vec<_>>(),
            vec!["/changes/claimant/to/phone"]
        );
        assert_eq!(payload["changes"]["title"]["to"], "b");
    }

    /// Known-answer vector, computed independently with Python's hashlib over the bytes laid
    /// out by hand: `hashlib.sha256(b"recourse.commitment.v1\0" + len(p) + p + bytes([1]*32)
    /// + len(v) + v)` with p = "/case/claimant/phone", v = "010-1234-5678".
    #[test]
    fn known_answer_commitment() {
        assert_eq!(
            commitment("/case/claimant/phone", &[1u8; 32], "010-1234-5678"),
            KAT_COMMITMENT
        );
    }

    const KAT_COMMITMENT: &str = "1d9513fbc4077fd06ca275b4f90e98dbe0759c5d7539b370221fc657b30fafba";
}
