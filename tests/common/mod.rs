//! What the command-line tests share: running the built `tickwarden` against a data folder.

use std::process::Command;

/// Runs `tickwarden ARGS --data-dir DIR` (with the XDG folders inside DIR, so nothing of the
/// user's is touched) and returns its exit code, stdout and stderr.
pub fn tickwarden(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tickwarden"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("XDG_CACHE_HOME", dir)
        .output()
        .expect("run tickwarden");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
