//! The whole pipeline, headless: seeded demo feed → series → SQLite → rules → alerts, driven
//! by a manual clock.

use tw_core::ipc::ErrorCode;
use tw_core::rule::RuleSpec;
use tw_core::{Interval, ManualClock};
use tw_engine::{Engine, EngineError};
use tw_feeds::demo::DemoConfig;

mod common;

use common::{config, quiet_demo, run_for, T0};

fn rule(name: &str, extra: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{"name":"{name}","target":{{"symbols":["demo:ALPHA"]}},"interval":"1m","level":"high",
            "when":{{"metric":"price","op":"gt","value":0}}{extra}}}"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn candles_land_in_sqlite_and_rules_fire_once_per_bar_with_cooldown() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(dir.path(), &clock, quiet_demo(42, 60)))
        .await
        .unwrap();
    clock.settle().await;
    engine.flush().await.unwrap();

    // A first start creates the demo watchlist and the default rules.
    assert_eq!(engine.watchlist().await.unwrap().len(), 8);
    let defaults = engine.rules().await.unwrap();
    assert!(
        defaults.iter().any(|r| r.spec.name == "Volume burst"),
        "{defaults:?}"
    );

    let every_bar = engine
        .create_rule(rule(
            "every bar",
            r#","frequency":{"mode":"once_per_bar","cooldown_s":0}"#,
        ))
        .await
        .unwrap();
    let cooled = engine
        .create_rule(rule(
            "cooled",
            r#","frequency":{"mode":"every_time","cooldown_s":150}"#,
        ))
        .await
        .unwrap();

    // A bad rule is refused with the field that is wrong, and nothing is stored.
    let bad = RuleSpec::from_json(
        r#"{"name":"bad","target":{"symbols":["demo:ALPHA"]},"interval":"1m","when":{"metric":"volume_zz","op":"gt","value":1}}"#,
    )
    .unwrap();
    match engine.create_rule(bad).await {
        Err(e @ EngineError::InvalidRule(_)) => {
            let api = e.to_api();
            assert_eq!(api.code, ErrorCode::InvalidRule);
            assert!(
                api.message.contains("when.metric") && api.message.contains("volume_zz"),
                "{}",
                api.message
            );
        }
        other => panic!("bad rule accepted: {other:?}"),
    }
    assert_eq!(engine.rules().await.unwrap().len(), defaults.len() + 2);

    let mut live_alerts = engine.subscribe_alerts();
    run_for(&clock, &engine, 10 * 60_000).await;

    // Candles: 60 minutes of history plus 10 live minutes, once each, contiguous, and closed
    // (the heartbeat at the end of the tenth minute closed the last one).
    let store = engine.store();
    let bars = store
        .candles("demo:ALPHA", Interval::M1, 1_000)
        .await
        .unwrap();
    assert_eq!(bars.len(), 70, "history + live bars, no duplicates");
    assert!(bars
        .windows(2)
        .all(|w| w[1].open_time - w[0].open_time == 60_000));
    assert_eq!(bars.first().unwrap().open_time, T0 - 60 * 60_000);
    assert!(bars.iter().all(|c| c.closed));
    assert_eq!(
        store.count_candles(None, Some(Interval::M1)).await.unwrap(),
        70 * 8
    );

    // once_per_bar: exactly one alert in each of the 10 live bars.
    let fired = store.alerts_for_rule(every_bar.id).await.unwrap();
    let bars_hit: Vec<i64> = fired.iter().map(|a| a.bar_time).collect();
    let want: Vec<i64> = (0..10).map(|i| T0 + i * 60_000).collect();
    assert_eq!(bars_hit, want);
    assert!(fired.iter().all(|a| a.symbol == "demo:ALPHA" && a.id > 0));

    // every_time with a 150 s cooldown: at 0, ≥150, ≥300, ≥450 s → four in ten minutes.
    let fired = store.alerts_for_rule(cooled.id).await.unwrap();
    assert_eq!(fired.len(), 4, "{fired:?}");
    assert!(fired
        .windows(2)
        .all(|w| w[1].fired_at - w[0].fired_at >= 150_000));

    // The UI channel saw the same alerts that were stored.
    let mut seen = 0;
    while let Ok(a) = live_alerts.try_recv() {
        assert!(a.id > 0, "alerts are stored before they are delivered");
        seen += 1;
    }
    assert_eq!(
        seen as usize,
        store.recent_alerts(10_000).await.unwrap().len()
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_continues_without_duplicates_or_a_price_jump() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(dir.path(), &clock, quiet_demo(7, 30)))
        .await
        .unwrap();
    clock.settle().await;
    run_for(&clock, &engine, 3 * 60_000).await;
    engine.shutdown().await;
    let rules_before = engine.rules().await.is_err(); // the store is closed after shutdown
    assert!(rules_before);

    // Five minutes later the app starts again: the gap is filled, nothing is doubled.
    let clock = ManualClock::new(T0 + 8 * 60_000);
    let engine = Engine::start(config(dir.path(), &clock, quiet_demo(7, 30)))
        .await
        .unwrap();
    clock.settle().await;
    run_for(&clock, &engine, 60_000).await;
    let bars = engine
        .store()
        .candles("demo:ALPHA", Interval::M1, 1_000)
        .await
        .unwrap();
    assert_eq!(bars.first().unwrap().open_time, T0 - 30 * 60_000);
    assert!(
        bars.windows(2)
            .all(|w| w[1].open_time - w[0].open_time == 60_000),
        "gap filled, no duplicates"
    );
    assert_eq!(
        bars.len(),
        30 + 3 + 5 + 1,
        "history, first run, the gap, second run"
    );
    for w in bars.windows(2) {
        let jump = (w[1].open / w[0].close - 1.0).abs();
        assert!(
            jump < 0.05,
            "price jumped {jump} between {} and {}",
            w[0].open_time,
            w[1].open_time
        );
    }
    assert_eq!(
        engine.rules().await.unwrap().len(),
        2,
        "defaults are created once"
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_rules_fire_within_two_minutes_of_a_first_start_and_stay_quiet_after() {
    for seed in [1, 3, 7, 12] {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(T0 + seed as i64 * 7_919);
        let demo = DemoConfig {
            seed,
            ..DemoConfig::default()
        };
        let engine = Engine::start(config(dir.path(), &clock, demo))
            .await
            .unwrap();
        clock.settle().await;
        engine.flush().await.unwrap();
        run_for(&clock, &engine, 2 * 60_000).await;
        let first = engine.alerts(100).await.unwrap();
        assert!(
            !first.is_empty(),
            "seed {seed}: no alert within two minutes of a first start"
        );
        assert!(first.iter().all(|a| a.symbol.starts_with("demo:")));
        run_for(&clock, &engine, 58 * 60_000).await;
        let hour = engine.alerts(10_000).await.unwrap();
        eprintln!(
            "seed {seed}: default rules fired {} alerts in the first hour",
            hour.len()
        );
        assert!(
            hour.len() <= 40,
            "seed {seed}: {} alerts in an hour is spam",
            hour.len()
        );
        engine.shutdown().await;
    }
}
