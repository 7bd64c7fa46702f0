//! The rule model as the rule editor writes it and SQLite stores it (JSON).
//!
//! ```json
//! { "name": "BTC volume burst",
//!   "target": { "symbols": ["binance-usdm:BTCUSDT"] },
//!   "interval": "1m",
//!   "when": { "all": [ { "metric": "volume_z", "op": "gt", "value": 3 },
//!                      { "metric": "price", "op": "crosses_up", "value": { "metric": "bb_upper" } } ] },
//!   "level": "high",
//!   "frequency": { "mode": "once_per_bar", "cooldown_s": 300 },
//!   "expires_at": null,
//!   "enabled": true }
//! ```
//! Parsing checks the shape (unknown fields are refused); `tw_analytics::rules::compile`
//! checks the meaning and names the field that is wrong.

use crate::alert::Level;
use crate::market::Interval;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The newest rule format this app writes. Version 1 (comparisons and crossings only) is
/// version 2 without the optional fields, so old exports load unchanged.
pub const RULE_VERSION: u32 = 2;

fn default_version() -> u32 {
    RULE_VERSION
}
fn default_true() -> bool {
    true
}
fn is_false(b: &bool) -> bool {
    !*b
}
fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    #[serde(default = "default_version")]
    pub version: u32,
    pub name: String,
    pub target: Target,
    pub interval: Interval,
    pub when: Condition,
    #[serde(default)]
    pub level: Level,
    #[serde(default)]
    pub frequency: Frequency,
    /// Evaluate on every update of the live (partial) bar, or only when a bar closes.
    #[serde(default)]
    #[serde(skip_serializing_if = "EvalMode::is_live")]
    #[ts(optional, as = "Option<EvalMode>")]
    pub evaluate: EvalMode,
    /// Ms since the Unix epoch after which the rule no longer fires; null: open-ended.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Message template; `{symbol}`, `{price}`, `{metric}`, `{value}`, `{rule}`, `{level}`,
    /// `{interval}` and `{reasons}` are filled in.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message: Option<String>,
    /// Where the alert is delivered besides the app itself; absent: the OS notification.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub channels: Option<Channels>,
}

/// When a rule looks at the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum EvalMode {
    /// Every update of the bar that is still forming.
    #[default]
    Live,
    /// Only the final values of a closed bar.
    BarClose,
}

impl EvalMode {
    pub fn is_live(&self) -> bool {
        *self == EvalMode::Live
    }
}

/// Delivery channels of one rule. The app's own alert list and the tray always get it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    /// A native OS notification.
    #[serde(default = "default_true")]
    pub notification: bool,
    /// The sound chosen for the alert's level (if sounds are on).
    #[serde(default)]
    pub sound: bool,
    /// Names of configured webhooks (generic, Telegram, DingTalk, Feishu, Slack, Discord).
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub webhooks: Vec<String>,
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            notification: true,
            sound: false,
            webhooks: Vec::new(),
        }
    }
}

/// What a rule watches. At least one of the fields must be given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub symbols: Vec<String>,
    /// Name of a watchlist; the rule follows symbols added to or removed from it.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub watchlist: Option<String>,
    /// A whole source's universe, e.g. `demo`.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source: Option<String>,
}

/// A condition: a comparison, or an `all`/`any` group of conditions.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(untagged)]
pub enum Condition {
    All { all: Vec<Condition> },
    Any { any: Vec<Condition> },
    Cmp(Comparison),
}

// Hand-written so that a wrong condition gets a message that names what is wrong, instead of
// serde's "data did not match any variant".
impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let obj = v
            .as_object()
            .ok_or_else(|| de::Error::custom("a condition must be an object"))?;
        let group = |key: &str| -> Result<Vec<Condition>, D::Error> {
            if obj.len() != 1 {
                return Err(de::Error::custom(format!(
                    "a group has only the field `{key}`"
                )));
            }
            Vec::<Condition>::deserialize(&obj[key]).map_err(de::Error::custom)
        };
        if obj.contains_key("all") {
            Ok(Condition::All { all: group("all")? })
        } else if obj.contains_key("any") {
            Ok(Condition::Any { any: group("any")? })
        } else {
            Comparison::deserialize(v)
                .map(Condition::Cmp)
                .map_err(de::Error::custom)
        }
    }
}

/// One test of a metric, as TradingView words it:
/// - `gt lt ge le crosses crosses_up crosses_down` compare with `value`;
/// - `entering_channel exiting_channel inside_channel outside_channel` use `lower` and
///   `upper` (each a number or a metric);
/// - `moving_up moving_down` (by `value` in the metric's unit) and `moving_up_pct
///   moving_down_pct` (by `value` %) look back `bars` closed bars.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    pub metric: String,
    pub op: Op,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<Operand>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lower: Option<Operand>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub upper: Option<Operand>,
    /// Look-back of the moving operators, in bars of the rule's interval.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bars: Option<u32>,
}

impl Comparison {
    /// A comparison against one value (the common case).
    pub fn new(metric: &str, op: Op, value: Operand) -> Self {
        Comparison {
            metric: metric.to_string(),
            op,
            value: Some(value),
            lower: None,
            upper: None,
            bars: None,
        }
    }
}

/// The right-hand side: a number or another metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum Operand {
    Number(f64),
    Metric { metric: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Gt,
    Lt,
    Ge,
    Le,
    Crosses,
    CrossesUp,
    CrossesDown,
    EnteringChannel,
    ExitingChannel,
    InsideChannel,
    OutsideChannel,
    MovingUp,
    MovingDown,
    MovingUpPct,
    MovingDownPct,
}

/// The shape of the right-hand side an operator takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    /// `value`: a number or a metric.
    Compare,
    /// `lower` and `upper`.
    Channel,
    /// `value` (a number) within `bars`.
    Moving,
}

impl Op {
    pub const ALL: [Op; 15] = [
        Op::Gt,
        Op::Lt,
        Op::Ge,
        Op::Le,
        Op::Crosses,
        Op::CrossesUp,
        Op::CrossesDown,
        Op::EnteringChannel,
        Op::ExitingChannel,
        Op::InsideChannel,
        Op::OutsideChannel,
        Op::MovingUp,
        Op::MovingDown,
        Op::MovingUpPct,
        Op::MovingDownPct,
    ];
    /// Edge operators need the previous sample to decide.
    pub fn is_edge(self) -> bool {
        matches!(
            self,
            Op::Crosses
                | Op::CrossesUp
                | Op::CrossesDown
                | Op::EnteringChannel
                | Op::ExitingChannel
        )
    }
    pub fn kind(self) -> OpKind {
        match self {
            Op::EnteringChannel | Op::ExitingChannel | Op::InsideChannel | Op::OutsideChannel => {
                OpKind::Channel
            }
            Op::MovingUp | Op::MovingDown | Op::MovingUpPct | Op::MovingDownPct => OpKind::Moving,
            _ => OpKind::Compare,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyMode {
    /// Fires the first time, then the rule disables itself.
    Once,
    /// At most once per bar of the rule's interval.
    #[default]
    OncePerBar,
    /// Only on a closed bar.
    OncePerBarClose,
    /// Every time the condition holds, subject to the cooldown.
    EveryTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS, Default)]
#[serde(deny_unknown_fields)]
pub struct Frequency {
    pub mode: FrequencyMode,
    /// Minimum seconds between two alerts of this rule for the same symbol.
    #[serde(default)]
    #[ts(type = "number")]
    pub cooldown_s: u64,
    /// Hysteresis: after firing, fire again only once the condition has been false.
    #[serde(default)]
    #[serde(skip_serializing_if = "is_false")]
    #[ts(optional, as = "Option<bool>")]
    pub rearm: bool,
    /// Pending period: the condition must hold over this many consecutive bars (0 or 1:
    /// fire at once).
    #[serde(default)]
    #[serde(skip_serializing_if = "is_zero")]
    #[ts(optional, as = "Option<u32>")]
    pub hold_bars: u32,
}

impl RuleSpec {
    /// Parses the JSON of a rule; the error names the field serde stumbled on.
    pub fn from_json(s: &str) -> Result<RuleSpec, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{ "name": "BTC volume burst",
      "target": { "symbols": ["binance-usdm:BTCUSDT"] },
      "interval": "1m",
      "when": { "all": [ { "metric": "volume_z", "op": "gt", "value": 3 },
                         { "metric": "price", "op": "crosses_up", "value": { "metric": "bb_upper" } } ] },
      "level": "high",
      "frequency": { "mode": "once_per_bar", "cooldown_s": 300 },
      "expires_at": null,
      "enabled": true }"#;

    #[test]
    fn parses_the_documented_example_and_round_trips() {
        let r = RuleSpec::from_json(EXAMPLE).unwrap();
        assert_eq!(r.version, RULE_VERSION);
        assert_eq!(r.level, Level::High);
        let Condition::All { all } = &r.when else {
            panic!("not a group")
        };
        assert_eq!(
            all[1],
            Condition::Cmp(Comparison::new(
                "price",
                Op::CrossesUp,
                Operand::Metric {
                    metric: "bb_upper".into()
                }
            ))
        );
        let back = serde_json::to_string(&r).unwrap();
        assert_eq!(RuleSpec::from_json(&back).unwrap(), r);
    }

    #[test]
    fn shape_errors_name_the_field() {
        let e = RuleSpec::from_json(&EXAMPLE.replace("\"level\"", "\"levle\"")).unwrap_err();
        assert!(e.contains("unknown field `levle`"), "{e}");
        let e = RuleSpec::from_json(&EXAMPLE.replace("\"gt\"", "\"bigger\"")).unwrap_err();
        assert!(e.contains("bigger"), "{e}");
        let e = RuleSpec::from_json(&EXAMPLE.replace("\"1m\"", "\"2m\"")).unwrap_err();
        assert!(e.contains("2m"), "{e}");
        let e = RuleSpec::from_json(r#"{"name":"x","target":{},"interval":"1m"}"#).unwrap_err();
        assert!(e.contains("missing field `when`"), "{e}");
    }

    #[test]
    fn a_version_1_export_loads_and_new_fields_default() {
        let v1 = EXAMPLE.replace("\"name\"", "\"version\": 1, \"name\"");
        let r = RuleSpec::from_json(&v1).unwrap();
        assert_eq!(r.version, 1);
        assert_eq!(r.evaluate, EvalMode::Live);
        assert!(!r.frequency.rearm && r.frequency.hold_bars == 0);
        assert_eq!(r.channels, None);
        // Defaults are not written back, so a v1 rule stays readable by a v1 app.
        let back = serde_json::to_string(&r).unwrap();
        assert!(!back.contains("evaluate") && !back.contains("rearm") && !back.contains("lower"));
    }

    #[test]
    fn channel_and_moving_operators_parse() {
        let j = r#"{"name":"c","target":{"source":"demo"},"interval":"5m","evaluate":"bar_close",
            "when":{"any":[
              {"metric":"price","op":"entering_channel","lower":{"metric":"bb_lower"},"upper":100},
              {"metric":"price","op":"moving_up_pct","value":5,"bars":10}]},
            "frequency":{"mode":"every_time","cooldown_s":60,"rearm":true,"hold_bars":2},
            "channels":{"notification":false,"sound":true,"webhooks":["team-slack"]}}"#;
        let r = RuleSpec::from_json(j).unwrap();
        assert_eq!(r.evaluate, EvalMode::BarClose);
        assert!(r.frequency.rearm);
        assert_eq!(r.frequency.hold_bars, 2);
        let Condition::Any { any } = &r.when else {
            panic!("not a group")
        };
        let Condition::Cmp(c) = &any[0] else {
            panic!("not a comparison")
        };
        assert_eq!(c.op.kind(), OpKind::Channel);
        assert_eq!(c.upper, Some(Operand::Number(100.0)));
        let Condition::Cmp(m) = &any[1] else {
            panic!("not a comparison")
        };
        assert_eq!((m.op, m.bars), (Op::MovingUpPct, Some(10)));
        assert_eq!(r.channels.as_ref().unwrap().webhooks, vec!["team-slack"]);
        let back = serde_json::to_string(&r).unwrap();
        assert_eq!(RuleSpec::from_json(&back).unwrap(), r);
        let e = RuleSpec::from_json(&j.replace("\"bars\"", "\"bras\"")).unwrap_err();
        assert!(e.contains("bras"), "{e}");
    }
}
