//! What the engine does when its database cannot be used: a corrupt file, a folder it cannot
//! write, a file another process has locked, a full disk. It says so in words, keeps the
//! feed and the alerts running, and never panics.

use std::process::Command;
use tw_core::rule::RuleSpec;
use tw_core::ManualClock;
use tw_engine::{Engine, EngineConfig, EngineHandle};

mod common;

use common::{quiet_demo, run_for, T0};

fn config(dir: &std::path::Path, clock: &ManualClock) -> EngineConfig {
    common::config(dir, clock, quiet_demo(5, 120))
}

/// Starts the engine, adds a rule that fires at once, runs two minutes, and checks that the
/// pipeline worked: prices moved, candles and alerts exist (in memory if need be).
async fn still_works(engine: &EngineHandle, clock: &ManualClock) {
    clock.settle().await;
    engine.flush().await.unwrap();
    let spec = RuleSpec::from_json(
        r#"{"name":"up","target":{"symbols":["demo:ALPHA"]},"interval":"1m",
            "when":{"metric":"price","op":"gt","value":0}}"#,
    )
    .unwrap();
    engine.create_rule(spec).await.unwrap();
    let mut alerts = engine.subscribe_alerts();
    run_for(clock, engine, 120_000).await;
    let rows = engine.watchlist().await.unwrap();
    assert!(rows.iter().all(|r| r.price.is_some()), "{rows:?}");
    assert!(alerts.try_recv().is_ok(), "an alert was delivered");
    assert!(!engine
        .candles("demo:ALPHA", tw_core::Interval::M1, 10)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_database_file_is_left_alone_and_the_app_runs_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = b"this is not a database, but it is the user's file".repeat(100);
    std::fs::write(dir.path().join("tickwarden.db"), &garbage).unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(dir.path(), &clock)).await.unwrap();
    let st = engine.status().storage;
    assert!(!st.persistent);
    let err = st.error.unwrap();
    assert!(
        err.contains("not a Tickwarden database") && err.contains("tickwarden.db"),
        "{err}"
    );
    assert!(err.contains("running without saving"), "{err}");
    still_works(&engine, &clock).await;
    engine.shutdown().await;
    assert_eq!(
        std::fs::read(dir.path().join("tickwarden.db")).unwrap(),
        garbage,
        "the file is untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_folder_that_cannot_be_created_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(&blocker.join("data"), &clock))
        .await
        .unwrap();
    let st = engine.status().storage;
    assert!(!st.persistent);
    assert!(
        st.error.as_deref().unwrap().contains("not-a-folder"),
        "{st:?}"
    );
    still_works(&engine, &clock).await;
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_locked_by_another_process_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // Another program holds the file with an exclusive lock.
    let db = dir.path().join("tickwarden.db");
    let mut holder = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys,time\n\
             c=sqlite3.connect(sys.argv[1],isolation_level=None)\n\
             c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')\n\
             c.execute('CREATE TABLE IF NOT EXISTS held(x)')\n\
             print('locked',flush=True); time.sleep(60)",
        ])
        .arg(&db)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line.trim(), "locked");
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(dir.path(), &clock)).await.unwrap();
    let st = engine.status().storage;
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert!(!st.persistent);
    assert!(st.error.as_deref().unwrap().contains("locked"), "{st:?}");
    still_works(&engine, &clock).await;
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_reported_while_the_feed_and_alerts_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small-disk");
    std::fs::create_dir(&mnt).unwrap();
    // A real file system of 384 KiB (the empty schema takes ~110 KiB): SQLite hits ENOSPC
    // ("database or disk is full") while the first candles are written.
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=384k", "tmpfs"])
        .arg(&mnt)
        .output()
        .expect("mount");
    assert!(
        out.status.success(),
        "this test mounts a small tmpfs and needs root (as in CI): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mnt.clone());

    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(&mnt, &clock)).await.unwrap();
    assert!(engine.status().storage.persistent, "the file opened");
    still_works(&engine, &clock).await;
    let st = engine.status().storage;
    let err = st.error.expect("the full disk is reported");
    assert!(err.contains("full"), "{err}");
    assert!(err.contains("not being saved"), "{err}");
    engine.shutdown().await;
}
