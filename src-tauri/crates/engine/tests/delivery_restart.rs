//! Alert-delivery state survives a restart of the whole engine: a rule the circuit breaker
//! paused stays paused until its pause ends, and notifications held by the global pause are
//! still shown as one digest when the pause is lifted after the restart.

use tokio::sync::broadcast::error::TryRecvError;
use tw_core::delivery::DeliverySettings;
use tw_core::rule::RuleSpec;
use tw_core::{Clock, ManualClock};
use tw_engine::{Engine, EngineConfig, EngineHandle, NoticeEvent};

mod common;

use common::{quiet_demo, run_for, T0};

fn config(dir: &std::path::Path, clock: &ManualClock) -> EngineConfig {
    common::config(dir, clock, quiet_demo(11, 30))
}

async fn count(engine: &EngineHandle, rule_id: i64) -> usize {
    engine.store().alerts_for_rule(rule_id).await.unwrap().len()
}

async fn start(dir: &std::path::Path, clock: &ManualClock) -> EngineHandle {
    let engine = Engine::start(config(dir, clock)).await.unwrap();
    clock.settle().await;
    engine
}

fn rule(json_frequency: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{"name":"always","target":{{"symbols":["demo:ALPHA"]}},"interval":"1m",
            "when":{{"metric":"price","op":"gt","value":0}},"frequency":{json_frequency}}}"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_breaker_pause_outlives_a_restart_and_then_ends() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let pause_ms = 600_000;
    let id = {
        let engine = start(dir.path(), &clock).await;
        engine
            .set_delivery_settings(DeliverySettings {
                breaker_max: 3,
                breaker_window_s: 60,
                breaker_pause_s: (pause_ms / 1000) as u32,
                ..Default::default()
            })
            .await
            .unwrap();
        let id = engine
            .create_rule(rule(r#"{"mode":"every_time","cooldown_s":0}"#))
            .await
            .unwrap()
            .id;
        run_for(&clock, &engine, 30_000).await;
        assert_eq!(
            count(&engine, id).await,
            3,
            "three alerts, then the breaker"
        );
        let pauses = engine.store().rule_pauses(clock.now_ms()).await.unwrap();
        assert_eq!(pauses.len(), 1, "{pauses:?}");
        assert_eq!(pauses[0].rule_id, id);
        assert!(pauses[0].until_ms > clock.now_ms() + pause_ms - 31_000);
        engine.shutdown().await;
        id
    };

    // A minute later: the pause still holds after the restart.
    clock.advance(60_000).await;
    let engine = start(dir.path(), &clock).await;
    run_for(&clock, &engine, 120_000).await;
    assert_eq!(
        count(&engine, id).await,
        3,
        "the restart did not lift the pause"
    );
    engine.shutdown().await;

    // Once the pause is over, the rule fires again (so the quiet above was the pause).
    clock.advance(pause_ms).await;
    let engine = start(dir.path(), &clock).await;
    assert!(engine
        .store()
        .rule_pauses(clock.now_ms())
        .await
        .unwrap()
        .is_empty());
    run_for(&clock, &engine, 10_000).await;
    assert!(count(&engine, id).await > 3, "fires again after its pause");
    engine.shutdown().await;
}

fn drain(rx: &mut tokio::sync::broadcast::Receiver<NoticeEvent>) -> Vec<NoticeEvent> {
    let mut v = Vec::new();
    loop {
        match rx.try_recv() {
            Ok(n) => v.push(n),
            Err(TryRecvError::Lagged(_)) => continue,
            Err(_) => return v,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_digest_is_shown_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let (id, held) = {
        let engine = start(dir.path(), &clock).await;
        // Only the rule below fires: the digest then counts exactly its alerts.
        for r in engine.rules().await.unwrap() {
            engine.set_rule_enabled(r.id, false).await.unwrap();
        }
        let mut notices = engine.subscribe_notices();
        engine.set_alerts_paused(true).await.unwrap();
        let id = engine
            .create_rule(rule(r#"{"mode":"once_per_bar"}"#))
            .await
            .unwrap()
            .id;
        run_for(&clock, &engine, 150_000).await;
        let held = count(&engine, id).await;
        assert!(held >= 2, "fired {held} times");
        assert!(drain(&mut notices).is_empty(), "nothing shown while paused");
        let stored = engine.store().held_notices().await.unwrap();
        assert!(
            stored
                .as_deref()
                .is_some_and(|d| d.contains(&format!("\"count\":{held}"))),
            "{stored:?}"
        );
        // No more alerts from it: the digest is all that is left to show.
        engine.set_rule_enabled(id, false).await.unwrap();
        engine.shutdown().await;
        (id, held)
    };

    clock.advance(30_000).await;
    let engine = start(dir.path(), &clock).await;
    let mut notices = engine.subscribe_notices();
    assert!(engine.alerts_paused(), "the pause itself is kept too");
    run_for(&clock, &engine, 5_000).await;
    assert!(drain(&mut notices).is_empty(), "still held while paused");
    engine.set_alerts_paused(false).await.unwrap();
    run_for(&clock, &engine, 2_000).await;
    let shown = drain(&mut notices);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].alerts as usize, held);
    assert_eq!(
        shown[0].title,
        format!("{held} alerts while notifications were held")
    );
    assert!(shown[0].body.contains("ALPHA"), "{}", shown[0].body);
    assert_eq!(count(&engine, id).await, held);
    assert!(
        engine.store().held_notices().await.unwrap().is_none(),
        "shown once, then forgotten"
    );
    engine.shutdown().await;

    // And not again at the next start.
    let engine = start(dir.path(), &clock).await;
    let mut notices = engine.subscribe_notices();
    run_for(&clock, &engine, 2_000).await;
    assert!(drain(&mut notices).is_empty());
    engine.shutdown().await;
}
