//! Backtests over recorded candles, with the live code paths:
//! - [`RuleReplay`] plays closed candles through a fresh [`crate::SeriesBook`] and
//!   [`crate::rules::RuleBook`] on a manual clock, exactly as the engine's series and rules
//!   stages do (the rule preview and the rule backtest both use it), and [`backtest_rules`]
//!   lists every fire with its forward returns, the hit rate and alerts per day;
//! - [`backtest_strategy`] trades a strategy whose entry and exit are rule conditions, compiled
//!   and evaluated by the rule code on the series book's closed-bar metrics.
//!
//! Both compute only the metrics their conditions read ([`Compute`]).
//!
//! The definitions of every figure are in `tw_core::backtest` and the README.

mod perf;
mod rules;
mod strategy;
mod templates;

pub use perf::{performance, Performance, YEAR_MS};
pub use rules::{backtest_rules, backtest_rules_with, RuleReplay, RuleRun};
pub use strategy::{
    backtest_strategy, backtest_strategy_from, backtest_strategy_with, DEFAULT_CURVE_POINTS,
};
pub use templates::{template, TEMPLATES};

use tw_core::{Candle, Interval};

/// How much of the series code a backtest runs. The results are the same either way: a
/// metric a condition reads is computed by the same code, in the same state, whatever else
/// is computed beside it (see `series::Demand`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Compute {
    /// Only the stages whose metrics the conditions read, on the intervals they read them.
    #[default]
    Read,
    /// Every metric on every interval built, as the live engine computes them.
    Everything,
}

/// What stops a backtest, in words that name the bad input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BacktestError {
    #[error("{0}")]
    Invalid(String),
    #[error("no candles to backtest")]
    NoData,
}

fn invalid(msg: impl Into<String>) -> BacktestError {
    BacktestError::Invalid(msg.into())
}

/// The one interval of a candle series (all bars must share it).
fn data_interval(candles: &[Candle]) -> Result<Interval, BacktestError> {
    let first = candles.first().ok_or(BacktestError::NoData)?;
    if let Some(c) = candles.iter().find(|c| c.interval != first.interval) {
        return Err(invalid(format!(
            "the candles mix intervals ({} and {} bars of {})",
            first.interval, c.interval, c.symbol
        )));
    }
    Ok(first.interval)
}

/// Whether bars of `data` can be rolled up into `want` (or are `want`).
fn reachable(data: Interval, want: Interval) -> bool {
    want.millis() >= data.millis() && want.millis() % data.millis() == 0
}

#[cfg(test)]
mod tests;
