// The views beyond the market screen, against the mocked backend: named watchlists and search,
// chart interval and indicators, the rule editor's preview, alert history with acknowledge,
// settings errors in words.
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import { I18nProvider } from "./i18n/I18nProvider";
import { installMockBackend, type MockBackend } from "./mock/backend";
import { chartLog } from "./test/chartMock";

vi.mock("lightweight-charts", async () => (await import("./test/chartMock")).fakeLightweightCharts());

let backend: MockBackend;
const clock = Date.UTC(2024, 4, 17, 9, 30, 10);

function start() {
  backend = installMockBackend({ seed: 5, now: () => clock, historyMinutes: 120 });
  return render(
    <I18nProvider>
      <App />
    </I18nProvider>,
  );
}
const calls = (cmd: string) => backend.calls.filter((c) => c.cmd === cmd);

beforeEach(() => {
  chartLog.reset();
  localStorage.clear();
  vi.spyOn(navigator, "language", "get").mockReturnValue("C");
});
afterEach(() => {
  cleanup();
  backend.uninstall();
});

describe("watchlist tools", () => {
  it("finds an A-share by pinyin initials and adds it to a new list", async () => {
    const user = userEvent.setup();
    start();
    await screen.findByTestId("wl-list");
    await user.click(screen.getByTestId("wl-new"));
    await user.type(screen.getByTestId("wl-new-name"), "A-shares{Enter}");
    await waitFor(() => {
      expect(screen.getByTestId("wl-list")).toHaveValue("A-shares");
    });
    expect(screen.queryAllByTestId("watch-row")).toHaveLength(0);
    await user.type(screen.getByTestId("wl-search"), "payh");
    const hit = await screen.findByTestId("wl-hit");
    expect(hit).toHaveAttribute("data-symbol", "tushare:000001.SZ");
    expect(hit).toHaveTextContent("平安银行");
    await user.click(hit);
    await waitFor(() => {
      expect(screen.getAllByTestId("watch-row").map((r) => r.dataset.symbol)).toEqual(["tushare:000001.SZ"]);
    });
    expect(calls("add_to_watchlist")[0]?.args).toEqual({ name: "A-shares", symbol: "tushare:000001.SZ" });
    await user.click(screen.getByTestId("watch-remove"));
    await waitFor(() => {
      expect(screen.queryAllByTestId("watch-row")).toHaveLength(0);
    });
  });

  it("sorts by change % without touching the stored order", async () => {
    const user = userEvent.setup();
    start();
    await waitFor(() => {
      expect(screen.getAllByTestId("watch-row")).toHaveLength(6);
    });
    act(() => {
      for (let i = 0; i < 5; i++) backend.step();
    });
    await user.selectOptions(screen.getByTestId("wl-sort"), "change");
    const changes = screen.getAllByTestId("watch-change").map((c) => Number(c.textContent.replace(/[%+]/g, "").replace("−", "-")));
    const sorted = [...changes].sort((a, b) => b - a);
    expect(changes).toEqual(sorted);
    expect(calls("reorder_watchlist")).toHaveLength(0);
  });
});

describe("chart", () => {
  it("switches interval and asks the engine for indicator lines", async () => {
    const user = userEvent.setup();
    start();
    await waitFor(() => {
      expect(Number(screen.getByTestId("chart").dataset.bars)).toBeGreaterThan(10);
    });
    await waitFor(() => {
      expect(calls("get_indicators").length).toBeGreaterThan(0);
    });
    expect(calls("get_indicators")[0]?.args).toMatchObject({ interval: "1m", names: ["sma(20)"] });
    await user.click(screen.getByTestId("interval-5m"));
    expect(screen.getByTestId("chart")).toHaveAttribute("data-interval", "5m");
    await waitFor(() => {
      expect(calls("get_candles").some((c) => c.args.interval === "5m")).toBe(true);
    });
    await user.click(screen.getByTestId("ind-rsi"));
    await waitFor(() => {
      expect(calls("get_indicators").some((c) => (c.args.names as string[]).includes("rsi"))).toBe(true);
    });
  });

  it("turns a click on the chart into a prefilled rule", async () => {
    const user = userEvent.setup();
    start();
    await waitFor(() => {
      expect(chartLog.clickHandlers.length).toBeGreaterThan(0);
    });
    act(() => {
      for (const h of chartLog.clickHandlers) h({ point: { x: 10, y: 900 } }); // price 100 in the fake
    });
    await user.click(await screen.findByTestId("chart-create-alert"));
    expect(screen.getByTestId("view-rules")).toBeInTheDocument();
    expect(screen.getByTestId("rule-value")).toHaveValue("100");
    expect(screen.getByTestId("rule-op")).toHaveValue("crosses");
  });
});

describe("rule editor", () => {
  it("previews how often a valid rule would have fired, and never an invalid one", async () => {
    const user = userEvent.setup();
    start();
    await waitFor(() => {
      expect(screen.getAllByTestId("watch-row")).toHaveLength(6);
    });
    await user.click(screen.getByTestId("nav-rules"));
    expect(screen.getByTestId("rule-preview")).toHaveAttribute("data-state", "idle");
    await user.selectOptions(screen.getByTestId("rule-symbol"), "demo:ALPHA");
    await user.type(screen.getByTestId("rule-value"), "0");
    const preview = screen.getByTestId("rule-preview");
    await waitFor(
      () => {
        expect(preview).toHaveAttribute("data-state", "done");
      },
      { timeout: 3000 },
    );
    expect(Number(preview.dataset.count)).toBeGreaterThan(100);
    expect(preview.textContent).toMatch(/would have fired \d+ times in the last 7 days/);
    // Every field of the editor goes into the spec the preview runs.
    await user.selectOptions(screen.getByTestId("rule-frequency"), "once");
    await waitFor(
      () => {
        expect(calls("preview_rule").at(-1)?.args).toMatchObject({ spec: { frequency: { mode: "once" } }, days: 7 });
      },
      { timeout: 3000 },
    );
    await user.clear(screen.getByTestId("rule-cooldown"));
    await user.type(screen.getByTestId("rule-cooldown"), "-3");
    await user.type(screen.getByTestId("rule-name"), "x");
    await user.click(screen.getByTestId("rule-submit"));
    expect(screen.getByTestId("rule-error")).toHaveTextContent("The cooldown must be a whole number");
    expect(calls("create_rule")).toHaveLength(0);
  });
});

describe("alert history", () => {
  it("lists alerts, acknowledges one and filters by status", async () => {
    const user = userEvent.setup();
    start();
    await waitFor(() => {
      expect(calls("subscribe_live")).toHaveLength(1);
    });
    await act(async () => {
      await backend.emitEvent({
        kind: "alert",
        alert: { id: 7, ruleId: 1, ruleName: "Spike", symbol: "demo:ALPHA", interval: "1m", level: "high", firedAt: clock, barTime: clock, message: "ALPHA spiked", metrics: {} },
      });
    });
    // The mock keeps what the engine stored; put the alert there as the engine would.
    backend.alerts().unshift({ id: 7, ruleId: 1, ruleName: "Spike", symbol: "demo:ALPHA", interval: "1m", level: "high", firedAt: clock, barTime: clock, message: "ALPHA spiked", metrics: {} });
    await user.click(screen.getByTestId("nav-alerts"));
    const row = await screen.findByTestId("ah-row");
    expect(row).toHaveAttribute("data-status", "new");
    await user.click(within(row).getByTestId("ah-ack"));
    await waitFor(() => {
      expect(screen.getByTestId("ah-row")).toHaveAttribute("data-status", "acknowledged");
    });
    await user.selectOptions(screen.getByTestId("ah-status"), "new");
    await waitFor(() => {
      expect(screen.queryAllByTestId("ah-row")).toHaveLength(0);
    });
    expect(screen.getByText("No alerts match these filters.")).toBeInTheDocument();
  });
});

describe("settings", () => {
  it("shows a refused change in words and switches the language when saved", async () => {
    const user = userEvent.setup();
    start();
    await user.click(screen.getByTestId("nav-settings"));
    await screen.findByTestId("set-language");
    backend.failNext("set_ui_settings", { code: "invalid_input", message: "localApiPort: 80 is a privileged port" });
    await user.click(screen.getByTestId("set-save"));
    expect(await screen.findByTestId("set-note")).toHaveTextContent("Not saved. localApiPort: 80 is a privileged port");
    await user.selectOptions(screen.getByTestId("set-language"), "zh-CN");
    await user.selectOptions(screen.getByTestId("set-upcolor"), "red_up");
    await user.click(screen.getByTestId("set-save"));
    expect(await screen.findByText("设置已保存。")).toBeInTheDocument();
    expect(document.documentElement.dataset.updown).toBe("red-up");
  });

  it("sends every retention setting: days per interval, the size limit and the candle cap", async () => {
    const user = userEvent.setup();
    start();
    await user.click(screen.getByTestId("nav-settings"));
    const h1 = await screen.findByTestId("set-retention1hDays");
    expect(h1).toHaveValue(365);
    await user.clear(h1);
    await user.type(h1, "400");
    await user.clear(screen.getByTestId("set-retention1dDays"));
    await user.type(screen.getByTestId("set-retention1dDays"), "0");
    await user.clear(screen.getByTestId("set-maxDbMb"));
    await user.type(screen.getByTestId("set-maxDbMb"), "512");
    await user.clear(screen.getByTestId("set-maxCandlesPerSeries"));
    await user.type(screen.getByTestId("set-maxCandlesPerSeries"), "50000");
    await user.click(screen.getByTestId("set-save"));
    await screen.findByText("Settings saved.");
    const sent = backend.calls.filter((c) => c.cmd === "set_ui_settings").at(-1)?.args as { settings: Record<string, unknown> };
    expect(sent.settings).toMatchObject({ retention1hDays: 400, retention1dDays: 0, maxDbMb: 512, maxCandlesPerSeries: 50000 });
  });
});
