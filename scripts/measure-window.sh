#!/usr/bin/env bash
# Starts the real window under Xvfb on a fresh data folder, lets it run, then prints the
# memory (RSS and PSS from /proc/PID/smaps_rollup) and CPU use of the Rust process and of
# each WebKit process, sampled over a window of SAMPLE seconds.
#   scripts/measure-window.sh [SETTLE_SECONDS] [SAMPLE_SECONDS] [-- APP ARGS...]
# TW_DATA_TEMPLATE=DIR starts from a copy of the data folder DIR (e.g. one holding the
# `binance` setting written by `tickwarden db import`); TW_APP_LOG=FILE keeps the app's log,
# TW_KEEP_DATA=DIR a copy of its data folder.
# Other environment variables (TICKWARDEN_BINANCE_USDM_WS, ...) reach the app unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
settle=${1:-60}
sample=${2:-20}
shift $(( $# >= 2 ? 2 : $# )) || true
[ "${1:-}" = "--" ] && shift
app=${TW_APP:-target/debug/tickwarden}
tmp=$(mktemp -d)
display=:$((200 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill $app_pid $xvfb_pid 2>/dev/null || true; sleep 1; [ -n "${TW_APP_LOG:-}" ] && cp "$tmp/app.log" "$TW_APP_LOG"; [ -n "${TW_KEEP_DATA:-}" ] && cp -r "$tmp/tw" "$TW_KEEP_DATA"; rm -rf "$tmp"' EXIT
sleep 1
mkdir -p "$tmp"/{data,cache,config,runtime}; chmod 700 "$tmp/runtime"
[ -n "${TW_DATA_TEMPLATE:-}" ] && cp -r "$TW_DATA_TEMPLATE" "$tmp/tw"
DISPLAY=$display WEBKIT_DISABLE_DMABUF_RENDERER=1 XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache \
  XDG_CONFIG_HOME=$tmp/config XDG_RUNTIME_DIR=$tmp/runtime \
  "$app" --data-dir "$tmp/tw" --seed 4 "$@" >"$tmp/app.log" 2>&1 &
app_pid=$!
sleep "$settle"
procs() {
  echo "$app_pid"
  pgrep -P "$app_pid" 2>/dev/null || true
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
declare -A t0
for p in $(procs); do t0[$p]=$(ticks "$p"); done
sleep "$sample"
hz=$(getconf CLK_TCK)
printf '%-22s %8s %8s %8s\n' process RSS_MB PSS_MB CPU_%
for p in $(procs); do
  name=$(cat "/proc/$p/comm" 2>/dev/null || echo gone)
  rss=$(awk '/^Rss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
  pss=$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
  cpu=$(awk -v a="${t0[$p]:-0}" -v b="$(ticks "$p")" -v hz="$hz" -v s="$sample" 'BEGIN{printf "%.1f", (b-a)/hz/s*100}')
  printf '%-22s %8.1f %8.1f %8s\n' "$name" "$((rss))e-3" "$((pss))e-3" "$cpu"
done
