//! The Tushare feed against a local HTTP server on 127.0.0.1 that answers like Tushare Pro
//! with the recorded examples in ../shared/data/protocol/tushare (error bodies and rate
//! limits included). Asserts on what ends up in SQLite and on what the server was asked.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tw_core::ipc::FeedState;
use tw_core::{Clock, Interval, ManualClock, MarketEvent, Sensitive, SharedClock};
use tw_feeds::tushare::{self, date_ms, test_connection, Syncer, TushareClient, TushareConfig};
use tw_feeds::HealthCell;
use tw_store::Store;

const PERMISSION: &str =
    "抱歉，您没有访问该接口的权限，权限的具体详情访问：https://tushare.pro/document/1?doc_id=108。";
const RATE: &str = "抱歉，您每分钟最多访问该接口200次，权限的具体详情访问：https://tushare.pro/document/1?doc_id=108。";
const BAD_TOKEN: &str = "您的token不对，请确认。";

fn examples() -> PathBuf {
    let p = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data/protocol/tushare/examples"
    ));
    // `make test` runs with shared/ beside the clone (as CI has it): absent data fails.
    assert!(
        p.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        p.display()
    );
    p.to_path_buf()
}

#[derive(Default)]
struct Server {
    dir: PathBuf,
    /// Every request body received.
    requests: Vec<Value>,
    /// Interfaces answered with Tushare's permission error.
    denied: BTreeSet<String>,
    /// Answer the next call with Tushare's per-minute limit error.
    rate_limit_once: bool,
    /// Answer the next call with HTTP 429.
    http_429_once: bool,
    /// (api, field) answered as `null` in every row.
    null_field: Option<(String, String)>,
}

type Shared = Arc<Mutex<Server>>;

async fn start(dir: PathBuf) -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(Server {
        dir,
        ..Default::default()
    }));
    let app = Router::new()
        .route("/", post(handle))
        .with_state(state.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, state)
}

async fn handle(State(s): State<Shared>, Json(req): Json<Value>) -> Response {
    let mut s = s.lock().unwrap();
    s.requests.push(req.clone());
    let api = req["api_name"].as_str().unwrap_or_default().to_string();
    let p = &req["params"];
    if req["token"] == "wrong" {
        return Json(json!({"code": 40002, "msg": BAD_TOKEN, "data": null})).into_response();
    }
    if std::mem::take(&mut s.http_429_once) {
        return (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
    }
    if std::mem::take(&mut s.rate_limit_once) {
        return Json(json!({"code": 40203, "msg": RATE, "data": null})).into_response();
    }
    if s.denied.contains(&api) {
        return Json(json!({"code": 2002, "msg": PERMISSION, "data": null})).into_response();
    }
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(s.dir.join(f)).unwrap()).unwrap()
    };
    let mut body = match api.as_str() {
        // No recorded trade_cal sample exists: the test builds the calendar itself, with
        // weekdays open.
        "trade_cal" => calendar(
            p["start_date"].as_str().unwrap(),
            p["end_date"].as_str().unwrap(),
        ),
        "stock_basic" => read("stock_basic_response.json"),
        "daily" => {
            let mut a = read("daily_response.json");
            let b = read("daily_response_with_request_id_20000104.json");
            let extra = b["data"]["items"].as_array().unwrap().clone();
            a["data"]["items"].as_array_mut().unwrap().extend(extra);
            a
        }
        "daily_basic" => read("daily_basic_response.json"),
        "moneyflow" => read("moneyflow_response.json"),
        other => {
            return Json(json!({"code": -1, "msg": format!("unknown api {other}")})).into_response()
        }
    };
    filter(&mut body, p);
    if let Some((a, f)) = &s.null_field {
        if *a == api {
            let i = body["data"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .position(|x| x == f.as_str())
                .unwrap();
            for row in body["data"]["items"].as_array_mut().unwrap() {
                row[i] = Value::Null;
            }
        }
    }
    Json(body).into_response()
}

/// Keeps the rows Tushare would return for ts_code / trade_date / start_date..end_date.
fn filter(body: &mut Value, p: &Value) {
    let fields: Vec<String> = body["data"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    let col = |n: &str| fields.iter().position(|f| f == n);
    let (Some(code_i), Some(date_i)) = (col("ts_code"), col("trade_date")) else {
        return;
    };
    let want = |k: &str| p[k].as_str().filter(|s| !s.is_empty()).map(str::to_string);
    let (code, day, from, to) = (
        want("ts_code"),
        want("trade_date"),
        want("start_date"),
        want("end_date"),
    );
    body["data"]["items"].as_array_mut().unwrap().retain(|r| {
        let c = r[code_i].as_str().unwrap();
        let d = r[date_i].as_str().unwrap();
        code.as_deref().is_none_or(|x| x == c)
            && day.as_deref().is_none_or(|x| x == d)
            && from.as_deref().is_none_or(|x| d >= x)
            && to.as_deref().is_none_or(|x| d <= x)
    });
}

fn calendar(from: &str, to: &str) -> Value {
    let mut items = Vec::new();
    let mut day = date_ms(from).unwrap();
    while day <= date_ms(to).unwrap() {
        // 1970-01-01 was a Thursday.
        let weekday = ((day / 86_400_000) + 3).rem_euclid(7); // 0 = Monday
        let date = tushare_date(day);
        items.push(json!(["SSE", date, if weekday < 5 { 1 } else { 0 }, null]));
        day += 86_400_000;
    }
    json!({"code": 0, "msg": "", "data": {"fields": ["exchange", "cal_date", "is_open", "pretrade_date"], "items": items}})
}

fn tushare_date(ms: i64) -> String {
    tushare::cst_date(ms - 8 * 3_600_000)
}

/// `YYYYMMDD` at `hour`:00 China time, as ms UTC.
fn cst(date: &str, hour: i64) -> i64 {
    date_ms(date).unwrap() - 8 * 3_600_000 + hour * 3_600_000
}

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    (dir, store)
}

fn client(url: &str, token: &str, clock: &ManualClock) -> TushareClient {
    TushareClient::new(
        url,
        Sensitive::new(token.to_string()),
        Arc::new(clock.clone()),
        100,
    )
}

fn drain(rx: &mut mpsc::Receiver<MarketEvent>) -> Vec<MarketEvent> {
    let mut out = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        out.push(ev);
    }
    out
}

#[tokio::test]
async fn the_feed_syncs_history_then_each_new_day_after_the_close() {
    let dir = examples();
    let (url, server) = start(dir).await;
    let (_tmp, store) = store().await;
    let clock = ManualClock::new(cst("20180716", 18));
    let shared: SharedClock = Arc::new(clock.clone());
    let (tx, mut rx) = mpsc::channel(10_000);
    let health = HealthCell::new(tushare::SOURCE, false);
    let cfg = TushareConfig {
        url,
        symbols: vec!["000001.SZ".into()],
        history_days: 20,
        calls_per_minute: 100,
        retry_ms: 15 * 60_000,
    };
    let token: tushare::TokenSource =
        Arc::new(|| Box::pin(async { Ok(Some(Sensitive::new("good-token".to_string()))) }));
    let control = tushare::TushareControl::default();
    let _task = tushare::spawn(
        cfg,
        token,
        store.clone(),
        shared,
        tx,
        health.clone(),
        control.clone(),
    );
    clock.settle().await;

    // History: Friday 13th and Monday 16th, as back-fill, stored in SQLite.
    let evs = drain(&mut rx);
    let backfill: Vec<_> = evs
        .iter()
        .filter_map(|e| match e {
            MarketEvent::Backfill(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(backfill.len(), 2, "{evs:?}");
    assert!(!evs.iter().any(|e| matches!(e, MarketEvent::Candle(_))));
    let stored = store
        .candles("tushare:000001.SZ", Interval::D1, 100)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    let mon = &stored[1];
    assert_eq!(mon.open_time, date_ms("20180716").unwrap());
    assert_eq!(
        (mon.open, mon.high, mon.low, mon.close),
        (8.85, 8.9, 8.69, 8.73)
    );
    assert_eq!(mon.volume, 68_984_558.0, "lots of 100 shares → shares");
    assert!(
        (mon.quote_volume - 603_427_713.0).abs() < 1e-3,
        "thousand CNY → CNY"
    );
    assert_eq!(store.count_stock_symbols().await.unwrap(), 7);
    let found = store.search_stock_symbols("payh", 5).await.unwrap();
    assert_eq!(found[0].name, "平安银行", "pinyin initials find 平安银行");
    assert_eq!(
        store.search_stock_symbols("万科", 5).await.unwrap()[0].symbol,
        "tushare:000002.SZ"
    );

    // Health: connected, and the next update is Tuesday after the close, China time.
    let h = health.snapshot();
    assert_eq!(h.state, FeedState::Connected);
    assert_eq!(h.next_update_at, Some(cst("20180717", 16) + 15 * 60_000));
    assert!(
        h.detail
            .as_deref()
            .unwrap()
            .contains("next update due 2018-07-17 16:15 CST"),
        "{h:?}"
    );
    let daily_asks = |s: &Shared| -> Vec<Value> {
        s.lock()
            .unwrap()
            .requests
            .iter()
            .filter(|r| r["api_name"] == "daily")
            .map(|r| r["params"].clone())
            .collect()
    };
    assert_eq!(daily_asks(&server)[0]["start_date"], "20180626");
    assert_eq!(daily_asks(&server)[0]["end_date"], "20180716");

    // Tuesday evening: only the missing day is asked for, and it arrives as a live bar.
    clock.set(cst("20180717", 16) + 15 * 60_000);
    clock.settle().await;
    let asks = daily_asks(&server);
    assert_eq!(asks.len(), 2);
    assert_eq!(
        (asks[1]["start_date"].as_str(), asks[1]["end_date"].as_str()),
        (Some("20180717"), Some("20180717"))
    );
    let evs = drain(&mut rx);
    let live: Vec<_> = evs
        .iter()
        .filter_map(|e| match e {
            MarketEvent::Candle(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(live.len(), 1);
    assert_eq!(
        (live[0].open_time, live[0].close),
        (date_ms("20180717").unwrap(), 8.72)
    );
    assert!(live[0].closed);
    assert_eq!(
        store
            .candles("tushare:000001.SZ", Interval::D1, 100)
            .await
            .unwrap()
            .len(),
        3
    );

    // A full refresh on demand asks for the whole history again.
    control.full_refresh(&store).await.unwrap();
    // The feed wakes on the notification, not on the clock: wait for its request.
    tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while daily_asks(&server).len() < 3 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the full refresh asks again");
    clock.settle().await;
    let asks = daily_asks(&server);
    assert_eq!(asks.len(), 3);
    assert_eq!(asks[2]["start_date"], "20180627");
    assert_eq!(
        store
            .candles("tushare:000001.SZ", Interval::D1, 100)
            .await
            .unwrap()
            .len(),
        3,
        "upserted, not duplicated"
    );
}

#[tokio::test]
async fn fundamentals_keep_missing_values_missing() {
    let dir = examples();
    let (url, server) = start(dir).await;
    server.lock().unwrap().null_field = Some(("daily_basic".into(), "volume_ratio".into()));
    let (_tmp, store) = store().await;
    let clock = ManualClock::new(cst("20180726", 18));
    let c = client(&url, "good-token", &clock);
    let (tx, mut rx) = mpsc::channel(1000);
    let syncer = Syncer {
        client: &c,
        store: &store,
        tx: &tx,
        now_ms: clock.now_ms(),
        history_start: "20180720".into(),
    };
    let days = syncer.calendar().await.unwrap();
    let mut denied = BTreeSet::new();
    let report = syncer
        .symbols(&["600230.SH".into()], &days, false, &mut denied)
        .await
        .unwrap();
    assert_eq!(report.through, "20180726");
    assert_eq!(report.fundamentals, 1);
    let day = date_ms("20180726").unwrap();
    let rows = store
        .fundamentals("tushare:600230.SH", day, day + 1)
        .await
        .unwrap();
    let metrics: Vec<(&str, f64)> = rows.iter().map(|(_, m, v)| (m.as_str(), *v)).collect();
    assert_eq!(
        metrics,
        vec![("pb", 3.7203), ("pe", 8.6928), ("turnover_rate", 2.4584)]
    );
    assert!(
        !metrics.iter().any(|(m, _)| *m == "volume_ratio"),
        "null is not stored as 0"
    );
    let f = drain(&mut rx)
        .into_iter()
        .find_map(|e| match e {
            MarketEvent::Fundamentals(f) => Some(f),
            _ => None,
        })
        .unwrap();
    assert!(f.backfill);
    assert_eq!(f.symbol.as_str(), "tushare:600230.SH");

    // Money flow: net inflow of large and extra-large orders, 万元 → CNY.
    let clock = ManualClock::new(cst("20230519", 18));
    let c = client(&url, "good-token", &clock);
    let syncer = Syncer {
        client: &c,
        store: &store,
        tx: &tx,
        now_ms: clock.now_ms(),
        history_start: "20230515".into(),
    };
    let days = syncer.calendar().await.unwrap();
    syncer
        .symbols(&["000001.SZ".into()], &days, false, &mut denied)
        .await
        .unwrap();
    let (d, v) = store
        .latest_fundamental("tushare:000001.SZ", "main_net_inflow")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d, date_ms("20230519").unwrap());
    assert!(
        (v - (25288.67 - 23429.55 + 12936.87 - 20603.84) * 10_000.0).abs() < 1e-3,
        "{v}"
    );
    let (_, net) = store
        .latest_fundamental("tushare:000001.SZ", "net_mf_amount")
        .await
        .unwrap()
        .unwrap();
    assert!((net + 176_829_200.0).abs() < 1e-3, "{net}");
}

#[tokio::test]
async fn interfaces_the_points_do_not_allow_are_reported_not_fatal() {
    let dir = examples();
    let (url, server) = start(dir).await;
    server.lock().unwrap().denied = ["daily_basic".to_string(), "moneyflow".into()].into();
    let (_tmp, store) = store().await;
    let clock = ManualClock::new(cst("20180718", 18));
    let c = client(&url, "low-points", &clock);

    let report = test_connection(&c, clock.now_ms()).await;
    assert!(report.token_ok);
    let s = report.summary();
    assert!(
        s.starts_with("The token works. Allowed: trade_cal, stock_basic, daily."),
        "{s}"
    );
    assert!(
        s.contains(&format!("no permission for daily_basic: {PERMISSION}")),
        "{s}"
    );

    let (tx, _rx) = mpsc::channel(1000);
    let syncer = Syncer {
        client: &c,
        store: &store,
        tx: &tx,
        now_ms: clock.now_ms(),
        history_start: "20180710".into(),
    };
    let days = syncer.calendar().await.unwrap();
    let mut denied = BTreeSet::new();
    let report = syncer
        .symbols(
            &["000001.SZ".into(), "600230.SH".into()],
            &days,
            false,
            &mut denied,
        )
        .await
        .unwrap();
    assert_eq!(report.candles, 4, "daily still syncs");
    assert_eq!(
        denied,
        ["daily_basic".to_string(), "moneyflow".into()].into()
    );
    // Each denied interface is asked once, not once per symbol.
    let asked = server
        .lock()
        .unwrap()
        .requests
        .iter()
        .filter(|r| r["api_name"] == "daily_basic")
        .count();
    assert_eq!(asked, 2, "once by the connection test, once by the sync");

    let bad = client(&url, "wrong", &clock);
    let r = test_connection(&bad, clock.now_ms()).await;
    assert!(!r.token_ok);
    assert_eq!(
        r.summary(),
        format!("The connection does not work: the Tushare token was refused: {BAD_TOKEN}")
    );
}

#[tokio::test]
async fn rate_limit_answers_pause_calls_for_a_minute_on_the_clock() {
    let dir = examples();
    let (url, server) = start(dir).await;
    let clock = ManualClock::new(cst("20180718", 18));
    for (kind, setup) in [("code 40203", 0), ("HTTP 429", 1)] {
        {
            let mut s = server.lock().unwrap();
            s.requests.clear();
            if setup == 0 {
                s.rate_limit_once = true;
            } else {
                s.http_429_once = true;
            }
        }
        let c = Arc::new(client(&url, "good-token", &clock));
        let guard = clock.register();
        let c2 = c.clone();
        let call = tokio::spawn(async move {
            let _guard = guard;
            c2.call(
                "stock_basic",
                tushare::params(&[("list_status", "L")]),
                "ts_code,name",
            )
            .await
        });
        clock.settle().await;
        assert_eq!(
            server.lock().unwrap().requests.len(),
            1,
            "{kind}: asked once, then waits"
        );
        assert!(!call.is_finished());
        clock.advance(59_000).await;
        assert_eq!(
            server.lock().unwrap().requests.len(),
            1,
            "{kind}: still waiting"
        );
        clock.advance(1_000).await;
        let table = call.await.unwrap().unwrap();
        assert_eq!(table.items.len(), 7, "{kind}");
        assert_eq!(server.lock().unwrap().requests.len(), 2);
    }
    // The token travels in the body and never in the error text.
    let c = client(&url, "wrong", &clock);
    let e = c.call("daily", tushare::params(&[]), "").await.unwrap_err();
    assert!(!e.to_string().contains("wrong"), "{e}");
}
