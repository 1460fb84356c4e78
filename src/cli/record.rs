//! `recourse devices` and `recourse record`.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::{Ctx, Outcome};
use crate::audio::{self, RecordOptions, Recorder};
use crate::model::{CaseId, ContactId, RecordingConsent, duration_text};

/// `record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The case id.
    case: i64,
    /// The contact (call) being recorded; log it first with `recourse contact add`.
    #[arg(long)]
    contact: i64,
    /// Stop after this many seconds [default: record until Ctrl+C].
    #[arg(long, value_name = "N")]
    seconds: Option<f64>,
    /// The input device (see `recourse devices`) [default: the system's default input].
    #[arg(long, value_name = "NAME")]
    device: Option<String>,
    /// Keep two channels instead of mixing down to mono.
    #[arg(long)]
    stereo: bool,
    /// The agent has been told the call is recorded (marks the contact so); required where
    /// every party must consent (`recourse settings --recording-consent all-party`).
    #[arg(long)]
    announced: bool,
}

/// Lists the input devices.
pub fn devices() -> anyhow::Result<Outcome> {
    let devices = audio::input_devices();
    if devices.is_empty() {
        anyhow::bail!(
            "no microphone found; plug one in (or enable it in the system's sound settings), or import a recording made on your phone with `recourse evidence add`"
        );
    }
    let width = devices
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(0);
    for d in devices {
        println!(
            "{:<width$}  {}{}{}",
            d.name,
            d.description,
            d.format.map(|f| format!(" · {f}")).unwrap_or_default(),
            if d.is_default { " · default" } else { "" },
        );
    }
    Ok(Outcome::Done)
}

/// Records until `--seconds` or Ctrl+C, then files the recording as evidence.
pub fn record(ctx: &Ctx, args: RecordArgs) -> anyhow::Result<Outcome> {
    let limit = match args.seconds {
        Some(s) if !(s > 0.0 && s <= 86_400.0) => anyhow::bail!(
            "--seconds {s} is not a length of time; give a number of seconds between 0 and 86400, or leave it out and stop with Ctrl+C"
        ),
        Some(s) => Some(Duration::from_secs_f64(s)),
        None => None,
    };
    let mut dd = ctx.open()?;
    let case_id = CaseId(args.case);
    let contact_id = ContactId(args.contact);
    dd.store.case(case_id)?;
    dd.store.check_contact_in_case(contact_id, case_id)?;
    let contact = dd.store.contact(contact_id)?;
    if args.announced && !contact.fields.recording_announced {
        let mut fields = contact.fields.clone();
        fields.recording_announced = true;
        dd.store
            .edit_contact(contact_id, &contact.fields, &fields, ctx.now)?;
    } else if !contact.fields.recording_announced {
        match dd.store.recording_consent()? {
            RecordingConsent::AllParty => anyhow::bail!(
                "where you live every party must agree to a recording (setting: all-party); tell the agent the call is recorded, then run this again with --announced"
            ),
            RecordingConsent::OneParty => eprintln!(
                "reminder: tell the agent you are recording this call (\"이 통화는 기록을 위해 녹음하고 있습니다\" / \"I am recording this call for my records\"); it makes evasive answers harder. --announced marks that you did"
            ),
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let on_signal = Arc::clone(&stop);
    ctrlc::set_handler(move || on_signal.store(true, Ordering::SeqCst))
        .context("cannot catch Ctrl+C; give --seconds instead")?;
    let options = RecordOptions {
        case_id,
        contact_id,
        device: args.device,
        keep_stereo: args.stereo,
        max_duration: limit,
    };
    let mut recorder = Recorder::start(&dd, &options, ctx.now)?;
    let meta = recorder.meta().clone();
    eprintln!(
        "recording from \"{}\" at {} Hz, {} to {}{}",
        meta.device,
        meta.sample_rate,
        if meta.channels == 1 { "mono" } else { "stereo" },
        recorder.path().display(),
        if limit.is_some() {
            String::new()
        } else {
            " — press Ctrl+C to stop and file it".to_owned()
        }
    );
    // Each line typed while recording is a bookmark, its text the note (Enter alone: none).
    let (marks_tx, marks) = std::sync::mpsc::channel::<String>();
    std::thread::Builder::new()
        .name("bookmark-input".into())
        .spawn(move || {
            for line in std::io::stdin().lines().map_while(Result::ok) {
                if marks_tx.send(line).is_err() {
                    break;
                }
            }
        })
        .context("cannot read bookmarks from the terminal")?;
    if std::io::stdin().is_terminal() {
        eprintln!("  type a note and press Enter to bookmark this moment (Enter alone: no note)");
    }
    let live = std::io::stderr().is_terminal();
    let mut last_shown = 0;
    let failure = loop {
        std::thread::sleep(Duration::from_millis(10));
        while let Ok(note) = marks.try_recv() {
            let mark = recorder.bookmark(Some(note))?;
            eprintln!(
                "{}bookmark at {}{}",
                if live { "\r" } else { "" },
                duration_text(mark.offset_ms),
                mark.note.map(|n| format!(": {n}")).unwrap_or_default()
            );
        }
        let status = recorder.status();
        if let Some(f) = status.failure {
            break Some(f);
        }
        if stop.load(Ordering::SeqCst) || limit.is_some_and(|l| status.elapsed >= l) {
            break None;
        }
        let secs = status.elapsed.as_secs();
        if live && secs != last_shown {
            last_shown = secs;
            eprint!(
                "\r  {}  level {:>3.0}%  dropped {}   ",
                duration_text(status.elapsed.as_millis() as u64),
                status.peak * 100.0,
                status.dropped_samples
            );
        }
    };
    if live {
        eprintln!();
    }
    let finished = recorder
        .finish(&mut dd, chrono::Utc::now().max(ctx.now))
        .context("the recording is kept in recordings/partial and will be filed the next time recourse starts")?;
    let added = &finished.added;
    println!(
        "{} {} {}",
        crate::model::evidence_label(added.number),
        added.sha256,
        added.original_name
    );
    eprintln!(
        "{} recorded · {} samples dropped · {} overruns",
        duration_text(finished.report.frames * 1000 / u64::from(meta.sample_rate)),
        finished.dropped_samples,
        finished.overruns
    );
    if let Some(f) = failure {
        anyhow::bail!("recording stopped early: {f}");
    }
    Ok(Outcome::Done)
}

/// `settings`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Whose consent recording a call needs where you live: one-party (Korea: you may record
    /// your own call; the app reminds you to announce it) or all-party (the app records only
    /// after you confirm the agent was told).
    #[arg(long, value_parser = super::code::<RecordingConsent>())]
    recording_consent: Option<RecordingConsent>,
    /// Days a case may stay open before the advisor suggests an outside body (1372, mediation,
    /// the card issuer) [default: 14].
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    escalate_after_days: Option<u32>,
    /// The time zone packets show their times in, by IANA name (e.g. Asia/Seoul); recorded
    /// from the system the first time a packet is built.
    #[arg(long, value_name = "ZONE", value_parser = parse_zone)]
    zone: Option<chrono_tz::Tz>,
    /// The RFC 3161 time-stamping authority `recourse timestamp` sends requests to (only a
    /// hash leaves the machine); "" for none, the default: then recourse never connects.
    #[arg(long, value_name = "URL", value_parser = parse_tsa_url)]
    tsa_url: Option<String>,
    /// The app timestamps a case after each change, at most every MINUTES (needs --tsa-url);
    /// 0 turns it off, the default.
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(0..=10080))]
    timestamp_every: Option<u32>,
}

/// A TSA URL (http or https), or "" for none, by [`crate::proof::tsa::tsa_url`]'s rule.
fn parse_tsa_url(s: &str) -> Result<String, String> {
    crate::proof::tsa::tsa_url(s).map(Option::unwrap_or_default)
}

/// An IANA zone name, with an error that says what to give.
pub fn parse_zone(s: &str) -> Result<chrono_tz::Tz, String> {
    s.parse().map_err(|_| {
        format!(
            "'{}' is not an IANA time zone name; give one like Asia/Seoul or Europe/Berlin",
            s.escape_debug()
        )
    })
}

/// Shows the settings, changing those given.
pub fn settings(ctx: &Ctx, args: SettingsArgs) -> anyhow::Result<Outcome> {
    let mut dd = ctx.open()?;
    if let Some(rule) = args.recording_consent {
        dd.store.set_recording_consent(rule)?;
    }
    if let Some(days) = args.escalate_after_days {
        dd.store.set_escalate_external_after_days(days)?;
    }
    if let Some(zone) = args.zone {
        dd.store.set_zone(zone)?;
    }
    println!("recording-consent {}", dd.store.recording_consent()?);
    println!(
        "escalate-after-days {}",
        dd.store.advisor_settings()?.escalate_external_after_days
    );
    if let Some(url) = &args.tsa_url {
        dd.store
            .set_tsa_url(Some(url.as_str()).filter(|u| !u.is_empty()))?;
    }
    if let Some(minutes) = args.timestamp_every {
        dd.store
            .set_timestamp_every_minutes(Some(minutes).filter(|m| *m > 0))?;
    }
    println!("zone {}", dd.store.zone()?.name());
    println!(
        "tsa-url {}",
        dd.store.tsa_url()?.as_deref().unwrap_or("none")
    );
    println!(
        "timestamp-every {}",
        dd.store
            .timestamp_every_minutes()?
            .map_or("off".to_owned(), |m| format!("{m} minutes"))
    );
    Ok(Outcome::Done)
}
