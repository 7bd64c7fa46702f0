//! The full indicator set of one (symbol, interval) series, written into a [`Metrics`].

use super::{
    Atr, Bar, Bollinger, BollingerValue, Ema, Macd, MacdValue, NewHighLow, RelativeVolume, Rsi,
    SessionVwap, Sma, VolumeRatio,
};
use crate::metric::{MetricKey, Metrics};

/// Which indicators a series computes beyond the fixed ones.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorConfig {
    pub sma_periods: Vec<u16>,
    pub ema_periods: Vec<u16>,
    /// Days (intraday) or bars (daily) in the relative-volume baseline.
    pub rvol_days: usize,
    /// Bars in the volume-ratio baseline.
    pub volume_ratio_bars: usize,
    /// Bars of the new-high/new-low look-back.
    pub high_low_bars: usize,
    /// Where a VWAP session starts, after 00:00 UTC.
    pub session_offset_ms: i64,
}

impl Default for IndicatorConfig {
    fn default() -> Self {
        IndicatorConfig {
            sma_periods: vec![5, 10, 20, 50, 100, 200],
            ema_periods: vec![9, 12, 20, 26, 50, 100, 200],
            rvol_days: 10,
            volume_ratio_bars: 5,
            high_low_bars: 20,
            session_offset_ms: 0,
        }
    }
}

/// The indicators of one series. Each is optional: a backtest builds only the ones its
/// conditions read ([`IndicatorSet::wanted`]); the live engine builds them all.
#[derive(Clone, Debug)]
pub struct IndicatorSet {
    smas: Vec<(u16, Sma)>,
    emas: Vec<(u16, Ema)>,
    rsi: Option<Rsi>,
    macd: Option<Macd>,
    bb: Option<Bollinger>,
    atr: Option<Atr>,
    vwap: Option<SessionVwap>,
    rvol: Option<RelativeVolume>,
    ratio: Option<VolumeRatio>,
    hl: Option<NewHighLow>,
}

impl IndicatorSet {
    /// Every indicator of `cfg`.
    pub fn new(cfg: &IndicatorConfig, interval_ms: i64) -> Self {
        Self::wanted(cfg, interval_ms, |_| true)
    }

    /// Only the indicators that write a metric `wants` accepts (an indicator writing several
    /// metrics, such as MACD or the Bollinger bands, is built if any of them is wanted), and
    /// only the `sma`/`ema` periods of `cfg` it accepts. The values are those of
    /// [`IndicatorSet::new`]: each indicator is independent of the others.
    pub fn wanted(
        cfg: &IndicatorConfig,
        interval_ms: i64,
        wants: impl Fn(MetricKey) -> bool,
    ) -> Self {
        let any = |ks: &[MetricKey]| ks.iter().any(|k| wants(*k));
        IndicatorSet {
            smas: cfg
                .sma_periods
                .iter()
                .filter(|&&n| wants(MetricKey::Sma(n)))
                .map(|&n| (n, Sma::new(n as usize)))
                .collect(),
            emas: cfg
                .ema_periods
                .iter()
                .filter(|&&n| wants(MetricKey::Ema(n)))
                .map(|&n| (n, Ema::new(n as usize)))
                .collect(),
            rsi: any(&[MetricKey::Rsi]).then(|| Rsi::new(14)),
            macd: any(&[MetricKey::Macd, MetricKey::MacdSignal, MetricKey::MacdHist])
                .then(|| Macd::new(12, 26, 9)),
            bb: any(&[MetricKey::BbUpper, MetricKey::BbMid, MetricKey::BbLower])
                .then(|| Bollinger::new(20, 2.0)),
            atr: any(&[MetricKey::Atr]).then(|| Atr::new(14)),
            vwap: any(&[MetricKey::Vwap]).then(|| SessionVwap::new(cfg.session_offset_ms)),
            rvol: any(&[MetricKey::Rvol]).then(|| RelativeVolume::new(interval_ms, cfg.rvol_days)),
            ratio: any(&[MetricKey::VolumeRatio]).then(|| VolumeRatio::new(cfg.volume_ratio_bars)),
            hl: any(&[MetricKey::NewHigh, MetricKey::NewLow])
                .then(|| NewHighLow::new(cfg.high_low_bars)),
        }
    }

    /// Starts computing `sma(n)`/`ema(n)` for a period a rule names (warms up from here on).
    pub fn track(&mut self, k: MetricKey) {
        match k {
            MetricKey::Sma(n) if !self.smas.iter().any(|(p, _)| *p == n) => {
                self.smas.push((n, Sma::new(n as usize)))
            }
            MetricKey::Ema(n) if !self.emas.iter().any(|(p, _)| *p == n) => {
                self.emas.push((n, Ema::new(n as usize)))
            }
            _ => {}
        }
    }

    /// The values a still-open bar gives, state unchanged.
    pub fn peek(&self, b: &Bar, m: &mut Metrics) {
        for (n, s) in &self.smas {
            m.set(MetricKey::Sma(*n), s.peek(b.close));
        }
        for (n, e) in &self.emas {
            m.set(MetricKey::Ema(*n), e.peek(b.close));
        }
        if let Some(x) = &self.rsi {
            m.set(MetricKey::Rsi, x.peek(b.close));
        }
        if let Some(x) = &self.macd {
            write_macd(x.peek(b.close), m);
        }
        if let Some(x) = &self.bb {
            write_bb(x.peek(b.close), m);
        }
        if let Some(x) = &self.atr {
            m.set(MetricKey::Atr, x.peek(b));
        }
        if let Some(x) = &self.vwap {
            m.set(MetricKey::Vwap, x.peek(b));
        }
        if let Some(x) = &self.rvol {
            m.set(MetricKey::Rvol, x.peek(b));
        }
        if let Some(x) = &self.ratio {
            m.set(MetricKey::VolumeRatio, x.peek(b.volume));
        }
        if let Some(x) = &self.hl {
            write_hl(x.peek(b), m);
        }
    }

    /// Files a closed bar and writes its values.
    pub fn push(&mut self, b: &Bar, m: &mut Metrics) {
        for (n, s) in &mut self.smas {
            m.set(MetricKey::Sma(*n), s.push(b.close));
        }
        for (n, e) in &mut self.emas {
            m.set(MetricKey::Ema(*n), e.push(b.close));
        }
        if let Some(x) = &mut self.rsi {
            m.set(MetricKey::Rsi, x.push(b.close));
        }
        if let Some(x) = &mut self.macd {
            write_macd(x.push(b.close), m);
        }
        if let Some(x) = &mut self.bb {
            write_bb(x.push(b.close), m);
        }
        if let Some(x) = &mut self.atr {
            m.set(MetricKey::Atr, x.push(b));
        }
        if let Some(x) = &mut self.vwap {
            m.set(MetricKey::Vwap, x.push(b));
        }
        if let Some(x) = &mut self.rvol {
            m.set(MetricKey::Rvol, x.push(b));
        }
        if let Some(x) = &mut self.ratio {
            m.set(MetricKey::VolumeRatio, x.push(b.volume));
        }
        if let Some(x) = &mut self.hl {
            write_hl(x.push(b), m);
        }
    }

    /// Approximate heap bytes held.
    pub fn memory_bytes(&self) -> usize {
        let avg: usize = self.smas.iter().map(|(n, _)| *n as usize).sum::<usize>()
            + self
                .emas
                .iter()
                .filter(|(_, e)| !e.is_warm())
                .map(|(n, _)| *n as usize)
                .sum::<usize>();
        avg * 8
            + self.rvol.as_ref().map_or(0, |r| r.memory_bytes())
            + (20 * 2 + 26 + 12 + 9 + 14 + 5) * 8
            + 40 * 16
    }
}

fn write_macd(v: Option<MacdValue>, m: &mut Metrics) {
    m.set(MetricKey::Macd, v.map(|x| x.macd));
    m.set(MetricKey::MacdSignal, v.map(|x| x.signal));
    m.set(MetricKey::MacdHist, v.map(|x| x.hist));
}

fn write_bb(v: Option<BollingerValue>, m: &mut Metrics) {
    m.set(MetricKey::BbUpper, v.map(|x| x.upper));
    m.set(MetricKey::BbMid, v.map(|x| x.mid));
    m.set(MetricKey::BbLower, v.map(|x| x.lower));
}

fn write_hl(v: Option<(bool, bool)>, m: &mut Metrics) {
    m.set(MetricKey::NewHigh, v.map(|x| f64::from(u8::from(x.0))));
    m.set(MetricKey::NewLow, v.map(|x| f64::from(u8::from(x.1))));
}
