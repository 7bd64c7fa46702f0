//! A candle CSV opened for replay: format detection and row parsing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tw_feeds::replay::parse(text, "fuzz");
    }
});
