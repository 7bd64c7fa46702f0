//! Webhook delivery against a real HTTP server on 127.0.0.1 started by the test: retries on
//! 5xx, 429 with Retry-After, timeouts, refusals, presets' request shapes, the rate limit.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tw_core::delivery::{WebhookConfig, WebhookKind};
use tw_core::{ManualClock, Sensitive, SharedClock, SystemClock};
use tw_engine::webhook::{deliver, spawn_worker, Message, RetryPolicy, WebhookError};

#[derive(Clone)]
enum Reply {
    Status(u16, &'static str, &'static str),
    /// Read the request, never answer.
    Hang,
}

#[derive(Clone, Debug)]
struct Seen {
    path: String,
    body: serde_json::Value,
}

/// A tiny HTTP/1.1 server: answers each request with the next scripted reply (200 when the
/// script is used up) and records what it got.
async fn server(script: Vec<Reply>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            let (log, script) = (log.clone(), script.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head_end, len) = loop {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (i + 4, len);
                    }
                };
                while buf.len() < head_end + len {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let body = serde_json::from_slice(&buf[head_end..head_end + len])
                    .unwrap_or(serde_json::Value::Null);
                log.lock().unwrap().push(Seen { path, body });
                let reply = script
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or(Reply::Status(200, "", "ok"));
                match reply {
                    Reply::Hang => {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    Reply::Status(code, extra, body) => {
                        let resp = format!(
                            "HTTP/1.1 {code} X\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = sock.write_all(resp.as_bytes()).await;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), seen)
}

fn hook(kind: WebhookKind) -> WebhookConfig {
    WebhookConfig {
        name: "test".into(),
        kind,
        enabled: true,
        min_level: Default::default(),
        per_minute: 60,
        chat_id: Some("-1001".into()),
        api_base: None,
    }
}

fn msg() -> Message {
    Message {
        title: "Volume burst · BTCUSDT [high]".into(),
        body: "volume_z 4.20 crossed above 3".into(),
        alert: None,
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        base_ms: 5,
        max_ms: 50,
        max_retry_after_ms: 5_000,
        timeout: Duration::from_millis(300),
    }
}

fn clock() -> SharedClock {
    Arc::new(SystemClock)
}

#[tokio::test]
async fn retries_server_errors_then_delivers() {
    let (url, seen) = server(vec![
        Reply::Status(503, "", "busy"),
        Reply::Status(502, "", "bad gateway"),
    ])
    .await;
    let client = reqwest::Client::new();
    let secret = Sensitive::new(format!("{url}/hook"));
    let attempts = deliver(
        &client,
        &clock(),
        &fast(),
        &hook(WebhookKind::Slack),
        &secret,
        &msg(),
    )
    .await
    .unwrap();
    assert_eq!(attempts, 3);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2].path, "/hook");
    assert_eq!(
        seen[2].body,
        serde_json::json!({"text": "Volume burst · BTCUSDT [high]\nvolume_z 4.20 crossed above 3"})
    );
}

#[tokio::test]
async fn a_429_waits_as_told_by_retry_after() {
    let (url, seen) = server(vec![Reply::Status(429, "retry-after: 1\r\n", "{}")]).await;
    let client = reqwest::Client::new();
    let secret = Sensitive::new(format!("{url}/api/webhooks/1/x"));
    let policy = RetryPolicy {
        base_ms: 1,
        ..fast()
    };
    let c = clock();
    let start = c.now_ms();
    let attempts = deliver(
        &client,
        &c,
        &policy,
        &hook(WebhookKind::Discord),
        &secret,
        &msg(),
    )
    .await
    .unwrap();
    assert_eq!(attempts, 2);
    // The backoff alone would be 1 ms; the second try came only after the server's second.
    assert!(c.now_ms() - start >= 1_000, "Retry-After was honoured");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].body["content"], seen[0].body["content"]);
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_gives_up_at_once() {
    let (url, seen) = server(vec![Reply::Status(
        429,
        "",
        r#"{"ok":false,"error_code":429,"parameters":{"retry_after":3600}}"#,
    )])
    .await;
    let client = reqwest::Client::new();
    let mut cfg = hook(WebhookKind::Telegram);
    cfg.api_base = Some(url);
    let token = Sensitive::new("123456:SECRET-token".to_string());
    let e = deliver(&client, &clock(), &fast(), &cfg, &token, &msg())
        .await
        .unwrap_err();
    assert!(matches!(e, WebhookError::GaveUp { attempts: 1, .. }), "{e}");
    assert!(e.to_string().contains("3600 s"), "{e}");
    assert!(
        !e.to_string().contains("SECRET"),
        "the token never shows: {e}"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].path, "/bot123456:SECRET-token/sendMessage");
    assert_eq!(seen[0].body["chat_id"], "-1001");
}

#[tokio::test]
async fn a_timeout_is_retried() {
    let (url, seen) = server(vec![Reply::Hang]).await;
    let client = reqwest::Client::new();
    let secret = Sensitive::new(format!("{url}/robot/send?access_token=t"));
    let attempts = deliver(
        &client,
        &clock(),
        &fast(),
        &hook(WebhookKind::DingTalk),
        &secret,
        &msg(),
    )
    .await
    .unwrap();
    assert_eq!(attempts, 2);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].body["msgtype"], "text");
}

#[tokio::test]
async fn refusals_are_not_retried_and_service_errors_in_a_200_count() {
    let (url, seen) = server(vec![
        Reply::Status(404, "", "no such hook"),
        Reply::Status(200, "", r#"{"code":19001,"msg":"param invalid"}"#),
    ])
    .await;
    let client = reqwest::Client::new();
    let secret = Sensitive::new(format!("{url}/x"));
    let e = deliver(
        &client,
        &clock(),
        &fast(),
        &hook(WebhookKind::Generic),
        &secret,
        &msg(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, WebhookError::Rejected { .. }), "{e}");
    let e = deliver(
        &client,
        &clock(),
        &fast(),
        &hook(WebhookKind::Feishu),
        &secret,
        &msg(),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("param invalid"), "{e}");
    assert_eq!(seen.lock().unwrap().len(), 2, "one request each");
}

#[tokio::test]
async fn the_rate_limit_holds_messages_until_the_clock_allows() {
    let (url, seen) = server(vec![]).await;
    let manual = ManualClock::new(1_767_571_200_000);
    let mut cfg = hook(WebhookKind::Generic);
    cfg.per_minute = 2;
    let (results_tx, mut results) = mpsc::unbounded_channel();
    let (worker, _task) = spawn_worker(
        reqwest::Client::new(),
        Arc::new(manual.clone()),
        fast(),
        cfg,
        Sensitive::new(format!("{url}/x")),
        Some(results_tx),
    );
    for _ in 0..3 {
        worker.tx.send(msg()).await.unwrap();
    }
    assert_eq!(results.recv().await.unwrap(), Ok(1));
    assert_eq!(results.recv().await.unwrap(), Ok(1));
    // The third waits for the minute to pass; nothing else can arrive meanwhile.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), results.recv())
            .await
            .is_err(),
        "the third is held by the limit"
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
    manual.advance(60_000).await;
    assert_eq!(results.recv().await.unwrap(), Ok(1));
    assert_eq!(seen.lock().unwrap().len(), 3);
}
