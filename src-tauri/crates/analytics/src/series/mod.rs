//! Per-(symbol, interval) series: builds 1m candles from trades (or takes a source's own
//! candles), rolls them up into 5m, 15m, 1h, 4h and 1d where the source does not send those
//! itself, and computes the indicators and anomaly scores of every update.

mod extras;
mod interval;
#[cfg(test)]
mod tests;

use crate::anomaly::{BarScores, DetectorConfig};
use crate::indicators::IndicatorConfig;
use crate::metric::{MetricKey, Metrics};
use extras::{Extras, OpenInterest};
use interval::IntervalSeries;
use std::collections::HashMap;
use tw_core::{Candle, Interval, MarketEvent, Symbol};

#[derive(Clone, Debug)]
pub struct SeriesConfig {
    /// Look-back of `change_pct`.
    pub change_window_ms: i64,
    /// The intervals built (a source's own candles of other intervals are still taken).
    pub intervals: Vec<Interval>,
    pub indicators: IndicatorConfig,
    /// Detector thresholds and windows; its window and warm-up also govern `volume_z`.
    pub detector: DetectorConfig,
    /// Which metrics are computed: all of them (the default, and what the live engine needs:
    /// the UI, the radar and the anomaly stream read them), or only those a backtest's
    /// conditions read.
    pub demand: Demand,
}

/// The metrics the series compute.
///
/// With [`Demand::Only`], a series computes only the stages that write a demanded metric of
/// its interval: each indicator (MACD and Bollinger as wholes), each part of the anomaly
/// detector (returns, volume, range; the CUSUM and `anomaly_score` need them all, see
/// [`crate::anomaly::DetectorParts`]), and the `change_pct` look-back. Price, volume, quote
/// volume and the symbol's fundamentals and open interest are always written. A stage that
/// runs computes exactly what it computes under [`Demand::All`], so a demanded metric has the
/// same value either way. Nothing is flagged for the anomaly stream unless the whole
/// detector runs.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Demand {
    #[default]
    All,
    /// (interval, metric) pairs; a series of an interval not listed (the finer base bars a
    /// coarser series is rolled up from) computes no indicator or detector at all.
    Only(Vec<(Interval, MetricKey)>),
}

/// What the anomaly detector writes.
pub const DETECTOR_METRICS: [MetricKey; 8] = [
    MetricKey::VolumeZ,
    MetricKey::ReturnZ,
    MetricKey::ReturnRobustZ,
    MetricKey::ReturnPctile,
    MetricKey::RangeZ,
    MetricKey::EwmaVol,
    MetricKey::Cusum,
    MetricKey::AnomalyScore,
];

impl Demand {
    /// Only the metrics in `keys`, each on every interval in `intervals`.
    pub fn only(intervals: &[Interval], keys: &[MetricKey]) -> Self {
        let mut v = Vec::new();
        for &i in intervals {
            for &k in keys {
                if !v.contains(&(i, k)) {
                    v.push((i, k));
                }
            }
        }
        Demand::Only(v)
    }

    /// Adds `k` on `interval` (no-op under [`Demand::All`]).
    pub fn add(&mut self, interval: Interval, k: MetricKey) {
        if let Demand::Only(v) = self {
            if !v.contains(&(interval, k)) {
                v.push((interval, k));
            }
        }
    }

    pub fn wants(&self, interval: Interval, k: MetricKey) -> bool {
        match self {
            Demand::All => true,
            Demand::Only(v) => v.contains(&(interval, k)),
        }
    }
}

impl Default for SeriesConfig {
    fn default() -> Self {
        SeriesConfig {
            change_window_ms: 24 * 3_600_000,
            intervals: Interval::ALL.to_vec(),
            indicators: IndicatorConfig::default(),
            detector: DetectorConfig::default(),
            demand: Demand::All,
        }
    }
}

/// What the series stage hands on: the state of one bar after an event, with metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesUpdate {
    pub symbol: Symbol,
    pub interval: Interval,
    /// The bar as it stands after this update.
    pub bar: Candle,
    /// Market time of the update (ms UTC).
    pub at_ms: i64,
    /// False for back-filled history: stored and used for warm-up, never alerted on.
    pub live: bool,
    pub metrics: Metrics,
    /// Metrics of the previous live update of this series; `None` at the start and after a
    /// gap, so crossing operators never compare across a gap.
    pub prev: Option<Metrics>,
}

/// A live update the detector flagged, with its reasons in words (for the radar and the
/// anomaly stream). Partial bars are flagged as they stand; `closed` marks the final word.
#[derive(Clone, Debug, PartialEq)]
pub struct Flagged {
    pub symbol: Symbol,
    pub interval: Interval,
    pub open_time: i64,
    pub at_ms: i64,
    pub closed: bool,
    pub price: f64,
    pub score: f64,
    pub reasons: Vec<String>,
}

fn slot(i: Interval) -> usize {
    Interval::ALL.iter().position(|x| *x == i).unwrap_or(0)
}

/// All intervals of one symbol.
struct SymbolSeries {
    series: [Option<IntervalSeries>; 6],
    /// Intervals the source sends itself: never rolled up.
    native: [bool; 6],
    /// The finest interval with data: the coarser ones are rolled up from it.
    base: Option<Interval>,
    extras: Extras,
    open_interest: OpenInterest,
}

impl SymbolSeries {
    fn new() -> Self {
        SymbolSeries {
            series: Default::default(),
            native: [false; 6],
            base: None,
            extras: Extras::default(),
            open_interest: OpenInterest::default(),
        }
    }

    fn set_extras(&mut self, x: Extras) {
        self.extras = x;
        for s in self.series.iter_mut().flatten() {
            s.extras = x;
        }
    }

    /// Moves the flagged updates of every series out (into `into` when it is collected).
    fn drain_flagged(&mut self, into: Option<&mut Vec<Flagged>>) {
        match into {
            Some(v) => {
                for s in self.series.iter_mut().flatten() {
                    v.append(&mut s.flagged);
                }
            }
            None => {
                for s in self.series.iter_mut().flatten() {
                    s.flagged.clear();
                }
            }
        }
    }

    fn get(
        &mut self,
        sym: &Symbol,
        i: Interval,
        cfg: &SeriesConfig,
        tracked: &[MetricKey],
    ) -> &mut IntervalSeries {
        let extras = self.extras;
        self.series[slot(i)].get_or_insert_with(|| {
            let mut s = IntervalSeries::new(sym.clone(), i, cfg);
            s.extras = extras;
            for k in tracked {
                s.track(*k);
            }
            s
        })
    }

    /// Rolls the base-interval updates in `out[from..]` up into the coarser intervals.
    fn roll_up(
        &mut self,
        sym: &Symbol,
        from: usize,
        cfg: &SeriesConfig,
        tracked: &[MetricKey],
        out: &mut Vec<SeriesUpdate>,
    ) {
        let Some(base) = self.base else { return };
        let targets: Vec<Interval> = cfg
            .intervals
            .iter()
            .copied()
            .filter(|j| {
                j.millis() > base.millis()
                    && j.millis() % base.millis() == 0
                    && !self.native[slot(*j)]
            })
            .collect();
        if targets.is_empty() {
            return;
        }
        let children: Vec<(Candle, i64, bool)> = out[from..]
            .iter()
            .filter(|u| u.interval == base)
            .map(|u| (u.bar.clone(), u.at_ms, u.live))
            .collect();
        for (child, at, live) in children {
            for &j in &targets {
                self.get(sym, j, cfg, tracked)
                    .on_finer(&child, at, live, cfg, out);
            }
        }
    }
}

/// All series of the engine, keyed by symbol.
pub struct SeriesBook {
    cfg: SeriesConfig,
    symbols: HashMap<Symbol, SymbolSeries>,
    tracked: Vec<MetricKey>,
    /// Flagged live updates not yet taken; `None` when nobody takes them.
    flagged: Option<Vec<Flagged>>,
}

impl SeriesBook {
    pub fn new(cfg: SeriesConfig) -> Self {
        SeriesBook {
            cfg,
            symbols: HashMap::new(),
            tracked: Vec::new(),
            flagged: None,
        }
    }

    /// Keeps the flagged live updates for [`SeriesBook::take_flagged`] (off by default, so
    /// a scan or a benchmark that never takes them does not pile them up).
    pub fn collect_flagged(&mut self, on: bool) {
        self.flagged = on.then(Vec::new);
    }

    /// The live updates the detector flagged since the last call, oldest first.
    pub fn take_flagged(&mut self) -> Vec<Flagged> {
        self.flagged
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The periods of `sma(n)`/`ema(n)` computed beyond the defaults.
    pub fn tracked(&self) -> &[MetricKey] {
        &self.tracked
    }

    pub fn config(&self) -> &SeriesConfig {
        &self.cfg
    }

    /// Makes every series compute `sma(n)`/`ema(n)` for a period a rule names, beyond the
    /// default periods. Series warm it up from their next closed bar. Under
    /// [`Demand::Only`], only the series of an interval that demands the period compute it.
    pub fn track(&mut self, k: MetricKey) {
        if !matches!(k, MetricKey::Sma(_) | MetricKey::Ema(_)) || self.tracked.contains(&k) {
            return;
        }
        self.tracked.push(k);
        for s in self.symbols.values_mut() {
            for x in s.series.iter_mut().flatten() {
                x.track(k);
            }
        }
    }

    /// The detector's latest scores (with reasons when flagged) of one series.
    pub fn anomaly(&self, symbol: &Symbol, interval: Interval) -> Option<&BarScores> {
        self.symbols.get(symbol)?.series[slot(interval)]
            .as_ref()
            .map(|s| &s.last_scores)
    }

    /// The detector's scores of the last closed bar of one series.
    pub fn closed_anomaly(&self, symbol: &Symbol, interval: Interval) -> Option<&BarScores> {
        self.symbols.get(symbol)?.series[slot(interval)]
            .as_ref()
            .map(|s| &s.last_closed_scores)
    }

    /// The finest interval a symbol has data in (the others are rolled up from it, or are
    /// the source's own coarser candles).
    pub fn base_interval(&self, symbol: &Symbol) -> Option<Interval> {
        self.symbols.get(symbol)?.base
    }

    /// Approximate heap bytes of one series.
    pub fn memory_bytes(&self, symbol: &Symbol, interval: Interval) -> Option<usize> {
        self.symbols.get(symbol)?.series[slot(interval)]
            .as_ref()
            .map(|s| s.memory_bytes())
    }

    /// Applies one event; the resulting updates are appended to `out`, oldest first, each
    /// base-interval update followed by the coarser bars it rolls into.
    pub fn on_event(&mut self, ev: &MarketEvent, out: &mut Vec<SeriesUpdate>) {
        let cfg = &self.cfg;
        let tracked = &self.tracked;
        match ev {
            MarketEvent::Trade(t) => {
                let s = self
                    .symbols
                    .entry(t.symbol.clone())
                    .or_insert_with(SymbolSeries::new);
                if s.base.is_none_or(|b| b.millis() > Interval::M1.millis()) {
                    s.base = Some(Interval::M1);
                }
                let from = out.len();
                s.get(&t.symbol, Interval::M1, cfg, tracked)
                    .on_trade(t, cfg, out);
                s.roll_up(&t.symbol, from, cfg, tracked, out);
                s.drain_flagged(self.flagged.as_mut());
            }
            MarketEvent::Candle(c) | MarketEvent::Backfill(c) => {
                let live = matches!(ev, MarketEvent::Candle(_));
                let s = self
                    .symbols
                    .entry(c.symbol.clone())
                    .or_insert_with(SymbolSeries::new);
                if s.base.is_none_or(|b| b.millis() > c.interval.millis()) {
                    s.base = Some(c.interval);
                }
                if s.base != Some(c.interval) {
                    s.native[slot(c.interval)] = true;
                }
                let from = out.len();
                s.get(&c.symbol, c.interval, cfg, tracked)
                    .on_bar(c, live, cfg, out);
                if s.base == Some(c.interval) {
                    s.roll_up(&c.symbol, from, cfg, tracked, out);
                }
                s.drain_flagged(self.flagged.as_mut());
            }
            // Figures that are not candles become metrics of the symbol's next updates.
            MarketEvent::Fundamentals(f) => {
                let s = self
                    .symbols
                    .entry(f.symbol.clone())
                    .or_insert_with(SymbolSeries::new);
                let mut x = s.extras;
                if x.apply_fundamentals(f) {
                    s.set_extras(x);
                }
            }
            MarketEvent::OpenInterest {
                symbol,
                ts_ms,
                value,
            } => {
                let s = self
                    .symbols
                    .entry(symbol.clone())
                    .or_insert_with(SymbolSeries::new);
                if let Some((oi, change)) =
                    s.open_interest.push(*ts_ms, *value, cfg.change_window_ms)
                {
                    let mut x = s.extras;
                    x.open_interest = Some(oi);
                    x.oi_change_pct = change;
                    s.set_extras(x);
                }
            }
            MarketEvent::Heartbeat { source, at_ms } => {
                for (sym, s) in self.symbols.iter_mut() {
                    if sym.source() != source {
                        continue;
                    }
                    // Finest first, so a closing base bar completes its coarser bars.
                    let from = out.len();
                    if let Some(b) = s.base {
                        if let Some(x) = s.series[slot(b)].as_mut() {
                            x.close_due(*at_ms, cfg, out);
                        }
                    }
                    s.roll_up(sym, from, cfg, tracked, out);
                    for x in s.series.iter_mut().flatten() {
                        x.close_due(*at_ms, cfg, out);
                    }
                    s.drain_flagged(self.flagged.as_mut());
                }
            }
            MarketEvent::Reconnecting { source, .. } => {
                for (sym, s) in self.symbols.iter_mut() {
                    if sym.source() == source {
                        for x in s.series.iter_mut().flatten() {
                            x.gap();
                        }
                    }
                }
            }
        }
    }

    pub fn symbols(&self) -> impl Iterator<Item = &Symbol> {
        self.symbols.keys()
    }
}
