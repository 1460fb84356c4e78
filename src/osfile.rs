//! Where Unix and Windows file handles differ, in one place.
//!
//! **A second handle with its own position** ([`second_handle`]): the verifier streams a
//! packet's entries through one handle and reads headers at fixed offsets through another. On
//! Unix `try_clone` (dup) shares the position, which is harmless there because the fixed reads
//! are `pread`s; on Windows the fixed reads (`seek_read`) move the position, and a duplicated
//! handle shares it, so they would pull the stream out from under the reader. `ReOpenFile`
//! gives a handle of its own to the same file (never another file put at the same path).
//!
//! **The "still alive" lock** ([`lock`], [`try_lock`]) a process holds on a temporary file it is writing (a vault import, a
//! packet being built or imported, a recording), so that the next start removes only the files
//! of processes that were killed.
//!
//! On Unix this is `flock`, which is advisory: it never stops reading or writing the file. On
//! Windows, `LockFileEx` (what std's `File::lock` calls) is mandatory for the bytes it covers,
//! and std covers them all, so a second handle — the packet hashed after it is written, the
//! recording read back after a crash — could not read the file its own process locked. Here the
//! lock covers one byte far past any data instead: it still excludes every other lock taken the
//! same way, and reads and writes of the file itself are untouched.

use std::fs::File;
use std::io;

/// Another handle to the file `file` is, reading from a position of its own.
pub fn second_handle(file: &File) -> io::Result<File> {
    imp::second_handle(file)
}

/// Takes the lock, waiting while another process holds it.
pub fn lock(file: &File) -> io::Result<()> {
    imp::lock(file, true).map(|_| ())
}

/// Takes the lock if no other process holds it: `Ok(false)` when one does.
pub fn try_lock(file: &File) -> io::Result<bool> {
    imp::lock(file, false)
}

#[cfg(not(windows))]
mod imp {
    use std::fs::{File, TryLockError};
    use std::io;

    pub fn second_handle(file: &File) -> io::Result<File> {
        file.try_clone()
    }

    pub fn lock(file: &File, wait: bool) -> io::Result<bool> {
        if wait {
            return file.lock().map(|()| true);
        }
        match file.try_lock() {
            Ok(()) => Ok(true),
            Err(TryLockError::WouldBlock) => Ok(false),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }
}

#[cfg(windows)]
mod imp {
    use std::fs::File;
    use std::io;
    use std::os::windows::io::{AsRawHandle, FromRawHandle};

    use windows_sys::Win32::Foundation::{ERROR_LOCK_VIOLATION, HANDLE, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::Storage::FileSystem::{
        FILE_GENERIC_READ, FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE,
        LOCKFILE_EXCLUSIVE_LOCK, LOCKFILE_FAIL_IMMEDIATELY, LockFileEx, ReOpenFile,
    };
    use windows_sys::Win32::System::IO::OVERLAPPED;

    /// The locked byte: far past any file this app writes, below 2^63 (what Wine accepts).
    const OFFSET: u64 = 0x7fff_ffff_ffff_0000;

    pub fn second_handle(file: &File) -> io::Result<File> {
        // SAFETY: the handle is valid for the life of `file`; the new one is owned by the
        // returned File, which closes it.
        let handle = unsafe {
            ReOpenFile(
                file.as_raw_handle() as HANDLE,
                FILE_GENERIC_READ,
                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                0,
            )
        };
        if handle == INVALID_HANDLE_VALUE || handle.is_null() {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a fresh handle nothing else owns.
        Ok(unsafe { File::from_raw_handle(handle as _) })
    }

    pub fn lock(file: &File, wait: bool) -> io::Result<bool> {
        let mut flags = LOCKFILE_EXCLUSIVE_LOCK;
        if !wait {
            flags |= LOCKFILE_FAIL_IMMEDIATELY;
        }
        // SAFETY: a zeroed OVERLAPPED is valid; only its offset fields are set.
        let mut overlapped: OVERLAPPED = unsafe { std::mem::zeroed() };
        overlapped.Anonymous.Anonymous.Offset = OFFSET as u32;
        overlapped.Anonymous.Anonymous.OffsetHigh = (OFFSET >> 32) as u32;
        // SAFETY: the handle is valid for the life of `file`; for a handle opened without
        // FILE_FLAG_OVERLAPPED (std never sets it) the call completes before it returns, so
        // `overlapped` outlives its use.
        let ok = unsafe {
            LockFileEx(
                file.as_raw_handle() as HANDLE,
                flags,
                0,
                1,
                0,
                &mut overlapped,
            )
        };
        if ok != 0 {
            return Ok(true);
        }
        let err = io::Error::last_os_error();
        if !wait && err.raw_os_error() == Some(ERROR_LOCK_VIOLATION as i32) {
            return Ok(false);
        }
        Err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_handle_reads_from_its_own_position() {
        use std::io::{Read, Write};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::File::create_new(&path)
            .unwrap()
            .write_all(b"0123456789")
            .unwrap();
        let mut a = File::open(&path).unwrap();
        let b = second_handle(&a).unwrap();
        let mut two = [0u8; 2];
        a.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"01");
        // A positional read through `b`, as the verifier makes of headers.
        #[cfg(unix)]
        std::os::unix::fs::FileExt::read_exact_at(&b, &mut two, 6).unwrap();
        #[cfg(windows)]
        std::os::windows::fs::FileExt::seek_read(&b, &mut two, 6).unwrap();
        assert_eq!(&two, b"67");
        a.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"23", "the stream through `a` goes on where it was");
    }

    #[test]
    fn a_second_handle_cannot_take_it_but_can_read_and_write() {
        use std::io::{Read, Seek, Write};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let mut a = File::create_new(&path).unwrap();
        lock(&a).unwrap();
        a.write_all(b"alive").unwrap();
        let mut b = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        assert!(
            !try_lock(&b).unwrap(),
            "the lock is held by the first handle"
        );
        let mut text = String::new();
        b.read_to_string(&mut text).unwrap();
        assert_eq!(text, "alive");
        b.seek(io::SeekFrom::End(0)).unwrap();
        b.write_all(b"!").unwrap();
        drop(a);
        assert!(
            try_lock(&b).unwrap(),
            "free once the first handle is closed"
        );
    }
}
