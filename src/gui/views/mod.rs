//! The panels. Each draws from a borrowed [`ViewCtx`] and its own small state, and emits
//! [`Command`]s; none touches the database or the disk.

mod advisor;
mod case_list;
mod case_view;
mod due;
mod evidence;
mod forms;
mod letters;
mod packet;
mod recording;
mod review;
mod timeline;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

pub use forms::{CaseForm, ContactForm, EndForm, PromiseForm};
pub use letters::LettersForm;
pub use packet::PacketForm;
pub use timeline::TimelineRow;

use super::app::{CheckResult, Command, Notice, ThemePref};
use super::i18n::{Lang, T};
use super::jobs::ImportProgress;
use super::theme::{self, Palette};
use crate::advisor::Advice;
use crate::audio::{InputDevice, RecorderStatus};
use crate::model::{CaseId, CaseStatus, ContactId, RecordingConsent};
use crate::store::{CaseDetail, CaseSummary};
use crate::vault::Sha256;

/// What the store said, cached until the next change; plus what is derived from it once.
#[derive(Default)]
pub struct Data {
    /// Every case, for the list.
    pub cases: Vec<CaseSummary>,
    /// The open case.
    pub detail: Option<CaseDetail>,
    /// The open case's timeline, built once per change (not per frame).
    pub timeline: Vec<TimelineRow>,
    /// The advisor's most urgent advice for the open case, worded.
    pub advice_lines: Vec<advisor::AdviceLine>,
    /// How much more advice there is than is listed.
    pub advice_more: usize,
    /// The advisor's settings (from the database).
    pub advisor_settings: crate::advisor::Settings,
    /// The time zone packets show their times in (the data directory's).
    pub zone: String,
    /// The system's zone, offered as a choice (read once, not per frame).
    pub system_zone: Option<chrono_tz::Tz>,
    /// The contact whose call is being recorded, if any.
    pub recording_contact: Option<ContactId>,
    /// Pending promises and legal deadlines across all cases, soonest first.
    pub agenda: Vec<crate::advisor::agenda::DueItem>,
    /// Bumped on every rebuild, so views can tell their caches are stale.
    pub generation: u64,
    /// Re-verification results by object.
    pub checks: HashMap<Sha256, CheckResult>,
    /// Thumbnails by object (`None`: not an image we can show).
    pub thumbnails: HashMap<Sha256, Option<egui::TextureHandle>>,
    /// What the evidence viewer shows, and of which object.
    pub preview: Option<(Sha256, Shown)>,
    /// The open case's proofs and the TSA settings.
    pub proof: ProofView,
}

/// What the evidence viewer holds of the item it shows.
pub enum Shown {
    /// The image (scaled to fit a texture) and its own size in pixels.
    Image(egui::TextureHandle, [u32; 2]),
    /// The start of a text item.
    Text(crate::evidence::TextPreview),
    /// Nothing that can be shown here.
    Nothing,
}

/// One timestamp as the Packet tab lists it: its entry, the entry it covers, and its time and
/// TSA, or why it proves nothing.
pub type StampRow = (u64, u64, Result<(DateTime<Utc>, String), String>);

/// What the Packet tab shows of when and who.
#[derive(Debug, Clone, Default)]
pub struct ProofView {
    /// The data directory's sender key fingerprint.
    pub fingerprint: String,
    /// The open case's head: its position and receipt code.
    pub head: Option<(u64, String)>,
    /// Its timestamps: (entry, covers, (time, TSA) or why it proves nothing).
    pub stamps: Vec<StampRow>,
    /// Receipt codes recorded.
    pub receipts: usize,
    /// The TSA configured.
    pub tsa_url: Option<String>,
    /// The opt-in automatic timestamps.
    pub every_minutes: Option<u32>,
    /// The case's last packet: when it was built, and how many changes the ledger holds since
    /// (0: the packet says all the case says now).
    pub last_packet: Option<(DateTime<Utc>, usize)>,
}

impl Data {
    /// Rebuilds what is derived from the cached records, in `lang`.
    pub fn rebuild(&mut self, lang: Lang, now: DateTime<Utc>) {
        self.generation += 1;
        self.timeline = self
            .detail
            .as_ref()
            .map(|d| timeline::build(d, lang, now, self.tz()))
            .unwrap_or_default();
        let advice: Vec<Advice> = self
            .detail
            .as_ref()
            .map(|d| {
                crate::advisor::advise_while_recording(
                    d,
                    now,
                    &self.advisor_settings,
                    self.recording_contact,
                )
            })
            .unwrap_or_default();
        (self.advice_lines, self.advice_more) =
            advisor::lines(&advice, self.detail.as_ref(), lang, now, self.tz());
    }

    /// The data directory's time zone: every time on screen and in every sentence is in it.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.zone.parse().unwrap_or(chrono_tz::Asia::Seoul)
    }
}

/// Which tab of the case view is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Everything in time order.
    #[default]
    Timeline,
    /// Contacts.
    Contacts,
    /// Promises.
    Promises,
    /// Evidence.
    Evidence,
    /// Building the escalation packet.
    Packet,
    /// The letters and forms, to copy or save.
    Letters,
}

/// Why an evidence item is being retracted, as typed so far.
#[derive(Debug, Clone, Default)]
pub struct RetractForm {
    /// The item's number.
    pub number: u32,
    /// The reason typed.
    pub reason: String,
    /// What the store refused.
    pub error: Option<String>,
    /// Whether the reason field has been given focus once.
    pub focused: bool,
}

/// An evidence item's contact, kind and note being changed.
#[derive(Debug, Clone)]
pub struct EvidenceEditForm {
    /// The item's number.
    pub number: u32,
    /// The contact it belongs to.
    pub contact: Option<crate::model::ContactId>,
    /// What it is.
    pub kind: crate::model::EvidenceKind,
    /// The note as typed.
    pub note: String,
    /// The three as the form opened with them: only what differs is sent.
    pub opened: (
        Option<crate::model::ContactId>,
        crate::model::EvidenceKind,
        String,
    ),
    /// What the store refused.
    pub error: Option<String>,
}

/// What the retraction box was told.
pub(crate) enum Retract {
    /// Nothing yet.
    Waiting,
    /// Record the retraction with the reason typed.
    Confirm,
    /// Keep the record: close the box.
    Keep,
}

/// The box that takes a record back: what retracting does (`hint`), the reason (focused when
/// it opens; Enter confirms), what the store refused, and the two buttons.
pub(crate) fn retract_box_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    hint: &str,
    form: &mut RetractForm,
) -> Retract {
    egui::Frame::group(ui.style())
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(egui::RichText::new(hint).small().color(ctx.palette.muted)).wrap(),
            );
            let label = ui.label(ctx.t(T::RetractReason));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut form.reason)
                        .hint_text(ctx.t(T::RetractReasonHint))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if !form.focused {
                field.request_focus();
                form.focused = true;
            }
            let submit = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if let Some(error) = &form.error {
                ui.label(egui::RichText::new(error).color(ctx.palette.danger));
            }
            let mut said = Retract::Waiting;
            ui.horizontal(|ui| {
                let confirm = ui.button(
                    egui::RichText::new(ctx.t(T::RetractConfirm)).color(ctx.palette.danger),
                );
                if confirm.clicked() || submit {
                    said = Retract::Confirm;
                }
                if ui.button(ctx.t(T::RetractKeep)).clicked() {
                    said = Retract::Keep;
                }
            });
            said
        })
        .inner
}

/// What to do first, while there is no case: three steps, the first one a button, and the
/// example case to look around in.
fn first_run_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.set_max_width(520.0);
            ui.heading(ctx.t(T::FirstRunTitle));
            ui.add_space(12.0);
            for (i, step) in [T::FirstRunCase, T::FirstRunContact, T::FirstRunEvidence]
                .into_iter()
                .enumerate()
            {
                ui.horizontal_top(|ui| {
                    ui.label(egui::RichText::new(format!("{}.", i + 1)).strong());
                    ui.add(egui::Label::new(ctx.t(step)).wrap());
                });
                if i == 0
                    && ui
                        .button(egui::RichText::new(ctx.t(T::FirstCase)).strong())
                        .clicked()
                {
                    state.case_form = Some(CaseForm::default());
                }
                ui.add_space(8.0);
            }
            ui.separator();
            ui.add(
                egui::Label::new(
                    egui::RichText::new(ctx.t(T::FirstRunDemoHint)).color(ctx.palette.muted),
                )
                .wrap(),
            );
            if ui.button(ctx.t(T::OpenDemo)).clicked() {
                out.push(Command::OpenDemo);
            }
        });
    });
}

/// The views' own state: open forms, tab, filters, selection.
#[derive(Default)]
pub struct UiState {
    /// The open tab.
    pub tab: Tab,
    /// The case list's search text.
    pub search: String,
    /// The case list's status filter.
    pub status_filter: Option<CaseStatus>,
    /// The new-case form, when open.
    pub case_form: Option<CaseForm>,
    /// The contact form, when open.
    pub contact_form: Option<ContactForm>,
    /// The promise form, when open.
    pub promise_form: Option<PromiseForm>,
    /// The end-promise form, when open.
    pub end_form: Option<EndForm>,
    /// The evidence item whose details are shown.
    pub selected_evidence: Option<u32>,
    /// The retraction being written for an evidence item, when one is.
    pub retract_form: Option<RetractForm>,
    /// The change being made to an evidence item's contact, kind and note, when one is.
    pub evidence_edit: Option<EvidenceEditForm>,
    /// The retraction being written for a contact, when one is.
    pub contact_retract: Option<(crate::model::ContactId, RetractForm)>,
    /// Evidence shown as a grid of thumbnails instead of a list.
    pub evidence_grid: bool,
    /// What a screen capture takes.
    pub capture_what: crate::gui::jobs::Capture,
    /// Seconds a screen capture waits (time to bring another window forward).
    pub capture_delay: u8,
    /// The evidence item open in the full-size viewer.
    pub viewer: Option<u32>,
    /// The viewer shows images at their own size (scrolled) rather than fitted.
    pub viewer_actual_size: bool,
    /// The contact whose recording waits for the announcement question.
    pub record_notice: Option<(CaseId, ContactId)>,
    /// The note typed in the recording bar.
    pub bookmark_note: String,
    /// The Packet tab's choices.
    pub packet_form: PacketForm,
    /// The Letters tab's choices.
    pub letters_form: LettersForm,
    /// The open form as it opened, and whether discarding it is being asked.
    pub form_guard: forms::FormGuard,
    /// The Due view (all cases) is shown instead of the open case.
    pub show_due: bool,
    list_cache: case_list::Filtered,
}

impl UiState {
    /// Closes what belonged to the previous case.
    pub fn on_case_changed(&mut self) {
        self.contact_form = None;
        self.promise_form = None;
        self.end_form = None;
        self.selected_evidence = None;
        self.retract_form = None;
        self.contact_retract = None;
        self.evidence_edit = None;
        self.viewer = None;
        self.show_due = false;
    }

    /// Shows an error in whichever form is open.
    pub fn form_error(&mut self, error: String) {
        if let Some(f) = &mut self.case_form {
            f.error = Some(error);
        } else if let Some(f) = &mut self.contact_form {
            f.error = Some(error);
        } else if let Some(f) = &mut self.promise_form {
            f.error = Some(error);
        } else if let Some(f) = &mut self.end_form {
            f.error = Some(error);
        }
    }

    /// Opens the promise form for a contact just logged.
    pub fn open_promise_form(
        &mut self,
        case: CaseId,
        contact: ContactId,
        by: Option<String>,
        now: DateTime<Utc>,
    ) {
        self.promise_form = Some(PromiseForm::new(case, contact, by, now));
    }
}

/// What every view may read in one frame.
pub struct ViewCtx<'a> {
    /// The language.
    pub lang: Lang,
    /// Now.
    pub now: DateTime<Utc>,
    /// Colours.
    pub palette: Palette,
    /// The cached data.
    pub data: &'a Data,
    /// The open case's id.
    pub selected_case: Option<CaseId>,
    /// The theme choice.
    pub theme: ThemePref,
    /// The running import.
    pub import: Option<ImportProgress>,
    /// A delayed screen capture is counting down (its button cancels it).
    pub counting_down: bool,
    /// The latest notice.
    pub notice: Option<&'a Notice>,
    /// The running recording.
    pub recording: Option<RecordingView>,
    /// The microphones, once listed.
    pub microphones: Option<&'a [InputDevice]>,
    /// The chosen microphone (`None`: the default).
    pub microphone: Option<&'a str>,
    /// The recording-consent rule.
    pub consent: RecordingConsent,
    /// The recording being played.
    pub player: Option<PlayerView>,
    /// The packet build's progress, while one runs.
    pub packet_progress: Option<f32>,
    /// The packet built last.
    pub last_packet: Option<&'a super::packets::BuiltPacket>,
    /// The packet open for review.
    pub review: Option<&'a crate::packet::review::Review>,
    /// A packet is being checked for review.
    pub reviewing: bool,
    /// The reviewed packet's image evidence, by number.
    pub review_images: &'a std::collections::BTreeMap<i64, egui::TextureHandle>,
    /// A timestamp is being fetched.
    pub stamping: bool,
}

/// The running recording, as the recording bar shows it.
#[derive(Debug, Clone)]
pub struct RecordingView {
    /// The case.
    pub case: CaseId,
    /// The contact.
    pub contact: ContactId,
    /// Stop was pressed; filing is under way.
    pub stopping: bool,
    /// Live status, once the microphone is open.
    pub status: Option<RecorderStatus>,
    /// The device, once open.
    pub device: Option<String>,
    /// Bookmarks so far.
    pub bookmarks: usize,
}

/// The recording being played.
#[derive(Debug, Clone, Copy)]
pub struct PlayerView {
    /// Which object.
    pub sha: Sha256,
    /// Where it is.
    pub position_ms: u64,
    /// How long it is.
    pub duration_ms: u64,
    /// Whether it plays.
    pub playing: bool,
}

impl ViewCtx<'_> {
    /// A text in the current language.
    pub fn t(&self, key: T) -> &'static str {
        key.get(self.lang)
    }

    /// A moment as the screen shows it: in the data directory's zone, with its offset.
    pub fn time(&self, at: DateTime<Utc>) -> String {
        crate::clock::show_in(at, self.data.tz())
    }
}

/// Gives a panel's resize handle a name in the UI's language (egui names it "Resize panel").
pub(crate) fn name_splitter(parent: &egui::Ui, salt: &str, name: &str) {
    let id = parent
        .scope_id()
        .with_salt(egui::IdSalt::new(salt))
        .with("__resize");
    if parent.ctx().has_accesskit_node(id) {
        parent
            .ctx()
            .accesskit_node_builder(id, |node| node.set_label(name));
    }
}

/// The whole window.
pub fn app_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    forms::set_zone(ctx.data.tz());
    // The window's own accessible name (the title bar stays "recourse").
    let window = egui::accesskit_root_id();
    if ui.ctx().has_accesskit_node(window) {
        ui.ctx()
            .accesskit_node_builder(window, |node| node.set_label(ctx.t(T::WindowName)));
    }
    shortcuts(ui, ctx, state, out);
    egui::Panel::top("menu").show(ui, |ui| menu_ui(ui, ctx, out));
    if let Some(r) = &ctx.recording {
        egui::Panel::top("recording").show(ui, |ui| recording::bar_ui(ui, ctx, r, state, out));
    }
    egui::Panel::bottom("status").show(ui, |ui| status_ui(ui, ctx, out));
    // The side panels are bounded by the window: at any width the centre keeps at least
    // about half of it (they can be dragged narrower or, up to the bound, wider).
    let (list, advice) = theme::side_panel_bounds(ui.available_width());
    egui::Panel::left("cases")
        .default_size(theme::CASE_LIST_WIDTH.min(list.max))
        .size_range(list)
        .resizable(true)
        .show(ui, |ui| case_list::ui(ui, ctx, state, out));
    name_splitter(ui, "cases", ctx.t(T::ResizeCaseList));
    // The advisor's panel only holds its place here; its content is drawn after the centre's,
    // because egui moves Tab focus in the order widgets are made, and the keyboard (and a
    // screen reader) should go list → case → next steps, as a person reads the window.
    let mut advisor_rect = None;
    if ctx.data.detail.is_some() && ctx.review.is_none() && !state.show_due {
        egui::Panel::right("advisor")
            .default_size(theme::ADVISOR_WIDTH.min(advice.max))
            .size_range(advice)
            .resizable(true)
            .show(ui, |ui| {
                let rect = ui.available_rect_before_wrap();
                ui.advance_cursor_after_rect(rect);
                advisor_rect = Some(rect);
            });
        name_splitter(ui, "advisor", ctx.t(T::ResizeAdvisor));
    }
    egui::CentralPanel::default().show(ui, |ui| match (&ctx.review, &ctx.data.detail) {
        (Some(r), _) => review::ui(ui, ctx, r, out),
        (None, _) if state.show_due => due::ui(ui, ctx, state, out),
        (None, _) if ctx.reviewing => {
            ui.centered_and_justified(|ui| ui.spinner().on_hover_text(ctx.t(T::PacketReviewing)));
        }
        (None, Some(detail)) => case_view::ui(ui, ctx, detail, state, out),
        (None, None) if ctx.data.cases.is_empty() => first_run_ui(ui, ctx, state, out),
        (None, None) => {
            ui.centered_and_justified(|ui| {
                ui.label(egui::RichText::new(ctx.t(T::NoCaseSelected)).color(ctx.palette.muted));
            });
        }
    });
    if let Some(rect) = advisor_rect {
        let builder = egui::UiBuilder::new()
            .max_rect(rect)
            .id_salt("advisor-content")
            .accessibility_role(egui::accesskit::Role::Pane)
            .accessibility_label(ctx.t(T::Advisor));
        ui.scope_builder(builder, |ui| {
            ui.set_clip_rect(rect);
            advisor::ui(ui, ctx, state, out);
        });
    }
    forms::windows_ui(ui, ctx, state, out);
    focus_ring_ui(ui, ctx);
    recording::notice_ui(ui, ctx, state, out);
    drop_overlay_ui(ui, ctx);
}

/// Rings the widget that has keyboard focus, once the keyboard has moved it (as browsers do
/// for `:focus-visible`): egui's own cue for a focused button is only a shade darker, which
/// is easy to lose on a full screen. A pointer press hides the ring again.
fn focus_ring_ui(ui: &egui::Ui, ctx: &ViewCtx<'_>) {
    let id = egui::Id::unique("recourse-focus-ring-shown");
    let (tabbed, pointed) = ui.input(|i| {
        let tab = |e: &egui::Event| {
            matches!(
                e,
                egui::Event::Key {
                    key: egui::Key::Tab
                        | egui::Key::ArrowUp
                        | egui::Key::ArrowDown
                        | egui::Key::ArrowLeft
                        | egui::Key::ArrowRight,
                    pressed: true,
                    ..
                }
            )
        };
        (i.events.iter().any(tab), i.pointer.any_pressed())
    });
    let visible = tabbed || (!pointed && ui.data(|d| d.get_temp(id).unwrap_or(false)));
    ui.data_mut(|d| d.insert_temp(id, visible));
    // The widget's rect as this pass placed it (`read_response` would not do: it also
    // surrenders the focus of a widget that a pointer press in this pass moved it to).
    let focused = ui.memory(|m| m.focused());
    let Some(response) = focused.and_then(|f| {
        ui.ctx().viewport(|vp| {
            vp.this_pass
                .widgets
                .get(f)
                .or_else(|| vp.prev_pass.widgets.get(f))
                .copied()
        })
    }) else {
        return;
    };
    if visible {
        ui.ctx()
            .layer_painter(response.layer_id)
            .with_clip_rect(response.interact_rect.expand(6.0))
            .rect_stroke(
                response.rect.expand(2.0),
                egui::CornerRadius::same(4),
                egui::Stroke::new(2.0, ctx.palette.accent),
                egui::StrokeKind::Outside,
            );
    }
}

fn shortcuts(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    use egui::{Key, KeyboardShortcut, Modifiers};
    let pressed = |ui: &mut egui::Ui, key| {
        ui.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, key)))
    };
    // A form (or the recording question) is open: its keys are its own, and a shortcut never
    // replaces it or opens a second one over it.
    let form_open = state.case_form.is_some()
        || state.contact_form.is_some()
        || state.promise_form.is_some()
        || state.end_form.is_some()
        || state.record_notice.is_some();
    if form_open {
        return;
    }
    if pressed(ui, Key::N) {
        state.case_form = Some(CaseForm::default());
    }
    if let Some(case) = ctx.selected_case {
        if pressed(ui, Key::L) {
            state.contact_form = Some(ContactForm::new(case, ctx.now));
        }
        if pressed(ui, Key::I) {
            out.push(Command::PickFiles(case));
        }
        // Ctrl+V with an image on the clipboard (and no text: egui then sends the image), on
        // any tab, while no field has the focus and no form is open: file it as evidence.
        let pasted_image = ui.input(|i| {
            i.events.iter().find_map(|e| match e {
                egui::Event::PasteImage(image) => Some(image.clone()),
                _ => None,
            })
        });
        // Only where it visibly lands: the case on screen, no import running.
        if let Some(image) = pasted_image
            && ctx.import.is_none()
            && !state.show_due
            && ctx.review.is_none()
            && ui.memory(|m| m.focused().is_none())
        {
            state.tab = Tab::Evidence;
            out.push(Command::PastedImage(case, image));
        }
    }
}

fn menu_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, out: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(ctx.t(T::MenuFile), |ui| {
            if ui.button(ctx.t(T::OpenPacket)).clicked() {
                out.push(Command::OpenPacket);
                ui.close();
            }
            if ui.button(ctx.t(T::ImportPacket)).clicked() {
                out.push(Command::ImportPacket);
                ui.close();
            }
            if ui.button(ctx.t(T::ExportCalendar)).clicked() {
                out.push(Command::ExportCalendar);
                ui.close();
            }
            if ui.button(ctx.t(T::Quit)).clicked() {
                ui.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button(ctx.t(T::MenuView), |ui| {
            ui.label(ctx.t(T::Theme));
            for (pref, key) in [
                (ThemePref::System, T::System),
                (ThemePref::Light, T::Light),
                (ThemePref::Dark, T::Dark),
            ] {
                if ui.radio(ctx.theme == pref, ctx.t(key)).clicked() {
                    out.push(Command::SetTheme(pref));
                }
            }
        });
        ui.menu_button(ctx.t(T::MenuSettings), |ui| {
            recording::settings_menu_ui(ui, ctx, out);
            ui.separator();
            ui.label(egui::RichText::new(ctx.t(T::EscalateAfter)).strong());
            // The value being dragged lives in egui's memory; it is saved once, when let go.
            let id = egui::Id::unique("escalate-days");
            let stored = ctx.data.advisor_settings.escalate_external_after_days;
            let mut days: u32 = ui.data(|d| d.get_temp(id)).unwrap_or(stored);
            let l = ui.label(ctx.t(T::EscalateAfterHint));
            let r = ui
                .add(
                    egui::DragValue::new(&mut days)
                        .range(1..=365)
                        .suffix(ctx.t(T::DaysSuffix)),
                )
                .labelled_by(l.id);
            ui.data_mut(|d| d.insert_temp(id, days));
            let settled = r.drag_stopped()
                || r.lost_focus()
                || (r.changed() && !r.dragged() && !r.has_focus());
            if settled && days != stored {
                out.push(Command::SetEscalateDays(days));
            }
            ui.separator();
            ui.label(egui::RichText::new(ctx.t(T::ReportZone)).strong());
            let mut zones = vec![chrono_tz::Asia::Seoul, chrono_tz::UTC];
            // The system's own zone, unless it is UTC under another name (Etc/UTC).
            if let Some(system) = ctx.data.system_zone
                && !system.name().ends_with("UTC")
            {
                zones.push(system);
            }
            if let Ok(current) = ctx.data.zone.parse::<chrono_tz::Tz>() {
                zones.push(current);
            }
            zones.sort_by_key(|z| z.name());
            zones.dedup();
            for zone in zones {
                if ui
                    .radio(ctx.data.zone == zone.name(), zone.name())
                    .clicked()
                {
                    out.push(Command::SetZone(zone));
                }
            }
        });
        ui.menu_button(ctx.t(T::MenuLanguage), |ui| {
            for (lang, name) in [(Lang::Ko, "한국어"), (Lang::En, "English")] {
                if ui.radio(ctx.lang == lang, name).clicked() {
                    out.push(Command::SetLang(lang));
                    ui.close();
                }
            }
        });
    });
}

/// The TSA address (saved with its button) and the opt-in automatic timestamps (in the Packet
/// tab: a menu closes on the first click into a text field).
pub(crate) fn tsa_settings_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, out: &mut Vec<Command>) {
    let hint = ui.label(
        egui::RichText::new(ctx.t(T::TsaSettingHint))
            .small()
            .color(ctx.palette.muted),
    );
    let id = egui::Id::unique("tsa-url-edit");
    let stored = ctx.data.proof.tsa_url.clone().unwrap_or_default();
    let mut text: String = ui.data(|d| d.get_temp(id)).unwrap_or(stored.clone());
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(&mut text).desired_width(260.0))
            .labelled_by(hint.id);
        if ui
            .add_enabled(text.trim() != stored, egui::Button::new(ctx.t(T::TsaSave)))
            .clicked()
        {
            out.push(Command::SetTsaUrl(text.clone()));
        }
    });
    ui.data_mut(|d| d.insert_temp(id, text));
    let minutes = ctx.data.proof.every_minutes.unwrap_or(30);
    let mut on = ctx.data.proof.every_minutes.is_some();
    if ui
        .add_enabled(
            ctx.data.proof.tsa_url.is_some(),
            egui::Checkbox::new(
                &mut on,
                crate::gui::i18n::fill(ctx.t(T::TsaAuto), &[&minutes.to_string()]),
            ),
        )
        .changed()
    {
        out.push(Command::SetTimestampEvery(on.then_some(minutes)));
    }
}

fn status_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if let Some(p) = ctx.import {
            let fraction = if p.bytes_total > 0 {
                p.bytes_done as f32 / p.bytes_total as f32
            } else {
                0.0
            };
            let text = super::i18n::fill(
                ctx.t(T::Importing),
                &[&p.files_done.to_string(), &p.files_total.to_string()],
            );
            ui.add(
                egui::ProgressBar::new(fraction)
                    .text(text)
                    .desired_width(280.0),
            );
            if ui.button(ctx.t(T::Cancel)).clicked() {
                out.push(Command::CancelImport);
            }
        }
        if let Some(n) = ctx.notice {
            let color = if n.is_error {
                ctx.palette.danger
            } else {
                ctx.palette.success
            };
            ui.label(egui::RichText::new(&n.text).color(color));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                egui::RichText::new(ctx.t(T::NotLegalAdvice))
                    .small()
                    .color(ctx.palette.muted),
            );
        });
    });
}

fn drop_overlay_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>) {
    let hovering = ui.input(|i| !i.raw.hovered_files.is_empty());
    if !hovering || ctx.selected_case.is_none() {
        return;
    }
    let rect = ui.ctx().content_rect();
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop"),
    ));
    painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        ctx.t(T::DropHere),
        egui::FontId::proportional(24.0),
        egui::Color32::WHITE,
    );
}

/// A label, then a single-line text field named by it (screen readers and tests find it).
pub(crate) fn text_field_ui(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(f32::INFINITY))
        .labelled_by(l.id)
}

/// A label, then a multi-line text field named by it.
pub(crate) fn text_area_ui(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::multiline(value)
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id)
}

/// A label, then a drop-down of a vocabulary's values named by it.
pub(crate) fn choice_ui<V>(ui: &mut egui::Ui, label: &str, value: &mut V, lang: Lang)
where
    V: crate::model::Code + PartialEq + super::i18n::Named,
{
    let l = ui.label(label);
    let response = egui::ComboBox::from_id_salt(label)
        .selected_text(value.name(lang))
        .show_ui(ui, |ui| {
            for v in V::ALL {
                ui.selectable_value(value, *v, v.name(lang));
            }
        })
        .response;
    response.labelled_by(l.id);
}

/// A 📅 button beside a date field: a month's calendar in the UI's language (weeks from
/// Sunday, as Korean calendars print them), whose day writes the date into the field, keeping
/// a time typed after it. egui_extras' date picker names its weekdays and buttons in English
/// only, so this small one stands in.
pub(crate) fn calendar_button(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    field: &str,
    value: &mut String,
) {
    use chrono::{Datelike, Months, NaiveDate};
    let today = ctx.now.with_timezone(&ctx.data.tz()).date_naive();
    let trimmed = value.trim();
    // The date, and the time after it as typed (`2026-11-20 14:30`, `2026-11-20T14:30+09:00`).
    let (date_part, rest) = match trimmed.find(|c: char| c.is_whitespace() || c == 'T') {
        Some(at) => (&trimmed[..at], trimmed[at..].to_owned()),
        None => (trimmed, String::new()),
    };
    let current = crate::clock::parse_date(date_part).ok();
    let name = super::i18n::fill(ctx.t(T::PickDate), &[field]);
    let button = ui.small_button("📅").on_hover_text(&name);
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    let month_id = button.id.with("calendar-month");
    let first_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let mut month: NaiveDate = if button.clicked() {
        first_of(current.unwrap_or(today))
    } else {
        ui.data(|d| d.get_temp(month_id))
            .unwrap_or_else(|| first_of(current.unwrap_or(today)))
    };
    // From the keyboard: the day to give focus to — the field's date (or today) as it opens,
    // the same day of the month PageUp/PageDown moves to. Arrow keys then move between days
    // (egui's spatial focus) and Enter picks.
    let mut focus_day = button.clicked().then(|| current.unwrap_or(today));
    let shown = egui::Popup::from_toggle_button_response(&button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            let (back, on) = ui.input(|i| {
                (
                    i.key_pressed(egui::Key::PageUp),
                    i.key_pressed(egui::Key::PageDown),
                )
            });
            if back || on {
                let focused = ui.memory(|m| m.focused());
                let day = ui
                    .data(|d| d.get_temp::<NaiveDate>(month_id.with("focused-day")))
                    .filter(|_| focused.is_some())
                    .unwrap_or(month);
                let moved = if back {
                    day - Months::new(1)
                } else {
                    day + Months::new(1)
                };
                month = first_of(moved);
                focus_day = Some(moved);
            }
            ui.horizontal(|ui| {
                if ui
                    .small_button("◀")
                    .on_hover_text(ctx.t(T::PreviousMonth))
                    .clicked()
                {
                    month = month - Months::new(1);
                }
                let title = match ctx.lang {
                    Lang::Ko => format!("{}년 {}월", month.year(), month.month()),
                    Lang::En => month.format("%B %Y").to_string(),
                };
                ui.label(egui::RichText::new(title).strong());
                if ui
                    .small_button("▶")
                    .on_hover_text(ctx.t(T::NextMonth))
                    .clicked()
                {
                    month = month + Months::new(1);
                }
            });
            egui::Grid::new(month_id.with("grid"))
                .spacing([2.0, 2.0])
                .show(ui, |ui| {
                    let cell = egui::vec2(30.0, 20.0);
                    for (i, day) in ctx.t(T::WeekdaysFromSunday).split(' ').enumerate() {
                        // Sunday in red, as Korean calendars print it.
                        let colour = if i == 0 {
                            ctx.palette.danger
                        } else {
                            ctx.palette.muted
                        };
                        ui.add_sized(
                            cell,
                            egui::Label::new(egui::RichText::new(day).small().color(colour)),
                        );
                    }
                    ui.end_row();
                    for _ in 0..month.weekday().num_days_from_sunday() {
                        ui.add_sized(cell, egui::Label::new(""));
                    }
                    let mut d = month;
                    while d.month() == month.month() {
                        let mut text = egui::RichText::new(d.day().to_string());
                        if d == today {
                            text = text.strong().color(ctx.palette.accent);
                        } else if d.weekday() == chrono::Weekday::Sun {
                            text = text.color(ctx.palette.danger);
                        }
                        let pick = egui::Button::selectable(current == Some(d), text);
                        let day = ui.add_sized(cell, pick);
                        if focus_day == Some(d) {
                            day.request_focus();
                        }
                        if day.has_focus() {
                            ui.data_mut(|m| m.insert_temp(month_id.with("focused-day"), d));
                        }
                        if day.clicked() {
                            *value = format!("{}{rest}", d.format("%Y-%m-%d"));
                            ui.close();
                        }
                        if d.weekday() == chrono::Weekday::Sat {
                            ui.end_row();
                        }
                        match d.succ_opt() {
                            Some(next) => d = next,
                            None => break,
                        }
                    }
                });
        });
    // Above the form it belongs to: a modal form raises itself when it gains focus.
    if let Some(shown) = shown {
        ui.ctx().move_to_top(shown.response.layer_id);
    }
    ui.data_mut(|d| d.insert_temp(month_id, month));
}
