//! The user's holdings (portfolio lots).

use crate::{Result, Store, StoreError};
use tw_core::portfolio::{Holding, HoldingInput};

#[derive(sqlx::FromRow)]
struct HoldingRow {
    id: i64,
    symbol: String,
    quantity: f64,
    cost: f64,
    opened: String,
    currency: Option<String>,
    note: Option<String>,
}

impl From<HoldingRow> for Holding {
    fn from(r: HoldingRow) -> Self {
        Holding {
            id: r.id,
            symbol: r.symbol,
            quantity: r.quantity,
            cost: r.cost,
            opened: r.opened,
            currency: r.currency,
            note: r.note,
        }
    }
}

const COLUMNS: &str = "id, symbol, quantity, cost, opened, currency, note";

impl Store {
    /// Every lot, in the order entered.
    pub async fn holdings(&self) -> Result<Vec<Holding>> {
        let rows: Vec<HoldingRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM holdings ORDER BY id"))
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(Holding::from).collect())
    }

    /// Adds lots in one transaction: all of them or none.
    pub async fn insert_holdings(
        &self,
        lots: &[HoldingInput],
        now_ms: i64,
    ) -> Result<Vec<Holding>> {
        let mut tx = self.pool().begin().await?;
        let mut out = Vec::with_capacity(lots.len());
        for l in lots {
            let row: HoldingRow = sqlx::query_as(&format!(
                "INSERT INTO holdings (symbol, quantity, cost, opened, currency, note, \
                 created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
            ))
            .bind(&l.symbol)
            .bind(l.quantity)
            .bind(l.cost)
            .bind(&l.opened)
            .bind(&l.currency)
            .bind(&l.note)
            .bind(now_ms)
            .bind(now_ms)
            .fetch_one(&mut *tx)
            .await?;
            out.push(row.into());
        }
        tx.commit().await?;
        Ok(out)
    }

    pub async fn update_holding(&self, id: i64, l: &HoldingInput, now_ms: i64) -> Result<Holding> {
        let row: Option<HoldingRow> = sqlx::query_as(&format!(
            "UPDATE holdings SET symbol = ?, quantity = ?, cost = ?, opened = ?, currency = ?, \
             note = ?, updated_at = ? WHERE id = ? RETURNING {COLUMNS}"
        ))
        .bind(&l.symbol)
        .bind(l.quantity)
        .bind(l.cost)
        .bind(&l.opened)
        .bind(&l.currency)
        .bind(&l.note)
        .bind(now_ms)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(Holding::from)
            .ok_or_else(|| StoreError::NotFound(format!("holding {id}")))
    }

    pub async fn delete_holding(&self, id: i64) -> Result<()> {
        let n = sqlx::query("DELETE FROM holdings WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("holding {id}")));
        }
        Ok(())
    }

    /// Fire times of the alerts on `symbol` at or after `from_ms`.
    pub async fn alert_times_since(&self, symbol: &str, from_ms: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT fired_at FROM alerts WHERE symbol = ? AND fired_at >= ? ORDER BY fired_at",
        )
        .bind(symbol)
        .bind(from_ms)
        .fetch_all(self.pool())
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(symbol: &str, q: f64) -> HoldingInput {
        HoldingInput {
            symbol: symbol.into(),
            quantity: q,
            cost: 10.0,
            opened: "2024-01-02".into(),
            currency: None,
            note: Some("core".into()),
        }
    }

    #[tokio::test]
    async fn lots_are_stored_updated_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let added = store
            .insert_holdings(&[lot("yahoo:AAPL", 5.0), lot("binance:BTCUSDT", 0.1)], 1)
            .await
            .unwrap();
        assert_eq!(added.len(), 2);
        let mut l = lot("yahoo:AAPL", 7.0);
        l.currency = Some("USD".into());
        let h = store.update_holding(added[0].id, &l, 2).await.unwrap();
        assert_eq!((h.quantity, h.currency.as_deref()), (7.0, Some("USD")));
        store.delete_holding(added[1].id).await.unwrap();
        assert!(matches!(
            store.delete_holding(added[1].id).await,
            Err(StoreError::NotFound(_))
        ));
        store.close().await;
        let store = Store::open(dir.path()).await.unwrap();
        let all = store.holdings().await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].note.as_deref(), Some("core"));
    }
}
