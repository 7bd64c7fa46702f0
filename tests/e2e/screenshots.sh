#!/usr/bin/env bash
# Screenshots of the real window (dashboard, chart, rule editor, portfolio, backtest) in
# English and 简体中文,
# taken under Xvfb by the end-to-end run, into tests/screenshots/ (what README.md shows).
# Needs the bundled-UI build (`make build`) and tauri-driver (`make tools`).
set -euo pipefail
cd "$(dirname "$0")/../.."
WEBKIT_DISABLE_DMABUF_RENDERER=1 TW_APP="${TW_APP:-$PWD/target/debug/tickwarden}" \
  TW_SCREENSHOT_DIR="$PWD/tests/screenshots" \
  scripts/with-session-bus.sh xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/run.mjs
