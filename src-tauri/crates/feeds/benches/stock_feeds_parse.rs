//! Rows per second of the stock feeds' parsers on real recorded data (../shared/data):
//! the replay CSV reader (format detection + every row), a Yahoo v8 chart and a Tushare
//! `daily` table.
//!
//! cargo bench -p tw-feeds --bench stock_feeds_parse -- --warm-up-time 1 --measurement-time 3

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tw_feeds::tushare::{self, messages::Response};
use tw_feeds::yahoo::{self, messages::Envelope};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../shared/data");

fn read(rel: &str) -> Option<String> {
    let path = format!("{DATA}/{rel}");
    match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(_) => {
            println!("SKIPPED: {path} is absent (the shared test data)");
            None
        }
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("stock_feeds");
    g.sample_size(10);
    for (name, rel) in [
        (
            "replay_binance_no_header_18400_rows",
            "crypto/binance_spot_public_data/LUNAUSDT-1m-2022-05.csv",
        ),
        (
            "replay_yahoo_daily_3379_rows",
            "stocks/us_daily_mplfinance/yahoofinance-AAPL-20040819-20180120.csv",
        ),
    ] {
        let Some(text) = read(rel) else { return };
        let rows = text.lines().count() as u64;
        g.throughput(Throughput::Elements(rows));
        g.bench_function(name, |b| {
            b.iter(|| tw_feeds::replay::parse(black_box(&text), "X").unwrap())
        });
    }

    let Some(raw) = read("protocol/yahoo_v8_chart/chart-AAPL-2020-08-31-to-2020-11-07.json") else {
        return;
    };
    let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let body = v["response"]["bodyJson"].to_string();
    g.throughput(Throughput::Elements(49));
    g.bench_function("yahoo_chart_49_bars_decode_and_parse", |b| {
        b.iter(|| {
            let env: Envelope = serde_json::from_str(black_box(&body)).unwrap();
            let r = env.chart.result.unwrap().remove(0);
            yahoo::chart(&r, i64::MAX).unwrap()
        })
    });

    let Some(raw) = read("protocol/tushare/examples/daily_response.json") else {
        return;
    };
    g.throughput(Throughput::Elements(4));
    g.bench_function("tushare_daily_4_rows_decode_and_parse", |b| {
        b.iter(|| {
            let r: Response = serde_json::from_str(black_box(&raw)).unwrap();
            tushare::parse::daily(&r.data.unwrap()).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
