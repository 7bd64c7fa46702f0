# Tickwarden: `make run` opens the app on the demo market; `make test` runs every check.
# Both install what is missing (apt packages, npm packages, tauri-driver) and skip what is
# already there.

SHELL := /bin/bash
.DEFAULT_GOAL := run

APT_PACKAGES := libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev \
	libssl-dev libxdo-dev build-essential pkg-config xvfb webkit2gtk-driver gnome-keyring \
	dbus-x11 libsecret-tools imagemagick xauth
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(HOME)/.cargo/bin
TAURI_DRIVER := $(CARGO_BIN)/tauri-driver
APP := target/debug/tickwarden
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: run test deps apt npm tools ui build check fmt clippy rust-test ui-test e2e package package-check fuzz screenshot clean

## Install, build, and open the window on the demo market.
run: deps build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display: running the window under Xvfb (screenshot: make screenshot)."; \
		$(XVFB) $(APP); \
	else \
		$(APP); \
	fi

## Every check CI runs: formatting, clippy, Rust tests (with a private D-Bus session and a
## real gnome-keyring), UI typecheck/lint/unit tests, and the end-to-end test of the window.
test: deps tools build fmt clippy rust-test ui-test e2e package-check
	@echo "make test: all checks passed"

deps: apt npm

apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Installs only when package.json or package-lock.json changed since the last install.
# (`npm install` rather than `npm ci`: the lock files written here leave out rollup's native
# packages for other platforms, which `npm ci` then refuses.)
NPM_INSTALL := npm install --no-audit --no-fund --loglevel=error
npm: ui/node_modules/.installed tests/e2e/node_modules/.installed node_modules/.installed
%/node_modules/.installed: %/package.json %/package-lock.json
	cd $* && $(NPM_INSTALL)
	@touch $@
node_modules/.installed: package.json package-lock.json
	$(NPM_INSTALL)
	@touch $@

tools: $(TAURI_DRIVER)
$(TAURI_DRIVER):
	cargo install tauri-driver --version '^2' --locked

ui: npm
	npm --prefix ui run build

# The default feature `custom-protocol` embeds ui/dist, so the window shows the bundled UI.
build: ui
	cargo build

fmt:
	cargo fmt --all --check

clippy: ui
	cargo clippy --workspace --all-targets -- -D warnings

rust-test: ui
	scripts/with-session-bus.sh cargo test --workspace

ui-test: npm
	npm --prefix ui run typecheck
	npm --prefix ui run lint
	npm --prefix ui test

e2e: tools build
	WEBKIT_DISABLE_DMABUF_RENDERER=1 TW_APP=$(CURDIR)/$(APP) \
		scripts/with-session-bus.sh $(XVFB) node tests/e2e/run.mjs

## Installable bundles (.deb and .rpm on Linux; .msi/.nsis on Windows, .dmg/.app on macOS
## from the same config), release build.
package: deps ui
	npx tauri build --bundles deb,rpm

## The .deb of the debug build installs, and the installed binary starts headless.
package-check: build
	npx tauri build --debug --bundles deb --config '{"build":{"beforeBuildCommand":""}}'
	scripts/check-deb.sh target/debug/bundle/deb/*.deb

## Fuzz every parser of outside input (not part of `make test`: it runs for minutes).
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	cargo clean
	rm -rf ui/dist
