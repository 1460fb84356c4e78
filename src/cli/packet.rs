//! `recourse packet build` and `recourse verify`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Ctx, Lang, Outcome, code};
use crate::model::CaseId;
use crate::packet::build::{BuildOptions, build};
use crate::packet::{PacketLang, Recipient};
use crate::vault::Control;

/// Packets.
#[derive(Debug, Subcommand)]
pub enum PacketCommand {
    /// Build the escalation packet of a case: one ZIP with the report, the original evidence,
    /// the manifest, the ledger and SHA256SUMS; prints `<sha256> <path>`.
    Build(BuildArgs),
}

/// `packet build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The case id.
    case: i64,
    /// Where to write it [default: packets/case-<id>-<time>.zip in the data directory].
    #[arg(long, value_name = "FILE.zip")]
    out: Option<PathBuf>,
    /// Whom it is for: which cover letter.
    #[arg(long = "for", value_name = "RECIPIENT", value_parser = code::<Recipient>(), default_value = "complaints")]
    recipient: Recipient,
    /// Leave out the claimant's phone, email and address everywhere in the packet.
    #[arg(long)]
    redact: bool,
    /// The date the demand should be met by, for the cover letter (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    deadline: Option<String>,
    /// The build time to write into the packet [default: now]; the same case and time give a
    /// byte-identical packet.
    #[arg(long, value_name = "TIME")]
    generated_at: Option<String>,
}

pub fn run(ctx: &Ctx, cmd: PacketCommand) -> anyhow::Result<Outcome> {
    match cmd {
        PacketCommand::Build(args) => build_packet(ctx, args),
    }
}

fn build_packet(ctx: &Ctx, args: BuildArgs) -> anyhow::Result<Outcome> {
    let generated_at = match &args.generated_at {
        Some(t) => crate::clock::parse_instant(t).map_err(|e| {
            anyhow::anyhow!("--generated-at: {e}; give RFC 3339, e.g. 2026-11-20T12:00:00+09:00")
        })?,
        None => ctx.now,
    };
    let deadline = args
        .deadline
        .as_deref()
        .map(crate::clock::parse_date)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--deadline: {e}"))?;
    let mut dd = ctx.open()?;
    let case_id = CaseId(args.case);
    dd.store.case(case_id)?;
    let out = match args.out {
        Some(p) => p,
        None => dd.root().join("packets").join(format!(
            "case-{}-{}.zip",
            case_id.0,
            generated_at
                .with_timezone(&chrono::Local)
                .format("%Y%m%d-%H%M%S")
        )),
    };
    let options = BuildOptions {
        lang: match ctx.lang {
            Some(Lang::En) => PacketLang::En,
            _ => PacketLang::Ko,
        },
        recipient: args.recipient,
        redact: args.redact,
        generated_at,
        deadline,
    };
    let built = build(&mut dd, case_id, &out, &options, &Control::default())?;
    println!("{} {}", built.sha256, built.path.display());
    eprintln!(
        "{} files · ledger of {} entries, head {} · recorded in the case's ledger",
        built.files, built.ledger_length, built.ledger_head
    );
    Ok(Outcome::Done)
}

/// `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The packet.
    file: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Checks a packet; exit 0 intact, 1 not intact, 2 unreadable or hostile.
pub fn verify(args: VerifyArgs) -> anyhow::Result<Outcome> {
    use crate::packet::verify::Verdict;
    let report = crate::packet::verify::verify(&args.file)?;
    if args.json {
        super::output::print_json(&report)?;
    } else {
        println!(
            "packet {}  sha256 {}",
            args.file.display(),
            report.packet_sha256
        );
        println!(
            "case \"{}\" ({}) · built {}",
            report.case_title, report.case_uid, report.generated_at
        );
        for f in &report.files {
            let word = match f.verdict {
                Verdict::Ok => "ok",
                Verdict::Altered => "ALTERED",
                Verdict::Missing => "MISSING",
                Verdict::Extra => "EXTRA",
                Verdict::Unlisted => "UNLISTED",
            };
            match &f.detail {
                Some(d) if f.verdict != Verdict::Ok => println!("{word:<9} {}  ({d})", f.path),
                _ => println!("{word:<9} {}", f.path),
            }
        }
        let l = &report.ledger;
        println!(
            "ledger    {} entries, head {}{}{}",
            l.entries,
            l.head,
            if l.redacted_entries > 0 {
                format!(
                    " · {} redacted (their place in the chain checked, their content withheld)",
                    l.redacted_entries
                )
            } else {
                String::new()
            },
            if l.intact {
                " · intact"
            } else {
                " · NOT INTACT"
            }
        );
        for p in &l.problems {
            println!("problem   {p}");
        }
        let bad = report
            .files
            .iter()
            .filter(|f| f.verdict != Verdict::Ok)
            .count();
        if report.intact {
            println!(
                "verdict   INTACT: all {} files match; ledger of {} entries intact",
                report.files.len(),
                l.entries
            );
        } else {
            println!(
                "verdict   NOT INTACT: {bad} of {} files differ{}",
                report.files.len(),
                if l.intact {
                    ""
                } else {
                    "; the ledger does not hold"
                }
            );
        }
        println!("proves    {}", report.proves);
        println!("not       {}", report.does_not_prove);
    }
    Ok(if report.intact {
        Outcome::Done
    } else {
        Outcome::CheckFailed
    })
}

/// `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The packet.
    file: PathBuf,
}

/// Verifies a packet and adds its case; prints the new case id.
pub fn import(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<Outcome> {
    let mut dd = ctx.open()?;
    let done = crate::packet::import::import(&mut dd, &args.file, ctx.now)?;
    println!("{}", done.case_id);
    eprintln!(
        "imported \"{}\": {} evidence file(s), ledger of {} entries continued with case.imported",
        done.title, done.evidence, done.entries
    );
    Ok(Outcome::Done)
}
