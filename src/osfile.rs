//! Where Unix and Windows file handles differ, in one place.
//!
//! **A second handle with its own position** ([`second_handle`]): the verifier streams a
//! packet's entries through one handle and reads headers at fixed offsets through another. On
//! Unix `try_clone` (dup) shares the position, which is harmless there because the fixed reads
//! are `pread`s; on Windows the fixed reads (`seek_read`) move the position, and a duplicated
//! handle shares it, so they would pull the stream out from under the reader. `ReOpenFile`
//! gives a handle of its own to the same file (never another file put at the same path).
//!
//! **A durable rename** ([`persist`]): on Unix a rename is made durable by fsyncing the folder
//! afterwards (`vault::sync_dir`, which callers do). Windows cannot fsync a folder; instead the
//! rename itself waits until it is on disk (MoveFileEx's MOVEFILE_WRITE_THROUGH), which
//! tempfile's own persist does not ask for.
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

/// Renames the finished temporary file to `to` (replacing a file there only with `replace`;
/// otherwise an existing `to` is an `AlreadyExists` error and the temporary file is handed back).
/// On Windows the rename is on disk when this returns; on Unix the caller fsyncs the folder.
pub fn persist(
    tmp: tempfile::NamedTempFile,
    to: &std::path::Path,
    replace: bool,
) -> Result<File, tempfile::PersistError> {
    imp::persist(tmp, to, replace)
}

/// `fs::rename` (replacing `to`), on Windows with the rename on disk when this returns.
pub fn rename(from: &std::path::Path, to: &std::path::Path) -> io::Result<()> {
    imp::rename(from, to)
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

    pub fn rename(from: &std::path::Path, to: &std::path::Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    pub fn persist(
        tmp: tempfile::NamedTempFile,
        to: &std::path::Path,
        replace: bool,
    ) -> Result<File, tempfile::PersistError> {
        if replace {
            tmp.persist(to)
        } else {
            tmp.persist_noclobber(to)
        }
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
        LOCKFILE_EXCLUSIVE_LOCK, LOCKFILE_FAIL_IMMEDIATELY, LockFileEx, MOVEFILE_REPLACE_EXISTING,
        MOVEFILE_WRITE_THROUGH, MoveFileExW, ReOpenFile,
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

    /// A path for a Win32 call, NUL-terminated: absolute, and in the `\\?\` form when it is
    /// too long for MAX_PATH (std does the same for its own calls; raw calls must do it here).
    fn wide(p: &std::path::Path) -> Vec<u16> {
        use std::os::windows::ffi::OsStrExt;
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
        let text = p.as_os_str().to_string_lossy();
        let mut s = std::ffi::OsString::new();
        if p.as_os_str().len() >= 248 && !text.starts_with(r"\\?\") {
            match text.strip_prefix(r"\\") {
                Some(unc) => {
                    s.push(r"\\?\UNC\");
                    s.push(unc);
                }
                None => {
                    s.push(r"\\?\");
                    s.push(p.as_os_str());
                }
            }
        } else {
            s.push(p.as_os_str());
        }
        s.encode_wide().chain(std::iter::once(0)).collect()
    }

    pub fn rename(from: &std::path::Path, to: &std::path::Path) -> io::Result<()> {
        let (from_w, to_w) = (wide(from), wide(to));
        let flags = MOVEFILE_WRITE_THROUGH | MOVEFILE_REPLACE_EXISTING;
        // SAFETY: both are NUL-terminated UTF-16 strings that live across the call.
        if unsafe { MoveFileExW(from_w.as_ptr(), to_w.as_ptr(), flags) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    pub fn persist(
        tmp: tempfile::NamedTempFile,
        to: &std::path::Path,
        replace: bool,
    ) -> Result<File, tempfile::PersistError> {
        // No longer deleted on drop, and its attributes normal (tempfile marks its files
        // TEMPORARY, which tells the cache manager it need not write them at all).
        let (file, path) = tmp.keep()?;
        let mut flags = MOVEFILE_WRITE_THROUGH;
        if replace {
            flags |= MOVEFILE_REPLACE_EXISTING;
        }
        let (from_w, to_w) = (wide(&path), wide(to));
        // SAFETY: both are NUL-terminated UTF-16 strings that live across the call.
        if unsafe { MoveFileExW(from_w.as_ptr(), to_w.as_ptr(), flags) } == 0 {
            let error = io::Error::last_os_error();
            // Handed back as it was given: deleted on drop again. (`from_path` keeps a relative
            // path as it is when the working directory is gone; `try_from_path` would fail.)
            #[allow(deprecated)]
            let path = tempfile::TempPath::from_path(path);
            let file = tempfile::NamedTempFile::from_parts(file, path);
            return Err(tempfile::PersistError { error, file });
        }
        Ok(file)
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

/// Removes the files in `dir` whose names `pick` takes and that no live process holds (a
/// writer keeps its temp file under the alive lock until it renames it into place); returns
/// how many. The one cleaner of killed imports' and builds' leftovers.
pub fn remove_unheld(dir: &std::path::Path, pick: impl Fn(&str) -> bool) -> io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)?.flatten() {
        if !pick(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else {
            continue;
        };
        if matches!(try_lock(&file), Ok(true)) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persist_and_rename_work_in_a_folder_past_windows_max_path() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_owned();
        while deep.as_os_str().len() < 300 {
            deep.push("긴_폴더_이름_long_folder_name");
        }
        std::fs::create_dir_all(&deep).unwrap();
        let mut tmp = tempfile::NamedTempFile::new_in(&deep).unwrap();
        tmp.write_all(b"deep").unwrap();
        let to = deep.join("증거.txt");
        persist(tmp, &to, false).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"deep");
        let moved = deep.join("옮김.txt");
        rename(&to, &moved).unwrap();
        assert_eq!(std::fs::read(&moved).unwrap(), b"deep");
    }

    #[test]
    fn persist_replaces_only_when_asked_and_hands_the_file_back() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let to = dir.path().join("to");
        std::fs::write(&to, b"old").unwrap();
        let mut tmp = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
        tmp.write_all(b"new").unwrap();
        let err = persist(tmp, &to, false).unwrap_err();
        assert_eq!(err.error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&to).unwrap(), b"old");
        let back = err.file.path().to_owned();
        assert!(back.exists(), "the temporary file is handed back");
        persist(err.file, &to, true).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"new");
        assert!(!back.exists());
        // A temporary file handed back and then dropped is removed, as any other.
        let tmp = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
        let err = persist(tmp, &to, false).unwrap_err();
        let path = err.file.path().to_owned();
        drop(err);
        assert!(!path.exists());
    }

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
