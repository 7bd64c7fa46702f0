//! "Open recording…" from the window: a candle CSV starts playing in the running engine as
//! `replay:<file stem>`, its bad lines named by line and column, a file without playable rows
//! refused in words.

use std::sync::Arc;
use tw_core::{Interval, ManualClock, SharedClock};
use tw_engine::{Engine, EngineConfig, EngineHandle};

mod common;

use common::T0;

async fn engine(dir: &std::path::Path, clock: &ManualClock) -> EngineHandle {
    let mut cfg = EngineConfig::new(dir);
    cfg.clock = Arc::new(clock.clone()) as SharedClock;
    cfg.demo = None;
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-test".into();
    let e = Engine::start(cfg).await.unwrap();
    clock.settle().await;
    e
}

fn spy() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../../../shared/data/stocks/us_daily_mplfinance/yahoofinance-SPY-20200901-20210113.csv",
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "the shared test data is missing: {} ({e}; clone with shared/ beside the repository)",
            p.display()
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_plays_in_the_running_engine_and_names_its_bad_lines() {
    let text = spy();
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = engine(dir.path(), &clock).await;
    assert!(engine.status().feeds.is_empty(), "no feed before");

    // The real Yahoo file, with its 5th line's close broken.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let good = lines.len() - 2; // header and the broken line
    let mut cols: Vec<String> = lines[4].split(',').map(str::to_string).collect();
    cols[4] = "n/a".into();
    lines[4] = cols.join(",");
    let csv = dir.path().join("SPY.csv");
    std::fs::write(&csv, lines.join("\n")).unwrap();

    let r = engine
        .open_recording(csv.to_str().unwrap(), 0.0)
        .await
        .unwrap();
    assert_eq!(r.symbol, "replay:SPY");
    assert_eq!(r.interval, Interval::D1);
    assert_eq!(r.bars as usize, good);
    assert_eq!(r.bad_total, 1);
    let b = &r.bad_rows[0];
    assert_eq!(
        (b.line, b.column, b.column_name.as_str()),
        (5, 5, "Close"),
        "{b:?}"
    );
    assert!(r.format.starts_with("Yahoo"), "{}", r.format);

    // It plays (speed 0: as fast as the pipeline takes it) into the store and the watchlist.
    for _ in 0..200 {
        clock.advance(1_000).await;
        engine.flush().await.unwrap();
        if engine
            .store()
            .candles("replay:SPY", Interval::D1, 1000)
            .await
            .unwrap()
            .len()
            == good
        {
            break;
        }
    }
    let stored = engine
        .store()
        .candles("replay:SPY", Interval::D1, 1000)
        .await
        .unwrap();
    assert_eq!(stored.len(), good);
    assert!(engine
        .watchlist()
        .await
        .unwrap()
        .iter()
        .any(|r| r.symbol == "replay:SPY"));
    let feeds = engine.status().feeds;
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0].source, "replay");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_and_bad_speeds_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = engine(dir.path(), &clock).await;
    let err = |r: Result<_, tw_engine::EngineError>| r.unwrap_err().to_string();

    let bad = dir.path().join("broken.csv");
    std::fs::write(
        &bad,
        "date,open,high,low,close,volume\n2024-01-02,1,2,0.5,x,10\n2024-01-03,1,2,oops,1.5,10\n",
    )
    .unwrap();
    let e = err(engine.open_recording(bad.to_str().unwrap(), 60.0).await);
    assert!(
        e.contains("no valid rows") && e.contains("line 2, column 5 (close)"),
        "{e}"
    );
    let missing = dir.path().join("nope.csv");
    let e = err(engine.open_recording(missing.to_str().unwrap(), 60.0).await);
    assert!(e.contains("does not exist"), "{e}");
    let e = err(engine
        .open_recording(dir.path().to_str().unwrap(), 60.0)
        .await);
    assert!(e.contains("is not a file"), "{e}");
    let e = err(engine.open_recording("  ", 60.0).await);
    assert!(e.starts_with("path:") || e.contains("path:"), "{e}");
    let e = err(engine.open_recording(bad.to_str().unwrap(), -1.0).await);
    assert!(e.contains("speed"), "{e}");
    let e = err(engine.open_recording(bad.to_str().unwrap(), f64::NAN).await);
    assert!(e.contains("speed"), "{e}");
    assert!(engine.status().feeds.is_empty(), "nothing started");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_still_playing_is_not_started_twice() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = engine(dir.path(), &clock).await;
    let csv = dir.path().join("slow.csv");
    let mut text = String::from("date,open,high,low,close,volume\n");
    for d in 1..=20 {
        text.push_str(&format!("2024-01-{d:02},1,2,0.5,1.5,10\n"));
    }
    std::fs::write(&csv, text).unwrap();
    // Real time: a day a day, so it is still playing.
    let r = engine
        .open_recording(csv.to_str().unwrap(), 1.0)
        .await
        .unwrap();
    assert_eq!(r.symbol, "replay:slow");
    let e = engine
        .open_recording(csv.to_str().unwrap(), 1.0)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("replay:slow is still playing"), "{e}");
    engine.shutdown().await;
}
