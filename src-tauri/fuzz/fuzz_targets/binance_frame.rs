//! Binance WebSocket frames and REST bodies.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tw_feeds::binance::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse::parse_frame("binance-usdm", text);
        let _ = parse::parse_frame("binance-spot", text);
        let _ = parse::parse_tickers(text);
        let _ = parse::parse_exchange_info(text);
        let _ = parse::parse_open_interest(text);
        let _ = parse::parse_rest_error(text);
    }
});
