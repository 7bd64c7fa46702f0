import { describe, expect, it } from "vitest";
import { candle } from "../test/fixtures";
import { applyBar, applyCandles, candleToBar, candlesToBars, volumePoint, type Bar } from "./bars";

const M = 60_000;
const bar = (minute: number, close: number): Bar => candleToBar(candle(minute * M, close));

describe("candles to bars", () => {
  it("use UTC seconds of the open time", () => {
    expect(candleToBar(candle(1_700_000_040_000, 5)).time).toBe(1_700_000_040);
  });

  it("sort, drop duplicate times (the later candle wins) and keep the newest within the cap", () => {
    const bars = candlesToBars([candle(3 * M, 3), candle(1 * M, 1), candle(2 * M, 2), candle(2 * M, 22), candle(0, 0)], 3);
    expect(bars.map((b) => [b.time / 60, b.close])).toEqual([
      [1, 1],
      [2, 22],
      [3, 3],
    ]);
  });

  it("skip candles with non-finite numbers", () => {
    expect(candlesToBars([candle(M, Number.NaN), candle(2 * M, 2)])).toHaveLength(1);
  });
});

describe("live merging", () => {
  const base = [bar(1, 1), bar(2, 2), bar(3, 3)];

  it("updates the forming bar in place", () => {
    const r = applyBar(base, bar(3, 3.5));
    expect(r.op).toBe("update");
    expect(r.bars).toHaveLength(3);
    expect(r.bars[2]?.close).toBe(3.5);
    expect(base[2]?.close).toBe(3); // input untouched
  });

  it("appends a new minute", () => {
    const r = applyBar(base, bar(4, 4));
    expect(r.op).toBe("append");
    expect(r.bars.map((b) => b.close)).toEqual([1, 2, 3, 4]);
  });

  it("trims to the cap and asks for a full redraw", () => {
    const r = applyBar(base, bar(4, 4), 3);
    expect(r.op).toBe("reset");
    expect(r.bars.map((b) => b.close)).toEqual([2, 3, 4]);
  });

  it("applies a late final update of an earlier bar with a redraw, never series.update", () => {
    const r = applyBar(base, bar(2, 2.2));
    expect(r.op).toBe("reset");
    expect(r.bars.map((b) => b.close)).toEqual([1, 2.2, 3]);
    const gap = applyBar([bar(1, 1), bar(3, 3)], bar(2, 2));
    expect(gap.bars.map((b) => b.time / 60)).toEqual([1, 2, 3]);
  });

  it("merges a batch in time order whatever order it came in", () => {
    const r = applyCandles(base, [candle(4 * M, 4), candle(3 * M, 3.9)]);
    expect(r.reset).toBe(false);
    expect(r.updates.map((b) => [b.time / 60, b.close])).toEqual([
      [3, 3.9],
      [4, 4],
    ]);
    expect(r.bars.map((b) => b.close)).toEqual([1, 2, 3.9, 4]);
  });

  it("stays within the cap over a long live session", () => {
    let bars: Bar[] = [];
    for (let m = 0; m < 2500; m++) bars = applyCandles(bars, [candle(m * M, m)], 2000).bars;
    expect(bars).toHaveLength(2000);
    expect(bars[0]?.close).toBe(500);
    expect(bars[1999]?.close).toBe(2499);
  });
});

describe("volume", () => {
  it("colours volume by the bar's direction", () => {
    const palette = { up: "u", down: "d", volumeUp: "vu", volumeDown: "vd" };
    expect(volumePoint({ ...bar(1, 5), open: 4 }, palette).color).toBe("vu");
    expect(volumePoint({ ...bar(1, 5), open: 6 }, palette).color).toBe("vd");
  });
});
