//! The live rule set: indexed by the symbols the rules watch, with the trigger-frequency state
//! of every (rule, symbol) so one condition does not spam.

use super::compile::CompiledRule;
use super::eval::{describe, evaluate, fmt_num, Node, Rhs};
use crate::metric::MetricKey;
use crate::series::SeriesUpdate;
use std::collections::{BTreeMap, HashMap};
use tw_core::rule::FrequencyMode;
use tw_core::{Alert, Symbol};

/// Watchlist name → its symbols, to resolve watchlist targets.
pub type WatchlistMap = HashMap<String, Vec<Symbol>>;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct FireState {
    last_fired_ms: Option<i64>,
    last_bar: Option<i64>,
    done: bool,
}

/// A rule fired. `disable_rule` is set for `once` rules, which switch themselves off.
#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub alert: Alert,
    pub disable_rule: bool,
}

#[derive(Default)]
pub struct RuleBook {
    rules: HashMap<i64, CompiledRule>,
    by_symbol: HashMap<Symbol, Vec<i64>>,
    by_source: HashMap<String, Vec<i64>>,
    state: HashMap<(i64, Symbol), FireState>,
}

impl RuleBook {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the rule set. Frequency state is kept for rules that are still there.
    pub fn load(&mut self, rules: Vec<CompiledRule>, watchlists: &WatchlistMap) {
        self.rules.clear();
        self.by_symbol.clear();
        self.by_source.clear();
        for r in rules.into_iter().filter(|r| r.spec.enabled) {
            let mut symbols = r.symbols.clone();
            if let Some(w) = &r.spec.target.watchlist {
                symbols.extend(watchlists.get(w).into_iter().flatten().cloned());
            }
            symbols.sort();
            symbols.dedup();
            for s in symbols {
                self.by_symbol.entry(s).or_default().push(r.id);
            }
            if let Some(src) = &r.spec.target.source {
                self.by_source.entry(src.clone()).or_default().push(r.id);
            }
            self.rules.insert(r.id, r);
        }
        let rules = &self.rules;
        self.state.retain(|(id, _), _| rules.contains_key(id));
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Evaluates the rules that watch the updated symbol. `now_ms` is the engine's clock:
    /// data older than a rule's interval is not alerted on.
    pub fn on_update(&mut self, upd: &SeriesUpdate, now_ms: i64) -> Vec<Fired> {
        let mut fired = Vec::new();
        if !upd.live {
            return fired;
        }
        let ids = self.by_symbol.get(&upd.symbol).into_iter().flatten().chain(
            self.by_source
                .get(upd.symbol.source())
                .into_iter()
                .flatten(),
        );
        for id in ids {
            let Some(rule) = self.rules.get(id) else {
                continue;
            };
            let spec = &rule.spec;
            if spec.interval != upd.interval || now_ms - upd.at_ms > upd.interval.millis() {
                continue;
            }
            if spec.expires_at.is_some_and(|e| upd.at_ms >= e) {
                continue;
            }
            let key = (rule.id, upd.symbol.clone());
            let st = self.state.get(&key).copied().unwrap_or_default();
            let f = spec.frequency;
            let allowed = !st.done
                && match f.mode {
                    FrequencyMode::OncePerBar => st.last_bar != Some(upd.bar.open_time),
                    FrequencyMode::OncePerBarClose => {
                        upd.bar.closed && st.last_bar != Some(upd.bar.open_time)
                    }
                    FrequencyMode::Once | FrequencyMode::EveryTime => true,
                }
                && st
                    .last_fired_ms
                    .is_none_or(|t| upd.at_ms - t >= f.cooldown_s as i64 * 1000);
            if !allowed || !evaluate(&rule.cond, &upd.metrics, upd.prev.as_ref()) {
                continue;
            }
            self.state.insert(
                key,
                FireState {
                    last_fired_ms: Some(upd.at_ms),
                    last_bar: Some(upd.bar.open_time),
                    done: f.mode == FrequencyMode::Once,
                },
            );
            fired.push(Fired {
                alert: make_alert(rule, upd),
                disable_rule: f.mode == FrequencyMode::Once,
            });
        }
        fired
    }
}

fn leaf_metrics(node: &Node, out: &mut Vec<MetricKey>) {
    match node {
        Node::All(items) | Node::Any(items) => items.iter().for_each(|n| leaf_metrics(n, out)),
        Node::Leaf { lhs, rhs, .. } => {
            out.push(*lhs);
            if let Rhs::Metric(k) = rhs {
                out.push(*k);
            }
        }
    }
}

fn make_alert(rule: &CompiledRule, upd: &SeriesUpdate) -> Alert {
    let mut keys = vec![MetricKey::Price];
    leaf_metrics(&rule.cond, &mut keys);
    let metrics: BTreeMap<String, f64> = keys
        .iter()
        .filter_map(|k| upd.metrics.get(*k).map(|v| (k.name().to_string(), v)))
        .collect();
    let mut reasons = Vec::new();
    describe(&rule.cond, &upd.metrics, upd.prev.as_ref(), &mut reasons);
    let reasons = reasons.join(", ");
    let first = keys.get(1).copied().unwrap_or(MetricKey::Price);
    let template = rule.spec.message.as_deref().unwrap_or("{reasons}");
    let message = template
        .replace("{symbol}", upd.symbol.as_str())
        .replace("{price}", &fmt_num(upd.bar.close))
        .replace("{metric}", first.name())
        .replace(
            "{value}",
            &upd.metrics.get(first).map(fmt_num).unwrap_or_default(),
        )
        .replace("{rule}", &rule.spec.name)
        .replace("{reasons}", &reasons);
    Alert {
        id: 0,
        rule_id: rule.id,
        rule_name: rule.spec.name.clone(),
        symbol: upd.symbol.to_string(),
        interval: upd.interval,
        level: rule.spec.level,
        fired_at: upd.at_ms,
        bar_time: upd.bar.open_time,
        message,
        metrics,
    }
}

#[cfg(test)]
mod tests;
