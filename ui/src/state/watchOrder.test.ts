import { describe, expect, it } from "vitest";
import type { WatchRow } from "../bindings/WatchRow";
import { moveSymbol, rowsFor, sortRows, visibleWindow } from "./watchOrder";
import { rulePriceLines } from "./rulePriceLines";
import { indicatorNames, rollInto } from "../chart/indicators";
import { startOfLocalDay, topMovers } from "../views/dashboardModel";
import { hhmmToMin, minToHhmm } from "../views/settingsModel";
import { statusOf } from "../views/alertsModel";

const row = (symbol: string, changePct: number | null, volume: number | null = null): WatchRow => ({
  symbol,
  name: symbol,
  simulated: false,
  price: 1,
  changePct,
  volume,
  relVolume: null,
  updatedAt: 1,
});

describe("watchlist order", () => {
  it("keeps the list's order and fills symbols without data with empty rows", () => {
    const rows = rowsFor(["b:B", "demo:A"], new Map([["b:B", row("b:B", 1)]]));
    expect(rows.map((r) => r.symbol)).toEqual(["b:B", "demo:A"]);
    expect(rows[1]).toMatchObject({ name: "A", simulated: true, price: null });
  });
  it("sorts by change and volume with missing values last", () => {
    const rows = [row("x:A", 1, 5), row("x:B", null, 9), row("x:C", 3, null)];
    expect(sortRows(rows, "change").map((r) => r.symbol)).toEqual(["x:C", "x:A", "x:B"]);
    expect(sortRows(rows, "volume").map((r) => r.symbol)).toEqual(["x:B", "x:A", "x:C"]);
    expect(sortRows(rows, "manual")).toEqual(rows);
  });
  it("moves a dragged symbol to the drop target's place", () => {
    expect(moveSymbol(["a", "b", "c", "d"], "d", "b")).toEqual(["a", "d", "b", "c"]);
    expect(moveSymbol(["a", "b", "c"], "a", "c")).toEqual(["b", "c", "a"]);
    expect(moveSymbol(["a", "b"], "zz", "a")).toEqual(["a", "b"]);
  });
  it("renders only the rows in view plus overscan", () => {
    expect(visibleWindow(500, 44, 0, 440, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleWindow(500, 44, 4400, 440, 5)).toEqual({ start: 95, end: 115 });
    expect(visibleWindow(500, 44, 1e9, 440, 5).end).toBe(500);
    expect(visibleWindow(0, 44, 0, 440)).toEqual({ start: 0, end: 0 });
  });
});

describe("chart helpers", () => {
  it("puts oscillators in their own panes, numbered after the volume pane", () => {
    const lines = indicatorNames(["macd", "ma"]);
    expect(lines.map((l) => [l.metric, l.pane])).toEqual([
      ["sma(20)", 0],
      ["macd", 2],
      ["macd_signal", 2],
    ]);
    expect(indicatorNames(["rsi", "anomaly"]).map((l) => l.pane)).toEqual([2, 3]);
  });
  it("folds live 1m candles into the open 5m bar", () => {
    const bars = [{ time: 600, open: 10, high: 11, low: 9, close: 10.5, volume: 100 }];
    const c = (openTime: number, high: number, low: number, close: number) => ({
      symbol: "demo:A", interval: "1m" as const, openTime, open: close, high, low, close, volume: 3, quoteVolume: 0, trades: 0, closed: false,
    });
    const out = rollInto(bars, [c(660_000, 12, 9.5, 11.5), c(900_000, 11, 10, 10.8)], "5m");
    expect(out[0]).toMatchObject({ openTime: 600_000, open: 10, high: 12, low: 9, close: 11.5, volume: 100 });
    expect(out[1]).toMatchObject({ openTime: 900_000, open: 10.8, volume: 3 });
  });
  it("draws the price levels of enabled rules on this symbol", () => {
    const spec = (name: string, enabled: boolean, symbols: string[]) => ({
      id: 1,
      createdAt: 0,
      spec: {
        version: 1, name, target: { symbols }, interval: "1m" as const, level: "high" as const, expires_at: null, enabled,
        frequency: { mode: "once" as const, cooldown_s: 0 },
        when: { all: [{ metric: "price", op: "gt" as const, value: 101 }, { metric: "volume_z", op: "gt" as const, value: 3 }] },
      },
    });
    expect(rulePriceLines([spec("a", true, ["x:A"]), spec("b", false, ["x:A"]), spec("c", true, ["x:B"])], "x:A")).toEqual([
      { price: 101, title: "a", ruleId: 1, path: [0], field: "value", key: "1:0:value" },
    ]);
  });
});

describe("dashboard, settings and alerts helpers", () => {
  it("picks gainers and losers", () => {
    const { gainers, losers } = topMovers([row("a", 2), row("b", -5), row("c", null), row("d", 7), row("e", -1)], 2);
    expect(gainers.map((r) => r.symbol)).toEqual(["d", "a"]);
    expect(losers.map((r) => r.symbol)).toEqual(["b", "e"]);
  });
  it("finds local midnight", () => {
    const d = new Date(startOfLocalDay(Date.UTC(2026, 0, 5, 13, 7)));
    expect([d.getHours(), d.getMinutes()]).toEqual([0, 0]);
  });
  it("converts quiet-hour times both ways and refuses nonsense", () => {
    expect(minToHhmm(22 * 60 + 5)).toBe("22:05");
    expect(hhmmToMin("07:30")).toBe(450);
    expect(hhmmToMin("25:00")).toBe(0);
    expect(hhmmToMin("abc")).toBe(0);
  });
  it("says resolved over acknowledged over new", () => {
    expect(statusOf({ acknowledgedAt: 1, resolvedAt: 2 })).toBe("resolved");
    expect(statusOf({ acknowledgedAt: 1, resolvedAt: null })).toBe("acknowledged");
    expect(statusOf({ acknowledgedAt: null, resolvedAt: null })).toBe("new");
  });
});
