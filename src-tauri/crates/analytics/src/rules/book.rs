//! The live rule set: indexed by the symbols the rules watch, with the trigger-frequency state
//! of every (rule, symbol) so one condition does not spam.

use super::compile::CompiledRule;
use super::eval::{describe, evaluate3, fmt_num, metrics_of, Sample};
use super::history::History;
use crate::metric::{MetricKey, Metrics};
use crate::series::SeriesUpdate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use tw_core::rule::{Channels, FrequencyMode};
use tw_core::{Alert, Interval, Symbol};

/// Watchlist name → its symbols, to resolve watchlist targets.
pub type WatchlistMap = HashMap<String, Vec<Symbol>>;

/// Trigger state of one (rule, symbol); stored so that a restart does not fire again what
/// already fired, nor forget a pending period or a disarmed rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleState {
    #[serde(default)]
    pub last_fired_ms: Option<i64>,
    /// Open time of the bar of the last alert.
    #[serde(default)]
    pub last_bar: Option<i64>,
    /// A `once` rule that has fired.
    #[serde(default)]
    pub done: bool,
    /// Hysteresis: fired, and the condition has not been false since.
    #[serde(default)]
    pub disarmed: bool,
    /// Open time of the first bar of the current run of bars where the condition held.
    #[serde(default)]
    pub holding_since: Option<i64>,
    #[serde(default)]
    pub fired: u64,
}

/// A rule fired. `disable_rule` is set for `once` rules, which switch themselves off.
#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub alert: Alert,
    pub disable_rule: bool,
    /// Where the rule wants it delivered.
    pub channels: Channels,
}

/// The circuit breaker: a rule firing more than `max` times within `window_ms` is paused for
/// `pause_ms`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakerConfig {
    pub window_ms: i64,
    pub max: u32,
    pub pause_ms: i64,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            window_ms: 60_000,
            max: 30,
            pause_ms: 15 * 60_000,
        }
    }
}

/// The breaker tripped: the rule is paused until `until_ms`.
#[derive(Clone, Debug, PartialEq)]
pub struct RulePaused {
    pub rule_id: i64,
    pub rule_name: String,
    pub fired: u32,
    pub window_ms: i64,
    pub until_ms: i64,
}

/// What the book remembers about one (symbol, interval) series between updates.
#[derive(Default)]
struct SeriesMemo {
    /// Final metrics of the last closed bar (the "previous sample" of bar-close rules).
    last_close: Option<(i64, Metrics)>,
    history: History,
}

#[derive(Default)]
pub struct RuleBook {
    rules: HashMap<i64, CompiledRule>,
    watchlists: WatchlistMap,
    by_symbol: HashMap<Symbol, Vec<i64>>,
    by_source: HashMap<String, Vec<i64>>,
    state: HashMap<(i64, Symbol), RuleState>,
    dirty: HashSet<(i64, Symbol)>,
    series: HashMap<(Symbol, Interval), SeriesMemo>,
    /// (metric, bars) to keep per interval, over all rules.
    lookbacks: HashMap<Interval, Vec<(MetricKey, u32)>>,
    breaker: Breaker,
    evaluations: u64,
}

#[derive(Default)]
struct Breaker {
    cfg: BreakerConfig,
    recent: HashMap<i64, VecDeque<i64>>,
    paused: HashMap<i64, i64>,
    notices: Vec<RulePaused>,
}

impl RuleBook {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_breaker(&mut self, cfg: BreakerConfig) {
        self.breaker.cfg = cfg;
    }

    /// Replaces the rule set. Frequency state is kept for rules that are still there.
    pub fn load(&mut self, rules: Vec<CompiledRule>, watchlists: &WatchlistMap) {
        self.rules = rules
            .into_iter()
            .filter(|r| r.spec.enabled)
            .map(|r| (r.id, r))
            .collect();
        self.watchlists = watchlists.clone();
        self.reindex();
        let rules = &self.rules;
        self.state.retain(|(id, _), _| rules.contains_key(id));
        self.breaker.recent.retain(|id, _| rules.contains_key(id));
        self.breaker.paused.retain(|id, _| rules.contains_key(id));
        self.lookbacks.clear();
        for r in self.rules.values() {
            let l = self.lookbacks.entry(r.spec.interval).or_default();
            for &(k, bars) in &r.lookbacks {
                match l.iter_mut().find(|(m, _)| *m == k) {
                    Some((_, b)) => *b = (*b).max(bars),
                    None => l.push((k, bars)),
                }
            }
        }
        for ((_, interval), memo) in &mut self.series {
            for &(k, bars) in self.lookbacks.get(interval).into_iter().flatten() {
                memo.history.want(k, bars);
            }
        }
    }

    /// A watchlist's symbols changed: rules that follow it now watch the new set.
    pub fn set_watchlist(&mut self, name: &str, symbols: Vec<Symbol>) {
        self.watchlists.insert(name.to_string(), symbols);
        self.reindex();
    }

    fn reindex(&mut self) {
        self.by_symbol.clear();
        self.by_source.clear();
        let mut ids: Vec<_> = self.rules.keys().copied().collect();
        ids.sort_unstable(); // alerts of one update come out in rule order
        for id in ids {
            let r = &self.rules[&id];
            let src = r.spec.target.source.as_deref();
            let mut symbols = r.symbols.clone();
            if let Some(w) = &r.spec.target.watchlist {
                symbols.extend(self.watchlists.get(w).into_iter().flatten().cloned());
            }
            symbols.sort();
            symbols.dedup();
            // A symbol inside the rule's whole-source target is already reached that way.
            for s in symbols.into_iter().filter(|s| Some(s.source()) != src) {
                self.by_symbol.entry(s).or_default().push(id);
            }
            if let Some(src) = src {
                self.by_source.entry(src.to_string()).or_default().push(id);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
    /// How many (rule, symbol) evaluations have run (for benchmarks and the status view).
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// Restores stored trigger state (at start, before the first update).
    pub fn restore_state(&mut self, states: impl IntoIterator<Item = (i64, Symbol, RuleState)>) {
        for (id, sym, st) in states {
            self.state.insert((id, sym), st);
        }
    }

    /// Restores circuit-breaker pauses (at start): `(rule id, paused until ms)`.
    pub fn restore_paused(&mut self, paused: impl IntoIterator<Item = (i64, i64)>) {
        self.breaker.paused.extend(paused);
    }

    /// Until when the circuit breaker holds a rule back, if it does.
    pub fn paused_until(&self, id: i64) -> Option<i64> {
        self.breaker.paused.get(&id).copied()
    }

    /// Forgets the trigger state of one rule on every symbol (the rule was edited).
    pub fn reset_rule(&mut self, id: i64) {
        self.state.retain(|(r, _), _| *r != id);
        self.dirty.retain(|(r, _)| *r != id);
        self.breaker.recent.remove(&id);
        self.breaker.paused.remove(&id);
    }

    /// Trigger state that changed since the last call, to be stored.
    pub fn take_dirty_state(&mut self) -> Vec<(i64, Symbol, RuleState)> {
        let state = &self.state;
        self.dirty
            .drain()
            .filter_map(|k| state.get(&k).map(|st| (k.0, k.1, *st)))
            .collect()
    }

    /// Rules the circuit breaker paused since the last call.
    pub fn take_paused(&mut self) -> Vec<RulePaused> {
        std::mem::take(&mut self.breaker.notices)
    }

    /// Evaluates the rules that watch the updated symbol. `now_ms` is the engine's clock:
    /// data older than a rule's interval is not alerted on.
    pub fn on_update(&mut self, upd: &SeriesUpdate, now_ms: i64) -> Vec<Fired> {
        let mut fired = Vec::new();
        if !upd.live {
            return fired;
        }
        let RuleBook {
            rules,
            by_symbol,
            by_source,
            state,
            dirty,
            series,
            lookbacks,
            breaker,
            evaluations,
            ..
        } = self;
        let memo_key = (upd.symbol.clone(), upd.interval);
        let memo = series.entry(memo_key).or_insert_with(|| {
            let mut m = SeriesMemo::default();
            for &(k, bars) in lookbacks.get(&upd.interval).into_iter().flatten() {
                m.history.want(k, bars);
            }
            m
        });
        // No previous sample: the start, or the first update after a reconnect gap. Nothing
        // from before the gap may be compared with what comes after it.
        let gap = upd.prev.is_none();
        if gap {
            memo.last_close = None;
            memo.history.clear();
        }
        let fresh = now_ms - upd.at_ms <= upd.interval.millis();
        // A closed bar may be reported more than once; it counts once.
        let new_close =
            upd.bar.closed && memo.last_close.is_none_or(|(t, _)| t < upd.bar.open_time);
        let ids = by_symbol
            .get(&upd.symbol)
            .into_iter()
            .flatten()
            // `source: portfolio` watches every position; the account total is a series of
            // its own that rules name explicitly (`portfolio:total`).
            .chain(
                by_source
                    .get(upd.symbol.source())
                    .filter(|_| upd.symbol.as_str() != tw_core::portfolio::PORTFOLIO_TOTAL)
                    .into_iter()
                    .flatten(),
            );
        for id in ids {
            let Some(rule) = rules.get(id) else {
                continue;
            };
            if rule.spec.interval != upd.interval || (rule.on_close && !upd.bar.closed) {
                continue;
            }
            let prev = if rule.on_close {
                if !new_close {
                    continue;
                }
                memo.last_close.as_ref().map(|(_, m)| m)
            } else {
                upd.prev.as_ref()
            };
            let sample = Sample {
                cur: &upd.metrics,
                prev,
                history: Some(&memo.history),
            };
            *evaluations += 1;
            let holds = evaluate3(&rule.cond, sample);
            let key = (rule.id, upd.symbol.clone());
            let before = state.get(&key).copied().unwrap_or_default();
            let mut st = before;
            if gap {
                st.holding_since = None;
            }
            match holds {
                Some(true) => {
                    st.holding_since.get_or_insert(upd.bar.open_time);
                }
                Some(false) => {
                    st.disarmed = false;
                    st.holding_since = None;
                }
                None => st.holding_since = None,
            }
            if holds == Some(true)
                && fresh
                && allowed(rule, &st, upd)
                && !breaker.blocks(rule, upd.at_ms)
            {
                let f = rule.spec.frequency;
                st.last_fired_ms = Some(upd.at_ms);
                st.last_bar = Some(upd.bar.open_time);
                st.done = f.mode == FrequencyMode::Once;
                st.disarmed = f.rearm;
                st.fired += 1;
                fired.push(Fired {
                    alert: make_alert(rule, upd, sample),
                    disable_rule: f.mode == FrequencyMode::Once,
                    channels: rule.spec.channels.clone().unwrap_or_default(),
                });
            }
            if st != before {
                state.insert(key.clone(), st);
                dirty.insert(key);
            }
        }
        if new_close {
            memo.last_close = Some((upd.bar.open_time, upd.metrics));
            memo.history.push(&upd.metrics);
        }
        fired
    }
}

impl Breaker {
    /// Counts a firing against the rule's breaker; true when the rule is (now) paused.
    fn blocks(&mut self, rule: &CompiledRule, at_ms: i64) -> bool {
        if let Some(&until) = self.paused.get(&rule.id) {
            if at_ms < until {
                return true;
            }
            self.paused.remove(&rule.id);
        }
        let b = self.cfg;
        if b.max == 0 {
            return false;
        }
        let recent = self.recent.entry(rule.id).or_default();
        while recent.front().is_some_and(|&t| t <= at_ms - b.window_ms) {
            recent.pop_front();
        }
        if recent.len() as u32 >= b.max {
            let until_ms = at_ms + b.pause_ms;
            self.paused.insert(rule.id, until_ms);
            self.notices.push(RulePaused {
                rule_id: rule.id,
                rule_name: rule.spec.name.clone(),
                fired: recent.len() as u32,
                window_ms: b.window_ms,
                until_ms,
            });
            recent.clear();
            return true;
        }
        recent.push_back(at_ms);
        false
    }
}

/// The frequency rules, given that the condition holds now.
fn allowed(rule: &CompiledRule, st: &RuleState, upd: &SeriesUpdate) -> bool {
    let spec = &rule.spec;
    let f = spec.frequency;
    if st.done || (f.rearm && st.disarmed) || spec.expires_at.is_some_and(|e| upd.at_ms >= e) {
        return false;
    }
    if f.hold_bars > 1 {
        let since = st.holding_since.unwrap_or(upd.bar.open_time);
        let held = (upd.bar.open_time - since) / upd.interval.millis() + 1;
        if held < i64::from(f.hold_bars) {
            return false;
        }
    }
    let per_bar = match f.mode {
        FrequencyMode::OncePerBar | FrequencyMode::OncePerBarClose => {
            st.last_bar != Some(upd.bar.open_time)
        }
        FrequencyMode::Once | FrequencyMode::EveryTime => true,
    };
    per_bar
        && st
            .last_fired_ms
            .is_none_or(|t| upd.at_ms - t >= f.cooldown_s as i64 * 1000)
}

fn make_alert(rule: &CompiledRule, upd: &SeriesUpdate, sample: Sample<'_>) -> Alert {
    let mut keys = vec![MetricKey::Price];
    metrics_of(&rule.cond, &mut keys);
    let metrics: BTreeMap<String, f64> = keys
        .iter()
        .filter_map(|k| upd.metrics.get(*k).map(|v| (k.to_string(), v)))
        .collect();
    let mut reasons = Vec::new();
    describe(&rule.cond, sample, &mut reasons);
    let reasons = reasons.join(", ");
    let first = keys.get(1).copied().unwrap_or(MetricKey::Price);
    let template = rule.spec.message.as_deref().unwrap_or("{reasons}");
    let message = fill(template, |name| {
        Some(match name {
            "symbol" => upd.symbol.to_string(),
            "code" => upd.symbol.code().to_string(),
            "price" => fmt_num(upd.bar.close),
            "metric" => first.to_string(),
            "value" => upd.metrics.get(first).map(fmt_num).unwrap_or_default(),
            "rule" => rule.spec.name.clone(),
            "level" => rule.spec.level.as_str().to_string(),
            "interval" => upd.interval.to_string(),
            "reasons" => reasons.clone(),
            _ => return None,
        })
    });
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

/// Fills `{name}` placeholders in one pass, so a value that itself contains braces (a rule
/// name) is never expanded again. Unknown placeholders are left as written.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => match value(&after[..close]) {
                Some(v) => {
                    out.push_str(&v);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            },
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
