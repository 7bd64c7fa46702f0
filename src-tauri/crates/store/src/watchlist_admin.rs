//! Managing named watchlists as a whole: which lists hold symbols, renaming, deleting and
//! putting a list's symbols in the user's order (drag to reorder).

use crate::{Result, Store};

impl Store {
    /// Names of the watchlists that hold at least one symbol, in name order.
    pub async fn watchlist_names(&self) -> Result<Vec<String>> {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT name FROM watchlists ORDER BY name")
                .fetch_all(self.pool())
                .await?;
        Ok(names)
    }

    /// Moves every symbol of list `from` to list `to`. A symbol already on `to` keeps its
    /// place there; nothing is lost.
    pub async fn watchlist_rename(&self, from: &str, to: &str) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO watchlists (name, symbol, position) \
             SELECT ?2, symbol, (SELECT COALESCE(MAX(position) + 1, 0) FROM watchlists WHERE name = ?2) + position \
             FROM watchlists WHERE name = ?1 \
             ON CONFLICT (name, symbol) DO NOTHING",
        )
        .bind(from)
        .bind(to)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM watchlists WHERE name = ?")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes list `name` and all its entries.
    pub async fn watchlist_delete(&self, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM watchlists WHERE name = ?")
            .bind(name)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Puts the symbols of list `name` in the order of `symbols`. Symbols of the list that
    /// `symbols` leaves out keep their relative order after the given ones; symbols not on
    /// the list are ignored (a reorder never adds).
    pub async fn watchlist_reorder(&self, name: &str, symbols: &[String]) -> Result<()> {
        let current = self.watchlist(name).await?;
        let mut order: Vec<&String> = symbols.iter().filter(|s| current.contains(s)).collect();
        order.dedup();
        for s in &current {
            if !order.contains(&s) {
                order.push(s);
            }
        }
        let mut tx = self.pool().begin().await?;
        // Two passes keep (name, position) free of clashes if it is ever made unique.
        for (i, s) in order.iter().enumerate() {
            sqlx::query("UPDATE watchlists SET position = ? WHERE name = ? AND symbol = ?")
                .bind(i as i64 - order.len() as i64 - 1)
                .bind(name)
                .bind(s.as_str())
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE watchlists SET position = position + ? WHERE name = ?")
            .bind(order.len() as i64 + 1)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
