//! The metric names that rules use, and a snapshot of their values.

use std::borrow::Cow;
use std::fmt;

/// A metric a rule can name. The text form is the vocabulary of ARCHITECTURE.md; `sma(n)` and
/// `ema(n)` take a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetricKey {
    Price,
    ChangePct,
    Volume,
    QuoteVolume,
    VolumeZ,
    ReturnZ,
    ReturnRobustZ,
    ReturnPctile,
    RangeZ,
    EwmaVol,
    Cusum,
    AnomalyScore,
    Rvol,
    VolumeRatio,
    Rsi,
    Macd,
    MacdSignal,
    MacdHist,
    BbUpper,
    BbMid,
    BbLower,
    Atr,
    Vwap,
    NewHigh,
    NewLow,
    TurnoverRate,
    Pe,
    Pb,
    NetInflow,
    OpenInterest,
    OiChangePct,
    PnlDay,
    PnlDayPct,
    PnlTotal,
    PnlTotalPct,
    DrawdownPct,
    WeightPct,
    VolatilityPct,
    Var95Pct,
    Var99Pct,
    Alerts1h,
    Sma(u16),
    Ema(u16),
}

/// Periods a rule may give `sma(n)`/`ema(n)`.
pub const MAX_PERIOD: u16 = 1000;

impl MetricKey {
    /// Every metric without a parameter, in a fixed order (their slots in [`Metrics`]).
    pub const SCALARS: [MetricKey; 41] = [
        MetricKey::Price,
        MetricKey::ChangePct,
        MetricKey::Volume,
        MetricKey::QuoteVolume,
        MetricKey::VolumeZ,
        MetricKey::ReturnZ,
        MetricKey::ReturnRobustZ,
        MetricKey::ReturnPctile,
        MetricKey::RangeZ,
        MetricKey::EwmaVol,
        MetricKey::Cusum,
        MetricKey::AnomalyScore,
        MetricKey::Rvol,
        MetricKey::VolumeRatio,
        MetricKey::Rsi,
        MetricKey::Macd,
        MetricKey::MacdSignal,
        MetricKey::MacdHist,
        MetricKey::BbUpper,
        MetricKey::BbMid,
        MetricKey::BbLower,
        MetricKey::Atr,
        MetricKey::Vwap,
        MetricKey::NewHigh,
        MetricKey::NewLow,
        MetricKey::TurnoverRate,
        MetricKey::Pe,
        MetricKey::Pb,
        MetricKey::NetInflow,
        MetricKey::OpenInterest,
        MetricKey::OiChangePct,
        MetricKey::PnlDay,
        MetricKey::PnlDayPct,
        MetricKey::PnlTotal,
        MetricKey::PnlTotalPct,
        MetricKey::DrawdownPct,
        MetricKey::WeightPct,
        MetricKey::VolatilityPct,
        MetricKey::Var95Pct,
        MetricKey::Var99Pct,
        MetricKey::Alerts1h,
    ];
    pub const COUNT: usize = Self::SCALARS.len();

    fn scalar_name(self) -> Option<&'static str> {
        Some(match self {
            MetricKey::Price => "price",
            MetricKey::ChangePct => "change_pct",
            MetricKey::Volume => "volume",
            MetricKey::QuoteVolume => "quote_volume",
            MetricKey::VolumeZ => "volume_z",
            MetricKey::ReturnZ => "return_z",
            MetricKey::ReturnRobustZ => "return_robust_z",
            MetricKey::ReturnPctile => "return_pctile",
            MetricKey::RangeZ => "range_z",
            MetricKey::EwmaVol => "ewma_vol",
            MetricKey::Cusum => "cusum",
            MetricKey::AnomalyScore => "anomaly_score",
            MetricKey::Rvol => "rvol",
            MetricKey::VolumeRatio => "volume_ratio",
            MetricKey::Rsi => "rsi",
            MetricKey::Macd => "macd",
            MetricKey::MacdSignal => "macd_signal",
            MetricKey::MacdHist => "macd_hist",
            MetricKey::BbUpper => "bb_upper",
            MetricKey::BbMid => "bb_mid",
            MetricKey::BbLower => "bb_lower",
            MetricKey::Atr => "atr",
            MetricKey::Vwap => "vwap",
            MetricKey::NewHigh => "new_high",
            MetricKey::NewLow => "new_low",
            // A source's daily figures (Tushare): turnover rate %, P/E, P/B, and the net
            // inflow of large and extra-large orders (主力净流入) in the quote currency.
            MetricKey::TurnoverRate => "turnover_rate",
            MetricKey::Pe => "pe",
            MetricKey::Pb => "pb",
            MetricKey::NetInflow => "net_inflow",
            // Derivatives (Binance futures): open interest in contracts, and its % change
            // over the `change_pct` look-back.
            MetricKey::OpenInterest => "open_interest",
            MetricKey::OiChangePct => "oi_change_pct",
            // The portfolio (symbols `portfolio:total` and `portfolio:<held symbol>`), in the
            // account currency: `price` is the value, `change_pct` the day's P&L in %.
            // Day and total P&L, drawdown below the peak value (%, ≥ 0), the position's share
            // of the gross value (%), annualised volatility of daily returns (%), one-day
            // value at risk (%, historical), and alerts on the holding in the last hour.
            MetricKey::PnlDay => "pnl_day",
            MetricKey::PnlDayPct => "pnl_day_pct",
            MetricKey::PnlTotal => "pnl_total",
            MetricKey::PnlTotalPct => "pnl_total_pct",
            MetricKey::DrawdownPct => "drawdown_pct",
            MetricKey::WeightPct => "weight_pct",
            MetricKey::VolatilityPct => "volatility_pct",
            MetricKey::Var95Pct => "var95_pct",
            MetricKey::Var99Pct => "var99_pct",
            MetricKey::Alerts1h => "alerts_1h",
            MetricKey::Sma(_) | MetricKey::Ema(_) => return None,
        })
    }

    /// The name as rules write it: `volume_z`, `sma(50)`.
    pub fn name(self) -> Cow<'static, str> {
        match self {
            MetricKey::Sma(n) => Cow::Owned(format!("sma({n})")),
            MetricKey::Ema(n) => Cow::Owned(format!("ema({n})")),
            k => Cow::Borrowed(k.scalar_name().unwrap_or("?")),
        }
    }

    /// Parses a metric name; `sma(n)`/`ema(n)` need 1 ≤ n ≤ [`MAX_PERIOD`].
    pub fn parse(s: &str) -> Option<MetricKey> {
        let s = s.trim();
        for (prefix, make) in [
            ("sma(", MetricKey::Sma as fn(u16) -> MetricKey),
            ("ema(", MetricKey::Ema as fn(u16) -> MetricKey),
        ] {
            if let Some(rest) = s.strip_prefix(prefix).and_then(|r| r.strip_suffix(')')) {
                let n: u16 = rest.trim().parse().ok()?;
                return (1..=MAX_PERIOD).contains(&n).then(|| make(n));
            }
        }
        Self::SCALARS
            .into_iter()
            .find(|k| k.scalar_name() == Some(s))
    }

    pub fn known_names() -> String {
        let mut names: Vec<&str> = Self::SCALARS
            .iter()
            .filter_map(|k| k.scalar_name())
            .collect();
        names.extend(["sma(n)", "ema(n)"]);
        names.join(", ")
    }

    fn slot(self) -> Option<usize> {
        Self::SCALARS.iter().position(|k| *k == self)
    }
}

impl fmt::Display for MetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// How many `sma(n)`/`ema(n)` values one snapshot carries at most.
pub const MAX_AVERAGES: usize = 16;

/// Values of every metric at one update; `None` while a metric is still warming up (or, for
/// `sma(n)`/`ema(n)`, when no series tracks that period).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    scalars: [Option<f64>; MetricKey::COUNT],
    averages: [Option<(MetricKey, f64)>; MAX_AVERAGES],
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            scalars: [None; MetricKey::COUNT],
            averages: [None; MAX_AVERAGES],
        }
    }
}

impl Metrics {
    pub fn get(&self, k: MetricKey) -> Option<f64> {
        match k.slot() {
            Some(i) => self.scalars[i],
            None => self
                .averages
                .iter()
                .flatten()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| *v),
        }
    }
    /// Sets a value; non-finite values are dropped (a metric is either a number or absent).
    /// Past [`MAX_AVERAGES`] averages, further ones are ignored.
    pub fn set(&mut self, k: MetricKey, v: Option<f64>) {
        let v = v.filter(|x| x.is_finite());
        match k.slot() {
            Some(i) => self.scalars[i] = v,
            None => {
                let pos = self
                    .averages
                    .iter()
                    .position(|e| e.is_some_and(|(key, _)| key == k))
                    .or_else(|| self.averages.iter().position(|e| e.is_none()));
                if let Some(i) = pos {
                    self.averages[i] = v.map(|v| (k, v));
                }
            }
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = (MetricKey, f64)> + '_ {
        MetricKey::SCALARS
            .into_iter()
            .zip(self.scalars)
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .chain(self.averages.iter().flatten().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_including_periods() {
        for k in MetricKey::SCALARS {
            assert_eq!(MetricKey::parse(&k.name()), Some(k));
        }
        assert_eq!(MetricKey::parse("sma(50)"), Some(MetricKey::Sma(50)));
        assert_eq!(MetricKey::Ema(12).name(), "ema(12)");
        assert_eq!(MetricKey::parse("sma(0)"), None);
        assert_eq!(MetricKey::parse("sma(1001)"), None);
        assert_eq!(MetricKey::parse("sma(x)"), None);
        assert_eq!(MetricKey::parse("volme_z"), None);
        assert!(MetricKey::known_names().contains("anomaly_score"));
    }

    #[test]
    fn snapshot_holds_scalars_and_averages() {
        let mut m = Metrics::default();
        m.set(MetricKey::Rsi, Some(55.0));
        m.set(MetricKey::Sma(20), Some(1.5));
        m.set(MetricKey::Sma(20), Some(2.5));
        m.set(MetricKey::Ema(9), Some(f64::NAN));
        assert_eq!(m.get(MetricKey::Rsi), Some(55.0));
        assert_eq!(m.get(MetricKey::Sma(20)), Some(2.5));
        assert_eq!(m.get(MetricKey::Ema(9)), None);
        assert_eq!(m.get(MetricKey::Sma(50)), None);
        assert_eq!(m.iter().count(), 2);
    }
}
