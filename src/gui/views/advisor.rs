//! The advisor panel: the next steps for the open case, most urgent first.

use super::{Command, ViewCtx, span_text};
use crate::advisor::Advice;
use crate::gui::i18n::{T, fill};

/// The advice in the current language.
pub fn advice_text(ctx: &ViewCtx<'_>, advice: &Advice) -> String {
    let lang = ctx.lang;
    match advice {
        Advice::PromiseOverdue {
            what,
            by,
            late_minutes,
            ..
        } => fill(
            ctx.t(T::AdvisorOverdue),
            &[
                &span_text(*late_minutes, lang),
                what,
                by.as_deref().unwrap_or("—"),
            ],
        ),
        Advice::PromiseDueSoon {
            what,
            by,
            left_minutes,
            ..
        } => fill(
            ctx.t(T::AdvisorDueSoon),
            &[
                &span_text(*left_minutes, lang),
                what,
                by.as_deref().unwrap_or("—"),
            ],
        ),
        Advice::PromiseLooksLikeStalling { promise, evasive } => fill(
            ctx.t(T::AdvisorStalling),
            &[&promise.to_string(), &evasive.to_string()],
        ),
        Advice::EscalateToSupervisorOrComplaints { contacts } => {
            let n = contacts.len().to_string();
            fill(ctx.t(T::AdvisorEscalate), &[&n, &n])
        }
    }
}

pub fn ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, _out: &mut [Command]) {
    ui.add_space(6.0);
    ui.heading(ctx.t(T::Advisor));
    ui.separator();
    if ctx.data.advice.is_empty() {
        ui.label(egui::RichText::new(ctx.t(T::AdvisorNothing)).color(ctx.palette.muted));
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for advice in &ctx.data.advice {
            let color = if advice.is_urgent() {
                ctx.palette.danger
            } else {
                ctx.palette.warning
            };
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(egui::RichText::new(advice_text(ctx, advice)).color(color));
            });
        }
    });
}
