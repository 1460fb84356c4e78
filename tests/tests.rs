//! Integration tests: each runs the built `recourse` binary against its own data directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

mod advisor;
mod audio;
mod bad_input;
// Unix modes, FIFOs and non-UTF-8 names; the Windows build is tried by .ci/windows.
#[cfg(unix)]
mod bounds;
mod browser;
mod cases;
mod concurrent;
mod crash;
// Unix modes, FIFOs and non-UTF-8 names; the Windows build is tried by .ci/windows.
#[cfg(unix)]
mod evidence;
mod forgery;
// Unix modes, FIFOs and non-UTF-8 names; the Windows build is tried by .ci/windows.
#[cfg(unix)]
mod hostile;
mod packet;
mod proof;
mod pulse;
mod stress;
// Unix modes, FIFOs and non-UTF-8 names; the Windows build is tried by .ci/windows.
#[cfg(unix)]
mod tamper;
