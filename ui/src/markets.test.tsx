// The Markets view against the mock backend: scrolling back into stored history (with the cap
// on bars held), alert markers and their tooltip, dragging a rule's price line to edit the rule,
// chart colours from the theme, exchange time zones, and the watchlist's relative volume and
// sparklines.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import { api } from "./api";
import type { RuleSpec } from "./bindings/RuleSpec";
import { BAR_CAP } from "./chart/bars";
import { CandleChart } from "./chart/CandleChart";
import { HISTORY_PAGE } from "./chart/history";
import { I18nProvider } from "./i18n/I18nProvider";
import { installMockBackend, type MockBackend, type MockOptions } from "./mock/backend";
import { createLiveHub } from "./state/liveHub";
import { chartLog } from "./test/chartMock";
import { alert } from "./test/fixtures";

vi.mock("lightweight-charts", async () => (await import("./test/chartMock")).fakeLightweightCharts());

const MIN = 60_000;
let backend: MockBackend;
let clock = Date.UTC(2024, 4, 17, 9, 30, 10);

function install(options: MockOptions = {}) {
  backend = installMockBackend({ seed: 3, now: () => clock, historyMinutes: 120, ...options });
}
function renderApp() {
  return render(
    <I18nProvider lang="en">
      <App />
    </I18nProvider>,
  );
}

const chart = () => screen.getByTestId("chart");
const bars = () => Number(chart().dataset.bars);
const calls = (cmd: string) => backend.calls.filter((c) => c.cmd === cmd);
const candles = () => {
  const s = chartLog.candles();
  if (!s) throw new Error("no candlestick series");
  return s;
};

beforeEach(() => {
  chartLog.reset();
  clock = Date.UTC(2024, 4, 17, 9, 30, 10);
});

afterEach(() => {
  cleanup();
  backend.uninstall();
  delete document.documentElement.dataset.theme;
  delete document.documentElement.dataset.updown;
});

describe("scrolling back into history", () => {
  it("loads older pages at the left edge, keeps the same bars in view, and stops at the oldest", async () => {
    install({ historyMinutes: 1500 }); // 1501 stored bars
    renderApp();
    await waitFor(() => expect(bars()).toBe(600));
    const first = candles().data[0]?.time ?? 0;

    chartLog.visibleRange = { from: 3, to: 90 };
    act(() => chartLog.scrollTo({ from: 3, to: 90 }));
    await waitFor(() => expect(bars()).toBe(600 + HISTORY_PAGE));
    expect(calls("get_candles_before")[0]?.args).toEqual({ symbol: "demo:ALPHA", interval: "1m", before: first * 1000, limit: HISTORY_PAGE });
    expect(candles().data[0]?.time).toBe(first - HISTORY_PAGE * 60);
    const times = candles().data.map((d) => d.time);
    expect(times.every((t, i) => i === 0 || t - (times[i - 1] ?? 0) === 60)).toBe(true);
    expect(chartLog.visibleRange).toEqual({ from: 3 + HISTORY_PAGE, to: 90 + HISTORY_PAGE });
    expect(chart().dataset.older).toBe("idle");

    act(() => chartLog.scrollTo({ from: 0, to: 90 }));
    await waitFor(() => expect(bars()).toBe(1501));
    expect(chart().dataset.older).toBe("done");
    act(() => chartLog.scrollTo({ from: 0, to: 90 }));
    expect(calls("get_candles_before")).toHaveLength(2);
  });

  it("never holds more than the cap: deep in the past the newest bars go, and come back at the right edge", async () => {
    install({ historyMinutes: BAR_CAP + 600 });
    renderApp();
    await waitFor(() => expect(bars()).toBe(600));
    for (let i = 0; i < 12 && chart().dataset.older !== "done" && bars() < BAR_CAP; i++) {
      const before = calls("get_candles_before").length;
      act(() => chartLog.scrollTo({ from: 1, to: 80 }));
      await waitFor(() => expect(calls("get_candles_before").length).toBe(before + 1));
      await waitFor(() => expect(chart().dataset.older).not.toBe("loading"));
    }
    expect(bars()).toBe(BAR_CAP);
    expect(candles().data).toHaveLength(BAR_CAP);
    const last = candles().data.at(-1)?.time ?? 0;
    expect(last).toBeLessThan(Math.floor(clock / MIN) * 60); // the live edge was dropped

    // Live bars wait while the view is in the past...
    clock += MIN;
    act(() => {
      for (let i = 0; i < 3; i++) backend.step();
    });
    expect(candles().data.at(-1)?.time).toBe(last);
    // ...and the latest bars return when the view reaches the right edge.
    const loads = calls("get_candles").length;
    act(() => chartLog.scrollTo({ from: BAR_CAP - 80, to: BAR_CAP - 1 }));
    await waitFor(() => expect(calls("get_candles").length).toBe(loads + 1));
    await waitFor(() => expect(bars()).toBe(600));
    expect(candles().data.at(-1)?.time).toBe(Math.floor(clock / MIN) * 60);
  });

  it("says so when older bars cannot be loaded", async () => {
    install({ historyMinutes: 1500 });
    renderApp();
    await waitFor(() => expect(bars()).toBe(600));
    backend.failNext("get_candles_before", { code: "storage", message: "database is locked" });
    act(() => chartLog.scrollTo({ from: 2, to: 90 }));
    expect(await screen.findByText("Could not load older bars. database is locked")).toBeInTheDocument();
    expect(chart().dataset.older).toBe("error");
    expect(bars()).toBe(600);
  });
});

describe("alert markers", () => {
  it("marks the bars where alerts fired and shows the alert under the crosshair", async () => {
    install();
    renderApp();
    await waitFor(() => expect(bars()).toBeGreaterThan(100));
    expect(calls("alert_history")[0]?.args).toEqual({ query: { symbol: "demo:ALPHA", limit: 500 } });
    const barTime = candles().data.at(-10)?.time ?? 0;
    await act(async () => {
      await backend.emitEvent({
        kind: "alert",
        alert: alert(41, barTime * 1000 + 20_000, { ruleName: "Breakout", level: "critical", message: "ALPHA crossed 130", metrics: { price: 130.25 } }),
      });
      await backend.emitEvent({ kind: "alert", alert: alert(42, barTime * 1000, { symbol: "demo:BETA" }) });
      await backend.emitEvent({ kind: "alert", alert: alert(43, barTime * 1000, { interval: "5m" }) });
    });
    await waitFor(() => expect(chart().dataset.markers).toBe("1"));
    expect(candles().markers).toEqual([expect.objectContaining({ time: barTime, color: "#ff4d5e", text: "" })]);

    act(() => chartLog.crosshair(barTime - 60));
    expect(screen.queryByTestId("chart-alert-tip")).toBeNull();
    act(() => chartLog.crosshair(barTime));
    const tip = screen.getByTestId("chart-alert-tip");
    expect(tip).toHaveTextContent("Critical");
    expect(tip).toHaveTextContent("Breakout");
    expect(tip).toHaveTextContent("ALPHA crossed 130");
    expect(tip).toHaveTextContent("price 130.25");
    act(() => chartLog.crosshair(undefined));
    expect(screen.queryByTestId("chart-alert-tip")).toBeNull();
  });
});

describe("dragging a rule's price line", () => {
  const spec: RuleSpec = {
    version: 1,
    name: "ALPHA above 200",
    target: { symbols: ["demo:ALPHA"] },
    interval: "1m",
    level: "high",
    expires_at: null,
    enabled: true,
    frequency: { mode: "once", cooldown_s: 0 },
    when: { metric: "price", op: "gt", value: 200 },
  };
  const line = () => candles().priceLines.find((l) => l.title === "ALPHA above 200");
  const host = () => {
    const el = chart().querySelector(".chart-host");
    if (!el) throw new Error("no chart host");
    return el;
  };

  async function ready() {
    install();
    await api.createRule(spec);
    renderApp();
    await waitFor(() => expect(line()?.price).toBe(200));
  }

  function drag(fromY: number, toY: number) {
    act(() => {
      fireEvent.mouseDown(host(), { clientY: fromY, button: 0 });
    });
    act(() => {
      fireEvent.mouseMove(window, { clientY: (fromY + toY) / 2 });
      fireEvent.mouseMove(window, { clientY: toY });
    });
    act(() => {
      fireEvent.mouseUp(window, { clientY: toY });
    });
  }

  it("asks, then saves the new level through the rule update", async () => {
    await ready();
    // The fake chart draws price p at y = 1000 - p: the line is at y 800.
    drag(803, 850.004);
    const bar = screen.getByTestId("line-move");
    expect(bar).toHaveAttribute("data-state", "confirm");
    expect(bar).toHaveTextContent("Move “ALPHA above 200” from 200.00 to 150.00?");
    expect(line()?.price).toBe(150);
    expect(calls("update_rule")).toHaveLength(0);

    await userEvent.click(screen.getByTestId("line-move-save"));
    await waitFor(() => expect(screen.getByTestId("line-move")).toHaveAttribute("data-state", "done"));
    const sent = calls("update_rule")[0]?.args as { id: number; spec: RuleSpec };
    expect(sent.spec).toEqual({ ...spec, when: { metric: "price", op: "gt", value: 150 } });
    expect(backend.rules()[0]?.spec.when).toEqual({ metric: "price", op: "gt", value: 150 });
    expect(screen.getByTestId("line-move")).toHaveTextContent("“ALPHA above 200” now at 150.00.");
    await waitFor(() => expect(line()?.price).toBe(150));
  });

  it("puts the line back on cancel, and ignores a press away from any line", async () => {
    await ready();
    drag(700, 760);
    expect(screen.queryByTestId("line-move")).toBeNull();
    expect(line()?.price).toBe(200);
    drag(799, 900);
    expect(line()?.price).toBe(100);
    await userEvent.click(screen.getByTestId("line-move-cancel"));
    expect(screen.queryByTestId("line-move")).toBeNull();
    expect(line()?.price).toBe(200);
    expect(calls("update_rule")).toHaveLength(0);
  });

  it("shows the engine's refusal in words and leaves the rule as it was", async () => {
    await ready();
    backend.failNext("update_rule", { code: "invalid_rule", message: "when.value: must be above 0" });
    drag(800, 820);
    await userEvent.click(screen.getByTestId("line-move-save"));
    const bar = await screen.findByRole("alert");
    expect(bar).toHaveTextContent("The rule was not changed. when.value: must be above 0");
    expect(backend.rules()[0]?.spec.when).toEqual(spec.when);
    expect(line()?.price).toBe(200);
  });
});

describe("chart colours and times", () => {
  it("follow the theme and the up/down convention as the settings change them", async () => {
    install();
    renderApp();
    await waitFor(() => expect(bars()).toBeGreaterThan(10));
    const created = chartLog.createOptions[0] as { layout: { background: { color: string } } };
    expect(created.layout.background.color).toBe("#0f141b");
    act(() => {
      document.documentElement.dataset.theme = "light";
      document.documentElement.dataset.updown = "red-up";
    });
    await waitFor(() => {
      const layouts = chartLog.applied.map((o) => (o as { layout?: { background?: { color?: string } } }).layout?.background?.color);
      expect(layouts).toContain("#ffffff");
    });
    const up = candles().options.map((o) => o.upColor).filter(Boolean);
    expect(up.at(-1)).toBe("#ef5350");
    const volume = chartLog.series.find((s) => s.kind === "Histogram");
    const colors = new Set((volume?.data ?? []).map((d) => (d as unknown as { color: string }).color));
    expect([...colors].every((c) => c === "rgba(239, 83, 80, 0.45)" || c === "rgba(38, 166, 154, 0.45)")).toBe(true);
    expect(colors.size).toBe(2);
  });

  it("labels times in the exchange's zone, with an explicit locale", () => {
    install();
    const hub = createLiveHub();
    render(
      <I18nProvider lang="zh-CN">
        <CandleChart symbol="tushare:600519.SH" hub={hub} />
      </I18nProvider>,
    );
    expect(chart()).toHaveAttribute("data-timezone", "Asia/Shanghai");
    const opts = [...chartLog.applied].reverse().find((o) => (o as { localization?: unknown }).localization !== undefined) as {
      localization: { locale: string; timeFormatter: (t: number) => string };
      timeScale: { tickMarkFormatter: (t: number, type: number) => string };
    };
    expect(opts.localization.locale).toBe("zh-CN");
    const open = Date.UTC(2024, 4, 17, 1, 30) / 1000;
    expect(opts.timeScale.tickMarkFormatter(open, 3)).toBe("09:30");
    expect(opts.localization.timeFormatter(open)).toContain("09:30");
    expect(screen.getByText("GMT+8")).toBeInTheDocument();
  });
});

describe("watchlist columns", () => {
  it("shows relative volume and a sparkline per row, all rows' closes in one call", async () => {
    install();
    renderApp();
    await waitFor(() => expect(screen.getAllByTestId("watch-row")).toHaveLength(6));
    await waitFor(() => {
      for (const s of screen.getAllByTestId("watch-spark")) expect(Number(s.getAttribute("data-points"))).toBeGreaterThan(10);
    });
    const asked = calls("get_sparklines");
    expect(asked).toHaveLength(1);
    expect(asked[0]?.args).toEqual({
      symbols: ["demo:ALPHA", "demo:BETA", "demo:GAMMA", "demo:DELTA", "demo:EPSILON", "demo:ZETA"],
      interval: "5m",
      points: 48,
    });
    const alpha = screen.getAllByTestId("watch-row").find((r) => r.dataset.symbol === "demo:ALPHA");
    if (!alpha) throw new Error("no ALPHA row");
    expect(within(alpha).getByTestId("watch-rvol").textContent).toMatch(/^\d+\.\d×$|^\d+×$/);
    expect(within(alpha).getByTestId("watch-spark").querySelector("path")?.getAttribute("d")).toMatch(/^M0\.0,[\d.]+(L[\d.]+,[\d.]+)+$/);
    expect(screen.getByText("RVol")).toBeInTheDocument();
  });
});
