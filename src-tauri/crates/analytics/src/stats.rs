//! O(1) rolling statistics over a fixed window.

use std::collections::VecDeque;

/// Mean and standard deviation of the last `window` values, updated in O(1). The sums are
/// recomputed from the window now and then so floating-point drift cannot build up.
#[derive(Clone, Debug)]
pub struct RollingStats {
    window: usize,
    values: VecDeque<f64>,
    sum: f64,
    sum_sq: f64,
    pushes: u32,
}

impl RollingStats {
    pub fn new(window: usize) -> Self {
        assert!(window >= 2, "a rolling window needs at least two values");
        RollingStats {
            window,
            values: VecDeque::with_capacity(window),
            sum: 0.0,
            sum_sq: 0.0,
            pushes: 0,
        }
    }

    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        if self.values.len() == self.window {
            let old = self.values.pop_front().unwrap_or(0.0);
            self.sum -= old;
            self.sum_sq -= old * old;
        }
        self.values.push_back(x);
        self.sum += x;
        self.sum_sq += x * x;
        self.pushes = self.pushes.wrapping_add(1);
        if self.pushes.is_multiple_of(1024) {
            self.sum = self.values.iter().sum();
            self.sum_sq = self.values.iter().map(|v| v * v).sum();
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    pub fn clear(&mut self) {
        self.values.clear();
        self.sum = 0.0;
        self.sum_sq = 0.0;
    }

    pub fn mean(&self) -> Option<f64> {
        (!self.values.is_empty()).then(|| self.sum / self.values.len() as f64)
    }

    /// Sample standard deviation.
    pub fn std(&self) -> Option<f64> {
        let n = self.values.len();
        if n < 2 {
            return None;
        }
        let mean = self.sum / n as f64;
        let var = ((self.sum_sq - n as f64 * mean * mean) / (n as f64 - 1.0)).max(0.0);
        Some(var.sqrt())
    }

    /// How many standard deviations `x` lies from the window's mean; `None` until the window
    /// holds `min_len` values or while it has no spread.
    pub fn z(&self, x: f64, min_len: usize) -> Option<f64> {
        if self.values.len() < min_len.max(2) {
            return None;
        }
        let (std, mean) = (self.std()?, self.mean()?);
        (std > 1e-12).then(|| (x - mean) / std)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_direct_computation_over_the_window() {
        let mut s = RollingStats::new(5);
        let xs = [1.0, 4.0, 2.0, 8.0, 5.0, 7.0, 3.0, 9.0];
        for x in xs {
            s.push(x);
        }
        let last: Vec<f64> = xs[3..].to_vec();
        let mean = last.iter().sum::<f64>() / 5.0;
        let var = last.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 4.0;
        assert!((s.mean().unwrap() - mean).abs() < 1e-12);
        assert!((s.std().unwrap() - var.sqrt()).abs() < 1e-12);
        assert!((s.z(10.0, 5).unwrap() - (10.0 - mean) / var.sqrt()).abs() < 1e-12);
        assert_eq!(s.z(10.0, 6), None, "not warm with fewer values than asked");
    }

    #[test]
    fn stays_exact_after_many_updates_and_ignores_non_finite() {
        let mut s = RollingStats::new(3);
        for i in 0..100_000 {
            s.push(1e6 + (i % 7) as f64);
        }
        s.push(f64::NAN);
        assert_eq!(s.len(), 3);
        let direct = [
            1e6 + (99_997 % 7) as f64,
            1e6 + (99_998 % 7) as f64,
            1e6 + (99_999 % 7) as f64,
        ];
        let mean = direct.iter().sum::<f64>() / 3.0;
        assert!((s.mean().unwrap() - mean).abs() < 1e-6);
        let flat = {
            let mut f = RollingStats::new(4);
            for _ in 0..4 {
                f.push(2.0);
            }
            f
        };
        assert_eq!(flat.z(3.0, 2), None, "no spread, no z-score");
    }
}
