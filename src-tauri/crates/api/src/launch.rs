//! Starting the local API the way the app and `tickwarden headless` both do: when Settings
//! (or the command line, for one run) turn it on, with the token from the OS keyring.

use crate::{ensure_token, ApiConfig, ApiError, ApiServer, LocalApiSettings, RunningApi};
use tw_engine::EngineHandle;

/// Starts the server if it is enabled in Settings or `force`d; `port` overrides the stored
/// port. `Ok(None)`: it is off.
pub async fn start_if_enabled(
    engine: &EngineHandle,
    force: bool,
    port: Option<u16>,
) -> Result<Option<RunningApi>, ApiError> {
    let settings = LocalApiSettings::load(engine).await?;
    if !(settings.enabled || force) {
        return Ok(None);
    }
    let token = ensure_token(engine).await?;
    let cfg = ApiConfig::new(port.unwrap_or(settings.port), token);
    let api = ApiServer::start(engine.clone(), cfg).await?;
    tracing::info!(
        "local API: {} (bearer token in the OS keyring, user \"{}\")",
        api.url(),
        crate::TOKEN_SOURCE
    );
    Ok(Some(api))
}
