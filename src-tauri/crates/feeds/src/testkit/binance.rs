//! A local Binance: WebSocket combined streams and REST on 127.0.0.1:0, replaying real
//! recorded 1m klines (../shared/data/crypto) in Binance's exact formats (USDⓈ-M futures or
//! spot), and on command dropping connections, going silent, sending `serverShutdown`,
//! answering 429/418. A recording that stops (a trading halt) stops the symbol's frames and
//! turns its exchangeInfo status to `BREAK`, as Binance does.
//!
//! Market time runs on a [`ScaledClock`] shared with the feed: recorded minutes pass `speed`
//! times faster than wall time, so a test replays an hour in seconds without changing what
//! the feed sees.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;
use tw_core::clock::BoxFuture;
use tw_core::Clock;

/// `../shared/data` beside the repository; its absence is an error (`make test` and CI run
/// with shared/ beside the clone), never a silent skip.
pub fn data_root() -> PathBuf {
    let d = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data"
    ));
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        d.display()
    );
    d
}

/// Market time = `start + wall elapsed × speed`.
pub struct ScaledClock {
    start_ms: i64,
    wall0: Instant,
    speed: f64,
}

impl ScaledClock {
    pub fn new(start_ms: i64, speed: f64) -> Self {
        ScaledClock {
            start_ms,
            wall0: Instant::now(),
            speed,
        }
    }
    pub fn wall(&self, market_ms: i64) -> Duration {
        Duration::from_secs_f64((market_ms.max(0) as f64 / 1000.0) / self.speed)
    }
}

impl Clock for ScaledClock {
    fn now_ms(&self) -> i64 {
        self.start_ms + (self.wall0.elapsed().as_secs_f64() * 1000.0 * self.speed) as i64
    }
    fn sleep_until(&self, deadline_ms: i64) -> BoxFuture {
        if deadline_ms == i64::MAX {
            return Box::pin(std::future::pending());
        }
        let wall = self.wall0
            + Duration::from_secs_f64(
                ((deadline_ms - self.start_ms).max(0) as f64 / 1000.0) / self.speed,
            );
        Box::pin(tokio::time::sleep_until(wall))
    }
}

/// One recorded 1m bar, its numbers kept as the exact strings of the file.
#[derive(Clone, Debug)]
pub struct Bar {
    pub open_time: i64,
    pub o: String,
    pub h: String,
    pub l: String,
    pub c: String,
    pub v: String,
    pub q: String,
    pub n: u64,
}

impl Bar {
    pub fn f(s: &str) -> f64 {
        s.parse().unwrap()
    }
}

/// Reads a Binance kline CSV (with or without header, ms timestamps).
pub fn load_csv(path: &Path) -> Vec<Bar> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Bar {
                open_time: f[0].parse().unwrap(),
                o: f[1].into(),
                h: f[2].into(),
                l: f[3].into(),
                c: f[4].into(),
                v: f[5].into(),
                q: f[7].into(),
                n: f[8].parse().unwrap(),
            }
        })
        .collect()
}

#[derive(Default)]
pub struct RestPlan {
    /// Answer the next kline requests with these statuses (429/418) and Retry-After seconds.
    pub kline_errors: Vec<(u16, u64)>,
    /// Market-time windows of 418 bans: any request inside one is a violation.
    pub bans: Vec<(i64, i64)>,
    pub violations: u64,
    pub kline_requests: u64,
    pub limited_answers: u64,
    pub weight: HashMap<i64, u32>,
}

pub struct Market {
    pub clock: Arc<ScaledClock>,
    /// Spot answers exchangeInfo without futures fields (no `contractType`).
    pub spot: bool,
    pub bars: HashMap<String, Vec<Bar>>,
    pub quote_volume: Mutex<HashMap<String, f64>>,
    pub rest: Mutex<RestPlan>,
    /// Sends a command to every live connection.
    pub cmd: broadcast::Sender<Cmd>,
    pub connections: AtomicU64,
    pub subscribe_requests: AtomicU64,
    pub pongs: AtomicU64,
    pub oi_requests: AtomicU64,
    /// Market time between two stream ticks.
    pub tick_ms: i64,
    /// Stream frames sent (klines of every connection).
    pub frames_sent: AtomicU64,
    /// When each closed kline frame left the server, by (code, open time): the start of the
    /// end-to-end latency the benchmark measures. Only kept when `log_sends` is set.
    pub log_sends: bool,
    pub sent_closed: Mutex<HashMap<(String, i64), std::time::Instant>>,
}

#[derive(Clone, Copy, Debug)]
pub enum Cmd {
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Stop sending anything (the socket stays open).
    Mute,
    /// Send `serverShutdown`, keep streaming for `grace` market ms, then close.
    Shutdown { grace_ms: i64 },
}

impl Market {
    /// A market replaying `bars` (code → recorded 1m bars) with the given 24 h quote volumes.
    pub fn new(
        clock: Arc<ScaledClock>,
        bars: HashMap<String, Vec<Bar>>,
        quote_volume: HashMap<String, f64>,
    ) -> Self {
        let (cmd, _) = broadcast::channel(16);
        Market {
            clock,
            spot: false,
            bars,
            quote_volume: Mutex::new(quote_volume),
            rest: Mutex::new(RestPlan::default()),
            cmd,
            connections: AtomicU64::new(0),
            subscribe_requests: AtomicU64::new(0),
            pongs: AtomicU64::new(0),
            oi_requests: AtomicU64::new(0),
            tick_ms: 10_000,
            frames_sent: AtomicU64::new(0),
            log_sends: false,
            sent_closed: Mutex::new(HashMap::new()),
        }
    }

    /// Is `code` trading at market time `now` (the recording has the current or the
    /// previous bar)? A symbol whose recording stops is halted.
    pub fn trading(&self, code: &str, now: i64) -> bool {
        let cur = now - now.rem_euclid(60_000);
        self.bar_at(code, cur).is_some() || self.bar_at(code, cur - 60_000).is_some()
    }

    pub fn bar_at(&self, code: &str, open_time: i64) -> Option<&Bar> {
        let bars = self.bars.get(code)?;
        let first = bars.first()?.open_time;
        if open_time < first {
            return None;
        }
        let i = ((open_time - first) / 60_000) as usize;
        // Recordings may have holes (a halt): then the bar sits earlier than its index.
        match bars.get(i) {
            Some(b) if b.open_time == open_time => Some(b),
            _ => bars
                .binary_search_by_key(&open_time, |b| b.open_time)
                .ok()
                .map(|j| &bars[j]),
        }
    }

    fn book_weight(&self, w: u32) -> u32 {
        let now = self.clock.now_ms();
        let minute = now - now.rem_euclid(60_000);
        let mut r = self.rest.lock().unwrap();
        let e = r.weight.entry(minute).or_default();
        *e += w;
        *e
    }

    fn note_request(&self) {
        let now = self.clock.now_ms();
        let mut r = self.rest.lock().unwrap();
        if r.bans.iter().any(|&(a, b)| now >= a && now < b) {
            r.violations += 1;
        }
    }
}

/// A forming bar as Binance shows it part-way through: open so far, partial volume.
fn forming(b: &Bar, frac: f64) -> (String, String, String, String, String, String, u64) {
    let o = Bar::f(&b.o);
    let c = o + (Bar::f(&b.c) - o) * frac;
    let h = o.max(c);
    let l = o.min(c);
    let v = Bar::f(&b.v) * frac;
    let q = Bar::f(&b.q) * frac;
    (
        b.o.clone(),
        format!("{h}"),
        format!("{l}"),
        format!("{c}"),
        format!("{v}"),
        format!("{q}"),
        ((b.n as f64) * frac) as u64,
    )
}

fn kline_frame(code: &str, b: &Bar, now: i64, closed: bool) -> String {
    let (o, h, l, c, v, q, n) = if closed {
        (
            b.o.clone(),
            b.h.clone(),
            b.l.clone(),
            b.c.clone(),
            b.v.clone(),
            b.q.clone(),
            b.n,
        )
    } else {
        forming(b, ((now - b.open_time) as f64 / 60_000.0).clamp(0.0, 0.99))
    };
    format!(
        r#"{{"stream":"{lower}@kline_1m","data":{{"e":"kline","E":{now},"s":"{code}","k":{{"t":{t},"T":{tt},"s":"{code}","i":"1m","f":100,"L":200,"o":"{o}","c":"{c}","h":"{h}","l":"{l}","v":"{v}","n":{n},"x":{closed},"q":"{q}","V":"0","Q":"0","B":"0"}}}}}}"#,
        lower = code.to_ascii_lowercase(),
        t = b.open_time,
        tt = b.open_time + 59_999,
    )
}

pub struct Servers {
    pub market: Arc<Market>,
    pub ws_url: String,
    pub rest_url: String,
}

pub async fn start(market: Market) -> Servers {
    let market = Arc::new(market);
    let ws = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ws_url = format!("ws://{}", ws.local_addr().unwrap());
    let m = market.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = ws.accept().await {
            tokio::spawn(serve_ws(m.clone(), tcp));
        }
    });
    let http = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let rest_url = format!("http://{}", http.local_addr().unwrap());
    let app = Router::new()
        .route("/fapi/v1/klines", get(klines))
        .route("/api/v3/klines", get(klines))
        .route("/fapi/v1/exchangeInfo", get(exchange_info))
        .route("/api/v3/exchangeInfo", get(exchange_info))
        .route("/fapi/v1/ticker/24hr", get(tickers))
        .route("/api/v3/ticker/24hr", get(tickers))
        .route("/fapi/v1/openInterest", get(open_interest))
        .with_state(market.clone());
    tokio::spawn(async move { axum::serve(http, app).await.unwrap() });
    Servers {
        market,
        ws_url,
        rest_url,
    }
}

// The handshake callback's error type is fixed by tungstenite (an HTTP response).
#[allow(clippy::result_large_err)]
async fn serve_ws(m: Arc<Market>, tcp: tokio::net::TcpStream) {
    let mut path = String::new();
    let cb = |req: &Request, resp: Response| {
        path = req.uri().to_string();
        Ok(resp)
    };
    let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, cb).await else {
        return;
    };
    m.connections.fetch_add(1, Ordering::SeqCst);
    let mut codes: BTreeSet<String> = path
        .split_once("streams=")
        .map(|(_, s)| s)
        .unwrap_or("")
        .split('/')
        .filter_map(|s| s.strip_suffix("@kline_1m"))
        .map(|s| s.to_ascii_uppercase())
        .collect();
    let mut cmds = m.cmd.subscribe();
    let (mut tx, mut rx) = ws.split();
    // Bars closed before this connection are not replayed: a client must back-fill them.
    let start = m.clock.now_ms();
    let mut sent_closed: HashMap<String, i64> = HashMap::new();
    let mut muted = false;
    let mut close_at = i64::MAX;
    let mut ticks = 0u64;
    loop {
        let next_tick = m.clock.now_ms() + m.tick_ms;
        tokio::select! {
            _ = m.clock.sleep_until(next_tick) => {
                let now = m.clock.now_ms();
                if now >= close_at {
                    let _ = tx.close().await;
                    return;
                }
                if muted { continue; }
                ticks += 1;
                if ticks.is_multiple_of(8) && tx.send(Message::Ping(b"tw".to_vec().into())).await.is_err() {
                    return;
                }
                for code in &codes {
                    let cur = now - now.rem_euclid(60_000);
                    let from = *sent_closed
                        .get(code)
                        .unwrap_or(&(start - start.rem_euclid(60_000) - 60_000));
                    let mut t = from + 60_000;
                    while t < cur {
                        if let Some(b) = m.bar_at(code, t) {
                            let frame = kline_frame(code, b, now, true);
                            if m.log_sends {
                                m.sent_closed
                                    .lock()
                                    .unwrap()
                                    .insert((code.clone(), t), std::time::Instant::now());
                            }
                            m.frames_sent.fetch_add(1, Ordering::Relaxed);
                            if tx.send(Message::text(frame)).await.is_err() {
                                return;
                            }
                        }
                        t += 60_000;
                    }
                    sent_closed.insert(code.clone(), cur - 60_000);
                    if let Some(b) = m.bar_at(code, cur) {
                        m.frames_sent.fetch_add(1, Ordering::Relaxed);
                        if tx.send(Message::text(kline_frame(code, b, now, false))).await.is_err() {
                            return;
                        }
                    }
                }
            }
            msg = rx.next() => match msg {
                Some(Ok(Message::Text(t))) => {
                    let v: serde_json::Value = serde_json::from_str(t.as_str()).unwrap();
                    let method = v["method"].as_str().unwrap_or("");
                    for p in v["params"].as_array().into_iter().flatten() {
                        let code = p.as_str().unwrap().strip_suffix("@kline_1m").unwrap().to_ascii_uppercase();
                        if method == "SUBSCRIBE" {
                            codes.insert(code);
                        } else {
                            codes.remove(&code);
                        }
                    }
                    m.subscribe_requests.fetch_add(1, Ordering::SeqCst);
                    let reply = format!(r#"{{"result":null,"id":{}}}"#, v["id"]);
                    if !muted && tx.send(Message::text(reply)).await.is_err() {
                        return;
                    }
                }
                Some(Ok(Message::Pong(_))) => { m.pongs.fetch_add(1, Ordering::SeqCst); }
                Some(Ok(_)) => {}
                _ => return,
            },
            c = cmds.recv() => match c {
                Ok(Cmd::Drop) => return, // dropping the socket: no close frame
                Ok(Cmd::Mute) => muted = true,
                Ok(Cmd::Shutdown { grace_ms }) => {
                    let now = m.clock.now_ms();
                    let msg = format!(r#"{{"e":"serverShutdown","E":{now}}}"#);
                    if tx.send(Message::text(msg)).await.is_err() {
                        return;
                    }
                    close_at = now + grace_ms;
                }
                Err(_) => return,
            },
        }
    }
}

type Answer = (StatusCode, HeaderMap, String);

fn answer(m: &Market, weight: u32, body: String) -> Answer {
    let used = m.book_weight(weight);
    let mut h = HeaderMap::new();
    h.insert("x-mbx-used-weight-1m", HeaderValue::from(used));
    h.insert("content-type", HeaderValue::from_static("application/json"));
    (StatusCode::OK, h, body)
}

async fn klines(State(m): State<Arc<Market>>, Query(q): Query<HashMap<String, String>>) -> Answer {
    m.note_request();
    {
        let mut r = m.rest.lock().unwrap();
        r.kline_requests += 1;
        if !r.kline_errors.is_empty() {
            let (status, retry) = r.kline_errors.remove(0);
            r.limited_answers += 1;
            let now = m.clock.now_ms();
            if status == 418 {
                r.bans.push((now, now + retry as i64 * 1000));
            }
            let mut h = HeaderMap::new();
            h.insert("retry-after", HeaderValue::from(retry));
            let body = r#"{"code":-1003,"msg":"Too many requests; current limit is 2400 request weight per 1 MINUTE."}"#;
            return (StatusCode::from_u16(status).unwrap(), h, body.to_string());
        }
    }
    let code = q.get("symbol").cloned().unwrap_or_default();
    let Some(bars) = m.bars.get(&code) else {
        let body = r#"{"code":-1121,"msg":"Invalid symbol."}"#.to_string();
        return (StatusCode::BAD_REQUEST, HeaderMap::new(), body);
    };
    let start: i64 = q.get("startTime").and_then(|s| s.parse().ok()).unwrap_or(0);
    let limit: usize = q.get("limit").and_then(|s| s.parse().ok()).unwrap_or(500);
    let now = m.clock.now_ms();
    let rows: Vec<String> = bars
        .iter()
        .filter(|b| b.open_time >= start && b.open_time <= now)
        .take(limit)
        .map(|b| {
            let closed = b.open_time + 60_000 <= now;
            let (o, h, l, c, v, q, n) = if closed {
                (
                    b.o.clone(),
                    b.h.clone(),
                    b.l.clone(),
                    b.c.clone(),
                    b.v.clone(),
                    b.q.clone(),
                    b.n,
                )
            } else {
                forming(b, ((now - b.open_time) as f64 / 60_000.0).clamp(0.0, 0.99))
            };
            format!(
                r#"[{},"{o}","{h}","{l}","{c}","{v}",{},"{q}",{n},"0","0","0"]"#,
                b.open_time,
                b.open_time + 59_999
            )
        })
        .collect();
    let weight = match limit {
        0..=99 => 1,
        100..=499 => 2,
        _ => 5,
    };
    answer(&m, weight, format!("[{}]", rows.join(",")))
}

async fn exchange_info(State(m): State<Arc<Market>>) -> Answer {
    m.note_request();
    let now = m.clock.now_ms();
    let symbols: Vec<String> = m
        .bars
        .keys()
        .map(|c| {
            let status = if m.trading(c, now) { "TRADING" } else { "BREAK" };
            if m.spot {
                format!(r#"{{"symbol":"{c}","status":"{status}","baseAsset":"{c}","quoteAsset":"USDT","quoteAssetPrecision":8}}"#)
            } else {
                format!(r#"{{"symbol":"{c}","status":"{status}","contractType":"PERPETUAL","quoteAsset":"USDT","pricePrecision":4}}"#)
            }
        })
        .collect();
    let body = format!(
        r#"{{"timezone":"UTC","serverTime":{},"rateLimits":[{{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400}}],"symbols":[{}]}}"#,
        m.clock.now_ms(),
        symbols.join(",")
    );
    answer(&m, 1, body)
}

async fn tickers(State(m): State<Arc<Market>>) -> Answer {
    m.note_request();
    let qv = m.quote_volume.lock().unwrap().clone();
    let rows: Vec<String> = qv
        .iter()
        .map(|(c, v)| {
            format!(r#"{{"symbol":"{c}","lastPrice":"1.0","quoteVolume":"{v}","count":1}}"#)
        })
        .collect();
    answer(&m, 40, format!("[{}]", rows.join(",")))
}

async fn open_interest(
    State(m): State<Arc<Market>>,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    m.note_request();
    m.oi_requests.fetch_add(1, Ordering::SeqCst);
    let code = q.get("symbol").cloned().unwrap_or_default();
    let now = m.clock.now_ms();
    // Open interest is not in the recorded klines; it follows cumulative volume here.
    let oi = m
        .bar_at(&code, now - now.rem_euclid(60_000) - 60_000)
        .map(|b| Bar::f(&b.v) * 10.0)
        .unwrap_or(0.0);
    answer(
        &m,
        1,
        format!(r#"{{"openInterest":"{oi:.3}","symbol":"{code}","time":{now}}}"#),
    )
}
