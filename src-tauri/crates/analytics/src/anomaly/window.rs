//! A bounded window kept both in arrival order and sorted, for the robust statistics
//! (median, MAD, percentile rank). Each push is a binary search plus a shift of at most
//! `cap` values: constant work per update for the fixed window sizes used here (≤ a few
//! hundred), independent of how long the stream runs.

use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct SortedWindow {
    cap: usize,
    order: VecDeque<f64>,
    sorted: Vec<f64>,
    sum: f64,
    sum_sq: f64,
    since_resum: usize,
}

impl SortedWindow {
    pub fn new(cap: usize) -> Self {
        assert!(cap >= 2, "a window needs at least two values");
        SortedWindow {
            cap,
            order: VecDeque::with_capacity(cap + 1),
            sorted: Vec::with_capacity(cap + 1),
            sum: 0.0,
            sum_sq: 0.0,
            since_resum: 0,
        }
    }
    pub fn len(&self) -> usize {
        self.order.len()
    }
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
    pub fn capacity(&self) -> usize {
        self.cap
    }
    pub fn clear(&mut self) {
        self.order.clear();
        self.sorted.clear();
        self.sum = 0.0;
        self.sum_sq = 0.0;
    }
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        if self.order.len() == self.cap {
            if let Some(old) = self.order.pop_front() {
                let i = self.sorted.partition_point(|&v| v < old);
                self.sorted.remove(i.min(self.sorted.len() - 1));
                self.sum -= old;
                self.sum_sq -= old * old;
            }
        }
        self.order.push_back(x);
        let i = self.sorted.partition_point(|&v| v < x);
        self.sorted.insert(i, x);
        self.sum += x;
        self.sum_sq += x * x;
        self.since_resum += 1;
        if self.since_resum >= self.cap.max(64) {
            self.since_resum = 0;
            self.sum = self.order.iter().sum();
            self.sum_sq = self.order.iter().map(|v| v * v).sum();
        }
    }
    pub fn mean(&self) -> Option<f64> {
        (!self.is_empty()).then(|| self.sum / self.len() as f64)
    }
    /// Sample standard deviation.
    pub fn std(&self) -> Option<f64> {
        let n = self.len();
        if n < 2 {
            return None;
        }
        let m = self.sum / n as f64;
        Some(
            ((self.sum_sq - n as f64 * m * m) / (n as f64 - 1.0))
                .max(0.0)
                .sqrt(),
        )
    }
    pub fn median(&self) -> Option<f64> {
        let n = self.sorted.len();
        if n == 0 {
            return None;
        }
        Some(if n % 2 == 1 {
            self.sorted[n / 2]
        } else {
            0.5 * (self.sorted[n / 2 - 1] + self.sorted[n / 2])
        })
    }
    /// Median absolute deviation from the median: walks outward from the median, taking the
    /// nearer side each step, so it needs no second sort.
    pub fn mad(&self) -> Option<f64> {
        let m = self.median()?;
        let s = &self.sorted;
        let n = s.len();
        let mut hi = s.partition_point(|&v| v < m);
        let mut lo = hi; // s[..lo] are below, s[hi..] at or above
        let target = n / 2; // index of the (upper) median of the deviations
        let mut last = 0.0;
        let mut prev = 0.0;
        for k in 0..=target {
            let d_lo = if lo > 0 { m - s[lo - 1] } else { f64::INFINITY };
            let d_hi = if hi < n { s[hi] - m } else { f64::INFINITY };
            prev = last;
            if d_lo <= d_hi {
                last = d_lo;
                lo -= 1;
            } else {
                last = d_hi;
                hi += 1;
            }
            let _ = k;
        }
        Some(if n % 2 == 1 {
            last
        } else {
            0.5 * (prev + last)
        })
    }
    /// Share of the window strictly below `x` plus half of the ties, in [0, 1].
    pub fn percentile_rank(&self, x: f64) -> Option<f64> {
        let n = self.sorted.len();
        if n == 0 {
            return None;
        }
        let below = self.sorted.partition_point(|&v| v < x);
        let not_above = self.sorted.partition_point(|&v| v <= x);
        Some((below as f64 + 0.5 * (not_above - below) as f64) / n as f64)
    }
    /// Adds `d` to every value (a rebase, e.g. volumes after a split). O(window), rare.
    pub fn shift(&mut self, d: f64) {
        for v in self.order.iter_mut().chain(self.sorted.iter_mut()) {
            *v += d;
        }
        self.sum = self.order.iter().sum();
        self.sum_sq = self.order.iter().map(|v| v * v).sum();
    }
    pub fn memory_bytes(&self) -> usize {
        (self.order.capacity() + self.sorted.capacity()) * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn direct_mad(xs: &[f64]) -> f64 {
        let med = |v: &mut Vec<f64>| {
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let n = v.len();
            if n % 2 == 1 {
                v[n / 2]
            } else {
                0.5 * (v[n / 2 - 1] + v[n / 2])
            }
        };
        let mut v = xs.to_vec();
        let m = med(&mut v);
        let mut d: Vec<f64> = xs.iter().map(|x| (x - m).abs()).collect();
        med(&mut d)
    }

    #[test]
    fn median_mad_and_rank_match_a_direct_computation() {
        let mut w = SortedWindow::new(7);
        let xs = [
            5.0, 1.0, 9.0, 3.0, 3.0, 8.0, 2.0, 7.0, 4.0, 100.0, 6.0, -2.0,
        ];
        for (i, &x) in xs.iter().enumerate() {
            w.push(x);
            let lo = (i + 1).saturating_sub(7);
            let win = &xs[lo..=i];
            assert!((w.mad().unwrap() - direct_mad(win)).abs() < 1e-12, "at {i}");
            let mut s = win.to_vec();
            s.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let n = s.len();
            let med = if n % 2 == 1 {
                s[n / 2]
            } else {
                0.5 * (s[n / 2 - 1] + s[n / 2])
            };
            assert_eq!(w.median().unwrap(), med);
        }
        // Window now: 8 2 7 4 100 6 -2
        assert_eq!(w.percentile_rank(100.0), Some(13.0 / 14.0));
        assert_eq!(w.percentile_rank(1000.0), Some(1.0));
        assert_eq!(w.percentile_rank(-5.0), Some(0.0));
    }
}
