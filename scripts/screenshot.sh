#!/usr/bin/env bash
# Takes a screenshot of the real Tickwarden window under Xvfb (a fresh data folder, the demo
# market) after it has run for a while: tests/screenshots/window.png by default.
#   scripts/screenshot.sh [OUT.png] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-tests/screenshots/window.png}
wait_s=${2:-90}
app=${TW_APP:-target/debug/tickwarden}
tmp=$(mktemp -d)
trap 'kill $app_pid $xvfb_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
mkdir -p "$tmp"/{data,cache,config,runtime} "$(dirname "$out")"
chmod 700 "$tmp/runtime"
DISPLAY=$display WEBKIT_DISABLE_DMABUF_RENDERER=1 XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache \
  XDG_CONFIG_HOME=$tmp/config XDG_RUNTIME_DIR=$tmp/runtime LANG=${LANG:-C.UTF-8} \
  "$app" --data-dir "$tmp/tw" --seed "${TW_SEED:-4}" >"$tmp/app.log" 2>&1 &
app_pid=$!
sleep "$wait_s"
DISPLAY=$display import -window root "$out"
echo "wrote $out"
