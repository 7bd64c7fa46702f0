//! A stored-history strategy backtest warms its indicators up on the bars before the window
//! (as live evaluation would have them warm) and trades only inside it.

use std::path::Path;
use tw_analytics::backtest::{backtest_strategy, backtest_strategy_from, Compute};
use tw_core::backtest::StrategySpec;
use tw_core::Candle;

fn bars() -> Vec<Candle> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/crypto/binance_um_futures_1m/ALGOUSDT-1m-2025-02.csv");
    assert!(
        path.exists(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        path.display()
    );
    let mut c = tw_feeds::replay::load(&path)
        .expect("the file parses")
        .candles;
    c.truncate(2_000);
    c
}

#[test]
fn bars_before_the_window_warm_the_indicators_and_are_never_traded() {
    let bars = bars();
    // Long whenever sma(30) exists: the entry signal comes at the first bar it is warm.
    let spec: StrategySpec = serde_json::from_str(
        r#"{"name":"warm","entry":{"metric":"sma(30)","op":"gt","value":0},
            "exit":{"metric":"price","op":"lt","value":0}}"#,
    )
    .unwrap();
    let start = 500;
    let from = bars[start].open_time;
    let warm = backtest_strategy_from(&spec, &bars, 0, Compute::Read, Some(from)).unwrap();
    let cold = backtest_strategy(&spec, &bars[start..], 0).unwrap();
    // Same window, same number of bars.
    assert_eq!(warm.from, from);
    assert_eq!(warm.bars, cold.bars);
    assert_eq!(warm.to, cold.to);
    // Warm: the signal on the window's first close fills at the second bar's open.
    assert_eq!(warm.trades[0].entry_time, bars[start + 1].open_time);
    // Cold: sma(30) needs 30 bars of the window first.
    assert_eq!(cold.trades[0].entry_time, bars[start + 30].open_time);
    // Nothing before the window is traded or on the equity curve.
    assert!(warm.trades.iter().all(|t| t.entry_time >= from));
    // Without a window start, it is the plain backtest.
    let all = backtest_strategy_from(&spec, &bars, 0, Compute::Read, None).unwrap();
    assert_eq!(all.trades[0].entry_time, bars[30].open_time);
    // A window after the last bar is refused in words.
    let e = backtest_strategy_from(&spec, &bars, 0, Compute::Read, Some(i64::MAX)).unwrap_err();
    assert!(e.to_string().contains("no closed"), "{e}");
}
