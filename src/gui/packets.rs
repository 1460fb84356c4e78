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
        let _ = thread::Builder::new()
            .name("packet-dialog".into())
            .spawn(move || {
                if let Some(path) = rfd::FileDialog::new()
                    .set_title(&title)
                    .add_filter("ZIP", &["zip"])
                    .pick_file()
                {
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
                Some(Err("the packet build stopped unexpectedly".into()))
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
                Some(Err("the packet could not be read".into()))
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
