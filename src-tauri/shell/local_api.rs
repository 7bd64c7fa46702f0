//! The local API in the window app: started next to the engine when Settings turn it on,
//! stopped before the engine at exit. (Commands to switch it on/off and show its URL come
//! with the settings UI.)

use std::sync::Mutex;
use tauri::Manager;
use tw_engine::EngineHandle;

#[derive(Default)]
pub struct LocalApi(Mutex<Option<tw_api::RunningApi>>);

/// Starts it in the background: reading the keyring must not hold up the window.
pub fn start(app: &tauri::AppHandle, engine: EngineHandle) {
    app.manage(LocalApi::default());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match tw_api::start_if_enabled(&engine, false, None).await {
            Ok(Some(api)) => {
                if let Some(state) = app.try_state::<LocalApi>() {
                    *state.0.lock().unwrap() = Some(api);
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!("the local API did not start: {e}"),
        }
    });
}

pub fn stop(app: &tauri::AppHandle) {
    let running = app
        .try_state::<LocalApi>()
        .and_then(|s| s.0.lock().unwrap().take());
    if let Some(api) = running {
        tauri::async_runtime::block_on(api.shutdown());
    }
}
