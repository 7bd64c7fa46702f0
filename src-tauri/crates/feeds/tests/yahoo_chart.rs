//! Yahoo Finance v8 chart: the recorded responses in ../shared/data/protocol/yahoo_v8_chart
//! parsed (nulls, no `timestamp`, splits and dividends), the market status judged against the
//! exchange's own session, and the poller against a local HTTP server on 127.0.0.1 that
//! replays the recordings, answers 429 with Retry-After and 404 for an unknown symbol.

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tw_core::ipc::FeedState;
use tw_core::{Interval, ManualClock, MarketEvent};
use tw_feeds::yahoo::messages::Envelope;
use tw_feeds::yahoo::{self, chart, market_status, MarketStatus, YahooConfig};
use tw_feeds::HealthCell;

fn samples() -> PathBuf {
    let p = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data/protocol/yahoo_v8_chart"
    ));
    // `make test` runs with shared/ beside the clone (as CI has it): absent data fails.
    assert!(
        p.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        p.display()
    );
    p.to_path_buf()
}

/// The recorded body (the fixtures wrap it with the request and headers).
fn body(dir: &Path, file: &str) -> Value {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
    v["response"]["bodyJson"].clone()
}

fn result(v: Value) -> yahoo::messages::ChartResult {
    let env: Envelope = serde_json::from_value(v).unwrap();
    env.chart.result.unwrap().remove(0)
}

const FAR_FUTURE: i64 = 4_000_000_000_000;

#[test]
fn every_recording_parses() {
    let dir = samples();
    // (file, symbol, bars, interval)
    for (file, sym, bars, iv) in [
        (
            "chart-AAPL-2020-01-01-to-2020-01-03.json",
            "yahoo:AAPL",
            1,
            Interval::D1,
        ),
        (
            "chart-AAPL-2020-08-31-to-2020-11-07.json",
            "yahoo:AAPL",
            49,
            Interval::D1,
        ),
        (
            "chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m.json",
            "yahoo:AAPL",
            0,
            Interval::M1,
        ),
        ("chart-AAPL.json", "yahoo:AAPL", 1, Interval::D1),
        (
            "chart-BTC-USD-2020-01-01-to-2020-01-03.json",
            "yahoo:BTC-USD",
            3,
            Interval::D1,
        ),
        (
            "chart-EURUSD=X-2020-01-01-to-2020-01-03.json",
            "yahoo:EURUSD=X",
            3,
            Interval::D1,
        ),
        (
            "chart-GC=F-2020-01-01-to-2020-01-03.json",
            "yahoo:GC=F",
            1,
            Interval::D1,
        ),
        (
            "chart-WSU.DE-2023-08-04-to-2023-08-09.json",
            "yahoo:WSU.DE",
            3,
            Interval::D1,
        ),
    ] {
        let c =
            chart(&result(body(&dir, file)), FAR_FUTURE).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(c.symbol.as_str(), sym, "{file}");
        assert_eq!(c.candles.len(), bars, "{file}");
        assert_eq!(c.interval, iv, "{file}");
        assert!(
            c.candles.iter().all(|b| b.closed && b.high >= b.low),
            "{file}"
        );
    }
    // The daily bar of 2 Jan 2020 (stamped 14:30 UTC, the New York open) is that day's bar.
    let c = chart(
        &result(body(&dir, "chart-AAPL-2020-01-01-to-2020-01-03.json")),
        FAR_FUTURE,
    )
    .unwrap();
    let b = &c.candles[0];
    assert_eq!(b.open_time, 1_577_923_200_000);
    assert_eq!(
        (b.open, b.close, b.volume),
        (74.05999755859375, 75.0875015258789, 135_480_400.0)
    );
}

#[test]
fn splits_dividends_and_nulls_inside_arrays() {
    let dir = samples();
    let mut v = body(&dir, "chart-AAPL-2020-08-31-to-2020-11-07.json");
    let c = chart(&result(v.clone()), FAR_FUTURE).unwrap();
    assert_eq!(c.splits.len(), 1);
    let s = &c.splits[0];
    assert_eq!(
        (s.date_ms, s.numerator, s.denominator),
        (1_598_880_600_000, 4.0, 1.0)
    );
    assert_eq!(c.dividends, vec![(1_604_673_000_000, 0.205)]);
    // Yahoo sends null for a bar it has no trade for; the bar is skipped, not zero.
    let q = &mut v["chart"]["result"][0]["indicators"]["quote"][0];
    q["close"][3] = Value::Null;
    q["volume"][5] = Value::Null;
    let day3 = c.candles[3].open_time;
    let c2 = chart(&result(v), FAR_FUTURE).unwrap();
    assert_eq!(c2.candles.len(), 48);
    assert_eq!(c2.null_bars, 1);
    assert!(c2
        .candles
        .iter()
        .all(|b| b.open_time != day3 && b.close > 0.0));
    assert_eq!(c2.candles[4].volume, 0.0, "a null volume is no volume");
    // An empty weekend answer: no timestamp array, quote is {}.
    let c3 = chart(
        &result(body(
            &dir,
            "chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m.json",
        )),
        FAR_FUTURE,
    )
    .unwrap();
    assert!(c3.candles.is_empty());
}

#[test]
fn stale_is_judged_against_the_exchange_session() {
    let dir = samples();
    let r = result(body(&dir, "chart-AAPL-2020-01-01-to-2020-01-03.json"));
    let mut meta = r.meta.clone();
    // Regular session of the recording: 2025-02-20 14:30–21:00 UTC; last trade the day before.
    let open = 1_740_061_800_000;
    assert_eq!(
        market_status(&meta, open - 3_600_000),
        MarketStatus::Closed {
            opens_ms: Some(open)
        },
        "a quiet hour before the open is not stale"
    );
    assert_eq!(
        market_status(&meta, 1_740_085_200_000 + 60_000),
        MarketStatus::Closed { opens_ms: None }
    );
    assert!(matches!(
        market_status(&meta, open + 3_600_000),
        MarketStatus::Stale { .. }
    ));
    meta.regular_market_time = Some((open + 3_540_000) / 1000);
    assert_eq!(
        market_status(&meta, open + 3_600_000),
        MarketStatus::Open { delayed_min: 0 }
    );
    // A 15-minute delayed exchange: a 10-minute-old trade is normal, 25 minutes is stale.
    meta.exchange_data_delayed_by = Some(15);
    meta.regular_market_time = Some((open + 3_600_000 - 600_000) / 1000);
    assert_eq!(
        market_status(&meta, open + 3_600_000),
        MarketStatus::Open { delayed_min: 15 }
    );
    meta.regular_market_time = Some((open + 3_600_000 - 1_500_000) / 1000);
    assert!(matches!(
        market_status(&meta, open + 3_600_000),
        MarketStatus::Stale {
            delayed_min: 15,
            ..
        }
    ));
}

#[derive(Default)]
struct Server {
    dir: PathBuf,
    /// (symbol, interval, range, user agent) of every request.
    requests: Vec<(String, String, String, String)>,
    /// How many of the next requests get 429 with `Retry-After: 120`.
    throttle: u32,
}
type Shared = Arc<Mutex<Server>>;

async fn handle(
    State(s): State<Shared>,
    UrlPath(symbol): UrlPath<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut s = s.lock().unwrap();
    let ua = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let interval = q.get("interval").cloned().unwrap_or_default();
    s.requests.push((
        symbol.clone(),
        interval.clone(),
        q.get("range").cloned().unwrap_or_default(),
        ua,
    ));
    if s.throttle > 0 {
        s.throttle -= 1;
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "120")],
            "Too Many Requests",
        )
            .into_response();
    }
    let file = match (symbol.as_str(), interval.as_str()) {
        ("AAPL", "1d") => "chart-AAPL-2020-08-31-to-2020-11-07.json",
        ("AAPL", _) => "chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m.json",
        _ => {
            // Yahoo's answer for a symbol it does not know.
            let body = r#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#;
            return (
                StatusCode::NOT_FOUND,
                [("content-type", "application/json")],
                body,
            )
                .into_response();
        }
    };
    let v = body(&s.dir, file);
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        v.to_string(),
    )
        .into_response()
}

#[tokio::test]
async fn the_poller_backs_off_on_429_and_tells_closed_from_stale() {
    let dir = samples();
    let state: Shared = Arc::new(Mutex::new(Server {
        dir,
        throttle: 1,
        ..Default::default()
    }));
    let app = Router::new()
        .route("/v8/finance/chart/{symbol}", get(handle))
        .with_state(state.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // 12:00 UTC on the recording's session day: New York opens at 14:30.
    let open = 1_740_061_800_000;
    let t0 = open - 150 * 60_000;
    let clock = ManualClock::new(t0);
    let (tx, mut rx) = mpsc::channel(10_000);
    let health = HealthCell::new(yahoo::SOURCE, false);
    let cfg = YahooConfig {
        url,
        symbols: vec!["AAPL".into(), "NOPE".into()],
        ..Default::default()
    };
    let _task = yahoo::spawn(cfg, Arc::new(clock.clone()), tx, health.clone());
    clock.settle().await;

    // First request throttled: wait what Retry-After says, in words.
    let h = health.snapshot();
    assert_eq!(h.state, FeedState::Reconnecting);
    assert_eq!(
        h.last_error.as_deref(),
        Some("Yahoo asks us to slow down (HTTP 429) for AAPL; next try in 120 s")
    );
    assert_eq!(h.next_update_at, Some(t0 + 120_000));
    assert_eq!(state.lock().unwrap().requests.len(), 1);
    let ua = state.lock().unwrap().requests[0].3.clone();
    assert!(ua.contains("Tickwarden/"), "a proper User-Agent: {ua}");

    clock.advance(120_000).await;
    // One second between two requests of a round, so a watchlist is not a burst.
    clock.advance(1_000).await;
    let reqs = state.lock().unwrap().requests.clone();
    let asked: Vec<(&str, &str, &str)> = reqs[1..]
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str()))
        .collect();
    // History, then the daily chart (the market is closed), then the unknown symbol once.
    assert_eq!(
        asked,
        vec![
            ("AAPL", "1d", "1y"),
            ("AAPL", "1d", "5d"),
            ("NOPE", "1d", "1y")
        ]
    );
    let mut backfill = 0;
    while let Ok(ev) = rx.try_recv() {
        if let MarketEvent::Backfill(c) = ev {
            assert_eq!(c.interval, Interval::D1);
            backfill += 1;
        }
    }
    assert_eq!(backfill, 49);
    let h = health.snapshot();
    assert_eq!(h.state, FeedState::Connected);
    let detail = h.detail.unwrap();
    assert!(detail.contains("AAPL: market closed"), "{detail}");
    assert!(
        detail.contains("NOPE: Yahoo has no data for NOPE: No data found, symbol may be delisted"),
        "{detail}"
    );

    // In the session, the intraday chart is polled; the last trade is a day old, so the
    // feed says stale — measured against New York's hours, not the wall clock.
    clock.set(open + 30 * 60_000);
    clock.settle().await;
    let n = state.lock().unwrap().requests.len();
    clock.advance(15 * 60_000).await;
    let reqs = state.lock().unwrap().requests.clone();
    assert!(
        reqs[n..]
            .iter()
            .any(|r| r.0 == "AAPL" && r.1 == "1m" && r.2 == "1d"),
        "{reqs:?}"
    );
    assert!(
        reqs.iter().filter(|r| r.0 == "NOPE").count() == 1,
        "an unknown symbol is not asked again"
    );
    let h = health.snapshot();
    assert_eq!(h.state, FeedState::Stale, "{h:?}");
    assert!(h.detail.unwrap().contains("AAPL: stale, no trade for"));
}
