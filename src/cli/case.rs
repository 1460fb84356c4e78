//! `recourse case new|list|show|edit|ledger`.

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};

use super::output::{clip, print_json, print_table, size};
use super::{Ctx, Outcome, code, optional_text};
use crate::clock::{parse_date, show_local};
use crate::model::*;
use crate::money::Money;
use crate::store::Change;

/// Cases.
#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Open a case; prints its id.
    New(NewArgs),
    /// List cases with their counts and overdue promises.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a case: its facts, contacts, promises with answers, evidence, edits and ledger.
    Show {
        /// The case id.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a case's facts or status; the ledger keeps what they were.
    Edit(EditArgs),
    /// Print a case's ledger entries (the hash chain).
    Ledger {
        /// The case id.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `case new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// A short title you will recognise ("공기청정기 환불 거부").
    #[arg(long)]
    title: String,
    /// The company the dispute is with.
    #[arg(long)]
    company: String,
    #[command(flatten)]
    more: CaseFlags,
}

/// `case edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The case id.
    id: i64,
    /// A new title.
    #[arg(long)]
    title: Option<String>,
    /// The company's name.
    #[arg(long)]
    company: Option<String>,
    #[command(flatten)]
    more: CaseFlags,
}

/// The flags `case new` and `case edit` share. In `edit`, an empty value ("") clears a field.
#[derive(Debug, Args)]
struct CaseFlags {
    /// The mall or platform (Coupang, Naver Smart Store, 11st, …).
    #[arg(long)]
    platform: Option<String>,
    /// The seller, when it is not the platform itself.
    #[arg(long)]
    seller: Option<String>,
    /// The order number.
    #[arg(long)]
    order: Option<String>,
    /// What was bought.
    #[arg(long)]
    product: Option<String>,
    /// What was paid, in major units without a sign (39000, 12.50).
    #[arg(long, allow_hyphen_values = true)]
    amount: Option<String>,
    /// The currency of --amount [default: KRW].
    #[arg(long)]
    currency: Option<String>,
    /// What the dispute is about [default: other].
    #[arg(long, value_parser = code::<Category>())]
    category: Option<Category>,
    /// What you want (refund, exchange, compensation, an apology, a fix).
    #[arg(long)]
    wants: Option<String>,
    /// Where the case stands [default: open].
    #[arg(long, value_parser = code::<CaseStatus>())]
    status: Option<CaseStatus>,
    /// Order date (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    ordered: Option<String>,
    /// Payment date.
    #[arg(long, value_name = "DATE")]
    paid: Option<String>,
    /// Delivery date.
    #[arg(long, value_name = "DATE")]
    delivered: Option<String>,
    /// The date you sent the goods back.
    #[arg(long, value_name = "DATE")]
    return_sent: Option<String>,
    /// The date the seller received them back.
    #[arg(long, value_name = "DATE")]
    return_received: Option<String>,
    /// The date you found the problem (e.g. that the goods differ from the advertisement).
    #[arg(long, value_name = "DATE")]
    noticed: Option<String>,
    /// The date the refund came.
    #[arg(long, value_name = "DATE")]
    refunded: Option<String>,
    /// The date the seller shipped the goods (the legal duty is to ship, not to deliver).
    #[arg(long, value_name = "DATE")]
    shipped: Option<String>,
    /// A supply date agreed with the seller (pre-order, made to order).
    #[arg(long, value_name = "DATE")]
    supply_agreed: Option<String>,
    /// What went wrong, comma-separated (the legal rules follow these facts): not-as-advertised,
    /// damaged, wrong-item, not-delivered, out-of-stock, refund-late, changed-mind; "" clears.
    #[arg(long, value_name = "PROBLEMS")]
    problems: Option<String>,
    /// How it was paid: credit-card, debit-card, bank-transfer, easy-pay, phone-bill, pay-later;
    /// "" clears.
    #[arg(long, value_name = "METHOD")]
    payment: Option<String>,
    /// Into how many installments a card payment was split (1: paid in full); "" clears.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    installments: Option<String>,
    /// The company's phone, email or web form.
    #[arg(long)]
    company_contact: Option<String>,
    /// The company's postal address.
    #[arg(long)]
    company_address: Option<String>,
    /// Your name (or the person's you help).
    #[arg(long)]
    claimant_name: Option<String>,
    /// Your phone number (can be redacted in packets).
    #[arg(long)]
    claimant_phone: Option<String>,
    /// Your email (can be redacted in packets).
    #[arg(long)]
    claimant_email: Option<String>,
    /// Your postal address (can be redacted in packets).
    #[arg(long)]
    claimant_address: Option<String>,
}

fn date_flag(
    flag: &str,
    given: Option<String>,
    current: Option<chrono::NaiveDate>,
) -> anyhow::Result<Option<chrono::NaiveDate>> {
    match given {
        None => Ok(current),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => Ok(Some(
            parse_date(&text).with_context(|| format!("--{flag}"))?,
        )),
    }
}

impl CaseFlags {
    /// Applies the given flags onto `f`.
    fn apply(self, f: &mut CaseFields) -> anyhow::Result<()> {
        f.platform = optional_text(self.platform, f.platform.take());
        f.seller = optional_text(self.seller, f.seller.take());
        f.order_number = optional_text(self.order, f.order_number.take());
        f.product = optional_text(self.product, f.product.take());
        f.wants = optional_text(self.wants, f.wants.take());
        f.company_contact = optional_text(self.company_contact, f.company_contact.take());
        f.company_address = optional_text(self.company_address, f.company_address.take());
        f.claimant.name = optional_text(self.claimant_name, f.claimant.name.take());
        f.claimant.phone = optional_text(self.claimant_phone, f.claimant.phone.take());
        f.claimant.email = optional_text(self.claimant_email, f.claimant.email.take());
        f.claimant.address = optional_text(self.claimant_address, f.claimant.address.take());
        if let Some(category) = self.category {
            f.category = category;
        }
        if let Some(status) = self.status {
            f.status = status;
        }
        f.amount = match (self.amount, self.currency) {
            (Some(a), _) if a.trim().is_empty() => None,
            (Some(a), currency) => {
                let currency = currency
                    .or_else(|| f.amount.as_ref().map(|m| m.currency.clone()))
                    .unwrap_or_else(|| "KRW".to_owned());
                Some(Money::parse(&a, &currency).context("--amount")?)
            }
            (None, Some(_)) => {
                bail!("--currency: give --amount with it (e.g. --amount 39000 --currency KRW)")
            }
            (None, None) => f.amount.take(),
        };
        let d = &mut f.dates;
        d.ordered = date_flag("ordered", self.ordered, d.ordered)?;
        d.paid = date_flag("paid", self.paid, d.paid)?;
        d.delivered = date_flag("delivered", self.delivered, d.delivered)?;
        d.return_sent = date_flag("return-sent", self.return_sent, d.return_sent)?;
        d.return_received = date_flag("return-received", self.return_received, d.return_received)?;
        d.noticed = date_flag("noticed", self.noticed, d.noticed)?;
        d.refunded = date_flag("refunded", self.refunded, d.refunded)?;
        d.shipped = date_flag("shipped", self.shipped, d.shipped)?;
        d.supply_agreed = date_flag("supply-agreed", self.supply_agreed, d.supply_agreed)?;
        if let Some(text) = self.problems {
            let mut problems = Vec::new();
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let p: Problem = part.parse().context("--problems")?;
                if !problems.contains(&p) {
                    problems.push(p);
                }
            }
            f.problems = problems;
        }
        match self.payment.as_deref().map(str::trim) {
            None => {}
            Some("") => f.payment_method = None,
            Some(m) => f.payment_method = Some(m.parse().context("--payment")?),
        }
        match self.installments.as_deref().map(str::trim) {
            None => {}
            Some("") => f.installments = None,
            Some(n) => {
                let count: u32 = n
                    .parse::<u64>()
                    .ok()
                    .and_then(|v| u32::try_from(v).ok())
                    .filter(|v| (1..=120).contains(v))
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "--installments: '{n}' is not a number of installments; give a whole number from 1 (paid in full) to 120"
                        )
                    })?;
                f.installments = Some(count);
            }
        }
        Ok(())
    }
}

pub fn run(ctx: &Ctx, cmd: CaseCommand) -> anyhow::Result<Outcome> {
    match cmd {
        CaseCommand::New(args) => {
            let mut fields = CaseFields {
                title: args.title.trim().to_owned(),
                company: args.company.trim().to_owned(),
                company_contact: None,
                company_address: None,
                platform: None,
                seller: None,
                order_number: None,
                product: None,
                amount: None,
                dates: OrderDates::default(),
                category: Category::Other,
                wants: None,
                status: CaseStatus::Open,
                problems: Vec::new(),
                payment_method: None,
                installments: None,
                claimant: Claimant::default(),
            };
            args.more.apply(&mut fields)?;
            let mut dd = ctx.open()?;
            let id = dd.store.create_case(&fields, ctx.now)?;
            println!("{id}");
        }
        CaseCommand::List { json } => {
            let dd = ctx.open()?;
            let cases = dd.store.list_cases(ctx.now)?;
            if json {
                print_json(&cases)?;
            } else if cases.is_empty() {
                println!(
                    "No cases yet. Open one with: recourse case new --title \"…\" --company \"…\""
                );
            } else {
                let rows: Vec<Vec<String>> = cases
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.status.to_string(),
                            clip(&c.title, 36),
                            clip(&c.company, 20),
                            c.contacts.to_string(),
                            if c.overdue_promises > 0 {
                                format!("{} ({} OVERDUE)", c.pending_promises, c.overdue_promises)
                            } else {
                                c.pending_promises.to_string()
                            },
                            c.evidence.to_string(),
                        ]
                    })
                    .collect();
                print_table(
                    &[
                        "ID",
                        "STATUS",
                        "TITLE",
                        "COMPANY",
                        "CONTACTS",
                        "PENDING PROMISES",
                        "EVIDENCE",
                    ],
                    &rows,
                );
            }
        }
        CaseCommand::Show { id, json } => {
            let dd = ctx.open()?;
            let detail = dd.store.case_detail(CaseId(id), ctx.now)?;
            if json {
                print_json(&detail)?;
            } else {
                print_detail(&detail, ctx.now);
            }
        }
        CaseCommand::Edit(args) => {
            let mut dd = ctx.open()?;
            let id = CaseId(args.id);
            let base = dd.store.case(id)?.fields;
            let mut fields = base.clone();
            if let Some(title) = args.title {
                fields.title = title.trim().to_owned();
            }
            if let Some(company) = args.company {
                fields.company = company.trim().to_owned();
            }
            args.more.apply(&mut fields)?;
            let changes = dd.store.edit_case(id, &base, &fields, ctx.now)?;
            print_changes(&format!("case {id}"), &changes);
        }
        CaseCommand::Ledger { id, json } => {
            let dd = ctx.open()?;
            let entries = dd.store.ledger(CaseId(id))?;
            dd.store.case(CaseId(id))?;
            if json {
                print_json(&entries)?;
            } else {
                for e in &entries {
                    println!("{:>4}  {}  {:<16} {}", e.seq, e.at, e.kind, e.hash);
                    println!("      {}", e.payload);
                }
            }
        }
    }
    Ok(Outcome::Done)
}

/// Reports an edit: which fields changed, or that nothing did.
pub(crate) fn print_changes(what: &str, changes: &std::collections::BTreeMap<String, Change>) {
    if changes.is_empty() {
        eprintln!("{what}: nothing changed (the values given are the ones it has)");
    } else {
        let fields: Vec<&str> = changes.keys().map(String::as_str).collect();
        eprintln!(
            "{what}: changed {}; the ledger keeps the earlier values",
            fields.join(", ")
        );
    }
}

fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("—")
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(empty)".into(),
        serde_json::Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

/// Prints a case for people.
fn print_detail(d: &crate::store::CaseDetail, now: chrono::DateTime<chrono::Utc>) {
    let c = &d.case;
    let f = &c.fields;
    println!("Case {} · {}  [{}]", c.id, f.title, f.status);
    let mut company = f.company.clone();
    if let Some(p) = &f.platform {
        company.push_str(&format!(" · platform {p}"));
    }
    if let Some(s) = &f.seller {
        company.push_str(&format!(" · seller {s}"));
    }
    println!("  Company    {company}");
    if f.company_contact.is_some() || f.company_address.is_some() {
        println!(
            "             {} · {}",
            or_dash(&f.company_contact),
            or_dash(&f.company_address)
        );
    }
    println!(
        "  Order      {} · {} · {}",
        or_dash(&f.order_number),
        or_dash(&f.product),
        f.amount
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_else(|| "—".into())
    );
    let dates = [
        ("ordered", f.dates.ordered),
        ("paid", f.dates.paid),
        ("delivered", f.dates.delivered),
        ("return sent", f.dates.return_sent),
        ("return received", f.dates.return_received),
        ("problem noticed", f.dates.noticed),
        ("refunded", f.dates.refunded),
        ("shipped", f.dates.shipped),
        ("agreed supply date", f.dates.supply_agreed),
    ];
    let dates: Vec<String> = dates
        .iter()
        .filter_map(|(name, d)| d.map(|d| format!("{name} {d}")))
        .collect();
    if !dates.is_empty() {
        println!("  Dates      {}", dates.join(" · "));
    }
    println!("  Category   {} · wants: {}", f.category, or_dash(&f.wants));
    if !f.problems.is_empty() {
        let codes: Vec<&str> = f.problems.iter().map(|p| p.code()).collect();
        println!("  Problems   {}", codes.join(", "));
    }
    if f.payment_method.is_some() || f.installments.is_some() {
        println!(
            "  Payment    {}{}",
            f.payment_method.map(|m| m.code()).unwrap_or("—"),
            match f.installments {
                Some(1) => " · paid in full".to_owned(),
                Some(n) => format!(" · {n} installments"),
                None => String::new(),
            }
        );
    }
    let cl = &f.claimant;
    if cl != &Claimant::default() {
        println!(
            "  Claimant   {} · {} · {} · {}",
            or_dash(&cl.name),
            or_dash(&cl.phone),
            or_dash(&cl.email),
            or_dash(&cl.address)
        );
    }
    println!("  Tier       {} (highest reached)", d.tier);
    let edited = c
        .edited_at
        .map(|t| format!("  (edited {})", show_local(t)))
        .unwrap_or_default();
    println!("  Opened     {}{edited}", show_local(c.created_at));
    print_edits(d, "case", c.id.0);

    println!();
    println!("Contacts ({})", d.contacts.len());
    for ct in &d.contacts {
        let x = &ct.fields;
        let mut who = String::new();
        if let Some(n) = &x.agent_name {
            who.push_str(&format!(" · agent {n}"));
        }
        if let Some(i) = &x.agent_id {
            who.push_str(&format!(" (ID {i})"));
        }
        if let Some(r) = &x.reference {
            who.push_str(&format!(" · ref {r}"));
        }
        let ended = x
            .ended_at
            .map(|e| {
                let (start, end) = (show_local(x.started_at), show_local(e));
                // Same local day: "14:30–14:42" reads better than two full stamps.
                if start.get(..10) == end.get(..10) {
                    format!("–{}", end.get(11..16).unwrap_or(&end))
                } else {
                    format!(" – {end}")
                }
            })
            .unwrap_or_default();
        println!(
            "  #{}  {}{ended}  {} · {} · {}{who}",
            ct.id,
            show_local(x.started_at),
            x.channel,
            x.direction,
            x.tier
        );
        println!("      {}", x.summary);
        if let Some(t) = &x.claimed {
            println!("      they claimed: {t}");
        }
        if let Some(t) = &x.offered {
            println!("      they offered: {t}");
        }
        let announced = if x.recording_announced {
            " · recording announced"
        } else {
            ""
        };
        let edited = ct
            .edited_at
            .map(|t| format!(" · edited {}", show_local(t)))
            .unwrap_or_default();
        println!("      outcome: {}{announced}{edited}", x.outcome);
        if let Some(r) = &ct.retracted {
            println!("      RETRACTED {}: {}", show_local(r.at), r.reason);
        }
        print_edits(d, "contact", ct.id.0);
    }

    println!();
    println!("Promises ({})", d.promises.len());
    for pv in &d.promises {
        let p = &pv.promise;
        let x = &p.fields;
        let mut state = p.status.to_string();
        if pv.overdue {
            let late = now - x.due_at;
            state = format!(
                "OVERDUE by {}d {}h",
                late.num_days(),
                late.num_hours() - late.num_days() * 24
            );
        }
        if let Some(e) = p.ended_at {
            state.push_str(&format!(" {}", show_local(e)));
        }
        println!(
            "  #{}  due {}  {state}  · by {} in contact #{}",
            p.id,
            show_local(x.due_at),
            or_dash(&x.promised_by),
            x.contact_id
        );
        println!("      {}", x.what);
        for q in Question::ALL {
            let a = x.answers.get(q);
            let said = if a.said.is_empty() {
                String::new()
            } else {
                format!("  \"{}\"", a.said)
            };
            println!("      {:<11} {:<9}{said}", q.code(), a.assessment.code());
        }
        if let Some(n) = &p.end_note {
            println!("      note: {n}");
        }
        if pv.looks_like_stalling && p.status == PromiseStatus::Pending {
            println!(
                "      ! looks like a delay, not a plan: {} evasive answer(s); resolution {}, authority {}",
                x.answers.evasive_count(),
                x.answers.resolution.assessment,
                x.answers.authority.assessment
            );
        }
        if let Some(t) = p.edited_at {
            println!("      edited {}", show_local(t));
        }
        print_edits(d, "promise", p.id.0);
    }

    println!();
    println!("Evidence ({})", d.evidence.len());
    for e in &d.evidence {
        let x = &e.fields;
        let captured = x
            .captured_at
            .map(|t| format!(" · captured {}", show_local(t)))
            .unwrap_or_default();
        let contact = x
            .contact_id
            .map(|c| format!(" · contact #{c}"))
            .unwrap_or_default();
        println!(
            "  {}  {} · {} · {}{captured} · imported {}{contact}",
            e.label(),
            x.kind,
            x.media_type,
            size(x.size_bytes),
            show_local(e.imported_at)
        );
        println!("        {}  {}", x.sha256, x.original_name);
        if let Some(a) = &x.audio {
            let mut facts = Vec::new();
            if let Some(ms) = a.duration_ms {
                facts.push(crate::model::duration_text(ms));
            }
            if let Some(r) = a.sample_rate {
                facts.push(format!("{r} Hz"));
            }
            match a.channels {
                Some(1) => facts.push("mono".into()),
                Some(2) => facts.push("stereo".into()),
                Some(n) => facts.push(format!("{n} channels")),
                None => {}
            }
            if let Some(d) = &a.device {
                facts.push(format!("from \"{d}\""));
            }
            if a.recovered {
                facts.push("recovered after interruption".into());
            }
            if !facts.is_empty() {
                println!("        audio: {}", facts.join(" · "));
            }
            for b in &a.bookmarks {
                println!(
                    "        bookmark {}{}",
                    crate::model::duration_text(b.offset_ms),
                    b.note
                        .as_deref()
                        .map(|n| format!("  {n}"))
                        .unwrap_or_default()
                );
            }
        }
        if let Some(n) = &x.note {
            println!("        note: {n}");
        }
        if let Some(r) = &e.retracted {
            println!("        RETRACTED {}: {}", show_local(r.at), r.reason);
        }
    }

    println!();
    println!(
        "Ledger  {} entries · head {}",
        d.ledger.length, d.ledger.head
    );
    let overdue: Vec<String> = d
        .promises
        .iter()
        .filter(|p| p.overdue)
        .map(|p| {
            format!(
                "#{} (due {})",
                p.promise.id,
                show_local(p.promise.fields.due_at)
            )
        })
        .collect();
    if !overdue.is_empty() {
        println!("Overdue promises: {}", overdue.join(", "));
    }
}

fn print_edits(d: &crate::store::CaseDetail, record: &str, id: i64) {
    for edit in d.edits.iter().filter(|e| e.record == record && e.id == id) {
        let at = crate::clock::parse_instant(&edit.at)
            .map(show_local)
            .unwrap_or(edit.at.clone());
        for (field, change) in &edit.changes {
            println!(
                "      edited {at}: {field} was {}, now {}",
                clip(&value_text(&change.from), 60),
                clip(&value_text(&change.to), 60)
            );
        }
    }
}
