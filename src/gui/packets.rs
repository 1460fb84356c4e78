//! Building packets and opening packets for review, each on its own thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread;

use super::failures;
use super::i18n::Lang;
use crate::datadir::DataDir;
use crate::model::CaseId;
use crate::packet::build::{BuildOptions, build};
use crate::packet::review::Review;
use crate::vault::{Control, Sha256};

/// A packet built: where, its digest, its size.
pub type BuiltPacket = (PathBuf, Sha256, u64);

struct BuildJob {
    control: Control,
    bytes_total: u64,
    done: Receiver<Result<BuiltPacket, String>>,
}

/// Packet work and its results.
pub struct Packets {
    ctx: egui::Context,
    data_dir: PathBuf,
    build: Option<BuildJob>,
    picked: Option<Receiver<PathBuf>>,
    /// Whether the file picked is to be imported (else reviewed).
    pick_to_import: bool,
    review: Option<Receiver<Result<Review, String>>>,
    import: Option<Receiver<Result<crate::packet::import::Imported, String>>>,
    /// The language failures are said in (the app sets it every frame).
    pub lang: Lang,
    saved: Option<Receiver<Result<PathBuf, String>>>,
}

impl Packets {
    /// No work yet.
    pub fn new(ctx: egui::Context, data_dir: PathBuf) -> Packets {
        Packets {
            ctx,
            data_dir,
            build: None,
            picked: None,
            pick_to_import: false,
            review: None,
            import: None,
            lang: Lang::En,
            saved: None,
        }
    }

    /// Builds a packet of `case` in the data directory's `packets/` folder.
    pub fn build(&mut self, case: CaseId, options: BuildOptions, bytes_total: u64) {
        if self.build.is_some() {
            return;
        }
        let control = Control {
            cancel: Arc::new(AtomicBool::new(false)),
            done_bytes: Arc::new(AtomicU64::new(0)),
        };
        let (tx, done) = channel();
        let (dir, ctx, job_control) = (self.data_dir.clone(), self.ctx.clone(), control.clone());
        let lang = self.lang;
        let _ = thread::Builder::new()
            .name("packet-build".into())
            .spawn(move || {
                let result = DataDir::open(&dir)
                    .map_err(|e| failures::data_dir_error(&e, lang))
                    .and_then(|mut dd| {
                        let stem = format!(
                            "case-{}-{}",
                            case.0,
                            options
                                .generated_at
                                .with_timezone(&chrono::Local)
                                .format("%Y%m%d-%H%M%S")
                        );
                        let out = free_name(&dd.root().join("packets"), &stem);
                        build(&mut dd, case, &out, &options, &job_control)
                            .map(|b| (b.path, b.sha256, b.size))
                            .map_err(|e| failures::packet_error(&e, lang))
                    });
                let _ = tx.send(result);
                ctx.request_repaint();
            });
        self.build = Some(BuildJob {
            control,
            bytes_total,
            done,
        });
    }

    /// Whether a build is running.
    pub fn building(&self) -> bool {
        self.build.is_some()
    }

    /// How far the build is (0..=1), while one runs.
    pub fn progress(&self) -> Option<f32> {
        self.build.as_ref().map(|b| {
            let done = b.control.done_bytes.load(Ordering::Relaxed) as f32;
            (done / b.bytes_total.max(1) as f32).min(1.0)
        })
    }

    /// Stops the build; nothing is written.
    pub fn cancel(&self) {
        if let Some(b) = &self.build {
            b.control.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Asks for a packet with the file dialog: to review it, or with `to_import`, to add its
    /// case here.
    pub fn pick(&mut self, title: &str, to_import: bool) {
        self.pick_to_import = to_import;
        let (tx, rx) = channel();
        let (ctx, title) = (self.ctx.clone(), title.to_owned());
        let packets = self.data_dir.join("packets");
        let _ = thread::Builder::new()
            .name("packet-dialog".into())
            .spawn(move || {
                // Packets built here are where a reviewer looks first.
                let mut dialog = rfd::FileDialog::new()
                    .set_title(&title)
                    .add_filter("ZIP", &["zip"]);
                if packets.is_dir() {
                    dialog = dialog.set_directory(&packets);
                }
                if let Some(path) = dialog.pick_file() {
                    let _ = tx.send(path);
                    ctx.request_repaint();
                }
            });
        self.picked = Some(rx);
    }

    /// Verifies and reads a packet for review.
    pub fn review(&mut self, path: PathBuf) {
        let (tx, rx) = channel();
        let (dir, ctx, lang) = (self.data_dir.clone(), self.ctx.clone(), self.lang);
        let _ = thread::Builder::new()
            .name("packet-review".into())
            .spawn(move || {
                let known = crate::packet::verify::KnownKeys::of_data_dir(&dir);
                let _ = tx.send(
                    crate::packet::review::open_knowing(&path, Some(known))
                        .map_err(|e| failures::verify_error(&e, lang)),
                );
                ctx.request_repaint();
            });
        self.review = Some(rx);
    }

    /// Verifies a packet and adds its case (in the background, with its own connection).
    pub fn import(&mut self, path: PathBuf) {
        let (tx, rx) = channel();
        let (dir, ctx, lang) = (self.data_dir.clone(), self.ctx.clone(), self.lang);
        let _ = thread::Builder::new()
            .name("packet-import".into())
            .spawn(move || {
                let result = DataDir::open(&dir)
                    .map_err(|e| failures::data_dir_error(&e, lang))
                    .and_then(|mut dd| {
                        crate::packet::import::import(&mut dd, &path, chrono::Utc::now())
                            .map_err(|e| failures::import_error(&e, lang))
                    });
                let _ = tx.send(result);
                ctx.request_repaint();
            });
        self.import = Some(rx);
    }

    /// Asks where to save a copy of the packet at `path`, then copies it there and reads the
    /// copy back against `sha` (a packet is only worth sending whole).
    pub fn save_as(&mut self, path: PathBuf, sha: Sha256, title: &str) {
        let (tx, rx) = channel();
        let (ctx, title, lang) = (self.ctx.clone(), title.to_owned(), self.lang);
        let _ = thread::Builder::new()
            .name("packet-save-as".into())
            .spawn(move || {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut dialog = rfd::FileDialog::new()
                    .set_title(&title)
                    .set_file_name(&name)
                    .add_filter("ZIP", &["zip"]);
                if let Some(home) = std::env::home_dir() {
                    dialog = dialog.set_directory(home);
                }
                if let Some(to) = dialog.save_file() {
                    let _ = tx.send(copy_checked(&path, &to, &sha, lang));
                    ctx.request_repaint();
                }
            });
        self.saved = Some(rx);
    }

    /// A finished "Save as…": where the copy went, or why it did not.
    pub fn poll_saved(&mut self) -> Option<Result<PathBuf, String>> {
        let r = self.saved.as_ref()?.try_recv().ok()?;
        self.saved = None;
        Some(r)
    }

    /// A finished import.
    pub fn poll_import(&mut self) -> Option<Result<crate::packet::import::Imported, String>> {
        let r = self.import.as_ref()?.try_recv().ok()?;
        self.import = None;
        Some(r)
    }

    /// Whether the file picked is to be imported.
    pub fn picked_to_import(&self) -> bool {
        self.pick_to_import
    }

    /// Whether a review is being read.
    pub fn reviewing(&self) -> bool {
        self.review.is_some()
    }

    /// What finished: a build, a file picked for review, a review read.
    #[allow(clippy::type_complexity)]
    pub fn poll(
        &mut self,
    ) -> (
        Option<Result<BuiltPacket, String>>,
        Option<PathBuf>,
        Option<Result<Review, String>>,
    ) {
        let built = match self.build.as_ref().map(|b| b.done.try_recv()) {
            Some(Ok(r)) => {
                self.build = None;
                Some(r)
            }
            Some(Err(TryRecvError::Disconnected)) => {
                self.build = None;
                Some(Err(super::i18n::T::BuildStopped.get(self.lang).to_owned()))
            }
            _ => None,
        };
        let picked = self.picked.as_ref().and_then(|rx| rx.try_recv().ok());
        if picked.is_some() {
            self.picked = None;
        }
        let review = match self.review.as_ref().map(|r| r.try_recv()) {
            Some(Ok(r)) => {
                self.review = None;
                Some(r)
            }
            Some(Err(TryRecvError::Disconnected)) => {
                self.review = None;
                Some(Err(super::i18n::T::ReviewStopped.get(self.lang).to_owned()))
            }
            _ => None,
        };
        (built, picked, review)
    }
}

/// `dir/stem.zip`, or `stem-2.zip`, `stem-3.zip`… when a packet of the same second is there
/// (the build itself still refuses to overwrite, should one appear in between).
fn free_name(dir: &std::path::Path, stem: &str) -> PathBuf {
    let mut out = dir.join(format!("{stem}.zip"));
    let mut n = 2;
    while out.exists() && n < 1000 {
        out = dir.join(format!("{stem}-{n}.zip"));
        n += 1;
    }
    out
}

/// Copies `from` to `to` through a temporary file beside `to`, and keeps it only if its bytes
/// hash to `sha`: a half-written or altered copy never takes the chosen name.
pub fn copy_checked(
    from: &std::path::Path,
    to: &std::path::Path,
    sha: &Sha256,
    lang: Lang,
) -> Result<PathBuf, String> {
    let what = format!(
        "{}: {}",
        super::i18n::T::PacketNotSaved.get(lang),
        to.display()
    );
    let failed = |e: &std::io::Error| super::failures::io_failed(&what, e, lang);
    let dir = to
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".recourse-")
        .suffix(".zip.tmp")
        .tempfile_in(dir)
        .map_err(|e| failed(&e))?;
    let mut source = std::fs::File::open(from).map_err(|e| failed(&e))?;
    let copied = hashed_copy(&mut source, tmp.as_file_mut()).map_err(|e| failed(&e))?;
    tmp.as_file().sync_all().map_err(|e| failed(&e))?;
    let mut back = std::fs::File::open(tmp.path()).map_err(|e| failed(&e))?;
    let read_back = hashed_copy(&mut back, &mut std::io::sink()).map_err(|e| failed(&e))?;
    if copied != *sha || read_back != *sha {
        return Err(format!(
            "{what} ({})",
            super::i18n::T::PacketChangedOnDisk.get(lang)
        ));
    }
    // A copy to send is for others to read too (the temporary file was private).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(|e| failed(&e))?;
    }
    crate::osfile::persist(tmp, to, true).map_err(|e| failed(&e.error))?;
    // The new name is durable only once the folder holding it is.
    crate::vault::sync_dir(dir).map_err(|e| failed(&e))?;
    Ok(to.to_owned())
}

/// Copies `from` into `to` in 1 MiB pieces, hashing what passes.
fn hashed_copy(
    from: &mut impl std::io::Read,
    to: &mut impl std::io::Write,
) -> std::io::Result<Sha256> {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        to.write_all(&buf[..n])?;
    }
    Ok(Sha256(hasher.finalize().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_copy_is_the_packet_byte_for_byte_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("case-1.zip");
        std::fs::write(&from, b"PK packet bytes").unwrap();
        let sha = Sha256::of(b"PK packet bytes");
        let to = dir.path().join("보낼 곳").join("사본.zip");
        std::fs::create_dir(to.parent().unwrap()).unwrap();
        assert_eq!(copy_checked(&from, &to, &sha, Lang::Ko).unwrap(), to);
        assert_eq!(std::fs::read(&to).unwrap(), b"PK packet bytes");
        // The packet changed on disk since it was built: no copy takes the name.
        std::fs::write(&from, b"PK other bytes").unwrap();
        let again = dir.path().join("보낼 곳").join("다시.zip");
        let e = copy_checked(&from, &again, &sha, Lang::Ko).unwrap_err();
        assert!(e.contains("바뀌었습니다"), "{e}");
        assert!(!again.exists());
        let left: Vec<_> = std::fs::read_dir(to.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        // A folder that cannot be written: a clear refusal.
        let e =
            copy_checked(&from, &dir.path().join("없는 폴더/x.zip"), &sha, Lang::Ko).unwrap_err();
        assert!(e.starts_with("묶음 사본을 저장하지 못했습니다"), "{e}");
    }
}
