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

pub const RULE_VERSION: u32 = 1;

fn default_version() -> u32 {
    RULE_VERSION
}
fn default_true() -> bool {
    true
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
    /// Ms since the Unix epoch after which the rule no longer fires; null: open-ended.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Message template; `{symbol}`, `{price}`, `{metric}`, `{value}`, `{rule}` are filled in.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message: Option<String>,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    pub metric: String,
    pub op: Op,
    pub value: Operand,
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
}

impl Op {
    pub const ALL: [Op; 7] = [
        Op::Gt,
        Op::Lt,
        Op::Ge,
        Op::Le,
        Op::Crosses,
        Op::CrossesUp,
        Op::CrossesDown,
    ];
    /// Edge operators need the previous sample to decide.
    pub fn is_edge(self) -> bool {
        matches!(self, Op::Crosses | Op::CrossesUp | Op::CrossesDown)
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
        assert_eq!(r.version, 1);
        assert_eq!(r.level, Level::High);
        let Condition::All { all } = &r.when else {
            panic!("not a group")
        };
        assert_eq!(
            all[1],
            Condition::Cmp(Comparison {
                metric: "price".into(),
                op: Op::CrossesUp,
                value: Operand::Metric {
                    metric: "bb_upper".into()
                }
            })
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
}
