//! Per-symbol series: builds 1m candles from trades (or takes a source's own candles), keeps a
//! bounded history, and computes the streaming metrics of every update.

use crate::metric::{MetricKey, Metrics};
use crate::stats::RollingStats;
use std::collections::{HashMap, VecDeque};
use tw_core::{Candle, Interval, MarketEvent, Symbol, Trade};

#[derive(Clone, Debug)]
pub struct SeriesConfig {
    /// Closed bars in the volume baseline.
    pub volume_window: usize,
    /// Closed bars needed before `volume_z` is given (warm-up).
    pub volume_warmup: usize,
    /// Look-back of `change_pct`.
    pub change_window_ms: i64,
}

impl Default for SeriesConfig {
    fn default() -> Self {
        SeriesConfig {
            volume_window: 60,
            volume_warmup: 20,
            change_window_ms: 24 * 3_600_000,
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

struct SymbolSeries {
    symbol: Symbol,
    current: Option<Candle>,
    /// The current bar started after a reconnect: its volume is incomplete, do not score it.
    tainted: bool,
    last_closed_open: Option<i64>,
    log_volume: RollingStats,
    /// (open time, open) of the bars inside the `change_pct` look-back, oldest first.
    opens: VecDeque<(i64, f64)>,
    prev: Option<Metrics>,
}

impl SymbolSeries {
    fn new(symbol: Symbol, cfg: &SeriesConfig) -> Self {
        SymbolSeries {
            symbol,
            current: None,
            tainted: false,
            last_closed_open: None,
            log_volume: RollingStats::new(cfg.volume_window),
            opens: VecDeque::new(),
            prev: None,
        }
    }

    fn metrics(&self, bar: &Candle, at_ms: i64, cfg: &SeriesConfig) -> Metrics {
        let mut m = Metrics::default();
        m.set(MetricKey::Price, Some(bar.close));
        m.set(MetricKey::Volume, Some(bar.volume));
        m.set(MetricKey::QuoteVolume, Some(bar.quote_volume));
        let reference = self
            .opens
            .iter()
            .find(|(t, _)| *t >= at_ms - cfg.change_window_ms)
            .map(|&(_, o)| o)
            .unwrap_or(bar.open);
        if reference > 0.0 {
            m.set(
                MetricKey::ChangePct,
                Some((bar.close / reference - 1.0) * 100.0),
            );
        }
        if !self.tainted {
            m.set(
                MetricKey::VolumeZ,
                self.log_volume.z(bar.volume.ln_1p(), cfg.volume_warmup),
            );
        }
        m
    }

    /// Files a closed bar into the history.
    fn absorb_closed(&mut self, bar: &Candle, cfg: &SeriesConfig) {
        if !self.tainted {
            self.log_volume.push(bar.volume.ln_1p());
        }
        self.tainted = false;
        self.last_closed_open = Some(bar.open_time);
        self.opens.push_back((bar.open_time, bar.open));
        let horizon = bar.open_time - cfg.change_window_ms;
        while self.opens.front().is_some_and(|(t, _)| *t < horizon) {
            self.opens.pop_front();
        }
    }

    fn update(&mut self, bar: Candle, at_ms: i64, live: bool, cfg: &SeriesConfig) -> SeriesUpdate {
        let metrics = self.metrics(&bar, at_ms, cfg);
        let prev = if live {
            self.prev.replace(metrics)
        } else {
            None
        };
        SeriesUpdate {
            symbol: self.symbol.clone(),
            interval: bar.interval,
            bar,
            at_ms,
            live,
            metrics,
            prev,
        }
    }

    /// Closes the current bar if `at_ms` is past its end.
    fn close_due(&mut self, at_ms: i64, cfg: &SeriesConfig, out: &mut Vec<SeriesUpdate>) {
        if let Some(bar) = self.current.as_ref() {
            if bar.close_time() <= at_ms {
                let mut bar = self.current.take().unwrap_or_else(|| unreachable!());
                bar.closed = true;
                let upd = self.update(bar.clone(), bar.close_time(), true, cfg);
                self.absorb_closed(&bar, cfg);
                out.push(upd);
            }
        }
    }

    fn on_trade(&mut self, t: &Trade, cfg: &SeriesConfig, out: &mut Vec<SeriesUpdate>) {
        self.close_due(t.ts_ms, cfg, out);
        if self
            .last_closed_open
            .is_some_and(|o| Interval::M1.floor(t.ts_ms) <= o)
        {
            return; // a late print for a bar that is already final
        }
        let bar = match self.current.as_mut() {
            Some(c) => {
                c.apply(t);
                c.clone()
            }
            None => {
                let c = Candle::from_trade(t, Interval::M1);
                self.current = Some(c.clone());
                c
            }
        };
        out.push(self.update(bar, t.ts_ms, true, cfg));
    }

    fn on_candle(
        &mut self,
        c: &Candle,
        live: bool,
        cfg: &SeriesConfig,
        out: &mut Vec<SeriesUpdate>,
    ) {
        if self.last_closed_open.is_some_and(|o| c.open_time <= o) {
            return; // already have it
        }
        if let Some(cur) = &self.current {
            if cur.open_time < c.open_time {
                // The source moved on: what we had is final.
                self.close_due(c.open_time, cfg, out);
            }
        }
        let at_ms = if c.closed {
            c.close_time()
        } else {
            c.open_time
        };
        if c.closed {
            self.current = None;
            let upd = self.update(c.clone(), at_ms, live, cfg);
            self.absorb_closed(c, cfg);
            out.push(upd);
        } else {
            self.current = Some(c.clone());
            out.push(self.update(c.clone(), at_ms, live, cfg));
        }
    }

    fn gap(&mut self) {
        self.prev = None;
        if self.current.is_some() {
            self.tainted = true;
        }
    }
}

/// All series of the engine, keyed by symbol (1m for now).
pub struct SeriesBook {
    cfg: SeriesConfig,
    series: HashMap<Symbol, SymbolSeries>,
}

impl SeriesBook {
    pub fn new(cfg: SeriesConfig) -> Self {
        SeriesBook {
            cfg,
            series: HashMap::new(),
        }
    }

    fn entry(&mut self, symbol: &Symbol) -> &mut SymbolSeries {
        let cfg = &self.cfg;
        self.series
            .entry(symbol.clone())
            .or_insert_with(|| SymbolSeries::new(symbol.clone(), cfg))
    }

    /// Applies one event; the resulting updates are appended to `out`, oldest first.
    pub fn on_event(&mut self, ev: &MarketEvent, out: &mut Vec<SeriesUpdate>) {
        let cfg = self.cfg.clone();
        match ev {
            MarketEvent::Trade(t) => self.entry(&t.symbol).on_trade(t, &cfg, out),
            MarketEvent::Candle(c) if c.interval == Interval::M1 => {
                self.entry(&c.symbol).on_candle(c, true, &cfg, out)
            }
            MarketEvent::Backfill(c) if c.interval == Interval::M1 => {
                self.entry(&c.symbol).on_candle(c, false, &cfg, out)
            }
            MarketEvent::Candle(_) | MarketEvent::Backfill(_) => {}
            MarketEvent::Heartbeat { source, at_ms } => {
                for s in self.series.values_mut() {
                    if s.symbol.source() == source {
                        s.close_due(*at_ms, &cfg, out);
                    }
                }
            }
            MarketEvent::Reconnecting { source, .. } => {
                for s in self.series.values_mut() {
                    if s.symbol.source() == source {
                        s.gap();
                    }
                }
            }
        }
    }

    pub fn symbols(&self) -> impl Iterator<Item = &Symbol> {
        self.series.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_767_571_200_000;

    fn sym() -> Symbol {
        Symbol::new("demo", "ALPHA")
    }
    fn trade(ts: i64, price: f64, qty: f64) -> MarketEvent {
        MarketEvent::Trade(Trade {
            symbol: sym(),
            ts_ms: ts,
            price,
            qty,
        })
    }
    fn bar(i: i64, volume: f64) -> MarketEvent {
        MarketEvent::Backfill(Candle {
            symbol: sym(),
            interval: Interval::M1,
            open_time: T0 + i * 60_000,
            open: 100.0,
            high: 101.0,
            low: 99.0,
            close: 100.5,
            volume,
            quote_volume: volume * 100.0,
            trades: 10,
            closed: true,
        })
    }
    fn run(book: &mut SeriesBook, evs: &[MarketEvent]) -> Vec<SeriesUpdate> {
        let mut out = Vec::new();
        for e in evs {
            book.on_event(e, &mut out);
        }
        out
    }

    #[test]
    fn trades_build_a_bar_that_closes_on_the_next_minute_or_a_heartbeat() {
        let mut book = SeriesBook::new(SeriesConfig::default());
        let out = run(
            &mut book,
            &[
                trade(T0 + 1_000, 10.0, 1.0),
                trade(T0 + 2_000, 12.0, 2.0),
                trade(T0 + 3_000, 9.0, 1.0),
            ],
        );
        let last = &out.last().unwrap().bar;
        assert_eq!(
            (
                last.open,
                last.high,
                last.low,
                last.close,
                last.volume,
                last.trades
            ),
            (10.0, 12.0, 9.0, 9.0, 4.0, 3)
        );
        assert!(!last.closed);
        let out = run(&mut book, &[trade(T0 + 61_000, 11.0, 1.0)]);
        assert_eq!(out.len(), 2);
        assert!(out[0].bar.closed && out[0].bar.open_time == T0);
        assert_eq!(out[1].bar.open_time, T0 + 60_000);
        let hb = MarketEvent::Heartbeat {
            source: "demo".into(),
            at_ms: T0 + 120_000,
        };
        let out = run(&mut book, &[hb]);
        assert_eq!(out.len(), 1);
        assert!(out[0].bar.closed && out[0].bar.open_time == T0 + 60_000);
        // A late print for a bar that is already final changes nothing.
        assert!(run(&mut book, &[trade(T0 + 100_000, 50.0, 9.0)]).is_empty());
    }

    #[test]
    fn volume_z_warms_up_then_flags_a_burst() {
        let mut book = SeriesBook::new(SeriesConfig::default());
        let history: Vec<_> = (0..19)
            .map(|i| bar(i, 100.0 + (i % 5) as f64 * 10.0))
            .collect();
        let out = run(&mut book, &history);
        assert!(out.iter().all(|u| !u.live && u.prev.is_none()));
        assert!(
            out.iter()
                .all(|u| u.metrics.get(MetricKey::VolumeZ).is_none()),
            "19 bars are not warm"
        );
        let out = run(
            &mut book,
            &[
                bar(19, 120.0),
                trade(T0 + 20 * 60_000 + 500, 100.0, 2_000.0),
            ],
        );
        let z = out
            .last()
            .unwrap()
            .metrics
            .get(MetricKey::VolumeZ)
            .expect("warm after 20 bars");
        assert!(z > 10.0, "a 15x volume minute is {z} sigma");
        assert!(out.last().unwrap().live);
    }

    #[test]
    fn change_pct_is_against_the_open_24h_ago() {
        let cfg = SeriesConfig {
            change_window_ms: 10 * 60_000,
            ..SeriesConfig::default()
        };
        let mut book = SeriesBook::new(cfg);
        run(
            &mut book,
            &(0..30).map(|i| bar(i, 100.0)).collect::<Vec<_>>(),
        );
        let out = run(&mut book, &[trade(T0 + 30 * 60_000 + 1, 110.0, 1.0)]);
        let pct = out[0].metrics.get(MetricKey::ChangePct).unwrap();
        assert!((pct - 10.0).abs() < 1e-9, "{pct}");
    }

    #[test]
    fn a_reconnect_breaks_crossing_history_and_skips_the_torn_bar() {
        let mut book = SeriesBook::new(SeriesConfig::default());
        run(
            &mut book,
            &(0..30)
                .map(|i| bar(i, 100.0 + (i % 3) as f64))
                .collect::<Vec<_>>(),
        );
        let t = T0 + 30 * 60_000;
        let out = run(
            &mut book,
            &[trade(t + 1, 100.0, 1.0), trade(t + 2, 100.0, 1.0)],
        );
        assert!(out[1].prev.is_some());
        let gap = MarketEvent::Reconnecting {
            source: "demo".into(),
            at_ms: t + 3,
        };
        let out = run(&mut book, &[gap, trade(t + 4, 100.0, 1.0)]);
        assert!(out[0].prev.is_none(), "no crossing across a gap");
        assert!(
            out[0].metrics.get(MetricKey::VolumeZ).is_none(),
            "a torn bar is not scored"
        );
        let out = run(&mut book, &[trade(t + 60_000, 100.0, 1.0)]);
        assert!(
            out[1].metrics.get(MetricKey::VolumeZ).is_some(),
            "the next bar is scored again"
        );
    }
}
