//! Trigger state per (rule, symbol), as opaque JSON: its meaning belongs to the rules stage.

use crate::{Result, Store};

/// One stored (rule, symbol) state.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RuleStateRow {
    pub rule_id: i64,
    pub symbol: String,
    pub state: String,
}

impl Store {
    /// Writes many states in one transaction (the rules stage batches them).
    pub async fn save_rule_states(&self, rows: &[RuleStateRow], now_ms: i64) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool().begin().await?;
        for r in rows {
            sqlx::query(
                "INSERT INTO rule_state (rule_id, symbol, state, updated_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (rule_id, symbol) DO UPDATE SET state = excluded.state, \
                 updated_at = excluded.updated_at",
            )
            .bind(r.rule_id)
            .bind(&r.symbol)
            .bind(&r.state)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The state of every rule that still exists (rows of deleted rules are dropped here).
    pub async fn rule_states(&self) -> Result<Vec<RuleStateRow>> {
        sqlx::query("DELETE FROM rule_state WHERE rule_id NOT IN (SELECT id FROM rules)")
            .execute(self.pool())
            .await?;
        Ok(
            sqlx::query_as(
                "SELECT rule_id, symbol, state FROM rule_state ORDER BY rule_id, symbol",
            )
            .fetch_all(self.pool())
            .await?,
        )
    }

    /// Forgets the trigger state of one rule (after an edit, so the new rule starts afresh).
    pub async fn clear_rule_state(&self, rule_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM rule_state WHERE rule_id = ?")
            .bind(rule_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
