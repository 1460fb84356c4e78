//! `recourse fsck`.

use clap::Args;

use super::output::{print_json, size};
use super::{Ctx, Outcome};
use crate::vault::Control;

/// `fsck`.
#[derive(Debug, Args)]
pub struct FsckArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Ctx, args: FsckArgs) -> anyhow::Result<Outcome> {
    let dd = ctx.open_as_is()?;
    let report = crate::fsck::check(&dd, &Control::default())?;
    if args.json {
        print_json(&report)?;
    } else {
        let c = &report.counts;
        println!(
            "checked {} case(s), {} ledger entries, {} evidence item(s), {} vault object(s) ({})",
            c.cases,
            c.ledger_entries,
            c.evidence,
            c.objects,
            size(c.object_bytes)
        );
        if c.unreferenced_objects > 0 {
            println!(
                "note: {} vault object(s) belong to no evidence (an import was interrupted before it was recorded); harmless",
                c.unreferenced_objects
            );
        }
        let waiting = std::fs::read_dir(crate::audio::partial_dir(&dd))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "wav"))
                    .count()
            })
            .unwrap_or(0);
        if waiting > 0 {
            println!(
                "note: {waiting} recording(s) in recordings/partial are being made or were interrupted; the next command (or the app) files interrupted ones as evidence"
            );
        }
        for problem in &report.problems {
            println!("problem: {problem}");
        }
        if report.is_intact {
            println!("fsck: everything holds");
        } else {
            println!("fsck: {} problem(s) found", report.problems.len());
        }
    }
    Ok(if report.is_intact {
        Outcome::Done
    } else {
        Outcome::CheckFailed
    })
}
