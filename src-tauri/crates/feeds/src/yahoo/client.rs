//! The v8 chart endpoint over HTTP, with a proper User-Agent and errors in words.

use super::messages::{ChartResult, Envelope};
use std::time::Duration;

/// Yahoo's public host; `TICKWARDEN_YAHOO_URL` overrides it (tests, proxies).
pub const DEFAULT_URL: &str = "https://query1.finance.yahoo.com";
pub const URL_ENV: &str = "TICKWARDEN_YAHOO_URL";
/// Yahoo refuses requests without a browser-like or named agent; say who we are.
pub const USER_AGENT: &str = concat!(
    "Mozilla/5.0 (compatible; Tickwarden/",
    env!("CARGO_PKG_VERSION"),
    "; +https://tickwarden.app)"
);

#[derive(Debug, thiserror::Error)]
pub enum YahooError {
    #[error("Yahoo asks us to slow down (HTTP 429) for {symbol}")]
    RateLimited {
        symbol: String,
        /// From `Retry-After`, if Yahoo sent one.
        retry_after_ms: Option<i64>,
    },
    #[error("Yahoo has no data for {symbol}: {description}")]
    NotFound { symbol: String, description: String },
    #[error("Yahoo answered {symbol} with HTTP {status}: {body}")]
    Http {
        symbol: String,
        status: u16,
        body: String,
    },
    #[error("cannot reach Yahoo for {symbol}: {detail}")]
    Network { symbol: String, detail: String },
    #[error("Yahoo's answer for {symbol} is not a v8 chart: {detail}")]
    Decode { symbol: String, detail: String },
}

impl YahooError {
    pub fn is_retryable(&self) -> bool {
        match self {
            YahooError::RateLimited { .. } | YahooError::Network { .. } => true,
            YahooError::Http { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// What to ask for: a bar size and either a named range (`1d`, `5d`, `1y`) or a period.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartQuery {
    pub interval: &'static str,
    pub range: &'static str,
}

pub struct YahooClient {
    http: reqwest::Client,
    base: String,
}

impl YahooClient {
    pub fn new(base: impl Into<String>) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(Duration::from_secs(20))
            .build()
            .expect("an HTTP client with default TLS settings");
        YahooClient {
            http,
            base: base.into().trim_end_matches('/').to_string(),
        }
    }

    pub fn url_from_env() -> String {
        std::env::var(URL_ENV)
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_URL.to_string())
    }

    pub async fn chart(&self, symbol: &str, q: &ChartQuery) -> Result<ChartResult, YahooError> {
        let url = format!("{}/v8/finance/chart/{}", self.base, encode(symbol));
        let net = |e: reqwest::Error| YahooError::Network {
            symbol: symbol.to_string(),
            detail: e.without_url().to_string(),
        };
        let resp = self
            .http
            .get(&url)
            .query(&[
                ("interval", q.interval),
                ("range", q.range),
                ("includePrePost", "false"),
                ("events", "div|split"),
            ])
            .send()
            .await
            .map_err(net)?;
        let status = resp.status().as_u16();
        if status == 429 {
            let retry_after_ms = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<i64>().ok())
                .map(|s| s * 1000);
            return Err(YahooError::RateLimited {
                symbol: symbol.to_string(),
                retry_after_ms,
            });
        }
        let text = resp.text().await.map_err(net)?;
        let env: Result<Envelope, _> = serde_json::from_str(&text);
        match env {
            Ok(env) => {
                if let Some(e) = env.chart.error {
                    return Err(YahooError::NotFound {
                        symbol: symbol.to_string(),
                        description: e.description.unwrap_or(e.code),
                    });
                }
                if !(200..300).contains(&status) {
                    return Err(YahooError::Http {
                        symbol: symbol.to_string(),
                        status,
                        body: snippet(&text),
                    });
                }
                env.chart
                    .result
                    .and_then(|mut r| (!r.is_empty()).then(|| r.swap_remove(0)))
                    .ok_or_else(|| YahooError::Decode {
                        symbol: symbol.to_string(),
                        detail: "no result and no error".into(),
                    })
            }
            Err(_) if !(200..300).contains(&status) => Err(YahooError::Http {
                symbol: symbol.to_string(),
                status,
                body: snippet(&text),
            }),
            Err(e) => Err(YahooError::Decode {
                symbol: symbol.to_string(),
                detail: format!("{e} in {}", snippet(&text)),
            }),
        }
    }
}

/// Symbols like `EURUSD=X`, `^GSPC`, `0700.HK` go into the path percent-encoded.
fn encode(symbol: &str) -> String {
    let mut out = String::with_capacity(symbol.len());
    for b in symbol.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn snippet(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s.to_string()
    }
}
