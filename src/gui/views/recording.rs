//! Recording: the bar shown in every view while a call is recorded, the announcement question
//! before a contact's first recording, the microphone and consent settings, and playback of a
//! recording with its bookmarks.

use super::{Command, RecordingView, UiState, ViewCtx, text_field_ui};
use crate::gui::i18n::{T, fill};
use crate::model::{Evidence, RecordingConsent, duration_text};

/// The recording bar: red dot, elapsed time, level, device, bookmark, stop.
pub fn bar_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    r: &RecordingView,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::B);
    let mut bookmark = ui.input_mut(|i| i.consume_shortcut(&shortcut));
    ui.horizontal(|ui| {
        let (dot, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
        ui.painter()
            .circle_filled(dot.center(), 6.0, ctx.palette.danger);
        ui.label(
            egui::RichText::new(ctx.t(T::Recording))
                .strong()
                .color(ctx.palette.danger),
        );
        let Some(status) = &r.status else {
            let waiting = if r.stopping {
                T::RecordingFiling
            } else {
                T::RecordingStarting
            };
            ui.label(egui::RichText::new(ctx.t(waiting)).color(ctx.palette.muted));
            return;
        };
        ui.label(
            egui::RichText::new(duration_text(status.elapsed.as_millis() as u64))
                .monospace()
                .size(16.0),
        );
        level_ui(ui, ctx, status.rms, status.peak);
        let title = ctx
            .data
            .cases
            .iter()
            .find(|c| c.id == r.case)
            .map(|c| c.title.as_str())
            .unwrap_or_default();
        ui.label(
            egui::RichText::new(fill(
                ctx.t(T::RecordingOf),
                &[&r.contact.to_string(), title],
            ))
            .color(ctx.palette.muted),
        );
        if let Some(d) = &r.device {
            ui.label(egui::RichText::new(format!("🎤 {d}")).color(ctx.palette.muted))
                .on_hover_text(ctx.t(T::Device));
        }
        if status.dropped_samples > 0 {
            ui.label(
                egui::RichText::new(fill(
                    ctx.t(T::Dropped),
                    &[&status.dropped_samples.to_string()],
                ))
                .color(ctx.palette.danger),
            );
        }
        if let Some(f) = &status.failure {
            ui.label(egui::RichText::new(f).color(ctx.palette.danger));
        }
        if r.stopping {
            ui.label(egui::RichText::new(ctx.t(T::RecordingFiling)).color(ctx.palette.muted));
            return;
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button(egui::RichText::new(ctx.t(T::StopRecording)).color(ctx.palette.danger))
                .clicked()
            {
                out.push(Command::StopRecording);
            }
            if ui
                .button(format!("🔖 {} ({})", ctx.t(T::Bookmark), r.bookmarks))
                .on_hover_text("Ctrl+B")
                .clicked()
            {
                bookmark = true;
            }
            ui.allocate_ui(egui::vec2(300.0, ui.available_height()), |ui| {
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    let field = text_field_ui(ui, ctx.t(T::BookmarkNote), &mut state.bookmark_note);
                    if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        bookmark = true;
                    }
                    if state.bookmark_note.is_empty() {
                        field.on_hover_text(ctx.t(T::BookmarkHint));
                    }
                });
            });
        });
    });
    if bookmark && r.status.is_some() && !r.stopping {
        let note = std::mem::take(&mut state.bookmark_note);
        out.push(Command::Bookmark(Some(note)));
    }
}

/// A small horizontal meter: RMS as the bar, peak as a tick.
fn level_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, rms: f32, peak: f32) {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(120.0, 10.0), egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::ProgressIndicator,
            true,
            format!("level {:.0}%", peak * 100.0),
        )
    });
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, ctx.palette.chip_bg);
    // A voice sits around -30..-10 dBFS: show RMS on a dB scale from -60 dB.
    let db = |v: f32| ((20.0 * v.max(1e-6).log10() + 60.0) / 60.0).clamp(0.0, 1.0);
    let fill_to = rect.left() + rect.width() * db(rms);
    let color = if peak > 0.97 {
        ctx.palette.danger
    } else {
        ctx.palette.success
    };
    painter.rect_filled(
        egui::Rect::from_min_max(rect.min, egui::pos2(fill_to, rect.max.y)),
        2.0,
        color,
    );
    let x = rect.left() + rect.width() * db(peak);
    painter.vline(x, rect.y_range(), egui::Stroke::new(2.0, color));
}

/// The question before a contact's first recording: was the agent told?
pub fn notice_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let Some((case, contact)) = state.record_notice else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("record-notice")).show(ui.ctx(), |ui| {
        ui.set_width(460.0);
        ui.heading(ctx.t(T::RecordTitle));
        ui.add_space(6.0);
        ui.label(ctx.t(T::RecordNotice));
        let all_party = ctx.consent == RecordingConsent::AllParty;
        if all_party {
            ui.label(
                egui::RichText::new(ctx.t(T::RecordNoticeAllParty)).color(ctx.palette.warning),
            );
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button(ctx.t(T::ToldThemRecord)).clicked() {
                out.push(Command::StartRecording {
                    case,
                    contact,
                    announced: true,
                });
            }
            if !all_party && ui.button(ctx.t(T::RecordWithoutTelling)).clicked() {
                out.push(Command::StartRecording {
                    case,
                    contact,
                    announced: false,
                });
            }
            if ui.button(ctx.t(T::Cancel)).clicked() {
                close = true;
            }
        });
    });
    if close {
        state.record_notice = None;
    }
}

/// Settings: the microphone and the recording-consent rule.
pub fn settings_menu_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, out: &mut Vec<Command>) {
    ui.label(egui::RichText::new(ctx.t(T::Microphone)).strong());
    if ui
        .radio(ctx.microphone.is_none(), ctx.t(T::DefaultMicrophone))
        .clicked()
    {
        out.push(Command::SetMicrophone(None));
    }
    match ctx.microphones {
        None => {
            ui.label(egui::RichText::new(ctx.t(T::ListingMicrophones)).color(ctx.palette.muted));
        }
        Some([]) => {
            ui.label(egui::RichText::new(ctx.t(T::NoMicrophones)).color(ctx.palette.danger));
        }
        Some(list) => {
            for d in list {
                let text = format!("{} — {}", d.name, d.description);
                if ui
                    .radio(ctx.microphone == Some(d.name.as_str()), text)
                    .clicked()
                {
                    out.push(Command::SetMicrophone(Some(d.name.clone())));
                }
            }
        }
    }
    if ui.button(ctx.t(T::RefreshMicrophones)).clicked() {
        out.push(Command::RefreshMicrophones);
    }
    ui.separator();
    ui.label(egui::RichText::new(ctx.t(T::ConsentRule)).strong());
    for (rule, key) in [
        (RecordingConsent::OneParty, T::ConsentOneParty),
        (RecordingConsent::AllParty, T::ConsentAllParty),
    ] {
        if ui.radio(ctx.consent == rule, ctx.t(key)).clicked() {
            out.push(Command::SetConsent(rule));
        }
    }
}

/// A recording's facts, its player (WAV) and its bookmarks as marks to jump to.
pub fn audio_detail_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, e: &Evidence, out: &mut Vec<Command>) {
    let Some(a) = &e.fields.audio else {
        return;
    };
    let sha = e.fields.sha256;
    let mut facts = Vec::new();
    if let Some(ms) = a.duration_ms {
        facts.push(duration_text(ms));
    }
    if let Some(r) = a.sample_rate {
        facts.push(format!("{r} Hz"));
    }
    if let Some(d) = &a.device {
        facts.push(format!("🎤 {d}"));
    }
    if !facts.is_empty() {
        ui.label(facts.join(" · "));
    }
    if a.recovered {
        ui.label(egui::RichText::new(ctx.t(T::RecoveredFlag)).color(ctx.palette.warning));
    }
    let wav = e.fields.media_type.contains("wav");
    let this = ctx.player.filter(|p| p.sha == sha);
    let duration = this
        .map(|p| p.duration_ms)
        .or(a.duration_ms)
        .unwrap_or(0)
        .max(1);
    if wav {
        ui.horizontal(|ui| {
            let playing = this.is_some_and(|p| p.playing);
            let label = if playing { T::Pause } else { T::Play };
            if ui.button(ctx.t(label)).clicked() {
                out.push(Command::Play(sha));
            }
            let position = this.map_or(0, |p| p.position_ms);
            ui.label(
                egui::RichText::new(format!(
                    "{} / {}",
                    duration_text(position),
                    duration_text(duration)
                ))
                .monospace(),
            );
            seek_bar_ui(ui, ctx, e, position, duration, this.is_some(), out);
        });
    }
    if !a.bookmarks.is_empty() {
        ui.label(egui::RichText::new(ctx.t(T::Bookmarks)).color(ctx.palette.muted));
        ui.horizontal_wrapped(|ui| {
            for b in &a.bookmarks {
                let text = match &b.note {
                    Some(n) => format!("🔖 {} {n}", duration_text(b.offset_ms)),
                    None => format!("🔖 {}", duration_text(b.offset_ms)),
                };
                if ui
                    .add_enabled(wav, egui::Button::new(text).small())
                    .clicked()
                {
                    if this.is_none() {
                        out.push(Command::Play(sha));
                    }
                    out.push(Command::Seek(sha, b.offset_ms));
                }
            }
        });
    }
}

/// The seek bar, with the bookmarks as ticks; a click moves there.
fn seek_bar_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    position: u64,
    duration: u64,
    open: bool,
    out: &mut Vec<Command>,
) {
    let width = ui.available_width().clamp(120.0, 520.0);
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, 16.0), egui::Sense::click_and_drag());
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, ctx.t(T::Position)));
    let bar = egui::Rect::from_center_size(rect.center(), egui::vec2(rect.width(), 4.0));
    let painter = ui.painter();
    painter.rect_filled(bar, 2.0, ctx.palette.chip_bg);
    let x_of = |ms: u64| bar.left() + bar.width() * (ms.min(duration) as f32 / duration as f32);
    painter.rect_filled(
        egui::Rect::from_min_max(bar.min, egui::pos2(x_of(position), bar.max.y)),
        2.0,
        ctx.palette.accent,
    );
    if let Some(a) = &e.fields.audio {
        for b in &a.bookmarks {
            painter.vline(
                x_of(b.offset_ms),
                rect.y_range(),
                egui::Stroke::new(2.0, ctx.palette.warning),
            );
        }
    }
    painter.circle_filled(
        egui::pos2(x_of(position), bar.center().y),
        6.0,
        ctx.palette.accent,
    );
    if (response.clicked() || response.dragged())
        && let Some(p) = response.interact_pointer_pos()
    {
        let f = ((p.x - bar.left()) / bar.width()).clamp(0.0, 1.0);
        let sha = e.fields.sha256;
        if !open {
            out.push(Command::Play(sha));
        }
        out.push(Command::Seek(sha, (f64::from(f) * duration as f64) as u64));
    }
}
