//! The desktop app: a thin face over the core, built on egui/eframe.
//!
//! Shape (after rerun's viewer): [`app::RecourseApp::logic`] drains finished background jobs
//! and runs the [`app::Command`]s the previous frame emitted — all database and file work
//! happens there or on named background threads; `ui()` only draws from cached data and emits
//! commands. Panels get a borrowed [`views::ViewCtx`], never the whole app.

pub mod app;
pub mod audio;
pub mod demo;
mod failures;
pub mod i18n;
mod ime;
mod jobs;
pub mod packets;
mod reminders;
pub mod theme;
mod views;

use std::path::PathBuf;

use anyhow::Context as _;

pub use app::{AppOptions, Command, RecourseApp};
pub use views::{Tab, UiState};

/// The app icon (`assets/icons/`), for the window's title bar and the task bar.
pub fn window_icon() -> std::sync::Arc<egui::IconData> {
    const PNG: &[u8] = include_bytes!("../../assets/icons/recourse-128.png");
    let icon = match image::load_from_memory(PNG) {
        Ok(image) => {
            let image = image.into_rgba8();
            egui::IconData {
                width: image.width(),
                height: image.height(),
                rgba: image.into_raw(),
            }
        }
        // The PNG is part of the binary; a test decodes it, so this is never reached.
        Err(_) => egui::IconData::default(),
    };
    std::sync::Arc::new(icon)
}

/// Opens the app window and runs until it is closed.
pub fn run(options: AppOptions) -> anyhow::Result<()> {
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(if options.demo {
                "recourse — 예시 사건 · example case"
            } else {
                "recourse"
            })
            .with_icon(window_icon())
            // The Wayland app id and the X11 class: the desktop entry's name (recourse.desktop),
            // so the desktop shows the entry's icon and name for the window.
            .with_app_id("recourse")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 560.0])
            .with_drag_and_drop(true),
        persistence_path: Some(options.data_dir.join("app-state.ron")),
        ..Default::default()
    };
    eframe::run_native(
        "recourse",
        native,
        Box::new(move |cc| Ok(Box::new(RecourseApp::new(cc, options)?))),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
    .context(
        "the app window could not open (is a display available? set DISPLAY or WAYLAND_DISPLAY)",
    )
}

/// Where `--demo` puts its throwaway data directory.
pub fn demo_dir() -> anyhow::Result<PathBuf> {
    let dir = tempfile::Builder::new()
        .prefix("recourse-demo-")
        .tempdir()
        .context("cannot create a temp directory for the demo")?;
    // Kept after exit on purpose: the user may want to look at what the demo wrote.
    Ok(dir.keep())
}
