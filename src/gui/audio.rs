//! The app's sound work, all off the UI thread: the recording (its own thread owns the
//! recorder and its own database connection), the microphone list, the filing of recordings an
//! interrupted run left behind, and playback.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use chrono::Utc;

use crate::audio::playback::Player;
use crate::audio::{
    InputDevice, Monitor, PartialMeta, RecordOptions, Recorder, RecoveryReport, input_devices,
    recover_partials,
};
use crate::datadir::DataDir;
use crate::model::{Bookmark, CaseId, ContactId};
use crate::vault::Sha256;

enum RecCommand {
    Bookmark(Option<String>),
    Stop,
}

/// What the recording thread reports.
#[derive(Debug)]
pub enum RecEvent {
    /// Recording runs.
    Started {
        /// Where and from what.
        meta: PartialMeta,
        /// Its live status.
        monitor: Monitor,
    },
    /// It could not start; nothing was written.
    StartFailed(String),
    /// A bookmark is saved.
    Bookmarked(Bookmark),
    /// A bookmark could not be saved.
    BookmarkFailed(String),
    /// Stopped and filed: (evidence number, milliseconds, dropped samples), or why filing
    /// failed (the recording then waits in recordings/partial for the next start).
    Finished(Result<(CaseId, u32, u64, u64), String>),
}

/// The running recording, as the app sees it.
pub struct RecordingJob {
    /// The case.
    pub case: CaseId,
    /// The contact.
    pub contact: ContactId,
    /// Set once it runs.
    pub meta: Option<PartialMeta>,
    /// Set once it runs.
    pub monitor: Option<Monitor>,
    /// Bookmarks saved so far.
    pub bookmarks: Vec<Bookmark>,
    /// Stop was pressed; filing is under way.
    pub stopping: bool,
    commands: Sender<RecCommand>,
    events: Receiver<RecEvent>,
    thread: Option<JoinHandle<()>>,
}

/// Sound work and its results.
pub struct Audio {
    ctx: egui::Context,
    data_dir: PathBuf,
    /// The recording, while one runs.
    pub recording: Option<RecordingJob>,
    /// The microphones, once listed.
    pub devices: Option<Vec<InputDevice>>,
    devices_rx: Option<Receiver<Vec<InputDevice>>>,
    recovery_rx: Option<Receiver<RecoveryReport>>,
    /// The recording being played, if any.
    pub player: Option<(Sha256, Player)>,
    /// The language failures are said in (the app sets it every frame).
    pub lang: super::i18n::Lang,
}

impl Audio {
    /// Starts listing microphones and filing interrupted recordings, both in the background.
    pub fn new(ctx: egui::Context, data_dir: PathBuf) -> Audio {
        let mut audio = Audio {
            ctx,
            data_dir,
            recording: None,
            lang: super::i18n::Lang::default(),
            devices: None,
            devices_rx: None,
            recovery_rx: None,
            player: None,
        };
        audio.recover();
        audio.refresh_devices();
        audio
    }

    fn recover(&mut self) {
        let (tx, rx) = channel();
        let (dir, ctx) = (self.data_dir.clone(), self.ctx.clone());
        let lang = self.lang;
        let _ = thread::Builder::new()
            .name("recording-recovery".into())
            .spawn(move || {
                let report = match DataDir::open(&dir) {
                    Ok(mut dd) => recover_partials(&mut dd, Utc::now()),
                    Err(e) => RecoveryReport {
                        problems: vec![super::failures::data_dir_error(&e, lang)],
                        ..RecoveryReport::default()
                    },
                };
                let _ = tx.send(report);
                ctx.request_repaint();
            });
        self.recovery_rx = Some(rx);
    }

    /// Lists the microphones again (in the background).
    pub fn refresh_devices(&mut self) {
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        let _ = thread::Builder::new()
            .name("list-microphones".into())
            .spawn(move || {
                let _ = tx.send(input_devices());
                ctx.request_repaint();
            });
        self.devices_rx = Some(rx);
    }

    /// Starts recording a contact's call.
    pub fn start(&mut self, case: CaseId, contact: ContactId, device: Option<String>) {
        if self.recording.is_some() {
            return;
        }
        let (commands, command_rx) = channel();
        let (event_tx, events) = channel();
        let (dir, ctx, lang) = (self.data_dir.clone(), self.ctx.clone(), self.lang);
        let options = RecordOptions {
            case_id: case,
            contact_id: contact,
            device,
            keep_stereo: false,
            max_duration: None,
        };
        let thread = thread::Builder::new()
            .name("recording".into())
            .spawn(move || {
                record_thread(&dir, &options, &command_rx, &event_tx, lang);
                ctx.request_repaint();
            })
            .ok();
        self.recording = Some(RecordingJob {
            case,
            contact,
            meta: None,
            monitor: None,
            bookmarks: Vec::new(),
            stopping: false,
            commands,
            events,
            thread,
        });
    }

    /// Marks this moment of the running recording.
    pub fn bookmark(&self, note: Option<String>) {
        if let Some(r) = &self.recording {
            let _ = r.commands.send(RecCommand::Bookmark(note));
        }
    }

    /// Stops the recording and files it (in the background).
    pub fn stop(&mut self) {
        if let Some(r) = &mut self.recording {
            r.stopping = true;
            let _ = r.commands.send(RecCommand::Stop);
        }
    }

    /// Stops and files the recording before the app closes, waiting for it.
    pub fn shutdown(&mut self) {
        self.stop();
        if let Some(mut r) = self.recording.take()
            && let Some(t) = r.thread.take()
        {
            let _ = t.join();
        }
        self.player = None;
    }

    /// What happened since the last frame.
    pub fn poll(&mut self) -> (Vec<RecEvent>, Option<RecoveryReport>) {
        if let Some(rx) = &self.devices_rx
            && let Ok(list) = rx.try_recv()
        {
            self.devices = Some(list);
            self.devices_rx = None;
        }
        let recovered = match &self.recovery_rx {
            Some(rx) => match rx.try_recv() {
                Ok(report) => {
                    self.recovery_rx = None;
                    Some(report)
                }
                Err(TryRecvError::Disconnected) => {
                    self.recovery_rx = None;
                    None
                }
                Err(TryRecvError::Empty) => None,
            },
            None => None,
        };
        let mut events = Vec::new();
        let mut ended = false;
        if let Some(r) = &mut self.recording {
            loop {
                match r.events.try_recv() {
                    Ok(RecEvent::Started { meta, monitor }) => {
                        r.meta = Some(meta.clone());
                        r.monitor = Some(monitor.clone());
                        events.push(RecEvent::Started { meta, monitor });
                    }
                    Ok(RecEvent::Bookmarked(b)) => {
                        r.bookmarks.push(b.clone());
                        events.push(RecEvent::Bookmarked(b));
                    }
                    Ok(e @ (RecEvent::StartFailed(_) | RecEvent::Finished(_))) => {
                        ended = true;
                        events.push(e);
                    }
                    Ok(e) => events.push(e),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        ended = true;
                        break;
                    }
                }
            }
        }
        if ended
            && let Some(mut r) = self.recording.take()
            && let Some(t) = r.thread.take()
        {
            let _ = t.join();
        }
        (events, recovered)
    }

    /// Opens a recording for playing (replacing any other) and plays it.
    pub fn play(&mut self, sha: Sha256, path: &std::path::Path) -> Result<(), String> {
        if let Some((current, player)) = &self.player
            && *current == sha
        {
            if player.is_playing() {
                player.pause();
            } else {
                player.play();
            }
            return Ok(());
        }
        self.player = None;
        let player = Player::open(path).map_err(|e| super::failures::audio_error(&e, self.lang))?;
        player.play();
        self.player = Some((sha, player));
        Ok(())
    }

    /// Moves the playing recording to `ms`.
    pub fn seek(&self, sha: Sha256, ms: u64) {
        if let Some((current, player)) = &self.player
            && *current == sha
        {
            player.seek_ms(ms);
            player.play();
        }
    }
}

fn record_thread(
    dir: &std::path::Path,
    options: &RecordOptions,
    commands: &Receiver<RecCommand>,
    events: &Sender<RecEvent>,
    lang: super::i18n::Lang,
) {
    use super::failures::audio_error;
    let mut dd = match DataDir::open(dir) {
        Ok(dd) => dd,
        Err(e) => {
            let _ = events.send(RecEvent::StartFailed(super::failures::data_dir_error(
                &e, lang,
            )));
            return;
        }
    };
    let mut recorder = match Recorder::start(&dd, options, Utc::now()) {
        Ok(r) => r,
        Err(e) => {
            let _ = events.send(RecEvent::StartFailed(audio_error(&e, lang)));
            return;
        }
    };
    let _ = events.send(RecEvent::Started {
        meta: recorder.meta().clone(),
        monitor: recorder.monitor(),
    });
    loop {
        match commands.recv_timeout(Duration::from_millis(200)) {
            Ok(RecCommand::Bookmark(note)) => {
                let _ = events.send(match recorder.bookmark(note) {
                    Ok(b) => RecEvent::Bookmarked(b),
                    Err(e) => RecEvent::BookmarkFailed(audio_error(&e, lang)),
                });
            }
            Ok(RecCommand::Stop) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
    let case = options.case_id;
    let result = recorder
        .finish(&mut dd, Utc::now())
        .map(|f| (case, f.added.number, f.duration_ms, f.dropped_samples))
        .map_err(|e| audio_error(&e, lang));
    let _ = events.send(RecEvent::Finished(result));
}
