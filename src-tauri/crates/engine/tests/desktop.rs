//! The engine against the real desktop services of a private D-Bus session (started by
//! `scripts/with-session-bus.sh`): alerts become `org.freedesktop.Notifications.Notify`
//! calls, and tokens go to the real Secret Service (gnome-keyring), never into SQLite.

#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::process::Command;
use std::sync::{Arc, Mutex};
use tw_core::rule::RuleSpec;
use tw_core::{ManualClock, Sensitive};
use tw_engine::{Engine, EngineConfig};

mod common;

use common::{quiet_demo, require_private_session, run_for, T0};

fn config(dir: &std::path::Path, clock: &ManualClock, service: &str) -> EngineConfig {
    let mut cfg = common::config(dir, clock, quiet_demo(11, 30));
    cfg.notifications = true;
    cfg.keyring_service = service.to_string();
    cfg
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<(String, String, String)>>>);

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Capture {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _timeout: i32,
    ) -> u32 {
        let mut got = self.0.lock().unwrap();
        got.push((app_name, summary, body));
        got.len() as u32
    }
    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }
    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "capture".into(),
            "tickwarden-tests".into(),
            "1".into(),
            "1.2".into(),
        )
    }
    fn close_notification(&self, _id: u32) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_becomes_a_desktop_notification_unless_paused() {
    require_private_session();
    let capture = Capture::default();
    let _conn = zbus::connection::Builder::session()
        .name("org.freedesktop.Notifications")
        .serve_at("/org/freedesktop/Notifications", capture.clone())
        .build()
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(dir.path(), &clock, "tickwarden-test-notify"))
        .await
        .unwrap();
    assert!(
        engine.status().notifications.available,
        "{:?}",
        engine.status().notifications
    );
    clock.settle().await;
    engine.flush().await.unwrap();
    let spec = RuleSpec::from_json(
        r#"{"name":"Price watch","target":{"symbols":["demo:ALPHA"]},"interval":"1m","level":"critical",
            "when":{"metric":"price","op":"gt","value":1},"frequency":{"mode":"once_per_bar","cooldown_s":0}}"#,
    )
    .unwrap();
    let rule = engine.create_rule(spec).await.unwrap();
    run_for(&clock, &engine, 5_000).await;

    let got = capture.0.lock().unwrap().clone();
    let stored = engine.store().alerts_for_rule(rule.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(got.len(), 1, "{got:?}");
    let (app, summary, body) = &got[0];
    assert_eq!(app, "Tickwarden");
    assert_eq!(summary, "Price watch · ALPHA [critical]");
    assert_eq!(body, &stored[0].message);
    assert!(body.starts_with("price "), "{body}");

    // Paused: the next bar's alert is stored and shown in the app, but not notified.
    engine.set_alerts_paused(true).await.unwrap();
    run_for(&clock, &engine, 60_000).await;
    assert_eq!(
        engine.store().alerts_for_rule(rule.id).await.unwrap().len(),
        2
    );
    assert_eq!(
        capture.0.lock().unwrap().len(),
        1,
        "paused alerts are not notified"
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_round_trips_through_the_os_keyring_and_never_reaches_sqlite() {
    require_private_session();
    let service = format!("tickwarden-test-{}", std::process::id());
    let token = format!("tw-secret-{}-XYZZY", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(dir.path(), &clock, &service))
        .await
        .unwrap();
    clock.settle().await;

    assert!(!engine.has_token("tushare").await.unwrap());
    engine
        .set_token("tushare", Sensitive::new(token.clone()))
        .await
        .unwrap();
    assert!(engine.has_token("tushare").await.unwrap());
    assert_eq!(
        engine.token("tushare").await.unwrap().unwrap().expose(),
        &token
    );
    // It is in the real Secret Service: the desktop's own tool reads it back.
    let out = Command::new("secret-tool")
        .args(["lookup", "service", &service, "username", "tushare"])
        .output()
        .expect("secret-tool (apt libsecret-tools)");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), token);

    // Use the app for a while, then look for the token in every file of the data folder.
    run_for(&clock, &engine, 30_000).await;
    engine.shutdown().await;
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        files += 1;
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the token was written to the data folder"
        );
    }
    assert!(files >= 1, "the database exists");

    let engine = Engine::start(config(dir.path(), &clock, &service))
        .await
        .unwrap();
    assert!(engine.delete_token("tushare").await.unwrap());
    assert!(!engine.has_token("tushare").await.unwrap());
    assert!(
        engine
            .set_token("tushare", Sensitive::new("  ".into()))
            .await
            .is_err(),
        "an empty token is refused"
    );
    engine.shutdown().await;
}
