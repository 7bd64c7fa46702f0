//! The contract between the engine and the UI. These types are exported to TypeScript
//! (`ui/src/bindings/`) by the `bindings` test; never copy them by hand.

use crate::alert::{Alert, Level};
use crate::market::{Candle, Interval};
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
    /// Volume against the usual volume of that time of day (1 = normal), of the finest
    /// interval that has a baseline; `null` until there is enough history.
    #[serde(default)]
    pub rel_volume: Option<f64>,
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
    /// When a source that publishes on a schedule (end-of-day data) is due to have new data,
    /// ms UTC.
    #[ts(type = "number | null")]
    pub next_update_at: Option<i64>,
    /// What the state means right now, in words ("market closed", "delayed 15 min", …).
    pub detail: Option<String>,
    /// Messages received per second, averaged over the last 10 s.
    pub messages_per_sec: f64,
    /// How far behind the source the feed is: now − the event time the last message
    /// carried, ms (`null` until a message with an event time arrives).
    #[ts(type = "number | null")]
    pub lag_ms: Option<i64>,
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
    pub storage: StorageStatus,
}

/// Whether what the engine sees is being saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StorageStatus {
    /// False when the database file could not be used and the engine runs on a throw-away
    /// database in memory.
    pub persistent: bool,
    /// What is wrong, in words (cannot open the file, disk full …); `None` when all is well.
    pub error: Option<String>,
    /// Size of the database file with its WAL, in bytes.
    #[ts(type = "number")]
    pub file_bytes: u64,
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
    Alert {
        alert: Alert,
    },
    AlertsPaused {
        paused: bool,
    },
    RulesChanged,
    /// A notification as shown (or held back), with whether the UI plays the level's sound.
    Notice {
        notice: NoticeEvent,
    },
}

/// A notification the alert stage shows (or would show, with OS notifications off): one
/// alert, a storm group, a digest after quiet hours or a pause, or a paused rule. `sound` is
/// the engine's whole decision: the rule's `sound` channel is on, the level plays a sound in
/// the delivery settings, and notifications are not held (quiet hours, pause).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoticeEvent {
    pub title: String,
    pub body: String,
    pub level: Level,
    pub sound: bool,
    /// How many alerts it stands for (1, or a group / digest; 0 for a paused rule).
    pub alerts: u32,
    /// False when the rule asked for a sound only (no OS notification).
    pub notified: bool,
}

/// The Binance data sources as the user set them: stored in SQLite and read when the
/// engine starts (a change takes effect at the next start).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BinanceSettings {
    /// Binance USDⓈ-M futures.
    pub usdm: BinanceVenueSettings,
    /// Binance spot.
    pub spot: BinanceVenueSettings,
}

/// One Binance venue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BinanceVenueSettings {
    pub enabled: bool,
    /// Which symbols to watch.
    pub universe: BinanceUniverse,
    /// With `top`: how many symbols (by 24 h quote volume).
    pub top_n: u32,
    /// With `top`: the least 24 h quote volume a symbol needs (quote currency, e.g. USDT).
    pub min_quote_volume: f64,
    /// WebSocket base (`wss://…`); `null`: Binance's own. The environment variable
    /// `TICKWARDEN_BINANCE_{USDM,SPOT}_WS` overrides it.
    pub ws_url: Option<String>,
    /// REST base (`https://…`); `null`: Binance's own. `TICKWARDEN_BINANCE_{USDM,SPOT}_REST`
    /// overrides it.
    pub rest_url: Option<String>,
}

impl Default for BinanceVenueSettings {
    fn default() -> Self {
        BinanceVenueSettings {
            enabled: false,
            universe: BinanceUniverse::Top,
            top_n: 150,
            min_quote_volume: 10_000_000.0,
            ws_url: None,
            rest_url: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BinanceUniverse {
    /// The venue's symbols on the default watchlist (`binance-usdm:BTCUSDT`, …), following
    /// it live.
    Watchlist,
    /// The top N by 24 h quote volume, re-chosen every hour.
    Top,
}

/// The market radar: across every symbol the engine sees, what is unusual right now and what
/// is moving most. Updated as data arrives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Radar {
    /// The highest anomaly scores of the last hour (a daily bar's for its day), highest
    /// first, one per symbol (its highest-scoring interval).
    pub anomalies: Vec<RadarAnomaly>,
    /// Largest moves either way over 5 minutes, 1 hour and 24 hours (`value` in %).
    pub movers_5m: Vec<RadarMover>,
    pub movers_1h: Vec<RadarMover>,
    pub movers_24h: Vec<RadarMover>,
    /// Highest relative volume (`value`: times the usual volume of that time of day).
    pub relative_volume: Vec<RadarMover>,
    /// Largest open-interest changes either way of futures contracts; empty for a source
    /// without futures.
    pub oi_changes: Vec<RadarOiChange>,
}

/// A bar the detector scored, as the radar and the anomaly stream show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RadarAnomaly {
    pub symbol: String,
    pub name: String,
    pub simulated: bool,
    pub interval: Interval,
    /// The composite `anomaly_score`.
    pub score: f64,
    /// True when the bar crosses the detector's thresholds; `reasons` then says why.
    pub flagged: bool,
    /// In words: "volume 6.2σ above its 60-bar norm", "price +4.1% in 5m (3.2σ)".
    pub reasons: Vec<String>,
    pub price: f64,
    /// Open time of the bar, ms UTC.
    #[ts(type = "number")]
    pub bar_open: i64,
    /// Market time of the score, ms UTC.
    #[ts(type = "number")]
    pub at: i64,
    /// False while the bar is still being built.
    pub closed: bool,
}

/// One row of the open-interest ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RadarOiChange {
    pub symbol: String,
    pub name: String,
    pub simulated: bool,
    /// Open interest in contracts, as the venue reports it.
    pub open_interest: f64,
    /// % change of the open interest over the last 24 h.
    pub change_pct: f64,
    pub price: f64,
    /// Market time of the latest reading, ms UTC.
    #[ts(type = "number")]
    pub at: i64,
}

/// One row of a movers list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RadarMover {
    pub symbol: String,
    pub name: String,
    pub simulated: bool,
    pub interval: Interval,
    pub price: f64,
    /// % move, or relative volume.
    pub value: f64,
    #[ts(type = "number")]
    pub at: i64,
}

/// A recording opened from the window ("Open recording…"): what is now playing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReplayStarted {
    /// `replay:<file stem>`, as `tickwarden headless --replay` names it.
    pub symbol: String,
    /// The format found in the file, in words ("Binance klines (no header)", …).
    pub format: String,
    pub interval: Interval,
    /// Bars that will be played.
    pub bars: u32,
    /// Times faster than real time (0: as fast as the engine takes them).
    pub speed: f64,
    /// Lines that were skipped (the rest still plays), the first 100.
    pub bad_rows: Vec<BadLine>,
    /// How many lines were skipped in all.
    pub bad_total: u32,
}

/// A line of a recording that could not be read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadLine {
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The column's name from the header.
    pub column_name: String,
    pub reason: String,
}
