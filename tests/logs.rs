//! Logs: the app writes them to `DATA_DIR/logs`, and no token ever appears in them (nor on
//! stdout or stderr), even at the most verbose level. Runs the real binary inside the private
//! D-Bus session of `scripts/with-session-bus.sh` (real gnome-keyring).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn require_private_session() {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let private = std::env::var("TW_PRIVATE_SESSION_BUS").unwrap_or_default();
    assert!(
        !bus.is_empty() && bus == private,
        "run me through scripts/with-session-bus.sh (it starts a private D-Bus session with gnome-keyring)"
    );
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn tokens_never_reach_the_logs_or_the_terminal() {
    require_private_session();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tickwarden");
    let token = format!("tw-log-secret-{}-QWERTY", std::process::id());

    let mut set = Command::new(bin)
        .args(["token", "set", "tushare", "--data-dir"])
        .arg(&data)
        .env("RUST_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    set.stdin
        .take()
        .unwrap()
        .write_all(format!("{token}\n").as_bytes())
        .unwrap();
    let set = set.wait_with_output().unwrap();
    assert!(
        set.status.success(),
        "token set: {}",
        String::from_utf8_lossy(&set.stderr)
    );

    // The engine with the local API (which makes its own token) at the most verbose level.
    let mut run = Command::new(bin)
        .args([
            "headless",
            "--demo-history",
            "30",
            "--seed",
            "1",
            "--api",
            "--api-port",
            "0",
            "--data-dir",
        ])
        .arg(&data)
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes while it runs: at `trace` the engine writes more than a pipe holds, and
    // an unread pipe would stall it before the local API starts.
    let drain = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out_reader = drain(Box::new(run.stdout.take().unwrap()));
    let err_reader = drain(Box::new(run.stderr.take().unwrap()));
    let logs = data.join("logs");
    let started = Instant::now();
    let api_token = loop {
        let out = Command::new("secret-tool")
            .args([
                "lookup",
                "service",
                "app.tickwarden.desktop",
                "username",
                "local-api",
            ])
            .output()
            .unwrap();
        let t = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !t.is_empty() {
            break t;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the local API made no token"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    std::thread::sleep(Duration::from_secs(3));
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(run.id().to_string())
        .status();
    let status = run.wait().unwrap();
    assert!(status.success(), "headless ended with {status}");
    let stdout = out_reader.join().unwrap();
    let stderr = err_reader.join().unwrap();

    let mut texts = vec![
        ("stdout", stdout),
        ("stderr", stderr),
        ("token set", set.stderr),
    ];
    let mut log_files = 0;
    for e in std::fs::read_dir(&logs).expect("a log folder in DATA_DIR/logs") {
        let p = e.unwrap().path();
        log_files += 1;
        texts.push(("log file", std::fs::read(&p).unwrap()));
    }
    assert!(log_files >= 1, "no log file written");
    let log_text: usize = texts
        .iter()
        .filter(|(k, _)| *k == "log file")
        .map(|(_, t)| t.len())
        .sum();
    assert!(
        log_text > 1_000,
        "the logs say something ({log_text} bytes)"
    );
    for (what, text) in &texts {
        assert!(
            !contains(text, &token),
            "the Tushare token appears in {what}"
        );
        assert!(
            !contains(text, &api_token),
            "the local API token appears in {what}"
        );
    }
}
