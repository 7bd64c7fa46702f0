//! Candles: one row per (symbol, interval, open_time).

use crate::{Result, Store};
use sqlx::{Sqlite, Transaction};
use tw_core::{Candle, Interval, Symbol};

// A closed bar is final; a late unclosed update of it (a replayed tick, a slow feed) must not
// turn it back into a forming one. A closed update may still correct a closed bar (back-fill).
const UPSERT: &str = "\
    INSERT INTO candles (symbol, interval, open_time, open, high, low, close, volume, \
                         quote_volume, trades, closed) \
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
    ON CONFLICT (symbol, interval, open_time) DO UPDATE SET \
        open = excluded.open, high = excluded.high, low = excluded.low, \
        close = excluded.close, volume = excluded.volume, \
        quote_volume = excluded.quote_volume, trades = excluded.trades, \
        closed = excluded.closed \
    WHERE excluded.closed = 1 OR candles.closed = 0";

const COLUMNS: &str = "symbol, interval, open_time, open, high, low, close, volume, \
                       quote_volume, trades, closed";

#[derive(sqlx::FromRow)]
struct CandleRow {
    symbol: String,
    interval: String,
    open_time: i64,
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    volume: f64,
    quote_volume: f64,
    trades: i64,
    closed: bool,
}

impl Store {
    /// Inserts or updates candles in one transaction.
    pub async fn upsert_candles(&self, candles: &[Candle]) -> Result<()> {
        if candles.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool().begin().await?;
        for c in candles {
            upsert_one(&mut tx, c).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The latest `limit` candles, oldest first.
    pub async fn candles(
        &self,
        symbol: &str,
        interval: Interval,
        limit: u32,
    ) -> Result<Vec<Candle>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM candles WHERE symbol = ? AND interval = ? \
             ORDER BY open_time DESC LIMIT ?"
        );
        let rows: Vec<CandleRow> = sqlx::query_as(&sql)
            .bind(symbol)
            .bind(interval.as_str())
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().rev().map(|r| self.candle(r)).collect()
    }

    /// The `limit` candles that open before `before_ms`, oldest first: one page of older
    /// history for a chart scrolled to its left edge.
    pub async fn candles_before(
        &self,
        symbol: &str,
        interval: Interval,
        before_ms: i64,
        limit: u32,
    ) -> Result<Vec<Candle>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM candles WHERE symbol = ? AND interval = ? \
             AND open_time < ? ORDER BY open_time DESC LIMIT ?"
        );
        let rows: Vec<CandleRow> = sqlx::query_as(&sql)
            .bind(symbol)
            .bind(interval.as_str())
            .bind(before_ms)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().rev().map(|r| self.candle(r)).collect()
    }

    /// The closes of the latest `limit` candles of `symbol`, oldest first (for sparklines).
    pub async fn recent_closes(
        &self,
        symbol: &str,
        interval: Interval,
        limit: u32,
    ) -> Result<Vec<f64>> {
        let mut closes: Vec<f64> = sqlx::query_scalar(
            "SELECT close FROM candles WHERE symbol = ? AND interval = ? \
             ORDER BY open_time DESC LIMIT ?",
        )
        .bind(symbol)
        .bind(interval.as_str())
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        closes.reverse();
        Ok(closes)
    }

    /// Candles with `from_ms <= open_time < to_ms`, oldest first.
    pub async fn candles_between(
        &self,
        symbol: &str,
        interval: Interval,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<Candle>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM candles WHERE symbol = ? AND interval = ? \
             AND open_time >= ? AND open_time < ? ORDER BY open_time"
        );
        let rows: Vec<CandleRow> = sqlx::query_as(&sql)
            .bind(symbol)
            .bind(interval.as_str())
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(|r| self.candle(r)).collect()
    }

    /// Open time of the newest stored candle, closed or not; where a back-fill starts.
    pub async fn latest_candle_time(
        &self,
        symbol: &str,
        interval: Interval,
    ) -> Result<Option<i64>> {
        let t: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(open_time) FROM candles WHERE symbol = ? AND interval = ?",
        )
        .bind(symbol)
        .bind(interval.as_str())
        .fetch_one(self.pool())
        .await?;
        Ok(t)
    }

    /// Number of stored candles, optionally only of one symbol and/or interval.
    pub async fn count_candles(
        &self,
        symbol: Option<&str>,
        interval: Option<Interval>,
    ) -> Result<i64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM candles \
             WHERE (?1 IS NULL OR symbol = ?1) AND (?2 IS NULL OR interval = ?2)",
        )
        .bind(symbol)
        .bind(interval.map(Interval::as_str))
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    fn candle(&self, r: CandleRow) -> Result<Candle> {
        let what = || format!("candle {} {} {}", r.symbol, r.interval, r.open_time);
        let symbol =
            Symbol::parse(&r.symbol).map_err(|e| self.corrupt(format!("{}: {e}", what())))?;
        let interval = Interval::parse(&r.interval)
            .ok_or_else(|| self.corrupt(format!("{}: unknown interval", what())))?;
        let trades = u32::try_from(r.trades)
            .map_err(|_| self.corrupt(format!("{}: trade count {}", what(), r.trades)))?;
        Ok(Candle {
            symbol,
            interval,
            open_time: r.open_time,
            open: r.open,
            high: r.high,
            low: r.low,
            close: r.close,
            volume: r.volume,
            quote_volume: r.quote_volume,
            trades,
            closed: r.closed,
        })
    }
}

async fn upsert_one(tx: &mut Transaction<'_, Sqlite>, c: &Candle) -> Result<()> {
    sqlx::query(UPSERT)
        .bind(c.symbol.as_str())
        .bind(c.interval.as_str())
        .bind(c.open_time)
        .bind(c.open)
        .bind(c.high)
        .bind(c.low)
        .bind(c.close)
        .bind(c.volume)
        .bind(c.quote_volume)
        .bind(i64::from(c.trades))
        .bind(c.closed)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
