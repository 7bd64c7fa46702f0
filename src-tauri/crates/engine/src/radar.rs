//! The live market radar over every symbol the engine sees, and the broadcast of anomalies
//! the detector flags on closed live bars (for the local API's stream and the UI).

use crate::live::LiveState;
use std::sync::Mutex;
use tokio::sync::broadcast;
use tw_analytics::radar::{MoveWindow, Radar, RadarRow};
use tw_analytics::series::Flagged;
use tw_analytics::SeriesUpdate;
use tw_core::ipc::{Radar as RadarView, RadarAnomaly, RadarMover, RadarOiChange};

/// Most rows per list a caller may ask for.
pub const MAX_RADAR_ROWS: usize = 500;

pub(crate) struct RadarState {
    radar: Mutex<Radar>,
    anomalies: broadcast::Sender<RadarAnomaly>,
}

impl RadarState {
    pub fn new() -> Self {
        RadarState {
            radar: Mutex::new(Radar::all()),
            anomalies: broadcast::channel(1024).0,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<RadarAnomaly> {
        self.anomalies.subscribe()
    }

    /// Takes the updates of one market event and what the detector flagged in them; a
    /// flagged closed live bar is announced once.
    pub fn apply(&self, updates: &[SeriesUpdate], flagged: &[Flagged], live: &LiveState) {
        {
            let mut r = self.radar.lock().unwrap();
            for u in updates {
                r.on_update(u);
            }
            for f in flagged {
                r.on_flagged(f);
            }
        }
        if self.anomalies.receiver_count() == 0 {
            return;
        }
        for f in flagged.iter().filter(|f| f.closed) {
            let (name, simulated) = live.name_of(f.symbol.as_str());
            // Nobody listening is fine: the radar still has it.
            let _ = self.anomalies.send(RadarAnomaly {
                symbol: f.symbol.to_string(),
                name,
                simulated,
                interval: f.interval,
                score: f.score,
                flagged: true,
                reasons: f.reasons.clone(),
                price: f.price,
                bar_open: f.open_time,
                at: f.at_ms,
                closed: true,
            });
        }
    }

    /// The lists, `limit` rows each (1 to [`MAX_RADAR_ROWS`]); anomalies scoring under
    /// `min_score` are left out.
    pub fn view(&self, limit: usize, min_score: f64, live: &LiveState) -> RadarView {
        let n = limit.clamp(1, MAX_RADAR_ROWS);
        let r = self.radar.lock().unwrap();
        let anomalies = r.top_anomalies(n, min_score, None);
        let movers = |w| r.top_movers(w, n);
        let (m5, h1, h24, rvol) = (
            movers(MoveWindow::M5),
            movers(MoveWindow::H1),
            movers(MoveWindow::H24),
            r.top_rvol(n),
        );
        let oi = r.top_oi_changes(n);
        drop(r);
        let mover = |row: RadarRow| {
            let (name, simulated) = live.name_of(row.symbol.as_str());
            RadarMover {
                symbol: row.symbol.to_string(),
                name,
                simulated,
                interval: row.interval,
                price: row.price,
                value: row.value,
                at: row.at_ms,
            }
        };
        let movers = |rows: Vec<RadarRow>| rows.into_iter().map(mover).collect();
        RadarView {
            anomalies: anomalies
                .into_iter()
                .map(|row| {
                    let (name, simulated) = live.name_of(row.symbol.as_str());
                    RadarAnomaly {
                        symbol: row.symbol.to_string(),
                        name,
                        simulated,
                        interval: row.interval,
                        score: row.value,
                        flagged: row.flagged,
                        reasons: row.reasons,
                        price: row.price,
                        bar_open: row.open_time,
                        at: row.at_ms,
                        closed: row.closed,
                    }
                })
                .collect(),
            movers_5m: movers(m5),
            movers_1h: movers(h1),
            movers_24h: movers(h24),
            relative_volume: movers(rvol),
            oi_changes: oi
                .into_iter()
                .map(|row| {
                    let (name, simulated) = live.name_of(row.symbol.as_str());
                    RadarOiChange {
                        symbol: row.symbol.to_string(),
                        name,
                        simulated,
                        open_interest: row.open_interest,
                        change_pct: row.change_pct,
                        price: row.price,
                        at: row.at_ms,
                    }
                })
                .collect(),
        }
    }
}
