//! Frames parsed per second: Binance combined-stream kline and aggTrade frames, built from
//! real recorded 1m klines (../shared/data/crypto, the LUNA collapse file) in Binance's exact
//! stream format.
//!
//! cargo bench -p tw-feeds --bench binance_parse -- --warm-up-time 1 --measurement-time 3

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tw_feeds::binance::parse::{parse_frame, Frame};

fn frames() -> Option<(Vec<String>, Vec<String>)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data/crypto/binance_spot_public_data/LUNAUSDT-1m-2022-05.csv"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("SKIPPED: {path} is absent (the shared test data)");
        return None;
    };
    let mut klines = Vec::new();
    let mut trades = Vec::new();
    for (i, line) in text.lines().take(4096).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let t: i64 = f[0].parse().ok()?;
        klines.push(format!(
            r#"{{"stream":"lunausdt@kline_1m","data":{{"e":"kline","E":{e},"s":"LUNAUSDT","k":{{"t":{t},"T":{tt},"s":"LUNAUSDT","i":"1m","f":100,"L":200,"o":"{o}","c":"{c}","h":"{h}","l":"{l}","v":"{v}","n":{n},"x":{x},"q":"{q}","V":"{bv}","Q":"{bq}","B":"0"}}}}}}"#,
            e = t + 59_000,
            tt = f[6],
            o = f[1],
            h = f[2],
            l = f[3],
            c = f[4],
            v = f[5],
            q = f[7],
            n = f[8],
            bv = f[9],
            bq = f[10],
            x = i % 4 == 0,
        ));
        trades.push(format!(
            r#"{{"stream":"lunausdt@aggTrade","data":{{"e":"aggTrade","E":{e},"s":"LUNAUSDT","a":{a},"p":"{p}","q":"{q}","f":{a},"l":{a},"T":{e},"m":false,"M":true}}}}"#,
            e = t + 30_000,
            a = 226_532 + i,
            p = f[4],
            q = f[5],
        ));
    }
    Some((klines, trades))
}

fn bench(c: &mut Criterion) {
    let Some((klines, trades)) = frames() else {
        return;
    };
    let mut g = c.benchmark_group("binance_parse");
    for (name, set) in [("kline", &klines), ("aggTrade", &trades)] {
        g.throughput(Throughput::Elements(set.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                for f in set.iter() {
                    match parse_frame("binance-spot", black_box(f)) {
                        Ok(Frame::Kline { .. }) | Ok(Frame::Trade(_)) => {}
                        other => panic!("{other:?}"),
                    }
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
