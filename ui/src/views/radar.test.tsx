// The market radar on the Dashboard, against the mocked backend: what `get_radar` answers is
// what the lists show, in the backend's order; the movers window switches; open interest
// ranks by the size of its change or says in words why it is empty; the radar refreshes on
// its interval and a failure is shown in words without losing the last answer.
import { act, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import type { Radar } from "../bindings/Radar";
import type { RadarOiChange } from "../bindings/RadarOiChange";
import { I18nProvider } from "../i18n/I18nProvider";
import { STORAGE_KEY } from "../i18n/lang";
import { installMockBackend, type MockBackend, type MockOptions } from "../mock/backend";
import { Dashboard } from "./Dashboard";
import { RADAR_REFRESH_MS, RADAR_ROWS } from "./RadarPanel";

let backend: MockBackend;
const clock = Date.UTC(2024, 4, 17, 9, 30, 10);
const onOpen = vi.fn();

function start(extra: MockOptions = {}) {
  backend = installMockBackend({ seed: 5, now: () => clock, historyMinutes: 1500, ...extra });
  return render(
    <I18nProvider>
      <Dashboard rows={[]} status={null} alerts={[]} onOpen={onOpen} />
    </I18nProvider>,
  );
}
const radarCalls = () => backend.calls.filter((c) => c.cmd === "get_radar");
/** Lets the mocked invoke promises settle. */
const settle = () => act(() => vi.advanceTimersByTimeAsync(0));
const symbolsIn = (testId: string, rowId: string) =>
  within(screen.getByTestId(testId))
    .queryAllByTestId(rowId)
    .map((r) => r.dataset.symbol);

beforeEach(() => {
  vi.useFakeTimers();
  onOpen.mockReset();
  localStorage.clear();
  vi.spyOn(navigator, "language", "get").mockReturnValue("C");
});
afterEach(() => {
  vi.useRealTimers();
  backend.uninstall();
});

const oi = (symbol: string, openInterest: number, changePct: number): RadarOiChange => ({
  symbol,
  name: symbol,
  simulated: false,
  openInterest,
  changePct,
  price: 1,
  at: clock,
});

describe("market radar", () => {
  it("shows the backend's anomalies with reasons, movers by window and relative volume", async () => {
    start();
    await settle();
    expect(radarCalls()[0]?.args).toEqual({ limit: RADAR_ROWS, minScore: 0 });
    const want: Radar = await api.getRadar(RADAR_ROWS, 0);

    expect(want.anomalies.length).toBeGreaterThan(0);
    expect(symbolsIn("radar-anomalies", "radar-anomaly")).toEqual(want.anomalies.map((a) => a.symbol));
    const reasons = within(screen.getByTestId("radar-anomalies")).getAllByTestId("radar-reasons");
    want.anomalies.forEach((a, i) => {
      expect(reasons[i]).toHaveTextContent(a.flagged ? a.reasons.join("; ") : "below the alert thresholds");
    });
    expect(screen.getAllByTestId("radar-anomaly")[0]).toHaveTextContent(`score ${want.anomalies[0]?.score.toFixed(1) ?? ""}`);

    // 1 h by default; each window shows its own ranking.
    expect(screen.getByTestId("radar-movers")).toHaveAttribute("data-window", "1h");
    expect(symbolsIn("radar-movers", "radar-mover")).toEqual(want.movers1h.map((m) => m.symbol));
    act(() => {
      screen.getByTestId("radar-window-5m").click();
    });
    expect(screen.getByTestId("radar-movers")).toHaveAttribute("data-window", "5m");
    expect(symbolsIn("radar-movers", "radar-mover")).toEqual(want.movers5m.map((m) => m.symbol));
    act(() => {
      screen.getByTestId("radar-window-24h").click();
    });
    expect(symbolsIn("radar-movers", "radar-mover")).toEqual(want.movers24h.map((m) => m.symbol));

    expect(symbolsIn("radar-rvol", "radar-rvol-row")).toEqual(want.relativeVolume.map((m) => m.symbol));
    expect(screen.getAllByTestId("radar-rvol-row")[0]).toHaveTextContent(`${want.relativeVolume[0]?.value.toFixed(1) ?? ""}× usual`);

    // The demo market has no futures: the open-interest list says so in words.
    expect(screen.getByTestId("radar-oi")).toHaveTextContent("No open interest on these sources: it comes from Binance futures");
    expect(screen.queryAllByTestId("radar-oi-row")).toHaveLength(0);

    act(() => {
      screen.getAllByTestId("radar-mover")[0]?.click();
    });
    expect(onOpen).toHaveBeenCalledWith(want.movers24h[0]?.symbol);
  });

  it("ranks open-interest changes by size either way, in Chinese too", async () => {
    localStorage.setItem(STORAGE_KEY, "zh-CN");
    start({
      openInterest: [
        oi("binance-usdm:SOLUSDT", 2_100, 5),
        oi("binance-usdm:ETHUSDT", 600_000, -40),
        oi("binance-usdm:BTCUSDT", 100_000, 25),
      ],
    });
    await settle();
    expect(symbolsIn("radar-oi", "radar-oi-row")).toEqual([
      "binance-usdm:ETHUSDT",
      "binance-usdm:BTCUSDT",
      "binance-usdm:SOLUSDT",
    ]);
    const [eth] = screen.getAllByTestId("radar-oi-row");
    expect(eth).toHaveTextContent("ETHUSDT");
    expect(eth).toHaveTextContent("持仓 60万");
    expect(within(eth as HTMLElement).getByText("-40.00%")).toHaveClass("down");
    expect(screen.getByText("持仓量变化（24小时）")).toBeInTheDocument();
    expect(screen.getByText("异动榜")).toBeInTheDocument();
  });

  it("refreshes on its interval and shows a failure in words, keeping the last lists", async () => {
    start();
    await settle();
    expect(radarCalls()).toHaveLength(1);
    const before = symbolsIn("radar-movers", "radar-mover");
    expect(before.length).toBeGreaterThan(0);

    backend.failNext("get_radar", { code: "internal", message: "radar lock poisoned" });
    await act(() => vi.advanceTimersByTimeAsync(RADAR_REFRESH_MS));
    expect(radarCalls()).toHaveLength(2);
    expect(screen.getByTestId("radar-error")).toHaveTextContent("radar lock poisoned");
    expect(symbolsIn("radar-movers", "radar-mover")).toEqual(before);

    // The market moves; the next refresh shows the new ranking and clears the error.
    act(() => {
      for (let i = 0; i < 30; i++) backend.step();
    });
    await act(() => vi.advanceTimersByTimeAsync(RADAR_REFRESH_MS));
    expect(radarCalls()).toHaveLength(3);
    expect(screen.queryByTestId("radar-error")).toBeNull();
    const want = await api.getRadar(RADAR_ROWS, 0);
    expect(symbolsIn("radar-movers", "radar-mover")).toEqual(want.movers1h.map((m) => m.symbol));
  });
});
