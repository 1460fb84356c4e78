//! `recourse contact add|edit`.

use anyhow::Context as _;
use clap::{Args, Subcommand};

use super::case::print_changes;
use super::{Ctx, Outcome, code, optional_text};
use crate::clock::parse_instant;
use crate::model::Outcome as ContactOutcome;
use crate::model::*;

/// Contacts.
#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Log a contact with the company; prints its id.
    Add(AddArgs),
    /// Change a logged contact; the ledger keeps what it said before.
    Edit(EditArgs),
    /// Take back a contact logged by mistake; it stays on record, marked retracted.
    Retract {
        /// The contact id.
        id: i64,
        /// Why it is taken back.
        #[arg(long)]
        reason: String,
    },
}

/// `contact add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The case id.
    case: i64,
    /// How the contact happened.
    #[arg(long, value_parser = code::<Channel>())]
    channel: Channel,
    /// Whom you reached: first-line service, a supervisor, the complaints department, or an
    /// outside body.
    #[arg(long, value_parser = code::<Tier>())]
    tier: Tier,
    /// What happened, in a sentence or two.
    #[arg(long)]
    summary: String,
    #[command(flatten)]
    more: ContactFlags,
    /// You told the agent the call was being recorded.
    #[arg(long)]
    recording_announced: bool,
}

/// `contact edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The contact id.
    id: i64,
    /// How the contact happened.
    #[arg(long, value_parser = code::<Channel>())]
    channel: Option<Channel>,
    /// Whom you reached.
    #[arg(long, value_parser = code::<Tier>())]
    tier: Option<Tier>,
    /// What happened.
    #[arg(long)]
    summary: Option<String>,
    #[command(flatten)]
    more: ContactFlags,
    /// You told the agent the call was being recorded.
    #[arg(long, conflicts_with = "recording_not_announced")]
    recording_announced: bool,
    /// You did not tell the agent the call was being recorded.
    #[arg(long)]
    recording_not_announced: bool,
}

/// Flags `add` and `edit` share; in `edit`, "" clears a field.
#[derive(Debug, Args)]
struct ContactFlags {
    /// Who started it [default: outgoing, i.e. you called or wrote].
    #[arg(long, value_parser = code::<Direction>())]
    direction: Option<Direction>,
    /// The agent's name as they gave it.
    #[arg(long)]
    agent: Option<String>,
    /// The agent's employee or badge ID.
    #[arg(long)]
    agent_id: Option<String>,
    /// The ticket, inquiry or reference number.
    #[arg(long = "ref", value_name = "NO")]
    reference: Option<String>,
    /// When it started: RFC 3339 or local "YYYY-MM-DD HH:MM" [default: now].
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// When it ended.
    #[arg(long, value_name = "TIME")]
    ended: Option<String>,
    /// What the company claimed (e.g. whose fault it was).
    #[arg(long)]
    claimed: Option<String>,
    /// What the company offered.
    #[arg(long)]
    offered: Option<String>,
    /// How it ended [default: unresolved].
    #[arg(long, value_parser = code::<ContactOutcome>())]
    outcome: Option<ContactOutcome>,
}

impl ContactFlags {
    fn apply(self, f: &mut ContactFields) -> anyhow::Result<()> {
        if let Some(d) = self.direction {
            f.direction = d;
        }
        if let Some(o) = self.outcome {
            f.outcome = o;
        }
        f.agent_name = optional_text(self.agent, f.agent_name.take());
        f.agent_id = optional_text(self.agent_id, f.agent_id.take());
        f.reference = optional_text(self.reference, f.reference.take());
        f.claimed = optional_text(self.claimed, f.claimed.take());
        f.offered = optional_text(self.offered, f.offered.take());
        if let Some(at) = self.at {
            f.started_at = parse_instant(&at).context("--at")?;
        }
        match self.ended {
            Some(e) if e.trim().is_empty() => f.ended_at = None,
            Some(e) => f.ended_at = Some(parse_instant(&e).context("--ended")?),
            None => {}
        }
        Ok(())
    }
}

pub fn run(ctx: &Ctx, cmd: ContactCommand) -> anyhow::Result<Outcome> {
    match cmd {
        ContactCommand::Add(args) => {
            let mut fields = ContactFields {
                started_at: ctx.now,
                ended_at: None,
                channel: args.channel,
                direction: Direction::Outgoing,
                tier: args.tier,
                agent_name: None,
                agent_id: None,
                reference: None,
                summary: args.summary.trim().to_owned(),
                claimed: None,
                offered: None,
                outcome: ContactOutcome::Unresolved,
                recording_announced: args.recording_announced,
            };
            args.more.apply(&mut fields)?;
            let mut dd = ctx.open()?;
            let id = dd.store.add_contact(CaseId(args.case), &fields, ctx.now)?;
            println!("{id}");
        }
        ContactCommand::Edit(args) => {
            let mut dd = ctx.open()?;
            let id = ContactId(args.id);
            let base = dd.store.contact(id)?.fields;
            let mut fields = base.clone();
            if let Some(c) = args.channel {
                fields.channel = c;
            }
            if let Some(t) = args.tier {
                fields.tier = t;
            }
            if let Some(s) = args.summary {
                fields.summary = s.trim().to_owned();
            }
            if args.recording_announced {
                fields.recording_announced = true;
            }
            if args.recording_not_announced {
                fields.recording_announced = false;
            }
            args.more.apply(&mut fields)?;
            let changes = dd.store.edit_contact(id, &base, &fields, ctx.now)?;
            print_changes(&format!("contact {id}"), &changes);
        }
        ContactCommand::Retract { id, reason } => {
            let mut dd = ctx.open()?;
            dd.store.retract_contact(ContactId(id), &reason, ctx.now)?;
            eprintln!("contact {id}: retracted; it stays on record, marked, with your reason");
        }
    }
    Ok(Outcome::Done)
}
