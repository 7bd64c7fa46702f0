//! The market radar: across a source's whole universe (or every source), the live top
//! anomalies with their reasons and the top movers (by % move over 5m, 1h and 24h, and by
//! relative volume). Fed every series update; each update is O(1) amortised, a query sorts
//! the symbols once.

use crate::metric::MetricKey;
use crate::series::{Flagged, SeriesUpdate};
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
    /// Open time of the bar the row describes, and whether it is final.
    pub open_time: i64,
    pub closed: bool,
    /// Anomaly list: whether the detector flagged the bar by its thresholds, and why in words
    /// (empty unless flagged).
    pub flagged: bool,
    pub reasons: Vec<String>,
}

/// The anomaly score of one bar of one series.
#[derive(Clone, Debug)]
struct Scored {
    score: f64,
    at_ms: i64,
    open_time: i64,
    closed: bool,
    flagged: bool,
    reasons: Vec<String>,
}

#[derive(Default)]
struct Entry {
    price: f64,
    at_ms: i64,
    /// (minute open time, close) of the closed 1m bars of the last 24 h, oldest first.
    closes: VecDeque<(i64, f64)>,
    /// Daily-only symbols: (open time, close) of the latest closed 1d bars, and the open time
    /// of the latest 1d bar seen.
    days: VecDeque<(i64, f64)>,
    day_open: i64,
    /// Per interval: the bar to show, the latest one unless an earlier bar within the TTL
    /// scored higher.
    scores: [Option<Scored>; 6],
    rvol: Option<(Interval, f64, i64)>,
    /// Latest (open interest, % change over the series' change look-back, market time) of a
    /// futures contract; only once the change covers enough of the look-back to mean it.
    oi: Option<(f64, f64, i64)>,
}

/// One row of the open-interest ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct OiRow {
    pub symbol: Symbol,
    /// Open interest in contracts (base asset), as the venue reports it.
    pub open_interest: f64,
    /// % change of the open interest over the change look-back (24 h by default).
    pub change_pct: f64,
    pub price: f64,
    pub at_ms: i64,
}

pub struct Radar {
    /// `None`: every source.
    source: Option<String>,
    /// How long an anomaly stays on the list (at least one bar of its interval).
    pub anomaly_ttl_ms: i64,
    entries: HashMap<Symbol, Entry>,
    /// The market time of each source's latest update: anomalies age against their own
    /// source's clock, so a replay or a closed market does not empty the list.
    now: HashMap<String, i64>,
}

fn slot(i: Interval) -> usize {
    Interval::ALL.iter().position(|x| *x == i).unwrap_or(0)
}

impl Radar {
    /// A radar over every symbol of `source`.
    pub fn new(source: &str) -> Self {
        Radar {
            source: Some(source.to_string()),
            ..Radar::all()
        }
    }

    /// A radar over every symbol of every source.
    pub fn all() -> Self {
        Radar {
            source: None,
            anomaly_ttl_ms: 60 * MIN,
            entries: HashMap::new(),
            now: HashMap::new(),
        }
    }

    fn ttl(&self, i: Interval) -> i64 {
        self.anomaly_ttl_ms.max(i.millis())
    }

    fn watches(&self, s: &Symbol) -> bool {
        self.source.as_deref().is_none_or(|src| s.source() == src)
    }

    /// How many symbols the radar has seen.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn on_update(&mut self, u: &SeriesUpdate) {
        if !self.watches(&u.symbol) {
            return;
        }
        let ttl = self.ttl(u.interval);
        match self.now.get_mut(u.symbol.source()) {
            Some(t) => *t = (*t).max(u.at_ms),
            None => {
                self.now.insert(u.symbol.source().to_string(), u.at_ms);
            }
        }
        let e = self.entries.entry(u.symbol.clone()).or_default();
        if u.at_ms >= e.at_ms {
            e.price = u.bar.close;
            e.at_ms = u.at_ms;
        }
        if u.interval == Interval::D1 {
            e.day_open = e.day_open.max(u.bar.open_time);
            if u.bar.closed && e.days.back().is_none_or(|(t, _)| *t < u.bar.open_time) {
                e.days.push_back((u.bar.open_time, u.bar.close));
                if e.days.len() > 2 {
                    e.days.pop_front();
                }
            }
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
            if let Some(score) = u.metrics.get(MetricKey::AnomalyScore) {
                let held = &mut e.scores[slot(u.interval)];
                // An earlier bar that scored higher stays until its TTL runs out; the bar
                // being built replaces its own earlier state.
                let keep = held.as_ref().is_some_and(|h| {
                    h.open_time != u.bar.open_time && h.score > score && u.at_ms - h.at_ms <= ttl
                });
                if !keep {
                    *held = Some(Scored {
                        score,
                        at_ms: u.at_ms,
                        open_time: u.bar.open_time,
                        closed: u.bar.closed,
                        flagged: false,
                        reasons: Vec::new(),
                    });
                }
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
        // Every interval's update carries the same open-interest figures; keep the newest.
        if let (Some(oi), Some(change)) = (
            u.metrics.get(MetricKey::OpenInterest),
            u.metrics.get(MetricKey::OiChangePct),
        ) {
            if e.oi.is_none_or(|(_, _, t)| u.at_ms >= t) {
                e.oi = Some((oi, change, u.at_ms));
            }
        }
    }

    /// Attaches the detector's reasons to the update it flagged. Call after
    /// [`Radar::on_update`] has seen that update.
    pub fn on_flagged(&mut self, f: &Flagged) {
        let Some(e) = self.entries.get_mut(&f.symbol) else {
            return;
        };
        if let Some(h) = e.scores[slot(f.interval)].as_mut() {
            if h.open_time == f.open_time && h.at_ms == f.at_ms {
                h.flagged = true;
                h.reasons.clone_from(&f.reasons);
            }
        }
    }

    /// The highest anomaly scores (at least `min_score`) within the TTL, one row per symbol
    /// (its highest-scoring interval). Age is measured against `now_ms` when given, else
    /// against the latest market time of the symbol's source.
    pub fn top_anomalies(&self, n: usize, min_score: f64, now_ms: Option<i64>) -> Vec<RadarRow> {
        let mut rows: Vec<RadarRow> = self
            .entries
            .iter()
            .filter_map(|(sym, e)| {
                let now = now_ms.or_else(|| self.now.get(sym.source()).copied())?;
                let (i, s) = Interval::ALL
                    .iter()
                    .zip(&e.scores)
                    .filter_map(|(i, s)| s.as_ref().map(|s| (*i, s)))
                    .filter(|(i, s)| now - s.at_ms <= self.ttl(*i) && s.score >= min_score)
                    .max_by(|a, b| a.1.score.total_cmp(&b.1.score))?;
                Some(RadarRow {
                    symbol: sym.clone(),
                    interval: i,
                    price: e.price,
                    value: s.score,
                    at_ms: s.at_ms,
                    open_time: s.open_time,
                    closed: s.closed,
                    flagged: s.flagged,
                    reasons: s.reasons.clone(),
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
                // The close of the minute that ended `w` ago (or the oldest one after it); a
                // daily-only symbol moves against the previous day's close over 24 h.
                let since = e.at_ms - w.millis();
                let then = match e.closes.iter().find(|(t, _)| *t + MIN >= since) {
                    Some(&(_, c)) => c,
                    None if e.closes.is_empty() && w == MoveWindow::H24 => {
                        e.days.iter().rev().find(|(t, _)| *t < e.day_open)?.1
                    }
                    None => return None,
                };
                (then > 0.0).then(|| RadarRow {
                    symbol: sym.clone(),
                    interval: Interval::M1,
                    price: e.price,
                    value: (e.price / then - 1.0) * 100.0,
                    at_ms: e.at_ms,
                    open_time: e.at_ms,
                    closed: false,
                    flagged: false,
                    reasons: Vec::new(),
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
                    open_time: at,
                    closed: false,
                    flagged: false,
                    reasons: Vec::new(),
                })
            })
            .collect();
        top(&mut rows, n);
        rows
    }

    /// The largest open-interest changes either way (by size), with the open interest.
    /// Empty for a source without futures (open interest is never reported there).
    pub fn top_oi_changes(&self, n: usize) -> Vec<OiRow> {
        let mut rows: Vec<OiRow> = self
            .entries
            .iter()
            .filter_map(|(sym, e)| {
                let (oi, change, at) = e.oi?;
                Some(OiRow {
                    symbol: sym.clone(),
                    open_interest: oi,
                    change_pct: change,
                    price: e.price,
                    at_ms: at,
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            b.change_pct
                .abs()
                .total_cmp(&a.change_pct.abs())
                .then_with(|| a.symbol.as_str().cmp(b.symbol.as_str()))
        });
        rows.truncate(n);
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
        book.collect_flagged(true);
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
                for f in book.take_flagged() {
                    radar.on_flagged(&f);
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
        let top = radar.top_anomalies(1, 0.0, Some(now));
        assert_eq!(top[0].symbol.code(), "JUMP", "{top:?}");
        assert!(top[0].value > 1.0);
        assert!(top[0].flagged);
        assert!(
            top[0]
                .reasons
                .iter()
                .any(|r| r.starts_with("price +8.0% in ")),
            "the anomaly says why: {:?}",
            top[0].reasons
        );
        assert!(
            radar
                .top_anomalies(3, 0.0, Some(now + 3 * 3_600_000))
                .is_empty(),
            "old anomalies leave the list"
        );
        assert!(
            radar.top_anomalies(3, 1e9, Some(now)).is_empty(),
            "min_score filters"
        );
        assert_eq!(
            radar.top_rvol(3).len(),
            0,
            "no relative volume before a few days of data"
        );
    }
}

#[cfg(test)]
mod daily_tests {
    use super::*;
    use crate::series::{SeriesBook, SeriesConfig};
    use tw_core::{Candle, MarketEvent};

    const DAY: i64 = 86_400_000;

    #[test]
    fn a_daily_only_source_moves_against_the_previous_close_and_other_sources_are_left_out() {
        let mut book = SeriesBook::new(SeriesConfig::default());
        let mut radar = Radar::all();
        let mut only_demo = Radar::new("demo");
        let mut out = Vec::new();
        for (i, close) in [(0, 10.0), (1, 10.0), (2, 11.0)] {
            let ev = MarketEvent::Candle(Candle {
                symbol: Symbol::new("tushare", "600519.SH"),
                interval: Interval::D1,
                open_time: 20_000 * DAY + i * DAY,
                open: 10.0,
                high: close,
                low: 10.0,
                close,
                volume: 1e6,
                quote_volume: 1e7,
                trades: 0,
                closed: true,
            });
            out.clear();
            book.on_event(&ev, &mut out);
            for u in &out {
                radar.on_update(u);
                only_demo.on_update(u);
            }
        }
        let m = radar.top_movers(MoveWindow::H24, 5);
        assert_eq!(m.len(), 1);
        assert!((m[0].value - 10.0).abs() < 1e-9, "{m:?}");
        assert!(radar.top_movers(MoveWindow::H1, 5).is_empty());
        assert!(only_demo.is_empty());
    }
}

#[cfg(test)]
mod oi_tests {
    use super::*;
    use crate::series::{SeriesBook, SeriesConfig};
    use tw_core::{MarketEvent, Trade};

    const T0: i64 = 1_767_571_200_000;
    const HOUR: i64 = 3_600_000;

    #[test]
    fn ranks_open_interest_changes_by_size_either_way_from_series_updates() {
        let mut book = SeriesBook::new(SeriesConfig::default());
        let mut radar = Radar::new("binance-usdm");
        let mut out = Vec::new();
        let mut feed = |ev: MarketEvent, radar: &mut Radar| {
            out.clear();
            book.on_event(&ev, &mut out);
            for u in &out {
                radar.on_update(u);
            }
        };
        // (contract, open interest 13 h ago, now): BTC +25 %, ETH -40 %, SOL +5 %; XRP has
        // only a fresh reading (no change yet) and a demo symbol never has open interest.
        let contracts = [
            ("BTCUSDT", 80_000.0, 100_000.0),
            ("ETHUSDT", 1_000_000.0, 600_000.0),
            ("SOLUSDT", 2_000.0, 2_100.0),
        ];
        for (t, pick) in [(T0, 0usize), (T0 + 13 * HOUR, 1)] {
            for (code, before, now) in contracts {
                let sym = Symbol::new("binance-usdm", code);
                let value = [before, now][pick];
                feed(
                    MarketEvent::OpenInterest {
                        symbol: sym.clone(),
                        ts_ms: t,
                        value,
                    },
                    &mut radar,
                );
                feed(
                    MarketEvent::Trade(Trade {
                        symbol: sym,
                        ts_ms: t + 1,
                        price: 10.0,
                        qty: 1.0,
                    }),
                    &mut radar,
                );
            }
        }
        let xrp = Symbol::new("binance-usdm", "XRPUSDT");
        feed(
            MarketEvent::OpenInterest {
                symbol: xrp.clone(),
                ts_ms: T0 + 13 * HOUR,
                value: 5e6,
            },
            &mut radar,
        );
        feed(
            MarketEvent::Trade(Trade {
                symbol: xrp,
                ts_ms: T0 + 13 * HOUR + 1,
                price: 2.0,
                qty: 1.0,
            }),
            &mut radar,
        );
        let rows = radar.top_oi_changes(10);
        let codes: Vec<&str> = rows.iter().map(|r| r.symbol.code()).collect();
        assert_eq!(codes, ["ETHUSDT", "BTCUSDT", "SOLUSDT"], "{rows:?}");
        assert!((rows[0].change_pct + 40.0).abs() < 1e-9);
        assert_eq!(rows[0].open_interest, 600_000.0);
        assert!((rows[1].change_pct - 25.0).abs() < 1e-9);
        assert_eq!(rows[1].open_interest, 100_000.0);
        assert_eq!(rows[1].price, 10.0);
        assert_eq!(rows[1].at_ms, T0 + 13 * HOUR + 1);
        assert_eq!(radar.top_oi_changes(1).len(), 1, "the limit holds");

        // A source without futures has no open-interest ranking.
        let mut demo = Radar::new("demo");
        out.clear();
        let mut book = SeriesBook::new(SeriesConfig::default());
        book.on_event(
            &MarketEvent::Trade(Trade {
                symbol: Symbol::new("demo", "AAA"),
                ts_ms: T0,
                price: 1.0,
                qty: 1.0,
            }),
            &mut out,
        );
        for u in &out {
            demo.on_update(u);
        }
        assert_eq!(demo.len(), 1);
        assert!(demo.top_oi_changes(10).is_empty());
    }
}
