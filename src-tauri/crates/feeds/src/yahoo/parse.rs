//! A chart result → candles, corporate actions and what the market is doing.
//!
//! Yahoo's OHLC is split-adjusted (not dividend-adjusted); a bar with a `null` price (a
//! halted minute, a gap in the feed) is skipped, never filled with zero. A `null` volume (FX,
//! indices) is 0.

use super::messages::{ChartResult, Meta};
use super::SOURCE;
use tw_core::{Candle, Interval, Symbol};

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub symbol: Symbol,
    pub interval: Interval,
    pub candles: Vec<Candle>,
    /// Bars skipped because a price was `null`.
    pub null_bars: usize,
    pub splits: Vec<SplitEvent>,
    pub dividends: Vec<(i64, f64)>,
}

/// A split: `numerator:denominator` (4:1) on `date_ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitEvent {
    pub date_ms: i64,
    pub numerator: f64,
    pub denominator: f64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ChartParseError {
    #[error("{symbol}: the chart has {n} timestamps but {field} has {m} values")]
    Length {
        symbol: String,
        field: &'static str,
        n: usize,
        m: usize,
    },
    #[error("{symbol}: unknown bar size {granularity:?}")]
    Granularity { symbol: String, granularity: String },
}

pub fn interval_of(granularity: &str) -> Option<Interval> {
    match granularity {
        "1m" => Some(Interval::M1),
        "5m" => Some(Interval::M5),
        "15m" => Some(Interval::M15),
        "60m" | "1h" => Some(Interval::H1),
        "1d" => Some(Interval::D1),
        _ => None,
    }
}

/// `symbol` is Yahoo's code (`AAPL`, `0700.HK`); `now_ms` decides whether the last bar is
/// still forming.
pub fn chart(r: &ChartResult, now_ms: i64) -> Result<Chart, ChartParseError> {
    let meta = &r.meta;
    let symbol = Symbol::new(SOURCE, &meta.symbol);
    let granularity = meta.data_granularity.clone().unwrap_or_else(|| "1d".into());
    let interval = interval_of(&granularity).ok_or_else(|| ChartParseError::Granularity {
        symbol: meta.symbol.clone(),
        granularity: granularity.clone(),
    })?;
    let ts = r.timestamp.as_deref().unwrap_or(&[]);
    let empty = Default::default();
    let q = r.indicators.quote.first().unwrap_or(&empty);
    let mut candles = Vec::with_capacity(ts.len());
    let mut null_bars = 0;
    if !ts.is_empty() {
        for (field, v) in [
            ("open", &q.open),
            ("high", &q.high),
            ("low", &q.low),
            ("close", &q.close),
        ] {
            if v.len() != ts.len() {
                return Err(ChartParseError::Length {
                    symbol: meta.symbol.clone(),
                    field,
                    n: ts.len(),
                    m: v.len(),
                });
            }
        }
    }
    for (i, &t) in ts.iter().enumerate() {
        let (Some(open), Some(high), Some(low), Some(close)) =
            (q.open[i], q.high[i], q.low[i], q.close[i])
        else {
            null_bars += 1;
            continue;
        };
        // Daily bars are stamped at the session open (13:30 UTC for New York); the bar's
        // day is the exchange-local date, which is the UTC date of that instant + gmtoffset.
        let open_time = if interval == Interval::D1 {
            let offset = meta
                .current_trading_period
                .as_ref()
                .map(|p| p.regular.gmtoffset)
                .unwrap_or(0);
            Interval::D1.floor((t + offset) * 1000)
        } else {
            interval.floor(t * 1000)
        };
        let volume = q.volume.get(i).copied().flatten().unwrap_or(0.0);
        let closed = open_time + interval.millis() <= now_ms
            || (interval == Interval::D1 && session_over(meta, now_ms));
        candles.push(Candle {
            symbol: symbol.clone(),
            interval,
            open_time,
            open,
            high,
            low,
            close,
            volume,
            quote_volume: volume * close,
            trades: 0,
            closed,
        });
    }
    candles.dedup_by_key(|c| c.open_time);
    let (mut splits, mut dividends) = (Vec::new(), Vec::new());
    if let Some(ev) = &r.events {
        for s in ev.splits.values() {
            splits.push(SplitEvent {
                date_ms: s.date * 1000,
                numerator: s.numerator,
                denominator: s.denominator,
            });
        }
        for d in ev.dividends.values() {
            dividends.push((d.date * 1000, d.amount));
        }
    }
    Ok(Chart {
        symbol,
        interval,
        candles,
        null_bars,
        splits,
        dividends,
    })
}

/// The day's regular session has ended (a daily bar of today is final).
fn session_over(meta: &Meta, now_ms: i64) -> bool {
    meta.current_trading_period
        .as_ref()
        .is_some_and(|p| now_ms >= p.regular.end * 1000)
}

/// What the market is doing, judged by the exchange's own session times.
#[derive(Debug, Clone, PartialEq)]
pub enum MarketStatus {
    /// In the regular session and the last trade is recent enough.
    Open { delayed_min: i64 },
    /// In the regular session, but no trade for longer than the data delay allows.
    Stale {
        last_trade_ms: i64,
        delayed_min: i64,
    },
    /// Outside the regular session: no new data is expected until `opens_ms` (if known).
    Closed { opens_ms: Option<i64> },
}

/// How long a quiet spell in the session may last before the data counts as stale.
pub const STALE_AFTER_MS: i64 = 5 * 60_000;

pub fn market_status(meta: &Meta, now_ms: i64) -> MarketStatus {
    let delayed_min = meta.exchange_data_delayed_by.unwrap_or(0).max(0);
    let Some(p) = &meta.current_trading_period else {
        return MarketStatus::Closed { opens_ms: None };
    };
    let (start, end) = (p.regular.start * 1000, p.regular.end * 1000);
    if now_ms < start {
        return MarketStatus::Closed {
            opens_ms: Some(start),
        };
    }
    if now_ms >= end {
        return MarketStatus::Closed { opens_ms: None };
    }
    let last = meta.regular_market_time.unwrap_or(0) * 1000;
    if now_ms - last > delayed_min * 60_000 + STALE_AFTER_MS {
        MarketStatus::Stale {
            last_trade_ms: last,
            delayed_min,
        }
    } else {
        MarketStatus::Open { delayed_min }
    }
}
