//! The command line: one file per subcommand, each a thin layer over the core.
//!
//! Exit codes (also in the README):
//! - 0: done (for `fsck`: everything holds).
//! - 1: a check found problems (`fsck`).
//! - 2: bad input or usage, or the command could not do what was asked; nothing was changed
//!   except what the command reported as done before the error.

mod advise;
mod case;
mod contact;
mod evidence;
mod fsck;
mod output;
mod packet;
mod promise;
mod proof;
mod record;

use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};

use crate::datadir::DataDir;
use crate::model::Code;

/// recourse: log every contact with a company's service center, hold it to its promises, keep
/// the evidence, and escalate with a packet anyone can verify.
#[derive(Debug, Parser)]
#[command(
    name = "recourse",
    version,
    max_term_width = 100,
    after_help = "Exit codes: 0 done · 1 a check found problems (fsck) · 2 bad input or usage (nothing was changed)\nEnvironment: RECOURSE_DATA_DIR (as --data-dir), RECOURSE_LANG (as --lang), RECOURSE_NOW (pretend the time is this RFC 3339 instant; for scripts and tests)"
)]
pub struct Cli {
    /// The data directory [default: the platform's data dir, e.g. ~/.local/share/recourse].
    #[arg(long, global = true, value_name = "DIR", env = "RECOURSE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// The language for the app and for packets.
    #[arg(long, global = true, value_enum, env = "RECOURSE_LANG")]
    pub lang: Option<Lang>,

    /// Open the app on a throwaway data directory holding a demo case.
    #[arg(long)]
    pub demo: bool,

    /// Open the app straight into review mode on a packet (read-only, nothing imported).
    #[arg(long, value_name = "FILE.zip")]
    pub review: Option<PathBuf>,

    /// What to do; with none, the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

pub use crate::names::Lang;

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open, list, show and edit cases.
    #[command(subcommand)]
    Case(Box<case::CaseCommand>),
    /// Log and edit contacts with the company (calls, chats, emails, …).
    #[command(subcommand)]
    Contact(contact::ContactCommand),
    /// Record what the company promised, with the five verification questions, and end it.
    #[command(subcommand)]
    Promise(promise::PromiseCommand),
    /// Add files (screenshots, photos, recordings, documents) as evidence.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
    /// Check the database, every case's ledger chain and every evidence file.
    Fsck(fsck::FsckArgs),
    /// List the audio input devices (microphones) `record` can use.
    Devices,
    /// Record a call: until --seconds or Ctrl+C, then file it as evidence of the contact;
    /// prints `E<number> <sha256> <file name>`.
    ///
    /// The file is written in recordings/partial and checkpointed every second; if recourse
    /// is killed, the next start repairs it and files it, flagged as recovered.
    Record(record::RecordArgs),
    /// Show or change settings (the recording-consent rule where you live, when to suggest an
    /// outside body).
    Settings(record::SettingsArgs),
    /// What to do next in a case, most urgent first: the reason (naming the contacts, the
    /// promise and the dates) and the words to say, in Korean and English.
    Advise(advise::AdviseArgs),
    /// Pending promises and legal deadlines across all open cases, soonest first.
    Due(advise::DueArgs),
    /// Write a letter or form from the case's facts: to the complaints department, the 1372
    /// centre, the mediation committee, the card company (installment defence), the seller
    /// (written withdrawal), or the 1372 online form's fields. Nothing absent is made up.
    Letter(advise::LetterArgs),
    /// Export pending promises and legal deadlines for a calendar.
    #[command(subcommand)]
    Calendar(advise::CalendarCommand),
    /// Build escalation packets.
    #[command(subcommand)]
    Packet(packet::PacketCommand),
    /// Check a packet: every file against manifest.json and SHA256SUMS, and the ledger chain.
    /// Exit 0 intact, 1 not intact, 2 unreadable or refused.
    Verify(packet::VerifyArgs),
    /// Verify a packet, then add its case here (records, evidence, and its ledger continued);
    /// prints the new case id. A packet that is not intact is refused.
    Import(packet::ImportArgs),
    /// Get an RFC 3161 trusted timestamp over the case's current ledger head: proof that every
    /// entry so far existed by the TSA's time. Through the TSA set with `settings --tsa-url`
    /// (only a hash leaves the machine), or by hand with --request-out and --import.
    Timestamp(proof::TimestampArgs),
    /// This data directory's sender key, which signs every packet's manifest.
    #[command(subcommand)]
    Key(proof::KeyCommand),
    /// A receipt code of the case's ledger to paste into a message to the company, so their
    /// inbox holds proof of your record; with --given-in, record where it went.
    Receipt(proof::ReceiptArgs),
    /// Write verify.html, the offline browser verifier every packet carries; prints its SHA-256.
    Verifier(proof::VerifierArgs),
}

/// The context every subcommand gets.
pub struct Ctx {
    /// The data directory's path (opened on demand).
    pub data_dir: PathBuf,
    /// The current time (from `RECOURSE_NOW` when set, for scripts and tests).
    pub now: DateTime<Utc>,
    /// The language asked for (packets).
    pub lang: Option<Lang>,
}

impl Ctx {
    /// Opens the data directory, saying so when it cleaned up after a killed import, and files
    /// any recording an interrupted run left behind.
    pub fn open(&self) -> anyhow::Result<DataDir> {
        let mut dd = self.open_as_is()?;
        let report = crate::audio::recover_partials(&mut dd, self.now);
        for r in &report.recovered {
            eprintln!(
                "note: a recording interrupted by a crash was repaired and filed as {} of case {} ({} saved, flagged \"recovered after interruption\")",
                crate::model::evidence_label(r.added.number),
                r.case_id,
                crate::model::duration_text(r.duration_ms)
            );
        }
        if report.empty > 0 {
            eprintln!(
                "note: removed {} recording(s) interrupted before any sound was saved; there was nothing to file",
                report.empty
            );
        }
        for p in &report.problems {
            eprintln!("warning: an interrupted recording could not be filed yet: {p}");
        }
        Ok(dd)
    }

    /// Opens the data directory without filing interrupted recordings (for `fsck`, which only
    /// looks).
    pub fn open_as_is(&self) -> anyhow::Result<DataDir> {
        let dd = DataDir::open(&self.data_dir)?;
        if dd.cleaned_temp_files > 0 {
            eprintln!(
                "note: removed {} unfinished import(s) left by an interrupted run; nothing stored was affected",
                dd.cleaned_temp_files
            );
        }
        if dd.cleaned_packet_files > 0 {
            eprintln!(
                "note: removed {} unfinished packet(s) left by an interrupted build",
                dd.cleaned_packet_files
            );
        }
        Ok(dd)
    }
}

/// How a command ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Done,
    /// A check found problems.
    CheckFailed,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::CheckFailed) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<Outcome> {
    let Some(command) = cli.command else {
        anyhow::bail!("no command given; see `recourse --help`");
    };
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => DataDir::default_path()?,
    };
    let now = match std::env::var("RECOURSE_NOW") {
        Ok(text) => crate::clock::parse_instant(&text)
            .context("RECOURSE_NOW is set but is not a time; unset it or give RFC 3339")?,
        Err(_) => Utc::now(),
    };
    let ctx = Ctx {
        data_dir,
        now,
        lang: cli.lang,
    };
    match command {
        Command::Case(cmd) => case::run(&ctx, *cmd),
        Command::Contact(cmd) => contact::run(&ctx, cmd),
        Command::Promise(cmd) => promise::run(&ctx, cmd),
        Command::Evidence(cmd) => evidence::run(&ctx, cmd),
        Command::Fsck(args) => fsck::run(&ctx, args),
        Command::Devices => record::devices(),
        Command::Record(args) => record::record(&ctx, args),
        Command::Settings(args) => record::settings(&ctx, args),
        Command::Advise(args) => advise::advise(&ctx, args),
        Command::Due(args) => advise::due(&ctx, args),
        Command::Letter(args) => advise::letter(&ctx, args),
        Command::Calendar(cmd) => advise::calendar(&ctx, cmd),
        Command::Packet(cmd) => packet::run(&ctx, cmd),
        Command::Verify(args) => packet::verify(&ctx, args),
        Command::Import(args) => packet::import(&ctx, args),
        Command::Timestamp(args) => proof::timestamp(&ctx, args),
        Command::Key(cmd) => proof::key(&ctx, cmd),
        Command::Receipt(args) => proof::receipt(&ctx, args),
        Command::Verifier(args) => proof::verifier(args),
    }
}

/// A clap value parser for one of the core's vocabularies, listing the codes in `--help`.
pub(crate) fn code<T>() -> impl TypedValueParser<Value = T>
where
    T: Code + FromStr<Err = crate::model::UnknownCode> + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(T::codes()).try_map(|s| s.parse::<T>())
}

/// Empty text means "clear this field".
pub(crate) fn optional_text(given: Option<String>, current: Option<String>) -> Option<String> {
    match given {
        Some(text) => {
            let text = text.trim().to_owned();
            (!text.is_empty()).then_some(text)
        }
        None => current,
    }
}
