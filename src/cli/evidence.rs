//! `recourse evidence add`, `edit` and `retract`.

use std::path::PathBuf;

use anyhow::anyhow;
use clap::{Args, Subcommand};

use super::output::size;
use super::{Ctx, Outcome, code};
use crate::evidence::{AddOptions, add_file, preflight};
use crate::model::*;
use crate::vault::{Control, VaultError, check_source};

/// Evidence.
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Add files to a case; prints `E<number> <sha256> <file name>` per file.
    ///
    /// Each file is copied into the vault once, hashed while copied, and never changed
    /// afterwards. Adding content the case already holds adds nothing and says which item it is.
    Add(AddArgs),
    /// Take back an evidence item added by mistake; it stays on record (and in the vault),
    /// marked retracted.
    Retract {
        /// The case id.
        case: i64,
        /// The item: E002 (or 2).
        item: String,
        /// Why it is taken back.
        #[arg(long)]
        reason: String,
    },
    /// Change what an item is said to be: the contact it belongs to, its kind, its note. The
    /// file and its hash never change; each change is recorded. What is not given stays.
    Edit(EditArgs),
}

/// `evidence edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The case id.
    case: i64,
    /// The item: E002 (or 2).
    item: String,
    /// The contact it belongs to.
    #[arg(long, conflicts_with = "no_contact")]
    contact: Option<i64>,
    /// It belongs to no contact.
    #[arg(long)]
    no_contact: bool,
    /// What it is.
    #[arg(long, value_parser = code::<EvidenceKind>())]
    kind: Option<EvidenceKind>,
    /// Its note.
    #[arg(long, conflicts_with = "no_note")]
    note: Option<String>,
    /// Remove its note.
    #[arg(long)]
    no_note: bool,
}

/// `E002`, `e2` or `2` as an item number.
fn item_number(item: &str) -> anyhow::Result<u32> {
    item.trim()
        .trim_start_matches(['E', 'e'])
        .parse()
        .map_err(|_| anyhow!("'{item}' is not an evidence item; write it as E002 (or 2)"))
}

/// `evidence add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The case id.
    case: i64,
    /// The files.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// What the files are [default: guessed from the content].
    #[arg(long, value_parser = code::<EvidenceKind>())]
    kind: Option<EvidenceKind>,
    /// The contact the files belong to.
    #[arg(long)]
    contact: Option<i64>,
    /// A note for every file added.
    #[arg(long)]
    note: Option<String>,
}

pub fn run(ctx: &Ctx, cmd: EvidenceCommand) -> anyhow::Result<Outcome> {
    match cmd {
        EvidenceCommand::Add(args) => add(ctx, args),
        EvidenceCommand::Edit(args) => edit(ctx, args),
        EvidenceCommand::Retract { case, item, reason } => {
            let number = item_number(&item)?;
            let mut dd = ctx.open()?;
            dd.store
                .retract_evidence(CaseId(case), number, &reason, ctx.now)?;
            eprintln!(
                "{}: retracted; it stays on record, marked, with your reason",
                evidence_label(number)
            );
            Ok(Outcome::Done)
        }
    }
}

fn edit(ctx: &Ctx, args: EditArgs) -> anyhow::Result<Outcome> {
    let number = item_number(&args.item)?;
    let case = CaseId(args.case);
    let mut dd = ctx.open()?;
    // Only what is given changes (and only that is sent: another window's change to the rest
    // stays).
    let edit = EvidenceEdit {
        contact_id: match (args.contact, args.no_contact) {
            (Some(c), _) => Some(Some(ContactId(c))),
            (None, true) => Some(None),
            (None, false) => None,
        },
        kind: args.kind,
        note: match (args.note, args.no_note) {
            (Some(n), _) => Some(Some(n)),
            (None, true) => Some(None),
            (None, false) => None,
        },
    };
    let changes = dd.store.edit_evidence(case, number, &edit, ctx.now)?;
    if changes.is_empty() {
        eprintln!("{}: nothing changed", evidence_label(number));
    } else {
        let fields: Vec<&str> = changes.keys().map(String::as_str).collect();
        eprintln!(
            "{}: changed {} (recorded in the ledger)",
            evidence_label(number),
            fields.join(", ")
        );
    }
    Ok(Outcome::Done)
}

fn add(ctx: &Ctx, args: AddArgs) -> anyhow::Result<Outcome> {
    // Refuse the whole batch before copying anything if any path is plainly unusable, so a
    // typo in the fifth name does not leave four files added and a question of what happened.
    let unusable: Vec<VaultError> = args
        .files
        .iter()
        .filter_map(|path| check_source(path).err())
        .collect();
    if !unusable.is_empty() {
        let lines: Vec<String> = unusable.iter().map(ToString::to_string).collect();
        return Err(anyhow!(
            "{}\nnothing was added; fix the file list and run the command again",
            lines.join("\n")
        ));
    }

    let mut dd = ctx.open()?;
    let case_id = CaseId(args.case);
    let options = AddOptions {
        kind: args.kind,
        contact_id: args.contact.map(ContactId),
        note: args
            .note
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        source: EvidenceSource::FileImport,
        captured_at: None,
        audio: None,
    };
    preflight(&dd, case_id, &options)?;
    let control = Control::default();
    for (i, path) in args.files.iter().enumerate() {
        let added = add_file(&mut dd, case_id, path, &options, ctx.now, &control).map_err(|e| {
            let before = if i > 0 {
                format!(" (the {i} file(s) listed above were added)")
            } else {
                String::new()
            };
            anyhow!(e).context(format!(
                "stopped at file {} of {}{before}",
                i + 1,
                args.files.len()
            ))
        })?;
        let label = evidence_label(added.number);
        println!(
            "{label} {} {}",
            added.sha256,
            crate::packet::shown(&added.original_name)
        );
        if added.was_retracted {
            eprintln!(
                "note: {} is evidence {label} of case {case_id}, which was retracted; nothing added",
                crate::packet::shown(&added.original_name)
            );
        } else if added.was_present {
            eprintln!(
                "note: {} is already evidence {label} of case {case_id}; nothing added",
                crate::packet::shown(&added.original_name)
            );
        }
        if added.size_bytes == 0 {
            eprintln!(
                "warning: {} is empty (0 bytes); added as {label} anyway — check it is the file you meant",
                path.display()
            );
        }
        if added.name_was_lossy {
            eprintln!(
                "warning: the file name is not valid UTF-8; stored as \"{}\": {}",
                crate::packet::shown(&added.original_name),
                path.display()
            );
        }
        if !added.was_present && added.size_bytes >= 1 << 30 {
            eprintln!("{label}: {} stored", size(added.size_bytes));
        }
    }
    Ok(Outcome::Done)
}
