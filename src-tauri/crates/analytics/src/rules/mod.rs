//! Rules: spec (tw_core::rule) → [`compile`] (validate, name the bad field) → [`RuleBook`]
//! (index by symbol, evaluate, trigger frequency, circuit breaker) → alerts.

mod book;
mod compile;
mod eval;
mod history;

pub use book::{fill, BreakerConfig, Fired, RuleBook, RulePaused, RuleState, WatchlistMap};
pub use compile::{
    compile, compile_condition, valid_channel_name, CompiledRule, RuleError, MAX_BARS,
};
pub use eval::{describe, evaluate, evaluate3, metrics_of, Leaf, Node, Rhs, Sample, Test};
pub use history::History;
