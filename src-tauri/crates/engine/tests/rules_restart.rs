//! Trigger state per (rule, symbol) survives a restart of the whole engine: a rule with a
//! long cooldown that fired before the restart stays quiet after it, and `once` stays done.

use tw_core::rule::RuleSpec;
use tw_core::ManualClock;
use tw_engine::{Engine, EngineConfig, EngineHandle};

mod common;

use common::{quiet_demo, run_for, T0};

fn config(dir: &std::path::Path, clock: &ManualClock) -> EngineConfig {
    common::config(dir, clock, quiet_demo(7, 30))
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
