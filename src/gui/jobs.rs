//! Background work for the app: importing evidence, the file dialog, clipboard images,
//! re-verifying vault objects, and thumbnails. Each runs on a named thread, reports through a
//! bounded channel, and wakes the UI with `request_repaint`; imports take a cancel flag and
//! publish progress through atomics.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread;

use chrono::{DateTime, Utc};

use super::app::CheckResult;
use super::failures;
use super::i18n::{Lang, T};
use crate::datadir::DataDir;
use crate::evidence::{AddOptions, add_file};
use crate::model::{CaseId, EvidenceSource};
use crate::vault::{Control, Sha256, Vault};

/// How far the running import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// Files finished.
    pub files_done: u64,
    /// Files in the batch.
    pub files_total: u64,
    /// Bytes copied so far.
    pub bytes_done: u64,
    /// Bytes in the batch.
    pub bytes_total: u64,
}

/// How an import ended.
#[derive(Debug)]
pub enum ImportEvent {
    /// Every file was handled.
    Done {
        /// How many became new evidence.
        added: usize,
        /// Files the case already held: (name, evidence number).
        already: Vec<(String, u32)>,
        /// The case and the item of the last file handled (to show it).
        last: Option<(CaseId, u32)>,
        /// Whether it came from the clipboard (a new PNG, not the original file).
        pasted: bool,
    },
    /// It stopped on an error or a cancel.
    Failed {
        /// What to tell the user.
        error: String,
        /// How many were added before it stopped.
        added: usize,
    },
}

struct ImportJob {
    cancel: Arc<AtomicBool>,
    files_done: Arc<AtomicU64>,
    files_total: u64,
    control: Control,
    bytes_total: u64,
    events: Receiver<ImportEvent>,
}

/// The app's background jobs.
pub struct Jobs {
    ctx: egui::Context,
    data_dir: PathBuf,
    import: Option<ImportJob>,
    incoming_tx: SyncSender<Vec<PathBuf>>,
    incoming_rx: Receiver<Vec<PathBuf>>,
    captured_tx: SyncSender<Result<(PathBuf, DateTime<Utc>), String>>,
    captured_rx: Receiver<Result<(PathBuf, DateTime<Utc>), String>>,
    checks_tx: SyncSender<(Sha256, CheckResult)>,
    checks_rx: Receiver<(Sha256, CheckResult)>,
    thumb_requests: Option<SyncSender<(Sha256, PathBuf, Look)>>,
    thumbs_rx: Receiver<(Sha256, Made)>,
    thumbs_pending: HashSet<Sha256>,
    preview_pending: Option<Sha256>,
    stamp: Option<Receiver<(CaseId, Result<u64, String>)>>,
    /// The language failures are said in (the app sets it every frame).
    pub lang: Lang,
}

/// Thumbnail edge in pixels (twice the display size, for sharp HiDPI).
const THUMB_PIXELS: u32 = 192;

/// The viewer's longest image edge: larger images are scaled down to it (a texture's limit,
/// and 64 MiB of pixels at most).
const VIEW_PIXELS: u32 = 4096;

/// What the preview thread is asked to make of an object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Look {
    Thumbnail,
    Image,
    Text,
}

/// What the preview thread made.
pub enum Made {
    /// A thumbnail (`None`: not an image we can show).
    Thumbnail(Option<egui::ColorImage>),
    /// The viewer's content.
    Preview(Preview),
}

/// What the evidence viewer shows of an item.
pub enum Preview {
    /// The image, scaled to at most [`VIEW_PIXELS`], and its own size in pixels.
    Image(egui::ColorImage, [u32; 2]),
    /// The start of a text item.
    Text(crate::evidence::TextPreview),
    /// Nothing can be shown (not decodable, too large, or unreadable).
    Nothing,
}

impl Jobs {
    /// Sets up the channels and the thumbnail thread.
    pub fn new(ctx: egui::Context, data_dir: PathBuf) -> Jobs {
        let (incoming_tx, incoming_rx) = sync_channel(4);
        let (checks_tx, checks_rx) = sync_channel(64);
        let (captured_tx, captured_rx) = sync_channel(1);
        let (thumb_tx, thumb_requests) = sync_channel::<(Sha256, PathBuf, Look)>(64);
        let (thumbs_done, thumbs_rx) = sync_channel(64);
        let repaint = ctx.clone();
        let thumb_requests_sender = thread::Builder::new()
            .name("thumbnails".into())
            .spawn(move || {
                for (sha, path, look) in thumb_requests {
                    let made = match look {
                        Look::Thumbnail => Made::Thumbnail(make_image(&path, THUMB_PIXELS)),
                        Look::Image => Made::Preview(match make_image(&path, VIEW_PIXELS) {
                            Some(image) => {
                                let size = ::image::image_dimensions(&path)
                                    .map(|(w, h)| [w, h])
                                    .unwrap_or([image.size[0] as u32, image.size[1] as u32]);
                                Preview::Image(image, size)
                            }
                            None => Preview::Nothing,
                        }),
                        Look::Text => Made::Preview(
                            crate::evidence::read_text_preview(&path)
                                .map_or(Preview::Nothing, Preview::Text),
                        ),
                    };
                    if thumbs_done.send((sha, made)).is_err() {
                        break;
                    }
                    repaint.request_repaint();
                }
            })
            .ok()
            .map(|_| thumb_tx);
        Jobs {
            ctx,
            data_dir,
            import: None,
            incoming_tx,
            incoming_rx,
            captured_tx,
            captured_rx,
            checks_tx,
            checks_rx,
            thumb_requests: thumb_requests_sender,
            thumbs_rx,
            thumbs_pending: HashSet::new(),
            preview_pending: None,
            stamp: None,
            lang: Lang::En,
        }
    }

    /// Starts importing `paths` into `case` on a background thread with its own connection.
    pub fn import(
        &mut self,
        case: CaseId,
        paths: Vec<PathBuf>,
        source: EvidenceSource,
        now: DateTime<Utc>,
    ) -> Result<(), String> {
        if self.import.is_some() {
            return Err(T::ImportAlreadyRunning.get(self.lang).to_owned());
        }
        let bytes_total = paths
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        let files_total = paths.len() as u64;
        let cancel = Arc::new(AtomicBool::new(false));
        let files_done = Arc::new(AtomicU64::new(0));
        let control = Control {
            cancel: Arc::clone(&cancel),
            done_bytes: Arc::new(AtomicU64::new(0)),
        };
        let (tx, events) = sync_channel(1);
        let data_dir = self.data_dir.clone();
        let ctx = self.ctx.clone();
        let (job_control, job_files_done) = (control.clone(), Arc::clone(&files_done));
        let lang = self.lang;
        thread::Builder::new()
            .name("evidence-import".into())
            .spawn(move || {
                let event = import_all(
                    &data_dir,
                    case,
                    &paths,
                    source,
                    now,
                    &job_control,
                    &job_files_done,
                    &ctx,
                    lang,
                );
                let _ = tx.send(event);
                ctx.request_repaint();
            })
            .map_err(|e| format!("{} ({e})", T::ImportNotStarted.get(lang)))?;
        self.import = Some(ImportJob {
            cancel,
            files_done,
            files_total,
            control,
            bytes_total,
            events,
        });
        Ok(())
    }

    /// The running import's progress, if one runs.
    pub fn import_progress(&self) -> Option<ImportProgress> {
        self.import.as_ref().map(|j| ImportProgress {
            files_done: j.files_done.load(Ordering::Relaxed),
            files_total: j.files_total,
            bytes_done: j.control.done_bytes.load(Ordering::Relaxed),
            bytes_total: j.bytes_total,
        })
    }

    /// Asks the running import to stop after the current chunk.
    pub fn cancel_import(&self) {
        if let Some(j) = &self.import {
            j.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// A finished import's result, if it just finished.
    pub fn poll_imports(&mut self) -> Option<ImportEvent> {
        let job = self.import.as_ref()?;
        match job.events.try_recv() {
            Ok(event) => {
                self.import = None;
                Some(event)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.import = None;
                Some(ImportEvent::Failed {
                    error: T::ImportStopped.get(self.lang).to_owned(),
                    added: 0,
                })
            }
        }
    }

    /// Opens the native file dialog on its own thread; the choice arrives via `poll_picked`.
    pub fn pick_files(&self, title: &str) {
        let tx = self.incoming_tx.clone();
        let ctx = self.ctx.clone();
        let title = title.to_owned();
        let _ = thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                if let Some(paths) = rfd::FileDialog::new().set_title(&title).pick_files() {
                    let _ = tx.send(paths);
                    ctx.request_repaint();
                }
            });
    }

    /// Files chosen in the dialog, if any arrived.
    pub fn poll_picked(&mut self) -> Option<Vec<PathBuf>> {
        self.incoming_rx.try_recv().ok()
    }

    /// Saves an image egui took from the clipboard (Ctrl+V) as a PNG file to import.
    pub fn save_pasted(&self, image: &egui::ColorImage, lang: Lang) -> Result<PathBuf, String> {
        let bytes: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(|c| c.to_srgba_unmultiplied())
            .collect();
        let [w, h] = image.size;
        save_clipboard_png(w, h, bytes, lang)
    }

    /// Saves the clipboard's image as a PNG file to import; says why not when there is none
    /// (in `lang`).
    pub fn paste_image(&self, lang: Lang) -> Result<PathBuf, String> {
        let mut clipboard = arboard::Clipboard::new()
            .map_err(|e| format!("{} ({e})", T::ClipboardUnavailable.get(lang)))?;
        let image = clipboard
            .get_image()
            .map_err(|_| T::ClipboardNoImage.get(lang).to_owned())?;
        save_clipboard_png(image.width, image.height, image.bytes.into_owned(), lang)
    }

    /// Captures the whole screen, or the window in front, on its own thread after `delay` (time
    /// for the app's window to get out of the way); the PNG's path arrives via `poll_captured`.
    /// `own` is the app's X11 window, never taken for "the window in front".
    pub fn capture_screen(&self, delay: std::time::Duration, what: Capture, own: Option<u64>) {
        let tx = self.captured_tx.clone();
        let ctx = self.ctx.clone();
        let lang = self.lang;
        let _ = thread::Builder::new()
            .name("screen-capture".into())
            .spawn(move || {
                thread::sleep(delay);
                let taken_at = Utc::now();
                let result = capture_to_png(what, own, lang).map(|path| (path, taken_at));
                let _ = tx.send(result);
                ctx.request_repaint();
            });
    }

    /// A finished screen capture: the PNG and when it was taken, or why it failed.
    pub fn poll_captured(&mut self) -> Option<Result<(PathBuf, DateTime<Utc>), String>> {
        self.captured_rx.try_recv().ok()
    }

    /// Re-hashes a vault object on its own thread.
    pub fn reverify(&self, sha: Sha256, vault: Vault) {
        let tx = self.checks_tx.clone();
        let ctx = self.ctx.clone();
        let lang = self.lang;
        let _ = thread::Builder::new()
            .name("reverify".into())
            .spawn(move || {
                let result = vault
                    .check(&sha, &Control::default())
                    .map_err(|e| failures::vault_error(&e, lang));
                let _ = tx.send((sha, result));
                ctx.request_repaint();
            });
    }

    /// Results of re-verifications that finished.
    pub fn poll_checks(&mut self) -> Vec<(Sha256, CheckResult)> {
        self.checks_rx.try_iter().collect()
    }

    /// Asks for a thumbnail (once per object; a full queue drops the request for a later frame).
    pub fn thumbnail(&mut self, sha: Sha256, path: PathBuf) {
        if self.thumbs_pending.contains(&sha) {
            return;
        }
        if let Some(tx) = &self.thumb_requests
            && tx.try_send((sha, path, Look::Thumbnail)).is_ok()
        {
            self.thumbs_pending.insert(sha);
        }
    }

    /// Asks for the viewer's image or text of an object (once while it is being made; a full
    /// queue drops the request for a later frame).
    pub fn preview(&mut self, sha: Sha256, path: PathBuf, text: bool) {
        if self.preview_pending == Some(sha) {
            return;
        }
        let look = if text { Look::Text } else { Look::Image };
        if let Some(tx) = &self.thumb_requests
            && tx.try_send((sha, path, look)).is_ok()
        {
            self.preview_pending = Some(sha);
        }
    }

    /// Thumbnails (`None`: not an image we can show) and previews made since the last poll.
    pub fn poll_made(&mut self) -> Vec<(Sha256, Made)> {
        let done: Vec<_> = self.thumbs_rx.try_iter().collect();
        for (sha, made) in &done {
            match made {
                Made::Thumbnail(_) => {
                    self.thumbs_pending.remove(sha);
                }
                Made::Preview(_) => {
                    if self.preview_pending == Some(*sha) {
                        self.preview_pending = None;
                    }
                }
            }
        }
        done
    }
}

impl Jobs {
    /// Gets a timestamp of `case`'s head from the configured TSA on its own thread, with its
    /// own connection to the data directory (the TSA may take seconds to answer).
    pub fn stamp(&mut self, case: CaseId, now: DateTime<Utc>) {
        let (tx, rx) = sync_channel(1);
        let dir = self.data_dir.clone();
        let ctx = self.ctx.clone();
        let lang = self.lang;
        let spawned = thread::Builder::new()
            .name("timestamp".into())
            .spawn(move || {
                let result = DataDir::open(&dir)
                    .map_err(|e| failures::data_dir_error(&e, lang))
                    .and_then(|mut dd| {
                        crate::proof::stamp::stamp_now(&mut dd.store, case, now)
                            .map(|s| s.covers)
                            .map_err(|e| failures::stamp_error(&e, lang))
                    });
                let _ = tx.send((case, result));
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.stamp = Some(rx);
        }
    }

    /// Whether a timestamp is being fetched.
    pub fn stamping(&self) -> bool {
        self.stamp.is_some()
    }

    /// The timestamp that finished, if one did.
    pub fn poll_stamp(&mut self) -> Option<(CaseId, Result<u64, String>)> {
        let rx = self.stamp.as_ref()?;
        match rx.try_recv() {
            Ok(done) => {
                self.stamp = None;
                Some(done)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.stamp = None;
                None
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn import_all(
    data_dir: &Path,
    case: CaseId,
    paths: &[PathBuf],
    source: EvidenceSource,
    now: DateTime<Utc>,
    control: &Control,
    files_done: &AtomicU64,
    ctx: &egui::Context,
    lang: Lang,
) -> ImportEvent {
    let mut dd = match DataDir::open(data_dir) {
        Ok(dd) => dd,
        Err(e) => {
            return ImportEvent::Failed {
                error: failures::data_dir_error(&e, lang),
                added: 0,
            };
        }
    };
    let options = AddOptions {
        kind: None,
        contact_id: None,
        note: None,
        source,
        captured_at: matches!(
            source,
            EvidenceSource::Clipboard | EvidenceSource::ScreenCapture
        )
        .then_some(now),
        audio: None,
    };
    let (mut added, mut already, mut last) = (0, Vec::new(), None);
    // A pasted image or a screen capture lives in a private temporary directory of ours until
    // the vault holds it; then that copy goes.
    let ours = matches!(
        source,
        EvidenceSource::Clipboard | EvidenceSource::ScreenCapture
    );
    for path in paths {
        match add_file(&mut dd, case, path, &options, now, control) {
            Ok(file) if file.was_present => {
                last = Some((case, file.number));
                already.push((file.original_name, file.number));
            }
            Ok(file) => {
                last = Some((case, file.number));
                added += 1;
            }
            Err(e) => {
                return ImportEvent::Failed {
                    error: failures::add_error(&e, lang),
                    added,
                };
            }
        }
        files_done.fetch_add(1, Ordering::Relaxed);
        if ours {
            remove_private_png(path);
        }
        ctx.request_repaint();
    }
    ImportEvent::Done {
        added,
        already,
        last,
        pasted: source == EvidenceSource::Clipboard,
    }
}

fn make_image(path: &Path, edge: u32) -> Option<egui::ColorImage> {
    let thumb = crate::evidence::downscaled(path, edge)?.to_rgba8();
    let size = [thumb.width() as usize, thumb.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        thumb.as_raw(),
    ))
}

/// What a screen capture takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Capture {
    /// Every monitor.
    #[default]
    Screen,
    /// The window in front when it is taken (the active one, else the one with the focus),
    /// with its frame.
    FrontWindow,
}

/// The part of a `screen_w`×`screen_h` screen a window at (`x`, `y`) of `w`×`h` covers, as
/// (x, y, width, height); `None` when none of it is on screen.
#[cfg(any(target_os = "linux", test))]
pub fn on_screen(x: i32, y: i32, w: u32, h: u32, screen_w: u16, screen_h: u16) -> Option<[u16; 4]> {
    let (x0, y0) = (i64::from(x).max(0), i64::from(y).max(0));
    let x1 = (i64::from(x) + i64::from(w)).min(i64::from(screen_w));
    let y1 = (i64::from(y) + i64::from(h)).min(i64::from(screen_h));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    // Within the screen's u16 size by the clamps above.
    let fit = |v: i64| u16::try_from(v).unwrap_or(u16::MAX);
    Some([fit(x0), fit(y0), fit(x1 - x0), fit(y1 - y0)])
}

/// The top-level window holding `window`: its ancestor whose parent is the root (with a
/// window manager, the frame around it).
#[cfg(target_os = "linux")]
fn top_level(conn: &impl x11rb::connection::Connection, root: u32, mut window: u32) -> Option<u32> {
    use x11rb::protocol::xproto::ConnectionExt;
    for _ in 0..64 {
        let tree = conn.query_tree(window).ok()?.reply().ok()?;
        if tree.parent == root || tree.parent == x11rb::NONE {
            return Some(window);
        }
        window = tree.parent;
    }
    None
}

/// The window in front on the X11 screen: `_NET_ACTIVE_WINDOW` where a window manager keeps
/// it, else the input focus; as its top level.
#[cfg(target_os = "linux")]
fn front_window(conn: &impl x11rb::connection::Connection, root: u32) -> Option<u32> {
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};
    let active = conn
        .intern_atom(true, b"_NET_ACTIVE_WINDOW")
        .ok()
        .and_then(|c| c.reply().ok())
        .map(|r| r.atom)
        .filter(|a| *a != x11rb::NONE)
        .and_then(|atom| {
            conn.get_property(false, root, atom, AtomEnum::WINDOW, 0, 1)
                .ok()?
                .reply()
                .ok()?
                .value32()?
                .next()
        })
        .filter(|w| *w != x11rb::NONE);
    let window = match active {
        Some(w) => w,
        None => {
            let focus = conn.get_input_focus().ok()?.reply().ok()?.focus;
            // None (0) or PointerRoot (1): nothing in particular has the focus.
            if focus <= 1 || focus == root {
                return None;
            }
            focus
        }
    };
    top_level(conn, root, window)
}

/// Grabs the X11 root window (all monitors), or the window in front, and saves it as a PNG in
/// a private temporary directory.
#[cfg(target_os = "linux")]
fn capture_to_png(what: Capture, own: Option<u64>, lang: Lang) -> Result<PathBuf, String> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

    let fail = |what: &str, e: &dyn std::fmt::Display| {
        let detail = match lang {
            Lang::Ko => "자세한 내용",
            Lang::En => "details",
        };
        format!("{} ({detail}: {what}: {e})", T::CaptureFailed.get(lang))
    };
    let (conn, screen_num) = x11rb::connect(None).map_err(|e| fail("X11", &e))?;
    let screen = &conn.setup().roots[screen_num];
    let full = [0, 0, screen.width_in_pixels, screen.height_in_pixels];
    let [x, y, width, height] = match what {
        Capture::Screen => full,
        Capture::FrontWindow => {
            let front = front_window(&conn, screen.root)
                .ok_or_else(|| T::NoFrontWindow.get(lang).to_owned())?;
            let own = own.and_then(|w| u32::try_from(w).ok());
            if own.and_then(|w| top_level(&conn, screen.root, w)) == Some(front) {
                return Err(T::FrontIsRecourse.get(lang).to_owned());
            }
            let g = conn
                .get_geometry(front)
                .map_err(|e| fail("geometry", &e))?
                .reply()
                .map_err(|e| fail("geometry", &e))?;
            let border = u32::from(g.border_width) * 2;
            on_screen(
                i32::from(g.x),
                i32::from(g.y),
                u32::from(g.width) + border,
                u32::from(g.height) + border,
                full[2],
                full[3],
            )
            .ok_or_else(|| T::NoFrontWindow.get(lang).to_owned())?
        }
    };
    let reply = conn
        .get_image(
            ImageFormat::Z_PIXMAP,
            screen.root,
            i16::try_from(x).unwrap_or(i16::MAX),
            i16::try_from(y).unwrap_or(i16::MAX),
            width,
            height,
            !0,
        )
        .map_err(|e| fail("request", &e))?
        .reply()
        .map_err(|e| fail("reply", &e))?;
    let pixels = usize::from(width) * usize::from(height);
    if reply.data.len() != pixels * 4 {
        return Err(fail(
            "pixel format",
            &format!(
                "{} bytes for {pixels} pixels at depth {}",
                reply.data.len(),
                reply.depth
            ),
        ));
    }
    // Z-pixmap at depth 24/32 is BGRX in memory on little-endian servers.
    let rgba: Vec<u8> = reply
        .data
        .chunks_exact(4)
        .flat_map(|p| [p[2], p[1], p[0], 255])
        .collect();
    let image = image::RgbaImage::from_raw(u32::from(width), u32::from(height), rgba)
        .ok_or_else(|| fail("image", &"size mismatch"))?;
    let path = private_png_path("screen").map_err(|e| fail("saving", &e))?;
    image.save(&path).map_err(|e| fail("saving", &e))?;
    Ok(path)
}

/// Grabs the virtual screen (all monitors) or the window in front through GDI, and saves it as
/// a PNG in a private temporary directory. The process is DPI-aware (winit declares it), so the
/// sizes are real pixels.
#[cfg(windows)]
fn capture_to_png(what: Capture, own: Option<u64>, lang: Lang) -> Result<PathBuf, String> {
    use windows_sys::Win32::Foundation::RECT;
    use windows_sys::Win32::Graphics::Dwm::{DWMWA_EXTENDED_FRAME_BOUNDS, DwmGetWindowAttribute};
    use windows_sys::Win32::Graphics::Gdi::{
        BI_RGB, BITMAPINFO, BITMAPINFOHEADER, BitBlt, CAPTUREBLT, CreateCompatibleBitmap,
        CreateCompatibleDC, DIB_RGB_COLORS, DeleteDC, DeleteObject, GetDC, GetDIBits, ReleaseDC,
        SRCCOPY, SelectObject,
    };
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        GA_ROOT, GetAncestor, GetForegroundWindow, GetSystemMetrics, GetWindowRect,
        SM_CXVIRTUALSCREEN, SM_CYVIRTUALSCREEN, SM_XVIRTUALSCREEN, SM_YVIRTUALSCREEN,
    };

    let fail = |what: &str, e: &dyn std::fmt::Display| {
        let detail = match lang {
            Lang::Ko => "자세한 내용",
            Lang::En => "details",
        };
        format!("{} ({detail}: {what}: {e})", T::CaptureFailed.get(lang))
    };
    // SAFETY (this block's calls): plain Win32 queries with no pointers but `rect`, which
    // lives on the stack for the call.
    let (vx, vy, vw, vh) = unsafe {
        (
            GetSystemMetrics(SM_XVIRTUALSCREEN),
            GetSystemMetrics(SM_YVIRTUALSCREEN),
            GetSystemMetrics(SM_CXVIRTUALSCREEN),
            GetSystemMetrics(SM_CYVIRTUALSCREEN),
        )
    };
    let (x, y, w, h) = match what {
        Capture::Screen => (vx, vy, vw, vh),
        Capture::FrontWindow => {
            let front = unsafe { GetForegroundWindow() };
            if front.is_null() {
                return Err(T::NoFrontWindow.get(lang).to_owned());
            }
            let front = unsafe { GetAncestor(front, GA_ROOT) };
            if own.is_some_and(|own| own == front as usize as u64) {
                return Err(T::FrontIsRecourse.get(lang).to_owned());
            }
            let mut rect = RECT {
                left: 0,
                top: 0,
                right: 0,
                bottom: 0,
            };
            // The frame as drawn: GetWindowRect would add Windows 10/11's invisible resize
            // borders (a strip of whatever is behind). GetWindowRect where DWM cannot say.
            let drawn = unsafe {
                DwmGetWindowAttribute(
                    front,
                    DWMWA_EXTENDED_FRAME_BOUNDS as u32,
                    (&raw mut rect).cast(),
                    std::mem::size_of::<RECT>() as u32,
                )
            } == 0;
            if !drawn && unsafe { GetWindowRect(front, &mut rect) } == 0 {
                return Err(fail("GetWindowRect", &std::io::Error::last_os_error()));
            }
            // Clipped to the virtual screen: a window partly off it is taken as far as it shows.
            let (x0, y0) = (rect.left.max(vx), rect.top.max(vy));
            let (x1, y1) = (rect.right.min(vx + vw), rect.bottom.min(vy + vh));
            if x1 <= x0 || y1 <= y0 {
                return Err(T::NoFrontWindow.get(lang).to_owned());
            }
            (x0, y0, x1 - x0, y1 - y0)
        }
    };
    if w <= 0 || h <= 0 {
        return Err(fail("screen size", &format!("{w}×{h}")));
    }
    let (uw, uh) = (w.unsigned_abs(), h.unsigned_abs());
    let mut bgra = vec![0u8; uw as usize * uh as usize * 4];
    // SAFETY: every handle is checked before use and released on every path below; GetDIBits
    // writes at most `h` rows of `w` 32-bit pixels, which is exactly `bgra`'s length.
    let rows = unsafe {
        let screen = GetDC(std::ptr::null_mut());
        if screen.is_null() {
            return Err(fail("GetDC", &std::io::Error::last_os_error()));
        }
        let mem = CreateCompatibleDC(screen);
        let bitmap = CreateCompatibleBitmap(screen, w, h);
        let mut rows = 0;
        if !mem.is_null() && !bitmap.is_null() {
            let old = SelectObject(mem, bitmap);
            if BitBlt(mem, 0, 0, w, h, screen, x, y, SRCCOPY | CAPTUREBLT) != 0 {
                SelectObject(mem, old);
                let mut info: BITMAPINFO = std::mem::zeroed();
                info.bmiHeader = BITMAPINFOHEADER {
                    biSize: std::mem::size_of::<BITMAPINFOHEADER>() as u32,
                    biWidth: w,
                    // Negative: rows top to bottom.
                    biHeight: -h,
                    biPlanes: 1,
                    biBitCount: 32,
                    biCompression: BI_RGB,
                    ..std::mem::zeroed()
                };
                rows = GetDIBits(
                    mem,
                    bitmap,
                    0,
                    uh,
                    bgra.as_mut_ptr().cast(),
                    &mut info,
                    DIB_RGB_COLORS,
                );
            } else {
                SelectObject(mem, old);
            }
        }
        if !bitmap.is_null() {
            DeleteObject(bitmap);
        }
        if !mem.is_null() {
            DeleteDC(mem);
        }
        ReleaseDC(std::ptr::null_mut(), screen);
        rows
    };
    if rows != h {
        return Err(fail("GDI", &std::io::Error::last_os_error()));
    }
    let rgba: Vec<u8> = bgra
        .chunks_exact(4)
        .flat_map(|p| [p[2], p[1], p[0], 255])
        .collect();
    let image =
        image::RgbaImage::from_raw(uw, uh, rgba).ok_or_else(|| fail("image", &"size mismatch"))?;
    let path = private_png_path("screen").map_err(|e| fail("saving", &e))?;
    image.save(&path).map_err(|e| fail("saving", &e))?;
    Ok(path)
}

#[cfg(not(any(target_os = "linux", windows)))]
fn capture_to_png(_what: Capture, _own: Option<u64>, lang: Lang) -> Result<PathBuf, String> {
    Err(T::CaptureUnavailable.get(lang).to_owned())
}

/// A path for an image the app makes itself (pasted, captured): `<stem>-<time>.png` inside a
/// fresh directory only this user can read, so a screen full of personal data never sits in a
/// shared temporary directory.
fn private_png_path(stem: &str) -> std::io::Result<PathBuf> {
    let dir = tempfile::Builder::new()
        .prefix("recourse-")
        .tempdir()?
        .keep();
    Ok(dir.join(format!(
        "{stem}-{}.png",
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    )))
}

/// Removes an image made by `private_png_path` and its directory, once the vault holds it.
fn remove_private_png(path: &Path) {
    let _ = std::fs::remove_file(path);
    if let Some(dir) = path.parent()
        && dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("recourse-"))
    {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Writes RGBA pixels from the clipboard as a private PNG file to import.
fn save_clipboard_png(w: usize, h: usize, rgba: Vec<u8>, lang: Lang) -> Result<PathBuf, String> {
    let image = image::RgbaImage::from_raw(w as u32, h as u32, rgba)
        .ok_or(T::ClipboardNoImage.get(lang))?;
    let path = private_png_path("clipboard")
        .map_err(|e| format!("{} ({e})", T::PasteNotSaved.get(lang)))?;
    image
        .save(&path)
        .map_err(|e| format!("{} ({e})", T::PasteNotSaved.get(lang)))?;
    Ok(path)
}

/// Opens an evidence item with the system's app for it: a read-only copy of the vault object
/// under the item's own file name (the vault's names carry no extension, and the vault itself
/// is never handed to another program) in a private temporary folder.
pub fn open_evidence(object: &Path, original_name: &str, lang: Lang) -> Result<PathBuf, String> {
    let failed = |e: &std::io::Error| failures::io_failed(T::OpenFailed.get(lang), e, lang);
    let name = open_name(original_name);
    let dir = tempfile::Builder::new()
        .prefix("recourse-open-")
        .tempdir()
        .map_err(|e| failed(&e))?
        .keep();
    let copy = dir.join(name);
    std::fs::copy(object, &copy).map_err(|e| failed(&e))?;
    mark_from_elsewhere(&copy);
    let mut perms = std::fs::metadata(&copy)
        .map_err(|e| failed(&e))?
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&copy, perms).map_err(|e| failed(&e))?;
    open::that_detached(&copy).map_err(|e| failed(&e))?;
    Ok(copy)
}

/// Extensions the system's app for them shows rather than runs: pictures, sound, video, text,
/// PDF and office documents without macros. An item named anything else (`녹취.mp3.exe`,
/// `주문.lnk`, `사진.scr`, `보기.hta` in a packet someone sent) is opened as `<name>.bin`, which
/// the system asks what to open with instead of running it.
const VIEWABLE: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "heic", "heif", "tif", "tiff", "mp3", "m4a", "wav",
    "amr", "aac", "ogg", "opus", "flac", "wma", "3gp", "3g2", "mp4", "mov", "avi", "mkv", "webm",
    "txt", "csv", "log", "pdf", "docx", "xlsx", "pptx", "hwp", "hwpx", "odt", "ods", "odp", "eml",
];

/// On Windows, marks a copy as come from the internet (the `Zone.Identifier` stream browsers
/// write on downloads, zone 3), so SmartScreen and Office's Protected View treat it as they
/// would a download: an item may come from a packet someone else made. Elsewhere nothing.
fn mark_from_elsewhere(path: &Path) {
    #[cfg(windows)]
    {
        let mut stream = path.as_os_str().to_owned();
        stream.push(":Zone.Identifier");
        let _ = std::fs::write(stream, "[ZoneTransfer]\r\nZoneId=3\r\n");
    }
    #[cfg(not(windows))]
    let _ = path;
}

/// A file name safe on every system for a copy of an item named `original` (which came from
/// someone's disk or a packet): the last component only, no control or reserved characters,
/// no trailing dot or space (Windows drops them), never a Windows device name (`CON.jpg` would
/// write to the console, `COM1.png` to a serial port), and at most 150 bytes with its extension
/// kept (Windows' limit is 255 UTF-16 units a name, 260 a path unless long paths are on).
fn open_name(original: &str) -> String {
    const MAX: usize = 150;
    let mut name: String = original
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_control() || r#"<>:"|?*"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.len() > MAX {
        let ext = name
            .rfind('.')
            .map(|i| name[i..].to_owned())
            .filter(|e| e.len() <= 16)
            .unwrap_or_default();
        let mut stem = String::new();
        for c in name.chars() {
            if stem.len() + c.len_utf8() + ext.len() > MAX {
                break;
            }
            stem.push(c);
        }
        name = stem + &ext;
    }
    let name = name.trim_end_matches(['.', ' ']);
    let name = if name.trim_start_matches(['.', ' ']).is_empty() {
        "evidence".to_owned()
    } else if crate::packet::is_reserved_on_windows(name) {
        format!("_{name}")
    } else {
        name.to_owned()
    };
    let viewable = name
        .rsplit_once('.')
        .is_some_and(|(_, ext)| VIEWABLE.contains(&ext.to_ascii_lowercase().as_str()));
    if viewable {
        name
    } else {
        format!("{name}.bin")
    }
}

#[cfg(test)]
mod open_tests {
    use super::open_name;

    #[test]
    fn a_copy_to_open_keeps_the_name_but_nothing_that_could_leave_its_folder() {
        assert_eq!(open_name("택배상자_파손.jpg"), "택배상자_파손.jpg");
        assert_eq!(open_name("../../.bashrc"), ".bashrc.bin");
        assert_eq!(open_name("..\\..\\boot.ini"), "boot.ini.bin");
        assert_eq!(open_name(".."), "evidence.bin");
        assert_eq!(open_name(""), "evidence.bin");
        assert_eq!(open_name("a:b?\u{1b}[2J.png"), "a_b__[2J.png");
    }

    #[test]
    fn a_copy_to_open_is_never_a_windows_device_nor_too_long() {
        // Names a hostile packet could give its evidence.
        assert_eq!(open_name("CON.jpg"), "_CON.jpg");
        assert_eq!(open_name("nul"), "_nul.bin");
        assert_eq!(open_name("com1.png"), "_com1.png");
        assert_eq!(open_name("LPT9.tar.gz"), "_LPT9.tar.gz.bin");
        assert_eq!(open_name("AUX .txt"), "_AUX .txt");
        assert_eq!(open_name("photo.jpg. . "), "photo.jpg");
        assert_eq!(open_name("CONSOLE.txt"), "CONSOLE.txt");
        assert_eq!(open_name("COM10.txt"), "COM10.txt");
    }

    #[test]
    fn a_copy_to_open_is_shown_never_run() {
        // What a hostile packet's evidence could be named to run when opened.
        for name in [
            "녹취.mp3.exe",
            "주문.lnk",
            "사진.SCR",
            "보기.hta",
            "a.bat",
            "x.js",
            "y.url",
        ] {
            assert_eq!(open_name(name), format!("{name}.bin"));
        }
        assert_eq!(open_name("통화.M4A"), "통화.M4A");
        assert_eq!(open_name("계약서.hwp"), "계약서.hwp");
        assert_eq!(open_name("보고.docm"), "보고.docm.bin");
        let long = format!("{}.jpg", "가".repeat(100));
        let short = open_name(&long);
        assert!(short.len() <= 150, "{} bytes", short.len());
        assert!(short.ends_with("가.jpg"), "{short}");
    }
}

#[cfg(test)]
mod capture_tests {
    use super::on_screen;

    #[test]
    fn a_window_is_cut_to_the_part_on_screen() {
        // Wholly inside a 1920×1080 screen.
        assert_eq!(
            on_screen(100, 50, 800, 600, 1920, 1080),
            Some([100, 50, 800, 600])
        );
        // Hanging off the top left and the right.
        assert_eq!(
            on_screen(-20, -10, 120, 60, 1920, 1080),
            Some([0, 0, 100, 50])
        );
        assert_eq!(
            on_screen(1800, 0, 400, 300, 1920, 1080),
            Some([1800, 0, 120, 300])
        );
        // Off screen, or of no size.
        assert_eq!(on_screen(1920, 0, 100, 100, 1920, 1080), None);
        assert_eq!(on_screen(-500, 0, 500, 100, 1920, 1080), None);
        assert_eq!(on_screen(0, 0, 0, 0, 1920, 1080), None);
        // A window larger than any u16 does not wrap.
        assert_eq!(
            on_screen(-70000, 0, 200_000, 10, 1920, 1080),
            Some([0, 0, 1920, 10])
        );
    }
}
