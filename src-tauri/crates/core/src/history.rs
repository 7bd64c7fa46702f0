//! The alert history as the UI and the CLI ask for it: filters, acknowledge/resolve state and
//! statistics. Exported to TypeScript with the rest of the IPC contract.

use crate::alert::{Alert, Level};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which alerts to list, count or export. Every field narrows; none given means all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlertQuery {
    #[serde(default)]
    #[ts(optional)]
    pub symbol: Option<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<f64>")]
    pub rule_id: Option<i64>,
    #[serde(default)]
    #[ts(optional)]
    pub level: Option<Level>,
    /// Fired at or after (ms UTC).
    #[serde(default)]
    #[ts(optional, as = "Option<f64>")]
    pub from: Option<i64>,
    /// Fired before (ms UTC).
    #[serde(default)]
    #[ts(optional, as = "Option<f64>")]
    pub to: Option<i64>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<AlertStatus>,
    /// Newest first; at most this many (default 500).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Not acknowledged yet.
    New,
    /// Acknowledged, not resolved.
    Acknowledged,
    Resolved,
}

/// A stored alert with what the user has done with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlertEntry {
    #[serde(flatten)]
    #[ts(flatten)]
    pub alert: Alert,
    #[ts(type = "number | null")]
    pub acknowledged_at: Option<i64>,
    #[ts(type = "number | null")]
    pub resolved_at: Option<i64>,
}

/// A count under a key (a level, a symbol, a rule).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyCount {
    pub key: String,
    #[ts(type = "number")]
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlertStats {
    #[ts(type = "number")]
    pub total: u64,
    pub by_level: Vec<KeyCount>,
    /// Keyed by rule name (the rule may be gone; its alerts stay).
    pub by_rule: Vec<KeyCount>,
    pub by_symbol: Vec<KeyCount>,
    /// 24 counts, hour 0 to 23 of the day in the offset asked for.
    #[ts(type = "Array<number>")]
    pub by_hour: Vec<u64>,
}
