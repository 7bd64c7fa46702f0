//! Volume-based indicators: session VWAP, relative volume, volume ratio.

use super::average::WindowSum;
use super::Bar;

const DAY_MS: i64 = 86_400_000;

/// Volume-weighted average of the typical price (h+l+c)/3 since the session began. A session
/// is a UTC day shifted by `session_offset_ms` (0 for crypto; an exchange's open otherwise).
#[derive(Clone, Debug)]
pub struct SessionVwap {
    offset_ms: i64,
    session: Option<i64>,
    pv: f64,
    vol: f64,
}

impl SessionVwap {
    pub fn new(session_offset_ms: i64) -> Self {
        SessionVwap {
            offset_ms: session_offset_ms,
            session: None,
            pv: 0.0,
            vol: 0.0,
        }
    }
    fn session_of(&self, t: i64) -> i64 {
        (t - self.offset_ms).div_euclid(DAY_MS)
    }
    fn next(&self, b: &Bar) -> (i64, f64, f64) {
        let s = self.session_of(b.open_time);
        let tp = (b.high + b.low + b.close) / 3.0;
        let (pv, vol) = if self.session == Some(s) {
            (self.pv, self.vol)
        } else {
            (0.0, 0.0)
        };
        (s, pv + tp * b.volume, vol + b.volume)
    }
    fn value_of(pv: f64, vol: f64) -> Option<f64> {
        (vol > 0.0).then(|| pv / vol)
    }
    pub fn push(&mut self, b: &Bar) -> Option<f64> {
        let (s, pv, vol) = self.next(b);
        (self.session, self.pv, self.vol) = (Some(s), pv, vol);
        Self::value_of(pv, vol)
    }
    pub fn peek(&self, b: &Bar) -> Option<f64> {
        let (_, pv, vol) = self.next(b);
        Self::value_of(pv, vol)
    }
}

/// Relative volume. Intraday: the bar's volume against the mean volume of the same time of
/// day over the past `days` days (so the open's usual burst is not news). Daily and coarser:
/// against the mean of the previous `days` bars.
#[derive(Clone, Debug)]
pub struct RelativeVolume {
    interval_ms: i64,
    days: usize,
    min_days: usize,
    /// Intraday: `slots * days` volumes, each slot a ring; plus how many each slot holds.
    ring: Vec<f64>,
    filled: Vec<u16>,
    next: Vec<u16>,
    bars: WindowSum,
}

impl RelativeVolume {
    pub fn new(interval_ms: i64, days: usize) -> Self {
        let intraday = interval_ms < DAY_MS;
        let slots = if intraday {
            (DAY_MS / interval_ms) as usize
        } else {
            0
        };
        RelativeVolume {
            interval_ms,
            days,
            min_days: days.min(3),
            ring: vec![0.0; slots * days],
            filled: vec![0; slots],
            next: vec![0; slots],
            bars: WindowSum::new(days),
        }
    }
    fn slot(&self, t: i64) -> usize {
        (t.rem_euclid(DAY_MS) / self.interval_ms) as usize
    }
    fn baseline(&self, t: i64) -> Option<f64> {
        if self.filled.is_empty() {
            return self
                .bars
                .is_full()
                .then(|| self.bars.sum() / self.days as f64);
        }
        let s = self.slot(t);
        let n = self.filled[s] as usize;
        if n < self.min_days {
            return None;
        }
        let row = &self.ring[s * self.days..s * self.days + n];
        Some(row.iter().sum::<f64>() / n as f64)
    }
    pub fn peek(&self, b: &Bar) -> Option<f64> {
        let base = self.baseline(b.open_time)?;
        (base > 0.0).then(|| b.volume / base)
    }
    pub fn push(&mut self, b: &Bar) -> Option<f64> {
        let out = self.peek(b);
        if self.filled.is_empty() {
            self.bars.push(b.volume);
        } else {
            let s = self.slot(b.open_time);
            let i = self.next[s] as usize;
            self.ring[s * self.days + i] = b.volume;
            self.next[s] = ((i + 1) % self.days) as u16;
            self.filled[s] = (self.filled[s] + 1).min(self.days as u16);
        }
        out
    }
    pub fn memory_bytes(&self) -> usize {
        self.ring.len() * 8 + self.filled.len() * 4 + self.days * 8
    }
}

/// Volume against the mean of the previous `n` bars.
#[derive(Clone, Debug)]
pub struct VolumeRatio {
    win: WindowSum,
}

impl VolumeRatio {
    pub fn new(n: usize) -> Self {
        VolumeRatio {
            win: WindowSum::new(n),
        }
    }
    pub fn peek(&self, volume: f64) -> Option<f64> {
        let n = self.win.len() as f64;
        (self.win.is_full() && self.win.sum() > 0.0).then(|| volume / (self.win.sum() / n))
    }
    pub fn push(&mut self, volume: f64) -> Option<f64> {
        let out = self.peek(volume);
        self.win.push(volume);
        out
    }
}
