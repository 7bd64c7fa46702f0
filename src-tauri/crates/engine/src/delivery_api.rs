//! The engine handle's delivery settings: storm control, circuit breaker, quiet hours, sounds
//! and webhooks (whose URLs and tokens go to the OS keyring).

use crate::alerts::{AlertMsg, NoticeEvent};
use crate::rules_stage::RulesMsg;
use crate::webhook::secret_name;
use crate::{EngineError, EngineHandle};
use std::collections::HashSet;
use tokio::sync::broadcast;
use tw_analytics::rules::{valid_channel_name, BreakerConfig};
use tw_core::delivery::{DeliverySettings, WebhookKind};
use tw_core::Sensitive;
use tw_store::Store;

const DELIVERY: &str = "delivery";

/// The stored settings, or the defaults (a damaged setting is logged, not fatal).
pub(crate) async fn load_settings(store: &Store) -> DeliverySettings {
    match store.setting(DELIVERY).await {
        Ok(Some(json)) => serde_json::from_str(&json).unwrap_or_else(|e| {
            tracing::warn!("delivery settings unreadable ({e}); using the defaults");
            DeliverySettings::default()
        }),
        Ok(None) => DeliverySettings::default(),
        Err(e) => {
            tracing::warn!("delivery settings not read ({e}); using the defaults");
            DeliverySettings::default()
        }
    }
}

/// Checks settings; the error names the field.
pub fn validate_settings(s: &DeliverySettings) -> Result<(), EngineError> {
    let bad = |f: &str, why: &str| Err(EngineError::InvalidInput(format!("{f}: {why}")));
    if s.storm_window_s == 0 || s.storm_window_s > 3600 {
        return bad("stormWindowS", "must be from 1 to 3600 seconds");
    }
    if s.breaker_window_s == 0 || s.breaker_pause_s == 0 {
        return bad(
            "breakerWindowS",
            "the breaker window and pause must be above 0",
        );
    }
    if let Some(q) = s.quiet_hours {
        if q.start_min >= 1440 || q.end_min >= 1440 || q.start_min == q.end_min {
            return bad(
                "quietHours",
                "start and end are different minutes of the day (0 to 1439)",
            );
        }
        if !(-14 * 60..=14 * 60).contains(&q.utc_offset_min) {
            return bad("quietHours.utcOffsetMin", "must be within ±14 hours");
        }
    }
    let mut names = HashSet::new();
    for (i, w) in s.webhooks.iter().enumerate() {
        if !valid_channel_name(&w.name) {
            return bad(
                &format!("webhooks[{i}].name"),
                "use lowercase letters, digits and '-' (at most 48)",
            );
        }
        if !names.insert(w.name.as_str()) {
            return bad(&format!("webhooks[{i}].name"), "is used twice");
        }
        if w.per_minute == 0 {
            return bad(&format!("webhooks[{i}].perMinute"), "must be above 0");
        }
        if w.kind == WebhookKind::Telegram && w.chat_id.as_deref().is_none_or(str::is_empty) {
            return bad(
                &format!("webhooks[{i}].chatId"),
                "Telegram needs the chat id",
            );
        }
    }
    Ok(())
}

pub(crate) fn breaker(s: &DeliverySettings) -> BreakerConfig {
    BreakerConfig {
        window_ms: i64::from(s.breaker_window_s) * 1000,
        max: s.breaker_max,
        pause_ms: i64::from(s.breaker_pause_s) * 1000,
    }
}

impl EngineHandle {
    pub async fn delivery_settings(&self) -> DeliverySettings {
        load_settings(&self.0.store).await
    }

    /// Validates, stores and applies new delivery settings.
    pub async fn set_delivery_settings(&self, s: DeliverySettings) -> Result<(), EngineError> {
        validate_settings(&s)?;
        let json = serde_json::to_string(&s)
            .map_err(|e| EngineError::InvalidInput(format!("settings: {e}")))?;
        self.0.store.set_setting(DELIVERY, &json).await?;
        self.apply_breaker(&s).await?;
        self.0
            .alert_ctl
            .send(AlertMsg::Settings(s))
            .await
            .map_err(|_| EngineError::Stopped)
    }

    pub(crate) async fn apply_breaker(&self, s: &DeliverySettings) -> Result<(), EngineError> {
        self.0
            .rules_tx
            .send(RulesMsg::Breaker(breaker(s)))
            .await
            .map_err(|_| EngineError::Stopped)
    }

    /// Keeps a webhook's URL (or Telegram bot token) in the OS keyring. Takes effect when
    /// the delivery settings are next applied.
    pub async fn set_webhook_secret(
        &self,
        name: &str,
        secret: Sensitive<String>,
    ) -> Result<(), EngineError> {
        if !valid_channel_name(name) {
            return Err(EngineError::InvalidInput(format!(
                "{name:?} is not a webhook name (lowercase letters, digits and '-')"
            )));
        }
        if secret.expose().trim().is_empty() {
            return Err(EngineError::InvalidInput(
                "the URL or token is empty".into(),
            ));
        }
        self.0.secrets.set(&secret_name(name), &secret).await?;
        let s = self.delivery_settings().await;
        let _ = self.0.alert_ctl.send(AlertMsg::Settings(s)).await;
        Ok(())
    }

    pub async fn delete_webhook_secret(&self, name: &str) -> Result<bool, EngineError> {
        Ok(self.0.secrets.delete(&secret_name(name)).await?)
    }

    /// Notifications as they are shown (single, grouped, digests, paused rules).
    pub fn subscribe_notices(&self) -> broadcast::Receiver<NoticeEvent> {
        self.0.notices.subscribe()
    }
}
