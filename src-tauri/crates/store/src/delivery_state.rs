//! Alert-delivery state kept across restarts: circuit-breaker pauses per rule, and the
//! notifications held by quiet hours or the pause (their digest, as opaque JSON: its meaning
//! belongs to the engine's dispatcher).

use crate::{Result, Store};

/// A rule the circuit breaker paused.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RulePauseRow {
    pub rule_id: i64,
    pub until_ms: i64,
    pub fired: i64,
    pub window_ms: i64,
}

impl Store {
    /// Records (or extends) a rule's pause. A rule deleted meanwhile is skipped.
    pub async fn save_rule_pause(&self, p: &RulePauseRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO rule_pauses (rule_id, until_ms, fired, window_ms) \
             SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM rules WHERE id = ?1) \
             ON CONFLICT (rule_id) DO UPDATE SET until_ms = excluded.until_ms, \
             fired = excluded.fired, window_ms = excluded.window_ms",
        )
        .bind(p.rule_id)
        .bind(p.until_ms)
        .bind(p.fired)
        .bind(p.window_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Pauses still in force at `now_ms`; ended ones are dropped here.
    pub async fn rule_pauses(&self, now_ms: i64) -> Result<Vec<RulePauseRow>> {
        sqlx::query("DELETE FROM rule_pauses WHERE until_ms <= ?")
            .bind(now_ms)
            .execute(self.pool())
            .await?;
        Ok(sqlx::query_as(
            "SELECT rule_id, until_ms, fired, window_ms FROM rule_pauses ORDER BY rule_id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Ends a rule's pause (the rule was edited).
    pub async fn clear_rule_pause(&self, rule_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM rule_pauses WHERE rule_id = ?")
            .bind(rule_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Stores the digest of held notifications; `None` once it has been shown.
    pub async fn save_held_notices(&self, digest: Option<&str>, now_ms: i64) -> Result<()> {
        match digest {
            Some(d) => {
                sqlx::query(
                    "INSERT INTO held_notices (id, digest, updated_at) VALUES (1, ?, ?) \
                     ON CONFLICT (id) DO UPDATE SET digest = excluded.digest, \
                     updated_at = excluded.updated_at",
                )
                .bind(d)
                .bind(now_ms)
                .execute(self.pool())
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM held_notices")
                    .execute(self.pool())
                    .await?;
            }
        }
        Ok(())
    }

    /// The digest of notifications held when the app last stopped, if any.
    pub async fn held_notices(&self) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT digest FROM held_notices WHERE id = 1")
                .fetch_optional(self.pool())
                .await?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tw_core::rule::RuleSpec;

    fn spec() -> RuleSpec {
        RuleSpec::from_json(
            r#"{"name":"r","target":{"symbols":["demo:ALPHA"]},"interval":"1m",
                "when":{"metric":"price","op":"gt","value":0}}"#,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn pauses_last_until_they_end_or_the_rule_goes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let a = store.insert_rule(&spec(), 0).await.unwrap().id;
        let b = store.insert_rule(&spec(), 0).await.unwrap().id;
        let row = |rule_id, until_ms| RulePauseRow {
            rule_id,
            until_ms,
            fired: 30,
            window_ms: 60_000,
        };
        store.save_rule_pause(&row(a, 1_000)).await.unwrap();
        store.save_rule_pause(&row(b, 5_000)).await.unwrap();
        store.save_rule_pause(&row(a, 2_000)).await.unwrap(); // extended
        store.save_rule_pause(&row(999, 9_000)).await.unwrap(); // no such rule: skipped
        assert_eq!(
            store.rule_pauses(0).await.unwrap(),
            [row(a, 2_000), row(b, 5_000)]
        );
        assert_eq!(store.rule_pauses(2_000).await.unwrap(), [row(b, 5_000)]);
        assert_eq!(
            store.rule_pauses(0).await.unwrap(),
            [row(b, 5_000)],
            "ended ones are gone"
        );
        store.delete_rule(b).await.unwrap();
        assert!(store.rule_pauses(0).await.unwrap().is_empty());
        store.save_rule_pause(&row(a, 8_000)).await.unwrap();
        store.clear_rule_pause(a).await.unwrap();
        assert!(store.rule_pauses(0).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn the_held_digest_is_kept_until_shown() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).await.unwrap();
            assert_eq!(store.held_notices().await.unwrap(), None);
            store
                .save_held_notices(Some(r#"{"count":1}"#), 1)
                .await
                .unwrap();
            store
                .save_held_notices(Some(r#"{"count":2}"#), 2)
                .await
                .unwrap();
            store.close().await;
        }
        let store = Store::open(dir.path()).await.unwrap();
        assert_eq!(
            store.held_notices().await.unwrap().as_deref(),
            Some(r#"{"count":2}"#)
        );
        store.save_held_notices(None, 3).await.unwrap();
        assert_eq!(store.held_notices().await.unwrap(), None);
    }
}
