//! The strategy backtest against an independent implementation: backtesting.py (PyPI
//! `backtesting`) ran the same dual-SMA strategy on the same real files (1m crypto, daily stock), and
//! `fixtures/backtest/reference.py` wrote its trades and figures to `reference.json` (the
//! script's docstring lists the definitional differences and how they were bridged).
//!
//! Tolerances: the trades must be the same list (count, side, entry and exit bar exactly; prices
//! within 1e-9 relative); total return, max drawdown and the final equity within 1e-6
//! (backtesting.py sizes in whole units: ~3e-8 of the position); win rate to 1e-12 (the same wins over the same trades); Sharpe,
//! Sortino, volatility and annual return within 1e-4 relative.

use serde_json::Value;
use std::path::Path;
use tw_analytics::backtest::{backtest_strategy, template};
use tw_core::backtest::StrategyMode;

fn data(rel: &str) -> Vec<tw_core::Candle> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data")
        .join(rel);
    assert!(
        path.exists(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        path.display()
    );
    tw_feeds::replay::load(&path)
        .expect("the file parses")
        .candles
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol,
        "{what}: ours {a}, backtesting.py {b} (tolerance {tol})"
    );
}

fn rel(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol * b.abs().max(1e-12),
        "{what}: ours {a}, backtesting.py {b} (relative tolerance {tol})"
    );
}

#[test]
fn dual_sma_matches_backtesting_py() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/backtest/reference.json"))
        .expect("reference.json is JSON");
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let candles = data(case["data"].as_str().unwrap());
        assert_eq!(
            candles.len() as u64,
            case["bars"].as_u64().unwrap(),
            "{name}"
        );
        let mut spec = template("dual_ma").unwrap();
        spec.position_size = case["position_size"].as_f64().unwrap();
        spec.fees_bps = case["fees_bps"].as_f64().unwrap();
        spec.initial_capital = case["initial_capital"].as_f64().unwrap();
        spec.mode = match case["mode"].as_str().unwrap() {
            "long_short" => StrategyMode::LongShort,
            _ => StrategyMode::LongOnly,
        };
        let r = backtest_strategy(&spec, &candles, 0).unwrap();
        assert_eq!(r.bars as usize, candles.len(), "{name}");
        let want = case["trades"].as_array().unwrap();
        assert_eq!(r.trades.len(), want.len(), "{name}: number of trades");
        for (i, (t, w)) in r.trades.iter().zip(want).enumerate() {
            let at = format!("{name}: trade {i}");
            assert_eq!(t.side, w["side"].as_str().unwrap(), "{at}");
            assert_eq!(
                t.entry_time,
                w["entry_time"].as_i64().unwrap(),
                "{at} entry"
            );
            assert_eq!(t.exit_time, w["exit_time"].as_i64().unwrap(), "{at} exit");
            rel(t.entry_price, w["entry_price"].as_f64().unwrap(), 1e-9, &at);
            rel(t.exit_price, w["exit_price"].as_f64().unwrap(), 1e-9, &at);
        }
        let f = &case["figures"];
        let g = |k: &str| f[k].as_f64().unwrap();
        close(
            r.total_return,
            g("total_return"),
            1e-6,
            &format!("{name}: total return"),
        );
        close(
            r.max_drawdown,
            g("max_drawdown"),
            1e-6,
            &format!("{name}: max drawdown"),
        );
        rel(
            r.final_equity,
            g("final_equity"),
            1e-6,
            &format!("{name}: final equity"),
        );
        // Same wins over the same trades (the division may round in the last bit).
        close(
            r.win_rate.unwrap(),
            g("win_rate"),
            1e-12,
            &format!("{name}: win rate"),
        );
        rel(r.periods_per_year, g("periods_per_year"), 1e-9, name);
        rel(
            r.sharpe.unwrap(),
            g("sharpe"),
            1e-4,
            &format!("{name}: Sharpe"),
        );
        rel(
            r.sortino.unwrap(),
            g("sortino"),
            1e-4,
            &format!("{name}: Sortino"),
        );
        rel(
            r.volatility,
            g("volatility"),
            1e-4,
            &format!("{name}: volatility"),
        );
        rel(
            r.annual_return,
            g("annual_return"),
            1e-4,
            &format!("{name}: annual return"),
        );
        rel(
            r.profit_factor.unwrap(),
            g("profit_factor"),
            1e-4,
            &format!("{name}: profit factor"),
        );
    }
}
