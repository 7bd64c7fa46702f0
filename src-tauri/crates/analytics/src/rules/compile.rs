//! Validates a rule spec and turns it into its cheap runtime form.

use super::eval::{Node, Rhs};
use crate::metric::MetricKey;
use tw_core::rule::{Condition, Operand, RuleSpec, RULE_VERSION};
use tw_core::{Interval, Symbol};

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
}

const MAX_COOLDOWN_S: u64 = 30 * 24 * 3600;
const MAX_DEPTH: usize = 8;

/// Checks everything about a rule that does not need the store; `now_ms` judges `expires_at`
/// (pass `None` when loading stored rules, which may have expired since).
pub fn compile(id: i64, spec: &RuleSpec, now_ms: Option<i64>) -> Result<CompiledRule, RuleError> {
    if spec.version == 0 || spec.version > RULE_VERSION {
        return Err(err(
            "version",
            format!(
                "rule version {} is not one this app understands (1 to {RULE_VERSION})",
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
    if spec.interval != Interval::M1 {
        return Err(err(
            "interval",
            format!("{} bars are not built yet; use 1m", spec.interval),
        ));
    }
    let cond = compile_cond(&spec.when, "when", 0)?;
    if spec.frequency.cooldown_s > MAX_COOLDOWN_S {
        return Err(err(
            "frequency.cooldown_s",
            "must be at most 30 days (2592000 s)",
        ));
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
    Ok(CompiledRule {
        id,
        spec: spec.clone(),
        cond,
        symbols,
    })
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
        Condition::Cmp(cmp) => {
            let lhs = metric(&cmp.metric, &format!("{path}.metric"))?;
            let rhs = match &cmp.value {
                Operand::Number(v) if v.is_finite() => Rhs::Num(*v),
                Operand::Number(_) => {
                    return Err(err(format!("{path}.value"), "must be a finite number"))
                }
                Operand::Metric { metric: m } => {
                    Rhs::Metric(metric(m, &format!("{path}.value.metric"))?)
                }
            };
            Node::Leaf {
                lhs,
                op: cmp.op,
                rhs,
            }
        }
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
                base(r#"{"metric":"price","op":"gt","value":1}"#).replace("\"1m\"", "\"1h\""),
                "interval",
                "use 1m",
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
