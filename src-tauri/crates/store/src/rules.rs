//! Rules: the user's RuleSpec as JSON, plus bookkeeping columns.

use crate::{Result, Store, StoreError};
use tw_core::ipc::RuleRecord;
use tw_core::rule::RuleSpec;

#[derive(sqlx::FromRow)]
struct RuleRow {
    id: i64,
    spec: String,
    created_at: i64,
}

impl Store {
    /// Stores a new rule and returns it with its id.
    pub async fn insert_rule(&self, spec: &RuleSpec, now_ms: i64) -> Result<RuleRecord> {
        let json = self.rule_json(spec)?;
        let row: RuleRow = sqlx::query_as(
            "INSERT INTO rules (spec, enabled, created_at, updated_at) VALUES (?, ?, ?, ?) \
             RETURNING id, spec, created_at",
        )
        .bind(json)
        .bind(spec.enabled)
        .bind(now_ms)
        .bind(now_ms)
        .fetch_one(self.pool())
        .await?;
        self.rule_record(row)
    }

    /// Replaces the spec of rule `id`.
    pub async fn update_rule(&self, id: i64, spec: &RuleSpec, now_ms: i64) -> Result<RuleRecord> {
        let json = self.rule_json(spec)?;
        let row: Option<RuleRow> = sqlx::query_as(
            "UPDATE rules SET spec = ?, enabled = ?, updated_at = ? WHERE id = ? \
             RETURNING id, spec, created_at",
        )
        .bind(json)
        .bind(spec.enabled)
        .bind(now_ms)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        self.found(id, row)
    }

    /// Every rule, by id.
    pub async fn rules(&self) -> Result<Vec<RuleRecord>> {
        let rows: Vec<RuleRow> =
            sqlx::query_as("SELECT id, spec, created_at FROM rules ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        rows.into_iter().map(|r| self.rule_record(r)).collect()
    }

    pub async fn rule(&self, id: i64) -> Result<RuleRecord> {
        let row: Option<RuleRow> =
            sqlx::query_as("SELECT id, spec, created_at FROM rules WHERE id = ?")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        self.found(id, row)
    }

    /// Turns a rule on or off (in its spec and the mirror column alike).
    pub async fn set_rule_enabled(
        &self,
        id: i64,
        enabled: bool,
        now_ms: i64,
    ) -> Result<RuleRecord> {
        // One statement rather than read-modify-write, so a concurrent edit cannot be lost
        // and no transaction has to upgrade from reading to writing.
        let row: Option<RuleRow> = sqlx::query_as(
            "UPDATE rules SET spec = json_set(spec, '$.enabled', json(?1)), enabled = ?2, \
                              updated_at = ?3 \
             WHERE id = ?4 RETURNING id, spec, created_at",
        )
        .bind(if enabled { "true" } else { "false" })
        .bind(enabled)
        .bind(now_ms)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        self.found(id, row)
    }

    /// Deletes a rule; its alerts stay in the history.
    pub async fn delete_rule(&self, id: i64) -> Result<()> {
        let done = sqlx::query("DELETE FROM rules WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found(id));
        }
        Ok(())
    }

    fn rule_json(&self, spec: &RuleSpec) -> Result<String> {
        serde_json::to_string(spec).map_err(|e| {
            StoreError::Corrupt(format!("rule {:?} cannot be encoded: {e}", spec.name))
        })
    }

    fn found(&self, id: i64, row: Option<RuleRow>) -> Result<RuleRecord> {
        match row {
            Some(row) => self.rule_record(row),
            None => Err(not_found(id)),
        }
    }

    fn rule_record(&self, row: RuleRow) -> Result<RuleRecord> {
        let spec = RuleSpec::from_json(&row.spec)
            .map_err(|e| self.corrupt(format!("rule {} has unreadable JSON: {e}", row.id)))?;
        Ok(RuleRecord {
            id: row.id,
            spec,
            created_at: row.created_at,
        })
    }
}

fn not_found(id: i64) -> StoreError {
    StoreError::NotFound(format!("rule {id}"))
}
