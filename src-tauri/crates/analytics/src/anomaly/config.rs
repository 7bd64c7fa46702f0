//! Detector settings. The defaults are the product's: one parameter set for every market.

/// Thresholds and windows of [`super::BarDetector`].
#[derive(Clone, Debug, PartialEq)]
pub struct DetectorConfig {
    /// Closed bars in the rolling baselines.
    pub window: usize,
    /// Closed bars needed before anything is scored.
    pub warmup: usize,
    /// |robust z| of the log return that counts as an unusual price move.
    pub price_z: f64,
    /// z of log volume that counts as unusual.
    pub volume_z: f64,
    /// z of the bar range (high − low) / close that counts as unusual volatility.
    pub volatility_z: f64,
    /// A move smaller than this (fraction, 0.01 = 1 %) is never an anomaly, however quiet
    /// the market was.
    pub min_abs_return: f64,
    /// EWMA decay of the volatility estimate (RiskMetrics' 0.94).
    pub ewma_lambda: f64,
    /// CUSUM slack and alarm level, in standard deviations of the return.
    pub cusum_k: f64,
    pub cusum_h: f64,
    /// Weights of the composite score: price, volume, range, CUSUM.
    pub weights: [f64; 4],
    /// Values further than this many robust deviations from the median enter the baselines
    /// clipped to that distance, so one huge print cannot blind the detector.
    pub clip_sigmas: f64,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            window: 60,
            warmup: 20,
            price_z: 2.5,
            volume_z: 2.0,
            volatility_z: 2.0,
            min_abs_return: 0.01,
            ewma_lambda: 0.94,
            cusum_k: 0.5,
            cusum_h: 8.0,
            weights: [0.5, 0.2, 0.2, 0.1],
            clip_sigmas: 6.0,
        }
    }
}

/// Settings of [`super::ValueDetector`]. The defaults are the one parameter set used for the
/// whole NAB corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueDetectorConfig {
    /// Values in the robust baselines of the level and of its changes.
    pub window: usize,
    /// Values before the first score (scores are 0 until then).
    pub warmup: usize,
    /// Fast and slow EWMA spans of the level (a level shift shows as their divergence).
    pub fast_span: f64,
    pub slow_span: f64,
    /// Raw scores in the long history of the likelihood stage, and in its short average.
    pub history: usize,
    pub short: usize,
    /// After a report (a score at or above `report_level`), the stages above score 0 for
    /// this many values, so one event is reported once.
    pub refractory: usize,
    pub report_level: f64,
    /// Context stage (CAD OSE without look-ahead, [`crate::nab::StreamingCad`]): values that
    /// fix its range, its rest period after a high score, most contexts stored (bounds its
    /// memory and its work per value), and the factor on its score in the final
    /// `max(stages above, cad_weight × CAD score)`. `cad_weight` 0 turns the stage off.
    pub cad_warmup: usize,
    pub cad_rest: usize,
    pub cad_max_contexts: usize,
    pub cad_weight: f64,
}

impl Default for ValueDetectorConfig {
    fn default() -> Self {
        ValueDetectorConfig {
            window: 200,
            warmup: 50,
            fast_span: 5.0,
            slow_span: 100.0,
            history: 8000,
            short: 4,
            refractory: 120,
            report_level: 0.23,
            cad_warmup: 400,
            cad_rest: 120,
            cad_max_contexts: 30_000,
            cad_weight: 0.21 / 0.65,
        }
    }
}
