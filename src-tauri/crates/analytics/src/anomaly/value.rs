//! A detector for a plain stream of values (no prices, no volumes), used for the Numenta
//! Anomaly Benchmark. Four stages, each O(1) per value over fixed windows; nothing looks
//! ahead:
//! 1. raw surprises: the robust z-score of the change (x − previous x, against the median/MAD
//!    of recent changes) and of a level shift (fast EWMA − slow EWMA, in robust units of the
//!    recent level);
//! 2. likelihood: for each, how unusual the short average of its surprises is against this
//!    stream's own long history of them (so a naturally spiky stream does not alarm all the
//!    time); the score is the more unusual of the two, squashed into [0, 1);
//! 3. a refractory period after a report (a score at or above `report_level`), so one event
//!    is reported once;
//! 4. a context stage: CAD OSE ([`crate::nab::StreamingCad`], a port of the Contextual
//!    Anomaly Detector with its value range taken from the first values instead of the
//!    whole file); the score is the larger of the above and `cad_weight` × its score. Its
//!    context store is capped, so its memory and work per value are bounded.

use super::config::ValueDetectorConfig;
use super::window::SortedWindow;
use crate::indicators::WindowSum;
use crate::nab::{CadConfig, StreamingCad};
use crate::stats::RollingStats;

const PARTS: usize = 2;

#[derive(Clone, Debug)]
pub struct ValueDetector {
    cfg: ValueDetectorConfig,
    prev: Option<f64>,
    levels: SortedWindow,
    diffs: SortedWindow,
    fast: Option<f64>,
    slow: Option<f64>,
    hist: [RollingStats; PARTS],
    short: [WindowSum; PARTS],
    quiet_left: usize,
    cad: Option<StreamingCad>,
}

impl ValueDetector {
    pub fn new(cfg: ValueDetectorConfig) -> Self {
        ValueDetector {
            prev: None,
            levels: SortedWindow::new(cfg.window),
            diffs: SortedWindow::new(cfg.window),
            fast: None,
            slow: None,
            hist: std::array::from_fn(|_| RollingStats::new(cfg.history)),
            short: std::array::from_fn(|_| WindowSum::new(cfg.short)),
            quiet_left: 0,
            cad: (cfg.cad_weight > 0.0).then(|| {
                StreamingCad::new(
                    CadConfig {
                        rest_period: cfg.cad_rest,
                        max_contexts: cfg.cad_max_contexts,
                        ..CadConfig::default()
                    },
                    cfg.cad_warmup,
                )
            }),
            cfg,
        }
    }

    /// Stage 1: the raw surprises of `x` before it joins the baselines.
    fn raw(&self, x: f64) -> Option<[f64; PARTS]> {
        if self.levels.len() < self.cfg.warmup {
            return None;
        }
        let level_scale = robust_scale(&self.levels)?;
        let change = match (self.prev, robust_scale(&self.diffs), self.diffs.median()) {
            (Some(p), Some(sc), Some(m)) => ((x - p) - m) / sc,
            _ => 0.0,
        };
        let shift = match (self.fast, self.slow) {
            (Some(f), Some(s)) => (f - s) / level_scale,
            _ => 0.0,
        };
        Some([change.abs(), shift.abs()])
    }

    /// Scores the next value, in [0, 1).
    pub fn push(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return 0.0;
        }
        let s = self.push_stages(x);
        match &mut self.cad {
            Some(cad) => s.max(self.cfg.cad_weight * cad.push(x)),
            None => s,
        }
    }

    /// Stages 1–3.
    fn push_stages(&mut self, x: f64) -> f64 {
        let raw = self.raw(x);
        if let Some(p) = self.prev {
            self.diffs.push(x - p);
        }
        self.levels.push(x);
        let a_fast = 2.0 / (self.cfg.fast_span + 1.0);
        let a_slow = 2.0 / (self.cfg.slow_span + 1.0);
        self.fast = Some(self.fast.map_or(x, |f| f + a_fast * (x - f)));
        self.slow = Some(self.slow.map_or(x, |s| s + a_slow * (x - s)));
        self.prev = Some(x);
        let Some(raw) = raw else { return 0.0 };
        // Stage 2.
        let mut z = 0.0f64;
        for (i, r) in raw.iter().enumerate() {
            // Log-compress so one enormous value does not dominate the history's spread.
            let r = r.min(50.0).ln_1p();
            self.short[i].push(r);
            let (hist, short) = (&self.hist[i], &self.short[i]);
            if let (Some(m), Some(s)) = (hist.mean(), hist.std()) {
                if hist.len() >= self.cfg.warmup && short.is_full() {
                    let avg = short.sum() / short.len() as f64;
                    z = z.max((avg - m) / s.max(1e-3));
                }
            }
            self.hist[i].push(r);
        }
        let score = z / (z + 10.0);
        // Stage 3.
        if self.quiet_left > 0 {
            self.quiet_left -= 1;
            return 0.0;
        }
        if score >= self.cfg.report_level {
            self.quiet_left = self.cfg.refractory;
        }
        score
    }

    /// Approximate heap bytes held.
    pub fn memory_bytes(&self) -> usize {
        self.levels.memory_bytes()
            + self.diffs.memory_bytes()
            + PARTS * (self.cfg.history + self.cfg.short) * 8
            + self.cad.as_ref().map_or(0, StreamingCad::memory_bytes)
    }
}

fn robust_scale(w: &SortedWindow) -> Option<f64> {
    let sc = (1.4826 * w.mad()?).max(0.1 * w.std()?);
    (sc > 1e-9).then_some(sc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jump_in_a_noisy_stream_is_reported_once_and_noise_stays_low() {
        let cfg = ValueDetectorConfig::default();
        let report = cfg.report_level;
        let mut d = ValueDetector::new(cfg);
        // A deterministic wiggle: no anomaly in 3000 values.
        let noise = |i: usize| ((i * 7919) % 101) as f64 / 101.0;
        let quiet_max = (0..3000)
            .map(|i| d.push(10.0 + noise(i)))
            .fold(0.0, f64::max);
        assert!(quiet_max < report, "noise scored {quiet_max}");
        // A jump to a new level: reported within the short average (4 values), then quiet
        // for the refractory period.
        let scores: Vec<f64> = std::iter::once(d.push(30.0))
            .chain((0..50).map(|i| d.push(30.0 + noise(i))))
            .collect();
        let first = scores.iter().position(|s| *s >= report);
        assert!(first.is_some_and(|i| i < 4), "{scores:?}");
        let first = first.unwrap_or_default();
        assert!(
            scores[first + 1..].iter().all(|s| *s < report),
            "{scores:?}"
        );
    }
}
