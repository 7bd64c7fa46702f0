//! Webhooks: a generic JSON POST and ready presets for Telegram, DingTalk, Feishu/Lark, Slack
//! and Discord. Each webhook has its own worker with a rate limit; a delivery is retried with
//! capped exponential backoff on timeouts, network errors, 5xx and 429 (honouring
//! `Retry-After`). The URL or bot token comes from the OS keyring, never from settings.

use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::mpsc;
use tw_core::delivery::{WebhookConfig, WebhookKind};
use tw_core::{Alert, Sensitive, SharedClock};

/// Keyring entry of a webhook's URL or token.
pub fn secret_name(webhook: &str) -> String {
    format!("webhook-{webhook}")
}

#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base_ms: i64,
    pub max_ms: i64,
    /// Longest `Retry-After` we wait for; a longer one gives up (the alert is stored).
    pub max_retry_after_ms: i64,
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            base_ms: 500,
            max_ms: 30_000,
            max_retry_after_ms: 5 * 60_000,
            timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WebhookError {
    #[error("webhook {name}: {service} refused the message ({status}): {detail}")]
    Rejected {
        name: String,
        service: &'static str,
        status: u16,
        detail: String,
    },
    #[error("webhook {name}: gave up after {attempts} attempts: {last}")]
    GaveUp {
        name: String,
        attempts: u32,
        last: String,
    },
    #[error("webhook {name}: {reason}")]
    Config { name: String, reason: String },
}

/// What a webhook posts: a title line, the text, and the alert itself for the generic hook.
#[derive(Clone, Debug)]
pub struct Message {
    pub title: String,
    pub body: String,
    pub alert: Option<Alert>,
}

impl Message {
    fn text(&self) -> String {
        format!("{}\n{}", self.title, self.body)
    }
}

fn service(kind: WebhookKind) -> &'static str {
    match kind {
        WebhookKind::Generic => "the server",
        WebhookKind::Telegram => "Telegram",
        WebhookKind::DingTalk => "DingTalk",
        WebhookKind::Feishu => "Feishu",
        WebhookKind::Slack => "Slack",
        WebhookKind::Discord => "Discord",
    }
}

/// The URL and JSON body of one message, per service.
pub fn request(
    cfg: &WebhookConfig,
    secret: &Sensitive<String>,
    msg: &Message,
) -> Result<(String, serde_json::Value), WebhookError> {
    use serde_json::json;
    let text = msg.text();
    let url = secret.expose().trim().to_string();
    let bad = |reason: &str| WebhookError::Config {
        name: cfg.name.clone(),
        reason: reason.to_string(),
    };
    let need_url = || {
        if url.starts_with("https://") || url.starts_with("http://") {
            Ok(url.clone())
        } else {
            Err(bad("the stored secret is not an http(s) URL"))
        }
    };
    Ok(match cfg.kind {
        WebhookKind::Generic => (
            need_url()?,
            json!({ "title": msg.title, "text": msg.body, "alert": msg.alert }),
        ),
        WebhookKind::Telegram => {
            let chat = cfg
                .chat_id
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .ok_or_else(|| bad("a Telegram webhook needs chatId"))?;
            if url.is_empty() || url.contains(['/', ' ']) {
                return Err(bad("the stored secret is not a Telegram bot token"));
            }
            let base = cfg
                .api_base
                .as_deref()
                .unwrap_or("https://api.telegram.org")
                .trim_end_matches('/');
            (
                format!("{base}/bot{url}/sendMessage"),
                json!({ "chat_id": chat, "text": text, "disable_web_page_preview": true }),
            )
        }
        WebhookKind::DingTalk => (
            need_url()?,
            json!({ "msgtype": "text", "text": { "content": text } }),
        ),
        WebhookKind::Feishu => (
            need_url()?,
            json!({ "msg_type": "text", "content": { "text": text } }),
        ),
        WebhookKind::Slack => (need_url()?, json!({ "text": text })),
        WebhookKind::Discord => (need_url()?, json!({ "content": text })),
    })
}

/// How a response is judged.
#[derive(Debug, PartialEq)]
enum Verdict {
    Ok,
    /// Try again, after at least this long if the service said so.
    Retry(Option<i64>, String),
    Reject(String),
}

/// `Retry-After` in seconds (the HTTP-date form is rare for these services and treated as
/// absent), or Telegram's / Discord's `retry_after` in the body.
fn retry_after_ms(header: Option<&str>, body: &serde_json::Value) -> Option<i64> {
    let secs = header
        .and_then(|h| h.trim().parse::<f64>().ok())
        .or_else(|| {
            body.pointer("/parameters/retry_after")
                .and_then(|v| v.as_f64())
        })
        .or_else(|| body.get("retry_after").and_then(|v| v.as_f64()))?;
    (secs.is_finite() && secs >= 0.0).then(|| (secs * 1000.0).ceil() as i64)
}

fn judge(kind: WebhookKind, status: u16, retry_after: Option<&str>, body: &str) -> Verdict {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let short: String = body.chars().take(200).collect();
    match status {
        429 => Verdict::Retry(retry_after_ms(retry_after, &json), format!("429 {short}")),
        500..=599 | 408 => Verdict::Retry(None, format!("{status} {short}")),
        200..=299 => {
            // DingTalk and Feishu answer 200 with an error code in the body.
            let code = match kind {
                WebhookKind::DingTalk => json.get("errcode").and_then(|v| v.as_i64()),
                WebhookKind::Feishu => json.get("code").and_then(|v| v.as_i64()),
                _ => None,
            };
            match code {
                None | Some(0) => Verdict::Ok,
                // "send too fast" (DingTalk 130101) and "frequency limited" (Feishu 11232).
                Some(130101 | 11232) => Verdict::Retry(None, short),
                Some(_) => Verdict::Reject(short),
            }
        }
        _ => Verdict::Reject(format!("{status} {short}")),
    }
}

/// Sends one message with retries. Waits on the injected clock between attempts.
pub async fn deliver(
    client: &reqwest::Client,
    clock: &SharedClock,
    policy: &RetryPolicy,
    cfg: &WebhookConfig,
    secret: &Sensitive<String>,
    msg: &Message,
) -> Result<u32, WebhookError> {
    let (url, body) = request(cfg, secret, msg)?;
    let mut last = String::new();
    for attempt in 1..=policy.attempts.max(1) {
        let sent = client
            .post(&url)
            .timeout(policy.timeout)
            .json(&body)
            .send()
            .await;
        let verdict = match sent {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let ra = resp
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let text = resp.text().await.unwrap_or_default();
                judge(cfg.kind, status, ra.as_deref(), &text)
            }
            // Never print the URL: it is the secret for most of these services.
            Err(e) if e.is_timeout() => Verdict::Retry(None, "timed out".into()),
            Err(e) if e.is_connect() => Verdict::Retry(None, "could not connect".into()),
            Err(_) => Verdict::Retry(None, "the request failed".into()),
        };
        let wait = match verdict {
            Verdict::Ok => return Ok(attempt),
            Verdict::Reject(detail) => {
                return Err(WebhookError::Rejected {
                    name: cfg.name.clone(),
                    service: service(cfg.kind),
                    status: 0,
                    detail,
                })
            }
            Verdict::Retry(after, why) => {
                last = why;
                let backoff = (policy.base_ms << (attempt - 1).min(20)).min(policy.max_ms);
                match after {
                    Some(a) if a > policy.max_retry_after_ms => {
                        return Err(WebhookError::GaveUp {
                            name: cfg.name.clone(),
                            attempts: attempt,
                            last: format!("{last} (asked to wait {} s)", a / 1000),
                        })
                    }
                    Some(a) => a.max(backoff),
                    None => backoff,
                }
            }
        };
        if attempt < policy.attempts {
            tracing::debug!(
                "webhook {}: attempt {attempt} failed ({last}); retrying",
                cfg.name
            );
            clock.sleep_until(clock.now_ms() + wait).await;
        }
    }
    Err(WebhookError::GaveUp {
        name: cfg.name.clone(),
        attempts: policy.attempts,
        last,
    })
}

/// At most `per_minute` sends in any 60 s.
#[derive(Debug)]
pub struct RateLimit {
    per_minute: u32,
    sent: VecDeque<i64>,
}

impl RateLimit {
    pub fn new(per_minute: u32) -> Self {
        RateLimit {
            per_minute: per_minute.max(1),
            sent: VecDeque::new(),
        }
    }
    /// When the next send may go (now or later); call [`RateLimit::record`] when it went.
    pub fn ready_at(&mut self, now_ms: i64) -> i64 {
        while self.sent.front().is_some_and(|&t| t <= now_ms - 60_000) {
            self.sent.pop_front();
        }
        if (self.sent.len() as u32) < self.per_minute {
            now_ms
        } else {
            self.sent[0] + 60_000
        }
    }
    pub fn record(&mut self, now_ms: i64) {
        self.sent.push_back(now_ms);
    }
}

/// A running webhook: messages queue here and go out in order, within the rate limit.
#[derive(Clone)]
pub struct WebhookWorker {
    pub name: String,
    pub tx: mpsc::Sender<Message>,
}

/// Queue length per webhook; beyond it messages are dropped (the alerts are stored anyway).
const QUEUE: usize = 1000;

pub fn spawn_worker(
    client: reqwest::Client,
    clock: SharedClock,
    policy: RetryPolicy,
    cfg: WebhookConfig,
    secret: Sensitive<String>,
    results: Option<mpsc::UnboundedSender<Result<u32, WebhookError>>>,
) -> (WebhookWorker, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = mpsc::channel::<Message>(QUEUE);
    let name = cfg.name.clone();
    let task = tokio::spawn(async move {
        let mut limit = RateLimit::new(cfg.per_minute);
        while let Some(msg) = rx.recv().await {
            let at = limit.ready_at(clock.now_ms());
            if at > clock.now_ms() {
                clock.sleep_until(at).await;
            }
            limit.record(clock.now_ms());
            let r = deliver(&client, &clock, &policy, &cfg, &secret, &msg).await;
            if let Err(e) = &r {
                tracing::warn!("{e}");
            }
            if let Some(tx) = &results {
                let _ = tx.send(r);
            }
        }
    });
    (WebhookWorker { name, tx }, task)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(kind: WebhookKind) -> WebhookConfig {
        WebhookConfig {
            name: "w".into(),
            kind,
            enabled: true,
            min_level: Default::default(),
            per_minute: 20,
            chat_id: Some("42".into()),
            api_base: None,
        }
    }

    #[test]
    fn presets_shape_their_requests() {
        let msg = Message {
            title: "T".into(),
            body: "B".into(),
            alert: None,
        };
        let url = Sensitive::new("https://hooks.example/x".to_string());
        let (_, b) = request(&cfg(WebhookKind::Slack), &url, &msg).unwrap();
        assert_eq!(b, serde_json::json!({"text": "T\nB"}));
        let (_, b) = request(&cfg(WebhookKind::Discord), &url, &msg).unwrap();
        assert_eq!(b["content"], "T\nB");
        let (_, b) = request(&cfg(WebhookKind::DingTalk), &url, &msg).unwrap();
        assert_eq!(b["msgtype"], "text");
        let (_, b) = request(&cfg(WebhookKind::Feishu), &url, &msg).unwrap();
        assert_eq!(b["content"]["text"], "T\nB");
        let token = Sensitive::new("123:ABC".to_string());
        let (u, b) = request(&cfg(WebhookKind::Telegram), &token, &msg).unwrap();
        assert_eq!(u, "https://api.telegram.org/bot123:ABC/sendMessage");
        assert_eq!(b["chat_id"], "42");
        let e = request(&cfg(WebhookKind::Slack), &token, &msg).unwrap_err();
        assert!(e.to_string().contains("not an http(s) URL"), "{e}");
        assert!(!e.to_string().contains("ABC"), "the secret never shows");
    }

    #[test]
    fn responses_are_judged_per_service() {
        use WebhookKind::*;
        assert_eq!(judge(Slack, 200, None, "ok"), Verdict::Ok);
        assert!(matches!(
            judge(Slack, 429, Some("7"), ""),
            Verdict::Retry(Some(7000), _)
        ));
        assert!(matches!(
            judge(
                Telegram,
                429,
                None,
                r#"{"ok":false,"parameters":{"retry_after":3}}"#
            ),
            Verdict::Retry(Some(3000), _)
        ));
        assert!(matches!(
            judge(Discord, 429, None, r#"{"retry_after":0.25}"#),
            Verdict::Retry(Some(250), _)
        ));
        assert!(matches!(
            judge(Generic, 503, None, ""),
            Verdict::Retry(None, _)
        ));
        assert!(matches!(
            judge(Generic, 404, None, "no"),
            Verdict::Reject(_)
        ));
        assert!(matches!(
            judge(
                DingTalk,
                200,
                None,
                r#"{"errcode":130101,"errmsg":"send too fast"}"#
            ),
            Verdict::Retry(..)
        ));
        assert!(matches!(
            judge(
                DingTalk,
                200,
                None,
                r#"{"errcode":310000,"errmsg":"keywords not in content"}"#
            ),
            Verdict::Reject(_)
        ));
        assert_eq!(judge(Feishu, 200, None, r#"{"code":0}"#), Verdict::Ok);
    }

    #[test]
    fn the_rate_limit_is_a_sliding_minute() {
        let mut r = RateLimit::new(2);
        assert_eq!(r.ready_at(0), 0);
        r.record(0);
        r.record(10_000);
        assert_eq!(r.ready_at(20_000), 60_000);
        assert_eq!(r.ready_at(60_000), 60_000);
        r.record(60_000);
        assert_eq!(r.ready_at(60_001), 70_000);
    }
}
