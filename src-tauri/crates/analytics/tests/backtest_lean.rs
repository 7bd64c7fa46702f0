//! Backtests compute only the metrics their conditions read (`Compute::Read`); the live engine
//! computes every metric (`Compute::Everything`). On real files, the lean run must give the
//! same report as the full one — every fire, every trade, every figure — and the lean series
//! must give the same value of each demanded metric at every update, so skipping work can
//! never silently change a result.

use std::path::Path;
use tw_analytics::backtest::{
    backtest_rules_with, backtest_strategy_with, template, Compute, RuleRun, TEMPLATES,
};
use tw_analytics::rules::BreakerConfig;
use tw_analytics::series::Demand;
use tw_analytics::{MetricKey, SeriesBook, SeriesConfig};
use tw_core::backtest::{Direction, StrategyMode};
use tw_core::rule::RuleSpec;
use tw_core::{Candle, Interval, MarketEvent};

/// The first `n` bars of a real 1m file (a month of Binance USDⓈ-M futures).
fn data(rel: &str, n: usize) -> Vec<Candle> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data")
        .join(rel);
    assert!(
        path.exists(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        path.display()
    );
    let mut c = tw_feeds::replay::load(&path)
        .expect("the file parses")
        .candles;
    c.truncate(n);
    c
}

const ALGO: &str = "crypto/binance_um_futures_1m/ALGOUSDT-1m-2025-02.csv";
const AVAX: &str = "crypto/binance_um_futures_1m/AVAXUSDT-1m-2025-02.csv";

#[test]
fn every_template_trades_the_same_when_only_what_it_reads_is_computed() {
    let bars = data(ALGO, 12_000);
    for name in TEMPLATES {
        // 1m: the data's own interval; 15m: rolled up from the 1m bars.
        for interval in [None, Some(Interval::M15)] {
            for mode in [StrategyMode::LongOnly, StrategyMode::LongShort] {
                let mut s = template(name).unwrap();
                s.mode = mode;
                s.interval = interval;
                s.fees_bps = 5.0;
                s.slippage_bps = 2.0;
                let full = backtest_strategy_with(&s, &bars, 0, Compute::Everything).unwrap();
                let lean = backtest_strategy_with(&s, &bars, 0, Compute::Read).unwrap();
                let what = format!("{name} {interval:?} {mode:?}");
                if interval.is_none() {
                    assert!(!full.trades.is_empty(), "{what}: no trades to compare");
                }
                assert_eq!(full.trades, lean.trades, "{what}: trades");
                assert_eq!(full, lean, "{what}: report");
            }
        }
    }
}

fn rule(name: &str, interval: &str, when: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{"name":"{name}","target":{{"source":"binance"}},"interval":"{interval}","when":{when}}}"#
    ))
    .unwrap()
}

#[test]
fn rules_fire_the_same_when_only_what_they_read_is_computed() {
    let (algo, avax) = (data(ALGO, 6_000), data(AVAX, 6_000));
    // Each reads a different stage, on several intervals: the detector (its parts and the
    // composite score), the change look-back, the intraday volume profile, each indicator,
    // and sma/ema periods that are not among the chart's defaults.
    let rules = vec![
        rule(
            "volume",
            "1m",
            r#"{"metric":"volume_z","op":"crosses_up","value":3}"#,
        ),
        rule(
            "anomaly",
            "5m",
            r#"{"metric":"anomaly_score","op":"gt","value":0.8}"#,
        ),
        rule(
            "pctile",
            "1m",
            r#"{"metric":"return_pctile","op":"gt","value":99}"#,
        ),
        rule(
            "change",
            "15m",
            r#"{"metric":"change_pct","op":"crosses_up","value":1}"#,
        ),
        rule(
            "rvol",
            "5m",
            r#"{"metric":"rvol","op":"crosses_up","value":3}"#,
        ),
        rule(
            "averages",
            "1m",
            r#"{"metric":"sma(17)","op":"crosses_up","value":{"metric":"ema(33)"}}"#,
        ),
        rule(
            "macd",
            "15m",
            r#"{"metric":"macd_hist","op":"crosses_up","value":0}"#,
        ),
        rule(
            "bands",
            "5m",
            r#"{"metric":"price","op":"crosses_up","value":{"metric":"bb_upper"}}"#,
        ),
        rule(
            "high",
            "15m",
            r#"{"metric":"new_high","op":"crosses_up","value":0.5}"#,
        ),
        rule(
            "atr",
            "1m",
            r#"{"all":[{"metric":"atr","op":"moving_up_pct","value":20,"bars":10},
                       {"metric":"volume_ratio","op":"gt","value":2}]}"#,
        ),
        rule(
            "vwap",
            "1h",
            r#"{"metric":"price","op":"crosses_down","value":{"metric":"vwap"}}"#,
        ),
    ];
    let series = [algo, avax];
    let run = |c| {
        backtest_rules_with(
            RuleRun {
                rules: &rules,
                series: &series,
                from: None,
                to: None,
                direction: Direction::Up,
                breaker: BreakerConfig::default(),
            },
            c,
        )
        .unwrap()
    };
    let full = run(Compute::Everything);
    let lean = run(Compute::Read);
    for s in &full.rules {
        assert!(
            s.fires > 0,
            "rule {} never fired: nothing to compare",
            s.name
        );
    }
    assert_eq!(full.fires, lean.fires, "fires");
    assert_eq!(full, lean, "report");
}

#[test]
fn a_lean_series_gives_the_full_series_values_of_what_it_demands() {
    let bars = data(ALGO, 6_000);
    let intervals = vec![Interval::M1, Interval::M5, Interval::H1];
    // 1m reads two parts of the detector (returns and range, without volume), 5m its volume
    // part and averages, 1h the CUSUM (the whole detector), the change look-back, the
    // volume profile and MACD.
    let pairs = [
        (Interval::M1, MetricKey::ReturnPctile),
        (Interval::M1, MetricKey::RangeZ),
        (Interval::M5, MetricKey::VolumeZ),
        (Interval::M5, MetricKey::Sma(20)),
        (Interval::M5, MetricKey::Ema(7)),
        (Interval::H1, MetricKey::Cusum),
        (Interval::H1, MetricKey::ChangePct),
        (Interval::H1, MetricKey::Rvol),
        (Interval::H1, MetricKey::MacdSignal),
    ];
    let keys: Vec<MetricKey> = pairs.iter().map(|p| p.1).collect();
    let mut demand = Demand::Only(Vec::new());
    for (i, k) in pairs {
        demand.add(i, k);
    }
    let book = |demand: Demand| {
        let mut b = SeriesBook::new(SeriesConfig {
            intervals: intervals.clone(),
            demand,
            ..SeriesConfig::default()
        });
        b.track(MetricKey::Ema(7));
        b
    };
    let (mut full, mut lean) = (book(Demand::All), book(demand.clone()));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut seen = 0;
    for c in &bars {
        a.clear();
        b.clear();
        full.on_event(&MarketEvent::Candle(c.clone()), &mut a);
        lean.on_event(&MarketEvent::Candle(c.clone()), &mut b);
        assert_eq!(a.len(), b.len(), "the same updates");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((x.interval, &x.bar, x.at_ms), (y.interval, &y.bar, y.at_ms));
            for k in [MetricKey::Price, MetricKey::Volume, MetricKey::QuoteVolume] {
                assert_eq!(x.metrics.get(k), y.metrics.get(k), "{k} always computed");
            }
            for &k in &keys {
                if demand.wants(x.interval, k) {
                    let (p, q) = (x.metrics.get(k), y.metrics.get(k));
                    assert_eq!(p, q, "{k} on {} at {}", x.interval, x.at_ms);
                    seen += usize::from(q.is_some());
                }
            }
            // Stages nobody reads on an interval do not run there (a stage that runs may
            // write more than was demanded: the whole detector for the CUSUM).
            let skipped: &[MetricKey] = match y.interval {
                Interval::M1 => &[MetricKey::VolumeZ, MetricKey::Sma(20), MetricKey::Rsi],
                Interval::M5 => &[
                    MetricKey::ReturnPctile,
                    MetricKey::ChangePct,
                    MetricKey::Atr,
                ],
                _ => &[MetricKey::Sma(20), MetricKey::Ema(7), MetricKey::BbMid],
            };
            for &k in skipped {
                assert_eq!(y.metrics.get(k), None, "{k} on {}", y.interval);
            }
        }
    }
    assert!(seen > 6_000, "too few values compared ({seen})");
}
