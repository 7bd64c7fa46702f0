//! The engine: feeds → series → rules → alerts, wired with bounded tokio channels, behind one
//! [`EngineHandle`] that the Tauri shell and the headless CLI share. Knows nothing of Tauri.

mod alerts;
mod config;
mod defaults;
mod engine;
mod error;
mod live;
mod sources;

pub use config::EngineConfig;
pub use engine::{Engine, EngineHandle};
pub use error::EngineError;
pub use tw_os::{Notification, Notifier, Secrets};
