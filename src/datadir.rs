//! The data directory: the database, the vault, and the folders around them.
//!
//! ```text
//! recourse.sqlite3         the database (WAL)
//! vault/objects/..         evidence by SHA-256
//! vault/tmp/               imports in flight (cleaned on open)
//! recordings/partial/      recordings in flight
//! packets/                 built packets
//! ```
//!
//! The directory is created private to the user (0700): it holds other people's phone numbers
//! and recordings of calls.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::store::{Store, StoreError};
use crate::vault::{Vault, VaultError};

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "recourse.sqlite3";

/// Why a data directory could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    /// A folder could not be created.
    #[error("cannot create the data directory ({source}); choose another with --data-dir: {}", path.display())]
    Create {
        /// The folder.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// The platform has no data directory (no home directory).
    #[error(
        "cannot tell where to keep data (no home directory); give --data-dir DIR or set RECOURSE_DATA_DIR"
    )]
    NoDefault,
    /// The database failed to open.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The vault failed to open.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// An open data directory.
pub struct DataDir {
    root: PathBuf,
    /// The database.
    pub store: Store,
    /// The evidence vault.
    pub vault: Vault,
    /// Temp files of killed imports removed while opening.
    pub cleaned_temp_files: usize,
    /// Unfinished packets (temp files of killed builds) removed from `packets/` on opening.
    pub cleaned_packet_files: usize,
}

/// Removes `packets/.packet-*.zip.tmp` files no live build holds (a build keeps its temp file
/// under an exclusive lock until it is renamed into place), and the private copies of packets
/// being imported (`.import-*.zip.tmp`, locked the same way) of imports that were killed;
/// returns how many.
fn clean_packet_temp_files(dir: &Path) -> usize {
    crate::osfile::remove_unheld(dir, |name| {
        (name.starts_with(".packet-") || name.starts_with(".import-")) && name.ends_with(".zip.tmp")
    })
    .unwrap_or(0)
}

impl DataDir {
    /// The platform's default: `~/.local/share/recourse` on Linux (`$XDG_DATA_HOME`),
    /// `%APPDATA%\recourse` on Windows (the roaming profile, which the uninstaller leaves),
    /// `~/Library/Application Support/recourse` on macOS.
    ///
    /// A portable copy (the Windows ZIP) has `portable.txt` beside the executable: then the
    /// default is the `data` folder beside it, so the records travel with the program.
    pub fn default_path() -> Result<PathBuf, DataDirError> {
        if let Some(dir) = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_owned))
            .filter(|dir| dir.join("portable.txt").is_file())
        {
            return Ok(dir.join("data"));
        }
        #[cfg(windows)]
        let dir = directories::BaseDirs::new().map(|d| d.data_dir().join("recourse"));
        #[cfg(not(windows))]
        let dir =
            directories::ProjectDirs::from("", "", "recourse").map(|d| d.data_dir().to_owned());
        dir.ok_or(DataDirError::NoDefault)
    }

    /// Opens (creating if needed) the data directory at `root`.
    pub fn open(root: &Path) -> Result<DataDir, DataDirError> {
        create_private_dir(root)?;
        for sub in ["recordings/partial", "packets"] {
            create_private_dir(&root.join(sub))?;
        }
        let db = root.join(DATABASE_FILE);
        private_file(&db).map_err(|source| DataDirError::Create {
            path: db.clone(),
            source,
        })?;
        let store = Store::open(&db)?;
        let (vault, cleaned_temp_files) = Vault::open(&root.join("vault"))?;
        let cleaned_packet_files = clean_packet_temp_files(&root.join("packets"));
        Ok(DataDir {
            root: root.to_owned(),
            store,
            vault,
            cleaned_temp_files,
            cleaned_packet_files,
        })
    }

    /// The directory's path.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Makes the database file readable by the owner only (0600) before SQLite opens it: created
/// empty with that mode when new (SQLite gives its -wal and -shm files the same mode), tightened
/// when an older one is looser.
fn private_file(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let m = fs::metadata(path)?;
                if m.is_file() && m.permissions().mode() & 0o077 != 0 {
                    fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
                }
            }
            Err(e) => return Err(e),
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn create_private_dir(path: &Path) -> Result<(), DataDirError> {
    let err = |source| DataDirError::Create {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path).map_err(err)
}
