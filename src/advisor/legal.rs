//! Legal deadlines of Korean e-commerce law, counted from a case's dates.
//!
//! The rules are data (`assets/legal-deadlines-kr.toml`: period, unit, legal basis, source), so
//! a wrong period is corrected there, not here. This module only counts: calendar days with the
//! first day not counted, months to the same day number, business days skipping weekends and
//! public holidays, and a calendar period ending on a day off moved to the next business day.
//! Guidance, not legal advice: every face that shows a deadline says so.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::days::{COVERED_YEARS, add_business_days, holiday_name, is_business_day};
use crate::model::{CaseFields, OrderDates, PaymentMethod, Problem};
use crate::money::Money;
use crate::names::Lang;

const RULES_TOML: &str = include_str!("../../assets/legal-deadlines-kr.toml");

/// Korea Standard Time: Korean law counts days in it, wherever the user's computer is.
pub fn kst() -> FixedOffset {
    const KST: FixedOffset = match FixedOffset::east_opt(9 * 3600) {
        Some(offset) => offset,
        None => panic!("+09:00 is a valid offset"),
    };
    KST
}

/// The calendar day in Korea at `now`.
pub fn kst_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&kst()).date_naive()
}

/// Whose deadline it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Who {
    /// A consumer's right that ends on the date.
    Consumer,
    /// A duty the seller must meet by the date.
    Seller,
}

/// One of a case's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateField {
    /// The order was placed.
    Ordered,
    /// It was paid.
    Paid,
    /// The seller shipped it.
    Shipped,
    /// The supply date agreed with the seller.
    SupplyAgreed,
    /// The goods arrived.
    Delivered,
    /// The consumer found the problem.
    Noticed,
    /// The consumer sent the goods back.
    ReturnSent,
    /// The seller got them back.
    ReturnReceived,
    /// The refund came.
    Refunded,
}

impl DateField {
    /// The date in a case, if known.
    pub fn of(self, d: &OrderDates) -> Option<NaiveDate> {
        match self {
            DateField::Ordered => d.ordered,
            DateField::Paid => d.paid,
            DateField::Shipped => d.shipped,
            DateField::SupplyAgreed => d.supply_agreed,
            DateField::Delivered => d.delivered,
            DateField::Noticed => d.noticed,
            DateField::ReturnSent => d.return_sent,
            DateField::ReturnReceived => d.return_received,
            DateField::Refunded => d.refunded,
        }
    }

    /// What the date is, for a reason line.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DateField::Ordered, Lang::Ko) => "주문일",
            (DateField::Ordered, Lang::En) => "order date",
            (DateField::Paid, Lang::Ko) => "결제일",
            (DateField::Paid, Lang::En) => "payment date",
            (DateField::Shipped, Lang::Ko) => "발송일",
            (DateField::Shipped, Lang::En) => "day it was shipped",
            (DateField::SupplyAgreed, Lang::Ko) => "약정 공급일",
            (DateField::SupplyAgreed, Lang::En) => "agreed supply date",
            (DateField::Delivered, Lang::Ko) => "배송 완료일",
            (DateField::Delivered, Lang::En) => "delivery date",
            (DateField::Noticed, Lang::Ko) => "문제 발견일",
            (DateField::Noticed, Lang::En) => "day you found the problem",
            (DateField::ReturnSent, Lang::Ko) => "반품 발송일",
            (DateField::ReturnSent, Lang::En) => "day you sent it back",
            (DateField::ReturnReceived, Lang::Ko) => "반품 도착일",
            (DateField::ReturnReceived, Lang::En) => "day the seller got it back",
            (DateField::Refunded, Lang::Ko) => "환불일",
            (DateField::Refunded, Lang::En) => "day the refund came",
        }
    }
}

/// How a period is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Calendar days, the first day not counted.
    Days,
    /// Months, ending on the same day number (or the month's last day).
    Months,
    /// Business days: weekends and Korean public holidays skipped.
    BusinessDays,
}

/// One clock of a right: what it counts from and how long it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clock {
    /// Dates it counts from (the latest one known).
    pub from: Vec<DateField>,
    /// The date counted from when none of `from` is known (said in the reason).
    #[serde(default)]
    pub fallback: Option<DateField>,
    /// A date the count never starts before (nobody knows of a fault in goods not yet
    /// received: a discovery date before the delivery counts from the delivery).
    #[serde(default)]
    pub not_before: Option<DateField>,
    /// How many units.
    pub period: u32,
    /// Which units.
    pub unit: Unit,
    /// A calendar period ending on a day off ends on the next business day.
    #[serde(default)]
    pub roll: bool,
}

/// One rule of `assets/legal-deadlines-kr.toml`: a consumer's right or a seller's duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable name.
    pub code: String,
    /// Whose deadline.
    pub who: Who,
    /// What went wrong for it to apply (any of them; empty: every case).
    #[serde(default)]
    pub facts: Vec<Problem>,
    /// Facts under which another rule applies instead.
    #[serde(default)]
    pub unless_facts: Vec<Problem>,
    /// Dates it counts from (the latest one known).
    pub from: Vec<DateField>,
    /// The date counted from when none of `from` is known.
    #[serde(default)]
    pub fallback: Option<DateField>,
    /// Dates that must be known (default: `from`, or `fallback` when there is one).
    #[serde(default)]
    pub requires: Option<Vec<DateField>>,
    /// Dates that end it once known.
    #[serde(default)]
    pub until: Vec<DateField>,
    /// Dates whose presence means another rule applies.
    #[serde(default)]
    pub unless: Vec<DateField>,
    /// It applies only for these payment methods (empty: any).
    #[serde(default)]
    pub when_payment: Vec<PaymentMethod>,
    /// It does not apply for these payment methods.
    #[serde(default)]
    pub unless_payment: Vec<PaymentMethod>,
    /// How many units.
    pub period: u32,
    /// Which units.
    pub unit: Unit,
    /// A calendar period ending on a day off ends on the next business day.
    #[serde(default)]
    pub roll: bool,
    /// A second clock of the same right: it ends when the first of the two runs out.
    #[serde(default)]
    pub also: Option<Clock>,
    /// Interest owed a year on money held past the deadline, in percent.
    #[serde(default)]
    pub late_interest_percent_per_year: Option<u32>,
    /// Met after its deadline (shipped late): kept on record as a missed duty rather than
    /// dropped once met.
    #[serde(default)]
    pub keep_when_late: bool,
    /// The provision, in Korean.
    pub article_ko: String,
    /// The provision, in English.
    pub article_en: String,
    /// Korean title.
    pub title_ko: String,
    /// English title.
    pub title_en: String,
    /// The rule in plain Korean.
    pub explain_ko: String,
    /// The rule in plain English.
    pub explain_en: String,
    /// The main clock in a few Korean words.
    pub clock_ko: String,
    /// The main clock in a few English words.
    pub clock_en: String,
    /// The second clock in a few Korean words.
    #[serde(default)]
    pub also_ko: Option<String>,
    /// The second clock in a few English words.
    #[serde(default)]
    pub also_en: Option<String>,
    /// Where the rule comes from.
    pub source: String,
}

impl Rule {
    /// The title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.title_ko,
            Lang::En => &self.title_en,
        }
    }

    /// The provision in `lang`.
    pub fn article(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.article_ko,
            Lang::En => &self.article_en,
        }
    }

    /// The plain explanation in `lang`.
    pub fn explain(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.explain_ko,
            Lang::En => &self.explain_en,
        }
    }

    /// The provision and its explanation: "전자상거래법 제17조 제1항: …".
    pub fn basis(&self, lang: Lang) -> String {
        format!("{}: {}", self.article(lang), self.explain(lang))
    }

    /// The main clock, or the second, in a few words.
    pub fn clock_words(&self, second: bool, lang: Lang) -> &str {
        match (second, lang) {
            (false, Lang::Ko) => &self.clock_ko,
            (false, Lang::En) => &self.clock_en,
            (true, Lang::Ko) => self.also_ko.as_deref().unwrap_or_default(),
            (true, Lang::En) => self.also_en.as_deref().unwrap_or_default(),
        }
    }

    /// The main clock.
    pub fn clock(&self) -> Clock {
        Clock {
            from: self.from.clone(),
            fallback: self.fallback,
            not_before: None,
            period: self.period,
            unit: self.unit,
            roll: self.roll,
        }
    }

    /// Whether it applies to a case with these facts and this payment method.
    fn applies(&self, case: &CaseFields) -> bool {
        let facts = case.facts();
        let has = |list: &[Problem]| list.iter().any(|f| facts.contains(f));
        let method = case.payment_method;
        (self.facts.is_empty() || has(&self.facts))
            && !has(&self.unless_facts)
            && (self.when_payment.is_empty()
                || method.is_some_and(|m| self.when_payment.contains(&m)))
            && !method.is_some_and(|m| self.unless_payment.contains(&m))
    }
}

/// The card-installment defence's conditions (`[installment_defence]` in the rules file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefenceRule {
    /// The least amount (in `currency`'s minor units) it covers.
    pub min_amount: i64,
    /// The currency of `min_amount`.
    pub currency: String,
    /// The fewest installments it covers.
    pub min_installments: u32,
    /// Facts that are a reason to refuse (art. 16(1)); a withdrawal sent is one too.
    pub facts: Vec<Problem>,
    /// The provision, in Korean.
    pub article_ko: String,
    /// The provision, in English.
    pub article_en: String,
    /// Korean title.
    pub title_ko: String,
    /// English title.
    pub title_en: String,
    /// The right in plain Korean.
    pub explain_ko: String,
    /// The right in plain English.
    pub explain_en: String,
    /// Where it comes from.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<Rule>,
    installment_defence: DefenceRule,
}

/// The parsed rules file.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The rights and duties with clocks.
    pub rules: Vec<Rule>,
    /// The card-installment defence.
    pub defence: DefenceRule,
}

/// Parses a rules file (the shipped one, or a corrected copy in a test).
pub fn parse_rules(text: &str) -> Result<Rules, String> {
    let file: RuleFile = toml::from_str(text).map_err(|e| e.to_string())?;
    for r in &file.rule {
        if r.from.is_empty() {
            return Err(format!("rule {}: `from` lists no date", r.code));
        }
        if r.also.is_some() != r.also_ko.is_some() || r.also.is_some() != r.also_en.is_some() {
            return Err(format!(
                "rule {}: a second clock (`also`) needs `also_ko` and `also_en`, and only then",
                r.code
            ));
        }
    }
    Ok(Rules {
        rules: file.rule,
        defence: file.installment_defence,
    })
}

fn shipped() -> &'static Option<Rules> {
    static RULES: OnceLock<Option<Rules>> = OnceLock::new();
    RULES.get_or_init(|| match parse_rules(RULES_TOML) {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!(
                "recourse: assets/legal-deadlines-kr.toml is unreadable, no legal deadlines: {e}"
            );
            None
        }
    })
}

/// The shipped rules. A broken file (a test guards against shipping one) yields none, and
/// says so once on stderr rather than stopping the app.
pub fn rules() -> &'static [Rule] {
    shipped()
        .as_ref()
        .map(|r| r.rules.as_slice())
        .unwrap_or(&[])
}

/// The shipped card-installment defence, if the file is readable.
pub fn defence_rule() -> Option<&'static DefenceRule> {
    shipped().as_ref().map(|r| &r.defence)
}

/// A day off a period's end moved past.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayOff {
    /// The day.
    pub date: NaiveDate,
    /// The public holiday's name, or none for a weekend day.
    pub holiday: Option<String>,
}

/// Where one clock of a right ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockEnd {
    /// The date counted from.
    pub start: NaiveDate,
    /// Which of the case's dates `start` is.
    pub start_field: DateField,
    /// The date the clock counts from by law, when it was not entered and `start_field` was
    /// used instead (a payment date taken as the order date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instead_of: Option<DateField>,
    /// The last day (inclusive, Korean time).
    pub due: NaiveDate,
    /// When the period's end fell on a day off and moved: the day it fell on, and the
    /// holiday's name if it was one.
    pub moved_from: Option<(NaiveDate, Option<String>)>,
    /// Every day off the end moved past, in order (a Sunday, then a substitute holiday …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub days_off: Vec<DayOff>,
    /// The count runs into years the holiday file does not cover: only weekends were skipped
    /// there, and the date may be early.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub beyond_holiday_data: bool,
}

/// A deadline computed for a case: one per right, the binding clock's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The rule's code.
    pub rule: String,
    /// The provision it rests on, in Korean ("전자상거래법 제17조 제3항").
    pub article: String,
    /// The provision in English.
    pub article_en: String,
    /// Whose deadline.
    pub who: Who,
    /// The date counted from, and which date it is.
    pub start: NaiveDate,
    /// Which of the case's dates `start` is.
    pub start_field: DateField,
    /// The date the law counts from, when it was not entered and `start_field` was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instead_of: Option<DateField>,
    /// The last day (inclusive, Korean time).
    pub due: NaiveDate,
    /// When the period's end fell on a day off and moved: the day it fell on, and the
    /// holiday's name if it was one.
    pub moved_from: Option<(NaiveDate, Option<String>)>,
    /// Every day off the end moved past.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub days_off: Vec<DayOff>,
    /// The count runs past the holiday file's years.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub beyond_holiday_data: bool,
    /// The right's other clock, which ends later (the right ends with the first): said in the
    /// reason. `second` tells which of the rule's clocks binds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<ClockEnd>,
    /// Whether the binding clock is the rule's second (`also`) clock.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub second_binds: bool,
    /// Interest owed so far on a late refund (minor units of the case's currency).
    pub late_interest: Option<Money>,
    /// The day the obligation was met late (a refund that came after its deadline): the
    /// deadline is over, but the interest for the delay is still owed (art. 18(2)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met_late_on: Option<NaiveDate>,
    /// Which of the case's dates met it late (the refund, the shipping).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met_by: Option<DateField>,
}

impl Deadline {
    /// The rule behind it.
    pub fn rule(&self) -> Option<&'static Rule> {
        rules().iter().find(|r| r.code == self.rule)
    }

    /// The instant it ends: midnight after the last day, Korean time.
    pub fn ends_at(&self) -> DateTime<Utc> {
        let next = self.due.succ_opt().unwrap_or(self.due);
        kst()
            .from_local_datetime(&next.and_time(chrono::NaiveTime::MIN))
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&next.and_time(chrono::NaiveTime::MIN)))
    }

    /// Days from Korea's today to the last day: 0 on the day itself, negative once passed.
    pub fn days_left(&self, now: DateTime<Utc>) -> i64 {
        (self.due - kst_today(now)).num_days()
    }
}

/// Where a period's end moved from: the day it fell on, and the holiday's name if it was one.
pub type MovedFrom = Option<(NaiveDate, Option<String>)>;

/// The last day of a period of `clock` counted from `start`, and where it moved from.
pub fn period_end(clock: &Clock, start: NaiveDate) -> (NaiveDate, MovedFrom) {
    let (due, moved, _) = period_end_days_off(clock, start);
    (due, moved)
}

fn period_end_days_off(clock: &Clock, start: NaiveDate) -> (NaiveDate, MovedFrom, Vec<DayOff>) {
    let end = match clock.unit {
        Unit::Days => start
            .checked_add_signed(Duration::days(i64::from(clock.period)))
            .unwrap_or(NaiveDate::MAX),
        // Civil Act art. 160: counting starts the next day (art. 157); the period ends the
        // day before that day's number in the last month, or on the last day of a month that
        // has no such day.
        Unit::Months => {
            let first = start.succ_opt().unwrap_or(start);
            match first.checked_add_months(Months::new(clock.period)) {
                Some(e) if e.day() < first.day() => e,
                Some(e) => e.pred_opt().unwrap_or(e),
                None => NaiveDate::MAX,
            }
        }
        Unit::BusinessDays => add_business_days(start, clock.period),
    };
    if !clock.roll || is_business_day(end) {
        return (end, None, Vec::new());
    }
    let mut moved = end;
    let mut days_off = Vec::new();
    while !is_business_day(moved) {
        days_off.push(DayOff {
            date: moved,
            holiday: holiday_name(moved).map(str::to_owned),
        });
        match moved.succ_opt() {
            Some(next) => moved = next,
            None => break,
        }
    }
    (
        moved,
        Some((end, holiday_name(end).map(str::to_owned))),
        days_off,
    )
}

/// Where `clock` ends for these dates, if it can be counted.
fn clock_end(clock: &Clock, dates: &OrderDates) -> Option<ClockEnd> {
    let known = clock
        .from
        .iter()
        .filter_map(|f| f.of(dates).map(|d| (d, *f)))
        .max_by_key(|(d, _)| *d);
    let (mut start, mut start_field, instead_of) = match known {
        Some((d, f)) => (d, f, None),
        None => {
            let f = clock.fallback?;
            (f.of(dates)?, f, clock.from.first().copied())
        }
    };
    if let Some(floor) = clock.not_before
        && let Some(d) = floor.of(dates)
        && d > start
    {
        start = d;
        start_field = floor;
    }
    let (due, moved_from, days_off) = period_end_days_off(clock, start);
    let counts_days_off = clock.roll || clock.unit == Unit::BusinessDays;
    let beyond_holiday_data = counts_days_off
        && (due.year() > *COVERED_YEARS.end() || start.year() < *COVERED_YEARS.start());
    Some(ClockEnd {
        start,
        start_field,
        instead_of,
        due,
        moved_from,
        days_off,
        beyond_holiday_data,
    })
}

/// The deadlines that apply to a case now, under the given rules: one per right, the first of
/// its clocks to run out.
pub fn deadlines_with(rules: &[Rule], case: &CaseFields, now: DateTime<Utc>) -> Vec<Deadline> {
    let dates = &case.dates;
    let known = |f: &DateField| f.of(dates).is_some();
    let today = kst_today(now);
    let mut out = Vec::new();
    for rule in rules {
        if !rule.applies(case) || rule.unless.iter().any(known) {
            continue;
        }
        // Met (the refund came): over — unless it came late and the law owes interest for the
        // delay, which a refund does not pay off (art. 18(2), Decree art. 21-3).
        let met = rule
            .until
            .iter()
            .filter_map(|f| f.of(dates).map(|d| (d, *f)))
            .min_by_key(|(d, _)| *d);
        let met_on = met.map(|(d, _)| d);
        // Kept when late only if met by the date that proves when (shipped, not delivered: a
        // parcel delivered late may still have been shipped in time).
        let kept_late = rule.keep_when_late && met.map(|(_, f)| f) == rule.until.first().copied();
        if met_on.is_some() && rule.late_interest_percent_per_year.is_none() && !kept_late {
            continue;
        }
        if let Some(required) = &rule.requires
            && !required.iter().all(known)
        {
            continue;
        }
        let Some(main) = clock_end(&rule.clock(), dates) else {
            continue;
        };
        let second = rule.also.as_ref().and_then(|c| clock_end(c, dates));
        // The right ends when the first of its clocks runs out (법제처 14-0404, 20-0108).
        let (binding, other, second_binds) = match second {
            Some(s) if s.due < main.due => (s, Some(main), true),
            Some(s) => (main, Some(s), false),
            None => (main, None, false),
        };
        let due = binding.due;
        // The delay runs from the day after the last day to the day it was met (or today).
        let until_day = met_on.unwrap_or(today);
        if met_on.is_some_and(|m| m <= due) {
            continue;
        }
        let late_interest = match (rule.late_interest_percent_per_year, &case.amount) {
            (Some(pct), Some(amount)) if until_day > due => {
                let days_late = (until_day - due).num_days();
                let minor = i128::from(amount.minor) * i128::from(pct) * i128::from(days_late)
                    / (100 * 365);
                Some(Money {
                    minor: i64::try_from(minor).unwrap_or(i64::MAX),
                    currency: amount.currency.clone(),
                })
            }
            _ => None,
        };
        out.push(Deadline {
            rule: rule.code.clone(),
            article: rule.article_ko.clone(),
            article_en: rule.article_en.clone(),
            who: rule.who,
            start: binding.start,
            start_field: binding.start_field,
            instead_of: binding.instead_of,
            due,
            moved_from: binding.moved_from,
            days_off: binding.days_off,
            beyond_holiday_data: binding.beyond_holiday_data
                || other.as_ref().is_some_and(|o| o.beyond_holiday_data),
            other,
            second_binds,
            late_interest,
            met_late_on: met_on,
            met_by: met.map(|(_, f)| f),
        });
    }
    out
}

/// The deadlines that apply to a case now, under the shipped rules.
pub fn deadlines(case: &CaseFields, now: DateTime<Utc>) -> Vec<Deadline> {
    deadlines_with(rules(), case, now)
}

/// A condition of the card-installment defence the case does not settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unsettled {
    /// The number of installments is not entered.
    Installments,
    /// The amount is not entered (or is in another currency).
    Amount,
}

/// The card-installment defence as it applies to a case paid by credit card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defence {
    /// The provision, in Korean.
    pub article: String,
    /// The provision in English.
    pub article_en: String,
    /// Conditions the case does not settle (empty: every condition holds).
    pub unsettled: Vec<Unsettled>,
    /// The facts that are a reason to refuse (art. 16(1)).
    pub reasons: Vec<Problem>,
    /// The order was withdrawn (the goods sent back): art. 16(1)6.
    pub withdrawn: bool,
}

/// Whether the goods were sent back while a withdrawal right still ran (art. 16(1)6 asks for a
/// withdrawal made lawfully, not any return).
fn withdrawn_in_time(case: &CaseFields) -> bool {
    let Some(sent) = case.dates.return_sent else {
        return false;
    };
    let mut before = case.clone();
    before.dates.return_sent = None;
    before.dates.return_received = None;
    before.dates.refunded = None;
    // The last days do not depend on "now"; any instant will do.
    deadlines(&before, DateTime::UNIX_EPOCH)
        .iter()
        .any(|d| d.who == Who::Consumer && sent <= d.due)
}

/// Facts that say the goods were not supplied (art. 16(1)2 of the Installment Transactions
/// Act: not supplied by the supply time).
fn supply_failure(p: Problem) -> bool {
    matches!(p, Problem::NotDelivered | Problem::OutOfStock)
}

/// [`defence`] as of `now`: goods not supplied are a reason only once the supply time has
/// passed — the seller's shipping deadline (art. 15(1) of the E-Commerce Act, or the agreed
/// date) or the out-of-stock refund deadline missed, shipped late or not at all — not while
/// the parcel may still come on time.
pub fn defence_now(case: &CaseFields, rule: &DefenceRule, now: DateTime<Utc>) -> Option<Defence> {
    let mut d = defence(case, rule)?;
    if d.reasons.iter().any(|r| supply_failure(*r)) {
        let supply_missed = deadlines(case, now).iter().any(|x| {
            x.who == Who::Seller
                && x.days_left(now) < 0
                && (x.rule.starts_with("shipping-") || x.rule.starts_with("out-of-stock"))
        });
        if !supply_missed {
            d.reasons.retain(|r| !supply_failure(*r));
        }
    }
    (!d.reasons.is_empty() || d.withdrawn).then_some(d)
}

/// Whether the card-installment defence is open to a case: a credit card payment, not ruled
/// out by the amount or the installments, with a reason to refuse.
pub fn defence(case: &CaseFields, rule: &DefenceRule) -> Option<Defence> {
    // Refunded: there is nothing left to refuse to pay.
    if case.payment_method != Some(PaymentMethod::CreditCard) || case.dates.refunded.is_some() {
        return None;
    }
    let mut unsettled = Vec::new();
    match case.installments {
        Some(n) if n < rule.min_installments => return None,
        Some(_) => {}
        None => unsettled.push(Unsettled::Installments),
    }
    match &case.amount {
        Some(m) if m.currency == rule.currency && m.minor < rule.min_amount => return None,
        Some(m) if m.currency == rule.currency => {}
        _ => unsettled.push(Unsettled::Amount),
    }
    let facts = case.facts();
    let reasons: Vec<Problem> = rule
        .facts
        .iter()
        .copied()
        .filter(|f| facts.contains(f))
        // Delivered goods were supplied, whatever the category says.
        .filter(|f| !(supply_failure(*f) && case.dates.delivered.is_some()))
        .collect();
    let withdrawn = withdrawn_in_time(case);
    if reasons.is_empty() && !withdrawn {
        return None;
    }
    Some(Defence {
        article: rule.article_ko.clone(),
        article_en: rule.article_en.clone(),
        unsettled,
        reasons,
        withdrawn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;
    use crate::store::test_support::{case_fields, t};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rule(code: &str) -> &'static Rule {
        rules().iter().find(|r| r.code == code).unwrap()
    }

    #[test]
    fn the_shipped_rules_parse_and_name_their_basis_and_source() {
        let parsed = parse_rules(RULES_TOML).unwrap();
        assert_eq!(parsed.rules.len(), 7);
        for r in &parsed.rules {
            assert!(r.article_ko.contains("조"), "{}", r.code);
            assert!(r.article_en.contains("art."), "{}", r.code);
            assert!(r.source.starts_with("https://www.law.go.kr/"), "{}", r.code);
        }
        assert!(parsed.defence.article_ko.contains("제16조"));
    }

    #[test]
    fn a_misspelt_field_is_refused_not_ignored() {
        let bad = RULES_TOML.replacen("period = 7", "perod = 7", 1);
        assert!(parse_rules(&bad).unwrap_err().contains("perod"));
    }

    #[test]
    fn calendar_days_do_not_count_the_first_day_and_roll_off_holidays() {
        let r = rule("withdrawal-7-days");
        // Delivered Tuesday 10 Nov 2026: the 7th day after is Tuesday 17 Nov.
        assert_eq!(
            period_end(&r.clock(), day(2026, 11, 10)),
            (day(2026, 11, 17), None)
        );
        // Delivered Saturday 14 Nov: the 7th day is Saturday 21 Nov → Monday 23 Nov.
        assert_eq!(
            period_end(&r.clock(), day(2026, 11, 14)).0,
            day(2026, 11, 23)
        );
        // Delivered 10 Feb 2027: the 7th day, 17 Feb, is a Wednesday after Seollal: no move.
        assert_eq!(
            period_end(&r.clock(), day(2027, 2, 10)),
            (day(2027, 2, 17), None)
        );
        // Delivered 31 Jan 2027: the 7th day is Sunday 7 Feb; 8 Feb is Seollal and 9 Feb its
        // substitute day, so the period ends Wednesday 10 Feb.
        let (due, moved) = period_end(&r.clock(), day(2027, 1, 31));
        assert_eq!(due, day(2027, 2, 10));
        assert_eq!(moved.unwrap().0, day(2027, 2, 7));
    }

    #[test]
    fn months_end_on_the_same_day_number_or_the_last_day_of_the_month() {
        let r = rule("withdrawal-not-as-contracted");
        // 30 Nov 2026 + 3 months → 28 Feb 2027 is a Sunday → Tuesday 2 Mar (1 Mar is a holiday).
        assert_eq!(period_end(&r.clock(), day(2026, 11, 30)).0, day(2027, 3, 2));
        assert_eq!(
            period_end(&r.clock(), day(2026, 8, 12)).0,
            day(2026, 11, 12)
        );
        // Delivered on a short month's last day: counting starts 1 Mar, so the period ends the
        // day before 1 Jun — 31 May (a Monday), not 28 May.
        assert_eq!(period_end(&r.clock(), day(2027, 2, 28)).0, day(2027, 5, 31));
        // Counting from 31 Jan, one month has no 31 Feb: the month's last day.
        let one_month = Clock {
            period: 1,
            roll: false,
            ..r.clock()
        };
        assert_eq!(period_end(&one_month, day(2027, 1, 30)).0, day(2027, 2, 28));
    }

    #[test]
    fn absurd_dates_do_not_panic_or_loop() {
        for r in rules() {
            let _ = period_end(&r.clock(), NaiveDate::MAX);
            let _ = period_end(&r.clock(), NaiveDate::MIN);
        }
    }

    #[test]
    fn late_refund_interest_is_fifteen_percent_a_year() {
        let mut f = case_fields();
        f.category = Category::Refund;
        f.amount = Some(Money::parse("365000", "KRW").unwrap());
        // Got the goods back Friday 20 Nov 2026: 3 business days → Wednesday 25 Nov.
        f.dates.return_received = Some(day(2026, 11, 20));
        let d = deadlines(&f, t("2026-12-05T03:00:00Z"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due, day(2026, 11, 25));
        // 10 days late × 365,000 × 15 % / 365 = 1,500 won.
        assert_eq!(d[0].late_interest.as_ref().unwrap().minor, 1500);
        assert_eq!(d[0].days_left(t("2026-12-05T03:00:00Z")), -10);
    }

    #[test]
    fn a_late_refund_still_owes_its_interest_after_it_arrives() {
        // Art. 18(2), Decree art. 21-3: the seller who refunds late pays 15 % a year for the
        // delay; the refund arriving does not pay that off. Derived by hand: goods back Friday
        // 20 Nov 2026 → business days 23, 24, 25 Nov (no holidays) → last day Wednesday 25 Nov.
        let mut f = case_fields();
        f.category = Category::Refund;
        f.amount = Some(Money::parse("500000", "KRW").unwrap());
        f.dates.return_received = Some(day(2026, 11, 20));
        // Refunded 10 Dec: 15 days after 25 Nov. 500,000 × 15 % × 15 / 365 = 3,082.19 → 3,082.
        f.dates.refunded = Some(day(2026, 12, 10));
        let later = t("2027-01-20T00:00:00Z");
        let d = deadlines(&f, later);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due, day(2026, 11, 25));
        assert_eq!(d[0].met_late_on, Some(day(2026, 12, 10)));
        // Counted to the refund, not to today.
        assert_eq!(d[0].late_interest.as_ref().unwrap().minor, 3082);
        // One day late (26 Nov): 500,000 × 15 % × 1 / 365 = 205.47 → 205.
        f.dates.refunded = Some(day(2026, 11, 26));
        assert_eq!(
            deadlines(&f, later)[0]
                .late_interest
                .as_ref()
                .unwrap()
                .minor,
            205
        );
        // On the last day itself: in time, nothing owed, the deadline is over.
        f.dates.refunded = Some(day(2026, 11, 25));
        assert!(deadlines(&f, later).is_empty());
        // Before it is due and before the refund: the deadline as before, no interest.
        f.dates.refunded = None;
        let d = deadlines(&f, t("2026-11-24T00:00:00Z"));
        assert_eq!((d[0].met_late_on, d[0].late_interest.clone()), (None, None));
    }

    #[test]
    fn prepaid_orders_get_the_business_day_rule_and_delivery_ends_both() {
        let mut f = case_fields();
        f.dates.ordered = Some(day(2026, 9, 22));
        let now = t("2026-09-23T00:00:00Z");
        let codes = |f: &CaseFields| -> Vec<String> {
            deadlines(f, now).into_iter().map(|d| d.rule).collect()
        };
        // No payment date: taken as paid on order (and said so), not the lenient 7 days.
        assert_eq!(codes(&f), ["shipping-prepaid-3-business-days"]);
        assert_eq!(deadlines(&f, now)[0].instead_of, Some(DateField::Paid));
        f.payment_method = Some(PaymentMethod::PayLater);
        assert_eq!(codes(&f), ["shipping-7-days"]);
        f.payment_method = None;
        f.dates.paid = Some(day(2026, 9, 22));
        assert_eq!(codes(&f), ["shipping-prepaid-3-business-days"]);
        assert_eq!(deadlines(&f, now)[0].instead_of, None);
        // Paid Tuesday 22 Sep 2026, Chuseok 24–26 Sep: 23 Sep, 28 Sep, 29 Sep.
        assert_eq!(deadlines(&f, now)[0].due, day(2026, 9, 29));
        // Once delivered, the shipping duty is met; the consumer's withdrawal window opens.
        f.dates.delivered = Some(day(2026, 9, 30));
        assert_eq!(codes(&f), ["withdrawal-7-days"]);
    }

    #[test]
    fn the_deadline_ends_at_midnight_korean_time() {
        let mut f = case_fields();
        f.category = Category::Other;
        f.dates.delivered = Some(day(2026, 11, 10));
        let d = &deadlines(&f, t("2026-11-11T00:00:00Z"))[0];
        assert_eq!(d.ends_at(), t("2026-11-17T15:00:00Z"));
        // 23:59 in Seoul on the last day is still day 0.
        assert_eq!(d.days_left(t("2026-11-17T14:59:00Z")), 0);
        assert_eq!(d.days_left(t("2026-11-17T15:00:00Z")), -1);
    }
}
