//! `#[tauri::command]`s of the window's own views (watchlists, search, indicators, rule
//! preview, settings, tokens): parse, call the engine, map the error. Nothing else.

use super::EVENT;
use tauri::{AppHandle, Emitter, State};
use tw_core::ipc::{ApiError, UiEvent, WatchRow};
use tw_core::rule::RuleSpec;
use tw_core::ui::{
    ConnectionTest, FundamentalDay, IndicatorSeries, RulePreview, Sparkline, SymbolMatch,
    UiSettings, WatchlistInfo,
};
use tw_core::{Candle, Interval, Sensitive};
use tw_engine::EngineHandle;

type Cmd<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn list_watchlists(engine: State<'_, EngineHandle>) -> Cmd<Vec<WatchlistInfo>> {
    Ok(engine.watchlists().await?)
}

#[tauri::command]
pub async fn watchlist_rows(engine: State<'_, EngineHandle>, name: String) -> Cmd<Vec<WatchRow>> {
    Ok(engine.watchlist_rows(&name).await?)
}

#[tauri::command]
pub async fn create_watchlist(engine: State<'_, EngineHandle>, name: String) -> Cmd<WatchlistInfo> {
    Ok(engine.create_watchlist(&name).await?)
}

#[tauri::command]
pub async fn rename_watchlist(
    app: AppHandle,
    engine: State<'_, EngineHandle>,
    from: String,
    to: String,
) -> Cmd<()> {
    engine.rename_watchlist(&from, &to).await?;
    let _ = app.emit(EVENT, UiEvent::RulesChanged);
    Ok(())
}

#[tauri::command]
pub async fn delete_watchlist(engine: State<'_, EngineHandle>, name: String) -> Cmd<()> {
    Ok(engine.delete_watchlist(&name).await?)
}

#[tauri::command]
pub async fn add_to_watchlist(
    engine: State<'_, EngineHandle>,
    name: String,
    symbol: String,
) -> Cmd<()> {
    Ok(engine.add_to_watchlist(&name, &symbol).await?)
}

#[tauri::command]
pub async fn remove_from_watchlist(
    engine: State<'_, EngineHandle>,
    name: String,
    symbol: String,
) -> Cmd<()> {
    Ok(engine.remove_from_watchlist(&name, &symbol).await?)
}

#[tauri::command]
pub async fn reorder_watchlist(
    engine: State<'_, EngineHandle>,
    name: String,
    symbols: Vec<String>,
) -> Cmd<()> {
    Ok(engine.reorder_watchlist(&name, &symbols).await?)
}

#[tauri::command]
pub async fn search_symbols(
    engine: State<'_, EngineHandle>,
    query: String,
    limit: u32,
) -> Cmd<Vec<SymbolMatch>> {
    Ok(engine.search_symbols(&query, limit).await?)
}

#[tauri::command]
pub async fn get_indicators(
    engine: State<'_, EngineHandle>,
    symbol: String,
    interval: Interval,
    limit: u32,
    names: Vec<String>,
) -> Cmd<IndicatorSeries> {
    Ok(engine
        .indicator_series(&symbol, interval, limit, &names)
        .await?)
}

/// One page of older chart history (the bars opening before `before`, ms UTC).
#[tauri::command]
pub async fn get_candles_before(
    engine: State<'_, EngineHandle>,
    symbol: String,
    interval: Interval,
    before: i64,
    limit: u32,
) -> Cmd<Vec<Candle>> {
    Ok(engine
        .candles_before(&symbol, interval, before, limit)
        .await?)
}

/// The last `points` closes of each symbol, for the watchlist's sparklines.
#[tauri::command]
pub async fn get_sparklines(
    engine: State<'_, EngineHandle>,
    symbols: Vec<String>,
    interval: Interval,
    points: u32,
) -> Cmd<Vec<Sparkline>> {
    Ok(engine.sparklines(&symbols, interval, points).await?)
}

#[tauri::command]
pub async fn get_fundamentals(
    engine: State<'_, EngineHandle>,
    symbol: String,
    days: u32,
) -> Cmd<Vec<FundamentalDay>> {
    Ok(engine.fundamentals(&symbol, days).await?)
}

#[tauri::command]
pub async fn preview_rule(
    engine: State<'_, EngineHandle>,
    spec: RuleSpec,
    days: u32,
) -> Cmd<RulePreview> {
    Ok(engine.preview_rule(&spec, days).await?)
}

#[tauri::command]
pub async fn get_ui_settings(engine: State<'_, EngineHandle>) -> Cmd<UiSettings> {
    Ok(engine.ui_settings().await?)
}

#[tauri::command]
pub async fn set_ui_settings(engine: State<'_, EngineHandle>, settings: UiSettings) -> Cmd<()> {
    Ok(engine.set_ui_settings(&settings).await?)
}

/// Writes a data source's token to the OS keyring; the UI never gets it back.
#[tauri::command]
pub async fn set_source_token(
    engine: State<'_, EngineHandle>,
    source: String,
    token: String,
) -> Cmd<()> {
    Ok(engine.set_token(&source, Sensitive::new(token)).await?)
}

#[tauri::command]
pub async fn has_source_token(engine: State<'_, EngineHandle>, source: String) -> Cmd<bool> {
    Ok(engine.has_token(&source).await?)
}

#[tauri::command]
pub async fn delete_source_token(engine: State<'_, EngineHandle>, source: String) -> Cmd<bool> {
    Ok(engine.delete_token(&source).await?)
}

#[tauri::command]
pub async fn test_source_connection(
    engine: State<'_, EngineHandle>,
    source: String,
    token: Option<String>,
) -> Cmd<ConnectionTest> {
    Ok(engine
        .test_source_connection(&source, token.map(Sensitive::new))
        .await?)
}
