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

use super::days::{add_business_days, holiday_name, is_business_day};
use crate::model::{CaseFields, Category, OrderDates};
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

/// One rule of `assets/legal-deadlines-kr.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable name.
    pub code: String,
    /// Whose deadline.
    pub who: Who,
    /// Dates it counts from (the latest one known).
    pub from: Vec<DateField>,
    /// Dates that must be known (default: all of `from`).
    #[serde(default)]
    pub requires: Option<Vec<DateField>>,
    /// Dates that end its relevance once known.
    #[serde(default)]
    pub until: Vec<DateField>,
    /// Dates whose presence means another rule applies.
    #[serde(default)]
    pub unless: Vec<DateField>,
    /// How many units.
    pub period: u32,
    /// Which units.
    pub unit: Unit,
    /// A calendar period ending on a day off ends on the next business day.
    #[serde(default)]
    pub roll: bool,
    /// Categories it applies to (empty: all).
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Interest owed a year on money held past the deadline, in percent.
    #[serde(default)]
    pub late_interest_percent_per_year: Option<u32>,
    /// Korean title.
    pub title_ko: String,
    /// English title.
    pub title_en: String,
    /// Korean legal basis.
    pub basis_ko: String,
    /// English legal basis.
    pub basis_en: String,
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

    /// The legal basis in `lang`.
    pub fn basis(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.basis_ko,
            Lang::En => &self.basis_en,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<Rule>,
}

/// Parses a rules file (the shipped one, or a corrected copy in a test).
pub fn parse_rules(text: &str) -> Result<Vec<Rule>, String> {
    let file: RuleFile = toml::from_str(text).map_err(|e| e.to_string())?;
    for r in &file.rule {
        if r.from.is_empty() {
            return Err(format!("rule {}: `from` lists no date", r.code));
        }
    }
    Ok(file.rule)
}

/// The shipped rules. A broken file (a test guards against shipping one) yields none, and
/// says so once on stderr rather than stopping the app.
pub fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        parse_rules(RULES_TOML).unwrap_or_else(|e| {
            eprintln!(
                "recourse: assets/legal-deadlines-kr.toml is unreadable, no legal deadlines: {e}"
            );
            Vec::new()
        })
    })
}

/// A deadline computed for a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The rule's code.
    pub rule: String,
    /// Whose deadline.
    pub who: Who,
    /// The date counted from, and which date it is.
    pub start: NaiveDate,
    /// Which of the case's dates `start` is.
    pub start_field: DateField,
    /// The last day (inclusive, Korean time).
    pub due: NaiveDate,
    /// When the period's end fell on a day off and moved: the day it fell on, and the
    /// holiday's name if it was one.
    pub moved_from: Option<(NaiveDate, Option<String>)>,
    /// Interest owed so far on a late refund (minor units of the case's currency).
    pub late_interest: Option<Money>,
    /// The day the obligation was met late (a refund that came after its deadline): the
    /// deadline is over, but the interest for the delay is still owed (art. 18(2)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met_late_on: Option<NaiveDate>,
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

/// The last day of a period of `rule` counted from `start`, and where it moved from.
pub fn period_end(
    rule: &Rule,
    start: NaiveDate,
) -> (NaiveDate, Option<(NaiveDate, Option<String>)>) {
    let end = match rule.unit {
        Unit::Days => start
            .checked_add_signed(Duration::days(i64::from(rule.period)))
            .unwrap_or(NaiveDate::MAX),
        // Civil Act art. 160: counting starts the next day (art. 157); the period ends the
        // day before that day's number in the last month, or on the last day of a month that
        // has no such day.
        Unit::Months => {
            let first = start.succ_opt().unwrap_or(start);
            match first.checked_add_months(Months::new(rule.period)) {
                Some(e) if e.day() < first.day() => e,
                Some(e) => e.pred_opt().unwrap_or(e),
                None => NaiveDate::MAX,
            }
        }
        Unit::BusinessDays => add_business_days(start, rule.period),
    };
    if !rule.roll || is_business_day(end) {
        return (end, None);
    }
    let mut moved = end;
    while !is_business_day(moved) {
        match moved.succ_opt() {
            Some(next) => moved = next,
            None => break,
        }
    }
    (moved, Some((end, holiday_name(end).map(str::to_owned))))
}

/// The deadlines that apply to a case now, under the given rules.
pub fn deadlines_with(rules: &[Rule], case: &CaseFields, now: DateTime<Utc>) -> Vec<Deadline> {
    let dates = &case.dates;
    let known = |f: &DateField| f.of(dates).is_some();
    let today = kst_today(now);
    let mut out = Vec::new();
    for rule in rules {
        if !rule.categories.is_empty() && !rule.categories.contains(&case.category) {
            continue;
        }
        if rule.unless.iter().any(known) {
            continue;
        }
        // Met (the refund came): over — unless it came late and the law owes interest for the
        // delay, which a refund does not pay off (art. 18(2), Decree art. 21-3).
        let met_on = rule.until.iter().filter_map(|f| f.of(dates)).min();
        if met_on.is_some() && rule.late_interest_percent_per_year.is_none() {
            continue;
        }
        if !rule
            .requires
            .as_ref()
            .unwrap_or(&rule.from)
            .iter()
            .all(known)
        {
            continue;
        }
        let Some((start, start_field)) = rule
            .from
            .iter()
            .filter_map(|f| f.of(dates).map(|d| (d, *f)))
            .max_by_key(|(d, _)| *d)
        else {
            continue;
        };
        let (due, moved_from) = period_end(rule, start);
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
            who: rule.who,
            start,
            start_field,
            due,
            moved_from,
            late_interest,
            met_late_on: met_on,
        });
    }
    out
}

/// The deadlines that apply to a case now, under the shipped rules.
pub fn deadlines(case: &CaseFields, now: DateTime<Utc>) -> Vec<Deadline> {
    deadlines_with(rules(), case, now)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(parsed.len(), 6);
        for r in &parsed {
            assert!(
                r.basis_ko.contains("제1") || r.basis_ko.contains("제3"),
                "{}",
                r.code
            );
            assert!(r.source.starts_with("https://www.law.go.kr/"), "{}", r.code);
        }
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
        assert_eq!(period_end(r, day(2026, 11, 10)), (day(2026, 11, 17), None));
        // Delivered Saturday 14 Nov: the 7th day is Saturday 21 Nov → Monday 23 Nov.
        assert_eq!(period_end(r, day(2026, 11, 14)).0, day(2026, 11, 23));
        // Delivered 10 Feb 2027: the 7th day, 17 Feb, is a Wednesday after Seollal: no move.
        assert_eq!(period_end(r, day(2027, 2, 10)), (day(2027, 2, 17), None));
        // Delivered 31 Jan 2027: the 7th day is Sunday 7 Feb; 8 Feb is Seollal and 9 Feb its
        // substitute day, so the period ends Wednesday 10 Feb.
        let (due, moved) = period_end(r, day(2027, 1, 31));
        assert_eq!(due, day(2027, 2, 10));
        assert_eq!(moved.unwrap().0, day(2027, 2, 7));
    }

    #[test]
    fn months_end_on_the_same_day_number_or_the_last_day_of_the_month() {
        let r = rule("not-as-advertised-3-months");
        // 30 Nov 2026 + 3 months → 28 Feb 2027 is a Sunday → Tuesday 2 Mar (1 Mar is a holiday).
        assert_eq!(period_end(r, day(2026, 11, 30)).0, day(2027, 3, 2));
        assert_eq!(period_end(r, day(2026, 8, 12)).0, day(2026, 11, 12));
        // Delivered on a short month's last day: counting starts 1 Mar, so the period ends the
        // day before 1 Jun — 31 May (a Monday), not 28 May.
        assert_eq!(period_end(r, day(2027, 2, 28)).0, day(2027, 5, 31));
        // Counting from 31 Jan, one month has no 31 Feb: the month's last day.
        let one_month = Rule {
            period: 1,
            roll: false,
            ..r.clone()
        };
        assert_eq!(period_end(&one_month, day(2027, 1, 30)).0, day(2027, 2, 28));
    }

    #[test]
    fn absurd_dates_do_not_panic_or_loop() {
        for r in rules() {
            let _ = period_end(r, NaiveDate::MAX);
            let _ = period_end(r, NaiveDate::MIN);
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
        assert_eq!(codes(&f), ["shipping-7-days"]);
        f.dates.paid = Some(day(2026, 9, 22));
        assert_eq!(codes(&f), ["shipping-prepaid-3-business-days"]);
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
