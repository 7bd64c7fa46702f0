//! `#[tauri::command]`s: parse, call the engine, map the error. Nothing else.

use super::{tray, EVENT};
use std::sync::Mutex;
use std::time::Duration;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, State};
use tw_core::ipc::{ApiError, EngineStatus, ErrorCode, LiveBatch, RuleRecord, UiEvent, WatchRow};
use tw_core::rule::RuleSpec;
use tw_core::{Alert, Candle, Interval};
use tw_engine::EngineHandle;

type Cmd<T> = Result<T, ApiError>;

/// The task that feeds the window's live channel; a new subscription (a reloaded page)
/// replaces the old one.
#[derive(Default)]
pub struct LiveSubscription(Mutex<Option<tauri::async_runtime::JoinHandle<()>>>);

/// How often live data is pushed: a few times a second, whatever the market does.
const LIVE_PERIOD: Duration = Duration::from_millis(250);

#[tauri::command]
pub async fn get_watchlist(engine: State<'_, EngineHandle>) -> Cmd<Vec<WatchRow>> {
    Ok(engine.watchlist().await?)
}

#[tauri::command]
pub async fn get_candles(
    engine: State<'_, EngineHandle>,
    symbol: String,
    interval: Interval,
    limit: u32,
) -> Cmd<Vec<Candle>> {
    Ok(engine.candles(&symbol, interval, limit).await?)
}

#[tauri::command]
pub fn subscribe_live(
    engine: State<'_, EngineHandle>,
    sub: State<'_, LiveSubscription>,
    on_batch: Channel<LiveBatch>,
) {
    let engine = engine.inner().clone();
    let task = tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(LIVE_PERIOD);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            if let Some(batch) = engine.take_live_batch() {
                if on_batch.send(batch).is_err() {
                    break;
                }
            }
        }
    });
    if let Some(old) = sub.0.lock().unwrap().replace(task) {
        old.abort();
    }
}

#[tauri::command]
pub async fn list_rules(engine: State<'_, EngineHandle>) -> Cmd<Vec<RuleRecord>> {
    Ok(engine.rules().await?)
}

#[tauri::command]
pub async fn create_rule(
    app: AppHandle,
    engine: State<'_, EngineHandle>,
    spec: RuleSpec,
) -> Cmd<RuleRecord> {
    let rec = engine.create_rule(spec).await?;
    let _ = app.emit(EVENT, UiEvent::RulesChanged);
    Ok(rec)
}

#[tauri::command]
pub async fn set_rule_enabled(
    app: AppHandle,
    engine: State<'_, EngineHandle>,
    id: i64,
    enabled: bool,
) -> Cmd<RuleRecord> {
    let rec = engine.set_rule_enabled(id, enabled).await?;
    let _ = app.emit(EVENT, UiEvent::RulesChanged);
    Ok(rec)
}

#[tauri::command]
pub async fn delete_rule(app: AppHandle, engine: State<'_, EngineHandle>, id: i64) -> Cmd<()> {
    engine.delete_rule(id).await?;
    let _ = app.emit(EVENT, UiEvent::RulesChanged);
    Ok(())
}

#[tauri::command]
pub async fn list_alerts(engine: State<'_, EngineHandle>, limit: u32) -> Cmd<Vec<Alert>> {
    Ok(engine.alerts(limit).await?)
}

/// The market radar: top anomalies (score ≥ `min_score`) and top movers, `limit` per list.
#[tauri::command]
pub fn get_radar(
    engine: State<'_, EngineHandle>,
    limit: u32,
    min_score: f64,
) -> Cmd<tw_core::ipc::Radar> {
    if !min_score.is_finite() || min_score < 0.0 {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("minScore: must be a number of 0 or more, not {min_score}"),
        ));
    }
    Ok(engine.radar(limit as usize, min_score))
}

#[tauri::command]
pub fn get_status(engine: State<'_, EngineHandle>) -> EngineStatus {
    engine.status()
}

#[tauri::command]
pub async fn set_alerts_paused(
    app: AppHandle,
    engine: State<'_, EngineHandle>,
    paused: bool,
) -> Cmd<()> {
    engine.set_alerts_paused(paused).await?;
    tray::set_paused(&app, paused);
    let _ = app.emit(EVENT, UiEvent::AlertsPaused { paused });
    Ok(())
}

#[tauri::command]
pub async fn get_binance_settings(
    engine: State<'_, EngineHandle>,
) -> Cmd<tw_core::ipc::BinanceSettings> {
    Ok(engine.binance_settings().await?)
}

/// Stored now, applied at the next start.
#[tauri::command]
pub async fn set_binance_settings(
    engine: State<'_, EngineHandle>,
    settings: tw_core::ipc::BinanceSettings,
) -> Cmd<()> {
    Ok(engine.set_binance_settings(settings).await?)
}

/// "Test connection" of a Binance venue with the form's settings (not saved yet).
#[tauri::command]
pub async fn test_binance_connection(
    engine: State<'_, EngineHandle>,
    source: String,
    settings: tw_core::ipc::BinanceVenueSettings,
) -> Cmd<tw_core::ui::ConnectionTest> {
    Ok(engine
        .test_binance_connection(&source, Some(settings))
        .await?)
}

/// "Open recording…": plays a candle CSV in the running engine at `speed`.
#[tauri::command]
pub async fn open_recording(
    engine: State<'_, EngineHandle>,
    path: String,
    speed: f64,
) -> Cmd<tw_core::ipc::ReplayStarted> {
    Ok(engine.open_recording(&path, speed).await?)
}

/// Whether Tickwarden starts (in the tray) when the user logs in.
#[tauri::command]
pub fn get_autostart(app: AppHandle) -> Cmd<bool> {
    use tauri_plugin_autostart::ManagerExt;
    app.autolaunch().is_enabled().map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot read the start-at-login setting: {e}"),
        )
    })
}

#[tauri::command]
pub fn set_autostart(app: AppHandle, enabled: bool) -> Cmd<()> {
    use tauri_plugin_autostart::ManagerExt;
    let manager = app.autolaunch();
    let result = if enabled {
        manager.enable()
    } else {
        manager.disable()
    };
    result.map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot change the start-at-login setting: {e}"),
        )
    })
}
