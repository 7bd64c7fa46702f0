//! What the local API sends, field by field: the JSON contract with outside tools. Kept apart
//! from the engine's types so the engine can change without breaking a user's scripts
//! silently (a change here is a change to the OpenAPI document too).

use serde::Serialize;
use tw_core::history::AlertEntry;
use tw_core::ipc::{EngineStatus, FeedHealth, FeedState, NotifierStatus, WatchRow};
use tw_core::{Alert, Candle};

/// `{"code": "invalid_input", "message": "limit: must be a whole number from 1 to 5000"}`
#[derive(Clone, Debug, Serialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthorized,
    InvalidInput,
    NotFound,
    MethodNotAllowed,
    TooManyClients,
    Storage,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::Unauthorized,
        ErrorCode::InvalidInput,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::TooManyClients,
        ErrorCode::Storage,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::TooManyClients => "too_many_clients",
            ErrorCode::Storage => "storage",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
        }
    }
}

/// `GET /api/v1/health`
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// `ok` when every feed is connected, `degraded` otherwise (or with no feed at all).
    pub status: &'static str,
    pub version: &'static str,
    pub feeds: Vec<FeedHealthBody>,
    pub alerts_paused: bool,
    pub notifications: NotificationsBody,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedHealthBody {
    pub source: String,
    pub simulated: bool,
    pub state: FeedState,
    pub last_message_at: Option<i64>,
    pub messages: u64,
    pub reconnects: u32,
    pub last_error: Option<String>,
    pub detail: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NotificationsBody {
    pub available: bool,
    pub error: Option<String>,
}

impl Health {
    pub fn from_status(s: EngineStatus) -> Self {
        let all_up = !s.feeds.is_empty() && s.feeds.iter().all(|f| f.state == FeedState::Connected);
        Health {
            status: if all_up { "ok" } else { "degraded" },
            version: env!("CARGO_PKG_VERSION"),
            feeds: s.feeds.into_iter().map(FeedHealthBody::from).collect(),
            alerts_paused: s.alerts_paused,
            notifications: NotificationsBody::from(s.notifications),
        }
    }
}

impl From<FeedHealth> for FeedHealthBody {
    fn from(f: FeedHealth) -> Self {
        FeedHealthBody {
            source: f.source,
            simulated: f.simulated,
            state: f.state,
            last_message_at: f.last_message_at,
            messages: f.messages,
            reconnects: f.reconnects,
            last_error: f.last_error,
            detail: f.detail,
        }
    }
}

impl From<NotifierStatus> for NotificationsBody {
    fn from(n: NotifierStatus) -> Self {
        NotificationsBody {
            available: n.available,
            error: n.error,
        }
    }
}

/// One row of `GET /api/v1/symbols`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SymbolRow {
    pub symbol: String,
    pub name: String,
    pub simulated: bool,
    pub price: Option<f64>,
    pub change_pct: Option<f64>,
    pub volume: Option<f64>,
    pub updated_at: Option<i64>,
}

impl From<WatchRow> for SymbolRow {
    fn from(r: WatchRow) -> Self {
        SymbolRow {
            symbol: r.symbol,
            name: r.name,
            simulated: r.simulated,
            price: r.price,
            change_pct: r.change_pct,
            volume: r.volume,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Symbols {
    pub symbols: Vec<SymbolRow>,
}

/// `GET /api/v1/candles`
#[derive(Clone, Debug, Serialize)]
pub struct Candles {
    pub symbol: String,
    pub interval: &'static str,
    /// Oldest first; the last one may still be open.
    pub candles: Vec<CandleBody>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandleBody {
    pub open_time: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
    pub quote_volume: f64,
    pub trades: u32,
    pub closed: bool,
}

impl From<Candle> for CandleBody {
    fn from(c: Candle) -> Self {
        CandleBody {
            open_time: c.open_time,
            open: c.open,
            high: c.high,
            low: c.low,
            close: c.close,
            volume: c.volume,
            quote_volume: c.quote_volume,
            trades: c.trades,
            closed: c.closed,
        }
    }
}

/// An alert as the API sends it (in `GET /api/v1/alerts` and on the stream).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertBody {
    pub id: i64,
    pub rule_id: i64,
    pub rule_name: String,
    pub symbol: String,
    pub interval: &'static str,
    pub level: &'static str,
    pub fired_at: i64,
    pub bar_time: i64,
    pub message: String,
    pub metrics: std::collections::BTreeMap<String, f64>,
    /// Only in the history: when the user acknowledged / resolved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<Option<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Option<i64>>,
}

impl From<Alert> for AlertBody {
    fn from(a: Alert) -> Self {
        AlertBody {
            id: a.id,
            rule_id: a.rule_id,
            rule_name: a.rule_name,
            symbol: a.symbol,
            interval: a.interval.as_str(),
            level: a.level.as_str(),
            fired_at: a.fired_at,
            bar_time: a.bar_time,
            message: a.message,
            metrics: a.metrics,
            acknowledged_at: None,
            resolved_at: None,
        }
    }
}

impl From<AlertEntry> for AlertBody {
    fn from(e: AlertEntry) -> Self {
        AlertBody {
            acknowledged_at: Some(e.acknowledged_at),
            resolved_at: Some(e.resolved_at),
            ..AlertBody::from(e.alert)
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Alerts {
    /// Newest first.
    pub alerts: Vec<AlertBody>,
}

/// `GET /api/v1/radar`
///
/// ```json
/// {"rankedBy":"anomaly_score",
///  "items":[{"symbol":"demo:GAMMA","name":"Gamma Corp","simulated":true,"interval":"1m",
///            "score":4.7,"flagged":true,"reasons":["volume 6.2σ above its 60-bar norm"],
///            "price":101.3,"barOpen":1767607260000,"at":1767607320000,"closed":true}],
///  "movers5m":[{"symbol":"demo:ALPHA","name":"Alpha Industries","simulated":true,
///               "interval":"1m","price":99.1,"value":-1.2,"at":1767607320000}],
///  "movers1h":[…],"movers24h":[…],"relativeVolume":[…],
///  "oiChanges":[{"symbol":"binance-usdm:BTCUSDT","name":"BTCUSDT","simulated":false,
///                "openInterest":100000.0,"changePct":25.0,"price":90000.0,"at":1767607320000}]}
/// ```
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Radar {
    /// What `score` is: see [`crate::RANKED_BY`].
    pub ranked_by: &'static str,
    pub items: Vec<RadarItem>,
    #[serde(rename = "movers5m")]
    pub movers_5m: Vec<Mover>,
    #[serde(rename = "movers1h")]
    pub movers_1h: Vec<Mover>,
    #[serde(rename = "movers24h")]
    pub movers_24h: Vec<Mover>,
    pub relative_volume: Vec<Mover>,
    /// Futures contracts by the size of their open-interest change; empty without futures.
    pub oi_changes: Vec<OiChange>,
}

/// A scored bar: the radar's items and the stream's `anomaly` messages.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RadarItem {
    pub symbol: String,
    pub name: String,
    pub simulated: bool,
    pub interval: &'static str,
    /// The composite anomaly score.
    pub score: f64,
    /// Over the detector's thresholds; `reasons` says why.
    pub flagged: bool,
    pub reasons: Vec<String>,
    pub price: f64,
    pub bar_open: i64,
    pub at: i64,
    pub closed: bool,
}

impl From<tw_core::ipc::RadarAnomaly> for RadarItem {
    fn from(a: tw_core::ipc::RadarAnomaly) -> Self {
        RadarItem {
            symbol: a.symbol,
            name: a.name,
            simulated: a.simulated,
            interval: a.interval.as_str(),
            score: a.score,
            flagged: a.flagged,
            reasons: a.reasons,
            price: a.price,
            bar_open: a.bar_open,
            at: a.at,
            closed: a.closed,
        }
    }
}

/// A row of a movers list: `value` is the % move (or the relative volume).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mover {
    pub symbol: String,
    pub name: String,
    pub simulated: bool,
    pub interval: &'static str,
    pub price: f64,
    pub value: f64,
    pub at: i64,
}

impl From<tw_core::ipc::RadarMover> for Mover {
    fn from(m: tw_core::ipc::RadarMover) -> Self {
        Mover {
            symbol: m.symbol,
            name: m.name,
            simulated: m.simulated,
            interval: m.interval.as_str(),
            price: m.price,
            value: m.value,
            at: m.at,
        }
    }
}

/// A row of the open-interest ranking.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OiChange {
    pub symbol: String,
    pub name: String,
    pub simulated: bool,
    pub open_interest: f64,
    /// % change over the last 24 h, signed.
    pub change_pct: f64,
    pub price: f64,
    pub at: i64,
}

impl From<tw_core::ipc::RadarOiChange> for OiChange {
    fn from(o: tw_core::ipc::RadarOiChange) -> Self {
        OiChange {
            symbol: o.symbol,
            name: o.name,
            simulated: o.simulated,
            open_interest: o.open_interest,
            change_pct: o.change_pct,
            price: o.price,
            at: o.at,
        }
    }
}

/// A message on `/api/v1/stream`, tagged by `type`.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamMessage {
    /// First message after the upgrade: the client is authenticated and subscribed.
    Hello {
        version: &'static str,
    },
    Alert {
        alert: AlertBody,
    },
    /// A closed live bar the detector flagged, with its reasons.
    Anomaly {
        anomaly: RadarItem,
    },
    /// The client read too slowly and `missed` messages were dropped for it (they are
    /// stored: `GET /api/v1/alerts` has them).
    Lagged {
        missed: u64,
    },
}
