//! Binance public market data (USDⓈ-M futures and spot): kline streams over WebSocket,
//! back-fill, universe and open interest over REST. No key needed.
//!
//! - `messages.rs`: wire types (the raw JSON in doc comments); `parse.rs`: wire → domain.
//! - `rest.rs`: the REST client, with request-weight accounting and 429/418 handling.
//! - `ws.rs`: one supervised connection ("shard") of combined streams; `gap.rs`: the REST
//!   back-fill that keeps every closed candle exactly once across reconnects.
//! - `universe.rs`: which symbols to watch; `oi.rs`: open-interest polling;
//!   `feed.rs`: starts it all for one venue.

mod feed;
mod gap;
pub mod messages;
mod oi;
pub mod parse;
mod probe;
pub mod rest;
pub mod universe;
mod ws;

pub use feed::{spawn, BinanceFeed, FeedControl};
pub use gap::{CandleHistory, HistoryFuture, NoHistory};
pub use probe::{probe, venue_name, Probe, ProbeCheck};
pub use rest::{RestClient, RestError};

use std::time::Duration;
use tw_core::Interval;

/// The two Binance markets Tickwarden speaks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Venue {
    UsdM,
    Spot,
}

impl Venue {
    /// The source part of a symbol (`binance-usdm:BTCUSDT`).
    pub fn source(self) -> &'static str {
        match self {
            Venue::UsdM => "binance-usdm",
            Venue::Spot => "binance-spot",
        }
    }
    pub fn parse(s: &str) -> Option<Venue> {
        match s {
            "binance-usdm" => Some(Venue::UsdM),
            "binance-spot" => Some(Venue::Spot),
            _ => None,
        }
    }
    pub fn default_ws(self) -> &'static str {
        match self {
            Venue::UsdM => "wss://fstream.binance.com",
            Venue::Spot => "wss://stream.binance.com:9443",
        }
    }
    pub fn default_rest(self) -> &'static str {
        match self {
            Venue::UsdM => "https://fapi.binance.com",
            Venue::Spot => "https://api.binance.com",
        }
    }
    /// Environment variables that override the endpoints (proxies, tests).
    pub fn env_vars(self) -> (&'static str, &'static str) {
        match self {
            Venue::UsdM => ("TICKWARDEN_BINANCE_USDM_WS", "TICKWARDEN_BINANCE_USDM_REST"),
            Venue::Spot => ("TICKWARDEN_BINANCE_SPOT_WS", "TICKWARDEN_BINANCE_SPOT_REST"),
        }
    }
    pub(crate) fn path(self, what: Path) -> &'static str {
        match (self, what) {
            (Venue::UsdM, Path::Klines) => "/fapi/v1/klines",
            (Venue::Spot, Path::Klines) => "/api/v3/klines",
            (Venue::UsdM, Path::Ticker24h) => "/fapi/v1/ticker/24hr",
            (Venue::Spot, Path::Ticker24h) => "/api/v3/ticker/24hr",
            (Venue::UsdM, Path::ExchangeInfo) => "/fapi/v1/exchangeInfo",
            (Venue::Spot, Path::ExchangeInfo) => "/api/v3/exchangeInfo",
            (_, Path::OpenInterest) => "/fapi/v1/openInterest",
        }
    }
    /// Most bars one klines request returns.
    pub(crate) fn max_klines(self) -> u32 {
        match self {
            Venue::UsdM => 1000, // 1500 is allowed but costs 10 instead of 5
            Venue::Spot => 1000,
        }
    }
    /// Request weight of a klines call with this `limit` (from the API docs).
    pub(crate) fn klines_weight(self, limit: u32) -> u32 {
        match self {
            Venue::Spot => 2,
            Venue::UsdM => match limit {
                0..=99 => 1,
                100..=499 => 2,
                500..=1000 => 5,
                _ => 10,
            },
        }
    }
    pub(crate) fn ticker_all_weight(self) -> u32 {
        match self {
            Venue::UsdM => 40,
            Venue::Spot => 80,
        }
    }
    pub(crate) fn exchange_info_weight(self) -> u32 {
        match self {
            Venue::UsdM => 1,
            Venue::Spot => 20,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Path {
    Klines,
    Ticker24h,
    ExchangeInfo,
    OpenInterest,
}

/// Which symbols a venue watches.
#[derive(Clone, Debug, PartialEq)]
pub enum Universe {
    /// Exactly these codes (`BTCUSDT`, …), e.g. `--symbols`; changed live through
    /// [`FeedControl`].
    Fixed(Vec<String>),
    /// The venue's symbols on the app's watchlist. The engine replaces it by `Fixed` with
    /// the stored codes and sends the watchlist's changes through [`FeedControl`]; given to
    /// the feed as is, it starts empty.
    Watchlist,
    /// The `n` symbols with the largest 24 h quote volume, at least `min_quote_volume`,
    /// re-chosen every `refresh`.
    TopByQuoteVolume {
        n: usize,
        min_quote_volume: f64,
        refresh: Duration,
    },
}

/// Settings of one Binance venue feed.
#[derive(Clone, Debug)]
pub struct BinanceConfig {
    pub venue: Venue,
    /// WebSocket base, e.g. `wss://fstream.binance.com` (the feed appends `/stream?streams=`).
    pub ws_url: String,
    /// REST base, e.g. `https://fapi.binance.com`.
    pub rest_url: String,
    pub universe: Universe,
    /// Kline intervals streamed and back-filled for every symbol.
    pub intervals: Vec<Interval>,
    /// Streams per connection (Binance allows 1024; fewer keeps a reconnect cheap).
    pub max_streams_per_connection: usize,
    /// No message for this long means the socket is dead.
    pub silence_timeout: Duration,
    /// Connections are replaced before Binance's 24 h cut-off.
    pub max_connection_age: Duration,
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    /// History fetched for a symbol the local database knows nothing about.
    pub initial_history: Duration,
    /// Request weight per minute this app allows itself (Binance: 2400 futures, 6000 spot).
    pub weight_budget_per_minute: u32,
    /// Parallel REST requests while back-filling.
    pub backfill_concurrency: usize,
    /// Open-interest polling period (futures only); `None` turns it off.
    pub open_interest_every: Option<Duration>,
}

impl BinanceConfig {
    /// Defaults, with endpoints from the environment variables when they are set.
    pub fn new(venue: Venue) -> Self {
        let (ws_var, rest_var) = venue.env_vars();
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        BinanceConfig {
            venue,
            ws_url: env(ws_var).unwrap_or_else(|| venue.default_ws().to_string()),
            rest_url: env(rest_var).unwrap_or_else(|| venue.default_rest().to_string()),
            universe: Universe::TopByQuoteVolume {
                n: 150,
                min_quote_volume: 10_000_000.0,
                refresh: Duration::from_secs(3600),
            },
            intervals: vec![Interval::M1],
            max_streams_per_connection: 200,
            silence_timeout: Duration::from_secs(30),
            max_connection_age: Duration::from_secs(23 * 3600),
            backoff_initial: Duration::from_millis(500),
            backoff_max: Duration::from_secs(60),
            initial_history: Duration::from_secs(24 * 3600),
            weight_budget_per_minute: 1200,
            backfill_concurrency: 4,
            open_interest_every: match venue {
                Venue::UsdM => Some(Duration::from_secs(60)),
                Venue::Spot => None,
            },
        }
    }

    /// Checks the settings; the error names the field.
    pub fn validate(&self) -> Result<(), String> {
        for (field, url, schemes) in [
            ("ws_url", &self.ws_url, ["ws://", "wss://"]),
            ("rest_url", &self.rest_url, ["http://", "https://"]),
        ] {
            if !schemes.iter().any(|s| url.starts_with(s)) {
                return Err(format!(
                    "{field}: {url:?} must start with {} or {}",
                    schemes[0], schemes[1]
                ));
            }
        }
        if self.intervals.is_empty() {
            return Err("intervals: at least one kline interval is needed".into());
        }
        if !(1..=1024).contains(&self.max_streams_per_connection)
            || self.max_streams_per_connection < self.intervals.len()
        {
            return Err(format!(
                "max_streams_per_connection: {} must be between {} and 1024",
                self.max_streams_per_connection,
                self.intervals.len()
            ));
        }
        if self.silence_timeout.is_zero() {
            return Err("silence_timeout: must be more than zero".into());
        }
        if self.weight_budget_per_minute < 20 {
            return Err("weight_budget_per_minute: at least 20 is needed".into());
        }
        if let Universe::Fixed(codes) = &self.universe {
            if let Some(bad) = codes.iter().find(|c| {
                c.is_empty() || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
            }) {
                return Err(format!(
                    "symbols: {bad:?} is not a Binance symbol (letters and digits, e.g. BTCUSDT)"
                ));
            }
        }
        Ok(())
    }

    /// Symbols per connection.
    pub(crate) fn symbols_per_connection(&self) -> usize {
        (self.max_streams_per_connection / self.intervals.len()).max(1)
    }
}

#[cfg(test)]
mod tests;
