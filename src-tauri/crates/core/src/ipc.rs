//! The contract between the engine and the UI. These types are exported to TypeScript
//! (`ui/src/bindings/`) by the `bindings` test; never copy them by hand.

use crate::alert::Alert;
use crate::market::Candle;
use crate::rule::RuleSpec;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One row of the watchlist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchRow {
    pub symbol: String,
    /// Human name of the instrument.
    pub name: String,
    /// True for the demo market: the UI labels it as simulated.
    pub simulated: bool,
    pub price: Option<f64>,
    /// % change against the price 24 hours earlier.
    pub change_pct: Option<f64>,
    /// Volume of the current 1m bar.
    pub volume: Option<f64>,
    /// Ms UTC of the last update.
    #[ts(type = "number | null")]
    pub updated_at: Option<i64>,
}

/// Coalesced live data, sent a few times a second over an IPC channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiveBatch {
    /// Rows that changed since the last batch.
    pub rows: Vec<WatchRow>,
    /// The latest state of every 1m candle that changed since the last batch.
    pub candles: Vec<Candle>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum FeedState {
    Connecting,
    Connected,
    Reconnecting,
    Stale,
    Stopped,
}

/// Health of one feed, for the UI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeedHealth {
    pub source: String,
    pub simulated: bool,
    pub state: FeedState,
    #[ts(type = "number | null")]
    pub last_message_at: Option<i64>,
    #[ts(type = "number")]
    pub messages: u64,
    pub reconnects: u32,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotifierStatus {
    pub available: bool,
    /// Why notifications are unavailable, in words.
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EngineStatus {
    pub feeds: Vec<FeedHealth>,
    pub alerts_paused: bool,
    pub notifications: NotifierStatus,
    pub data_dir: String,
}

/// A stored rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub spec: RuleSpec,
    #[ts(type = "number")]
    pub created_at: i64,
}

/// Every error that crosses IPC: the UI branches on `code`, shows `message`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidRule,
    InvalidInput,
    NotFound,
    Storage,
    KeyringUnavailable,
    Internal,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

/// Events the engine pushes to the UI (rare notices; live data goes over a channel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum UiEvent {
    Alert { alert: Alert },
    AlertsPaused { paused: bool },
    RulesChanged,
}
