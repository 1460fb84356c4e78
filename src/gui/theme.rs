//! Design tokens: every colour and spacing the views use, for light and dark, in one place.

use egui::{Color32, FontData, FontDefinitions, FontFamily, Visuals};

use crate::model::{Assessment, CaseStatus, PromiseStatus};

/// The Korean-capable font shipped in `assets/` (NanumGothic, SIL OFL 1.1; see
/// `assets/fonts/OFL.txt`).
const NANUM_GOTHIC: &[u8] = crate::fonts::NANUM_GOTHIC;

/// Registers NanumGothic as a fallback after egui's own fonts, so Latin text keeps egui's look
/// and Hangul never shows as boxes.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "NanumGothic".to_owned(),
        std::sync::Arc::new(FontData::from_static(NANUM_GOTHIC)),
    );
    let mut fallbacks = vec!["NanumGothic".to_owned()];
    // On Windows, Malgun Gothic (every Korean Windows has it) after NanumGothic: it has the
    // hanja and symbols NanumGothic lacks.
    if let Some(bytes) = system_korean_font() {
        fonts.font_data.insert(
            "Malgun Gothic".to_owned(),
            std::sync::Arc::new(FontData::from_owned(bytes)),
        );
        fallbacks.push("Malgun Gothic".to_owned());
    }
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .extend(fallbacks.iter().cloned());
    }
    ctx.set_fonts(fonts);
}

/// Malgun Gothic from `%WINDIR%\Fonts`, where present.
#[cfg(windows)]
fn system_korean_font() -> Option<Vec<u8>> {
    let windir = std::env::var_os("WINDIR")?;
    let path = std::path::Path::new(&windir)
        .join("Fonts")
        .join("malgun.ttf");
    let bytes = std::fs::read(path).ok()?;
    // Only a font egui can parse; anything else would panic inside the font loader.
    ttf_parser::Face::parse(&bytes, 0).ok()?;
    Some(bytes)
}

#[cfg(not(windows))]
fn system_korean_font() -> Option<Vec<u8>> {
    None
}

/// Spacing between sections.
pub const SECTION_GAP: f32 = 10.0;
/// Height of one row in long lists (timeline, contacts, evidence).
pub const ROW_HEIGHT: f32 = 22.0;
/// Width of the case list panel.
pub const CASE_LIST_WIDTH: f32 = 260.0;
/// Width of the advisor panel.
pub const ADVISOR_WIDTH: f32 = 300.0;

/// How wide the case list and the advisor may be in a window `width` wide: together at most
/// half of it, so the case in the centre never gets squeezed until its controls are cut off
/// (at 1024 px: the list 160–205, the advisor 200–307; at 1366: 160–273 and 200–410).
pub fn side_panel_bounds(width: f32) -> (egui::Rangef, egui::Rangef) {
    let list = egui::Rangef::new(160.0, (width * 0.20).max(160.0));
    let advice = egui::Rangef::new(200.0, (width * 0.30).max(200.0));
    (list, advice)
}
/// Thumbnail edge length.
pub const THUMB_SIZE: f32 = 96.0;

/// The palette for one visual mode.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Something is late or broken.
    pub danger: Color32,
    /// Something needs attention soon.
    pub warning: Color32,
    /// Something went right.
    pub success: Color32,
    /// Neutral emphasis (the current rung of the ladder).
    pub accent: Color32,
    /// Secondary text.
    pub muted: Color32,
    /// Background of a chip.
    pub chip_bg: Color32,
}

/// The palette matching the current visuals.
pub fn palette(visuals: &Visuals) -> Palette {
    if visuals.dark_mode {
        Palette {
            danger: Color32::from_rgb(0xff, 0x6b, 0x6b),
            warning: Color32::from_rgb(0xf2, 0xb1, 0x3c),
            success: Color32::from_rgb(0x5c, 0xc9, 0x7b),
            accent: Color32::from_rgb(0x6a, 0xa9, 0xff),
            muted: Color32::from_gray(150),
            chip_bg: Color32::from_gray(45),
        }
    } else {
        Palette {
            danger: Color32::from_rgb(0xc6, 0x28, 0x28),
            warning: Color32::from_rgb(0xb2, 0x6a, 0x00),
            success: Color32::from_rgb(0x2e, 0x7d, 0x32),
            accent: Color32::from_rgb(0x15, 0x65, 0xc0),
            muted: Color32::from_gray(100),
            chip_bg: Color32::from_gray(228),
        }
    }
}

impl Palette {
    /// The colour of a case status.
    pub fn case_status(&self, s: CaseStatus) -> Color32 {
        match s {
            CaseStatus::Open | CaseStatus::Waiting => self.accent,
            CaseStatus::Escalated => self.warning,
            CaseStatus::Resolved => self.success,
            CaseStatus::Abandoned => self.muted,
        }
    }

    /// The colour of a promise status (overdue wins).
    pub fn promise_status(&self, s: PromiseStatus, overdue: bool) -> Color32 {
        match s {
            _ if overdue => self.danger,
            PromiseStatus::Pending => self.accent,
            PromiseStatus::Kept => self.success,
            PromiseStatus::Broken => self.danger,
            PromiseStatus::Withdrawn => self.muted,
        }
    }

    /// The colour of an answer's assessment.
    pub fn assessment(&self, a: Assessment) -> Color32 {
        match a {
            Assessment::Clear => self.success,
            Assessment::Vague => self.warning,
            Assessment::Refused => self.danger,
            Assessment::NotAsked => self.muted,
        }
    }
}

/// A small coloured label with a background, for statuses.
pub fn chip_ui(ui: &mut egui::Ui, text: &str, color: Color32) -> egui::Response {
    let bg = palette(ui.visuals()).chip_bg;
    egui::Frame::new()
        .fill(bg)
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(egui::RichText::new(text).color(color).strong())
        })
        .inner
}
