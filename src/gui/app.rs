//! The app: state, the command queue, and the frame loop.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::audio::{Audio, RecEvent};
use super::i18n::{Lang, T, fill};
use super::jobs::{ImportEvent, Jobs};
use super::packets::{BuiltPacket, Packets};
use super::theme;
use super::views::{self, Data, UiState, ViewCtx};
use crate::datadir::DataDir;
use crate::model::*;
use crate::vault::{ObjectCheck, Sha256};

/// How the app is started.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// The data directory.
    pub data_dir: PathBuf,
    /// The language, overriding the remembered one.
    pub lang: Option<Lang>,
    /// A fixed "now" (tests, screenshots); `None` reads the clock.
    pub now: Option<DateTime<Utc>>,
    /// A packet to open for review at start (`recourse --review FILE.zip`).
    pub review: Option<PathBuf>,
    /// The example case's window (`--demo`): its title says so, so it is never taken for the
    /// user's own records.
    pub demo: bool,
}

/// View preferences remembered between runs (never domain data: that is in SQLite).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// The interface language.
    #[serde(deserialize_with = "lang_as_saved")]
    pub lang: Lang,
    /// The case open last.
    pub selected_case: Option<i64>,
    /// Reminders already sent (agenda keys), so each goes out once, across runs too.
    pub notified: std::collections::BTreeSet<String>,
    /// Light, dark, or follow the system.
    pub theme: ThemePref,
    /// Evidence as a grid of thumbnails rather than a list.
    pub evidence_grid: bool,
    /// The microphone to record from (`None`: the system's default).
    pub microphone: Option<String>,
}

/// The language as prefs saved it: `"ko"`, or `"Ko"` as builds before the one `Lang` wrote it.
fn lang_as_saved<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
    let text = String::deserialize(d)?;
    Ok(match text.as_str() {
        "en" | "En" => Lang::En,
        _ => Lang::Ko,
    })
}

/// The theme choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemePref {
    /// Follow the system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Something the UI asks for; run in `logic()` before the next frame is drawn.
#[must_use]
#[derive(Debug, Clone)]
pub enum Command {
    /// Open a case.
    SelectCase(CaseId),
    /// Open a new case.
    CreateCase(Box<CaseFields>),
    /// Change a case's facts (dates, status, …).
    EditCase {
        /// The case.
        case: CaseId,
        /// Its fields as the form opened with them (only what differs from these is written).
        base: Box<CaseFields>,
        /// Its new fields.
        fields: Box<CaseFields>,
    },
    /// Change only a case's status (the advisor's "close as resolved").
    SetCaseStatus {
        /// The case.
        case: CaseId,
        /// The new status.
        status: CaseStatus,
    },
    /// Log a contact; open the promise form after it when `then_promise`.
    AddContact {
        /// The case.
        case: CaseId,
        /// The contact.
        fields: Box<ContactFields>,
        /// Open the promise form next.
        then_promise: bool,
    },
    /// Change a contact.
    EditContact {
        /// The contact.
        id: ContactId,
        /// Its fields as the form opened with them (only what differs from these is written).
        base: Box<ContactFields>,
        /// Its new fields.
        fields: Box<ContactFields>,
    },
    /// Record a promise.
    AddPromise {
        /// The case.
        case: CaseId,
        /// The promise.
        fields: Box<PromiseFields>,
    },
    /// Change a promise.
    EditPromise {
        /// The promise.
        id: PromiseId,
        /// Its fields as the form opened with them (only what differs from these is written).
        base: Box<PromiseFields>,
        /// Its new fields.
        fields: Box<PromiseFields>,
    },
    /// End a promise.
    EndPromise {
        /// The promise.
        id: PromiseId,
        /// Kept, broken or withdrawn.
        status: PromiseStatus,
        /// The user's note.
        note: String,
    },
    /// Add files as evidence (in the background).
    ImportFiles {
        /// The case.
        case: CaseId,
        /// The files.
        paths: Vec<PathBuf>,
        /// How they came in.
        source: EvidenceSource,
    },
    /// Open the file dialog to choose evidence.
    PickFiles(CaseId),
    /// Paste an image from the clipboard as evidence.
    PasteImage(CaseId),
    /// File this image, pasted with Ctrl+V, as evidence of the case.
    PastedImage(CaseId, std::sync::Arc<egui::ColorImage>),
    /// Hide the window, capture the screen, file it as evidence of the case.
    CaptureScreen(CaseId),
    /// Stop the running import.
    CancelImport,
    /// Re-hash a vault object now.
    Reverify(Sha256),
    /// Open the example case in a window of its own (its own data directory).
    OpenDemo,
    /// Make the viewer's image or text of an object.
    Preview {
        /// The object.
        sha: Sha256,
        /// Read it as text rather than decode it as an image.
        text: bool,
    },
    /// Open an evidence file (a read-only copy) with the system's app.
    OpenEvidence {
        /// The object.
        sha: Sha256,
        /// The item's file name.
        name: String,
    },
    /// Save a copy of a packet where the user chooses.
    SavePacketAs(PathBuf, Sha256),
    /// Show the packets folder in the file manager.
    OpenPacketsFolder,
    /// Retract an evidence item (a ledger entry; the item and its file stay, marked).
    RetractEvidence {
        /// Its case.
        case: CaseId,
        /// Its number (E003 is 3).
        number: u32,
        /// Why, in the user's words.
        reason: String,
    },
    /// Change what an evidence item is said to be (never its file).
    EditEvidence {
        /// The case.
        case: CaseId,
        /// The item.
        number: u32,
        /// Its contact, kind and note.
        edit: crate::model::EvidenceEdit,
    },
    /// Take a contact back, with the reason.
    RetractContact {
        /// The contact.
        id: ContactId,
        /// Why.
        reason: String,
    },
    /// Ask for a thumbnail of an image object.
    Thumbnail(Sha256),
    /// Switch language.
    SetLang(Lang),
    /// Switch theme.
    SetTheme(ThemePref),
    /// Put text on the clipboard.
    CopyText(String),
    /// Record a contact's call: asks about the announcement first when it was not made.
    RequestRecording {
        /// The case.
        case: CaseId,
        /// The contact.
        contact: ContactId,
    },
    /// Start recording (after the announcement question).
    StartRecording {
        /// The case.
        case: CaseId,
        /// The contact.
        contact: ContactId,
        /// The agent was told: mark the contact so first.
        announced: bool,
    },
    /// Mark this moment of the recording, with an optional note.
    Bookmark(Option<String>),
    /// Stop and file the recording.
    StopRecording,
    /// Record from this microphone (`None`: the default).
    SetMicrophone(Option<String>),
    /// List the microphones again.
    RefreshMicrophones,
    /// Change the recording-consent rule.
    SetConsent(RecordingConsent),
    /// Change the days before the advisor suggests an outside body.
    SetEscalateDays(u32),
    /// Set the data directory's time zone for packets.
    SetZone(chrono_tz::Tz),
    /// Play (or pause) a recording.
    Play(Sha256),
    /// Move the playing recording to a moment (ms).
    Seek(Sha256, u64),
    /// Build the open case's packet with the Packet tab's choices.
    BuildPacket {
        /// The case.
        case: CaseId,
        /// Evidence bytes, for the progress bar.
        bytes: u64,
    },
    /// Stop building.
    CancelPacket,
    /// Choose a packet to review.
    OpenPacket,
    /// Review this packet.
    ReviewPacket(PathBuf),
    /// Leave review mode.
    CloseReview,
    /// Choose a packet and add its case here.
    ImportPacket,
    /// Choose where, then write every pending promise and deadline as an iCalendar file.
    ExportCalendar,
    /// Choose where, then write this text there (a letter).
    SaveText {
        /// The save dialog's title.
        title: String,
        /// The file name offered.
        file_name: String,
        /// What to write.
        text: String,
    },
    /// Add this packet's case here (after verifying it).
    ImportPacketFile(PathBuf),
    /// Get a timestamp of the case's head from the configured TSA (in the background).
    TimestampNow(CaseId),
    /// Record that a receipt code went out in a contact.
    RecordReceipt {
        /// The contact.
        contact: ContactId,
        /// The chain position the code names.
        covers: u64,
        /// The code.
        code: String,
    },
    /// Set (or with "" clear) the TSA.
    SetTsaUrl(String),
    /// The opt-in automatic timestamps, every at most this many minutes (`None`: off).
    SetTimestampEvery(Option<u32>),
}

/// A message shown at the bottom of the window for a while.
#[derive(Debug, Clone)]
pub struct Notice {
    /// What to say.
    pub text: String,
    /// Whether it is an error.
    pub is_error: bool,
    /// When it was said (real time, not the app's clock).
    pub at: std::time::Instant,
}

/// Which record a retraction was of.
#[derive(Clone, Copy)]
enum Retracting {
    Evidence(u32),
    Contact(ContactId),
}

/// How long a notice that something worked stays in the status bar.
const INFO_LASTS: std::time::Duration = std::time::Duration::from_secs(12);

/// A notice older than this goes when the user does something else: it was there to be read,
/// and what it said may no longer be so.
const NOTICE_READ: std::time::Duration = std::time::Duration::from_millis(1500);

/// The app.
pub struct RecourseApp {
    dd: DataDir,
    fixed_now: Option<DateTime<Utc>>,
    /// Remembered view preferences.
    pub prefs: Prefs,
    /// The preferences as last saved (JSON), to save again as soon as they change.
    saved_prefs: Option<String>,
    /// Data read from the store for the current view.
    pub data: Data,
    /// Forms, tabs, selection.
    pub state: UiState,
    commands: Vec<Command>,
    jobs: Jobs,
    /// The latest notice.
    pub notice: Option<Notice>,
    last_minute: i64,
    capture_for: Option<CaseId>,
    /// A delayed capture: of which case, and when it is taken.
    capture_countdown: Option<(CaseId, std::time::Instant)>,
    /// The app's own X11 window, never captured as "the window in front".
    own_window: Option<u64>,
    /// Recording, playback, microphones.
    pub audio: Audio,
    /// The recording-consent rule (kept in the database).
    pub consent: RecordingConsent,
    packets: Packets,
    /// The packet built last.
    pub last_packet: Option<BuiltPacket>,
    /// The case the last packet (or the one being built) is of: its result is shown only there.
    packet_case: Option<CaseId>,
    /// Reload at the next frame (a record was found gone).
    reload_soon: bool,
    /// The tab shown last frame: moving to another one counts as doing something else.
    last_tab: views::Tab,
    /// This window is the example case's: it sends no desktop reminders.
    demo: bool,
    /// Example windows opened from here, waited for so none lingers and a failed one is said.
    demos: Vec<std::process::Child>,
    /// The packet open for review.
    pub review: Option<crate::packet::review::Review>,
    review_images: std::collections::BTreeMap<i64, egui::TextureHandle>,
    reminders: super::reminders::Reminders,
    /// A frame has been drawn.
    drawn: bool,
    /// `RECOURSE_EXIT_AFTER_FIRST_FRAME` is set: close once the first frame is drawn (the
    /// startup benchmark times launch to first frame this way).
    exit_after_first_frame: bool,
    ime: super::ime::ImeInput,
}

impl RecourseApp {
    /// Builds the app: fonts, theme, the data directory and the remembered preferences.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> anyhow::Result<Self> {
        let review = options.review.clone();
        theme::install_fonts(&cc.egui_ctx);
        let dd = DataDir::open(&options.data_dir)?;
        let mut prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        if let Some(lang) = options.lang {
            prefs.lang = lang;
        }
        let consent = dd.store.recording_consent().unwrap_or_default();
        let mut app = RecourseApp {
            jobs: Jobs::new(cc.egui_ctx.clone(), options.data_dir.clone()),
            audio: Audio::new(cc.egui_ctx.clone(), options.data_dir.clone()),
            packets: Packets::new(cc.egui_ctx.clone(), options.data_dir.clone()),
            last_packet: None,
            packet_case: None,
            reload_soon: false,
            last_tab: views::Tab::default(),
            demo: options.demo,
            demos: Vec::new(),
            review: None,
            review_images: std::collections::BTreeMap::new(),
            reminders: super::reminders::Reminders::new(cc.egui_ctx.clone()),
            consent,
            dd,
            fixed_now: options.now,
            saved_prefs: serde_json::to_string(&prefs).ok(),
            prefs,
            data: Data::default(),
            state: UiState::default(),
            commands: Vec::new(),
            notice: None,
            last_minute: 0,
            drawn: false,
            exit_after_first_frame: std::env::var_os("RECOURSE_EXIT_AFTER_FIRST_FRAME").is_some(),
            capture_for: None,
            capture_countdown: None,
            own_window: native_window(cc),
            ime: super::ime::ImeInput::new(on_x11(cc)),
        };
        apply_theme(&cc.egui_ctx, app.prefs.theme);
        app.state.evidence_grid = app.prefs.evidence_grid;
        app.reload();
        if app.data.detail.is_none()
            && let Some(first) = app.data.cases.first()
        {
            let id = first.id;
            app.select(id);
        }
        if let Some(packet) = review {
            app.push(Command::ReviewPacket(packet));
        }
        Ok(app)
    }

    /// The current time (fixed in tests).
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    /// The data directory (tests look at the store through it).
    pub fn data_dir(&self) -> &DataDir {
        &self.dd
    }

    /// The step, the reason and the code of each piece of advice the panel lists for the open
    /// case, most urgent first (tests read it).
    pub fn advice_shown(&self) -> Vec<(String, String, &'static str, Option<String>)> {
        self.data
            .advice_lines
            .iter()
            .map(|l| {
                (
                    l.worded.step.clone(),
                    l.worded.reason.clone(),
                    l.worded.code,
                    l.say.clone(),
                )
            })
            .collect()
    }

    /// Queues a command, as the UI does.
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Files a pasted image saved as a PNG (or says why it could not be saved).
    fn import_pasted(
        &mut self,
        ctx: &egui::Context,
        case: CaseId,
        saved: Result<std::path::PathBuf, String>,
    ) {
        match saved {
            Ok(path) => self.run(
                ctx,
                Command::ImportFiles {
                    case,
                    paths: vec![path],
                    source: EvidenceSource::Clipboard,
                },
            ),
            Err(e) => self.error(e),
        }
    }

    fn select(&mut self, id: CaseId) {
        self.prefs.selected_case = Some(id.0);
        self.state.on_case_changed();
        self.reload();
    }

    /// Re-reads what the views show. Called after every change, never per frame.
    fn reload(&mut self) {
        let now = self.now();
        match self.dd.store.zone() {
            Ok(zone) => self.data.zone = zone.name().to_owned(),
            Err(e) => self.store_failed(&e),
        }
        if self.data.system_zone.is_none() {
            self.data.system_zone = Some(crate::clock::system_zone());
        }
        match self.dd.store.list_cases(now) {
            Ok(cases) => self.data.cases = cases,
            Err(e) => self.store_failed(&e),
        }
        self.read_agenda(now);
        self.data.detail = match self.prefs.selected_case {
            Some(id) => match self.dd.store.case_detail(CaseId(id), now) {
                Ok(d) => Some(d),
                Err(_) => {
                    self.prefs.selected_case = None;
                    None
                }
            },
            None => None,
        };
        self.read_proofs(now);
        self.data.rebuild(self.prefs.lang, now);
    }

    /// Reads the open case's proofs (its timestamps checked offline, its receipt codes, the
    /// current head's code) and the TSA settings; starts the opt-in automatic timestamp when
    /// one is due.
    fn read_proofs(&mut self, now: DateTime<Utc>) {
        self.data.proof.tsa_url = self.dd.store.tsa_url().ok().flatten();
        self.data.proof.every_minutes = self.dd.store.timestamp_every_minutes().ok().flatten();
        if self.data.proof.fingerprint.is_empty() {
            self.data.proof.fingerprint =
                crate::proof::key::SenderKey::load_or_create(self.dd.root())
                    .map(|k| k.public().fingerprint())
                    .unwrap_or_default();
        }
        let Some(case) = self.prefs.selected_case.map(CaseId) else {
            return;
        };
        let entries = self.dd.store.ledger(case).unwrap_or_default();
        let proofs = crate::proof::chain::proofs(&entries);
        self.data.proof.head = entries
            .last()
            .map(|e| (e.seq, crate::proof::receipt::code(&e.hash)));
        self.data.proof.stamps = proofs
            .stamps
            .iter()
            .map(|s| {
                (
                    s.seq,
                    s.covers,
                    s.result
                        .as_ref()
                        .map(|i| (i.gen_time, i.tsa.clone()))
                        .map_err(|e| e.to_string()),
                )
            })
            .collect();
        self.data.proof.receipts = proofs.receipts.len();
        self.data.proof.last_packet = crate::proof::stamp::since_last_packet(&entries);
        if let (Some(minutes), Some(_)) = (self.data.proof.every_minutes, &self.data.proof.tsa_url)
            && !self.jobs.stamping()
            && crate::proof::stamp::due(&entries, minutes, now)
        {
            self.jobs.stamp(case, now);
        }
    }

    /// Re-reads the advisor's settings and the agenda across all cases, and notes which call is
    /// being recorded (the advisor reminds the user to announce it).
    fn read_agenda(&mut self, now: DateTime<Utc>) {
        self.data.advisor_settings = self.dd.store.advisor_settings().unwrap_or_default();
        self.data.recording_contact = self.audio.recording.as_ref().map(|r| r.contact);
        match self.dd.store.agenda_inputs() {
            Ok(cases) => self.data.agenda = crate::advisor::agenda::agenda(&cases, now),
            Err(e) => self.store_failed(&e),
        }
    }

    /// Sends the reminders that have come due since the last look: each once, across runs.
    /// With a fixed clock (tests, screenshots) they are only marked, not shown.
    pub fn remind(&mut self, now: DateTime<Utc>) {
        use crate::advisor::agenda::reminders_due;
        let lang = self.prefs.lang;
        let live: std::collections::BTreeSet<String> =
            self.data.agenda.iter().map(|i| i.key()).collect();
        // Forget reminders of items that left the agenda (kept, ended, resolved).
        self.prefs.notified.retain(|k| {
            k.rsplit_once('@')
                .is_some_and(|(key, _)| live.contains(key))
        });
        let due = reminders_due(&self.data.agenda, now, &self.prefs.notified);
        if due.is_empty() {
            return;
        }
        let mut notes: Vec<super::reminders::Note> = due
            .iter()
            .map(|(_, item)| {
                (
                    item.title(lang),
                    format!("{} · {}", item.case_title, item.when_text(now, lang)),
                )
            })
            .collect();
        // A first run over an old data directory must not flood the desktop.
        if notes.len() > 3 {
            notes = vec![(
                fill(T::ReminderMany.get(lang), &[&notes.len().to_string()]),
                T::ReminderManyBody.get(lang).to_owned(),
            )];
        }
        for (key, _) in due {
            self.prefs.notified.insert(key);
        }
        // The example's promises fall due too, but they are nobody's to be reminded of.
        if self.fixed_now.is_none() && !self.demo {
            super::reminders::Reminders::notify(notes);
        }
    }

    /// A failure of the store, said in the UI's language.
    /// Takes a capture now: the whole screen with this window out of the way, or the window
    /// in front as it is (this window stays, and is refused if it is the one in front).
    fn start_capture(&mut self, ctx: &egui::Context, case: CaseId) {
        self.capture_for = Some(case);
        let what = self.state.capture_what;
        let delay = match what {
            super::jobs::Capture::Screen => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Visible(false));
                std::time::Duration::from_millis(600)
            }
            super::jobs::Capture::FrontWindow => std::time::Duration::ZERO,
        };
        self.jobs.capture_screen(delay, what, self.own_window);
    }

    /// A retraction refused. Retracted meanwhile elsewhere: its box closes and the record is
    /// shown as it now is. Otherwise the reason is said in the box, if that record's is open.
    fn retraction_failed(&mut self, e: &crate::store::StoreError, which: Retracting) {
        let text = super::i18n::store_error(e, self.prefs.lang);
        let gone = matches!(
            e,
            crate::store::StoreError::Invalid {
                field: "retracted",
                ..
            }
        );
        let state = &mut self.state;
        let open = match which {
            Retracting::Evidence(n) => state.retract_form.as_ref().is_some_and(|f| f.number == n),
            Retracting::Contact(id) => state
                .contact_retract
                .as_ref()
                .is_some_and(|(c, _)| *c == id),
        };
        if open && gone {
            match which {
                Retracting::Evidence(_) => state.retract_form = None,
                Retracting::Contact(_) => state.contact_retract = None,
            }
        } else if open {
            let form = match which {
                Retracting::Evidence(_) => state.retract_form.as_mut(),
                Retracting::Contact(_) => state.contact_retract.as_mut().map(|(_, f)| f),
            };
            if let Some(form) = form {
                form.error = Some(text);
                return;
            }
        }
        self.error(text);
        if gone {
            self.reload();
        }
    }

    fn store_failed(&mut self, e: &crate::store::StoreError) {
        self.error(super::i18n::store_error(e, self.prefs.lang));
        // Gone meanwhile: what is shown is brought up to date (the message says so), once
        // the command that failed is done (reload itself reports through here).
        if matches!(e, crate::store::StoreError::NotFound { .. }) {
            self.reload_soon = true;
        }
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice {
            text,
            is_error: true,
            at: std::time::Instant::now(),
        });
    }

    fn info(&mut self, text: String) {
        self.notice = Some(Notice {
            text,
            is_error: false,
            at: std::time::Instant::now(),
        });
    }

    /// Runs the queued commands. Returns whether any ran.
    fn run_commands(&mut self, ctx: &egui::Context) -> bool {
        let commands = std::mem::take(&mut self.commands);
        let any = !commands.is_empty();
        for command in commands {
            self.run(ctx, command);
        }
        any
    }

    fn run(&mut self, ctx: &egui::Context, command: Command) {
        let now = self.now();
        let lang = self.prefs.lang;
        // Something the user did (not a thumbnail or preview asked for by drawing): an old
        // notice has been read and may no longer be true.
        if !matches!(command, Command::Thumbnail(_) | Command::Preview { .. })
            && self
                .notice
                .as_ref()
                .is_some_and(|n| n.at.elapsed() > NOTICE_READ)
        {
            self.notice = None;
        }
        match command {
            Command::SelectCase(id) => self.select(id),
            Command::CreateCase(fields) => match self.dd.store.create_case(&fields, now) {
                Ok(id) => {
                    self.state.case_form = None;
                    self.select(id);
                }
                Err(e) => self.state.form_error(super::i18n::store_error(&e, lang)),
            },
            Command::EditCase { case, base, fields } => {
                match self.dd.store.edit_case(case, &base, &fields, now) {
                    Ok(_) => {
                        self.state.case_form = None;
                        self.reload();
                    }
                    Err(e) => self.state.form_error(super::i18n::store_error(&e, lang)),
                }
            }
            Command::SetCaseStatus { case, status } => {
                let result = self.dd.store.case(case).and_then(|c| {
                    let mut fields = c.fields.clone();
                    fields.status = status;
                    self.dd.store.edit_case(case, &c.fields, &fields, now)
                });
                match result {
                    Ok(_) => self.reload(),
                    Err(e) => self.store_failed(&e),
                }
            }
            Command::AddContact {
                case,
                fields,
                then_promise,
            } => match self.dd.store.add_contact(case, &fields, now) {
                Ok(id) => {
                    self.state.contact_form = None;
                    if then_promise {
                        self.state
                            .open_promise_form(case, id, fields.agent_name.clone(), now);
                    }
                    self.reload();
                }
                Err(e) => self.state.form_error(super::i18n::store_error(&e, lang)),
            },
            Command::EditContact { id, base, fields } => {
                match self.dd.store.edit_contact(id, &base, &fields, now) {
                    Ok(_) => {
                        self.state.contact_form = None;
                        self.reload();
                    }
                    Err(e) => self.state.form_error(super::i18n::store_error(&e, lang)),
                }
            }
            Command::AddPromise { case, fields } => {
                match self.dd.store.add_promise(case, &fields, now) {
                    Ok(_) => {
                        self.state.promise_form = None;
                        self.reload();
                    }
                    Err(e) => self.state.form_error(super::i18n::store_error(&e, lang)),
                }
            }
            Command::EditPromise { id, base, fields } => {
                match self.dd.store.edit_promise(id, &base, &fields, now) {
                    Ok(_) => {
                        self.state.promise_form = None;
                        self.reload();
                    }
                    Err(e) => self.state.form_error(super::i18n::store_error(&e, lang)),
                }
            }
            Command::EndPromise { id, status, note } => {
                match self.dd.store.end_promise(id, status, Some(&note), now) {
                    Ok(()) => {
                        self.state.end_form = None;
                        self.reload();
                    }
                    Err(e) => self.state.form_error(super::i18n::store_error(&e, lang)),
                }
            }
            Command::ImportFiles {
                case,
                paths,
                source,
            } => {
                if paths.is_empty() {
                    return;
                }
                if let Err(e) = self.jobs.import(case, paths, source, now) {
                    self.error(e);
                }
            }
            // The chosen files go to the case open when the dialog returns.
            Command::PickFiles(_) => self.jobs.pick_files(T::ChooseFiles.get(lang)),
            Command::PastedImage(case, image) => {
                let saved = self.jobs.save_pasted(&image, lang);
                self.import_pasted(ctx, case, saved);
            }
            Command::PasteImage(case) => {
                let saved = self.jobs.paste_image(lang);
                self.import_pasted(ctx, case, saved);
            }
            Command::CaptureScreen(case) => {
                let delay = u64::from(self.state.capture_delay);
                if self.capture_countdown.take().is_some() {
                    // Asked again while counting down: that is a cancel.
                    self.notice = None;
                } else if delay == 0 {
                    self.start_capture(ctx, case);
                } else {
                    let at = std::time::Instant::now() + std::time::Duration::from_secs(delay);
                    self.capture_countdown = Some((case, at));
                    self.info(fill(T::CaptureCountdown.get(lang), &[&delay.to_string()]));
                }
            }
            Command::CancelImport => self.jobs.cancel_import(),
            Command::Reverify(sha) => self.jobs.reverify(sha, self.dd.vault.clone()),
            Command::OpenDemo => {
                // Another process on a fresh demo directory: the user's own data never holds
                // the example, and nothing here has to be reopened.
                let started = std::env::current_exe().and_then(|exe| {
                    std::process::Command::new(exe)
                        .arg("--demo")
                        .arg("--lang")
                        .arg(match lang {
                            Lang::Ko => "ko",
                            Lang::En => "en",
                        })
                        .stdin(std::process::Stdio::null())
                        .spawn()
                });
                match started {
                    Ok(child) => self.demos.push(child),
                    Err(e) => self.error(super::failures::io_failed(
                        T::DemoNotStarted.get(lang),
                        &e,
                        lang,
                    )),
                }
            }
            Command::OpenEvidence { sha, name } => {
                let object = self.dd.vault.object_path(&sha);
                if let Err(e) = super::jobs::open_evidence(&object, &name, lang) {
                    self.error(e);
                }
            }
            Command::SavePacketAs(path, sha) => {
                self.packets
                    .save_as(path, sha, T::SavePacketTitle.get(lang));
            }
            Command::OpenPacketsFolder => {
                let dir = self.dd.root().join("packets");
                if let Err(e) = open::that_detached(&dir) {
                    let what = format!("{}: {}", T::OpenFailed.get(lang), dir.display());
                    self.error(super::failures::io_failed(&what, &e, lang));
                }
            }
            Command::RetractEvidence {
                case,
                number,
                reason,
            } => match self.dd.store.retract_evidence(case, number, &reason, now) {
                Ok(()) => {
                    self.state.retract_form = None;
                    self.info(fill(
                        T::EvidenceRetracted.get(lang),
                        &[&crate::model::evidence_label(number)],
                    ));
                    self.reload();
                }
                Err(e) => self.retraction_failed(&e, Retracting::Evidence(number)),
            },
            Command::EditEvidence { case, number, edit } => {
                match self.dd.store.edit_evidence(case, number, &edit, now) {
                    Ok(changes) => {
                        self.state.evidence_edit = None;
                        if !changes.is_empty() {
                            self.info(fill(
                                T::EvidenceEdited.get(lang),
                                &[&crate::model::evidence_label(number)],
                            ));
                            self.reload();
                        }
                    }
                    Err(e) => {
                        let text = super::i18n::store_error(&e, lang);
                        match &mut self.state.evidence_edit {
                            Some(form) if form.number == number => form.error = Some(text),
                            _ => self.error(text),
                        }
                    }
                }
            }
            Command::RetractContact { id, reason } => {
                match self.dd.store.retract_contact(id, &reason, now) {
                    Ok(()) => {
                        self.state.contact_retract = None;
                        self.info(fill(T::ContactRetracted.get(lang), &[&id.to_string()]));
                        self.reload();
                    }
                    Err(e) => self.retraction_failed(&e, Retracting::Contact(id)),
                }
            }
            Command::Thumbnail(sha) => {
                let path = self.dd.vault.object_path(&sha);
                self.jobs.thumbnail(sha, path);
            }
            Command::Preview { sha, text } => {
                let path = self.dd.vault.object_path(&sha);
                self.jobs.preview(sha, path, text);
            }
            Command::SetLang(lang) => {
                self.prefs.lang = lang;
                self.data.rebuild(lang, now);
            }
            Command::SetTheme(pref) => {
                self.prefs.theme = pref;
                apply_theme(ctx, pref);
            }
            Command::CopyText(text) => ctx.copy_text(text),
            Command::RequestRecording { case, contact } => {
                let announced = self
                    .dd
                    .store
                    .contact(contact)
                    .map(|c| c.fields.recording_announced)
                    .unwrap_or(false);
                if announced {
                    self.push(Command::StartRecording {
                        case,
                        contact,
                        announced: false,
                    });
                } else {
                    self.state.record_notice = Some((case, contact));
                }
            }
            Command::StartRecording {
                case,
                contact,
                announced,
            } => {
                self.state.record_notice = None;
                // Without a microphone the recording cannot start: the contact is not marked
                // "announced" for a recording that never was.
                if self.audio.devices.as_ref().is_some_and(Vec::is_empty) {
                    self.error(T::NoMicrophones.get(lang).to_owned());
                    return;
                }
                if announced {
                    let marked = self.dd.store.contact(contact).and_then(|c| {
                        let mut fields = c.fields.clone();
                        fields.recording_announced = true;
                        self.dd.store.edit_contact(contact, &c.fields, &fields, now)
                    });
                    if let Err(e) = marked {
                        self.store_failed(&e);
                        return;
                    }
                    self.reload();
                } else if self.consent == RecordingConsent::AllParty {
                    self.error(T::RecordNoticeAllParty.get(lang).to_owned());
                    return;
                }
                self.audio
                    .start(case, contact, self.prefs.microphone.clone());
                // The advisor reminds the user to announce the recording.
                self.reload();
            }
            Command::Bookmark(note) => self.audio.bookmark(note),
            Command::StopRecording => self.audio.stop(),
            Command::SetMicrophone(name) => self.prefs.microphone = name,
            Command::RefreshMicrophones => self.audio.refresh_devices(),
            Command::SetConsent(rule) => match self.dd.store.set_recording_consent(rule) {
                Ok(()) => self.consent = rule,
                Err(e) => self.store_failed(&e),
            },
            Command::TimestampNow(case) => {
                if !self.jobs.stamping() {
                    self.jobs.stamp(case, now);
                }
            }
            Command::RecordReceipt {
                contact,
                covers,
                code,
            } => match self.dd.store.record_receipt(contact, covers, &code, now) {
                Ok(_) => {
                    self.info(fill(
                        T::ProofReceiptRecorded.get(lang),
                        &[&code, &contact.0.to_string()],
                    ));
                    self.reload();
                }
                Err(e) => self.store_failed(&e),
            },
            Command::SetTsaUrl(url) => match crate::proof::tsa::tsa_url(&url) {
                Err(_) => self.error(T::TsaSettingHint.get(lang).to_owned()),
                Ok(url) => match self.dd.store.set_tsa_url(url.as_deref()) {
                    Ok(()) => self.reload(),
                    Err(e) => self.store_failed(&e),
                },
            },
            Command::SetTimestampEvery(minutes) => {
                match self.dd.store.set_timestamp_every_minutes(minutes) {
                    Ok(()) => self.reload(),
                    Err(e) => self.store_failed(&e),
                }
            }
            Command::SetZone(zone) => match self.dd.store.set_zone(zone) {
                Ok(()) => {
                    // Every time on screen and in every sentence moves to the new zone now.
                    self.data.zone = zone.name().to_owned();
                    self.data.rebuild(lang, now);
                }
                Err(e) => self.store_failed(&e),
            },
            Command::SetEscalateDays(days) => {
                match self.dd.store.set_escalate_external_after_days(days) {
                    Ok(()) => self.reload(),
                    Err(e) => self.store_failed(&e),
                }
            }
            Command::Play(sha) => {
                let path = self.dd.vault.object_path(&sha);
                if let Err(e) = self.audio.play(sha, &path) {
                    self.error(e);
                }
            }
            Command::Seek(sha, ms) => self.audio.seek(sha, ms),
            Command::BuildPacket { case, bytes } => {
                let zone = match self.dd.store.zone() {
                    Ok(z) => z,
                    Err(e) => {
                        self.store_failed(&e);
                        return;
                    }
                };
                let form = &mut self.state.packet_form;
                form.error = None;
                let deadline = match form.deadline.trim() {
                    "" => None,
                    text => match crate::clock::parse_date(text) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            form.error = Some(super::i18n::time_error(&e, lang));
                            return;
                        }
                    },
                };
                let options = crate::packet::build::BuildOptions {
                    lang: form.lang.unwrap_or(lang),
                    recipient: form.recipient,
                    redact: form.redact,
                    generated_at: now,
                    deadline,
                    zone,
                };
                if !self.packets.building() {
                    self.last_packet = None;
                    self.packet_case = Some(case);
                }
                self.packets.build(case, options, bytes);
            }
            Command::CancelPacket => self.packets.cancel(),
            Command::OpenPacket => self.packets.pick(T::ChoosePacket.get(lang), false),
            Command::ImportPacket => self.packets.pick(T::ChoosePacket.get(lang), true),
            Command::ExportCalendar => {
                let now = self.now();
                let offset = crate::clock::offset_in(self.data.tz(), now);
                let text = crate::advisor::agenda::to_ics(&self.data.agenda, now, lang, offset);
                self.reminders.export_calendar(
                    T::CalendarSaveTitle.get(lang),
                    text,
                    self.data.agenda.len(),
                );
            }
            Command::SaveText {
                title,
                file_name,
                text,
            } => self.reminders.save_text(&title, &file_name, text),
            Command::ImportPacketFile(path) => self.packets.import(path),
            Command::ReviewPacket(path) => self.packets.review(path),
            Command::CloseReview => self.review = None,
        }
    }

    /// Takes in what background jobs finished.
    fn drain_jobs(&mut self, ctx: &egui::Context) {
        let lang = self.prefs.lang;
        match self.reminders.poll_export() {
            Some(Ok((path, Some(events)))) => self.info(fill(
                T::CalendarWritten.get(lang),
                &[&path.display().to_string(), &events.to_string()],
            )),
            Some(Ok((path, None))) => self.info(fill(
                T::LetterSaved.get(lang),
                &[&path.display().to_string()],
            )),
            Some(Err(e)) => self.error(e),
            None => {}
        }
        if let Some(event) = self.jobs.poll_imports() {
            match event {
                ImportEvent::Done {
                    added,
                    already,
                    last,
                    pasted,
                } => {
                    let mut text = fill(T::Imported.get(lang), &[&added.to_string()]);
                    if pasted && added > 0 {
                        text.push(' ');
                        text.push_str(T::PastedNote.get(lang));
                    }
                    // The item just added is the one the user wants to look at.
                    if let Some((case, number)) = last
                        && self.prefs.selected_case == Some(case.0)
                    {
                        self.state.selected_evidence = Some(number);
                        self.state.tab = super::views::Tab::Evidence;
                    }
                    for (name, number) in already {
                        text.push(' ');
                        text.push_str(&fill(
                            T::AlreadyEvidence.get(lang),
                            &[&name, &evidence_label(number)],
                        ));
                    }
                    self.info(text);
                    self.reload();
                }
                ImportEvent::Failed { error, added } => {
                    self.error(error);
                    if added > 0 {
                        self.reload();
                    }
                }
            }
        }
        if let Some(paths) = self.jobs.poll_picked()
            && let Some(case) = self.prefs.selected_case
        {
            self.push(Command::ImportFiles {
                case: CaseId(case),
                paths,
                source: EvidenceSource::FileImport,
            });
        }
        if let Some((case, at)) = self.capture_countdown {
            let now = std::time::Instant::now();
            if now >= at {
                self.capture_countdown = None;
                self.notice = None;
                self.start_capture(ctx, case);
            } else {
                let left = (at - now).as_secs_f32().ceil() as u64;
                self.info(fill(T::CaptureCountdown.get(lang), &[&left.to_string()]));
                ctx.request_repaint_after(std::time::Duration::from_millis(200));
            }
        }
        if let Some(result) = self.jobs.poll_captured() {
            if self.state.capture_what == super::jobs::Capture::Screen {
                ctx.send_viewport_cmd(egui::ViewportCommand::Visible(true));
                ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
            }
            match (result, self.capture_for.take()) {
                (Ok((path, _taken_at)), Some(case)) => self.push(Command::ImportFiles {
                    case,
                    paths: vec![path],
                    source: EvidenceSource::ScreenCapture,
                }),
                (Err(e), _) => self.error(e),
                (Ok(_), None) => {}
            }
        }
        let (built, picked, reviewed) = self.packets.poll();
        match built {
            Some(Ok(packet)) => {
                self.info(format!(
                    "{} {}",
                    T::PacketBuilt.get(lang),
                    packet.0.display()
                ));
                self.last_packet = Some(packet);
                self.reload();
            }
            Some(Err(e)) => self.state.packet_form.error = Some(e),
            None => {}
        }
        if let Some(path) = picked {
            if self.packets.picked_to_import() {
                self.push(Command::ImportPacketFile(path));
            } else {
                self.push(Command::ReviewPacket(path));
            }
        }
        match self.packets.poll_saved() {
            Some(Ok(to)) => self.info(format!("{} {}", T::PacketSaved.get(lang), to.display())),
            Some(Err(e)) => self.error(e),
            None => {}
        }
        match self.packets.poll_import() {
            Some(Ok(done)) => {
                self.info(fill(
                    T::PacketImported.get(lang),
                    &[&done.title, &done.evidence.to_string()],
                ));
                // A form being filled in stays: the imported case waits in the list.
                let s = &self.state;
                let form_open = s.case_form.is_some()
                    || s.contact_form.is_some()
                    || s.promise_form.is_some()
                    || s.end_form.is_some();
                if form_open {
                    self.reload();
                } else {
                    self.select(done.case_id);
                }
            }
            Some(Err(e)) => self.error(e),
            None => {}
        }
        match reviewed {
            Some(Ok(review)) => {
                self.review_images = review
                    .previews
                    .iter()
                    .map(|(n, (w, h, rgba))| {
                        let image = egui::ColorImage::from_rgba_unmultiplied(
                            [*w as usize, *h as usize],
                            rgba,
                        );
                        let texture = ctx.load_texture(
                            format!("review-{n}"),
                            image,
                            egui::TextureOptions::LINEAR,
                        );
                        (*n, texture)
                    })
                    .collect();
                self.review = Some(review);
            }
            Some(Err(e)) => self.error(e),
            None => {}
        }
        let (events, recovered) = self.audio.poll();
        for event in events {
            match event {
                RecEvent::StartFailed(e) => {
                    self.error(e);
                    self.reload();
                }
                RecEvent::BookmarkFailed(e) => self.error(e),
                RecEvent::Finished(Err(e)) => {
                    self.error(e);
                    self.reload();
                }
                RecEvent::Finished(Ok((_case, number, ms, _dropped))) => {
                    self.info(fill(
                        T::RecordingFiled.get(lang),
                        &[&evidence_label(number), &duration_text(ms)],
                    ));
                    self.reload();
                }
                RecEvent::Bookmarked(b) => {
                    self.info(fill(
                        T::Bookmarked.get(lang),
                        &[&duration_text(b.offset_ms)],
                    ));
                }
                RecEvent::Started { .. } => {}
            }
        }
        if let Some(report) = recovered {
            let mut texts: Vec<String> = report
                .recovered
                .iter()
                .map(|r| {
                    fill(
                        T::RecoveredRecording.get(lang),
                        &[
                            &evidence_label(r.added.number),
                            &duration_text(r.duration_ms),
                        ],
                    )
                })
                .collect();
            if report.empty > 0 {
                texts.push(fill(
                    T::RemovedEmptyRecordings.get(lang),
                    &[&report.empty.to_string()],
                ));
            }
            if !texts.is_empty() {
                self.info(texts.join(" "));
                self.reload();
            }
            if !report.problems.is_empty() {
                self.error(report.problems.join("; "));
            }
        }
        if let Some((case, result)) = self.jobs.poll_stamp() {
            match result {
                Ok(covers) => {
                    self.info(fill(T::ProofStamped.get(lang), &[&covers.to_string()]));
                    if self.prefs.selected_case == Some(case.0) {
                        self.reload();
                    }
                }
                Err(e) => self.error(e),
            }
        }
        for (sha, result) in self.jobs.poll_checks() {
            self.data.checks.insert(sha, result);
        }
        for (sha, made) in self.jobs.poll_made() {
            match made {
                super::jobs::Made::Thumbnail(image) => {
                    let texture = image.map(|image| {
                        ctx.load_texture(
                            format!("thumb-{}", sha.short()),
                            image,
                            egui::TextureOptions::LINEAR,
                        )
                    });
                    self.data.thumbnails.insert(sha, texture);
                }
                // The viewer holds one item at a time: the last one's texture is let go.
                super::jobs::Made::Preview(preview) => {
                    let shown = match preview {
                        super::jobs::Preview::Image(image, size) => views::Shown::Image(
                            ctx.load_texture(
                                format!("view-{}", sha.short()),
                                image,
                                egui::TextureOptions::LINEAR,
                            ),
                            size,
                        ),
                        super::jobs::Preview::Text(text) => views::Shown::Text(text),
                        super::jobs::Preview::Nothing => views::Shown::Nothing,
                    };
                    self.data.preview = Some((sha, shown));
                }
            }
        }
    }
}

/// Whether the app's window is an X11 one (winit picks X11 or Wayland at run time).
fn on_x11(cc: &eframe::CreationContext<'_>) -> bool {
    use raw_window_handle::{HasWindowHandle as _, RawWindowHandle};
    cc.window_handle().is_ok_and(|h| {
        matches!(
            h.as_raw(),
            RawWindowHandle::Xlib(_) | RawWindowHandle::Xcb(_)
        )
    })
}

/// The app's own window, as the screen capture names windows: the X11 window id, or the
/// Win32 HWND.
fn native_window(cc: &eframe::CreationContext<'_>) -> Option<u64> {
    use raw_window_handle::{HasWindowHandle as _, RawWindowHandle};
    match cc.window_handle().ok()?.as_raw() {
        // A C `unsigned long`: 64 bits on Linux, 32 on Windows.
        #[allow(clippy::useless_conversion)]
        RawWindowHandle::Xlib(h) => Some(u64::from(h.window)),
        RawWindowHandle::Xcb(h) => Some(u64::from(h.window.get())),
        RawWindowHandle::Win32(h) => Some(h.hwnd.get() as u64),
        _ => None,
    }
}

fn apply_theme(ctx: &egui::Context, pref: ThemePref) {
    ctx.set_theme(match pref {
        ThemePref::System => egui::ThemePreference::System,
        ThemePref::Light => egui::ThemePreference::Light,
        ThemePref::Dark => egui::ThemePreference::Dark,
    });
}

impl eframe::App for RecourseApp {
    fn raw_input_hook(&mut self, ctx: &egui::Context, raw: &mut egui::RawInput) {
        if let Some(after) = self.ime.filter(raw, std::time::Instant::now()) {
            ctx.request_repaint_after(after);
        }
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if self.exit_after_first_frame && self.drawn {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        self.jobs.lang = self.prefs.lang;
        self.packets.lang = self.prefs.lang;
        self.audio.lang = self.prefs.lang;
        if std::mem::take(&mut self.reload_soon) {
            self.reload();
        }
        if self.state.tab != self.last_tab {
            self.last_tab = self.state.tab;
            if self
                .notice
                .as_ref()
                .is_some_and(|n| n.at.elapsed() > NOTICE_READ)
            {
                self.notice = None;
            }
        }
        // News of success fades; an error stays until the user does something else.
        if let Some(n) = &self.notice
            && !n.is_error
        {
            match INFO_LASTS.checked_sub(n.at.elapsed()) {
                Some(left) if !left.is_zero() => ctx.request_repaint_after(left),
                _ => self.notice = None,
            }
        }
        let lang = self.prefs.lang;
        let mut failed = Vec::new();
        self.demos.retain_mut(|child| match child.try_wait() {
            Ok(None) => true,
            Ok(Some(status)) => {
                if !status.success() {
                    failed.push(status.code().map_or("?".to_owned(), |c| c.to_string()));
                }
                false
            }
            Err(_) => false,
        });
        for code in failed {
            self.error(fill(T::DemoFailed.get(lang), &[&code]));
        }
        self.drain_jobs(ctx);
        // Files dropped on the window become evidence of the open case.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty()
            && let Some(case) = self.prefs.selected_case
        {
            self.push(Command::ImportFiles {
                case: CaseId(case),
                paths: dropped,
                source: EvidenceSource::DragDrop,
            });
        }
        if self.run_commands(ctx) {
            ctx.request_repaint();
        }
        // "Due in 3 h" and "overdue" change with the clock: refresh once a minute.
        let minute = self.now().timestamp() / 60;
        if minute != self.last_minute {
            self.last_minute = minute;
            let now = self.now();
            if let Some(id) = self.prefs.selected_case
                && let Ok(d) = self.dd.store.case_detail(CaseId(id), now)
            {
                self.data.detail = Some(d);
            }
            self.read_agenda(now);
            self.read_proofs(now);
            self.data.rebuild(self.prefs.lang, now);
            self.remind(now);
        }
        ctx.request_repaint_after(std::time::Duration::from_secs(30));
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.drawn = true;
        if self.exit_after_first_frame {
            // Ask for the frame after this one, where logic() closes the window.
            ui.ctx().request_repaint();
        }
        let ctx = ViewCtx {
            lang: self.prefs.lang,
            now: self.now(),
            palette: theme::palette(ui.visuals()),
            data: &self.data,
            selected_case: self.prefs.selected_case.map(CaseId),
            theme: self.prefs.theme,
            import: self.jobs.import_progress(),
            counting_down: self.capture_countdown.is_some(),
            notice: self.notice.as_ref(),
            recording: self.audio.recording.as_ref().map(|r| views::RecordingView {
                case: r.case,
                contact: r.contact,
                stopping: r.stopping,
                status: r.monitor.as_ref().map(|m| m.status()),
                device: r.meta.as_ref().map(|m| m.device.clone()),
                bookmarks: r.bookmarks.len(),
            }),
            microphones: self.audio.devices.as_deref(),
            microphone: self.prefs.microphone.as_deref(),
            consent: self.consent,
            player: self
                .audio
                .player
                .as_ref()
                .map(|(sha, p)| views::PlayerView {
                    sha: *sha,
                    position_ms: p.position_ms(),
                    duration_ms: p.duration_ms(),
                    playing: p.is_playing(),
                }),
            packet_progress: self.packets.progress(),
            last_packet: self.last_packet.as_ref().filter(|_| {
                self.packet_case.is_some()
                    && self.packet_case == self.data.detail.as_ref().map(|d| d.case.id)
            }),
            review: self.review.as_ref(),
            reviewing: self.packets.reviewing(),
            review_images: &self.review_images,
            stamping: self.jobs.stamping(),
        };
        if ctx.recording.is_some()
            || ctx.player.as_ref().is_some_and(|p| p.playing)
            || ctx.packet_progress.is_some()
        {
            // The level meter, the clock and the seek bar move.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        let mut out = Vec::new();
        views::app_ui(ui, &ctx, &mut self.state, &mut out);
        if !out.is_empty() {
            // Thumbnail requests can wait a moment; anything the user did runs at once.
            if out.iter().all(|c| matches!(c, Command::Thumbnail(_))) {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(50));
            } else {
                ui.ctx().request_repaint();
            }
            self.commands.extend(out);
        }
        self.ime.end_frame(ui.ctx());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A running recording is stopped and filed before the window goes.
        self.audio.shutdown();
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.prefs.evidence_grid = self.state.evidence_grid;
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
        self.saved_prefs = serde_json::to_string(&self.prefs).ok();
    }

    /// A changed preference (the language, the theme, the open case …) is saved on the next
    /// frame, not up to 30 s later: a crash or a kill soon after loses nothing.
    fn auto_save_interval(&self) -> std::time::Duration {
        let mut now = self.prefs.clone();
        now.evidence_grid = self.state.evidence_grid;
        if serde_json::to_string(&now).ok() == self.saved_prefs {
            std::time::Duration::from_secs(30)
        } else {
            std::time::Duration::ZERO
        }
    }
}

/// The result of re-hashing an object, as the evidence view shows it.
pub type CheckResult = Result<ObjectCheck, String>;
