use std::path::PathBuf;
use std::sync::Arc;
use tw_core::{SharedClock, SystemClock};
use tw_feeds::demo::DemoConfig;

/// Service name under which tokens are kept in the OS keyring.
pub const KEYRING_SERVICE: &str = "app.tickwarden.desktop";

#[derive(Clone)]
pub struct EngineConfig {
    pub data_dir: PathBuf,
    pub clock: SharedClock,
    /// The simulated market; `None` runs without it.
    pub demo: Option<DemoConfig>,
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
            tick_ms: 250,
            notifications: true,
            app_name: "Tickwarden".to_string(),
            keyring_service: KEYRING_SERVICE.to_string(),
        }
    }
}
