//! The engine handle's alert history and rule book-keeping: history, acknowledge/resolve,
//! statistics, CSV; rule import/export/duplicate.

use crate::rules_stage::RulesMsg;
use crate::{EngineError, EngineHandle};
use tw_analytics::rules::compile;
use tw_core::history::{AlertEntry, AlertQuery, AlertStats};
use tw_core::ipc::RuleRecord;
use tw_core::rule::{RuleSpec, RULE_VERSION};

/// A rules file: `{"version": 2, "rules": [...]}`, a bare list, or a single rule.
#[derive(serde::Serialize)]
struct RulesFile<'a> {
    version: u32,
    rules: Vec<&'a RuleSpec>,
}

/// Reads a rules file and validates every rule; the error names the rule and the field
/// (`rules[2].when.metric: unknown metric "volme_z"`). Nothing is half-imported.
pub fn parse_rules_file(json: &str, now_ms: i64) -> Result<Vec<RuleSpec>, EngineError> {
    let v: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| EngineError::InvalidInput(format!("not JSON: {e}")))?;
    let (items, prefix) = match &v {
        serde_json::Value::Array(a) => (a.clone(), "rules"),
        serde_json::Value::Object(o) if o.contains_key("rules") => {
            let list = o["rules"].as_array().cloned().ok_or_else(|| {
                EngineError::InvalidInput("rules: must be a list of rules".into())
            })?;
            (list, "rules")
        }
        serde_json::Value::Object(_) => (vec![v.clone()], "rule"),
        _ => {
            return Err(EngineError::InvalidInput(
                "a rules file is a rule, a list of rules, or {\"rules\": [...]}".into(),
            ))
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let at = if prefix == "rule" {
            "rule".to_string()
        } else {
            format!("rules[{i}]")
        };
        let spec: RuleSpec = serde_json::from_value(item)
            .map_err(|e| EngineError::InvalidInput(format!("{at}: {e}")))?;
        compile(0, &spec, Some(now_ms))
            .map_err(|e| EngineError::InvalidInput(format!("{at}.{}: {}", e.field, e.reason)))?;
        out.push(spec);
    }
    Ok(out)
}

/// The rules as a file that [`parse_rules_file`] reads back.
pub fn rules_file(records: &[RuleRecord]) -> String {
    let file = RulesFile {
        version: RULE_VERSION,
        rules: records.iter().map(|r| &r.spec).collect(),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

impl EngineHandle {
    pub async fn alert_history(&self, q: &AlertQuery) -> Result<Vec<AlertEntry>, EngineError> {
        Ok(self.0.store.alert_history(q).await?)
    }

    pub async fn acknowledge_alerts(&self, ids: &[i64]) -> Result<u64, EngineError> {
        Ok(self
            .0
            .store
            .acknowledge_alerts(ids, self.0.clock.now_ms())
            .await?)
    }

    pub async fn resolve_alerts(&self, ids: &[i64]) -> Result<u64, EngineError> {
        Ok(self
            .0
            .store
            .resolve_alerts(ids, self.0.clock.now_ms())
            .await?)
    }

    pub async fn alert_stats(
        &self,
        q: &AlertQuery,
        utc_offset_min: i32,
    ) -> Result<AlertStats, EngineError> {
        Ok(self.0.store.alert_stats(q, utc_offset_min).await?)
    }

    pub async fn export_alerts_csv(&self, q: &AlertQuery) -> Result<String, EngineError> {
        Ok(self.0.store.export_alerts_csv(q).await?)
    }

    /// Imports a rules file (all or nothing) and returns the new rules.
    pub async fn import_rules(&self, json: &str) -> Result<Vec<RuleRecord>, EngineError> {
        let now = self.0.clock.now_ms();
        let specs = parse_rules_file(json, now)?;
        let mut out = Vec::with_capacity(specs.len());
        for s in &specs {
            out.push(self.0.store.insert_rule(s, now).await?);
        }
        self.reload_rules().await?;
        Ok(out)
    }

    pub async fn export_rules(&self) -> Result<String, EngineError> {
        Ok(rules_file(&self.0.store.rules().await?))
    }

    /// A copy of a rule, named "… (copy)", switched off so it does not fire twice at once.
    pub async fn duplicate_rule(&self, id: i64) -> Result<RuleRecord, EngineError> {
        let mut spec = self.0.store.rule(id).await?.spec;
        let name: String = spec.name.chars().take(110).collect();
        spec.name = format!("{name} (copy)");
        spec.enabled = false;
        let rec = self
            .0
            .store
            .insert_rule(&spec, self.0.clock.now_ms())
            .await?;
        self.reload_rules().await?;
        Ok(rec)
    }

    /// Watchlist `name` was edited: rules that follow it watch its new symbols from now on.
    pub async fn watchlist_changed(&self, name: &str) -> Result<(), EngineError> {
        let symbols = self.0.store.watchlist(name).await?;
        let symbols = symbols
            .iter()
            .filter_map(|s| tw_core::Symbol::parse(s).ok())
            .collect();
        self.0
            .rules_tx
            .send(RulesMsg::Watchlist(name.to_string(), symbols))
            .await
            .map_err(|_| EngineError::Stopped)
    }

    /// After an edit, a rule starts with fresh trigger state.
    pub async fn reset_rule_state(&self, id: i64) -> Result<(), EngineError> {
        self.0.store.clear_rule_state(id).await?;
        self.0.store.clear_rule_pause(id).await?;
        self.0
            .rules_tx
            .send(RulesMsg::ResetRule(id))
            .await
            .map_err(|_| EngineError::Stopped)
    }
}
