//! The open case: header with the escalation ladder, and the tabs.

use super::forms::{ContactForm, EndForm, PromiseForm};
use super::{Command, Tab, UiState, ViewCtx, evidence, timeline};
use crate::gui::i18n::{Named, T, fill, question};
use crate::gui::theme::{self, chip_ui};
use crate::model::{Channel, Code, PromiseStatus, Question, Tier};
use crate::store::CaseDetail;

pub fn ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let mut edit = false;
    header_ui(ui, ctx, d, &mut edit);
    if edit {
        state.case_form = Some(super::CaseForm::edit(&d.case));
    }
    ui.add_space(theme::SECTION_GAP);
    // Wrapped, not right-aligned: at a narrow centre the tabs and "+ Log contact" go onto a
    // second row instead of overlapping.
    ui.horizontal_wrapped(|ui| {
        for (tab, key) in [
            (Tab::Timeline, T::TabTimeline),
            (Tab::Contacts, T::TabContacts),
            (Tab::Promises, T::TabPromises),
            (Tab::Evidence, T::TabEvidence),
            (Tab::Packet, T::TabPacket),
            (Tab::Letters, T::TabLetters),
        ] {
            ui.selectable_value(&mut state.tab, tab, ctx.t(key));
        }
        ui.add_space(16.0);
        if ui
            .button(format!("＋ {}", ctx.t(T::LogContact)))
            .on_hover_text("Ctrl+L")
            .clicked()
        {
            state.contact_form = Some(ContactForm::new(d.case.id, ctx.now));
        }
    });
    ui.separator();
    match state.tab {
        Tab::Timeline => timeline::ui(ui, ctx),
        Tab::Contacts => contacts_ui(ui, ctx, d, state, out),
        Tab::Promises => promises_ui(ui, ctx, d, state),
        Tab::Evidence => evidence::ui(ui, ctx, d, state, out),
        Tab::Packet => super::packet::ui(ui, ctx, d, state, out),
        Tab::Letters => super::letters::ui(ui, ctx, d, state, out),
    }
}

fn header_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, d: &CaseDetail, edit: &mut bool) {
    let f = &d.case.fields;
    // Wrapped: a long title takes two lines rather than pushing the status and Edit away.
    ui.horizontal_wrapped(|ui| {
        ui.add(egui::Label::new(egui::RichText::new(&f.title).heading()).wrap());
        chip_ui(
            ui,
            f.status.name(ctx.lang),
            ctx.palette.case_status(f.status),
        );
        if ui.small_button(ctx.t(T::EditCaseButton)).clicked() {
            *edit = true;
        }
    });
    let mut company = f.company.clone();
    for part in [&f.platform, &f.seller].into_iter().flatten() {
        company.push_str(" · ");
        company.push_str(part);
    }
    ui.label(egui::RichText::new(company).color(ctx.palette.muted));
    ui.horizontal_wrapped(|ui| {
        let mut facts = Vec::new();
        if let Some(order) = &f.order_number {
            facts.push(format!("{} {order}", ctx.t(T::Order)));
        }
        if let Some(product) = &f.product {
            facts.push(product.clone());
        }
        if let Some(amount) = &f.amount {
            facts.push(amount.to_string());
        }
        facts.push(f.category.name(ctx.lang).to_owned());
        ui.label(facts.join(" · "));
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(ctx.t(T::Ladder)).color(ctx.palette.muted));
        for (i, tier) in Tier::ALL.iter().enumerate() {
            if i > 0 {
                ui.label(egui::RichText::new("→").color(ctx.palette.muted));
            }
            let color = if *tier == d.tier {
                ctx.palette.accent
            } else {
                ctx.palette.muted
            };
            let text = egui::RichText::new(tier.name(ctx.lang)).color(color);
            if *tier == d.tier {
                chip_ui(ui, tier.name(ctx.lang), color);
            } else {
                ui.label(text);
            }
        }
    });
}

pub(super) fn edited_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    record: &str,
    id: i64,
    at: Option<chrono::DateTime<chrono::Utc>>,
) {
    let Some(at) = at else {
        return;
    };
    let edits: Vec<String> = d
        .edits
        .iter()
        .filter(|e| e.record == record && e.id == id)
        .flat_map(|e| {
            // When, which field by its name, and the value it had, as the screen shows such a
            // value (a time in the zone, text without quotes).
            let when =
                crate::clock::parse_instant(&e.at).map_or_else(|_| e.at.clone(), |t| ctx.time(t));
            e.changes.iter().map(move |(field, change)| {
                let was = match &change.from {
                    serde_json::Value::Null => "—".to_owned(),
                    serde_json::Value::String(s) => crate::clock::parse_instant(s)
                        .ok()
                        .filter(|_| s.contains('T'))
                        .map_or_else(|| s.clone(), |t| ctx.time(t)),
                    other => other.to_string(),
                };
                format!(
                    "{when} · {}: {was}",
                    crate::gui::i18n::field_label(field, ctx.lang)
                )
            })
        })
        .collect();
    ui.label(
        egui::RichText::new(fill(ctx.t(T::Edited), &[&ctx.time(at)]))
            .small()
            .italics()
            .color(ctx.palette.muted),
    )
    .on_hover_text(fill(ctx.t(T::WasBefore), &[&edits.join("\n")]));
}

fn contacts_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if d.contacts.is_empty() {
        ui.label(egui::RichText::new(ctx.t(T::NoContacts)).color(ctx.palette.muted));
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for c in d.contacts.iter().rev() {
                let f = &c.fields;
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal_wrapped(|ui| {
                        ui.label(egui::RichText::new(format!("#{}", c.id)).strong());
                        ui.label(ctx.time(f.started_at));
                        ui.label(format!(
                            "{} · {} · {}",
                            f.channel.name(ctx.lang),
                            f.direction.name(ctx.lang),
                            f.tier.name(ctx.lang)
                        ));
                        chip_ui(ui, f.outcome.name(ctx.lang), ctx.palette.accent);
                        if c.retracted.is_some() {
                            chip_ui(ui, ctx.t(T::Retracted), ctx.palette.muted);
                        }
                        ui.add_space(8.0);
                        {
                            if c.retracted.is_none() && ui.small_button(ctx.t(T::Edit)).clicked() {
                                state.contact_form = Some(ContactForm::edit(c));
                            }
                            let spoken = matches!(f.channel, Channel::Phone | Channel::InPerson);
                            // No microphone listed: nothing to record with (the tooltip says
                            // so; Settings lists them again).
                            let no_mic = ctx.microphones.is_some_and(<[_]>::is_empty);
                            if c.retracted.is_none()
                                && spoken
                                && ui
                                    .add_enabled(
                                        ctx.recording.is_none() && !no_mic,
                                        egui::Button::new(
                                            egui::RichText::new(ctx.t(T::Record))
                                                .color(ctx.palette.danger),
                                        )
                                        .small(),
                                    )
                                    .on_disabled_hover_text(if no_mic {
                                        ctx.t(T::NoMicrophones)
                                    } else {
                                        ctx.t(T::RecordingRunning)
                                    })
                                    .clicked()
                            {
                                out.push(Command::RequestRecording {
                                    case: d.case.id,
                                    contact: c.id,
                                });
                            }
                            if f.recording_announced {
                                ui.label(egui::RichText::new("🎤✔").color(ctx.palette.muted))
                                    .on_hover_text(ctx.t(T::RecordingAnnounced));
                            }
                        }
                    });
                    let mut who = Vec::new();
                    for (key, value) in [
                        (T::AgentName, &f.agent_name),
                        (T::AgentId, &f.agent_id),
                        (T::Reference, &f.reference),
                    ] {
                        if let Some(v) = value {
                            who.push(format!("{} {v}", ctx.t(key)));
                        }
                    }
                    if !who.is_empty() {
                        ui.label(egui::RichText::new(who.join(" · ")).color(ctx.palette.muted));
                    }
                    ui.label(&f.summary);
                    for (key, value) in [(T::Claimed, &f.claimed), (T::Offered, &f.offered)] {
                        if let Some(v) = value {
                            ui.label(format!("{}: {v}", ctx.t(key)));
                        }
                    }
                    edited_ui(ui, ctx, d, "contact", c.id.0, c.edited_at);
                    contact_retract_ui(ui, ctx, c, state, out);
                });
            }
        });
}

/// A retracted contact's reason; else «연락 취소…», which opens the box that asks why.
fn contact_retract_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    c: &crate::model::Contact,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if let Some(r) = &c.retracted {
        ui.label(
            egui::RichText::new(fill(ctx.t(T::RetractedOn), &[&ctx.time(r.at), &r.reason]))
                .color(ctx.palette.warning),
        );
        return;
    }
    match &mut state.contact_retract {
        Some((id, form)) if *id == c.id => {
            match super::retract_box_ui(ui, ctx, ctx.t(T::RetractContactHint), form) {
                super::Retract::Confirm => out.push(Command::RetractContact {
                    id: c.id,
                    reason: form.reason.clone(),
                }),
                super::Retract::Keep => state.contact_retract = None,
                super::Retract::Waiting => {}
            }
        }
        _ => {
            let name = fill(ctx.t(T::RetractContactNamed), &[&c.id.to_string()]);
            let button = ui.small_button(ctx.t(T::RetractContact));
            button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            if button.clicked() {
                state.contact_retract = Some((c.id, super::RetractForm::default()));
            }
        }
    }
}

fn promises_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, d: &CaseDetail, state: &mut UiState) {
    if d.promises.is_empty() {
        ui.label(egui::RichText::new(ctx.t(T::NoPromises)).color(ctx.palette.muted));
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for pv in &d.promises {
                let p = &pv.promise;
                let f = &p.fields;
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal_wrapped(|ui| {
                        ui.label(egui::RichText::new(format!("#{}", p.id)).strong());
                        ui.label(egui::RichText::new(&f.what).strong());
                        let status = if pv.overdue {
                            ctx.t(T::Overdue)
                        } else {
                            p.status.name(ctx.lang)
                        };
                        chip_ui(ui, status, ctx.palette.promise_status(p.status, pv.overdue));
                        if p.status == PromiseStatus::Pending {
                            ui.add_space(8.0);
                            if ui.small_button(ctx.t(T::EndPromise)).clicked() {
                                state.end_form = Some(EndForm::new(p.id, f.what.clone()));
                            }
                            if ui.small_button(ctx.t(T::Edit)).clicked() {
                                state.promise_form = Some(PromiseForm::edit(p));
                            }
                        }
                    });
                    ui.label(
                        egui::RichText::new(format!(
                            "{} {} · {} {} · #{}",
                            ctx.t(T::Due),
                            ctx.time(f.due_at),
                            ctx.t(T::PromisedBy),
                            f.promised_by.as_deref().unwrap_or("—"),
                            f.contact_id
                        ))
                        .color(ctx.palette.muted),
                    );
                    // One question per line, wrapping (a grid's columns do not shrink).
                    for q in Question::ALL {
                        let a = f.answers.get(q);
                        ui.horizontal_wrapped(|ui| {
                            chip_ui(
                                ui,
                                a.assessment.name(ctx.lang),
                                ctx.palette.assessment(a.assessment),
                            );
                            ui.label(question(q, ctx.lang).0);
                            if !a.said.is_empty() {
                                ui.label(egui::RichText::new(&a.said).italics());
                            }
                        });
                    }
                    if let Some(note) = &p.end_note {
                        ui.label(format!("{}: {note}", ctx.t(T::EndNote)));
                    }
                    edited_ui(ui, ctx, d, "promise", p.id.0, p.edited_at);
                });
            }
        });
}
