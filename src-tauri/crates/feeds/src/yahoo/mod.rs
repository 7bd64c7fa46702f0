//! Yahoo Finance: global stocks, indices, FX and crypto, polled from the v8 chart endpoint
//! (no token). Symbols are `yahoo:AAPL`, `yahoo:0700.HK`, `yahoo:EURUSD=X`.
//!
//! messages.rs (wire) → parse.rs (candles, splits/dividends, market status) ; client.rs
//! (HTTP, User-Agent, 429) ; run.rs (the polling task with backoff).

mod client;
pub mod messages;
pub mod parse;
mod run;

pub use client::{ChartQuery, YahooClient, YahooError, DEFAULT_URL, URL_ENV, USER_AGENT};
pub use parse::{chart, market_status, Chart, MarketStatus, SplitEvent};
pub use run::{spawn, YahooConfig};

pub const SOURCE: &str = "yahoo";

/// Accepts `AAPL` or `yahoo:AAPL`; refuses what cannot be a Yahoo symbol.
pub fn parse_code(s: &str) -> Result<String, String> {
    let code = s
        .trim()
        .strip_prefix("yahoo:")
        .unwrap_or(s.trim())
        .to_string();
    let ok = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '=' | '^' | '_'));
    if ok {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(format!(
            "{s:?} is not a Yahoo Finance symbol (e.g. AAPL, 0700.HK, EURUSD=X, ^GSPC)"
        ))
    }
}
