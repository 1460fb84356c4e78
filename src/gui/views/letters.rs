//! The Letters tab: the letters and forms the case supports (to the complaints department, the
//! 1372 centre, the mediation committee, the card company, the written withdrawal, the 1372
//! online form's fields), written from the case's facts, to copy or save as a text file.

use super::{Command, UiState, ViewCtx};
use crate::gui::i18n::{Lang, Named, T};
use crate::letters::{self, Kind, Letter};
use crate::store::CaseDetail;

/// The tab's choices, and the letter rendered for them (once per change, not per frame).
#[derive(Debug, Clone)]
pub struct LettersForm {
    /// Which letter.
    pub kind: Kind,
    /// Its language (`None`: the app's).
    pub lang: Option<Lang>,
    cache: Option<(Key, Rendered)>,
}

impl Default for LettersForm {
    fn default() -> Self {
        LettersForm {
            kind: Kind::Complaints,
            lang: None,
            cache: None,
        }
    }
}

/// What a rendering depends on: the data's generation, the letter, its language, the day.
type Key = (u64, Kind, Lang, chrono::NaiveDate);

/// A letter, or why the case cannot have it.
#[derive(Debug, Clone)]
enum Rendered {
    Letter(Letter),
    Unavailable(String),
}

/// The file name a letter is saved under: the case number and the kind, e.g. `3-withdrawal.txt`.
pub fn file_name(case: i64, kind: Kind, lang: Lang) -> String {
    let lang = if lang == Lang::Ko { "ko" } else { "en" };
    format!("recourse-{case}-{}.{lang}.txt", kind.stem())
}

fn rendered(
    d: &CaseDetail,
    kind: Kind,
    now: chrono::DateTime<chrono::Utc>,
    lang: Lang,
) -> Rendered {
    if let Some(why) = letters::unavailable(d, kind, now, lang) {
        return Rendered::Unavailable(why);
    }
    match letters::render(d, kind, now, lang) {
        Ok(letter) => Rendered::Letter(letter),
        // The templates are ours and tested; a failure here is a bug, said in words.
        Err(e) => Rendered::Unavailable(format!("{e}")),
    }
}

pub fn ui(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    d: &CaseDetail,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let form = &mut state.letters_form;
    let lang = form.lang.unwrap_or(ctx.lang);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(egui::RichText::new(ctx.t(T::LetterKind)).strong());
        egui::ComboBox::from_id_salt("letter-kind")
            .selected_text(form.kind.name(ctx.lang))
            .width(360.0)
            .show_ui(ui, |ui| {
                for kind in Kind::ALL {
                    ui.selectable_value(&mut form.kind, kind, kind.name(ctx.lang));
                }
            })
            .response
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(ctx.t(T::LetterLanguage)).strong());
        for (l, name) in [(Lang::Ko, "한국어"), (Lang::En, "English")] {
            if ui.radio(lang == l, name).clicked() {
                form.lang = Some(l);
            }
        }
    });
    let lang = form.lang.unwrap_or(ctx.lang);
    let key: Key = (ctx.data.generation, form.kind, lang, ctx.now.date_naive());
    if form.cache.as_ref().map(|(k, _)| *k) != Some(key) {
        form.cache = Some((key, rendered(d, form.kind, ctx.now, lang)));
    }
    let Some((_, letter)) = &form.cache else {
        return;
    };
    ui.add_space(4.0);
    match letter {
        Rendered::Unavailable(why) => {
            ui.label(egui::RichText::new(why).color(ctx.palette.warning));
        }
        Rendered::Letter(letter) => {
            ui.horizontal(|ui| {
                if ui
                    .button(egui::RichText::new(ctx.t(T::LetterCopy)).strong())
                    .clicked()
                {
                    out.push(Command::CopyText(letter.text.clone()));
                }
                if ui.button(ctx.t(T::LetterSave)).clicked() {
                    out.push(Command::SaveText {
                        title: ctx.t(T::LetterSave).to_owned(),
                        file_name: file_name(d.case.id.0, form.kind, lang),
                        text: letter.text.clone(),
                    });
                }
            });
            if !letter.missing.is_empty() {
                ui.label(
                    egui::RichText::new(format!(
                        "{} {}",
                        ctx.t(T::LetterMissing),
                        letter.missing.join(", ")
                    ))
                    .color(ctx.palette.muted),
                );
            }
            ui.label(
                egui::RichText::new(ctx.t(T::LetterHint))
                    .small()
                    .color(ctx.palette.muted),
            );
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    // Read-only, but selectable: part of a letter can be copied too.
                    let mut text = letter.text.as_str();
                    ui.add(
                        egui::TextEdit::multiline(&mut text)
                            .desired_width(f32::INFINITY)
                            .desired_rows(20),
                    );
                });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_letter_is_named_by_case_kind_and_language() {
        assert_eq!(
            file_name(3, Kind::Withdrawal, Lang::Ko),
            "recourse-3-withdrawal.ko.txt"
        );
        assert_eq!(
            file_name(12, Kind::KcaForm, Lang::En),
            "recourse-12-kca-form.en.txt"
        );
    }
}
