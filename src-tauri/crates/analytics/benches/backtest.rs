//! A year of 1m bars through the backtests: every strategy template, long only and
//! long/short with fees and slippage, and a rule backtest of three rules.
//!
//! The year is a real month looped: ALGOUSDT 1m 2025-02 (Binance USDⓈ-M, 40,320 bars) played
//! 14 times with continuous timestamps, each copy scaled so that it opens where the previous
//! one closed, cut to 525,600 bars (365 days).
//!
//! Each backtest runs twice, A/B in the same process: with the series code computing every
//! metric (as the live engine does, and as the backtests did before they computed only what
//! their conditions read) and computing only what the conditions read (what the backtests
//! do); the runs alternate, so both see the same machine load. The results must be equal.
//!
//! `cargo bench -p tw-analytics --bench backtest`

use std::time::Instant;
use tw_analytics::backtest::{
    backtest_rules_with, backtest_strategy_with, template, Compute, RuleRun, TEMPLATES,
};
use tw_analytics::rules::BreakerConfig;
use tw_core::backtest::{Direction, StrategyMode};
use tw_core::rule::RuleSpec;
use tw_core::Candle;

const YEAR_BARS: usize = 365 * 1440;

fn year() -> Option<Vec<Candle>> {
    let data = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data"
    ));
    let path = data.join("crypto/binance_um_futures_1m/ALGOUSDT-1m-2025-02.csv");
    if !path.exists() {
        println!("SKIPPED: {} is absent", path.display());
        return None;
    }
    let month = tw_feeds::replay::load(&path).unwrap().candles;
    let mut out: Vec<Candle> = Vec::with_capacity(YEAR_BARS);
    let t0 = month[0].open_time;
    while out.len() < YEAR_BARS {
        let scale = out.last().map_or(1.0, |l: &Candle| l.close / month[0].open);
        for c in &month {
            if out.len() == YEAR_BARS {
                break;
            }
            let mut c = c.clone();
            c.open_time = t0 + out.len() as i64 * 60_000;
            for p in [&mut c.open, &mut c.high, &mut c.low, &mut c.close] {
                *p *= scale;
            }
            out.push(c);
        }
    }
    Some(out)
}

/// Best of `runs` timings of `a` and of `b`, alternating a, b, a, b, …
fn best_of_ab<T>(runs: usize, mut f: impl FnMut(Compute) -> T) -> (f64, f64, T, T) {
    let (mut best_a, mut best_b) = (f64::INFINITY, f64::INFINITY);
    let (mut out_a, mut out_b) = (None, None);
    for _ in 0..runs {
        let t = Instant::now();
        let r = f(Compute::Everything);
        best_a = best_a.min(t.elapsed().as_secs_f64());
        out_a = Some(r);
        let t = Instant::now();
        let r = f(Compute::Read);
        best_b = best_b.min(t.elapsed().as_secs_f64());
        out_b = Some(r);
    }
    (best_a, best_b, out_a.unwrap(), out_b.unwrap())
}

fn row(name: &str, n: usize, a: f64, b: f64, results: usize) {
    println!(
        "| {name} | {:.0} ms | {:.0} ms | {:.0} | {:.2}× | {results} |",
        a * 1e3,
        b * 1e3,
        n as f64 / b,
        a / b
    );
}

fn main() {
    let Some(bars) = year() else { return };
    println!(
        "{} 1m bars ({} days), best of 3 runs each, A/B alternating, one core",
        bars.len(),
        bars.len() / 1440
    );
    println!(
        "| backtest | everything (A) | only what is read (B) | bars/s (B) | A/B | trades / fires |"
    );
    println!("|---|---|---|---|---|---|");
    for name in TEMPLATES {
        for mode in [StrategyMode::LongOnly, StrategyMode::LongShort] {
            let mut s = template(name).unwrap();
            s.mode = mode;
            s.fees_bps = 5.0;
            s.slippage_bps = 2.0;
            let (a, b, ra, rb) =
                best_of_ab(3, |c| backtest_strategy_with(&s, &bars, 2_000, c).unwrap());
            assert_eq!(ra, rb, "{name}: computing less changed the report");
            let mode = if mode == StrategyMode::LongOnly {
                "long only"
            } else {
                "long/short"
            };
            row(
                &format!("strategy {name}, {mode}"),
                bars.len(),
                a,
                b,
                rb.trades.len(),
            );
        }
    }
    let rules: Vec<RuleSpec> = [
        r#"{"metric":"volume_z","op":"crosses_up","value":4}"#,
        r#"{"metric":"rsi","op":"crosses_down","value":25}"#,
        r#"{"metric":"price","op":"moving_up_pct","value":3,"bars":30}"#,
    ]
    .iter()
    .enumerate()
    .map(|(i, w)| {
        RuleSpec::from_json(&format!(
            r#"{{"name":"rule {i}","target":{{"source":"replay"}},"interval":"1m","when":{w}}}"#
        ))
        .unwrap()
    })
    .collect();
    let series = [bars];
    let run = |rules: &[RuleSpec], c: Compute| {
        backtest_rules_with(
            RuleRun {
                rules,
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
    let (a, b, ra, rb) = best_of_ab(3, |c| run(&rules, c));
    assert_eq!(ra, rb, "rules: computing less changed the report");
    row(
        "rules: 3 rules (volume_z, rsi, moving_up_pct) + forward returns",
        series[0].len(),
        a,
        b,
        rb.fires.len(),
    );
    let (a, b, ra, rb) = best_of_ab(3, |c| run(&rules[1..], c));
    assert_eq!(ra, rb, "rules: computing less changed the report");
    row(
        "rules: 2 rules (rsi, moving_up_pct) + forward returns",
        series[0].len(),
        a,
        b,
        rb.fires.len(),
    );
    // The whole detector: the composite score needs every part.
    let anomaly = [RuleSpec::from_json(
        r#"{"name":"anomaly","target":{"source":"replay"},"interval":"1m","when":{"metric":"anomaly_score","op":"crosses_up","value":1}}"#,
    )
    .unwrap()];
    let (a, b, ra, rb) = best_of_ab(3, |c| run(&anomaly, c));
    assert_eq!(ra, rb, "rules: computing less changed the report");
    row(
        "rules: 1 rule (anomaly_score) + forward returns",
        series[0].len(),
        a,
        b,
        rb.fires.len(),
    );
}
