//! The packet's human-readable parts: `report.html` (minijinja templates from `templates/`),
//! the cover letter for the recipient, `VERIFY.txt` and `verify.sh`.

use base64::Engine;
use chrono::{DateTime, Utc};
use minijinja::Environment;
use serde::Serialize;

use super::build::BuildOptions;
use super::{PacketLang, Recipient};
use crate::clock::show_local;
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

fn lang_of(l: PacketLang) -> Lang {
    match l {
        PacketLang::Ko => Lang::Ko,
        PacketLang::En => Lang::En,
    }
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
    let lang = lang_of(input.options.lang);
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
    serde_json::json!({
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
        "deadline": input.options.deadline.map(|d| d.to_string()),
        "recipient": input.options.recipient.code(),
    })
}

/// The cover letter for the recipient, in the report's language.
pub fn letter(
    input: &ReportInput<'_>,
    ctx: &serde_json::Value,
) -> Result<String, minijinja::Error> {
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

/// `VERIFY.txt`: how to check the packet by hand, in Korean and English.
pub fn verify_txt(input: &ReportInput<'_>) -> String {
    let f = &input.detail.case.fields;
    format!(
        "이 증거 묶음을 확인하는 방법 / How to check this packet\n\
         =====================================================\n\
         \n\
         사건 / Case: {title} ({company})\n\
         작성 / Generated: {at}\n\
         기록 원장 / Ledger: {n} entries, head {head}\n\
         \n\
         [한국어]\n\
         1. 압축을 푼 폴더에서 `sha256sum -c SHA256SUMS` 를 실행하세요 (또는 `sh verify.sh`).\n\
            모든 줄이 OK이면, 이 묶음의 모든 파일이 작성 당시와 한 바이트도 다르지 않습니다.\n\
         2. manifest.json 에는 각 파일의 크기와 SHA-256, 그리고 기록 원장의 마지막 해시가 있습니다.\n\
         3. ledger.jsonl 의 각 항목은 hash = SHA-256(prev_hash ‖ encode(항목)) 으로 이어진 사슬입니다.\n\
            recourse 프로그램의 `recourse verify 묶음.zip` 이 사슬과 모든 파일을 한 번에 검사합니다.\n\
         4. 이것이 증명하는 것: 파일들이 기록된 그대로이고, 각 증거가 원장에 기록된 해시와 같다는 것.\n\
            증명하지 않는 것: 누가 찍었는지, 내용이 사실인지. 그것은 보고서의 경위와 함께 판단해 주세요.\n\
         \n\
         [English]\n\
         1. In the unzipped folder run `sha256sum -c SHA256SUMS` (or `sh verify.sh`). If every line\n\
            says OK, every file in this packet is byte-for-byte what it was when the packet was made.\n\
         2. manifest.json lists every file with its size and SHA-256, and the ledger's head hash.\n\
         3. ledger.jsonl is a hash chain: hash = SHA-256(prev_hash ‖ encode(entry)), the encoding\n\
            documented with the recourse source. `recourse verify packet.zip` checks the chain and\n\
            every file at once.\n\
         4. What this proves: the files are as recorded, and each evidence file has the SHA-256 the\n\
            case's ledger recorded for it when it was added. What it does not prove: who made a\n\
            file or whether its content is true; weigh that with the chronology in the report.\n",
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
