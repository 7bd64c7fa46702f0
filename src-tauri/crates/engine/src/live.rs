//! What the UI sees live: the latest row per symbol and the latest state of changed candles,
//! coalesced so the UI gets a few batches a second however fast the market moves.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;
use tw_analytics::{MetricKey, SeriesUpdate};
use tw_core::ipc::{LiveBatch, WatchRow};
use tw_core::Candle;

#[derive(Default)]
struct Inner {
    rows: BTreeMap<String, WatchRow>,
    current: HashMap<String, Candle>,
    dirty_rows: BTreeSet<String>,
    dirty_candles: BTreeMap<String, Candle>,
    /// Interval (ms) and time of the relative volume a row shows.
    rvol_from: HashMap<String, (i64, i64)>,
}

#[derive(Default)]
pub struct LiveState {
    names: HashMap<String, (String, bool)>,
    inner: Mutex<Inner>,
}

impl LiveState {
    /// `names`: symbol → (human name, simulated).
    pub fn new(names: HashMap<String, (String, bool)>) -> Self {
        LiveState {
            names,
            inner: Mutex::default(),
        }
    }

    fn blank_row(&self, symbol: &str) -> WatchRow {
        let (name, simulated) = self.names.get(symbol).cloned().unwrap_or_else(|| {
            let code = symbol.split_once(':').map_or(symbol, |(_, c)| c);
            (code.to_string(), symbol.starts_with("demo:"))
        });
        WatchRow {
            symbol: symbol.to_string(),
            name,
            simulated,
            price: None,
            change_pct: None,
            volume: None,
            rel_volume: None,
            updated_at: None,
        }
    }

    /// (human name, simulated) of a symbol, whether or not it has a row yet.
    pub fn name_of(&self, symbol: &str) -> (String, bool) {
        let row = self.blank_row(symbol);
        (row.name, row.simulated)
    }

    pub fn apply(&self, u: &SeriesUpdate) {
        let sym = u.symbol.as_str();
        let mut g = self.inner.lock().unwrap();
        let row = match g.rows.get_mut(sym) {
            Some(r) => r,
            None => {
                let blank = self.blank_row(sym);
                g.rows.entry(sym.to_string()).or_insert(blank)
            }
        };
        if row.updated_at.is_some_and(|t| t > u.at_ms) {
            return;
        }
        row.price = Some(u.bar.close);
        row.change_pct = u.metrics.get(MetricKey::ChangePct);
        row.volume = Some(u.bar.volume);
        row.updated_at = Some(u.at_ms);
        // Relative volume of the finest interval that has one (as the radar ranks it); a
        // coarser one stands in when the finer one has not updated for a bar.
        if let Some(r) = u.metrics.get(MetricKey::Rvol) {
            let ms = u.interval.millis();
            let take = g
                .rvol_from
                .get(sym)
                .is_none_or(|&(i, t)| ms <= i || u.at_ms - t > i);
            if take {
                g.rvol_from.insert(sym.to_string(), (ms, u.at_ms));
                if let Some(row) = g.rows.get_mut(sym) {
                    row.rel_volume = Some(r);
                }
            }
        }
        g.dirty_rows.insert(sym.to_string());
        if u.live {
            g.current.insert(sym.to_string(), u.bar.clone());
            g.dirty_candles.insert(sym.to_string(), u.bar.clone());
        }
    }

    /// What changed since the last call, or `None` if nothing did.
    pub fn take_batch(&self) -> Option<LiveBatch> {
        let mut g = self.inner.lock().unwrap();
        if g.dirty_rows.is_empty() && g.dirty_candles.is_empty() {
            return None;
        }
        let dirty = std::mem::take(&mut g.dirty_rows);
        let rows = dirty
            .iter()
            .filter_map(|s| g.rows.get(s).cloned())
            .collect();
        let candles = std::mem::take(&mut g.dirty_candles).into_values().collect();
        Some(LiveBatch { rows, candles })
    }

    pub fn rows(&self, symbols: &[String]) -> Vec<WatchRow> {
        let g = self.inner.lock().unwrap();
        symbols
            .iter()
            .map(|s| g.rows.get(s).cloned().unwrap_or_else(|| self.blank_row(s)))
            .collect()
    }

    /// Every symbol the running feeds name or have sent: (symbol, name, simulated), for the
    /// symbol search.
    pub fn known(&self) -> Vec<(String, String, bool)> {
        let g = self.inner.lock().unwrap();
        let mut out: Vec<(String, String, bool)> = self
            .names
            .iter()
            .map(|(s, (n, sim))| (s.clone(), n.clone(), *sim))
            .collect();
        for (s, r) in &g.rows {
            if !self.names.contains_key(s) {
                out.push((s.clone(), r.name.clone(), r.simulated));
            }
        }
        out
    }

    /// The live (possibly unwritten) bar of a symbol.
    pub fn current(&self, symbol: &str) -> Option<Candle> {
        self.inner.lock().unwrap().current.get(symbol).cloned()
    }
}
