//! The running app on a real desktop, driven and read from outside as a person and a screen
//! reader would.
//!
//! Each test starts its own X server (Xvfb) and D-Bus session and opens the app on its own
//! data directory.
//!
//! - **Korean through a real input method.** ibus-daemon runs with the ibus-hangul engine in
//!   Hangul mode, and xdotool types one key press and release at a time, at 150 ms and at
//!   50 ms a key. In each run it fills the case, contact and promise forms and commits
//!   syllables with Tab, Ctrl+Enter, Enter (in a multi-line field), a space and a click, then
//!   reads what the database stored. Every run must store exactly the words typed: no jamo
//!   lost, doubled or reordered, the first key after a focus change composed. `RUNS`
//!   (default 20) sets the runs per speed.
//! - **The accessibility tree.** at-spi2's bus runs with accessibility switched on, and a real
//!   AT-SPI client (python3-pyatspi, as Orca uses it) reads the app's tree on the demo case and
//!   in a form: the main controls are there with their Korean names, every control has a name,
//!   and the panels come in reading order.
//!
//! Where a tool is missing the test says so and passes, except under CI (`CI` set), where it
//! fails.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Child processes killed (and reaped) when dropped, last started first.
struct Procs(Vec<Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The desktop the test types into: an X server, a session bus and ibus with Hangul.
struct Desktop {
    display: String,
    bus: String,
    config: tempfile::TempDir,
    _procs: Procs,
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What a test needs besides the X server and the session bus.
#[derive(Clone, Copy, PartialEq)]
enum With {
    /// ibus with ibus-hangul in Hangul mode, over XIM.
    Ime,
    /// at-spi2's accessibility bus, switched on, and python3-pyatspi to read it.
    Accessibility,
}

/// Tests run in parallel; one at a time picks a free display and starts its server on it.
static DISPLAYS: std::sync::Mutex<()> = std::sync::Mutex::new(());
/// One desktop test at a time: the IME test's key timing must not compete for the CPU with a
/// second app and its tree reader.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

const AT_SPI_BUS: &str = "/usr/libexec/at-spi-bus-launcher";
/// Debian's python3 (pyatspi is a Debian package, not on a pyenv or venv interpreter).
const SYSTEM_PYTHON: &str = "/usr/bin/python3";

fn missing_tools(with: With) -> Vec<String> {
    let mut tools = vec!["Xvfb", "dbus-daemon", "xdotool", "xprop"];
    if with == With::Ime {
        tools.extend(["ibus-daemon", "ibus", "gsettings"]);
    } else {
        tools.push("dbus-send");
    }
    let mut missing: Vec<String> = tools
        .into_iter()
        .filter(|t| !have(t))
        .map(str::to_owned)
        .collect();
    match with {
        With::Ime if !Path::new("/usr/share/ibus/component/hangul.xml").exists() => {
            missing.push("ibus-hangul".to_owned());
        }
        With::Accessibility => {
            if !Path::new(AT_SPI_BUS).exists() {
                missing.push("at-spi2-core".to_owned());
            }
            let pyatspi = Command::new(SYSTEM_PYTHON)
                .args(["-c", "import pyatspi"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !pyatspi {
                missing.push("python3-pyatspi".to_owned());
            }
        }
        With::Ime => {}
    }
    missing
}

impl Desktop {
    fn start(with: With) -> Option<Desktop> {
        let missing = missing_tools(with);
        if !missing.is_empty() {
            let msg = format!(
                "this test needs Xvfb, D-Bus, xdotool, xprop and, for the IME, ibus with \
                 ibus-hangul, or for accessibility, at-spi2-core and python3-pyatspi (bash \
                 .ci/install-deps installs them all); missing: {missing:?}"
            );
            assert!(std::env::var_os("CI").is_none(), "{msg}");
            eprintln!("skipped: {msg}");
            return None;
        }
        let mut procs = Procs(Vec::new());
        let picking = DISPLAYS.lock().unwrap_or_else(|e| e.into_inner());
        let n = (150..250)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .expect("a free X display");
        let display = format!(":{n}");
        procs.0.push(
            Command::new("Xvfb")
                .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb"),
        );
        wait_until("Xvfb", Duration::from_secs(10), || {
            Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        });
        drop(picking);
        // A private session bus; ibus and dconf live on it.
        let config = tempfile::tempdir().unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env("XDG_CONFIG_HOME", config.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon");
        let mut address = String::new();
        {
            use std::io::BufRead as _;
            let out = bus.stdout.take().unwrap();
            std::io::BufReader::new(out)
                .read_line(&mut address)
                .unwrap();
        }
        procs.0.push(bus);
        let desktop = Desktop {
            display,
            bus: address.trim().to_owned(),
            config,
            _procs: procs,
        };
        match with {
            With::Ime => desktop.start_ibus(),
            With::Accessibility => desktop.start_accessibility(),
        }
    }

    /// ibus-daemon over XIM with ibus-hangul as the engine, in Hangul mode.
    fn start_ibus(mut self) -> Option<Desktop> {
        // ibus-hangul starts in Hangul mode (its default is Latin until the Hangul key).
        let set = self
            .command("gsettings")
            .args([
                "set",
                "org.freedesktop.ibus.engine.hangul",
                "initial-input-mode",
                "hangul",
            ])
            .status()
            .expect("gsettings");
        assert!(set.success(), "gsettings could not set ibus-hangul's mode");
        let ibus = self
            .command("ibus-daemon")
            .args(["--xim", "--replace", "--panel=disable"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ibus-daemon");
        self._procs.0.push(ibus);
        wait_until(
            "ibus to take the hangul engine",
            Duration::from_secs(30),
            || {
                self.command("ibus")
                    .args(["engine", "hangul"])
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            },
        );
        // ibus-x11 registers the XIM server on the root window on its own time; an app that
        // starts before it has no input method at all.
        wait_until("ibus's XIM server", Duration::from_secs(30), || {
            self.xprop_root("XIM_SERVERS").contains("@server=ibus")
        });
        Some(self)
    }

    /// at-spi2's accessibility bus, with accessibility switched on as a screen reader does:
    /// AccessKit serves the tree only while `org.a11y.Status.IsEnabled` is true.
    fn start_accessibility(mut self) -> Option<Desktop> {
        let launcher = self
            .command(AT_SPI_BUS)
            .arg("--launch-immediately")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("at-spi-bus-launcher");
        self._procs.0.push(launcher);
        wait_until("the accessibility bus", Duration::from_secs(30), || {
            self.command("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.a11y.Bus",
                    "/org/a11y/bus",
                    "org.freedesktop.DBus.Properties.Set",
                    "string:org.a11y.Status",
                    "string:IsEnabled",
                    "variant:boolean:true",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        Some(self)
    }

    fn xprop_root(&self, property: &str) -> String {
        let out = self
            .command("xprop")
            .args(["-root", property])
            .output()
            .expect("xprop");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A command in this desktop's environment.
    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("XDG_CONFIG_HOME", self.config.path())
            .env("XMODIFIERS", "@im=ibus")
            .env("GTK_IM_MODULE", "ibus")
            .env_remove("WAYLAND_DISPLAY");
        c
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = self
            .command("xdotool")
            .args(args)
            .output()
            .expect("xdotool");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

/// One app window on its own data directory, typed into at `per_key`.
struct Session<'a> {
    desktop: &'a Desktop,
    dir: tempfile::TempDir,
    log: PathBuf,
    window: String,
    per_key: Duration,
    app: Procs,
}

impl<'a> Session<'a> {
    fn open(desktop: &'a Desktop, per_key: Duration) -> Session<'a> {
        Session::open_with(desktop, per_key, &[])
    }

    /// The app with more arguments (`--demo`).
    fn open_with(desktop: &'a Desktop, per_key: Duration, args: &[&str]) -> Session<'a> {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("app.log");
        let app = desktop
            .command(env!("CARGO_BIN_EXE_recourse"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--lang", "ko"])
            .args(args)
            .env("RECOURSE_IME_LOG", "1")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the app");
        let app = Procs(vec![app]);
        let mut window = String::new();
        wait_until("the app's window", Duration::from_secs(60), || {
            // "recourse", or "recourse — 예시 사건 · example case" with `--demo`.
            window = desktop.xdotool(&["search", "--name", "^recourse( |$)"]);
            window = window.lines().next().unwrap_or_default().to_owned();
            !window.is_empty()
        });
        std::thread::sleep(Duration::from_millis(1500));
        desktop.xdotool(&["windowfocus", "--sync", &window]);
        std::thread::sleep(Duration::from_millis(300));
        Session {
            desktop,
            dir,
            log,
            window,
            per_key,
            app,
        }
    }

    /// Presses and releases each key in turn, held 20 ms, one every `per_key`.
    fn press(&self, keys: &str) {
        let hold = Duration::from_millis(20);
        for key in keys.split_whitespace() {
            self.desktop.xdotool(&["keydown", key]);
            std::thread::sleep(hold);
            self.desktop.xdotool(&["keyup", key]);
            std::thread::sleep(self.per_key.saturating_sub(hold));
        }
    }

    /// A chord such as `ctrl+n`, then a pause for the app to react.
    fn chord(&self, keys: &str) {
        self.desktop.xdotool(&["key", keys]);
        std::thread::sleep(Duration::from_millis(800));
    }

    /// The text caret's last position in the window (the app logs it under RECOURSE_IME_LOG).
    fn caret(&self) -> (String, String) {
        let log = std::fs::read_to_string(&self.log).unwrap();
        let line = log
            .lines()
            .rev()
            .find(|l| l.contains(" caret "))
            .expect("the app reported no text caret");
        let mut parts = line.split_whitespace().skip(2);
        (
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
        )
    }

    fn click_at(&self, (x, y): &(String, String)) {
        self.desktop
            .xdotool(&["mousemove", "--window", &self.window, x, y, "click", "1"]);
        std::thread::sleep(self.per_key);
    }

    fn query(&self, sql: &str) -> String {
        let out = Command::new("sqlite3")
            .arg(self.dir.path().join("recourse.sqlite3"))
            .arg(sql)
            .output()
            .expect("sqlite3");
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
    }

    fn close(self) -> (tempfile::TempDir, PathBuf) {
        drop(self.app);
        (self.dir, self.log)
    }
}

/// `dkssudgktpdy` in Hangul mode: 안녕하세요.
const ANNYEONG: &str = "d k s s u d g k t p d y";
/// `gksrnrdj whgdk`: 한국어 좋아 (the space ends 어).
const HANGUKEO: &str = "g k s r n r d j space w h g d k";

/// One run: the three forms, each syllable-ending key hit mid-syllable.
fn run_once(s: &Session<'_>) -> Vec<String> {
    // New case: title, Tab while 요 composes, company, a click back at the title's end while 아
    // composes, 이 typed there, Ctrl+Enter while 이 composes.
    s.chord("ctrl+n");
    s.press(ANNYEONG);
    std::thread::sleep(Duration::from_millis(300));
    let title_end = s.caret();
    s.press("Tab");
    s.press(HANGUKEO);
    s.click_at(&title_end);
    s.press("d l");
    s.chord("ctrl+Return");
    // Contact: agent 김상담 (first field), the summary in two lines (Enter while 어
    // composes), "they promised" ticked with Space, Ctrl+Enter.
    s.chord("ctrl+l");
    s.press("r l a t k d e k a");
    s.press("Tab Tab Tab Tab Tab");
    s.press("g k s r n r d j Return w h g d k");
    s.press("Tab Tab Tab Tab Tab space");
    s.chord("ctrl+Return");
    // The promise form opened for it: what was promised, Ctrl+Enter while 요 composes.
    s.press(ANNYEONG);
    s.chord("ctrl+Return");
    vec![
        s.query("SELECT title || '|' || company FROM cases"),
        s.query("SELECT agent_name || '|' || replace(summary, char(10), '⏎') FROM contacts"),
        s.query("SELECT what FROM promises"),
    ]
}

#[test]
fn korean_through_ibus_hangul_is_stored_exactly_as_typed() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(desktop) = Desktop::start(With::Ime) else {
        return;
    };
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let want = vec![
        "안녕하세요이|한국어 좋아".to_owned(),
        "김상담|한국어⏎좋아".to_owned(),
        "안녕하세요".to_owned(),
    ];
    let mut failures = Vec::new();
    for per_key in [150, 50] {
        for run in 1..=runs {
            let session = Session::open(&desktop, Duration::from_millis(per_key));
            let got = run_once(&session);
            let (dir, log) = session.close();
            if got != want {
                let kept = std::env::temp_dir().join(format!("recourse-ime-{per_key}ms-{run}.log"));
                let _ = std::fs::copy(&log, &kept);
                failures.push(format!(
                    "{per_key} ms/key, run {run}: stored {got:?} (event log: {})",
                    kept.display()
                ));
            }
            drop(dir);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs stored something other than {want:?}:\n{}",
        failures.len(),
        2 * runs,
        failures.join("\n")
    );
}

/// Reads the app's accessibility tree through AT-SPI with pyatspi, one node a line:
/// depth, role, name, and whether it can take keyboard focus.
const READ_TREE: &str = r#"
import sys, pyatspi
def walk(node, depth):
    if node is None or depth > 40:
        return
    try:
        states = node.getState()
        role = node.getRoleName()
    except Exception:
        return  # a node that went away while the tree was read
    focusable = states.contains(pyatspi.STATE_FOCUSABLE)
    name = (node.name or "").replace("\t", " ").replace("\n", " ")
    print(f"{depth}\t{role}\t{name}\t{int(focusable)}")
    for child in node:
        walk(child, depth + 1)
for app in pyatspi.Registry.getDesktop(0):
    if app is not None and app.name == "recourse":
        walk(app, 0)
"#;

/// One node of the tree as AT-SPI gives it.
#[derive(Debug)]
struct Node {
    role: String,
    name: String,
    focusable: bool,
}

/// The tree, or `None` when the client failed (the tree was being rebuilt): the caller retries.
fn read_tree(desktop: &Desktop) -> Option<Vec<Node>> {
    let out = desktop
        .command(SYSTEM_PYTHON)
        .args(["-c", READ_TREE])
        .output()
        .expect("python3");
    if !out.status.success() {
        eprintln!(
            "pyatspi could not read the tree (retrying): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let tree = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t').skip(1);
            Some(Node {
                role: f.next()?.to_owned(),
                name: f.next()?.to_owned(),
                focusable: f.next()? == "1",
            })
        })
        .collect();
    Some(tree)
}

/// The tree once it holds a node named `name` (AccessKit builds it after the first frames).
fn tree_with(desktop: &Desktop, name: &str) -> Vec<Node> {
    let mut tree = Vec::new();
    wait_until(
        &format!("an AT-SPI node named {name:?}"),
        Duration::from_secs(60),
        || {
            tree = read_tree(desktop).unwrap_or_default();
            let found = tree.iter().any(|n| n.name == name);
            if !found {
                std::thread::sleep(Duration::from_millis(500));
            }
            found
        },
    );
    tree
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Roles a person operates; each needs a name a screen reader can say.
const CONTROLS: &[&str] = &[
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "entry",
    "text",
    "password text",
    "slider",
    "spin button",
    "separator",
    "link",
    "menu item",
];

/// Every control in `tree` named, in Korean (or by the case's own words, which are Korean in
/// the demo); returns the ones that are not.
fn unnamed_controls(tree: &[Node]) -> Vec<String> {
    tree.iter()
        .filter(|n| n.focusable || CONTROLS.contains(&n.role.as_str()))
        .filter(|n| !n.name.chars().any(is_hangul))
        .map(|n| format!("{} {:?}", n.role, n.name))
        .collect()
}

fn position(tree: &[Node], role: &str, name: &str) -> usize {
    tree.iter()
        .position(|n| n.role == role && n.name == name)
        .unwrap_or_else(|| {
            let have: Vec<String> = tree
                .iter()
                .map(|n| format!("{} {:?}", n.role, n.name))
                .collect();
            panic!(
                "no {role} {name:?} in the AT-SPI tree:\n{}",
                have.join("\n")
            )
        })
}

#[test]
fn a_screen_reader_finds_every_control_by_its_korean_name() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(desktop) = Desktop::start(With::Accessibility) else {
        return;
    };
    let session = Session::open_with(&desktop, Duration::from_millis(100), &["--demo"]);
    let tree = tree_with(&desktop, "타임라인");
    // The main controls, each by the role and the Korean name a screen reader announces.
    let menu = position(&tree, "push button", "파일");
    for name in ["보기", "설정", "언어"] {
        position(&tree, "push button", name);
    }
    let new_case = position(&tree, "push button", "＋ 새 사건");
    position(&tree, "entry", "검색");
    position(&tree, "combo box", "상태");
    position(&tree, "separator", "사건 목록 너비 조절");
    let timeline = position(&tree, "toggle button", "타임라인");
    for tab in ["연락 기록", "약속", "증거", "제출 묶음", "편지·신청서"] {
        position(&tree, "toggle button", tab);
    }
    position(&tree, "push button", "✏ 수정…");
    position(&tree, "push button", "＋ 연락 기록");
    let advisor = position(&tree, "label", "다음 할 일");
    position(&tree, "push button", "복사");
    // Reading order (and Tab order, which follows it): menu, case list, the case, next steps.
    assert!(
        menu < new_case && new_case < timeline && timeline < advisor,
        "the panels are out of reading order: menu {menu}, list {new_case}, case {timeline}, \
         advisor {advisor}"
    );
    let unnamed = unnamed_controls(&tree);
    assert!(
        unnamed.is_empty(),
        "controls without a Korean name on the case view: {unnamed:?}"
    );
    // A form: every field is named by its label.
    session.chord("ctrl+l");
    let form = tree_with(&desktop, "상담원 이름");
    position(&form, "entry", "상담원 이름");
    let unnamed = unnamed_controls(&form);
    assert!(
        unnamed.is_empty(),
        "controls without a Korean name in the contact form: {unnamed:?}"
    );
    drop(session.close());
}
