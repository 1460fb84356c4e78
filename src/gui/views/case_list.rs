//! The left panel: search, status filter, the cases (virtualised), and "New case".

use super::forms::CaseForm;
use super::{Command, UiState, ViewCtx};
use crate::gui::i18n::{Named, T, fill};
use crate::gui::theme::{self, chip_ui};
use crate::model::{CaseStatus, Code};

/// The indices of the cases the search and filter let through, recomputed only when the data,
/// the search text or the filter change.
#[derive(Default)]
pub struct Filtered {
    key: Option<(u64, String, Option<CaseStatus>)>,
    rows: Vec<usize>,
}

/// Whether a case matches the search text (lower-cased): its title, company, product or order
/// number; an order number also when typed without its dashes or spaces ("20261102-0048213"
/// is found by "202611020048213").
fn matches_search(c: &crate::store::CaseSummary, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let digits = |s: &str| -> String { s.chars().filter(char::is_ascii_alphanumeric).collect() };
    [Some(&c.title), Some(&c.company), c.product.as_ref()]
        .into_iter()
        .flatten()
        .any(|t| t.to_lowercase().contains(needle))
        || c.order_number.as_ref().is_some_and(|o| {
            let o = o.to_lowercase();
            o.contains(needle)
                || (!digits(needle).is_empty() && digits(&o).contains(&digits(needle)))
        })
}

pub fn ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    ui.add_space(6.0);
    if ui
        .add_sized(
            [ui.available_width(), 28.0],
            egui::Button::new(format!("＋ {}", ctx.t(T::NewCase))),
        )
        .on_hover_text("Ctrl+N")
        .clicked()
    {
        state.case_form = Some(CaseForm::default());
    }
    ui.add_space(4.0);
    let pressing = super::due::pressing(ctx);
    let mut due_text = egui::RichText::new(fill(ctx.t(T::DueButton), &[&pressing.to_string()]));
    if pressing > 0 {
        due_text = due_text.color(ctx.palette.danger).strong();
    }
    if ui
        .add_sized(
            [ui.available_width(), 24.0],
            egui::Button::selectable(state.show_due, due_text),
        )
        .clicked()
    {
        state.show_due = !state.show_due;
    }
    ui.add_space(6.0);
    let label = ui.label(ctx.t(T::Search));
    ui.add(
        egui::TextEdit::singleline(&mut state.search)
            .hint_text(ctx.t(T::SearchHint))
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    let label = ui.label(ctx.t(T::Status));
    egui::ComboBox::from_id_salt("status-filter")
        .selected_text(
            state
                .status_filter
                .map_or(ctx.t(T::AllStatuses), |s| s.name(ctx.lang)),
        )
        .width(ui.available_width())
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut state.status_filter, None, ctx.t(T::AllStatuses));
            for s in CaseStatus::ALL {
                ui.selectable_value(&mut state.status_filter, Some(*s), s.name(ctx.lang));
            }
        })
        .response
        .labelled_by(label.id);
    ui.separator();

    let key = (
        ctx.data.generation,
        state.search.clone(),
        state.status_filter,
    );
    if state.list_cache.key.as_ref() != Some(&key) {
        let needle = state.search.trim().to_lowercase();
        state.list_cache.rows = ctx
            .data
            .cases
            .iter()
            .enumerate()
            .filter(|(_, c)| state.status_filter.is_none_or(|s| c.status == s))
            .filter(|(_, c)| matches_search(c, &needle))
            .map(|(i, _)| i)
            .collect();
        state.list_cache.key = Some(key);
    }
    let rows = &state.list_cache.rows;
    let row_height = 2.0 * theme::ROW_HEIGHT + 6.0;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for &i in &rows[range] {
                let c = &ctx.data.cases[i];
                let selected = ctx.selected_case == Some(c.id);
                ui.scope(|ui| {
                    ui.set_min_height(row_height - 4.0);
                    let title = egui::RichText::new(&c.title).strong();
                    let button = egui::Button::selectable(selected, title)
                        .truncate()
                        .min_size(egui::vec2(ui.available_width(), theme::ROW_HEIGHT));
                    // A long title is cut with "…" and shown whole in the tooltip.
                    if ui.add(button).on_hover_text(&c.title).clicked() {
                        out.push(Command::SelectCase(c.id));
                    }
                    ui.horizontal(|ui| {
                        chip_ui(
                            ui,
                            c.status.name(ctx.lang),
                            ctx.palette.case_status(c.status),
                        );
                        if c.overdue_promises > 0 {
                            chip_ui(
                                ui,
                                &fill(ctx.t(T::OverdueBadge), &[&c.overdue_promises.to_string()]),
                                ctx.palette.danger,
                            );
                        }
                        // Truncated, so a long company name never widens the list for good.
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(&c.company).color(ctx.palette.muted),
                            )
                            .truncate(),
                        )
                        .on_hover_text(&c.company);
                    });
                });
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(title: &str, order: Option<&str>) -> crate::store::CaseSummary {
        crate::store::CaseSummary {
            id: crate::model::CaseId(1),
            title: title.into(),
            company: "하늘쇼핑".into(),
            status: CaseStatus::Open,
            category: crate::model::Category::Refund,
            contacts: 0,
            pending_promises: 0,
            overdue_promises: 0,
            evidence: 0,
            created_at: chrono::DateTime::UNIX_EPOCH,
            order_number: order.map(str::to_owned),
            product: Some("무선청소기 ZX-9".into()),
        }
    }

    #[test]
    fn the_search_finds_order_numbers_products_and_titles() {
        let c = case("배송 지연", Some("20261102-0048213"));
        for hit in [
            "",
            "배송",
            "하늘",
            "zx-9",
            "20261102-0048213",
            "0048213",
            "202611020048213",
        ] {
            assert!(matches_search(&c, hit), "{hit}");
        }
        for miss in ["환불", "9999", "청소기 a"] {
            assert!(!matches_search(&c, miss), "{miss}");
        }
        assert!(!matches_search(&case("배송 지연", None), "0048213"));
    }
}
