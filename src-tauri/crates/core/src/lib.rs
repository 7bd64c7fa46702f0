//! Types shared by every Tickwarden stage and by the UI: market data, rules, alerts, the
//! injected clock and the IPC contract. Nothing here does I/O or knows about Tauri.

pub mod alert;
pub mod backtest;
pub mod clock;
pub mod delivery;
pub mod history;
pub mod ipc;
pub mod market;
pub mod portfolio;
pub mod rule;
pub mod sensitive;
pub mod ui;

pub use alert::{Alert, Level};
pub use clock::{Clock, ManualClock, SharedClock, SleeperGuard, SystemClock};
pub use market::{Candle, Fundamentals, Interval, MarketEvent, Symbol, SymbolError, Trade};
pub use sensitive::Sensitive;
