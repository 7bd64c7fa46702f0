//! Commands for alert history, rules import/export/edit and alert delivery settings. Thin:
//! parse, call the engine, map the error.

use super::EVENT;
use tauri::{AppHandle, Emitter, State};
use tw_core::delivery::DeliverySettings;
use tw_core::history::{AlertEntry, AlertQuery, AlertStats};
use tw_core::ipc::{ApiError, RuleRecord, UiEvent};
use tw_core::rule::RuleSpec;
use tw_core::Sensitive;
use tw_engine::EngineHandle;

type Cmd<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn alert_history(
    engine: State<'_, EngineHandle>,
    query: AlertQuery,
) -> Cmd<Vec<AlertEntry>> {
    Ok(engine.alert_history(&query).await?)
}

#[tauri::command]
pub async fn acknowledge_alerts(engine: State<'_, EngineHandle>, ids: Vec<i64>) -> Cmd<u64> {
    Ok(engine.acknowledge_alerts(&ids).await?)
}

#[tauri::command]
pub async fn resolve_alerts(engine: State<'_, EngineHandle>, ids: Vec<i64>) -> Cmd<u64> {
    Ok(engine.resolve_alerts(&ids).await?)
}

#[tauri::command]
pub async fn alert_stats(
    engine: State<'_, EngineHandle>,
    query: AlertQuery,
    utc_offset_min: i32,
) -> Cmd<AlertStats> {
    Ok(engine.alert_stats(&query, utc_offset_min).await?)
}

#[tauri::command]
pub async fn export_alerts_csv(engine: State<'_, EngineHandle>, query: AlertQuery) -> Cmd<String> {
    Ok(engine.export_alerts_csv(&query).await?)
}

#[tauri::command]
pub async fn import_rules(
    app: AppHandle,
    engine: State<'_, EngineHandle>,
    json: String,
) -> Cmd<Vec<RuleRecord>> {
    let recs = engine.import_rules(&json).await?;
    let _ = app.emit(EVENT, UiEvent::RulesChanged);
    Ok(recs)
}

#[tauri::command]
pub async fn export_rules(engine: State<'_, EngineHandle>) -> Cmd<String> {
    Ok(engine.export_rules().await?)
}

#[tauri::command]
pub async fn update_rule(
    app: AppHandle,
    engine: State<'_, EngineHandle>,
    id: i64,
    spec: RuleSpec,
) -> Cmd<RuleRecord> {
    let rec = engine.update_rule(id, spec).await?;
    let _ = app.emit(EVENT, UiEvent::RulesChanged);
    Ok(rec)
}

#[tauri::command]
pub async fn duplicate_rule(
    app: AppHandle,
    engine: State<'_, EngineHandle>,
    id: i64,
) -> Cmd<RuleRecord> {
    let rec = engine.duplicate_rule(id).await?;
    let _ = app.emit(EVENT, UiEvent::RulesChanged);
    Ok(rec)
}

#[tauri::command]
pub async fn get_delivery_settings(engine: State<'_, EngineHandle>) -> Cmd<DeliverySettings> {
    Ok(engine.delivery_settings().await)
}

#[tauri::command]
pub async fn set_delivery_settings(
    engine: State<'_, EngineHandle>,
    settings: DeliverySettings,
) -> Cmd<()> {
    Ok(engine.set_delivery_settings(settings).await?)
}

/// The URL or bot token goes straight to the OS keyring.
#[tauri::command]
pub async fn set_webhook_secret(
    engine: State<'_, EngineHandle>,
    name: String,
    secret: String,
) -> Cmd<()> {
    Ok(engine
        .set_webhook_secret(&name, Sensitive::new(secret))
        .await?)
}
