//! Call recording that never loses more than a second, and the facts of recordings made
//! elsewhere.
//!
//! - [`pipeline`]: callback → bounded queue → writer thread → WAV, with drop counting, levels,
//!   a header checkpoint every second and a disk sync every few seconds.
//! - [`wav`]: bookmarks as `cue ` chunks, and the repair of a file whose writer was killed.
//! - [`probe`]: duration and format of imported recordings (m4a, mp3, amr, 3gp, wav).
//! - this module: input devices, the [`Recorder`] that ties one recording to a contact, and
//!   [`recover_partials`], which files recordings a crash interrupted.
//!
//! A recording in flight is `recordings/partial/<name>.wav` plus `<name>.json` (which case and
//! contact, when, which device) and `<name>.marks` (bookmarks, one JSON line each, synced as
//! they are made). The WAV is locked while it is written, so a second process never takes a
//! live recording for an interrupted one.

pub mod pipeline;
pub mod playback;
pub mod probe;
pub mod wav;

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use serde::{Deserialize, Serialize};

use crate::datadir::DataDir;
use crate::evidence::{AddError, AddOptions, AddedFile, add_file};
use crate::model::{AudioInfo, Bookmark, CaseId, ContactId, EvidenceKind, EvidenceSource};
use crate::vault::Control;
use pipeline::{Feeder, Shared, WriterReport};

/// Why recording could not start or finish.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// No input device, or not the one asked for.
    #[error("{}", no_device_text(.wanted.as_deref(), .available, .detail.as_deref()))]
    NoDevice {
        /// The name asked for, if any.
        wanted: Option<String>,
        /// The input devices there are.
        available: Vec<String>,
        /// The system's reason, when it gave one.
        detail: Option<String>,
    },
    /// The device would not record.
    #[error(
        "the microphone \"{device}\" would not start ({detail}); close other programs using it, or pick another with --device"
    )]
    Stream {
        /// The device.
        device: String,
        /// The system's reason.
        detail: String,
    },
    /// Recording failed part-way.
    #[error("{0}")]
    Failed(String),
    /// A file under `recordings/` could not be written or read.
    #[error("{what} ({source}): {}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// Filing the recording as evidence failed; the file stays in `recordings/partial` and is
    /// filed at the next start.
    #[error(transparent)]
    Add(#[from] AddError),
    /// The case or contact is not usable.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

fn no_device_text(wanted: Option<&str>, available: &[String], detail: Option<&str>) -> String {
    let mut text = match wanted {
        Some(name) => format!("no microphone called \"{name}\" found"),
        None => "no microphone found".to_owned(),
    };
    if let Some(d) = detail {
        text.push_str(&format!(" ({d})"));
    }
    if available.is_empty() {
        text.push_str(
            "; plug one in (or enable it in the system's sound settings), or import a recording made on your phone with `recourse evidence add`",
        );
    } else {
        text.push_str(&format!(
            "; input devices here: {}; pick one with --device NAME, or import a recording file instead",
            available.join(", ")
        ));
    }
    text
}

fn io_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> AudioError + 'a {
    move |source| AudioError::Io {
        what,
        path: path.to_owned(),
        source,
    }
}

/// An input device as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputDevice {
    /// Its name, as `--device` takes it (the system's id: `default`, `pulse`, `hw:1,0`).
    pub name: String,
    /// What the system says it is.
    pub description: String,
    /// Whether it is the system's default input.
    pub is_default: bool,
    /// Its default format, e.g. `48000 Hz, 2 ch, f32`, when it could be read.
    pub format: Option<String>,
}

/// The name to pass to `--device`: the system's id (`default`, `pulse`, `hw:1,0`, …).
fn device_id(d: &cpal::Device) -> String {
    d.id().map(|id| id.id().to_owned()).unwrap_or_default()
}

fn device_description(d: &cpal::Device) -> String {
    d.description()
        .map(|desc| desc.name().to_owned())
        .unwrap_or_default()
}

/// How a device is named in a recording: `id (description)`.
fn device_label(d: &cpal::Device) -> String {
    let (id, desc) = (device_id(d), device_description(d));
    match (id.is_empty(), desc.is_empty() || desc == id) {
        (false, false) => format!("{id} ({desc})"),
        (false, true) => id,
        (true, _) => desc,
    }
}

/// Sound libraries (ALSA's plugins, JACK) print their probing to stderr while devices are
/// listed or opened; that noise is not ours to show. Set `RECOURSE_AUDIO_DEBUG` to see it.
/// Guards nest and overlap across threads: stderr goes back when the last one is dropped.
struct QuietStderr {
    #[cfg_attr(not(unix), allow(dead_code))]
    active: bool,
}

/// How many guards are alive, and the real stderr while they are.
#[cfg(unix)]
static QUIET: std::sync::Mutex<(usize, i32)> = std::sync::Mutex::new((0, -1));

impl QuietStderr {
    fn new() -> QuietStderr {
        #[cfg(unix)]
        {
            if std::env::var_os("RECOURSE_AUDIO_DEBUG").is_some() {
                return QuietStderr { active: false };
            }
            let Ok(mut quiet) = QUIET.lock() else {
                return QuietStderr { active: false };
            };
            if quiet.0 == 0 {
                // SAFETY: plain descriptor calls; fd 2 is restored when the last guard drops.
                unsafe {
                    let saved = libc::dup(2);
                    let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                    if saved < 0 || null < 0 {
                        if saved >= 0 {
                            libc::close(saved);
                        }
                        if null >= 0 {
                            libc::close(null);
                        }
                        return QuietStderr { active: false };
                    }
                    libc::dup2(null, 2);
                    libc::close(null);
                    quiet.1 = saved;
                }
            }
            quiet.0 += 1;
            QuietStderr { active: true }
        }
        #[cfg(not(unix))]
        QuietStderr { active: false }
    }
}

impl Drop for QuietStderr {
    fn drop(&mut self) {
        #[cfg(unix)]
        if self.active
            && let Ok(mut quiet) = QUIET.lock()
        {
            quiet.0 -= 1;
            if quiet.0 == 0 {
                // SAFETY: puts back the descriptor saved by the first guard.
                unsafe {
                    libc::dup2(quiet.1, 2);
                    libc::close(quiet.1);
                }
                quiet.1 = -1;
            }
        }
    }
}

/// The input devices that can record, the default first.
pub fn input_devices() -> Vec<InputDevice> {
    let _quiet = QuietStderr::new();
    let host = cpal::default_host();
    let default = host.default_input_device().map(|d| device_id(&d));
    let mut out: Vec<InputDevice> = host
        .input_devices()
        .map(|devices| {
            devices
                .filter_map(|d| {
                    let id = device_id(&d);
                    // ALSA's `null` device "records" silence: never what a user wants.
                    if id == "null" {
                        return None;
                    }
                    let c = d.default_input_config().ok()?;
                    Some(InputDevice {
                        is_default: default.as_deref() == Some(id.as_str()),
                        format: Some(format!(
                            "{} Hz, {} ch, {}",
                            c.sample_rate(),
                            c.channels(),
                            c.sample_format()
                        )),
                        description: device_description(&d),
                        name: id,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by_key(|d| !d.is_default);
    out.dedup_by(|a, b| a.name == b.name);
    out
}

/// Finds the device: the default one, or the one whose id or description is `wanted` —
/// exactly, or failing that the only one containing it, ignoring case.
fn find_device(wanted: Option<&str>) -> Result<cpal::Device, AudioError> {
    let names = || input_devices().into_iter().map(|d| d.name).collect();
    let found = {
        let _quiet = QuietStderr::new();
        let host = cpal::default_host();
        match wanted {
            None => Ok(host.default_input_device()),
            Some(wanted) => {
                let devices: Vec<cpal::Device> = host
                    .input_devices()
                    .map(|d| d.collect())
                    .unwrap_or_default();
                let lower = wanted.to_lowercase();
                let exact = devices
                    .iter()
                    .find(|d| device_id(d) == wanted || device_description(d) == wanted);
                let mut matching = devices.iter().filter(|d| {
                    device_id(d).to_lowercase().contains(&lower)
                        || device_description(d).to_lowercase().contains(&lower)
                });
                match (exact, matching.next(), matching.next()) {
                    (Some(d), _, _) | (None, Some(d), None) => Ok(Some(d.clone())),
                    _ => Err(()),
                }
            }
        }
    };
    match found {
        Ok(Some(d)) => Ok(d),
        Ok(None) | Err(()) => Err(AudioError::NoDevice {
            wanted: wanted.map(str::to_owned),
            available: names(),
            detail: None,
        }),
    }
}

/// What to record.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// The case.
    pub case_id: CaseId,
    /// The contact (call) the recording belongs to.
    pub contact_id: ContactId,
    /// The input device's name; the default when `None`.
    pub device: Option<String>,
    /// Keep two channels instead of mixing down to mono.
    pub keep_stereo: bool,
    /// Record exactly this long, then take no more (the caller still calls `finish`).
    pub max_duration: Option<Duration>,
}

/// What a partial recording's `.json` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialMeta {
    /// The case.
    pub case_id: CaseId,
    /// The contact.
    pub contact_id: ContactId,
    /// When recording started.
    pub started_at: DateTime<Utc>,
    /// The input device.
    pub device: String,
    /// Samples per second.
    pub sample_rate: u32,
    /// Channels written.
    pub channels: u16,
    /// The recording's own id, written into the file: no two recordings are the same bytes,
    /// even two of the same silence, so each is its own evidence item.
    #[serde(default = "new_recording_uid")]
    pub uid: String,
}

fn new_recording_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl PartialMeta {
    /// The `LIST`/`INFO` entries of the finished file.
    fn info(&self) -> Vec<([u8; 4], String)> {
        vec![
            (
                *b"ICRD",
                self.started_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            (*b"ISFT", format!("recourse {}", env!("CARGO_PKG_VERSION"))),
            (*b"ICMT", format!("recourse recording {}", self.uid)),
        ]
    }
}

/// The state of a running recording, for the recording bar.
#[derive(Debug, Clone, PartialEq)]
pub struct RecorderStatus {
    /// Time recorded so far.
    pub elapsed: Duration,
    /// Input peak level, 0..=1.
    pub peak: f32,
    /// Input RMS level, 0..=1.
    pub rms: f32,
    /// Samples the queue had to drop (must stay 0).
    pub dropped_samples: u64,
    /// Overruns the sound system reported (audio lost before it reached us).
    pub overruns: u64,
    /// Why recording stopped working, if it did.
    pub failure: Option<String>,
}

/// Reads a running recording's status from any thread.
#[derive(Debug, Clone)]
pub struct Monitor {
    shared: Arc<Shared>,
    overruns: Arc<AtomicU64>,
    sample_rate: u32,
}

impl Monitor {
    /// What the recording bar shows.
    pub fn status(&self) -> RecorderStatus {
        let (peak, rms) = self.shared.level();
        let frames = self.shared.frames_in.load(Ordering::Relaxed);
        RecorderStatus {
            elapsed: Duration::from_secs_f64(frames as f64 / f64::from(self.sample_rate.max(1))),
            peak,
            rms,
            dropped_samples: self.shared.dropped_samples.load(Ordering::Relaxed),
            overruns: self.overruns.load(Ordering::Relaxed),
            failure: self.shared.failure(),
        }
    }
}

/// A recording in progress. Dropping it without `finish` stops the sound card, finishes the
/// file, and leaves it in `recordings/partial` to be filed at the next start.
pub struct Recorder {
    stream: Option<cpal::Stream>,
    writer: Option<JoinHandle<Result<WriterReport, String>>>,
    shared: Arc<Shared>,
    overruns: Arc<AtomicU64>,
    meta: PartialMeta,
    files: PartialFiles,
    bookmarks: Vec<Bookmark>,
}

/// The three files of a recording in flight.
#[derive(Debug)]
struct PartialFiles {
    wav: PathBuf,
    meta: PathBuf,
    marks: PathBuf,
    /// Held open with an exclusive lock for as long as the recording runs.
    _lock: File,
}

impl PartialFiles {
    fn paths(wav: &Path) -> (PathBuf, PathBuf) {
        (wav.with_extension("json"), wav.with_extension("marks"))
    }

    /// Where the `.json` is written before it is renamed into place: named after the
    /// recording, so whoever holds the recording's lock may remove one a crash left.
    fn meta_tmp(wav: &Path) -> PathBuf {
        wav.with_extension("json.tmp")
    }

    fn write_meta(&self, meta: &PartialMeta) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(meta).map_err(io::Error::other)?;
        let tmp = Self::meta_tmp(&self.wav);
        let mut open = OpenOptions::new();
        open.write(true).create(true).truncate(true);
        private(&mut open);
        let mut file = open.open(&tmp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        crate::osfile::rename(&tmp, &self.meta)?;
        if let Some(dir) = self.meta.parent() {
            crate::vault::sync_dir(dir)?;
        }
        Ok(())
    }

    fn remove(&self) {
        let tmp = Self::meta_tmp(&self.wav);
        for p in [&self.marks, &tmp, &self.meta, &self.wav] {
            let _ = fs::remove_file(p);
        }
    }
}

/// The directory recordings are written in.
pub fn partial_dir(dd: &DataDir) -> PathBuf {
    dd.root().join("recordings").join("partial")
}

/// Creates `recording-<local time>[-n].wav` in the partial directory, locked.
fn create_partial(dir: &Path, started: DateTime<Utc>) -> Result<(PathBuf, File), AudioError> {
    let stem = format!(
        "recording-{}",
        started
            .with_timezone(&chrono::Local)
            .format("%Y%m%d-%H%M%S")
    );
    for n in 0..1000 {
        let name = if n == 0 {
            format!("{stem}.wav")
        } else {
            format!("{stem}-{n}.wav")
        };
        let path = dir.join(name);
        let mut open = OpenOptions::new();
        open.read(true).write(true).create_new(true);
        private(&mut open);
        match open.open(&path) {
            Ok(file) => {
                lock_exclusive(&file, false).map_err(io_err("cannot lock the recording", &path))?;
                return Ok((path, file));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_err("cannot create the recording file", &path)(e)),
        }
    }
    Err(AudioError::Failed(format!(
        "too many recordings started this second in {}",
        dir.display()
    )))
}

/// New files readable by the user alone: they hold a phone call.
fn private(open: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.mode(0o600);
    }
    // Elsewhere the user's profile folder is private already.
    #[cfg(not(unix))]
    let _ = open;
}

/// Takes the "still alive" lock on `file` (crate::osfile); with `try_only`, fails at once if
/// another process holds it.
fn lock_exclusive(file: &File, try_only: bool) -> io::Result<()> {
    if !try_only {
        return crate::osfile::lock(file);
    }
    match crate::osfile::try_lock(file)? {
        true => Ok(()),
        false => Err(io::Error::new(
            io::ErrorKind::WouldBlock,
            "held by another process",
        )),
    }
}

impl Recorder {
    /// Opens the device and starts recording for a contact of a case.
    pub fn start(
        dd: &DataDir,
        options: &RecordOptions,
        now: DateTime<Utc>,
    ) -> Result<Recorder, AudioError> {
        dd.store.case(options.case_id)?;
        dd.store
            .check_contact_in_case(options.contact_id, options.case_id)?;
        let device = find_device(options.device.as_deref())?;
        let quiet = QuietStderr::new();
        let name = device_label(&device);
        let config = device
            .default_input_config()
            .map_err(|e| AudioError::NoDevice {
                wanted: options.device.clone(),
                available: input_devices().into_iter().map(|d| d.name).collect(),
                detail: Some(format!("\"{name}\": {e}")),
            })?;
        let sample_rate = config.sample_rate();
        let channels_in = config.channels();
        let channels = if options.keep_stereo && channels_in >= 2 {
            2
        } else {
            1
        };
        let dir = partial_dir(dd);
        let (wav_path, lock) = create_partial(&dir, now)?;
        let (meta_path, marks_path) = PartialFiles::paths(&wav_path);
        let meta = PartialMeta {
            case_id: options.case_id,
            contact_id: options.contact_id,
            started_at: now,
            device: name.clone(),
            sample_rate,
            channels,
            uid: new_recording_uid(),
        };
        let files = PartialFiles {
            wav: wav_path.clone(),
            meta: meta_path.clone(),
            marks: marks_path,
            _lock: lock,
        };
        let fail = |e: AudioError| {
            files.remove();
            e
        };
        files.write_meta(&meta).map_err(|e| {
            fail(io_err(
                "cannot write the recording's description",
                &meta_path,
            )(e))
        })?;
        let writer_file = OpenOptions::new()
            .write(true)
            .open(&wav_path)
            .map_err(|e| fail(io_err("cannot open the recording file", &wav_path)(e)))?;
        let shared = Arc::new(Shared::default());
        let (producer, consumer) = pipeline::queue(sample_rate, channels);
        let writer = pipeline::spawn_writer(
            consumer,
            writer_file,
            sample_rate,
            channels,
            Arc::clone(&shared),
        )
        .map_err(|e| fail(io_err("cannot start the recording writer", &wav_path)(e)))?;
        let overruns = Arc::new(AtomicU64::new(0));
        let stream = build_stream(
            &device,
            &config,
            Feeder::new(producer, channels_in, channels, Arc::clone(&shared)).with_limit(
                options
                    .max_duration
                    .map(|d| (d.as_secs_f64() * f64::from(sample_rate)).round() as u64),
            ),
            Arc::clone(&shared),
            Arc::clone(&overruns),
        )
        .and_then(|s| s.play().map(|()| s));
        drop(quiet);
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                shared.stop.store(true, Ordering::Release);
                let _ = writer.join();
                return Err(fail(AudioError::Stream {
                    device: name,
                    detail: e.to_string(),
                }));
            }
        };
        Ok(Recorder {
            stream: Some(stream),
            writer: Some(writer),
            shared,
            overruns,
            meta,
            files,
            bookmarks: Vec::new(),
        })
    }

    /// What the recording bar shows.
    pub fn status(&self) -> RecorderStatus {
        self.monitor().status()
    }

    /// A handle another thread can read the status through.
    pub fn monitor(&self) -> Monitor {
        Monitor {
            shared: Arc::clone(&self.shared),
            overruns: Arc::clone(&self.overruns),
            sample_rate: self.meta.sample_rate,
        }
    }

    /// Where and from what the recording is made.
    pub fn meta(&self) -> &PartialMeta {
        &self.meta
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.files.wav
    }

    /// The bookmarks so far.
    pub fn bookmarks(&self) -> &[Bookmark] {
        &self.bookmarks
    }

    /// Marks this moment, with an optional note; it is on disk before this returns.
    pub fn bookmark(&mut self, note: Option<String>) -> Result<Bookmark, AudioError> {
        let frames = self.shared.frames_in.load(Ordering::Relaxed);
        let mark = Bookmark {
            offset_ms: frames * 1000 / u64::from(self.meta.sample_rate),
            note: note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        };
        let path = &self.files.marks;
        let mut line = serde_json::to_vec(&mark)
            .map_err(io::Error::other)
            .map_err(io_err("cannot save the bookmark", path))?;
        line.push(b'\n');
        let mut open = OpenOptions::new();
        open.create(true).append(true);
        private(&mut open);
        let mut file = open
            .open(path)
            .map_err(io_err("cannot save the bookmark", path))?;
        file.write_all(&line)
            .and_then(|()| file.sync_data())
            .map_err(io_err("cannot save the bookmark", path))?;
        self.bookmarks.push(mark.clone());
        Ok(mark)
    }

    /// Stops the sound card and finishes the WAV file (header and bookmarks).
    fn stop(&mut self) -> Result<WriterReport, AudioError> {
        if let Some(stream) = self.stream.take() {
            let _ = stream.pause();
            drop(stream);
        }
        self.shared.stop.store(true, Ordering::Release);
        let report = match self.writer.take().map(JoinHandle::join) {
            Some(Ok(Ok(report))) => report,
            Some(Ok(Err(e))) => return Err(AudioError::Failed(e)),
            Some(Err(_)) => return Err(AudioError::Failed("the recording writer crashed".into())),
            None => {
                return Err(AudioError::Failed(
                    "the recording was already stopped".into(),
                ));
            }
        };
        wav::write_tail(&self.files.wav, &self.bookmarks, &self.meta.info()).map_err(io_err(
            "cannot write the bookmarks into the recording",
            &self.files.wav,
        ))?;
        Ok(report)
    }

    /// Stops, files the recording as evidence of its contact (hashed into the vault) and
    /// removes the partial files. On failure the recording stays in `recordings/partial` and
    /// is filed at the next start.
    pub fn finish(mut self, dd: &mut DataDir, now: DateTime<Utc>) -> Result<Finished, AudioError> {
        let report = self.stop()?;
        let duration_ms = report.frames * 1000 / u64::from(self.meta.sample_rate);
        let audio = AudioInfo {
            duration_ms: Some(duration_ms),
            sample_rate: Some(self.meta.sample_rate),
            channels: Some(self.meta.channels),
            device: Some(self.meta.device.clone()),
            recovered: false,
            bookmarks: self.bookmarks.clone(),
        };
        let dropped_samples = self.shared.dropped_samples.load(Ordering::Relaxed);
        let added = file_recording(dd, &self.meta, &self.files.wav, audio, now)?;
        self.files.remove();
        Ok(Finished {
            added,
            duration_ms,
            report,
            dropped_samples,
            overruns: self.overruns.load(Ordering::Relaxed),
        })
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = self.stop();
        }
    }
}

/// A recording filed as evidence.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The evidence item.
    pub added: AddedFile,
    /// How long the recording is.
    pub duration_ms: u64,
    /// What the writer did.
    pub report: WriterReport,
    /// Samples the queue dropped (0 unless the machine could not keep up).
    pub dropped_samples: u64,
    /// Overruns the sound system reported.
    pub overruns: u64,
}

fn file_recording(
    dd: &mut DataDir,
    meta: &PartialMeta,
    wav: &Path,
    audio: AudioInfo,
    now: DateTime<Utc>,
) -> Result<AddedFile, AudioError> {
    // A contact taken back since keeps its recording, filed under the case alone.
    let contact_id = dd
        .store
        .check_contact_in_case(meta.contact_id, meta.case_id)
        .is_ok()
        .then_some(meta.contact_id);
    let options = AddOptions {
        kind: Some(EvidenceKind::Recording),
        contact_id,
        note: None,
        source: EvidenceSource::Recording,
        captured_at: Some(meta.started_at),
        audio: Some(audio),
    };
    Ok(add_file(
        dd,
        meta.case_id,
        wav,
        &options,
        now,
        &Control::default(),
    )?)
}

fn build_stream(
    device: &cpal::Device,
    config: &cpal::SupportedStreamConfig,
    mut feeder: Feeder,
    shared: Arc<Shared>,
    overruns: Arc<AtomicU64>,
) -> Result<cpal::Stream, cpal::Error> {
    use cpal::SampleFormat as F;
    let on_error = move |e: cpal::Error| {
        match e.kind() {
        cpal::ErrorKind::Xrun => {
            overruns.fetch_add(1, Ordering::Relaxed);
        }
        cpal::ErrorKind::DeviceChanged | cpal::ErrorKind::RealtimeDenied => {}
        _ => shared.fail(format!(
            "the microphone stopped ({e}); what was recorded until then is kept — press Stop to file it"
        )),
    }
    };
    let stream_config: cpal::StreamConfig = config.config();
    macro_rules! build {
        ($t:ty) => {
            device.build_input_stream::<$t, _, _>(
                stream_config,
                move |data: &[$t], _: &cpal::InputCallbackInfo| feeder.push(data),
                on_error,
                Some(Duration::from_secs(5)),
            )
        };
    }
    match config.sample_format() {
        F::I8 => build!(i8),
        F::I16 => build!(i16),
        F::I32 => build!(i32),
        F::I64 => build!(i64),
        F::U8 => build!(u8),
        F::U16 => build!(u16),
        F::U32 => build!(u32),
        F::U64 => build!(u64),
        F::F32 => build!(f32),
        F::F64 => build!(f64),
        other => Err(cpal::Error::with_message(
            cpal::ErrorKind::UnsupportedConfig,
            format!("sample format {other} cannot be recorded"),
        )),
    }
}

/// A recording an interrupted run left behind, now filed.
#[derive(Debug, Clone)]
pub struct Recovered {
    /// The case.
    pub case_id: CaseId,
    /// The evidence item.
    pub added: AddedFile,
    /// How much audio was saved.
    pub duration_ms: u64,
}

/// What `recover_partials` did.
#[derive(Debug, Default)]
pub struct RecoveryReport {
    /// Recordings filed.
    pub recovered: Vec<Recovered>,
    /// Recordings another running recourse is still making.
    pub in_use: usize,
    /// Recordings interrupted before a single sample was saved: nothing to file, removed.
    pub empty: usize,
    /// Recordings that could not be filed (left where they are), and why.
    pub problems: Vec<String>,
}

/// Repairs and files every recording an interrupted run left in `recordings/partial`, as
/// evidence flagged "recovered after interruption". Recordings still being made (locked) are
/// left alone; one that cannot be filed stays for the next try and is reported.
pub fn recover_partials(dd: &mut DataDir, now: DateTime<Utc>) -> RecoveryReport {
    let mut report = RecoveryReport::default();
    let dir = partial_dir(dd);
    let Ok(entries) = fs::read_dir(&dir) else {
        return report;
    };
    let mut wavs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .collect();
    wavs.sort();
    for wav in wavs {
        match recover_one(dd, &wav, now) {
            Ok(Recovery::Filed(r)) => report.recovered.push(r),
            Ok(Recovery::InUse) => report.in_use += 1,
            Ok(Recovery::Empty) => report.empty += 1,
            Err(e) => report.problems.push(format!("{}: {e}", wav.display())),
        }
    }
    report
}

/// What became of one interrupted recording.
enum Recovery {
    Filed(Recovered),
    /// Another recourse holds its lock: still being recorded.
    InUse,
    /// Not a sample was saved (killed while the device was opening); removed.
    Empty,
}

fn recover_one(
    dd: &mut DataDir,
    wav_path: &Path,
    now: DateTime<Utc>,
) -> Result<Recovery, AudioError> {
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .open(wav_path)
        .map_err(io_err("cannot open the interrupted recording", wav_path))?;
    if lock_exclusive(&lock, true).is_err() {
        return Ok(Recovery::InUse);
    }
    let (meta_path, marks_path) = PartialFiles::paths(wav_path);
    let files = PartialFiles {
        wav: wav_path.to_owned(),
        meta: meta_path.clone(),
        marks: marks_path.clone(),
        _lock: lock,
    };
    let _ = fs::remove_file(PartialFiles::meta_tmp(wav_path));
    if fs::metadata(wav_path).map(|m| m.len()).unwrap_or(0) < 44 {
        // Killed before the first header (or before the description was written): not a
        // sample was recorded.
        files.remove();
        return Ok(Recovery::Empty);
    }
    let meta: PartialMeta = fs::read(&meta_path)
        .map_err(io_err(
            "cannot read which case the recording belongs to",
            &meta_path,
        ))
        .and_then(|bytes| {
            serde_json::from_slice(&bytes).map_err(|e| {
                io_err(
                    "cannot read which case the recording belongs to",
                    &meta_path,
                )(io::Error::other(e))
            })
        })?;
    let (_, layout) =
        wav::repair(wav_path).map_err(io_err("cannot repair the recording", wav_path))?;
    if layout.frames() == 0 {
        // A header and no sound: every such file is the same bytes, and says nothing.
        files.remove();
        return Ok(Recovery::Empty);
    }
    let mut bookmarks = read_marks(&marks_path);
    bookmarks.retain(|b| b.offset_ms <= layout.duration_ms());
    bookmarks.sort_by_key(|b| b.offset_ms);
    wav::write_tail(wav_path, &bookmarks, &meta.info()).map_err(io_err(
        "cannot write the bookmarks into the recording",
        wav_path,
    ))?;
    let audio = AudioInfo {
        duration_ms: Some(layout.duration_ms()),
        sample_rate: Some(layout.sample_rate),
        channels: Some(layout.channels),
        device: Some(meta.device.clone()),
        recovered: true,
        bookmarks,
    };
    let added = file_recording(dd, &meta, wav_path, audio, now)?;
    files.remove();
    Ok(Recovery::Filed(Recovered {
        case_id: meta.case_id,
        added,
        duration_ms: layout.duration_ms(),
    }))
}

/// The bookmarks saved next to a recording; a torn last line is skipped.
fn read_marks(path: &Path) -> Vec<Bookmark> {
    let Ok(file) = File::open(path) else {
        return Vec::new();
    };
    io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str(&line).ok())
        .collect()
}
