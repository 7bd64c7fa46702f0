//! Strategy backtests: entry and exit are rule conditions, evaluated by the rule code on the
//! closed-bar metrics of the live series code.
//!
//! Execution model (one position at a time):
//! - conditions are judged on a bar's close, as a `bar_close` rule is (the previous sample is
//!   the previous closed bar; moving operators look back over closed bars); an unknown result
//!   (warming up) is no signal;
//! - a signal on bar i's close fills at bar i+1's open, moved against the trade by the
//!   slippage (buys higher, sells lower); a fee of `fees_bps` of the traded value is paid on
//!   each side;
//! - size: `quantity = equity × position_size / (fill price × (1 + fee))`, so the position and
//!   its entry fee take `position_size` of the equity;
//! - stop loss and take profit are percentages from the entry fill, checked against each bar's
//!   low and high from the entry bar on; a gap through the level fills at the open; when both
//!   are touched in one bar the stop is assumed first;
//! - in long/short mode an opposite entry signal reverses the position at the next open;
//! - equity is marked at each close; a position still open at the end is closed at the last
//!   close (reason `end`).

use super::perf::{performance, YEAR_MS};
use super::{data_interval, invalid, reachable, BacktestError, Compute};
use crate::indicators::IndicatorConfig;
use crate::metric::Metrics;
use crate::rules::{compile_condition, evaluate3, metrics_of, History, Node, Sample};
use crate::series::Demand;
use crate::{SeriesBook, SeriesConfig};
use tw_core::backtest::{
    EquityPoint, ExitReason, StrategyMode, StrategyReport, StrategySpec, TradeRecord,
};
use tw_core::rule::Condition;
use tw_core::{Candle, MarketEvent};

/// Points of the equity curve returned unless asked otherwise.
pub const DEFAULT_CURVE_POINTS: usize = 2_000;

struct Conditions {
    entry: Node,
    exit: Option<Node>,
    short_entry: Option<Node>,
    short_exit: Option<Node>,
    history: History,
    prev: Option<Metrics>,
}

fn compiled(c: &Condition, path: &str, hist: &mut History) -> Result<Node, BacktestError> {
    let (node, lookbacks) =
        compile_condition(c, path).map_err(|e| invalid(format!("{}: {}", e.field, e.reason)))?;
    for (k, bars) in lookbacks {
        hist.want(k, bars);
    }
    Ok(node)
}

fn check(spec: &StrategySpec) -> Result<(), BacktestError> {
    if spec.name.trim().is_empty() {
        return Err(invalid("name: must not be empty"));
    }
    let pct = |v: Option<f64>, field: &str, max: f64| match v {
        Some(x) if !(x.is_finite() && x > 0.0 && x < max) => Err(invalid(format!(
            "{field}: {x} is not a percentage above 0 and below {max}"
        ))),
        _ => Ok(()),
    };
    pct(spec.stop_loss_pct, "stop_loss_pct", 100.0)?;
    pct(spec.take_profit_pct, "take_profit_pct", 10_000.0)?;
    for (field, v) in [
        ("fees_bps", spec.fees_bps),
        ("slippage_bps", spec.slippage_bps),
    ] {
        if !(v.is_finite() && (0.0..=1_000.0).contains(&v)) {
            return Err(invalid(format!(
                "{field}: {v} must be from 0 to 1000 basis points (10 %)"
            )));
        }
    }
    if !(spec.position_size.is_finite() && spec.position_size > 0.0 && spec.position_size <= 1.0) {
        return Err(invalid(format!(
            "position_size: {} must be a fraction of equity above 0 and at most 1",
            spec.position_size
        )));
    }
    if !(spec.initial_capital.is_finite() && spec.initial_capital > 0.0) {
        return Err(invalid(format!(
            "initial_capital: {} must be above 0",
            spec.initial_capital
        )));
    }
    match spec.mode {
        StrategyMode::LongOnly if spec.short_entry.is_some() || spec.short_exit.is_some() => {
            // Templates carry their short side; long-only simply does not use it.
        }
        StrategyMode::LongShort if spec.short_entry.is_none() => {
            return Err(invalid(
                "short_entry: mode long_short needs a short_entry condition",
            ))
        }
        _ => {}
    }
    if spec.exit.is_none()
        && spec.stop_loss_pct.is_none()
        && spec.take_profit_pct.is_none()
        && spec.mode == StrategyMode::LongOnly
    {
        return Err(invalid(
            "exit: a long-only strategy needs an exit condition, a stop loss or a take profit",
        ));
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Enter(i8),
    Exit,
    Reverse(i8),
}

struct Position {
    side: i8,
    qty: f64,
    entry: f64,
    entry_time: i64,
    entry_fee: f64,
    bars: u32,
}

struct Sim {
    fee: f64,
    slip: f64,
    size: f64,
    stop: Option<f64>,
    target: Option<f64>,
    /// Cash, with open positions' P&L kept apart (margin-style, as for shorts).
    cash: f64,
    pos: Option<Position>,
    trades: Vec<TradeRecord>,
    fees_paid: f64,
}

impl Sim {
    fn equity(&self, mark: f64) -> f64 {
        self.cash
            + self
                .pos
                .as_ref()
                .map_or(0.0, |p| f64::from(p.side) * p.qty * (mark - p.entry))
    }

    fn open(&mut self, side: i8, price: f64, time: i64) {
        let equity = self.cash;
        if equity <= 0.0 || price <= 0.0 {
            return;
        }
        let fill = price * (1.0 + f64::from(side) * self.slip);
        let qty = equity * self.size / (fill * (1.0 + self.fee));
        let fee = qty * fill * self.fee;
        self.cash -= fee;
        self.fees_paid += fee;
        self.pos = Some(Position {
            side,
            qty,
            entry: fill,
            entry_time: time,
            entry_fee: fee,
            bars: 0,
        });
    }

    /// Closes at `price` (before slippage) at `time`.
    fn close(&mut self, price: f64, time: i64, reason: ExitReason) {
        let Some(p) = self.pos.take() else { return };
        let side = f64::from(p.side);
        let fill = price * (1.0 - side * self.slip);
        let fee = p.qty * fill * self.fee;
        let gross = side * p.qty * (fill - p.entry);
        self.cash += gross - fee;
        self.fees_paid += fee;
        let pnl = gross - fee - p.entry_fee;
        self.trades.push(TradeRecord {
            side: if p.side > 0 { "long" } else { "short" }.into(),
            entry_time: p.entry_time,
            entry_price: p.entry,
            exit_time: time,
            exit_price: fill,
            quantity: p.qty,
            pnl,
            return_pct: pnl / (p.qty * p.entry),
            fees: fee + p.entry_fee,
            bars: p.bars,
            exit_reason: reason,
        });
    }

    /// Stop loss / take profit inside bar `c`.
    fn protect(&mut self, c: &Candle) {
        let Some(p) = &self.pos else { return };
        let long = p.side > 0;
        let stop = self.stop.map(|s| {
            if long {
                p.entry * (1.0 - s)
            } else {
                p.entry * (1.0 + s)
            }
        });
        let target = self.target.map(|t| {
            if long {
                p.entry * (1.0 + t)
            } else {
                p.entry * (1.0 - t)
            }
        });
        if let Some(s) = stop {
            let hit = if long { c.low <= s } else { c.high >= s };
            if hit {
                let at = if long { c.open.min(s) } else { c.open.max(s) };
                return self.close(at, c.open_time, ExitReason::StopLoss);
            }
        }
        if let Some(t) = target {
            let hit = if long { c.high >= t } else { c.low <= t };
            if hit {
                let at = if long { c.open.max(t) } else { c.open.min(t) };
                self.close(at, c.open_time, ExitReason::TakeProfit);
            }
        }
    }
}

/// Runs `spec` over closed `candles` of one symbol (oldest first). `curve_points` caps the
/// equity curve returned (0: every bar); the figures use every bar. The series code computes
/// only the metrics the conditions read ([`Compute::Read`]).
pub fn backtest_strategy(
    spec: &StrategySpec,
    candles: &[Candle],
    curve_points: usize,
) -> Result<StrategyReport, BacktestError> {
    backtest_strategy_with(spec, candles, curve_points, Compute::Read)
}

/// [`backtest_strategy`], choosing how much of the series code runs; the report is the same
/// either way (the choice only costs time).
pub fn backtest_strategy_with(
    spec: &StrategySpec,
    candles: &[Candle],
    curve_points: usize,
    compute: Compute,
) -> Result<StrategyReport, BacktestError> {
    backtest_strategy_from(spec, candles, curve_points, compute, None)
}

/// [`backtest_strategy_with`] where the bars opening before `trade_from` only warm the
/// indicators and conditions up: no signal, fill or equity point comes from them, so the
/// window starts with warm indicators, as live evaluation would have them.
pub fn backtest_strategy_from(
    spec: &StrategySpec,
    candles: &[Candle],
    curve_points: usize,
    compute: Compute,
    trade_from: Option<i64>,
) -> Result<StrategyReport, BacktestError> {
    check(spec)?;
    let data_iv = data_interval(candles)?;
    let interval = spec.interval.unwrap_or(data_iv);
    if !reachable(data_iv, interval) {
        return Err(invalid(format!(
            "interval: the strategy trades {interval} bars; the data has {data_iv} bars, which cannot make them"
        )));
    }
    let mut history = History::default();
    let long_short = spec.mode == StrategyMode::LongShort;
    let mut conds = Conditions {
        entry: compiled(&spec.entry, "entry", &mut history)?,
        exit: spec
            .exit
            .as_ref()
            .map(|c| compiled(c, "exit", &mut history))
            .transpose()?,
        short_entry: None,
        short_exit: None,
        history: History::default(),
        prev: None,
    };
    if long_short {
        conds.short_entry = spec
            .short_entry
            .as_ref()
            .map(|c| compiled(c, "short_entry", &mut history))
            .transpose()?;
        conds.short_exit = spec
            .short_exit
            .as_ref()
            .map(|c| compiled(c, "short_exit", &mut history))
            .transpose()?;
    }
    conds.history = history;

    // The live series code, on the strategy's interval only (a finer base interval is
    // rolled up into it, nothing coarser is built), computing the sma/ema periods the
    // conditions name (not the chart's default ones) and, unless asked for everything, only
    // the metrics the conditions read.
    let mut keys = Vec::new();
    for n in [&conds.entry]
        .into_iter()
        .chain(conds.exit.as_ref())
        .chain(conds.short_entry.as_ref())
        .chain(conds.short_exit.as_ref())
    {
        metrics_of(n, &mut keys);
    }
    let mut series = SeriesBook::new(SeriesConfig {
        intervals: vec![interval],
        indicators: IndicatorConfig {
            sma_periods: Vec::new(),
            ema_periods: Vec::new(),
            ..IndicatorConfig::default()
        },
        demand: match compute {
            Compute::Read => Demand::only(&[interval], &keys),
            Compute::Everything => Demand::All,
        },
        ..SeriesConfig::default()
    });
    for k in keys {
        series.track(k);
    }

    let mut sim = Sim {
        fee: spec.fees_bps / 10_000.0,
        slip: spec.slippage_bps / 10_000.0,
        size: spec.position_size,
        stop: spec.stop_loss_pct.map(|p| p / 100.0),
        target: spec.take_profit_pct.map(|p| p / 100.0),
        cash: spec.initial_capital,
        pos: None,
        trades: Vec::new(),
        fees_paid: 0.0,
    };
    let mut pending: Option<Action> = None;
    let mut times: Vec<i64> = Vec::new();
    let mut equity: Vec<f64> = Vec::new();
    let mut exposed = 0u32;
    let mut first_open = None;
    let mut last: Option<Candle> = None;
    let mut updates = Vec::new();

    for c in candles.iter().filter(|c| c.closed) {
        updates.clear();
        series.on_event(&MarketEvent::Candle(c.clone()), &mut updates);
        for u in updates
            .iter()
            .filter(|u| u.interval == interval && u.bar.closed)
        {
            let bar = &u.bar;
            if trade_from.is_some_and(|t| bar.open_time < t) {
                // Warm-up: the conditions see the bar (crossings need a previous sample,
                // moving operators their look-back), nothing is traded or counted.
                if u.prev.is_none() {
                    conds.history.clear();
                }
                conds.history.push(&u.metrics);
                conds.prev = Some(u.metrics);
                continue;
            }
            first_open.get_or_insert(bar.open_time);
            // 1. Yesterday's signal fills at this open.
            match pending.take() {
                Some(Action::Enter(side)) => sim.open(side, bar.open, bar.open_time),
                Some(Action::Exit) => sim.close(bar.open, bar.open_time, ExitReason::Signal),
                Some(Action::Reverse(side)) => {
                    sim.close(bar.open, bar.open_time, ExitReason::Reverse);
                    sim.open(side, bar.open, bar.open_time);
                }
                None => {}
            }
            // 2. Stops and targets inside the bar.
            sim.protect(bar);
            if let Some(p) = sim.pos.as_mut() {
                p.bars += 1;
            }
            // 3. Signals on the close, judged as a bar-close rule is.
            if u.prev.is_none() {
                conds.prev = None;
                conds.history.clear();
            }
            let s = Sample {
                cur: &u.metrics,
                prev: conds.prev.as_ref(),
                history: Some(&conds.history),
            };
            let holds = |n: Option<&Node>| n.is_some_and(|n| evaluate3(n, s) == Some(true));
            let side = sim.pos.as_ref().map_or(0, |p| p.side);
            pending = match side {
                1 if holds(conds.short_entry.as_ref()) => Some(Action::Reverse(-1)),
                1 if holds(conds.exit.as_ref()) => Some(Action::Exit),
                -1 if holds(Some(&conds.entry)) => Some(Action::Reverse(1)),
                -1 if holds(conds.short_exit.as_ref()) => Some(Action::Exit),
                0 if holds(Some(&conds.entry)) => Some(Action::Enter(1)),
                0 if holds(conds.short_entry.as_ref()) => Some(Action::Enter(-1)),
                _ => None,
            };
            conds.history.push(&u.metrics);
            conds.prev = Some(u.metrics);
            // 4. Mark to the close.
            if sim.pos.is_some() {
                exposed += 1;
            }
            times.push(bar.close_time());
            equity.push(sim.equity(bar.close));
            last = Some(bar.clone());
        }
    }
    let last = last.ok_or_else(|| {
        invalid(format!(
            "the data makes no closed {interval} bar (too few {data_iv} bars)"
        ))
    })?;
    if sim.pos.is_some() {
        sim.close(last.close, last.close_time(), ExitReason::End);
        if let Some(e) = equity.last_mut() {
            *e = sim.cash;
        }
    }
    let ppy = YEAR_MS / interval.millis() as f64;
    let perf = performance(&times, &equity, ppy);
    let n = equity.len();
    let wins = sim.trades.iter().filter(|t| t.pnl > 0.0).count();
    let gross_win: f64 = sim.trades.iter().map(|t| t.pnl.max(0.0)).sum();
    let gross_loss: f64 = sim.trades.iter().map(|t| (-t.pnl).max(0.0)).sum();
    let curve = sample_curve(&times, &equity, &perf.drawdown, curve_points);
    Ok(StrategyReport {
        name: spec.name.clone(),
        interval,
        mode: spec.mode,
        bars: n as u32,
        from: first_open.unwrap_or(last.open_time),
        to: last.close_time(),
        initial_capital: spec.initial_capital,
        final_equity: equity.last().copied().unwrap_or(spec.initial_capital),
        total_return: perf.total_return,
        annual_return: perf.annual_return,
        volatility: perf.volatility,
        sharpe: perf.sharpe,
        sortino: perf.sortino,
        max_drawdown: perf.max_drawdown,
        win_rate: (!sim.trades.is_empty()).then(|| wins as f64 / sim.trades.len() as f64),
        profit_factor: (gross_loss > 0.0).then(|| gross_win / gross_loss),
        exposure: if n > 0 {
            f64::from(exposed) / n as f64
        } else {
            0.0
        },
        fees_paid: sim.fees_paid,
        periods_per_year: perf.periods_per_year,
        trades: sim.trades,
        equity: curve,
    })
}

/// At most `max` points (0: all): every k-th bar, the deepest drawdown and the last bar.
fn sample_curve(times: &[i64], equity: &[f64], dd: &[f64], max: usize) -> Vec<EquityPoint> {
    let n = equity.len();
    let point = |i: usize| EquityPoint {
        time: times[i],
        equity: equity[i],
        drawdown: dd[i],
    };
    if max == 0 || n <= max {
        return (0..n).map(point).collect();
    }
    let step = n.div_ceil(max.saturating_sub(2).max(1));
    let deepest = dd
        .iter()
        .enumerate()
        .fold(0, |best, (i, d)| if *d > dd[best] { i } else { best });
    let mut idx: Vec<usize> = (0..n).step_by(step).collect();
    idx.push(deepest);
    idx.push(n - 1);
    idx.sort_unstable();
    idx.dedup();
    idx.into_iter().map(point).collect()
}
