//! Alerts: written before anything else happens with them, kept after their rule is gone.

use crate::{Result, Store};
use std::collections::BTreeMap;
use tw_core::{Alert, Interval, Level};

pub(crate) const COLUMNS: &str =
    "id, rule_id, rule_name, symbol, interval, level, fired_at, bar_time, message, metrics";

#[derive(sqlx::FromRow)]
pub(crate) struct AlertRow {
    id: i64,
    rule_id: i64,
    rule_name: String,
    symbol: String,
    interval: String,
    level: String,
    fired_at: i64,
    bar_time: i64,
    message: String,
    metrics: String,
}

impl Store {
    /// Writes an alert (its `id` is ignored) and returns the id it was given.
    pub async fn insert_alert(&self, alert: &Alert) -> Result<i64> {
        let ids = self.insert_alerts(std::slice::from_ref(alert)).await?;
        Ok(ids[0])
    }

    /// Writes several alerts in one transaction (a burst costs one commit, not one each) and
    /// returns their ids in order.
    pub async fn insert_alerts(&self, alerts: &[Alert]) -> Result<Vec<i64>> {
        let mut tx = self.pool().begin().await?;
        let mut ids = Vec::with_capacity(alerts.len());
        for alert in alerts {
            let metrics = serde_json::to_string(&alert.metrics)
                .map_err(|e| self.corrupt(format!("metrics of an alert cannot be written: {e}")))?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO alerts (rule_id, rule_name, symbol, interval, level, fired_at, \
                                     bar_time, message, metrics) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(alert.rule_id)
            .bind(&alert.rule_name)
            .bind(&alert.symbol)
            .bind(alert.interval.as_str())
            .bind(alert.level.as_str())
            .bind(alert.fired_at)
            .bind(alert.bar_time)
            .bind(&alert.message)
            .bind(metrics)
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The latest `limit` alerts, newest first.
    pub async fn recent_alerts(&self, limit: u32) -> Result<Vec<Alert>> {
        let sql = format!("SELECT {COLUMNS} FROM alerts ORDER BY fired_at DESC, id DESC LIMIT ?");
        let rows: Vec<AlertRow> = sqlx::query_as(&sql)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(|r| self.alert(r)).collect()
    }

    /// Every alert of one rule, oldest first.
    pub async fn alerts_for_rule(&self, rule_id: i64) -> Result<Vec<Alert>> {
        let sql = format!("SELECT {COLUMNS} FROM alerts WHERE rule_id = ? ORDER BY fired_at, id");
        let rows: Vec<AlertRow> = sqlx::query_as(&sql)
            .bind(rule_id)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(|r| self.alert(r)).collect()
    }

    pub(crate) fn alert(&self, r: AlertRow) -> Result<Alert> {
        let id = r.id;
        let interval = Interval::parse(&r.interval).ok_or_else(|| {
            self.corrupt(format!("alert {id} has unknown interval {:?}", r.interval))
        })?;
        let level = Level::parse(&r.level)
            .ok_or_else(|| self.corrupt(format!("alert {id} has unknown level {:?}", r.level)))?;
        let metrics: BTreeMap<String, Option<f64>> = serde_json::from_str(&r.metrics)
            .map_err(|e| self.corrupt(format!("alert {id} has unreadable metrics: {e}")))?;
        Ok(Alert {
            id,
            rule_id: r.rule_id,
            rule_name: r.rule_name,
            symbol: r.symbol,
            interval,
            level,
            fired_at: r.fired_at,
            bar_time: r.bar_time,
            message: r.message,
            metrics: metrics
                .into_iter()
                .map(|(k, v)| (k, v.unwrap_or(f64::NAN)))
                .collect(),
        })
    }
}
