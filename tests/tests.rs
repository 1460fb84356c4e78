//! Integration tests: each runs the built `recourse` binary against its own data directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

mod advisor;
mod audio;
mod bad_input;
mod bounds;
mod browser;
mod cases;
mod crash;
mod evidence;
mod forgery;
mod hostile;
mod packet;
mod proof;
mod pulse;
mod stress;
mod tamper;
