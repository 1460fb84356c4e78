//! `recourse promise add|edit|end`.

use anyhow::{Context as _, bail};
use clap::{ArgGroup, Args, Subcommand};

use super::case::print_changes;
use super::{Ctx, Outcome, code, optional_text};
use crate::clock::{parse_due, show_local};
use crate::model::*;

/// Promises.
#[derive(Debug, Subcommand)]
pub enum PromiseCommand {
    /// Record what an agent promised, with the five verification questions; prints its id.
    ///
    /// The five questions: scope (what exactly will be checked?), method (how — which channel
    /// or which department by name?), resolution (if it comes out as expected, is my problem
    /// solved?), authority (can you yourself resolve it then?), continuity (can I be put back
    /// through to you?). A question you give no answer or assessment for counts as not asked.
    Add(AddArgs),
    /// Change a recorded promise (not its status); the ledger keeps what it said before.
    Edit(EditArgs),
    /// Mark a promise kept, broken or withdrawn.
    #[command(group(ArgGroup::new("how").required(true).args(["kept", "broken", "withdrawn"])))]
    End(EndArgs),
}

/// `promise add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The case id.
    case: i64,
    /// The contact in which it was promised.
    #[arg(long)]
    contact: i64,
    /// What was promised ("will check with the seller and text you tomorrow").
    #[arg(long)]
    what: String,
    /// When it is due: RFC 3339, local "YYYY-MM-DD HH:MM", or a date (end of that day).
    #[arg(long, value_name = "TIME")]
    due: String,
    #[command(flatten)]
    more: PromiseFlags,
}

/// `promise edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The promise id.
    id: i64,
    /// The contact in which it was promised.
    #[arg(long)]
    contact: Option<i64>,
    /// What was promised.
    #[arg(long)]
    what: Option<String>,
    /// When it is due.
    #[arg(long, value_name = "TIME")]
    due: Option<String>,
    #[command(flatten)]
    more: PromiseFlags,
}

/// `promise end`.
#[derive(Debug, Args)]
pub struct EndArgs {
    /// The promise id.
    id: i64,
    /// They did what they said.
    #[arg(long)]
    kept: bool,
    /// They did not.
    #[arg(long)]
    broken: bool,
    /// They took it back, or it no longer matters.
    #[arg(long)]
    withdrawn: bool,
    /// What happened, in your words.
    #[arg(long)]
    note: Option<String>,
}

/// The promiser and the five answers, shared by `add` and `edit`.
#[derive(Debug, Args)]
struct PromiseFlags {
    /// Who promised (the agent's name).
    #[arg(long = "by", value_name = "NAME")]
    promised_by: Option<String>,
    /// Scope: what exactly will be checked? (the answer as said)
    #[arg(long, value_name = "ANSWER")]
    scope: Option<String>,
    /// How the scope answer sounded.
    #[arg(long, value_name = "ASSESSMENT", value_parser = code::<Assessment>())]
    scope_is: Option<Assessment>,
    /// Method: through which channel, or which department by name?
    #[arg(long, value_name = "ANSWER")]
    method: Option<String>,
    /// How the method answer sounded.
    #[arg(long, value_name = "ASSESSMENT", value_parser = code::<Assessment>())]
    method_is: Option<Assessment>,
    /// Resolution: if it comes out as expected, is the problem solved?
    #[arg(long, value_name = "ANSWER")]
    resolution: Option<String>,
    /// How the resolution answer sounded.
    #[arg(long, value_name = "ASSESSMENT", value_parser = code::<Assessment>())]
    resolution_is: Option<Assessment>,
    /// Authority: can the agent resolve it then?
    #[arg(long, value_name = "ANSWER")]
    authority: Option<String>,
    /// How the authority answer sounded.
    #[arg(long, value_name = "ASSESSMENT", value_parser = code::<Assessment>())]
    authority_is: Option<Assessment>,
    /// Continuity: can you be put back through to the same agent?
    #[arg(long, value_name = "ANSWER")]
    continuity: Option<String>,
    /// How the continuity answer sounded.
    #[arg(long, value_name = "ASSESSMENT", value_parser = code::<Assessment>())]
    continuity_is: Option<Assessment>,
}

impl PromiseFlags {
    fn apply(self, f: &mut PromiseFields) -> anyhow::Result<()> {
        f.promised_by = optional_text(self.promised_by, f.promised_by.take());
        let pairs = [
            (Question::Scope, self.scope, self.scope_is),
            (Question::Method, self.method, self.method_is),
            (Question::Resolution, self.resolution, self.resolution_is),
            (Question::Authority, self.authority, self.authority_is),
            (Question::Continuity, self.continuity, self.continuity_is),
        ];
        for (q, said, assessment) in pairs {
            let answer = f.answers.get_mut(q);
            if let Some(said) = said {
                answer.said = said.trim().to_owned();
            }
            if let Some(assessment) = assessment {
                answer.assessment = assessment;
            }
            if !answer.said.is_empty() && answer.assessment == Assessment::NotAsked {
                bail!(
                    "--{q}: say how the answer sounded with --{q}-is clear|vague|refused",
                    q = q.code()
                );
            }
        }
        Ok(())
    }
}

pub fn run(ctx: &Ctx, cmd: PromiseCommand) -> anyhow::Result<Outcome> {
    match cmd {
        PromiseCommand::Add(args) => {
            let mut fields = PromiseFields {
                contact_id: ContactId(args.contact),
                promised_by: None,
                what: args.what.trim().to_owned(),
                due_at: parse_due(&args.due).context("--due")?,
                answers: FiveAnswers::default(),
            };
            args.more.apply(&mut fields)?;
            let mut dd = ctx.open()?;
            if fields.promised_by.is_none() {
                // The agent of the contact is who promised, unless told otherwise.
                fields.promised_by = dd.store.contact(fields.contact_id)?.fields.agent_name;
            }
            let id = dd.store.add_promise(CaseId(args.case), &fields, ctx.now)?;
            println!("{id}");
            if fields.answers.looks_like_stalling() {
                eprintln!(
                    "note: this promise looks like a delay rather than a plan ({} vague or refused answer(s); resolution {}, authority {}). If it is not kept by {}, ask for a supervisor or the complaints department.",
                    fields.answers.evasive_count(),
                    fields.answers.resolution.assessment,
                    fields.answers.authority.assessment,
                    show_local(fields.due_at)
                );
            }
        }
        PromiseCommand::Edit(args) => {
            let mut dd = ctx.open()?;
            let id = PromiseId(args.id);
            let base = dd.store.promise(id)?.fields;
            let mut fields = base.clone();
            if let Some(c) = args.contact {
                fields.contact_id = ContactId(c);
            }
            if let Some(w) = args.what {
                fields.what = w.trim().to_owned();
            }
            if let Some(d) = args.due {
                fields.due_at = parse_due(&d).context("--due")?;
            }
            args.more.apply(&mut fields)?;
            let changes = dd.store.edit_promise(id, &base, &fields, ctx.now)?;
            print_changes(&format!("promise {id}"), &changes);
        }
        PromiseCommand::End(args) => {
            let status = if args.kept {
                PromiseStatus::Kept
            } else if args.broken {
                PromiseStatus::Broken
            } else {
                PromiseStatus::Withdrawn
            };
            let mut dd = ctx.open()?;
            dd.store
                .end_promise(PromiseId(args.id), status, args.note.as_deref(), ctx.now)?;
            eprintln!("promise {}: marked {status}", args.id);
        }
    }
    Ok(Outcome::Done)
}
