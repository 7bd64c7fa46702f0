//! Binance wire types: a serde mirror of the JSON that spot and USDⓈ-M futures send. Nothing
//! here is a domain type; `parse.rs` turns these into `MarketEvent`s. Prices and quantities
//! arrive as decimal strings and are kept as `&str`/`String` until parsing, so a bad number
//! is reported with its field name instead of failing inside serde.

use serde::Deserialize;

/// The combined-stream wrapper (`/stream?streams=a/b`):
/// ```json
/// {"stream":"ethusdt@aggTrade","data":{"e":"aggTrade","E":1675759520848,"s":"ETHUSDT", ...}}
/// ```
/// Control replies (`{"result":null,"id":1}`) and `serverShutdown` arrive without it.
#[derive(Debug, Deserialize)]
pub struct Combined<'a> {
    #[serde(borrow)]
    pub stream: &'a str,
    #[serde(borrow)]
    pub data: &'a serde_json::value::RawValue,
}

/// Just the event type of a payload, read first so unknown events can be skipped cheaply.
#[derive(Debug, Deserialize)]
pub struct EventTag<'a> {
    #[serde(rename = "e", borrow, default)]
    pub event: Option<&'a str>,
}

/// A kline (candlestick) stream event, spot and futures alike:
/// ```json
/// {"e":"kline","E":1638747660000,"s":"BTCUSDT",
///  "k":{"t":1638747660000,"T":1638747719999,"s":"BTCUSDT","i":"1m","f":100,"L":200,
///       "o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,
///       "q":"1.0000","V":"500","Q":"0.500","B":"123456"}}
/// ```
/// `x` is true only on the last update of a bar: the bar is closed and final.
#[derive(Debug, Deserialize)]
pub struct KlineEvent<'a> {
    #[serde(rename = "E")]
    pub event_time: i64,
    #[serde(rename = "s", borrow)]
    pub symbol: &'a str,
    #[serde(rename = "k", borrow)]
    pub kline: KlineBody<'a>,
}

#[derive(Debug, Deserialize)]
pub struct KlineBody<'a> {
    #[serde(rename = "t")]
    pub open_time: i64,
    #[serde(rename = "T")]
    pub close_time: i64,
    #[serde(rename = "i", borrow)]
    pub interval: &'a str,
    #[serde(rename = "o", borrow)]
    pub open: &'a str,
    #[serde(rename = "h", borrow)]
    pub high: &'a str,
    #[serde(rename = "l", borrow)]
    pub low: &'a str,
    #[serde(rename = "c", borrow)]
    pub close: &'a str,
    #[serde(rename = "v", borrow)]
    pub volume: &'a str,
    #[serde(rename = "q", borrow)]
    pub quote_volume: &'a str,
    #[serde(rename = "n")]
    pub trades: u64,
    #[serde(rename = "x")]
    pub closed: bool,
}

/// An aggregate-trade stream event:
/// ```json
/// {"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.001","q":"100",
///  "f":100,"l":105,"T":1672515782136,"m":true,"M":true}
/// ```
/// (futures add `"nq"`, the quantity without RPI orders; it is ignored.)
#[derive(Debug, Deserialize)]
pub struct AggTradeEvent<'a> {
    #[serde(rename = "s", borrow)]
    pub symbol: &'a str,
    #[serde(rename = "p", borrow)]
    pub price: &'a str,
    #[serde(rename = "q", borrow)]
    pub qty: &'a str,
    #[serde(rename = "T")]
    pub trade_time: i64,
}

/// Sent before the server closes connections for maintenance:
/// ```json
/// {"e":"serverShutdown","E":1770123456789}
/// ```
#[derive(Debug, Deserialize)]
pub struct ServerShutdownEvent {
    #[serde(rename = "E")]
    pub event_time: i64,
}

/// Reply to a SUBSCRIBE/UNSUBSCRIBE request: `{"result":null,"id":1}`; an error reply is
/// `{"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":1}`.
#[derive(Debug, Deserialize)]
pub struct ControlReply {
    pub id: Option<u64>,
    #[serde(default)]
    pub error: Option<ControlError>,
}

#[derive(Debug, Deserialize)]
pub struct ControlError {
    pub code: i64,
    pub msg: String,
}

/// A request on an open stream connection:
/// `{"method":"SUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@depth"],"id":1}`.
#[derive(Debug, serde::Serialize)]
pub struct ControlRequest<'a> {
    pub method: &'a str,
    pub params: &'a [String],
    pub id: u64,
}

/// A REST kline row (`/api/v3/klines`, `/fapi/v1/klines`):
/// ```json
/// [1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",
///  1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","17928899.62484339"]
/// ```
/// open time, open, high, low, close, volume, close time, quote volume, trades, taker buy
/// base, taker buy quote, ignore.
#[derive(Debug, Deserialize)]
pub struct KlineRow(
    pub i64,
    pub String,
    pub String,
    pub String,
    pub String,
    pub String,
    pub i64,
    pub String,
    pub u64,
    pub serde_json::Value,
    pub serde_json::Value,
    pub serde_json::Value,
);

/// One entry of `/fapi/v1/ticker/24hr` or `/api/v3/ticker/24hr` (array form, no symbol):
/// ```json
/// {"symbol":"BTCUSDT","priceChange":"-94.99999800","priceChangePercent":"-95.960",
///  "weightedAvgPrice":"0.29628482","lastPrice":"4.00000200","lastQty":"200.00000000",
///  "openPrice":"99.00000000","highPrice":"100.00000000","lowPrice":"0.10000000",
///  "volume":"8913.30000000","quoteVolume":"15.30000000","openTime":1499783499040,
///  "closeTime":1499869899040,"firstId":28385,"lastId":28460,"count":76}
/// ```
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticker24h {
    pub symbol: String,
    pub quote_volume: String,
    #[serde(default)]
    pub last_price: Option<String>,
}

/// `/api/v3/exchangeInfo` and `/fapi/v1/exchangeInfo`, trimmed to what the universe needs:
/// ```json
/// {"timezone":"UTC","serverTime":1645241796000,"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT",
///  "interval":"MINUTE","intervalNum":1,"limit":2400}, ...],
///  "symbols":[{"symbol":"BTCUSDT","status":"TRADING","contractType":"PERPETUAL",
///              "baseAsset":"BTC","quoteAsset":"USDT","pricePrecision":2, ...}]}
/// ```
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeInfo {
    #[serde(default)]
    pub rate_limits: Vec<RateLimit>,
    pub symbols: Vec<SymbolInfo>,
}

/// The docs' spot example lists `{}` placeholders here, so every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RateLimit {
    pub rate_limit_type: String,
    pub interval: String,
    pub interval_num: u32,
    pub limit: u32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SymbolInfo {
    pub symbol: String,
    pub status: String,
    #[serde(default)]
    pub quote_asset: Option<String>,
    /// Futures only: `PERPETUAL`, `CURRENT_QUARTER`, …
    #[serde(default)]
    pub contract_type: Option<String>,
    /// Futures only.
    #[serde(default)]
    pub price_precision: Option<u32>,
    /// Spot only.
    #[serde(default)]
    pub quote_asset_precision: Option<u32>,
}

/// `/fapi/v1/openInterest?symbol=BTCUSDT`:
/// ```json
/// {"openInterest":"10659.509","symbol":"BTCUSDT","time":1589437530011}
/// ```
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenInterest {
    pub open_interest: String,
    pub symbol: String,
    pub time: i64,
}

/// The body of a REST error: `{"code":-1121,"msg":"Invalid symbol."}`.
#[derive(Debug, Deserialize)]
pub struct RestError {
    pub code: i64,
    pub msg: String,
}
