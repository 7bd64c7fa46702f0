//! Moving sums and averages.

use std::collections::VecDeque;

/// Sum of the last `n` values in O(1); re-summed from the window every `n` pushes so
/// floating-point drift cannot build up over a long stream.
#[derive(Clone, Debug)]
pub struct WindowSum {
    n: usize,
    values: VecDeque<f64>,
    sum: f64,
    since_resum: usize,
}

impl WindowSum {
    pub fn new(n: usize) -> Self {
        assert!(n >= 1, "a window needs at least one value");
        WindowSum {
            n,
            values: VecDeque::with_capacity(n + 1),
            sum: 0.0,
            since_resum: 0,
        }
    }
    pub fn push(&mut self, x: f64) {
        self.values.push_back(x);
        self.sum += x;
        if self.values.len() > self.n {
            let old = self.values.pop_front().unwrap_or(0.0);
            self.sum -= old;
        }
        self.since_resum += 1;
        if self.since_resum >= self.n.max(64) {
            self.since_resum = 0;
            self.sum = self.values.iter().sum();
        }
    }
    pub fn is_full(&self) -> bool {
        self.values.len() == self.n
    }
    pub fn len(&self) -> usize {
        self.values.len()
    }
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    pub fn sum(&self) -> f64 {
        self.sum
    }
    /// Sum of the window if `x` were pushed now (the oldest value drops out when full).
    pub fn sum_with(&self, x: f64) -> f64 {
        let dropped = if self.values.len() == self.n {
            self.values.front().copied().unwrap_or(0.0)
        } else {
            0.0
        };
        self.sum - dropped + x
    }
    /// The value that the next push would drop, if the window is full.
    pub fn oldest_if_full(&self) -> Option<f64> {
        (self.values.len() == self.n)
            .then(|| self.values.front().copied())
            .flatten()
    }
    pub fn iter(&self) -> impl Iterator<Item = &f64> {
        self.values.iter()
    }
    pub fn clear(&mut self) {
        self.values.clear();
        self.sum = 0.0;
        self.since_resum = 0;
    }
}

/// Simple moving average of the last `n` closes.
#[derive(Clone, Debug)]
pub struct Sma {
    win: WindowSum,
}

impl Sma {
    pub fn new(n: usize) -> Self {
        Sma {
            win: WindowSum::new(n),
        }
    }
    pub fn period(&self) -> usize {
        self.win.n
    }
    pub fn push(&mut self, x: f64) -> Option<f64> {
        self.win.push(x);
        self.value()
    }
    pub fn value(&self) -> Option<f64> {
        self.win
            .is_full()
            .then(|| self.win.sum() / self.win.n as f64)
    }
    pub fn peek(&self, x: f64) -> Option<f64> {
        (self.win.len() + 1 >= self.win.n).then(|| self.win.sum_with(x) / self.win.n as f64)
    }
    pub fn is_warm(&self) -> bool {
        self.win.is_full()
    }
    pub fn clear(&mut self) {
        self.win.clear();
    }
}

/// Exponential moving average with TA-Lib's start: the first value is the SMA of the first
/// `n` inputs, then `ema += k * (x - ema)` with `k = 2 / (n + 1)`.
#[derive(Clone, Debug)]
pub struct Ema {
    n: usize,
    k: f64,
    seed: WindowSum,
    value: Option<f64>,
}

impl Ema {
    pub fn new(n: usize) -> Self {
        Self::with_k(n, 2.0 / (n as f64 + 1.0))
    }
    /// Wilder's smoothing is an EMA with `k = 1 / n`.
    pub fn with_k(n: usize, k: f64) -> Self {
        Ema {
            n,
            k,
            seed: WindowSum::new(n),
            value: None,
        }
    }
    pub fn period(&self) -> usize {
        self.n
    }
    fn next(&self, x: f64) -> Option<f64> {
        match self.value {
            Some(v) => Some(v + self.k * (x - v)),
            None if self.seed.len() + 1 == self.n => Some((self.seed.sum() + x) / self.n as f64),
            None => None,
        }
    }
    pub fn push(&mut self, x: f64) -> Option<f64> {
        let v = self.next(x);
        if self.value.is_none() {
            self.seed.push(x);
            if v.is_some() {
                // The seed window is only needed until the first value: free it.
                self.seed = WindowSum::new(1);
            }
        }
        self.value = v;
        v
    }
    pub fn peek(&self, x: f64) -> Option<f64> {
        self.next(x)
    }
    pub fn value(&self) -> Option<f64> {
        self.value
    }
    pub fn is_warm(&self) -> bool {
        self.value.is_some()
    }
    pub fn clear(&mut self) {
        self.seed = WindowSum::new(self.n);
        self.value = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sma_and_ema_start_after_n_values() {
        let mut s = Sma::new(3);
        let mut e = Ema::new(3);
        assert_eq!(s.push(1.0), None);
        assert_eq!(e.push(1.0), None);
        assert_eq!(s.peek(2.0), None);
        s.push(2.0);
        e.push(2.0);
        assert_eq!(s.peek(6.0), Some(3.0), "peek does not change the state");
        assert_eq!(s.push(3.0), Some(2.0));
        assert_eq!(e.push(3.0), Some(2.0), "seeded with the SMA");
        assert_eq!(e.push(4.0), Some(3.0), "k = 0.5");
        assert_eq!(s.push(4.0), Some(3.0));
    }
}
