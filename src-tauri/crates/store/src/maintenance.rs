//! Keeping the file small: what is in it, retention, pruning in small batches, vacuum, and
//! the JSON export/import of what the user made (rules, watchlists, settings).

use crate::{Result, Store, StoreError};
use std::collections::BTreeMap;
use tw_core::Interval;

/// How long candles are kept, per interval (`None`: forever), and the other bounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Retention {
    pub keep_days: BTreeMap<Interval, Option<u32>>,
    /// Candles kept per (symbol, interval) at most.
    pub max_candles_per_series: Option<u32>,
    /// When the file grows past this, the oldest 1m candles go first.
    pub max_db_bytes: Option<u64>,
}

impl Default for Retention {
    fn default() -> Self {
        let keep_days = BTreeMap::from([
            (Interval::M1, Some(30)),
            (Interval::M5, Some(90)),
            (Interval::M15, Some(180)),
            (Interval::H1, Some(365)),
            (Interval::H4, Some(3 * 365)),
            (Interval::D1, None),
        ]);
        Retention {
            keep_days,
            max_candles_per_series: Some(100_000),
            max_db_bytes: Some(2 << 30),
        }
    }
}

impl Retention {
    /// Reads `retention.*` settings over the defaults (`retention.1m_days = 0` keeps forever).
    pub async fn load(store: &Store) -> Result<Retention> {
        let mut r = Retention::default();
        for i in Interval::ALL {
            if let Some(v) = store
                .setting(&format!("retention.{}_days", i.as_str()))
                .await?
            {
                let days: u32 = parse_setting(&v, &format!("retention.{}_days", i.as_str()))?;
                r.keep_days.insert(i, (days > 0).then_some(days));
            }
        }
        if let Some(v) = store.setting("retention.max_candles_per_series").await? {
            let n: u32 = parse_setting(&v, "retention.max_candles_per_series")?;
            r.max_candles_per_series = (n > 0).then_some(n);
        }
        if let Some(v) = store.setting("retention.max_db_mb").await? {
            let mb: u64 = parse_setting(&v, "retention.max_db_mb")?;
            r.max_db_bytes = (mb > 0).then_some(mb << 20);
        }
        Ok(r)
    }
}

fn parse_setting<T: std::str::FromStr>(v: &str, key: &str) -> Result<T> {
    v.trim()
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("setting {key} = {v:?} is not a whole number")))
}

/// Rows, time range and count of the candles of one interval.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct IntervalInfo {
    pub interval: String,
    pub candles: i64,
    pub symbols: i64,
    pub oldest: Option<i64>,
    pub newest: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DbInfo {
    pub path: String,
    /// The database file plus its WAL.
    pub file_bytes: u64,
    pub schema_version: i64,
    pub tables: BTreeMap<String, i64>,
    pub intervals: Vec<IntervalInfo>,
    pub alerts_last_24h: i64,
}

/// What a prune removed.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct PruneReport {
    pub by_age: u64,
    pub by_count: u64,
    pub by_size: u64,
    pub batches: u32,
}

impl PruneReport {
    pub fn total(&self) -> u64 {
        self.by_age + self.by_count + self.by_size
    }
}

impl Store {
    /// Size of the database file and its WAL, in bytes.
    pub fn file_bytes(&self) -> u64 {
        let wal = self.path().with_extension("db-wal");
        [self.path().to_path_buf(), wal]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }

    pub async fn info(&self, now_ms: i64) -> Result<DbInfo> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(self.pool())
        .await?;
        let mut tables = BTreeMap::new();
        for n in names {
            let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{n}\""))
                .fetch_one(self.pool())
                .await?;
            tables.insert(n, rows);
        }
        // (interval, candles, symbols, oldest, newest)
        type Row = (String, i64, i64, Option<i64>, Option<i64>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT interval, COUNT(*), COUNT(DISTINCT symbol), MIN(open_time), MAX(open_time) \
             FROM candles GROUP BY interval",
        )
        .fetch_all(self.pool())
        .await?;
        let mut intervals: Vec<IntervalInfo> = rows
            .into_iter()
            .map(
                |(interval, candles, symbols, oldest, newest)| IntervalInfo {
                    interval,
                    candles,
                    symbols,
                    oldest,
                    newest,
                },
            )
            .collect();
        let order = |s: &str| Interval::parse(s).map(|i| i as usize).unwrap_or(usize::MAX);
        intervals.sort_by_key(|i| order(&i.interval));
        let alerts_last_24h: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM alerts WHERE fired_at >= ?")
                .bind(now_ms - 24 * 3_600_000)
                .fetch_one(self.pool())
                .await?;
        let schema_version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
                .fetch_one(self.pool())
                .await?;
        Ok(DbInfo {
            path: self.path().display().to_string(),
            file_bytes: self.file_bytes(),
            schema_version: schema_version.unwrap_or(0),
            tables,
            intervals,
            alerts_last_24h,
        })
    }

    /// How many candles opened before `cutoff_ms` (what a cleanup would delete).
    pub async fn count_candles_before(&self, cutoff_ms: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM candles WHERE open_time < ?")
                .bind(cutoff_ms)
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Deletes candles of one interval opened before `cutoff_ms`, at most `batch` rows, and
    /// returns how many went. Small batches keep each write lock short, so ingestion never
    /// stalls behind a prune.
    pub async fn delete_candles_before(
        &self,
        interval: Option<Interval>,
        cutoff_ms: i64,
        batch: u32,
    ) -> Result<u64> {
        let (filter, iv) = match interval {
            Some(i) => ("interval = ? AND", i.as_str()),
            None => ("? = ? AND", ""),
        };
        let sql = format!(
            "DELETE FROM candles WHERE (symbol, interval, open_time) IN \
             (SELECT symbol, interval, open_time FROM candles WHERE {filter} open_time < ? LIMIT ?)"
        );
        let mut q = sqlx::query(&sql).bind(iv);
        if interval.is_none() {
            q = q.bind(iv);
        }
        let done = q
            .bind(cutoff_ms)
            .bind(batch as i64)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Applies a retention policy in batches of `batch` rows, yielding between batches.
    pub async fn prune(&self, r: &Retention, now_ms: i64, batch: u32) -> Result<PruneReport> {
        let mut rep = PruneReport::default();
        for (interval, days) in &r.keep_days {
            let Some(days) = days else { continue };
            let cutoff = now_ms - *days as i64 * 86_400_000;
            loop {
                let n = self
                    .delete_candles_before(Some(*interval), cutoff, batch)
                    .await?;
                rep.by_age += n;
                rep.batches += 1;
                tokio::task::yield_now().await;
                if n < batch as u64 {
                    break;
                }
            }
        }
        if let Some(max) = r.max_candles_per_series {
            rep.by_count += self.prune_by_count(max, batch, &mut rep.batches).await?;
        }
        if let Some(max_bytes) = r.max_db_bytes {
            rep.by_size += self
                .prune_by_size(max_bytes, batch, &mut rep.batches)
                .await?;
        }
        if rep.total() > 0 {
            // Give freed pages back to the file system when the file allows it.
            sqlx::query("PRAGMA incremental_vacuum")
                .execute(self.pool())
                .await?;
        }
        Ok(rep)
    }

    async fn prune_by_count(&self, max: u32, batch: u32, batches: &mut u32) -> Result<u64> {
        let over: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT symbol, interval, COUNT(*) AS n FROM candles GROUP BY symbol, interval \
             HAVING n > ?",
        )
        .bind(max as i64)
        .fetch_all(self.pool())
        .await?;
        let mut removed = 0;
        for (symbol, interval, _) in over {
            // The open time of the oldest bar to keep.
            let keep_from: i64 = sqlx::query_scalar(
                "SELECT open_time FROM candles WHERE symbol = ? AND interval = ? \
                 ORDER BY open_time DESC LIMIT 1 OFFSET ?",
            )
            .bind(&symbol)
            .bind(&interval)
            .bind(max as i64 - 1)
            .fetch_one(self.pool())
            .await?;
            loop {
                let n = sqlx::query(
                    "DELETE FROM candles WHERE (symbol, interval, open_time) IN \
                     (SELECT symbol, interval, open_time FROM candles \
                      WHERE symbol = ? AND interval = ? AND open_time < ? LIMIT ?)",
                )
                .bind(&symbol)
                .bind(&interval)
                .bind(keep_from)
                .bind(batch as i64)
                .execute(self.pool())
                .await?
                .rows_affected();
                removed += n;
                *batches += 1;
                tokio::task::yield_now().await;
                if n < batch as u64 {
                    break;
                }
            }
        }
        Ok(removed)
    }

    /// Removes the oldest candles, finest interval first, while the file is over `max_bytes`.
    async fn prune_by_size(&self, max_bytes: u64, batch: u32, batches: &mut u32) -> Result<u64> {
        let mut removed = 0;
        // The file shrinks only after a checkpoint and a vacuum; measure the pages in use.
        let used = |s: &Store| {
            let s = s.clone();
            async move {
                let page: i64 = sqlx::query_scalar("PRAGMA page_size")
                    .fetch_one(s.pool())
                    .await?;
                let count: i64 = sqlx::query_scalar("PRAGMA page_count")
                    .fetch_one(s.pool())
                    .await?;
                let free: i64 = sqlx::query_scalar("PRAGMA freelist_count")
                    .fetch_one(s.pool())
                    .await?;
                Ok::<u64, StoreError>(((count - free).max(0) * page) as u64)
            }
        };
        for interval in Interval::ALL {
            while used(self).await? > max_bytes {
                let oldest: Option<i64> =
                    sqlx::query_scalar("SELECT MIN(open_time) FROM candles WHERE interval = ?")
                        .bind(interval.as_str())
                        .fetch_one(self.pool())
                        .await?;
                let Some(oldest) = oldest else { break };
                // One hour of this interval's oldest data per step.
                let cutoff = oldest + interval.millis().max(3_600_000);
                let n = self
                    .delete_candles_before(Some(interval), cutoff, batch)
                    .await?;
                removed += n;
                *batches += 1;
                tokio::task::yield_now().await;
            }
        }
        Ok(removed)
    }

    /// Rewrites the file to its smallest size (slow on a big file; for `db cleanup`).
    pub async fn vacuum(&self) -> Result<()> {
        sqlx::query("VACUUM").execute(self.pool()).await?;
        // In WAL mode the rewritten pages land in the WAL first: fold them back in.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// SQLite's own check of the whole file: "ok", or what is wrong.
    pub async fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(self.pool())
            .await?;
        Ok(rows.join("; "))
    }

    /// Every setting, for export.
    pub async fn settings(&self) -> Result<BTreeMap<String, String>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT key, value FROM settings ORDER BY key")
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().collect())
    }

    /// Every watchlist with its symbols in order, for export.
    pub async fn watchlists(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT name, symbol FROM watchlists ORDER BY name, position")
                .fetch_all(self.pool())
                .await?;
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, symbol) in rows {
            out.entry(name).or_default().push(symbol);
        }
        Ok(out)
    }
}
