//! Recording from a real capture device without hardware: a private PulseAudio server per test
//! with a 1 kHz sine source as the default input. cpal opens ALSA's `default` device, which
//! Debian's ALSA configuration (libasound2-plugins) routes to PulseAudio.
//!
//! Needs `pulseaudio`, `pactl` and `libasound2-plugins` (installed by `.ci/install-deps`).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::pulse::Pulse;
use crate::util::Dir;

impl Pulse {
    /// A `recourse` command that records through this server.
    fn command(&self, dir: &Dir, args: &[&str]) -> Command {
        let mut cmd = dir.command(args);
        cmd.env("XDG_RUNTIME_DIR", self.runtime_dir())
            .env("HOME", self.runtime_dir());
        cmd
    }
}

fn case_with_call(dir: &Dir) -> (String, String) {
    let (case, contact, _) = dir.sample_case();
    (case, contact)
}

/// The vault file of the evidence line `E001 <sha256> <name>`.
fn vault_file(dir: &Dir, line: &str) -> (String, PathBuf) {
    let mut parts = line.split_whitespace();
    let label = parts.next().expect("label").to_owned();
    let sha = parts.next().expect("sha256");
    assert_eq!(sha.len(), 64, "{line}");
    let path = dir
        .data_dir()
        .join("vault/objects")
        .join(&sha[..2])
        .join(&sha[2..]);
    assert!(path.is_file(), "{}", path.display());
    (label, path)
}

/// Mono 16-bit samples and the rate, read with hound (an independent reader).
fn samples(path: &Path) -> (Vec<i16>, u32) {
    let reader = hound::WavReader::open(path).expect("a readable WAV");
    let spec = reader.spec();
    assert_eq!(spec.channels, 1);
    assert_eq!(spec.bits_per_sample, 16);
    let s = reader
        .into_samples::<i16>()
        .map(|s| s.expect("sample"))
        .collect();
    (s, spec.sample_rate)
}

/// The dominant frequency of a clean tone: rising zero crossings per second, over the middle
/// of the recording (away from the edges).
fn frequency(samples: &[i16], rate: u32) -> f64 {
    let n = samples.len();
    let part = &samples[n / 6..n - n / 6];
    let rising = part.windows(2).filter(|w| w[0] < 0 && w[1] >= 0).count();
    rising as f64 * f64::from(rate) / part.len() as f64
}

/// Lines of `case show --json` evidence for the case.
fn evidence_json(dir: &Dir, case: &str) -> Vec<serde_json::Value> {
    let shown = dir.json(&["case", "show", case, "--json"]);
    shown["evidence"].as_array().expect("evidence list").clone()
}

#[test]
fn records_three_seconds_of_a_tone_and_files_it() {
    let pulse = Pulse::start();
    let dir = Dir::new();
    let (case, contact) = case_with_call(&dir);
    let out = pulse
        .command(
            &dir,
            &["record", &case, "--contact", &contact, "--seconds", "3"],
        )
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("0 samples dropped"), "{stderr}");
    assert!(
        stderr.contains("tell the agent"),
        "the recording reminder: {stderr}"
    );
    let line = String::from_utf8(out.stdout).unwrap();
    let (label, path) = vault_file(&dir, line.trim());
    assert_eq!(label, "E001");

    let (s, rate) = samples(&path);
    let seconds = s.len() as f64 / f64::from(rate);
    assert!((seconds - 3.0).abs() <= 0.15, "{seconds} s recorded");
    let f = frequency(&s, rate);
    assert!((f - 1000.0).abs() <= 5.0, "dominant frequency {f} Hz");
    let peak = s.iter().map(|v| i32::from(*v).abs()).max().unwrap();
    assert!(
        peak > 8_000,
        "the tone is audible, not silence (peak {peak})"
    );

    let e = &evidence_json(&dir, &case)[0];
    assert_eq!(e["kind"], "recording");
    assert_eq!(e["source"], "recording");
    assert_eq!(e["contact_id"].as_i64().unwrap().to_string(), contact);
    assert_eq!(e["audio"]["sample_rate"], rate);
    let ms = e["audio"]["duration_ms"].as_u64().unwrap();
    assert!((2_850..=3_150).contains(&ms), "{ms} ms on record");
    assert!(e["audio"].get("recovered").is_none());
    // Nothing left behind.
    let partial = dir.data_dir().join("recordings/partial");
    assert_eq!(std::fs::read_dir(partial).unwrap().count(), 0);
    dir.ok(&["fsck"]);
}

#[test]
fn kill_9_mid_recording_loses_at_most_a_second_and_is_filed_at_the_next_start() {
    let pulse = Pulse::start();
    let dir = Dir::new();
    let (case, contact) = case_with_call(&dir);
    let mut child = pulse
        .command(&dir, &["record", &case, "--contact", &contact])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it says it is recording, then let it record 4.5 s.
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("recording from") {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "recorder exited early"
        );
    }
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(1500));
    writeln!(child.stdin.as_mut().unwrap(), "환불 거부 발언").unwrap();
    std::thread::sleep(Duration::from_millis(4500).saturating_sub(started.elapsed()));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let partial = dir.data_dir().join("recordings/partial");
    assert!(std::fs::read_dir(&partial).unwrap().count() > 0);
    // fsck only looks; any other command files it.
    let fsck = String::from_utf8(dir.output(&["fsck"]).stdout).unwrap();
    assert!(fsck.contains("recordings/partial"), "{fsck}");
    let out = dir.output(&["case", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("recovered after interruption"), "{stderr}");
    assert_eq!(std::fs::read_dir(&partial).unwrap().count(), 0);

    let e = &evidence_json(&dir, &case)[0];
    assert_eq!(e["audio"]["recovered"], true);
    let sha = e["sha256"].as_str().unwrap();
    let (_, path) = vault_file(&dir, &format!("E001 {sha}"));
    let (s, rate) = samples(&path);
    let seconds = s.len() as f64 / f64::from(rate);
    assert!(seconds >= 3.0, "only {seconds} s survived");
    let f = frequency(&s, rate);
    assert!((f - 1000.0).abs() <= 5.0, "dominant frequency {f} Hz");
    // The bookmark typed before the kill survived too, in the database and the file.
    let marks = e["audio"]["bookmarks"].as_array().unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0]["note"], "환불 거부 발언");
    assert_eq!(cues(&path).len(), 1);
    dir.ok(&["fsck"]);
}

/// The (sample offset, label) of each cue point, parsed here from the RIFF chunks directly.
fn cues(path: &Path) -> Vec<(u32, Option<String>)> {
    let b = std::fs::read(path).unwrap();
    let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    assert_eq!(&b[0..4], b"RIFF");
    assert_eq!(u32_at(4) as usize, b.len() - 8, "RIFF size covers the file");
    let (mut points, mut labels) = (Vec::new(), std::collections::HashMap::new());
    let mut at = 12;
    while at + 8 <= b.len() {
        let size = u32_at(at + 4) as usize;
        let body = at + 8;
        match &b[at..at + 4] {
            b"cue " => {
                for i in 0..u32_at(body) as usize {
                    let p = body + 4 + i * 24;
                    points.push((u32_at(p), u32_at(p + 20)));
                }
            }
            b"LIST" if &b[body..body + 4] == b"adtl" => {
                let mut s = body + 4;
                while s < body + size {
                    let n = u32_at(s + 4) as usize;
                    if &b[s..s + 4] == b"labl" {
                        let text = &b[s + 12..s + 8 + n];
                        let text = text.split(|c| *c == 0).next().unwrap();
                        labels.insert(u32_at(s + 8), String::from_utf8(text.to_vec()).unwrap());
                    }
                    s += 8 + n + (n & 1);
                }
            }
            _ => {}
        }
        at = body + size + (size & 1);
    }
    points
        .into_iter()
        .map(|(id, offset)| (offset, labels.remove(&id)))
        .collect()
}

#[test]
fn bookmarks_round_trip_through_the_wav_cue_chunk() {
    let pulse = Pulse::start();
    let dir = Dir::new();
    let (case, contact) = case_with_call(&dir);
    let mut child = pulse
        .command(
            &dir,
            &[
                "record",
                &case,
                "--contact",
                &contact,
                "--seconds",
                "3",
                "--announced",
            ],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    writeln!(stdin, "금요일까지 연락 준다고 함").unwrap();
    writeln!(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8(out.stdout).unwrap();
    let (_, path) = vault_file(&dir, line.trim());

    let e = &evidence_json(&dir, &case)[0];
    let rate = e["audio"]["sample_rate"].as_u64().unwrap();
    let db: Vec<(u64, Option<String>)> = e["audio"]["bookmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["offset_ms"].as_u64().unwrap(),
                b["note"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(db.len(), 2, "{db:?}");
    assert_eq!(db[0].1.as_deref(), Some("금요일까지 연락 준다고 함"));
    assert_eq!(db[1].1, None, "Enter alone is a bookmark without a note");
    let in_file = cues(&path);
    assert_eq!(in_file.len(), 2);
    for ((ms, note), (offset, label)) in db.iter().zip(&in_file) {
        assert_eq!(u64::from(*offset), (ms * rate + 500) / 1000);
        assert_eq!(note, label);
    }
    // The agent was told: the contact says so now, through the ledger.
    let contact_row: bool = dir
        .sqlite()
        .query_row(
            "SELECT recording_announced FROM contacts WHERE id = ?1",
            [&contact],
            |r| r.get(0),
        )
        .unwrap();
    assert!(contact_row);
    // Other tools still read the audio.
    assert_eq!(samples(&path).0.len() as u64, 3 * rate);
}

#[test]
fn no_microphone_is_exit_2_and_writes_nothing() {
    let dir = Dir::new();
    let (case, contact) = case_with_call(&dir);
    let empty = tempfile::tempdir().unwrap();
    // No sound server at all.
    let out = dir
        .command(&["record", &case, "--contact", &contact, "--seconds", "1"])
        .env("XDG_RUNTIME_DIR", empty.path())
        .env("PULSE_SERVER", "unix:/nonexistent")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no microphone"), "{stderr}");
    assert!(stderr.contains("import a recording"), "{stderr}");
    // A named device that is not there.
    let pulse = Pulse::start();
    let out = pulse
        .command(
            &dir,
            &[
                "record",
                &case,
                "--contact",
                &contact,
                "--device",
                "no-such-mic",
            ],
        )
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no microphone called \"no-such-mic\""),
        "{stderr}"
    );
    assert!(stderr.contains("--device"), "{stderr}");
    let partial = dir.data_dir().join("recordings/partial");
    assert_eq!(std::fs::read_dir(partial).unwrap().count(), 0);
    assert!(evidence_json(&dir, &case).is_empty());
}

#[test]
fn where_every_party_must_agree_it_records_only_after_the_announcement() {
    let pulse = Pulse::start();
    let dir = Dir::new();
    let (case, contact) = case_with_call(&dir);
    dir.ok(&["settings", "--recording-consent", "all-party"]);
    let out = pulse
        .command(
            &dir,
            &["record", &case, "--contact", &contact, "--seconds", "1"],
        )
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--announced"), "{stderr}");
    assert!(evidence_json(&dir, &case).is_empty());
    let out = pulse
        .command(
            &dir,
            &[
                "record",
                &case,
                "--contact",
                &contact,
                "--seconds",
                "1",
                "--announced",
            ],
        )
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(evidence_json(&dir, &case).len(), 1);
}

#[test]
fn devices_lists_the_default_input() {
    let pulse = Pulse::start();
    let dir = Dir::new();
    let out = pulse.command(&dir, &["devices"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("default") && first.ends_with("default"),
        "{stdout}"
    );
    // The sound libraries' probing noise is not shown.
    assert!(!String::from_utf8_lossy(&out.stderr).contains("ALSA lib"));
}

#[test]
fn recordings_made_elsewhere_are_recordings_with_their_length() {
    let dir = Dir::new();
    let (case, contact) = case_with_call(&dir);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // A raw AMR-NB file as phone recorders write it: 100 frames of 20 ms (mode 7, 31 bytes).
    let mut amr = b"#!AMR\n".to_vec();
    for _ in 0..100 {
        amr.push(7 << 3 | 0x04);
        amr.extend_from_slice(&[0x55; 31]);
    }
    let amr = dir.file("통화녹음_0312.amr", &amr);
    // A WAV from some other recorder (44.1 kHz stereo, 1.25 s).
    let wav = dir.path().join("call.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    for _ in 0..(44_100 * 5 / 4 * 2) {
        w.write_sample(0i16).unwrap();
    }
    w.finalize().unwrap();
    // (file, length made, tolerance, media type). AAC and MP3 encoders add a priming frame or
    // two (AAC: 1024 samples, 128 ms at 8 kHz; MP3: 1152); AMR and WAV are exact.
    let files = [
        (fixtures.join("call.m4a"), 2_000, 130, "audio/m4a"),
        (fixtures.join("call.3gp"), 1_500, 260, "video/3gpp"),
        (fixtures.join("call.mp3"), 2_500, 110, "audio/mpeg"),
        (amr, 2_000, 0, "audio/amr"),
        (wav, 1_250, 0, "audio/x-wav"),
    ];
    let mut args = vec!["evidence", "add", &case, "--contact", &contact];
    let paths: Vec<String> = files
        .iter()
        .map(|(p, _, _, _)| p.display().to_string())
        .collect();
    args.extend(paths.iter().map(String::as_str));
    dir.ok(&args);
    let evidence = evidence_json(&dir, &case);
    assert_eq!(evidence.len(), files.len());
    for (e, (path, ms, tolerance, media)) in evidence.iter().zip(&files) {
        let name = path.file_name().unwrap().to_string_lossy();
        assert_eq!(e["kind"], "recording", "{name}");
        assert_eq!(e["media_type"], *media, "{name}");
        let got = e["audio"]["duration_ms"].as_u64().unwrap_or(0);
        assert!(
            got.abs_diff(*ms) <= *tolerance,
            "{name}: {got} ms, made {ms} ms"
        );
    }
    // `case show` says it for people too.
    let shown = dir.ok(&["case", "show", &case]);
    assert!(shown.contains("audio: 0:02 · 16000 Hz"), "{shown}");
    dir.ok(&["fsck"]);
}

/// Lays out `<name>.wav` and `<name>.json` in `partial` as kill -9 leaves a recording of
/// `samples` (8 kHz mono) for a contact: the header flushed, never finalized.
fn killed_recording(partial: &Path, name: &str, case: &str, contact: &str, samples: &[i16]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(partial.join(format!("{name}.wav")), spec).unwrap();
    for &s in samples {
        w.write_sample(s).unwrap();
    }
    w.flush().unwrap();
    std::mem::forget(w); // never finalized, as a kill leaves it
    let meta = serde_json::json!({
        "case_id": case.parse::<u64>().unwrap(),
        "contact_id": contact.parse::<u64>().unwrap(),
        "started_at": "2026-11-20T05:30:00Z",
        "device": "default",
        "sample_rate": 8000,
        "channels": 1,
    });
    std::fs::write(partial.join(format!("{name}.json")), meta.to_string()).unwrap();
}

/// What kill -9 can leave at each moment of a recording's start, laid out by hand: the next
/// start removes what holds no sound (and says so), files what does, and leaves nothing behind.
#[test]
fn a_recording_killed_while_starting_leaves_nothing_behind() {
    let dir = Dir::new();
    let (case, contact) = case_with_call(&dir);
    let partial = dir.data_dir().join("recordings/partial");
    std::fs::create_dir_all(&partial).unwrap();
    // 1: killed after the file was made, while its description was being written.
    std::fs::write(partial.join("recording-a.wav"), b"").unwrap();
    std::fs::write(partial.join("recording-a.json.tmp"), b"{\"case_id\":").unwrap();
    // 2: killed after the header, before the device gave a sample.
    killed_recording(&partial, "recording-b", &case, &contact, &[]);
    // 3: killed half a second in.
    let tone: Vec<i16> = (0..4000)
        .map(|i| ((i as f64 * 0.785).sin() * 8000.0) as i16)
        .collect();
    killed_recording(&partial, "recording-c", &case, &contact, &tone);

    let out = dir.output(&["case", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("removed 2 recording(s) interrupted before any sound was saved"),
        "{stderr}"
    );
    assert!(stderr.contains("recovered after interruption"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(&partial).unwrap().flatten().collect();
    assert!(left.is_empty(), "{left:?}");
    let evidence = evidence_json(&dir, &case);
    let recordings: Vec<_> = evidence
        .iter()
        .filter(|e| e["kind"] == "recording")
        .collect();
    assert_eq!(recordings.len(), 1, "{evidence:?}");
    assert_eq!(recordings[0]["audio"]["recovered"], true);
    assert_eq!(recordings[0]["audio"]["duration_ms"], 500);
    let fsck = dir.output(&["fsck"]);
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stdout)
    );
}

/// Two calls can leave the same sound (a muted headset gives silence, a test tone repeats):
/// each recording is still its own evidence item of its own call, not folded into the other
/// by the vault's one-copy-per-content rule, because each file carries its own id.
#[test]
fn two_recordings_of_the_same_sound_are_two_items() {
    let dir = Dir::new();
    let (case, contact) = case_with_call(&dir);
    let partial = dir.data_dir().join("recordings/partial");
    std::fs::create_dir_all(&partial).unwrap();
    for name in ["recording-a", "recording-b"] {
        killed_recording(&partial, name, &case, &contact, &[0; 8000]);
    }
    let out = dir.output(&["case", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("filed as E001"), "{stderr}");
    assert!(stderr.contains("filed as E002"), "{stderr}");
    let evidence = evidence_json(&dir, &case);
    let recordings: Vec<_> = evidence
        .iter()
        .filter(|e| e["kind"] == "recording")
        .collect();
    assert_eq!(recordings.len(), 2, "{evidence:?}");
    assert_ne!(recordings[0]["sha256"], recordings[1]["sha256"]);
    for r in &recordings {
        assert_eq!(r["contact_id"].to_string(), contact);
        assert_eq!(r["audio"]["duration_ms"], 1000);
        let sha = r["sha256"].as_str().unwrap();
        let (_, path) = vault_file(&dir, &format!("E00x {sha}"));
        // The same second of silence, read back with hound; the file says when it started.
        let (s, rate) = samples(&path);
        assert_eq!((s.len(), rate), (8000, 8000));
        assert!(s.iter().all(|&x| x == 0));
        let info = recourse::audio::wav::read_info(&path).unwrap();
        assert!(
            info.contains(&(*b"ICRD", "2026-11-20T05:30:00Z".to_owned())),
            "{info:?}"
        );
        assert!(
            info.iter()
                .any(|(id, t)| id == b"ICMT" && t.starts_with("recourse recording "))
        );
    }
}
