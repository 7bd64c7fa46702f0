#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (Secret
# Service) and throw-away XDG directories, then returns the command's exit code.
#
#   scripts/with-session-bus.sh cargo test -p tw-os
#
# Nothing touches the user's keyring, notifications or home: XDG_DATA_HOME,
# XDG_CONFIG_HOME, XDG_CACHE_HOME and XDG_RUNTIME_DIR (mode 0700) point into a fresh temp
# dir, removed afterwards. Needs dbus-run-session (apt dbus) and gnome-keyring-daemon
# (apt gnome-keyring); `secret-tool` (apt libsecret-tools) is used by the keyring tests.
# The command sees TW_PRIVATE_SESSION_BUS=$DBUS_SESSION_BUS_ADDRESS: tests that need this
# private bus check it, so they never run against a desktop's own keyring or notifications.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

if [ -z "${TW_SESSION_BUS_INNER:-}" ]; then
    # Outside: make the temp dirs and start the session bus, which runs this script again.
    for tool in dbus-run-session gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "$0: $tool is not installed (apt-get install -y dbus gnome-keyring)" >&2
            exit 127
        fi
    done
    tmp="$(mktemp -d "${TMPDIR:-/tmp}/tw-session.XXXXXX")"
    # The gnome-keyring-daemon of this session (found by its XDG_RUNTIME_DIR), if alive.
    our_keyring_daemons() {
        local p
        for p in $(pgrep -f gnome-keyring-daemon 2>/dev/null || true); do
            if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null |
                grep -qxF "XDG_RUNTIME_DIR=$tmp/runtime"; then
                echo "$p"
            fi
        done
    }
    cleanup() {
        # gnome-keyring-daemon leaves when the bus closes; give it 2 s, then stop it.
        local pids _
        for _ in $(seq 20); do
            pids="$(our_keyring_daemons)"
            [ -z "$pids" ] && break
            sleep 0.1
        done
        for p in $pids; do kill "$p" 2>/dev/null || true; done
        rm -rf "$tmp"
    }
    trap cleanup EXIT
    trap "exit 130" INT
    trap "exit 143" TERM
    mkdir -p "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"
    chmod 0700 "$tmp/runtime"
    export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
        XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime"
    export TW_SESSION_BUS_INNER="$tmp"
    set +e
    dbus-run-session -- "${BASH_SOURCE[0]}" "$@"
    rc=$?
    set -e
    exit "$rc"
fi

# Inside the session. Start gnome-keyring (secrets only) and unlock the login keyring,
# which it creates with this password on first use and which becomes the default collection.
unset TW_SESSION_BUS_INNER
keyring_env="$(echo -n pw | gnome-keyring-daemon --unlock --components=secrets)"
# With other components it prints VAR=value lines (GNOME_KEYRING_CONTROL, SSH_AUTH_SOCK).
while IFS= read -r line; do
    case "$line" in
        [A-Z_]*=*) export "${line?}" ;;
    esac
done <<<"$keyring_env"
# --unlock returns before the daemon owns org.freedesktop.secrets (about 0.1 s here); a
# client that comes first makes the bus start a second daemon. Wait for the name.
has_secrets_owner() {
    dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
        string:org.freedesktop.secrets 2>/dev/null | grep -q true
}
for _ in $(seq 50); do
    has_secrets_owner && break
    sleep 0.1
done
has_secrets_owner ||
    echo "$0: warning: gnome-keyring-daemon did not claim org.freedesktop.secrets within 5 s" >&2
# Tests that need this private bus check for it, so they never run against a desktop's own.
export TW_PRIVATE_SESSION_BUS="$DBUS_SESSION_BUS_ADDRESS"
exec "$@"
