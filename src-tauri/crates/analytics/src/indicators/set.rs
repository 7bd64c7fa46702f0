//! The full indicator set of one (symbol, interval) series, written into a [`Metrics`].

use super::{
    Atr, Bar, Bollinger, Ema, Macd, NewHighLow, RelativeVolume, Rsi, SessionVwap, Sma, VolumeRatio,
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

#[derive(Clone, Debug)]
pub struct IndicatorSet {
    smas: Vec<(u16, Sma)>,
    emas: Vec<(u16, Ema)>,
    rsi: Rsi,
    macd: Macd,
    bb: Bollinger,
    atr: Atr,
    vwap: SessionVwap,
    rvol: RelativeVolume,
    ratio: VolumeRatio,
    hl: NewHighLow,
}

impl IndicatorSet {
    pub fn new(cfg: &IndicatorConfig, interval_ms: i64) -> Self {
        IndicatorSet {
            smas: cfg
                .sma_periods
                .iter()
                .map(|&n| (n, Sma::new(n as usize)))
                .collect(),
            emas: cfg
                .ema_periods
                .iter()
                .map(|&n| (n, Ema::new(n as usize)))
                .collect(),
            rsi: Rsi::new(14),
            macd: Macd::new(12, 26, 9),
            bb: Bollinger::new(20, 2.0),
            atr: Atr::new(14),
            vwap: SessionVwap::new(cfg.session_offset_ms),
            rvol: RelativeVolume::new(interval_ms, cfg.rvol_days),
            ratio: VolumeRatio::new(cfg.volume_ratio_bars),
            hl: NewHighLow::new(cfg.high_low_bars),
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
        m.set(MetricKey::Rsi, self.rsi.peek(b.close));
        let macd = self.macd.peek(b.close);
        m.set(MetricKey::Macd, macd.map(|x| x.macd));
        m.set(MetricKey::MacdSignal, macd.map(|x| x.signal));
        m.set(MetricKey::MacdHist, macd.map(|x| x.hist));
        let bb = self.bb.peek(b.close);
        m.set(MetricKey::BbUpper, bb.map(|x| x.upper));
        m.set(MetricKey::BbMid, bb.map(|x| x.mid));
        m.set(MetricKey::BbLower, bb.map(|x| x.lower));
        m.set(MetricKey::Atr, self.atr.peek(b));
        m.set(MetricKey::Vwap, self.vwap.peek(b));
        m.set(MetricKey::Rvol, self.rvol.peek(b));
        m.set(MetricKey::VolumeRatio, self.ratio.peek(b.volume));
        let hl = self.hl.peek(b);
        m.set(MetricKey::NewHigh, hl.map(|x| f64::from(u8::from(x.0))));
        m.set(MetricKey::NewLow, hl.map(|x| f64::from(u8::from(x.1))));
    }

    /// Files a closed bar and writes its values.
    pub fn push(&mut self, b: &Bar, m: &mut Metrics) {
        for (n, s) in &mut self.smas {
            m.set(MetricKey::Sma(*n), s.push(b.close));
        }
        for (n, e) in &mut self.emas {
            m.set(MetricKey::Ema(*n), e.push(b.close));
        }
        m.set(MetricKey::Rsi, self.rsi.push(b.close));
        let macd = self.macd.push(b.close);
        m.set(MetricKey::Macd, macd.map(|x| x.macd));
        m.set(MetricKey::MacdSignal, macd.map(|x| x.signal));
        m.set(MetricKey::MacdHist, macd.map(|x| x.hist));
        let bb = self.bb.push(b.close);
        m.set(MetricKey::BbUpper, bb.map(|x| x.upper));
        m.set(MetricKey::BbMid, bb.map(|x| x.mid));
        m.set(MetricKey::BbLower, bb.map(|x| x.lower));
        m.set(MetricKey::Atr, self.atr.push(b));
        m.set(MetricKey::Vwap, self.vwap.push(b));
        m.set(MetricKey::Rvol, self.rvol.push(b));
        m.set(MetricKey::VolumeRatio, self.ratio.push(b.volume));
        let hl = self.hl.push(b);
        m.set(MetricKey::NewHigh, hl.map(|x| f64::from(u8::from(x.0))));
        m.set(MetricKey::NewLow, hl.map(|x| f64::from(u8::from(x.1))));
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
        avg * 8 + self.rvol.memory_bytes() + (20 * 2 + 26 + 12 + 9 + 14 + 5) * 8 + 40 * 16
    }
}
