//! RSI, MACD, Bollinger bands, ATR and N-bar highs/lows, each as TA-Lib defines them.

use super::average::{Ema, Sma, WindowSum};
use super::Bar;
use std::collections::VecDeque;

/// Wilder's RSI: the first average gain/loss is the plain mean of the first `n` changes, then
/// each is smoothed with `k = 1/n`.
#[derive(Clone, Debug)]
pub struct Rsi {
    n: usize,
    prev_close: Option<f64>,
    seen: usize,
    gain: f64,
    loss: f64,
}

impl Rsi {
    pub fn new(n: usize) -> Self {
        Rsi {
            n,
            prev_close: None,
            seen: 0,
            gain: 0.0,
            loss: 0.0,
        }
    }
    /// (gain, loss, changes seen) after `close`.
    fn next(&self, close: f64) -> Option<(f64, f64, usize)> {
        let prev = self.prev_close?;
        let d = close - prev;
        let (g, l) = if d > 0.0 { (d, 0.0) } else { (0.0, -d) };
        let n = self.n as f64;
        let seen = self.seen + 1;
        Some(if seen < self.n {
            (self.gain + g, self.loss + l, seen)
        } else if seen == self.n {
            ((self.gain + g) / n, (self.loss + l) / n, seen)
        } else {
            (
                (self.gain * (n - 1.0) + g) / n,
                (self.loss * (n - 1.0) + l) / n,
                seen,
            )
        })
    }
    fn value_of(&self, (g, l, seen): (f64, f64, usize)) -> Option<f64> {
        if seen < self.n {
            return None;
        }
        Some(if g + l == 0.0 {
            0.0
        } else {
            100.0 * g / (g + l)
        })
    }
    pub fn push(&mut self, close: f64) -> Option<f64> {
        let out = self.next(close);
        self.prev_close = Some(close);
        let (g, l, seen) = out?;
        (self.gain, self.loss, self.seen) = (g, l, seen);
        self.value_of((g, l, seen))
    }
    pub fn peek(&self, close: f64) -> Option<f64> {
        self.value_of(self.next(close)?)
    }
    pub fn is_warm(&self) -> bool {
        self.seen >= self.n
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MacdValue {
    pub macd: f64,
    pub signal: f64,
    pub hist: f64,
}

/// MACD with TA-Lib's alignment: both EMAs start on the same bar (the `slow`-th), the fast one
/// seeded with the mean of its own last `fast` closes; the signal EMA runs over the MACD line.
#[derive(Clone, Debug)]
pub struct Macd {
    fast_seed: WindowSum,
    slow_seed: WindowSum,
    fast_k: f64,
    slow_k: f64,
    fast_n: usize,
    slow_n: usize,
    emas: Option<(f64, f64)>,
    signal: Ema,
}

impl Macd {
    pub fn new(fast: usize, slow: usize, signal: usize) -> Self {
        Macd {
            fast_seed: WindowSum::new(fast),
            slow_seed: WindowSum::new(slow),
            fast_k: 2.0 / (fast as f64 + 1.0),
            slow_k: 2.0 / (slow as f64 + 1.0),
            fast_n: fast,
            slow_n: slow,
            emas: None,
            signal: Ema::new(signal),
        }
    }
    fn next_emas(&self, x: f64) -> Option<(f64, f64)> {
        match self.emas {
            Some((f, s)) => Some((f + self.fast_k * (x - f), s + self.slow_k * (x - s))),
            None if self.slow_seed.len() + 1 == self.slow_n => Some((
                self.fast_seed.sum_with(x) / self.fast_n as f64,
                (self.slow_seed.sum() + x) / self.slow_n as f64,
            )),
            None => None,
        }
    }
    pub fn push(&mut self, x: f64) -> Option<MacdValue> {
        let e = self.next_emas(x);
        if self.emas.is_none() {
            self.fast_seed.push(x);
            self.slow_seed.push(x);
        }
        self.emas = e;
        let (f, s) = e?;
        let line = f - s;
        let sig = self.signal.push(line)?;
        Some(MacdValue {
            macd: line,
            signal: sig,
            hist: line - sig,
        })
    }
    pub fn peek(&self, x: f64) -> Option<MacdValue> {
        let (f, s) = self.next_emas(x)?;
        let line = f - s;
        let sig = self.signal.peek(line)?;
        Some(MacdValue {
            macd: line,
            signal: sig,
            hist: line - sig,
        })
    }
    pub fn is_warm(&self) -> bool {
        self.signal.is_warm()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BollingerValue {
    pub upper: f64,
    pub mid: f64,
    pub lower: f64,
}

/// Bollinger bands: SMA(n) ± k population standard deviations (TA-Lib's BBANDS).
#[derive(Clone, Debug)]
pub struct Bollinger {
    k: f64,
    sma: Sma,
    sq: WindowSum,
}

impl Bollinger {
    pub fn new(n: usize, k: f64) -> Self {
        Bollinger {
            k,
            sma: Sma::new(n),
            sq: WindowSum::new(n),
        }
    }
    fn bands(&self, mean: f64, mean_sq: f64) -> BollingerValue {
        let sd = (mean_sq - mean * mean).max(0.0).sqrt();
        BollingerValue {
            upper: mean + self.k * sd,
            mid: mean,
            lower: mean - self.k * sd,
        }
    }
    pub fn push(&mut self, x: f64) -> Option<BollingerValue> {
        let mean = self.sma.push(x);
        self.sq.push(x * x);
        let n = self.sma.period() as f64;
        Some(self.bands(mean?, self.sq.sum() / n))
    }
    pub fn peek(&self, x: f64) -> Option<BollingerValue> {
        let mean = self.sma.peek(x)?;
        let n = self.sma.period() as f64;
        Some(self.bands(mean, self.sq.sum_with(x * x) / n))
    }
    pub fn is_warm(&self) -> bool {
        self.sma.is_warm()
    }
}

/// Average true range with Wilder's smoothing; the first value is the mean of the first `n`
/// true ranges (the first bar has none: it has no previous close).
#[derive(Clone, Debug)]
pub struct Atr {
    n: usize,
    prev_close: Option<f64>,
    seed: WindowSum,
    value: Option<f64>,
}

impl Atr {
    pub fn new(n: usize) -> Self {
        Atr {
            n,
            prev_close: None,
            seed: WindowSum::new(n),
            value: None,
        }
    }
    fn next(&self, b: &Bar) -> Option<(f64, f64)> {
        let pc = self.prev_close?;
        let tr = (b.high - b.low)
            .max((b.high - pc).abs())
            .max((b.low - pc).abs());
        let n = self.n as f64;
        let v = match self.value {
            Some(a) => Some((a * (n - 1.0) + tr) / n),
            None if self.seed.len() + 1 == self.n => Some((self.seed.sum() + tr) / n),
            None => None,
        };
        Some((tr, v.unwrap_or(f64::NAN)))
    }
    pub fn push(&mut self, b: &Bar) -> Option<f64> {
        let out = self.next(b);
        self.prev_close = Some(b.close);
        let (tr, v) = out?;
        if self.value.is_none() {
            self.seed.push(tr);
        }
        if v.is_finite() {
            self.value = Some(v);
        }
        self.value
    }
    pub fn peek(&self, b: &Bar) -> Option<f64> {
        self.next(b).map(|(_, v)| v).filter(|v| v.is_finite())
    }
    pub fn is_warm(&self) -> bool {
        self.value.is_some()
    }
}

/// Whether a bar makes a new high (its high above every high of the previous `n` bars) or a
/// new low. Monotonic deques keep the window's max and min in amortised O(1).
#[derive(Clone, Debug)]
pub struct NewHighLow {
    n: usize,
    count: u64,
    highs: VecDeque<(u64, f64)>,
    lows: VecDeque<(u64, f64)>,
}

impl NewHighLow {
    pub fn new(n: usize) -> Self {
        NewHighLow {
            n,
            count: 0,
            highs: VecDeque::new(),
            lows: VecDeque::new(),
        }
    }
    /// Highest high and lowest low of the previous `n` bars, once there are `n`.
    pub fn prior_extremes(&self) -> Option<(f64, f64)> {
        if self.count < self.n as u64 {
            return None;
        }
        Some((self.highs.front()?.1, self.lows.front()?.1))
    }
    /// (new high, new low) for a bar, against the previous `n` bars.
    pub fn peek(&self, b: &Bar) -> Option<(bool, bool)> {
        let (h, l) = self.prior_extremes()?;
        Some((b.high > h, b.low < l))
    }
    pub fn push(&mut self, b: &Bar) -> Option<(bool, bool)> {
        let out = self.peek(b);
        let i = self.count;
        while self.highs.back().is_some_and(|&(_, v)| v <= b.high) {
            self.highs.pop_back();
        }
        self.highs.push_back((i, b.high));
        while self.lows.back().is_some_and(|&(_, v)| v >= b.low) {
            self.lows.pop_back();
        }
        self.lows.push_back((i, b.low));
        self.count += 1;
        let oldest = self.count.saturating_sub(self.n as u64);
        while self.highs.front().is_some_and(|&(j, _)| j < oldest) {
            self.highs.pop_front();
        }
        while self.lows.front().is_some_and(|&(j, _)| j < oldest) {
            self.lows.pop_front();
        }
        out
    }
}
