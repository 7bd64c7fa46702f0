//! Yahoo Finance v8 chart wire types (`GET /v8/finance/chart/{symbol}`), as recorded in
//! `../shared/data/protocol/yahoo_v8_chart/`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// ```json
/// {"chart": {"result": [{"meta": {…}, "timestamp": [1577975400],
///   "indicators": {"quote": [{"open": [74.06], "high": [75.15], "low": [73.80],
///                             "close": [75.09], "volume": [135480400]}],
///                  "adjclose": [{"adjclose": [72.72]}]},
///   "events": {"splits": {"1598880600": {"date": 1598880600, "numerator": 4,
///                                         "denominator": 1, "splitRatio": "4:1"}},
///              "dividends": {"1604673000": {"amount": 0.205, "date": 1604673000}}}}],
///   "error": null}}
/// ```
/// An unknown symbol answers 404 with
/// `{"chart": {"result": null, "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"}}}`.
#[derive(Deserialize, Debug)]
pub struct Envelope {
    pub chart: Chart,
}

#[derive(Deserialize, Debug)]
pub struct Chart {
    #[serde(default)]
    pub result: Option<Vec<ChartResult>>,
    #[serde(default)]
    pub error: Option<ChartError>,
}

#[derive(Deserialize, Debug)]
pub struct ChartError {
    pub code: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Deserialize, Debug)]
pub struct ChartResult {
    pub meta: Meta,
    /// Absent when there is no bar in the range (a weekend, a holiday).
    #[serde(default)]
    pub timestamp: Option<Vec<i64>>,
    pub indicators: Indicators,
    #[serde(default)]
    pub events: Option<Events>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub symbol: String,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub exchange_name: Option<String>,
    #[serde(default)]
    pub full_exchange_name: Option<String>,
    #[serde(default)]
    pub instrument_type: Option<String>,
    #[serde(default)]
    pub exchange_timezone_name: Option<String>,
    /// Seconds UTC of the last regular-session trade.
    #[serde(default)]
    pub regular_market_time: Option<i64>,
    #[serde(default)]
    pub regular_market_price: Option<f64>,
    #[serde(default)]
    pub long_name: Option<String>,
    #[serde(default)]
    pub short_name: Option<String>,
    #[serde(default)]
    pub data_granularity: Option<String>,
    #[serde(default)]
    pub current_trading_period: Option<TradingPeriods>,
    /// Minutes the exchange's data is delayed by (sent for delayed exchanges).
    #[serde(default)]
    pub exchange_data_delayed_by: Option<i64>,
}

#[derive(Deserialize, Debug, Clone)]
pub struct TradingPeriods {
    #[serde(default)]
    pub pre: Option<Period>,
    pub regular: Period,
    #[serde(default)]
    pub post: Option<Period>,
}

/// `{"timezone": "EST", "start": 1740061800, "end": 1740085200, "gmtoffset": -18000}`
#[derive(Deserialize, Debug, Clone, Copy)]
pub struct Period {
    pub start: i64,
    pub end: i64,
    #[serde(default)]
    pub gmtoffset: i64,
}

#[derive(Deserialize, Debug)]
pub struct Indicators {
    /// One entry; it is `{}` when there are no bars. Values may be `null` inside the arrays.
    #[serde(default)]
    pub quote: Vec<Quote>,
}

#[derive(Deserialize, Debug, Default)]
pub struct Quote {
    #[serde(default)]
    pub open: Vec<Option<f64>>,
    #[serde(default)]
    pub high: Vec<Option<f64>>,
    #[serde(default)]
    pub low: Vec<Option<f64>>,
    #[serde(default)]
    pub close: Vec<Option<f64>>,
    #[serde(default)]
    pub volume: Vec<Option<f64>>,
}

#[derive(Deserialize, Debug, Default)]
pub struct Events {
    #[serde(default)]
    pub splits: BTreeMap<String, Split>,
    #[serde(default)]
    pub dividends: BTreeMap<String, Dividend>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Split {
    pub date: i64,
    pub numerator: f64,
    pub denominator: f64,
    #[serde(default)]
    pub split_ratio: Option<String>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
pub struct Dividend {
    pub date: i64,
    pub amount: f64,
}
