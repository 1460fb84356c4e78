//! The evidence vault: files stored by content under `objects/ab/cdef…` (the SHA-256 in hex).
//!
//! Invariants:
//! - An object's name is the SHA-256 of its bytes. It is written once — streamed into a temp file
//!   under `tmp/` while hashing, fsynced, made read-only, renamed into place, and its directory
//!   fsynced — and never changed afterwards. So an object that exists is complete and durable,
//!   and a crash at any moment leaves at most a temp file, which the next `open` removes.
//! - An identical object already present is success: the vault holds one copy per content.
//! - Nothing here deletes an object.
//!
//! A temp file being written is held under an exclusive advisory lock, so a second process that
//! opens the vault meanwhile (the app and a CLI command at once) leaves it alone; a lock dies
//! with its process, so a killed import's temp file is free to clean.

mod import;
mod sha256;

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

pub use import::{Stored, check_source};
pub use sha256::{BadDigest, Sha256};

/// What can go wrong in the vault. Each names the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The file to import does not exist.
    #[error("cannot add evidence: there is no such file; check the path: {}", path.display())]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The path names a directory.
    #[error(
        "cannot add evidence: this is a directory; give the files inside it (e.g. DIR/*): {}",
        path.display()
    )]
    IsDirectory {
        /// The path given.
        path: PathBuf,
    },
    /// The path names something that is not a regular file (a pipe, device or socket).
    #[error(
        "cannot add evidence: this is not a regular file (a pipe, device or socket); save it to a file first: {}",
        path.display()
    )]
    NotAFile {
        /// The path given.
        path: PathBuf,
    },
    /// The file could not be opened or read.
    #[error("cannot add evidence: reading failed ({source}); check that you may read it: {}", path.display())]
    Read {
        /// The path given.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// The file's size changed while it was being read.
    #[error(
        "cannot add evidence: the file changed while it was being read ({expected} bytes, then {actual}); add it again once nothing is writing to it: {}",
        path.display()
    )]
    Changed {
        /// The path given.
        path: PathBuf,
        /// Its size when the import started.
        expected: u64,
        /// What was read or found at the end.
        actual: u64,
    },
    /// The disk holding the data directory is full. `path` is the file being added.
    #[error(
        "cannot store evidence: the disk holding the data directory is full; free some space and add it again: {}",
        path.display()
    )]
    DiskFull {
        /// The vault file being written.
        path: PathBuf,
    },
    /// Writing into the vault failed for another reason.
    #[error("cannot store evidence: {action} failed ({source}): {}", path.display())]
    Write {
        /// What was being done.
        action: &'static str,
        /// The vault path concerned.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// A stored object could not be read back to check it.
    #[error("cannot read a stored evidence file ({source}); check the disk and the file's permissions: {}", path.display())]
    Unreadable {
        /// The object's path.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// The caller cancelled.
    #[error("cancelled; nothing was added")]
    Cancelled,
}

impl VaultError {
    fn write(action: &'static str, path: &Path, source: io::Error) -> VaultError {
        if source.raw_os_error() == Some(28) || source.kind() == io::ErrorKind::StorageFull {
            VaultError::DiskFull {
                path: path.to_owned(),
            }
        } else {
            VaultError::Write {
                action,
                path: path.to_owned(),
                source,
            }
        }
    }
}

/// Shared with a background job: set `cancel` to stop it, read `done_bytes` for progress.
#[derive(Debug, Clone, Default)]
pub struct Control {
    /// Set to true to stop at the next chunk; the job then returns `Cancelled`.
    pub cancel: Arc<AtomicBool>,
    /// Bytes processed so far.
    pub done_bytes: Arc<AtomicU64>,
}

impl Control {
    fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// An evidence vault rooted at a directory.
#[derive(Debug, Clone)]
pub struct Vault {
    root: PathBuf,
}

/// The result of checking one object against its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectCheck {
    /// The bytes hash to the name.
    Intact,
    /// The bytes hash to something else.
    Altered {
        /// What they hash to now.
        actual: Sha256,
    },
    /// There is no such object.
    Missing,
}

impl Vault {
    /// Opens (creating if needed) the vault at `root`, and removes temp files left by imports
    /// that were killed. Returns how many it removed.
    pub fn open(root: &Path) -> Result<(Vault, usize), VaultError> {
        let vault = Vault {
            root: root.to_owned(),
        };
        for dir in [vault.objects_dir(), vault.tmp_dir()] {
            private_dir_all(&dir).map_err(|e| VaultError::write("creating", &dir, e))?;
        }
        // A vault made by an older recourse (or by hand) is tightened: evidence is private.
        #[cfg(unix)]
        for dir in [root.to_owned(), vault.objects_dir(), vault.tmp_dir()] {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(m) = fs::metadata(&dir)
                && m.permissions().mode() & 0o077 != 0
            {
                let _ = fs::set_permissions(&dir, fs::Permissions::from_mode(0o700));
            }
        }
        let removed = vault.clean_tmp()?;
        Ok((vault, removed))
    }

    /// The vault's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn objects_dir(&self) -> PathBuf {
        self.root.join("objects")
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Where the object with this digest lives (whether or not it exists).
    pub fn object_path(&self, sha: &Sha256) -> PathBuf {
        let hex = sha.to_hex();
        self.objects_dir().join(&hex[..2]).join(&hex[2..])
    }

    /// The path relative to the data directory, as messages show it: `vault/objects/ab/cd…`.
    pub fn display_path(sha: &Sha256) -> String {
        let hex = sha.to_hex();
        format!("vault/objects/{}/{}", &hex[..2], &hex[2..])
    }

    /// Whether the object exists.
    pub fn contains(&self, sha: &Sha256) -> bool {
        self.object_path(sha).is_file()
    }

    /// Opens an object for reading.
    pub fn open_object(&self, sha: &Sha256) -> io::Result<File> {
        File::open(self.object_path(sha))
    }

    /// Removes temp files that no live import holds; returns how many.
    fn clean_tmp(&self) -> Result<usize, VaultError> {
        let dir = self.tmp_dir();
        // A live import holds its file under the alive lock: it is skipped.
        crate::osfile::remove_unheld(&dir, |_| true)
            .map_err(|e| VaultError::write("listing", &dir, e))
    }

    /// Temp files present now (a live import's, or none).
    pub fn temp_files(&self) -> Vec<PathBuf> {
        fs::read_dir(self.tmp_dir())
            .map(|rd| rd.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    }

    /// Every object in the vault, by the digest its path names. Paths that are not a valid
    /// object name are returned as `Err(path)` so a check can report them.
    pub fn objects(&self) -> Vec<Result<Sha256, PathBuf>> {
        let mut out = Vec::new();
        let Ok(fanout) = fs::read_dir(self.objects_dir()) else {
            return out;
        };
        let mut dirs: Vec<_> = fanout.flatten().map(|e| e.path()).collect();
        dirs.sort();
        for dir in dirs {
            let prefix = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Ok(entries) = fs::read_dir(&dir) else {
                out.push(Err(dir));
                continue;
            };
            let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            files.sort();
            for file in files {
                let rest = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match format!("{prefix}{rest}").parse::<Sha256>() {
                    Ok(sha) if prefix.len() == 2 && file.is_file() => out.push(Ok(sha)),
                    _ => out.push(Err(file)),
                }
            }
        }
        out
    }

    /// Re-hashes an object now and compares it with its name.
    pub fn check(&self, sha: &Sha256, control: &Control) -> Result<ObjectCheck, VaultError> {
        let path = self.object_path(sha);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ObjectCheck::Missing),
            Err(source) => return Err(VaultError::Unreadable { path, source }),
        };
        let actual = hash_reader(file, control).map_err(|e| match e {
            HashError::Cancelled => VaultError::Cancelled,
            HashError::Io(source) => VaultError::Unreadable {
                path: path.clone(),
                source,
            },
        })?;
        Ok(if actual == *sha {
            ObjectCheck::Intact
        } else {
            ObjectCheck::Altered { actual }
        })
    }
}

/// Why hashing a stream stopped.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// The SHA-256 of everything `reader` yields, read in large chunks.
pub fn hash_reader(mut reader: impl Read, control: &Control) -> Result<Sha256, HashError> {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; import::CHUNK_BYTES];
    loop {
        if control.is_cancelled() {
            return Err(HashError::Cancelled);
        }
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        hasher.update(&buf[..n]);
        control.done_bytes.fetch_add(n as u64, Ordering::Relaxed);
    }
    Ok(Sha256(hasher.finalize().into()))
}

/// Fsyncs a directory so a rename or create inside it survives power loss.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        // Windows has no fsync of a directory: `File::open` refuses a directory, and a
        // directory handle cannot be flushed. What makes a rename durable there is the rename
        // itself, with MOVEFILE_WRITE_THROUGH: every rename into place goes through
        // `osfile::persist`, which asks for it.
        let _ = dir;
        Ok(())
    }
}

/// Writes `bytes` to `path` through a temp file in the same directory, synced, then renamed
/// over it: a crash leaves the old file or the new one, never half of one.
pub fn write_file_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    crate::osfile::persist(tmp, path, true).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Creates `path` and its missing parents, readable by the owner only (0700).
pub(crate) fn private_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}
