//! The market radar: across a source's whole universe, the live top anomalies and the top
//! movers (by % move over 5m, 1h and 24h, and by relative volume). Fed every series update;
//! each update is O(1) amortised, a query sorts the symbols once.

use crate::metric::MetricKey;
use crate::series::SeriesUpdate;
use std::collections::{HashMap, VecDeque};
use tw_core::{Interval, Symbol};

const MIN: i64 = 60_000;

/// The look-backs of the movers list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveWindow {
    M5,
    H1,
    H24,
}

impl MoveWindow {
    fn millis(self) -> i64 {
        match self {
            MoveWindow::M5 => 5 * MIN,
            MoveWindow::H1 => 60 * MIN,
            MoveWindow::H24 => 1440 * MIN,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RadarRow {
    pub symbol: Symbol,
    /// The interval of the anomaly (anomaly list) or of the relative volume.
    pub interval: Interval,
    pub price: f64,
    /// The value the list is ranked by (score, % move, relative volume).
    pub value: f64,
    pub at_ms: i64,
}

#[derive(Default)]
struct Entry {
    price: f64,
    at_ms: i64,
    /// (minute open time, close) of the closed 1m bars of the last 24 h, oldest first.
    closes: VecDeque<(i64, f64)>,
    /// Latest anomaly score per interval, with its time.
    scores: [Option<(f64, i64)>; 6],
    rvol: Option<(Interval, f64, i64)>,
}

pub struct Radar {
    source: String,
    /// How long an anomaly stays on the list.
    pub anomaly_ttl_ms: i64,
    entries: HashMap<Symbol, Entry>,
}

fn slot(i: Interval) -> usize {
    Interval::ALL.iter().position(|x| *x == i).unwrap_or(0)
}

impl Radar {
    /// A radar over every symbol of `source`.
    pub fn new(source: &str) -> Self {
        Radar {
            source: source.to_string(),
            anomaly_ttl_ms: 60 * MIN,
            entries: HashMap::new(),
        }
    }

    pub fn on_update(&mut self, u: &SeriesUpdate) {
        if u.symbol.source() != self.source {
            return;
        }
        let e = self.entries.entry(u.symbol.clone()).or_default();
        if u.at_ms >= e.at_ms {
            e.price = u.bar.close;
            e.at_ms = u.at_ms;
        }
        if u.interval == Interval::M1 && u.bar.closed {
            if e.closes.back().is_none_or(|(t, _)| *t < u.bar.open_time) {
                e.closes.push_back((u.bar.open_time, u.bar.close));
            }
            let horizon = u.bar.open_time - MoveWindow::H24.millis();
            while e.closes.front().is_some_and(|(t, _)| *t < horizon) {
                e.closes.pop_front();
            }
        }
        if u.live {
            if let Some(s) = u.metrics.get(MetricKey::AnomalyScore) {
                e.scores[slot(u.interval)] = Some((s, u.at_ms));
            }
        }
        // Relative volume of the finest interval that has one.
        if let Some(r) = u.metrics.get(MetricKey::Rvol) {
            if e.rvol.is_none_or(|(i, _, t)| {
                u.interval.millis() <= i.millis() || u.at_ms - t > i.millis()
            }) {
                e.rvol = Some((u.interval, r, u.at_ms));
            }
        }
    }

    /// The highest anomaly scores seen within the TTL before `now_ms`, one row per symbol
    /// (its highest-scoring interval).
    pub fn top_anomalies(&self, n: usize, now_ms: i64) -> Vec<RadarRow> {
        let mut rows: Vec<RadarRow> = self
            .entries
            .iter()
            .filter_map(|(sym, e)| {
                let (i, (score, at)) = Interval::ALL
                    .iter()
                    .zip(e.scores)
                    .filter_map(|(i, s)| s.map(|s| (*i, s)))
                    .filter(|(_, (_, at))| now_ms - at <= self.anomaly_ttl_ms)
                    .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0))?;
                Some(RadarRow {
                    symbol: sym.clone(),
                    interval: i,
                    price: e.price,
                    value: score,
                    at_ms: at,
                })
            })
            .collect();
        top(&mut rows, n);
        rows
    }

    /// The largest moves (either way, by size) over `w`, in percent.
    pub fn top_movers(&self, w: MoveWindow, n: usize) -> Vec<RadarRow> {
        let mut rows: Vec<RadarRow> = self
            .entries
            .iter()
            .filter_map(|(sym, e)| {
                // The close of the minute that ended `w` ago (or the oldest one after it).
                let since = e.at_ms - w.millis();
                let &(_, then) = e.closes.iter().find(|(t, _)| *t + MIN >= since)?;
                (then > 0.0).then(|| RadarRow {
                    symbol: sym.clone(),
                    interval: Interval::M1,
                    price: e.price,
                    value: (e.price / then - 1.0) * 100.0,
                    at_ms: e.at_ms,
                })
            })
            .collect();
        rows.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
        rows.truncate(n);
        rows
    }

    /// The highest relative volumes.
    pub fn top_rvol(&self, n: usize) -> Vec<RadarRow> {
        let mut rows: Vec<RadarRow> = self
            .entries
            .iter()
            .filter_map(|(sym, e)| {
                let (i, r, at) = e.rvol?;
                Some(RadarRow {
                    symbol: sym.clone(),
                    interval: i,
                    price: e.price,
                    value: r,
                    at_ms: at,
                })
            })
            .collect();
        top(&mut rows, n);
        rows
    }
}

fn top(rows: &mut Vec<RadarRow>, n: usize) {
    rows.sort_by(|a, b| b.value.total_cmp(&a.value));
    rows.truncate(n);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::{SeriesBook, SeriesConfig};
    use tw_core::{Candle, MarketEvent};

    const T0: i64 = 1_767_571_200_000;

    fn bar(code: &str, i: i64, close: f64, volume: f64) -> MarketEvent {
        MarketEvent::Candle(Candle {
            symbol: Symbol::new("demo", code),
            interval: Interval::M1,
            open_time: T0 + i * MIN,
            open: close,
            high: close * 1.001,
            low: close * 0.999,
            close,
            volume,
            quote_volume: volume * close,
            trades: 1,
            closed: true,
        })
    }

    #[test]
    fn ranks_movers_and_anomalies_across_the_universe() {
        let mut book = SeriesBook::new(SeriesConfig::default());
        let mut radar = Radar::new("demo");
        let mut out = Vec::new();
        for i in 0..120 {
            let wiggle = if i % 2 == 0 { 1.0 } else { 1.001 };
            // FLAT stays put; UP drifts up 0.1 %/min; JUMP jumps 8 % on volume at minute 119.
            let evs = [
                bar("FLAT", i, 100.0 * wiggle, 10.0),
                bar("UP", i, 100.0 * 1.001f64.powi(i as i32), 10.0),
                bar(
                    "JUMP",
                    i,
                    if i == 119 { 108.0 } else { 100.0 * wiggle },
                    if i == 119 { 500.0 } else { 10.0 },
                ),
            ];
            for ev in &evs {
                out.clear();
                book.on_event(ev, &mut out);
                for u in &out {
                    radar.on_update(u);
                }
            }
        }
        let now = T0 + 120 * MIN;
        let movers = radar.top_movers(MoveWindow::H1, 3);
        assert_eq!(movers[0].symbol.code(), "JUMP");
        assert_eq!(movers[1].symbol.code(), "UP");
        assert!(
            (movers[1].value - (1.001f64.powi(119) / 1.001f64.powi(59) - 1.0) * 100.0).abs() < 1e-9
        );
        let m5 = radar.top_movers(MoveWindow::M5, 1);
        assert_eq!(m5[0].symbol.code(), "JUMP");
        let top = radar.top_anomalies(1, now);
        assert_eq!(top[0].symbol.code(), "JUMP", "{top:?}");
        assert!(top[0].value > 1.0);
        assert!(
            radar.top_anomalies(3, now + 3 * 3_600_000).is_empty(),
            "old anomalies leave the list"
        );
        assert_eq!(
            radar.top_rvol(3).len(),
            0,
            "no relative volume before a few days of data"
        );
    }
}
