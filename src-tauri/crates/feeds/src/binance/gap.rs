//! Back-filling gaps over REST: after a start, a reconnect or a missed bar, fetch the closed
//! candles the local database lacks, and nothing else.

use super::parse::parse_klines;
use super::rest::RestClient;
use super::Venue;
use std::future::Future;
use std::pin::Pin;
use tw_core::{Candle, Interval, Symbol};

pub type HistoryFuture<'a> = Pin<Box<dyn Future<Output = Result<Option<i64>, String>> + Send + 'a>>;

/// What the local database already holds, so a feed back-fills only what is missing. The
/// engine implements it over the store; tw-feeds does not depend on the store.
pub trait CandleHistory: Send + Sync + 'static {
    /// Open time of the newest closed candle stored for `symbol` at `interval`.
    fn last_closed(&self, symbol: &Symbol, interval: Interval) -> HistoryFuture<'_>;
}

/// A history that knows nothing (every start back-fills the configured window).
pub struct NoHistory;

impl CandleHistory for NoHistory {
    fn last_closed(&self, _: &Symbol, _: Interval) -> HistoryFuture<'_> {
        Box::pin(async { Ok(None) })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GapError {
    #[error(transparent)]
    Rest(#[from] super::rest::RestError),
    #[error("klines of {symbol}: {source}")]
    Parse {
        symbol: String,
        source: super::parse::ParseError,
    },
}

/// Fetches the closed candles of `symbol` at `interval` from `from_ms` (an open time) up to
/// the present, oldest first, in as few and as light requests as the gap allows.
pub(crate) async fn fetch_closed(
    rest: &RestClient,
    venue: Venue,
    symbol: &Symbol,
    interval: Interval,
    mut from_ms: i64,
    now_ms: impl Fn() -> i64,
) -> Result<Vec<Candle>, GapError> {
    let step = interval.millis();
    let mut out = Vec::new();
    loop {
        let now = now_ms();
        // Bars that have closed since `from_ms`, plus the forming one the answer includes.
        let wanted = ((now - from_ms) / step + 1).max(1) as u32;
        if now < from_ms + step {
            break; // nothing closed yet
        }
        let limit = wanted.min(venue.max_klines());
        let path = format!(
            "{}?symbol={}&interval={}&startTime={}&limit={}",
            venue.path(super::Path::Klines),
            symbol.code(),
            interval.as_str(),
            from_ms,
            limit
        );
        let body = rest.get(&path, venue.klines_weight(limit)).await?;
        let rows =
            parse_klines(symbol, interval, &body, now_ms()).map_err(|source| GapError::Parse {
                symbol: symbol.to_string(),
                source,
            })?;
        let got = rows.len() as u32;
        let mut last_closed = None;
        for c in rows {
            if c.closed && c.open_time >= from_ms {
                last_closed = Some(c.open_time);
                out.push(c);
            }
        }
        match last_closed {
            // A full page that ended on closed bars: there may be more.
            Some(t) if got == limit && limit == venue.max_klines() => from_ms = t + step,
            _ => break,
        }
    }
    Ok(out)
}
