//! The evidence tab: import buttons, the items (virtualised, with thumbnails for images), and
//! the selected item's details with its full SHA-256, copy and re-verify.

use super::{Command, UiState, ViewCtx};
use crate::clock::show_local;
use crate::evidence::size_text;
use crate::gui::i18n::{Named, T, fill};
use crate::gui::theme::{self, chip_ui};
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
    ui.horizontal(|ui| {
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
            .show(ui, |ui| detail_ui(ui, ctx, e, state, out));
    }
    list_ui(ui, ctx, d, state, out);
}

/// The items as a table: virtualised rows, fixed columns, a thumbnail for images.
fn list_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    use egui_extras::{Column, TableBuilder};
    let header = [
        T::Kind,
        T::Captured,
        T::Sha256,
        T::LinkedContact,
        T::FileName,
    ];
    TableBuilder::new(ui)
        .striped(true)
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(ROW))
        .column(Column::exact(56.0))
        .column(Column::initial(96.0).clip(true))
        .column(Column::initial(150.0).clip(true))
        .column(Column::initial(110.0).clip(true))
        .column(Column::exact(64.0))
        .column(Column::remainder().clip(true))
        .header(theme::ROW_HEIGHT, |mut row| {
            row.col(|_| {});
            row.col(|_| {});
            for key in header {
                row.col(|ui| {
                    ui.label(egui::RichText::new(ctx.t(key)).color(ctx.palette.muted));
                });
            }
        })
        .body(|body| {
            body.rows(ROW, d.evidence.len(), |mut row| {
                let e = &d.evidence[row.index()];
                row_ui(&mut row, ctx, e, state, out);
            });
        });
}

fn is_image(e: &Evidence) -> bool {
    e.fields.media_type.starts_with("image/")
}

fn thumbnail_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    edge: f32,
    out: &mut Vec<Command>,
) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(edge, edge), egui::Sense::hover());
    match ctx.data.thumbnails.get(&e.fields.sha256) {
        Some(Some(texture)) => {
            // Fit inside the square slot, keeping the aspect ratio, so columns stay aligned.
            let size = texture.size_vec2();
            let scale = (edge / size.x).min(edge / size.y);
            let fitted = egui::Rect::from_center_size(rect.center(), size * scale);
            egui::Image::new(texture).paint_at(ui, fitted);
        }
        Some(None) => {}
        None => {
            if is_image(e) {
                out.push(Command::Thumbnail(e.fields.sha256));
            }
            ui.painter().rect_filled(rect, 3.0, ctx.palette.chip_bg);
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
    row: &mut egui_extras::TableRow<'_, '_>,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let f = &e.fields;
    let selected = state.selected_evidence == Some(e.number);
    row.col(|ui| {
        if is_image(e) {
            thumbnail_ui(ui, ctx, e, ROW - 6.0, out);
        } else {
            ui.label(egui::RichText::new(kind_icon(f.kind)).size(20.0));
        }
    });
    row.col(|ui| {
        let label = egui::RichText::new(e.label()).monospace().strong();
        if ui.add(egui::Button::selectable(selected, label)).clicked() {
            state.selected_evidence = if selected { None } else { Some(e.number) };
        }
    });
    row.col(|ui| {
        ui.label(f.kind.name(ctx.lang));
    });
    row.col(|ui| {
        let when = f.captured_at.unwrap_or(e.imported_at);
        ui.label(egui::RichText::new(show_local(when)).color(ctx.palette.muted));
    });
    row.col(|ui| {
        ui.label(
            egui::RichText::new(f.sha256.short())
                .monospace()
                .color(ctx.palette.muted),
        );
    });
    row.col(|ui| {
        if let Some(c) = f.contact_id {
            ui.label(format!("#{c}"));
        }
    });
    row.col(|ui| {
        if e.retracted.is_some() {
            chip_ui(ui, ctx.t(T::Retracted), ctx.palette.muted);
        }
        ui.add(egui::Label::new(&f.original_name).truncate());
    });
}

fn detail_ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    e: &Evidence,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let f = &e.fields;
    ui.horizontal(|ui| {
        if is_image(e) {
            thumbnail_ui(ui, ctx, e, theme::THUMB_SIZE * 1.4, out);
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
                        fact(ui, T::Captured, show_local(at));
                    }
                    fact(ui, T::ImportedAt, show_local(e.imported_at));
                    if let Some(note) = &f.note {
                        fact(ui, T::Note, note.clone());
                    }
                });
            ui.label(egui::RichText::new(ctx.t(T::Sha256)).color(ctx.palette.muted));
            ui.add(egui::Label::new(egui::RichText::new(f.sha256.to_hex()).monospace()).wrap());
            ui.horizontal(|ui| {
                if ui.small_button(ctx.t(T::Copy)).clicked() {
                    out.push(Command::CopyText(f.sha256.to_hex()));
                }
                if ui.small_button(ctx.t(T::Reverify)).clicked() {
                    out.push(Command::Reverify(f.sha256));
                }
            });
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
                        _ => "missing".to_owned(),
                    };
                    ui.label(egui::RichText::new(text).color(ctx.palette.danger));
                }
                None => {}
            }
        });
    });
}
