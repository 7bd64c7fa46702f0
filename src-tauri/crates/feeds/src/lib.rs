//! Feeds turn an outside protocol into [`tw_core::MarketEvent`]s. A feed knows nothing about
//! rules; it reports its health for the UI.

pub mod binance;
pub mod demo;
pub mod health;
pub mod replay;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod tushare;
pub mod yahoo;

pub use health::HealthCell;
