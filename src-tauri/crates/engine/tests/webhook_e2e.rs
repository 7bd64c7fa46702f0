//! A rule's alert reaches a webhook end to end: the URL goes to the real Secret Service of the
//! private D-Bus session (`scripts/with-session-bus.sh`), the delivery settings name the hook,
//! the demo pipeline fires the rule, and a local HTTP server on 127.0.0.1 receives the JSON.

#![cfg(target_os = "linux")]

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tw_core::delivery::{DeliverySettings, WebhookConfig, WebhookKind};
use tw_core::rule::RuleSpec;
use tw_core::{ManualClock, Sensitive, SharedClock};
use tw_engine::{Engine, EngineConfig, EngineHandle};
use tw_feeds::demo::DemoConfig;

mod common;

use common::{require_private_session, T0};

/// Records every request body, answers 200.
async fn server() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let log = got.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if buf.len() >= i + 4 + len {
                        let body = serde_json::from_slice(&buf[i + 4..i + 4 + len]).unwrap();
                        log.lock().unwrap().push(body);
                        let _ = sock
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                            .await;
                        return;
                    }
                }
            });
        }
    });
    (url, got)
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
async fn an_alert_is_posted_to_a_webhook_whose_url_lives_in_the_keyring() {
    require_private_session();
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let mut cfg = EngineConfig::new(dir.path());
    cfg.clock = Arc::new(clock.clone()) as SharedClock;
    cfg.demo = Some(DemoConfig {
        seed: 5,
        history_minutes: 30,
        showcase_burst: false,
        ..DemoConfig::default()
    });
    cfg.notifications = false;
    cfg.keyring_service = format!("tickwarden-webhook-test-{}", std::process::id());
    let engine = Engine::start(cfg).await.unwrap();
    clock.settle().await;

    let (url, got) = server().await;
    engine
        .set_webhook_secret("local", Sensitive::new(url.clone()))
        .await
        .unwrap();
    let bad = engine.set_delivery_settings(DeliverySettings {
        webhooks: vec![WebhookConfig {
            name: "Local Hook".into(),
            kind: WebhookKind::Generic,
            enabled: true,
            min_level: Default::default(),
            per_minute: 20,
            chat_id: None,
            api_base: None,
        }],
        ..Default::default()
    });
    let e = bad.await.unwrap_err();
    assert!(e.to_string().contains("webhooks[0].name"), "{e}");
    engine
        .set_delivery_settings(DeliverySettings {
            webhooks: vec![WebhookConfig {
                name: "local".into(),
                kind: WebhookKind::Generic,
                enabled: true,
                min_level: Default::default(),
                per_minute: 20,
                chat_id: None,
                api_base: None,
            }],
            ..Default::default()
        })
        .await
        .unwrap();
    let rule = engine
        .create_rule(
            RuleSpec::from_json(
                r#"{"name":"to the hook","target":{"symbols":["demo:ALPHA"]},"interval":"1m",
                    "when":{"metric":"price","op":"gt","value":0},"level":"high",
                    "frequency":{"mode":"once","cooldown_s":0},
                    "channels":{"notification":false,"webhooks":["local"]}}"#,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    run_for(&clock, &engine, 30_000).await;
    // The post goes out on a worker over real sockets: wait for it (bounded).
    for _ in 0..200 {
        if !got.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let bodies = got.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(bodies[0]["alert"]["symbol"], "demo:ALPHA");
    assert_eq!(bodies[0]["alert"]["ruleId"], rule.id);
    assert!(bodies[0]["title"].as_str().unwrap().contains("to the hook"));
    assert!(
        bodies[0]["alert"]["id"].as_i64().unwrap() > 0,
        "stored before it was sent"
    );

    engine.shutdown().await;
    let db = std::fs::read(dir.path().join(tw_store::DB_FILE)).unwrap();
    let needle = url.as_bytes();
    assert!(
        !db.windows(needle.len()).any(|w| w == needle),
        "the webhook URL never reaches SQLite"
    );
    let secrets =
        tw_engine::Secrets::new(format!("tickwarden-webhook-test-{}", std::process::id()));
    secrets.delete("webhook-local").await.unwrap();
}
