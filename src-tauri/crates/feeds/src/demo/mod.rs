//! The demo market: a handful of simulated instruments that move like real ones, so that a
//! fresh install shows a live market (and alerts) at once, offline too. Everything it emits
//! is labelled simulated.

mod model;
mod run;

pub use model::{DemoConfig, DemoMarket, Instrument, INSTRUMENTS};
pub use run::spawn;

pub const SOURCE: &str = "demo";

#[cfg(test)]
mod tests;
