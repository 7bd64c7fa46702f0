//! Performance figures of an equity curve, with the definitions written out (the reference
//! script in `tests/fixtures/backtest/` computes the same formulas from backtesting.py's curve).

/// A year for annualising: 365.25 days.
pub const YEAR_MS: f64 = 365.25 * 86_400_000.0;

/// Figures of one equity curve (one value per bar close).
#[derive(Clone, Debug, PartialEq)]
pub struct Performance {
    /// `final / first − 1`.
    pub total_return: f64,
    /// `(final / first)^(1 / years) − 1`, years = (last time − first time) / 365.25 days.
    pub annual_return: f64,
    /// Bars per year, measured: `(n − 1) / years` (≈ 525,960 for 24/7 1m bars, ≈ 252 for
    /// daily stock bars).
    pub periods_per_year: f64,
    /// Sample standard deviation (n − 1) of the per-bar returns × √periods_per_year.
    pub volatility: f64,
    /// mean(r) / std(r) × √periods_per_year, risk-free rate 0; `None` when std is 0.
    pub sharpe: Option<f64>,
    /// mean(r) / √mean(min(r, 0)²) × √periods_per_year; `None` without a losing bar.
    pub sortino: Option<f64>,
    /// Largest fall from a running peak, `1 − equity / peak` (a fraction ≥ 0).
    pub max_drawdown: f64,
    /// `1 − equity / running peak` at every point.
    pub drawdown: Vec<f64>,
}

/// Figures of `equity` (values at `times`, ms); `fallback_ppy` is used when the curve spans
/// no time.
pub fn performance(times: &[i64], equity: &[f64], fallback_ppy: f64) -> Performance {
    let n = equity.len();
    let mut drawdown = Vec::with_capacity(n);
    let mut peak = f64::NEG_INFINITY;
    let mut max_dd: f64 = 0.0;
    for &e in equity {
        peak = peak.max(e);
        let dd = if peak > 0.0 {
            (1.0 - e / peak).max(0.0)
        } else {
            0.0
        };
        max_dd = max_dd.max(dd);
        drawdown.push(dd);
    }
    let (first, last) = (
        equity.first().copied().unwrap_or(0.0),
        equity.last().copied().unwrap_or(0.0),
    );
    let total_return = if first > 0.0 { last / first - 1.0 } else { 0.0 };
    let span = match (times.first(), times.last()) {
        (Some(a), Some(b)) if b > a => (b - a) as f64,
        _ => 0.0,
    };
    let years = span / YEAR_MS;
    let periods_per_year = if years > 0.0 && n > 1 {
        (n - 1) as f64 / years
    } else {
        fallback_ppy
    };
    let annual_return = if years > 0.0 && first > 0.0 {
        if last <= 0.0 {
            -1.0
        } else {
            (last / first).powf(1.0 / years) - 1.0
        }
    } else {
        0.0
    };
    let returns: Vec<f64> = equity
        .windows(2)
        .map(|w| if w[0] != 0.0 { w[1] / w[0] - 1.0 } else { 0.0 })
        .collect();
    let m = returns.len();
    let (mut volatility, mut sharpe, mut sortino) = (0.0, None, None);
    if m >= 2 {
        let mean = returns.iter().sum::<f64>() / m as f64;
        let var = returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (m - 1) as f64;
        let sd = var.sqrt();
        let root = periods_per_year.sqrt();
        volatility = sd * root;
        if sd > 0.0 {
            sharpe = Some(mean / sd * root);
        }
        let down = (returns.iter().map(|r| r.min(0.0).powi(2)).sum::<f64>() / m as f64).sqrt();
        if down > 0.0 {
            sortino = Some(mean / down * root);
        }
    }
    Performance {
        total_return,
        annual_return,
        periods_per_year,
        volatility,
        sharpe,
        sortino,
        max_drawdown: max_dd,
        drawdown,
    }
}
