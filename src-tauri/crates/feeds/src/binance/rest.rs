//! The Binance REST client: one per venue, shared by back-fill, universe and open interest so
//! they draw on one request-weight budget.
//!
//! Binance limits request weight per IP and minute and reports what is used in
//! `X-MBX-USED-WEIGHT-1M`. Going over answers 429 (back off for `Retry-After`); carrying on
//! after 429s answers 418, an IP ban for `Retry-After` seconds. So the client (1) waits for
//! the next minute rather than pass its own budget, (2) on 429 pauses every caller for
//! `Retry-After`, (3) on 418 sends nothing at all until the ban is over.

use super::parse::parse_rest_error;
use crate::HealthCell;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tw_core::SharedClock;

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum RestError {
    #[error("cannot reach {url}: {detail}")]
    Transport { url: String, detail: String },
    #[error("{url} answered HTTP {status}: {detail}")]
    Status {
        url: String,
        status: u16,
        detail: String,
    },
    #[error("{url}: gave up after {attempts} attempts; last error: {last}")]
    GaveUp {
        url: String,
        attempts: u32,
        last: String,
    },
}

impl RestError {
    /// Worth trying again later (network trouble, rate limits, server errors).
    pub fn is_retryable(&self) -> bool {
        match self {
            RestError::Transport { .. } | RestError::GaveUp { .. } => true,
            RestError::Status { status, .. } => *status == 429 || *status == 418 || *status >= 500,
        }
    }
}

#[derive(Debug, Default)]
struct Weight {
    /// Minute (ms, floored) the counters below belong to.
    minute: i64,
    /// Weight used in that minute: what the server reported, or what we sent if more.
    used: u32,
    /// Nothing is sent before this time (429 back-off or 418 ban), ms.
    paused_until: i64,
}

/// Figures for the UI and for tests.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestStats {
    pub requests: u64,
    pub rate_limited: u64,
    pub banned: u64,
    /// Highest `X-MBX-USED-WEIGHT-1M` seen.
    pub max_used_weight: u32,
}

#[derive(Clone)]
pub struct RestClient {
    http: reqwest::Client,
    base: String,
    clock: SharedClock,
    budget: u32,
    weight: Arc<Mutex<Weight>>,
    stats: Arc<Mutex<RestStats>>,
    health: Option<HealthCell>,
}

const ATTEMPTS: u32 = 8;

impl RestClient {
    pub fn new(
        base: &str,
        clock: SharedClock,
        budget_per_minute: u32,
        health: Option<HealthCell>,
    ) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("tickwarden/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        RestClient {
            http,
            base: base.trim_end_matches('/').to_string(),
            clock,
            budget: budget_per_minute,
            weight: Arc::new(Mutex::new(Weight::default())),
            stats: Arc::new(Mutex::new(RestStats::default())),
            health,
        }
    }

    pub fn stats(&self) -> RestStats {
        self.stats.lock().unwrap().clone()
    }

    /// GETs `path_and_query` (weight `weight`) and returns the body of a 200 answer. Waits
    /// out the budget, 429 back-offs and 418 bans; retries transport and server errors.
    pub async fn get(&self, path_and_query: &str, weight: u32) -> Result<String, RestError> {
        let url = format!("{}{}", self.base, path_and_query);
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            self.reserve(weight).await;
            self.stats.lock().unwrap().requests += 1;
            let resp = match self.http.get(&url).send().await {
                Ok(r) => r,
                Err(e) => {
                    last = RestError::Transport {
                        url: url.clone(),
                        detail: error_chain(&e),
                    }
                    .to_string();
                    self.report(&last);
                    self.pause_for(backoff(attempt));
                    continue;
                }
            };
            let status = resp.status().as_u16();
            self.note_weight(&resp);
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let body = match resp.text().await {
                Ok(b) => b,
                Err(e) => {
                    last = format!("reading the answer of {url}: {}", error_chain(&e));
                    self.report(&last);
                    self.pause_for(backoff(attempt));
                    continue;
                }
            };
            match status {
                200 => return Ok(body),
                429 | 418 => {
                    let wait = retry_after.unwrap_or(if status == 418 {
                        Duration::from_secs(120)
                    } else {
                        Duration::from_secs(60)
                    });
                    {
                        let mut s = self.stats.lock().unwrap();
                        if status == 418 {
                            s.banned += 1;
                        } else {
                            s.rate_limited += 1;
                        }
                    }
                    last = format!(
                        "{url} answered HTTP {status} ({}); sending nothing for {} s",
                        if status == 418 {
                            "IP banned for too many requests"
                        } else {
                            "too many requests"
                        },
                        wait.as_secs()
                    );
                    tracing::warn!("{last}");
                    self.report(&last);
                    self.pause_for(wait);
                }
                500..=599 => {
                    last = format!("{url} answered HTTP {status}");
                    self.report(&last);
                    self.pause_for(backoff(attempt));
                }
                _ => {
                    return Err(RestError::Status {
                        url,
                        status,
                        detail: parse_rest_error(&body)
                            .unwrap_or_else(|| body.chars().take(200).collect()),
                    })
                }
            }
        }
        Err(RestError::GaveUp {
            url,
            attempts: ATTEMPTS,
            last,
        })
    }

    fn report(&self, msg: &str) {
        if let Some(h) = &self.health {
            h.on_error(msg.to_string());
        }
    }

    /// Pauses every caller of this client until `now + wait`.
    fn pause_for(&self, wait: Duration) {
        let until = self.clock.now_ms() + wait.as_millis() as i64;
        let mut w = self.weight.lock().unwrap();
        w.paused_until = w.paused_until.max(until);
    }

    /// Waits until a request of `weight` may be sent, and books it.
    async fn reserve(&self, weight: u32) {
        loop {
            let now = self.clock.now_ms();
            let minute = now - now.rem_euclid(60_000);
            let wait_until = {
                let mut w = self.weight.lock().unwrap();
                if w.minute != minute {
                    w.minute = minute;
                    w.used = 0;
                }
                if w.paused_until > now {
                    Some(w.paused_until)
                } else if w.used + weight > self.budget && w.used > 0 {
                    Some(minute + 60_000)
                } else {
                    w.used += weight;
                    None
                }
            };
            match wait_until {
                None => return,
                Some(t) => self.clock.sleep_until(t).await,
            }
        }
    }

    fn note_weight(&self, resp: &reqwest::Response) {
        let used = resp
            .headers()
            .get("x-mbx-used-weight-1m")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u32>().ok());
        if let Some(used) = used {
            let now = self.clock.now_ms();
            let minute = now - now.rem_euclid(60_000);
            let mut w = self.weight.lock().unwrap();
            if w.minute == minute {
                // The server counts every client on this IP; trust the larger figure.
                w.used = w.used.max(used);
            }
            drop(w);
            let mut s = self.stats.lock().unwrap();
            s.max_used_weight = s.max_used_weight.max(used);
        }
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500u64 << attempt.min(6))
}

pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
