//! Retention, pruning and `db info` on a real SQLite file.

use tw_core::{Candle, Interval, Symbol};
use tw_store::{Retention, Store};

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_767_607_200_000;

fn candle(sym: &str, interval: Interval, open_time: i64) -> Candle {
    Candle {
        symbol: Symbol::parse(sym).unwrap(),
        interval,
        open_time,
        open: 1.0,
        high: 2.0,
        low: 0.5,
        close: 1.5,
        volume: 10.0,
        quote_volume: 15.0,
        trades: 3,
        closed: true,
    }
}

/// `n` bars of `interval` ending just before NOW.
fn series(sym: &str, interval: Interval, n: i64) -> Vec<Candle> {
    (1..=n)
        .map(|i| candle(sym, interval, NOW - i * interval.millis()))
        .collect()
}

#[tokio::test]
async fn prunes_by_age_per_interval_in_small_batches() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store
        .upsert_candles(&series("demo:A", Interval::M1, 3 * 1440))
        .await
        .unwrap(); // 3 days
    store
        .upsert_candles(&series("demo:A", Interval::D1, 400))
        .await
        .unwrap();
    let mut r = Retention::default();
    r.keep_days.insert(Interval::M1, Some(1));
    r.max_candles_per_series = None;
    r.max_db_bytes = None;
    let rep = store.prune(&r, NOW, 500).await.unwrap();
    assert_eq!(rep.by_age, 2 * 1440, "two of the three days of 1m bars go");
    assert!(
        rep.batches >= 6,
        "{} batches of at most 500 rows",
        rep.batches
    );
    let left = store.candles("demo:A", Interval::M1, 10_000).await.unwrap();
    assert_eq!(left.len(), 1440);
    assert!(left.iter().all(|c| c.open_time >= NOW - DAY));
    assert_eq!(
        store
            .count_candles(Some("demo:A"), Some(Interval::D1))
            .await
            .unwrap(),
        400,
        "1d is kept forever"
    );
}

#[tokio::test]
async fn caps_candles_per_series_keeping_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store
        .upsert_candles(&series("demo:A", Interval::H1, 50))
        .await
        .unwrap();
    store
        .upsert_candles(&series("demo:B", Interval::H1, 5))
        .await
        .unwrap();
    let r = Retention {
        keep_days: Default::default(),
        max_candles_per_series: Some(10),
        max_db_bytes: None,
    };
    let rep = store.prune(&r, NOW, 7).await.unwrap();
    assert_eq!(rep.by_count, 40);
    let a = store.candles("demo:A", Interval::H1, 100).await.unwrap();
    assert_eq!(a.len(), 10);
    assert_eq!(
        a.last().unwrap().open_time,
        NOW - Interval::H1.millis(),
        "the newest bars stay"
    );
    assert_eq!(store.count_candles(Some("demo:B"), None).await.unwrap(), 5);
}

#[tokio::test]
async fn keeps_the_file_under_its_size_limit_finest_data_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    for s in ["demo:A", "demo:B", "demo:C"] {
        store
            .upsert_candles(&series(s, Interval::M1, 5_000))
            .await
            .unwrap();
    }
    store
        .upsert_candles(&series("demo:A", Interval::D1, 100))
        .await
        .unwrap();
    let before = store.info(NOW).await.unwrap();
    let r = Retention {
        keep_days: Default::default(),
        max_candles_per_series: None,
        max_db_bytes: Some(400 * 1024),
    };
    let rep = store.prune(&r, NOW, 1_000).await.unwrap();
    assert!(rep.by_size > 0);
    let after = store.info(NOW).await.unwrap();
    let m1 = |i: &tw_store::DbInfo| {
        i.intervals
            .iter()
            .find(|x| x.interval == "1m")
            .map(|x| x.candles)
            .unwrap_or(0)
    };
    assert!(m1(&after) < m1(&before));
    assert_eq!(
        store.count_candles(None, Some(Interval::D1)).await.unwrap(),
        100,
        "daily bars are the last to go"
    );
    // The oldest went first: what is left is the most recent part of each series.
    let a = store.candles("demo:A", Interval::M1, 10_000).await.unwrap();
    assert!(a.is_empty() || a.last().unwrap().open_time == NOW - 60_000);
}

#[tokio::test]
async fn info_counts_tables_intervals_and_recent_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store
        .upsert_candles(&series("demo:A", Interval::M1, 30))
        .await
        .unwrap();
    store
        .upsert_candles(&series("demo:B", Interval::M1, 20))
        .await
        .unwrap();
    let info = store.info(NOW).await.unwrap();
    assert_eq!(info.tables.get("candles"), Some(&50));
    let m1 = &info.intervals[0];
    assert_eq!(
        (m1.interval.as_str(), m1.candles, m1.symbols),
        ("1m", 50, 2)
    );
    assert_eq!(m1.oldest, Some(NOW - 30 * 60_000));
    assert_eq!(m1.newest, Some(NOW - 60_000));
    assert!(info.file_bytes > 0 && info.schema_version >= 1);
    assert_eq!(info.alerts_last_24h, 0);
}

#[tokio::test]
async fn retention_settings_override_the_defaults_and_bad_values_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store.set_setting("retention.1m_days", "7").await.unwrap();
    store.set_setting("retention.1d_days", "0").await.unwrap();
    store
        .set_setting("retention.max_db_mb", "100")
        .await
        .unwrap();
    let r = Retention::load(&store).await.unwrap();
    assert_eq!(r.keep_days[&Interval::M1], Some(7));
    assert_eq!(r.keep_days[&Interval::D1], None);
    assert_eq!(r.max_db_bytes, Some(100 << 20));
    store
        .set_setting("retention.1h_days", "a year")
        .await
        .unwrap();
    let e = Retention::load(&store).await.unwrap_err().to_string();
    assert!(
        e.contains("retention.1h_days") && e.contains("a year"),
        "{e}"
    );
}
