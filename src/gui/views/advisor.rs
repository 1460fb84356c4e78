//! The advisor panel: the next steps for the open case, most urgent first, each with why, the
//! words to say (copyable) and a button for the obvious action.

use super::{Command, ContactForm, EndForm, PromiseForm, Tab, UiState, ViewCtx};
use crate::advisor::words::{self, Worded};
use crate::advisor::{Action, Advice, Severity};
use crate::gui::i18n::{Lang, T, fill};
use crate::model::{CaseStatus, Recipient};
use crate::store::CaseDetail;

/// How many pieces of advice the panel lists; the rest are counted. Nobody acts on a list of a
/// thousand items, and drawing them would cost every frame.
pub const SHOWN: usize = 8;

/// How many of them are open in full (why, words to say, buttons); the ones after show their
/// step on one line and open when clicked, so the most urgent stand out.
pub const OPEN: usize = 3;

/// One piece of advice, worded once per change (not per frame).
#[derive(Debug, Clone)]
pub struct AdviceLine {
    /// The words.
    pub worded: Worded,
    /// The words to say, in the interface language.
    pub say: Option<String>,
    /// The button's action.
    pub action: Option<Action>,
}

/// Words the most urgent advice; returns the lines and how many more there are.
pub fn lines(
    advice: &[Advice],
    detail: Option<&CaseDetail>,
    lang: Lang,
    now: chrono::DateTime<chrono::Utc>,
    zone: chrono_tz::Tz,
) -> (Vec<AdviceLine>, usize) {
    let ctx = words::Ctx {
        lang,
        offset: crate::clock::offset_in(zone, now),
        now,
        case: detail.map(|d| &d.case.fields),
    };
    let shown = advice
        .iter()
        .take(SHOWN)
        .map(|a| {
            let worded = words::word(a, &ctx);
            let say = match lang {
                Lang::Ko => worded.say_ko.clone(),
                Lang::En => worded.say_en.clone(),
            };
            AdviceLine {
                worded,
                say,
                action: a.action(),
            }
        })
        .collect();
    (shown, advice.len().saturating_sub(SHOWN))
}

fn action_label(action: Action, lang: Lang) -> &'static str {
    match action {
        Action::EditPromise { .. } => T::AdvisorDoAnswers.get(lang),
        Action::MarkBroken { .. } => T::AdvisorDoBroken.get(lang),
        Action::LogContact { .. } => T::AdvisorDoEscalate.get(lang),
        Action::BuildPacket {
            recipient: Recipient::Complaints,
        } => T::AdvisorDoPacketComplaints.get(lang),
        Action::BuildPacket { .. } => T::AdvisorDoPacketAgency.get(lang),
        Action::AddEvidence => T::AdvisorDoEvidence.get(lang),
        Action::MarkAnnounced { .. } => T::AdvisorDoAnnounced.get(lang),
        Action::CloseCase => T::AdvisorDoClose.get(lang),
        Action::RecordCall { .. } => T::AdvisorDoRecord.get(lang),
    }
}

/// Carries out an advice button: opens the form it needs, or queues the command.
fn act(action: Action, ctx: &ViewCtx<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    let Some(detail) = ctx.data.detail.as_ref() else {
        return;
    };
    let case = detail.case.id;
    let promise = |id| {
        detail
            .promises
            .iter()
            .map(|p| &p.promise)
            .find(|p| p.id == id)
    };
    match action {
        Action::EditPromise { promise: id } => {
            if let Some(p) = promise(id) {
                state.promise_form = Some(PromiseForm::edit(p));
            }
        }
        Action::MarkBroken { promise: id } => {
            if let Some(p) = promise(id) {
                state.end_form = Some(EndForm::new(p.id, p.fields.what.clone()));
            }
        }
        Action::LogContact { tier } => {
            state.contact_form = Some(ContactForm::new(case, ctx.now).with_tier(tier));
        }
        Action::BuildPacket { recipient } => {
            state.packet_form.recipient = recipient;
            state.tab = Tab::Packet;
        }
        Action::AddEvidence => out.push(Command::PickFiles(case)),
        Action::MarkAnnounced { contact } => {
            if let Some(c) = detail.contacts.iter().find(|c| c.id == contact) {
                let mut fields = c.fields.clone();
                fields.recording_announced = true;
                out.push(Command::EditContact {
                    id: contact,
                    base: Box::new(c.fields.clone()),
                    fields: Box::new(fields),
                });
            }
        }
        Action::RecordCall { contact } => out.push(Command::RequestRecording { case, contact }),
        Action::CloseCase => out.push(Command::SetCaseStatus {
            case,
            status: CaseStatus::Resolved,
        }),
    }
}

pub fn ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    ui.add_space(6.0);
    ui.heading(ctx.t(T::Advisor));
    ui.separator();
    if ctx.data.advice_lines.is_empty() {
        ui.label(egui::RichText::new(ctx.t(T::AdvisorNothing)).color(ctx.palette.muted));
        return;
    }
    let mut clicked = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        for (i, line) in ctx.data.advice_lines.iter().enumerate() {
            let w = &line.worded;
            let color = match w.severity {
                Severity::Urgent => ctx.palette.danger,
                Severity::Warning => ctx.palette.warning,
                Severity::Info => ctx.palette.accent,
            };
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let step = egui::RichText::new(&w.step).strong().color(color);
                // The advice's stable code is for the curious (and the CLI): in the tooltip.
                let code = fill(ctx.t(T::AdvisorCode), &[w.code]);
                if i < OPEN {
                    ui.add(egui::Label::new(step).wrap()).on_hover_text(&code);
                    body(ui, ctx, line, &mut clicked, out);
                } else {
                    // A header that wraps (CollapsingHeader's text does not), clickable as a
                    // whole like the arrow.
                    // The reason tells apart steps that read the same (two overdue promises).
                    let id = ui.make_persistent_id(("advice", &w.step, &w.reason));
                    let state = egui::collapsing_header::CollapsingState::load_with_default_open(
                        ui.ctx(),
                        id,
                        false,
                    );
                    let folded = !state.is_open();
                    let mut step_clicked = false;
                    let mut header = state.show_header(ui, |ui| {
                        ui.vertical(|ui| {
                            step_clicked = ui
                                .add(egui::Label::new(step).wrap().sense(egui::Sense::click()))
                                .on_hover_text(&code)
                                .clicked();
                            if folded {
                                // The reason's start, on one line, says which promise or
                                // contact this one is about.
                                ui.add(
                                    egui::Label::new(
                                        egui::RichText::new(&w.reason)
                                            .small()
                                            .color(ctx.palette.muted),
                                    )
                                    .truncate(),
                                );
                            }
                        });
                    });
                    if step_clicked {
                        header.toggle();
                    }
                    let open = header.is_open();
                    let (arrow, _, _) =
                        header.body_unindented(|ui| body(ui, ctx, line, &mut clicked, out));
                    // egui's arrow has no name; a screen reader says the step it opens.
                    arrow.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::DisclosureTriangle, true, &w.step)
                    });
                    ui.ctx()
                        .accesskit_node_builder(arrow.id, |node| node.set_expanded(open));
                }
            });
            if i + 1 < ctx.data.advice_lines.len() {
                ui.add_space(2.0);
            }
        }
        if ctx.data.advice_more > 0 {
            ui.label(
                egui::RichText::new(fill(
                    ctx.t(T::AdvisorMore),
                    &[&ctx.data.advice_more.to_string()],
                ))
                .color(ctx.palette.muted),
            );
        }
    });
    if let Some(action) = clicked {
        act(action, ctx, state, out);
    }
}

/// The why, the words to say and the buttons of one piece of advice.
fn body(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    line: &AdviceLine,
    clicked: &mut Option<Action>,
    out: &mut Vec<Command>,
) {
    let w = &line.worded;
    ui.label(egui::RichText::new(&w.reason).small());
    if let Some(say) = &line.say {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new(ctx.t(T::AdvisorSay))
                    .small()
                    .color(ctx.palette.muted),
            );
            ui.label(egui::RichText::new(say).italics());
        });
    }
    ui.horizontal_wrapped(|ui| {
        if let Some(action) = line.action
            && ui.button(action_label(action, ctx.lang)).clicked()
        {
            *clicked = Some(action);
        }
        if let Some(say) = &line.say
            && ui
                .small_button(ctx.t(T::Copy))
                .on_hover_text(ctx.t(T::AdvisorCopySay))
                .clicked()
        {
            out.push(Command::CopyText(say.clone()));
        }
    });
}
