//! The per-(symbol, interval) bar detector.

use super::config::DetectorConfig;
use super::reasons;
use super::window::SortedWindow;
use crate::indicators::Bar;

const DAY_MS: i64 = 86_400_000;
/// Split ratios checked when a price opens far from the previous close after a session break.
const SPLIT_RATIOS: [f64; 9] = [2.0, 3.0, 4.0, 5.0, 7.0, 8.0, 10.0, 15.0, 20.0];

/// Everything the detector says about one bar. Fields are `None` while warming up or when
/// the bar follows a gap (no return is computed across a gap).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BarScores {
    /// Log return against the previous close.
    pub log_return: Option<f64>,
    /// Rolling z-score of the log return (mean / standard deviation of the window).
    pub return_z: Option<f64>,
    /// Robust z-score: (r − median) / (1.4826 · MAD), resistant to a huge print in the window.
    pub return_robust_z: Option<f64>,
    /// Percentile rank of the log return in the window, 0–100.
    pub return_pctile: Option<f64>,
    pub volume_z: Option<f64>,
    pub range_z: Option<f64>,
    /// EWMA volatility of the log return per bar, and the return in units of it.
    pub ewma_vol: Option<f64>,
    pub ewma_z: Option<f64>,
    /// Signed CUSUM statistic (positive: upward drift), in standard deviations.
    pub cusum: Option<f64>,
    pub anomaly_score: Option<f64>,
    /// True when the bar is an anomaly by the configured thresholds.
    pub flagged: bool,
    /// Why, in words; empty unless flagged.
    pub reasons: Vec<String>,
    /// Something the detector noticed and deliberately did not score (a split, a gap).
    pub note: Option<String>,
}

/// Which baselines a detector keeps and scores: returns (`return_z`, `return_robust_z`,
/// `return_pctile`, `ewma_vol`), volume (`volume_z`) and range (`range_z`). Each part's
/// scores are the same whether or not the others run (they share only the previous close and
/// the gap and split checks, which always run). The CUSUM, the composite `anomaly_score`, the
/// flag and the reasons need every part: the CUSUM restarts when it alarms, so it is only
/// kept when all parts are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DetectorParts {
    pub returns: bool,
    pub volume: bool,
    pub range: bool,
}

impl DetectorParts {
    pub const ALL: DetectorParts = DetectorParts {
        returns: true,
        volume: true,
        range: true,
    };

    pub fn all(self) -> bool {
        self == Self::ALL
    }
}

#[derive(Clone, Debug)]
pub struct BarDetector {
    cfg: DetectorConfig,
    parts: DetectorParts,
    interval_ms: i64,
    max_gap_ms: i64,
    prev_close: Option<f64>,
    prev_open_time: Option<i64>,
    rets: SortedWindow,
    log_vols: SortedWindow,
    ranges: SortedWindow,
    ewma_var: Option<f64>,
    cusum: Cusum,
}

#[derive(Clone, Copy, Debug, Default)]
struct Cusum {
    pos: f64,
    neg: f64,
    /// Closes before the current upward/downward runs began, and the run lengths.
    pos_start: f64,
    neg_start: f64,
    pos_bars: u32,
    neg_bars: u32,
}

/// The state a bar would move the detector to; `push` applies it, `peek` drops it.
struct Step {
    scores: BarScores,
    ret_in: Option<f64>,
    ewma_var: Option<f64>,
    cusum: Cusum,
    volume_shift: f64,
}

impl BarDetector {
    pub fn new(cfg: DetectorConfig, interval_ms: i64) -> Self {
        Self::with_parts(cfg, interval_ms, DetectorParts::ALL)
    }

    /// A detector keeping only some of its baselines (a backtest that reads only some of
    /// its scores); the others are `None`, and nothing is flagged unless all parts run.
    pub fn with_parts(cfg: DetectorConfig, interval_ms: i64, parts: DetectorParts) -> Self {
        // Daily bars skip weekends and holidays; intraday sources may skip a few quiet
        // minutes. Anything longer is a gap the return must not span.
        let max_gap_ms = if interval_ms >= DAY_MS {
            5 * DAY_MS
        } else {
            6 * interval_ms
        };
        BarDetector {
            interval_ms,
            max_gap_ms,
            prev_close: None,
            prev_open_time: None,
            rets: SortedWindow::new(cfg.window),
            log_vols: SortedWindow::new(cfg.window),
            ranges: SortedWindow::new(cfg.window),
            ewma_var: None,
            cusum: Cusum::default(),
            cfg,
            parts,
        }
    }

    pub fn config(&self) -> &DetectorConfig {
        &self.cfg
    }

    /// A reconnect or other break in the data: the next bar's return is not scored, and the
    /// CUSUM starts over. The baselines are kept: they still describe the market.
    pub fn reset(&mut self) {
        self.prev_close = None;
        self.cusum = Cusum::default();
    }

    /// Scores a bar that is still open, without changing any state.
    pub fn peek(&self, b: &Bar) -> BarScores {
        self.step(b).scores
    }

    /// Scores a closed bar and files it into the baselines. `volume_complete` is false for a
    /// bar torn by a reconnect: its volume is not scored and does not enter the baseline.
    pub fn push(&mut self, b: &Bar, volume_complete: bool) -> BarScores {
        let mut st = self.step(b);
        if !volume_complete {
            st.scores.volume_z = None;
        }
        if st.volume_shift != 0.0 {
            self.log_vols.shift(st.volume_shift);
        }
        if let Some(r) = st.ret_in {
            self.rets.push(r);
        }
        if self.parts.volume && volume_complete && b.volume.is_finite() && b.volume >= 0.0 {
            self.log_vols
                .push(clip(&self.log_vols, b.volume.ln_1p(), self.cfg.clip_sigmas));
        }
        if self.parts.range && b.close > 0.0 && b.high >= b.low {
            let range = (b.high - b.low) / b.close;
            self.ranges
                .push(clip(&self.ranges, range, self.cfg.clip_sigmas));
        }
        self.ewma_var = st.ewma_var;
        self.cusum = st.cusum;
        if b.close > 0.0 && b.close.is_finite() {
            self.prev_close = Some(b.close);
        }
        self.prev_open_time = Some(b.open_time);
        st.scores
    }

    /// Approximate heap bytes held by this detector.
    pub fn memory_bytes(&self) -> usize {
        self.rets.memory_bytes() + self.log_vols.memory_bytes() + self.ranges.memory_bytes()
    }

    fn step(&self, b: &Bar) -> Step {
        let cfg = &self.cfg;
        let mut s = BarScores::default();
        let mut st = Step {
            scores: BarScores::default(),
            ret_in: None,
            ewma_var: self.ewma_var,
            cusum: self.cusum,
            volume_shift: 0.0,
        };
        let warm = self.rets.len() >= cfg.warmup;
        let gap = self
            .prev_open_time
            .is_some_and(|t| b.open_time - t > self.max_gap_ms);
        if gap {
            st.cusum = Cusum::default();
            s.note = Some("after a gap in the data: return not scored".into());
        }
        if let Some(scale) = self.split_ratio(b, gap) {
            // Prices are in new units from here on: skip the return, rebase the volumes.
            st.cusum = Cusum::default();
            st.volume_shift = -scale.ln();
            s.note = Some(reasons::split(scale));
        }

        let r = match self.prev_close {
            Some(pc) if !gap && st.volume_shift == 0.0 && pc > 0.0 && b.close > 0.0 => {
                Some((b.close / pc).ln())
            }
            _ => None,
        };
        s.log_return = r;
        // The robust statistics of the return baseline, used several times below: computed
        // once (the window does not change within a step).
        let mut ret_scale = None;
        if let Some(r) = r.filter(|_| self.parts.returns) {
            let (med, scale) = (self.rets.median(), robust_scale(&self.rets));
            ret_scale = scale;
            st.ret_in = Some(clip_with(&self.rets, r, cfg.clip_sigmas, med, scale));
            let var = self.ewma_var.unwrap_or(r * r);
            st.ewma_var = Some(cfg.ewma_lambda * var + (1.0 - cfg.ewma_lambda) * r * r);
            if warm {
                let (mean, std) = (self.rets.mean(), self.rets.std());
                s.return_z = z(r, mean, std);
                s.return_robust_z = scale.and_then(|sc| Some((r - med?) / sc));
                s.return_pctile = self.rets.percentile_rank(r).map(|p| p * 100.0);
                s.ewma_vol = self.ewma_var.map(f64::sqrt);
                s.ewma_z = s.ewma_vol.filter(|v| *v > 1e-12).map(|v| r / v);
                if let (Some(med), Some(sc), true) = (med, scale, self.parts.all()) {
                    let x = ((r - med) / sc).clamp(-cfg.clip_sigmas, cfg.clip_sigmas);
                    st.cusum = self.cusum_step(st.cusum, x, b.close);
                    s.cusum = Some(if st.cusum.pos >= st.cusum.neg {
                        st.cusum.pos
                    } else {
                        -st.cusum.neg
                    });
                }
            }
        }
        // Volume and range warm up on their own: they need no previous close.
        if self.parts.volume
            && b.volume.is_finite()
            && b.volume >= 0.0
            && self.log_vols.len() >= cfg.warmup
        {
            let lv = b.volume.ln_1p() + st.volume_shift;
            s.volume_z = z(lv, self.log_vols.mean(), self.log_vols.std());
        }
        if self.parts.range && b.close > 0.0 && self.ranges.len() >= cfg.warmup {
            let range = (b.high - b.low) / b.close;
            s.range_z = z(range, self.ranges.mean(), self.ranges.std());
        }
        if self.parts.all() {
            self.judge(&mut s, b, &mut st.cusum, ret_scale);
        }
        st.scores = s;
        st
    }

    fn cusum_step(&self, mut c: Cusum, x: f64, close: f64) -> Cusum {
        let k = self.cfg.cusum_k;
        let start = self.prev_close.unwrap_or(close);
        if c.pos == 0.0 {
            c.pos_start = start;
            c.pos_bars = 0;
        }
        if c.neg == 0.0 {
            c.neg_start = start;
            c.neg_bars = 0;
        }
        c.pos = (c.pos + x - k).max(0.0);
        c.neg = (c.neg - x - k).max(0.0);
        c.pos_bars += 1;
        c.neg_bars += 1;
        c
    }

    /// Composite score, the flag, and the reasons; a CUSUM alarm restarts the CUSUM.
    /// `ret_scale` is `robust_scale` of the return baseline.
    fn judge(&self, s: &mut BarScores, b: &Bar, c: &mut Cusum, ret_scale: Option<f64>) {
        let cfg = &self.cfg;
        let Some(r) = s.log_return else { return };
        let Some(rz) = s.return_robust_z else { return };
        // The price test uses the wider of the robust and the plain spread: fat-tailed
        // markets (alts on 5m bars) have a small MAD next to their real swings, and the plain
        // spread is already protected from single prints by the clipping of the baseline.
        let pz = match (s.return_z, self.rets.std(), ret_scale) {
            (Some(_), Some(sd), Some(sc)) if sd > sc => rz * sc / sd,
            _ => rz,
        };
        let vz = s.volume_z.unwrap_or(0.0);
        let gz = s.range_z.unwrap_or(0.0);
        let cus = s.cusum.unwrap_or(0.0);
        let parts = [
            pz.abs() / cfg.price_z,
            vz.max(0.0) / cfg.volume_z,
            gz.max(0.0) / cfg.volatility_z,
            cus.abs() / cfg.cusum_h,
        ];
        let score: f64 = parts.iter().zip(cfg.weights).map(|(p, w)| p * w).sum();
        s.anomaly_score = Some(score);
        let big_enough = r.abs() >= (1.0 + cfg.min_abs_return).ln();
        let price = big_enough && pz.abs() >= cfg.price_z;
        let burst = big_enough && vz >= cfg.volume_z && gz >= cfg.volatility_z;
        let drift = if cus.abs() >= cfg.cusum_h {
            let (start, bars) = if cus > 0.0 {
                (c.pos_start, c.pos_bars)
            } else {
                (c.neg_start, c.neg_bars)
            };
            *c = Cusum::default();
            let moved = (b.close / start).ln();
            (moved.abs() >= 3.0 * cfg.min_abs_return).then_some((moved, bars))
        } else {
            None
        };
        s.flagged = price || burst || drift.is_some();
        if !s.flagged {
            return;
        }
        let label = reasons::Label::new(self.interval_ms, cfg.window);
        if vz >= cfg.volume_z {
            s.reasons.push(label.volume(vz));
        }
        if price || burst {
            s.reasons.push(label.price(r, pz));
        }
        if gz >= cfg.volatility_z {
            s.reasons.push(label.range(gz));
        }
        if let Some((moved, bars)) = drift {
            s.reasons.push(label.drift(moved, bars));
        }
    }

    /// The split ratio if the bar opens at (about) the previous close divided or multiplied by
    /// a usual split ratio, after a session break, on an otherwise ordinary bar.
    fn split_ratio(&self, b: &Bar, gap_or_session: bool) -> Option<f64> {
        let pc = self.prev_close?;
        let session_break = gap_or_session
            || self.interval_ms >= DAY_MS
            || self
                .prev_open_time
                .is_some_and(|t| b.open_time - t > self.interval_ms);
        if !session_break || pc <= 0.0 || b.open <= 0.0 || b.close <= 0.0 {
            return None;
        }
        let jump = (b.open / pc).ln();
        let calm = (b.close / b.open).ln().abs() < 0.1;
        SPLIT_RATIOS
            .iter()
            .find(|k| calm && ((jump.abs() - k.ln()).abs() < 0.03))
            .map(|k| if jump < 0.0 { *k } else { 1.0 / k })
    }
}

fn z(x: f64, mean: Option<f64>, std: Option<f64>) -> Option<f64> {
    let (m, s) = (mean?, std?);
    (s > 1e-12).then(|| (x - m) / s)
}

/// 1.4826 · MAD (a standard deviation for normal data), floored at half the plain standard
/// deviation: minute bars of a quiet market have many zero returns and a MAD of zero.
fn robust_scale(w: &SortedWindow) -> Option<f64> {
    let mad = 1.4826 * w.mad()?;
    let sc = mad.max(0.5 * w.std()?);
    (sc > 1e-12).then_some(sc)
}

/// What enters a baseline: the value, clipped to `k` robust deviations of the median.
fn clip(w: &SortedWindow, x: f64, k: f64) -> f64 {
    clip_with(w, x, k, w.median(), robust_scale(w))
}

/// [`clip`] with the window's median and `robust_scale` already at hand.
fn clip_with(w: &SortedWindow, x: f64, k: f64, median: Option<f64>, scale: Option<f64>) -> f64 {
    match (median, scale) {
        (Some(m), Some(sc)) if w.len() >= 10 => x.clamp(m - k * sc, m + k * sc),
        _ => x,
    }
}
