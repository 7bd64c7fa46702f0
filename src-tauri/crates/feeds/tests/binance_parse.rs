//! Table-driven parse tests of the Binance wire types on real payloads from
//! ../shared/data/protocol/binance (docs examples, nautilus and ccxt captures), malformed and
//! unknown messages included.

use std::path::PathBuf;
use tw_core::{Interval, Symbol};
use tw_feeds::binance::parse::{
    parse_exchange_info, parse_frame, parse_klines, parse_open_interest, parse_tickers, Frame,
    ParseError,
};

fn data_dir() -> PathBuf {
    let d = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data/protocol/binance"
    ));
    // `make test` runs with shared/ beside the clone (as CI has it): absent data fails.
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        d.display()
    );
    d
}

fn read(dir: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// What a frame should parse into, in short.
#[derive(Debug)]
enum Want {
    /// symbol, interval, open time, close, volume, closed
    Kline(&'static str, Interval, i64, f64, f64, bool),
    /// symbol, time, price, qty
    Trade(&'static str, i64, f64, f64),
    Shutdown(i64),
    Reply(Option<u64>, bool),
    Unknown(&'static str),
    Err(fn(&ParseError) -> bool),
}

#[test]
fn stream_frames_from_real_payloads() {
    let dir = data_dir();
    let files: &[(&str, &str, Want)] = &[
        (
            "futures kline (docs), forming",
            "examples_from_docs/usdm_ws_Kline-Candlestick-Streams.json",
            Want::Kline("BTCUSDT", Interval::M1, 1638747660000, 0.002, 1000.0, false),
        ),
        (
            "futures kline (nautilus), closed",
            "nautilus_fixtures/rust_crate_test_data/futures/market_data_json/kline_stream_closed.json",
            Want::Kline("BTCUSDT", Interval::M1, 1638747660000, 0.002, 1000.0, true),
        ),
        (
            "spot kline (docs)",
            "examples_from_docs/spot_ws_kline_1m.json",
            Want::Kline("BNBBTC", Interval::M1, 1672515780000, 0.002, 1000.0, false),
        ),
        (
            "spot aggTrade (docs)",
            "examples_from_docs/spot_ws_aggTrade.json",
            Want::Trade("BNBBTC", 1672515782136, 0.001, 100.0),
        ),
        (
            "futures aggTrade (docs, with nq)",
            "examples_from_docs/usdm_ws_Aggregate-Trade-Streams.json",
            Want::Trade("BTCUSDT", 123456785, 0.001, 100.0),
        ),
        (
            "combined aggTrade (real capture)",
            "nautilus_fixtures/ws_messages/ws_spot_agg_trade.json",
            Want::Trade("ETHUSDT", 1675759520847, 1632.46, 0.34305),
        ),
        (
            "combined trade (real capture)",
            "nautilus_fixtures/ws_messages/ws_spot_trade.json",
            Want::Trade("ETHUSDT", 1639351062243, 4149.74, 0.4387),
        ),
        (
            "serverShutdown",
            "examples_from_docs/spot_ws_serverShutdown.json",
            Want::Shutdown(1770123456789),
        ),
        (
            "subscribe reply",
            "examples_from_docs/usdm_ws_Live-Subscribing-Unsubscribing-to-streams_2.json",
            Want::Reply(Some(312), false),
        ),
        (
            "mini ticker: an event this feed does not use",
            "examples_from_docs/usdm_ws_Individual-Symbol-Mini-Ticker-Stream.json",
            Want::Unknown("24hrMiniTicker"),
        ),
        (
            "book ticker: no event type at all",
            "examples_from_docs/spot_ws_bookTicker.json",
            Want::Unknown(""),
        ),
        (
            "futures 24h ticker (nautilus)",
            "nautilus_fixtures/ws_messages/ws_futures_ticker_24hr.json",
            Want::Unknown("24hrTicker"),
        ),
    ];
    for (name, file, want) in files {
        let text = read(&dir, file);
        check(name, &text, want);
    }
}

#[test]
fn malformed_and_odd_frames() {
    let kline = |o: &str, i: &str, t: i64, tt: i64| {
        format!(
            r#"{{"stream":"btcusdt@kline_1m","data":{{"e":"kline","E":1,"s":"BTCUSDT","k":{{"t":{t},"T":{tt},"s":"BTCUSDT","i":"{i}","f":1,"L":2,"o":"{o}","c":"1","h":"1","l":"1","v":"1","n":1,"x":true,"q":"1","V":"0","Q":"0","B":"0"}}}}}}"#
        )
    };
    let cases: Vec<(&str, String, Want)> = vec![
        (
            "combined kline, exact stream format",
            kline("1.5", "1m", 60_000, 119_999),
            Want::Kline("BTCUSDT", Interval::M1, 60_000, 1.0, 1.0, true),
        ),
        (
            "price that is not a number",
            kline("abc", "1m", 60_000, 119_999),
            Want::Err(
                |e| matches!(e, ParseError::Number { field: "k.o", value } if value == "abc"),
            ),
        ),
        (
            "interval Tickwarden does not use",
            kline("1", "3m", 60_000, 239_999),
            Want::Err(|e| matches!(e, ParseError::Interval(i) if i == "3m")),
        ),
        (
            "close before open",
            kline("1", "1m", 60_000, 1),
            Want::Err(|e| matches!(e, ParseError::Shape { what: "kline", .. })),
        ),
        (
            "truncated JSON",
            r#"{"e":"kline","E":1,"s":"BTC"#.to_string(),
            Want::Err(|e| matches!(e, ParseError::Json(_))),
        ),
        (
            "kline without its body",
            r#"{"e":"kline","E":1,"s":"BTCUSDT"}"#.to_string(),
            Want::Err(|e| matches!(e, ParseError::Json(m) if m.contains("`k`"))),
        ),
        (
            "not an object",
            "[1,2,3]".to_string(),
            Want::Err(|e| matches!(e, ParseError::Json(_))),
        ),
        (
            "request refused",
            r#"{"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":7}"#.to_string(),
            Want::Reply(Some(7), true),
        ),
        (
            "empty text",
            String::new(),
            Want::Err(|e| matches!(e, ParseError::Json(_))),
        ),
    ];
    for (name, text, want) in &cases {
        check(name, text, want);
    }
}

fn check(name: &str, text: &str, want: &Want) {
    let got = parse_frame("binance-usdm", text);
    match (want, &got) {
        (Want::Kline(s, i, t, c, v, x), Ok(Frame::Kline { candle: k, .. })) => {
            assert_eq!(k.symbol, Symbol::new("binance-usdm", s), "{name}");
            assert_eq!(
                (k.interval, k.open_time, k.close, k.volume, k.closed),
                (*i, *t, *c, *v, *x),
                "{name}"
            );
        }
        (Want::Trade(s, t, p, q), Ok(Frame::Trade(tr))) => {
            assert_eq!(tr.symbol.code(), *s, "{name}");
            assert_eq!((tr.ts_ms, tr.price, tr.qty), (*t, *p, *q), "{name}");
        }
        (Want::Shutdown(t), Ok(Frame::ServerShutdown { at_ms })) => assert_eq!(at_ms, t, "{name}"),
        (Want::Reply(id, err), Ok(Frame::Reply { id: gid, error })) => {
            assert_eq!((gid, error.is_some()), (id, *err), "{name}: {error:?}")
        }
        (Want::Unknown(e), Ok(Frame::Unknown { event })) => assert_eq!(event, e, "{name}"),
        (Want::Err(ok), Err(e)) => {
            assert!(ok(e), "{name}: unexpected error {e}");
            assert!(!e.to_string().is_empty());
        }
        _ => panic!("{name}: wanted {want:?}, got {got:?}"),
    }
}

#[test]
fn rest_bodies_from_real_payloads() {
    let dir = data_dir();
    let btc = Symbol::new("binance-usdm", "BTCUSDT");

    // Real fapi 1m klines (ccxt capture); the last bar is still forming at `now`.
    let ccxt: serde_json::Value = serde_json::from_str(&read(
        &dir,
        "ccxt_static_responses/binance_market_data_http_responses.json",
    ))
    .unwrap();
    let body = ccxt["usdm_GET_fapi_v1_klines_BTCUSDT_1m_limit3"].to_string();
    let now = 1712738600000; // inside the third bar
    let k = parse_klines(&btc, Interval::M1, &body, now).unwrap();
    assert_eq!(k.len(), 3);
    assert_eq!(
        (k[1].open_time, k[1].low, k[1].volume, k[1].trades),
        (1712738520000, 70459.4, 0.12, 9)
    );
    assert_eq!(
        k.iter().map(|c| c.closed).collect::<Vec<_>>(),
        [true, true, false]
    );

    // Real spot 1m klines (nautilus capture).
    let body = read(
        &dir,
        "nautilus_fixtures/http_responses/http_spot_market_klines.json",
    );
    let k = parse_klines(&btc, Interval::M1, &body, i64::MAX).unwrap();
    assert!(k.len() >= 2 && k.iter().all(|c| c.closed));
    assert_eq!((k[0].open_time, k[0].close), (1634943780000, 60719.27));

    // The docs' example row spans a week: refused as a 1m bar, with the reason.
    let body = read(
        &dir,
        "examples_from_docs/usdm_rest_Kline-Candlestick-Data.json",
    );
    let e = parse_klines(&btc, Interval::M1, &body, i64::MAX).unwrap_err();
    assert!(e.to_string().contains("not one 1m bar"), "{e}");

    // A row with a bad number names the column.
    let e = parse_klines(
        &btc,
        Interval::M1,
        r#"[[0,"1","x","1","1","1",59999,"1",1,"0","0","0"]]"#,
        1,
    )
    .unwrap_err();
    assert_eq!(
        e,
        ParseError::Number {
            field: "high",
            value: "x".into()
        }
    );

    let (sym, t, v) = parse_open_interest(&read(
        &dir,
        "examples_from_docs/usdm_rest_Open-Interest.json",
    ))
    .unwrap();
    assert_eq!((sym.as_str(), t, v), ("BTCUSDT", 1589437530011, 10659.509));
    assert!(parse_open_interest(r#"{"openInterest":"lots","symbol":"X","time":1}"#).is_err());

    let t = parse_tickers(&read(
        &dir,
        "examples_from_docs/usdm_rest_24hr-Ticker-Price-Change-Statistics_2.json",
    ))
    .unwrap();
    assert_eq!(t, [("BTCUSDT".to_string(), 15.3)]);
    // The single-symbol form is an object, not the array the universe asks for.
    assert!(parse_tickers(&read(
        &dir,
        "examples_from_docs/usdm_rest_24hr-Ticker-Price-Change-Statistics.json"
    ))
    .is_err());

    let fut = parse_exchange_info(&read(
        &dir,
        "nautilus_fixtures/http_responses/http_futures_market_exchange_info.json",
    ))
    .unwrap();
    let names: Vec<(&str, &str, Option<&str>)> = fut
        .symbols
        .iter()
        .map(|s| {
            (
                s.symbol.as_str(),
                s.status.as_str(),
                s.contract_type.as_deref(),
            )
        })
        .collect();
    assert!(
        names.contains(&("BTCUSDT", "TRADING", Some("PERPETUAL"))),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.0 == "BTCUSDT_220325"));
    assert!(fut
        .rate_limits
        .iter()
        .any(|r| r.rate_limit_type == "REQUEST_WEIGHT" && r.interval == "MINUTE"));
    let spot = parse_exchange_info(&read(
        &dir,
        "examples_from_docs/spot_rest_api_v3_exchangeInfo.json",
    ))
    .unwrap();
    assert_eq!(spot.symbols[0].symbol, "ETHBTC");
}
