//! The server's configuration and its bearer token (kept in the OS keyring).

use crate::error::ApiError;
use std::net::{IpAddr, Ipv4Addr};
use tw_core::Sensitive;
use tw_engine::EngineHandle;

/// The keyring entry (a "source" name for the engine's token store) that holds the token.
pub const TOKEN_SOURCE: &str = "local-api";

/// Shortest token accepted: a guessable token on a port any local process can reach would
/// make the lock decorative.
pub const MIN_TOKEN_LEN: usize = 32;

/// Most WebSocket clients at once; one more is refused with 503 rather than running the
/// process out of file descriptors.
pub const DEFAULT_MAX_STREAM_CLIENTS: usize = 4096;

#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// Must be 127.0.0.1: the API is for tools on this machine only.
    pub bind: IpAddr,
    /// 0 lets the OS pick a free port (see [`crate::RunningApi::addr`]).
    pub port: u16,
    pub token: Sensitive<String>,
    pub max_stream_clients: usize,
}

impl ApiConfig {
    pub fn new(port: u16, token: Sensitive<String>) -> Self {
        ApiConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port,
            token,
            max_stream_clients: DEFAULT_MAX_STREAM_CLIENTS,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ApiError> {
        if self.bind != IpAddr::V4(Ipv4Addr::LOCALHOST) {
            return Err(ApiError::NotLoopback(self.bind));
        }
        let len = self.token.expose().trim().len();
        if len < MIN_TOKEN_LEN {
            return Err(ApiError::WeakToken(len));
        }
        Ok(())
    }
}

/// A new token: 32 bytes from the OS random source, as 64 lowercase hex digits.
pub fn generate_token() -> Result<Sensitive<String>, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| ApiError::Random(e.to_string()))?;
    let mut hex = String::with_capacity(64);
    for b in bytes {
        hex.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    Ok(Sensitive::new(hex))
}

/// The token in the OS keyring, made and stored there on first use. A stored value too
/// short to be safe is replaced.
pub async fn ensure_token(engine: &EngineHandle) -> Result<Sensitive<String>, ApiError> {
    if let Some(t) = engine.token(TOKEN_SOURCE).await? {
        if t.expose().trim().len() >= MIN_TOKEN_LEN {
            return Ok(t);
        }
        tracing::warn!("the stored local API token is too short; making a new one");
    }
    let token = generate_token()?;
    engine.set_token(TOKEN_SOURCE, token.clone()).await?;
    tracing::info!("made a new local API token and stored it in the OS keyring");
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let a = generate_token().unwrap();
        let b = generate_token().unwrap();
        assert_eq!(a.expose().len(), 64);
        assert!(a.expose().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "<redacted>");
    }

    #[test]
    fn only_loopback_and_strong_tokens_are_accepted() {
        let tok = generate_token().unwrap();
        assert!(ApiConfig::new(0, tok.clone()).validate().is_ok());
        for ip in ["0.0.0.0", "192.168.1.2", "::", "::1", "127.0.0.2"] {
            let mut cfg = ApiConfig::new(0, tok.clone());
            cfg.bind = ip.parse().unwrap();
            let e = cfg.validate().unwrap_err();
            assert!(matches!(e, ApiError::NotLoopback(_)), "{ip}: {e}");
            assert!(e.to_string().contains(ip), "{e}");
        }
        let e = ApiConfig::new(0, Sensitive::new("short".into()))
            .validate()
            .unwrap_err();
        assert!(matches!(e, ApiError::WeakToken(5)), "{e}");
    }
}
