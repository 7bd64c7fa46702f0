//! How alerts reach the user besides the app's own list: storm control, the circuit breaker,
//! quiet hours, sounds and webhooks. Stored as one JSON setting; secrets (webhook URLs and
//! bot tokens) live in the OS keyring, never here.

use crate::alert::Level;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct DeliverySettings {
    /// More than `storm_max` notifications within `storm_window_s` are grouped into one.
    pub storm_window_s: u32,
    pub storm_max: u32,
    /// A rule that fires more than `breaker_max` times within `breaker_window_s` is paused
    /// for `breaker_pause_s`.
    pub breaker_window_s: u32,
    pub breaker_max: u32,
    pub breaker_pause_s: u32,
    pub quiet_hours: Option<QuietHours>,
    /// Levels that play a sound (the UI plays it).
    pub sound_levels: Vec<Level>,
    pub webhooks: Vec<WebhookConfig>,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            storm_window_s: 10,
            storm_max: 3,
            breaker_window_s: 60,
            breaker_max: 30,
            breaker_pause_s: 900,
            quiet_hours: None,
            sound_levels: vec![Level::High, Level::Critical],
            webhooks: Vec::new(),
        }
    }
}

/// Notifications are held between `start` and `end` (minutes after local midnight; the span
/// may wrap past midnight). `utc_offset_min` is the user's offset from UTC (+480 for UTC+8).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuietHours {
    pub start_min: u16,
    pub end_min: u16,
    pub utc_offset_min: i16,
    /// Critical alerts still get through.
    #[serde(default)]
    pub allow_critical: bool,
}

impl QuietHours {
    /// Whether `now_ms` (UTC) falls inside the quiet span.
    pub fn contains(&self, now_ms: i64) -> bool {
        let local = now_ms.div_euclid(60_000) + i64::from(self.utc_offset_min);
        let m = local.rem_euclid(1440) as u16;
        let (s, e) = (self.start_min % 1440, self.end_min % 1440);
        if s <= e {
            s <= m && m < e
        } else {
            m >= s || m < e
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WebhookKind {
    /// POST of the alert as JSON to a URL.
    Generic,
    /// Bot API `sendMessage`; the secret is the bot token, `chat_id` says where.
    Telegram,
    DingTalk,
    Feishu,
    Slack,
    Discord,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookConfig {
    /// Lowercase letters, digits and '-'; rules name it in `channels.webhooks`.
    pub name: String,
    pub kind: WebhookKind,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Alerts below this level are not sent.
    #[serde(default)]
    pub min_level: Level,
    /// At most this many messages a minute (the service's own limit is lower for some).
    #[serde(default = "per_minute")]
    pub per_minute: u32,
    /// Telegram only: the chat to post to.
    #[serde(default)]
    #[ts(optional)]
    pub chat_id: Option<String>,
    /// Telegram only: the API base (tests point it at a local server).
    #[serde(default)]
    #[ts(optional)]
    pub api_base: Option<String>,
}

fn yes() -> bool {
    true
}
fn per_minute() -> u32 {
    20
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_wrap_past_midnight_in_local_time() {
        // 22:00–07:00 at UTC+8.
        let q = QuietHours {
            start_min: 22 * 60,
            end_min: 7 * 60,
            utc_offset_min: 480,
            allow_critical: false,
        };
        let at_utc = |h: i64, m: i64| (h * 60 + m) * 60_000;
        assert!(q.contains(at_utc(14, 0)), "22:00 local");
        assert!(q.contains(at_utc(22, 59)), "06:59 local");
        assert!(!q.contains(at_utc(23, 0)), "07:00 local");
        assert!(!q.contains(at_utc(6, 0)), "14:00 local");
        let day = QuietHours {
            start_min: 9 * 60,
            end_min: 17 * 60,
            utc_offset_min: 0,
            allow_critical: true,
        };
        assert!(day.contains(at_utc(12, 0)) && !day.contains(at_utc(18, 0)));
    }

    #[test]
    fn settings_fill_in_defaults_and_refuse_unknown_fields() {
        let s: DeliverySettings = serde_json::from_str(r#"{"stormMax":5}"#).unwrap();
        assert_eq!((s.storm_max, s.storm_window_s), (5, 10));
        assert!(serde_json::from_str::<DeliverySettings>(r#"{"stormMx":5}"#).is_err());
    }
}
