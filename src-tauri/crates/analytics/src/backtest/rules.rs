//! Rule backtests: recorded candles through the live series and rule code.

use super::{data_interval, invalid, reachable, BacktestError, Compute};
use crate::rules::{
    compile, metrics_of, BreakerConfig, CompiledRule, Fired, RuleBook, WatchlistMap,
};
use crate::series::Demand;
use crate::{SeriesBook, SeriesConfig, SeriesUpdate};
use std::collections::HashMap;
use tw_core::backtest::{Direction, RuleBacktestReport, RuleBacktestSummary, RuleFire};
use tw_core::rule::{RuleSpec, Target};
use tw_core::{Candle, Clock, Interval, ManualClock, MarketEvent, Symbol};

const DAY_MS: f64 = 86_400_000.0;
/// Bars after a fire whose close gives the forward returns.
pub const HORIZONS: [usize; 3] = [1, 5, 20];

/// Closed candles → the series book → the rule book, as the engine's series and rules stages
/// do live: each update is evaluated at the clock's time, and the clock (a [`ManualClock`])
/// is set to the update's own market time first, so "fresh data" and cooldowns judge the
/// replay as they would have judged the live feed. Deterministic: no wall clock anywhere.
pub struct RuleReplay {
    series: SeriesBook,
    book: RuleBook,
    clock: ManualClock,
    updates: Vec<SeriesUpdate>,
}

impl RuleReplay {
    /// A fresh series book computing only the metrics the rules read, each at its rule's
    /// interval (what the rule book reads of an update: the conditions' metrics and the
    /// price), and a rule book loaded with `rules`.
    pub fn new(rules: Vec<CompiledRule>, lists: &WatchlistMap, clock: ManualClock) -> Self {
        Self::with_compute(rules, lists, clock, Compute::Read)
    }

    /// [`RuleReplay::new`], choosing how much of the series code runs; the fires are the
    /// same either way.
    pub fn with_compute(
        rules: Vec<CompiledRule>,
        lists: &WatchlistMap,
        clock: ManualClock,
        compute: Compute,
    ) -> Self {
        let mut intervals: Vec<Interval> = rules.iter().map(|r| r.spec.interval).collect();
        intervals.sort_by_key(|i| i.millis());
        intervals.dedup();
        let mut demand = match compute {
            Compute::Read => Demand::Only(Vec::new()),
            Compute::Everything => Demand::All,
        };
        let mut keys = Vec::new();
        for r in &rules {
            let mut mine = Vec::new();
            metrics_of(&r.cond, &mut mine);
            for k in mine {
                demand.add(r.spec.interval, k);
                keys.push(k);
            }
        }
        let mut series = SeriesBook::new(SeriesConfig {
            intervals,
            demand,
            ..SeriesConfig::default()
        });
        for k in keys {
            series.track(k);
        }
        let mut book = RuleBook::new();
        book.load(rules, lists);
        RuleReplay {
            series,
            book,
            clock,
            updates: Vec::new(),
        }
    }

    pub fn set_breaker(&mut self, cfg: BreakerConfig) {
        self.book.set_breaker(cfg);
    }

    /// Times the circuit breaker paused a rule since the last call, by rule id.
    pub fn take_paused(&mut self) -> Vec<i64> {
        self.book
            .take_paused()
            .into_iter()
            .map(|p| p.rule_id)
            .collect()
    }

    /// Plays one closed candle as the live feed hands it over; `on` sees every series update
    /// it causes with the alerts it fired (often none).
    pub fn push(&mut self, bar: &Candle, mut on: impl FnMut(&SeriesUpdate, Vec<Fired>)) {
        self.updates.clear();
        self.series
            .on_event(&MarketEvent::Candle(bar.clone()), &mut self.updates);
        for u in &self.updates {
            if u.at_ms > self.clock.now_ms() {
                self.clock.set(u.at_ms);
            }
            let fired = self.book.on_update(u, self.clock.now_ms());
            on(u, fired);
        }
    }
}

/// A rule backtest: `rules` over closed candles of one interval (`series`: one list per
/// symbol, oldest first). Every rule runs on every series, whatever its own target; disabled
/// and expired rules run too (the backtest judges the past). Fires outside `from..=to` are
/// dropped (bars before `from` warm the indicators up).
pub struct RuleRun<'a> {
    pub rules: &'a [RuleSpec],
    pub series: &'a [Vec<Candle>],
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub direction: Direction,
    pub breaker: BreakerConfig,
}

pub fn backtest_rules(run: RuleRun<'_>) -> Result<RuleBacktestReport, BacktestError> {
    backtest_rules_with(run, Compute::Read)
}

/// [`backtest_rules`], choosing how much of the series code runs; the report is the same
/// either way (the choice only costs time).
pub fn backtest_rules_with(
    run: RuleRun<'_>,
    compute: Compute,
) -> Result<RuleBacktestReport, BacktestError> {
    let all: Vec<&Candle> = run.series.iter().flatten().collect();
    if all.is_empty() {
        return Err(BacktestError::NoData);
    }
    if run.rules.is_empty() {
        return Err(invalid("no rules to backtest"));
    }
    let mut interval = None;
    for s in run.series.iter().filter(|s| !s.is_empty()) {
        let i = data_interval(s)?;
        if interval.is_some_and(|x| x != i) {
            return Err(invalid(format!(
                "the series mix intervals ({} and {i})",
                interval.unwrap_or(i)
            )));
        }
        interval = Some(i);
    }
    let data_iv = interval.ok_or(BacktestError::NoData)?;
    let mut symbols: Vec<Symbol> = Vec::new();
    for s in run.series {
        if let Some(c) = s.first() {
            if !symbols.contains(&c.symbol) {
                symbols.push(c.symbol.clone());
            }
        }
    }
    let first_open = all.iter().map(|c| c.open_time).min().unwrap_or(0);
    let last_close = all.iter().map(|c| c.close_time()).max().unwrap_or(0);
    let from = run.from.unwrap_or(first_open).max(first_open);
    let to = run.to.unwrap_or(last_close).min(last_close);
    if to <= from {
        return Err(invalid(format!(
            "the window holds no data: the candles run from {first_open} to {last_close} (ms UTC)"
        )));
    }
    let days = (to - from) as f64 / DAY_MS;

    let mut summaries = Vec::with_capacity(run.rules.len());
    let mut compiled = Vec::new();
    for (i, spec) in run.rules.iter().enumerate() {
        let mut spec = spec.clone();
        spec.enabled = true;
        spec.expires_at = None;
        spec.target = Target {
            symbols: symbols.iter().map(|s| s.to_string()).collect(),
            ..Target::default()
        };
        let rule = compile(i as i64 + 1, &spec, None)
            .map_err(|e| invalid(format!("rules[{i}].{}: {}", e.field, e.reason)))?;
        let skipped = (!reachable(data_iv, spec.interval)).then(|| {
            format!(
                "the rule is on {} bars; the data has {data_iv} bars, which cannot make them",
                spec.interval
            )
        });
        summaries.push(RuleBacktestSummary {
            rule: i as u32,
            name: spec.name.clone(),
            interval: spec.interval,
            fires: 0,
            scored: 0,
            hits: 0,
            hit_rate: None,
            mean_fwd1: None,
            mean_fwd5: None,
            mean_fwd20: None,
            alerts_per_day: 0.0,
            paused: 0,
            skipped: skipped.clone(),
        });
        if skipped.is_none() {
            compiled.push(rule);
        }
    }
    let intervals: Vec<Interval> = compiled.iter().map(|r| r.spec.interval).collect();

    // Bars of every series in market-time order, as a live feed would interleave them.
    let mut order: Vec<(i64, usize, usize)> = Vec::with_capacity(all.len());
    for (s, bars) in run.series.iter().enumerate() {
        for (b, c) in bars.iter().enumerate() {
            if c.closed {
                order.push((c.close_time(), s, b));
            }
        }
    }
    order.sort_unstable();

    let clock = ManualClock::new(first_open);
    let mut replay = RuleReplay::with_compute(compiled, &WatchlistMap::new(), clock, compute);
    replay.set_breaker(run.breaker);
    // (symbol, interval) → (open time, close) of its closed bars, for the forward returns.
    let mut closes: HashMap<(Symbol, Interval), Vec<(i64, f64)>> = HashMap::new();
    let mut fires: Vec<(Interval, RuleFire)> = Vec::new();
    for &(_, s, b) in &order {
        replay.push(&run.series[s][b], |u, fired| {
            if u.bar.closed && intervals.contains(&u.interval) {
                closes
                    .entry((u.symbol.clone(), u.interval))
                    .or_default()
                    .push((u.bar.open_time, u.bar.close));
            }
            for f in fired {
                let a = f.alert;
                if a.fired_at < from || a.fired_at > to {
                    continue;
                }
                fires.push((
                    u.interval,
                    RuleFire {
                        rule: (a.rule_id - 1) as u32,
                        rule_name: a.rule_name,
                        symbol: a.symbol,
                        fired_at: a.fired_at,
                        bar_time: a.bar_time,
                        price: u.bar.close,
                        message: a.message,
                        fwd1: None,
                        fwd5: None,
                        fwd20: None,
                    },
                ));
            }
        });
        for id in replay.take_paused() {
            if let Some(s) = summaries.get_mut((id - 1) as usize) {
                s.paused += 1;
            }
        }
    }

    let by_name: HashMap<&str, &Symbol> = symbols.iter().map(|s| (s.as_str(), s)).collect();
    let mut out = Vec::with_capacity(fires.len());
    for (iv, mut f) in fires {
        if let Some(bars) = by_name
            .get(f.symbol.as_str())
            .and_then(|s| closes.get(&((*s).clone(), iv)))
        {
            if let Ok(idx) = bars.binary_search_by_key(&f.bar_time, |b| b.0) {
                let fwd = |k: usize| {
                    bars.get(idx + k)
                        .filter(|_| f.price > 0.0)
                        .map(|b| b.1 / f.price - 1.0)
                };
                (f.fwd1, f.fwd5, f.fwd20) = (fwd(HORIZONS[0]), fwd(HORIZONS[1]), fwd(HORIZONS[2]));
            }
        }
        out.push(f);
    }
    out.sort_by(|a, b| (a.fired_at, a.rule, &a.symbol).cmp(&(b.fired_at, b.rule, &b.symbol)));

    for s in summaries.iter_mut() {
        let mine: Vec<&RuleFire> = out.iter().filter(|f| f.rule == s.rule).collect();
        s.fires = mine.len() as u32;
        let scored: Vec<f64> = mine.iter().filter_map(|f| f.fwd5).collect();
        s.scored = scored.len() as u32;
        s.hits = scored
            .iter()
            .filter(|r| match run.direction {
                Direction::Up => **r > 0.0,
                Direction::Down => **r < 0.0,
            })
            .count() as u32;
        s.hit_rate = (s.scored > 0).then(|| s.hits as f64 / s.scored as f64);
        let mean = |get: fn(&RuleFire) -> Option<f64>| {
            let v: Vec<f64> = mine.iter().filter_map(|f| get(f)).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        s.mean_fwd1 = mean(|f| f.fwd1);
        s.mean_fwd5 = mean(|f| f.fwd5);
        s.mean_fwd20 = mean(|f| f.fwd20);
        s.alerts_per_day = s.fires as f64 / days;
    }
    let hit_definition = match run.direction {
        Direction::Up => "a hit is a fire whose forward return over 5 bars of the rule's interval is above 0; hit rate = hits / fires that have 5 bars after them",
        Direction::Down => "a hit is a fire whose forward return over 5 bars of the rule's interval is below 0; hit rate = hits / fires that have 5 bars after them",
    };
    Ok(RuleBacktestReport {
        from,
        to,
        days,
        bars: order.len() as u32,
        symbols: symbols.iter().map(|s| s.to_string()).collect(),
        direction: run.direction,
        hit_definition: hit_definition.to_string(),
        rules: summaries,
        fires: out,
    })
}
