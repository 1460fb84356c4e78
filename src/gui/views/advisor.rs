//! The advisor panel: the next steps for the open case, most urgent first.

use super::{Command, ViewCtx, span_text};
use crate::advisor::Advice;
use crate::gui::i18n::{Lang, T, fill};

/// How many pieces of advice the panel lists; the rest are counted. Nobody acts on a list of a
/// thousand items, and drawing them would cost every frame.
pub const SHOWN: usize = 6;

/// One piece of advice, worded once per change (not per frame).
#[derive(Debug, Clone)]
pub struct AdviceLine {
    /// The words.
    pub text: String,
    /// Needs action now.
    pub is_urgent: bool,
}

/// Words the most urgent advice; returns the lines and how many more there are.
pub fn lines(advice: &[Advice], lang: Lang) -> (Vec<AdviceLine>, usize) {
    let shown = advice
        .iter()
        .take(SHOWN)
        .map(|a| AdviceLine {
            text: advice_text(lang, a),
            is_urgent: a.is_urgent(),
        })
        .collect();
    (shown, advice.len().saturating_sub(SHOWN))
}

/// The advice in `lang`.
pub fn advice_text(lang: Lang, advice: &Advice) -> String {
    let t = |key: T| key.get(lang);
    match advice {
        Advice::PromiseOverdue {
            what,
            by,
            late_minutes,
            ..
        } => fill(
            t(T::AdvisorOverdue),
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
            t(T::AdvisorDueSoon),
            &[
                &span_text(*left_minutes, lang),
                what,
                by.as_deref().unwrap_or("—"),
            ],
        ),
        Advice::PromiseLooksLikeStalling { promise, evasive } => fill(
            t(T::AdvisorStalling),
            &[&promise.to_string(), &evasive.to_string()],
        ),
        Advice::EscalateToSupervisorOrComplaints { contacts } => {
            let n = contacts.len().to_string();
            fill(t(T::AdvisorEscalate), &[&n, &n])
        }
    }
}

pub fn ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, _out: &mut [Command]) {
    ui.add_space(6.0);
    ui.heading(ctx.t(T::Advisor));
    ui.separator();
    if ctx.data.advice_lines.is_empty() {
        ui.label(egui::RichText::new(ctx.t(T::AdvisorNothing)).color(ctx.palette.muted));
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for line in &ctx.data.advice_lines {
            let color = if line.is_urgent {
                ctx.palette.danger
            } else {
                ctx.palette.warning
            };
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(egui::RichText::new(&line.text).color(color));
            });
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
}
