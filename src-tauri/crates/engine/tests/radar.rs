//! The market radar and the anomaly broadcast of a running engine, and `sma(n)`/`ema(n)`
//! periods that only a rule names, on the seeded demo market and a manual clock.

use std::sync::Arc;
use tw_core::rule::RuleSpec;
use tw_core::{Interval, ManualClock, SharedClock};
use tw_engine::{Engine, EngineConfig, EngineHandle};
use tw_feeds::demo::DemoConfig;

const T0: i64 = 1_767_607_200_000; // 2026-01-05 10:00:00 UTC
const MIN: i64 = 60_000;

fn config(dir: &std::path::Path, clock: &ManualClock, demo: DemoConfig) -> EngineConfig {
    let mut cfg = EngineConfig::new(dir);
    cfg.clock = Arc::new(clock.clone()) as SharedClock;
    cfg.demo = Some(demo);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn radar_ranks_anomalies_with_reasons_and_movers_across_the_universe() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    // The showcase burst puts a volume burst on one instrument in the first live minutes.
    let demo = DemoConfig {
        seed: 3,
        history_minutes: 180,
        ..DemoConfig::default()
    };
    let engine = Engine::start(config(dir.path(), &clock, demo))
        .await
        .unwrap();
    let mut anomalies = engine.subscribe_anomalies();
    clock.settle().await;
    engine.flush().await.unwrap();
    run_for(&clock, &engine, 10 * MIN).await;

    let radar = engine.radar(50, 0.0);
    // Movers: every demo instrument, largest move first, each the real move over the hour.
    assert_eq!(radar.movers_1h.len(), 8, "{:?}", radar.movers_1h);
    assert!(radar
        .movers_1h
        .windows(2)
        .all(|w| w[0].value.abs() >= w[1].value.abs()));
    let top = &radar.movers_1h[0];
    assert!(top.simulated && top.symbol.starts_with("demo:") && !top.name.is_empty());
    let bars = engine
        .store()
        .candles(&top.symbol, Interval::M1, 1_000)
        .await
        .unwrap();
    let last = bars.last().unwrap();
    assert_eq!(last.close, top.price);
    let hour_ago = bars
        .iter()
        .find(|b| b.open_time + MIN >= top.at - 60 * MIN)
        .unwrap();
    let want = (top.price / hour_ago.close - 1.0) * 100.0;
    assert!(
        (top.value - want).abs() < 1e-9,
        "{} moved {want}% in the hour, radar says {}",
        top.symbol,
        top.value
    );
    assert_eq!(radar.movers_5m.len(), 8);
    assert_eq!(radar.movers_24h.len(), 8);
    assert!(
        radar.oi_changes.is_empty(),
        "the demo market has no futures, so no open interest: {:?}",
        radar.oi_changes
    );

    // Anomalies: ranked by score, the flagged ones say why.
    assert!(!radar.anomalies.is_empty());
    assert!(radar.anomalies.windows(2).all(|w| w[0].score >= w[1].score));
    let flagged: Vec<_> = radar.anomalies.iter().filter(|a| a.flagged).collect();
    assert!(
        !flagged.is_empty(),
        "the showcase burst is on the radar: {:?}",
        radar.anomalies
    );
    assert!(flagged.iter().all(|a| !a.reasons.is_empty()));
    assert!(
        flagged
            .iter()
            .flat_map(|a| &a.reasons)
            .any(|r| r.starts_with("volume ") && r.contains("σ above its")),
        "{flagged:?}"
    );
    let symbols: std::collections::HashSet<_> = radar.anomalies.iter().map(|a| &a.symbol).collect();
    assert_eq!(symbols.len(), radar.anomalies.len(), "one row per symbol");

    // min_score keeps only the stronger ones; limit caps every list.
    let cut = radar.anomalies[0].score;
    let strong = engine.radar(50, cut);
    assert!(strong.anomalies.iter().all(|a| a.score >= cut));
    assert!(!strong.anomalies.is_empty());
    let two = engine.radar(2, 0.0);
    assert!(two.anomalies.len() <= 2 && two.movers_1h.len() == 2);

    // The broadcast carried each flagged closed bar, with its reasons.
    let mut heard = Vec::new();
    while let Ok(a) = anomalies.try_recv() {
        heard.push(a);
    }
    assert!(!heard.is_empty(), "no anomaly was broadcast");
    assert!(heard
        .iter()
        .all(|a| a.flagged && a.closed && !a.reasons.is_empty() && a.symbol.starts_with("demo:")));
    engine.shutdown().await;
}

fn rule(name: &str, metric: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{"name":"{name}","target":{{"symbols":["demo:ALPHA"]}},"interval":"1m","level":"low",
            "when":{{"metric":"{metric}","op":"gt","value":0}},
            "frequency":{{"mode":"once_per_bar","cooldown_s":0}}}}"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_on_averages_outside_the_default_periods_fire() {
    let dir = tempfile::tempdir().unwrap();
    // A rule stored before the start is tracked from the history on: warm at once.
    let store = tw_store::Store::open(dir.path()).await.unwrap();
    let sma45 = store
        .insert_rule(&rule("above sma 45", "sma(45)"), T0 - 1)
        .await
        .unwrap();
    store.close().await;

    let clock = ManualClock::new(T0);
    let demo = DemoConfig {
        seed: 5,
        history_minutes: 60,
        showcase_burst: false,
        ..DemoConfig::default()
    };
    let engine = Engine::start(config(dir.path(), &clock, demo))
        .await
        .unwrap();
    clock.settle().await;
    engine.flush().await.unwrap();
    // One made while running warms up from its next bars: 7 closed bars for ema(7).
    let ema7 = engine
        .create_rule(rule("above ema 7", "ema(7)"))
        .await
        .unwrap();
    run_for(&clock, &engine, 12 * MIN).await;

    let fired = engine.store().alerts_for_rule(sma45.id).await.unwrap();
    assert!(
        fired.len() >= 10,
        "sma(45) was warm from history: one alert per live bar, got {}",
        fired.len()
    );
    let fired = engine.store().alerts_for_rule(ema7.id).await.unwrap();
    assert!(
        !fired.is_empty() && fired.len() <= 6,
        "ema(7) fires once it is warm (after 7 of 12 live bars): {}",
        fired.len()
    );
    engine.shutdown().await;
}
