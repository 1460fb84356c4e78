//! `recourse packet build` and `recourse verify`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Ctx, Outcome, code};
use crate::model::CaseId;
use crate::packet::Recipient;
use crate::packet::build::{BuildOptions, build};
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
    /// Withhold the claimant's phone, email and address: the packet leaves out their values
    /// (the ledger holds salted commitments to them, so every entry still verifies).
    #[arg(long)]
    redact: bool,
    /// The time zone the report shows times in, by IANA name [default: the data directory's,
    /// see `recourse settings --zone`].
    #[arg(long, value_name = "ZONE", value_parser = super::record::parse_zone)]
    zone: Option<chrono_tz::Tz>,
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
    let zone = match args.zone {
        Some(z) => z,
        None => dd.store.zone()?,
    };
    let options = BuildOptions {
        lang: ctx.lang.unwrap_or_default(),
        recipient: args.recipient,
        redact: args.redact,
        generated_at,
        deadline,
        zone,
    };
    let built = build(&mut dd, case_id, &out, &options, &Control::default())?;
    println!("{} {}", built.sha256, built.path.display());
    eprintln!(
        "{} files · times shown in {} · ledger of {} entries, head {} · recorded in the case's ledger",
        built.files,
        zone.name(),
        built.ledger_length,
        built.ledger_head
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
    /// Also print the packet's own SHA-256 (reads the whole file a second time).
    #[arg(long)]
    digest: bool,
}

use crate::packet::shown;

/// Checks a packet; exit 0 intact, 1 not intact, 2 unreadable or hostile.
pub fn verify(ctx: &Ctx, args: VerifyArgs) -> anyhow::Result<Outcome> {
    use crate::packet::verify::Verdict;
    let report = crate::packet::verify::verify_with(
        &args.file,
        crate::packet::verify::VerifyOptions {
            packet_digest: args.digest,
            known: Some(crate::packet::verify::KnownKeys::of_data_dir(&ctx.data_dir)),
        },
    )?;
    if args.json {
        super::output::print_json(&report)?;
    } else {
        match &report.packet_sha256 {
            Some(sha) => println!("packet    {}  sha256 {sha}", args.file.display()),
            None => println!("packet    {}", args.file.display()),
        }
        println!(
            "case      \"{}\" ({}) · built {} by {} · format {}",
            shown(&report.case_title),
            shown(&report.case_uid),
            shown(&report.generated_at),
            shown(&report.generator),
            report.format
        );
        for f in &report.files {
            let word = match f.verdict {
                Verdict::Ok => "ok",
                Verdict::Altered => "ALTERED",
                Verdict::Missing => "MISSING",
                Verdict::Extra => "EXTRA",
                Verdict::Unlisted => "UNLISTED",
                Verdict::NotChecked => "UNCHECKED",
            };
            let label = f
                .evidence
                .map(|n| format!("{} ", crate::model::evidence_label(n)))
                .unwrap_or_default();
            match &f.detail {
                Some(d) if f.verdict != Verdict::Ok => {
                    println!("{word:<9} {label}{}  ({})", shown(&f.path), shown(d))
                }
                _ => println!("{word:<9} {label}{}", shown(&f.path)),
            }
        }
        let l = &report.ledger;
        if report.redacted {
            println!(
                "redacted  the claimant's phone, email and address are withheld; the commitments to them are in the chain, every other value is disclosed and checked"
            );
        }
        println!(
            "ledger    {} entries, head {}{}",
            l.entries,
            shown(&l.head),
            if l.intact { "" } else { " · NOT INTACT" }
        );
        for p in &l.problems {
            println!("problem   {}", shown(p));
        }
        for p in &report.findings {
            println!("problem   {}", shown(p));
        }
        for t in &report.timestamps {
            match (&t.gen_time, &t.tsa) {
                (Some(at), Some(tsa)) => println!(
                    "timestamp entry {} covers entries 1–{}: existed by {} (TSA {}; {})",
                    t.entry,
                    t.covers,
                    shown(at),
                    shown(tsa),
                    shown(&t.detail)
                ),
                _ => println!(
                    "timestamp entry {} over entry {}: PROVES NOTHING ({})",
                    t.entry,
                    t.covers,
                    shown(&t.detail)
                ),
            }
        }
        for r in &report.receipts {
            println!(
                "receipt   {} given in contact {} names entry {}: {}",
                shown(&r.code),
                r.contact,
                r.covers,
                if r.valid { "ok" } else { "DOES NOT MATCH" }
            );
        }
        let c = &report.claims;
        for claim in [&c.files, &c.chain, &c.when, &c.who] {
            let mark = if claim.proven { "proven " } else { "open   " };
            println!("{mark}   {}", shown(&claim.says));
        }
        let bad = report.bad_files().count();
        if report.intact {
            let proven: Vec<&str> = [("when", &c.when), ("who", &c.who)]
                .into_iter()
                .filter(|(_, claim)| !claim.proven)
                .map(|(w, _)| w)
                .collect();
            println!(
                "verdict   INTACT: all {} files are what the ledger of {} entries accounts for{}",
                report.files.len(),
                l.entries,
                match proven.as_slice() {
                    [] => " (when and who: see above)".to_owned(),
                    open => format!(" ({}: not proven)", open.join(" and ")),
                }
            );
        } else {
            let mut why = Vec::new();
            if bad > 0 {
                why.push(format!(
                    "{bad} of {} files are not what the ledger accounts for",
                    report.files.len()
                ));
            }
            if !l.intact {
                why.push("the ledger does not hold".into());
            }
            if !report.findings.is_empty() {
                why.push(format!(
                    "{} problem(s) with the packet itself",
                    report.findings.len()
                ));
            }
            if why.is_empty() {
                why.push("format 1 proves less (see above)".into());
            }
            println!("verdict   NOT INTACT: {}", why.join("; "));
        }
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
        shown(&done.title),
        done.evidence,
        done.entries
    );
    Ok(Outcome::Done)
}
