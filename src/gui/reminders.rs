//! Reminders while the app runs (desktop notifications through the freedesktop notification
//! service, via `notify-rust`), and saving the agenda as an iCalendar file or a letter as text
//! where a save dialog says. Both off the UI thread: a dialog or a slow notification daemon
//! never freezes a frame.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;

/// A notification: summary and body.
pub type Note = (String, String);

/// What a save wrote: where, and how many calendar events (`None`: a letter).
pub type Saved = (PathBuf, Option<usize>);

/// The reminder and file-saving worker's handles.
pub struct Reminders {
    ctx: egui::Context,
    tx: Sender<Result<Saved, String>>,
    rx: Receiver<Result<Saved, String>>,
}

impl Reminders {
    /// A worker that wakes the UI when it has something to say.
    pub fn new(ctx: egui::Context) -> Self {
        let (tx, rx) = channel();
        Reminders { ctx, tx, rx }
    }

    /// Asks where to save, then writes `text` there (atomically). `events` is only reported.
    pub fn export_calendar(&self, title: &str, text: String, events: usize) {
        self.save(
            title,
            "recourse.ics",
            ("iCalendar", "ics"),
            text,
            Some(events),
        );
    }

    /// Asks where to save a letter, then writes it there (atomically).
    pub fn save_text(&self, title: &str, file_name: &str, text: String) {
        self.save(title, file_name, ("Text", "txt"), text, None);
    }

    fn save(
        &self,
        title: &str,
        file_name: &str,
        (filter, ext): (&str, &str),
        text: String,
        events: Option<usize>,
    ) {
        let (tx, ctx) = (self.tx.clone(), self.ctx.clone());
        let (title, file_name, filter, ext) = (
            title.to_owned(),
            file_name.to_owned(),
            filter.to_owned(),
            ext.to_owned(),
        );
        let _ = thread::Builder::new()
            .name("save-file".into())
            .spawn(move || {
                let Some(path) = rfd::FileDialog::new()
                    .set_title(&title)
                    .set_file_name(&file_name)
                    .add_filter(&filter, &[&ext])
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

    /// The result of the last save, once it is done.
    pub fn poll_export(&self) -> Option<Result<Saved, String>> {
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
