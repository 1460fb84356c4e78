//! The forms, each in a modal window: new case, log or edit a contact, record or edit a
//! promise with the five questions, end a promise.

use chrono::{DateTime, Utc};

use super::{Command, UiState, ViewCtx, choice_ui, text_area_ui, text_field_ui};
use crate::clock::{field_text_in, parse_due_in, parse_instant_in};
use crate::gui::i18n::{Lang, Named, T, fill, question};
use crate::model::*;
use crate::money::Money;

thread_local! {
    /// The data directory's zone, set by the window each frame: forms show and read times in
    /// it, as every other time on screen is shown (the UI runs on one thread).
    static ZONE: std::cell::Cell<chrono_tz::Tz> = const { std::cell::Cell::new(chrono_tz::Asia::Seoul) };
}

/// Sets the zone forms show and read times in.
pub fn set_zone(zone: chrono_tz::Tz) {
    ZONE.with(|z| z.set(zone));
}

fn zone() -> chrono_tz::Tz {
    ZONE.with(std::cell::Cell::get)
}

/// Wall-clock text for a form field, in the data directory's zone.
fn local_text(at: DateTime<Utc>) -> String {
    field_text_in(at, zone())
}

/// The time a field's text means: the record's own time when the text is still what the form
/// showed for it (the field shows minutes; the record may hold seconds, and an edit of another
/// field must not change it), else the text read.
fn kept_or(
    text: &str,
    base: Option<DateTime<Utc>>,
    parse: fn(&str) -> Result<DateTime<Utc>, crate::clock::TimeError>,
) -> Result<DateTime<Utc>, crate::clock::TimeError> {
    match base {
        Some(b) if local_text(b) == text.trim() => Ok(b),
        _ => parse(text),
    }
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, crate::clock::TimeError> {
    parse_instant_in(text, zone())
}

fn parse_due(text: &str) -> Result<DateTime<Utc>, crate::clock::TimeError> {
    parse_due_in(text, zone())
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The new-case form.
#[derive(Debug, Clone)]
pub struct CaseForm {
    /// Title.
    pub title: String,
    /// Company.
    pub company: String,
    /// Platform.
    pub platform: String,
    /// Seller.
    pub seller: String,
    /// Order number.
    pub order: String,
    /// Product.
    pub product: String,
    /// Amount in major units.
    pub amount: String,
    /// Currency code.
    pub currency: String,
    /// Category.
    pub category: Category,
    /// What the consumer wants.
    pub wants: String,
    /// Where the case stands.
    pub status: CaseStatus,
    /// The order's dates as typed (YYYY-MM-DD), in [`DATE_FIELDS`] order.
    pub dates: [String; 9],
    /// What went wrong.
    pub problems: Vec<Problem>,
    /// How it was paid (`None`: not entered).
    pub payment: Option<PaymentMethod>,
    /// Installments as typed.
    pub installments: String,
    /// The claimant: name, phone, email, address.
    pub claimant: [String; 4],
    /// The company's contact.
    pub company_contact: String,
    /// The company's address.
    pub company_address: String,
    /// The case being edited (`None`: a new case), with the fields the form does not show.
    pub editing: Option<(CaseId, Box<CaseFields>)>,
    /// The last error.
    pub error: Option<String>,
}

/// The order dates the case form shows, with their labels; legal deadlines count from them.
pub const DATE_FIELDS: [T; 9] = [
    T::DateOrdered,
    T::DatePaid,
    T::DateShipped,
    T::DateSupplyAgreed,
    T::DateDelivered,
    T::DateNoticed,
    T::DateReturnSent,
    T::DateReturnReceived,
    T::DateRefunded,
];

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

impl Default for CaseForm {
    fn default() -> Self {
        CaseForm {
            title: String::new(),
            company: String::new(),
            platform: String::new(),
            seller: String::new(),
            order: String::new(),
            product: String::new(),
            amount: String::new(),
            currency: "KRW".into(),
            category: Category::Other,
            wants: String::new(),
            status: CaseStatus::Open,
            dates: Default::default(),
            problems: Vec::new(),
            payment: None,
            installments: String::new(),
            claimant: Default::default(),
            company_contact: String::new(),
            company_address: String::new(),
            editing: None,
            error: None,
        }
    }
}

impl CaseForm {
    /// Editing an open case: its facts, dates and status.
    pub fn edit(case: &Case) -> Self {
        let f = &case.fields;
        let d = &f.dates;
        CaseForm {
            title: f.title.clone(),
            company: f.company.clone(),
            platform: f.platform.clone().unwrap_or_default(),
            seller: f.seller.clone().unwrap_or_default(),
            order: f.order_number.clone().unwrap_or_default(),
            product: f.product.clone().unwrap_or_default(),
            amount: f
                .amount
                .as_ref()
                .map(Money::amount_text)
                .unwrap_or_default(),
            currency: f
                .amount
                .as_ref()
                .map(|m| m.currency.clone())
                .unwrap_or_else(|| "KRW".into()),
            category: f.category,
            wants: f.wants.clone().unwrap_or_default(),
            status: f.status,
            dates: [
                d.ordered,
                d.paid,
                d.shipped,
                d.supply_agreed,
                d.delivered,
                d.noticed,
                d.return_sent,
                d.return_received,
                d.refunded,
            ]
            .map(date_text),
            problems: f.problems.clone(),
            payment: f.payment_method,
            installments: f.installments.map(|n| n.to_string()).unwrap_or_default(),
            claimant: [
                &f.claimant.name,
                &f.claimant.phone,
                &f.claimant.email,
                &f.claimant.address,
            ]
            .map(|v| v.clone().unwrap_or_default()),
            company_contact: f.company_contact.clone().unwrap_or_default(),
            company_address: f.company_address.clone().unwrap_or_default(),
            editing: Some((case.id, Box::new(f.clone()))),
            error: None,
        }
    }

    fn fields(&self, lang: Lang) -> Result<CaseFields, String> {
        let amount = match optional(&self.amount) {
            Some(a) => Some(
                Money::parse(&a, &self.currency)
                    .map_err(|e| crate::gui::i18n::money_error(&e, lang))?,
            ),
            None => None,
        };
        let mut dates = [None; 9];
        for (i, text) in self.dates.iter().enumerate() {
            if let Some(t) = optional(text) {
                // The CLI's date reader: the same formats and the same sane range of years.
                dates[i] =
                    Some(crate::clock::parse_date(&t).map_err(|_| {
                        fill(T::BadDate.get(lang), &[DATE_FIELDS[i].get(lang), &t])
                    })?);
            }
        }
        let installments = match optional(&self.installments) {
            Some(n) => Some(
                n.parse::<u32>()
                    .map_err(|_| fill(T::BadInstallments.get(lang), &[&n]))?,
            ),
            None => None,
        };
        let [
            ordered,
            paid,
            shipped,
            supply_agreed,
            delivered,
            noticed,
            return_sent,
            return_received,
            refunded,
        ] = dates;
        Ok(CaseFields {
            title: self.title.trim().to_owned(),
            company: self.company.trim().to_owned(),
            company_contact: optional(&self.company_contact),
            company_address: optional(&self.company_address),
            platform: optional(&self.platform),
            seller: optional(&self.seller),
            order_number: optional(&self.order),
            product: optional(&self.product),
            amount,
            dates: OrderDates {
                ordered,
                paid,
                delivered,
                noticed,
                return_sent,
                return_received,
                refunded,
                shipped,
                supply_agreed,
            },
            category: self.category,
            wants: optional(&self.wants),
            status: self.status,
            problems: self.problems.clone(),
            payment_method: self.payment,
            installments,
            claimant: Claimant {
                name: optional(&self.claimant[0]),
                phone: optional(&self.claimant[1]),
                email: optional(&self.claimant[2]),
                address: optional(&self.claimant[3]),
            },
        })
    }
}

/// The contact form (new or edit).
#[derive(Debug, Clone)]
pub struct ContactForm {
    case: CaseId,
    editing: Option<(ContactId, Box<ContactFields>)>,
    channel: Channel,
    direction: Direction,
    tier: Tier,
    agent_name: String,
    agent_id: String,
    reference: String,
    started: String,
    ended: String,
    summary: String,
    claimed: String,
    offered: String,
    outcome: Outcome,
    recording_announced: bool,
    they_promised: bool,
    /// The last error.
    pub error: Option<String>,
}

impl ContactForm {
    /// A new contact starting now.
    pub fn new(case: CaseId, now: DateTime<Utc>) -> Self {
        ContactForm {
            case,
            editing: None,
            channel: Channel::Phone,
            direction: Direction::Outgoing,
            tier: Tier::FirstLine,
            agent_name: String::new(),
            agent_id: String::new(),
            reference: String::new(),
            started: local_text(now),
            ended: String::new(),
            summary: String::new(),
            claimed: String::new(),
            offered: String::new(),
            outcome: Outcome::Unresolved,
            recording_announced: false,
            they_promised: false,
            error: None,
        }
    }

    /// The same, at another rung of the ladder (the advisor's "log the escalation call").
    pub fn with_tier(mut self, tier: Tier) -> Self {
        self.tier = tier;
        self
    }

    /// Editing a logged contact.
    pub fn edit(c: &Contact) -> Self {
        let f = &c.fields;
        ContactForm {
            case: c.case_id,
            editing: Some((c.id, Box::new(f.clone()))),
            channel: f.channel,
            direction: f.direction,
            tier: f.tier,
            agent_name: f.agent_name.clone().unwrap_or_default(),
            agent_id: f.agent_id.clone().unwrap_or_default(),
            reference: f.reference.clone().unwrap_or_default(),
            started: local_text(f.started_at),
            ended: f.ended_at.map(local_text).unwrap_or_default(),
            summary: f.summary.clone(),
            claimed: f.claimed.clone().unwrap_or_default(),
            offered: f.offered.clone().unwrap_or_default(),
            outcome: f.outcome,
            recording_announced: f.recording_announced,
            they_promised: false,
            error: None,
        }
    }

    fn fields(&self, lang: Lang) -> Result<ContactFields, String> {
        let base = self.editing.as_ref().map(|(_, b)| b.as_ref());
        let started =
            kept_or(&self.started, base.map(|b| b.started_at), parse_instant).map_err(|e| {
                format!(
                    "{}: {}",
                    T::StartedAt.get(lang),
                    crate::gui::i18n::time_error(&e, lang)
                )
            })?;
        let ended = match optional(&self.ended) {
            Some(t) => Some(
                kept_or(&t, base.and_then(|b| b.ended_at), parse_instant).map_err(|e| {
                    format!(
                        "{}: {}",
                        T::EndedAt.get(lang),
                        crate::gui::i18n::time_error(&e, lang)
                    )
                })?,
            ),
            None => None,
        };
        Ok(ContactFields {
            started_at: started,
            ended_at: ended,
            channel: self.channel,
            direction: self.direction,
            tier: self.tier,
            agent_name: optional(&self.agent_name),
            agent_id: optional(&self.agent_id),
            reference: optional(&self.reference),
            summary: self.summary.trim().to_owned(),
            claimed: optional(&self.claimed),
            offered: optional(&self.offered),
            outcome: if self.they_promised {
                Outcome::PromisedFollowUp
            } else {
                self.outcome
            },
            recording_announced: self.recording_announced,
        })
    }
}

/// The promise form (new or edit), with the five questions.
#[derive(Debug, Clone)]
pub struct PromiseForm {
    case: CaseId,
    editing: Option<(PromiseId, Box<PromiseFields>)>,
    contact: ContactId,
    what: String,
    by: String,
    due: String,
    answers: FiveAnswers,
    /// The last error.
    pub error: Option<String>,
}

impl PromiseForm {
    /// A promise made in `contact`, due tomorrow by default.
    pub fn new(case: CaseId, contact: ContactId, by: Option<String>, now: DateTime<Utc>) -> Self {
        PromiseForm {
            case,
            editing: None,
            contact,
            what: String::new(),
            by: by.unwrap_or_default(),
            due: local_text(now + chrono::Duration::days(1)),
            answers: FiveAnswers::default(),
            error: None,
        }
    }

    /// Editing a recorded promise.
    pub fn edit(p: &Promise) -> Self {
        let f = &p.fields;
        PromiseForm {
            case: p.case_id,
            editing: Some((p.id, Box::new(f.clone()))),
            contact: f.contact_id,
            what: f.what.clone(),
            by: f.promised_by.clone().unwrap_or_default(),
            due: local_text(f.due_at),
            answers: f.answers.clone(),
            error: None,
        }
    }

    fn fields(&self, lang: Lang) -> Result<PromiseFields, String> {
        Ok(PromiseFields {
            contact_id: self.contact,
            promised_by: optional(&self.by),
            what: self.what.trim().to_owned(),
            due_at: kept_or(
                &self.due,
                self.editing.as_ref().map(|(_, b)| b.due_at),
                parse_due,
            )
            .map_err(|e| {
                format!(
                    "{}: {}",
                    T::Due.get(lang),
                    crate::gui::i18n::time_error(&e, lang)
                )
            })?,
            answers: self.answers.clone(),
        })
    }
}

/// Ending a promise.
#[derive(Debug, Clone)]
pub struct EndForm {
    id: PromiseId,
    what: String,
    note: String,
    /// The last error.
    pub error: Option<String>,
}

impl EndForm {
    /// Ending promise `id`.
    pub fn new(id: PromiseId, what: String) -> Self {
        EndForm {
            id,
            what,
            note: String::new(),
            error: None,
        }
    }
}

fn error_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, error: &Option<String>) {
    if let Some(e) = error {
        ui.label(egui::RichText::new(e).color(ctx.palette.danger));
    }
}

/// What a form's buttons asked for.
enum Action {
    None,
    Save,
    Cancel,
}

fn buttons_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>) -> Action {
    let mut action = Action::None;
    ui.separator();
    ui.horizontal(|ui| {
        if ui
            .button(ctx.t(T::Save))
            .on_hover_text("Ctrl+Enter")
            .clicked()
        {
            action = Action::Save;
        }
        if ui.button(ctx.t(T::Cancel)).on_hover_text("Esc").clicked() {
            action = Action::Cancel;
        }
    });
    // Taken by `windows_ui` before the form's widgets ran (by the key's own modifiers, not
    // the frame's: Ctrl may be up again by the frame that sees an Enter the IME held back).
    if ui.data_mut(|d| d.remove_temp::<bool>(ctrl_enter_id())) == Some(true) {
        action = Action::Save;
    }
    if escape_pressed(ui) {
        action = Action::Cancel;
    }
    action
}

fn ctrl_enter_id() -> egui::Id {
    egui::Id::unique("recourse-form-ctrl-enter")
}

/// Esc for the form, not for a drop-down or a date list open in it: Esc closes only the
/// innermost thing open.
fn escape_pressed(ui: &egui::Ui) -> bool {
    // Whether a popup was open when the frame began: a drop-down closes itself on Esc while
    // the form is drawn, before its buttons are.
    let popup = ui
        .ctx()
        .data(|d| d.get_temp::<bool>(popup_id()))
        .unwrap_or(false);
    ui.input(|i| i.key_pressed(egui::Key::Escape)) && !popup
}

fn popup_id() -> egui::Id {
    egui::Id::unique("recourse-popup-open-at-frame-start")
}

/// What a form holds that the user typed, to compare with how it opened: everything but the
/// error it shows (a refused save is not typing).
trait Snapshot {
    fn snapshot(&self) -> String;
}

macro_rules! snapshot_without_error {
    ($($form:ty),+) => {$(
        impl Snapshot for $form {
            fn snapshot(&self) -> String {
                let mut typed = self.clone();
                typed.error = None;
                format!("{typed:?}")
            }
        }
    )+};
}

snapshot_without_error!(CaseForm, ContactForm, PromiseForm);

/// What keeps a form's work: the form as it opened (to tell whether anything was typed), and
/// whether "discard what you typed?" is being asked.
#[derive(Debug, Clone, Default)]
pub struct FormGuard {
    /// Which form, and its state when it opened (`Debug` text).
    opened: Option<(&'static str, String)>,
    /// Asking before throwing away typed text.
    confirm: bool,
}

impl FormGuard {
    /// Called each frame a form is shown: true on its first frame (focus its first field).
    fn first_frame(&mut self, id: &'static str, form: &impl Snapshot) -> bool {
        if self.opened.as_ref().is_some_and(|(o, _)| *o == id) {
            return false;
        }
        self.opened = Some((id, form.snapshot()));
        self.confirm = false;
        true
    }

    /// Whether the form differs from how it opened.
    fn dirty(&self, form: &impl Snapshot) -> bool {
        self.opened
            .as_ref()
            .is_some_and(|(_, at)| *at != form.snapshot())
    }

    /// Cancel asked for: true when the form may close now (nothing typed, or discard
    /// confirmed); otherwise the question is shown.
    fn cancel(&mut self, form: &impl Snapshot) -> bool {
        if self.dirty(form) && !self.confirm {
            self.confirm = true;
            return false;
        }
        self.close();
        true
    }

    fn close(&mut self) {
        self.opened = None;
        self.confirm = false;
    }

    /// What the form's buttons and keys asked, after the question: Discard closes, Esc or
    /// Cancel while asked goes back to the form, Esc or Cancel on a typed form asks.
    fn settle(&mut self, action: Action, discard: bool, form: &impl Snapshot) -> Action {
        if discard {
            self.close();
            Action::Cancel
        } else if self.confirm && matches!(action, Action::Cancel) {
            self.confirm = false;
            Action::None
        } else if matches!(action, Action::Cancel) && !self.cancel(form) {
            Action::None
        } else {
            action
        }
    }
}

/// The "discard what you typed?" row, when asked: Discard closes, Keep writing (or Esc)
/// goes back to the form.
fn confirm_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, guard: &mut FormGuard) -> bool {
    if !guard.confirm {
        return false;
    }
    let mut discard = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(egui::RichText::new(ctx.t(T::DiscardQuestion)).color(ctx.palette.warning));
        ui.horizontal(|ui| {
            if ui.button(ctx.t(T::Discard)).clicked() {
                discard = true;
            }
            if ui.button(ctx.t(T::KeepWriting)).clicked() {
                guard.confirm = false;
            }
        });
    });
    discard
}

/// Which part of a form [`modal`] draws: the fields, which scroll, or the foot below them —
/// warnings, the error, the buttons and the discard question — which stays in view.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Body,
    Foot,
}

/// A modal form: `draw` is called for the body, then for the foot, whose result it returns.
/// On its first frame the body opens scrolled to the top.
fn modal<R>(
    ui: &mut egui::Ui,
    id: &str,
    width: f32,
    first: bool,
    mut draw: impl FnMut(&mut egui::Ui, Part) -> R,
) -> R {
    let open = egui::Popup::is_any_open(ui.ctx());
    ui.ctx().data_mut(|d| d.insert_temp(popup_id(), open));
    // The foot's height as last drawn, so the body leaves room for it.
    let foot_id = egui::Id::unique("form-foot-height").with(id);
    let foot = ui.data(|d| d.get_temp::<f32>(foot_id)).unwrap_or(60.0);
    egui::Modal::new(egui::Id::unique(id))
        .show(ui.ctx(), |ui| {
            ui.set_width(width);
            // Tall forms scroll inside the modal rather than run off the window.
            let height = (ui.ctx().content_rect().height() - 120.0 - foot).max(160.0);
            let mut body = egui::ScrollArea::vertical()
                .id_salt((id, "body"))
                .min_scrolled_height(height)
                .max_height(height);
            if first {
                body = body.vertical_scroll_offset(0.0);
            }
            body.show(ui, |ui| draw(ui, Part::Body));
            let foot = ui.scope(|ui| draw(ui, Part::Foot));
            ui.data_mut(|d| d.insert_temp(foot_id, foot.response.rect.height()));
            foot.inner
        })
        .inner
}

/// A form's foot: its error, Save and Cancel, and the discard question when asked; sets
/// `discard` when the user chose to throw the form away.
fn foot_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    error: &Option<String>,
    guard: &mut FormGuard,
    discard: &mut bool,
) -> Action {
    error_ui(ui, ctx, error);
    let action = buttons_ui(ui, ctx);
    *discard = confirm_ui(ui, ctx, guard);
    action
}

/// Draws whichever form is open.
pub fn windows_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    // Ctrl+Enter saves the open form. Taken before any widget runs, so a focused checkbox or
    // button does not also read the Enter as a click (it toggled "they promised" back off).
    if state.case_form.is_some() || state.contact_form.is_some() || state.promise_form.is_some() {
        let ctrl_enter =
            ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
        ui.data_mut(|d| d.insert_temp(ctrl_enter_id(), ctrl_enter));
    }
    let guard = &mut state.form_guard;
    let mut open = false;
    if let Some(form) = &mut state.case_form {
        open = true;
        let first = guard.first_frame("case-form", form);
        let mut discard = false;
        let action = modal(ui, "case-form", 460.0, first, |ui, part| match part {
            Part::Body => {
                case_form_ui(ui, ctx, form, first);
                Action::None
            }
            Part::Foot => foot_ui(ui, ctx, &form.error, guard, &mut discard),
        });
        let action = guard.settle(action, discard, form);
        match action {
            Action::Save => match form.fields(ctx.lang) {
                Ok(fields) => out.push(match &form.editing {
                    Some((case, base)) => Command::EditCase {
                        case: *case,
                        base: base.clone(),
                        fields: Box::new(fields),
                    },
                    None => Command::CreateCase(Box::new(fields)),
                }),
                Err(e) => form.error = Some(e),
            },
            Action::Cancel => state.case_form = None,
            Action::None => {}
        }
    }
    if let Some(form) = &mut state.contact_form {
        open = true;
        let first = guard.first_frame("contact-form", form);
        let mut discard = false;
        let action = modal(ui, "contact-form", 520.0, first, |ui, part| match part {
            Part::Body => {
                contact_form_ui(ui, ctx, form, first);
                Action::None
            }
            Part::Foot => foot_ui(ui, ctx, &form.error, guard, &mut discard),
        });
        let action = guard.settle(action, discard, form);
        match action {
            Action::Save => match form.fields(ctx.lang) {
                Ok(fields) => out.push(match &form.editing {
                    Some((id, base)) => Command::EditContact {
                        id: *id,
                        base: base.clone(),
                        fields: Box::new(fields),
                    },
                    None => Command::AddContact {
                        case: form.case,
                        fields: Box::new(fields),
                        then_promise: form.they_promised,
                    },
                }),
                Err(e) => form.error = Some(e),
            },
            Action::Cancel => state.contact_form = None,
            Action::None => {}
        }
    }
    if let Some(form) = &mut state.promise_form {
        open = true;
        let first = guard.first_frame("promise-form", form);
        let mut discard = false;
        let action = modal(ui, "promise-form", 640.0, first, |ui, part| match part {
            Part::Body => {
                promise_form_ui(ui, ctx, form, first);
                Action::None
            }
            Part::Foot => {
                stalling_ui(ui, ctx, form);
                foot_ui(ui, ctx, &form.error, guard, &mut discard)
            }
        });
        let action = guard.settle(action, discard, form);
        match action {
            Action::Save => match form.fields(ctx.lang) {
                Ok(fields) => out.push(match &form.editing {
                    Some((id, base)) => Command::EditPromise {
                        id: *id,
                        base: base.clone(),
                        fields: Box::new(fields),
                    },
                    None => Command::AddPromise {
                        case: form.case,
                        fields: Box::new(fields),
                    },
                }),
                Err(e) => form.error = Some(e),
            },
            Action::Cancel => state.promise_form = None,
            Action::None => {}
        }
    }
    if let Some(form) = &mut state.end_form {
        let mut ended = None;
        let mut cancel = false;
        modal(ui, "end-form", 420.0, false, |ui, part| {
            if part == Part::Foot {
                return;
            }
            ui.heading(ctx.t(T::EndPromise));
            ui.label(&form.what);
            text_field_ui(ui, ctx.t(T::EndNote), &mut form.note);
            error_ui(ui, ctx, &form.error);
            ui.separator();
            ui.horizontal(|ui| {
                for (status, key) in [
                    (PromiseStatus::Kept, T::MarkKept),
                    (PromiseStatus::Broken, T::MarkBroken),
                    (PromiseStatus::Withdrawn, T::MarkWithdrawn),
                ] {
                    if ui.button(ctx.t(key)).clicked() {
                        ended = Some(status);
                    }
                }
                if ui.button(ctx.t(T::Cancel)).clicked() || escape_pressed(ui) {
                    cancel = true;
                }
            });
        });
        if let Some(status) = ended {
            out.push(Command::EndPromise {
                id: form.id,
                status,
                note: form.note.clone(),
            });
        }
        if cancel {
            state.end_form = None;
        }
    }
    if !open {
        state.form_guard.close();
    }
}

fn case_form_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, f: &mut CaseForm, first: bool) {
    ui.heading(ctx.t(if f.editing.is_some() {
        T::EditCase
    } else {
        T::NewCase
    }));
    egui::Grid::new("case-form-grid")
        .num_columns(2)
        .show(ui, |ui| {
            for (key, value) in [
                (T::Title, &mut f.title),
                (T::Company, &mut f.company),
                (T::Platform, &mut f.platform),
                (T::Seller, &mut f.seller),
                (T::Order, &mut f.order),
                (T::Product, &mut f.product),
                (T::Amount, &mut f.amount),
                (T::Currency, &mut f.currency),
                (T::Wants, &mut f.wants),
            ] {
                let field = if key == T::Platform {
                    platform_field_ui(ui, ctx, value)
                } else {
                    text_field_ui(ui, ctx.t(key), value)
                };
                if first && key == T::Title {
                    field.request_focus();
                }
                ui.end_row();
            }
            choice_ui(ui, ctx.t(T::Category), &mut f.category, ctx.lang);
            ui.end_row();
            if f.editing.is_some() {
                choice_ui(ui, ctx.t(T::Status), &mut f.status, ctx.lang);
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.label(egui::RichText::new(ctx.t(T::DatesSection)).strong());
    ui.label(
        egui::RichText::new(ctx.t(T::DatesHint))
            .small()
            .color(ctx.palette.muted),
    );
    egui::Grid::new("case-form-dates")
        .num_columns(2)
        .show(ui, |ui| {
            for (key, value) in DATE_FIELDS.iter().zip(f.dates.iter_mut()) {
                let l = ui.label(ctx.t(*key));
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(value)
                            .hint_text("YYYY-MM-DD")
                            .desired_width(140.0),
                    )
                    .labelled_by(l.id);
                    super::calendar_button(ui, ctx, ctx.t(*key), value);
                });
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.label(egui::RichText::new(ctx.t(T::ProblemsSection)).strong());
    ui.label(
        egui::RichText::new(ctx.t(T::ProblemsHint))
            .small()
            .color(ctx.palette.muted),
    );
    ui.horizontal_wrapped(|ui| {
        for p in Problem::ALL {
            let mut on = f.problems.contains(p);
            if ui.checkbox(&mut on, p.name(ctx.lang)).changed() {
                if on {
                    f.problems.push(*p);
                } else {
                    f.problems.retain(|q| q != p);
                }
            }
        }
    });
    ui.add_space(6.0);
    ui.label(egui::RichText::new(ctx.t(T::PaymentSection)).strong());
    egui::Grid::new("case-form-payment")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label(ctx.t(T::PaymentMethodLabel));
            egui::ComboBox::from_id_salt("case-form-payment-method")
                .selected_text(
                    f.payment
                        .map(|m| m.name(ctx.lang))
                        .unwrap_or(ctx.t(T::PaymentUnknown)),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.payment, None, ctx.t(T::PaymentUnknown));
                    for m in PaymentMethod::ALL {
                        ui.selectable_value(&mut f.payment, Some(*m), m.name(ctx.lang));
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            if f.payment == Some(PaymentMethod::CreditCard) {
                text_field_ui(ui, ctx.t(T::Installments), &mut f.installments);
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    egui::CollapsingHeader::new(ctx.t(T::PeopleSection))
        .id_salt("case-form-people")
        .show(ui, |ui| {
            egui::Grid::new("case-form-people-grid")
                .num_columns(2)
                .show(ui, |ui| {
                    let [name, phone, email, address] = &mut f.claimant;
                    for (key, value) in [
                        (T::ClaimantName, name),
                        (T::ClaimantPhone, phone),
                        (T::ClaimantEmail, email),
                        (T::ClaimantAddress, address),
                        (T::CompanyContact, &mut f.company_contact),
                        (T::CompanyAddress, &mut f.company_address),
                    ] {
                        text_field_ui(ui, ctx.t(key), value);
                        ui.end_row();
                    }
                });
        });
}

fn contact_form_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, f: &mut ContactForm, first: bool) {
    ui.heading(ctx.t(T::LogContact));
    egui::Grid::new("contact-form-grid")
        .num_columns(2)
        .show(ui, |ui| {
            choice_ui(ui, ctx.t(T::Channel), &mut f.channel, ctx.lang);
            ui.end_row();
            choice_ui(ui, ctx.t(T::Direction), &mut f.direction, ctx.lang);
            ui.end_row();
            choice_ui(ui, ctx.t(T::Tier), &mut f.tier, ctx.lang);
            ui.end_row();
            for (key, value) in [
                (T::AgentName, &mut f.agent_name),
                (T::AgentId, &mut f.agent_id),
                (T::Reference, &mut f.reference),
                (T::StartedAt, &mut f.started),
                (T::EndedAt, &mut f.ended),
            ] {
                let field = text_field_ui(ui, ctx.t(key), value);
                if first && key == T::AgentName {
                    field.request_focus();
                }
                ui.end_row();
            }
        });
    text_area_ui(ui, ctx.t(T::Summary), &mut f.summary);
    text_area_ui(ui, ctx.t(T::Claimed), &mut f.claimed);
    text_area_ui(ui, ctx.t(T::Offered), &mut f.offered);
    ui.horizontal(|ui| {
        choice_ui(ui, ctx.t(T::OutcomeLabel), &mut f.outcome, ctx.lang);
    });
    ui.checkbox(&mut f.recording_announced, ctx.t(T::RecordingAnnounced));
    if f.editing.is_none() {
        ui.checkbox(&mut f.they_promised, ctx.t(T::TheyPromised));
    }
}

fn promise_form_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, f: &mut PromiseForm, first: bool) {
    ui.heading(ctx.t(T::PromiseForm));
    egui::Grid::new("promise-form-grid")
        .num_columns(2)
        .show(ui, |ui| {
            let what = text_field_ui(ui, ctx.t(T::WhatPromised), &mut f.what);
            if first {
                what.request_focus();
            }
            ui.end_row();
            text_field_ui(ui, ctx.t(T::PromisedBy), &mut f.by);
            ui.end_row();
            let l = ui.label(ctx.t(T::Due));
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut f.due).desired_width(180.0))
                    .labelled_by(l.id);
                super::calendar_button(ui, ctx, ctx.t(T::Due), &mut f.due);
            });
            ui.end_row();
        });
    ui.add_space(6.0);
    // Live coaching: how many are asked, and the next one to ask, in words to say.
    let asked = Question::ALL
        .iter()
        .filter(|q| f.answers.get(**q).assessment != Assessment::NotAsked)
        .count();
    let next = Question::ALL
        .into_iter()
        .find(|q| f.answers.get(*q).assessment == Assessment::NotAsked);
    // The count on one line, the next question on up to two below it: three lines kept
    // whatever they say, so the questions below never move under the pointer as it changes.
    let top = ui.cursor().top();
    let color = if asked == 5 {
        ctx.palette.success
    } else {
        ctx.palette.warning
    };
    ui.label(
        egui::RichText::new(fill(ctx.t(T::FiveAsked), &[&asked.to_string()]))
            .strong()
            .color(color),
    );
    match next {
        Some(q) => {
            let (_, say) = question(q, ctx.lang);
            ui.add(egui::Label::new(fill(ctx.t(T::AskNext), &[say])).wrap());
        }
        None => {
            ui.add(egui::Label::new(ctx.t(T::AllAsked)).wrap());
        }
    }
    let row = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let used = ui.cursor().top() - top;
    if used < 3.0 * row {
        ui.add_space(3.0 * row - used);
    }
    for q in Question::ALL {
        let (asked, say) = question(q, ctx.lang);
        let answer = f.answers.get_mut(q);
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new(asked).strong());
            ui.label(
                egui::RichText::new(format!("{}: {say}", ctx.t(T::SayItLikeThis)))
                    .italics()
                    .color(ctx.palette.muted),
            );
            // Named by the question's short name ("범위"), as the heading above it says it.
            let short = question(q, ctx.lang)
                .0
                .split(" — ")
                .next()
                .unwrap_or_default();
            let label = ui.label(format!("{} — {short}", ctx.t(T::AnswerAsSaid)));
            ui.add(egui::TextEdit::singleline(&mut answer.said).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            ui.horizontal(|ui| {
                for a in Assessment::ALL {
                    let text =
                        egui::RichText::new(a.name(ctx.lang)).color(ctx.palette.assessment(*a));
                    if ui
                        .add(egui::Button::selectable(answer.assessment == *a, text))
                        .on_hover_text(format!("{} · {}", q.code(), a.code()))
                        .clicked()
                    {
                        answer.assessment = *a;
                    }
                }
            });
        });
    }
}

/// Above the promise form's buttons, so it is in view wherever the form is scrolled: the
/// answers so far sound like a delay, and why.
fn stalling_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, f: &PromiseForm) {
    if f.answers.looks_like_stalling() {
        let mut reasons = Vec::new();
        let evasive = f.answers.evasive_count();
        if evasive >= 2 {
            reasons.push(fill(ctx.t(T::DelayReasonEvasive), &[&evasive.to_string()]));
        }
        if f.answers.resolution.assessment != Assessment::Clear {
            reasons.push(ctx.t(T::DelayReasonResolution).to_owned());
        }
        if f.answers.authority.assessment != Assessment::Clear {
            reasons.push(ctx.t(T::DelayReasonAuthority).to_owned());
        }
        ui.label(
            egui::RichText::new(fill(ctx.t(T::LooksLikeDelay), &[&reasons.join(", ")]))
                .color(ctx.palette.warning)
                .strong(),
        );
    }
}

/// Where Korean consumers buy most, as each language names them: the platform field offers
/// them in a list, and any other name can still be typed.
const PLATFORMS: [(&str, &str); 22] = [
    ("쿠팡", "Coupang"),
    ("네이버 스마트스토어", "Naver Smart Store"),
    ("11번가", "11st"),
    ("G마켓", "Gmarket"),
    ("옥션", "Auction"),
    ("SSG닷컴", "SSG.com"),
    ("롯데온", "Lotte ON"),
    ("컬리", "Kurly"),
    ("무신사", "Musinsa"),
    ("오늘의집", "Ohouse"),
    ("에이블리", "Ably"),
    ("지그재그", "Zigzag"),
    ("티몬", "TMON"),
    ("위메프", "WeMakePrice"),
    ("알리익스프레스", "AliExpress"),
    ("테무", "Temu"),
    ("배달의민족", "Baemin"),
    ("쿠팡이츠", "Coupang Eats"),
    ("요기요", "Yogiyo"),
    ("당근", "Karrot"),
    ("번개장터", "Bunjang"),
    ("카카오톡 선물하기", "Kakao Gift"),
];

/// The platform row: a text field for any name, and ▼ beside it with the common platforms.
fn platform_field_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, value: &mut String) -> egui::Response {
    let l = ui.label(ctx.t(T::Platform));
    ui.horizontal(|ui| {
        let field = ui
            .add(egui::TextEdit::singleline(value).desired_width(ui.available_width() - 28.0))
            .labelled_by(l.id);
        let name = ctx.t(T::PickPlatform);
        let button = ui.small_button("▼").on_hover_text(name);
        button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
        // Opens under the field's end, inside the form.
        egui::Popup::from_toggle_button_response(&button)
            .align(egui::RectAlign::BOTTOM_END)
            .close_behavior(egui::PopupCloseBehavior::CloseOnClick)
            .show(|ui| {
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for (ko, en) in PLATFORMS {
                            let shown = match ctx.lang {
                                Lang::Ko => ko,
                                Lang::En => en,
                            };
                            let chosen = value.trim() == ko || value.trim() == en;
                            if ui.selectable_label(chosen, shown).clicked() {
                                *value = shown.to_owned();
                            }
                        }
                    });
            });
        field
    })
    .inner
}
