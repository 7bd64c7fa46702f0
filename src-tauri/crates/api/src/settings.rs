//! Whether the local API runs and on which port: two plain settings in the store, so the
//! window and `tickwarden headless` agree. Off unless the user turns it on.

use tw_engine::{EngineError, EngineHandle};

const ENABLED: &str = "local_api.enabled";
const PORT: &str = "local_api.port";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalApiSettings {
    pub enabled: bool,
    pub port: u16,
}

impl LocalApiSettings {
    /// A fixed default port, so a user's scripts keep working across restarts.
    pub const DEFAULT_PORT: u16 = 47878;

    pub async fn load(engine: &EngineHandle) -> Result<Self, EngineError> {
        let store = engine.store();
        let enabled = store.setting(ENABLED).await?.as_deref() == Some("true");
        let port = match store.setting(PORT).await? {
            None => Self::DEFAULT_PORT,
            Some(raw) => raw.trim().parse::<u16>().map_err(|_| {
                EngineError::InvalidInput(format!(
                    "setting {PORT}: {raw:?} is not a port number (0 to 65535)"
                ))
            })?,
        };
        Ok(LocalApiSettings { enabled, port })
    }

    pub async fn save(&self, engine: &EngineHandle) -> Result<(), EngineError> {
        let store = engine.store();
        store
            .set_setting(ENABLED, if self.enabled { "true" } else { "false" })
            .await?;
        store.set_setting(PORT, &self.port.to_string()).await?;
        Ok(())
    }
}
