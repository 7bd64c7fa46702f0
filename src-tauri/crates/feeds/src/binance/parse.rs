//! Wire → domain: Binance JSON into `Candle`s, `Trade`s and control signals. Every error
//! names the field and the value that were wrong, so a bad frame is logged usefully and
//! skipped without taking the connection down.

use super::messages::{
    AggTradeEvent, Combined, ControlReply, EventTag, ExchangeInfo, KlineEvent, KlineRow,
    OpenInterest, RestError, ServerShutdownEvent, Ticker24h,
};
use tw_core::{Candle, Interval, Symbol, Trade};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ParseError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("field {field}: {value:?} is not a number")]
    Number { field: &'static str, value: String },
    #[error("interval {0:?} is not one Tickwarden uses (1m 5m 15m 1h 4h 1d)")]
    Interval(String),
    #[error("{what}: {detail}")]
    Shape { what: &'static str, detail: String },
}

/// What one stream frame means.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A kline update; `closed` comes from the `x` flag. `event_ms` is when Binance sent it
    /// (`E`), for the feed's lag.
    Kline {
        candle: Candle,
        event_ms: i64,
    },
    Trade(Trade),
    /// The server will close this connection soon: move to a new one now.
    ServerShutdown {
        at_ms: i64,
    },
    /// Reply to a SUBSCRIBE/UNSUBSCRIBE request.
    Reply {
        id: Option<u64>,
        error: Option<String>,
    },
    /// Valid JSON of an event this feed does not use (it is counted, not an error).
    Unknown {
        event: String,
    },
}

fn num(field: &'static str, s: &str) -> Result<f64, ParseError> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(ParseError::Number {
            field,
            value: s.to_string(),
        }),
    }
}

fn json_err(e: serde_json::Error) -> ParseError {
    ParseError::Json(e.to_string())
}

/// Parses one text frame of a raw or combined stream. `source` is the Tickwarden source name
/// (`binance-usdm`, `binance-spot`) that prefixes every symbol.
pub fn parse_frame(source: &str, text: &str) -> Result<Frame, ParseError> {
    // A combined frame wraps the payload; peel it once and parse the inside.
    let payload = if is_combined(text) {
        let c: Combined = serde_json::from_str(text).map_err(json_err)?;
        c.data.get()
    } else {
        text
    };
    let tag: EventTag = serde_json::from_str(payload).map_err(json_err)?;
    match tag.event {
        Some("kline") => {
            let k: KlineEvent = serde_json::from_str(payload).map_err(json_err)?;
            Ok(Frame::Kline {
                candle: kline_event(source, &k)?,
                event_ms: k.event_time,
            })
        }
        Some("aggTrade") | Some("trade") => {
            let t: AggTradeEvent = serde_json::from_str(payload).map_err(json_err)?;
            Ok(Frame::Trade(Trade {
                symbol: Symbol::new(source, t.symbol),
                ts_ms: t.trade_time,
                price: num("p", t.price)?,
                qty: num("q", t.qty)?,
            }))
        }
        Some("serverShutdown") => {
            let s: ServerShutdownEvent = serde_json::from_str(payload).map_err(json_err)?;
            Ok(Frame::ServerShutdown {
                at_ms: s.event_time,
            })
        }
        Some(other) => Ok(Frame::Unknown {
            event: other.to_string(),
        }),
        None => {
            let r: ControlReply = serde_json::from_str(payload).map_err(json_err)?;
            if r.id.is_none() && r.error.is_none() {
                // Valid JSON without an event type (bookTicker, depth snapshots): not ours.
                return Ok(Frame::Unknown {
                    event: String::new(),
                });
            }
            Ok(Frame::Reply {
                id: r.id,
                error: r.error.map(|e| format!("{} (code {})", e.msg, e.code)),
            })
        }
    }
}

/// Binance puts `"stream"` first in a combined frame; checking the prefix avoids parsing
/// every frame twice.
fn is_combined(text: &str) -> bool {
    text.trim_start()
        .strip_prefix('{')
        .is_some_and(|r| r.trim_start().starts_with("\"stream\""))
}

fn kline_event(source: &str, k: &KlineEvent) -> Result<Candle, ParseError> {
    let b = &k.kline;
    let interval =
        Interval::parse(b.interval).ok_or_else(|| ParseError::Interval(b.interval.to_string()))?;
    if b.close_time <= b.open_time {
        return Err(ParseError::Shape {
            what: "kline",
            detail: format!(
                "close time {} is not after open time {}",
                b.close_time, b.open_time
            ),
        });
    }
    Ok(Candle {
        symbol: Symbol::new(source, k.symbol),
        interval,
        open_time: b.open_time,
        open: num("k.o", b.open)?,
        high: num("k.h", b.high)?,
        low: num("k.l", b.low)?,
        close: num("k.c", b.close)?,
        volume: num("k.v", b.volume)?,
        quote_volume: num("k.q", b.quote_volume)?,
        trades: b.trades.min(u32::MAX as u64) as u32,
        closed: b.closed,
    })
}

/// Parses a REST klines body. A row is marked closed when its close time is before `now_ms`
/// (the last row of a range that reaches the present is the bar still forming).
pub fn parse_klines(
    symbol: &Symbol,
    interval: Interval,
    body: &str,
    now_ms: i64,
) -> Result<Vec<Candle>, ParseError> {
    let rows: Vec<KlineRow> = serde_json::from_str(body).map_err(json_err)?;
    rows.into_iter()
        .map(|r| {
            if r.6 - r.0 + 1 != interval.millis() {
                return Err(ParseError::Shape {
                    what: "kline row",
                    detail: format!("bar {}..{} is not one {} bar", r.0, r.6, interval.as_str()),
                });
            }
            Ok(Candle {
                symbol: symbol.clone(),
                interval,
                open_time: r.0,
                open: num("open", &r.1)?,
                high: num("high", &r.2)?,
                low: num("low", &r.3)?,
                close: num("close", &r.4)?,
                volume: num("volume", &r.5)?,
                quote_volume: num("quoteVolume", &r.7)?,
                trades: r.8.min(u32::MAX as u64) as u32,
                closed: r.6 < now_ms,
            })
        })
        .collect()
}

/// `(symbol code, 24h quote volume)` of every ticker in a `/ticker/24hr` array.
pub fn parse_tickers(body: &str) -> Result<Vec<(String, f64)>, ParseError> {
    let rows: Vec<Ticker24h> = serde_json::from_str(body).map_err(json_err)?;
    rows.into_iter()
        .map(|t| Ok((t.symbol, num("quoteVolume", &t.quote_volume)?)))
        .collect()
}

pub fn parse_exchange_info(body: &str) -> Result<ExchangeInfo, ParseError> {
    serde_json::from_str(body).map_err(json_err)
}

/// `(symbol code, time, open interest)`.
pub fn parse_open_interest(body: &str) -> Result<(String, i64, f64), ParseError> {
    let oi: OpenInterest = serde_json::from_str(body).map_err(json_err)?;
    let v = num("openInterest", &oi.open_interest)?;
    Ok((oi.symbol, oi.time, v))
}

/// The `msg` of a REST error body, if the body is one.
pub fn parse_rest_error(body: &str) -> Option<String> {
    serde_json::from_str::<RestError>(body)
        .ok()
        .map(|e| format!("{} (code {})", e.msg, e.code))
}
