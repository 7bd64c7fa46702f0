//! The crash report: the default detector over the real crashes in ../shared/data. For each
//! file it prints alerts per day (whole file, and outside the crash window) and the delay from
//! the crash's onset to the first alert; it fails if a crash is not flagged in time or a quiet
//! stretch is noisy. Alerts here are flagged bars (before any rule cooldown).
//! Onset, intraday: the first bar in the crash window whose close is `onset_pct` below the
//! highest close of the previous 60 bars (above the lowest for the USDC de-peg, where BTC/USDC
//! rises as USDC falls). Daily: the first day that closes `onset_pct` below the day before.
//! An alert up to 5 bars before the onset counts as a delay of 0.

use std::path::PathBuf;
use tw_analytics::anomaly::DetectorConfig;
use tw_analytics::scan::scan;
use tw_core::{Candle as CsvBar, Interval, Symbol};

/// `YYYY-MM-DD HH:MM:SS` (UTC) → ms.
fn parse_time(s: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

struct Crash {
    name: &'static str,
    files: &'static [&'static str],
    from: &'static str,
    to: &'static str,
    /// The fall from the recent high that marks the onset, in percent.
    onset_pct: f64,
}

const CRASHES: &[Crash] = &[
    Crash {
        name: "LUNA collapse, May 2022",
        files: &["crypto/binance_spot_public_data/LUNAUSDT-1m-2022-05.csv"],
        from: "2022-05-07 00:00:00",
        to: "2022-05-13 00:00:00",
        onset_pct: 10.0,
    },
    Crash {
        name: "futures crash, 2025-02-03",
        files: &[
            "crypto/binance_um_futures_1m/ALGOUSDT-1m-2025-02.csv",
            "crypto/binance_um_futures_1m/AVAXUSDT-1m-2025-02.csv",
            "crypto/binance_um_futures_1m/FILUSDT-1m-2025-02.csv",
            "crypto/binance_um_futures_1m/NEARUSDT-1m-2025-02.csv",
        ],
        from: "2025-02-03 00:30:00",
        to: "2025-02-03 03:00:00",
        onset_pct: 5.0,
    },
    Crash {
        name: "USDC de-peg, March 2023",
        files: &["crypto/usdc_depeg_2023-03/binanceus_BTCUSDC_1m_20230301_20230321.csv"],
        from: "2023-03-10 12:00:00",
        to: "2023-03-12 00:00:00",
        onset_pct: 3.0,
    },
    Crash {
        name: "alt crash, Jan 2018",
        files: &[
            "crypto/freqtrade_testdata/ADA_BTC-5m.csv",
            "crypto/freqtrade_testdata/ETH_BTC-5m.csv",
            "crypto/freqtrade_testdata/TRX_BTC-5m.csv",
            "crypto/freqtrade_testdata/XLM_BTC-5m.csv",
        ],
        from: "2018-01-16 00:00:00",
        to: "2018-01-18 00:00:00",
        onset_pct: 5.0,
    },
    Crash {
        name: "A-share crash, 2015",
        files: &["stocks/cn_a_share_daily/sh000001_20110728_20170726.csv"],
        from: "2015-06-15 00:00:00",
        to: "2015-07-10 00:00:00",
        onset_pct: 5.0,
    },
    Crash {
        name: "COVID crash, March 2020",
        files: &["stocks/us_daily_pandas_ta/SPY_D.csv"],
        from: "2020-02-20 00:00:00",
        to: "2020-03-24 00:00:00",
        onset_pct: 5.0,
    },
];

fn data_dir() -> PathBuf {
    let d = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data"
    ));
    // `make test` runs with shared/ beside the clone (as CI has it): absent data fails.
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        d.display()
    );
    d
}

/// The first bar in [from, to) whose close is `frac` below the highest close of the previous
/// 60 bars (or above the lowest, for `rise`).
fn onset(bars: &[CsvBar], from: i64, to: i64, frac: f64, rise: bool) -> Option<i64> {
    (60..bars.len())
        .find(|&i| {
            let b = &bars[i];
            if b.open_time < from || b.open_time >= to {
                return false;
            }
            let prev = bars[i - 60..i].iter().map(|x| x.close);
            if rise {
                b.close >= prev.fold(f64::INFINITY, f64::min) * (1.0 + frac)
            } else {
                b.close <= prev.fold(0.0, f64::max) * (1.0 - frac)
            }
        })
        .map(|i| bars[i].open_time)
}

/// Daily bars: the first day in [from, to) that closes `frac` below the previous close.
fn crash_day(bars: &[CsvBar], from: i64, to: i64, frac: f64) -> Option<i64> {
    bars.windows(2)
        .find(|w| {
            w[1].open_time >= from && w[1].open_time < to && w[1].close <= w[0].close * (1.0 - frac)
        })
        .map(|w| w[1].open_time)
}

#[test]
fn real_crashes_are_flagged_fast_and_quiet_stretches_stay_quiet() {
    let data = data_dir();
    println!(
        "{:<26} {:<40} {:>6} {:>7} {:>9} {:>10}  {:<17} {:>9}",
        "crash", "file", "days", "alerts", "per day", "quiet/day", "onset (UTC)", "delay"
    );
    let mut failures = Vec::new();
    for c in CRASHES {
        let (from, to) = (parse_time(c.from).unwrap(), parse_time(c.to).unwrap());
        for f in c.files {
            let text = std::fs::read_to_string(data.join(f)).unwrap();
            let rec = tw_feeds::replay::parse(&text, "X").unwrap();
            assert!(rec.bad_rows.is_empty(), "{f}: {:?}", rec.bad_rows.first());
            let (bars, interval) = (rec.candles, rec.interval);
            let daily = interval == Interval::D1;
            let hits = scan(
                &bars,
                interval,
                &Symbol::new("file", "X"),
                None,
                DetectorConfig::default(),
            )
            .unwrap();
            let span_days =
                (bars.last().unwrap().open_time - bars[0].open_time) as f64 / 86_400_000.0;
            let crash_days = (to - from) as f64 / 86_400_000.0;
            let quiet_hits = hits
                .iter()
                .filter(|h| h.time_ms < from || h.time_ms >= to)
                .count();
            let quiet_per_day = quiet_hits as f64 / (span_days - crash_days).max(1.0);
            let on = if daily {
                crash_day(&bars, from, to, c.onset_pct / 100.0)
            } else {
                onset(
                    &bars,
                    from,
                    to,
                    c.onset_pct / 100.0,
                    c.name.starts_with("USDC"),
                )
            };
            let first = on.and_then(|o| {
                hits.iter()
                    .find(|h| h.time_ms >= o - interval.millis() * 5 && h.time_ms < to)
            });
            let delay = match (on, first) {
                (Some(o), Some(h)) => Some((h.time_ms - o).max(0)),
                _ => None,
            };
            let delay_s = match delay {
                Some(d) if daily => format!("{} d", d / 86_400_000),
                Some(d) => format!("{} min", d / 60_000),
                None => "MISSED".into(),
            };
            let onset_s = on.map(fmt_time).unwrap_or_else(|| "-".into());
            let short = f.rsplit('/').next().unwrap();
            println!(
                "{:<26} {:<40} {:>6.1} {:>7} {:>9.2} {:>10.2}  {:<17} {:>9}",
                c.name,
                short,
                span_days,
                hits.len(),
                hits.len() as f64 / span_days.max(1.0),
                quiet_per_day,
                onset_s,
                delay_s
            );
            if let Some(h) = first {
                println!("    first alert: {}", h.reasons.join("; "));
            }
            let in_time = match delay {
                Some(d) if daily => d <= 86_400_000,
                // Within three bars, and never more than 30 minutes.
                Some(d) => d <= (3 * interval.millis()).clamp(15 * 60_000, 30 * 60_000),
                None => false,
            };
            if on.is_some() && !in_time {
                failures.push(format!(
                    "{}: {short} not flagged in time ({delay_s})",
                    c.name
                ));
            }
            // Flagged bars per day outside the crash window: at most one every ten trading
            // days on daily bars; intraday at most 10 a day (of 288 5m or 1440 1m bars).
            let quiet_limit = if daily { 0.1 } else { 10.0 };
            if quiet_per_day > quiet_limit {
                failures.push(format!(
                    "{}: {short} {quiet_per_day:.2} alerts/day outside the crash",
                    c.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn fmt_time(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000) / 60_000;
    // civil_from_days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 60, rem % 60)
}
