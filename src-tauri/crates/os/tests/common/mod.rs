//! Helpers shared by the integration tests that need a D-Bus session.

#![allow(dead_code)]

use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

/// Set by `scripts/with-session-bus.sh` to the address of the private bus it started.
pub const PRIVATE_BUS_VAR: &str = "TW_PRIVATE_SESSION_BUS";
/// Set in the child process of [`run_without_session_bus`].
pub const CHILD_VAR: &str = "TW_OS_TEST_CHILD_WITHOUT_BUS";
/// Printed by a child that ran its checks to the end.
pub const CHILD_DONE: &str = "TW-OS-CHILD-CHECKS-DONE";

/// Fails the test unless it runs on the private session bus of
/// `scripts/with-session-bus.sh`: these tests must neither pass silently without a bus nor
/// touch a desktop's real keyring and notification daemon.
pub fn require_private_session() {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let private = std::env::var(PRIVATE_BUS_VAR).unwrap_or_default();
    if bus.is_empty() || bus != private {
        panic!(
            "this test needs the private D-Bus session (with gnome-keyring) of the test harness: \
             run me through scripts/with-session-bus.sh, e.g. \
             `scripts/with-session-bus.sh cargo test -p tw-os` \
             (DBUS_SESSION_BUS_ADDRESS={bus:?}, {PRIVATE_BUS_VAR}={private:?})"
        );
    }
}

/// True in the child process started by [`run_without_session_bus`].
pub fn in_child_without_bus() -> bool {
    std::env::var_os(CHILD_VAR).is_some()
}

/// Runs the test `name` of this test binary again in a child process that has no session
/// bus: `DBUS_SESSION_BUS_ADDRESS` removed and `XDG_RUNTIME_DIR` (where D-Bus clients look
/// for `bus` when the address is unset) pointing at an empty directory. Asserts that the
/// child passed and really ran its checks.
pub fn run_without_session_bus(name: &str) {
    let empty = tempfile::tempdir().unwrap();
    let out: Output = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove(PRIVATE_BUS_VAR)
        .env("XDG_RUNTIME_DIR", empty.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(CHILD_DONE),
        "the child without a session bus failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    print!("{stdout}");
}

/// A name no other test run uses.
pub fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}
