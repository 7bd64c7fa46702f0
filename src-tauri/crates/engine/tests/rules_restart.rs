//! Trigger state per (rule, symbol) survives a restart of the whole engine: a rule with a
//! long cooldown that fired before the restart stays quiet after it, and `once` stays done.

use std::sync::Arc;
use tw_core::rule::RuleSpec;
use tw_core::{ManualClock, SharedClock};
use tw_engine::{Engine, EngineConfig, EngineHandle};
use tw_feeds::demo::DemoConfig;

const T0: i64 = 1_767_607_200_000; // 2026-01-05 10:00:00 UTC

fn config(dir: &std::path::Path, clock: &ManualClock) -> EngineConfig {
    let mut cfg = EngineConfig::new(dir);
    cfg.clock = Arc::new(clock.clone()) as SharedClock;
    cfg.demo = Some(DemoConfig {
        seed: 7,
        history_minutes: 30,
        showcase_burst: false,
        ..DemoConfig::default()
    });
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-test".into();
    cfg
}

async fn run_for(clock: &ManualClock, engine: &EngineHandle, ms: i64) {
    for i in 1..=ms / 250 {
        clock.advance(250).await;
        if i % 20 == 0 {
            engine.flush().await.unwrap();
        }
    }
    engine.flush().await.unwrap();
}

async fn count(engine: &EngineHandle, rule_id: i64) -> usize {
    engine.store().alerts_for_rule(rule_id).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cooldowns_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let spec = RuleSpec::from_json(
        r#"{"name":"hourly","target":{"symbols":["demo:ALPHA"]},"interval":"1m",
            "when":{"metric":"price","op":"gt","value":0},
            "frequency":{"mode":"every_time","cooldown_s":3600}}"#,
    )
    .unwrap();
    let id = {
        let engine = Engine::start(config(dir.path(), &clock)).await.unwrap();
        clock.settle().await;
        let id = engine.create_rule(spec.clone()).await.unwrap().id;
        run_for(&clock, &engine, 120_000).await;
        assert_eq!(count(&engine, id).await, 1, "fired once, then cooling down");
        engine.shutdown().await;
        id
    };
    // Same database, ten minutes later: still inside the hour.
    clock.advance(600_000).await;
    let engine = Engine::start(config(dir.path(), &clock)).await.unwrap();
    clock.settle().await;
    run_for(&clock, &engine, 120_000).await;
    assert_eq!(
        count(&engine, id).await,
        1,
        "the restart did not forget the cooldown"
    );
    engine.shutdown().await;

    // Control: the same rule created fresh fires at once, so the quiet above is the state.
    let engine = Engine::start(config(dir.path(), &clock)).await.unwrap();
    clock.settle().await;
    let fresh = engine.create_rule(spec).await.unwrap().id;
    run_for(&clock, &engine, 120_000).await;
    assert_eq!(count(&engine, fresh).await, 1);
    assert_eq!(count(&engine, id).await, 1);
    engine.shutdown().await;
}
