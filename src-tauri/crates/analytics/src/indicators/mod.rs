//! Streaming technical indicators: each takes one closed bar at a time in O(1), can preview
//! the value a still-open bar would give without changing its state (`peek`), and says when it
//! is warm. Their definitions follow TA-Lib's, so values agree with it to rounding (see
//! tests/indicators_vs_talib.rs and the fixture script that produced the reference values).

mod average;
mod oscillators;
mod set;
mod volume;

pub use average::{Ema, Sma, WindowSum};
pub use oscillators::{Atr, Bollinger, BollingerValue, Macd, MacdValue, NewHighLow, Rsi};
pub use set::{IndicatorConfig, IndicatorSet};
pub use volume::{RelativeVolume, SessionVwap, VolumeRatio};

/// The parts of a bar the indicators read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub open_time: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

impl From<&tw_core::Candle> for Bar {
    fn from(c: &tw_core::Candle) -> Self {
        Bar {
            open_time: c.open_time,
            open: c.open,
            high: c.high,
            low: c.low,
            close: c.close,
            volume: c.volume,
        }
    }
}
