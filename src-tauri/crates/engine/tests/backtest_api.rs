//! Backtests over stored history on a headless engine (the seeded demo market on a manual
//! clock): the rule backtest agrees with the rule preview (both replay through the same code),
//! and a strategy trades the stored bars.

use std::sync::Arc;
use tw_core::backtest::{RuleBacktestRequest, StrategyBacktestRequest};
use tw_core::ipc::ErrorCode;
use tw_core::rule::RuleSpec;
use tw_core::{Interval, ManualClock, SharedClock};
use tw_engine::backtest_api::{backtest_strategy_on, parse_strategy, template};
use tw_engine::{Engine, EngineConfig};
use tw_feeds::demo::DemoConfig;

const T0: i64 = 1_767_607_200_000; // 2026-01-05 10:00:00 UTC

fn rule(op: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{"name":"bt","target":{{"symbols":["demo:ALPHA"]}},"interval":"1m",
            "when":{{"metric":"price","op":"{op}","value":0}},
            "frequency":{{"mode":"once_per_bar_close"}}}}"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_history_backtests_agree_with_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let mut cfg = EngineConfig::new(dir.path());
    cfg.clock = Arc::new(clock.clone()) as SharedClock;
    cfg.demo = Some(DemoConfig {
        seed: 5,
        history_minutes: 240,
        showcase_burst: false,
        ..DemoConfig::default()
    });
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-test".into();
    let engine = Engine::start(cfg).await.unwrap();
    for _ in 0..8 {
        clock.advance(250).await;
    }
    engine.flush().await.unwrap();

    let preview = engine.preview_rule(&rule("gt"), 7).await.unwrap();
    assert!(preview.fired > 100, "{} fires", preview.fired);
    let req = RuleBacktestRequest {
        rules: vec![rule("gt"), rule("lt")],
        symbols: vec!["demo:ALPHA".into()],
        interval: None,
        from: preview.from,
        to: preview.to,
        direction: None,
    };
    let r = engine.backtest_rules(&req).await.unwrap();
    assert_eq!(
        r.rules[0].fires, preview.fired,
        "the same replay as the preview"
    );
    assert_eq!(r.rules[1].fires, 0);
    let first = &r.fires[0];
    assert_eq!(first.fired_at, preview.hits[0].fired_at);
    assert!(first.fwd1.is_some() && first.fwd20.is_some());
    assert!(r.rules[0].hit_rate.is_some());

    // A strategy over the same stored bars: every closed 1m bar of the window is a bar of it.
    let closed = engine
        .store()
        .candles_between("demo:ALPHA", Interval::M1, preview.from, preview.to)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.closed && c.close_time() <= preview.to)
        .collect::<Vec<_>>();
    let s = engine
        .backtest_strategy(&StrategyBacktestRequest {
            strategy: template("rsi_reversal").unwrap(),
            symbol: "demo:ALPHA".into(),
            interval: None,
            from: preview.from,
            to: preview.to,
            curve_points: Some(0),
        })
        .await
        .unwrap();
    assert_eq!(s.bars as usize, closed.len());
    assert_eq!(s.equity.len(), closed.len());
    let direct =
        backtest_strategy_on(&template("rsi_reversal").unwrap(), &closed, Some(0)).unwrap();
    assert_eq!(direct, s);

    // Bad requests are named.
    let mut bad = req.clone();
    bad.to = bad.from;
    let e = engine.backtest_rules(&bad).await.unwrap_err();
    assert_eq!(e.to_api().code, ErrorCode::InvalidInput);
    bad = req.clone();
    bad.symbols = vec!["ALPHA".into()];
    assert!(engine
        .backtest_rules(&bad)
        .await
        .unwrap_err()
        .to_string()
        .contains("ALPHA"));
    bad = req;
    bad.symbols = vec!["demo:NOPE".into()];
    let e = engine.backtest_rules(&bad).await.unwrap_err().to_string();
    assert!(e.contains("no stored 1m candles of demo:NOPE"), "{e}");
    engine.shutdown().await;
}

#[test]
fn strategies_parse_from_a_template_or_json() {
    assert_eq!(
        parse_strategy("macd_cross").unwrap(),
        template("macd_cross").unwrap()
    );
    let s = parse_strategy(
        r#"{"name":"x","entry":{"metric":"rsi","op":"lt","value":30},"exit":{"metric":"rsi","op":"gt","value":50},"fees_bps":3}"#,
    )
    .unwrap();
    assert_eq!(s.fees_bps, 3.0);
    assert_eq!(s.position_size, 1.0);
    let e = parse_strategy("golden_goose").unwrap_err().to_string();
    assert!(e.contains("dual_ma"), "{e}");
    let e =
        parse_strategy(r#"{"name":"x","entry":{"metric":"rsi","op":"lt","value":30},"stop":1}"#)
            .unwrap_err()
            .to_string();
    assert!(e.contains("unknown field `stop`"), "{e}");
}
