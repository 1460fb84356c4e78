//! Settings: a few user choices that belong with the data (not with one window).

use rusqlite::OptionalExtension;

use super::{Store, StoreError};

impl Store {
    /// The stored value of setting `key`, if it was ever set.
    pub(super) fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets setting `key` to `value`.
    pub(super) fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// The recording-consent rule [default: one-party].
    pub fn recording_consent(&self) -> Result<crate::model::RecordingConsent, StoreError> {
        let text = self.setting("recording-consent")?;
        Ok(text.and_then(|t| t.parse().ok()).unwrap_or_default())
    }

    /// Sets the recording-consent rule.
    pub fn set_recording_consent(
        &mut self,
        rule: crate::model::RecordingConsent,
    ) -> Result<(), StoreError> {
        use crate::model::Code;
        self.set_setting("recording-consent", rule.code())
    }
}

impl Store {
    /// The advisor's settings [default: escalate outside after 14 days].
    pub fn advisor_settings(&self) -> Result<crate::model::AdviceSettings, StoreError> {
        let text = self.setting("escalate-external-after-days")?;
        let mut settings = crate::model::AdviceSettings::default();
        if let Some(days) = text.and_then(|t| t.parse().ok()) {
            settings.escalate_external_after_days = days;
        }
        Ok(settings)
    }

    /// Sets the days a case may stay open before the advisor suggests an outside body.
    pub fn set_escalate_external_after_days(&mut self, days: u32) -> Result<(), StoreError> {
        self.set_setting("escalate-external-after-days", &days.to_string())
    }
}

impl Store {
    /// The time zone packets of this data directory show their times in. Recorded the first
    /// time it is asked for (from the system), so a packet does not change with the `TZ` of
    /// whoever builds it later; `settings --zone` changes it.
    pub fn zone(&mut self) -> Result<chrono_tz::Tz, StoreError> {
        if let Some(zone) = self.setting("zone")?.and_then(|t| t.parse().ok()) {
            return Ok(zone);
        }
        let zone = crate::clock::system_zone();
        self.set_zone(zone)?;
        Ok(zone)
    }

    /// Sets the time zone packets show their times in.
    pub fn set_zone(&mut self, zone: chrono_tz::Tz) -> Result<(), StoreError> {
        self.set_setting("zone", zone.name())
    }
}
