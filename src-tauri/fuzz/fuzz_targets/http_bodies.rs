//! Yahoo v8 chart bodies and Tushare Pro answers, from bytes to domain values.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tw_feeds::{tushare, yahoo};

fuzz_target!(|data: &[u8]| {
    if let Ok(env) = serde_json::from_slice::<yahoo::messages::Envelope>(data) {
        for r in env.chart.result.iter().flatten() {
            if let Ok(c) = yahoo::chart(r, 1_700_000_000_000) {
                let _ = c;
            }
            let _ = yahoo::market_status(&r.meta, 1_700_000_000_000);
        }
    }
    if let Ok(resp) = serde_json::from_slice::<tushare::messages::Response>(data) {
        if let Some(t) = resp.data {
            let _ = tushare::parse::daily(&t);
            let _ = tushare::parse::daily_basic(&t, false);
            let _ = tushare::parse::moneyflow(&t, false);
            let _ = tushare::parse::stock_basic(&t);
            let _ = tushare::parse::trade_cal(&t);
        }
    }
});
