//! The Packet tab: whom it is for, language, redaction, the deadline, what goes in, and Build
//! (with progress and Cancel); then where the packet is and its SHA-256.

use super::{Command, UiState, ViewCtx, text_field_ui};
use crate::evidence::size_text;
use crate::gui::i18n::{Lang, T, fill};
use crate::model::{Code, Recipient};
use crate::store::CaseDetail;

/// The tab's choices.
#[derive(Debug, Clone, Default)]
pub struct PacketForm {
    /// Whom it is for.
    pub recipient: Recipient,
    /// Report language (`None`: the app's).
    pub lang: Option<Lang>,
    /// Leave out the claimant's phone, email and address.
    pub redact: bool,
    /// The deadline for the demand, YYYY-MM-DD.
    pub deadline: String,
    /// Why the last build was refused.
    pub error: Option<String>,
}

pub fn ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let form = &mut state.packet_form;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(egui::RichText::new(ctx.t(T::PacketIntro)).color(ctx.palette.muted));
            ui.add_space(8.0);
            ui.label(egui::RichText::new(ctx.t(T::PacketFor)).strong());
            for r in Recipient::ALL {
                ui.radio_value(&mut form.recipient, *r, r.name(ctx.lang));
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.label(egui::RichText::new(ctx.t(T::PacketLanguage)).strong());
                let current = form.lang.unwrap_or(ctx.lang);
                for (lang, name) in [(Lang::Ko, "한국어"), (Lang::En, "English")] {
                    if ui.radio(current == lang, name).clicked() {
                        form.lang = Some(lang);
                    }
                }
            });
            ui.checkbox(&mut form.redact, ctx.t(T::PacketRedact));
            ui.horizontal(|ui| {
                ui.set_max_width(420.0);
                text_field_ui(ui, ctx.t(T::PacketDeadline), &mut form.deadline);
            });
            ui.label(
                egui::RichText::new(fill(ctx.t(T::PacketZone), &[&ctx.data.zone]))
                    .small()
                    .color(ctx.palette.muted),
            );
            ui.add_space(8.0);
            // What goes in.
            let files = d.evidence.len();
            let bytes: u64 = d.evidence.iter().map(|e| e.fields.size_bytes).sum();
            ui.label(egui::RichText::new(ctx.t(T::PacketContents)).strong());
            ui.label(fill(
                ctx.t(T::PacketContentsLine),
                &[
                    &d.contacts.len().to_string(),
                    &d.promises.len().to_string(),
                    &files.to_string(),
                    &size_text(bytes),
                ],
            ));
            for e in d.evidence.iter().take(12) {
                ui.label(
                    egui::RichText::new(format!(
                        "  {} · {} · {} · {}",
                        e.label(),
                        e.fields.original_name,
                        size_text(e.fields.size_bytes),
                        e.fields.sha256.short()
                    ))
                    .small()
                    .color(ctx.palette.muted),
                );
            }
            if files > 12 {
                ui.label(
                    egui::RichText::new(format!("  … +{}", files - 12))
                        .small()
                        .color(ctx.palette.muted),
                );
            }
            ui.add_space(10.0);
            match ctx.packet_progress {
                Some(f) => {
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::ProgressBar::new(f)
                                .text(ctx.t(T::PacketBuilding))
                                .desired_width(300.0),
                        );
                        if ui.button(ctx.t(T::Cancel)).clicked() {
                            out.push(Command::CancelPacket);
                        }
                    });
                }
                None => {
                    if ui
                        .button(egui::RichText::new(ctx.t(T::PacketBuild)).strong())
                        .clicked()
                    {
                        out.push(Command::BuildPacket {
                            case: d.case.id,
                            bytes: bytes.max(1),
                        });
                    }
                }
            }
            if let Some(e) = &form.error {
                ui.label(egui::RichText::new(e).color(ctx.palette.danger));
            }
            if let Some((path, sha, size)) = ctx.last_packet {
                ui.add_space(10.0);
                ui.label(
                    egui::RichText::new(ctx.t(T::PacketBuilt))
                        .strong()
                        .color(ctx.palette.success),
                );
                ui.label(format!("{} ({})", path.display(), size_text(*size)));
                ui.label(egui::RichText::new(sha.to_hex()).monospace().small());
                ui.horizontal(|ui| {
                    if ui.small_button(ctx.t(T::CopyPath)).clicked() {
                        out.push(Command::CopyText(path.display().to_string()));
                    }
                    if ui.small_button(ctx.t(T::Copy)).clicked() {
                        out.push(Command::CopyText(sha.to_hex()));
                    }
                    if ui.small_button(ctx.t(T::OpenForReview)).clicked() {
                        out.push(Command::ReviewPacket(path.clone()));
                    }
                });
            }
        });
}
