//! A year of 1m bars through the backtests: every strategy template, long only and
//! long/short with fees and slippage, and a rule backtest of three rules.
//!
//! The year is a real month looped: ALGOUSDT 1m 2025-02 (Binance USDⓈ-M, 40,320 bars) played
//! 14 times with continuous timestamps, each copy scaled so that it opens where the previous
//! one closed, cut to 525,600 bars (365 days).
//!
//! `cargo bench -p tw-analytics --bench backtest`

use std::time::Instant;
use tw_analytics::backtest::{backtest_rules, backtest_strategy, template, RuleRun, TEMPLATES};
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

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.unwrap())
}

fn main() {
    let Some(bars) = year() else { return };
    println!(
        "{} 1m bars ({} days), best of 3 runs, one core",
        bars.len(),
        bars.len() / 1440
    );
    println!("| backtest | time | bars/s | trades / fires |");
    println!("|---|---|---|---|");
    for name in TEMPLATES {
        for mode in [StrategyMode::LongOnly, StrategyMode::LongShort] {
            let mut s = template(name).unwrap();
            s.mode = mode;
            s.fees_bps = 5.0;
            s.slippage_bps = 2.0;
            let (t, r) = best_of(3, || backtest_strategy(&s, &bars, 2_000).unwrap());
            println!(
                "| strategy {name} {} | {:.0} ms | {:.0} | {} |",
                if mode == StrategyMode::LongOnly {
                    "long only"
                } else {
                    "long/short"
                },
                t * 1e3,
                bars.len() as f64 / t,
                r.trades.len()
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
    let (t, r) = best_of(3, || {
        backtest_rules(RuleRun {
            rules: &rules,
            series: &series,
            from: None,
            to: None,
            direction: Direction::Up,
            breaker: BreakerConfig::default(),
        })
        .unwrap()
    });
    println!(
        "| rules: 3 rules (volume_z, rsi, moving_up_pct), forward returns | {:.0} ms | {:.0} | {} |",
        t * 1e3,
        series[0].len() as f64 / t,
        r.fires.len()
    );
}
