use std::path::PathBuf;
use std::sync::Arc;
use tw_core::{SharedClock, SystemClock};
use tw_feeds::binance::BinanceConfig;
use tw_feeds::demo::DemoConfig;
use tw_feeds::replay::ReplayConfig;
use tw_feeds::tushare::TushareConfig;
use tw_feeds::yahoo::YahooConfig;

/// Service name under which tokens are kept in the OS keyring.
pub const KEYRING_SERVICE: &str = "app.tickwarden.desktop";

#[derive(Clone)]
pub struct EngineConfig {
    pub data_dir: PathBuf,
    pub clock: SharedClock,
    /// The simulated market; `None` runs without it.
    pub demo: Option<DemoConfig>,
    /// Binance venues to stream (USDⓈ-M futures, spot); empty: none.
    pub binance: Vec<BinanceConfig>,
    /// Also start the Binance venues turned on in the stored settings (the window does;
    /// `headless` takes `--source` instead).
    pub binance_from_settings: bool,
    /// Tushare Pro (A-shares, end of day; the token comes from the OS keyring); `None`: off.
    pub tushare: Option<TushareConfig>,
    /// Forget what Tushare has synced and fetch the whole history again.
    pub tushare_full_refresh: bool,
    /// Yahoo Finance (polled, no token); `None`: off.
    pub yahoo: Option<YahooConfig>,
    /// A recorded candle CSV to play as the `replay` source.
    pub replay: Option<(PathBuf, ReplayConfig)>,
    /// How often feeds hand over what they have (ms).
    pub tick_ms: i64,
    /// Deliver alerts as OS notifications.
    pub notifications: bool,
    pub app_name: String,
    pub keyring_service: String,
}

impl EngineConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        EngineConfig {
            data_dir: data_dir.into(),
            clock: Arc::new(SystemClock),
            demo: Some(DemoConfig::default()),
            binance: Vec::new(),
            binance_from_settings: false,
            tushare: None,
            tushare_full_refresh: false,
            yahoo: None,
            replay: None,
            tick_ms: 250,
            notifications: true,
            app_name: "Tickwarden".to_string(),
            keyring_service: KEYRING_SERVICE.to_string(),
        }
    }
}
