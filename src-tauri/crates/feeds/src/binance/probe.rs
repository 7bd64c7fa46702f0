//! "Test connection" of a Binance venue: one try of each endpoint the feed uses, answered in
//! words: whether REST and the stream are reachable, how fast, and how many symbols trade.
//! Unlike the feed's clients it never retries or waits out a ban: it says what it found.

use super::parse::{parse_exchange_info, parse_rest_error, parse_tickers};
use super::rest::error_chain;
use super::universe::tradable;
use super::{BinanceConfig, Path, Universe, Venue};
use futures_util::StreamExt;
use std::time::{Duration, Instant};

/// One endpoint tried.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbeCheck {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

/// What the test found, for the data-sources view.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub ok: bool,
    pub summary: String,
    pub checks: Vec<ProbeCheck>,
    /// Round trip of the exchangeInfo call.
    pub rest_latency_ms: Option<u64>,
    /// Symbols the feed could watch (trading; perpetual on USDⓈ-M).
    pub tradable: Option<usize>,
}

const REST_TIMEOUT: Duration = Duration::from_secs(10);
const WS_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the stream test waits for a first message after connecting.
const FIRST_MESSAGE: Duration = Duration::from_secs(5);

pub fn venue_name(venue: Venue) -> &'static str {
    match venue {
        Venue::UsdM => "Binance USDⓈ-M futures",
        Venue::Spot => "Binance spot",
    }
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

/// GETs one REST path once: the body and the round trip, or the reason in words.
async fn get(http: &reqwest::Client, url: &str) -> Result<(String, Duration), String> {
    let t = Instant::now();
    let resp = http
        .get(url)
        .send()
        .await
        .map_err(|e| format!("cannot reach {url}: {}", error_chain(&e)))?;
    let status = resp.status().as_u16();
    let body = resp
        .text()
        .await
        .map_err(|e| format!("reading the answer of {url}: {}", error_chain(&e)))?;
    let took = t.elapsed();
    match status {
        200 => Ok((body, took)),
        418 | 429 => Err(format!(
            "{url} answered HTTP {status}: this IP is rate-limited by Binance{}",
            if status == 418 {
                " (banned for a while)"
            } else {
                ""
            }
        )),
        451 | 403 => Err(format!(
            "{url} answered HTTP {status}: Binance refuses this location{}",
            parse_rest_error(&body)
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        )),
        _ => Err(format!(
            "{url} answered HTTP {status}: {}",
            parse_rest_error(&body).unwrap_or_else(|| body.chars().take(200).collect())
        )),
    }
}

/// Tries REST (exchangeInfo, 24 h tickers) and the stream of `cfg`'s venue once each.
pub async fn probe(cfg: &BinanceConfig) -> Probe {
    let venue = cfg.venue;
    let rest = cfg.rest_url.trim_end_matches('/');
    let http = reqwest::Client::builder()
        .timeout(REST_TIMEOUT)
        .connect_timeout(REST_TIMEOUT)
        .user_agent(concat!("tickwarden/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default();
    let mut checks = Vec::new();
    let mut latency = None;
    let mut tradable_n = None;
    let mut first_code = None;

    let info_url = format!("{rest}{}", venue.path(Path::ExchangeInfo));
    let info = match get(&http, &info_url).await {
        Ok((body, took)) => match parse_exchange_info(&body) {
            Ok(info) => {
                let ok = tradable(&info, venue);
                let mut codes: Vec<&str> = ok
                    .iter()
                    .filter(|(_, r)| r.is_ok())
                    .map(|(c, _)| *c)
                    .collect();
                codes.sort_unstable();
                first_code = codes
                    .iter()
                    .find(|c| **c == "BTCUSDT")
                    .or(codes.first())
                    .map(|c| c.to_string());
                latency = Some(ms(took));
                tradable_n = Some(codes.len());
                checks.push(ProbeCheck {
                    name: "exchangeInfo".into(),
                    ok: true,
                    detail: format!(
                        "answered in {} ms: {} of {} symbols can be watched{}",
                        ms(took),
                        codes.len(),
                        info.symbols.len(),
                        if venue == Venue::UsdM {
                            " (trading perpetuals)"
                        } else {
                            " (trading)"
                        }
                    ),
                });
                Some(())
            }
            Err(e) => {
                checks.push(ProbeCheck {
                    name: "exchangeInfo".into(),
                    ok: false,
                    detail: format!("{info_url} answered, but not with Binance's symbol list: {e}"),
                });
                None
            }
        },
        Err(e) => {
            checks.push(ProbeCheck {
                name: "exchangeInfo".into(),
                ok: false,
                detail: e,
            });
            None
        }
    };

    // The 24 h tickers choose a top-N universe; only worth a call when REST answered.
    if info.is_some() {
        let url = format!("{rest}{}", venue.path(Path::Ticker24h));
        let check = match get(&http, &url).await {
            Ok((body, took)) => match parse_tickers(&body) {
                Ok(t) => {
                    let detail = match &cfg.universe {
                        Universe::TopByQuoteVolume {
                            n,
                            min_quote_volume,
                            ..
                        } => {
                            let over = t.iter().filter(|(_, v)| *v >= *min_quote_volume).count();
                            format!(
                                "answered in {} ms: {} symbols, {over} of them with a 24 h quote \
                                 volume of at least {min_quote_volume}; the top {} are watched",
                                ms(took),
                                t.len(),
                                (*n).min(over)
                            )
                        }
                        _ => format!("answered in {} ms: {} symbols", ms(took), t.len()),
                    };
                    ProbeCheck {
                        name: "ticker/24hr".into(),
                        ok: true,
                        detail,
                    }
                }
                Err(e) => ProbeCheck {
                    name: "ticker/24hr".into(),
                    ok: false,
                    detail: format!("{url}: unreadable answer: {e}"),
                },
            },
            Err(e) => ProbeCheck {
                name: "ticker/24hr".into(),
                ok: false,
                detail: e,
            },
        };
        checks.push(check);
    }

    checks.push(probe_stream(cfg, first_code.as_deref()).await);

    let ok = checks.iter().all(|c| c.ok);
    let name = venue_name(venue);
    let summary = if ok {
        format!(
            "{name} is reachable: REST answered in {} ms and lists {} symbols to watch; the \
             live stream works.",
            latency.unwrap_or_default(),
            tradable_n.unwrap_or_default()
        )
    } else {
        let failed: Vec<&str> = checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.detail.as_str())
            .collect();
        let what = if info.is_none() {
            "is not reachable"
        } else {
            "is only partly reachable"
        };
        format!("{name} {what}: {}", failed.join("; "))
    };
    Probe {
        ok,
        summary,
        checks,
        rest_latency_ms: latency,
        tradable: tradable_n,
    }
}

/// Connects to the combined stream of one symbol's 1m klines and waits a little for data.
async fn probe_stream(cfg: &BinanceConfig, code: Option<&str>) -> ProbeCheck {
    let code = code.unwrap_or("BTCUSDT").to_ascii_lowercase();
    let url = format!(
        "{}/stream?streams={code}@kline_1m",
        cfg.ws_url.trim_end_matches('/')
    );
    let t = Instant::now();
    let fail = |detail: String| ProbeCheck {
        name: "stream".into(),
        ok: false,
        detail,
    };
    let mut ws =
        match tokio::time::timeout(WS_TIMEOUT, tokio_tungstenite::connect_async(&url)).await {
            Err(_) => {
                return fail(format!(
                    "{url}: no connection within {} s",
                    WS_TIMEOUT.as_secs()
                ))
            }
            Ok(Err(e)) => return fail(format!("cannot connect to {url}: {}", error_chain(&e))),
            Ok(Ok((ws, _))) => ws,
        };
    let connected = t.elapsed();
    let first = tokio::time::timeout(FIRST_MESSAGE, async {
        while let Some(m) = ws.next().await {
            match m {
                Ok(m) if m.is_text() || m.is_binary() => return Ok(()),
                Ok(_) => continue,
                Err(e) => return Err(error_chain(&e)),
            }
        }
        Err("the server closed the stream".to_string())
    })
    .await;
    let _ = ws.close(None).await;
    let detail = match first {
        Ok(Ok(())) => format!(
            "connected in {} ms; the first {} kline arrived after {} ms",
            ms(connected),
            code.to_ascii_uppercase(),
            ms(t.elapsed())
        ),
        Ok(Err(e)) => return fail(format!("{url}: connected, then {e}")),
        Err(_) => format!(
            "connected in {} ms (no kline within {} s: the market may be quiet)",
            ms(connected),
            FIRST_MESSAGE.as_secs()
        ),
    };
    ProbeCheck {
        name: "stream".into(),
        ok: true,
        detail,
    }
}
