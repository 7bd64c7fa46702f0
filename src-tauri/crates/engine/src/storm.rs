//! Storm control, quiet hours and the global pause: which stored alerts become OS
//! notifications, and when. Pure and clock-driven: the dispatcher hands in `now`.
//!
//! - Within a storm window, the first `storm_max` alerts are shown one by one; the rest are
//!   grouped into one notification when the window ends ("20 more alerts in 10 s: BTC, …").
//! - While paused or in quiet hours, notifications are held (the alerts are stored and listed
//!   as always); a digest is shown when the hold ends.

use std::collections::BTreeMap;
use tw_core::delivery::DeliverySettings;
use tw_core::{Alert, Level};

/// One OS notification to show.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    One(Alert),
    /// Alerts grouped by storm control.
    Group {
        count: usize,
        window_s: u32,
        symbols: Vec<String>,
        level: Level,
    },
    /// What was held during a pause or quiet hours.
    Digest {
        count: usize,
        by_level: BTreeMap<Level, usize>,
        symbols: Vec<String>,
        level: Level,
    },
    /// The circuit breaker paused a rule.
    RulePaused {
        rule_name: String,
        fired: u32,
        window_s: i64,
        minutes: i64,
    },
}

const LISTED: usize = 6;

impl Notice {
    pub fn title(&self) -> String {
        match self {
            Notice::One(a) => crate::alerts::summary(a),
            Notice::Group {
                count, window_s, ..
            } => {
                format!("{count} more alerts in {window_s} s")
            }
            Notice::Digest { count, .. } => format!("{count} alerts while notifications were held"),
            Notice::RulePaused { rule_name, .. } => format!("Rule paused: {rule_name}"),
        }
    }
    pub fn body(&self) -> String {
        match self {
            Notice::One(a) => a.message.clone(),
            Notice::Group { symbols, count, .. } => list(symbols, *count),
            Notice::Digest {
                by_level, symbols, ..
            } => {
                let levels: Vec<String> = by_level
                    .iter()
                    .rev()
                    .map(|(l, n)| format!("{n} {}", l.as_str()))
                    .collect();
                format!("{}; {}", levels.join(", "), list(symbols, symbols.len()))
            }
            Notice::RulePaused {
                fired,
                window_s,
                minutes,
                ..
            } => format!(
                "It fired {fired} times within {window_s} s, so it is paused for {minutes} min. \
                 Its alerts so far are stored."
            ),
        }
    }
    pub fn level(&self) -> Level {
        match self {
            Notice::One(a) => a.level,
            Notice::Group { level, .. } | Notice::Digest { level, .. } => *level,
            Notice::RulePaused { .. } => Level::Medium,
        }
    }
}

/// "BTCUSDT, ETHUSDT, … (+12)": the distinct codes, the first few of them.
fn list(symbols: &[String], _count: usize) -> String {
    let mut s: Vec<&str> = symbols
        .iter()
        .take(LISTED)
        .map(|s| s.split_once(':').map_or(s.as_str(), |(_, c)| c))
        .collect();
    if symbols.len() > LISTED {
        s.push("…");
    }
    let more = symbols.len().saturating_sub(LISTED);
    if more > 0 {
        format!("{} (+{more} symbols)", s.join(", "))
    } else {
        s.join(", ")
    }
}

/// Alerts counted for a group or a digest. The held one is stored (as JSON) so a digest
/// pending at a restart is still shown.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Bucket {
    count: usize,
    symbols: Vec<String>,
    level: Option<Level>,
    by_level: BTreeMap<Level, usize>,
}

impl Bucket {
    fn add(&mut self, a: &Alert) {
        self.count += 1;
        if !self.symbols.contains(&a.symbol) {
            self.symbols.push(a.symbol.clone());
        }
        self.level = Some(self.level.map_or(a.level, |l| l.max(a.level)));
        *self.by_level.entry(a.level).or_default() += 1;
    }
}

pub struct Gate {
    cfg: DeliverySettings,
    window_start: Option<i64>,
    shown_in_window: u32,
    grouped: Bucket,
    held: Bucket,
    holding: bool,
    /// `held` changed since [`Gate::take_held_change`] last looked.
    held_dirty: bool,
}

impl Gate {
    pub fn new(cfg: DeliverySettings) -> Self {
        Gate {
            cfg,
            window_start: None,
            shown_in_window: 0,
            grouped: Bucket::default(),
            held: Bucket::default(),
            holding: false,
            held_dirty: false,
        }
    }

    pub fn set_settings(&mut self, cfg: DeliverySettings) {
        self.cfg = cfg;
    }

    fn window_ms(&self) -> i64 {
        i64::from(self.cfg.storm_window_s.max(1)) * 1000
    }

    fn held_now(&self, now_ms: i64, paused: bool) -> bool {
        paused || self.cfg.quiet_hours.is_some_and(|q| q.contains(now_ms))
    }

    /// Whether an alert offered now would be held (quiet hours or the pause; a critical one
    /// passes quiet hours when they allow it). Call after [`Gate::tick`] for the same time.
    pub fn holds(&self, a: &Alert, paused: bool) -> bool {
        let critical_passes = a.level == Level::Critical
            && !paused
            && self.cfg.quiet_hours.is_some_and(|q| q.allow_critical);
        self.holding && !critical_passes
    }

    /// An alert was stored: what to show now (grouped and held alerts show later).
    pub fn offer(&mut self, a: &Alert, now_ms: i64, paused: bool) -> Vec<Notice> {
        let mut out = self.tick(now_ms, paused);
        if self.holds(a, paused) {
            self.held.add(a);
            self.held_dirty = true;
            return out;
        }
        let start = *self.window_start.get_or_insert(now_ms);
        if now_ms - start >= self.window_ms() {
            self.window_start = Some(now_ms);
            self.shown_in_window = 0;
        }
        if self.shown_in_window < self.cfg.storm_max {
            self.shown_in_window += 1;
            out.push(Notice::One(a.clone()));
        } else {
            self.grouped.add(a);
        }
        out
    }

    /// Time passing: closes a storm window, starts or ends a hold.
    pub fn tick(&mut self, now_ms: i64, paused: bool) -> Vec<Notice> {
        let mut out = Vec::new();
        if let Some(start) = self.window_start {
            if now_ms - start >= self.window_ms() {
                self.window_start = None;
                self.shown_in_window = 0;
                let g = std::mem::take(&mut self.grouped);
                if g.count > 0 {
                    let group = Notice::Group {
                        count: g.count,
                        window_s: self.cfg.storm_window_s,
                        level: g.level.unwrap_or_default(),
                        symbols: g.symbols,
                    };
                    // A storm that ends inside a hold goes into the digest.
                    if self.held_now(now_ms, paused) {
                        self.held.count += g.count;
                        self.held_dirty = true;
                    } else {
                        out.push(group);
                    }
                }
            }
        }
        let hold = self.held_now(now_ms, paused);
        if self.holding && !hold {
            let h = std::mem::take(&mut self.held);
            if h.count > 0 {
                self.held_dirty = true;
                out.push(Notice::Digest {
                    count: h.count,
                    level: h.level.unwrap_or_default(),
                    by_level: h.by_level,
                    symbols: h.symbols,
                });
            }
        }
        self.holding = hold;
        out
    }

    /// The held digest as it is now, when it changed since the last call: `Some(None)` once
    /// it is empty (shown), `Some(Some(json))` while alerts are held.
    pub fn take_held_change(&mut self) -> Option<Option<String>> {
        if !std::mem::take(&mut self.held_dirty) {
            return None;
        }
        Some(if self.held.count == 0 {
            None
        } else {
            Some(serde_json::to_string(&self.held).expect("a digest serialises"))
        })
    }

    /// Takes back a digest stored before a restart: its alerts are held (shown as a digest at
    /// the first tick outside the hold, which may be at once).
    pub fn restore_held(&mut self, json: &str) -> Result<(), serde_json::Error> {
        let b: Bucket = serde_json::from_str(json)?;
        if b.count > 0 {
            self.held = b;
            self.holding = true;
        }
        Ok(())
    }

    /// When [`Gate::tick`] next has something to do.
    pub fn next_deadline(&self) -> Option<i64> {
        self.window_start.map(|s| s + self.window_ms())
    }
}

#[cfg(test)]
mod tests;
