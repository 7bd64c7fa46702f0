//! Behaviour of the store as the engine sees it. Each test gets its own data folder.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use std::collections::BTreeMap;
use std::path::Path;
use tw_core::rule::RuleSpec;
use tw_core::{Alert, Candle, Interval, Level, Symbol};
use tw_store::{Store, StoreError, DB_FILE};

const T0: i64 = 1_700_000_040_000; // a 1m bar boundary
const MIN: i64 = 60_000;

fn candle(symbol: &str, open_time: i64, close: f64, closed: bool) -> Candle {
    Candle {
        symbol: Symbol::parse(symbol).unwrap(),
        interval: Interval::M1,
        open_time,
        open: 100.0,
        high: close.max(100.0),
        low: close.min(100.0),
        close,
        volume: 10.0,
        quote_volume: 10.0 * close,
        trades: 7,
        closed,
    }
}

fn alert(rule_id: i64, fired_at: i64, message: &str) -> Alert {
    Alert {
        id: 0,
        rule_id,
        rule_name: format!("rule {rule_id}"),
        symbol: "demo:ALPHA".into(),
        interval: Interval::M5,
        level: Level::High,
        fired_at,
        bar_time: Interval::M5.floor(fired_at),
        message: message.into(),
        metrics: BTreeMap::from([("volume_z".to_string(), 3.5), ("price".to_string(), 101.25)]),
    }
}

fn rule_spec(name: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{ "name": "{name}",
              "target": {{ "symbols": ["demo:ALPHA"] }},
              "interval": "1m",
              "when": {{ "metric": "volume_z", "op": "gt", "value": 3 }},
              "level": "high",
              "frequency": {{ "mode": "once_per_bar", "cooldown_s": 300 }} }}"#
    ))
    .unwrap()
}

/// A connection of our own, to do to the file what the store never would.
async fn raw(dir: &Path) -> SqliteConnection {
    SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(dir.join(DB_FILE)))
        .await
        .unwrap()
}

#[tokio::test]
async fn open_creates_the_file_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested").join("data");
    let store = Store::open(&data).await.unwrap();
    assert_eq!(store.path(), data.join(DB_FILE));
    assert!(store.path().is_file());
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut raw(&data).await)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    store.close().await;
}

#[tokio::test]
async fn upserting_the_same_bar_twice_keeps_one_row_with_the_second_values() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store
        .upsert_candles(&[candle("demo:ALPHA", T0, 101.0, false)])
        .await
        .unwrap();
    let second = candle("demo:ALPHA", T0, 102.5, true);
    store
        .upsert_candles(std::slice::from_ref(&second))
        .await
        .unwrap();

    assert_eq!(store.count_candles(None, None).await.unwrap(), 1);
    assert_eq!(
        store.candles("demo:ALPHA", Interval::M1, 10).await.unwrap(),
        vec![second]
    );
}

#[tokio::test]
async fn a_closed_bar_is_not_overwritten_by_an_unclosed_update() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let closed = candle("demo:ALPHA", T0, 105.0, true);
    store
        .upsert_candles(std::slice::from_ref(&closed))
        .await
        .unwrap();
    store
        .upsert_candles(&[candle("demo:ALPHA", T0, 99.0, false)])
        .await
        .unwrap();
    assert_eq!(
        store.candles("demo:ALPHA", Interval::M1, 1).await.unwrap(),
        vec![closed]
    );

    // A closed correction (a back-fill) still replaces it.
    let corrected = candle("demo:ALPHA", T0, 104.0, true);
    store
        .upsert_candles(std::slice::from_ref(&corrected))
        .await
        .unwrap();
    assert_eq!(
        store.candles("demo:ALPHA", Interval::M1, 1).await.unwrap(),
        vec![corrected]
    );
}

#[tokio::test]
async fn candles_returns_the_latest_bars_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    // Written out of order, with another symbol and interval mixed in.
    let mut bars: Vec<Candle> = [3, 0, 4, 1, 2]
        .iter()
        .map(|&i| candle("demo:ALPHA", T0 + i * MIN, 100.0 + i as f64, i < 4))
        .collect();
    bars.push(candle("demo:BETA", T0 + 9 * MIN, 1.0, false));
    let mut five = candle("demo:ALPHA", T0 + 10 * MIN, 1.0, false);
    five.interval = Interval::M5;
    bars.push(five);
    store.upsert_candles(&bars).await.unwrap();

    let times = |cs: Vec<Candle>| cs.iter().map(|c| c.open_time).collect::<Vec<_>>();
    assert_eq!(
        times(store.candles("demo:ALPHA", Interval::M1, 3).await.unwrap()),
        vec![T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN]
    );
    assert_eq!(
        store
            .candles("demo:ALPHA", Interval::M1, 100)
            .await
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        times(
            store
                .candles_between("demo:ALPHA", Interval::M1, T0 + MIN, T0 + 3 * MIN)
                .await
                .unwrap()
        ),
        vec![T0 + MIN, T0 + 2 * MIN],
        "the range is [from, to)"
    );
    assert_eq!(
        store
            .latest_candle_time("demo:ALPHA", Interval::M1)
            .await
            .unwrap(),
        Some(T0 + 4 * MIN)
    );
    assert_eq!(
        store
            .latest_candle_time("demo:GAMMA", Interval::M1)
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.count_candles(None, None).await.unwrap(), 7);
    assert_eq!(
        store.count_candles(Some("demo:ALPHA"), None).await.unwrap(),
        6
    );
    assert_eq!(
        store
            .count_candles(Some("demo:ALPHA"), Some(Interval::M1))
            .await
            .unwrap(),
        5
    );
    assert_eq!(
        store.count_candles(None, Some(Interval::M5)).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn candles_before_pages_back_through_history_and_recent_closes_follow_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    // 10 ALPHA 1m bars written newest first, a BETA bar and an ALPHA 5m bar in between.
    let mut bars: Vec<Candle> = (0..10)
        .rev()
        .map(|i| candle("demo:ALPHA", T0 + i * MIN, 100.0 + i as f64, true))
        .collect();
    bars.push(candle("demo:BETA", T0 + 3 * MIN, 1.0, true));
    let mut five = candle("demo:ALPHA", T0, 1.0, true);
    five.interval = Interval::M5;
    bars.push(five);
    store.upsert_candles(&bars).await.unwrap();
    let times = |cs: Vec<Candle>| {
        cs.iter()
            .map(|c| (c.open_time - T0) / MIN)
            .collect::<Vec<_>>()
    };

    // The chart holds bars 6..=9 and scrolls left: pages of 3 walk back to the first bar.
    let page = store
        .candles_before("demo:ALPHA", Interval::M1, T0 + 6 * MIN, 3)
        .await
        .unwrap();
    assert!(page
        .iter()
        .all(|c| c.symbol.as_str() == "demo:ALPHA" && c.interval == Interval::M1));
    assert_eq!(times(page), vec![3, 4, 5], "strictly before, oldest first");
    assert_eq!(
        times(
            store
                .candles_before("demo:ALPHA", Interval::M1, T0 + 3 * MIN, 3)
                .await
                .unwrap()
        ),
        vec![0, 1, 2]
    );
    assert_eq!(
        times(
            store
                .candles_before("demo:ALPHA", Interval::M1, T0 + MIN + 1, 3)
                .await
                .unwrap()
        ),
        vec![0, 1],
        "a bar opening exactly at `before` - 59s is included, the short last page ends"
    );
    assert!(store
        .candles_before("demo:ALPHA", Interval::M1, T0, 3)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        times(
            store
                .candles_before("demo:ALPHA", Interval::M5, T0 + MIN, 10)
                .await
                .unwrap()
        ),
        vec![0]
    );

    assert_eq!(
        store
            .recent_closes("demo:ALPHA", Interval::M1, 3)
            .await
            .unwrap(),
        vec![107.0, 108.0, 109.0]
    );
    assert!(store
        .recent_closes("demo:GAMMA", Interval::M1, 3)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_writer_coalesces_updates_and_flush_makes_them_visible() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let writer = store.spawn_writer(64);

    for i in 0..1000 {
        writer
            .upsert(candle("demo:ALPHA", T0, 100.0 + i as f64 / 100.0, false))
            .await
            .unwrap();
    }
    // The bar closes, then a late unclosed update of it arrives in the same batch.
    let closed = candle("demo:ALPHA", T0, 111.0, true);
    writer.upsert(closed.clone()).await.unwrap();
    writer
        .upsert(candle("demo:ALPHA", T0, 50.0, false))
        .await
        .unwrap();
    let forming = candle("demo:ALPHA", T0 + MIN, 112.0, false);
    writer.upsert(forming.clone()).await.unwrap();
    writer.flush().await.unwrap();

    assert_eq!(
        store.candles("demo:ALPHA", Interval::M1, 10).await.unwrap(),
        vec![closed, forming]
    );

    // A clone feeds the same task; flush waits for what it sent too.
    let other = writer.clone();
    let beta = candle("demo:BETA", T0, 7.0, true);
    other.upsert(beta.clone()).await.unwrap();
    other.flush().await.unwrap();
    assert_eq!(
        store.candles("demo:BETA", Interval::M1, 10).await.unwrap(),
        vec![beta]
    );
}

#[tokio::test]
async fn the_writer_commits_more_than_one_batch_worth() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let writer = store.spawn_writer(8);
    for i in 0..1500 {
        writer
            .upsert(candle("demo:ALPHA", T0 + i * MIN, 100.0, true))
            .await
            .unwrap();
    }
    writer.flush().await.unwrap();
    assert_eq!(store.count_candles(None, None).await.unwrap(), 1500);
}

#[tokio::test]
async fn a_failed_commit_is_reported_by_flush_and_retried_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let writer = store.spawn_writer(16);

    // Stands in for a full disk: every candle write fails until the trigger goes.
    let mut conn = raw(dir.path()).await;
    sqlx::query(
        "CREATE TRIGGER fail_candles BEFORE INSERT ON candles \
         BEGIN SELECT RAISE(ABORT, 'disk is full'); END",
    )
    .execute(&mut conn)
    .await
    .unwrap();

    let bar = candle("demo:ALPHA", T0, 101.0, true);
    writer.upsert(bar.clone()).await.unwrap();
    let err = writer.flush().await.unwrap_err();
    assert!(matches!(err, StoreError::Write(_)), "{err:?}");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert_eq!(store.count_candles(None, None).await.unwrap(), 0);

    sqlx::query("DROP TRIGGER fail_candles")
        .execute(&mut conn)
        .await
        .unwrap();
    writer.flush().await.unwrap();
    assert_eq!(
        store.candles("demo:ALPHA", Interval::M1, 10).await.unwrap(),
        vec![bar]
    );
}

#[tokio::test]
async fn alerts_round_trip_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();

    let mut first = alert(1, T0, "first");
    first.metrics.insert("undefined".into(), f64::NAN);
    let second = alert(2, T0 + MIN, "second");
    let third = alert(1, T0 + MIN, "third, same time as second");
    let mut ids = Vec::new();
    for a in [&first, &second, &third] {
        ids.push(store.insert_alert(a).await.unwrap());
    }
    assert!(ids[0] > 0 && ids[0] < ids[1] && ids[1] < ids[2], "{ids:?}");

    let recent = store.recent_alerts(10).await.unwrap();
    let messages: Vec<&str> = recent.iter().map(|a| a.message.as_str()).collect();
    assert_eq!(
        messages,
        ["third, same time as second", "second", "first"],
        "newest first, later id first on a tie"
    );
    assert_eq!(
        recent[0],
        Alert {
            id: ids[2],
            ..third.clone()
        }
    );
    assert_eq!(
        recent[1],
        Alert {
            id: ids[1],
            ..second
        }
    );
    // A metric that was not a number comes back as NaN rather than breaking the read.
    assert!(recent[2].metrics["undefined"].is_nan());
    assert_eq!(recent[2].metrics["volume_z"], 3.5);
    assert_eq!(store.recent_alerts(1).await.unwrap().len(), 1);

    let of_rule: Vec<i64> = store
        .alerts_for_rule(1)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(of_rule, vec![ids[0], ids[2]], "oldest first");
}

#[tokio::test]
async fn rules_insert_update_enable_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();

    let a = store.insert_rule(&rule_spec("a"), 1_000).await.unwrap();
    let b = store.insert_rule(&rule_spec("b"), 2_000).await.unwrap();
    assert_eq!((a.spec.name.as_str(), a.created_at), ("a", 1_000));
    assert!(a.spec.enabled);
    assert_eq!(store.rule(b.id).await.unwrap(), b);

    let renamed = store
        .update_rule(a.id, &rule_spec("a, renamed"), 3_000)
        .await
        .unwrap();
    assert_eq!(renamed.spec, rule_spec("a, renamed"));
    assert_eq!(renamed.created_at, 1_000, "an edit keeps the creation time");

    let off = store.set_rule_enabled(a.id, false, 4_000).await.unwrap();
    assert!(!off.spec.enabled);
    assert_eq!(off.spec.name, "a, renamed", "only `enabled` changed");
    assert!(!store.rule(a.id).await.unwrap().spec.enabled);
    assert!(
        store
            .set_rule_enabled(a.id, true, 5_000)
            .await
            .unwrap()
            .spec
            .enabled
    );

    let names: Vec<String> = store
        .rules()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.spec.name)
        .collect();
    assert_eq!(names, ["a, renamed", "b"]);

    // Deleting keeps the rule's alerts, and its id is never reused.
    store
        .insert_alert(&alert(b.id, T0, "b fired"))
        .await
        .unwrap();
    store.delete_rule(b.id).await.unwrap();
    assert_eq!(store.alerts_for_rule(b.id).await.unwrap().len(), 1);
    let c = store.insert_rule(&rule_spec("c"), 6_000).await.unwrap();
    assert!(c.id > b.id, "id {} reused", c.id);

    for result in [
        store.rule(b.id).await,
        store.update_rule(b.id, &rule_spec("x"), 7_000).await,
        store.set_rule_enabled(b.id, true, 7_000).await,
    ] {
        let err = result.unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
        assert!(!err.is_retryable());
        assert!(err.to_string().contains(&format!("rule {}", b.id)), "{err}");
    }
    assert!(matches!(
        store.delete_rule(b.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.rules().await.unwrap().len(), 2);
}

#[tokio::test]
async fn watchlists_keep_order_ignore_duplicates_and_remove() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    assert!(store.watchlist("main").await.unwrap().is_empty());

    for s in ["demo:GAMMA", "demo:ALPHA", "demo:BETA", "demo:ALPHA"] {
        store.watchlist_add("main", s).await.unwrap();
    }
    store.watchlist_add("other", "yahoo:AAPL").await.unwrap();
    assert_eq!(
        store.watchlist("main").await.unwrap(),
        ["demo:GAMMA", "demo:ALPHA", "demo:BETA"]
    );

    store.watchlist_remove("main", "demo:ALPHA").await.unwrap();
    store.watchlist_remove("main", "demo:NOPE").await.unwrap();
    store.watchlist_add("main", "demo:ALPHA").await.unwrap();
    assert_eq!(
        store.watchlist("main").await.unwrap(),
        ["demo:GAMMA", "demo:BETA", "demo:ALPHA"],
        "a symbol added again goes to the end"
    );
    assert_eq!(store.watchlist("other").await.unwrap(), ["yahoo:AAPL"]);
}

#[tokio::test]
async fn settings_are_read_and_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    assert_eq!(store.setting("theme").await.unwrap(), None);
    store.set_setting("theme", "dark").await.unwrap();
    store.set_setting("theme", "light").await.unwrap();
    store.set_setting("sound", "off").await.unwrap();
    assert_eq!(
        store.setting("theme").await.unwrap().as_deref(),
        Some("light")
    );
    assert_eq!(
        store.setting("sound").await.unwrap().as_deref(),
        Some("off")
    );
}

#[tokio::test]
async fn reopening_the_folder_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let bar = candle("demo:ALPHA", T0, 101.0, true);
    let rule_id = {
        let store = Store::open(dir.path()).await.unwrap();
        store
            .upsert_candles(std::slice::from_ref(&bar))
            .await
            .unwrap();
        store.insert_alert(&alert(1, T0, "kept")).await.unwrap();
        store.watchlist_add("main", "demo:ALPHA").await.unwrap();
        store.set_setting("theme", "dark").await.unwrap();
        let id = store.insert_rule(&rule_spec("kept"), 1).await.unwrap().id;
        store.close().await;
        id
    };

    let store = Store::open(dir.path()).await.unwrap();
    assert_eq!(
        store.candles("demo:ALPHA", Interval::M1, 5).await.unwrap(),
        vec![bar]
    );
    assert_eq!(store.recent_alerts(5).await.unwrap()[0].message, "kept");
    assert_eq!(store.watchlist("main").await.unwrap(), ["demo:ALPHA"]);
    assert_eq!(
        store.setting("theme").await.unwrap().as_deref(),
        Some("dark")
    );
    assert_eq!(store.rule(rule_id).await.unwrap().spec.name, "kept");
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).await.unwrap().close().await;
    let mut conn = raw(dir.path()).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (999999, 'from the future', 1, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();

    let err = Store::open(dir.path()).await.unwrap_err();
    let StoreError::TooNew {
        db_version,
        binary_version,
        ..
    } = &err
    else {
        panic!("expected TooNew, got {err:?}");
    };
    assert_eq!(*db_version, 999_999);
    assert!(*binary_version >= 1 && *binary_version < 999_999);
    let msg = err.to_string();
    let path = dir.path().join(DB_FILE);
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("newer") && msg.contains("update"), "{msg}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_file_that_is_not_a_database_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let garbage = "this is a shopping list, not a database\n".repeat(100);
    std::fs::write(&path, &garbage).unwrap();

    let err = Store::open(dir.path()).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("not a Tickwarden database"), "{msg}");
    assert!(!err.is_retryable());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        garbage,
        "the file is left alone"
    );
}
