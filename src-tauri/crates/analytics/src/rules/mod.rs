//! Rules: spec (tw_core::rule) → [`compile`] (validate, name the bad field) → [`RuleBook`]
//! (index by symbol, evaluate, trigger frequency) → alerts.

mod book;
mod compile;
mod eval;

pub use book::{Fired, RuleBook, WatchlistMap};
pub use compile::{compile, CompiledRule, RuleError};
pub use eval::{describe, evaluate, Node, Rhs};
