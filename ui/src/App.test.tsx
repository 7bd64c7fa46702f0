import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import { I18nProvider } from "./i18n/I18nProvider";
import { STORAGE_KEY } from "./i18n/lang";
import { installMockBackend, type MockBackend, type MockOptions } from "./mock/backend";
import { chartLog } from "./test/chartMock";

vi.mock("lightweight-charts", async () => (await import("./test/chartMock")).fakeLightweightCharts());

let backend: MockBackend;
let clock = Date.UTC(2024, 4, 17, 9, 30, 10);

function start(options: MockOptions = {}) {
  backend = installMockBackend({ seed: 3, now: () => clock, historyMinutes: 120, ...options });
  return render(
    <I18nProvider>
      <App />
    </I18nProvider>,
  );
}

const rows = () => screen.queryAllByTestId("watch-row");
const chart = () => screen.getByTestId("chart");
const calls = (cmd: string) => backend.calls.filter((c) => c.cmd === cmd);

beforeEach(() => {
  chartLog.reset();
  clock = Date.UTC(2024, 4, 17, 9, 30, 10);
  vi.spyOn(navigator, "language", "get").mockReturnValue("C");
});

afterEach(() => {
  cleanup(); // unmount (and unlisten) while the mock IPC is still there
  backend.uninstall();
});

describe("watchlist", () => {
  it("lists the demo symbols, labelled simulated, with live prices", async () => {
    start();
    await waitFor(() => {
      expect(rows()).toHaveLength(6);
    });
    const alpha = rows().find((r) => r.dataset.symbol === "demo:ALPHA");
    if (!alpha) throw new Error("no ALPHA row");
    expect(within(alpha).getByTestId("sim-tag")).toHaveTextContent("SIM");
    expect(screen.getByTestId("simulated-badge")).toHaveTextContent("Simulated market");

    const before = rows().map((r) => within(r).getByTestId("watch-price").textContent);
    await waitFor(() => {
      expect(calls("subscribe_live")).toHaveLength(1);
    });
    act(() => {
      for (let i = 0; i < 3; i++) backend.step();
    });
    const after = rows().map((r) => within(r).getByTestId("watch-price").textContent);
    expect(after).not.toEqual(before);
    expect(within(alpha).getByTestId("watch-change").textContent).toMatch(/^[+-]\d+\.\d\d%$|^0\.00%$/);
  });

  it("shows a load failure in words with a retry", async () => {
    backend = installMockBackend({ seed: 1, now: () => clock });
    backend.failNext("get_watchlist", { code: "storage", message: "database is locked" });
    render(
      <I18nProvider>
        <App />
      </I18nProvider>,
    );
    const note = await screen.findByText(/Could not load the watchlist\. database is locked/);
    expect(note.textContent).not.toContain("{");
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => {
      expect(rows()).toHaveLength(6);
    });
    expect(screen.queryByText(/Could not load the watchlist/)).toBeNull();
    // the live stream was fine, so retrying must not open a second subscription
    expect(calls("subscribe_live")).toHaveLength(1);
  });

  it("says so when live prices cannot be subscribed, and retries", async () => {
    backend = installMockBackend({ seed: 1, now: () => clock });
    backend.failNext("subscribe_live", { code: "internal", message: "" });
    render(
      <I18nProvider>
        <App />
      </I18nProvider>,
    );
    expect(await screen.findByText("Live prices are unavailable. Something went wrong inside Tickwarden.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => {
      expect(calls("subscribe_live")).toHaveLength(2);
    });
    expect(calls("get_watchlist")).toHaveLength(1);
    expect(screen.queryByText(/Live prices are unavailable/)).toBeNull();
  });

  it("is keyboard accessible: arrows move between rows, Enter selects", async () => {
    start();
    await waitFor(() => {
      expect(rows()).toHaveLength(6);
    });
    const user = userEvent.setup();
    rows()[0]?.focus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(document.activeElement).toBe(rows()[2]);
    await user.keyboard("{Enter}");
    expect(chart().dataset.symbol).toBe(rows()[2]?.dataset.symbol);
    expect(rows()[2]).toHaveAttribute("aria-pressed", "true");
  });
});

describe("chart", () => {
  it("loads the selected symbol's history and follows the selection", async () => {
    start();
    await waitFor(() => {
      expect(Number(chart().dataset.bars)).toBeGreaterThan(10);
    });
    expect(chart().dataset.symbol).toBe("demo:ALPHA");
    expect(calls("get_candles")[0]?.args).toEqual({ symbol: "demo:ALPHA", interval: "1m", limit: 600 });

    const beta = rows().find((r) => r.dataset.symbol === "demo:BETA");
    if (!beta) throw new Error("no BETA row");
    await userEvent.click(beta);
    expect(chart().dataset.symbol).toBe("demo:BETA");
    await waitFor(() => {
      expect(calls("get_candles").at(-1)?.args.symbol).toBe("demo:BETA");
    });
    await waitFor(() => {
      expect(Number(chart().dataset.bars)).toBeGreaterThan(10);
    });
  });

  it("adds a bar when a new minute starts on the live stream", async () => {
    start();
    await waitFor(() => {
      expect(Number(chart().dataset.bars)).toBeGreaterThan(10);
    });
    const bars = Number(chart().dataset.bars);
    const candles = chartLog.series.find((s) => s.kind === "Candlestick");
    const lastTime = candles?.data.at(-1)?.time ?? 0;
    clock += 60_000;
    act(() => {
      for (let i = 0; i < 5; i++) backend.step();
    });
    expect(Number(chart().dataset.bars)).toBe(bars + 1);
    expect(candles?.data.at(-1)?.time).toBe(lastTime + 60);
  });

  it("never gives the chart navigator's 'C' as a locale, and follows the app language", async () => {
    start();
    await waitFor(() => {
      expect(chartLog.createOptions).toHaveLength(1);
    });
    const created = chartLog.createOptions[0] as { localization: { locale: string } };
    expect(() => Intl.getCanonicalLocales(created.localization.locale)).not.toThrow();
    const locales = () => chartLog.applied.map((o) => (o as { localization?: { locale?: string } }).localization?.locale);
    expect(locales().at(-1)).toBe("en-US");
    await userEvent.selectOptions(screen.getByTestId("lang-select"), "zh-CN");
    expect(locales().at(-1)).toBe("zh-CN");
  });
});

describe("rules", () => {
  async function ready() {
    start();
    await waitFor(() => {
      expect(rows()).toHaveLength(6);
    });
    return userEvent.setup();
  }

  it("creates a rule from the form and lists it", async () => {
    const user = await ready();
    await user.type(screen.getByTestId("rule-name"), "e2e price rule");
    await user.selectOptions(screen.getByTestId("rule-symbol"), "demo:BETA");
    await user.selectOptions(screen.getByTestId("rule-metric"), "change_pct");
    await user.selectOptions(screen.getByTestId("rule-op"), "crosses_down");
    await user.type(screen.getByTestId("rule-value"), "-1.5");
    await user.selectOptions(screen.getByTestId("rule-level"), "critical");
    await user.click(screen.getByTestId("rule-submit"));

    const row = await screen.findByTestId("rule-row");
    expect(row).toHaveAttribute("data-rule-name", "e2e price rule");
    expect(row).toHaveTextContent("e2e price rule");
    expect(row).toHaveTextContent("BETA");
    expect(row).toHaveTextContent("Change % crosses below -1.5");
    expect(calls("create_rule")[0]?.args.spec).toEqual({
      version: 1,
      name: "e2e price rule",
      target: { symbols: ["demo:BETA"] },
      interval: "1m",
      when: { metric: "change_pct", op: "crosses_down", value: -1.5 },
      level: "critical",
      frequency: { mode: "once_per_bar", cooldown_s: 60 },
      expires_at: null,
      enabled: true,
    });
    expect(screen.getByTestId("rule-name")).toHaveValue("");
    expect(screen.queryByTestId("rule-error")).toBeNull();
  });

  it("never submits an invalid form, and says why", async () => {
    const user = await ready();
    await user.click(screen.getByTestId("rule-submit"));
    expect(screen.getByTestId("rule-error")).toHaveTextContent("Enter a name for the rule.");
    expect(screen.getByTestId("rule-error")).toHaveTextContent("Enter a value.");
    expect(screen.getByTestId("rule-name")).toHaveAttribute("aria-invalid", "true");

    await user.type(screen.getByTestId("rule-name"), "x");
    await user.type(screen.getByTestId("rule-value"), "12abc");
    await user.click(screen.getByTestId("rule-submit"));
    expect(screen.getByTestId("rule-error")).toHaveTextContent("The value must be a number");
    expect(calls("create_rule")).toHaveLength(0);
    expect(screen.queryAllByTestId("rule-row")).toHaveLength(0);
  });

  it("shows the engine's invalid_rule message inline", async () => {
    const user = await ready();
    backend.failNext("create_rule", { code: "invalid_rule", message: "when.value: must be below 1e12" });
    await user.type(screen.getByTestId("rule-name"), "too big");
    await user.type(screen.getByTestId("rule-value"), "5");
    await user.click(screen.getByTestId("rule-submit"));
    const error = await screen.findByTestId("rule-error");
    expect(error).toHaveTextContent("The engine refused this rule: when.value: must be below 1e12");
    expect(error.textContent).not.toMatch(/[{}]|invalid_rule/);
    expect(screen.getByTestId("rule-name")).toHaveValue("too big");
  });

  it("toggles and deletes a rule (delete asks for confirmation)", async () => {
    const user = await ready();
    await user.type(screen.getByTestId("rule-name"), "r1");
    await user.type(screen.getByTestId("rule-value"), "1");
    await user.click(screen.getByTestId("rule-submit"));
    const row = await screen.findByTestId("rule-row");
    const toggle = within(row).getByRole("switch");
    expect(toggle).toHaveAttribute("aria-checked", "true");
    await user.click(toggle);
    await waitFor(() => {
      expect(within(screen.getByTestId("rule-row")).getByRole("switch")).toHaveAttribute("aria-checked", "false");
    });
    expect(backend.rules()[0]?.spec.enabled).toBe(false);

    await user.click(within(screen.getByTestId("rule-row")).getByTestId("rule-delete"));
    expect(screen.getByTestId("rule-row")).toBeInTheDocument();
    await user.click(within(screen.getByTestId("rule-row")).getByTestId("rule-delete-confirm"));
    await waitFor(() => {
      expect(screen.queryAllByTestId("rule-row")).toHaveLength(0);
    });
    expect(backend.rules()).toHaveLength(0);
  });

  it("reloads the list when the engine says rules changed", async () => {
    await ready();
    await waitFor(() => {
      expect(calls("list_rules")).toHaveLength(1);
    });
    await waitFor(async () => {
      await backend.emitEvent({ kind: "rulesChanged" });
      expect(calls("list_rules").length).toBeGreaterThan(1);
    });
  });
});

describe("alerts", () => {
  it("show a fired rule's alert live, newest first", async () => {
    start();
    await waitFor(() => {
      expect(rows()).toHaveLength(6);
    });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("rule-name"), "e2e price rule");
    await user.selectOptions(screen.getByTestId("rule-symbol"), "demo:ALPHA");
    await user.type(screen.getByTestId("rule-value"), "0");
    await user.selectOptions(screen.getByTestId("rule-level"), "high");
    await user.click(screen.getByTestId("rule-submit"));
    await screen.findByTestId("rule-row");
    await waitFor(() => {
      act(() => {
        backend.step();
      });
      expect(screen.getAllByTestId("alert-row").length).toBeGreaterThan(0);
    });
    const first = screen.getAllByTestId("alert-row")[0];
    expect(first).toHaveAttribute("data-rule-name", "e2e price rule");
    expect(first).toHaveTextContent("High");
    expect(first).toHaveTextContent("ALPHA");

    clock += 60_000;
    await act(async () => {
      backend.step();
      await Promise.resolve();
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("alert-row")).toHaveLength(2);
    });
    const times = screen.getAllByTestId("alert-row").map((r) => r.querySelector("time")?.getAttribute("datetime") ?? "");
    expect(times).toHaveLength(2);
    expect(Date.parse(times[0] ?? "")).toBeGreaterThan(Date.parse(times[1] ?? ""));
  });
});

describe("header", () => {
  it("shows feed state and message count, and why notifications are off", async () => {
    start({ notifications: { available: false, error: "No notification service on the session bus" } });
    act(() => {
      backend.step();
    });
    await waitFor(() => {
      expect(screen.getByTestId("feed-status")).toHaveTextContent(/Connected · [\d,]+ msgs/);
    });
    const notify = screen.getByTestId("notify-status");
    expect(notify).toHaveTextContent("Notifications off");
    expect(notify).toHaveAttribute("title", "No notification service on the session bus");
  });

  it("says so when nothing is being saved, and stays quiet when all is well", async () => {
    start({
      storage: {
        persistent: false,
        error: "/data/tickwarden.db is not a Tickwarden database; running without saving",
        fileBytes: 0,
      },
    });
    const chip = await screen.findByTestId("storage-status");
    expect(chip).toHaveTextContent("Not saving");
    expect(chip).toHaveTextContent("is not a Tickwarden database");
    cleanup();
    backend.uninstall();
    start();
    await waitFor(() => {
      expect(screen.getByTestId("feed-status")).toHaveAttribute("data-state");
    });
    expect(screen.queryByTestId("storage-status")).toBeNull();
  });

  it("pauses and resumes alerts through the backend", async () => {
    start();
    const toggle = screen.getByTestId("pause-alerts");
    await waitFor(() => {
      expect(toggle).toBeEnabled();
    });
    expect(toggle).toHaveAttribute("aria-checked", "false");
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-checked", "true");
    expect(toggle).toHaveTextContent("Alerts paused");
    expect(calls("set_alerts_paused").at(-1)?.args).toEqual({ paused: true });
    await userEvent.click(toggle);
    expect(calls("set_alerts_paused").at(-1)?.args).toEqual({ paused: false });
  });

  it("rolls the pause switch back when the backend refuses", async () => {
    start();
    const toggle = screen.getByTestId("pause-alerts");
    await waitFor(() => {
      expect(toggle).toBeEnabled();
    });
    backend.failNext("set_alerts_paused", { code: "storage", message: "settings table is read-only" });
    await userEvent.click(toggle);
    await waitFor(() => {
      expect(toggle).toHaveAttribute("aria-checked", "false");
    });
    expect(await screen.findByText(/settings table is read-only/)).toBeInTheDocument();
  });

  it("switches the whole UI to Chinese and remembers it", async () => {
    start();
    expect(screen.getByTestId("watchlist-title")).toHaveTextContent("Watchlist");
    await userEvent.selectOptions(screen.getByTestId("lang-select"), "zh-CN");
    expect(screen.getByTestId("watchlist-title")).toHaveTextContent("自选");
    expect(screen.getByTestId("rule-submit")).toHaveTextContent("添加规则");
    await waitFor(() => {
      expect(screen.getByTestId("simulated-badge")).toHaveTextContent("模拟行情");
    });
    expect(localStorage.getItem(STORAGE_KEY)).toBe("zh-CN");
    expect(document.documentElement.lang).toBe("zh-CN");
  });

  it("starts in Chinese when the system language is Chinese", () => {
    vi.spyOn(navigator, "language", "get").mockReturnValue("zh-TW");
    start();
    expect(screen.getByTestId("watchlist-title")).toHaveTextContent("自选");
    expect(screen.getByTestId("lang-select")).toHaveValue("zh-CN");
  });
});
