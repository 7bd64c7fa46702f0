//! Per-day fundamentals (turnover rate, volume ratio, PE, PB, market cap, money flow): one
//! row per published figure, so a missing value is absent rather than zero.

use crate::{Result, Store};
use tw_core::Fundamentals;

impl Store {
    /// Inserts or replaces the figures of each event in one transaction.
    pub async fn upsert_fundamentals(&self, items: &[Fundamentals]) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for f in items {
            for (metric, value) in &f.values {
                if !value.is_finite() {
                    // NaN/inf never reach the table; the caller should have left them out.
                    continue;
                }
                sqlx::query(
                    "INSERT INTO fundamentals (symbol, day_ms, metric, value) VALUES (?, ?, ?, ?) \
                     ON CONFLICT (symbol, day_ms, metric) DO UPDATE SET value = excluded.value",
                )
                .bind(f.symbol.as_str())
                .bind(f.day_ms)
                .bind(metric)
                .bind(value)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The stored figures of `symbol` with `from_ms <= day_ms < to_ms`, as (day, metric,
    /// value), oldest day first.
    pub async fn fundamentals(
        &self,
        symbol: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<(i64, String, f64)>> {
        Ok(sqlx::query_as(
            "SELECT day_ms, metric, value FROM fundamentals \
             WHERE symbol = ? AND day_ms >= ? AND day_ms < ? ORDER BY day_ms, metric",
        )
        .bind(symbol)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(self.pool())
        .await?)
    }

    /// The latest stored value of one metric: (day, value).
    pub async fn latest_fundamental(
        &self,
        symbol: &str,
        metric: &str,
    ) -> Result<Option<(i64, f64)>> {
        Ok(sqlx::query_as(
            "SELECT day_ms, value FROM fundamentals WHERE symbol = ? AND metric = ? \
             ORDER BY day_ms DESC LIMIT 1",
        )
        .bind(symbol)
        .bind(metric)
        .fetch_optional(self.pool())
        .await?)
    }
}
