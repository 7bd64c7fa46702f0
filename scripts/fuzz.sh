#!/usr/bin/env bash
# Fuzzes every parser of outside input (rule JSON, candle CSVs, Binance frames and REST
# bodies, Yahoo and Tushare HTTP bodies) with cargo-fuzz (libFuzzer + AddressSanitizer),
# the corpus seeded from ../shared/data.   scripts/fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
data=../shared/data
fz=src-tauri/fuzz
[ -d "$data" ] || { echo "../shared/data is missing: cannot seed the corpus"; exit 1; }
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus() { mkdir -p "$fz/corpus/$1"; }
seed() { # target file [lines]: a file (or its first lines) as one corpus entry
  local name; name=$(echo "$2" | md5sum | cut -c1-16)
  if [ -n "${3:-}" ]; then head -n "$3" "$2" >"$fz/corpus/$1/$name"; else cp "$2" "$fz/corpus/$1/$name"; fi
}
for t in rule_json replay_csv binance_frame http_bodies; do corpus $t; done
find "$data/crypto" "$data/stocks" "$data/futures" "$data/fx" -name '*.csv' | while read -r f; do seed replay_csv "$f" 60; done
find "$data/protocol/binance" -name '*.json' -size -200k | while read -r f; do seed binance_frame "$f"; done
find "$data/protocol/yahoo_v8_chart" "$data/protocol/tushare" -name '*.json' -size -300k | while read -r f; do seed http_bodies "$f"; done
# Rules: every rule JSON the project ships or tests with.
grep -rhoE '\{ *"name": *"[^"]+", *"target".*\}' src-tauri/crates --include=*.rs 2>/dev/null | head -50 | while read -r r; do
  printf '%s' "$r" >"$fz/corpus/rule_json/$(echo "$r" | md5sum | cut -c1-16)"
done
for t in rule_json replay_csv binance_frame http_bodies; do
  echo "== $t: $(ls "$fz/corpus/$t" | wc -l) seeds, ${secs}s"
  cargo +nightly fuzz run --fuzz-dir "$fz" "$t" -- -max_total_time="$secs" -max_len=65536 2>&1 \
    | grep -E '^#[0-9]+.*(DONE|pulse)|ERROR|SUMMARY|Done' | tail -3
done
