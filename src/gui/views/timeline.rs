//! The timeline: every contact, promise event, evidence item and edit of a case in time order.
//! Rows are built once per change with their text already formatted, and drawn with
//! `show_rows`, so a frame costs the same for 10 rows or 10,000.

use chrono::{DateTime, Utc};

use super::ViewCtx;
use crate::clock::show_in;
use crate::gui::i18n::{Lang, Named, T, fill};
use crate::gui::theme;
use crate::model::PromiseStatus;
use crate::store::CaseDetail;

/// How a row is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Plain.
    Normal,
    /// Late or broken.
    Danger,
    /// Kept.
    Success,
    /// Secondary (edits, retracted records).
    Muted,
}

/// One line of the timeline, ready to draw.
#[derive(Debug, Clone)]
pub struct TimelineRow {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// `at` in local time, formatted.
    pub when: String,
    /// A symbol for the kind of event.
    pub icon: &'static str,
    /// What happened.
    pub text: String,
    /// Its colour.
    pub tone: Tone,
}

/// Builds the rows of a case, oldest first.
pub fn build(
    d: &CaseDetail,
    lang: Lang,
    now: DateTime<Utc>,
    zone: chrono_tz::Tz,
) -> Vec<TimelineRow> {
    let mut rows = Vec::with_capacity(d.contacts.len() + 2 * d.promises.len() + d.evidence.len());
    let mut push = |at: DateTime<Utc>, icon, text: String, tone| {
        rows.push(TimelineRow {
            at,
            when: String::new(),
            icon,
            text,
            tone,
        })
    };
    for c in &d.contacts {
        let f = &c.fields;
        let icon = match f.channel {
            crate::model::Channel::Phone => "📞",
            crate::model::Channel::Chat | crate::model::Channel::Sms => "💬",
            crate::model::Channel::Email => "✉",
            crate::model::Channel::App => "📱",
            crate::model::Channel::InPerson => "🏢",
        };
        let mut text = format!(
            "{} · {} · {}",
            f.channel.name(lang),
            f.tier.name(lang),
            f.summary
        );
        if let Some(agent) = &f.agent_name {
            text.push_str(&format!(" ({agent})"));
        }
        let tone = if c.retracted.is_some() {
            text.push_str(&format!(" — {}", T::Retracted.get(lang)));
            Tone::Muted
        } else {
            Tone::Normal
        };
        push(f.started_at, icon, text, tone);
    }
    for pv in &d.promises {
        let p = &pv.promise;
        // A promise is made in its contact, whenever it was typed in.
        let made = d
            .contacts
            .iter()
            .find(|c| c.id == p.fields.contact_id)
            .map_or(p.created_at, |c| c.fields.started_at);
        push(
            made,
            "⚑",
            fill(T::EvMade.get(lang), &[&p.fields.what]),
            Tone::Normal,
        );
        match p.ended_at {
            Some(ended) => push(
                ended,
                if p.status == PromiseStatus::Kept {
                    "✔"
                } else {
                    "✖"
                },
                fill(T::EvEnded.get(lang), &[p.status.name(lang), &p.fields.what]),
                match p.status {
                    PromiseStatus::Kept => Tone::Success,
                    PromiseStatus::Broken => Tone::Danger,
                    _ => Tone::Muted,
                },
            ),
            None => push(
                p.fields.due_at,
                "⏰",
                fill(T::EvDue.get(lang), &[&p.fields.what]),
                if p.fields.due_at < now {
                    Tone::Danger
                } else {
                    Tone::Normal
                },
            ),
        }
    }
    for e in &d.evidence {
        let tone = if e.retracted.is_some() {
            Tone::Muted
        } else {
            Tone::Normal
        };
        // A screenshot or photo is placed when it was taken, where that is known.
        push(
            e.fields.captured_at.unwrap_or(e.imported_at),
            "📎",
            fill(
                T::EvEvidence.get(lang),
                &[
                    &e.label(),
                    &format!("{} · {}", e.fields.kind.name(lang), e.fields.original_name),
                ],
            ),
            tone,
        );
    }
    for edit in &d.edits {
        let Some(at) = DateTime::parse_from_rfc3339(&edit.at).ok() else {
            continue;
        };
        let fields: Vec<String> = edit
            .changes
            .keys()
            .map(|f| crate::gui::i18n::field_label(f, lang))
            .collect();
        push(
            at.with_timezone(&Utc),
            "✏",
            fill(
                T::EvEdit.get(lang),
                &[
                    &if edit.record == "evidence" {
                        // Evidence goes by its number, as everywhere else: E001.
                        format!(
                            "{} {}",
                            crate::gui::i18n::record_label(&edit.record, lang),
                            crate::model::evidence_label(u32::try_from(edit.id).unwrap_or(0))
                        )
                    } else {
                        format!(
                            "{} #{}",
                            crate::gui::i18n::record_label(&edit.record, lang),
                            edit.id
                        )
                    },
                    &fields.join(", "),
                ],
            ),
            Tone::Muted,
        );
    }
    rows.sort_by_key(|r| r.at);
    for r in &mut rows {
        r.when = show_in(r.at, zone);
    }
    rows
}

/// Draws the timeline. Each row is one allocated rect with its text painted (a cached galley)
/// and its words given to AccessKit: per visible row that is one widget, whatever the case size.
pub fn ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>) {
    let rows = &ctx.data.timeline;
    let font = egui::TextStyle::Body.resolve(ui.style());
    let mono = egui::TextStyle::Monospace.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, theme::ROW_HEIGHT, rows.len(), |ui, range| {
            for row in &rows[range] {
                let color = match row.tone {
                    Tone::Normal => text_color,
                    Tone::Danger => ctx.palette.danger,
                    Tone::Success => ctx.palette.success,
                    Tone::Muted => ctx.palette.muted,
                };
                let (rect, response) = ui.allocate_exact_size(
                    egui::vec2(ui.available_width(), theme::ROW_HEIGHT),
                    egui::Sense::hover(),
                );
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Label,
                        true,
                        format!("{} {}", row.when, row.text),
                    )
                });
                if !ui.is_rect_visible(rect) {
                    continue;
                }
                let mut job = egui::text::LayoutJob::default();
                let fmt =
                    |font: &egui::FontId, color| egui::TextFormat::simple(font.clone(), color);
                job.append(&row.when, 0.0, fmt(&mono, ctx.palette.muted));
                job.append(row.icon, 8.0, fmt(&font, color));
                job.append(&row.text, 8.0, fmt(&font, color));
                job.wrap = egui::text::TextWrapping::truncate_at_width(rect.width());
                let galley = ui.painter().layout_job(job);
                let pos = egui::pos2(rect.left(), rect.center().y - galley.size().y / 2.0);
                ui.painter().galley(pos, galley, text_color);
            }
        });
}
