//! The replay feed: plays a recorded candle CSV at any speed, as if it were live.
//!
//! The formats found in real data dumps are detected from the file itself (see [`format`]):
//! Binance public-data klines with or without a header, Yahoo-style
//! `Date,Open,High,Low,Close,Adj Close,Volume`, and `date,open,high,low,close,volume` with its
//! many variants (an index column, ISO or epoch times, `Last` for close, newest-first order,
//! a banner line). A bad line is reported with its line and column, never skipped silently.

mod format;
mod parse;
mod run;

pub use format::{Format, Layout};
pub use parse::{load, parse, BadRow, Recording, ReplayError};
pub use run::{spawn, ReplayConfig};

pub const SOURCE: &str = "replay";

#[cfg(test)]
mod tests;
