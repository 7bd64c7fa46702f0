//! The A-share panel's data: a stock's stored daily figures grouped per day, as published
//! (a figure the source left out stays absent).

use tw_core::ipc::ErrorCode;
use tw_core::{Fundamentals, ManualClock, Symbol};
use tw_engine::Engine;

mod common;

use common::{config, quiet_demo, T0};

const DAY: i64 = 86_400_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_figures_come_back_per_day_without_invented_values() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(dir.path(), &clock, quiet_demo(3, 10)))
        .await
        .unwrap();
    let sym = Symbol::parse("tushare:600036.SH").unwrap();
    let day0 = T0 - T0.rem_euclid(DAY) - 2 * DAY;
    let f = |day_ms: i64, values: &[(&str, f64)]| Fundamentals {
        symbol: sym.clone(),
        day_ms,
        values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        backfill: true,
    };
    engine
        .store()
        .upsert_fundamentals(&[
            f(day0 - 40 * DAY, &[("pe", 5.0)]),
            f(day0, &[("turnover_rate", 0.41), ("pe", 6.2), ("pb", 0.9)]),
            // A loss-making day: no PE published.
            f(
                day0 + DAY,
                &[("turnover_rate", 0.52), ("main_net_inflow", -1.5e8)],
            ),
        ])
        .await
        .unwrap();
    let days = engine.fundamentals(sym.as_str(), 30).await.unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].day_ms, day0);
    assert_eq!(days[0].values["pe"], 6.2);
    assert_eq!(days[1].values["main_net_inflow"], -1.5e8);
    assert!(!days[1].values.contains_key("pe"));
    assert_eq!(
        engine.fundamentals(sym.as_str(), 60).await.unwrap().len(),
        3
    );
    let e = engine.fundamentals(sym.as_str(), 0).await.unwrap_err();
    assert_eq!(e.to_api().code, ErrorCode::InvalidInput);
    assert!(e.to_string().starts_with("days:"), "{e}");
    assert!(engine.fundamentals("600036", 30).await.is_err());
    engine.shutdown().await;
}
