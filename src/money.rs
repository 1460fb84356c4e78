//! Amounts of money: integer minor units plus an ISO 4217 currency code, never floats.
//!
//! `39000 KRW` is stored as `{minor: 39000, currency: "KRW"}` (the won has no minor unit);
//! `12.50 USD` as `{minor: 1250, currency: "USD"}`. Parsing refuses more decimals than the
//! currency has, so nothing is silently rounded.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount in a currency's minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// The amount in minor units (cents for USD, won for KRW).
    pub minor: i64,
    /// The ISO 4217 code, three upper-case letters.
    pub currency: String,
}

/// Why an amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The currency is not three ASCII letters.
    #[error("'{0}' is not a currency code; use three letters such as KRW, USD or EUR")]
    Currency(String),
    /// The amount is not a plain decimal number.
    #[error(
        "'{0}' is not an amount; write digits with an optional decimal point, e.g. 39000 or 12.50 (no currency sign)"
    )]
    Number(String),
    /// The amount has more decimals than the currency allows.
    #[error("'{amount}' has more decimals than {currency} allows ({digits})")]
    Precision {
        /// The text given.
        amount: String,
        /// The currency.
        currency: String,
        /// How many decimals it allows.
        digits: u32,
    },
    /// A paid amount is never negative.
    #[error("'{0}' is negative; give the amount paid, without a sign")]
    Negative(String),
    /// The amount does not fit.
    #[error("'{0}' is too large")]
    Overflow(String),
}

/// How many decimal digits a currency's minor unit has (ISO 4217); 2 unless listed.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "KRW" | "JPY" | "VND" | "CLP" | "ISK" | "PYG" | "UGX" | "XAF" | "XOF" | "KMF" | "GNF"
        | "RWF" | "VUV" | "XPF" | "BIF" | "DJF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

impl Money {
    /// Reads an amount written in major units ("39000", "39,000", "12.50") in `currency`.
    ///
    /// ```
    /// use recourse::money::Money;
    /// let won = Money::parse("39,000", "KRW").unwrap();
    /// assert_eq!((won.minor, won.to_string().as_str()), (39000, "₩39,000"));
    /// assert_eq!(Money::parse("12.5", "USD").unwrap().minor, 1250);
    /// assert!(Money::parse("0.5", "KRW").is_err()); // the won has no minor unit
    /// ```
    pub fn parse(amount: &str, currency: &str) -> Result<Money, MoneyError> {
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(MoneyError::Currency(currency));
        }
        let digits = minor_digits(&currency);
        let text = amount.trim();
        if text.starts_with('-') {
            return Err(MoneyError::Negative(amount.to_owned()));
        }
        let (grouped, fraction) = text.split_once('.').unwrap_or((text, ""));
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // Thousands separators only where they belong ("39,000"), so "1,5" is not read as 15.
        let groups: Vec<&str> = grouped.split(',').collect();
        let well_grouped =
            groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
        if !groups.iter().all(|g| all_digits(g))
            || !well_grouped
            || (!fraction.is_empty() && !all_digits(fraction))
            || (text.contains('.') && fraction.is_empty())
        {
            return Err(MoneyError::Number(amount.to_owned()));
        }
        let whole: String = groups.concat();
        let whole = whole.as_str();
        if fraction.len() > digits as usize {
            return Err(MoneyError::Precision {
                amount: amount.to_owned(),
                currency,
                digits,
            });
        }
        let overflow = || MoneyError::Overflow(amount.to_owned());
        let mut minor: i64 = whole.parse().map_err(|_| overflow())?;
        let mut fraction_value: i64 = 0;
        for i in 0..digits as usize {
            let d = fraction
                .as_bytes()
                .get(i)
                .map_or(0, |b| i64::from(b - b'0'));
            fraction_value = fraction_value * 10 + d;
            minor = minor.checked_mul(10).ok_or_else(overflow)?;
        }
        minor = minor.checked_add(fraction_value).ok_or_else(overflow)?;
        Ok(Money { minor, currency })
    }

    /// The amount in major units as plain text with thousands separators: `39,000`, `12.50`.
    pub fn amount_text(&self) -> String {
        let digits = minor_digits(&self.currency);
        let scale = 10_i64.pow(digits);
        let abs = self.minor.unsigned_abs();
        let whole = abs / scale as u64;
        let fraction = abs % scale as u64;
        let mut grouped = String::new();
        let whole_text = whole.to_string();
        for (i, c) in whole_text.chars().enumerate() {
            if i > 0 && (whole_text.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.minor < 0 { "-" } else { "" };
        if digits == 0 {
            format!("{sign}{grouped}")
        } else {
            format!(
                "{sign}{grouped}.{fraction:0width$}",
                width = digits as usize
            )
        }
    }

    /// The amount as a Korean sentence says it: `3,082원` for won (a Korean reads "₩3,082"
    /// inside a sentence as out of place), the usual form for other currencies.
    pub fn to_korean_text(&self) -> String {
        if self.currency == "KRW" {
            format!("{}원", self.amount_text())
        } else {
            self.to_string()
        }
    }

    /// The currency's usual symbol, when it has one everybody reads the same way.
    pub fn symbol(&self) -> Option<&'static str> {
        match self.currency.as_str() {
            "KRW" => Some("₩"),
            "USD" => Some("$"),
            "EUR" => Some("€"),
            "JPY" => Some("¥"),
            "GBP" => Some("£"),
            _ => None,
        }
    }
}

impl fmt::Display for Money {
    /// `₩39,000`, `$12.50`, or `1,234.50 CHF` for currencies without a listed symbol.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.symbol() {
            Some(symbol) if self.minor < 0 => {
                write!(f, "-{symbol}{}", &self.amount_text()[1..])
            }
            Some(symbol) => write!(f, "{symbol}{}", self.amount_text()),
            None => write!(f, "{} {}", self.amount_text(), self.currency),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_won_without_decimals() {
        let m = Money::parse("39,000", "krw").unwrap();
        assert_eq!(m.minor, 39000);
        assert_eq!(m.currency, "KRW");
        assert_eq!(m.to_string(), "₩39,000");
    }

    #[test]
    fn parses_cents_and_pads_missing_decimals() {
        assert_eq!(Money::parse("12.5", "USD").unwrap().minor, 1250);
        assert_eq!(Money::parse("12", "USD").unwrap().minor, 1200);
        assert_eq!(
            Money::parse("1234567.05", "EUR").unwrap().to_string(),
            "€1,234,567.05"
        );
        assert_eq!(Money::parse("3.10", "CHF").unwrap().to_string(), "3.10 CHF");
        let refund = Money {
            minor: -310,
            currency: "CHF".into(),
        };
        assert_eq!(refund.to_string(), "-3.10 CHF");
    }

    #[test]
    fn refuses_what_it_would_have_to_round_or_guess() {
        assert!(matches!(
            Money::parse("39000.5", "KRW"),
            Err(MoneyError::Precision { digits: 0, .. })
        ));
        assert!(matches!(
            Money::parse("₩39000", "KRW"),
            Err(MoneyError::Number(_))
        ));
        assert!(matches!(
            Money::parse("", "KRW"),
            Err(MoneyError::Number(_))
        ));
        assert!(matches!(
            Money::parse("1,5", "EUR"),
            Err(MoneyError::Number(_))
        ));
        assert!(matches!(
            Money::parse("39,00", "KRW"),
            Err(MoneyError::Number(_))
        ));
        assert!(matches!(
            Money::parse("12.", "USD"),
            Err(MoneyError::Number(_))
        ));
        assert!(matches!(
            Money::parse("-5", "KRW"),
            Err(MoneyError::Negative(_))
        ));
        assert_eq!(Money::parse("1,234,567", "KRW").unwrap().minor, 1_234_567);
        assert!(matches!(
            Money::parse("1", "WON!"),
            Err(MoneyError::Currency(_))
        ));
        assert!(matches!(
            Money::parse("99999999999999999999", "KRW"),
            Err(MoneyError::Overflow(_))
        ));
    }
}
