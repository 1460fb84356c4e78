//! Proof of when and who, kept apart from integrity: an intact packet can still be a fake
//! built yesterday with back-dated times, by anyone.
//!
//! - [`tsa`]: RFC 3161 timestamps over a chain position, made through a TSA the user chose
//!   (or by hand with `openssl ts`) and checked offline.
//! - [`key`]: the data directory's Ed25519 sender key, which signs every packet's manifest.
//! - [`receipt`]: receipt codes of chain positions that the company keeps in its own inbox.

pub mod chain;
pub mod key;
pub mod receipt;
pub mod stamp;
pub mod tsa;
