//! The window's own engine calls on a headless engine with the seeded demo market on a manual
//! clock: named watchlists, symbol search (pinyin initials included), the chart's indicator
//! series and the rule preview over stored candles, and the settings.

use std::sync::Arc;
use tw_core::ipc::ErrorCode;
use tw_core::rule::RuleSpec;
use tw_core::ui::UiSettings;
use tw_core::{Interval, ManualClock, SharedClock};
use tw_engine::{Engine, EngineConfig, EngineHandle};
use tw_feeds::demo::DemoConfig;
use tw_store::StockSymbol;

const T0: i64 = 1_767_607_200_000; // 2026-01-05 10:00:00 UTC

async fn start(dir: &std::path::Path, clock: &ManualClock, history_minutes: u32) -> EngineHandle {
    let mut cfg = EngineConfig::new(dir);
    cfg.clock = Arc::new(clock.clone()) as SharedClock;
    cfg.demo = Some(DemoConfig {
        seed: 11,
        history_minutes,
        showcase_burst: false,
        ..DemoConfig::default()
    });
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-test".into();
    let engine = Engine::start(cfg).await.unwrap();
    // Let the simulated history reach the store.
    for _ in 0..8 {
        clock.advance(250).await;
    }
    engine.flush().await.unwrap();
    engine
}

fn code(e: tw_engine::EngineError) -> ErrorCode {
    e.to_api().code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn named_watchlists_create_add_reorder_rename_delete() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = start(dir.path(), &clock, 10).await;

    let lists = engine.watchlists().await.unwrap();
    assert_eq!(lists[0].name, "default");
    assert!(
        lists[0].symbols.len() >= 5,
        "the first start fills the default list"
    );

    // An empty list exists by name alone and survives a restart of the handle's view.
    engine.create_watchlist("  Crypto  ").await.unwrap();
    let names: Vec<_> = engine
        .watchlists()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(names, ["default", "Crypto"]);
    assert_eq!(
        code(engine.create_watchlist("Crypto").await.unwrap_err()),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(engine.create_watchlist("  ").await.unwrap_err()),
        ErrorCode::InvalidInput
    );

    for s in ["demo:ALPHA", "demo:BETA", "demo:GAMMA"] {
        engine.add_to_watchlist("Crypto", s).await.unwrap();
    }
    engine
        .add_to_watchlist("Crypto", "demo:ALPHA")
        .await
        .unwrap(); // twice: kept once
    let err = engine
        .add_to_watchlist("Crypto", "no-colon")
        .await
        .unwrap_err();
    assert_eq!(code(err), ErrorCode::InvalidInput);
    let err = engine
        .add_to_watchlist("Nope", "demo:ALPHA")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Nope"), "{err}");

    engine
        .reorder_watchlist("Crypto", &["demo:GAMMA".into(), "demo:ALPHA".into()])
        .await
        .unwrap();
    let rows = engine.watchlist_rows("Crypto").await.unwrap();
    let order: Vec<_> = rows.iter().map(|r| r.symbol.as_str()).collect();
    assert_eq!(order, ["demo:GAMMA", "demo:ALPHA", "demo:BETA"]);
    assert!(
        rows.iter().all(|r| r.price.is_some()),
        "rows carry live prices"
    );

    engine
        .remove_from_watchlist("Crypto", "demo:ALPHA")
        .await
        .unwrap();
    engine.rename_watchlist("Crypto", "Majors").await.unwrap();
    let lists = engine.watchlists().await.unwrap();
    assert_eq!(lists[1].name, "Majors");
    assert_eq!(lists[1].symbols, ["demo:GAMMA", "demo:BETA"]);
    assert!(engine.rename_watchlist("default", "x").await.is_err());
    assert!(engine.delete_watchlist("default").await.is_err());
    engine.delete_watchlist("Majors").await.unwrap();
    assert_eq!(engine.watchlists().await.unwrap().len(), 1);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_live_instruments_and_a_shares_by_pinyin_initials() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = start(dir.path(), &clock, 5).await;
    engine
        .store()
        .upsert_stock_symbols(
            &[StockSymbol {
                symbol: "tushare:000001.SZ".into(),
                name: "平安银行".into(),
                pinyin: "PAYH".into(),
                area: Some("深圳".into()),
                industry: Some("银行".into()),
                market: Some("主板".into()),
                list_date: Some("19910403".into()),
            }],
            T0,
        )
        .await
        .unwrap();

    let hits = engine.search_symbols("alp", 20).await.unwrap();
    assert_eq!(hits[0].symbol, "demo:ALPHA");
    assert!(hits[0].simulated);
    let hits = engine.search_symbols("payh", 20).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].symbol, "tushare:000001.SZ");
    assert_eq!(hits[0].pinyin.as_deref(), Some("PAYH"));
    let hits = engine.search_symbols("000001", 20).await.unwrap();
    assert!(hits.iter().any(|h| h.name == "平安银行"));
    assert!(engine.search_symbols("  ", 20).await.unwrap().is_empty());
    assert!(engine
        .search_symbols("zzzzzz", 20)
        .await
        .unwrap()
        .is_empty());
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indicator_series_match_the_stored_candles() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = start(dir.path(), &clock, 120).await;
    let names = [
        "sma(20)".to_string(),
        "rsi".into(),
        "bb_upper".into(),
        "sma(7)".into(),
    ];
    let s = engine
        .indicator_series("demo:ALPHA", Interval::M1, 60, &names)
        .await
        .unwrap();
    let candles = engine
        .candles("demo:ALPHA", Interval::M1, 60)
        .await
        .unwrap();
    assert_eq!(
        s.times,
        candles.iter().map(|c| c.open_time).collect::<Vec<_>>()
    );
    // Warmed up on the bars before the window: every value is there.
    let sma20 = &s.lines[0].values;
    assert!(sma20.iter().all(Option::is_some));
    // sma(20) of a closed bar is the mean of the last 20 closes.
    let all = engine
        .candles("demo:ALPHA", Interval::M1, 80)
        .await
        .unwrap();
    let i = all.len() - 2; // the last closed bar
    assert!(all[i].closed);
    let want: f64 = all[i - 19..=i].iter().map(|c| c.close).sum::<f64>() / 20.0;
    let got = sma20[sma20.len() - 2].unwrap();
    assert!(
        (got - want).abs() < 1e-9 * want.abs(),
        "sma(20) {got} vs {want}"
    );
    let rsi = s.lines[1]
        .values
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>();
    assert!(rsi.iter().all(|r| (0.0..=100.0).contains(r)));
    // A period no default computes is computed on demand.
    assert!(s.lines[3].values.iter().all(Option::is_some));

    let err = engine
        .indicator_series("demo:ALPHA", Interval::M1, 60, &["volme_z".into()])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("volme_z"), "{err}");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_history_pages_back_and_sparklines_take_the_latest_closes() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = start(dir.path(), &clock, 120).await;
    let first = engine
        .candles("demo:ALPHA", Interval::M1, 50)
        .await
        .unwrap();
    let all = engine
        .candles("demo:ALPHA", Interval::M1, 5_000)
        .await
        .unwrap();
    assert!(all.len() > 100, "{} bars of history", all.len());

    // Scrolling left: each page ends right before the oldest bar held, until none are left.
    let mut held = first.clone();
    let mut pages = 0;
    loop {
        let before = held[0].open_time;
        let page = engine
            .candles_before("demo:ALPHA", Interval::M1, before, 40)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        pages += 1;
        assert!(page.len() <= 40);
        assert!(page.windows(2).all(|w| w[0].open_time < w[1].open_time));
        assert!(page.last().unwrap().open_time < before);
        held.splice(0..0, page);
    }
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(
        held.iter().map(|c| c.open_time).collect::<Vec<_>>(),
        all.iter().map(|c| c.open_time).collect::<Vec<_>>(),
        "the pages and the first load together are the stored history, no gap or overlap"
    );
    for (limit, before) in [(0, T0), (5_001, T0), (10, 0)] {
        let err = engine
            .candles_before("demo:ALPHA", Interval::M1, before, limit)
            .await
            .unwrap_err();
        assert_eq!(code(err), ErrorCode::InvalidInput);
    }
    let err = engine
        .candles_before("ALPHA", Interval::M1, T0, 10)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("ALPHA"), "{err}");

    // Sparklines: the last closes per symbol, in the order asked, duplicates once.
    let symbols = ["demo:BETA", "demo:ALPHA", "demo:BETA", "demo:NOPE"].map(String::from);
    let lines = engine.sparklines(&symbols, Interval::M5, 12).await.unwrap();
    assert_eq!(
        lines.iter().map(|l| l.symbol.as_str()).collect::<Vec<_>>(),
        ["demo:BETA", "demo:ALPHA", "demo:NOPE"]
    );
    let five = engine
        .candles("demo:ALPHA", Interval::M5, 12)
        .await
        .unwrap();
    assert_eq!(lines[1].interval, Interval::M5);
    assert_eq!(
        lines[1].closes,
        five.iter().map(|c| c.close).collect::<Vec<_>>()
    );
    assert!(lines[2].closes.is_empty(), "no bars, no line");
    let one = engine
        .sparklines(&["demo:ALPHA".to_string()], Interval::M1, 5)
        .await
        .unwrap();
    assert_eq!(one[0].closes.len(), 5);
    assert_eq!(
        *one[0].closes.last().unwrap(),
        all.last().unwrap().close,
        "the live 1m bar is the last point"
    );
    assert_eq!(
        code(
            engine
                .sparklines(&symbols, Interval::M5, 1)
                .await
                .unwrap_err()
        ),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(
            engine
                .sparklines(&["x".to_string()], Interval::M5, 10)
                .await
                .unwrap_err()
        ),
        ErrorCode::InvalidInput
    );
    engine.shutdown().await;
}

fn rule(op: &str, value: f64, freq: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{"name":"preview","target":{{"symbols":["demo:ALPHA"]}},"interval":"1m","level":"high",
            "when":{{"metric":"price","op":"{op}","value":{value}}},
            "frequency":{{"mode":"{freq}","cooldown_s":0}}}}"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_preview_replays_stored_history_through_the_rule_book() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = start(dir.path(), &clock, 180).await;

    let always = engine
        .preview_rule(&rule("gt", 0.0, "once_per_bar_close"), 7)
        .await
        .unwrap();
    let closed = engine
        .store()
        .candles_between("demo:ALPHA", Interval::M1, always.from, always.to)
        .await
        .unwrap()
        .iter()
        .filter(|c| c.closed)
        .count() as u32;
    assert!(closed > 100, "{closed} closed bars stored");
    // Once per closed bar, every bar of the stored history (warm-up aside: price needs none).
    assert_eq!(always.fired, closed);
    assert_eq!(always.symbols, ["demo:ALPHA"]);
    assert!(always
        .hits
        .windows(2)
        .all(|w| w[0].fired_at <= w[1].fired_at));

    let never = engine
        .preview_rule(&rule("lt", 0.0, "once_per_bar_close"), 7)
        .await
        .unwrap();
    assert_eq!(never.fired, 0);
    assert!(never.hits.is_empty());

    // `once` fires one time only, as it would live.
    let once = engine
        .preview_rule(&rule("gt", 0.0, "once"), 7)
        .await
        .unwrap();
    assert_eq!(once.fired, 1);

    let mut bad = rule("gt", 0.0, "once");
    bad.name = String::new();
    let err = engine.preview_rule(&bad, 7).await.unwrap_err();
    assert_eq!(code(err), ErrorCode::InvalidRule);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ui_settings_round_trip_and_bad_values_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = start(dir.path(), &clock, 5).await;
    assert_eq!(
        engine.ui_settings().await.unwrap(),
        UiSettings {
            local_api_port: 47878,
            ..UiSettings::default()
        }
    );
    let s = UiSettings {
        language: "zh-CN".into(),
        theme: "dark".into(),
        up_color: "red_up".into(),
        minimize_to_tray: false,
        retention_1m_days: 14,
        retention_5m_days: 60,
        retention_15m_days: 120,
        retention_1h_days: 400,
        retention_4h_days: 800,
        retention_1d_days: 0,
        max_db_mb: 512,
        max_candles_per_series: 50_000,
        local_api_enabled: true,
        local_api_port: 48000,
    };
    engine.set_ui_settings(&s).await.unwrap();
    assert_eq!(engine.ui_settings().await.unwrap(), s);
    // The engine-wide keys are what the local API and retention read.
    let store = engine.store();
    assert_eq!(
        store.setting("local_api.port").await.unwrap().as_deref(),
        Some("48000")
    );
    assert_eq!(
        store.setting("retention.1m_days").await.unwrap().as_deref(),
        Some("14")
    );
    // ... and the pruning task reads them as its policy.
    let policy = tw_store::Retention::load(store).await.unwrap();
    assert_eq!(policy.keep_days[&tw_core::Interval::H1], Some(400));
    assert_eq!(
        policy.keep_days[&tw_core::Interval::D1],
        None,
        "0 keeps forever"
    );
    assert_eq!(policy.max_db_bytes, Some(512 << 20));
    assert_eq!(policy.max_candles_per_series, Some(50_000));
    let err = engine
        .set_ui_settings(&UiSettings {
            max_db_mb: 3,
            ..s.clone()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("maxDbMb:"), "{err}");

    let err = engine
        .set_ui_settings(&UiSettings {
            language: "fr".into(),
            ..s.clone()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("language:"), "{err}");
    let err = engine
        .set_ui_settings(&UiSettings {
            local_api_port: 80,
            ..s.clone()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("localApiPort"), "{err}");
    assert_eq!(
        engine.ui_settings().await.unwrap(),
        s,
        "a refused change loses nothing"
    );
    engine.shutdown().await;
}
