//! Stock reference data: the symbol list (searchable by code, name and pinyin initials),
//! exchange trading calendars, and how far each source's sync has got.

use crate::{Result, Store};

/// One listed stock, as the watchlist search shows it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StockSymbol {
    /// `tushare:000001.SZ`
    pub symbol: String,
    pub name: String,
    /// Pinyin initials of the name, upper case (平安银行 → `PAYH`).
    pub pinyin: String,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub market: Option<String>,
    /// `YYYYMMDD`
    pub list_date: Option<String>,
}

impl Store {
    /// Inserts or updates symbols in one transaction.
    pub async fn upsert_stock_symbols(&self, rows: &[StockSymbol], now_ms: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for r in rows {
            sqlx::query(
                "INSERT INTO stock_symbols (symbol, name, pinyin, area, industry, market, \
                                            list_date, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (symbol) DO UPDATE SET name = excluded.name, \
                     pinyin = excluded.pinyin, area = excluded.area, \
                     industry = excluded.industry, market = excluded.market, \
                     list_date = excluded.list_date, updated_at = excluded.updated_at",
            )
            .bind(&r.symbol)
            .bind(&r.name)
            .bind(&r.pinyin)
            .bind(&r.area)
            .bind(&r.industry)
            .bind(&r.market)
            .bind(&r.list_date)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Symbols whose code, name or pinyin initials match `query` (case-insensitive): exact
    /// code matches first, then prefixes, then substrings.
    pub async fn search_stock_symbols(&self, query: &str, limit: u32) -> Result<Vec<StockSymbol>> {
        let q = query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        // LIKE wildcards typed by the user are matched literally.
        let esc = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let contains = format!("%{esc}%");
        let prefix = format!("{esc}%");
        let rows = sqlx::query_as::<_, StockSymbol>(
            "SELECT symbol, name, pinyin, area, industry, market, list_date FROM stock_symbols \
             WHERE symbol LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\' \
                OR pinyin LIKE ?1 ESCAPE '\\' \
             ORDER BY CASE \
                 WHEN substr(symbol, instr(symbol, ':') + 1) LIKE ?2 ESCAPE '\\' THEN 0 \
                 WHEN pinyin LIKE ?2 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\' THEN 1 \
                 ELSE 2 END, symbol \
             LIMIT ?3",
        )
        .bind(&contains)
        .bind(&prefix)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    pub async fn count_stock_symbols(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM stock_symbols")
            .fetch_one(self.pool())
            .await?)
    }

    /// Stores calendar days (`YYYYMMDD`, open or not) of an exchange.
    pub async fn upsert_trade_calendar(
        &self,
        exchange: &str,
        days: &[(String, bool)],
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for (date, open) in days {
            sqlx::query(
                "INSERT INTO trade_calendar (exchange, cal_date, is_open) VALUES (?, ?, ?) \
                 ON CONFLICT (exchange, cal_date) DO UPDATE SET is_open = excluded.is_open",
            )
            .bind(exchange)
            .bind(date)
            .bind(*open)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Open days with `from <= date <= to` (both `YYYYMMDD`), oldest first.
    pub async fn open_days(&self, exchange: &str, from: &str, to: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT cal_date FROM trade_calendar \
             WHERE exchange = ? AND is_open = 1 AND cal_date >= ? AND cal_date <= ? \
             ORDER BY cal_date",
        )
        .bind(exchange)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?)
    }

    /// The first and last day the stored calendar of `exchange` covers.
    pub async fn calendar_range(&self, exchange: &str) -> Result<Option<(String, String)>> {
        let row: (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT MIN(cal_date), MAX(cal_date) FROM trade_calendar WHERE exchange = ?",
        )
        .bind(exchange)
        .fetch_one(self.pool())
        .await?;
        Ok(row.0.zip(row.1))
    }

    /// The last date `(source, symbol, dataset)` is synced through (`YYYYMMDD`).
    pub async fn synced_through(
        &self,
        source: &str,
        symbol: &str,
        dataset: &str,
    ) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT synced_through FROM sync_state WHERE source = ? AND symbol = ? AND dataset = ?",
        )
        .bind(source)
        .bind(symbol)
        .bind(dataset)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn set_synced_through(
        &self,
        source: &str,
        symbol: &str,
        dataset: &str,
        date: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sync_state (source, symbol, dataset, synced_through, updated_at) \
             VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (source, symbol, dataset) DO UPDATE SET \
                 synced_through = excluded.synced_through, updated_at = excluded.updated_at",
        )
        .bind(source)
        .bind(symbol)
        .bind(dataset)
        .bind(date)
        .bind(now_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Forgets how far a source is synced (for one symbol, or all), so the next sync fetches
    /// everything again: the "full refresh".
    pub async fn reset_sync_state(&self, source: &str, symbol: Option<&str>) -> Result<u64> {
        let done =
            sqlx::query("DELETE FROM sync_state WHERE source = ?1 AND (?2 IS NULL OR symbol = ?2)")
                .bind(source)
                .bind(symbol)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected())
    }
}
