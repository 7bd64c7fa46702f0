//! What the engine's integration tests share: a headless engine on a manual clock with a
//! seeded demo market, stepping it, and the private-session guard.

#![allow(dead_code)] // each test binary uses a different part

use std::sync::Arc;
use tw_core::{ManualClock, SharedClock};
use tw_engine::{EngineConfig, EngineHandle};
use tw_feeds::demo::DemoConfig;

/// 2026-01-05 10:00:00 UTC.
pub const T0: i64 = 1_767_607_200_000;

/// A demo market without the first-minute showcase burst.
pub fn quiet_demo(seed: u64, history_minutes: u32) -> DemoConfig {
    DemoConfig {
        seed,
        history_minutes,
        showcase_burst: false,
        ..DemoConfig::default()
    }
}

/// A headless engine in `dir` on `clock`, without OS notifications.
pub fn config(dir: &std::path::Path, clock: &ManualClock, demo: DemoConfig) -> EngineConfig {
    let mut cfg = EngineConfig::new(dir);
    cfg.clock = Arc::new(clock.clone()) as SharedClock;
    cfg.demo = Some(demo);
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-test".into();
    cfg
}

/// Moves the market `ms` forward in 250 ms ticks, letting the pipeline catch up every
/// simulated five seconds (a manual clock runs as fast as the test can step it, far ahead of
/// wall time, and rules ignore data that is older than their interval).
pub async fn run_for(clock: &ManualClock, engine: &EngineHandle, ms: i64) {
    for i in 1..=ms / 250 {
        clock.advance(250).await;
        if i % 20 == 0 {
            engine.flush().await.unwrap();
        }
    }
    engine.flush().await.unwrap();
}

/// Tests that talk to the keyring or the notification server run only on the private D-Bus
/// session of `scripts/with-session-bus.sh`, never on a developer's desktop session.
pub fn require_private_session() {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let private = std::env::var("TW_PRIVATE_SESSION_BUS").unwrap_or_default();
    assert!(
        !bus.is_empty() && bus == private,
        "this test needs the private D-Bus session of the test harness: run it through \
         scripts/with-session-bus.sh (e.g. `scripts/with-session-bus.sh cargo test -p tw-engine`)"
    );
}
