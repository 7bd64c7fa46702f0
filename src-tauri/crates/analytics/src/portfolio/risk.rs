//! Risk figures of a value or return series. Returns and losses are fractions (0.02 = 2 %).

use statrs::distribution::{ContinuousCDF, Normal};

/// Simple returns `v[i] / v[i-1] - 1`; pairs with a non-positive start are skipped.
pub fn simple_returns(values: &[f64]) -> Vec<f64> {
    values
        .windows(2)
        .filter(|w| w[0] > 0.0 && w[1].is_finite())
        .map(|w| w[1] / w[0] - 1.0)
        .collect()
}

/// Natural-log returns `ln(v[i] / v[i-1])`; pairs with a non-positive value are skipped.
pub fn log_returns(values: &[f64]) -> Vec<f64> {
    values
        .windows(2)
        .filter(|w| w[0] > 0.0 && w[1] > 0.0)
        .map(|w| (w[1] / w[0]).ln())
        .collect()
}

pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample standard deviation (n − 1).
pub fn stdev(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    Some((ss / (xs.len() - 1) as f64).sqrt())
}

/// Annualised volatility: the sample deviation of the period returns × √periods-per-year.
pub fn volatility(returns: &[f64], periods_per_year: f64) -> Option<f64> {
    Some(stdev(returns)? * periods_per_year.sqrt())
}

/// The `q` quantile (0..=1) with linear interpolation between order statistics (numpy's
/// default, `method="linear"`).
pub fn quantile(xs: &[f64], q: f64) -> Option<f64> {
    if xs.is_empty() || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

/// Historical value at risk at `confidence` (0.95, 0.99): the loss (positive) that the
/// returns exceeded on `1 − confidence` of the days. Needs 20 returns.
pub fn historical_var(returns: &[f64], confidence: f64) -> Option<f64> {
    if returns.len() < 20 {
        return None;
    }
    Some(-quantile(returns, 1.0 - confidence)?)
}

/// Parametric (normal) value at risk: `−(μ + z₁₋c σ)`. Needs 20 returns.
pub fn parametric_var(returns: &[f64], confidence: f64) -> Option<f64> {
    if returns.len() < 20 {
        return None;
    }
    let z = Normal::new(0.0, 1.0).ok()?.inverse_cdf(1.0 - confidence);
    Some(-(mean(returns)? + z * stdev(returns)?))
}

/// The largest fall from a running peak, as a fraction of the peak (0 when it never fell).
pub fn max_drawdown(values: &[f64]) -> Option<f64> {
    let mut peak = f64::NEG_INFINITY;
    let mut worst: Option<f64> = None;
    for &v in values.iter().filter(|v| v.is_finite()) {
        peak = peak.max(v);
        if peak > 0.0 {
            let dd = 1.0 - v / peak;
            worst = Some(worst.map_or(dd, |w: f64| w.max(dd)));
        }
    }
    worst
}

/// Each value's fall below the running peak, as a fraction (0 at a new high).
pub fn drawdowns(values: &[f64]) -> Vec<f64> {
    let mut peak = f64::NEG_INFINITY;
    values
        .iter()
        .map(|&v| {
            peak = peak.max(v);
            if peak > 0.0 {
                1.0 - v / peak
            } else {
                0.0
            }
        })
        .collect()
}

/// Annualised Sharpe ratio with a risk-free rate of 0: mean / sample deviation × √ppy.
pub fn sharpe(returns: &[f64], periods_per_year: f64) -> Option<f64> {
    let sd = stdev(returns)?;
    (sd > 0.0).then(|| mean(returns).unwrap_or(0.0) / sd * periods_per_year.sqrt())
}

/// Herfindahl–Hirschman index of weights given as fractions summing to 1.
pub fn hhi(weights: &[f64]) -> Option<f64> {
    (!weights.is_empty()).then(|| weights.iter().map(|w| w * w).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interpolates_like_numpy() {
        let xs = [3.0, 1.0, 4.0, 1.0, 5.0];
        // numpy.quantile([3,1,4,1,5], [0, .05, .5, 1]) = 1, 1, 3, 5
        assert_eq!(quantile(&xs, 0.0), Some(1.0));
        assert_eq!(quantile(&xs, 0.5), Some(3.0));
        assert_eq!(quantile(&xs, 1.0), Some(5.0));
        // position 0.3·4 = 1.2 → 1 + 0.2·(3 − 1)
        assert!((quantile(&xs, 0.3).unwrap() - 1.4).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn drawdown_of_a_known_path() {
        let v = [100.0, 120.0, 90.0, 130.0, 65.0, 70.0];
        assert!((max_drawdown(&v).unwrap() - 0.5).abs() < 1e-12);
        let dd = drawdowns(&v);
        assert!((dd[2] - 0.25).abs() < 1e-12);
        assert_eq!(dd[3], 0.0);
    }

    #[test]
    fn var_needs_enough_days_and_reads_the_left_tail() {
        let r: Vec<f64> = (0..100).map(|i| (i as f64 - 50.0) / 1000.0).collect();
        assert_eq!(historical_var(&r[..10], 0.95), None);
        // 5 % quantile of −0.05..0.049 at position 4.95 → −0.04505
        assert!((historical_var(&r, 0.95).unwrap() - 0.04505).abs() < 1e-12);
        assert!(parametric_var(&r, 0.99).unwrap() > parametric_var(&r, 0.95).unwrap());
    }
}
