//! Anomaly detection, streaming and O(1) per update (fixed windows).
//!
//! - [`BarDetector`]: per (symbol, interval), scores every bar on its log return (rolling
//!   z-score, robust median/MAD z-score, percentile rank, EWMA-volatility z), its log volume,
//!   its range, and a CUSUM of returns; combines them into `anomaly_score` and says why in
//!   words. Gaps and reconnects skip the return across them; splits and bad prints are kept
//!   out of the baselines so one print cannot blind or trigger the detector for weeks.
//! - [`ValueDetector`]: the same machinery for a plain value stream (used for the Numenta
//!   Anomaly Benchmark, whose streams are not prices).

mod bar;
mod config;
mod reasons;
mod value;
mod window;

pub use bar::{BarDetector, BarScores, DetectorParts};
pub use config::{DetectorConfig, ValueDetectorConfig};
pub use value::ValueDetector;
pub use window::SortedWindow;
