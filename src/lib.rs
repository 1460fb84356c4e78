//! recourse: the core of an app that stands beside a consumer in a dispute with a company's
//! customer-service center.
//!
//! The core knows nothing of windows or terminals: the GUI (`gui`, behind the default `gui`
//! feature) and the command line (`cli`) are thin faces over it.
//!
//! - [`model`]: cases, contacts, promises with the five questions, evidence.
//! - [`store`]: the SQLite database; every change appends to the case's [`ledger`].
//! - [`vault`]: evidence files by SHA-256, written once.
//! - [`evidence`]: what a file is (kind, media type, capture time) and adding it to a case.
//! - [`audio`]: call recording (device → queue → WAV), recovery after a crash, bookmarks.
//! - [`advisor`]: what to do next, as a pure function of a case and the time.
//! - [`fsck`]: the check that all of the above still holds.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod advisor;
pub mod audio;
pub mod cli;
pub mod clock;
pub mod datadir;
pub mod evidence;
pub mod fonts;
pub mod fsck;
#[cfg(feature = "gui")]
pub mod gui;
pub mod ledger;
pub mod letters;
pub mod model;
pub mod money;
pub mod names;
pub mod osfile;
pub mod packet;
pub mod proof;
pub mod store;
pub mod vault;
