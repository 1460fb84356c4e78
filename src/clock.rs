//! Reading and writing times and dates.
//!
//! Instants are stored as UTC RFC 3339 with second precision (`2026-11-20T05:30:00Z`) and shown
//! in local time with the zone. Calendar dates (an order's dates) are stored as `YYYY-MM-DD`.
//! The core never reads the clock itself: callers pass `now`, so tests can fix it.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Why a time or date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not a date in any accepted form.
    #[error("'{0}' is not a date; write YYYY-MM-DD (e.g. 2026-11-20) or an RFC 3339 time")]
    Date(String),
    /// Not a time in any accepted form.
    #[error(
        "'{0}' is not a time; write RFC 3339 (2026-11-20T14:30:00+09:00) or local time as \"2026-11-20 14:30\""
    )]
    Instant(String),
    /// A local time that does not exist or is ambiguous (a daylight-saving change).
    #[error("'{0}' does not name one moment in the local time zone; add the offset, e.g. +09:00")]
    Ambiguous(String),
}

/// Reads an instant: RFC 3339 with an offset, or a local wall-clock time written
/// `YYYY-MM-DD HH:MM[:SS]` (or with a `T`), or a bare date meaning the end of that local day.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, TimeError> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(truncate(dt.with_timezone(&Utc)));
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
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(23, 59, 59))
    })
    .ok_or_else(|| TimeError::Instant(text.to_owned()))?;
    match Local.from_local_datetime(&local) {
        chrono::LocalResult::Single(dt) => Ok(dt.with_timezone(&Utc)),
        _ => Err(TimeError::Ambiguous(text.to_owned())),
    }
}

/// Reads a calendar date: `YYYY-MM-DD`, or an RFC 3339 time, taking the date as it was in that
/// time's own offset (the day the consumer lived).
pub fn parse_date(text: &str) -> Result<NaiveDate, TimeError> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    DateTime::parse_from_rfc3339(t)
        .map(|dt| dt.date_naive())
        .map_err(|_| TimeError::Date(text.to_owned()))
}

/// The stored form of an instant: UTC RFC 3339, whole seconds, `Z`.
pub fn to_stored(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Drops sub-second precision, so what is stored, hashed and shown is the same instant.
pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
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
        assert!(parse_instant("2026-11-20").is_ok());
    }
}
