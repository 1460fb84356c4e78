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
    let dd = ctx.open()?;
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
