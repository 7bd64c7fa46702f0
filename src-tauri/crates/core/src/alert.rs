//! Alerts: what a fired rule leaves behind.

use crate::market::Interval;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Option<Level> {
        [Level::Low, Level::Medium, Level::High, Level::Critical]
            .into_iter()
            .find(|l| l.as_str() == s)
    }
}

/// A fired rule. `id` is 0 until the store has written it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub rule_id: i64,
    pub rule_name: String,
    pub symbol: String,
    pub interval: Interval,
    pub level: Level,
    /// When the condition was met (market time of the update, ms UTC).
    #[ts(type = "number")]
    pub fired_at: i64,
    /// Open time of the bar the alert belongs to.
    #[ts(type = "number")]
    pub bar_time: i64,
    pub message: String,
    /// The metrics the rule looked at, as they were when it fired.
    pub metrics: BTreeMap<String, f64>,
}
