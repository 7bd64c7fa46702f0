//! Helpers shared by the integration tests that need a D-Bus session.

#![allow(dead_code)]

use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

/// Set by `scripts/with-session-bus.sh` to the address of the private bus it started.
pub const PRIVATE_BUS_VAR: &str = "TW_PRIVATE_SESSION_BUS";
/// Tells a re-run test binary that it is the child of [`run_child`], and in which setting.
pub const CHILD_VAR: &str = "TW_OS_TEST_CHILD";
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

/// Where [`run_child`] runs a test again.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Setting {
    /// No session bus: `DBUS_SESSION_BUS_ADDRESS` removed and `XDG_RUNTIME_DIR` (where
    /// D-Bus clients look for `bus` when the address is unset) an empty directory.
    NoBus,
    /// A session bus on which nothing is running or can be started (no service files):
    /// neither a Secret Service nor a notification server.
    BareBus,
    /// A new private session of its own (`scripts/with-session-bus.sh`), for tests that
    /// change the keyring's state for everybody on the bus.
    OwnSession,
}

impl Setting {
    fn name(self) -> &'static str {
        match self {
            Setting::NoBus => "no-bus",
            Setting::BareBus => "bare-bus",
            Setting::OwnSession => "own-session",
        }
    }
}

/// True in the child process started by [`run_child`] with `setting`.
pub fn in_child(setting: Setting) -> bool {
    std::env::var(CHILD_VAR).ok().as_deref() == Some(setting.name())
}

/// Runs the test `name` of this test binary again in a child process in `setting`, and
/// asserts that the child passed and really ran its checks to the end.
pub fn run_child(name: &str, setting: Setting) {
    let exe = std::env::current_exe().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut child = match setting {
        Setting::NoBus => {
            let mut c = Command::new(exe);
            c.env_remove("DBUS_SESSION_BUS_ADDRESS")
                .env("XDG_RUNTIME_DIR", dir.path());
            c
        }
        Setting::BareBus => {
            let config = dir.path().join("bare-session.conf");
            std::fs::write(&config, bare_bus_config(dir.path())).unwrap();
            let mut c = Command::new("dbus-run-session");
            c.arg(format!("--config-file={}", config.display()))
                .arg("--")
                .arg(exe);
            c
        }
        Setting::OwnSession => {
            let mut c = Command::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../scripts/with-session-bus.sh"
            ));
            c.arg(exe);
            c
        }
    };
    child
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, setting.name())
        .env_remove(PRIVATE_BUS_VAR);
    check_child(child.output().unwrap(), setting);
}

/// A session bus configuration with no service directories: nothing can be activated.
fn bare_bus_config(dir: &std::path::Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
        dir.display()
    )
}

fn check_child(out: Output, setting: Setting) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(CHILD_DONE),
        "the child process ({setting:?}) failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
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
