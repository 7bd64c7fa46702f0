//! Backtests for the CLI, the shell and the rule editor: rules and strategies over stored
//! history or a candle CSV, through `tw_analytics::backtest` — the live series and rule code,
//! on a manual clock. A CSV is read by the replay feed's reader, so `backtest`, `scan` and
//! `headless --replay` accept the same files and name the same bad lines.

use crate::{EngineError, EngineHandle};
use std::path::Path;
use tw_analytics::backtest::{self as bt, BacktestError, RuleRun};
use tw_analytics::rules::BreakerConfig;
use tw_core::backtest::{
    Direction, RuleBacktestReport, RuleBacktestRequest, StrategyBacktestRequest, StrategyReport,
    StrategySpec,
};
use tw_core::rule::RuleSpec;
use tw_core::{Candle, Interval, Symbol};

pub use tw_analytics::backtest::{template, DEFAULT_CURVE_POINTS, TEMPLATES};

/// Bars before `from` that warm the indicators up in a stored-history backtest.
pub const BACKTEST_WARM_UP_BARS: i64 = 300;
/// Most symbols one stored-history rule backtest replays.
pub const MAX_BACKTEST_SYMBOLS: usize = 50;

fn bad(msg: impl Into<String>) -> EngineError {
    EngineError::InvalidInput(msg.into())
}

impl From<BacktestError> for EngineError {
    fn from(e: BacktestError) -> Self {
        EngineError::InvalidInput(e.to_string())
    }
}

/// A candle CSV (Binance klines, Yahoo, `date,open,high,low,close,volume`…), read by the
/// replay feed's reader. Bad lines are skipped and listed in the recording's `bad_rows`.
pub fn load_candle_csv(path: &Path) -> Result<tw_feeds::replay::Recording, EngineError> {
    tw_feeds::replay::load(path).map_err(|e| bad(format!("{}: {e}", path.display())))
}

/// A strategy: a template name (`dual_ma`, `macd_cross`, `rsi_reversal`, `momentum`,
/// `mean_reversion`) or the JSON of a [`StrategySpec`].
pub fn parse_strategy(name_or_json: &str) -> Result<StrategySpec, EngineError> {
    let s = name_or_json.trim();
    if let Some(t) = template(s) {
        return Ok(t);
    }
    if !s.starts_with('{') {
        return Err(bad(format!(
            "{s:?} is neither a strategy template ({}) nor a strategy's JSON",
            TEMPLATES.join(", ")
        )));
    }
    serde_json::from_str(s).map_err(|e| bad(format!("strategy: {e}")))
}

/// Rules over candles in memory (one list per symbol, one interval): every rule runs on every
/// series. Fires outside `from..=to` are not counted (earlier bars warm up).
pub fn backtest_rules_on(
    rules: &[RuleSpec],
    series: &[Vec<Candle>],
    from: Option<i64>,
    to: Option<i64>,
    direction: Direction,
    breaker: BreakerConfig,
) -> Result<RuleBacktestReport, EngineError> {
    Ok(bt::backtest_rules(RuleRun {
        rules,
        series,
        from,
        to,
        direction,
        breaker,
    })?)
}

/// A strategy over candles in memory; `curve_points`: most equity points returned (default
/// 2,000, 0: every bar).
pub fn backtest_strategy_on(
    spec: &StrategySpec,
    candles: &[Candle],
    curve_points: Option<u32>,
) -> Result<StrategyReport, EngineError> {
    let points = curve_points.map_or(DEFAULT_CURVE_POINTS, |p| p as usize);
    Ok(bt::backtest_strategy(spec, candles, points)?)
}

fn check_window(from: i64, to: i64) -> Result<(), EngineError> {
    if to <= from {
        return Err(bad(format!(
            "the window ends ({to}) before it starts ({from}); give from < to (ms UTC)"
        )));
    }
    Ok(())
}

impl EngineHandle {
    /// Stored closed bars of `symbol` from `warm_up` bars before `from` to `to`.
    async fn stored_bars(
        &self,
        symbol: &str,
        interval: Interval,
        from: i64,
        to: i64,
    ) -> Result<Vec<Candle>, EngineError> {
        let sym = Symbol::parse(symbol).map_err(|e| bad(format!("symbol {symbol:?}: {e}")))?;
        let warm_from = from - BACKTEST_WARM_UP_BARS * interval.millis();
        let mut bars = self
            .0
            .store
            .candles_between(sym.as_str(), interval, warm_from, to)
            .await?;
        bars.retain(|b| b.closed && b.close_time() <= to);
        Ok(bars)
    }

    /// Rules over the stored history of `req.symbols` (the user's circuit-breaker settings
    /// apply, as live).
    pub async fn backtest_rules(
        &self,
        req: &RuleBacktestRequest,
    ) -> Result<RuleBacktestReport, EngineError> {
        check_window(req.from, req.to)?;
        if req.symbols.is_empty() {
            return Err(bad("symbols: name at least one symbol to replay"));
        }
        if req.symbols.len() > MAX_BACKTEST_SYMBOLS {
            return Err(bad(format!(
                "symbols: at most {MAX_BACKTEST_SYMBOLS} per backtest"
            )));
        }
        let interval = req.interval.unwrap_or(Interval::M1);
        let mut series = Vec::new();
        for s in &req.symbols {
            let bars = self.stored_bars(s, interval, req.from, req.to).await?;
            if !bars.is_empty() {
                series.push(bars);
            }
        }
        if series.is_empty() {
            return Err(bad(format!(
                "no stored {interval} candles of {} in the window",
                req.symbols.join(", ")
            )));
        }
        let breaker = crate::delivery_api::breaker(&self.delivery_settings().await);
        backtest_rules_on(
            &req.rules,
            &series,
            Some(req.from),
            Some(req.to),
            req.direction.unwrap_or_default(),
            breaker,
        )
    }

    /// A strategy over the stored history of one symbol. Up to [`BACKTEST_WARM_UP_BARS`]
    /// stored bars before `from` warm the indicators up (as live evaluation would have them
    /// warm); trading, figures and the equity curve start at `from`.
    pub async fn backtest_strategy(
        &self,
        req: &StrategyBacktestRequest,
    ) -> Result<StrategyReport, EngineError> {
        check_window(req.from, req.to)?;
        let interval = req
            .interval
            .or(req.strategy.interval)
            .unwrap_or(Interval::M1);
        let bars = self
            .stored_bars(&req.symbol, interval, req.from, req.to)
            .await?;
        if !bars.iter().any(|b| b.open_time >= req.from) {
            return Err(bad(format!(
                "no stored {interval} candles of {} in the window",
                req.symbol
            )));
        }
        let points = req
            .curve_points
            .map_or(DEFAULT_CURVE_POINTS, |p| p as usize);
        Ok(bt::backtest_strategy_from(
            &req.strategy,
            &bars,
            points,
            bt::Compute::Read,
            Some(req.from),
        )?)
    }
}
