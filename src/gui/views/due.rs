//! The Due view: every pending promise and legal deadline across all open cases, soonest
//! first; a row opens its case.

use super::{Command, UiState, ViewCtx};
use crate::advisor::agenda::{DueState, DueWhat};
use crate::gui::i18n::{T, fill};
use crate::gui::theme::chip_ui;

/// How many of the agenda's items need attention now (overdue or due within a day).
pub fn pressing(ctx: &ViewCtx<'_>) -> usize {
    ctx.data
        .agenda
        .iter()
        .filter(|i| i.state != DueState::Upcoming)
        .count()
}

pub fn ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading(ctx.t(T::DueTitle));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(ctx.t(T::ExportCalendar)).clicked() {
                out.push(Command::ExportCalendar);
            }
            if ui.button(ctx.t(T::Close)).clicked() {
                state.show_due = false;
            }
        });
    });
    ui.label(
        egui::RichText::new(ctx.t(T::DueHint))
            .small()
            .color(ctx.palette.muted),
    );
    ui.separator();
    let items = &ctx.data.agenda;
    if items.is_empty() {
        ui.label(egui::RichText::new(ctx.t(T::DueNothing)).color(ctx.palette.muted));
        return;
    }
    let offset = crate::clock::offset_in(ctx.data.tz(), ctx.now);
    let row_height = 26.0;
    egui::ScrollArea::vertical().show_rows(ui, row_height, items.len(), |ui, range| {
        for item in &items[range] {
            ui.horizontal(|ui| {
                ui.set_min_height(row_height);
                let (key, color) = match item.state {
                    DueState::Overdue => (T::DueOverdue, ctx.palette.danger),
                    DueState::DueSoon => (T::DueSoon, ctx.palette.warning),
                    DueState::Upcoming => (T::DueUpcoming, ctx.palette.muted),
                };
                chip_ui(ui, ctx.t(key), color);
                let at = match &item.what {
                    DueWhat::Promise { promise } => promise
                        .due_at
                        .with_timezone(&offset)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    DueWhat::Deadline { deadline } => deadline.due.format("%Y-%m-%d").to_string(),
                };
                ui.label(egui::RichText::new(at).monospace());
                ui.label(egui::RichText::new(item.when_text(ctx.now, ctx.lang)).color(color));
                if ui
                    .link(&item.case_title)
                    .on_hover_text(fill(ctx.t(T::DueOpenCase), &[&item.case.to_string()]))
                    .clicked()
                {
                    state.show_due = false;
                    out.push(Command::SelectCase(item.case));
                }
                ui.label(item.title(ctx.lang));
            });
        }
    });
}
