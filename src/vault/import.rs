//! Streaming a file into the vault with one read: the calling thread reads a chunk and hashes
//! it while a named writer thread writes the same chunk to the temp file, so hashing and writing
//! overlap (two cores) and the source is read exactly once.
//!
//! Chunks travel as `Arc<Vec<u8>>` through bounded channels and come back to be reused, so
//! memory stays at `BUFFERS × CHUNK_BYTES` whatever the file size. On Linux the writer also asks
//! the kernel to start writing each chunk back at once (`sync_file_range`), so the final fsync
//! has little left to do.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

use sha2::Digest;

use super::{Control, Sha256, Vault, VaultError, sync_dir};

/// Bytes per chunk read, hashed and written.
pub(super) const CHUNK_BYTES: usize = 4 << 20;
/// Chunks in flight at most (bounds memory at 16 MiB).
const BUFFERS: usize = 4;

/// A filled buffer and how many of its bytes are data.
type Chunk = (Arc<Vec<u8>>, usize);

/// An object now in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// Its digest and name.
    pub sha256: Sha256,
    /// Its size.
    pub size_bytes: u64,
    /// Whether an identical object was already there.
    pub was_present: bool,
}

impl Vault {
    /// Imports the regular file at `path`: one read, hashed while copied, durable on return.
    pub fn import_file(&self, path: &Path, control: &Control) -> Result<Stored, VaultError> {
        check_source(path)?;
        let read_err = |source| VaultError::Read {
            path: path.to_owned(),
            source,
        };
        let file = open_nonblocking(path).map_err(read_err)?;
        // Judge what was opened, not what the path named a moment earlier (it may have been
        // swapped for a pipe, which would block the read forever).
        let meta = file.metadata().map_err(read_err)?;
        if !meta.is_file() {
            return Err(VaultError::NotAFile {
                path: path.to_owned(),
            });
        }
        advise_sequential(&file);
        let stored = self.import_reader(&file, path, control)?;
        // A file truncated, extended or rewritten while being read gives a digest of something
        // that never existed as a whole; refuse it rather than file it.
        let after = file.metadata().map_err(read_err)?;
        let rewritten = after.modified().ok() != meta.modified().ok();
        if stored.size_bytes != meta.len() || after.len() != meta.len() || rewritten {
            let actual = if stored.size_bytes != meta.len() {
                stored.size_bytes
            } else {
                after.len()
            };
            // The object itself is a faithful copy of the bytes read; it stays (harmless,
            // unreferenced) rather than racing another import that may share it.
            return Err(VaultError::Changed {
                path: path.to_owned(),
                expected: meta.len(),
                actual,
            });
        }
        Ok(stored)
    }

    /// Imports everything `reader` yields. `origin` names the source in errors.
    pub fn import_reader(
        &self,
        reader: impl Read,
        origin: &Path,
        control: &Control,
    ) -> Result<Stored, VaultError> {
        // A full disk is about the file being added, not our temp file: name that one.
        self.store_stream(reader, origin, control)
            .map_err(|e| match e {
                VaultError::DiskFull { .. } => VaultError::DiskFull {
                    path: origin.to_owned(),
                },
                other => other,
            })
    }

    fn store_stream(
        &self,
        reader: impl Read,
        origin: &Path,
        control: &Control,
    ) -> Result<Stored, VaultError> {
        let tmp = self.locked_temp_file()?;

        let (sha256, size_bytes) =
            copy_hashing(reader, tmp.as_file(), origin, tmp.path(), control)?;

        let file = tmp.as_file();
        file.sync_all()
            .map_err(|e| VaultError::write("syncing", tmp.path(), e))?;
        make_read_only(tmp.path())
            .map_err(|e| VaultError::write("making read-only", tmp.path(), e))?;

        let target = self.object_path(&sha256);
        let Some(fan_dir) = target.parent() else {
            return Err(VaultError::write(
                "placing",
                &target,
                io::Error::other("object path has no parent"),
            ));
        };
        super::private_dir_all(fan_dir).map_err(|e| VaultError::write("creating", fan_dir, e))?;
        // Always, not only when we made the fan directory: a process killed between making it
        // and syncing its parent would otherwise leave it undurable for every later import.
        let objects = self.objects_dir();
        sync_dir(&objects).map_err(|e| VaultError::write("syncing", &objects, e))?;
        let was_present = match crate::osfile::persist(tmp, &target, false) {
            Ok(_) => false,
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
                // Same name, so the same bytes — unless the stored copy was damaged. Then the
                // fresh, verified copy replaces it rather than a new row pointing at bad bytes.
                if self.check(&sha256, control)? == super::ObjectCheck::Intact {
                    true
                } else {
                    // Windows refuses to replace a read-only file; Unix needs only the folder.
                    #[cfg(not(unix))]
                    clear_read_only(&target)
                        .map_err(|e| VaultError::write("replacing a damaged object", &target, e))?;
                    crate::osfile::persist(e.file, &target, true).map_err(|e| {
                        VaultError::write("replacing a damaged object", &target, e.error)
                    })?;
                    false
                }
            }
            Err(e) => return Err(VaultError::write("renaming into place", &target, e.error)),
        };
        // On Windows the rename (`osfile::persist`, through tempfile's keep) clears the
        // attributes, read-only among them: set it on the name it now has.
        #[cfg(not(unix))]
        if !was_present {
            make_read_only(&target)
                .map_err(|e| VaultError::write("making read-only", &target, e))?;
        }
        sync_dir(fan_dir).map_err(|e| VaultError::write("syncing", fan_dir, e))?;
        Ok(Stored {
            sha256,
            size_bytes,
            was_present,
        })
    }
}

impl Vault {
    /// A new temp file under `tmp/`, held under an exclusive lock until it is renamed or
    /// dropped; the lock tells `clean_tmp` in another process that the file is alive. Between
    /// creating and locking, such a cleaner could remove it: then the path no longer names our
    /// file, and we start again.
    fn locked_temp_file(&self) -> Result<tempfile::NamedTempFile, VaultError> {
        let tmp_dir = self.tmp_dir();
        for _ in 0..5 {
            let tmp = tempfile::Builder::new()
                .prefix("import-")
                .tempfile_in(&tmp_dir)
                .map_err(|e| VaultError::write("creating a temp file", &tmp_dir, e))?;
            crate::osfile::lock(tmp.as_file())
                .map_err(|e| VaultError::write("locking the temp file", tmp.path(), e))?;
            if same_file(tmp.as_file(), tmp.path()) {
                return Ok(tmp);
            }
        }
        Err(VaultError::write(
            "creating a temp file",
            &tmp_dir,
            io::Error::other("another process keeps removing it"),
        ))
    }
}

/// Whether `path` still names the open `file`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Checks that `path` is a regular file that can be imported (following symlinks), and says
/// precisely what it is otherwise.
pub fn check_source(path: &Path) -> Result<fs::Metadata, VaultError> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => VaultError::NotFound {
            path: path.to_owned(),
        },
        _ => VaultError::Read {
            path: path.to_owned(),
            source: e,
        },
    })?;
    if meta.is_dir() {
        return Err(VaultError::IsDirectory {
            path: path.to_owned(),
        });
    }
    if !meta.is_file() {
        return Err(VaultError::NotAFile {
            path: path.to_owned(),
        });
    }
    Ok(meta)
}

/// Reads `reader` to the end once, hashing on this thread and writing to `out` on a writer
/// thread. Returns the digest and the byte count.
fn copy_hashing(
    mut reader: impl Read,
    out: &File,
    origin: &Path,
    tmp_path: &Path,
    control: &Control,
) -> Result<(Sha256, u64), VaultError> {
    let (to_writer, chunks) = sync_channel::<Chunk>(BUFFERS);
    let (give_back, returned) = sync_channel::<Arc<Vec<u8>>>(BUFFERS);

    thread::scope(|scope| {
        let writer = thread::Builder::new()
            .name("vault-writer".into())
            .spawn_scoped(scope, move || write_chunks(out, chunks, give_back))
            .map_err(|e| VaultError::write("starting the writer thread", tmp_path, e))?;

        let mut hasher = sha2::Sha256::new();
        let mut total: u64 = 0;
        let mut allocated = 0;
        let read_result: Result<(), VaultError> = loop {
            if control.is_cancelled() {
                break Err(VaultError::Cancelled);
            }
            let mut buf = if allocated < BUFFERS {
                allocated += 1;
                vec![0u8; CHUNK_BYTES]
            } else {
                match returned.recv() {
                    // The writer dropped its clone before handing it back, and so did we.
                    Ok(shared) => {
                        Arc::try_unwrap(shared).unwrap_or_else(|_| vec![0u8; CHUNK_BYTES])
                    }
                    // The writer stopped: its error is reported below.
                    Err(_) => break Ok(()),
                }
            };
            let n = match read_full(&mut reader, &mut buf) {
                Ok(n) => n,
                Err(source) => {
                    break Err(VaultError::Read {
                        path: origin.to_owned(),
                        source,
                    });
                }
            };
            if n == 0 {
                break Ok(());
            }
            let shared = Arc::new(buf);
            if to_writer.send((Arc::clone(&shared), n)).is_err() {
                break Ok(());
            }
            hasher.update(&shared[..n]);
            drop(shared);
            total += n as u64;
            control.done_bytes.fetch_add(n as u64, Ordering::Relaxed);
            if n < CHUNK_BYTES {
                break Ok(());
            }
        };
        drop(to_writer);
        // Keep receiving returned buffers so the writer never blocks on giving back.
        drop(returned);
        let write_result = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")));
        read_result?;
        write_result.map_err(|e| VaultError::write("writing", tmp_path, e))?;
        Ok((Sha256(hasher.finalize().into()), total))
    })
}

/// The writer thread: writes each chunk in order, starts its write-back, hands the buffer back.
fn write_chunks(
    out: &File,
    chunks: Receiver<Chunk>,
    give_back: SyncSender<Arc<Vec<u8>>>,
) -> io::Result<()> {
    let mut writer = out;
    let mut offset: u64 = 0;
    for (buf, n) in chunks {
        writer.write_all(&buf[..n])?;
        start_writeback(out, offset, n);
        offset += n as u64;
        // The reader may have stopped; then the buffer is simply freed.
        let _ = give_back.try_send(buf);
    }
    Ok(())
}

/// Fills `buf` as far as the reader allows; returns fewer bytes only at the end.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Opens for reading without blocking on a FIFO (regular files ignore the flag).
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Makes a finished object read-only (0444 on Unix), so nothing rewrites it by accident.
fn make_read_only(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    let perms = {
        use std::os::unix::fs::PermissionsExt;
        fs::Permissions::from_mode(0o444)
    };
    #[cfg(not(unix))]
    let perms = {
        let mut p = fs::metadata(path)?.permissions();
        p.set_readonly(true);
        p
    };
    fs::set_permissions(path, perms)
}

/// Lets a damaged object be replaced on Windows (a read-only file cannot be).
#[cfg(not(unix))]
fn clear_read_only(path: &Path) -> io::Result<()> {
    let mut p = fs::metadata(path)?.permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    p.set_readonly(false);
    fs::set_permissions(path, p)
}

/// Tells the kernel the source will be read front to back once (larger read-ahead).
fn advise_sequential(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the fd is valid for the life of `file`; the call only sets a hint.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_SEQUENTIAL);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Asks the kernel to start writing a just-written range to disk now, without waiting, so the
/// final fsync overlaps with the copy instead of following it.
fn start_writeback(file: &File, offset: u64, len: usize) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the fd is valid for the life of `file`; the call only schedules write-back
        // of pages already written and does not touch memory we own.
        unsafe {
            libc::sync_file_range(
                file.as_raw_fd(),
                offset as libc::off64_t,
                len as libc::off64_t,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, offset, len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::ObjectCheck;

    fn vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let (vault, _) = Vault::open(&dir.path().join("vault")).unwrap();
        (dir, vault)
    }

    /// Bytes that are not all alike, so a chunk swapped or dropped changes the digest.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn stores_by_digest_across_chunk_boundaries() {
        let (_dir, vault) = vault();
        for len in [
            0,
            1,
            CHUNK_BYTES - 1,
            CHUNK_BYTES,
            CHUNK_BYTES + 1,
            3 * CHUNK_BYTES + 17,
        ] {
            let data = pattern(len);
            let stored = vault
                .import_reader(&data[..], Path::new("mem"), &Control::default())
                .unwrap();
            assert_eq!(stored.sha256, Sha256::of(&data), "len {len}");
            assert_eq!(stored.size_bytes, len as u64);
            assert_eq!(fs::read(vault.object_path(&stored.sha256)).unwrap(), data);
            assert_eq!(
                vault.check(&stored.sha256, &Control::default()).unwrap(),
                ObjectCheck::Intact
            );
        }
        assert!(vault.temp_files().is_empty());
    }

    #[test]
    fn an_identical_object_is_success_and_stays_read_only() {
        let (_dir, vault) = vault();
        let data = pattern(1000);
        let first = vault
            .import_reader(&data[..], Path::new("a"), &Control::default())
            .unwrap();
        let second = vault
            .import_reader(&data[..], Path::new("b"), &Control::default())
            .unwrap();
        assert!(!first.was_present);
        assert!(second.was_present);
        assert_eq!(first.sha256, second.sha256);
        let perms = fs::metadata(vault.object_path(&first.sha256))
            .unwrap()
            .permissions();
        assert!(perms.readonly());
    }

    /// A reader that fails after some bytes, like a disk error or a vanished network file.
    struct FailingReader {
        left: usize,
    }

    impl Read for FailingReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("device went away"));
            }
            let n = buf.len().min(self.left).min(1 << 16);
            buf[..n].fill(7);
            self.left -= n;
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_mid_copy_leaves_no_object_and_no_temp_file() {
        let (_dir, vault) = vault();
        let err = vault
            .import_reader(
                FailingReader {
                    left: CHUNK_BYTES + 5,
                },
                Path::new("flaky.bin"),
                &Control::default(),
            )
            .unwrap_err();
        assert!(matches!(err, VaultError::Read { .. }), "{err}");
        assert!(err.to_string().ends_with("flaky.bin"), "{err}");
        assert!(vault.objects().is_empty());
        assert!(vault.temp_files().is_empty());
    }

    #[test]
    fn cancel_stops_and_leaves_nothing() {
        let (_dir, vault) = vault();
        let control = Control::default();
        control.cancel.store(true, Ordering::Relaxed);
        let data = pattern(3 * CHUNK_BYTES);
        let err = vault
            .import_reader(&data[..], Path::new("x"), &control)
            .unwrap_err();
        assert!(matches!(err, VaultError::Cancelled));
        assert!(vault.objects().is_empty());
        assert!(vault.temp_files().is_empty());
    }

    #[test]
    fn altered_object_is_detected() {
        let (_dir, vault) = vault();
        let data = pattern(5000);
        let stored = vault
            .import_reader(&data[..], Path::new("x"), &Control::default())
            .unwrap();
        let path = vault.object_path(&stored.sha256);
        let mut perms = fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(&path, perms).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        bytes[4000] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert_eq!(
            vault.check(&stored.sha256, &Control::default()).unwrap(),
            ObjectCheck::Altered {
                actual: Sha256::of(&bytes)
            }
        );
    }

    #[test]
    fn importing_again_repairs_a_damaged_object() {
        let (_dir, vault) = vault();
        let data = pattern(3000);
        let stored = vault
            .import_reader(&data[..], Path::new("x"), &Control::default())
            .unwrap();
        let path = vault.object_path(&stored.sha256);
        // Damaged in place, as a disk or a careless program would: Windows will not remove a
        // read-only file, so the attribute goes first.
        let mut writable = fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        writable.set_readonly(false);
        fs::set_permissions(&path, writable).unwrap();
        fs::write(&path, b"damaged").unwrap();
        let again = vault
            .import_reader(&data[..], Path::new("x"), &Control::default())
            .unwrap();
        assert!(
            !again.was_present,
            "a damaged copy does not count as present"
        );
        assert_eq!(fs::read(&path).unwrap(), data);
        assert!(fs::metadata(&path).unwrap().permissions().readonly());
    }

    #[test]
    fn a_misplaced_file_is_not_taken_for_an_object() {
        let (_dir, vault) = vault();
        let sha = Sha256::of(b"x").to_hex();
        let odd = vault.root().join("objects").join(&sha[..1]);
        fs::create_dir_all(&odd).unwrap();
        fs::write(odd.join(&sha[1..]), b"x").unwrap();
        assert!(matches!(vault.objects().as_slice(), [Err(_)]));
    }

    #[test]
    fn stale_temp_files_are_cleaned_but_locked_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("vault");
        let (vault, _) = Vault::open(&root).unwrap();
        fs::write(root.join("tmp/import-dead"), b"half").unwrap();
        let live = root.join("tmp/import-live");
        let held = File::create(&live).unwrap();
        crate::osfile::lock(&held).unwrap();
        // A lock taken through another open file description conflicts, as it would across
        // processes.
        let (_, removed) = Vault::open(&root).unwrap();
        assert_eq!(removed, 1);
        assert_eq!(vault.temp_files(), vec![live]);
    }

    #[test]
    fn files_that_are_not_regular_are_refused_by_name() {
        let (dir, vault) = vault();
        let err = vault
            .import_file(dir.path(), &Control::default())
            .unwrap_err();
        assert!(matches!(err, VaultError::IsDirectory { .. }));
        let missing = dir.path().join("nope.jpg");
        let err = vault
            .import_file(&missing, &Control::default())
            .unwrap_err();
        assert!(matches!(err, VaultError::NotFound { .. }));
        assert!(err.to_string().ends_with("nope.jpg"));
    }
}
