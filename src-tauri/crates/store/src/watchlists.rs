//! Watchlists: named, ordered lists of symbols.

use crate::{Result, Store};

impl Store {
    /// The symbols of watchlist `name` in the order they were added; empty if it has none.
    pub async fn watchlist(&self, name: &str) -> Result<Vec<String>> {
        let symbols: Vec<String> =
            sqlx::query_scalar("SELECT symbol FROM watchlists WHERE name = ? ORDER BY position")
                .bind(name)
                .fetch_all(self.pool())
                .await?;
        Ok(symbols)
    }

    /// Appends `symbol` to watchlist `name`; a symbol already there keeps its place.
    pub async fn watchlist_add(&self, name: &str, symbol: &str) -> Result<()> {
        // One statement, so two concurrent adds cannot take the same position.
        sqlx::query(
            "INSERT INTO watchlists (name, symbol, position) \
             SELECT ?1, ?2, COALESCE(MAX(position) + 1, 0) FROM watchlists WHERE name = ?1 \
             ON CONFLICT (name, symbol) DO NOTHING",
        )
        .bind(name)
        .bind(symbol)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes `symbol` from watchlist `name`; removing a symbol that is not there is fine.
    pub async fn watchlist_remove(&self, name: &str, symbol: &str) -> Result<()> {
        sqlx::query("DELETE FROM watchlists WHERE name = ? AND symbol = ?")
            .bind(name)
            .bind(symbol)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
