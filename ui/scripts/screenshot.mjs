// Screenshots of the mock-mode UI in headless Chromium, in both languages.
// Usage: npm run build:mock && npm run screenshot   (needs apt `chromium`)
// Writes screenshots/mock-en.png and screenshots/mock-zh-CN.png.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

/* global document */

const uiDir = join(import.meta.dirname, "..");
const outDir = join(uiDir, "screenshots");
const port = 4173;
const executablePath = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"].find((p) => existsSync(p));
if (!executablePath) {
  console.error("chromium not found (apt-get install chromium)");
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

const server = spawn(join(uiDir, "node_modules/.bin/vite"), ["preview", "--mode", "mock", "--host", "127.0.0.1"], {
  cwd: uiDir,
  stdio: ["ignore", "pipe", "inherit"],
});
const stop = () => server.kill();

async function waitForServer() {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/mock.html`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("vite preview did not start");
}

let failed = false;
try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--headless", "--disable-gpu"] });
  for (const lang of ["en", "zh-CN"]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("pageerror", (e) => {
      failed = true;
      console.error(`[${lang}] page error: ${e.message}`);
    });
    await page.addInitScript((l) => localStorage.setItem("tickwarden.lang", l), lang);
    await page.goto(`http://127.0.0.1:${port}/mock.html`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="chart"]')?.getAttribute("data-bars")) > 10);
    // A couple of rules so the alert and rule panels have something to show.
    for (const [name, metric, op, value, level] of [
      ["ALPHA above 0", "price", "gt", "0", "high"],
      ["Volume burst", "volume_z", "gt", "-100", "critical"],
    ]) {
      await page.fill('[data-testid="rule-name"]', name);
      await page.selectOption('[data-testid="rule-symbol"]', "demo:ALPHA");
      await page.selectOption('[data-testid="rule-metric"]', metric);
      await page.selectOption('[data-testid="rule-op"]', op);
      await page.fill('[data-testid="rule-value"]', value);
      await page.selectOption('[data-testid="rule-level"]', level);
      await page.click('[data-testid="rule-submit"]');
      await page.waitForSelector(`[data-testid="alert-row"][data-rule-name="${name}"]`, { timeout: 20_000 });
    }
    await page.waitForTimeout(800); // let the flash animations settle
    const file = join(outDir, `mock-${lang}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
    await page.close();
  }
  await browser.close();
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  stop();
}
process.exit(failed ? 1 : 0);
