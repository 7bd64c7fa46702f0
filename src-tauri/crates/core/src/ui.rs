//! IPC types of the UI's own views: named watchlists, symbol search, the chart's indicator
//! series, the rule preview and the look-and-feel settings. Exported to TypeScript with the
//! rest of the contract.

use crate::alert::Level;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A named watchlist and its symbols, in the user's order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchlistInfo {
    pub name: String,
    pub symbols: Vec<String>,
}

/// One hit of the symbol search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SymbolMatch {
    /// `source:CODE`.
    pub symbol: String,
    pub name: String,
    pub source: String,
    /// Pinyin initials of an A-share's name (`payh` for 平安银行); `null` elsewhere.
    pub pinyin: Option<String>,
    pub simulated: bool,
}

/// Recent closes of one symbol for a watchlist row's sparkline, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Sparkline {
    pub symbol: String,
    /// The interval the closes are of: the one asked for, or `1d` when that had too few bars
    /// (a source with daily bars only).
    pub interval: crate::market::Interval,
    pub closes: Vec<f64>,
}

/// One trading day's published figures of a stock (Tushare `daily_basic` and `moneyflow`):
/// metric name → value (`turnover_rate` %, `volume_ratio`, `pe`, `pe_ttm`, `pb`,
/// `total_mv`/`circ_mv` and the net inflows `main_net_inflow`, `large_net_inflow`,
/// `xlarge_net_inflow`, `net_mf_amount` in CNY). A figure the source did not publish is absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FundamentalDay {
    /// The date at 00:00 UTC, ms.
    #[ts(type = "number")]
    pub day_ms: i64,
    pub values: std::collections::BTreeMap<String, f64>,
}

/// Indicator values over the bars of one chart, computed by the same series code the rules
/// read: `values[i]` belongs to `times[i]`; `null` while the indicator warms up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorSeries {
    #[ts(type = "number[]")]
    pub times: Vec<i64>,
    pub lines: Vec<IndicatorLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorLine {
    /// A metric name as rules write it (`sma(20)`, `bb_upper`, `rsi`, `anomaly_score`).
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// What a rule would have done over stored history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulePreview {
    /// How many alerts it would have fired in the window.
    pub fired: u32,
    /// Start and end of the window, ms UTC.
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub to: i64,
    /// Symbols that had stored candles to replay.
    pub symbols: Vec<String>,
    /// The first alerts (at most 200), oldest first.
    pub hits: Vec<PreviewHit>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewHit {
    pub symbol: String,
    #[ts(type = "number")]
    pub fired_at: i64,
    pub message: String,
    pub level: Level,
}

/// Look and behaviour of the window, kept in the engine's settings table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UiSettings {
    /// `system` (follow the OS), `en` or `zh-CN`.
    pub language: String,
    /// `system`, `light` or `dark` (default: dark, as trading terminals are).
    pub theme: String,
    /// `green_up` (as in the West) or `red_up` (as in China).
    pub up_color: String,
    /// Closing the window keeps Tickwarden running in the tray.
    pub minimize_to_tray: bool,
    /// Days of 1m candles to keep (0: forever).
    pub retention_1m_days: u32,
    /// Days of 5m / 15m / 1h / 4h / 1d candles to keep (0: forever).
    #[serde(default = "d90")]
    pub retention_5m_days: u32,
    #[serde(default = "d180")]
    pub retention_15m_days: u32,
    #[serde(default = "d365")]
    pub retention_1h_days: u32,
    #[serde(default = "d1095")]
    pub retention_4h_days: u32,
    #[serde(default)]
    pub retention_1d_days: u32,
    /// The database file's size limit in MB: the oldest, finest candles go first (0: none).
    #[serde(default = "mb2048")]
    pub max_db_mb: u32,
    /// Candles kept per symbol and interval at most (0: no limit).
    #[serde(default = "n100k")]
    pub max_candles_per_series: u32,
    /// The local HTTP API on 127.0.0.1.
    pub local_api_enabled: bool,
    pub local_api_port: u16,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings {
            language: "system".into(),
            theme: "dark".into(),
            up_color: "green_up".into(),
            minimize_to_tray: true,
            retention_1m_days: 30,
            retention_5m_days: d90(),
            retention_15m_days: d180(),
            retention_1h_days: d365(),
            retention_4h_days: d1095(),
            retention_1d_days: 0,
            max_db_mb: mb2048(),
            max_candles_per_series: n100k(),
            local_api_enabled: false,
            local_api_port: 17_820,
        }
    }
}

// Defaults of the retention settings (settings saved before they existed read these).
fn d90() -> u32 {
    90
}
fn d180() -> u32 {
    180
}
fn d365() -> u32 {
    365
}
fn d1095() -> u32 {
    1095
}
fn mb2048() -> u32 {
    2048
}
fn n100k() -> u32 {
    100_000
}

/// The answer to "Test connection" of a data source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionTest {
    pub ok: bool,
    /// One paragraph for the user.
    pub summary: String,
    pub checks: Vec<ConnectionCheck>,
}

/// One interface tried: rows it returned, or why it failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}
