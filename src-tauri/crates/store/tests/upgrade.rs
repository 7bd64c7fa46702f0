//! Upgrades in place: a database written at every earlier schema version (the migrations this
//! binary ships, applied only up to that version) opens with the current binary, is migrated,
//! and keeps its candles, rules, alerts, watchlists and settings.

use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::Path;
use tw_core::Interval;
use tw_store::{Store, DB_FILE};

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

fn migration_files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(MIGRATIONS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    v.sort();
    v
}

/// A database at schema version `upto` (its first `upto` migrations), with data in the
/// tables that exist since version 1.
async fn old_database(dir: &Path, upto: usize) {
    let only = dir.join("migrations");
    std::fs::create_dir_all(&only).unwrap();
    for f in &migration_files()[..upto] {
        std::fs::copy(f, only.join(f.file_name().unwrap())).unwrap();
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.join(DB_FILE))
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    Migrator::new(only.as_path())
        .await
        .unwrap()
        .run(&mut conn)
        .await
        .unwrap();
    for sql in [
        "INSERT INTO candles VALUES ('demo:ALPHA','1m',1767607200000,1,2,0.5,1.5,10,15,3,1)",
        "INSERT INTO candles VALUES ('demo:ALPHA','1d',1767571200000,1,2,0.5,1.5,10,15,3,0)",
        r#"INSERT INTO rules (spec, enabled, created_at, updated_at) VALUES ('{"name":"old rule","target":{"symbols":["demo:ALPHA"]},"interval":"1m","when":{"metric":"price","op":"gt","value":1},"level":"high","frequency":{"mode":"once_per_bar","cooldown_s":60},"expires_at":null,"enabled":true}', 1, 1, 1)"#,
        r#"INSERT INTO alerts (rule_id, rule_name, symbol, interval, level, fired_at, bar_time, message, metrics) VALUES (1,'old rule','demo:ALPHA','1m','high',1767607210000,1767607200000,'price 1.5 > 1','{"price":1.5}')"#,
        "INSERT INTO watchlists VALUES ('default','demo:ALPHA',0)",
        "INSERT INTO settings VALUES ('alerts_paused','true')",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
}

#[tokio::test]
async fn every_earlier_schema_is_migrated_in_place_without_losing_data() {
    let versions = migration_files().len();
    assert!(versions >= 1);
    for upto in 1..=versions {
        let dir = tempfile::tempdir().unwrap();
        old_database(dir.path(), upto).await;
        let store = Store::open(dir.path())
            .await
            .unwrap_or_else(|e| panic!("schema {upto} does not open: {e}"));
        let info = store.info(0).await.unwrap();
        assert_eq!(info.schema_version as usize, versions, "from schema {upto}");
        let bars = store.candles("demo:ALPHA", Interval::M1, 10).await.unwrap();
        assert_eq!(bars.len(), 1, "from schema {upto}");
        assert_eq!(bars[0].close, 1.5);
        let rules = store.rules().await.unwrap();
        assert_eq!(rules.len(), 1, "from schema {upto}");
        assert_eq!(rules[0].spec.name, "old rule");
        let alerts = store.recent_alerts(10).await.unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].metrics.get("price"), Some(&1.5));
        assert_eq!(
            store.watchlist("default").await.unwrap(),
            vec!["demo:ALPHA"]
        );
        assert_eq!(
            store.setting("alerts_paused").await.unwrap().as_deref(),
            Some("true")
        );
        assert_eq!(store.integrity_check().await.unwrap(), "ok");
        store.close().await;
    }
}
