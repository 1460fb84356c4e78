//! Reading and writing times and dates.
//!
//! Instants are stored as UTC RFC 3339 with second precision (`2026-11-20T05:30:00Z`) and shown
//! in local time with the zone. Calendar dates (an order's dates) are stored as `YYYY-MM-DD`.
//! The core never reads the clock itself: callers pass `now`, so tests can fix it.

use chrono::{
    DateTime, Datelike, Local, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc,
};

/// The UTC offset of `zone` at `at`: how a time then reads there (the one place that turns a
/// data directory's zone into the offset texts and calendars are written in).
pub fn offset_in(zone: chrono_tz::Tz, at: DateTime<Utc>) -> chrono::FixedOffset {
    use chrono::Offset;
    at.with_timezone(&zone).offset().fix()
}

/// Why a time or date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not a date in any accepted form.
    #[error("'{0}' is not a date; write YYYY-MM-DD (e.g. 2026-11-20) or an RFC 3339 time")]
    Date(String),
    /// Not a time in any accepted form.
    #[error(
        "'{0}' is not a time; write RFC 3339 (2026-11-20T14:30:00+09:00) or local time as \"2026-11-20 14:30\", years 1900-9999"
    )]
    Instant(String),
    /// A local time that does not exist or is ambiguous (a daylight-saving change).
    #[error("'{0}' does not name one moment in the local time zone; add the offset, e.g. +09:00")]
    Ambiguous(String),
}

/// The years accepted anywhere. Outside them a typo is likelier than a real date, and the
/// stored RFC 3339 form needs a four-digit year.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

pub(crate) fn in_range(date: NaiveDate) -> bool {
    YEARS.contains(&date.year())
}

/// Reads an instant: RFC 3339 with an offset, or a local wall-clock time written
/// `YYYY-MM-DD HH:MM[:SS]` (or with a `T`).
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, TimeError> {
    parse_instant_or(text, None, &Local)
}

/// Like [`parse_instant`], and a bare date `YYYY-MM-DD` means the end of that local day
/// (23:59:59): "due on the 19th" is kept if it happens any time that day.
pub fn parse_due(text: &str) -> Result<DateTime<Utc>, TimeError> {
    parse_instant_or(text, NaiveTime::from_hms_opt(23, 59, 59), &Local)
}

/// [`parse_instant`] with a time without an offset read in `zone` (the app's forms read
/// times in the data directory's zone, as they show them).
pub fn parse_instant_in(text: &str, zone: chrono_tz::Tz) -> Result<DateTime<Utc>, TimeError> {
    parse_instant_or(text, None, &zone)
}

/// [`parse_due`] in `zone`.
pub fn parse_due_in(text: &str, zone: chrono_tz::Tz) -> Result<DateTime<Utc>, TimeError> {
    parse_instant_or(text, NaiveTime::from_hms_opt(23, 59, 59), &zone)
}

/// A moment as a form field holds it: "2026-11-20 14:30" in `zone`.
pub fn field_text_in(at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

fn parse_instant_or<Z: TimeZone>(
    text: &str,
    date_means: Option<NaiveTime>,
    zone: &Z,
) -> Result<DateTime<Utc>, TimeError> {
    let t = text.trim();
    let bad = || TimeError::Instant(text.to_owned());
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        let at = truncate(dt.with_timezone(&Utc));
        return if in_range(at.date_naive()) {
            Ok(at)
        } else {
            Err(bad())
        };
    }
    let local = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .or_else(|| {
        let time = date_means?;
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_time(time))
    })
    .filter(|l| in_range(l.date()))
    .ok_or_else(bad)?;
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(dt) => Ok(dt.with_timezone(&Utc)),
        _ => Err(TimeError::Ambiguous(text.to_owned())),
    }
}

/// Reads a calendar date: `YYYY-MM-DD`, or an RFC 3339 time, taking the date as it was in that
/// time's own offset (the day the consumer lived).
pub fn parse_date(text: &str) -> Result<NaiveDate, TimeError> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|dt| dt.date_naive())
        })
        .filter(|d| in_range(*d))
        .ok_or_else(|| TimeError::Date(text.to_owned()))
}

/// The stored form of an instant: UTC RFC 3339, whole seconds, `Z`.
pub fn to_stored(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Drops sub-second precision, so what is stored, hashed and shown is the same instant.
pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// An instant in the zone `zone` with its offset, as people read it: `2026-11-20 14:30 +09:00`.
/// Packets use this with the data directory's zone, so they do not depend on the builder's `TZ`.
pub fn show_in(at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    at.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %:z")
        .to_string()
}

/// The system's IANA zone (`TZ` when it names one, else the system setting), or UTC when it
/// cannot be told.
pub fn system_zone() -> chrono_tz::Tz {
    std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_owned())
        .and_then(|tz| tz.parse().ok())
        .or_else(|| iana_time_zone::get_timezone().ok()?.parse().ok())
        .unwrap_or(chrono_tz::UTC)
}

/// An instant in local time with its offset, as people read it: `2026-11-20 14:30 +09:00`.
pub fn show_local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M %:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_into_utc_seconds() {
        let t = parse_instant("2026-11-20T14:30:15.750+09:00").unwrap();
        assert_eq!(to_stored(t), "2026-11-20T05:30:15Z");
    }

    #[test]
    fn reads_dates_in_their_own_offset() {
        assert_eq!(
            parse_date("2026-11-20T00:30:00+09:00").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        );
        assert_eq!(
            parse_date("2026-02-28").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert!(matches!(parse_date("2026-02-30"), Err(TimeError::Date(_))));
        assert!(matches!(parse_date("20/11/2026"), Err(TimeError::Date(_))));
    }

    #[test]
    fn refuses_garbage_times() {
        assert!(matches!(
            parse_instant("tomorrow"),
            Err(TimeError::Instant(_))
        ));
        assert!(parse_instant("2026-11-20 14:30").is_ok());
        // A bare date is a due day, not the moment a call started.
        assert!(parse_instant("2026-11-20").is_err());
        assert!(parse_due("2026-11-20").is_ok());
        // Years a typo produces, which the stored form could not hold.
        assert!(parse_instant("+10000-01-01 10:00").is_err());
        assert!(parse_instant("-0001-01-01T10:00:00Z").is_err());
        assert!(parse_date("+10000-01-01").is_err());
        assert!(parse_date("0099-01-01").is_err());
    }
}
