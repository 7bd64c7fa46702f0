//! `#[tauri::command]`s of the portfolio view: holdings, settings and the live figures.

use tauri::State;
use tw_core::ipc::ApiError;
use tw_core::portfolio::{Holding, HoldingInput, PortfolioSettings, PortfolioView};
use tw_engine::EngineHandle;

type Cmd<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn get_portfolio(engine: State<'_, EngineHandle>) -> Cmd<PortfolioView> {
    Ok(engine.portfolio())
}

#[tauri::command]
pub async fn list_holdings(engine: State<'_, EngineHandle>) -> Cmd<Vec<Holding>> {
    Ok(engine.holdings().await?)
}

#[tauri::command]
pub async fn add_holding(engine: State<'_, EngineHandle>, lot: HoldingInput) -> Cmd<Holding> {
    Ok(engine.add_holding(lot).await?)
}

#[tauri::command]
pub async fn update_holding(
    engine: State<'_, EngineHandle>,
    id: i64,
    lot: HoldingInput,
) -> Cmd<Holding> {
    Ok(engine.update_holding(id, lot).await?)
}

#[tauri::command]
pub async fn delete_holding(engine: State<'_, EngineHandle>, id: i64) -> Cmd<()> {
    Ok(engine.delete_holding(id).await?)
}

#[tauri::command]
pub async fn import_holdings_csv(
    engine: State<'_, EngineHandle>,
    text: String,
) -> Cmd<Vec<Holding>> {
    Ok(engine.import_holdings_csv(&text).await?)
}

#[tauri::command]
pub async fn get_portfolio_settings(engine: State<'_, EngineHandle>) -> Cmd<PortfolioSettings> {
    Ok(engine.portfolio_settings().await?)
}

#[tauri::command]
pub async fn set_portfolio_settings(
    engine: State<'_, EngineHandle>,
    settings: PortfolioSettings,
) -> Cmd<PortfolioSettings> {
    Ok(engine.set_portfolio_settings(settings).await?)
}
