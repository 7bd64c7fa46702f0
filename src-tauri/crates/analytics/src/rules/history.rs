//! Closed-bar values of the metrics that moving operators look back on, per series.

use crate::metric::{MetricKey, Metrics};
use std::collections::VecDeque;

/// A bounded ring of closed-bar values for each metric that a rule looks back on.
#[derive(Clone, Debug, Default)]
pub struct History {
    cols: Vec<(MetricKey, VecDeque<Option<f64>>, usize)>,
}

impl History {
    /// Keeps at least `bars` closed values of `k`.
    pub fn want(&mut self, k: MetricKey, bars: u32) {
        let bars = bars as usize;
        match self.cols.iter_mut().find(|(m, _, _)| *m == k) {
            Some((_, _, cap)) => *cap = (*cap).max(bars),
            None => self.cols.push((k, VecDeque::with_capacity(bars), bars)),
        }
    }

    /// Files the final metrics of a closed bar.
    pub fn push(&mut self, m: &Metrics) {
        for (k, ring, cap) in &mut self.cols {
            if ring.len() == *cap {
                ring.pop_front();
            }
            ring.push_back(m.get(*k));
        }
    }

    /// Forgets everything (a gap: nothing before it may be compared with what comes after).
    pub fn clear(&mut self) {
        for (_, ring, _) in &mut self.cols {
            ring.clear();
        }
    }

    /// Lowest and highest of the last `bars` closed values of `k`; `None` until that many
    /// bars are in (warm-up) or if any of them was not known.
    pub fn range(&self, k: MetricKey, bars: u32) -> Option<(f64, f64)> {
        let (_, ring, _) = self.cols.iter().find(|(m, _, _)| *m == k)?;
        let bars = bars as usize;
        if bars == 0 || ring.len() < bars {
            return None;
        }
        ring.iter()
            .skip(ring.len() - bars)
            .try_fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                v.map(|v| (lo.min(v), hi.max(v)))
            })
    }
}
