//! The engine: feeds → series → rules → alerts, wired with bounded tokio channels, behind one
//! [`EngineHandle`] that the Tauri shell and the headless CLI share. Knows nothing of Tauri.

mod alerts;
pub mod backtest_api;
mod binance_api;
mod config;
mod defaults;
mod delivery_api;
mod engine;
mod error;
mod history_api;
mod live;
mod portfolio_api;
mod radar;
mod replay_api;
mod retention;
mod rules_stage;
mod sources;
mod stocks_api;
mod storm;
mod ui_api;
pub mod webhook;

pub use alerts::NoticeEvent;
pub use binance_api::validate_binance_settings;
pub use config::EngineConfig;
pub use delivery_api::validate_settings;
pub use engine::{Engine, EngineHandle};
pub use error::EngineError;
pub use history_api::{parse_rules_file, rules_file};
pub use portfolio_api::parse_holdings_csv;
pub use radar::MAX_RADAR_ROWS;
pub use replay_api::MAX_REPLAY_SPEED;
pub use tw_os::{Notification, Notifier, Secrets};
pub use ui_api::{validate_ui_settings, CHART_METRICS, PREVIEW_DAYS};
