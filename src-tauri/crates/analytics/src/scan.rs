//! Runs the live detectors over recorded bars: what `tickwarden scan` prints and what the
//! crash report measures. The bars go through the same [`SeriesBook`] as live data (so a
//! coarser interval is rolled up exactly as it would be live).

use crate::anomaly::DetectorConfig;
use crate::csvbars::{median_step_ms, CsvBar};
use crate::series::{SeriesBook, SeriesConfig};
use thiserror::Error;
use tw_core::{Candle, Interval, MarketEvent, Symbol};

#[derive(Debug, Error, PartialEq)]
pub enum ScanError {
    #[error("bars every {0} s are not an interval Tickwarden builds (1m 5m 15m 1h 4h 1d)")]
    UnknownStep(i64),
    #[error("cannot scan {want} from {have} bars: pick an interval of at least {have}")]
    TooFine { want: Interval, have: Interval },
    #[error("{want} is not a whole number of {have} bars")]
    NotAMultiple { want: Interval, have: Interval },
}

/// One anomalous closed bar.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Hit {
    /// Bar open time, ms UTC.
    pub time_ms: i64,
    pub interval: Interval,
    pub close: f64,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// The interval the bars come in, from their usual spacing (daily data has weekends, so
/// anything from 1 to 4 days between most bars is daily).
pub fn data_interval(bars: &[CsvBar]) -> Result<Interval, ScanError> {
    let step = median_step_ms(bars).unwrap_or(Interval::D1.millis());
    if (Interval::D1.millis()..=4 * Interval::D1.millis()).contains(&step) {
        return Ok(Interval::D1);
    }
    Interval::ALL
        .into_iter()
        .find(|i| i.millis() == step)
        .ok_or(ScanError::UnknownStep(step / 1000))
}

/// Every anomaly the default detector finds in `bars`, scanned at `want` (default: the data's
/// own interval).
pub fn scan(
    bars: &[CsvBar],
    symbol: &Symbol,
    want: Option<Interval>,
    detector: DetectorConfig,
) -> Result<Vec<Hit>, ScanError> {
    let have = data_interval(bars)?;
    let want = want.unwrap_or(have);
    if want.millis() < have.millis() {
        return Err(ScanError::TooFine { want, have });
    }
    if want.millis() % have.millis() != 0 {
        return Err(ScanError::NotAMultiple { want, have });
    }
    let mut book = SeriesBook::new(SeriesConfig {
        intervals: vec![have, want],
        detector,
        ..SeriesConfig::default()
    });
    let mut out = Vec::new();
    let mut hits = Vec::new();
    for b in bars {
        let ev = MarketEvent::Candle(Candle {
            symbol: symbol.clone(),
            interval: have,
            open_time: b.open_time,
            open: b.open,
            high: b.high,
            low: b.low,
            close: b.close,
            volume: b.volume,
            quote_volume: b.volume * b.close,
            trades: 0,
            closed: true,
        });
        out.clear();
        book.on_event(&ev, &mut out);
        for u in out.iter().filter(|u| u.interval == want && u.bar.closed) {
            if let Some(s) = book.closed_anomaly(symbol, want).filter(|s| s.flagged) {
                hits.push(Hit {
                    time_ms: u.bar.open_time,
                    interval: want,
                    close: u.bar.close,
                    score: s.anomaly_score.unwrap_or(0.0),
                    reasons: s.reasons.clone(),
                });
            }
        }
    }
    Ok(hits)
}
