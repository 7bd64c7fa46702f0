//! The radar: the engine's live market radar in the API's wire form. Items are the symbols
//! with the highest composite anomaly score (with the detector's reasons), then the top
//! movers over 5 minutes, 1 hour and 24 hours and by relative volume, and the futures
//! contracts with the largest open-interest changes.

use crate::wire::{Mover, OiChange, Radar, RadarItem};

/// What `score` means in a radar response.
pub const RANKED_BY: &str = "anomaly_score";

/// The engine's radar as the API sends it.
pub fn to_wire(r: tw_core::ipc::Radar) -> Radar {
    let movers = |v: Vec<tw_core::ipc::RadarMover>| v.into_iter().map(Mover::from).collect();
    Radar {
        ranked_by: RANKED_BY,
        items: r.anomalies.into_iter().map(RadarItem::from).collect(),
        movers_5m: movers(r.movers_5m),
        movers_1h: movers(r.movers_1h),
        movers_24h: movers(r.movers_24h),
        relative_volume: movers(r.relative_volume),
        oi_changes: r.oi_changes.into_iter().map(OiChange::from).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tw_core::ipc::{RadarAnomaly, RadarMover, RadarOiChange};
    use tw_core::Interval;

    #[test]
    fn wire_form_names_the_interval_and_keeps_reasons_and_lists() {
        let r = tw_core::ipc::Radar {
            anomalies: vec![RadarAnomaly {
                symbol: "demo:GAMMA".into(),
                name: "Gamma".into(),
                simulated: true,
                interval: Interval::M5,
                score: 4.5,
                flagged: true,
                reasons: vec!["volume 6.2σ above its 60-bar norm".into()],
                price: 10.0,
                bar_open: 1,
                at: 2,
                closed: true,
            }],
            movers_5m: vec![],
            movers_1h: vec![RadarMover {
                symbol: "demo:ALPHA".into(),
                name: "Alpha".into(),
                simulated: true,
                interval: Interval::M1,
                price: 9.0,
                value: -3.0,
                at: 2,
            }],
            movers_24h: vec![],
            relative_volume: vec![],
            oi_changes: vec![RadarOiChange {
                symbol: "binance-usdm:BTCUSDT".into(),
                name: "BTCUSDT".into(),
                simulated: false,
                open_interest: 100_000.0,
                change_pct: -12.5,
                price: 90_000.0,
                at: 3,
            }],
        };
        let v = serde_json::to_value(to_wire(r)).unwrap();
        assert_eq!(v["rankedBy"], "anomaly_score");
        assert_eq!(v["items"][0]["interval"], "5m");
        assert_eq!(v["items"][0]["barOpen"], 1);
        assert_eq!(
            v["items"][0]["reasons"][0],
            "volume 6.2σ above its 60-bar norm"
        );
        assert_eq!(v["movers1h"][0]["value"], -3.0);
        assert!(v["movers5m"].as_array().unwrap().is_empty());
        assert!(v["relativeVolume"].is_array());
        assert_eq!(v["oiChanges"][0]["openInterest"], 100_000.0);
        assert_eq!(v["oiChanges"][0]["changePct"], -12.5);
        assert_eq!(v["oiChanges"][0]["symbol"], "binance-usdm:BTCUSDT");
    }
}
