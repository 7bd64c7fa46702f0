//! A distribution-change detector after Wang et al.'s relative-entropy method (the NAB
//! "Relative Entropy" detector): the histogram of the last `window` values is compared, by
//! Kullback–Leibler divergence, with the distributions this stream has shown before. A window
//! unlike all of them is a new regime and an anomaly. Each value costs O(window + hypotheses ×
//! bins), fixed numbers: O(1) in the length of the stream. Nothing looks ahead: the bins span
//! the range of the values seen so far (NAB's own version takes each file's min and max).

use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct RelativeEntropy {
    window: usize,
    bins: usize,
    /// KL divergence under which two windows are the same distribution: the χ² quantile over
    /// 2·window (Wang et al.).
    threshold: f64,
    max_hypotheses: usize,
    recent: VecDeque<f64>,
    lo: f64,
    hi: f64,
    /// Distributions seen before, with how often each matched.
    hypotheses: Vec<(Vec<f64>, u64)>,
    current: Vec<f64>,
}

impl RelativeEntropy {
    /// `chi2`: the χ² quantile with `bins − 1` degrees of freedom at the wanted confidence
    /// (13.28 for 5 bins at 99 %).
    pub fn new(window: usize, bins: usize, chi2: f64, max_hypotheses: usize) -> Self {
        let bins = bins.max(2);
        RelativeEntropy {
            window: window.max(2),
            bins,
            threshold: chi2 / (2.0 * window.max(2) as f64),
            max_hypotheses,
            recent: VecDeque::with_capacity(window + 1),
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
            hypotheses: Vec::new(),
            current: vec![0.0; bins],
        }
    }

    /// True when the window ending at `x` matches no distribution seen before (the first full
    /// window is the baseline, not news).
    pub fn push(&mut self, x: f64) -> bool {
        if !x.is_finite() {
            return false;
        }
        self.lo = self.lo.min(x);
        self.hi = self.hi.max(x);
        self.recent.push_back(x);
        if self.recent.len() > self.window {
            self.recent.pop_front();
        }
        if self.recent.len() < self.window || self.hi <= self.lo {
            return false;
        }
        self.current.iter_mut().for_each(|c| *c = 0.0);
        let (span, step) = (self.hi - self.lo, 1.0 / self.window as f64);
        for v in &self.recent {
            let b = ((v - self.lo) / span * self.bins as f64) as usize;
            self.current[b.min(self.bins - 1)] += step;
        }
        let p = &self.current;
        let kl = |q: &[f64]| -> f64 {
            p.iter()
                .zip(q)
                .filter(|(a, _)| **a > 0.0)
                .map(|(a, b)| a * (a / b.max(1e-6)).ln())
                .sum()
        };
        let best = self
            .hypotheses
            .iter()
            .enumerate()
            .map(|(i, (q, _))| (i, kl(q)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, d)) if d < self.threshold => {
                self.hypotheses[i].1 += 1;
                false
            }
            _ => {
                let first = self.hypotheses.is_empty();
                if self.hypotheses.len() < self.max_hypotheses {
                    self.hypotheses.push((self.current.clone(), 1));
                }
                !first
            }
        }
    }

    /// Approximate heap bytes held (at most, once every hypothesis slot is used).
    pub fn memory_bytes(&self) -> usize {
        self.window * 8 + (self.max_hypotheses + 1) * (self.bins * 8 + 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_regime_alarms_and_a_known_one_does_not() {
        let mut d = RelativeEntropy::new(52, 5, 13.28, 256);
        let wiggle = |i: usize| ((i * 7919) % 101) as f64 / 101.0;
        // The first full window is the baseline; the same noise stays known.
        let first: Vec<bool> = (0..200).map(|i| d.push(10.0 + wiggle(i))).collect();
        assert!(first.iter().all(|a| !a), "steady noise alarmed");
        // A jump to a new level: the window's distribution changes, and it alarms.
        let jumped: Vec<bool> = (0..60).map(|i| d.push(20.0 + wiggle(i))).collect();
        assert!(jumped.iter().any(|a| *a));
        // Back to the old regime once the window is full of it again: known, quiet.
        let back: Vec<bool> = (0..300).map(|i| d.push(10.0 + wiggle(i))).collect();
        assert!(back[100..].iter().all(|a| !a));
        assert!(!d.push(f64::NAN));
    }
}
