//! Reminders while the app runs (desktop notifications through the freedesktop notification
//! service, via `notify-rust`), and writing the agenda as an iCalendar file chosen in a save
//! dialog. Both off the UI thread: a dialog or a slow notification daemon never freezes a frame.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;

/// A notification: summary and body.
pub type Note = (String, String);

/// The reminder and calendar-export worker's handles.
pub struct Reminders {
    ctx: egui::Context,
    tx: Sender<Result<(PathBuf, usize), String>>,
    rx: Receiver<Result<(PathBuf, usize), String>>,
}

impl Reminders {
    /// A worker that wakes the UI when it has something to say.
    pub fn new(ctx: egui::Context) -> Self {
        let (tx, rx) = channel();
        Reminders { ctx, tx, rx }
    }

    /// Asks where to save, then writes `text` there (atomically). `events` is only reported.
    pub fn export_calendar(&self, title: &str, text: String, events: usize) {
        let (tx, ctx, title) = (self.tx.clone(), self.ctx.clone(), title.to_owned());
        let _ = thread::Builder::new()
            .name("calendar-export".into())
            .spawn(move || {
                let Some(path) = rfd::FileDialog::new()
                    .set_title(&title)
                    .set_file_name("recourse.ics")
                    .add_filter("iCalendar", &["ics"])
                    .save_file()
                else {
                    return;
                };
                let result = crate::vault::write_file_atomically(&path, text.as_bytes())
                    .map(|()| (path.clone(), events))
                    .map_err(|e| format!("{}: {e}", path.display()));
                let _ = tx.send(result);
                ctx.request_repaint();
            });
    }

    /// The result of the last export, once it is done.
    pub fn poll_export(&self) -> Option<Result<(PathBuf, usize), String>> {
        self.rx.try_recv().ok()
    }

    /// Shows the notifications (in the background; a desktop without a notification service
    /// only loses the pop-ups: the Due view and the advisor still say it).
    pub fn notify(notes: Vec<Note>) {
        if notes.is_empty() {
            return;
        }
        let _ = thread::Builder::new()
            .name("notifications".into())
            .spawn(move || {
                for (summary, body) in notes {
                    if let Err(e) = notify_rust::Notification::new()
                        .appname("recourse")
                        .summary(&summary)
                        .body(&body)
                        .show()
                    {
                        eprintln!("recourse: could not show a desktop notification: {e}");
                        return;
                    }
                }
            });
    }
}
