#!/usr/bin/env bash
# Installs a Tickwarden .deb for real (apt resolves its dependencies), checks what it put on
# the system (binary, desktop entry, icons), starts the installed binary headless on a fresh
# data folder until it has created its database and simulated market, then removes the
# package again.   scripts/check-deb.sh PATH/TO/tickwarden.deb
set -euo pipefail
deb=$(readlink -f "$1")
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
pkg=$(dpkg-deb -f "$deb" Package)
tmp=$(mktemp -d)
cleanup() { $SUDO apt-get remove -y -qq "$pkg" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT

DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb" >/dev/null
bin=$(dpkg -L "$pkg" | grep -E '/bin/tickwarden$' | head -1)
desktop=$(dpkg -L "$pkg" | grep -E '\.desktop$' | head -1)
icons=$(dpkg -L "$pkg" | grep -cE '/icons/.*\.png$' || true)
[ -x "$bin" ] || { echo "FAIL: no executable tickwarden in the package"; exit 1; }
[ -n "$desktop" ] && grep -q "^Exec=tickwarden" "$desktop" || { echo "FAIL: no desktop entry that starts tickwarden"; exit 1; }
[ "$icons" -ge 1 ] || { echo "FAIL: no icons installed"; exit 1; }
echo "installed $pkg: $bin, $desktop, $icons icons"

"$bin" --version
# The installed binary runs the engine without a window.
"$bin" headless --data-dir "$tmp/data" --seed 1 --demo-history 30 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 60); do
  if grep -q "headless engine running" "$tmp/err" 2>/dev/null; then break; fi
  sleep 0.5
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
grep -q "headless engine running" "$tmp/err" || { echo "FAIL: the installed binary did not start headless:"; cat "$tmp/err"; exit 1; }
[ -s "$tmp/data/tickwarden.db" ] || { echo "FAIL: no database was created"; exit 1; }
echo "ok: the installed binary started headless and created $tmp/data/tickwarden.db"
