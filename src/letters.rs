//! The letters and forms a consumer sends: to the company's complaints department, to the 1372
//! centre / Korea Consumer Agency, to the e-commerce mediation committee, the card-installment
//! defence notice to the card company (Installment Transactions Act art. 16), the written
//! withdrawal (E-Commerce Act art. 17(5)), and the fields of the 1372 online form.
//!
//! Each is a minijinja template in `templates/letters/` over facts taken from the case, and
//! every sentence in it is guarded by the facts it states: a letter never prints a placeholder
//! ("(이름)") or claims a contact, a promise or a date the case does not hold. What a letter
//! needs and the case lacks is listed in [`Letter::missing`], for the user to fill in the case.

use chrono::{DateTime, Utc};
use minijinja::Environment;
use serde::Serialize;

use crate::advisor::legal::{self, Who};
use crate::advisor::words::Ctx;
use crate::model::{Channel, PromiseStatus};
use crate::names::{Lang, Named};
use crate::store::CaseDetail;

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// To the company's complaints department (민원실).
    Complaints,
    /// To the 1372 centre and the Korea Consumer Agency's damage relief.
    ConsumerAgency,
    /// To the 전자문서·전자거래분쟁조정위원회.
    Mediation,
    /// To the card company: refusing the remaining installments (할부거래법 제16조).
    CardIssuer,
    /// To the seller: the written withdrawal (전자상거래법 제17조 제5항).
    Withdrawal,
    /// The fields of the 1372 online counselling / damage-relief form, ready to paste.
    KcaForm,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 6] = [
        Kind::Complaints,
        Kind::ConsumerAgency,
        Kind::Mediation,
        Kind::CardIssuer,
        Kind::Withdrawal,
        Kind::KcaForm,
    ];

    /// The template's file stem.
    pub fn stem(self) -> &'static str {
        match self {
            Kind::Complaints => "complaints",
            Kind::ConsumerAgency => "consumer-agency",
            Kind::Mediation => "mediation",
            Kind::CardIssuer => "card-issuer",
            Kind::Withdrawal => "withdrawal",
            Kind::KcaForm => "kca-form",
        }
    }
}

macro_rules! letter_templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/letters/", $name, ".txt")))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = letter_templates!(
    "complaints.ko",
    "complaints.en",
    "consumer-agency.ko",
    "consumer-agency.en",
    "mediation.ko",
    "mediation.en",
    "card-issuer.ko",
    "card-issuer.en",
    "withdrawal.ko",
    "withdrawal.en",
    "kca-form.ko",
    "kca-form.en",
);

/// A rendered letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The text.
    pub text: String,
    /// What the letter would say if the case held it (claimant's name, the company's address
    /// …), in the letter's language: enter these in the case.
    pub missing: Vec<String>,
}

#[derive(Serialize)]
struct Line {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct TimelineRow {
    date: String,
    how: String,
    agent: Option<String>,
    reference: Option<String>,
    summary: String,
    outcome: String,
}

#[derive(Serialize)]
struct PromiseRow {
    what: String,
    by: Option<String>,
    due: String,
    status: String,
    broken: bool,
}

#[derive(Serialize)]
struct LegalRow {
    title: String,
    due: String,
    article: String,
    passed: bool,
    seller: bool,
    /// The yearly late-payment interest the duty carries, in percent (the late refund's 15 %).
    percent: Option<u32>,
    /// The interest owed, worded, to the day it was met or to today (with an amount entered).
    interest: Option<String>,
    /// The day a duty was met after its deadline.
    met_late: Option<String>,
    /// How the count started when the date it runs from is not entered ("counted from the
    /// order date, as no payment date is recorded"), as a sentence.
    assumed: Option<String>,
}

/// The facts the templates see.
#[derive(Serialize)]
struct Facts {
    today: String,
    claimant: crate::model::Claimant,
    company: String,
    company_contact: Option<String>,
    company_address: Option<String>,
    platform: Option<String>,
    seller: Option<String>,
    order: Option<String>,
    product: Option<String>,
    amount: Option<String>,
    payment: Option<String>,
    installments: Option<u32>,
    card_installments: bool,
    dates: Vec<Line>,
    /// What was bought, in parts to join with " · ": the product, the order number, the
    /// amount, how it was paid.
    purchase: Vec<String>,
    /// Each known date by its code (`ordered`, `paid`, `return_sent` …), as the letter writes it.
    on: std::collections::BTreeMap<&'static str, String>,
    problems: Vec<String>,
    category: String,
    wants: Option<String>,
    contacts: usize,
    /// The latest contact says it was resolved.
    settled: bool,
    /// What a redacted packet leaves out that the case holds, in words.
    withheld: Vec<String>,
    /// The day an answer is asked for by, with its year.
    deadline: Option<String>,
    contacts_words: String,
    calls: usize,
    timeline: Vec<TimelineRow>,
    promises: Vec<PromiseRow>,
    broken: usize,
    legal: Vec<LegalRow>,
    evidence: Vec<String>,
    /// The withdrawal right open today, if any: its article and whether the seller pays the
    /// return (art. 18(10)) or the consumer (art. 18(9)).
    withdrawal: Option<WithdrawalFacts>,
    /// The card-installment defence, if open to the case.
    defence: Option<DefenceFacts>,
    /// What the letter would use and the case lacks.
    missing: Vec<String>,
}

#[derive(Serialize)]
struct WithdrawalFacts {
    article: String,
    due: String,
    not_as_contracted: bool,
}

#[derive(Serialize)]
struct DefenceFacts {
    article: String,
    reasons: Vec<String>,
    withdrawn: bool,
    certain: bool,
}

/// A day with its year always: "2026년 11월 20일(금)" / "Fri 20 Nov 2026".
fn with_year(c: &Ctx<'_>, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let shown = c.day(d);
    if shown.contains(&d.year().to_string()) {
        shown
    } else if c.lang == Lang::Ko {
        format!("{}년 {shown}", d.year())
    } else {
        format!("{shown} {}", d.year())
    }
}

fn facts(
    detail: &CaseDetail,
    now: DateTime<Utc>,
    lang: Lang,
    deadline: Option<chrono::NaiveDate>,
) -> Facts {
    use legal::DateField as D;
    let f = &detail.case.fields;
    let ko = lang == Lang::Ko;
    let c = Ctx {
        lang,
        offset: legal::kst(),
        now,
        case: Some(f),
    };
    // In a letter the consumer speaks: "problem found", not "the day you found the problem".
    let label = |field: legal::DateField| -> String {
        match (lang, field) {
            (Lang::Ko, f) => f.name(lang).to_owned(),
            (Lang::En, D::Ordered) => "ordered".into(),
            (Lang::En, D::Paid) => "paid".into(),
            (Lang::En, D::Shipped) => "shipped".into(),
            (Lang::En, D::SupplyAgreed) => "agreed supply date".into(),
            (Lang::En, D::Delivered) => "delivered".into(),
            (Lang::En, D::Noticed) => "problem found".into(),
            (Lang::En, D::ReturnSent) => "sent back".into(),
            (Lang::En, D::ReturnReceived) => "back with the seller".into(),
            (Lang::En, D::Refunded) => "refunded".into(),
        }
    };
    let dates: Vec<Line> = [
        D::Ordered,
        D::Paid,
        D::Shipped,
        D::SupplyAgreed,
        D::Delivered,
        D::Noticed,
        D::ReturnSent,
        D::ReturnReceived,
        D::Refunded,
    ]
    .into_iter()
    .filter_map(|d| {
        d.of(&f.dates).map(|v| Line {
            label: label(d),
            value: c.day(v),
        })
    })
    .collect();
    let on = [
        ("ordered", D::Ordered),
        ("paid", D::Paid),
        ("shipped", D::Shipped),
        ("delivered", D::Delivered),
        ("noticed", D::Noticed),
        ("return_sent", D::ReturnSent),
        ("return_received", D::ReturnReceived),
        ("refunded", D::Refunded),
    ]
    .into_iter()
    .filter_map(|(k, d)| d.of(&f.dates).map(|v| (k, c.day(v))))
    .collect();
    let mut purchase: Vec<String> = Vec::new();
    if let Some(p) = &f.product {
        purchase.push(p.clone());
    }
    if let Some(o) = &f.order_number {
        purchase.push(if ko {
            format!("주문번호 {o}")
        } else {
            format!("order no. {o}")
        });
    }
    if let Some(m) = &f.amount {
        purchase.push(if ko {
            format!("금액 {}", m.to_korean_text())
        } else {
            m.to_string()
        });
    }
    if let Some(m) = f.payment_method {
        purchase.push(match (f.installments, ko) {
            (Some(n), true) if n > 1 => format!("{} {n}개월 할부", m.name(lang)),
            (Some(1), true) => format!("{} 일시불", m.name(lang)),
            (Some(n), false) if n > 1 => format!("{} in {n} installments", m.name(lang)),
            (Some(1), false) => format!("{}, in full", m.name(lang)),
            _ => m.name(lang).to_owned(),
        });
    }
    let live: Vec<_> = detail
        .contacts
        .iter()
        .filter(|k| k.retracted.is_none())
        .collect();
    let timeline = live
        .iter()
        .map(|k| TimelineRow {
            date: c.day(
                k.fields
                    .started_at
                    .with_timezone(&legal::kst())
                    .date_naive(),
            ),
            how: format!(
                "{} · {}",
                k.fields.channel.name(lang),
                k.fields.tier.name(lang)
            ),
            agent: k
                .fields
                .agent_name
                .clone()
                .or_else(|| k.fields.agent_id.clone()),
            reference: k.fields.reference.clone(),
            summary: k.fields.summary.clone(),
            outcome: k.fields.outcome.name(lang).to_owned(),
        })
        .collect();
    let promises: Vec<PromiseRow> = detail
        .promises
        .iter()
        .filter(|v| live.iter().any(|k| k.id == v.promise.fields.contact_id))
        .map(|v| (&v.promise, promise_status(v, lang)))
        .map(|(p, status)| PromiseRow {
            what: p.fields.what.clone(),
            by: p.fields.promised_by.clone(),
            due: c.when(p.fields.due_at),
            status,
            broken: p.status == PromiseStatus::Broken,
        })
        .collect();
    let broken = promises.iter().filter(|p| p.broken).count();
    let deadlines = legal::deadlines(f, now);
    let legal_rows = deadlines
        .iter()
        .map(|d| LegalRow {
            title: d
                .rule()
                .map(|r| r.title(lang).to_owned())
                .unwrap_or_default(),
            due: c.day(d.due),
            article: if ko {
                d.article.clone()
            } else {
                d.article_en.clone()
            },
            passed: d.days_left(now) < 0 || d.met_late_on.is_some(),
            seller: d.who == Who::Seller,
            percent: d.rule().and_then(|r| r.late_interest_percent_per_year),
            interest: d.late_interest.as_ref().map(|m| c.money(m)),
            met_late: d.met_late_on.map(|m| c.day(m)),
            assumed: d.instead_of.map(|missing| {
                if ko {
                    let name = missing.name(lang);
                    let particle = if crate::advisor::words::ends_in_consonant(name) {
                        "이"
                    } else {
                        "가"
                    };
                    format!(
                        "{name}{particle} 기록되지 않아 {}부터 센 기한입니다.",
                        d.start_field.name(lang)
                    )
                } else {
                    format!(
                        "It is counted from the {}, as no {} is recorded.",
                        d.start_field.name(lang),
                        missing.name(lang)
                    )
                }
            }),
        })
        .collect();
    let withdrawal = deadlines
        .iter()
        .filter(|d| d.who == Who::Consumer && d.days_left(now) >= 0)
        .max_by_key(|d| d.rule == "withdrawal-not-as-contracted")
        .map(|d| WithdrawalFacts {
            article: if ko {
                d.article.clone()
            } else {
                d.article_en.clone()
            },
            due: c.day(d.due),
            not_as_contracted: d.rule == "withdrawal-not-as-contracted",
        });
    let defence = legal::defence_rule()
        .and_then(|r| legal::defence_now(f, r, now))
        .map(|d| DefenceFacts {
            article: if ko { d.article } else { d.article_en },
            reasons: d.reasons.iter().map(|p| p.name(lang).to_owned()).collect(),
            withdrawn: d.withdrawn,
            certain: d.unsettled.is_empty(),
        });
    Facts {
        // The letter's own date carries the year (the other dates of this year go without, as
        // it anchors them; dates of another year carry theirs).
        today: with_year(&c, crate::advisor::legal::kst_today(now)),
        claimant: f.claimant.clone(),
        company: f.company.clone(),
        company_contact: f.company_contact.clone(),
        company_address: f.company_address.clone(),
        platform: f.platform.clone(),
        seller: f.seller.clone(),
        order: f.order_number.clone(),
        product: f.product.clone(),
        amount: f.amount.as_ref().map(|m| {
            if ko {
                m.to_korean_text()
            } else {
                m.to_string()
            }
        }),
        payment: f.payment_method.map(|m| m.name(lang).to_owned()),
        installments: f.installments,
        card_installments: f.payment_method == Some(crate::model::PaymentMethod::CreditCard)
            && f.installments.is_some_and(|n| n >= 3),
        dates,
        purchase,
        on,
        // A delivery date disproves "not delivered" and "out of stock" a category implies.
        problems: f
            .facts()
            .iter()
            .filter(|p| {
                f.dates.delivered.is_none()
                    || !matches!(
                        p,
                        crate::model::Problem::NotDelivered | crate::model::Problem::OutOfStock
                    )
            })
            .map(|p| p.name(lang).to_owned())
            .collect(),
        category: f.category.name(lang).to_owned(),
        wants: f.wants.clone(),
        contacts: live.len(),
        deadline: deadline.map(|d| with_year(&c, d)),
        withheld: Vec::new(),
        settled: live
            .iter()
            .max_by_key(|k| k.fields.started_at)
            .is_some_and(|k| k.fields.outcome == crate::model::Outcome::Resolved),
        contacts_words: crate::advisor::words::times(live.len(), lang),
        calls: live
            .iter()
            .filter(|k| k.fields.channel == Channel::Phone)
            .count(),
        timeline,
        promises,
        broken,
        legal: legal_rows,
        evidence: detail
            .evidence
            .iter()
            .filter(|e| e.retracted.is_none())
            .map(|e| {
                format!(
                    "E{:03} {} ({})",
                    e.number,
                    e.fields.original_name,
                    e.fields.kind.name(lang)
                )
            })
            .collect(),
        withdrawal,
        defence,
        missing: Vec::new(),
    }
}

/// What a letter of `kind` would use and the case does not hold.
fn missing(detail: &CaseDetail, kind: Kind, lang: Lang) -> Vec<String> {
    let f = &detail.case.fields;
    let ko = lang == Lang::Ko;
    let mut out = Vec::new();
    let mut need = |absent: bool, ko_name: &str, en_name: &str| {
        if absent {
            out.push(if ko { ko_name } else { en_name }.to_owned());
        }
    };
    need(f.claimant.name.is_none(), "신청인 이름", "your name");
    need(
        f.claimant.phone.is_none() && f.claimant.email.is_none(),
        "신청인 연락처(전화나 이메일)",
        "your phone or email",
    );
    need(f.order_number.is_none(), "주문번호", "the order number");
    need(f.product.is_none(), "상품", "the product");
    if matches!(kind, Kind::ConsumerAgency | Kind::Mediation | Kind::KcaForm) {
        need(f.claimant.address.is_none(), "신청인 주소", "your address");
        need(
            f.company_contact.is_none(),
            "회사 연락처",
            "the company's contact",
        );
        need(
            f.company_address.is_none(),
            "회사 주소",
            "the company's address",
        );
        need(f.amount.is_none(), "결제 금액", "the amount paid");
        need(f.wants.is_none(), "요구 사항", "what you ask for");
    }
    if kind == Kind::CardIssuer {
        need(f.amount.is_none(), "결제 금액", "the amount paid");
        need(
            f.installments.is_none(),
            "할부 개월 수",
            "the number of installments",
        );
        need(f.dates.paid.is_none(), "결제일", "the payment date");
    }
    if kind == Kind::Withdrawal {
        need(
            f.dates.delivered.is_none(),
            "배송 완료일",
            "the delivery date",
        );
    }
    out
}

/// A promise's standing as a letter states it: a pending promise past its due time is overdue,
/// not "pending".
fn promise_status(v: &crate::store::PromiseView, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    match v.promise.status {
        PromiseStatus::Pending if v.overdue => {
            if ko {
                "기한이 지났는데 소식 없음"
            } else {
                "overdue, no word"
            }
        }
        PromiseStatus::Pending => {
            if ko {
                "기한 전"
            } else {
                "not yet due"
            }
        }
        PromiseStatus::Kept => {
            if ko {
                "지켜짐"
            } else {
                "kept"
            }
        }
        PromiseStatus::Broken => {
            if ko {
                "지켜지지 않음"
            } else {
                "not kept"
            }
        }
        PromiseStatus::Withdrawn => {
            if ko {
                "취소됨"
            } else {
                "withdrawn"
            }
        }
    }
    .to_owned()
}

/// Why the card-installment notice cannot be written for the case, if it cannot: each reason
/// as the case shows it, so the user knows what to enter or that the right is not there.
fn card_unavailable(detail: &CaseDetail, now: DateTime<Utc>, lang: Lang) -> Option<String> {
    let f = &detail.case.fields;
    let pick = |ko: &str, en: &str| Some(if lang == Lang::Ko { ko } else { en }.to_owned());
    let rule = legal::defence_rule()?;
    if f.payment_method != Some(crate::model::PaymentMethod::CreditCard) {
        return pick(
            "카드 할부 항변 통지서는 신용카드 할부로 결제한 거래에만 씁니다. 신용카드로 결제했다면 사건의 결제 수단을 신용카드로 바꾸고 할부 개월 수를 입력하세요.",
            "The card-installment notice is only for a purchase paid by credit card in installments. If you paid by credit card, set the case's payment to credit card and enter the installments.",
        );
    }
    if f.dates.refunded.is_some() {
        return pick(
            "이미 환급을 받았으므로 거절할 할부금이 남아 있지 않습니다.",
            "The refund has been made: there are no installments left to refuse.",
        );
    }
    match f.installments {
        None => {
            return pick(
                "사건에 할부 개월 수를 입력하세요. 항변권은 3개월 이상 할부에만 있습니다.",
                "Enter the number of installments in the case: the defence covers only 3 or more.",
            );
        }
        Some(n) if n < rule.min_installments => {
            return pick(
                "할부거래법의 항변권은 3개월 이상 할부에만 있습니다. 일시불이나 2개월 할부에는 이 통지서를 쓸 수 없습니다.",
                "The Installment Transactions Act's defence covers only 3 or more installments, not a single payment or 2.",
            );
        }
        Some(_) => {}
    }
    match &f.amount {
        Some(m) if m.currency == rule.currency && m.minor < rule.min_amount => {
            return pick(
                "할부거래법의 항변권은 20만 원 이상인 거래에만 있습니다.",
                "The Installment Transactions Act's defence covers only purchases of 200,000 won or more.",
            );
        }
        Some(m) if m.currency == rule.currency => {}
        _ => {
            return pick(
                "사건에 결제 금액을 원화로 입력하세요. 항변권은 20만 원 이상인 거래에만 있습니다.",
                "Enter the amount paid, in won, in the case: the defence covers only purchases of 200,000 won or more.",
            );
        }
    }
    if legal::defence_now(f, rule, now).is_none() {
        return pick(
            "아직 항변할 사유가 없습니다. 판매자의 공급 기한이 지나도록 상품이 오지 않았을 때, 상품에 하자가 있거나 표시·광고와 다를 때, 또는 기간 안에 청약을 철회했을 때 씁니다. 사건에 무엇이 잘못되었는지와 날짜를 입력하세요.",
            "There is no reason to refuse yet: the notice is for goods not supplied by the seller's deadline, goods faulty or not as advertised, or an order withdrawn in time. Enter what went wrong and its dates in the case.",
        );
    }
    let advised = crate::advisor::advise(detail, now, &crate::advisor::Settings::default())
        .iter()
        .any(|a| matches!(a, crate::advisor::Advice::CardInstallmentDefence { .. }));
    if !advised {
        return pick(
            "판매자가 아직 해결을 거부하거나 약속·기한을 어기지 않았습니다(또는 마지막 연락에서 해결되었습니다). 먼저 판매자에게 요구하고, 해결되지 않으면 이 통지서를 쓰세요.",
            "The seller has not yet refused, broken a promise or missed a deadline (or the last contact settled it). Ask the seller first; write this notice if it is not put right.",
        );
    }
    None
}

/// Whether a letter of `kind` can be written for the case at all, and if not, why (in `lang`).
pub fn unavailable(
    detail: &CaseDetail,
    kind: Kind,
    now: DateTime<Utc>,
    lang: Lang,
) -> Option<String> {
    let f = &detail.case.fields;
    let ko = lang == Lang::Ko;
    match kind {
        Kind::CardIssuer => card_unavailable(detail, now, lang),
        Kind::Withdrawal => {
            let open = legal::deadlines(f, now)
                .iter()
                .any(|d| d.who == Who::Consumer && d.days_left(now) >= 0);
            let d = &f.dates;
            let pick = |k: &str, e: &str| Some(if ko { k } else { e }.to_owned());
            if open {
                None
            } else if d.return_sent.is_some() || d.return_received.is_some() || d.refunded.is_some()
            {
                pick(
                    "이미 상품을 돌려보냈거나 환급을 받았으므로 보낼 청약철회 통지가 없습니다. 환급이 늦으면 민원이나 1372 신청서를 쓰세요.",
                    "The goods were already sent back or refunded: there is no withdrawal left to send. If the refund is late, write the complaint or the 1372 letter.",
                )
            } else if d.delivered.is_none() {
                pick(
                    "배송 완료일이 없어 철회 기간을 셀 수 없습니다. 상품을 받기 전에도 청약은 철회할 수 있습니다(전자상거래법 제17조 제1항): 아직 받지 않았다면 판매자에게 서면으로 주문 취소를 요청하고, 받았다면 사건에 배송 완료일을 입력하세요.",
                    "With no delivery date the withdrawal period cannot be counted. An order can be withdrawn before delivery too (E-Commerce Act art. 17(1)): if nothing has come, ask the seller in writing to cancel; if it has, enter the delivery date in the case.",
                )
            } else {
                pick(
                    "청약철회 기간이 끝났습니다. 단순 변심은 받은 날부터 7일, 표시·광고나 계약과 다른 상품은 받은 날부터 3개월이면서 그 사실을 안 날부터 30일입니다. 문제를 안 날이 다르면 사건에 문제 발견일을 입력하세요.",
                    "The withdrawal period has ended: 7 days from delivery for any reason; for goods not as advertised or contracted, 3 months from delivery and 30 days from when you found out. If you found the problem later, enter that date in the case.",
                )
            }
        }
        _ => None,
    }
}

/// Renders a letter of `kind` for the case, in `lang`, as of `now`.
pub fn render(
    detail: &CaseDetail,
    kind: Kind,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Letter, minijinja::Error> {
    render_by(detail, kind, now, lang, None)
}

/// [`render`] with the day by which the letter asks for an answer (a packet's `--deadline`);
/// without one a complaint asks within 7 days of receipt.
pub fn render_by(
    detail: &CaseDetail,
    kind: Kind,
    now: DateTime<Utc>,
    lang: Lang,
    deadline: Option<chrono::NaiveDate>,
) -> Result<Letter, minijinja::Error> {
    render_redacted(detail, detail, kind, now, lang, deadline)
}

/// [`render_by`] for a redacted packet: the letter shows `shown` (the claimant's contact
/// details withheld) and says which details were withheld, rather than calling what the case
/// holds (`whole`) missing.
pub fn render_redacted(
    shown: &CaseDetail,
    whole: &CaseDetail,
    kind: Kind,
    now: DateTime<Utc>,
    lang: Lang,
    deadline: Option<chrono::NaiveDate>,
) -> Result<Letter, minijinja::Error> {
    let detail = shown;
    let key = format!(
        "{}.{}",
        kind.stem(),
        if lang == Lang::Ko { "ko" } else { "en" }
    );
    let source = TEMPLATES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, s)| *s)
        .unwrap_or_default();
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    env.add_template("letter", source)?;
    let mut context = facts(detail, now, lang, deadline);
    let lacking = missing(whole, kind, lang);
    context.withheld = missing(shown, kind, lang)
        .into_iter()
        .filter(|m| !lacking.contains(m))
        .collect();
    context.missing = lacking;
    let text = env
        .get_template("letter")?
        .render(minijinja::value::Serde(&context))?;
    // Blank lines left by absent facts: at most one in a row.
    let mut tidy = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        tidy.push_str(line);
        tidy.push('\n');
    }
    Ok(Letter {
        text: tidy.trim().to_owned() + "\n",
        missing: context.missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::store::test_support::{case_fields, contact_fields, store, t};

    /// Ten cases, from an empty one to a full one: each letter in each language is read for
    /// placeholders and for claims the case does not hold.
    fn cases() -> Vec<(&'static str, CaseDetail, usize, usize)> {
        let now = t("2026-11-20T03:00:00Z");
        let mut out = Vec::new();
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        type Setup = fn(&mut CaseFields, &dyn Fn(&str) -> Option<chrono::NaiveDate>);
        // The contacts, and the promises made in them: (which contact, how it ended).
        type Row = (
            &'static str,
            Setup,
            &'static [(Channel, Outcome)],
            &'static [(usize, PromiseStatus)],
        );
        let setups: [Row; 10] = [
            (
                "bare: title and company only",
                |f, _| {
                    f.platform = None;
                    f.order_number = None;
                    f.product = None;
                    f.amount = None;
                    f.wants = None;
                    f.category = Category::Other;
                },
                &[],
                &[],
            ),
            (
                "delivery delay, nothing shipped, no contact",
                |f, d| {
                    f.dates.ordered = d("2026-11-10");
                },
                &[],
                &[],
            ),
            (
                "delivery delay, two chats",
                |f, d| {
                    f.dates.paid = d("2026-11-10");
                },
                &[
                    (Channel::Chat, Outcome::Unresolved),
                    (Channel::Chat, Outcome::PromisedFollowUp),
                ],
                &[(1, PromiseStatus::Broken)],
            ),
            (
                "defect, one call, full claimant",
                |f, d| {
                    f.category = Category::Defect;
                    f.dates.delivered = d("2026-11-16");
                    f.claimant = Claimant {
                        name: Some("김민지".into()),
                        phone: Some("010-0000-0000".into()),
                        email: Some("minji@example.com".into()),
                        address: Some("서울시 중구 세종대로 1".into()),
                    };
                    f.company_contact = Some("1588-0000".into());
                    f.company_address = Some("서울시 강남구 테헤란로 1".into());
                },
                &[(Channel::Phone, Outcome::Unresolved)],
                &[(0, PromiseStatus::Pending)],
            ),
            (
                "wrong item as an exchange, card in 3",
                |f, d| {
                    f.category = Category::Exchange;
                    f.problems = vec![Problem::WrongItem];
                    f.dates.delivered = d("2026-11-18");
                    f.amount = Some(crate::money::Money::parse("289000", "KRW").unwrap());
                    f.payment_method = Some(PaymentMethod::CreditCard);
                    f.installments = Some(3);
                },
                &[(Channel::App, Outcome::Unresolved)],
                &[],
            ),
            (
                "refund late, returned",
                |f, d| {
                    f.category = Category::Refund;
                    f.dates.delivered = d("2026-11-02");
                    f.dates.return_sent = d("2026-11-04");
                    f.dates.return_received = d("2026-11-06");
                },
                &[
                    (Channel::Phone, Outcome::Unresolved),
                    (Channel::Email, Outcome::Unresolved),
                ],
                &[
                    (0, PromiseStatus::Broken),
                    (1, PromiseStatus::Broken),
                    (1, PromiseStatus::Kept),
                ],
            ),
            (
                "out of stock, no refund",
                |f, d| {
                    f.category = Category::OutOfStock;
                    f.dates.paid = d("2026-11-12");
                },
                &[(Channel::Sms, Outcome::Unresolved)],
                &[],
            ),
            (
                "not as advertised, found later",
                |f, d| {
                    f.category = Category::Refund;
                    f.problems = vec![Problem::NotAsAdvertised];
                    f.dates.delivered = d("2026-11-01");
                    f.dates.noticed = d("2026-11-15");
                },
                &[],
                &[],
            ),
            (
                "pre-order past the agreed date",
                |f, d| {
                    f.dates.paid = d("2026-10-01");
                    f.dates.supply_agreed = d("2026-11-10");
                },
                &[(Channel::Chat, Outcome::Unresolved)],
                &[(0, PromiseStatus::Withdrawn)],
            ),
            (
                "USD amount, resolved",
                |f, d| {
                    f.amount = Some(crate::money::Money::parse("120", "USD").unwrap());
                    f.dates.delivered = d("2026-11-17");
                },
                &[(Channel::InPerson, Outcome::Resolved)],
                &[(0, PromiseStatus::Kept)],
            ),
        ];
        for (name, setup, contacts, promises) in setups {
            let (dir, mut s) = store();
            let mut f = case_fields();
            setup(&mut f, &d);
            let id = s.create_case(&f, t("2026-11-01T00:00:00Z")).unwrap();
            let mut calls = 0;
            let mut ids = Vec::new();
            for (i, (channel, outcome)) in contacts.iter().enumerate() {
                let mut c = contact_fields(&format!("2026-11-1{}T01:00:00Z", i + 1));
                c.channel = *channel;
                c.outcome = *outcome;
                calls += usize::from(*channel == Channel::Phone);
                ids.push(s.add_contact(id, &c, t("2026-11-19T00:00:00Z")).unwrap());
            }
            for (i, (contact, status)) in promises.iter().enumerate() {
                let p = PromiseFields {
                    contact_id: ids[*contact],
                    promised_by: Some("이상담".into()),
                    what: format!("판매자 확인 후 연락 {i}"),
                    due_at: t("2026-11-19T09:00:00Z"),
                    answers: FiveAnswers::default(),
                };
                let pid = s.add_promise(id, &p, t("2026-11-19T00:00:00Z")).unwrap();
                if *status != PromiseStatus::Pending {
                    s.end_promise(pid, *status, None, t("2026-11-19T10:00:00Z"))
                        .unwrap();
                }
            }
            out.push((name, s.case_detail(id, now).unwrap(), contacts.len(), calls));
            drop(dir);
        }
        out
    }

    #[test]
    fn no_letter_prints_a_placeholder_or_a_claim_the_case_does_not_hold() {
        let now = t("2026-11-20T03:00:00Z");
        let mut failures = Vec::new();
        for (name, detail, contacts, calls) in cases() {
            for kind in Kind::ALL {
                for lang in [Lang::Ko, Lang::En] {
                    if unavailable(&detail, kind, now, lang).is_some() {
                        continue;
                    }
                    let text = render(&detail, kind, now, lang).unwrap().text;
                    let mut bad = |why: &str| {
                        failures.push(format!(
                            "{name} / {} / {lang:?}: {why}\n{text}",
                            kind.stem()
                        ))
                    };
                    for p in [
                        "(이름)",
                        "(상품)",
                        "(요구 사항)",
                        "(없음)",
                        "{{",
                        "}}",
                        "{%",
                        "%}",
                        ": ·",
                        "· ·",
                        "None",
                        "null",
                        "undefined",
                    ] {
                        if text.contains(p) {
                            bad(&format!("placeholder or template residue {p:?}"));
                        }
                    }
                    let lines: Vec<&str> = text.lines().collect();
                    if lines.iter().enumerate().any(|(i, l)| {
                        l.trim_end().ends_with(':')
                            && !lines.get(i + 1).is_some_and(|n| n.starts_with("- "))
                    }) {
                        bad("a label with nothing after it");
                    }
                    let claims = [
                        "연락했지만",
                        "요청했지만",
                        "contacted your",
                        "I asked the",
                        "contacted the business",
                    ];
                    if contacts == 0 && claims.iter().any(|c| text.contains(c)) {
                        bad("claims contacts the case does not hold");
                    }
                    if calls == 0 && (text.contains("통화") || text.contains("every call")) {
                        bad("speaks of calls in a case without one");
                    }
                    // English number agreement: "1 were", "1 of the promises … were".
                    if lang == Lang::En
                        && text.split(['.', '\n']).any(|sentence| {
                            let words: Vec<&str> = sentence.split_whitespace().collect();
                            words.windows(2).any(|w| w[0] == "1" && w[1] == "were")
                                || (words.first() == Some(&"1")
                                    && words.get(1) == Some(&"of")
                                    && words.contains(&"were"))
                        })
                    {
                        bad("a singular count with a plural verb");
                    }
                    if let Some(l) = text
                        .lines()
                        .find(|l| crate::advisor::scenarios::nested_parens(l))
                    {
                        bad(&format!("brackets inside brackets: {l}"));
                    }
                    if lang == Lang::Ko && text.contains('₩') {
                        bad("₩ in Korean");
                    }
                    if text.contains("전자거래분쟁조정위원회")
                        && !text.contains("전자문서·전자거래분쟁조정위원회")
                    {
                        bad("the committee's old name");
                    }
                    if detail.case.fields.claimant.name.is_none()
                        && (text.contains("신청인:") || text.contains("Applicant:"))
                    {
                        bad("an applicant line without a name");
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    #[test]
    fn the_card_and_withdrawal_letters_are_only_for_cases_that_have_the_right() {
        let now = t("2026-11-20T03:00:00Z");
        let all = cases();
        let get = |n: &str| &all.iter().find(|c| c.0 == n).unwrap().1;
        // Wrong item, credit card in 3 installments, 289,000 won: both rights are open.
        let card = get("wrong item as an exchange, card in 3");
        assert_eq!(unavailable(card, Kind::CardIssuer, now, Lang::Ko), None);
        let letter = render(card, Kind::CardIssuer, now, Lang::Ko).unwrap().text;
        assert!(
            letter.contains("할부거래법 제16조에 따라 남은 할부금의 지급을 거절합니다"),
            "{letter}"
        );
        assert!(letter.contains("3개월 할부"), "{letter}");
        let w = render(card, Kind::Withdrawal, now, Lang::Ko).unwrap().text;
        // Delivered Wed 18 Nov; 17(3): 30 days → Fri 18 Dec; the seller pays the return.
        assert!(w.contains("전자상거래법 제17조 제3항에 따라"), "{w}");
        assert!(w.contains("제18조 제10항"), "{w}");
        assert!(
            w.contains("보낸 날인 2026년 11월 20일(금)에 효력이 생깁니다"),
            "{w}"
        );
        // Sent back on Thu 19 Nov, within the withdrawal period: the withdrawal is a reason
        // too (art. 16(1)6), said with its date, without brackets inside brackets.
        let mut sent = card.clone();
        sent.case.fields.dates.return_sent = chrono::NaiveDate::from_ymd_opt(2026, 11, 19);
        let ko = render(&sent, Kind::CardIssuer, now, Lang::Ko).unwrap().text;
        assert!(
            ko.contains(
                "사유: 다른 상품이 옴. 또한 11월 19일(목)에 청약을 철회하고 상품을 돌려보냈습니다."
            ),
            "{ko}"
        );
        let en = render(&sent, Kind::CardIssuer, now, Lang::En).unwrap().text;
        assert!(
            en.contains("Also, I withdrew from the order and sent the goods back on Thu 19 Nov."),
            "{en}"
        );
        // Returned goods arrived Fri 6 Nov: 3 business days → Mon 9, Tue 10, Wed 11 Nov
        // (art. 18(1)). Nine days late on Fri 20 Nov, the 39,000 won earn 15 % a year
        // (art. 18(2), Decree art. 21-3): 39,000 × 0.15 × 9 / 365 = 144.2 → 144 won, claimed.
        let late = get("refund late, returned");
        let ko = render(late, Kind::Complaints, now, Lang::Ko).unwrap().text;
        assert!(
            ko.contains("환급 기한은 11월 11일(수)까지였습니다. 늦어진 기간의 지연배상금(연 15%)도 청구합니다. 오늘까지 144원입니다."),
            "{ko}"
        );
        let en = render(late, Kind::Mediation, now, Lang::En).unwrap().text;
        assert!(
            en.contains(
                "was Wed 11 Nov. Late-payment interest (15% a year) is claimed too: ₩144 so far."
            ),
            "{en}"
        );
        // Paid by card in 3 on Thu 19 Nov for a delivery that has not come: the seller has
        // 3 business days to ship (art. 15(1)): Fri 20, Mon 23, Tue 24 Nov. On Fri 20 Nov the
        // goods are not yet late, so there is no reason under art. 16(1)2 and no notice.
        let mut waiting = card.clone();
        let wf = &mut waiting.case.fields;
        wf.category = Category::DeliveryDelay;
        wf.problems = vec![];
        wf.dates = OrderDates {
            paid: chrono::NaiveDate::from_ymd_opt(2026, 11, 19),
            ..OrderDates::default()
        };
        let why = unavailable(&waiting, Kind::CardIssuer, now, Lang::En).unwrap();
        assert!(why.contains("no reason to refuse yet"), "{why}");
        // On Wed 25 Nov the deadline has passed unshipped: the notice is there, its reason
        // "not delivered".
        let later = t("2026-11-25T03:00:00Z");
        assert_eq!(
            unavailable(&waiting, Kind::CardIssuer, later, Lang::En),
            None
        );
        let en = render(&waiting, Kind::CardIssuer, later, Lang::En)
            .unwrap()
            .text;
        assert!(en.contains("Reason: not delivered."), "{en}");
        // Delivered on Wed 25 Nov after all: "not delivered" is no longer a reason, nor a
        // problem any letter states.
        waiting.case.fields.dates.delivered = chrono::NaiveDate::from_ymd_opt(2026, 11, 25);
        assert!(unavailable(&waiting, Kind::CardIssuer, later, Lang::En).is_some());
        let complaint = render(&waiting, Kind::Complaints, later, Lang::En)
            .unwrap()
            .text;
        assert!(!complaint.contains("not delivered"), "{complaint}");
        // Refunded: nothing left to refuse.
        let mut refunded = card.clone();
        refunded.case.fields.dates.refunded = chrono::NaiveDate::from_ymd_opt(2026, 11, 19);
        let why = unavailable(&refunded, Kind::CardIssuer, now, Lang::Ko).unwrap();
        assert!(why.contains("이미 환급"), "{why}");
        // Installments not entered: asked for, not assumed.
        let mut unknown = card.clone();
        unknown.case.fields.installments = None;
        let why = unavailable(&unknown, Kind::CardIssuer, now, Lang::Ko).unwrap();
        assert!(why.contains("할부 개월 수를 입력"), "{why}");
        // A packet's deadline is the day the complaint asks an answer by, with its year.
        let by = chrono::NaiveDate::from_ymd_opt(2027, 1, 4);
        let ko = render_by(late, Kind::Complaints, now, Lang::Ko, by)
            .unwrap()
            .text;
        assert!(
            ko.contains("2027년 1월 4일(월)까지 문자나 이메일로 답해 주십시오"),
            "{ko}"
        );
        assert!(!ko.contains("7일 안에"), "{ko}");
        let by = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
        let en = render_by(late, Kind::Mediation, now, Lang::En, by)
            .unwrap()
            .text;
        assert!(en.contains("· by Tue 1 Dec 2026"), "{en}");
        // No card entered: no card letter.
        let bare = get("bare: title and company only");
        assert!(unavailable(bare, Kind::CardIssuer, now, Lang::Ko).is_some());
        // Nothing delivered: no withdrawal open.
        assert!(unavailable(bare, Kind::Withdrawal, now, Lang::En).is_some());
        // Sent back already: no withdrawal to send.
        assert!(
            unavailable(
                get("refund late, returned"),
                Kind::Withdrawal,
                now,
                Lang::Ko
            )
            .is_some()
        );
    }

    #[test]
    fn the_form_lists_what_the_case_lacks_instead_of_inventing_it() {
        let now = t("2026-11-20T03:00:00Z");
        let all = cases();
        let bare = &all[0].1;
        let form = render(bare, Kind::KcaForm, now, Lang::Ko).unwrap();
        assert!(form.missing.contains(&"신청인 이름".to_owned()));
        assert!(
            form.text.contains("사건에 없어 적지 않은 항목"),
            "{}",
            form.text
        );
        assert!(!form.text.contains("[소비자]"), "{}", form.text);
        let full = &all[3].1;
        let form = render(full, Kind::KcaForm, now, Lang::Ko).unwrap();
        assert!(form.text.contains("이름: 김민지"), "{}", form.text);
        assert!(
            form.text.contains("주소: 서울시 강남구 테헤란로 1"),
            "{}",
            form.text
        );
    }
}
