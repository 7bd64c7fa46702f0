//! Validates a rule spec and turns it into its cheap runtime form.

use super::eval::{has_edge, lookbacks_of, Leaf, Node, Rhs, Test};
use crate::metric::MetricKey;
use tw_core::rule::{
    Comparison, Condition, FrequencyMode, Op, OpKind, Operand, RuleSpec, RULE_VERSION,
};
use tw_core::Symbol;

/// A rule the user must fix: `field` is a path into the rule's JSON (`when.all[1].metric`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct RuleError {
    pub field: String,
    pub reason: String,
}

fn err(field: impl Into<String>, reason: impl Into<String>) -> RuleError {
    RuleError {
        field: field.into(),
        reason: reason.into(),
    }
}

/// A validated rule, ready to evaluate.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    pub id: i64,
    pub spec: RuleSpec,
    pub cond: Node,
    pub symbols: Vec<Symbol>,
    /// (metric, bars) that moving operators look back on.
    pub lookbacks: Vec<(MetricKey, u32)>,
    /// Evaluated on closed bars only (`evaluate: bar_close` or `once_per_bar_close`).
    pub on_close: bool,
}

const MAX_COOLDOWN_S: u64 = 30 * 24 * 3600;
const MAX_DEPTH: usize = 8;
/// Longest look-back of a moving operator, and longest pending period, in bars.
pub const MAX_BARS: u32 = 500;

/// Checks everything about a rule that does not need the store; `now_ms` judges `expires_at`
/// (pass `None` when loading stored rules, which may have expired since).
pub fn compile(id: i64, spec: &RuleSpec, now_ms: Option<i64>) -> Result<CompiledRule, RuleError> {
    if spec.version == 0 || spec.version > RULE_VERSION {
        return Err(err(
            "version",
            format!(
                "rule version {} is not one this app understands (1 to {RULE_VERSION}); \
                 update Tickwarden to load it",
                spec.version
            ),
        ));
    }
    let name = spec.name.trim();
    if name.is_empty() {
        return Err(err("name", "must not be empty"));
    }
    if name.chars().count() > 120 {
        return Err(err("name", "must be at most 120 characters"));
    }
    let t = &spec.target;
    if t.symbols.is_empty() && t.watchlist.is_none() && t.source.is_none() {
        return Err(err(
            "target",
            "name at least one of `symbols`, `watchlist` or `source`",
        ));
    }
    let mut symbols = Vec::with_capacity(t.symbols.len());
    for (i, s) in t.symbols.iter().enumerate() {
        symbols.push(
            Symbol::parse(s).map_err(|e| err(format!("target.symbols[{i}]"), e.to_string()))?,
        );
    }
    if let Some(w) = &t.watchlist {
        if w.trim().is_empty() {
            return Err(err("target.watchlist", "must not be empty"));
        }
    }
    if let Some(src) = &t.source {
        if src.is_empty()
            || !src
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(err(
                "target.source",
                format!("{src:?} is not a source name such as \"demo\""),
            ));
        }
    }
    // Every interval (1m … 1d) is built by the series stage (rolled up from finer bars where
    // a source does not send it), so a rule may name any of them.
    let cond = compile_cond(&spec.when, "when", 0)?;
    if spec.frequency.cooldown_s > MAX_COOLDOWN_S {
        return Err(err(
            "frequency.cooldown_s",
            "must be at most 30 days (2592000 s)",
        ));
    }
    let hold = spec.frequency.hold_bars;
    if hold > MAX_BARS {
        return Err(err(
            "frequency.hold_bars",
            format!("must be at most {MAX_BARS} bars"),
        ));
    }
    if hold > 1 && has_edge(&cond) {
        return Err(err(
            "frequency.hold_bars",
            "a crossing, entering or exiting is an instant and cannot hold over bars; use a \
             state test such as gt or inside_channel",
        ));
    }
    if let Some(ch) = &spec.channels {
        for (i, w) in ch.webhooks.iter().enumerate() {
            if !valid_channel_name(w) {
                return Err(err(
                    format!("channels.webhooks[{i}]"),
                    format!("{w:?} is not a webhook name (lowercase letters, digits and '-')"),
                ));
            }
        }
    }
    if let (Some(exp), Some(now)) = (spec.expires_at, now_ms) {
        if exp <= now {
            return Err(err("expires_at", "lies in the past"));
        }
    }
    if let Some(m) = &spec.message {
        if m.chars().count() > 500 {
            return Err(err("message", "must be at most 500 characters"));
        }
    }
    let mut lookbacks = Vec::new();
    lookbacks_of(&cond, &mut lookbacks);
    Ok(CompiledRule {
        id,
        on_close: spec.evaluate == tw_core::rule::EvalMode::BarClose
            || spec.frequency.mode == FrequencyMode::OncePerBarClose,
        spec: spec.clone(),
        cond,
        symbols,
        lookbacks,
    })
}

/// A condition on its own (a strategy's entry or exit), validated like a rule's `when`; the
/// error names the field under `path`. Returns the condition and its look-backs.
pub fn compile_condition(
    c: &Condition,
    path: &str,
) -> Result<(Node, Vec<(MetricKey, u32)>), RuleError> {
    let cond = compile_cond(c, path, 0)?;
    let mut lookbacks = Vec::new();
    lookbacks_of(&cond, &mut lookbacks);
    Ok((cond, lookbacks))
}

/// Names of webhooks (and keyring entries): what `tw_os::secrets` accepts.
pub fn valid_channel_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 48
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn metric(name: &str, field: &str) -> Result<MetricKey, RuleError> {
    MetricKey::parse(name).ok_or_else(|| {
        err(
            field,
            format!(
                "unknown metric {name:?}; known metrics: {}",
                MetricKey::known_names()
            ),
        )
    })
}

fn compile_cond(c: &Condition, path: &str, depth: usize) -> Result<Node, RuleError> {
    if depth > MAX_DEPTH {
        return Err(err(
            path,
            format!("groups nest deeper than {MAX_DEPTH} levels"),
        ));
    }
    let group = |items: &[Condition], key: &str| -> Result<Vec<Node>, RuleError> {
        if items.is_empty() {
            return Err(err(
                format!("{path}.{key}"),
                "an empty group can never fire",
            ));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, c)| compile_cond(c, &format!("{path}.{key}[{i}]"), depth + 1))
            .collect()
    };
    Ok(match c {
        Condition::All { all } => Node::All(group(all, "all")?),
        Condition::Any { any } => Node::Any(group(any, "any")?),
        Condition::Cmp(cmp) => Node::Leaf(compile_cmp(cmp, path)?),
    })
}

fn operand(o: &Operand, field: &str) -> Result<Rhs, RuleError> {
    match o {
        Operand::Number(v) if v.is_finite() => Ok(Rhs::Num(*v)),
        Operand::Number(_) => Err(err(field, "must be a finite number")),
        Operand::Metric { metric: m } => Ok(Rhs::Metric(metric(m, &format!("{field}.metric"))?)),
    }
}

fn compile_cmp(cmp: &Comparison, path: &str) -> Result<Leaf, RuleError> {
    let lhs = metric(&cmp.metric, &format!("{path}.metric"))?;
    let op_name = serde_json::to_string(&cmp.op).unwrap_or_default();
    let op_name = op_name.trim_matches('"');
    let refuse = |field: &str, what: &str| -> Result<Leaf, RuleError> {
        Err(err(
            format!("{path}.{field}"),
            format!("{op_name} does not take {what}"),
        ))
    };
    let need =
        |field: &str, what: &str| err(format!("{path}.{field}"), format!("{op_name} needs {what}"));
    let test = match cmp.op.kind() {
        OpKind::Compare => {
            if cmp.lower.is_some() || cmp.upper.is_some() {
                return refuse("lower", "channel bounds; use `value`");
            }
            if cmp.bars.is_some() {
                return refuse("bars", "a look-back");
            }
            let v = cmp
                .value
                .as_ref()
                .ok_or_else(|| need("value", "a `value` (a number or {\"metric\": …})"))?;
            Test::Value(operand(v, &format!("{path}.value"))?)
        }
        OpKind::Channel => {
            if cmp.value.is_some() {
                return refuse("value", "`value`; give `lower` and `upper`");
            }
            if cmp.bars.is_some() {
                return refuse("bars", "a look-back");
            }
            let lo = cmp
                .lower
                .as_ref()
                .ok_or_else(|| need("lower", "a `lower` bound"))?;
            let hi = cmp
                .upper
                .as_ref()
                .ok_or_else(|| need("upper", "an `upper` bound"))?;
            let (lower, upper) = (
                operand(lo, &format!("{path}.lower"))?,
                operand(hi, &format!("{path}.upper"))?,
            );
            if let (Rhs::Num(a), Rhs::Num(b)) = (&lower, &upper) {
                if a > b {
                    return Err(err(
                        format!("{path}.lower"),
                        format!("the lower bound {a} is above the upper bound {b}"),
                    ));
                }
            }
            Test::Channel { lower, upper }
        }
        OpKind::Moving => {
            if cmp.lower.is_some() || cmp.upper.is_some() {
                return refuse("lower", "channel bounds");
            }
            let amount = match cmp
                .value
                .as_ref()
                .ok_or_else(|| need("value", "the amount to move by"))?
            {
                Operand::Number(v) if v.is_finite() && *v > 0.0 => *v,
                Operand::Number(_) => {
                    return Err(err(format!("{path}.value"), "must be a number above 0"))
                }
                Operand::Metric { .. } => {
                    return Err(err(
                        format!("{path}.value"),
                        "the amount to move by must be a number, not a metric",
                    ))
                }
            };
            let bars = cmp
                .bars
                .ok_or_else(|| need("bars", "`bars`, the look-back in bars"))?;
            if bars == 0 || bars > MAX_BARS {
                return Err(err(
                    format!("{path}.bars"),
                    format!("must be from 1 to {MAX_BARS}"),
                ));
            }
            if matches!(cmp.op, Op::MovingUpPct | Op::MovingDownPct) && amount >= 1e6 {
                return Err(err(
                    format!("{path}.value"),
                    "a move of a million % never happens",
                ));
            }
            Test::Moving { amount, bars }
        }
    };
    Ok(Leaf {
        lhs,
        op: cmp.op,
        test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> RuleSpec {
        RuleSpec::from_json(json).unwrap()
    }
    fn base(when: &str) -> String {
        format!(
            r#"{{"name":"r","target":{{"symbols":["demo:ALPHA"]}},"interval":"1m","when":{when}}}"#
        )
    }

    #[test]
    fn names_the_field_and_the_reason() {
        let cases = [
            (
                base(r#"{"metric":"volme_z","op":"gt","value":3}"#),
                "when.metric",
                "unknown metric \"volme_z\"",
            ),
            (
                base(
                    r#"{"all":[{"metric":"price","op":"gt","value":1},{"metric":"price","op":"gt","value":{"metric":"nope"}}]}"#,
                ),
                "when.all[1].value.metric",
                "unknown metric",
            ),
            (base(r#"{"any":[]}"#), "when.any", "empty group"),
            (
                base(r#"{"metric":"price","op":"gt","value":1}"#).replace("\"r\"", "\"  \""),
                "name",
                "must not be empty",
            ),
            (
                base(r#"{"metric":"price","op":"gt","value":1}"#).replace("demo:ALPHA", "ALPHA"),
                "target.symbols[0]",
                "source:CODE",
            ),
            (
                base(r#"{"metric":"price","op":"gt","value":1}"#)
                    .replace("\"symbols\":[\"demo:ALPHA\"]", ""),
                "target",
                "at least one",
            ),
            (
                base(r#"{"metric":"price","op":"inside_channel","value":3}"#),
                "when.value",
                "inside_channel does not take `value`",
            ),
            (
                base(r#"{"metric":"price","op":"exiting_channel","lower":3}"#),
                "when.upper",
                "needs an `upper` bound",
            ),
            (
                base(r#"{"metric":"price","op":"inside_channel","lower":3,"upper":2}"#),
                "when.lower",
                "above the upper bound",
            ),
            (
                base(
                    r#"{"metric":"price","op":"outside_channel","lower":{"metric":"bb_lowr"},"upper":2}"#,
                ),
                "when.lower.metric",
                "unknown metric",
            ),
            (
                base(r#"{"metric":"price","op":"moving_up","value":3}"#),
                "when.bars",
                "needs `bars`",
            ),
            (
                base(r#"{"metric":"price","op":"moving_down_pct","value":-3,"bars":5}"#),
                "when.value",
                "above 0",
            ),
            (
                base(r#"{"metric":"price","op":"moving_up","value":{"metric":"volume"},"bars":5}"#),
                "when.value",
                "not a metric",
            ),
            (
                base(r#"{"metric":"price","op":"moving_up","value":1,"bars":0}"#),
                "when.bars",
                "from 1 to 500",
            ),
            (
                base(r#"{"metric":"price","op":"gt"}"#),
                "when.value",
                "gt needs a `value`",
            ),
            (
                base(r#"{"metric":"price","op":"gt","value":1,"bars":3}"#),
                "when.bars",
                "does not take a look-back",
            ),
            (
                base(r#"{"metric":"price","op":"crosses_up","value":1}"#).replace(
                    "}}",
                    r#"},"frequency":{"mode":"once_per_bar","hold_bars":2}}"#,
                ),
                "frequency.hold_bars",
                "instant",
            ),
            (
                base(r#"{"metric":"price","op":"gt","value":1}"#)
                    .replace("}}", r#"},"channels":{"webhooks":["Team Slack"]}}"#),
                "channels.webhooks[0]",
                "not a webhook name",
            ),
            (
                base(r#"{"metric":"price","op":"gt","value":1}"#)
                    .replace("{\"name\"", "{\"version\":9,\"name\""),
                "version",
                "update Tickwarden",
            ),
        ];
        for (json, field, reason) in cases {
            let e = compile(1, &spec(&json), None).unwrap_err();
            assert_eq!(e.field, field, "{json}");
            assert!(e.reason.contains(reason), "{e}");
        }
    }

    #[test]
    fn accepts_a_valid_rule_and_judges_expiry_against_now() {
        let mut s = spec(&base(
            r#"{"metric":"volume_z","op":"crosses_up","value":3}"#,
        ));
        let c = compile(7, &s, Some(0)).unwrap();
        assert_eq!(c.symbols, vec![Symbol::new("demo", "ALPHA")]);
        s.expires_at = Some(1_000);
        assert_eq!(compile(7, &s, Some(2_000)).unwrap_err().field, "expires_at");
        assert!(
            compile(7, &s, None).is_ok(),
            "stored rules load even when expired"
        );
        s.frequency.cooldown_s = 40 * 24 * 3600;
        assert_eq!(
            compile(7, &s, None).unwrap_err().field,
            "frequency.cooldown_s"
        );
    }
}
