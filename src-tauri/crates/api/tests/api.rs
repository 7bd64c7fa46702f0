//! The local API against a real engine (seeded demo market on a manual clock), over real
//! sockets on 127.0.0.1: reqwest for HTTP, tokio-tungstenite for WebSockets.

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tw_api::{ApiConfig, ApiError, ApiServer, RunningApi, ROUTES};
use tw_core::rule::RuleSpec;
use tw_core::{ManualClock, Sensitive, SharedClock};
use tw_engine::{Engine, EngineConfig, EngineHandle};
use tw_feeds::demo::DemoConfig;

const T0: i64 = 1_767_607_200_000; // 2026-01-05 10:00:00 UTC
/// A guard against a hang, not a measurement: the figures are printed, never asserted.
const HANG_GUARD: Duration = Duration::from_secs(120);

struct Rig {
    _dir: tempfile::TempDir,
    clock: ManualClock,
    engine: EngineHandle,
    api: RunningApi,
    token: String,
    http: reqwest::Client,
}

fn engine_config(dir: &std::path::Path, clock: &ManualClock, service: &str) -> EngineConfig {
    let mut cfg = EngineConfig::new(dir);
    cfg.clock = Arc::new(clock.clone()) as SharedClock;
    cfg.demo = Some(DemoConfig {
        seed: 42,
        history_minutes: 30,
        showcase_burst: false,
        ..DemoConfig::default()
    });
    cfg.notifications = false;
    cfg.keyring_service = service.into();
    cfg
}

/// An engine with 30 minutes of demo history and the API on a free port, with a token passed
/// in directly (the keyring has its own test below).
async fn rig() -> Rig {
    rig_with(|_| {}).await
}

async fn rig_with(tweak: impl FnOnce(&mut EngineConfig)) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let service = format!("tickwarden-api-test-{}", std::process::id());
    let mut cfg = engine_config(dir.path(), &clock, &service);
    tweak(&mut cfg);
    let engine = Engine::start(cfg).await.unwrap();
    clock.settle().await;
    engine.flush().await.unwrap();
    let token = tw_api::generate_token().unwrap();
    let api = ApiServer::start(engine.clone(), ApiConfig::new(0, token.clone()))
        .await
        .unwrap();
    assert!(api.addr.ip().is_loopback());
    Rig {
        _dir: dir,
        clock,
        engine,
        api,
        token: token.into_inner(),
        http: reqwest::Client::new(),
    }
}

impl Rig {
    fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{path_and_query}", self.api.addr)
    }

    async fn get(&self, path_and_query: &str) -> (StatusCode, Value) {
        let r = self
            .http
            .get(self.url(path_and_query))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        assert!(
            !text.contains(&self.token),
            "the token leaked into a response"
        );
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{path_and_query}: not JSON ({e}): {text}"));
        (status, body)
    }

    fn ws_request(
        &self,
        token: Option<&str>,
    ) -> tokio_tungstenite::tungstenite::handshake::client::Request {
        let mut req = format!("ws://{}/api/v1/stream", self.api.addr)
            .into_client_request()
            .unwrap();
        if let Some(t) = token {
            req.headers_mut()
                .insert("authorization", format!("Bearer {t}").parse().unwrap());
        }
        req
    }

    /// Moves the market `ms` forward in 250 ms ticks, letting the pipeline catch up every
    /// simulated five seconds.
    async fn run_for(&self, ms: i64) {
        for i in 1..=ms / 250 {
            self.clock.advance(250).await;
            if i % 20 == 0 {
                self.engine.flush().await.unwrap();
            }
        }
        self.engine.flush().await.unwrap();
    }

    /// A rule that fires once in every bar of demo:ALPHA.
    async fn every_bar_rule(&self, level: &str) -> i64 {
        let spec = RuleSpec::from_json(&format!(
            r#"{{"name":"api test","target":{{"symbols":["demo:ALPHA"]}},"interval":"1m",
                "level":"{level}","when":{{"metric":"price","op":"gt","value":0}},
                "frequency":{{"mode":"once_per_bar","cooldown_s":0}}}}"#
        ))
        .unwrap();
        self.engine.create_rule(spec).await.unwrap().id
    }

    async fn stop(self) {
        self.api.shutdown().await;
        self.engine.shutdown().await;
    }
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next_json(ws: &mut Ws) -> Value {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => return serde_json::from_str(t.as_str()).unwrap(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("expected a JSON message, got {other:?}"),
        }
    }
}

/// Reads messages until the alert of `rule_id` comes; returns it.
async fn alert_of_rule(ws: &mut Ws, rule_id: i64) -> Value {
    loop {
        let m = next_json(ws).await;
        if m["type"] == "alert" && m["alert"]["ruleId"] == rule_id {
            return m["alert"].clone();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_the_right_token_are_refused() {
    let rig = rig().await;
    let c = &rig.http;
    let cases: Vec<(&str, reqwest::RequestBuilder)> = vec![
        ("no token", c.get(rig.url("/api/v1/health"))),
        (
            "wrong token",
            c.get(rig.url("/api/v1/health")).bearer_auth("f".repeat(64)),
        ),
        (
            "token with one digit changed",
            c.get(rig.url("/api/v1/symbols")).bearer_auth({
                let mut t = rig.token.clone().into_bytes();
                t[63] = if t[63] == b'0' { b'1' } else { b'0' };
                String::from_utf8(t).unwrap()
            }),
        ),
        (
            "another scheme",
            c.get(rig.url("/api/v1/health"))
                .basic_auth("user", Some(&rig.token)),
        ),
        (
            "Bearer without a token",
            c.get(rig.url("/api/v1/health"))
                .header("authorization", "Bearer "),
        ),
        (
            "the token as a query parameter on a REST route",
            c.get(rig.url(&format!("/api/v1/health?access_token={}", rig.token))),
        ),
        // Without the token not even the existence of a route is revealed.
        ("unknown route", c.get(rig.url("/api/v1/nope"))),
        ("openapi", c.get(rig.url("/api/v1/openapi.json"))),
        ("stream as plain HTTP", c.get(rig.url("/api/v1/stream"))),
    ];
    for (what, req) in cases {
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(
            r.headers()["www-authenticate"],
            "Bearer realm=\"tickwarden\"",
            "{what}"
        );
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "unauthorized", "{what}");
        assert!(
            body["message"].as_str().unwrap().contains("token"),
            "{what}: {body}"
        );
    }

    // WebSocket handshakes without / with a wrong token are refused before the upgrade.
    for token in [None, Some("0".repeat(64))] {
        match tokio_tungstenite::connect_async(rig.ws_request(token.as_deref())).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
                assert_eq!(resp.status(), 401);
                let body: Value = serde_json::from_slice(resp.body().as_deref().unwrap()).unwrap();
                assert_eq!(body["code"], "unauthorized");
            }
            other => panic!("stream opened without the token: {:?}", other.map(|_| ())),
        }
    }
    // With it: the header, or (for browsers) the access_token parameter.
    let (mut ws, _) = tokio_tungstenite::connect_async(rig.ws_request(Some(&rig.token)))
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    let url = format!(
        "ws://{}/api/v1/stream?access_token={}",
        rig.api.addr, rig.token
    );
    let (mut ws2, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(next_json(&mut ws2).await["type"], "hello");
    drop((ws, ws2));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_answers_with_engine_data() {
    let rig = rig().await;
    let rule_id = rig.every_bar_rule("critical").await;
    rig.run_for(3 * 60_000).await;

    let (s, health) = rig.get("/api/v1/health").await;
    assert_eq!(s, StatusCode::OK, "{health}");
    let feeds = health["feeds"].as_array().unwrap();
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0]["source"], "demo");
    assert_eq!(feeds[0]["simulated"], true);
    assert!(feeds[0]["messages"].as_u64().unwrap() > 0, "{health}");
    assert_eq!(health["alertsPaused"], false);
    assert_eq!(health["notifications"]["available"], false);

    let (s, symbols) = rig.get("/api/v1/symbols").await;
    assert_eq!(s, StatusCode::OK);
    let rows = symbols["symbols"].as_array().unwrap();
    let watch = rig.engine.watchlist().await.unwrap();
    assert_eq!(rows.len(), watch.len());
    assert_eq!(rows.len(), 8);
    for (row, w) in rows.iter().zip(&watch) {
        assert_eq!(row["symbol"], w.symbol);
        assert_eq!(row["price"].as_f64(), w.price, "{row}");
        assert!(w.price.is_some(), "a live price after three minutes");
        assert_eq!(row["simulated"], true);
    }

    // Candles: oldest first, contiguous, the same the engine has.
    let (s, c) = rig
        .get("/api/v1/candles?symbol=demo:ALPHA&interval=1m&limit=10")
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["symbol"], "demo:ALPHA");
    assert_eq!(c["interval"], "1m");
    let bars = c["candles"].as_array().unwrap();
    assert_eq!(bars.len(), 10);
    let times: Vec<i64> = bars
        .iter()
        .map(|b| b["openTime"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[1] - w[0] == 60_000), "{times:?}");
    let stored = rig
        .engine
        .candles("demo:ALPHA", tw_core::Interval::M1, 10)
        .await
        .unwrap();
    assert_eq!(
        times,
        stored.iter().map(|c| c.open_time).collect::<Vec<_>>()
    );
    assert_eq!(bars[0]["close"].as_f64(), Some(stored[0].close));
    let (_, all) = rig.get("/api/v1/candles?symbol=demo:ALPHA").await;
    assert_eq!(
        all["candles"].as_array().unwrap().len(),
        30 + 3,
        "the default limit (500) covers 30 minutes of history and 3 live ones"
    );
    // A watched symbol with no candles of an interval yet: an empty list, not an error.
    let (s, c5) = rig
        .get("/api/v1/candles?symbol=demo:BETA&interval=1d")
        .await;
    assert_eq!(s, StatusCode::OK, "{c5}");
    assert_eq!(c5["interval"], "1d");

    // Alerts: my rule fired once in each of the three live bars; filters narrow.
    let (s, a) = rig
        .get("/api/v1/alerts?symbol=demo:ALPHA&level=critical")
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let mine: Vec<&Value> = a["alerts"].as_array().unwrap().iter().collect();
    assert_eq!(mine.len(), 3, "{a}");
    assert!(mine
        .iter()
        .all(|x| x["ruleId"] == rule_id && x["level"] == "critical"));
    let fired: Vec<i64> = mine
        .iter()
        .map(|x| x["firedAt"].as_i64().unwrap())
        .collect();
    assert!(
        fired.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {fired:?}"
    );
    let (_, one) = rig
        .get("/api/v1/alerts?symbol=demo:ALPHA&level=critical&limit=1")
        .await;
    assert_eq!(one["alerts"].as_array().unwrap().len(), 1);
    assert_eq!(one["alerts"][0]["id"], mine[0]["id"]);
    let since = fired[1];
    let (_, recent) = rig
        .get(&format!("/api/v1/alerts?level=critical&since={since}"))
        .await;
    assert_eq!(recent["alerts"].as_array().unwrap().len(), 2, "{recent}");
    let (_, none) = rig.get("/api/v1/alerts?symbol=demo:NOSUCH").await;
    assert!(none["alerts"].as_array().unwrap().is_empty());
    let stored = rig.engine.alerts(10_000).await.unwrap();
    let (_, everything) = rig.get("/api/v1/alerts?limit=10000").await;
    assert_eq!(everything["alerts"].as_array().unwrap().len(), stored.len());

    // Radar: the engine's, ranked by anomaly score as it says; min_score filters; limit caps
    // every list.
    let (s, r) = rig.get("/api/v1/radar?limit=500").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["rankedBy"], "anomaly_score");
    let items = r["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{r}");
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let engine_radar = rig.engine.radar(500, 0.0);
    assert_eq!(items.len(), engine_radar.anomalies.len());
    for (i, a) in items.iter().zip(&engine_radar.anomalies) {
        assert_eq!(i["symbol"], a.symbol);
        // JSON numbers round-trip to within an ulp or so.
        assert!((i["score"].as_f64().unwrap() - a.score).abs() <= 1e-12 * a.score.abs());
        assert_eq!(i["interval"], a.interval.as_str());
        assert_eq!(i["reasons"].as_array().unwrap().len(), a.reasons.len());
    }
    let movers = r["movers1h"].as_array().unwrap();
    assert_eq!(movers.len(), 8, "every demo instrument moved: {r}");
    for m in movers {
        assert!(watch.iter().any(|w| w.symbol == m["symbol"]));
    }
    // A cut between two scores, so the text form of the number cannot tip an item over.
    let mid = scores.len() / 2;
    assert!(mid >= 1, "{scores:?}");
    let cut = (scores[mid - 1] + scores[mid]) / 2.0;
    let (_, r2) = rig
        .get(&format!("/api/v1/radar?min_score={cut}&limit=500"))
        .await;
    let kept = r2["items"].as_array().unwrap();
    assert_eq!(kept.len(), scores.iter().filter(|s| **s >= cut).count());
    let (_, r3) = rig.get("/api/v1/radar?limit=2").await;
    assert_eq!(r3["items"].as_array().unwrap().len(), 2.min(items.len()));
    assert_eq!(r3["movers24h"].as_array().unwrap().len(), 2);

    // OpenAPI: parses as 3.1, and every path it describes is served (with the token, none
    // of them is a 404; the stream answers a plain GET with "use a WebSocket").
    let (s, doc) = rig.get("/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths.len(), ROUTES.len());
    for p in paths {
        assert!(ROUTES.contains(&p.as_str()), "{p}");
        let q = if p.ends_with("candles") {
            "?symbol=demo:ALPHA"
        } else {
            ""
        };
        let (s, body) = rig.get(&format!("{p}{q}")).await;
        assert_ne!(s, StatusCode::NOT_FOUND, "{p}: {body}");
        assert!(
            doc["paths"][p]["get"]["responses"][s.as_str()].is_object(),
            "{p}: {s} documented"
        );
    }
    assert!(doc["paths"]["/api/v1/radar"]["get"]["description"]
        .as_str()
        .unwrap()
        .contains("composite anomaly score"));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_with_the_parameter_named() {
    let rig = rig().await;
    let cases: &[(&str, u16, &str)] = &[
        ("/api/v1/candles", 400, "symbol: is required"),
        ("/api/v1/candles?symbol=", 400, "symbol: is empty"),
        (
            "/api/v1/candles?symbol=ALPHA",
            400,
            "symbol: symbol \"ALPHA\" must look like source:CODE",
        ),
        (
            "/api/v1/candles?symbol=demo:ALPHA&interval=2m",
            400,
            "interval: unknown interval \"2m\"; known: 1m",
        ),
        (
            "/api/v1/candles?symbol=demo:ALPHA&limit=0",
            400,
            "limit: must be a whole number from 1 to 5000, not \"0\"",
        ),
        (
            "/api/v1/candles?symbol=demo:ALPHA&limit=5001",
            400,
            "limit: must be a whole number from 1 to 5000",
        ),
        (
            "/api/v1/candles?symbol=demo:ALPHA&limit=ten",
            400,
            "limit: must be a whole number",
        ),
        (
            "/api/v1/candles?symbol=demo:ALPHA&limit=-3",
            400,
            "limit: must be a whole number",
        ),
        (
            "/api/v1/candles?symbol=demo:ALPHA&limt=5",
            400,
            "limt: unknown parameter; known: symbol, interval, limit",
        ),
        (
            "/api/v1/candles?symbol=demo:ALPHA&symbol=demo:BETA",
            400,
            "symbol: given more than once",
        ),
        (
            "/api/v1/candles?symbol=demo:NOSUCH",
            404,
            "symbol: no candles for demo:NOSUCH",
        ),
        (
            "/api/v1/alerts?level=urgent",
            400,
            "level: unknown level \"urgent\"; known: low, medium, high, critical",
        ),
        (
            "/api/v1/alerts?since=yesterday",
            400,
            "since: must be a time in ms since the Unix epoch",
        ),
        (
            "/api/v1/alerts?since=-1",
            400,
            "since: must be a time in ms",
        ),
        (
            "/api/v1/alerts?limit=10001",
            400,
            "limit: must be a whole number from 1 to 10000",
        ),
        (
            "/api/v1/alerts?symbol=BTCUSDT",
            400,
            "symbol: symbol \"BTCUSDT\" must look like source:CODE",
        ),
        (
            "/api/v1/radar?min_score=-1",
            400,
            "min_score: must be 0 or more",
        ),
        (
            "/api/v1/radar?min_score=NaN",
            400,
            "min_score: must be a finite number",
        ),
        (
            "/api/v1/radar?min_score=inf",
            400,
            "min_score: must be a finite number",
        ),
        (
            "/api/v1/radar?limit=0",
            400,
            "limit: must be a whole number from 1 to 500",
        ),
        (
            "/api/v1/health?verbose=1",
            400,
            "verbose: unknown parameter; this route takes none",
        ),
        ("/api/v1/symbols?x", 400, "x: unknown parameter"),
        ("/api/v1/stream", 400, "this route is a WebSocket"),
        ("/api/v1/nope", 404, "no such route"),
        ("/api/v2/health", 404, "no such route"),
    ];
    for (path, status, want) in cases {
        let (s, body) = rig.get(path).await;
        assert_eq!(s.as_u16(), *status, "{path}: {body}");
        let code = match status {
            400 => "invalid_input",
            _ => "not_found",
        };
        assert_eq!(body["code"], code, "{path}");
        let msg = body["message"].as_str().unwrap();
        assert!(
            msg.starts_with(want),
            "{path}: {msg:?} does not start with {want:?}"
        );
    }
    // A very long bad value is not echoed whole.
    let long = "x".repeat(5_000);
    let (s, body) = rig.get(&format!("/api/v1/radar?limit={long}")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().len() < 200, "{body}");
    // Only GET.
    let r = rig
        .http
        .post(rig.url("/api/v1/alerts"))
        .bearer_auth(&rig.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
    // Nothing was lost or changed by the refusals: the engine still answers.
    assert_eq!(rig.get("/api/v1/symbols").await.0, StatusCode::OK);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flagged_anomaly_reaches_a_websocket_client_with_its_reasons() {
    // This seed's market has a flagged move (volume, price and range) seven minutes in.
    let rig = rig_with(|cfg| {
        cfg.demo = Some(DemoConfig {
            seed: 3,
            history_minutes: 180,
            ..DemoConfig::default()
        })
    })
    .await;
    let (mut ws, _) = tokio_tungstenite::connect_async(rig.ws_request(Some(&rig.token)))
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    rig.run_for(10 * 60_000).await;
    let anomaly = tokio::time::timeout(HANG_GUARD, async {
        loop {
            let m = next_json(&mut ws).await;
            if m["type"] == "anomaly" {
                return m["anomaly"].clone();
            }
        }
    })
    .await
    .expect("no anomaly on the stream");
    assert_eq!(anomaly["flagged"], true, "{anomaly}");
    assert_eq!(anomaly["closed"], true, "{anomaly}");
    assert!(anomaly["symbol"].as_str().unwrap().starts_with("demo:"));
    assert!(anomaly["score"].as_f64().unwrap() > 0.0);
    let reasons = anomaly["reasons"].as_array().unwrap();
    assert!(
        reasons.iter().any(|r| r.as_str().unwrap().contains('σ')),
        "{anomaly}"
    );
    // The radar lists it too.
    let (_, r) = rig.get("/api/v1/radar?limit=500").await;
    assert!(
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["symbol"] == anomaly["symbol"]),
        "{r}"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_fired_by_a_rule_reaches_a_websocket_client() {
    let rig = rig().await;
    let (mut ws, _) = tokio_tungstenite::connect_async(rig.ws_request(Some(&rig.token)))
        .await
        .unwrap();
    let hello = next_json(&mut ws).await;
    assert_eq!(hello["type"], "hello", "{hello}");
    let rule_id = rig.every_bar_rule("high").await;
    rig.run_for(60_000).await;

    let pushed = tokio::time::timeout(HANG_GUARD, alert_of_rule(&mut ws, rule_id))
        .await
        .expect("no alert on the stream");
    // It is the stored alert, as GET /alerts lists it.
    let (_, listed) = rig.get("/api/v1/alerts?limit=10000").await;
    let stored = listed["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == pushed["id"])
        .expect("the pushed alert is stored")
        .clone();
    assert!(
        pushed["id"].as_i64().unwrap() > 0,
        "stored before it is pushed"
    );
    for k in [
        "ruleId", "ruleName", "symbol", "interval", "level", "firedAt", "barTime", "message",
        "metrics",
    ] {
        assert_eq!(pushed[k], stored[k], "{k}");
    }
    assert_eq!(pushed["symbol"], "demo:ALPHA");
    assert_eq!(pushed["level"], "high");
    assert!(pushed["metrics"]["price"].as_f64().unwrap() > 0.0);
    assert!(
        pushed.get("acknowledgedAt").is_none(),
        "history fields only in the history"
    );

    // The client may talk (pings are answered), and it closes cleanly.
    ws.send(Message::Ping(b"hi".to_vec().into())).await.unwrap();
    loop {
        match ws.next().await.unwrap().unwrap() {
            Message::Pong(p) => {
                assert_eq!(&p[..], b"hi");
                break;
            }
            Message::Text(_) => continue, // more alerts
            other => panic!("{other:?}"),
        }
    }
    ws.close(None).await.unwrap();
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_every_stream_with_going_away_and_stops_listening() {
    let rig = rig().await;
    let (mut ws, _) = tokio_tungstenite::connect_async(rig.ws_request(Some(&rig.token)))
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    assert_eq!(rig.api.stream_clients(), 1);
    let addr = rig.api.addr;
    let engine = rig.engine.clone();
    rig.api.shutdown().await;
    match ws.next().await {
        Some(Ok(Message::Close(Some(f)))) => {
            assert_eq!(u16::from(f.code), 1001);
            assert!(f.reason.as_str().contains("stopping"));
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still listening after shutdown"
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_loopback_strong_tokens_and_free_ports_are_accepted() {
    let rig = rig().await;
    let token = tw_api::generate_token().unwrap();
    for ip in ["0.0.0.0", "::", "192.168.0.10"] {
        let mut cfg = ApiConfig::new(0, token.clone());
        cfg.bind = ip.parse().unwrap();
        let e = ApiServer::start(rig.engine.clone(), cfg)
            .await
            .err()
            .unwrap();
        assert!(matches!(e, ApiError::NotLoopback(_)), "{ip}: {e}");
        assert!(e.to_string().contains("only listens on 127.0.0.1"), "{e}");
    }
    let e = ApiServer::start(
        rig.engine.clone(),
        ApiConfig::new(0, Sensitive::new("abc".into())),
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(e, ApiError::WeakToken(3)), "{e}");
    // The port of the running server is taken: the error names it.
    let port = rig.api.addr.port();
    let e = ApiServer::start(rig.engine.clone(), ApiConfig::new(port, token))
        .await
        .err()
        .unwrap();
    assert!(matches!(e, ApiError::Bind { .. }), "{e}");
    assert!(e.to_string().contains(&format!("127.0.0.1:{port}")), "{e}");
    // One stream client more than allowed is refused with 503, not by running out of fds.
    let mut cfg = ApiConfig::new(0, tw_api::generate_token().unwrap());
    cfg.max_stream_clients = 2;
    let tok = cfg.token.expose().clone();
    let small = ApiServer::start(rig.engine.clone(), cfg).await.unwrap();
    let req = || {
        let mut r = format!("ws://{}/api/v1/stream", small.addr)
            .into_client_request()
            .unwrap();
        r.headers_mut()
            .insert("authorization", format!("Bearer {tok}").parse().unwrap());
        r
    };
    let (mut a, _) = tokio_tungstenite::connect_async(req()).await.unwrap();
    let (mut b, _) = tokio_tungstenite::connect_async(req()).await.unwrap();
    next_json(&mut a).await;
    next_json(&mut b).await;
    match tokio_tungstenite::connect_async(req()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            assert_eq!(resp.status(), 503);
            let body: Value = serde_json::from_slice(resp.body().as_deref().unwrap()).unwrap();
            assert_eq!(body["code"], "too_many_clients");
        }
        other => panic!("a third client was let in: {:?}", other.map(|_| ())),
    }
    drop(a);
    // A slot frees when a client leaves.
    let mut c = None;
    for _ in 0..200 {
        if small.stream_clients() < 2 {
            c = Some(tokio_tungstenite::connect_async(req()).await.unwrap().0);
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    next_json(c.as_mut().expect("the slot was not freed")).await;
    small.shutdown().await;
    rig.stop().await;
}

#[cfg(unix)]
fn raise_fd_limit(want: u64) -> u64 {
    // Each client is two sockets here (both ends are in this process).
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if lim.rlim_cur < want as libc::rlim_t {
            lim.rlim_cur = (want as libc::rlim_t).min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every unix
        let cur = lim.rlim_cur as u64;
        cur
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_websocket_clients_connect_and_all_receive_a_broadcast_alert() {
    const CLIENTS: usize = 1_000;
    #[cfg(unix)]
    {
        let limit = raise_fd_limit(4 * CLIENTS as u64);
        assert!(
            limit >= 2 * CLIENTS as u64 + 200,
            "the open-file limit is {limit}; this test needs about {} (ulimit -n)",
            2 * CLIENTS + 200
        );
    }
    let rig = rig().await;

    // Connect and authenticate all of them at once; each is in when it has read `hello`.
    let started = Instant::now();
    let mut connecting = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let req = rig.ws_request(Some(&rig.token));
        connecting.spawn(async move {
            let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
            assert_eq!(next_json(&mut ws).await["type"], "hello");
            ws
        });
    }
    let mut clients = Vec::with_capacity(CLIENTS);
    let joined = tokio::time::timeout(HANG_GUARD, async {
        while let Some(ws) = connecting.join_next().await {
            clients.push(ws.unwrap());
        }
    })
    .await;
    assert!(
        joined.is_ok(),
        "only {} of {CLIENTS} clients connected",
        clients.len()
    );
    let connect_time = started.elapsed();
    assert_eq!(clients.len(), CLIENTS);
    assert_eq!(rig.api.stream_clients(), CLIENTS);

    // One rule fires; every client must get its first alert. The broadcast starts when the
    // engine publishes the alert (a probe subscribed to the engine sees that moment); each
    // client's delivery time is from then to the moment it has read and parsed the message.
    let rule_id = rig.every_bar_rule("critical").await;
    let mut probe = rig.engine.subscribe_alerts();
    let published = tokio::spawn(async move {
        loop {
            let a = probe.recv().await.unwrap();
            if a.rule_id == rule_id {
                return (a.id, Instant::now());
            }
        }
    });
    let mut receiving = tokio::task::JoinSet::new();
    for mut ws in clients {
        receiving.spawn(async move {
            let alert = alert_of_rule(&mut ws, rule_id).await;
            (alert["id"].as_i64().unwrap(), Instant::now(), ws)
        });
    }
    rig.run_for(5_000).await;
    let mut ids = std::collections::BTreeSet::new();
    let mut arrivals = Vec::with_capacity(CLIENTS);
    let got = tokio::time::timeout(HANG_GUARD, async {
        while let Some(r) = receiving.join_next().await {
            let (id, at, ws) = r.unwrap();
            ids.insert(id);
            arrivals.push(at);
            drop(ws);
        }
    })
    .await;
    assert!(
        got.is_ok(),
        "only {} of {CLIENTS} clients got the alert",
        arrivals.len()
    );
    assert_eq!(arrivals.len(), CLIENTS);
    assert_eq!(ids.len(), 1, "every client got the same alert: {ids:?}");
    let (published_id, t0) = published.await.unwrap();
    assert_eq!(ids.first(), Some(&published_id));
    let mut latencies: Vec<Duration> = arrivals
        .iter()
        .map(|a| a.saturating_duration_since(t0))
        .collect();
    let stored = rig.engine.store().alerts_for_rule(rule_id).await.unwrap();
    assert_eq!(stored.first().map(|a| a.id), ids.first().copied());

    latencies.sort();
    let pct = |p: usize| latencies[(latencies.len() - 1) * p / 100];
    println!(
        "local API, {CLIENTS} WebSocket clients on 127.0.0.1 (debug build): connect + auth + hello \
         for all: {:.0} ms; alert broadcast (from the engine publishing it to each client \
         having read it): p50 {:.1} ms, p99 {:.1} ms, last {:.1} ms",
        connect_time.as_secs_f64() * 1e3,
        pct(50).as_secs_f64() * 1e3,
        pct(99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
    );
    rig.stop().await;
}

fn require_private_session() {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let private = std::env::var("TW_PRIVATE_SESSION_BUS").unwrap_or_default();
    assert!(
        !bus.is_empty() && bus == private,
        "this test needs the private D-Bus session of the test harness: run it through \
         scripts/with-session-bus.sh (e.g. `scripts/with-session-bus.sh cargo test -p tw-api`)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_made_once_kept_in_the_os_keyring_and_never_in_the_data_folder() {
    require_private_session();
    let service = format!("tickwarden-api-keyring-{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(engine_config(dir.path(), &clock, &service))
        .await
        .unwrap();
    clock.settle().await;
    assert!(!engine.has_token(tw_api::TOKEN_SOURCE).await.unwrap());

    let token = tw_api::ensure_token(&engine).await.unwrap();
    assert_eq!(token.expose().len(), 64);
    assert_eq!(
        tw_api::ensure_token(&engine).await.unwrap(),
        token,
        "made once"
    );
    // It is in the real Secret Service: the desktop's own tool reads it back.
    let lookup = || {
        let out = std::process::Command::new("secret-tool")
            .args([
                "lookup",
                "service",
                &service,
                "username",
                tw_api::TOKEN_SOURCE,
            ])
            .output()
            .expect("secret-tool (apt libsecret-tools)");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(&lookup(), token.expose());

    // The server takes it from there and accepts exactly it.
    let api = ApiServer::start(engine.clone(), ApiConfig::new(0, token.clone()))
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!("http://{}/api/v1/health", api.addr);
    let ok = http
        .get(&url)
        .bearer_auth(token.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let refused = http.get(&url).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    api.shutdown().await;

    // A stored value too short to be safe is replaced, in the keyring too.
    engine
        .set_token(tw_api::TOKEN_SOURCE, Sensitive::new("weak".into()))
        .await
        .unwrap();
    let fresh = tw_api::ensure_token(&engine).await.unwrap();
    assert_eq!(fresh.expose().len(), 64);
    assert_ne!(fresh, token);
    assert_eq!(&lookup(), fresh.expose());

    engine.shutdown().await;
    for t in [&token, &fresh] {
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let needle = t.expose().as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "the token was written to the data folder"
            );
        }
    }
    let engine = Engine::start(engine_config(dir.path(), &clock, &service))
        .await
        .unwrap();
    assert!(engine.delete_token(tw_api::TOKEN_SOURCE).await.unwrap());
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setting_is_off_by_default_and_round_trips() {
    use tw_api::LocalApiSettings;
    let rig = rig().await;
    let s = LocalApiSettings::load(&rig.engine).await.unwrap();
    assert_eq!(
        s,
        LocalApiSettings {
            enabled: false,
            port: LocalApiSettings::DEFAULT_PORT
        }
    );
    let on = LocalApiSettings {
        enabled: true,
        port: 50_123,
    };
    on.save(&rig.engine).await.unwrap();
    assert_eq!(LocalApiSettings::load(&rig.engine).await.unwrap(), on);
    rig.engine
        .store()
        .set_setting("local_api.port", "70000")
        .await
        .unwrap();
    let e = LocalApiSettings::load(&rig.engine).await.unwrap_err();
    assert!(
        e.to_string().contains("local_api.port") && e.to_string().contains("70000"),
        "{e}"
    );
    rig.stop().await;
}
