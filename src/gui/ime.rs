//! Text typed through an input method (IME): the events egui sees, put in the order they were
//! typed.
//!
//! Korean is typed through an IME that composes a syllable from jamo keys (`g`,`k`,`s` → 한)
//! and commits it when a key that is not part of it arrives (space, Enter, Tab, a digit). Under
//! X11 the commit travels over XIM while the key that caused it is forwarded back separately,
//! and the two race (ibus issue #2601): the space or Enter often reaches the app *before* the
//! syllable it ended, sometimes before the composition is even closed. egui keeps the
//! composing syllable as the selection, so a space arriving first replaced it and the commit
//! then landed after the space ("한국 어좋아"); a Tab or Enter arriving first moved focus and
//! the commit went into the next field or nowhere. winit's X11 backend also turns a key it
//! receives while it believes a composition is open into a "commit" of the key's text ("\r"
//! for Enter, "\t" for Tab), so Ctrl+Enter never reached the form as a key.
//!
//! [`ImeInput::filter`] runs on every frame's raw input (eframe's `raw_input_hook`), before
//! egui sees it:
//! - while a syllable composes, or after its composition closed and until its commit arrives,
//!   keyboard events are held back; the commit is applied first, then the held keys, in the
//!   order they came. A composition that closes with no commit (Backspace on the last jamo)
//!   releases what it held after [`HOLD`].
//! - under X11, a "commit" that is really a forwarded key (a control character, or one ASCII
//!   character) becomes the key again (Ctrl+C/X/V: copy, cut, paste).
//! - after a key that moves focus (Enter, Tab), the rest of that frame's events wait for the
//!   next frame, so they reach the field that has focus by then (egui stops reading a
//!   single-line field's events at Enter, and moves Tab's focus only at the end of a frame).
//!
//! Under X11 the app also keeps the IME enabled while no text field has focus
//! ([`ImeInput::end_frame`]): winit applies an IME on/off request only after the next X
//! event, so the first key typed after focus moved went past the IME ("dㅏㄴ녕"). A composition
//! whose field lost focus (a click on Save mid-syllable) keeps its text, as egui leaves it in
//! the field, and the IME is told to start afresh.

use std::time::{Duration, Instant};

use egui::{Event, ImeEvent, Key, Modifiers};

/// How long keys wait for the commit of a composition that has closed or is closing. The
/// commit follows within a few milliseconds when it comes at all; this only delays the key
/// after a composition cancelled with Backspace.
pub const HOLD: Duration = Duration::from_millis(250);

/// The IME event filter's state, kept across frames.
#[derive(Debug)]
pub struct ImeInput {
    /// The syllable being composed (the last non-empty pre-edit), if any.
    composing: Option<String>,
    /// A composition closed without its commit yet.
    awaiting_commit: bool,
    /// Keyboard events waiting for a commit, in arrival order.
    held: Vec<Event>,
    /// When the held events go out whether or not a commit came.
    deadline: Option<Instant>,
    /// Events of the previous frame that come after a focus-moving key.
    carry: Vec<Event>,
    /// The field the current composition is in (focused when its pre-edit went out).
    composing_in: Option<egui::Id>,
    /// A non-empty pre-edit went out this frame.
    preedit_out: bool,
    /// The last place a text field reported for the IME.
    last_output: Option<egui::output::IMEOutput>,
    /// The modifiers held, as the last `ModifiersChanged` said.
    modifiers: Modifiers,
    /// The window is on X11: keep the IME on while no field has focus, and read one-character
    /// "commits" as the forwarded keys they are.
    x11: bool,
    log: bool,
    start: Instant,
}

impl Default for ImeInput {
    fn default() -> Self {
        ImeInput {
            composing: None,
            awaiting_commit: false,
            held: Vec::new(),
            deadline: None,
            carry: Vec::new(),
            composing_in: None,
            preedit_out: false,
            last_output: None,
            modifiers: Modifiers::NONE,
            x11: false,
            log: std::env::var_os("RECOURSE_IME_LOG").is_some(),
            start: Instant::now(),
        }
    }
}

impl ImeInput {
    /// The filter for a window on X11 (`true`) or elsewhere.
    pub fn new(x11: bool) -> Self {
        ImeInput {
            x11,
            ..Default::default()
        }
    }

    /// Reorders this frame's events (see the module doc). Returns when to look again if
    /// events are being held.
    pub fn filter(&mut self, raw: &mut egui::RawInput, now: Instant) -> Option<Duration> {
        let incoming = std::mem::take(&mut raw.events);
        self.log_events("in ", &incoming);
        // What was carried over is already in order: it goes first, as it is.
        let mut out = std::mem::take(&mut self.carry);
        for event in incoming {
            self.step(event, now, &mut out);
        }
        if self.deadline.is_some_and(|d| now >= d) {
            self.release(&mut out);
            self.composing = None;
            self.awaiting_commit = false;
        }
        // After a key that moves focus, the rest waits for the next frame.
        if let Some(at) = out.iter().position(moves_focus)
            && at + 1 < out.len()
        {
            self.carry = out.split_off(at + 1);
        }
        // A syllable that goes out this frame composes in the field focused at its end; one
        // carried to the next frame has no field yet.
        self.preedit_out = out.iter().any(is_preedit);
        if self.carry.iter().any(is_preedit) {
            self.composing_in = None;
        }
        self.log_events("out", &out);
        raw.events = out;
        if !self.carry.is_empty() {
            Some(Duration::ZERO)
        } else {
            self.deadline.map(|d| d.saturating_duration_since(now))
        }
    }

    /// Under `RECOURSE_IME_LOG`: the events before and after the filter, pointer motion left out.
    fn log_events(&self, tag: &str, events: &[Event]) {
        if self.log {
            let at = self.start.elapsed().as_secs_f64();
            for e in events {
                if !matches!(e, Event::PointerMoved(_) | Event::MouseMoved(_)) {
                    eprintln!("{at:>8.3} {tag} {e:?}");
                }
            }
        }
    }

    fn step(&mut self, event: Event, now: Instant, out: &mut Vec<Event>) {
        match event {
            Event::ModifiersChanged(m) => {
                self.modifiers = m;
                out.push(event);
            }
            Event::Ime(ImeEvent::Preedit { ref text, .. }) if !text.is_empty() => {
                if self.awaiting_commit {
                    // The last composition ended with no commit (cancelled): what it held
                    // was typed before this new one.
                    self.awaiting_commit = false;
                    self.release(out);
                }
                self.composing = Some(text.clone());
                out.push(event);
            }
            Event::Ime(ImeEvent::Preedit { .. }) => {
                if self.composing.take().is_some() {
                    self.awaiting_commit = true;
                    self.deadline.get_or_insert(now + HOLD);
                }
                out.push(event);
            }
            Event::Ime(ImeEvent::Commit(ref text)) => {
                if let Some(keys) = self
                    .x11
                    .then(|| forwarded_key(text, self.modifiers))
                    .flatten()
                {
                    for key in keys {
                        self.keyboard(key, now, out);
                    }
                } else {
                    // A commit, or an empty one that ends a cancelled composition (Windows).
                    self.composing = None;
                    self.awaiting_commit = false;
                    out.push(event);
                    self.release(out);
                }
            }
            e if is_keyboard(&e) => self.keyboard(e, now, out),
            e => out.push(e),
        }
    }

    fn keyboard(&mut self, event: Event, now: Instant, out: &mut Vec<Event>) {
        let pending = self.composing.is_some() || self.awaiting_commit;
        if !self.held.is_empty() {
            self.held.push(event);
        } else if pending && ends_composition(&event) {
            self.held.push(event);
            self.deadline.get_or_insert(now + HOLD);
        } else {
            out.push(event);
        }
    }

    fn release(&mut self, out: &mut Vec<Event>) {
        out.append(&mut self.held);
        self.deadline = None;
    }

    /// Called at the end of each frame's UI. Keeps the IME enabled under X11 when no field
    /// asked for it, and tells the IME to drop a composition whose field lost focus (its text
    /// stays in that field).
    pub fn end_frame(&mut self, ctx: &egui::Context) {
        let focus = ctx.memory(|m| m.focused());
        let output = ctx.output(|o| o.ime);
        if self.preedit_out {
            self.composing_in = focus;
        }
        let pending = self.composing.is_some() || self.awaiting_commit;
        if !pending {
            self.composing_in = None;
        } else if self.composing_in.is_some() && focus != self.composing_in {
            // Its field lost focus (a click elsewhere): the text stays there, the IME starts
            // afresh, and whatever waited for its commit goes out now.
            ctx.memory_mut(|m| m.interrupt_ime());
            self.composing = None;
            self.awaiting_commit = false;
            self.composing_in = None;
            self.carry.append(&mut self.held);
            self.deadline = None;
            ctx.request_repaint();
        }
        if self.log
            && let Some(o) = output
            && self
                .last_output
                .is_none_or(|l| l.cursor_rect != o.cursor_rect)
        {
            // Where the caret is, in window pixels: the IME test clicks there.
            let c = o.cursor_rect.center() * ctx.pixels_per_point();
            eprintln!(
                "{:>8.3} caret {:.0} {:.0}",
                self.start.elapsed().as_secs_f64(),
                c.x,
                c.y
            );
        }
        match output {
            Some(o) => self.last_output = Some(o),
            None if self.x11 => {
                let mut placeholder = self.last_output.unwrap_or(egui::output::IMEOutput {
                    rect: egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1.0, 1.0)),
                    cursor_rect: egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1.0, 1.0)),
                    purpose: egui::IMEPurpose::Normal,
                    should_interrupt_composition: false,
                });
                placeholder.purpose = egui::IMEPurpose::Normal;
                ctx.output_mut(|o| o.ime = Some(placeholder));
            }
            None => {}
        }
    }
}

fn is_preedit(event: &Event) -> bool {
    matches!(event, Event::Ime(ImeEvent::Preedit { text, .. }) if !text.is_empty())
}

fn is_keyboard(event: &Event) -> bool {
    matches!(
        event,
        Event::Key { .. } | Event::Text(_) | Event::Paste(_) | Event::Copy | Event::Cut
    )
}

/// A key that may end a composition: anything but a modifier's own press or a release.
fn ends_composition(event: &Event) -> bool {
    match event {
        Event::Key { key, pressed, .. } => {
            *pressed
                && !matches!(
                    key,
                    Key::ShiftLeft
                        | Key::ShiftRight
                        | Key::ControlLeft
                        | Key::ControlRight
                        | Key::AltLeft
                        | Key::AltRight
                        | Key::SuperLeft
                        | Key::SuperRight
                )
        }
        _ => true,
    }
}

fn moves_focus(event: &Event) -> bool {
    matches!(
        event,
        Event::Key {
            key: Key::Enter | Key::Tab,
            pressed: true,
            ..
        }
    )
}

fn clipboard_text() -> Option<String> {
    arboard::Clipboard::new().ok()?.get_text().ok()
}

/// The key events a "commit" stands for when it is a forwarded key winit looked up as text:
/// a control character (Enter, Tab, Backspace, Esc, Ctrl+letter) or one ASCII character.
fn forwarded_key(text: &str, modifiers: Modifiers) -> Option<Vec<Event>> {
    let mut chars = text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    let key = |key: Key| Event::Key {
        key,
        physical_key: Some(key),
        pressed: true,
        repeat: false,
        modifiers,
    };
    let events = match c {
        '\r' | '\n' => vec![key(Key::Enter)],
        '\t' => vec![key(Key::Tab)],
        '\u{8}' => vec![key(Key::Backspace)],
        '\u{7f}' => vec![key(Key::Delete)],
        '\u{1b}' => vec![key(Key::Escape)],
        '\u{3}' if modifiers.command => vec![Event::Copy],
        '\u{18}' if modifiers.command => vec![Event::Cut],
        '\u{16}' if modifiers.command => clipboard_text().map(Event::Paste).into_iter().collect(),
        '\u{1}'..='\u{1a}' => {
            let letter = char::from(b'A' + (c as u8 - 1));
            vec![key(Key::from_name(&letter.to_string())?)]
        }
        ' ' => vec![key(Key::Space), Event::Text(" ".into())],
        c if c.is_ascii_graphic() => vec![Event::Text(c.to_string())],
        c if c.is_control() => vec![],
        _ => return None,
    };
    Some(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preedit(text: &str) -> Event {
        Event::Ime(ImeEvent::Preedit {
            text: text.into(),
            active_range_chars: None,
        })
    }

    fn commit(text: &str) -> Event {
        Event::Ime(ImeEvent::Commit(text.into()))
    }

    fn key(key: Key, modifiers: Modifiers) -> Event {
        Event::Key {
            key,
            physical_key: Some(key),
            pressed: true,
            repeat: false,
            modifiers,
        }
    }

    /// Runs `frames` through the filter into egui, 20 ms apart, after an empty first frame and
    /// before 20 quiet ones (longer than HOLD). `draw` gets each frame's number and value.
    /// Returns, per frame, whether the IME was told to drop its composition.
    fn drive<T: Default>(
        frames: Vec<(Vec<Event>, T)>,
        mut draw: impl FnMut(&mut egui::Ui, usize, &T),
    ) -> Vec<bool> {
        let ctx = egui::Context::default();
        let mut ime = ImeInput {
            x11: true,
            log: false,
            ..Default::default()
        };
        let start = Instant::now();
        let quiet = (0..20).map(|_| (Vec::new(), T::default()));
        let mut interrupts = Vec::new();
        for (i, (events, value)) in std::iter::once((Vec::new(), T::default()))
            .chain(frames)
            .chain(quiet)
            .enumerate()
        {
            let mut raw = egui::RawInput {
                events,
                ..Default::default()
            };
            ime.filter(&mut raw, start + Duration::from_millis(20 * i as u64));
            let mut output = ctx.run_ui(raw, |ui| {
                draw(ui, i, &value);
                ime.end_frame(ui.ctx());
            });
            output.textures_delta.clear();
            interrupts.push(
                output
                    .platform_output
                    .ime
                    .is_some_and(|o| o.should_interrupt_composition),
            );
        }
        interrupts
    }

    /// What a focused single-line field holds after these frames of events, and whether it
    /// saw a Ctrl+Enter press after the text was in.
    fn typed(frames: Vec<Vec<Event>>) -> (String, bool) {
        let mut text = String::new();
        let mut ctrl_enter_after = false;
        drive(
            frames.into_iter().map(|f| (f, ())).collect(),
            |ui, i, ()| {
                let r = ui.add(egui::TextEdit::singleline(&mut text).id_salt("field"));
                if i == 0 {
                    r.request_focus();
                }
                if ui.input(|inp| {
                    inp.events.iter().any(|e| {
                        matches!(e, Event::Key { key: Key::Enter, pressed: true, modifiers, .. }
                        if modifiers.command)
                    })
                }) {
                    ctrl_enter_after = text == "좋아";
                }
            },
        );
        (text, ctrl_enter_after)
    }

    /// Two fields, A focused first. Each frame: its events, and whether A gives up focus
    /// then (as when a button is clicked). Returns both texts and the interrupts per frame.
    fn two_fields(frames: Vec<(Vec<Event>, bool)>) -> (String, String, Vec<bool>) {
        let (mut a, mut b) = (String::new(), String::new());
        let interrupts = drive(frames, |ui, i, blur| {
            let ra = ui.add(egui::TextEdit::singleline(&mut a).id_salt("a"));
            ui.add(egui::TextEdit::singleline(&mut b).id_salt("b"));
            if i == 0 {
                ra.request_focus();
            }
            if *blur {
                ra.surrender_focus();
            }
        });
        (a, b, interrupts)
    }

    #[test]
    fn tab_moves_on_and_the_next_syllable_composes_in_the_next_field() {
        // Tab, a digit and the next jamo in the frame that committed 어: the digit and the jamo
        // go to the next field, in that order, and nothing interrupts the IME.
        let (a, b, interrupts) = two_fields(vec![
            (vec![preedit("어")], false),
            (
                vec![
                    preedit(""),
                    commit("어"),
                    key(Key::Tab, Modifiers::NONE),
                    Event::Text("1".into()),
                    preedit("ㄴ"),
                ],
                false,
            ),
            (vec![preedit("나")], false),
            (vec![preedit(""), commit("나")], false),
        ]);
        assert_eq!((a.as_str(), b.as_str()), ("어", "1나"));
        assert!(!interrupts[1..].contains(&true), "{interrupts:?}");
    }

    #[test]
    fn a_field_that_loses_focus_mid_syllable_keeps_it_and_the_ime_starts_afresh() {
        let (a, _, interrupts) = two_fields(vec![
            (vec![preedit("ㅇ")], false),
            (vec![preedit("어")], false),
            (Vec::new(), true),
        ]);
        assert_eq!(a, "어");
        // Frame 0 focuses A (egui interrupts then by itself); then once, when A lets go.
        let after: Vec<usize> = (1..interrupts.len()).filter(|i| interrupts[*i]).collect();
        assert_eq!(after, [3], "{interrupts:?}");
    }

    #[test]
    fn a_space_before_its_syllables_commit_lands_after_it() {
        // Seen under ibus-hangul over XIM: the composition closes, the space arrives, and only
        // then the commit of the syllable the space ended.
        let (text, _) = typed(vec![
            vec![preedit("어")],
            vec![
                preedit(""),
                preedit(""),
                key(Key::Space, Modifiers::NONE),
                Event::Text(" ".into()),
            ],
            vec![preedit(""), commit("어")],
            vec![preedit("ㅈ")],
            vec![preedit("조")],
        ]);
        assert_eq!(text, "어 조");
        // Also seen: the space while the syllable still composes.
        let (text, _) = typed(vec![
            vec![preedit("어")],
            vec![key(Key::Space, Modifiers::NONE), Event::Text(" ".into())],
            vec![preedit(""), commit("어")],
        ]);
        assert_eq!(text, "어 ");
    }

    #[test]
    fn a_forwarded_enter_looked_up_as_text_is_a_key_after_the_commit() {
        // winit turned Ctrl+Enter into a "commit" of "\r" ahead of the commit of 아.
        let ctrl = Modifiers::COMMAND;
        let (text, saved_after_text) = typed(vec![
            vec![preedit("좋")],
            vec![commit("좋"), preedit("아")],
            vec![Event::ModifiersChanged(ctrl), preedit(""), commit("\r")],
            vec![preedit(""), commit("아")],
        ]);
        assert_eq!(text, "좋아");
        assert!(
            saved_after_text,
            "Ctrl+Enter came after 아 was in the field"
        );
    }

    #[test]
    fn a_cancelled_composition_releases_the_keys_it_held() {
        // Backspace on the last jamo closes the composition with no commit; the space typed
        // after it must still arrive, once HOLD has passed.
        let (text, _) = typed(vec![
            vec![preedit("ㅎ")],
            vec![preedit("")],
            vec![key(Key::Space, Modifiers::NONE), Event::Text(" ".into())],
        ]);
        assert_eq!(text, " ");
    }

    #[test]
    fn only_control_characters_and_single_ascii_commits_count_as_keys() {
        assert!(forwarded_key("한", Modifiers::NONE).is_none());
        assert!(forwarded_key("ab", Modifiers::NONE).is_none());
        assert!(matches!(
            forwarded_key("\t", Modifiers::NONE).as_deref(),
            Some([Event::Key { key: Key::Tab, .. }])
        ));
        assert!(matches!(
            forwarded_key("\u{1}", Modifiers::COMMAND).as_deref(),
            Some([Event::Key { key: Key::A, .. }])
        ));
        assert!(matches!(
            forwarded_key("\u{3}", Modifiers::COMMAND).as_deref(),
            Some([Event::Copy])
        ));
        assert!(matches!(
            forwarded_key("1", Modifiers::NONE).as_deref(),
            Some([Event::Text(t)]) if t == "1"
        ));
    }
}
