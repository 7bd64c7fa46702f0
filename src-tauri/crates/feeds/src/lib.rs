//! Feeds turn an outside protocol into [`tw_core::MarketEvent`]s. A feed knows nothing about
//! rules; it reports its health for the UI.

pub mod demo;
pub mod health;

pub use health::HealthCell;
