//! The advisor's words: for each piece of advice, the step (what to do), the reason (why,
//! naming the contacts, the promise and the dates it rests on) and, where there is something to
//! say to the company or an agency, the words to say, in Korean and in English.
//!
//! One place for them, so the app, `recourse advise` and the calendar say the same thing.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

use super::legal::{Deadline, Who};
use super::{Advice, ContactRef, ExternalWhy, Gap, PromiseRef, Severity};
use crate::model::{CaseFields, Channel, Question};
use crate::names::{Lang, Named, question};

/// How many contacts a reason names before counting the rest.
const NAMED_CONTACTS: usize = 3;

/// What the words are about besides the advice itself: the case, the reader's clock.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The language of the step and the reason.
    pub lang: Lang,
    /// The reader's time zone, for times of day.
    pub offset: FixedOffset,
    /// Now (years are left out of dates in the current year).
    pub now: DateTime<Utc>,
    /// The case, when the words are about one.
    pub case: Option<&'a CaseFields>,
}

/// A piece of advice in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Worded {
    /// The stable code.
    pub code: &'static str,
    /// How pressing.
    pub severity: Severity,
    /// What to do, in one line.
    pub step: String,
    /// Why, citing the facts.
    pub reason: String,
    /// What to say, in Korean.
    pub say_ko: Option<String>,
    /// What to say, in English.
    pub say_en: Option<String>,
    /// The provision a legal line rests on, in `lang` ("전자상거래법 제17조 제3항").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
}

/// Words `advice` in `ctx.lang` (the lines to say in both languages).
pub fn word(advice: &Advice, ctx: &Ctx<'_>) -> Worded {
    let (step, reason) = step_and_reason(advice, ctx);
    Worded {
        code: advice.code(),
        severity: advice.severity(),
        step,
        reason,
        say_ko: say(
            advice,
            &Ctx {
                lang: Lang::Ko,
                ..*ctx
            },
        ),
        say_en: say(
            advice,
            &Ctx {
                lang: Lang::En,
                ..*ctx
            },
        ),
        article: match (advice, ctx.lang) {
            (Advice::LegalDeadline { deadline, .. }, Lang::Ko) => Some(deadline.article.clone()),
            (Advice::LegalDeadline { deadline, .. }, Lang::En) => Some(deadline.article_en.clone()),
            (Advice::CardInstallmentDefence { defence }, Lang::Ko) => Some(defence.article.clone()),
            (Advice::CardInstallmentDefence { defence }, Lang::En) => {
                Some(defence.article_en.clone())
            }
            _ => None,
        },
    }
}

impl Ctx<'_> {
    fn ko(&self) -> bool {
        self.lang == Lang::Ko
    }

    /// Picks the Korean or English text.
    fn pick<'s>(&self, ko: &'s str, en: &'s str) -> &'s str {
        if self.ko() { ko } else { en }
    }

    /// A calendar day: "11월 25일(수)" / "Wed 25 Nov", with the year when it is not this year.
    pub fn day(&self, d: NaiveDate) -> String {
        let this_year = self.now.with_timezone(&self.offset).year();
        let wd = d.weekday().num_days_from_monday() as usize;
        if self.ko() {
            let w = ["월", "화", "수", "목", "금", "토", "일"][wd];
            if d.year() == this_year {
                format!("{}월 {}일({w})", d.month(), d.day())
            } else {
                format!("{}년 {}월 {}일({w})", d.year(), d.month(), d.day())
            }
        } else {
            let w = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][wd];
            let m = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][d.month0() as usize];
            if d.year() == this_year {
                format!("{w} {} {m}", d.day())
            } else {
                format!("{w} {} {m} {}", d.day(), d.year())
            }
        }
    }

    /// A moment: the day and the time of day in the reader's zone, naming the zone when it is
    /// not Korea's (the companies and the law keep Korean time).
    pub fn when(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.offset);
        let time = if self.offset == super::legal::kst() {
            local.format("%H:%M").to_string()
        } else {
            local.format("%H:%M (UTC%:z)").to_string()
        };
        format!("{} {time}", self.day(local.date_naive()))
    }

    /// A contact: "11월 19일(목) 전화(김상담, 접수번호 A-1)" / "the phone call on Thu 19 Nov (김상담, ref. A-1)".
    pub fn contact(&self, c: &ContactRef) -> String {
        self.contact_by(c, None)
    }

    /// A contact, leaving out the agent's name when the sentence already says it.
    fn contact_by(&self, c: &ContactRef, named: Option<&str>) -> String {
        let day = self.day(c.at.with_timezone(&self.offset).date_naive());
        let mut who = Vec::new();
        if let Some(a) = c.agent.as_deref().filter(|a| Some(*a) != named) {
            who.push(a.to_owned());
        }
        if let Some(r) = &c.reference {
            who.push(if self.ko() {
                format!("접수번호 {r}")
            } else {
                format!("ref. {r}")
            });
        }
        let channel = if self.ko() {
            c.channel.name(self.lang)
        } else {
            match c.channel {
                Channel::Phone => "call",
                Channel::Chat => "chat",
                Channel::Email => "email",
                Channel::App => "in-app inquiry",
                Channel::Sms => "message",
                Channel::InPerson => "visit",
            }
        };
        match (self.ko(), who.is_empty()) {
            (true, true) => format!("{day} {channel}"),
            (true, false) => format!("{day} {channel}({})", who.join(", ")),
            (false, true) => format!("the {channel} on {day}"),
            (false, false) => format!("the {channel} on {day} ({})", who.join(", ")),
        }
    }

    fn contacts(&self, list: &[ContactRef]) -> String {
        let mut named: Vec<String> = list
            .iter()
            .take(NAMED_CONTACTS)
            .map(|c| self.contact(c))
            .collect();
        let more = list.len().saturating_sub(NAMED_CONTACTS);
        if more > 0 {
            named.push(if self.ko() {
                format!("외 {more}건")
            } else {
                format!("and {more} more")
            });
        }
        named.join(if self.ko() { ", " } else { "; " })
    }

    /// Who promised: the name, or "the agent".
    fn by(&self, p: &PromiseRef) -> String {
        p.by.clone()
            .unwrap_or_else(|| self.pick("상담원", "the agent").to_owned())
    }

    /// "김상담님이 11월 19일(목) 전화에서 한 ‘문자로 안내’ 약속" / "김상담's promise on … to “…”".
    fn promise(&self, p: &PromiseRef) -> String {
        let by = self.by(p);
        let named = p.by.as_deref();
        match (&p.contact, self.ko()) {
            (Some(c), true) => format!(
                "{by}님이 {}에서 한 ‘{}’ 약속",
                self.contact_by(c, named),
                p.what
            ),
            (None, true) => format!("{by}님의 ‘{}’ 약속", p.what),
            (Some(c), false) => format!(
                "{by}'s promise in {} to ‘{}’",
                self.contact_by(c, named),
                p.what
            ),
            (None, false) => format!("{by}'s promise to ‘{}’", p.what),
        }
    }

    fn questions(&self, qs: &[Question]) -> String {
        qs.iter()
            .map(|q| {
                let (full, _) = question(*q, self.lang);
                let name = full.split(" — ").next().unwrap_or(full);
                if self.ko() {
                    name.to_owned()
                } else {
                    name.to_lowercase()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// An amount as a reader of the language writes it in a sentence: "3,082원" / "₩3,082".
    pub fn money(&self, m: &crate::money::Money) -> String {
        if self.ko() {
            m.to_korean_text()
        } else {
            m.to_string()
        }
    }

    /// What the reason for going outside says of the card-installment defence: only what holds
    /// for this case's payment (nothing when it was not a credit card in installments).
    fn card_sentence(&self) -> Option<String> {
        let case = self.case?;
        let rule = super::legal::defence_rule()?;
        match case.payment_method {
            None => {
                let as_card = CaseFields {
                    payment_method: Some(crate::model::PaymentMethod::CreditCard),
                    ..case.clone()
                };
                super::legal::defence(&as_card, rule)?;
                Some(self.pick(
                    "신용카드로 20만 원 이상을 3개월 이상 할부로 결제했다면, 카드사에 서면으로 알리고 남은 할부금의 지급을 거절할 수도 있습니다(할부거래법 제16조).",
                    "If you paid 200,000 won or more by credit card in 3 or more installments, you may also refuse the remaining installments by notice in writing to the card company (Installment Transactions Act art. 16).",
                ).to_owned())
            }
            Some(_) => {
                let defence = super::legal::defence(case, rule)?;
                if !defence.unsettled.is_empty() {
                    return Some(self.pick(
                        "신용카드 결제가 20만 원 이상, 3개월 이상 할부였다면, 카드사에 서면으로 알리고 남은 할부금의 지급을 거절할 수도 있습니다(할부거래법 제16조).",
                        "If the card payment was 200,000 won or more in 3 or more installments, you may also refuse the remaining installments by notice in writing to the card company (Installment Transactions Act art. 16).",
                    ).to_owned());
                }
                Some(self.pick(
                    "신용카드 할부로 결제했으니 카드사에 서면으로 알리고 남은 할부금의 지급을 거절할 수도 있습니다(할부거래법 제16조).",
                    "As you paid by credit card in installments, you may also refuse the remaining installments by notice in writing to the card company (Installment Transactions Act art. 16).",
                ).to_owned())
            }
        }
    }

    /// How many times: "한 번", "두 번", "스물한 번" / "once", "twice", "3 times".
    fn times(&self, n: usize) -> String {
        times(n, self.lang)
    }

    /// Why a deadline moved: every day off it passed, a substitute holiday named as one.
    fn days_off(&self, d: &Deadline) -> Option<String> {
        if d.days_off.is_empty() {
            return None;
        }
        if !self.ko() {
            let list: Vec<String> = d
                .days_off
                .iter()
                .map(|off| match &off.holiday {
                    Some(h) => format!("{}, {}", self.day(off.date), holiday_en(h)),
                    None => format!("{}, a weekend", self.day(off.date)),
                })
                .collect();
            return Some(format!(
                "The period's last day fell on a day off ({}), so it runs to the next business day, {} (Civil Act art. 161).",
                list.join("; "),
                self.day(d.due)
            ));
        }
        // "마지막 날인 2월 7일(일)은 주말, 2월 8일(월)은 설날이라 …": no parentheses inside
        // parentheses, each particle agreeing with the word before it.
        let n = d.days_off.len();
        let list: Vec<String> = d
            .days_off
            .iter()
            .enumerate()
            .map(|(i, off)| {
                let day = self.day(off.date);
                let what = off.holiday.clone().unwrap_or_else(|| "주말".to_owned());
                // The particle agrees with the word before the brackets: "9일(화)은".
                let topic = "은";
                let tail = if i + 1 == n {
                    if ends_in_consonant(&what) {
                        "이라"
                    } else {
                        "라"
                    }
                } else {
                    ","
                };
                format!("{day}{topic} {what}{tail}")
            })
            .collect();
        Some(format!(
            "기간의 마지막 날인 {} 다음 영업일인 {}까지로 늘어납니다(민법 제161조).",
            list.join(" "),
            self.day(d.due)
        ))
    }

    fn days(&self, n: i64) -> String {
        match (self.ko(), n) {
            (true, _) => format!("{n}일"),
            (false, 1) => "1 day".to_owned(),
            (false, _) => format!("{n} days"),
        }
    }
}

/// A span of minutes: "1일 3시간" / "1 d 3 h".
pub fn span(minutes: i64, lang: Lang) -> String {
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match lang {
        Lang::Ko if d > 0 && h > 0 => format!("{d}일 {h}시간"),
        Lang::Ko if d > 0 => format!("{d}일"),
        Lang::Ko if h > 0 && m > 0 => format!("{h}시간 {m}분"),
        Lang::Ko if h > 0 => format!("{h}시간"),
        Lang::Ko => format!("{m}분"),
        Lang::En if d > 0 && h > 0 => format!("{d} {} {h} h", plural(d, "day", "days")),
        Lang::En if d > 0 => format!("{d} {}", plural(d, "day", "days")),
        Lang::En if h > 0 && m > 0 => format!("{h} h {m} min"),
        Lang::En if h > 0 => format!("{h} h"),
        Lang::En => format!("{m} min"),
    }
}

/// The provision a deadline rests on, in `lang`.
fn basis_short(d: &Deadline, lang: Lang) -> String {
    match lang {
        Lang::Ko => d.article.clone(),
        Lang::En => d.article_en.clone(),
    }
}

fn step_and_reason(advice: &Advice, c: &Ctx<'_>) -> (String, String) {
    let ko = c.ko();
    match advice {
        Advice::PromiseOverdue {
            promise,
            late_minutes,
        } => (
            c.pick(
                "약속 기한이 지났습니다: ‘불이행’으로 표시하고 상위 단계로 올리세요",
                "A promise is overdue: mark it broken and escalate",
            )
            .to_owned(),
            if ko {
                let when = c.when(promise.due_at);
                let was = if ends_in_consonant(&when) {
                    "이었고"
                } else {
                    "였고"
                };
                format!(
                    "{}의 기한은 {when}{was}, {} 지났습니다.",
                    c.promise(promise),
                    span(*late_minutes, c.lang)
                )
            } else {
                format!(
                    "{} was due {}; it is {} late.",
                    capitalise(&c.promise(promise)),
                    c.when(promise.due_at),
                    span(*late_minutes, c.lang)
                )
            },
        ),
        Advice::PromiseDueSoon {
            promise,
            left_minutes,
        } => (
            c.pick("약속 기한이 다가옵니다", "A promise falls due soon")
                .to_owned(),
            if ko {
                format!(
                    "{}은 {}까지입니다({} 남음). 기한이 지나도 연락이 없으면 바로 다시 연락하세요.",
                    c.promise(promise),
                    c.when(promise.due_at),
                    span(*left_minutes, c.lang)
                )
            } else {
                format!(
                    "{} is due {} ({} left). If nothing comes by then, contact them at once.",
                    capitalise(&c.promise(promise)),
                    c.when(promise.due_at),
                    span(*left_minutes, c.lang)
                )
            },
        ),
        Advice::AskFiveQuestions { promise, missing } => (
            c.pick(
                "약속에 대해 다섯 가지 확인 질문을 마저 하세요",
                "Ask the rest of the five questions about the promise",
            )
            .to_owned(),
            if ko {
                format!(
                    "{}에 대해 아직 묻지 않은 질문: {}. 이 답이 없으면 계획인지 시간 끌기인지 알 수 없습니다. 회신 전화가 오면 물어보세요.",
                    c.promise(promise),
                    c.questions(missing)
                )
            } else {
                format!(
                    "About {} you have not asked: {}. Without these answers you cannot tell a plan from a delay; ask when they call back.",
                    c.promise(promise),
                    c.questions(missing)
                )
            },
        ),
        Advice::PromiseLooksLikeStalling {
            promise,
            evasive,
            unclear,
        } => {
            let mut parts = Vec::new();
            if !evasive.is_empty() {
                parts.push(if ko {
                    format!(
                        "답이 모호하거나 답변을 거부한 질문: {}",
                        c.questions(evasive)
                    )
                } else {
                    format!("vague or refused answers on {}", c.questions(evasive))
                });
            }
            if !unclear.is_empty() {
                parts.push(if ko {
                    format!("묻지 않은 핵심 질문: {}", c.questions(unclear))
                } else {
                    format!("not asked: {}", c.questions(unclear))
                });
            }
            (
                c.pick(
                    "이 약속은 계획보다 시간 끌기로 보입니다",
                    "This promise looks like a delay, not a plan",
                )
                .to_owned(),
                if ko {
                    format!("{}: {}.", c.promise(promise), parts.join("; "))
                } else {
                    format!("{}: {}.", capitalise(&c.promise(promise)), parts.join("; "))
                },
            )
        }
        Advice::EscalateToSupervisorOrComplaints { contacts, broken } => {
            let mut reason = String::new();
            if contacts.len() >= super::UNRESOLVED_FIRST_LINE_LIMIT {
                reason = if ko {
                    format!(
                        "1차 상담 {}건이 해결 없이 끝났습니다: {}.",
                        contacts.len(),
                        c.contacts(contacts)
                    )
                } else {
                    format!(
                        "{} first-line contacts ended without a resolution: {}.",
                        contacts.len(),
                        c.contacts(contacts)
                    )
                };
            }
            if let Some(p) = broken {
                if !reason.is_empty() {
                    reason.push(' ');
                }
                reason.push_str(&if ko {
                    format!("{}은 지켜지지 않았습니다.", c.promise(p))
                } else {
                    format!("{} was broken.", capitalise(&c.promise(p)))
                });
            }
            reason.push_str(c.pick(
                " 1차 상담원은 대개 해결 권한이 없습니다: 상급자나 민원 담당 부서로 연결을 요청하고, 지금까지의 기록과 증거를 준비하세요.",
                " First-line agents rarely have the authority to resolve it: ask to be transferred to a supervisor or the complaints department, and have your records and evidence ready.",
            ));
            (
                c.pick(
                    "증거를 준비해 상급자나 민원 담당 부서 연결을 요청하세요",
                    "Ask for a supervisor or the complaints department — bring the evidence",
                )
                .to_owned(),
                reason,
            )
        }
        Advice::EscalateExternal { why, .. } => {
            let mut reason = match why {
                ExternalWhy::ComplaintsFailed { contact } => {
                    if ko {
                        format!(
                            "{} 단계에서도 해결되지 않았습니다: {}.",
                            contact.tier.name(c.lang),
                            c.contact(contact)
                        )
                    } else {
                        format!(
                            "Even at the {} tier it ended unresolved: {}.",
                            contact.tier.name(c.lang),
                            c.contact(contact)
                        )
                    }
                }
                ExternalWhy::ComplaintsPromiseBroken { promise } => {
                    if ko {
                        format!(
                            "상급 단계에서 받은 {}도 지켜지지 않았습니다.",
                            c.promise(promise)
                        )
                    } else {
                        format!(
                            "Even at the higher tier, {} was broken.",
                            c.promise(promise)
                        )
                    }
                }
                ExternalWhy::OpenTooLong { since, days, limit } => {
                    if ko {
                        format!(
                            "{}부터 {}이 지났지만 해결되지 않았습니다. 설정한 기준은 {}입니다.",
                            c.day(since.with_timezone(&c.offset).date_naive()),
                            c.days(*days),
                            c.days(i64::from(*limit))
                        )
                    } else {
                        format!(
                            "It has been open {} since {} (your limit: {}).",
                            c.days(*days),
                            c.day(since.with_timezone(&c.offset).date_naive()),
                            c.days(i64::from(*limit))
                        )
                    }
                }
            };
            reason.push_str(c.pick(
                " 1372 소비자상담센터(전화 1372 또는 누리집)에 상담을 신청하고, 해결되지 않으면 한국소비자원에 피해구제를 신청하세요. 온라인 거래는 전자문서·전자거래분쟁조정위원회에 조정을 신청할 수도 있습니다. 기관용 패킷을 만들어 함께 내세요.",
                " Ask the 1372 consumer counselling centre (call 1372, or online), then request damage relief from the Agency if that does not settle it. An online purchase can also go to the Electronic Document and Transaction Dispute Mediation Committee. Build the packet for that body and submit it with your request.",
            ));
            if let Some(card) = c.card_sentence() {
                reason.push(' ');
                reason.push_str(&card);
            }
            (
                c.pick(
                    "회사 밖의 기관에 도움을 요청할 때입니다",
                    "Time to take it outside the company",
                )
                .to_owned(),
                reason,
            )
        }
        Advice::LegalDeadline {
            deadline,
            days_left,
        } => legal_step_and_reason(deadline, *days_left, c),
        Advice::AnnounceRecording { contact } => (
            c.pick(
                "녹음 중입니다: 상담원에게 녹음한다고 알리세요",
                "Recording: tell the agent you are recording",
            )
            .to_owned(),
            if ko {
                format!(
                    "지금 녹음 중인 연락, {}에는 녹음 고지 표시가 없습니다. 녹음한다고 알리면 모호한 답을 하기 어려워집니다. 알린 뒤 ‘녹음 고지함으로 표시’를 누르세요.",
                    c.contact(contact)
                )
            } else {
                format!(
                    "You are recording {}, and it is not marked as announced. An announced recording makes evasive answers harder. Once you have said it, mark it announced.",
                    c.contact(contact)
                )
            },
        ),
        Advice::PromiseKept { promise } => (
            c.pick(
                "약속이 지켜졌나요? 결과를 기록하세요",
                "Was the promise kept? Record how it ended",
            )
            .to_owned(),
            if ko {
                let when = c.when(promise.due_at);
                let was = if ends_in_consonant(&when) {
                    "이었습니다"
                } else {
                    "였습니다"
                };
                format!(
                    "마지막 연락에서 해결되었다고 했지만 {}은 아직 ‘대기 중’입니다. 기한은 {when}{was}. 약속받은 것을 받았다면 ‘지켜짐’으로, 받지 못했다면 ‘불이행’으로 기록하세요.",
                    c.promise(promise)
                )
            } else {
                format!(
                    "The last contact ended resolved, but {} is still pending; it was due {}. Mark it kept if you got what was promised, broken if not.",
                    c.promise(promise),
                    c.when(promise.due_at)
                )
            },
        ),
        Advice::CardInstallmentDefence { defence } => defence_step_and_reason(defence, c),
        Advice::Resolved { contact } => (
            c.pick(
                "해결되었나요? 사건을 종료할 수 있습니다",
                "Resolved? You can close the case",
            )
            .to_owned(),
            if ko {
                format!(
                    "마지막 연락인 {}의 결과가 ‘해결’입니다. 약속받은 것(환불, 교환 등)을 실제로 받은 뒤에 종료하세요.",
                    c.contact(contact)
                )
            } else {
                format!(
                    "The last contact, {}, ended resolved. Close the case once you actually have what was promised (the refund, the exchange).",
                    c.contact(contact)
                )
            },
        ),
        Advice::GatherEvidence { gap } => gap_step_and_reason(gap, c),
    }
}

fn legal_step_and_reason(d: &Deadline, days_left: i64, c: &Ctx<'_>) -> (String, String) {
    let ko = c.ko();
    let Some(rule) = d.rule() else {
        return (d.rule.clone(), String::new());
    };
    let title = rule.title(c.lang);
    let due = c.day(d.due);
    let article = rule.article(c.lang);
    if let (Some(met), None) = (d.met_late_on, rule.late_interest_percent_per_year) {
        // Met late, nothing to claim for it (shipped late): the missed duty, on record.
        let late = (met - d.due).num_days();
        let by = d.met_by.map(|f| f.name(c.lang)).unwrap_or_default();
        let step = if ko {
            format!("{title}: {due}까지였지만 {} 늦었습니다", c.days(late))
        } else {
            format!(
                "{}: due {due}, met {} late",
                capitalise(title),
                c.days(late)
            )
        };
        let reason = if ko {
            format!(
                "{article}: {}. {by}이 {}로, 기한인 {due}보다 {} 늦었습니다. 판매자가 법정 기한을 지키지 않았다는 기록이니 민원이나 피해구제 신청에 근거로 쓰세요. {} 법률 자문이 아닌 안내입니다.",
                rule.clock_words(d.second_binds, c.lang),
                c.day(met),
                c.days(late),
                rule.explain(c.lang)
            )
        } else {
            format!(
                "{article}: {}. The {by} was {}, {} after the deadline ({due}). It is a record that the seller missed a legal deadline: cite it in a complaint or a request for damage relief. {} Guidance, not legal advice.",
                rule.clock_words(d.second_binds, c.lang),
                c.day(met),
                c.days(late),
                rule.explain(c.lang)
            )
        };
        return (step, reason);
    }
    if let Some(met) = d.met_late_on {
        let late = (met - d.due).num_days();
        let interest = d.late_interest.as_ref().map(|m| c.money(m));
        let step = match (&interest, ko) {
            (Some(i), true) if i.ends_with('원') => {
                format!("늦은 환급의 지연배상금 {i}을 청구하세요")
            }
            (Some(i), true) => format!("늦은 환급의 지연배상금({i})을 청구하세요"),
            (Some(i), false) => format!("Claim the late-refund interest of {i}"),
            (None, true) => "늦은 환급의 지연배상금을 청구하세요".to_owned(),
            (None, false) => "Claim the late-refund interest".to_owned(),
        };
        let reason = if ko {
            format!(
                "환급이 {}에 왔습니다. 기한인 {due}보다 {} 늦었습니다. 환급을 받았어도 늦어진 기간의 지연배상금(연 15%)은 따로 청구할 수 있습니다.{} 근거: {} 법률 자문이 아닌 안내입니다.",
                c.day(met),
                c.days(late),
                if interest.is_none() {
                    " 사건에 금액을 입력하면 얼마인지 계산해 드립니다."
                } else {
                    ""
                },
                rule.basis(c.lang)
            )
        } else {
            format!(
                "The refund came on {}, {} after the deadline ({due}). The interest for the delay (15 % a year) is still owed after the refund.{} Basis: {} Guidance, not legal advice.",
                c.day(met),
                c.days(late),
                if interest.is_none() {
                    " Enter the amount to have it worked out."
                } else {
                    ""
                },
                rule.basis(c.lang)
            )
        };
        return (step, reason);
    }
    let step = match (d.who, days_left >= 0, ko) {
        (Who::Consumer, true, true) if days_left == 0 => {
            format!("{title}: 오늘 {due}까지입니다. 오늘 서면으로 보내세요")
        }
        (Who::Consumer, true, false) if days_left == 0 => {
            format!(
                "{}: ends today, {due}. Send it in writing today",
                capitalise(title)
            )
        }
        (Who::Consumer, true, true) => format!("{title}: {due}까지 ({} 남음)", c.days(days_left)),
        (Who::Consumer, true, false) => {
            format!(
                "{}: until {due} ({} left)",
                capitalise(title),
                c.days(days_left)
            )
        }
        (Who::Consumer, false, true) => format!("{title}: {due}에 끝났습니다"),
        (Who::Consumer, false, false) => format!("{}: ended {due}", capitalise(title)),
        (Who::Seller, true, true) => format!("{title}: {due}까지"),
        (Who::Seller, true, false) => format!("{}: {due}", capitalise(title)),
        (Who::Seller, false, true) if rule.period == 0 => {
            format!(
                "판매자가 약정한 날짜가 지났습니다: {title}, {due}, {} 지남",
                c.days(-days_left)
            )
        }
        (Who::Seller, false, false) if rule.period == 0 => format!(
            "The date the seller agreed has passed: {title}, {due}, {} ago",
            c.days(-days_left)
        ),
        (Who::Seller, false, true) => {
            format!(
                "판매자의 법정 기한이 지났습니다: {title}, {due}, {} 지남",
                c.days(-days_left)
            )
        }
        (Who::Seller, false, false) => format!(
            "A seller's legal deadline has passed: {title}, {due}, {} ago",
            c.days(-days_left)
        ),
    };
    let mut parts: Vec<String> = Vec::new();
    // Which clock binds, counted from what.
    let binding_words = rule.clock_words(d.second_binds, c.lang);
    let agreed = rule.period == 0;
    parts.push(if agreed && ko {
        format!("{article}: 판매자와 약정한 공급일은 {due}입니다.")
    } else if agreed {
        format!("{article}: the supply date agreed with the seller is {due}.")
    } else if ko {
        format!(
            "{article}: {binding_words}. {} {}부터 세면 {due}까지입니다.",
            d.start_field.name(c.lang),
            c.day(d.start)
        )
    } else {
        format!(
            "{article}: {binding_words}. Counted from the {} ({}), it runs to {due}.",
            d.start_field.name(c.lang),
            c.day(d.start)
        )
    });
    if let Some(instead) = d.instead_of {
        parts.push(if ko {
            format!(
                "{}이 입력되지 않아 {}에 맞춰 셉니다. 다르다면 사건에 {}을 입력하세요.",
                instead.name(c.lang),
                d.start_field.name(c.lang),
                instead.name(c.lang)
            )
        } else {
            format!(
                "The {} is not entered, so it is taken to be the {}; if it differs, enter it in the case.",
                instead.name(c.lang),
                d.start_field.name(c.lang)
            )
        });
    }
    if let Some(other) = &d.other {
        let other_words = rule.clock_words(!d.second_binds, c.lang);
        let assumed = other.instead_of.map(|f| f.name(c.lang));
        parts.push(match (ko, assumed) {
            (true, None) => format!(
                "다른 기한({other_words})은 {}까지이지만, 둘 중 먼저 끝나는 날에 권리가 끝납니다.",
                c.day(other.due)
            ),
            (true, Some(f)) => format!(
                "다른 기한({other_words})은 {f}을 입력하지 않아 {}부터 세면 {}까지이지만, 둘 중 먼저 끝나는 날에 권리가 끝납니다.",
                c.day(other.start),
                c.day(other.due)
            ),
            (false, None) => format!(
                "The other clock ({other_words}) runs to {}, but the right ends with whichever runs out first.",
                c.day(other.due)
            ),
            (false, Some(f)) => format!(
                "The other clock ({other_words}), counted from {} as the {f} is not entered, runs to {}, but the right ends with whichever runs out first.",
                c.day(other.start),
                c.day(other.due)
            ),
        });
    }
    if let Some(moved) = c.days_off(d) {
        parts.push(moved);
    }
    if d.beyond_holiday_data {
        parts.push(c.pick(
            "이 기간은 공휴일 자료(assets/holidays-kr.csv, 2020–2035년)가 없는 해에 걸칩니다. 그 해의 공휴일은 빠져 있어 실제 기한은 더 늦을 수 있습니다: 공휴일 파일을 새로 고치세요.",
            "This count falls in years the holiday data (assets/holidays-kr.csv, 2020–2035) does not cover: their public holidays are missing, so the real deadline may be later. Update the holiday file.",
        ).to_owned());
    }
    if let Some(interest) = &d.late_interest {
        parts.push(if ko {
            format!("지금까지의 지연배상금: {}.", c.money(interest))
        } else {
            format!("Interest owed so far: {interest}.")
        });
    }
    if d.who == Who::Consumer && days_left >= 0 {
        parts.push(c.pick(
            "철회는 서면(문자, 이메일, 고객센터 게시판)으로 하세요. 서면은 보낸 날에 효력이 생기므로 보낸 날과 내용을 남겨 두세요(제17조 제5항).",
            "Withdraw in writing (a text, an email, the help-desk board): it takes effect on the day it is sent, so keep the date and the text (art. 17(5)).",
        ).to_owned());
    }
    parts.push(rule.explain(c.lang).to_owned());
    parts.push(
        c.pick(
            "법률 자문이 아닌 안내입니다.",
            "Guidance, not legal advice.",
        )
        .to_owned(),
    );
    (step, parts.join(" "))
}

fn defence_step_and_reason(d: &super::legal::Defence, c: &Ctx<'_>) -> (String, String) {
    let ko = c.ko();
    let Some(rule) = super::legal::defence_rule() else {
        return (d.article.clone(), String::new());
    };
    let mut parts = Vec::new();
    let reasons: Vec<&str> = d.reasons.iter().map(|p| p.name(c.lang)).collect();
    parts.push(match (ko, reasons.is_empty(), d.withdrawn) {
        (true, false, true) => format!(
            "이 사건의 사유: {}, 그리고 반품(청약철회)을 보냈습니다.",
            reasons.join(", ")
        ),
        (true, false, false) => format!("이 사건의 사유: {}.", reasons.join(", ")),
        (true, true, _) => "이 사건의 사유: 반품(청약철회)을 보냈습니다.".to_owned(),
        (false, false, true) => format!(
            "The reasons here: {}, and you sent the goods back (withdrawal).",
            reasons.join(", ")
        ),
        (false, false, false) => format!("The reasons here: {}.", reasons.join(", ")),
        (false, true, _) => "The reason here: you sent the goods back (withdrawal).".to_owned(),
    });
    for u in &d.unsettled {
        parts.push(
            match u {
                super::legal::Unsettled::Installments => c.pick(
                    "할부 개월 수가 입력되지 않았습니다: 3개월 이상 할부일 때만 해당합니다.",
                    "The number of installments is not entered: it applies only to 3 or more.",
                ),
                super::legal::Unsettled::Amount => c.pick(
                    "원화 금액이 입력되지 않았습니다: 20만 원 이상일 때만 해당합니다.",
                    "No amount in won is entered: it applies only from 200,000 won.",
                ),
            }
            .to_owned(),
        );
    }
    parts.push(if ko {
        format!("{}: {}", rule.article_ko, rule.explain_ko)
    } else {
        format!("{}: {}", rule.article_en, rule.explain_en)
    });
    parts.push(
        c.pick(
            "통지서에는 카드 번호 끝자리, 결제일, 금액, 가맹점과 거절하는 이유를 적고, 내용증명 우편이나 카드사가 받는 서면 방법으로 보내세요. 법률 자문이 아닌 안내입니다.",
            "Put the card's last digits, the payment date, the amount, the merchant and your reason in the notice, and send it by certified mail or another written channel the card company accepts. Guidance, not legal advice.",
        )
        .to_owned(),
    );
    let step = if d.unsettled.is_empty() {
        c.pick(
            "카드사에 서면으로 알리고 남은 할부금 지급을 거절할 수 있습니다",
            "You can refuse the remaining installments by writing to the card company",
        )
    } else {
        c.pick(
            "조건이 맞으면 카드사에 남은 할부금 지급을 거절할 수 있습니다",
            "If the conditions hold, you can refuse the remaining installments",
        )
    }
    .to_owned();
    (step, parts.join(" "))
}

fn gap_step_and_reason(gap: &Gap, c: &Ctx<'_>) -> (String, String) {
    let ko = c.ko();
    match gap {
        Gap::NoOrderScreenshot => (
            c.pick("주문 내역 화면을 캡처해 두세요", "Capture the order page")
                .to_owned(),
            c.pick(
                "이 사건에는 스크린샷이 없습니다. 주문 내역, 상품 페이지(광고 문구), 상담 채팅을 캡처해 두세요. 판매자는 페이지를 바꿀 수 있습니다.",
                "This case has no screenshot. Capture the order details, the product page (what was advertised) and any chat: sellers change their pages.",
            )
            .to_owned(),
        ),
        Gap::NoDefectPhoto => (
            c.pick("상품 사진을 찍어 두세요", "Photograph the goods")
                .to_owned(),
            c.pick(
                "불량·상품 상이 사건인데 상품 사진이 없습니다. 문제 부분, 포장, 송장을 찍어 두세요.",
                "A defect claim without a photo of the goods. Photograph the fault, the packaging and the shipping label.",
            )
            .to_owned(),
        ),
        Gap::CallsWithoutRecording { contacts, ongoing } => (
            if ongoing.is_some() {
                c.pick(
                    "통화 중이라면 지금 녹음하세요",
                    "If the call is still going on, record it now",
                )
            } else {
                c.pick("다음 통화는 녹음하세요", "Record the next call")
            }
            .to_owned(),
            if ko {
                format!(
                    "녹음이 없는 통화 {}건: {}. 다음 통화부터 녹음하고, 시작할 때 녹음한다고 알리세요.",
                    contacts.len(),
                    c.contacts(contacts)
                )
            } else {
                format!(
                    "Calls without a recording ({}): {}. Record the next one, and say so when it starts.",
                    contacts.len(),
                    c.contacts(contacts)
                )
            },
        ),
        Gap::ContactsWithoutAgentOrReference { contacts } => (
            c.pick(
                "상담원 이름과 접수번호를 받아 두세요",
                "Get the agent's name and a reference number",
            )
            .to_owned(),
            if ko {
                format!(
                    "상담원 이름이나 접수번호가 빠진 연락 {}건: {}. 다음에 연결되면 먼저 물어보세요. 그래야 같은 이야기를 처음부터 다시 하지 않아도 됩니다.",
                    contacts.len(),
                    c.contacts(contacts)
                )
            } else {
                format!(
                    "Contacts without the agent's name or a reference number ({}): {}. Ask for them first next time: it saves telling the story from the start again.",
                    contacts.len(),
                    c.contacts(contacts)
                )
            },
        ),
    }
}

/// The words to say, in `c.lang`, if there are any.
fn say(advice: &Advice, c: &Ctx<'_>) -> Option<String> {
    let ko = c.ko();
    let case = c.case;
    Some(match advice {
        Advice::PromiseOverdue { promise, .. } => {
            let by = c.by(promise);
            let made = promise
                .contact
                .as_ref()
                .map(|k| c.day(k.at.with_timezone(&c.offset).date_naive()));
            if ko {
                format!(
                    "“{}{by}님께서 약속하신 일이 기한인 {}까지 이루어지지 않았습니다. 약속 내용: ‘{}’. 약속 불이행으로 기록해 두었습니다. 오늘 처리할 수 있는 분께 연결해 주세요.”",
                    made.map(|m| format!("{m}에 ")).unwrap_or_default(),
                    c.when(promise.due_at),
                    promise.what
                )
            } else {
                format!(
                    "“{}{by} promised to ‘{}’ by {}. I have heard nothing. I have recorded this as a broken promise; please put me through to someone who can resolve it today.”",
                    made.map(|m| format!("On {m}, ")).unwrap_or_default(),
                    promise.what,
                    c.when(promise.due_at)
                )
            }
        }
        Advice::PromiseDueSoon { promise, .. } => {
            let by = c.by(promise);
            if ko {
                format!(
                    "“{by}님께서 {}까지 해 주시기로 한 약속 건으로 연락드렸습니다. 약속 내용: ‘{}’. 어떻게 진행되고 있나요?”",
                    c.when(promise.due_at),
                    promise.what
                )
            } else {
                format!(
                    "“I'm following up on {by}'s promise to ‘{}’ by {}. Where does it stand?”",
                    promise.what,
                    c.when(promise.due_at)
                )
            }
        }
        Advice::AskFiveQuestions { missing, .. } => missing
            .iter()
            .map(|q| question(*q, c.lang).1)
            .collect::<Vec<_>>()
            .join(" "),
        Advice::PromiseLooksLikeStalling { .. } => c
            .pick(
                "“확인하신 결과로도 제 문제가 해결되지 않으면 그다음은 어떻게 되나요? 해결 권한이 있는 분이 누구인지 알려 주시고, 지금 그분께 연결해 주세요.”",
                "“If your check does not solve my problem, what happens next? Tell me who has the authority to resolve it, and put me through to them now.”",
            )
            .to_owned(),
        Advice::EscalateToSupervisorOrComplaints {
            contacts,
            broken: Some(p),
        } if contacts.len() < super::UNRESOLVED_FIRST_LINE_LIMIT => {
            let by = c.by(p);
            let phone = p.contact.as_ref().is_some_and(|k| k.channel == Channel::Phone);
            if ko {
                format!(
                    "“{by}님께서 {}까지 해 주시기로 한 약속이 지켜지지 않았습니다. 약속 내용: ‘{}’. {} 약속 내용을 정리해 두었습니다. 상급자나 민원 담당 부서로 연결해 주세요.”",
                    c.when(p.due_at),
                    p.what,
                    if phone { "통화 기록과" } else { "상담 기록과" }
                )
            } else {
                format!(
                    "“{by} promised to ‘{}’ by {}, and that did not happen. I have records of the {} and the promise. Please transfer me to a supervisor or the complaints department.”",
                    p.what,
                    c.when(p.due_at),
                    if phone { "call" } else { "conversation" }
                )
            }
        }
        Advice::EscalateToSupervisorOrComplaints { contacts, .. } => {
            let first = contacts
                .first()
                .filter(|_| contacts.len() >= super::UNRESOLVED_FIRST_LINE_LIMIT)
                .map(|k| c.day(k.at.with_timezone(&c.offset).date_naive()));
            let n = c.times(contacts.len());
            let all_calls = contacts.iter().all(|k| k.channel == Channel::Phone);
            let has_refs = contacts.iter().any(|k| k.reference.is_some());
            let (records_ko, records_en) = match (all_calls, has_refs) {
                (true, true) => ("통화 기록과 접수번호, 약속받은 내용을", "records of every call, the reference numbers and what was promised"),
                (true, false) => ("통화 기록과 약속받은 내용을", "records of every call and what was promised"),
                (false, true) => ("상담 기록과 접수번호, 약속받은 내용을", "records of every contact, the reference numbers and what was promised"),
                (false, false) => ("상담 기록과 약속받은 내용을", "records of every contact and what was promised"),
            };
            match (ko, first) {
                (true, Some(first)) => format!(
                    "“{first}부터 {n} 문의했지만 해결되지 않았습니다. {records_ko} 모두 정리해 두었습니다. 상급자나 민원 담당 부서로 연결해 주세요. 바로 연결이 어렵다면 누가 언제 연락 주실지 이름과 시간을 알려 주세요.”"
                ),
                (true, None) => "“약속받은 처리가 이루어지지 않았습니다. 상담 기록과 약속 내용을 정리해 두었습니다. 상급자나 민원 담당 부서로 연결해 주세요.”".to_owned(),
                (false, Some(first)) => format!(
                    "“I have contacted you {n} since {first} without a resolution. I have {records_en}. Please transfer me to a supervisor or the complaints department. If you can't now, tell me who will call me back, by name, and when.”"
                ),
                (false, None) => "“What I was promised has not happened. I have records of our contacts and the promise. Please transfer me to a supervisor or the complaints department.”".to_owned(),
            }
        }
        Advice::EscalateExternal { contacts, .. } => {
            let company = case.map(|f| f.company.as_str()).unwrap_or_default();
            let order = match (case.and_then(|f| f.order_number.as_deref()), ko) {
                (Some(o), true) => format!(" 주문번호 {o}"),
                (Some(o), false) => format!(" order {o}"),
                (None, true) => " 주문".to_owned(),
                (None, false) => " my order".to_owned(),
            };
            let n = *contacts;
            match (ko, n) {
                (true, 0) => format!(
                    "“{company}{order} 건의 피해구제를 신청하려고 합니다. 주문 내역과 증거 파일을 해시로 검증할 수 있는 패킷으로 첨부합니다. 절차를 안내해 주세요.”"
                ),
                (true, _) => format!(
                    "“{company}{order} 건으로 회사에 {} 문의했지만 해결되지 않았습니다. 상담 기록, 약속과 그 결과, 증거 파일을 해시로 검증할 수 있는 패킷으로 첨부합니다. 피해구제 절차를 안내해 주세요.”",
                    c.times(n)
                ),
                (false, 0) => format!(
                    "“I would like to request damage relief about{order} with {company}. I attach a packet with the order and the evidence, each file verifiable by its hash. Please tell me how to proceed.”"
                ),
                (false, _) => format!(
                    "“I have contacted {company} {} about{order} without a resolution. I attach a packet with every contact, the promises and how they ended, and the evidence, each file verifiable by its hash. Please tell me how to request damage relief.”",
                    c.times(n)
                ),
            }
        }
        Advice::LegalDeadline {
            deadline,
            days_left,
        } => match (deadline.who, *days_left >= 0) {
            (Who::Consumer, true) => {
                let order_no = case.and_then(|f| f.order_number.as_deref());
                let order = match (order_no, ko) {
                    (Some(o), true) => format!("주문번호 {o} "),
                    (Some(o), false) => format!("order {o}"),
                    (None, true) => String::new(),
                    (None, false) => "this order".to_owned(),
                };
                let contracted = deadline.rule == "withdrawal-not-as-contracted";
                match (ko, contracted) {
                    (true, false) => format!(
                        "“{}에 따라 {order}주문의 청약을 철회합니다. 오늘 철회를 요청했다는 것을 기록해 주시고, 반품 방법과 환급 일정을 문자나 이메일로 보내 주세요.”",
                        deadline.article
                    ),
                    (true, true) => format!(
                        "“받은 상품이 표시·광고나 계약 내용과 달라 {}에 따라 {order}주문의 청약을 철회합니다. 돌려보내는 비용은 판매자가 부담해야 합니다(제18조 제10항). 반품 방법과 환급 일정을 문자나 이메일로 보내 주세요.”",
                        deadline.article
                    ),
                    (false, false) => format!(
                        "“Under the {} I am withdrawing from {order}. Please record that I asked today, and send me the return method and the refund date in writing.”",
                        deadline.article_en
                    ),
                    (false, true) => format!(
                        "“The goods differ from what was advertised or contracted, so under the {} I am withdrawing from {order}. The return shipping is yours to pay (art. 18(10)). Please send me the return method and the refund date in writing.”",
                        deadline.article_en
                    ),
                }
            }
            (Who::Seller, false)
                if deadline.met_late_on.is_some()
                    && deadline
                        .rule()
                        .is_some_and(|r| r.late_interest_percent_per_year.is_none()) =>
            {
                let basis = basis_short(deadline, c.lang);
                let met = c.day(deadline.met_late_on.unwrap_or(deadline.due));
                if ko {
                    format!(
                        "“{basis}에 따른 기한은 {}까지였지만 {met}에야 이행되었습니다. 이 지연을 기록해 두었습니다.”",
                        c.day(deadline.due)
                    )
                } else {
                    format!(
                        "“Under the {basis}, the deadline was {}, but it was only met on {met}. I have recorded the delay.”",
                        c.day(deadline.due)
                    )
                }
            }
            (Who::Seller, false) if deadline.met_late_on.is_some() => {
                let basis = basis_short(deadline, c.lang);
                let amount = deadline.late_interest.as_ref();
                if ko {
                    format!(
                        "“환급은 {}에 받았지만, {basis}에 따른 기한인 {}보다 늦었습니다. 늦어진 기간의 지연배상금{}을 지급해 주세요.”",
                        c.day(deadline.met_late_on.unwrap_or(deadline.due)),
                        c.day(deadline.due),
                        amount.map(|m| format!(" {}", m.to_korean_text())).unwrap_or_default()
                    )
                } else {
                    format!(
                        "“I received the refund on {}, after the deadline under the {basis} ({}). Please pay the interest for the delay{}.”",
                        c.day(deadline.met_late_on.unwrap_or(deadline.due)),
                        c.day(deadline.due),
                        amount.map(|m| format!(" ({m})")).unwrap_or_default()
                    )
                }
            }
            (Who::Seller, false) => {
                // Art. 18(2) owes the interest whether or not the amount is entered.
                let interest = deadline
                    .rule()
                    .is_some_and(|r| r.late_interest_percent_per_year.is_some());
                let basis = basis_short(deadline, c.lang);
                if ko {
                    format!(
                        "“{basis}에 따른 기한은 {}까지였습니다. 언제까지 처리해 주실지 날짜를 정해 알려 주세요.{}”",
                        c.day(deadline.due),
                        if interest {
                            " 늦어진 기간의 지연배상금(연 15%)도 함께 지급해 주세요."
                        } else {
                            ""
                        }
                    )
                } else {
                    format!(
                        "“Under the {basis}, the deadline was {}. Please give me the date by which you will do it.{}”",
                        c.day(deadline.due),
                        if interest {
                            " Please also pay the interest for the delay (15 % a year)."
                        } else {
                            ""
                        }
                    )
                }
            }
            _ => return None,
        },
        Advice::AnnounceRecording { .. } => c
            .pick(
                "“정확한 기록을 위해 이 통화를 녹음하고 있습니다.”",
                "“For an accurate record, I am recording this call.”",
            )
            .to_owned(),
        Advice::GatherEvidence {
            gap: Gap::ContactsWithoutAgentOrReference { .. },
        } => c
            .pick(
                "“상담원님 성함과 이번 상담의 접수번호를 알려 주시겠어요?”",
                "“May I have your name and the reference number for this conversation?”",
            )
            .to_owned(),
        Advice::GatherEvidence {
            gap: Gap::CallsWithoutRecording { .. },
        } => c
            .pick(
                "“정확한 기록을 위해 이 통화를 녹음하겠습니다.”",
                "“For an accurate record, I will record this call.”",
            )
            .to_owned(),
        Advice::CardInstallmentDefence { .. } => {
            let card = case.map(|f| f.company.as_str()).unwrap_or_default();
            if ko {
                format!(
                    "“{card}에서 신용카드 할부로 구입한 건에 대해, 할부거래법 제16조에 따라 남은 할부금의 지급을 거절합니다. 사유와 증빙을 서면으로 보내드립니다. 접수 사실과 처리 결과를 서면으로 알려 주세요.”"
                )
            } else {
                format!(
                    "“For my installment purchase from {card}, I refuse the remaining installments under art. 16 of the Installment Transactions Act. I am sending the reasons and the evidence in writing; please confirm in writing that you received it and how you will proceed.”"
                )
            }
        }
        Advice::GatherEvidence { .. }
        | Advice::Resolved { .. }
        | Advice::PromiseKept { .. } => return None,
    })
}

/// A Korean public holiday's name in English ("설날 대체 휴일" → "substitute holiday for
/// Seollal"); a name it does not know stays in Korean.
fn holiday_en(name: &str) -> String {
    let one = |n: &str| -> String {
        let n = n.trim();
        let (base, shape): (&str, fn(&str) -> String) =
            if let Some(b) = n.strip_suffix(" 대체 휴일") {
                (b, |x| format!("substitute holiday for {x}"))
            } else if let Some(b) = n.strip_suffix(" 전날") {
                (b, |x| format!("the day before {x}"))
            } else if let Some(b) = n.strip_suffix(" 다음날") {
                (b, |x| format!("the day after {x}"))
            } else {
                (n, |x| x.to_owned())
            };
        let en = match base {
            "신정" | "신정연휴" => "New Year's Day",
            "설날" => "Seollal",
            "삼일절" => "Independence Movement Day",
            "노동절" => "Labour Day",
            "어린이날" => "Children's Day",
            "부처님오신날" => "Buddha's Birthday",
            "현충일" => "Memorial Day",
            "제헌절" => "Constitution Day",
            "광복절" => "Liberation Day",
            "추석" => "Chuseok",
            "국군의 날" => "Armed Forces Day",
            "개천절" => "National Foundation Day",
            "한글날" => "Hangeul Day",
            "기독탄신일" => "Christmas Day",
            "지방선거일" => "local election day",
            "국회의원 선거일" => "general election day",
            "대통령 선거일" => "presidential election day",
            "임시공휴일" => "a temporary holiday",
            _ => return n.to_owned(),
        };
        shape(en)
    };
    name.split(';').map(one).collect::<Vec<_>>().join(" and ")
}

/// Whether the text's last word ends in a consonant when read aloud, for the particle after
/// it (은/는, 이라/라): the last Hangul syllable's final, "(일)" read as 일; digits as read in
/// Sino-Korean (1 일, 3 삼, 6 육, 7 칠, 8 팔, 0 영 end in one).
pub fn ends_in_consonant(text: &str) -> bool {
    for ch in text.chars().rev() {
        match ch {
            '가'..='힣' => return !(ch as u32 - 0xAC00).is_multiple_of(28),
            '0' | '1' | '3' | '6' | '7' | '8' => return true,
            '2' | '4' | '5' | '9' => return false,
            ')' | ' ' | '.' | '’' | '”' | '"' | '\'' => continue,
            _ => return false,
        }
    }
    false
}

/// How many times: "한 번", "두 번", "스물한 번" / "once", "twice", "3 times".
pub fn times(n: usize, lang: Lang) -> String {
    if lang == Lang::Ko {
        match native_korean(n) {
            Some(word) => format!("{word} 번"),
            None => format!("{n}회"),
        }
    } else {
        match n {
            1 => "once".to_owned(),
            2 => "twice".to_owned(),
            _ => format!("{n} times"),
        }
    }
}

/// A count in native Korean numerals as they stand before a counter (한, 두, 세, 네, 스무 …),
/// 1 to 99; none beyond.
fn native_korean(n: usize) -> Option<String> {
    const ONES: [&str; 10] = [
        "", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉",
    ];
    const TENS: [&str; 10] = [
        "", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔",
    ];
    match n {
        1..=9 => Some(ONES[n].to_owned()),
        20 => Some("스무".to_owned()),
        10..=99 => Some(format!("{}{}", TENS[n / 10], ONES[n % 10])),
        _ => None,
    }
}

fn plural(n: i64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::legal::{deadlines, kst};
    use crate::money::Money;
    use crate::store::test_support::{case_fields, t};

    fn ctx<'a>(lang: Lang, now: &str, case: &'a CaseFields) -> Ctx<'a> {
        Ctx {
            lang,
            offset: kst(),
            now: t(now),
            case: Some(case),
        }
    }

    fn legal(case: &CaseFields, now: &str, rule: &str, lang: Lang) -> Worded {
        let d = deadlines(case, t(now))
            .into_iter()
            .find(|d| d.rule == rule)
            .unwrap();
        let days_left = d.days_left(t(now));
        word(
            &Advice::LegalDeadline {
                deadline: d,
                days_left,
            },
            &ctx(lang, now, case),
        )
    }

    #[test]
    fn counts_read_as_counts() {
        let case = case_fields();
        let ko = ctx(Lang::Ko, "2026-11-20T03:00:00Z", &case);
        let en = ctx(Lang::En, "2026-11-20T03:00:00Z", &case);
        let said: Vec<String> = [1, 2, 3, 4, 10, 11, 20, 21, 35, 99, 100]
            .into_iter()
            .map(|n| ko.times(n))
            .collect();
        assert_eq!(
            said,
            [
                "한 번",
                "두 번",
                "세 번",
                "네 번",
                "열 번",
                "열한 번",
                "스무 번",
                "스물한 번",
                "서른다섯 번",
                "아흔아홉 번",
                "100회"
            ]
        );
        assert_eq!(
            (en.times(1), en.times(2), en.times(3)),
            ("once".into(), "twice".into(), "3 times".into())
        );
    }

    #[test]
    fn a_deadline_moved_past_seollal_names_each_day_off_with_the_right_particles() {
        // Delivered Sun 31 Jan 2027: day 7 is Sun 7 Feb (Seollal), then Mon 8 Feb (the day
        // after Seollal) and Tue 9 Feb (its substitute day): the right ends Wed 10 Feb. The
        // particle agrees with the word before the brackets (9일 → 은, whatever the weekday);
        // 휴일 → 이라.
        let mut case = case_fields();
        case.category = crate::model::Category::Other;
        case.dates.delivered = chrono::NaiveDate::from_ymd_opt(2027, 1, 31);
        let w = legal(&case, "2027-02-01T03:00:00Z", "withdrawal-7-days", Lang::Ko);
        assert!(
            w.reason.contains("기간의 마지막 날인 2월 7일(일)은 설날, 2월 8일(월)은 설날 다음날, 2월 9일(화)은 설날 대체 휴일이라 다음 영업일인 2월 10일(수)까지로 늘어납니다(민법 제161조)."),
            "{}",
            w.reason
        );
        assert!(w.step.contains("2월 10일(수)까지 (9일 남음)"), "{}", w.step);
    }

    #[test]
    fn the_last_day_is_today_without_brackets_in_brackets() {
        let mut case = case_fields();
        case.category = crate::model::Category::Other;
        case.dates.delivered = chrono::NaiveDate::from_ymd_opt(2026, 11, 13);
        let w = legal(&case, "2026-11-20T03:00:00Z", "withdrawal-7-days", Lang::Ko);
        assert_eq!(
            w.step,
            "청약철회(단순 변심 반품) 기한: 오늘 11월 20일(금)까지입니다. 오늘 서면으로 보내세요"
        );
    }

    #[test]
    fn won_amounts_in_korean_sentences_read_won() {
        let mut case = case_fields();
        case.category = crate::model::Category::Refund;
        case.amount = Some(Money::parse("500000", "KRW").unwrap());
        case.dates.return_received = chrono::NaiveDate::from_ymd_opt(2026, 11, 20);
        // Not yet refunded on Thu 10 Dec: 15 days late → 3,082 won.
        let w = legal(
            &case,
            "2026-12-10T03:00:00Z",
            "refund-3-business-days",
            Lang::Ko,
        );
        assert!(
            w.reason.contains("지금까지의 지연배상금: 3,082원."),
            "{}",
            w.reason
        );
        assert!(!w.reason.contains('₩'));
    }

    #[test]
    fn an_unentered_payment_date_is_said_to_be_the_order_date() {
        let mut case = case_fields();
        case.dates.ordered = chrono::NaiveDate::from_ymd_opt(2026, 11, 13);
        let w = legal(
            &case,
            "2026-11-16T03:00:00Z",
            "shipping-prepaid-3-business-days",
            Lang::Ko,
        );
        assert!(
            w.reason
                .contains("결제일이 입력되지 않아 주문일에 맞춰 셉니다."),
            "{}",
            w.reason
        );
        assert!(
            w.reason.contains("전자상거래법 제15조 제1항"),
            "{}",
            w.reason
        );
    }

    #[test]
    fn the_card_sentence_follows_the_payment_entered() {
        let mut case = case_fields();
        case.category = crate::model::Category::Defect;
        case.amount = Some(Money::parse("289000", "KRW").unwrap());
        let at = "2026-11-20T03:00:00Z";
        // Not entered: said as a condition.
        let s = ctx(Lang::Ko, at, &case).card_sentence().unwrap();
        assert!(s.starts_with("신용카드로 20만 원 이상을"), "{s}");
        // A bank transfer: nothing about cards.
        case.payment_method = Some(crate::model::PaymentMethod::BankTransfer);
        assert_eq!(ctx(Lang::Ko, at, &case).card_sentence(), None);
        // A card paid in full: nothing either.
        case.payment_method = Some(crate::model::PaymentMethod::CreditCard);
        case.installments = Some(1);
        assert_eq!(ctx(Lang::Ko, at, &case).card_sentence(), None);
        // Three installments: said as a fact.
        case.installments = Some(3);
        let s = ctx(Lang::Ko, at, &case).card_sentence().unwrap();
        assert!(s.starts_with("신용카드 할부로 결제했으니"), "{s}");
        // Under 200,000 won: nothing.
        case.amount = Some(Money::parse("150000", "KRW").unwrap());
        assert_eq!(ctx(Lang::Ko, at, &case).card_sentence(), None);
    }
}
