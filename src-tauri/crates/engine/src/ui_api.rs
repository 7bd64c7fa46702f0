//! What the window's views need beyond the pipeline's own commands: named watchlists, symbol
//! search across sources, the chart's indicator series, the rule preview and the look-and-feel
//! settings. Indicators and the preview run stored candles through the same `tw_analytics`
//! series and rule book as live data, so the chart and the preview show what rules see.

use crate::defaults::DEFAULT_WATCHLIST;
use crate::engine::EngineHandle;
use crate::error::EngineError;
use std::collections::BTreeSet;
use tw_analytics::backtest::RuleReplay;
use tw_analytics::rules::{compile, WatchlistMap};
use tw_analytics::{MetricKey, SeriesBook, SeriesConfig};
use tw_core::rule::RuleSpec;
use tw_core::ui::{
    FundamentalDay, IndicatorLine, IndicatorSeries, PreviewHit, RulePreview, Sparkline,
    SymbolMatch, UiSettings, WatchlistInfo,
};
use tw_core::{Interval, ManualClock, MarketEvent, Symbol};

/// Ordered names of the user's watchlists (a list can be empty, so names live on their own).
const LISTS_KEY: &str = "ui.watchlists";
const UI_KEY: &str = "ui.settings";
const API_ENABLED: &str = "local_api.enabled";
const API_PORT: &str = "local_api.port";
const RETENTION_1M: &str = "retention.1m_days";
const DEFAULT_API_PORT: u16 = 47878;
/// Longest preview window and how many bars before it warm the indicators up.
pub const PREVIEW_DAYS: i64 = 7;
const WARM_UP_BARS: i64 = 300;
const MAX_PREVIEW_SYMBOLS: usize = 50;
const MAX_PREVIEW_HITS: usize = 200;
const MAX_LIST_NAME: usize = 40;
/// Most bars one page of older chart history may hold.
pub const MAX_HISTORY_PAGE: u32 = 5_000;
/// Most symbols and points one sparkline request may ask for.
pub const MAX_SPARKLINE_SYMBOLS: usize = 1_000;
pub const MAX_SPARKLINE_POINTS: u32 = 500;

/// The indicator lines the chart offers; every name is a metric rules can use.
pub const CHART_METRICS: &[&str] = &[
    "sma(20)",
    "sma(50)",
    "ema(20)",
    "bb_upper",
    "bb_mid",
    "bb_lower",
    "vwap",
    "rsi",
    "macd",
    "macd_signal",
    "macd_hist",
    "anomaly_score",
];

fn bad(msg: impl Into<String>) -> EngineError {
    EngineError::InvalidInput(msg.into())
}

fn parse_symbol(s: &str) -> Result<Symbol, EngineError> {
    Symbol::parse(s).map_err(|e| bad(format!("symbol {s:?}: {e}")))
}

fn check_list_name(name: &str) -> Result<String, EngineError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(bad("the watchlist name is empty"));
    }
    if name.chars().count() > MAX_LIST_NAME {
        return Err(bad(format!(
            "the watchlist name is longer than {MAX_LIST_NAME} characters"
        )));
    }
    Ok(name.to_string())
}

impl EngineHandle {
    async fn list_names(&self) -> Result<Vec<String>, EngineError> {
        let mut names: Vec<String> = match self.0.store.setting(LISTS_KEY).await? {
            Some(raw) => serde_json::from_str(&raw)
                .map_err(|e| bad(format!("setting {LISTS_KEY} is not a list of names: {e}")))?,
            None => Vec::new(),
        };
        // Lists that hold symbols but were never named here (the first start's default list,
        // lists made by import or the local API) are shown too.
        for n in self.0.store.watchlist_names().await? {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        if !names.iter().any(|n| n == DEFAULT_WATCHLIST) {
            names.insert(0, DEFAULT_WATCHLIST.to_string());
        }
        Ok(names)
    }

    async fn save_list_names(&self, names: &[String]) -> Result<(), EngineError> {
        let raw = serde_json::to_string(names).expect("names serialise");
        Ok(self.0.store.set_setting(LISTS_KEY, &raw).await?)
    }

    /// Every watchlist with its symbols, the default one first.
    pub async fn watchlists(&self) -> Result<Vec<WatchlistInfo>, EngineError> {
        let mut out = Vec::new();
        for name in self.list_names().await? {
            let symbols = self.0.store.watchlist(&name).await?;
            out.push(WatchlistInfo { name, symbols });
        }
        Ok(out)
    }

    /// Rows (live price, change) of the symbols on list `name`.
    pub async fn watchlist_rows(
        &self,
        name: &str,
    ) -> Result<Vec<tw_core::ipc::WatchRow>, EngineError> {
        let symbols = self.0.store.watchlist(name).await?;
        Ok(self.0.live.rows(&symbols))
    }

    pub async fn create_watchlist(&self, name: &str) -> Result<WatchlistInfo, EngineError> {
        let name = check_list_name(name)?;
        let mut names = self.list_names().await?;
        if names.contains(&name) {
            return Err(bad(format!("a watchlist named {name:?} already exists")));
        }
        names.push(name.clone());
        self.save_list_names(&names).await?;
        Ok(WatchlistInfo {
            name,
            symbols: Vec::new(),
        })
    }

    pub async fn rename_watchlist(&self, from: &str, to: &str) -> Result<(), EngineError> {
        let to = check_list_name(to)?;
        let mut names = self.list_names().await?;
        let Some(i) = names.iter().position(|n| n == from) else {
            return Err(bad(format!("there is no watchlist named {from:?}")));
        };
        if from == DEFAULT_WATCHLIST {
            return Err(bad(
                "the default watchlist cannot be renamed (feeds follow it)",
            ));
        }
        if names.contains(&to) {
            return Err(bad(format!("a watchlist named {to:?} already exists")));
        }
        self.0.store.watchlist_rename(from, &to).await?;
        names[i] = to.clone();
        self.save_list_names(&names).await?;
        self.watchlist_changed(from).await?;
        self.watchlist_changed(&to).await
    }

    pub async fn delete_watchlist(&self, name: &str) -> Result<(), EngineError> {
        if name == DEFAULT_WATCHLIST {
            return Err(bad(
                "the default watchlist cannot be deleted (feeds follow it)",
            ));
        }
        let mut names = self.list_names().await?;
        names.retain(|n| n != name);
        self.0.store.watchlist_delete(name).await?;
        self.save_list_names(&names).await?;
        self.watchlist_changed(name).await
    }

    /// Adds `symbol` to list `name`; on the default list a Binance feed that follows the
    /// watchlist subscribes it at once.
    pub async fn add_to_watchlist(&self, name: &str, symbol: &str) -> Result<(), EngineError> {
        let symbol = parse_symbol(symbol)?;
        if !self.list_names().await?.iter().any(|n| n == name) {
            return Err(bad(format!("there is no watchlist named {name:?}")));
        }
        if name == DEFAULT_WATCHLIST {
            return self.watch_symbol(symbol.as_str()).await;
        }
        self.0.store.watchlist_add(name, symbol.as_str()).await?;
        self.watchlist_changed(name).await
    }

    pub async fn remove_from_watchlist(&self, name: &str, symbol: &str) -> Result<(), EngineError> {
        let symbol = parse_symbol(symbol)?;
        if name == DEFAULT_WATCHLIST {
            return self.unwatch_symbol(symbol.as_str()).await;
        }
        self.0.store.watchlist_remove(name, symbol.as_str()).await?;
        self.watchlist_changed(name).await
    }

    pub async fn reorder_watchlist(
        &self,
        name: &str,
        symbols: &[String],
    ) -> Result<(), EngineError> {
        Ok(self.0.store.watchlist_reorder(name, symbols).await?)
    }

    /// Symbols whose code or name contains `query` (case-insensitive) across the running
    /// sources, plus A-shares by code, name or pinyin initials (from Tushare's `stock_basic`).
    pub async fn search_symbols(
        &self,
        query: &str,
        limit: u32,
    ) -> Result<Vec<SymbolMatch>, EngineError> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.clamp(1, 200) as usize;
        let mut out: Vec<SymbolMatch> = Vec::new();
        let mut seen = BTreeSet::new();
        // Live instruments first, codes that start with the query before the rest.
        let mut live: Vec<(bool, SymbolMatch)> = self
            .0
            .live
            .known()
            .into_iter()
            .filter_map(|(symbol, name, simulated)| {
                let code = symbol.split_once(':').map_or(symbol.as_str(), |(_, c)| c);
                let code_l = code.to_lowercase();
                let hit = code_l.contains(&q)
                    || name.to_lowercase().contains(&q)
                    || symbol.to_lowercase() == q;
                hit.then(|| {
                    let source = symbol.split_once(':').map_or("", |(s, _)| s).to_string();
                    (
                        !code_l.starts_with(&q),
                        SymbolMatch {
                            symbol,
                            name,
                            source,
                            pinyin: None,
                            simulated,
                        },
                    )
                })
            })
            .collect();
        live.sort_by(|a, b| (a.0, &a.1.symbol).cmp(&(b.0, &b.1.symbol)));
        for (_, m) in live {
            if seen.insert(m.symbol.clone()) {
                out.push(m);
            }
        }
        for s in self.search_stocks(query.trim(), limit as u32).await? {
            let symbol = if s.symbol.contains(':') {
                s.symbol.clone()
            } else {
                format!("tushare:{}", s.symbol)
            };
            if seen.insert(symbol.clone()) {
                out.push(SymbolMatch {
                    source: symbol.split_once(':').map_or("", |(s, _)| s).to_string(),
                    symbol,
                    name: s.name,
                    pinyin: Some(s.pinyin),
                    simulated: false,
                });
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// One page of older chart history: the `limit` stored bars of `symbol` that open before
    /// `before` (ms UTC), oldest first. An empty page means the chart reached the oldest bar.
    pub async fn candles_before(
        &self,
        symbol: &str,
        interval: Interval,
        before: i64,
        limit: u32,
    ) -> Result<Vec<tw_core::Candle>, EngineError> {
        let symbol = parse_symbol(symbol)?;
        if before <= 0 {
            return Err(bad(format!(
                "before: {before} is not a time (ms since 1970, UTC)"
            )));
        }
        if limit == 0 || limit > MAX_HISTORY_PAGE {
            return Err(bad(format!(
                "limit: {limit} bars; a page holds 1 to {MAX_HISTORY_PAGE}"
            )));
        }
        Ok(self
            .0
            .store
            .candles_before(symbol.as_str(), interval, before, limit)
            .await?)
    }

    /// The stored daily figures of a stock (turnover, 量比, PE, PB, market value, money flow)
    /// over the last `days` calendar days, oldest first.
    pub async fn fundamentals(
        &self,
        symbol: &str,
        days: u32,
    ) -> Result<Vec<FundamentalDay>, EngineError> {
        let symbol = parse_symbol(symbol)?;
        if !(1..=3660).contains(&days) {
            return Err(bad(format!("days: {days}; ask for 1 to 3660 days")));
        }
        let from = self.0.clock.now_ms() - i64::from(days) * 86_400_000;
        let rows = self
            .0
            .store
            .fundamentals(symbol.as_str(), from, i64::MAX)
            .await?;
        let mut out: Vec<FundamentalDay> = Vec::new();
        for (day_ms, metric, value) in rows {
            match out.last_mut() {
                Some(d) if d.day_ms == day_ms => {
                    d.values.insert(metric, value);
                }
                _ => out.push(FundamentalDay {
                    day_ms,
                    values: [(metric, value)].into_iter().collect(),
                }),
            }
        }
        Ok(out)
    }

    /// The last `points` closes of each symbol for the watchlist's sparklines, one indexed
    /// query per symbol. A symbol with fewer than two bars of `interval` gets its daily bars
    /// (sources with daily bars only), and the live bar of 1m is taken in.
    pub async fn sparklines(
        &self,
        symbols: &[String],
        interval: Interval,
        points: u32,
    ) -> Result<Vec<Sparkline>, EngineError> {
        if symbols.len() > MAX_SPARKLINE_SYMBOLS {
            return Err(bad(format!(
                "symbols: {} asked for, at most {MAX_SPARKLINE_SYMBOLS} per call",
                symbols.len()
            )));
        }
        if !(2..=MAX_SPARKLINE_POINTS).contains(&points) {
            return Err(bad(format!(
                "points: {points}; a sparkline has 2 to {MAX_SPARKLINE_POINTS} points"
            )));
        }
        let mut out = Vec::with_capacity(symbols.len());
        let mut seen = BTreeSet::new();
        for s in symbols {
            let symbol = parse_symbol(s)?;
            if !seen.insert(symbol.as_str().to_string()) {
                continue;
            }
            let store = &self.0.store;
            let mut used = interval;
            let mut closes = store
                .recent_closes(symbol.as_str(), interval, points)
                .await?;
            if interval == Interval::M1 {
                if let Some(cur) = self.0.live.current(symbol.as_str()) {
                    let stored = store.latest_candle_time(symbol.as_str(), interval).await?;
                    match stored {
                        Some(t) if t == cur.open_time => {
                            if let Some(last) = closes.last_mut() {
                                *last = cur.close;
                            }
                        }
                        Some(t) if t > cur.open_time => {}
                        _ => {
                            closes.push(cur.close);
                            if closes.len() > points as usize {
                                closes.remove(0);
                            }
                        }
                    }
                }
            }
            if closes.len() < 2 && interval != Interval::D1 {
                let daily = store
                    .recent_closes(symbol.as_str(), Interval::D1, points)
                    .await?;
                if daily.len() >= 2 {
                    used = Interval::D1;
                    closes = daily;
                }
            }
            out.push(Sparkline {
                symbol: symbol.as_str().to_string(),
                interval: used,
                closes,
            });
        }
        Ok(out)
    }

    /// The chart's indicator lines over the last `limit` stored bars of `symbol`, computed by
    /// the series code the rules read (warmed up on the bars before them).
    pub async fn indicator_series(
        &self,
        symbol: &str,
        interval: Interval,
        limit: u32,
        names: &[String],
    ) -> Result<IndicatorSeries, EngineError> {
        let symbol = parse_symbol(symbol)?;
        let keys = names
            .iter()
            .map(|n| {
                MetricKey::parse(n).ok_or_else(|| {
                    bad(format!(
                        "unknown indicator {n:?}; known: {}",
                        MetricKey::known_names()
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let limit = limit.clamp(1, 5_000);
        let bars = self
            .candles(symbol.as_str(), interval, limit + WARM_UP_BARS as u32)
            .await?;
        let mut book = chart_book(interval, &keys);
        let skip = bars.len().saturating_sub(limit as usize);
        let mut times = Vec::with_capacity(bars.len() - skip);
        let mut lines: Vec<IndicatorLine> = names
            .iter()
            .map(|n| IndicatorLine {
                name: n.clone(),
                values: Vec::with_capacity(bars.len() - skip),
            })
            .collect();
        let mut updates = Vec::new();
        for (i, bar) in bars.iter().enumerate() {
            updates.clear();
            book.on_event(&MarketEvent::Candle(bar.clone()), &mut updates);
            if i < skip {
                continue;
            }
            let last = updates.iter().rev().find(|u| u.interval == interval);
            times.push(bar.open_time);
            for (line, k) in lines.iter_mut().zip(&keys) {
                line.values.push(last.and_then(|u| u.metrics.get(*k)));
            }
        }
        Ok(IndicatorSeries { times, lines })
    }

    /// How often `spec` would have fired over the last `days` (at most 7) of stored candles:
    /// the candles go through a fresh series book and rule book, exactly as live data does.
    pub async fn preview_rule(
        &self,
        spec: &RuleSpec,
        days: u32,
    ) -> Result<RulePreview, EngineError> {
        let to = self.0.clock.now_ms();
        let days = (days as i64).clamp(1, PREVIEW_DAYS);
        let from = to - days * 86_400_000;
        let mut rule = compile(1, spec, None)?;
        // The preview judges the past: an expiry in the past must not silence it.
        rule.spec.expires_at = None;
        let interval = spec.interval;
        let mut symbols: Vec<Symbol> = rule.symbols.clone();
        let mut lists = WatchlistMap::new();
        if let Some(w) = &spec.target.watchlist {
            let syms: Vec<Symbol> = self
                .0
                .store
                .watchlist(w)
                .await?
                .iter()
                .filter_map(|s| Symbol::parse(s).ok())
                .collect();
            symbols.extend(syms.iter().cloned());
            lists.insert(w.clone(), syms);
        }
        if let Some(src) = &spec.target.source {
            symbols.extend(
                self.0
                    .live
                    .known()
                    .into_iter()
                    .filter(|(s, _, _)| s.split_once(':').is_some_and(|(x, _)| x == src))
                    .filter_map(|(s, _, _)| Symbol::parse(&s).ok()),
            );
        }
        symbols.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        symbols.dedup();
        symbols.truncate(MAX_PREVIEW_SYMBOLS);

        // The rule backtest's replay: the live series and rule code on a manual clock, the
        // symbols' bars interleaved in market time as a live feed delivers them.
        let mut replay = RuleReplay::new(vec![rule], &lists, ManualClock::new(from));
        let mut fired = 0u32;
        let mut hits = Vec::new();
        let mut used = Vec::new();
        let warm_from = from - WARM_UP_BARS * interval.millis();
        let mut bars = Vec::new();
        for sym in &symbols {
            let mine = self
                .0
                .store
                .candles_between(sym.as_str(), interval, warm_from, to)
                .await?;
            if mine.is_empty() {
                continue;
            }
            used.push(sym.as_str().to_string());
            bars.extend(mine.into_iter().filter(|b| b.closed));
        }
        bars.sort_by(|a, b| {
            (a.close_time(), a.symbol.as_str()).cmp(&(b.close_time(), b.symbol.as_str()))
        });
        for bar in &bars {
            replay.push(bar, |_, fires| {
                for f in fires {
                    if f.alert.fired_at < from {
                        continue;
                    }
                    fired += 1;
                    if hits.len() < MAX_PREVIEW_HITS {
                        hits.push(PreviewHit {
                            symbol: f.alert.symbol.clone(),
                            fired_at: f.alert.fired_at,
                            message: f.alert.message.clone(),
                            level: f.alert.level,
                        });
                    }
                }
            });
        }
        hits.sort_by_key(|h| h.fired_at);
        Ok(RulePreview {
            fired,
            from,
            to,
            symbols: used,
            hits,
        })
    }

    /// The window's settings, with the engine-wide ones (retention, local API) they show.
    pub async fn ui_settings(&self) -> Result<UiSettings, EngineError> {
        let store = &self.0.store;
        let mut s = match store.setting(UI_KEY).await? {
            Some(raw) => serde_json::from_str::<UiSettings>(&raw).unwrap_or_else(|e| {
                tracing::warn!("setting {UI_KEY} unreadable ({e}); using the defaults");
                UiSettings::default()
            }),
            None => UiSettings::default(),
        };
        s.local_api_enabled = store.setting(API_ENABLED).await?.as_deref() == Some("true");
        s.local_api_port = match store.setting(API_PORT).await? {
            Some(p) => p.trim().parse().unwrap_or(DEFAULT_API_PORT),
            None => DEFAULT_API_PORT,
        };
        for (key, value) in retention_fields(&mut s) {
            if let Some(d) = store.setting(key).await? {
                *value = d.trim().parse().unwrap_or(*value);
            }
        }
        Ok(s)
    }

    /// Checks and stores the settings; a bad value is refused with the field named.
    pub async fn set_ui_settings(&self, s: &UiSettings) -> Result<(), EngineError> {
        validate_ui_settings(s)?;
        let store = &self.0.store;
        let raw = serde_json::to_string(s).expect("settings serialise");
        store.set_setting(UI_KEY, &raw).await?;
        store
            .set_setting(
                API_ENABLED,
                if s.local_api_enabled { "true" } else { "false" },
            )
            .await?;
        store
            .set_setting(API_PORT, &s.local_api_port.to_string())
            .await?;
        let mut s = s.clone();
        for (key, value) in retention_fields(&mut s) {
            store.set_setting(key, &value.to_string()).await?;
        }
        Ok(())
    }
}

pub fn validate_ui_settings(s: &UiSettings) -> Result<(), EngineError> {
    if !["system", "en", "zh-CN"].contains(&s.language.as_str()) {
        return Err(bad(format!(
            "language: {:?} is not one of system, en, zh-CN",
            s.language
        )));
    }
    if !["system", "light", "dark"].contains(&s.theme.as_str()) {
        return Err(bad(format!(
            "theme: {:?} is not one of system, light, dark",
            s.theme
        )));
    }
    if !["green_up", "red_up"].contains(&s.up_color.as_str()) {
        return Err(bad(format!(
            "upColor: {:?} is not one of green_up, red_up",
            s.up_color
        )));
    }
    if s.local_api_port < 1024 {
        return Err(bad(format!(
            "localApiPort: {} is a privileged port; pick one from 1024 to 65535",
            s.local_api_port
        )));
    }
    let days = [
        ("retention1mDays", s.retention_1m_days),
        ("retention5mDays", s.retention_5m_days),
        ("retention15mDays", s.retention_15m_days),
        ("retention1hDays", s.retention_1h_days),
        ("retention4hDays", s.retention_4h_days),
        ("retention1dDays", s.retention_1d_days),
    ];
    for (field, d) in days {
        if d > 36_500 {
            return Err(bad(format!(
                "{field}: {d} is more than a hundred years (0 keeps forever)"
            )));
        }
    }
    if s.max_db_mb != 0 && s.max_db_mb < 16 {
        return Err(bad(format!(
            "maxDbMb: {} MB is too small to hold a day of data (16 at least, 0: no limit)",
            s.max_db_mb
        )));
    }
    if s.max_candles_per_series != 0 && s.max_candles_per_series < 100 {
        return Err(bad(format!(
            "maxCandlesPerSeries: {} is too few for the indicators (100 at least, 0: no limit)",
            s.max_candles_per_series
        )));
    }
    Ok(())
}

/// The retention settings and the engine-wide keys the pruning task reads
/// (`tw_store::Retention::load`).
fn retention_fields(s: &mut UiSettings) -> [(&'static str, &mut u32); 8] {
    [
        (RETENTION_1M, &mut s.retention_1m_days),
        ("retention.5m_days", &mut s.retention_5m_days),
        ("retention.15m_days", &mut s.retention_15m_days),
        ("retention.1h_days", &mut s.retention_1h_days),
        ("retention.4h_days", &mut s.retention_4h_days),
        ("retention.1d_days", &mut s.retention_1d_days),
        ("retention.max_db_mb", &mut s.max_db_mb),
        (
            "retention.max_candles_per_series",
            &mut s.max_candles_per_series,
        ),
    ]
}

/// A series book for one interval that computes `keys` (extra sma/ema periods included).
fn chart_book(interval: Interval, keys: &[MetricKey]) -> SeriesBook {
    let mut book = SeriesBook::new(SeriesConfig {
        intervals: vec![interval],
        ..SeriesConfig::default()
    });
    for k in keys {
        book.track(*k);
    }
    book
}

impl EngineHandle {
    /// "Test connection" of a data source, in words: Tushare (its token's points decide what
    /// it may call) and the Binance venues (with their saved settings); the other public
    /// feeds report their health live instead.
    pub async fn test_source_connection(
        &self,
        source: &str,
        token: Option<tw_core::Sensitive<String>>,
    ) -> Result<tw_core::ui::ConnectionTest, EngineError> {
        if tw_feeds::binance::Venue::parse(source).is_some() {
            return self.test_binance_connection(source, None).await;
        }
        if source != tw_feeds::tushare::SOURCE {
            return Err(bad(format!(
                "{source:?} has no connection test; its health card shows the live state"
            )));
        }
        let token = token.filter(|t| !t.expose().trim().is_empty());
        let report = self.test_tushare_connection(token).await?;
        Ok(tw_core::ui::ConnectionTest {
            ok: report.token_ok && report.interfaces.iter().all(|(_, r)| r.is_ok()),
            summary: report.summary(),
            checks: report
                .interfaces
                .iter()
                .map(|(name, r)| tw_core::ui::ConnectionCheck {
                    name: name.clone(),
                    ok: r.is_ok(),
                    detail: match r {
                        Ok(rows) => format!("{rows} rows"),
                        Err(e) => e.clone(),
                    },
                })
                .collect(),
        })
    }
}
