//! The crash-kill harness: real `recourse` processes doing mixed work (cases, contacts, edits,
//! promises, small and 24 MB evidence imports, packet builds, recordings when a capture device
//! can be had), killed with SIGKILL at random moments. After every kill: `fsck` is clean,
//! every operation that reported success is fully there, nothing is half there, no temp file
//! outlives the next start, and a killed recording is recovered to within 1.5 s of the kill.
//!
//! `cargo test --test integration stress -- --nocapture` prints the counts; the short variant
//! (25 kills) runs in CI, the full one (200) with `-- --ignored`. `RECOURSE_KILLS=N` overrides.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::Dir;

/// A small deterministic generator (xorshift64*): a failing run repeats with its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len() as u64) as usize])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    NewCase,
    EditCase,
    AddContact,
    EditContact,
    AddPromise,
    EndPromise,
    SmallEvidence,
    LargeEvidence,
    Packet,
    Record,
}

impl Op {
    /// The window a kill lands in, from the process start: wide enough to hit every phase.
    fn kill_window_ms(self) -> (u64, u64) {
        match self {
            Op::LargeEvidence => (0, 1500),
            Op::Packet => (0, 900),
            Op::SmallEvidence => (0, 120),
            // From the moment `record` says it is recording (or, for one in five, from the
            // process start, to land in the device opening).
            Op::Record => (1500, 4000),
            _ => (0, 90),
        }
    }
}

/// What the harness knows must be in the data directory: only what a command reported done.
#[derive(Default)]
struct Expected {
    /// Case id → acceptable titles (the last confirmed one, and any edit killed since).
    titles: BTreeMap<u64, Vec<String>>,
    /// Case id → confirmed contacts (id → acceptable summaries).
    contacts: BTreeMap<u64, BTreeMap<u64, Vec<String>>>,
    /// Case id → confirmed promises (id → ended as, if confirmed).
    promises: BTreeMap<u64, BTreeMap<u64, Option<&'static str>>>,
    /// Case id → SHA-256 of confirmed evidence.
    evidence: BTreeMap<u64, Vec<String>>,
    /// Packets built (path, size): verified when built, then expected to stay as they are.
    packets: Vec<(PathBuf, u64)>,
}

#[derive(Default, Debug)]
struct Counts {
    runs: usize,
    kills: usize,
    confirmed: usize,
    lost: usize,
    fsck_failures: usize,
    half_present: usize,
    failed: usize,
    recordings_killed: usize,
    recordings_killed_starting: usize,
    recording_loss_max_ms: u64,
}

struct Harness {
    d: Dir,
    rng: Rng,
    expected: Expected,
    counts: Counts,
    pulse: Option<crate::pulse::Pulse>,
    big: Vec<u8>,
    problems: Vec<String>,
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).trim().to_owned()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

impl Harness {
    fn new(seed: u64) -> Harness {
        let pulse = std::process::Command::new("pulseaudio")
            .arg("--version")
            .output()
            .is_ok()
            .then(crate::pulse::Pulse::start);
        // Distinct bytes, so a large import really copies (zeros could be cheap).
        let big = (0..(24u32 << 20))
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        Harness {
            d: Dir::new(),
            rng: Rng(seed | 1),
            expected: Expected::default(),
            counts: Counts::default(),
            pulse,
            big,
            problems: Vec::new(),
        }
    }

    fn spawn(&self, args: &[String]) -> Child {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut cmd = self.d.command(&args);
        if let Some(p) = &self.pulse {
            cmd.env("XDG_RUNTIME_DIR", p.runtime_dir())
                .env("HOME", p.runtime_dir());
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn recourse")
    }

    fn choose(&mut self) -> Op {
        let has_case = !self.expected.titles.is_empty();
        let has_contact = self.expected.contacts.values().any(|c| !c.is_empty());
        let has_pending = self
            .expected
            .promises
            .values()
            .any(|p| p.values().any(Option::is_none));
        let mut ops = vec![Op::NewCase];
        if has_case {
            ops.extend([
                Op::EditCase,
                Op::AddContact,
                Op::AddContact,
                Op::SmallEvidence,
                Op::SmallEvidence,
                Op::LargeEvidence,
                Op::Packet,
                Op::EditCase,
                Op::AddContact,
            ]);
        }
        if has_contact {
            ops.extend([Op::EditContact, Op::AddPromise, Op::AddPromise]);
            if self.pulse.is_some() {
                ops.push(Op::Record);
            }
        }
        if has_pending {
            ops.push(Op::EndPromise);
        }
        *self.rng.pick(&ops).unwrap_or(&Op::NewCase)
    }

    fn some_case(&mut self) -> u64 {
        let ids: Vec<u64> = self.expected.titles.keys().copied().collect();
        *self.rng.pick(&ids).unwrap_or(&1)
    }

    fn some_contact(&mut self) -> (u64, u64) {
        let pairs: Vec<(u64, u64)> = self
            .expected
            .contacts
            .iter()
            .flat_map(|(case, cs)| cs.keys().map(|c| (*case, *c)))
            .collect();
        *self.rng.pick(&pairs).unwrap_or(&(1, 1))
    }

    /// Runs one operation and kills it at a random moment (or lets it finish first).
    fn step(&mut self, n: usize) {
        let op = self.choose();
        let tag = format!("{n:04}");
        let mut file_sha = None;
        let mut packet_out = None;
        let mut record_contact = None;
        let args: Vec<String> = match op {
            Op::NewCase => vec![
                "case".into(),
                "new".into(),
                "--title".into(),
                format!("사건 {tag}"),
                "--company".into(),
                "가나다몰".into(),
                "--delivered".into(),
                "2026-11-17".into(),
            ],
            Op::EditCase => {
                let case = self.some_case();
                let title = format!("고친 제목 {tag}");
                self.expected
                    .titles
                    .entry(case)
                    .or_default()
                    .push(title.clone());
                vec![
                    "case".into(),
                    "edit".into(),
                    case.to_string(),
                    "--title".into(),
                    title,
                ]
            }
            Op::AddContact => vec![
                "contact".into(),
                "add".into(),
                self.some_case().to_string(),
                "--channel".into(),
                "phone".into(),
                "--tier".into(),
                "first-line".into(),
                "--agent".into(),
                "김상담".into(),
                "--summary".into(),
                format!("통화 {tag}"),
                "--at".into(),
                "2026-11-18T14:30:00+09:00".into(),
                "--outcome".into(),
                "promised-follow-up".into(),
            ],
            Op::EditContact => {
                let (case, contact) = self.some_contact();
                let summary = format!("고친 요약 {tag}");
                if let Some(s) = self
                    .expected
                    .contacts
                    .get_mut(&case)
                    .and_then(|c| c.get_mut(&contact))
                {
                    s.push(summary.clone());
                }
                vec![
                    "contact".into(),
                    "edit".into(),
                    contact.to_string(),
                    "--summary".into(),
                    summary,
                ]
            }
            Op::AddPromise => {
                let (case, contact) = self.some_contact();
                vec![
                    "promise".into(),
                    "add".into(),
                    case.to_string(),
                    "--contact".into(),
                    contact.to_string(),
                    "--what".into(),
                    format!("약속 {tag}"),
                    "--due".into(),
                    "2026-11-25T18:00:00+09:00".into(),
                ]
            }
            Op::EndPromise => {
                let pending: Vec<u64> = self
                    .expected
                    .promises
                    .values()
                    .flat_map(|p| p.iter().filter(|(_, e)| e.is_none()).map(|(id, _)| *id))
                    .collect();
                let id = *self.rng.pick(&pending).unwrap_or(&1);
                vec![
                    "promise".into(),
                    "end".into(),
                    id.to_string(),
                    "--broken".into(),
                ]
            }
            Op::SmallEvidence | Op::LargeEvidence => {
                let bytes: Vec<u8> = if op == Op::SmallEvidence {
                    let len = 1 + self.rng.below(64 << 10) as usize;
                    (0..len).map(|_| self.rng.next() as u8).collect()
                } else {
                    let mut b = self.big.clone();
                    b[..8].copy_from_slice(&self.rng.next().to_le_bytes());
                    b
                };
                file_sha = Some(sha256_hex(&bytes));
                let path = self.d.file(&format!("증거-{tag}.bin"), &bytes);
                vec![
                    "evidence".into(),
                    "add".into(),
                    self.some_case().to_string(),
                    path.to_string_lossy().into_owned(),
                ]
            }
            Op::Packet => {
                let case = self.some_case();
                let out = self
                    .d
                    .data_dir()
                    .join("packets")
                    .join(format!("case-{case}-{tag}.zip"));
                packet_out = Some(out.clone());
                vec![
                    "packet".into(),
                    "build".into(),
                    case.to_string(),
                    "--out".into(),
                    out.to_string_lossy().into_owned(),
                ]
            }
            Op::Record => {
                let (case, contact) = self.some_contact();
                record_contact = Some((case, contact));
                vec![
                    "record".into(),
                    case.to_string(),
                    "--contact".into(),
                    contact.to_string(),
                    "--seconds".into(),
                    "30".into(),
                ]
            }
        };

        let (lo, hi) = op.kill_window_ms();
        let mut delay = Duration::from_millis(lo + self.rng.below(hi - lo + 1));
        let while_starting = op == Op::Record && self.rng.below(5) == 0;
        if while_starting {
            delay = Duration::from_millis(self.rng.below(150));
        }
        let mut child = self.spawn(&args);
        let started = Instant::now();
        // `record`'s stderr, line by line as it comes, with when each came.
        let stderr = if op == Op::Record {
            child.stderr.take()
        } else {
            None
        };
        let said = stderr.map(|err| {
            let (tx, rx) = std::sync::mpsc::channel();
            let reader = std::thread::spawn(move || {
                use std::io::BufRead;
                let mut all = String::new();
                for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                    if line.starts_with("recording from") {
                        let _ = tx.send(Instant::now());
                    }
                    all.push_str(&line);
                    all.push('\n');
                }
                all
            });
            (rx, reader)
        });
        // A recording's clock starts when `record` says it is recording,
        // not when the process starts: opening the device can take a while on a busy machine.
        let mut recording_since = None;
        if let (Some((rx, _)), false) = (&said, while_starting) {
            recording_since = rx.recv_timeout(Duration::from_secs(15)).ok();
        }
        let kill_at = recording_since.unwrap_or(started) + delay;
        let finished = loop {
            if let Ok(Some(_)) = child.try_wait() {
                break true;
            }
            if Instant::now() >= kill_at {
                break false;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        let killed_after = recording_since.map(|s| s.elapsed());
        if !finished {
            let _ = child.kill(); // SIGKILL
        }
        let out = child.wait_with_output().expect("wait");
        let record_stderr = said
            .map(|(_, reader)| reader.join().unwrap_or_default())
            .unwrap_or_default();
        self.counts.runs += 1;
        let ok = finished && out.status.success();
        if !finished {
            self.counts.kills += 1;
        }
        // Every operation is valid when chosen: one that ran to its end and failed is a bug.
        if finished && !out.status.success() {
            self.counts.failed += 1;
            self.problems.push(format!(
                "#{n} {op:?} {args:?} failed: {}{}",
                text(&out.stderr),
                record_stderr
            ));
        }
        let printed = text(&out.stdout);

        // What a completed command reported becomes an expectation.
        if ok {
            self.counts.confirmed += 1;
            match op {
                Op::NewCase => {
                    let id: u64 = printed.parse().expect("case id");
                    self.expected.titles.insert(id, vec![format!("사건 {tag}")]);
                    self.expected.contacts.entry(id).or_default();
                }
                Op::EditCase => {
                    let case: u64 = args[2].parse().unwrap_or(0);
                    if let Some(t) = self.expected.titles.get_mut(&case) {
                        let last = t.pop().unwrap_or_default();
                        *t = vec![last];
                    }
                }
                Op::AddContact => {
                    let case: u64 = args[2].parse().unwrap_or(0);
                    let id: u64 = printed.parse().expect("contact id");
                    self.expected
                        .contacts
                        .entry(case)
                        .or_default()
                        .insert(id, vec![format!("통화 {tag}")]);
                }
                Op::EditContact => {
                    let id: u64 = args[2].parse().unwrap_or(0);
                    for cs in self.expected.contacts.values_mut() {
                        if let Some(s) = cs.get_mut(&id) {
                            let last = s.pop().unwrap_or_default();
                            *s = vec![last];
                        }
                    }
                }
                Op::AddPromise => {
                    let case: u64 = args[2].parse().unwrap_or(0);
                    let id: u64 = printed
                        .lines()
                        .next()
                        .unwrap_or("")
                        .parse()
                        .expect("promise id");
                    self.expected
                        .promises
                        .entry(case)
                        .or_default()
                        .insert(id, None);
                }
                Op::EndPromise => {
                    let id: u64 = args[2].parse().unwrap_or(0);
                    for ps in self.expected.promises.values_mut() {
                        if let Some(e) = ps.get_mut(&id) {
                            *e = Some("broken");
                        }
                    }
                }
                Op::SmallEvidence | Op::LargeEvidence => {
                    let case: u64 = args[2].parse().unwrap_or(0);
                    if let Some(sha) = file_sha.take() {
                        self.expected.evidence.entry(case).or_default().push(sha);
                    }
                }
                Op::Packet => {
                    // Checked whole now; later only that it is still there, unchanged.
                    if let Some(out) = &packet_out {
                        let v = self.d.output(&["verify", &out.to_string_lossy()]);
                        if v.status.code() != Some(0) {
                            self.counts.lost += 1;
                            self.problems
                                .push(format!("#{n} packet {} does not verify", out.display()));
                        }
                        let len = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
                        self.expected.packets.push((out.clone(), len));
                    }
                }
                Op::Record => {}
            }
        }
        if let Some(file) = args
            .get(3)
            .filter(|_| matches!(op, Op::SmallEvidence | Op::LargeEvidence))
        {
            let _ = std::fs::remove_file(file);
        }

        // The next start: it cleans up and files an interrupted recording.
        let next = self.d.output(&["case", "list", "--json"]);
        if !next.status.success() {
            self.problems.push(format!(
                "#{n} {op:?}: the next start failed: {}",
                text(&next.stderr)
            ));
        }
        if let (Some((case, contact)), false) = (record_contact, finished) {
            match killed_after {
                Some(after) => {
                    self.counts.recordings_killed += 1;
                    self.check_recording(n, case, contact, after, &record_stderr, &next.stderr);
                }
                // Killed while the device was opening: whatever was saved is filed or, with
                // no sound, removed; `check_clean` sees that nothing is left behind.
                None => self.counts.recordings_killed_starting += 1,
            }
        }
        // A killed packet build left nothing at its path, or a whole packet.
        if let Some(out) = packet_out.filter(|p| p.exists()) {
            let v = self.d.output(&["verify", &out.to_string_lossy()]);
            if v.status.code() != Some(0) {
                self.counts.half_present += 1;
                self.problems
                    .push(format!("#{n} packet at {} does not verify", out.display()));
            }
        }
        self.check_clean(n, op);
    }

    /// A killed recording is filed at the next start, flagged recovered, missing at most 1.5 s.
    fn check_recording(
        &mut self,
        n: usize,
        case: u64,
        contact: u64,
        after: Duration,
        record_said: &str,
        next_said: &[u8],
    ) {
        let show = self.d.json(&["case", "show", &case.to_string(), "--json"]);
        // The newest recording of that contact, flagged recovered.
        let recovered = show["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .rfind(|e| e["contact_id"] == contact && e["kind"] == "recording")
            .filter(|e| e["audio"]["recovered"] == true)
            .and_then(|e| e["audio"]["duration_ms"].as_u64());
        match recovered {
            Some(ms) => {
                let lost = (after.as_millis() as u64).saturating_sub(ms);
                self.counts.recording_loss_max_ms = self.counts.recording_loss_max_ms.max(lost);
                if lost > 1500 {
                    self.problems.push(format!(
                        "#{n}: recording killed after {after:?} recovered {ms} ms ({lost} ms lost)"
                    ));
                }
            }
            None => self.problems.push(format!(
                "#{n}: recording killed after {after:?} was not recovered; record said: {record_said:?}; the next start said: {:?}; evidence of the case: {}",
                text(next_said),
                show["evidence"]
            )),
        }
    }

    /// fsck is clean and no temp file or partial recording outlived the next start.
    fn check_clean(&mut self, n: usize, op: Op) {
        let fsck = self.d.output(&["fsck", "--json"]);
        let report: serde_json::Value =
            serde_json::from_slice(&fsck.stdout).unwrap_or(serde_json::Value::Null);
        if fsck.status.code() != Some(0) || report["is_intact"] != true {
            self.counts.fsck_failures += 1;
            self.problems
                .push(format!("#{n} after {op:?}: fsck: {}", text(&fsck.stdout)));
        }
        let leftovers: Vec<PathBuf> = ["vault/tmp", "recordings/partial"]
            .iter()
            .flat_map(|d| list(&self.d.data_dir().join(d)))
            .chain(
                list(&self.d.data_dir().join("packets"))
                    .into_iter()
                    .filter(|p| p.to_string_lossy().ends_with(".tmp")),
            )
            .collect();
        if !leftovers.is_empty() {
            self.counts.half_present += 1;
            self.problems
                .push(format!("#{n} after {op:?}: left behind: {leftovers:?}"));
        }
    }

    /// Every confirmed operation is fully there.
    fn check_confirmed(&mut self) {
        for (case, titles) in &self.expected.titles {
            let out = self
                .d
                .output(&["case", "show", &case.to_string(), "--json"]);
            if !out.status.success() {
                self.counts.lost += 1;
                self.problems.push(format!("case {case} is gone"));
                continue;
            }
            let show: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let title = show["case"]["title"].as_str().unwrap_or_default();
            if !titles.iter().any(|t| t == title) {
                self.counts.lost += 1;
                self.problems.push(format!(
                    "case {case}: title {title:?}, expected one of {titles:?}"
                ));
            }
            for (id, summaries) in self.expected.contacts.get(case).into_iter().flatten() {
                let found = show["contacts"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|c| c["id"] == *id);
                let ok = found.is_some_and(|c| {
                    summaries
                        .iter()
                        .any(|s| c["summary"].as_str() == Some(s.as_str()))
                });
                if !ok {
                    self.counts.lost += 1;
                    self.problems.push(format!(
                        "case {case}: contact {id} missing or wrong ({summaries:?})"
                    ));
                }
            }
            for (id, ended) in self.expected.promises.get(case).into_iter().flatten() {
                let found = show["promises"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|p| p["id"] == *id);
                let ok = match (found, ended) {
                    (Some(p), Some(status)) => p["status"] == *status,
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                if !ok {
                    self.counts.lost += 1;
                    self.problems.push(format!(
                        "case {case}: promise {id} missing or not {ended:?}"
                    ));
                }
            }
            for sha in self.expected.evidence.get(case).into_iter().flatten() {
                let present = show["evidence"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|e| e["sha256"] == *sha);
                if !present {
                    self.counts.lost += 1;
                    self.problems
                        .push(format!("case {case}: evidence {sha} missing"));
                }
            }
        }
        for (p, len) in &self.expected.packets {
            if std::fs::metadata(p).map(|m| m.len()).ok() != Some(*len) {
                self.counts.lost += 1;
                self.problems
                    .push(format!("packet {} is gone or changed", p.display()));
            }
        }
    }
}

fn list(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn run(kills: usize, seed: u64) {
    let kills = std::env::var("RECOURSE_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(kills);
    let mut h = Harness::new(seed);
    let started = Instant::now();
    let mut n = 0;
    // Completed runs do not count as kills (about three in four runs finish before their kill
    // moment on a busy machine); stop at the target once some operation was seen to complete
    // (on a loaded machine the first runs may all die early), or at ten times as many runs.
    while (h.counts.kills < kills || h.counts.confirmed == 0) && n < kills * 10 {
        n += 1;
        h.step(n);
        if n % 10 == 0 {
            h.check_confirmed();
        }
    }
    h.check_confirmed();
    let c = &h.counts;
    println!(
        "crash-kill harness (seed {seed}, {:.0} s, capture device: {}): {} runs, {} kills ({} of them recordings, {} more while a recording was starting), {} operations confirmed, {} failed, {} lost, {} fsck failures, {} half-present, recording loss max {} ms",
        started.elapsed().as_secs_f64(),
        if h.pulse.is_some() { "yes" } else { "no" },
        c.runs,
        c.kills,
        c.recordings_killed,
        c.recordings_killed_starting,
        c.confirmed,
        c.failed,
        c.lost,
        c.fsck_failures,
        c.half_present,
        c.recording_loss_max_ms,
    );
    assert!(
        h.problems.is_empty(),
        "{} problem(s):\n{}",
        h.problems.len(),
        h.problems.join("\n")
    );
    assert_eq!((c.lost, c.fsck_failures, c.half_present), (0, 0, 0));
    assert!(
        c.kills >= kills,
        "only {} of {kills} runs were killed",
        c.kills
    );
    assert!(c.confirmed > 0);
}

#[test]
fn crash_kill_harness_short() {
    run(25, 0x5EED_0001);
}

#[test]
#[ignore = "about 15 minutes; run with --ignored"]
fn crash_kill_harness_200_kills() {
    run(200, 0x5EED_0200);
}
