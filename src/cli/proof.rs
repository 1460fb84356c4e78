//! `recourse timestamp`, `key`, `receipt` and `verifier`: proofs of when and who.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};

use super::{Ctx, Outcome};
use crate::model::{CaseId, ContactId};
use crate::packet::shown;
use crate::proof::{chain, key::SenderKey, receipt, tsa};

/// `timestamp`.
#[derive(Debug, Args)]
pub struct TimestampArgs {
    /// The case id.
    case: i64,
    /// Write a request for the current head to FILE (DER, what `openssl ts -query` makes) and
    /// keep it until its reply is imported: for a TSA you reach by hand.
    #[arg(long, value_name = "FILE.tsq", conflicts_with = "import")]
    request_out: Option<PathBuf>,
    /// Import a TSA's reply (`.tsr`, or a bare token) to a request made with --request-out.
    #[arg(long, value_name = "FILE.tsr")]
    import: Option<PathBuf>,
}

/// Timestamps the case's current head: through the configured TSA, or by hand.
pub fn timestamp(ctx: &Ctx, args: TimestampArgs) -> anyhow::Result<Outcome> {
    let mut dd = ctx.open()?;
    let case_id = CaseId(args.case);
    dd.store.case(case_id)?;
    let entries = dd.store.ledger(case_id)?;
    let Some(last) = entries.last() else {
        bail!("case {} has no ledger entries to timestamp", case_id.0);
    };
    if let Some(path) = args.import {
        let bytes = read_bounded(&path)?;
        let token =
            tsa::token_of_reply(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let (imprint, nonce) = tsa::imprint_and_nonce(&token)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let pending = dd.store.timestamp_requests(case_id)?;
        let Some(request) = nonce
            .as_deref()
            .and_then(|n| pending.iter().find(|p| tsa::same_nonce(&p.nonce, n)))
        else {
            bail!(
                "{}: this reply answers no request made for case {} (its nonce is {}); make one with `recourse timestamp {} --request-out head.tsq` and send that",
                path.display(),
                case_id.0,
                nonce.as_deref().unwrap_or("missing"),
                case_id.0
            );
        };
        if imprint != request.head.0.to_vec() {
            bail!(
                "{}: the reply is for another hash ({}) than the request with its nonce asked for (entry {}, {})",
                path.display(),
                hex::encode(&imprint),
                request.covers,
                request.head
            );
        }
        let info = tsa::check(&token, &request.head)
            .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was recorded", path.display()))?;
        let (covers, nonce) = (request.covers, request.nonce.clone());
        let entry = dd
            .store
            .record_timestamp(case_id, covers, &token, Some(&nonce), ctx.now)?;
        print_stamp(entry.seq, covers, &info, &mut dd)?;
        return Ok(Outcome::Done);
    }
    let request = tsa::request(&last.hash)?;
    if let Some(path) = args.request_out {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| {
                format!(
                    "cannot write {} (it may exist already; choose another name)",
                    path.display()
                )
            })?;
        f.write_all(&request.der)
            .and_then(|_| f.sync_all())
            .with_context(|| format!("cannot write {}", path.display()))?;
        dd.store
            .add_timestamp_request(case_id, last.seq, &last.hash, &request.nonce, ctx.now)?;
        println!("{}", path.display());
        eprintln!(
            "a timestamp request for entries 1–{} (head {}). Send it to a TSA, e.g.\n  curl -sS -H 'Content-Type: application/timestamp-query' --data-binary @{} https://freetsa.org/tsr -o reply.tsr\nthen: recourse timestamp {} --import reply.tsr",
            last.seq,
            last.hash,
            path.display(),
            case_id.0
        );
        return Ok(Outcome::Done);
    }
    let stamped = crate::proof::stamp::stamp_now(&mut dd.store, case_id, ctx.now)?;
    print_stamp(stamped.seq, stamped.covers, &stamped.info, &mut dd)?;
    Ok(Outcome::Done)
}

fn print_stamp(
    seq: u64,
    covers: u64,
    info: &tsa::TokenInfo,
    dd: &mut crate::datadir::DataDir,
) -> anyhow::Result<()> {
    let zone = dd.store.zone()?;
    println!(
        "TS{seq:03} entries 1–{covers} existed by {} (TSA: {}; {})",
        crate::clock::show_in(info.gen_time, zone),
        shown(&info.tsa),
        shown(&chain::chain_words(info, false))
    );
    Ok(())
}

fn read_bounded(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bytes = Vec::new();
    f.take(tsa::MAX_REPLY_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > tsa::MAX_REPLY_BYTES {
        bail!(
            "{} is larger than a timestamp reply can be ({} bytes at most)",
            path.display(),
            tsa::MAX_REPLY_BYTES
        );
    }
    Ok(bytes)
}

/// `key`.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Print this data directory's sender key (made on first use): its fingerprint, which
    /// every packet you build is signed with. Give it to the company or a mediator early, so
    /// they can tell your later packets from anyone else's.
    Show {
        /// Print the public key as PEM too.
        #[arg(long)]
        pem: bool,
    },
}

/// `key show`.
pub fn key(ctx: &Ctx, cmd: KeyCommand) -> anyhow::Result<Outcome> {
    let KeyCommand::Show { pem } = cmd;
    let dd = ctx.open()?;
    let key = SenderKey::load_or_create(dd.root())?.public();
    println!("fingerprint {}", key.fingerprint());
    println!("public-key  ed25519:{}", key.to_base64());
    println!(
        "file        {}",
        dd.root().join(crate::proof::key::KEY_FILE).display()
    );
    if pem {
        print!("{}", key.pem());
    }
    Ok(Outcome::Done)
}

/// `receipt`.
#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The case id.
    case: i64,
    /// Record that a code went out in this contact (its id; see `recourse case show`).
    #[arg(long, value_name = "CONTACT")]
    given_in: Option<i64>,
    /// The code given [default: the current head's].
    #[arg(long, value_name = "RC-…", requires = "given_in")]
    code: Option<String>,
}

/// Prints the case's receipt code, or records one given to the company.
pub fn receipt(ctx: &Ctx, args: ReceiptArgs) -> anyhow::Result<Outcome> {
    let mut dd = ctx.open()?;
    let case_id = CaseId(args.case);
    dd.store.case(case_id)?;
    let entries = dd.store.ledger(case_id)?;
    let Some(last) = entries.last() else {
        bail!("case {} has no ledger entries", case_id.0);
    };
    let (code, covers) = match &args.code {
        None => (receipt::code(&last.hash), last.seq),
        Some(text) => {
            let Some(code) = receipt::normalize(text) else {
                bail!(
                    "--code: \"{}\" is not a receipt code; it looks like RC-7F3A-91B2-C4D5-E6F7-A8B9",
                    shown(text)
                );
            };
            let Some(e) = entries.iter().find(|e| receipt::code(&e.hash) == code) else {
                bail!(
                    "{code} names no entry of case {}'s ledger: check the code as it was sent",
                    case_id.0
                );
            };
            (code, e.seq)
        }
    };
    let Some(contact) = args.given_in else {
        println!("{code}");
        eprintln!(
            "entries 1–{covers} of case {}. Paste it into your next message to the company:\n  내 분쟁 기록: {code}\n  My record of this dispute: {code}\nthen record where it went: recourse receipt {} --given-in CONTACT --code {code}",
            case_id.0, case_id.0
        );
        return Ok(Outcome::Done);
    };
    let c = dd.store.contact(ContactId(contact))?;
    if c.case_id != case_id {
        bail!(
            "contact {contact} belongs to case {}, not case {}",
            c.case_id.0,
            case_id.0
        );
    }
    let entry = dd
        .store
        .record_receipt(ContactId(contact), covers, &code, ctx.now)?;
    println!("{code}");
    eprintln!(
        "recorded as ledger entry {}: {code} (entries 1–{covers}) went out in contact {contact}",
        entry.seq
    );
    Ok(Outcome::Done)
}

/// `verifier`.
#[derive(Debug, Args)]
pub struct VerifierArgs {
    /// Where to write the page.
    #[arg(long, value_name = "FILE.html")]
    out: PathBuf,
}

/// Writes `verify.html`, the browser verifier every packet carries; prints its SHA-256.
pub fn verifier(args: VerifierArgs) -> anyhow::Result<Outcome> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.out)
        .with_context(|| {
            format!(
                "cannot write {} (it may exist already; choose another name)",
                args.out.display()
            )
        })?;
    f.write_all(crate::packet::VERIFY_HTML.as_bytes())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "{}  {}",
        crate::packet::verify_html_sha256(),
        args.out.display()
    );
    Ok(Outcome::Done)
}
