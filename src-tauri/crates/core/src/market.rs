//! Market data as every feed normalises it.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// A symbol is `source:CODE`, e.g. `binance-usdm:BTCUSDT`, `demo:ALPHA`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Symbol(String);

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SymbolError {
    #[error("symbol {0:?} must look like source:CODE (for example demo:ALPHA)")]
    Shape(String),
}

impl Symbol {
    pub fn parse(s: &str) -> Result<Self, SymbolError> {
        let s = s.trim();
        match s.split_once(':') {
            Some((src, code))
                if !src.is_empty()
                    && !code.is_empty()
                    && src
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !code.contains(char::is_whitespace) =>
            {
                Ok(Symbol(s.to_string()))
            }
            _ => Err(SymbolError::Shape(s.to_string())),
        }
    }
    pub fn new(source: &str, code: &str) -> Self {
        Symbol(format!("{source}:{code}"))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn source(&self) -> &str {
        self.0.split_once(':').map(|(s, _)| s).unwrap_or("")
    }
    pub fn code(&self) -> &str {
        self.0.split_once(':').map(|(_, c)| c).unwrap_or("")
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl TryFrom<String> for Symbol {
    type Error = SymbolError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Symbol::parse(&s)
    }
}
impl From<Symbol> for String {
    fn from(s: Symbol) -> String {
        s.0
    }
}

/// Candle intervals, finest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum Interval {
    #[serde(rename = "1m")]
    M1,
    #[serde(rename = "5m")]
    M5,
    #[serde(rename = "15m")]
    M15,
    #[serde(rename = "1h")]
    H1,
    #[serde(rename = "4h")]
    H4,
    #[serde(rename = "1d")]
    D1,
}

impl Interval {
    pub const ALL: [Interval; 6] = [
        Interval::M1,
        Interval::M5,
        Interval::M15,
        Interval::H1,
        Interval::H4,
        Interval::D1,
    ];
    pub fn millis(self) -> i64 {
        const MIN: i64 = 60_000;
        match self {
            Interval::M1 => MIN,
            Interval::M5 => 5 * MIN,
            Interval::M15 => 15 * MIN,
            Interval::H1 => 60 * MIN,
            Interval::H4 => 240 * MIN,
            Interval::D1 => 1440 * MIN,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::M1 => "1m",
            Interval::M5 => "5m",
            Interval::M15 => "15m",
            Interval::H1 => "1h",
            Interval::H4 => "4h",
            Interval::D1 => "1d",
        }
    }
    pub fn parse(s: &str) -> Option<Interval> {
        Interval::ALL.into_iter().find(|i| i.as_str() == s)
    }
    /// Start of the bar that contains `ts_ms` (UTC-aligned).
    pub fn floor(self, ts_ms: i64) -> i64 {
        ts_ms - ts_ms.rem_euclid(self.millis())
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One print on the tape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trade {
    pub symbol: Symbol,
    pub ts_ms: i64,
    pub price: f64,
    pub qty: f64,
}

/// An OHLCV bar. `closed` is false while the bar is still forming.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Candle {
    #[ts(type = "string")]
    pub symbol: Symbol,
    pub interval: Interval,
    /// Bar open time, ms since the Unix epoch (UTC).
    #[ts(type = "number")]
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

impl Candle {
    pub fn from_trade(t: &Trade, interval: Interval) -> Candle {
        Candle {
            symbol: t.symbol.clone(),
            interval,
            open_time: interval.floor(t.ts_ms),
            open: t.price,
            high: t.price,
            low: t.price,
            close: t.price,
            volume: t.qty,
            quote_volume: t.qty * t.price,
            trades: 1,
            closed: false,
        }
    }
    pub fn apply(&mut self, t: &Trade) {
        self.high = self.high.max(t.price);
        self.low = self.low.min(t.price);
        self.close = t.price;
        self.volume += t.qty;
        self.quote_volume += t.qty * t.price;
        self.trades += 1;
    }
    pub fn close_time(&self) -> i64 {
        self.open_time + self.interval.millis()
    }
}

/// What a feed emits: the one normalised vocabulary of every venue.
#[derive(Clone, Debug, PartialEq)]
pub enum MarketEvent {
    Trade(Trade),
    /// A candle the source built itself (live: `closed` says whether it is final).
    Candle(Candle),
    /// A closed historical candle (REST back-fill, simulated history): stored and used to
    /// warm detectors, never evaluated by rules as if it happened now.
    Backfill(Candle),
    /// The feed lost its connection (or had a gap): detectors reset, rules do not score
    /// across it.
    Reconnecting {
        source: String,
        at_ms: i64,
    },
    /// The source's clock has reached `at_ms`: every bar that ends at or before it is final,
    /// even if no trade arrived after its end.
    Heartbeat {
        source: String,
        at_ms: i64,
    },
    /// Per-day figures of an instrument that are not part of a candle (turnover rate, volume
    /// ratio 量比, PE, PB, market cap, money-flow net inflow).
    Fundamentals(Fundamentals),
    /// Open interest of a derivatives contract (outstanding contracts, in base units) as the
    /// source reported it at `ts_ms`; analytics turns it into `open_interest`/`oi_change_pct`.
    OpenInterest {
        symbol: Symbol,
        ts_ms: i64,
        value: f64,
    },
}

/// Figures a source publishes once per trading day, keyed like the day's 1d candle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fundamentals {
    pub symbol: Symbol,
    /// Open time of the trading day's 1d bar (the date at 00:00 UTC), ms.
    pub day_ms: i64,
    /// Metric name → value (`turnover_rate`, `volume_ratio`, `pe`, `pb`, `total_mv`, …). A
    /// value the source did not publish is left out, never sent as zero.
    pub values: Vec<(String, f64)>,
    /// True for history (sync of past days): stored and used for warm-up, never evaluated by
    /// rules as if it happened now.
    pub backfill: bool,
}

impl MarketEvent {
    pub fn symbol(&self) -> Option<&Symbol> {
        match self {
            MarketEvent::Trade(t) => Some(&t.symbol),
            MarketEvent::Candle(c) | MarketEvent::Backfill(c) => Some(&c.symbol),
            MarketEvent::Fundamentals(f) => Some(&f.symbol),
            MarketEvent::OpenInterest { symbol, .. } => Some(symbol),
            MarketEvent::Reconnecting { .. } | MarketEvent::Heartbeat { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_need_source_and_code() {
        assert_eq!(Symbol::parse("demo:ALPHA").unwrap().code(), "ALPHA");
        assert_eq!(
            Symbol::parse("binance-usdm:BTCUSDT").unwrap().source(),
            "binance-usdm"
        );
        for bad in ["ALPHA", "demo:", ":ALPHA", "Demo:ALPHA", "demo:AL PHA", ""] {
            assert!(Symbol::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn interval_floor_aligns_to_utc_bars() {
        let t = 1_700_000_123_456;
        assert_eq!(Interval::M1.floor(t), 1_700_000_100_000);
        assert_eq!(Interval::H1.floor(t) % 3_600_000, 0);
        assert_eq!(Interval::parse("15m"), Some(Interval::M15));
        assert_eq!(Interval::parse("2m"), None);
        assert_eq!(serde_json::to_string(&Interval::D1).unwrap(), "\"1d\"");
    }
}
