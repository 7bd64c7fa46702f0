//! Tushare Pro: China A-shares, end-of-day. Daily bars (`daily`), per-day fundamentals
//! (`daily_basic`: turnover rate, volume ratio 量比, PE, PB, market cap; `moneyflow`: large
//! and extra-large order net inflow), the symbol list (`stock_basic`) and the trading
//! calendar (`trade_cal`), synced incrementally into the store and handed on as
//! `MarketEvent`s. Symbols are `tushare:000001.SZ`.
//!
//! messages.rs (wire) → parse.rs (domain) ; client.rs (HTTP + rate limiter) ; sync.rs (what
//! the DB lacks) ; calendar.rs (when data is due) ; run.rs (the task).

mod calendar;
mod client;
mod connection;
mod limiter;
pub mod messages;
pub mod parse;
mod pinyin;
mod run;
mod sync;

pub use calendar::{cst_date, fmt_cst, last_published, next_due, published_at};
pub use client::{params, TushareClient, TushareError, DEFAULT_URL, URL_ENV};
pub use connection::{test_connection, ConnectionReport};
pub use limiter::RateLimiter;
pub use pinyin::initials;
pub use run::{spawn, TokenSource, TushareConfig, TushareControl};
pub use sync::{SyncError, SyncReport, Syncer, DATASETS};

pub const SOURCE: &str = "tushare";
/// The calendar used for both Shanghai and Shenzhen (they share trading days).
pub const EXCHANGE: &str = "SSE";

/// `YYYYMMDD` → that date at 00:00 UTC, ms (the open time of its 1d bar).
pub fn date_ms(date: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
    if date.len() != 8 {
        return None;
    }
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

/// Accepts `000001.SZ` or `tushare:000001.SZ`; refuses anything else in words.
pub fn parse_code(s: &str) -> Result<String, String> {
    let code = s
        .trim()
        .strip_prefix("tushare:")
        .unwrap_or(s.trim())
        .to_ascii_uppercase();
    let ok = code.split_once('.').is_some_and(|(num, ex)| {
        num.len() == 6
            && num.bytes().all(|b| b.is_ascii_digit())
            && matches!(ex, "SH" | "SZ" | "BJ")
    });
    if ok {
        Ok(code)
    } else {
        Err(format!(
            "{s:?} is not a Tushare stock code (six digits and .SH, .SZ or .BJ, e.g. 000001.SZ)"
        ))
    }
}
