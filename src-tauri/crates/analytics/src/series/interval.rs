//! One (symbol, interval) series: the bar being built, its indicators and its detector.

use super::extras::Extras;
use super::{Demand, Flagged, SeriesConfig, SeriesUpdate, DETECTOR_METRICS};
use crate::anomaly::{BarDetector, BarScores, DetectorParts};
use crate::indicators::{Bar, IndicatorSet};
use crate::metric::{MetricKey, Metrics};
use std::collections::VecDeque;
use tw_core::{Candle, Interval, Symbol, Trade};

pub(super) struct IntervalSeries {
    pub symbol: Symbol,
    pub interval: Interval,
    /// The bar still open, as it stands.
    pub current: Option<Candle>,
    /// Rolled-up series only: the closed finer bars of the current bucket, merged.
    pub closed_part: Option<Candle>,
    /// The current bar started after a reconnect: its volume is incomplete, do not score it.
    tainted: bool,
    pub last_closed_open: Option<i64>,
    ind: IndicatorSet,
    /// `None` when no detector metric is demanded.
    det: Option<BarDetector>,
    /// (open time, open) of the bars inside the `change_pct` look-back, oldest first; `None`
    /// when `change_pct` is not demanded.
    opens: Option<VecDeque<(i64, f64)>>,
    demand: Demand,
    prev: Option<Metrics>,
    pub last_scores: BarScores,
    /// The detector's scores of the last closed bar (what a scan of history reports).
    pub last_closed_scores: BarScores,
    /// Live updates the detector flagged since the book last drained them.
    pub flagged: Vec<Flagged>,
    /// The symbol's latest fundamentals and open interest.
    pub extras: Extras,
}

impl IntervalSeries {
    pub fn new(symbol: Symbol, interval: Interval, cfg: &SeriesConfig) -> Self {
        let wants = |k: MetricKey| cfg.demand.wants(interval, k);
        IntervalSeries {
            symbol,
            interval,
            current: None,
            closed_part: None,
            tainted: false,
            last_closed_open: None,
            ind: IndicatorSet::wanted(&cfg.indicators, interval.millis(), wants),
            det: detector_parts(wants)
                .map(|p| BarDetector::with_parts(cfg.detector.clone(), interval.millis(), p)),
            opens: wants(MetricKey::ChangePct).then(VecDeque::new),
            demand: cfg.demand.clone(),
            prev: None,
            last_scores: BarScores::default(),
            last_closed_scores: BarScores::default(),
            flagged: Vec::new(),
            extras: Extras::default(),
        }
    }

    pub fn track(&mut self, k: MetricKey) {
        if self.demand.wants(self.interval, k) {
            self.ind.track(k);
        }
    }

    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.ind.memory_bytes()
            + self.det.as_ref().map_or(0, |d| d.memory_bytes())
            + self.opens.as_ref().map_or(0, |o| o.capacity() * 16)
    }

    /// Metrics of `bar`; a closing bar is filed into the indicators and the detector.
    fn metrics(&mut self, bar: &Candle, at_ms: i64, closing: bool, cfg: &SeriesConfig) -> Metrics {
        let mut m = Metrics::default();
        m.set(MetricKey::Price, Some(bar.close));
        m.set(MetricKey::Volume, Some(bar.volume));
        m.set(MetricKey::QuoteVolume, Some(bar.quote_volume));
        if let Some(opens) = &self.opens {
            let reference = opens
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
        }
        let b = Bar::from(bar);
        if closing {
            self.ind.push(&b, &mut m);
        } else {
            self.ind.peek(&b, &mut m);
        }
        let Some(det) = self.det.as_mut() else {
            self.extras.write(self.interval, bar.open_time, &mut m);
            return m;
        };
        let scores = if closing {
            det.push(&b, !self.tainted)
        } else {
            let mut s = det.peek(&b);
            if self.tainted {
                s.volume_z = None;
            }
            s
        };
        m.set(MetricKey::VolumeZ, scores.volume_z);
        m.set(MetricKey::ReturnZ, scores.return_z);
        m.set(MetricKey::ReturnRobustZ, scores.return_robust_z);
        m.set(MetricKey::ReturnPctile, scores.return_pctile);
        m.set(MetricKey::RangeZ, scores.range_z);
        m.set(MetricKey::EwmaVol, scores.ewma_vol);
        m.set(MetricKey::Cusum, scores.cusum);
        m.set(MetricKey::AnomalyScore, scores.anomaly_score);
        self.extras.write(self.interval, bar.open_time, &mut m);
        if closing {
            self.last_closed_scores = scores.clone();
        }
        self.last_scores = scores;
        m
    }

    fn file_closed(&mut self, bar: &Candle, cfg: &SeriesConfig) {
        self.tainted = false;
        self.last_closed_open = Some(bar.open_time);
        if let Some(opens) = self.opens.as_mut() {
            opens.push_back((bar.open_time, bar.open));
            let horizon = bar.open_time - cfg.change_window_ms;
            while opens.front().is_some_and(|(t, _)| *t < horizon) {
                opens.pop_front();
            }
        }
    }

    /// Emits an update for `bar`; a closed bar is filed.
    pub fn emit(
        &mut self,
        bar: Candle,
        at_ms: i64,
        live: bool,
        cfg: &SeriesConfig,
    ) -> SeriesUpdate {
        let closing = bar.closed;
        let metrics = self.metrics(&bar, at_ms, closing, cfg);
        if closing {
            self.file_closed(&bar, cfg);
        }
        let prev = if live {
            self.prev.replace(metrics)
        } else {
            None
        };
        if live && self.last_scores.flagged {
            self.flagged.push(Flagged {
                symbol: self.symbol.clone(),
                interval: self.interval,
                open_time: bar.open_time,
                at_ms,
                closed: closing,
                price: bar.close,
                score: self.last_scores.anomaly_score.unwrap_or(0.0),
                reasons: self.last_scores.reasons.clone(),
            });
        }
        SeriesUpdate {
            symbol: self.symbol.clone(),
            interval: self.interval,
            bar,
            at_ms,
            live,
            metrics,
            prev,
        }
    }

    /// Closes the current bar if `at_ms` is past its end.
    pub fn close_due(&mut self, at_ms: i64, cfg: &SeriesConfig, out: &mut Vec<SeriesUpdate>) {
        if self
            .current
            .as_ref()
            .is_some_and(|b| b.close_time() <= at_ms)
        {
            if let Some(mut bar) = self.current.take() {
                self.closed_part = None;
                bar.closed = true;
                let at = bar.close_time();
                out.push(self.emit(bar, at, true, cfg));
            }
        }
    }

    /// A print (1m series built from trades).
    pub fn on_trade(&mut self, t: &Trade, cfg: &SeriesConfig, out: &mut Vec<SeriesUpdate>) {
        self.close_due(t.ts_ms, cfg, out);
        if self
            .last_closed_open
            .is_some_and(|o| self.interval.floor(t.ts_ms) <= o)
        {
            return; // a late print for a bar that is already final
        }
        let bar = match self.current.as_mut() {
            Some(c) => {
                c.apply(t);
                c.clone()
            }
            None => {
                let c = Candle::from_trade(t, self.interval);
                self.current = Some(c.clone());
                c
            }
        };
        out.push(self.emit(bar, t.ts_ms, true, cfg));
    }

    /// A whole bar of this interval, partial or closed (a source's own, or one rolled up).
    pub fn on_bar(
        &mut self,
        c: &Candle,
        live: bool,
        cfg: &SeriesConfig,
        out: &mut Vec<SeriesUpdate>,
    ) {
        if self.last_closed_open.is_some_and(|o| c.open_time <= o) {
            return; // already have it
        }
        if self
            .current
            .as_ref()
            .is_some_and(|cur| cur.open_time < c.open_time)
        {
            // The source moved on: what we had is final.
            self.close_due(c.open_time, cfg, out);
        }
        let at_ms = if c.closed {
            c.close_time()
        } else {
            c.open_time
        };
        if c.closed {
            self.current = None;
            self.closed_part = None;
            out.push(self.emit(c.clone(), at_ms, live, cfg));
        } else {
            self.current = Some(c.clone());
            out.push(self.emit(c.clone(), at_ms, live, cfg));
        }
    }

    /// A bar of a finer interval of the same symbol, merged into this coarser one.
    pub fn on_finer(
        &mut self,
        child: &Candle,
        at_ms: i64,
        live: bool,
        cfg: &SeriesConfig,
        out: &mut Vec<SeriesUpdate>,
    ) {
        let bucket = self.interval.floor(child.open_time);
        if self.last_closed_open.is_some_and(|o| bucket <= o) {
            return;
        }
        if self
            .current
            .as_ref()
            .is_some_and(|cur| cur.open_time < bucket)
        {
            self.close_due(bucket, cfg, out);
        }
        let mut bar = match &self.closed_part {
            Some(part) if part.open_time == bucket => merge(part, child),
            _ => Candle {
                symbol: child.symbol.clone(),
                interval: self.interval,
                open_time: bucket,
                closed: false,
                ..child.clone()
            },
        };
        bar.closed = false;
        if child.closed {
            self.closed_part = Some(bar.clone());
        }
        let complete = child.closed && child.close_time() >= bucket + self.interval.millis();
        if complete {
            bar.closed = true;
            self.current = None;
            self.closed_part = None;
            out.push(self.emit(bar.clone(), bar.close_time(), live, cfg));
        } else {
            self.current = Some(bar.clone());
            out.push(self.emit(bar, at_ms, live, cfg));
        }
    }

    pub fn gap(&mut self) {
        self.prev = None;
        if let Some(d) = self.det.as_mut() {
            d.reset();
        }
        if self.current.is_some() {
            self.tainted = true;
        }
    }
}

/// The parts of the detector that write a wanted metric; `None` when none does.
fn detector_parts(wants: impl Fn(MetricKey) -> bool) -> Option<DetectorParts> {
    if !DETECTOR_METRICS.iter().any(|k| wants(*k)) {
        return None;
    }
    // The CUSUM and the composite score need every part (see `DetectorParts`).
    if wants(MetricKey::Cusum) || wants(MetricKey::AnomalyScore) {
        return Some(DetectorParts::ALL);
    }
    Some(DetectorParts {
        returns: [
            MetricKey::ReturnZ,
            MetricKey::ReturnRobustZ,
            MetricKey::ReturnPctile,
            MetricKey::EwmaVol,
        ]
        .iter()
        .any(|k| wants(*k)),
        volume: wants(MetricKey::VolumeZ),
        range: wants(MetricKey::RangeZ),
    })
}

/// `acc` (the finer bars so far in the bucket) followed by `next`.
fn merge(acc: &Candle, next: &Candle) -> Candle {
    Candle {
        high: acc.high.max(next.high),
        low: acc.low.min(next.low),
        close: next.close,
        volume: acc.volume + next.volume,
        quote_volume: acc.quote_volume + next.quote_volume,
        trades: acc.trades + next.trades,
        ..acc.clone()
    }
}
