//! The backtests for the window (rule editor, strategy view): thin wrappers over
//! `tw_engine::backtest_api`, the same code the `tickwarden backtest` command runs.

use tauri::State;
use tw_core::backtest::{
    RuleBacktestReport, RuleBacktestRequest, StrategyBacktestRequest, StrategyReport,
    StrategyTemplate,
};
use tw_core::ipc::ApiError;
use tw_engine::backtest_api::{template, TEMPLATES};
use tw_engine::EngineHandle;

type Cmd<T> = Result<T, ApiError>;

/// Rules over the stored history of the named symbols.
#[tauri::command]
pub async fn backtest_rules(
    engine: State<'_, EngineHandle>,
    request: RuleBacktestRequest,
) -> Cmd<RuleBacktestReport> {
    Ok(engine.backtest_rules(&request).await?)
}

/// A strategy over the stored history of one symbol.
#[tauri::command]
pub async fn backtest_strategy(
    engine: State<'_, EngineHandle>,
    request: StrategyBacktestRequest,
) -> Cmd<StrategyReport> {
    Ok(engine.backtest_strategy(&request).await?)
}

/// The ready strategies with their template keys, to start an editor from.
#[tauri::command]
pub fn strategy_templates() -> Vec<StrategyTemplate> {
    TEMPLATES
        .iter()
        .filter_map(|n| {
            template(n).map(|spec| StrategyTemplate {
                key: (*n).to_string(),
                spec,
            })
        })
        .collect()
}
