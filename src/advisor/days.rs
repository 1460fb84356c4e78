//! Business days in Korea: weekends and the public holidays listed in `assets/holidays-kr.csv`
//! (lunar holidays and substitute days included; generated from the `holidays` package, its
//! source and version in the file's header). Legal deadlines counted "in business days" use this.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};

const HOLIDAYS_CSV: &str = include_str!("../../assets/holidays-kr.csv");

/// The years the holiday file covers; outside them only weekends are skipped.
pub const COVERED_YEARS: std::ops::RangeInclusive<i32> = 2020..=2035;

/// The holiday dates, read once from the shipped file (lines `YYYY-MM-DD,name`; `#` comments).
pub fn holidays() -> &'static BTreeSet<NaiveDate> {
    static SET: OnceLock<BTreeSet<NaiveDate>> = OnceLock::new();
    SET.get_or_init(|| parse(HOLIDAYS_CSV))
}

fn parse(text: &str) -> BTreeSet<NaiveDate> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("date,"))
        .filter_map(|l| l.split(',').next())
        .filter_map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .collect()
}

/// The holiday's name, when `date` is one.
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    let key = date.format("%Y-%m-%d").to_string();
    HOLIDAYS_CSV
        .lines()
        .find(|l| l.starts_with(&key))
        .and_then(|l| l.split_once(','))
        .map(|(_, name)| name.trim())
}

/// Whether offices work on `date`: not a Saturday, Sunday or public holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !holidays().contains(&date)
}

/// The date `n` business days after `date` (the day itself not counted): "within 3 business
/// days of payment" ends on `add_business_days(payment, 3)`.
pub fn add_business_days(date: NaiveDate, n: u32) -> NaiveDate {
    let mut d = date;
    let mut left = n;
    while left > 0 {
        let Some(next) = d.succ_opt() else {
            break;
        };
        d = next;
        if is_business_day(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_file_covers_every_year_with_seollal_and_chuseok() {
        for year in COVERED_YEARS {
            let names: Vec<&str> = holidays()
                .iter()
                .filter(|d| d.year() == year)
                .filter_map(|d| holiday_name(*d))
                .collect();
            assert!(
                names.iter().any(|n| n.contains("설날")),
                "{year}: {names:?}"
            );
            assert!(
                names.iter().any(|n| n.contains("추석")),
                "{year}: {names:?}"
            );
        }
    }

    #[test]
    fn seollal_2024_with_its_substitute_day() {
        // 9 Feb 2024 (Fri) to 11 Feb (Sun) is Seollal; 12 Feb (Mon) is the substitute day.
        assert!(!is_business_day(day(2024, 2, 9)));
        assert!(!is_business_day(day(2024, 2, 12)));
        assert_eq!(holiday_name(day(2024, 2, 12)), Some("설날 대체 휴일"));
        // One business day after Thursday 8 Feb is Tuesday 13 Feb.
        assert_eq!(add_business_days(day(2024, 2, 8), 1), day(2024, 2, 13));
        // Three business days after: Thursday 15 Feb.
        assert_eq!(add_business_days(day(2024, 2, 8), 3), day(2024, 2, 15));
    }

    #[test]
    fn chuseok_2026_then_a_substitute_for_national_foundation_day() {
        // Chuseok 24–26 Sep 2026 (Thu–Sat); 3 Oct (Sat) National Foundation Day is replaced by
        // Monday 5 Oct.
        assert_eq!(add_business_days(day(2026, 9, 23), 1), day(2026, 9, 28));
        assert!(!is_business_day(day(2026, 10, 5)));
        assert_eq!(add_business_days(day(2026, 10, 2), 1), day(2026, 10, 6));
        // The 2025 temporary holiday before Seollal (27 Jan) counts too.
        assert_eq!(add_business_days(day(2025, 1, 24), 1), day(2025, 1, 31));
    }

    #[test]
    fn zero_days_is_the_day_itself_and_weekends_always_skip() {
        assert_eq!(add_business_days(day(2026, 11, 20), 0), day(2026, 11, 20));
        // Friday + 1 → Monday.
        assert_eq!(add_business_days(day(2026, 11, 20), 1), day(2026, 11, 23));
        // Outside the covered years weekends still skip.
        assert_eq!(add_business_days(day(2040, 1, 6), 1), day(2040, 1, 9));
    }
}
