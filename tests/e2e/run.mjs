// End-to-end test of the real Tickwarden window, driven over WebDriver by tauri-driver
// (which runs WebKitWebDriver on Linux). Run under a virtual display:
//
//   xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/run.mjs
//
// Env: TW_APP (default <repo>/target/debug/tickwarden, a build with the bundled UI),
//      TAURI_DRIVER (default: tauri-driver on PATH, then ~/.cargo/bin/tauri-driver).
// Prints one line per check and a final "N passed, M failed"; exits non-zero on a failure.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const APP = process.env.TW_APP ?? join(repo, "target", "debug", "tickwarden");
const DRIVER_PORT = 4444;
const SCREENSHOT = join(here, "screenshots", "main.png");
const RULE_NAME = "e2e price rule";

const results = [];
let driver = null;
let browser = null;
let tmpRoot = null;

function log(line) {
  process.stdout.write(`${line}\n`);
}

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

function findDriver() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const onPath = findOnPath("tauri-driver");
  if (onPath) return onPath;
  const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "bin", "tauri-driver");
  return isExecutable(cargoBin) ? cargoBin : null;
}

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`ok   - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    const message = e instanceof Error ? e.message : String(e);
    log(`FAIL - ${name}: ${message.split("\n")[0]}`);
  }
}

function finish() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function waitForDriver(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError = "no answer";
  while (Date.now() < deadline) {
    if (driver?.exitCode !== null && driver?.exitCode !== undefined) {
      throw new Error(`tauri-driver exited with code ${driver.exitCode}`);
    }
    try {
      const r = await fetch(`http://127.0.0.1:${DRIVER_PORT}/status`);
      if (r.ok) return;
      lastError = `HTTP ${r.status}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tauri-driver did not answer on :${DRIVER_PORT} within ${timeoutMs} ms (${lastError})`);
}

function signalDriverGroup(signal) {
  try {
    process.kill(-driver.pid, signal); // the group this script created for tauri-driver
  } catch {
    // already gone
  }
}

async function stopDriver() {
  if (!driver) return;
  if (driver.exitCode === null && driver.signalCode === null) {
    const exited = new Promise((r) => driver.once("exit", r));
    signalDriverGroup("SIGTERM");
    const timer = setTimeout(() => signalDriverGroup("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  }
  signalDriverGroup("SIGKILL"); // anything of the group that outlived its leader
}

async function cleanup() {
  if (browser) {
    try {
      await browser.deleteSession();
    } catch {
      // the window may already be gone
    }
    browser = null;
  }
  await stopDriver();
  if (tmpRoot) {
    // WebKit may have started a document portal that mounts $XDG_RUNTIME_DIR/doc; it goes
    // away with the D-Bus session, so a busy directory is not worth failing the run for.
    for (let i = 0; i < 10; i++) {
      try {
        rmSync(tmpRoot, { recursive: true, force: true });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }
}

// ---- helpers on the page ----

const byTestId = (id) => `[data-testid="${id}"]`;

async function waitFor(what, fn, timeout) {
  await browser.waitUntil(fn, { timeout, interval: 250, timeoutMsg: `timed out after ${timeout} ms waiting for ${what}` });
}

async function attr(selector, name) {
  const el = await browser.$(selector);
  return (await el.isExisting()) ? el.getAttribute(name) : null;
}

async function demoRows() {
  return browser.$$(`${byTestId("watch-row")}[data-symbol^="demo:"]`);
}

/** Picks an option by value; falls back to setting it from script if the click did not take. */
async function selectValue(testId, value) {
  const el = await browser.$(byTestId(testId));
  try {
    await el.selectByAttribute("value", value);
  } catch {
    // fall through to the script path
  }
  if ((await el.getValue()) === value) return;
  await browser.execute(
    (sel, v) => {
      const select = document.querySelector(sel);
      const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
      setter.call(select, v);
      select.dispatchEvent(new Event("change", { bubbles: true }));
    },
    byTestId(testId),
    value,
  );
  const now = await el.getValue();
  if (now !== value) throw new Error(`${testId}: wanted ${value}, select shows ${now}`);
}

async function typeInto(testId, text) {
  const el = await browser.$(byTestId(testId));
  await el.click();
  if ((await el.getValue()) !== "") {
    await browser.keys(["Control", "a"]);
    await browser.keys(["Backspace"]);
  }
  if (text !== "") await el.addValue(text);
  const now = await el.getValue();
  if (now !== text) throw new Error(`${testId}: typed ${JSON.stringify(text)}, field shows ${JSON.stringify(now)}`);
}

// By attribute, not text: WebKitWebDriver's element text leaves out ellipsised spans.
async function ruleRowsNamed(name) {
  return browser.$$(`${byTestId("rule-row")}[data-rule-name=${JSON.stringify(name)}]`);
}

// ---- the run ----

async function main() {
  if (!existsSync(APP)) {
    log(`FAIL - setup: app binary not found at ${APP} (build it with the bundled UI, or set TW_APP)`);
    results.push({ name: "setup", ok: false });
    return;
  }
  const driverPath = findDriver();
  if (!driverPath) {
    log("FAIL - setup: tauri-driver not found (cargo install tauri-driver --version ^2 --locked)");
    results.push({ name: "setup", ok: false });
    return;
  }

  tmpRoot = mkdtempSync(join(tmpdir(), "tw-e2e-"));
  const dirs = {};
  for (const d of ["data", "home", "xdg-data", "xdg-config", "xdg-cache", "xdg-runtime"]) {
    dirs[d] = join(tmpRoot, d);
    mkdirSync(dirs[d], { recursive: true, mode: 0o700 });
  }

  // A private D-Bus session (when there is none) keeps GTK from auto-launching a bus and
  // portals that outlive the test; it ends with tauri-driver.
  const privateBus = !process.env.DBUS_SESSION_BUS_ADDRESS && findOnPath("dbus-run-session");
  const [cmd, cmdArgs] = privateBus
    ? [privateBus, ["--", driverPath, "--port", String(DRIVER_PORT)]]
    : [driverPath, ["--port", String(DRIVER_PORT)]];
  driver = spawn(cmd, cmdArgs, {
    env: {
      NO_AT_BRIDGE: "1",
      ...process.env,
      // "Start at login" writes ~/.config/autostart: keep it in the test's own home.
      HOME: dirs["home"],
      XDG_DATA_HOME: dirs["xdg-data"],
      XDG_CONFIG_HOME: dirs["xdg-config"],
      XDG_CACHE_HOME: dirs["xdg-cache"],
      XDG_RUNTIME_DIR: dirs["xdg-runtime"],
      WEBKIT_DISABLE_DMABUF_RENDERER: "1",
    },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true, // own process group: stopping it stops the bus, the driver and the app
  });
  let driverStderr = "";
  driver.stderr.on("data", (b) => {
    driverStderr = (driverStderr + b.toString()).slice(-4000);
  });

  try {
    await waitForDriver(20_000);
    browser = await remote({
      hostname: "127.0.0.1",
      port: DRIVER_PORT,
      logLevel: "error",
      connectionRetryCount: 0,
      capabilities: {
        "tauri:options": { application: APP, args: ["--data-dir", dirs.data] },
        "wdio:enforceWebDriverClassic": true,
      },
    });
  } catch (e) {
    results.push({ name: "setup", ok: false });
    log(`FAIL - setup: ${e instanceof Error ? e.message : String(e)}`);
    if (driverStderr) log(`tauri-driver stderr (tail):\n${driverStderr}`);
    return;
  }

  await check("1. watchlist shows live demo prices and the simulated badge", async () => {
    await waitFor("at least 5 demo watchlist rows", async () => (await demoRows()).length >= 5, 30_000);
    // Any demo row's price moving counts; the demo feed moves every symbol often.
    const pricesNow = async () => {
      const out = [];
      for (const r of await demoRows()) out.push(await (await r.$(byTestId("watch-price"))).getText());
      return out;
    };
    const before = await pricesNow();
    await waitFor(
      "a watchlist price to change",
      async () => (await pricesNow()).some((p, i) => p !== before[i] && p !== "—"),
      20_000,
    );
    const badge = await browser.$(byTestId("simulated-badge"));
    if (!(await badge.isDisplayed())) throw new Error("the simulated-market badge is not visible");
    const simTags = await browser.$$(`${byTestId("watch-row")}[data-symbol^="demo:"] ${byTestId("sim-tag")}`);
    if (simTags.length < 5) throw new Error(`only ${simTags.length} demo rows carry a SIM tag`);
  });

  await check("2. chart draws bars and follows the selected symbol", async () => {
    await waitFor("the chart to hold more than 10 bars", async () => Number(await attr(byTestId("chart"), "data-bars")) > 10, 30_000);
    const current = await attr(byTestId("chart"), "data-symbol");
    const rows = await demoRows();
    let target = null;
    for (const r of rows) {
      const s = await r.getAttribute("data-symbol");
      if (s !== current) {
        target = { row: r, symbol: s };
        break;
      }
    }
    if (!target) throw new Error("no second watchlist row to click");
    await target.row.click();
    await waitFor(`chart data-symbol to become ${target.symbol}`, async () => (await attr(byTestId("chart"), "data-symbol")) === target.symbol, 10_000);
    await waitFor("the new symbol's bars", async () => Number(await attr(byTestId("chart"), "data-bars")) > 10, 20_000);
  });

  await check("2b. search adds a symbol to a new watchlist; its chart opens and switches interval", async () => {
    await (await browser.$(byTestId("wl-new"))).click();
    await typeInto("wl-new-name", "e2e list");
    await browser.keys(["Enter"]);
    await waitFor("the new list to be current", async () => (await (await browser.$(byTestId("wl-list"))).getValue()) === "e2e list", 10_000);
    await typeInto("wl-search", "gamma");
    const hit = await browser.$(`${byTestId("wl-hit")}[data-symbol="demo:GAMMA"]`);
    await hit.waitForExist({ timeout: 10_000, timeoutMsg: "no search hit for demo:GAMMA" });
    await hit.click();
    const row = await browser.$(`${byTestId("watch-row")}[data-symbol="demo:GAMMA"]`);
    await row.waitForExist({ timeout: 10_000, timeoutMsg: "demo:GAMMA did not appear on the new list" });
    if ((await browser.$$(byTestId("watch-row"))).length !== 1) throw new Error("the new list should hold one row");
    await row.click();
    await waitFor("the chart to show demo:GAMMA", async () => (await attr(byTestId("chart"), "data-symbol")) === "demo:GAMMA", 10_000);
    await waitFor("1m bars of demo:GAMMA", async () => Number(await attr(byTestId("chart"), "data-bars")) > 10, 20_000);
    await (await browser.$(byTestId("interval-5m"))).click();
    await waitFor("the chart to switch to 5m", async () => (await attr(byTestId("chart"), "data-interval")) === "5m", 5_000);
    await waitFor("5m bars (rolled up and stored by the engine)", async () => {
      const bars = Number(await attr(byTestId("chart"), "data-bars"));
      return (await attr(byTestId("chart"), "data-phase")) === "ready" && bars > 10;
    }, 20_000);
    await (await browser.$(byTestId("interval-1m"))).click();
    await selectValue("wl-list", "default");
    await waitFor("the default list back", async () => (await demoRows()).length >= 5, 10_000);
  });

  await check("3a. a rule from the form appears in the rule list", async () => {
    await typeInto("rule-name", RULE_NAME);
    await selectValue("rule-symbol", "demo:ALPHA");
    await selectValue("rule-metric", "price");
    await selectValue("rule-op", "gt");
    await typeInto("rule-value", "0");
    await selectValue("rule-level", "high");
    await (await browser.$(byTestId("rule-submit"))).click();
    await waitFor(`a rule-row named "${RULE_NAME}"`, async () => (await ruleRowsNamed(RULE_NAME)).length === 1, 10_000);
    const error = await browser.$(byTestId("rule-error"));
    if (await error.isExisting()) throw new Error(`rule-error shown after a valid rule: ${await error.getText()}`);
  });

  await check("3b. an empty name shows rule-error and creates nothing", async () => {
    const before = (await browser.$$(byTestId("rule-row"))).length;
    await typeInto("rule-name", "");
    await typeInto("rule-value", "0");
    await (await browser.$(byTestId("rule-submit"))).click();
    const error = await browser.$(byTestId("rule-error"));
    await error.waitForDisplayed({ timeout: 5_000, timeoutMsg: "rule-error did not appear" });
    if ((await error.getText()).trim() === "") throw new Error("rule-error is empty");
    const after = (await browser.$$(byTestId("rule-row"))).length;
    if (after !== before) throw new Error(`rule rows went from ${before} to ${after}`);
  });

  await check("4. the rule fires an alert that shows up live", async () => {
    const sel = `${byTestId("alert-row")}[data-rule-name="${RULE_NAME}"]`;
    await waitFor(`an alert-row for "${RULE_NAME}"`, async () => (await browser.$(sel)).isExisting(), 30_000);
  });

  await check("4b. the rule editor previews the last 7 days from stored history", async () => {
    await (await browser.$(byTestId("nav-rules"))).click();
    await (await browser.$(byTestId("view-rules"))).waitForExist({ timeout: 5_000 });
    await typeInto("rule-name", "e2e preview");
    await selectValue("rule-symbol", "demo:BETA");
    await selectValue("rule-metric", "price");
    await selectValue("rule-op", "gt");
    await typeInto("rule-value", "0");
    await selectValue("rule-frequency", "once_per_bar_close");
    await waitFor("the preview to finish", async () => (await attr(byTestId("rule-preview"), "data-state")) === "done", 30_000);
    const count = Number(await attr(byTestId("rule-preview"), "data-count"));
    // The demo simulates the last 24 h at first start: every closed 1m bar of it has price > 0.
    if (!(count > 600)) throw new Error(`preview counted ${count} firings; expected one per stored closed bar (> 600)`);
  });

  await check("4c. the alert is acknowledged in the alert history", async () => {
    await (await browser.$(byTestId("nav-alerts"))).click();
    const sel = `${byTestId("ah-row")}[data-rule-name="${RULE_NAME}"]`;
    await waitFor("a history row of the e2e rule", async () => (await browser.$(sel)).isExisting(), 15_000);
    const row = await browser.$(sel);
    await (await row.$(byTestId("ah-ack"))).click();
    await waitFor("the row to read acknowledged", async () => {
      const rows = await browser.$$(sel);
      for (const r of rows) if ((await r.getAttribute("data-status")) === "acknowledged") return true;
      return false;
    }, 10_000);
    await selectValue("ah-status", "acknowledged");
    await waitFor("the acknowledged filter to list it", async () => (await browser.$$(sel)).length >= 1, 10_000);
    await (await browser.$(byTestId("nav-markets"))).click();
  });

  await check("4d. a lot added on the portfolio view shows as a valued position", async () => {
    await (await browser.$(byTestId("nav-portfolio"))).click();
    await (await browser.$(byTestId("view-portfolio"))).waitForExist({ timeout: 5_000, timeoutMsg: "the portfolio view did not open" });
    await (await browser.$(byTestId("pf-lot-form"))).waitForExist({ timeout: 10_000, timeoutMsg: "no lot form" });
    await typeInto("pf-lot-symbol", "demo:ALPHA");
    await browser.keys(["Escape"]); // close the symbol search's suggestions
    await typeInto("pf-lot-quantity", "10");
    await typeInto("pf-lot-cost", "1");
    await (await browser.$(byTestId("pf-lot-submit"))).click();
    const refused = async () => {
      for (const id of ["pf-lot-error", "pf-lot-symbol-error", "pf-lot-quantity-error", "pf-lot-cost-error", "pf-lot-opened-error"]) {
        const el = await browser.$(byTestId(id));
        if (await el.isExisting()) return `${id}: ${await el.getText()}`;
      }
      return null;
    };
    const sel = `${byTestId("pf-row")}[data-symbol="demo:ALPHA"]`;
    try {
      await waitFor("a position row of demo:ALPHA", async () => (await browser.$(sel)).isExisting(), 15_000);
    } catch (e) {
      const why = await refused();
      throw why ? new Error(`the lot was refused (${why})`) : e;
    }
    // The value comes with the next price of demo:ALPHA (the view refreshes every few seconds).
    await waitFor("a value in the demo:ALPHA row", async () => {
      const v = await (await browser.$(sel)).$(byTestId("pf-value"));
      return (await v.isExisting()) && /\d/.test(await v.getText());
    }, 20_000);
    const lots = await browser.$$(`${byTestId("pf-lot-row")}[data-symbol="demo:ALPHA"]`);
    if (lots.length < 1) throw new Error("the lot is not listed under Lots");
    await (await browser.$(byTestId("nav-markets"))).click();
  });

  await check("5a. start at login registers the app to start minimised in the tray", async () => {
    await (await browser.$(byTestId("nav-settings"))).click();
    const box = await browser.$(byTestId("set-autostart"));
    await box.waitForExist({ timeout: 10_000 });
    if (!(await box.isSelected())) await box.click();
    await (await browser.$(byTestId("set-save"))).click();
    const entry = join(dirs["home"], ".config", "autostart", "Tickwarden.desktop");
    await waitFor("the autostart entry", async () => existsSync(entry), 10_000);
    const text = readFileSync(entry, "utf8");
    if (!/^Exec=.*tickwarden.*--minimized/m.test(text)) throw new Error(`unexpected autostart entry:\n${text}`);
    await (await browser.$(byTestId("set-autostart"))).click();
    await (await browser.$(byTestId("set-save"))).click();
    await waitFor("the autostart entry to go", async () => !existsSync(entry), 10_000);
    await (await browser.$(byTestId("nav-markets"))).click();
  });

  await check("5b. a second launch hands over to the running window and exits", async () => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new Error("needs the session bus the app runs on: run through scripts/with-session-bus.sh (make e2e)");
    }
    const second = spawnSync(APP, ["--data-dir", dirs["data"]], {
      env: { ...process.env, HOME: dirs["home"], XDG_DATA_HOME: dirs["xdg-data"], XDG_CONFIG_HOME: dirs["xdg-config"],
             XDG_CACHE_HOME: dirs["xdg-cache"], XDG_RUNTIME_DIR: dirs["xdg-runtime"],
             DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS },
      timeout: 30_000,
    });
    if (second.error) throw second.error;
    if (second.status !== 0) throw new Error(`the second launch ended with ${second.status}: ${String(second.stderr).slice(-400)}`);
    await (await browser.$(byTestId("nav-markets"))).click();
    const rows = await browser.$$(byTestId("watch-row"));
    if (rows.length < 1) throw new Error("the first window stopped answering");
  });

  await check("4e. the Backtest view runs the dual moving average on demo:ALPHA's stored 1m history", async () => {
    await (await browser.$(byTestId("nav-backtest"))).click();
    await (await browser.$(byTestId("view-backtest"))).waitForExist({ timeout: 5_000, timeoutMsg: "the Backtest view did not open" });
    await waitFor("the strategy templates", async () => (await browser.$(`${byTestId("bt-template")} option[value="dual_ma"]`)).isExisting(), 10_000);
    await selectValue("bt-template", "dual_ma");
    await selectValue("bt-symbol", "demo:ALPHA");
    await selectValue("bt-interval", "1m");
    await (await browser.$(byTestId("bt-run"))).click();
    const refusal = async () => {
      for (const sel of [`${byTestId("view-backtest")} .error-note`, byTestId("bt-problems")]) {
        const el = await browser.$(sel);
        if (await el.isExisting()) return el.getText();
      }
      return null;
    };
    await waitFor("the figures table (or a refusal)", async () => (await browser.$(byTestId("bt-figures"))).isExisting() || (await refusal()) !== null, 30_000);
    const why = await refusal();
    if (why !== null) throw new Error(`the backtest was refused: ${why}`);
    for (const id of ["bt-fig-total-return", "bt-fig-sharpe", "bt-fig-max-drawdown", "bt-fig-trades"]) {
      const text = await (await browser.$(byTestId(id))).getText();
      if (text.trim() === "") throw new Error(`${id} is empty`);
    }
    const chart = await browser.$(byTestId("bt-equity-chart"));
    if (!(await chart.isExisting())) throw new Error("no equity chart");
    // The demo simulates the last 24 h at first start: hundreds of closed 1m bars.
    const points = Number(await chart.getAttribute("data-points"));
    if (!(points > 100)) throw new Error(`the equity curve has ${points} points; expected one per stored closed bar (> 100)`);
    await (await browser.$(byTestId("nav-markets"))).click();
  });

  await check("5. switching to 简体中文 translates the UI", async () => {
    await (await browser.$(byTestId("nav-markets"))).click();
    await selectValue("lang-select", "zh-CN");
    await waitFor('watchlist-title to read "自选"', async () => (await (await browser.$(byTestId("watchlist-title"))).getText()).trim() === "自选", 5_000);
  });

  if (process.env.TW_SCREENSHOT_DIR) {
    await check("7. screenshots of dashboard, chart, rule editor, portfolio and backtest in both languages", async () => {
      const dir = resolve(process.env.TW_SCREENSHOT_DIR);
      mkdirSync(dir, { recursive: true });
      for (const lang of ["en", "zh-CN"]) {
        await selectValue("lang-select", lang);
        await (await browser.$(byTestId("nav-dashboard"))).click();
        await (await browser.$(byTestId("view-dashboard"))).waitForExist({ timeout: 5_000 });
        await browser.pause(800); // let the stats request land before the picture
        await browser.saveScreenshot(join(dir, `dashboard-${lang}.png`));
        await (await browser.$(byTestId("nav-markets"))).click();
        for (const ind of ["ind-bb", "ind-rsi"]) {
          const box = await browser.$(byTestId(ind));
          if (!(await box.isSelected())) await box.click();
        }
        await waitFor("chart bars", async () => Number(await attr(byTestId("chart"), "data-bars")) > 10, 20_000);
        await browser.pause(800);
        await browser.saveScreenshot(join(dir, `chart-${lang}.png`));
        await (await browser.$(byTestId("nav-rules"))).click();
        await typeInto("rule-name", lang === "en" ? "ALPHA breakout" : "ALPHA 突破");
        await selectValue("rule-symbol", "demo:ALPHA");
        await typeInto("rule-value", "0");
        await waitFor("the preview", async () => (await attr(byTestId("rule-preview"), "data-state")) === "done", 30_000);
        await browser.saveScreenshot(join(dir, `rule-editor-${lang}.png`));
        // The portfolio holds the lot check 4d added; the backtest re-runs its last run.
        await (await browser.$(byTestId("nav-portfolio"))).click();
        await (await browser.$(byTestId("view-portfolio"))).waitForExist({ timeout: 5_000 });
        await browser.pause(1500);
        await browser.saveScreenshot(join(dir, `portfolio-${lang}.png`));
        await (await browser.$(byTestId("nav-backtest"))).click();
        await (await browser.$(byTestId("view-backtest"))).waitForExist({ timeout: 5_000 });
        await waitFor("the strategy templates", async () => (await browser.$(`${byTestId("bt-template")} option[value="dual_ma"]`)).isExisting(), 10_000);
        await selectValue("bt-symbol", "demo:ALPHA");
        await selectValue("bt-interval", "1m");
        await (await browser.$(byTestId("bt-run"))).click();
        await waitFor("the figures table", async () => (await browser.$(byTestId("bt-figures"))).isExisting(), 30_000);
        await browser.pause(800);
        await browser.saveScreenshot(join(dir, `backtest-${lang}.png`));
        await (await browser.$(byTestId("nav-markets"))).click();
      }
    });
  }

  await check("6. screenshot saved to tests/e2e/screenshots/main.png", async () => {
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await browser.saveScreenshot(SCREENSHOT);
    if (!existsSync(SCREENSHOT)) throw new Error("no file written");
  });
}

let code = 1;
const onSignal = async () => {
  await cleanup();
  process.exit(130);
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

try {
  await main();
} catch (e) {
  results.push({ name: "run", ok: false });
  log(`FAIL - run: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  try {
    await cleanup();
  } catch (e) {
    log(`warning: cleanup: ${e instanceof Error ? e.message : String(e)}`);
  }
  code = finish();
}
process.exit(code);
