import { describe, expect, it } from "vitest";
import { row } from "../test/fixtures";
import { anySimulated, applyLoadedWatchlist, applyRowUpdates, emptyWatchState, symbolCode } from "./watchlist";

const loaded = applyLoadedWatchlist(emptyWatchState, [row("demo:ALPHA", 10), row("demo:BETA", 20), row("demo:GAMMA", 30)]);

describe("live batches merged into the watchlist", () => {
  it("update the changed rows in place and keep the watchlist order", () => {
    const next = applyRowUpdates(loaded, [row("demo:GAMMA", 31, 2000), row("demo:ALPHA", 9, 2000)]);
    expect(next.rows.map((r) => [r.symbol, r.price])).toEqual([
      ["demo:ALPHA", 9],
      ["demo:BETA", 20],
      ["demo:GAMMA", 31],
    ]);
  });

  it("record which way each price ticked", () => {
    const next = applyRowUpdates(loaded, [row("demo:GAMMA", 31, 2000), row("demo:ALPHA", 9, 2000)]);
    expect(next.ticks).toEqual({ "demo:GAMMA": "up", "demo:ALPHA": "down" });
    expect(next.tickSeq["demo:ALPHA"]).toBe(1);
    const again = applyRowUpdates(next, [row("demo:ALPHA", 9.5, 3000)]);
    expect(again.ticks["demo:ALPHA"]).toBe("up");
    expect(again.tickSeq["demo:ALPHA"]).toBe(2);
  });

  it("append a symbol the list did not have", () => {
    const next = applyRowUpdates(loaded, [row("demo:DELTA", 1)]);
    expect(next.rows.map((r) => r.symbol)).toEqual(["demo:ALPHA", "demo:BETA", "demo:GAMMA", "demo:DELTA"]);
  });

  it("ignore an update older than the row shown", () => {
    const newer = applyRowUpdates(loaded, [row("demo:ALPHA", 11, 5000)]);
    const stale = applyRowUpdates(newer, [row("demo:ALPHA", 8, 4000)]);
    expect(stale.rows[0]?.price).toBe(11);
  });

  it("keep newer live data when the snapshot arrives late", () => {
    const live = applyRowUpdates(emptyWatchState, [row("demo:BETA", 21, 9000)]);
    const next = applyLoadedWatchlist(live, [row("demo:ALPHA", 10, 1000), row("demo:BETA", 20, 1000)]);
    expect(next.loaded).toBe(true);
    expect(next.rows.map((r) => [r.symbol, r.price])).toEqual([
      ["demo:ALPHA", 10],
      ["demo:BETA", 21],
    ]);
  });
});

describe("helpers", () => {
  it("see simulated rows and strip the source from codes", () => {
    expect(anySimulated(loaded.rows)).toBe(true);
    expect(anySimulated([row("binance-usdm:BTCUSDT", 1)])).toBe(false);
    expect(symbolCode("demo:ALPHA")).toBe("ALPHA");
    expect(symbolCode("tushare:000001.SZ")).toBe("000001.SZ");
    expect(symbolCode("PLAIN")).toBe("PLAIN");
  });
});
