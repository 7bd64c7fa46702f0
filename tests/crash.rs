//! Crash safety: `kill -9` the real app in the middle of heavy writes, a hundred times. The
//! database must always open and pass SQLite's integrity check, a closed candle that was
//! stored before must still be there, and every alert the app reported (it reports an alert
//! only after writing it) must be in the history.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tw_core::Interval;
use tw_store::Store;

const RUNS: u32 = 100;

/// A small deterministic generator for the kill delays.
fn delays(n: u32) -> Vec<u64> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            150 + x % 1_350
        })
        .collect()
}

async fn closed_bars(store: &Store) -> BTreeSet<(String, i64)> {
    let mut out = BTreeSet::new();
    for code in ["ALPHA", "BETA", "COIN"] {
        let sym = format!("demo:{code}");
        for c in store.candles(&sym, Interval::M1, 100_000).await.unwrap() {
            if c.closed {
                out.insert((sym.clone(), c.open_time));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_dash_nine_a_hundred_times_loses_nothing_that_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut stored_bars = BTreeSet::new();
    let mut reported_alerts = BTreeSet::new();
    let started = Instant::now();
    for (run, delay) in delays(RUNS).into_iter().enumerate() {
        // A permissive rule fires at every new bar, so alerts are written all the time.
        let mut child = Command::new(env!("CARGO_BIN_EXE_tickwarden"))
            .args([
                "headless",
                "--demo-history",
                "120",
                "--seed",
                &run.to_string(),
            ])
            .arg("--data-dir")
            .arg(&data)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tickwarden headless");
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
                .filter_map(|v| v["id"].as_i64())
                .collect::<Vec<i64>>()
        });
        std::thread::sleep(Duration::from_millis(delay));
        // SIGKILL: no chance to flush or close anything.
        child.kill().unwrap();
        child.wait().unwrap();
        reported_alerts.extend(reader.join().unwrap());

        let store = Store::open(&data)
            .await
            .unwrap_or_else(|e| panic!("run {run}: the database does not open: {e}"));
        let check: String = store.integrity_check().await.unwrap();
        assert_eq!(check, "ok", "run {run}: integrity check");
        let bars = closed_bars(&store).await;
        let lost: Vec<_> = stored_bars.difference(&bars).collect();
        assert!(
            lost.is_empty(),
            "run {run}: stored closed candles lost: {lost:?}"
        );
        stored_bars = bars;
        if run == 0 {
            // First start: add the rule that fires all the time.
            let spec = tw_core::rule::RuleSpec::from_json(
                r#"{"name":"always","target":{"source":"demo"},"interval":"1m",
                    "when":{"metric":"price","op":"gt","value":0},
                    "frequency":{"mode":"every_time","cooldown_s":0}}"#,
            )
            .unwrap();
            store.insert_rule(&spec, 0).await.unwrap();
        }
        let ids: BTreeSet<i64> = store
            .recent_alerts(1_000_000)
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect();
        let missing: Vec<_> = reported_alerts.difference(&ids).collect();
        assert!(
            missing.is_empty(),
            "run {run}: alerts reported but not in the history: {missing:?}"
        );
        store.close().await;
    }
    assert!(
        stored_bars.len() >= 360 && reported_alerts.len() >= 10,
        "the runs did real work: {} closed bars, {} alerts",
        stored_bars.len(),
        reported_alerts.len()
    );
    eprintln!(
        "{RUNS} kills in {:.0?}: {} closed candles kept, {} reported alerts all stored",
        started.elapsed(),
        stored_bars.len(),
        reported_alerts.len()
    );
}
