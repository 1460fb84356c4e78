//! The packet's human-readable parts: `report.html` (minijinja templates from `templates/`),
//! the cover letter for the recipient, `VERIFY.txt` and `verify.sh`.

use base64::Engine;
use chrono::{DateTime, Utc};
use minijinja::Environment;
use serde::Serialize;

use super::build::BuildOptions;
use super::{PacketLang, Recipient};

use crate::model::{Code, Question, duration_text};
use crate::names::{Lang, Named, question};
use crate::store::CaseDetail;

/// A downscaled JPEG of an image, for the report.
pub struct Preview {
    /// The JPEG bytes.
    pub jpeg: Vec<u8>,
    /// Its width and height in pixels.
    pub size: (u32, u32),
}

/// What the report is made from.
pub struct ReportInput<'a> {
    /// The case.
    pub detail: &'a CaseDetail,
    /// Language, recipient, redaction.
    pub options: &'a BuildOptions,
    /// The build time.
    pub generated_at: DateTime<Utc>,
    /// Each evidence item's path in the packet, in order.
    pub evidence_paths: &'a [String],
    /// Each evidence item's preview, in order.
    pub previews: &'a [Option<Preview>],
    /// Ledger entries in the packet.
    pub ledger_length: u64,
    /// The chain's head.
    pub ledger_head: &'a str,
    /// Format 3: the sender key and the chain's proofs (format 2 reports have none).
    pub proof: Option<ReportProof<'a>>,
    /// Every entry's hash, hex, in chain order (for the timestamps' digests).
    pub entry_hashes: &'a [String],
    /// The cover letter from the case's facts (`letters`), not the 0.1.0 templates.
    pub facts_letters: bool,
}

/// What a format-3 report says of when and who.
#[derive(Clone, Copy)]
pub struct ReportProof<'a> {
    /// The key the manifest is signed with.
    pub sender: &'a crate::proof::key::PublicKey,
    /// The chain's timestamps and receipt codes, checked.
    pub proofs: &'a crate::proof::chain::Proofs,
    /// `verify.html`'s SHA-256.
    pub verifier_sha256: &'a str,
}

/// `verify.sh`: the packet's check with nothing but a POSIX shell and coreutils.
pub const VERIFY_SH: &str = r#"#!/bin/sh
# Checks every file of this escalation packet against SHA256SUMS.
# Run it inside the unzipped folder:   sh verify.sh
# 이 증거 묶음의 모든 파일을 SHA256SUMS와 대조합니다. 압축을 푼 폴더에서 실행하세요.
cd "$(dirname "$0")" || exit 2
if command -v sha256sum >/dev/null 2>&1; then
  sha256sum -c SHA256SUMS || { echo "NOT INTACT: see the lines marked FAILED above" >&2; exit 1; }
elif command -v shasum >/dev/null 2>&1; then
  shasum -a 256 -c SHA256SUMS || { echo "NOT INTACT: see the lines marked FAILED above" >&2; exit 1; }
else
  echo "sha256sum (coreutils) or shasum is needed" >&2
  exit 2
fi
echo "OK: every file matches SHA256SUMS"
"#;

const REPORT_HTML: &str = include_str!("../../templates/report.html");
const LETTERS: [(&str, &str); 6] = [
    (
        "complaints.ko",
        include_str!("../../templates/letter-complaints.ko.txt"),
    ),
    (
        "complaints.en",
        include_str!("../../templates/letter-complaints.en.txt"),
    ),
    (
        "consumer-agency.ko",
        include_str!("../../templates/letter-consumer-agency.ko.txt"),
    ),
    (
        "consumer-agency.en",
        include_str!("../../templates/letter-consumer-agency.en.txt"),
    ),
    (
        "mediation.ko",
        include_str!("../../templates/letter-mediation.ko.txt"),
    ),
    (
        "mediation.en",
        include_str!("../../templates/letter-mediation.en.txt"),
    ),
];

/// The case as a packet shows it: a redacted packet withholds the claimant's phone, email and
/// address (the letters then leave them out).
pub fn shown_detail(detail: &CaseDetail, redact: bool) -> CaseDetail {
    let mut shown = detail.clone();
    if redact {
        let c = &mut shown.case.fields.claimant;
        c.phone = None;
        c.email = None;
        c.address = None;
    }
    shown
}

/// Labels the report uses, in its language.
fn labels(lang: Lang) -> serde_json::Value {
    let pairs: &[(&str, &str, &str)] = &[
        ("title", "고객센터 분쟁 기록", "Dispute record"),
        ("summary", "사건 요약", "Case summary"),
        ("applicant", "신청인", "Applicant"),
        ("business", "사업자", "Business"),
        ("company", "회사", "Company"),
        ("company_contact", "연락처", "Contact"),
        ("company_address", "주소", "Address"),
        ("platform", "플랫폼", "Platform"),
        ("seller", "판매자", "Seller"),
        ("order", "주문번호", "Order no."),
        ("product", "상품", "Product"),
        ("amount", "금액", "Amount"),
        ("dates", "날짜", "Dates"),
        ("ordered", "주문", "ordered"),
        ("paid", "결제", "paid"),
        ("delivered", "배송 완료", "delivered"),
        ("return_sent", "반품 발송", "return sent"),
        ("return_received", "반품 도착", "return received"),
        ("noticed", "문제 발견", "problem noticed"),
        ("refunded", "환불 받음", "refunded"),
        ("category", "피해 유형", "Type of problem"),
        ("wants", "요구 사항", "What is asked"),
        ("status", "상태", "Status"),
        ("tier", "도달한 단계", "Highest tier reached"),
        ("name", "이름", "Name"),
        ("phone", "전화", "Phone"),
        ("email", "이메일", "Email"),
        ("address", "주소", "Address"),
        ("redacted", "(가림)", "(withheld)"),
        (
            "chronology",
            "해결 시도 경과",
            "Chronology of attempts to resolve it",
        ),
        ("time", "일시", "Time"),
        ("channel", "경로", "Channel"),
        ("agent", "상담원", "Agent"),
        ("reference", "접수번호", "Reference"),
        ("said", "내용", "What happened"),
        ("claimed", "회사 측 주장", "They claimed"),
        ("offered", "회사 측 제안", "They offered"),
        ("outcome", "결과", "Outcome"),
        ("announced", "녹음 고지함", "told it was recorded"),
        ("promises", "회사의 약속", "Promises made"),
        ("promised_by", "약속한 사람", "Promised by"),
        ("due", "기한", "Due"),
        ("overdue", "기한 지남", "overdue"),
        (
            "five",
            "다섯 가지 확인 질문",
            "The five verification questions",
        ),
        ("answer", "답변 그대로", "Answer as given"),
        ("assessment", "평가", "Assessment"),
        (
            "stalling",
            "답변의 대부분이 모호하거나 거부되어, 해결 계획이라기보다 시간 끌기로 보입니다.",
            "Most answers were vague or refused: this looks like a delay rather than a plan.",
        ),
        ("evidence", "증거 목록", "Evidence index"),
        ("kind", "종류", "Kind"),
        ("captured", "촬영·녹음", "Captured"),
        ("imported", "등록", "Imported"),
        ("file", "파일", "File"),
        ("contact", "관련 연락", "Contact"),
        ("retracted", "철회됨", "retracted"),
        ("duration", "길이", "Length"),
        ("bookmarks", "책갈피", "Bookmarks"),
        (
            "recovered",
            "중단 후 복구된 녹음",
            "recording recovered after an interruption",
        ),
        ("previews", "이미지 미리보기", "Image previews"),
        (
            "preview_note",
            "미리보기는 축소본입니다. 원본은 evidence/ 폴더에 그대로 들어 있습니다.",
            "Previews are reduced copies; the originals are in evidence/, unchanged.",
        ),
        ("integrity", "무결성 확인", "Integrity"),
        ("ledger", "기록 원장", "Ledger"),
        ("entries", "항목", "entries"),
        ("head", "마지막 해시", "head hash"),
        ("generated", "작성 시각", "Generated"),
        ("page", "쪽", "Page"),
        ("none", "없음", "none"),
    ];
    let mut map = serde_json::Map::new();
    for (key, ko, en) in pairs {
        let text = if lang == Lang::Ko { ko } else { en };
        map.insert(
            (*key).to_owned(),
            serde_json::Value::String((*text).to_owned()),
        );
    }
    serde_json::Value::Object(map)
}

#[derive(Serialize)]
struct Row {
    label: String,
    value: String,
}

/// The report's data, as the templates see it.
pub fn context(input: &ReportInput<'_>) -> serde_json::Value {
    let zone = input.options.zone;
    let show_local = |at| crate::clock::show_in(at, zone);
    let lang = input.options.lang;
    let d = input.detail;
    let f = &d.case.fields;
    let redact = input.options.redact;
    let t = labels(lang);
    let label = |k: &str| t[k].as_str().unwrap_or_default().to_owned();
    let date_rows: Vec<Row> = [
        ("ordered", f.dates.ordered),
        ("paid", f.dates.paid),
        ("delivered", f.dates.delivered),
        ("return_sent", f.dates.return_sent),
        ("return_received", f.dates.return_received),
        ("noticed", f.dates.noticed),
        ("refunded", f.dates.refunded),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.map(|date| Row {
            label: label(k),
            value: date.to_string(),
        })
    })
    .collect();
    let withheld = label("redacted");
    let private = |v: &Option<String>| -> Option<String> {
        v.as_ref()
            .map(|x| if redact { withheld.clone() } else { x.clone() })
    };
    let contacts: Vec<serde_json::Value> = d
        .contacts
        .iter()
        .filter(|c| c.retracted.is_none())
        .map(|c| {
            let x = &c.fields;
            let agent = [
                x.agent_name.clone(),
                x.agent_id.clone().map(|i| format!("#{i}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            serde_json::json!({
                "id": c.id,
                "time": show_local(x.started_at),
                "ended": x.ended_at.map(show_local),
                "channel": x.channel.name(lang),
                "direction": x.direction.name(lang),
                "tier": x.tier.name(lang),
                "agent": agent,
                "reference": x.reference,
                "summary": x.summary,
                "claimed": x.claimed,
                "offered": x.offered,
                "outcome": x.outcome.name(lang),
                "announced": x.recording_announced,
            })
        })
        .collect();
    let promises: Vec<serde_json::Value> = d
        .promises
        .iter()
        .map(|p| {
            let x = &p.promise.fields;
            let answers: Vec<serde_json::Value> = Question::ALL
                .iter()
                .map(|q| {
                    let a = x.answers.get(*q);
                    serde_json::json!({
                        "question": question(*q, lang).0,
                        "said": a.said,
                        "assessment": a.assessment.name(lang),
                        "code": a.assessment.code(),
                    })
                })
                .collect();
            serde_json::json!({
                "id": p.promise.id,
                "what": x.what,
                "by": x.promised_by,
                "contact": x.contact_id,
                "due": show_local(x.due_at),
                "status": p.promise.status.name(lang),
                "status_code": p.promise.status.code(),
                "overdue": p.overdue,
                "ended_note": p.promise.end_note,
                "answers": answers,
                "stalling": p.looks_like_stalling,
            })
        })
        .collect();
    let evidence: Vec<serde_json::Value> = d
        .evidence
        .iter()
        .zip(input.evidence_paths)
        .zip(input.previews)
        .map(|((e, path), preview)| {
            let x = &e.fields;
            let audio = x.audio.as_ref().map(|a| {
                let bookmarks: Vec<serde_json::Value> = a
                    .bookmarks
                    .iter()
                    .map(|b| serde_json::json!({"at": duration_text(b.offset_ms), "note": b.note}))
                    .collect();
                serde_json::json!({
                    "duration": a.duration_ms.map(duration_text),
                    "recovered": a.recovered,
                    "bookmarks": bookmarks,
                })
            });
            let preview = preview.as_ref().map(|p| {
                format!(
                    "data:image/jpeg;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(&p.jpeg)
                )
            });
            serde_json::json!({
                "label": e.label(),
                "kind": x.kind.name(lang),
                "captured": x.captured_at.map(show_local),
                "imported": show_local(e.imported_at),
                "sha256": x.sha256.to_hex(),
                "short": x.sha256.short(),
                "name": x.original_name,
                "path": path,
                "contact": x.contact_id,
                "size": crate::evidence::size_text(x.size_bytes),
                "note": x.note,
                "retracted": e.retracted.as_ref().map(|r| r.reason.clone()),
                "audio": audio,
                "preview": preview,
            })
        })
        .collect();
    let proof = input.proof.map(|p| proof_context(p, d, lang, &show_local));
    serde_json::json!({
        "proof": proof,
        "lang": if lang == Lang::Ko { "ko" } else { "en" },
        "t": t,
        "case": {
            "title": f.title,
            "company": f.company,
            "company_contact": f.company_contact,
            "company_address": f.company_address,
            "platform": f.platform,
            "seller": f.seller,
            "order": f.order_number,
            "product": f.product,
            "amount": f.amount.as_ref().map(|m| m.to_string()),
            "category": f.category.name(lang),
            "wants": f.wants,
            "status": f.status.name(lang),
            "tier": d.tier.name(lang),
            "dates": date_rows,
        },
        "claimant": {
            "name": f.claimant.name,
            "phone": private(&f.claimant.phone),
            "email": private(&f.claimant.email),
            "address": private(&f.claimant.address),
        },
        "broken": d.promises.iter().filter(|p| p.overdue || p.promise.status == crate::model::PromiseStatus::Broken).count(),
        "contacts": contacts,
        "promises": promises,
        "evidence": evidence,
        "ledger": {"length": input.ledger_length, "head": input.ledger_head},
        "generated_at": show_local(input.generated_at),
        "zone": zone.name(),
        "deadline": input.options.deadline.map(|d| d.to_string()),
        "recipient": input.options.recipient.code(),
    })
}

/// What a format-3 report shows of when and who.
fn proof_context(
    p: ReportProof<'_>,
    d: &CaseDetail,
    lang: Lang,
    show_local: &dyn Fn(DateTime<Utc>) -> String,
) -> serde_json::Value {
    let ko = lang == Lang::Ko;
    let stamps: Vec<serde_json::Value> = p
        .proofs
        .stamps
        .iter()
        .map(|s| match &s.result {
            Ok(info) => serde_json::json!({
                "label": format!("TS{:03}", s.seq),
                "file": s.file_name(),
                "covers": s.covers,
                "time": show_local(info.gen_time),
                "tsa": info.tsa,
                "chain": crate::proof::chain::chain_words(info, ko),
                "problem": null,
            }),
            Err(e) => serde_json::json!({
                "label": format!("TS{:03}", s.seq),
                "file": s.file_name(),
                "covers": s.covers,
                "problem": e.to_string(),
            }),
        })
        .collect();
    let receipts: Vec<serde_json::Value> = p
        .proofs
        .receipts
        .iter()
        .map(|r| {
            let contact = d.contacts.iter().find(|c| c.id.0 == r.contact);
            serde_json::json!({
                "code": r.code,
                "contact": r.contact,
                "channel": contact.map(|c| c.fields.channel.name(lang)),
                "contact_time": contact.map(|c| show_local(c.fields.started_at)),
                "covers": r.covers,
                "at": DateTime::parse_from_rfc3339(&r.at)
                    .map(|t| show_local(t.with_timezone(&Utc)))
                    .unwrap_or_else(|_| r.at.clone()),
                "problem": r.problem,
            })
        })
        .collect();
    let words = |k: &str, en: &str| -> serde_json::Value {
        serde_json::Value::String(if ko { k } else { en }.to_owned())
    };
    let text = serde_json::json!({
        "title": words("언제와 누가: 서명, 시각 인증, 접수 코드", "When and who: signature, timestamps, receipt codes"),
        "signed": words("보낸 사람의 키", "Sender key"),
        "signed_note": words(
            "이 묶음의 manifest.json 은 위 지문의 Ed25519 키로 서명되어 있습니다(manifest.sig, 공개키 sender.pem). 신청인에게서 미리 받은 지문과 같다면 같은 사람이 만든 묶음입니다. 서명은 누가 만들었는지를 보여줄 뿐, 내용이 사실인지는 보여주지 않습니다.",
            "manifest.json is signed with the Ed25519 key of this fingerprint (manifest.sig; the public key is sender.pem). If it matches the fingerprint the claimant gave you earlier, the same person made this packet. A signature shows who made it, not that its content is true."),
        "stamps": words("신뢰할 수 있는 시각 인증 (RFC 3161)", "Trusted timestamps (RFC 3161)"),
        "stamp_line": words("1–{covers}번 항목은 {time}에 이미 있었습니다", "entries 1–{covers} existed by {time}"),
        "stamp_bad": words("아무것도 증명하지 않음", "proves nothing"),
        "no_stamps": words("시각 인증 없음: 이 기록이 언제 있었는지는 증명되지 않습니다.", "No timestamp: when this record existed is not proven."),
        "receipts": words("회사에 보낸 접수 코드", "Receipt codes given to the company"),
        "receipts_note": words(
            "각 코드는 기록 원장 항목 해시의 앞 80비트입니다(ledger.jsonl 에서 검색할 수 있습니다). 회사가 받은 메시지에 이 코드가 있다면, 그 시점의 기록이 지금과 같다는 증거를 회사가 직접 가지고 있는 것입니다.",
            "Each code is the first 80 bits of a ledger entry's hash (search ledger.jsonl for it). If the company's own inbox holds a message with the code, the company itself holds proof that the record up to that entry is the one shown here."),
        "code": words("코드", "Code"),
        "given_in": words("보낸 연락", "Given in contact"),
        "covers": words("기록 범위", "Covers entries"),
        "verifier": words("브라우저 검증 페이지 verify.html 의 SHA-256", "SHA-256 of the browser verifier verify.html"),
    });
    serde_json::json!({
        "text": text,
        "fingerprint": p.sender.fingerprint(),
        "verifier_sha256": p.verifier_sha256,
        "stamps": stamps,
        "receipts": receipts,
    })
}

/// The cover letter for the recipient, in the report's language.
pub fn letter(
    input: &ReportInput<'_>,
    ctx: &serde_json::Value,
) -> Result<String, minijinja::Error> {
    if input.facts_letters {
        let kind = match input.options.recipient {
            Recipient::Complaints => crate::letters::Kind::Complaints,
            Recipient::ConsumerAgency => crate::letters::Kind::ConsumerAgency,
            Recipient::Mediation => crate::letters::Kind::Mediation,
        };
        return crate::letters::render_redacted(
            &shown_detail(input.detail, input.options.redact),
            input.detail,
            kind,
            input.generated_at,
            input.options.lang,
            input.options.deadline,
        )
        .map(|l| l.text);
    }
    let key = format!(
        "{}.{}",
        input.options.recipient.code(),
        if input.options.lang == PacketLang::Ko {
            "ko"
        } else {
            "en"
        }
    );
    let source = LETTERS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, s)| *s)
        .unwrap_or(LETTERS[0].1);
    let mut env = Environment::new();
    env.add_template("letter", source)?;
    env.get_template("letter")?
        .render(minijinja::value::Serde(ctx))
}

/// `report.pdf`: the same data and letter, laid out on A4.
pub fn pdf(input: &ReportInput<'_>) -> Result<Vec<u8>, String> {
    let ctx = context(input);
    let letter = letter(input, &ctx).map_err(|e| e.to_string())?;
    super::pdf::render(&ctx, &letter, input.previews)
}

/// `report.html`.
pub fn html(input: &ReportInput<'_>) -> Result<String, minijinja::Error> {
    let mut ctx = context(input);
    let letter = letter(input, &ctx)?;
    ctx["letter"] = serde_json::Value::String(letter);
    let mut env = Environment::new();
    env.add_template("report.html", REPORT_HTML)?;
    env.get_template("report.html")?
        .render(minijinja::value::Serde(&ctx))
}

/// `VERIFY.txt`: how to check the packet by hand, in Korean and English, on Linux, macOS and
/// Windows — with the reviewer's own tools, not a script that came inside the packet.
pub fn verify_txt(input: &ReportInput<'_>) -> String {
    match input.proof {
        Some(p) => verify_txt_3(input, p),
        None => verify_txt_2(input),
    }
}

/// Format 3's `VERIFY.txt`: the format-2 checks, and the signature, the timestamps and the
/// browser verifier, each with the reviewer's own tools.
fn verify_txt_3(input: &ReportInput<'_>, p: ReportProof<'_>) -> String {
    let f = &input.detail.case.fields;
    let mut stamps_ko = String::new();
    let mut stamps_en = String::new();
    for st in &p.proofs.stamps {
        let digest = input_hash(input, st.covers).unwrap_or_default();
        stamps_ko.push_str(&format!(
            "     - {file}: 항목 1–{n}\n       openssl ts -verify -token_in -in {file} -digest {digest} -CAfile <믿는 TSA 루트 인증서.pem>\n",
            file = st.file_name(),
            n = st.covers,
        ));
        stamps_en.push_str(&format!(
            "     - {file}: entries 1–{n}\n       openssl ts -verify -token_in -in {file} -digest {digest} -CAfile <the TSA root you trust.pem>\n",
            file = st.file_name(),
            n = st.covers,
        ));
    }
    if stamps_ko.is_empty() {
        stamps_ko =
            "     (이 묶음에는 시각 인증이 없습니다: 언제 있었는지는 증명되지 않습니다.)\n".into();
        stamps_en =
            "     (This packet has no timestamp: when the record existed is not proven.)\n".into();
    }
    format!(
        "이 증거 묶음을 확인하는 방법 / How to check this packet\n\
         =====================================================\n\
         \n\
         사건 / Case: {title} ({company})\n\
         작성 / Generated: {at}\n\
         기록 원장 / Ledger: {n} entries, head {head}\n\
         보낸 사람의 키 / Sender key: {fp}\n\
         verify.html SHA-256: {page}\n\
         \n\
         [한국어]\n\
         1. 브라우저로 verify.html 을 열고 이 ZIP(또는 압축을 푼 폴더)을 고르세요. 네트워크 없이 이 컴퓨터 안에서\n\
            목록, 원장 사슬, 증거 파일, 서명을 확인합니다. verify.html 도 보낸 사람이 만든 코드이므로, 위의 SHA-256 을\n\
            `recourse verifier --out verify.html` 이 주는 것이나 보고서에 인쇄된 것과 비교하세요.\n\
         2. 직접 확인: 압축을 푼 폴더에서\n\
            - 파일: sha256sum -c SHA256SUMS   (macOS: shasum -a 256 -c SHA256SUMS)\n\
            - 서명: openssl pkeyutl -verify -pubin -inkey sender.pem -rawin -in manifest.json -sigfile manifest.sig\n\
            - 키 지문: openssl pkey -pubin -in sender.pem -outform DER | tail -c 32 | sha256sum\n\
              (앞 32자리가 위의 지문과 같아야 합니다)\n\
            - 시각 인증:\n\
         {stamps_ko}\
         3. 전체 확인은 `recourse verify 묶음.zip`: 위의 모든 것과 함께 시각 인증 토큰을 오프라인으로 확인하고,\n\
            보고서와 목록이 원장에서 그대로 다시 만들어지는지 확인합니다.\n\
         4. 증명하는 것: 파일이 원장이 기록한 그대로라는 것(무결성), 위 지문의 키로 만들었다는 것(서명),\n\
            시각 인증이 덮는 항목이 그 시각에 이미 있었다는 것. 증명하지 않는 것: 키의 주인이 누구인지\n\
            (신청인에게서 받은 지문과 비교하세요), TSA 를 믿을 수 있는지, 내용이 사실인지.\n\
         \n\
         [English]\n\
         1. Open verify.html in a browser and pick this ZIP (or its unzipped folder): it checks the lists, the\n\
            ledger chain, the evidence files and the signature on this computer, with no network. verify.html is\n\
            the sender's code too: compare its SHA-256 above with the one `recourse verifier --out verify.html`\n\
            gives, or the one the report prints.\n\
         2. By hand, in the unzipped folder:\n\
            - files:       sha256sum -c SHA256SUMS   (macOS: shasum -a 256 -c SHA256SUMS)\n\
            - signature:   openssl pkeyutl -verify -pubin -inkey sender.pem -rawin -in manifest.json -sigfile manifest.sig\n\
            - fingerprint: openssl pkey -pubin -in sender.pem -outform DER | tail -c 32 | sha256sum\n\
              (its first 32 digits are the fingerprint above)\n\
            - timestamps:\n\
         {stamps_en}\
         3. The full check is `recourse verify packet.zip`: all of the above, the timestamp tokens checked offline,\n\
            and the reports and lists rebuilt from the ledger and compared byte for byte.\n\
         4. What this proves: the files are what the ledger recorded (integrity); the key of the fingerprint above\n\
            made it (signature); the entries a timestamp covers existed by its time. What it does not prove: whose\n\
            key it is (compare it with the fingerprint the claimant gave you), whether to trust the TSA, or whether\n\
            what a file shows is true.\n",
        title = f.title,
        company = f.company,
        at = crate::clock::to_stored(input.generated_at),
        n = input.ledger_length,
        head = input.ledger_head,
        fp = p.sender.fingerprint(),
        page = p.verifier_sha256,
    )
}

/// The hash of ledger entry `seq`, hex, from the report input's chain.
fn input_hash(input: &ReportInput<'_>, seq: u64) -> Option<String> {
    input
        .entry_hashes
        .get(seq.checked_sub(1)? as usize)
        .cloned()
}

/// Format 2's `VERIFY.txt` (kept byte for byte: format-2 packets are still rebuilt).
fn verify_txt_2(input: &ReportInput<'_>) -> String {
    let f = &input.detail.case.fields;
    let ps = "Get-Content -Encoding UTF8 SHA256SUMS | ForEach-Object { $h, $f = $_ -split '  ', 2; \
              if ((Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash.ToLower() -eq $h) { \"OK      $f\" } \
              else { \"FAILED  $f\" } }";
    format!(
        "이 증거 묶음을 확인하는 방법 / How to check this packet\n\
         =====================================================\n\
         \n\
         사건 / Case: {title} ({company})\n\
         작성 / Generated: {at}\n\
         기록 원장 / Ledger: {n} entries, head {head}\n\
         \n\
         [한국어]\n\
         1. 압축을 푼 폴더에서, 묶음 안에 든 스크립트가 아니라 직접 아래 명령을 실행하세요.\n\
            - Linux:   sha256sum -c SHA256SUMS\n\
            - macOS:   shasum -a 256 -c SHA256SUMS\n\
            - Windows (PowerShell):\n\
              {ps}\n\
              파일 하나만 볼 때: Get-FileHash -Algorithm SHA256 파일이름  또는  certutil -hashfile 파일이름 SHA256\n\
            모든 줄이 OK이면, 모든 파일이 SHA256SUMS에 적힌 해시와 같습니다.\n\
            (verify.sh 는 같은 확인을 하는 편의용 스크립트입니다. 그 내용도 `recourse verify` 가 검사합니다.)\n\
         2. SHA256SUMS 자체는 누구나 다시 쓸 수 있습니다. 그래서 전체 확인은 `recourse verify 묶음.zip` 으로 하세요.\n\
            이 명령은 ledger.jsonl 의 해시 사슬을 다시 계산하고, evidence/ 의 각 파일이 원장에 기록된\n\
            번호·해시·크기와 같은지, 보고서와 목록이 원장에서 그대로 다시 만들어지는지 확인합니다.\n\
         3. 증명하는 것: 파일들이 원장이 기록한 그대로이고, 원장 사슬이 끊기지 않았다는 것.\n\
            증명하지 않는 것: 언제 만들어졌는지(신뢰할 수 있는 시각 인증 없음), 누가 만들었는지(서명 없음),\n\
            그리고 내용이 사실인지. 이전에 받은 원장의 마지막 해시가 있다면 위의 head 와 비교해 보세요.\n\
         \n\
         [English]\n\
         1. In the unzipped folder, run one of these yourself (rather than a script that came in the packet):\n\
            - Linux:   sha256sum -c SHA256SUMS\n\
            - macOS:   shasum -a 256 -c SHA256SUMS\n\
            - Windows (PowerShell):\n\
              {ps}\n\
              One file: Get-FileHash -Algorithm SHA256 FILE   or   certutil -hashfile FILE SHA256\n\
            If every line says OK, every file has the SHA-256 that SHA256SUMS lists.\n\
            (verify.sh runs the same check for convenience; `recourse verify` checks its bytes too.)\n\
         2. Anyone can rewrite SHA256SUMS, so the full check is `recourse verify packet.zip`: it recomputes\n\
            the hash chain in ledger.jsonl, checks that each file in evidence/ is the one the ledger recorded\n\
            (number, SHA-256, size), and that the reports and lists are exactly what the ledger produces.\n\
         3. What this proves: the files are what the ledger recorded, and the ledger chain is unbroken.\n\
            What it does not prove: when the packet was made (no trusted timestamp), who made it (no\n\
            signature), or whether what a file shows is true. If you received a ledger head earlier,\n\
            compare it with the head above.\n",
        title = f.title,
        company = f.company,
        at = crate::clock::to_stored(input.generated_at),
        n = input.ledger_length,
        head = input.ledger_head,
    )
}

impl Recipient {
    /// The recipient's name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Recipient::Complaints, Lang::Ko) => "고객센터 민원실",
            (Recipient::Complaints, Lang::En) => "the complaints department",
            (Recipient::ConsumerAgency, Lang::Ko) => "한국소비자원 (1372 소비자상담센터)",
            (Recipient::ConsumerAgency, Lang::En) => "the Korea Consumer Agency (1372)",
            (Recipient::Mediation, Lang::Ko) => "전자거래분쟁조정위원회",
            (Recipient::Mediation, Lang::En) => "the E-Commerce Dispute Mediation Committee",
        }
    }
}
