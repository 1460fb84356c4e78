//! `recourse advise`, `recourse due` and `recourse calendar export`: the advisor's next steps
//! for one case, the agenda across all cases, and that agenda as an iCalendar file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::output::{clip, print_json, print_table};
use super::{Ctx, Lang, Outcome};
use crate::advisor::agenda::{self, DueState, DueWhat};
use crate::advisor::words::{self, Worded};
use crate::advisor::{self, Action, Severity};
use crate::model::CaseId;

/// `recourse advise`.
#[derive(Debug, Args)]
pub struct AdviseArgs {
    /// The case id.
    case: i64,
    /// Print JSON (codes, severities, reasons, words in both languages, facts).
    #[arg(long)]
    json: bool,
    /// Advise as if it were this moment (RFC 3339, e.g. 2026-11-20T09:00:00+09:00).
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

/// `recourse due`.
#[derive(Debug, Args)]
pub struct DueArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// As if it were this moment (RFC 3339).
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

/// `recourse calendar`.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Write every pending promise and legal deadline of the open cases as an iCalendar file
    /// (.ics) with reminders, for a phone or desktop calendar to import.
    Export {
        /// Where to write it [default: recourse.ics in the current directory]; `-` for stdout.
        #[arg(long, value_name = "FILE.ics")]
        out: Option<PathBuf>,
    },
}

fn lang(ctx: &Ctx) -> Lang {
    ctx.lang.unwrap_or_default()
}

fn now_arg(ctx: &Ctx, given: Option<String>) -> anyhow::Result<DateTime<Utc>> {
    match given {
        Some(text) => crate::clock::parse_instant(&text).with_context(|| {
            format!("--now '{text}' is not a time; give RFC 3339, e.g. 2026-11-20T09:00:00+09:00")
        }),
        None => Ok(ctx.now),
    }
}

#[derive(Serialize)]
struct AdviceJson<'a> {
    #[serde(flatten)]
    worded: Worded,
    action: Option<Action>,
    facts: &'a advisor::Advice,
}

#[derive(Serialize)]
struct AdviseJson<'a> {
    case: CaseId,
    now: DateTime<Utc>,
    settings: advisor::Settings,
    note: &'static str,
    advice: Vec<AdviceJson<'a>>,
}

/// Prints the advice for a case.
pub fn advise(ctx: &Ctx, args: AdviseArgs) -> anyhow::Result<Outcome> {
    let now = now_arg(ctx, args.now)?;
    let mut dd = ctx.open()?;
    let detail = dd.store.case_detail(CaseId(args.case), now)?;
    let settings = dd.store.advisor_settings()?;
    let advice = advisor::advise(&detail, now, &settings);
    let lang = lang(ctx);
    // The data directory's zone, as the app shows it (`settings --zone` changes it).
    let zone = dd.store.zone()?;
    let wctx = words::Ctx {
        lang,
        offset: crate::clock::offset_in(zone, now),
        now,
        case: Some(&detail.case.fields),
    };
    let note = match lang {
        Lang::Ko => "법정 기한은 안내일 뿐 법률 자문이 아닙니다.",
        Lang::En => "Legal deadlines are guidance, not legal advice.",
    };
    if args.json {
        return print_json(&AdviseJson {
            case: detail.case.id,
            now,
            settings,
            note,
            advice: advice
                .iter()
                .map(|a| AdviceJson {
                    worded: words::word(a, &wctx),
                    action: a.action(),
                    facts: a,
                })
                .collect(),
        })
        .map(|()| Outcome::Done);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} — {}",
        detail.case.fields.title, detail.case.fields.company
    )?;
    if advice.is_empty() {
        let nothing = match lang {
            Lang::Ko => "지금은 할 일이 없습니다.",
            Lang::En => "Nothing to do right now.",
        };
        writeln!(out, "{nothing}")?;
        return Ok(Outcome::Done);
    }
    let (why, say_ko, say_en) = match lang {
        Lang::Ko => ("이유", "말하기", "영어로"),
        Lang::En => ("why", "say (ko)", "say (en)"),
    };
    for (i, a) in advice.iter().enumerate() {
        let w = words::word(a, &wctx);
        let mark = match w.severity {
            Severity::Urgent => "!!",
            Severity::Warning => "! ",
            Severity::Info => "  ",
        };
        writeln!(out)?;
        writeln!(out, "{mark} {}. {}  [{}]", i + 1, w.step, w.code)?;
        writeln!(out, "     {why}: {}", w.reason)?;
        let (first, second) = match lang {
            Lang::Ko => (w.say_ko.as_ref(), w.say_en.as_ref()),
            Lang::En => (w.say_en.as_ref(), w.say_ko.as_ref()),
        };
        let (first_label, second_label) = match lang {
            Lang::Ko => (say_ko, say_en),
            Lang::En => (say_en, say_ko),
        };
        if let Some(s) = first {
            writeln!(out, "     {first_label}: {s}")?;
        }
        if let Some(s) = second {
            writeln!(out, "     {second_label}: {s}")?;
        }
    }
    if advice.iter().any(|a| a.code() == "legal-deadline") {
        writeln!(out)?;
        writeln!(out, "{note}")?;
    }
    Ok(Outcome::Done)
}

#[derive(Serialize)]
struct DueJson<'a> {
    now: DateTime<Utc>,
    items: Vec<DueItemJson<'a>>,
}

#[derive(Serialize)]
struct DueItemJson<'a> {
    title: String,
    #[serde(flatten)]
    item: &'a agenda::DueItem,
}

/// Lists due and overdue promises and legal deadlines across all cases.
pub fn due(ctx: &Ctx, args: DueArgs) -> anyhow::Result<Outcome> {
    let now = now_arg(ctx, args.now)?;
    let mut dd = ctx.open()?;
    let items = agenda::agenda(&dd.store.agenda_inputs()?, now);
    let lang = lang(ctx);
    if args.json {
        return print_json(&DueJson {
            now,
            items: items
                .iter()
                .map(|item| DueItemJson {
                    title: item.title(lang),
                    item,
                })
                .collect(),
        })
        .map(|()| Outcome::Done);
    }
    if items.is_empty() {
        println!(
            "{}",
            match lang {
                Lang::Ko => "기한이 있는 약속이나 법정 기한이 없습니다.",
                Lang::En => "No pending promises or legal deadlines.",
            }
        );
        return Ok(Outcome::Done);
    }
    // Times in the data directory's zone, as everywhere else.
    let offset = crate::clock::offset_in(dd.store.zone()?, now);
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|it| {
            let state = match (it.state, lang) {
                (DueState::Overdue, Lang::Ko) => "지남",
                (DueState::Overdue, Lang::En) => "OVERDUE",
                (DueState::DueSoon, Lang::Ko) => "임박",
                (DueState::DueSoon, Lang::En) => "due soon",
                (DueState::Upcoming, Lang::Ko) => "예정",
                (DueState::Upcoming, Lang::En) => "upcoming",
            };
            let at = match &it.what {
                DueWhat::Promise { promise } => promise
                    .due_at
                    .with_timezone(&offset)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                DueWhat::Deadline { deadline } => format!("{} (KST)", deadline.due),
            };
            vec![
                state.to_owned(),
                at,
                it.when_text(now, lang),
                it.case.to_string(),
                clip(&it.case_title, 24),
                it.title(lang),
            ]
        })
        .collect();
    let header: [&str; 6] = match lang {
        Lang::Ko => ["상태", "기한", "남은 시간", "사건", "제목", "무엇"],
        Lang::En => ["STATE", "DUE", "WHEN", "CASE", "TITLE", "WHAT"],
    };
    print_table(&header, &rows);
    Ok(Outcome::Done)
}

/// Writes the agenda as an iCalendar file.
pub fn calendar(ctx: &Ctx, cmd: CalendarCommand) -> anyhow::Result<Outcome> {
    let CalendarCommand::Export { out } = cmd;
    let mut dd = ctx.open()?;
    let items = agenda::agenda(&dd.store.agenda_inputs()?, ctx.now);
    let offset = crate::clock::offset_in(dd.store.zone()?, ctx.now);
    let text = agenda::to_ics(&items, ctx.now, lang(ctx), offset);
    let path = out.unwrap_or_else(|| PathBuf::from("recourse.ics"));
    if path.as_os_str() == "-" {
        std::io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(Outcome::Done);
    }
    crate::vault::write_file_atomically(&path, text.as_bytes())
        .with_context(|| format!("could not write {}; choose another --out", path.display()))?;
    eprintln!(
        "wrote {} ({} event(s)); import it into your phone's or computer's calendar",
        path.display(),
        items.len()
    );
    Ok(Outcome::Done)
}

/// `recourse letter`.
#[derive(Debug, clap::Args)]
pub struct LetterArgs {
    /// The case id.
    case: i64,
    /// Which letter: complaints (the company's complaints department), consumer-agency (1372 /
    /// damage relief), mediation (전자문서·전자거래분쟁조정위원회), card-issuer (refusing the
    /// remaining card installments, 할부거래법 제16조), withdrawal (the written withdrawal,
    /// 전자상거래법 제17조 제5항), kca-form (the fields of the 1372 online form).
    #[arg(long, value_enum)]
    kind: crate::letters::Kind,
    /// Write it to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<std::path::PathBuf>,
    /// As of this time (RFC 3339; default: now): the letter's date and the deadlines it cites.
    #[arg(long)]
    now: Option<String>,
}

/// Writes a letter or form from the case's facts; says on stderr what the case lacks for it.
pub fn letter(ctx: &Ctx, args: LetterArgs) -> anyhow::Result<Outcome> {
    let now = now_arg(ctx, args.now)?;
    let dd = ctx.open()?;
    let detail = dd.store.case_detail(CaseId(args.case), now)?;
    let lang = lang(ctx);
    if let Some(why) = crate::letters::unavailable(&detail, args.kind, now, lang) {
        anyhow::bail!("{why}");
    }
    let letter = crate::letters::render(&detail, args.kind, now, lang)
        .map_err(|e| anyhow::anyhow!("the letter template failed: {e}"))?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &letter.text)
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{}", letter.text),
    }
    if !letter.missing.is_empty() {
        eprintln!(
            "{}: {}",
            match lang {
                Lang::Ko => "사건에 없어 빠진 내용 (recourse case edit 로 입력하세요)",
                Lang::En => "not in the case, so left out (enter them with recourse case edit)",
            },
            letter.missing.join(", ")
        );
    }
    Ok(Outcome::Done)
}
