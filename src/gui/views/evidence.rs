//! The evidence tab: import buttons, the items (virtualised, with thumbnails for images), and
//! the selected item's details with its full SHA-256, copy and re-verify.

use super::{Command, UiState, ViewCtx};
use crate::evidence::size_text;
use crate::gui::i18n::{Named, T, fill};
use crate::gui::theme;
use crate::model::{Evidence, EvidenceKind};
use crate::store::CaseDetail;
use crate::vault::ObjectCheck;

const ROW: f32 = 40.0;

pub fn ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let case = d.case.id;
    ui.horizontal_wrapped(|ui| {
        let busy = ctx.import.is_some();
        if ui
            .add_enabled(!busy, egui::Button::new(ctx.t(T::ImportEvidence)))
            .on_hover_text("Ctrl+I")
            .clicked()
        {
            out.push(Command::PickFiles(case));
        }
        if ui
            .add_enabled(!busy, egui::Button::new(ctx.t(T::PasteImage)))
            .on_hover_text("Ctrl+V")
            .clicked()
        {
            out.push(Command::PasteImage(case));
        }
        capture_ui(ui, ctx, case, busy, state, out);
        ui.add_space(16.0);
        ui.selectable_value(&mut state.evidence_grid, false, ctx.t(T::EvidenceList));
        ui.selectable_value(&mut state.evidence_grid, true, ctx.t(T::EvidenceGrid));
    });
    if ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Paste(_))))
        && ui.memory(|m| m.focused().is_none())
    {
        out.push(Command::PasteImage(case));
    }
    if d.evidence.is_empty() {
        ui.add_space(theme::SECTION_GAP);
        ui.label(egui::RichText::new(ctx.t(T::NoEvidence)).color(ctx.palette.muted));
        return;
    }
    let selected = state
        .selected_evidence
        .and_then(|n| d.evidence.iter().find(|e| e.number == n));
    if let Some(e) = selected {
        egui::Panel::bottom("evidence-detail")
            .resizable(true)
            .default_size(240.0)
            .show(ui, |ui| detail_ui(ui, ctx, e, d, state, out));
        super::name_splitter(ui, "evidence-detail", ctx.t(T::ResizeEvidenceDetail));
    }
    if state.evidence_grid {
        grid_ui(ui, ctx, d, state, out);
    } else {
        list_ui(ui, ctx, d, state, out);
    }
    viewer_ui(ui, ctx, d, state, out);
}

/// "Capture screen" (or, while a delayed one counts down, "Cancel capture") and ▼ beside it
/// with what to take (the whole screen or the window in front) and how long to wait first.
fn capture_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    case: crate::model::CaseId,
    busy: bool,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    use crate::gui::jobs::Capture;
    let what = match state.capture_what {
        Capture::Screen => ctx.t(T::CaptureWhole),
        Capture::FrontWindow => ctx.t(T::CaptureFront),
    };
    let when = match state.capture_delay {
        0 => ctx.t(T::CaptureNow).to_owned(),
        s => fill(ctx.t(T::CaptureAfter), &[&s.to_string()]),
    };
    let label = if ctx.counting_down {
        ctx.t(T::CancelCapture)
    } else {
        ctx.t(T::CaptureScreen)
    };
    if ui
        .add_enabled(!busy, egui::Button::new(label))
        .on_hover_text(format!("{what} · {when}"))
        .clicked()
    {
        out.push(Command::CaptureScreen(case));
    }
    let name = ctx.t(T::CaptureOptions);
    let button = ui.small_button("▼").on_hover_text(name);
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    egui::Popup::from_toggle_button_response(&button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            ui.label(egui::RichText::new(name).strong());
            ui.radio_value(
                &mut state.capture_what,
                Capture::Screen,
                ctx.t(T::CaptureWhole),
            );
            let front = ui.radio_value(
                &mut state.capture_what,
                Capture::FrontWindow,
                ctx.t(T::CaptureFront),
            );
            // This window is in front when its button is clicked: the window to take needs a
            // moment to be brought forward.
            if front.clicked() && state.capture_delay == 0 {
                state.capture_delay = 3;
            }
            ui.separator();
            for s in [0u8, 3, 5, 10] {
                let text = match s {
                    0 => ctx.t(T::CaptureNow).to_owned(),
                    s => fill(ctx.t(T::CaptureAfter), &[&s.to_string()]),
                };
                let allowed = s != 0 || state.capture_what == Capture::Screen;
                ui.add_enabled_ui(allowed, |ui| {
                    ui.radio_value(&mut state.capture_delay, s, text);
                });
            }
        });
}

/// Whether the viewer can show an item (an image, or text).
fn viewable(e: &Evidence) -> bool {
    is_image(e) || crate::evidence::is_text(&e.fields.media_type)
}

/// The full-size viewer of `state.viewer`: an image fitted to the window or at its own size
/// (scrolled), or a text item's start as selectable text with the encoding it was read in.
/// ← and → step through the items it can show; Esc, a click beside it or Close shuts it.
fn viewer_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let Some(number) = state.viewer else {
        return;
    };
    let Some(index) = d.evidence.iter().position(|e| e.number == number) else {
        state.viewer = None;
        return;
    };
    let e = &d.evidence[index];
    let f = &e.fields;
    let text = crate::evidence::is_text(&f.media_type);
    let shown = match &ctx.data.preview {
        Some((sha, shown)) if *sha == f.sha256 => Some(shown),
        _ => None,
    };
    if shown.is_none() {
        out.push(Command::Preview {
            sha: f.sha256,
            text,
        });
    }
    let screen = ui.ctx().content_rect();
    let width = (screen.width() - 80.0).max(320.0);
    let body = (screen.height() - 150.0).max(200.0);
    let mut step: i32 = 0;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("evidence-viewer")).show(ui.ctx(), |ui| {
        ui.set_width(width);
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(e.label()).strong().monospace());
            ui.label(egui::RichText::new(&f.original_name).strong());
            match shown {
                Some(super::Shown::Image(_, [w, h])) => {
                    ui.label(
                        egui::RichText::new(fill(
                            ctx.t(T::ImagePixels),
                            &[&w.to_string(), &h.to_string()],
                        ))
                        .color(ctx.palette.muted),
                    );
                }
                Some(super::Shown::Text(p)) => {
                    let mut said = fill(ctx.t(T::TextReadAs), &[p.encoding]);
                    if p.cut {
                        said = format!("{said} · {}", ctx.t(T::TextCut));
                    }
                    ui.label(egui::RichText::new(said).color(ctx.palette.muted));
                }
                _ => {}
            }
        });
        ui.horizontal_wrapped(|ui| {
            if ui.button(ctx.t(T::ViewerPrevious)).clicked() {
                step = -1;
            }
            if ui.button(ctx.t(T::ViewerNext)).clicked() {
                step = 1;
            }
            if matches!(shown, Some(super::Shown::Image(..))) {
                ui.selectable_value(&mut state.viewer_actual_size, false, ctx.t(T::FitWindow));
                ui.selectable_value(&mut state.viewer_actual_size, true, ctx.t(T::ActualSize));
            }
            if ui.button(ctx.t(T::OpenWithSystem)).clicked() {
                out.push(Command::OpenEvidence {
                    sha: f.sha256,
                    name: f.original_name.clone(),
                });
            }
            if ui.button(ctx.t(T::Close)).on_hover_text("Esc").clicked() {
                close = true;
            }
            ui.label(
                egui::RichText::new(ctx.t(T::ViewerKeys))
                    .small()
                    .color(ctx.palette.muted),
            );
        });
        ui.separator();
        match shown {
            None => {
                ui.allocate_ui(egui::vec2(width, body), |ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(ctx.t(T::Loading));
                    });
                    ui.allocate_space(ui.available_size());
                });
            }
            Some(super::Shown::Image(texture, [w, h])) => {
                let ppp = ui.ctx().pixels_per_point();
                // Its own size: one image pixel to one screen pixel.
                let own = egui::vec2(*w as f32, *h as f32) / ppp;
                if state.viewer_actual_size {
                    egui::ScrollArea::both()
                        .id_salt(("viewer-scroll", number))
                        .auto_shrink(false)
                        .max_height(body)
                        .show(ui, |ui| {
                            ui.add(egui::Image::new(texture).fit_to_exact_size(own));
                        });
                } else {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(width, body), egui::Sense::hover());
                    // Fitted, but never blown up past its own size.
                    let scale = (rect.width() / own.x).min(rect.height() / own.y).min(1.0);
                    let fitted = egui::Rect::from_center_size(rect.center(), own * scale);
                    egui::Image::new(texture).paint_at(ui, fitted);
                }
            }
            Some(super::Shown::Text(p)) => {
                // Line by line, only the lines in view laid out and drawn: a chat export of
                // a megabyte scrolls as lightly as one of ten lines. Each line selectable.
                let lines: Vec<&str> = p.text.lines().collect();
                let row = ui.text_style_height(&egui::TextStyle::Monospace);
                egui::ScrollArea::both()
                    .id_salt(("viewer-text", number))
                    .auto_shrink(false)
                    .max_height(body)
                    .show_rows(ui, row, lines.len(), |ui, shown| {
                        for line in &lines[shown] {
                            ui.add(
                                egui::Label::new(egui::RichText::new(*line).monospace())
                                    .extend()
                                    .selectable(true),
                            );
                        }
                    });
            }
            Some(super::Shown::Nothing) => {
                ui.allocate_ui(egui::vec2(width, body), |ui| {
                    ui.label(egui::RichText::new(ctx.t(T::NoPreview)).color(ctx.palette.muted));
                    ui.allocate_space(ui.available_size());
                });
            }
        }
    });
    // Arrows step unless a text field takes them (the text preview's own caret).
    let typing = ui.ctx().egui_wants_keyboard_input();
    ui.input(|i| {
        if !typing && i.key_pressed(egui::Key::ArrowRight) {
            step = 1;
        }
        if !typing && i.key_pressed(egui::Key::ArrowLeft) {
            step = -1;
        }
    });
    if close || modal.should_close() {
        state.viewer = None;
        return;
    }
    if step != 0 {
        let shown: Vec<u32> = d
            .evidence
            .iter()
            .filter(|e| viewable(e))
            .map(|e| e.number)
            .collect();
        if let Some(at) = shown.iter().position(|n| *n == number) {
            let next = (at as i64 + i64::from(step)).rem_euclid(shown.len() as i64) as usize;
            state.viewer = Some(shown[next]);
            state.selected_evidence = Some(shown[next]);
        }
    }
}

/// A grid tile: the thumbnail (or the kind's icon) with the number and name under it.
const TILE: egui::Vec2 = egui::vec2(136.0, 150.0);

/// The items as a grid of thumbnails, virtualised by rows of tiles.
fn grid_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let per_row = ((ui.available_width() / TILE.x).floor() as usize).max(1);
    let rows = d.evidence.len().div_ceil(per_row);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, TILE.y, rows, |ui, range| {
            for row in range {
                let start = row * per_row;
                let end = (start + per_row).min(d.evidence.len());
                ui.horizontal(|ui| {
                    ui.spacing_mut().item_spacing.x = 0.0;
                    for e in &d.evidence[start..end] {
                        tile_ui(ui, ctx, e, state, out);
                    }
                });
            }
        });
}

fn tile_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let Some(rect) = selectable_item(ui, e, TILE, 4.0, state, ctx.t(T::Retracted)) else {
        return;
    };
    let visuals = ui.visuals();
    let inner = rect.shrink(4.0);
    let slot = egui::Rect::from_min_size(
        inner.left_top() + egui::vec2(4.0, 4.0),
        egui::vec2(inner.width() - 8.0, inner.width() - 8.0),
    );
    if is_image(e) {
        thumbnail_at(ui, ctx, e, slot, out);
    } else {
        ui.painter().rect_filled(slot, 3.0, ctx.palette.chip_bg);
        ui.painter().text(
            slot.center(),
            egui::Align2::CENTER_CENTER,
            kind_icon(e.fields.kind),
            egui::FontId::proportional(36.0),
            ctx.palette.muted,
        );
    }
    let font = egui::TextStyle::Small.resolve(ui.style());
    let caption = format!("{} {}", e.label(), e.fields.original_name);
    let painter = ui.painter().with_clip_rect(inner.intersect(ui.clip_rect()));
    painter.text(
        egui::pos2(inner.left() + 4.0, inner.bottom() - 4.0),
        egui::Align2::LEFT_BOTTOM,
        caption,
        font,
        if e.retracted.is_some() {
            ctx.palette.muted
        } else {
            visuals.text_color()
        },
    );
}

/// Below this width the list leaves out the SHA-256 and contact columns (the details show
/// them), so the file name keeps its place.
const NARROW: f32 = 720.0;

/// Which of the six columns show in a list `width` wide: all, or label, kind, time and name.
fn shown_columns(width: f32) -> &'static [usize] {
    if width < NARROW {
        &[0, 1, 2, 5]
    } else {
        &[0, 1, 2, 3, 4, 5]
    }
}

/// Where shown column `i` starts, from the row's left edge.
fn column_x(width: f32, i: usize) -> f32 {
    let shown = shown_columns(width);
    let at = shown.iter().position(|c| *c == i).unwrap_or(0);
    COLUMNS[at]
}

/// Column offsets of the list, from the row's left edge.
const COLUMNS: [f32; 6] = [
    ROW + 8.0,
    ROW + 70.0,
    ROW + 170.0,
    ROW + 330.0,
    ROW + 450.0,
    ROW + 520.0,
];

/// The items, virtualised: each row is one clickable rect with its columns painted and its
/// label ("E001 …") given to AccessKit, so a frame costs the same for 10 items or 10,000.
fn list_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let (header, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), theme::ROW_HEIGHT),
        egui::Sense::hover(),
    );
    let width = header.width();
    for (i, key) in [
        (1, T::Kind),
        (2, T::Captured),
        (3, T::Sha256),
        (4, T::LinkedContact),
        (5, T::FileName),
    ] {
        if !shown_columns(width).contains(&i) {
            continue;
        }
        ui.painter().text(
            egui::pos2(header.left() + column_x(width, i), header.center().y),
            egui::Align2::LEFT_CENTER,
            ctx.t(key),
            font.clone(),
            ctx.palette.muted,
        );
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, ROW, d.evidence.len(), |ui, range| {
            for e in &d.evidence[range] {
                row_ui(ui, ctx, e, &font, state, out);
            }
        });
}

fn is_image(e: &Evidence) -> bool {
    e.fields.media_type.starts_with("image/")
}

/// One evidence item as a selectable rect (row or tile): named for AccessKit, click toggles
/// the selection, selection and hover painted `inset` inside it. `None` when off screen.
fn selectable_item(
    ui: &mut egui::Ui,
    e: &Evidence,
    size: egui::Vec2,
    inset: f32,
    state: &mut UiState,
    retracted_word: &str,
) -> Option<egui::Rect> {
    let selected = state.selected_evidence == Some(e.number);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    // A retracted item says so to a screen reader too, not only by its strike-through.
    let name = match (&e.retracted, retracted_word) {
        (Some(_), word) => format!("{} ({word})", e.label()),
        (None, _) => e.label(),
    };
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::ListBoxOption, true, selected, &name)
    });
    // A double click opens the viewer (its first click already selected the item).
    if response.double_clicked() && viewable(e) {
        state.selected_evidence = Some(e.number);
        state.viewer = Some(e.number);
    } else if response.clicked() {
        state.selected_evidence = if selected { None } else { Some(e.number) };
    }
    if !ui.is_rect_visible(rect) {
        return None;
    }
    let visuals = ui.visuals();
    let fill = if selected {
        Some(visuals.selection.bg_fill)
    } else if response.hovered() {
        Some(visuals.widgets.hovered.weak_bg_fill)
    } else {
        None
    };
    if let Some(fill) = fill {
        ui.painter()
            .rect_filled(rect.shrink(inset), 3.0 + inset / 4.0, fill);
    }
    Some(rect)
}

/// Paints a thumbnail into `slot` (or a placeholder while it is made).
fn thumbnail_at(
    ui: &egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    slot: egui::Rect,
    out: &mut Vec<Command>,
) {
    match ctx.data.thumbnails.get(&e.fields.sha256) {
        Some(Some(texture)) => {
            let size = texture.size_vec2();
            let scale = (slot.width() / size.x).min(slot.height() / size.y);
            let fitted = egui::Rect::from_center_size(slot.center(), size * scale);
            egui::Image::new(texture).paint_at(ui, fitted);
        }
        Some(None) => {}
        None => {
            out.push(Command::Thumbnail(e.fields.sha256));
            ui.painter().rect_filled(slot, 3.0, ctx.palette.chip_bg);
        }
    }
}

fn kind_icon(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Screenshot => "🖵",
        EvidenceKind::Photo => "📷",
        EvidenceKind::Recording => "🎤",
        EvidenceKind::Document => "📄",
        EvidenceKind::Email => "✉",
        EvidenceKind::Chat => "💬",
        EvidenceKind::Other => "📦",
    }
}

fn row_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    font: &egui::FontId,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let f = &e.fields;
    let size = egui::vec2(ui.available_width(), ROW);
    let Some(rect) = selectable_item(ui, e, size, 0.0, state, ctx.t(T::Retracted)) else {
        return;
    };
    let visuals = ui.visuals();
    let slot = egui::Rect::from_min_size(
        rect.left_top() + egui::vec2(2.0, 3.0),
        egui::vec2(ROW - 6.0, ROW - 6.0),
    );
    if is_image(e) {
        thumbnail_at(ui, ctx, e, slot, out);
    } else {
        ui.painter().text(
            slot.center(),
            egui::Align2::CENTER_CENTER,
            kind_icon(f.kind),
            egui::FontId::proportional(20.0),
            ctx.palette.muted,
        );
    }
    let text = visuals.text_color();
    // When it was taken; "—" when that is not known (the import time is in the details).
    let when = f
        .captured_at
        .map_or_else(|| "—".to_owned(), |at| ctx.time(at));
    let contact = f.contact_id.map(|c| format!("#{c}")).unwrap_or_default();
    let name = if e.retracted.is_some() {
        format!("{} ({})", f.original_name, ctx.t(T::Retracted))
    } else {
        f.original_name.clone()
    };
    let kind = match f.audio.as_ref().and_then(|a| a.duration_ms) {
        Some(ms) => format!(
            "{} · {}",
            f.kind.name(ctx.lang),
            crate::model::duration_text(ms)
        ),
        None => f.kind.name(ctx.lang).to_owned(),
    };
    let cells: [(&str, egui::FontId, egui::Color32); 6] = [
        (&e.label(), egui::FontId::monospace(font.size), text),
        (&kind, font.clone(), text),
        (&when, font.clone(), ctx.palette.muted),
        (
            &f.sha256.short(),
            egui::FontId::monospace(font.size),
            ctx.palette.muted,
        ),
        (&contact, font.clone(), text),
        (&name, font.clone(), text),
    ];
    let painter = ui.painter().with_clip_rect(rect.intersect(ui.clip_rect()));
    for (i, (value, font, color)) in cells.into_iter().enumerate() {
        if !shown_columns(rect.width()).contains(&i) {
            continue;
        }
        let at = painter.text(
            egui::pos2(rect.left() + column_x(rect.width(), i), rect.center().y),
            egui::Align2::LEFT_CENTER,
            value,
            font,
            color,
        );
        // A retracted item's name is struck through, as on paper: still there, still legible.
        if i == 5 && e.retracted.is_some() {
            painter.hline(
                at.x_range(),
                at.center().y,
                egui::Stroke::new(1.0, ctx.palette.muted),
            );
        }
    }
}

/// The item's retraction, or the button and form that record one.
/// «고치기…»: which contact the item belongs to, its kind and its note, changed through the
/// ledger (the file and its hash never change). Not offered for a retracted item.
fn edit_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if e.retracted.is_some() {
        return;
    }
    let open = state
        .evidence_edit
        .as_ref()
        .is_some_and(|f| f.number == e.number);
    if !open {
        if state.retract_form.is_none() && ui.small_button(ctx.t(T::EditEvidence)).clicked() {
            let note = e.fields.note.clone().unwrap_or_default();
            state.evidence_edit = Some(super::EvidenceEditForm {
                number: e.number,
                contact: e.fields.contact_id,
                kind: e.fields.kind,
                note: note.clone(),
                opened: (e.fields.contact_id, e.fields.kind, note),
                error: None,
            });
        }
        return;
    }
    let Some(form) = state.evidence_edit.as_mut() else {
        return;
    };
    let contact_name = |id: crate::model::ContactId| {
        d.contacts
            .iter()
            .find(|c| c.id == id)
            .map(|c| {
                format!(
                    "#{} {} · {}",
                    c.id,
                    ctx.time(c.fields.started_at),
                    c.fields.channel.name(ctx.lang)
                )
            })
            .unwrap_or_else(|| format!("#{id}"))
    };
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.add(
            egui::Label::new(
                egui::RichText::new(ctx.t(T::EditEvidenceHint))
                    .small()
                    .color(ctx.palette.muted),
            )
            .wrap(),
        );
        egui::Grid::new("evidence-edit")
            .num_columns(2)
            .show(ui, |ui| {
                let l = ui.label(ctx.t(T::EvidenceContact));
                let shown = form
                    .contact
                    .map_or_else(|| ctx.t(T::NoContact).to_owned(), contact_name);
                egui::ComboBox::from_id_salt("evidence-edit-contact")
                    .selected_text(shown)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut form.contact, None, ctx.t(T::NoContact));
                        // Retracted contacts are not offered (the store refuses them).
                        for c in d.contacts.iter().filter(|c| c.retracted.is_none()) {
                            ui.selectable_value(&mut form.contact, Some(c.id), contact_name(c.id));
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                super::choice_ui(ui, ctx.t(T::Kind), &mut form.kind, ctx.lang);
                ui.end_row();
                super::text_field_ui(ui, ctx.t(T::Note), &mut form.note);
                ui.end_row();
            });
        if let Some(error) = &form.error {
            ui.label(egui::RichText::new(error).color(ctx.palette.danger));
        }
        ui.horizontal(|ui| {
            if ui.button(ctx.t(T::Save)).clicked() {
                // Only what was changed here: another window's change to the rest stays.
                let (contact, kind, note) = &form.opened;
                out.push(Command::EditEvidence {
                    case: e.case_id,
                    number: e.number,
                    edit: crate::model::EvidenceEdit {
                        contact_id: (form.contact != *contact).then_some(form.contact),
                        kind: (form.kind != *kind).then_some(form.kind),
                        note: (form.note.trim() != note.trim()).then(|| Some(form.note.clone())),
                    },
                });
            }
            if ui.button(ctx.t(T::Cancel)).clicked() {
                close = true;
            }
        });
    });
    if close {
        state.evidence_edit = None;
    }
}

fn retract_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if let Some(r) = &e.retracted {
        ui.label(
            egui::RichText::new(fill(ctx.t(T::RetractedOn), &[&ctx.time(r.at), &r.reason]))
                .color(ctx.palette.warning),
        );
        return;
    }
    let open = state
        .retract_form
        .as_ref()
        .is_some_and(|f| f.number == e.number);
    // One thing at a time: no retraction offered while the item is being changed.
    if state.evidence_edit.is_some() {
        return;
    }
    if !open {
        if ui.small_button(ctx.t(T::RetractEvidence)).clicked() {
            state.retract_form = Some(super::RetractForm {
                number: e.number,
                ..Default::default()
            });
        }
        return;
    }
    let Some(form) = state.retract_form.as_mut() else {
        return;
    };
    match super::retract_box_ui(ui, ctx, ctx.t(T::RetractEvidenceHint), form) {
        super::Retract::Confirm => out.push(Command::RetractEvidence {
            case: e.case_id,
            number: e.number,
            reason: form.reason.clone(),
        }),
        super::Retract::Keep => state.retract_form = None,
        super::Retract::Waiting => {}
    }
}

fn detail_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let f = &e.fields;
    ui.horizontal(|ui| {
        if is_image(e) {
            let edge = theme::THUMB_SIZE * 1.4;
            let (rect, thumb) =
                ui.allocate_exact_size(egui::vec2(edge, edge), egui::Sense::click());
            thumbnail_at(ui, ctx, e, rect, out);
            let name = format!("{} {}", e.label(), ctx.t(T::ViewLarge));
            thumb.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            if thumb.on_hover_text(&name).clicked() {
                state.viewer = Some(e.number);
            }
        }
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                ui.label(egui::RichText::new(e.label()).strong().monospace());
                ui.label(egui::RichText::new(&f.original_name).strong());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                    if ui.small_button(ctx.t(T::Close)).clicked() {
                        state.selected_evidence = None;
                    }
                });
            });
            egui::Grid::new("evidence-facts")
                .num_columns(2)
                .show(ui, |ui| {
                    let fact = |ui: &mut egui::Ui, key: T, value: String| {
                        ui.label(egui::RichText::new(ctx.t(key)).color(ctx.palette.muted));
                        ui.label(value);
                        ui.end_row();
                    };
                    fact(
                        ui,
                        T::Kind,
                        format!("{} · {}", f.kind.name(ctx.lang), f.media_type),
                    );
                    fact(ui, T::Size, size_text(f.size_bytes));
                    if let Some(at) = f.captured_at {
                        fact(ui, T::Captured, ctx.time(at));
                    }
                    fact(ui, T::ImportedAt, ctx.time(e.imported_at));
                    fact(ui, T::Source, f.source.name(ctx.lang).to_owned());
                    if let Some(note) = &f.note {
                        fact(ui, T::Note, note.clone());
                    }
                });
            // What a pasted image's hash proves, before anyone takes it for the original's.
            if f.source == crate::model::EvidenceSource::Clipboard {
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(ctx.t(T::PastedNote))
                            .small()
                            .color(ctx.palette.warning),
                    )
                    .wrap(),
                );
            }
            ui.label(egui::RichText::new(ctx.t(T::Sha256)).color(ctx.palette.muted));
            ui.add(egui::Label::new(egui::RichText::new(f.sha256.to_hex()).monospace()).wrap());
            ui.horizontal(|ui| {
                if ui.small_button(ctx.t(T::Copy)).clicked() {
                    out.push(Command::CopyText(f.sha256.to_hex()));
                }
                if ui.small_button(ctx.t(T::Reverify)).clicked() {
                    out.push(Command::Reverify(f.sha256));
                }
                if viewable(e) && ui.small_button(ctx.t(T::ViewLarge)).clicked() {
                    state.viewer = Some(e.number);
                }
                if ui.small_button(ctx.t(T::OpenWithSystem)).clicked() {
                    out.push(Command::OpenEvidence {
                        sha: f.sha256,
                        name: f.original_name.clone(),
                    });
                }
            });
            // Changed after it came in: when, and what it was (on hover).
            let last_edit = d
                .edits
                .iter()
                .filter(|x| x.record == "evidence" && x.id == i64::from(e.number))
                .filter_map(|x| crate::clock::parse_instant(&x.at).ok())
                .next_back();
            super::case_view::edited_ui(ui, ctx, d, "evidence", i64::from(e.number), last_edit);
            edit_ui(ui, ctx, e, d, state, out);
            retract_ui(ui, ctx, e, state, out);
            super::recording::audio_detail_ui(ui, ctx, e, out);
            match ctx.data.checks.get(&f.sha256) {
                Some(Ok(ObjectCheck::Intact)) => {
                    ui.label(egui::RichText::new(ctx.t(T::Verified)).color(ctx.palette.success));
                }
                Some(Ok(ObjectCheck::Altered { actual })) => {
                    ui.label(
                        egui::RichText::new(fill(ctx.t(T::Mismatch), &[&actual.to_hex()]))
                            .color(ctx.palette.danger),
                    );
                }
                Some(Ok(ObjectCheck::Missing)) | Some(Err(_)) => {
                    let text = match ctx.data.checks.get(&f.sha256) {
                        Some(Err(e)) => e.clone(),
                        _ => ctx.t(T::ObjectMissing).to_owned(),
                    };
                    ui.label(egui::RichText::new(text).color(ctx.palette.danger));
                }
                None => {}
            }
        });
    });
}
