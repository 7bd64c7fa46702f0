//! Runs the live detectors over recorded bars: what `tickwarden scan` prints and what the
//! crash report measures. The bars go through the same [`SeriesBook`] as live data (so a
//! coarser interval is rolled up exactly as it would be live). Reading the file is the replay
//! feed's job (`tw_feeds::replay::parse`): one reader of recorded candles for both.

use crate::anomaly::DetectorConfig;
use crate::series::{SeriesBook, SeriesConfig};
use thiserror::Error;
use tw_core::{Candle, Interval, MarketEvent, Symbol};

#[derive(Debug, Error, PartialEq)]
pub enum ScanError {
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

/// Every anomaly the detector finds in closed `bars` of interval `have` (oldest first),
/// scanned at `want` (default: `have`), under the name `symbol`.
pub fn scan(
    bars: &[Candle],
    have: Interval,
    symbol: &Symbol,
    want: Option<Interval>,
    detector: DetectorConfig,
) -> Result<Vec<Hit>, ScanError> {
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
            closed: true,
            ..b.clone()
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

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn days(closes: &[f64]) -> Vec<Candle> {
        closes
            .iter()
            .enumerate()
            .map(|(i, &c)| Candle {
                symbol: Symbol::new("replay", "X"),
                interval: Interval::D1,
                open_time: 19_000 * DAY + i as i64 * DAY,
                open: c,
                high: c * 1.005,
                low: c * 0.995,
                close: c,
                volume: 1e6,
                quote_volume: 1e6 * c,
                trades: 0,
                closed: true,
            })
            .collect()
    }

    #[test]
    fn a_crash_day_is_a_hit_with_reasons_and_bad_intervals_are_named() {
        let mut closes: Vec<f64> = (0..80)
            .map(|i| 100.0 * (1.0 + 0.003 * if i % 2 == 0 { 1.0 } else { -1.0 }))
            .collect();
        closes.push(88.0);
        let bars = days(&closes);
        let sym = Symbol::new("file", "X");
        let hits = scan(&bars, Interval::D1, &sym, None, DetectorConfig::default()).unwrap();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].time_ms, bars[80].open_time);
        assert!(hits[0]
            .reasons
            .iter()
            .any(|r| r.starts_with("price -11.7% in 1d")));
        assert_eq!(
            scan(
                &bars,
                Interval::D1,
                &sym,
                Some(Interval::H1),
                DetectorConfig::default()
            ),
            Err(ScanError::TooFine {
                want: Interval::H1,
                have: Interval::D1
            })
        );
    }
}
