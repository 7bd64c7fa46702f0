//! Incremental sync: for each symbol and dataset, ask Tushare only for the trading days after
//! the last one already stored; a full refresh forgets that mark and starts over.

use super::calendar::{add_days, cst_date, last_published};
use super::client::{params, TushareClient, TushareError};
use super::parse::{self, DAILY_BASIC_FIELDS, STOCK_BASIC_FIELDS};
use super::{EXCHANGE, SOURCE};
use std::collections::BTreeSet;
use tokio::sync::mpsc;
use tw_core::{Candle, Fundamentals, MarketEvent};
use tw_store::Store;

/// The per-symbol datasets, in the order they are synced.
pub const DATASETS: [&str; 3] = ["daily", "daily_basic", "moneyflow"];

const DAILY_FIELDS: &str =
    "ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount";

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Tushare(#[from] TushareError),
    #[error("cannot store Tushare data: {0}")]
    Store(#[from] tw_store::StoreError),
    #[error("{0}")]
    Parse(#[from] parse::ParseError),
    #[error("the trading calendar has no open day up to {0}")]
    NoCalendar(String),
    /// The pipeline has stopped; the feed ends.
    #[error("the engine has stopped")]
    Closed,
}

/// What one sync did, for the health line and the tests.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SyncReport {
    /// The latest trading day whose data should be out.
    pub through: String,
    pub candles: usize,
    pub fundamentals: usize,
    /// Interfaces the token's points do not allow, with Tushare's words.
    pub denied: Vec<String>,
    /// Rows skipped because a value they need was missing.
    pub skipped: Vec<String>,
    /// Symbols whose bar for `through` is not published yet.
    pub not_yet_published: Vec<String>,
}

pub struct Syncer<'a> {
    pub client: &'a TushareClient,
    pub store: &'a Store,
    pub tx: &'a mpsc::Sender<MarketEvent>,
    pub now_ms: i64,
    /// First day to fetch for a symbol never synced (`YYYYMMDD`).
    pub history_start: String,
}

impl Syncer<'_> {
    /// Keeps the stored SSE calendar covering `history_start` … today + 60 days.
    pub async fn calendar(&self) -> Result<Vec<String>, SyncError> {
        let today = cst_date(self.now_ms);
        let want_to = add_days(&today, 30).unwrap_or_else(|| today.clone());
        let covered = self.store.calendar_range(EXCHANGE).await?;
        let fresh = covered
            .as_ref()
            .is_some_and(|(lo, hi)| *lo <= self.history_start && *hi >= want_to);
        if !fresh {
            let end = add_days(&today, 90).unwrap_or(today.clone());
            let table = self
                .client
                .call(
                    "trade_cal",
                    params(&[
                        ("exchange", EXCHANGE),
                        ("start_date", &self.history_start),
                        ("end_date", &end),
                    ]),
                    "exchange,cal_date,is_open,pretrade_date",
                )
                .await?;
            let days = parse::trade_cal(&table)?;
            self.store.upsert_trade_calendar(EXCHANGE, &days).await?;
        }
        let end = add_days(&today, 120).unwrap_or(today);
        Ok(self
            .store
            .open_days(EXCHANGE, &self.history_start, &end)
            .await?)
    }

    /// Refreshes the symbol list once per (CST) day.
    pub async fn stock_basic(&self) -> Result<usize, SyncError> {
        let today = cst_date(self.now_ms);
        if self
            .store
            .synced_through(SOURCE, "", "stock_basic")
            .await?
            .as_deref()
            == Some(&today)
        {
            return Ok(0);
        }
        let table = self
            .client
            .call(
                "stock_basic",
                params(&[("list_status", "L")]),
                STOCK_BASIC_FIELDS,
            )
            .await?;
        let rows = parse::stock_basic(&table)?;
        self.store.upsert_stock_symbols(&rows, self.now_ms).await?;
        self.store
            .set_synced_through(SOURCE, "", "stock_basic", &today, self.now_ms)
            .await?;
        Ok(rows.len())
    }

    /// Syncs every dataset of every symbol up to the latest published trading day. `live`:
    /// days newer than what was stored before are handed on as live (rules fire on them);
    /// otherwise everything is history.
    pub async fn symbols(
        &self,
        codes: &[String],
        open_days: &[String],
        live: bool,
        denied: &mut BTreeSet<String>,
    ) -> Result<SyncReport, SyncError> {
        let through = last_published(open_days, self.now_ms)
            .ok_or_else(|| SyncError::NoCalendar(cst_date(self.now_ms)))?
            .to_string();
        let mut report = SyncReport {
            through: through.clone(),
            ..Default::default()
        };
        for code in codes {
            for dataset in DATASETS {
                if denied.contains(dataset) {
                    continue;
                }
                match self
                    .dataset(code, dataset, &through, live, &mut report)
                    .await
                {
                    Err(SyncError::Tushare(e @ TushareError::NoPermission { .. })) => {
                        denied.insert(dataset.to_string());
                        report.denied.push(e.to_string());
                    }
                    other => other?,
                }
            }
        }
        Ok(report)
    }

    async fn dataset(
        &self,
        code: &str,
        dataset: &str,
        through: &str,
        live: bool,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let symbol = parse::symbol(code);
        let before = self
            .store
            .synced_through(SOURCE, symbol.as_str(), dataset)
            .await?;
        let from = match &before {
            Some(d) => add_days(d, 1).unwrap_or_default(),
            None => self.history_start.clone(),
        };
        if from.as_str() > through {
            return Ok(());
        }
        let fields = match dataset {
            "daily" => DAILY_FIELDS,
            "daily_basic" => DAILY_BASIC_FIELDS,
            _ => "",
        };
        let table = self
            .client
            .call(
                dataset,
                params(&[
                    ("ts_code", code),
                    ("start_date", &from),
                    ("end_date", through),
                ]),
                fields,
            )
            .await?;
        // Live only for days after what was stored before, and only once history exists.
        let is_live = |day_ms: i64| {
            live && before.is_some() && super::date_ms(&from).is_some_and(|f| day_ms >= f)
        };
        let through_ms = super::date_ms(through).unwrap_or(i64::MAX);
        let newest = match dataset {
            "daily" => {
                let (candles, skipped) = parse::daily(&table)?;
                report.skipped.extend(skipped.iter().map(|e| e.to_string()));
                let candles: Vec<Candle> = candles
                    .into_iter()
                    .filter(|c| c.symbol == symbol && c.open_time <= through_ms)
                    .collect();
                // Stored before the sync mark moves, so a crash cannot lose a day.
                self.store.upsert_candles(&candles).await?;
                let newest = candles.last().map(|c| c.open_time);
                report.candles += candles.len();
                for c in candles {
                    let ev = if is_live(c.open_time) {
                        MarketEvent::Candle(c)
                    } else {
                        MarketEvent::Backfill(c)
                    };
                    self.tx.send(ev).await.map_err(|_| SyncError::Closed)?;
                }
                newest
            }
            _ => {
                let items = if dataset == "daily_basic" {
                    parse::daily_basic(&table, true)?
                } else {
                    parse::moneyflow(&table, true)?
                };
                let items: Vec<Fundamentals> = items
                    .into_iter()
                    .filter(|f| {
                        f.symbol == symbol && f.day_ms <= through_ms && !f.values.is_empty()
                    })
                    .collect();
                self.store.upsert_fundamentals(&items).await?;
                let newest = items.last().map(|f| f.day_ms);
                report.fundamentals += items.len();
                for mut f in items {
                    f.backfill = !is_live(f.day_ms);
                    self.tx
                        .send(MarketEvent::Fundamentals(f))
                        .await
                        .map_err(|_| SyncError::Closed)?;
                }
                newest
            }
        };
        // Past days are final (no row = suspended); today's may simply not be out yet.
        let today = cst_date(self.now_ms);
        let mark = if newest == super::date_ms(through) || through < today.as_str() {
            Some(through.to_string())
        } else {
            if dataset == "daily" {
                report.not_yet_published.push(code.to_string());
            }
            add_days(through, -1).filter(|d| before.as_deref().is_none_or(|b| d.as_str() > b))
        };
        if let Some(mark) = mark {
            self.store
                .set_synced_through(SOURCE, symbol.as_str(), dataset, &mark, self.now_ms)
                .await?;
        }
        Ok(())
    }
}
