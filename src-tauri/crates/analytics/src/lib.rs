//! The pure heart of Tickwarden: per-symbol series with streaming metrics, and the rules that
//! read them. No I/O, no clocks of its own: time comes in with the data or as an argument.

pub mod metric;
pub mod rules;
pub mod series;
pub mod stats;

pub use metric::{MetricKey, Metrics};
pub use series::{SeriesBook, SeriesConfig, SeriesUpdate};
pub mod anomaly;
pub mod backtest;
pub mod indicators;
pub mod nab;
pub mod portfolio;
pub mod radar;
pub mod scan;
