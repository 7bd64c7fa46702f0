//! The bar detector on real daily AAPL bars (../shared/data), made to show what a raw feed
//! shows: the 7:1 split of 2014-06-09 un-adjusted (prices before it ×7, volumes ÷7), and a
//! bad print. Neither may read as a crash, nor blind the detector afterwards.

use std::path::PathBuf;
use tw_analytics::anomaly::{BarDetector, DetectorConfig};
use tw_analytics::indicators::Bar;
use tw_core::Candle as CsvBar;

/// `YYYY-MM-DD` (UTC midnight) → ms.
fn parse_time(s: &str) -> Option<i64> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis())
}

fn aapl() -> Vec<CsvBar> {
    let d = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data"
    ));
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        d.display()
    );
    let text = std::fs::read_to_string(
        d.join("stocks/us_daily_mplfinance/yahoofinance-AAPL-20040819-20180120.csv"),
    )
    .unwrap();
    tw_feeds::replay::parse(&text, "AAPL").unwrap().candles
}

fn bar(b: &CsvBar) -> Bar {
    Bar {
        open_time: b.open_time,
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        volume: b.volume,
    }
}

/// Flagged days (as times) of the detector over the bars.
fn flagged(bars: &[CsvBar]) -> Vec<(i64, Vec<String>, Option<String>)> {
    let mut d = BarDetector::new(DetectorConfig::default(), 86_400_000);
    bars.iter()
        .filter_map(|b| {
            let s = d.push(&bar(b), true);
            (s.flagged || s.note.is_some()).then_some((b.open_time, s.reasons, s.note))
        })
        .collect()
}

#[test]
fn an_unadjusted_split_is_noted_not_flagged_and_changes_nothing_after() {
    let adjusted = aapl();
    let split = parse_time("2014-06-09").unwrap();
    let raw: Vec<CsvBar> = adjusted
        .iter()
        .map(|b| {
            if b.open_time < split {
                CsvBar {
                    open: b.open * 7.0,
                    high: b.high * 7.0,
                    low: b.low * 7.0,
                    close: b.close * 7.0,
                    volume: b.volume / 7.0,
                    ..b.clone()
                }
            } else {
                b.clone()
            }
        })
        .collect();
    let with_split = flagged(&raw);
    let on_split = with_split
        .iter()
        .find(|(t, _, _)| *t == split)
        .expect("the split day is noticed");
    assert!(
        on_split.1.is_empty(),
        "the split is not an anomaly: {:?}",
        on_split.1
    );
    assert!(
        on_split.2.as_deref().unwrap_or("").contains("7:1"),
        "{:?}",
        on_split.2
    );
    // After the split, the same days are flagged as in the adjusted series, apart from at
    // most the few days right after it (the split day's return is skipped).
    let after = |v: &[(i64, Vec<String>, Option<String>)]| -> Vec<i64> {
        v.iter()
            .filter(|(t, r, _)| *t > split + 5 * 86_400_000 && !r.is_empty())
            .map(|(t, _, _)| *t)
            .collect()
    };
    let clean = flagged(&adjusted);
    assert_eq!(after(&with_split), after(&clean));
    assert!(!after(&clean).is_empty());
}

#[test]
fn a_bad_print_is_flagged_once_each_way_and_does_not_blind_the_detector() {
    let mut bars = aapl();
    // One print at a tenth of the price, on an ordinary day in 2016.
    let i = bars
        .iter()
        .position(|b| b.open_time == parse_time("2016-03-01").unwrap())
        .unwrap();
    let clean = flagged(&bars);
    let b = &mut bars[i];
    (b.low, b.close) = (b.close / 10.0, b.close / 10.0);
    let bad = flagged(&bars);
    let day = |k: usize| bars[k].open_time;
    assert!(
        bad.iter().any(|(t, r, _)| *t == day(i) && !r.is_empty()),
        "the bad print is flagged"
    );
    // The day after (back to normal) reads as a jump up: flagged. After that, the detector
    // sees what it saw without the bad print: the print was clipped out of its baselines.
    let later = |v: &[(i64, Vec<String>, Option<String>)]| -> Vec<i64> {
        v.iter()
            .filter(|(t, r, _)| *t > day(i + 1) && !r.is_empty())
            .map(|(t, _, _)| *t)
            .collect()
    };
    let (a, b) = (later(&clean), later(&bad));
    let differ =
        a.iter().filter(|t| !b.contains(t)).count() + b.iter().filter(|t| !a.contains(t)).count();
    assert!(
        differ <= 2,
        "a single bad print changed {differ} later verdicts"
    );
}
