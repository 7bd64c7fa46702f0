//! The Tushare Pro HTTP client: one POST per call, rate-limited, errors in words.

use super::limiter::RateLimiter;
use super::messages::{Request, Response, Table};
use serde_json::{Map, Value};
use std::time::Duration;
use tw_core::{Sensitive, SharedClock};

/// Where Tushare Pro answers (the official docs' endpoint); `TICKWARDEN_TUSHARE_URL`
/// overrides it.
pub const DEFAULT_URL: &str = "http://api.tushare.pro";
pub const URL_ENV: &str = "TICKWARDEN_TUSHARE_URL";

/// What can go wrong talking to Tushare. The token never appears in these messages.
#[derive(Debug, thiserror::Error)]
pub enum TushareError {
    #[error("no Tushare token: add one in Data sources or with `tickwarden token set tushare`")]
    NoToken,
    #[error("the Tushare token was refused: {msg}")]
    InvalidToken { msg: String },
    #[error("no permission for {api}: {msg}")]
    NoPermission { api: String, msg: String },
    #[error("Tushare rate limit reached for {api}: {msg}")]
    RateLimited { api: String, msg: String },
    #[error("Tushare daily quota used up for {api}: {msg}")]
    QuotaExceeded { api: String, msg: String },
    #[error("Tushare refused {api} (code {code}): {msg}")]
    Api { api: String, code: i64, msg: String },
    #[error("Tushare answered {api} with HTTP {status}: {body}")]
    Http {
        api: String,
        status: u16,
        body: String,
    },
    #[error("cannot reach Tushare for {api}: {detail}")]
    Network { api: String, detail: String },
    #[error("Tushare's answer to {api} is not what the API documents: {detail}")]
    Decode { api: String, detail: String },
}

impl TushareError {
    /// Worth trying again later (the network, a rate limit, a server error).
    pub fn is_retryable(&self) -> bool {
        match self {
            TushareError::Network { .. } | TushareError::RateLimited { .. } => true,
            TushareError::Http { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// Codes documented by Tushare (2002 permission) and used by community clients (40001
/// permission, 40002 token, 40101 daily quota, 40203 rate limit). The message is checked too,
/// because the same words come with different codes.
fn classify(api: &str, code: i64, msg: String) -> TushareError {
    let api = api.to_string();
    let m = msg.as_str();
    if code == 40203 || m.contains("每分钟") || m.contains("频率") {
        TushareError::RateLimited { api, msg }
    } else if code == 40101 || m.contains("每天最多") || m.contains("每日") {
        TushareError::QuotaExceeded { api, msg }
    } else if code == 40002 || (m.contains("token") && (m.contains("不对") || m.contains("无效")))
    {
        TushareError::InvalidToken { msg }
    } else if code == 2002 || code == 40001 || m.contains("权限") {
        TushareError::NoPermission { api, msg }
    } else {
        TushareError::Api { api, code, msg }
    }
}

pub struct TushareClient {
    http: reqwest::Client,
    url: String,
    token: Sensitive<String>,
    limiter: RateLimiter,
}

impl TushareClient {
    pub fn new(
        url: impl Into<String>,
        token: Sensitive<String>,
        clock: SharedClock,
        calls_per_minute: u32,
    ) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!("Tickwarden/", env!("CARGO_PKG_VERSION")))
            // The official SDK waits 30 s.
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client with default TLS settings");
        TushareClient {
            http,
            url: url.into(),
            token,
            limiter: RateLimiter::new(clock, calls_per_minute),
        }
    }

    /// The endpoint from `TICKWARDEN_TUSHARE_URL`, else the official one.
    pub fn url_from_env() -> String {
        std::env::var(URL_ENV)
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_URL.to_string())
    }

    /// Calls one interface; waits for the rate limiter first. On a rate-limit answer the
    /// limiter holds every call for a minute and the call is tried again (up to 3 times).
    pub async fn call(
        &self,
        api: &str,
        params: Map<String, Value>,
        fields: &str,
    ) -> Result<Table, TushareError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.limiter.acquire().await;
            match self.call_once(api, &params, fields).await {
                Err(e @ TushareError::RateLimited { .. }) if attempt < 3 => {
                    tracing::warn!("{e}; waiting a minute");
                    self.limiter.back_off().await;
                }
                Err(TushareError::Http { status: 429, .. }) if attempt < 3 => {
                    self.limiter.back_off().await;
                }
                other => return other,
            }
        }
    }

    async fn call_once(
        &self,
        api: &str,
        params: &Map<String, Value>,
        fields: &str,
    ) -> Result<Table, TushareError> {
        let body = Request {
            api_name: api,
            token: self.token.expose(),
            params: params.clone(),
            fields,
        };
        let resp = self
            .http
            .post(&self.url)
            .json(&body)
            .send()
            .await
            .map_err(|e| TushareError::Network {
                api: api.to_string(),
                detail: e.without_url().to_string(),
            })?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| TushareError::Network {
            api: api.to_string(),
            detail: e.without_url().to_string(),
        })?;
        if status.as_u16() == 429 {
            return Err(TushareError::RateLimited {
                api: api.to_string(),
                msg: format!("HTTP 429 {}", snippet(&text)),
            });
        }
        if !status.is_success() {
            return Err(TushareError::Http {
                api: api.to_string(),
                status: status.as_u16(),
                body: snippet(&text),
            });
        }
        let r: Response = serde_json::from_str(&text).map_err(|e| TushareError::Decode {
            api: api.to_string(),
            detail: format!("{e} in {}", snippet(&text)),
        })?;
        if r.code != 0 {
            let msg = r.msg.unwrap_or_default();
            return Err(classify(api, r.code, msg));
        }
        r.data.ok_or_else(|| TushareError::Decode {
            api: api.to_string(),
            detail: "code 0 without data".into(),
        })
    }
}

fn snippet(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Builds a params object from pairs, leaving out empty values.
pub fn params(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_and_words_become_kinds() {
        let perm = "抱歉，您没有访问该接口的权限，权限的具体详情访问：https://tushare.pro/document/1?doc_id=108。";
        let e = classify(
            "daily_basic",
            40203,
            "抱歉，您每分钟最多访问该接口200次".into(),
        );
        assert!(matches!(e, TushareError::RateLimited { .. }) && e.is_retryable());
        let e = classify("daily_basic", 2002, perm.into());
        assert_eq!(
            e.to_string(),
            format!("no permission for daily_basic: {perm}")
        );
        assert!(!e.is_retryable());
        assert!(matches!(
            classify("daily", 40002, "您的token不对，请确认。".into()),
            TushareError::InvalidToken { .. }
        ));
        assert!(matches!(
            classify("daily", -1, "未知错误".into()),
            TushareError::Api { code: -1, .. }
        ));
    }
}
