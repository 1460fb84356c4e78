//! The Packet tab: whom it is for, language, redaction, the deadline, what goes in, and Build
//! (with progress and Cancel); then where the packet is and its SHA-256.

use super::{Command, UiState, ViewCtx};
use crate::evidence::size_text;
use crate::gui::i18n::{Lang, Named, T, fill};
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
                let l = ui.label(ctx.t(T::PacketDeadline));
                ui.add(egui::TextEdit::singleline(&mut form.deadline).desired_width(140.0))
                    .labelled_by(l.id);
                super::calendar_button(ui, ctx, ctx.t(T::PacketDeadline), &mut form.deadline);
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
                // A retracted item goes in too, marked: the packet keeps the whole history.
                let retracted = if e.retracted.is_some() {
                    format!(" ({})", ctx.t(T::Retracted))
                } else {
                    String::new()
                };
                ui.label(
                    egui::RichText::new(format!(
                        "  {} · {}{retracted} · {} · {}",
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
            proof_ui(ui, ctx, d, out);
            ui.add_space(10.0);
            // A packet sent is a snapshot: say whether the last one still tells the whole case.
            match ctx.data.proof.last_packet {
                Some((at, 0)) => {
                    ui.label(
                        egui::RichText::new(fill(ctx.t(T::LastPacketCurrent), &[&ctx.time(at)]))
                            .small()
                            .color(ctx.palette.muted),
                    );
                }
                Some((at, changes)) => {
                    ui.label(
                        egui::RichText::new(fill(
                            ctx.t(T::LastPacketStale),
                            &[&ctx.time(at), &changes.to_string()],
                        ))
                        .color(ctx.palette.warning),
                    );
                }
                None => {}
            }
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
                    if ui.small_button(ctx.t(T::SavePacketAs)).clicked() {
                        out.push(Command::SavePacketAs(path.clone(), *sha));
                    }
                    if ui.small_button(ctx.t(T::OpenPacketsFolder)).clicked() {
                        out.push(Command::OpenPacketsFolder);
                    }
                });
            }
        });
}

/// When and who: the sender key, the case's timestamps (with "Timestamp now"), and the receipt
/// code of the record as it is now, to paste into a message to the company.
fn proof_ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, d: &CaseDetail, out: &mut Vec<Command>) {
    let p = &ctx.data.proof;
    ui.label(egui::RichText::new(ctx.t(T::ProofTitle)).strong());
    ui.horizontal_wrapped(|ui| {
        ui.label(fill(ctx.t(T::ProofKey), &[&p.fingerprint]));
        if ui.small_button(ctx.t(T::Copy)).clicked() {
            out.push(Command::CopyText(p.fingerprint.clone()));
        }
    });
    ui.label(
        egui::RichText::new(ctx.t(T::ProofKeyHint))
            .small()
            .color(ctx.palette.muted),
    );
    ui.add_space(4.0);
    if p.stamps.is_empty() {
        ui.label(egui::RichText::new(ctx.t(T::ProofStampsNone)).color(ctx.palette.muted));
    }
    let zone: chrono_tz::Tz = ctx.data.zone.parse().unwrap_or(chrono_tz::Asia::Seoul);
    for (seq, covers, result) in p.stamps.iter().rev().take(3) {
        let label = format!("TS{seq:03}");
        match result {
            Ok((at, tsa)) => ui.label(fill(
                ctx.t(T::ProofStampLine),
                &[
                    &label,
                    &covers.to_string(),
                    &crate::clock::show_in(*at, zone),
                    tsa,
                ],
            )),
            Err(why) => ui.label(
                egui::RichText::new(fill(ctx.t(T::ProofStampBad), &[&label, why]))
                    .color(ctx.palette.danger),
            ),
        };
    }
    ui.horizontal(|ui| {
        if ctx.stamping {
            ui.spinner();
            ui.label(ctx.t(T::ProofStampRunning));
        } else {
            let button = ui.add_enabled(
                p.tsa_url.is_some(),
                egui::Button::new(ctx.t(T::ProofStampNow)),
            );
            let button = button.on_disabled_hover_text(ctx.t(T::ProofStampNoTsa));
            if button.clicked() {
                out.push(Command::TimestampNow(d.case.id));
            }
        }
    });
    egui::CollapsingHeader::new(ctx.t(T::TsaSetting))
        .id_salt("tsa-settings")
        .default_open(p.tsa_url.is_none())
        .show(ui, |ui| {
            ui.set_max_width(520.0);
            super::tsa_settings_ui(ui, ctx, out);
        });
    if let Some((covers, code)) = &p.head {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(fill(ctx.t(T::ProofReceipt), &[code]));
            if ui.small_button(ctx.t(T::ProofReceiptCopy)).clicked() {
                out.push(Command::CopyText(fill(
                    ctx.t(T::ProofReceiptMessage),
                    &[code],
                )));
            }
        });
        ui.label(
            egui::RichText::new(ctx.t(T::ProofReceiptHint))
                .small()
                .color(ctx.palette.muted),
        );
        // The latest contact, where a code usually goes out.
        if let Some(c) = d.contacts.iter().rev().find(|c| c.retracted.is_none()) {
            let label = format!(
                "{} (#{} · {})",
                ctx.t(T::ProofReceiptRecord),
                c.id.0,
                c.fields.channel.name(ctx.lang)
            );
            if ui.small_button(label).clicked() {
                out.push(Command::RecordReceipt {
                    contact: c.id,
                    covers: *covers,
                    code: code.clone(),
                });
            }
        }
        if p.receipts > 0 {
            ui.label(
                egui::RichText::new(fill(ctx.t(T::ProofReceipts), &[&p.receipts.to_string()]))
                    .small()
                    .color(ctx.palette.muted),
            );
        }
    }
}
