import { describe, expect, it } from "vitest";
import { candle } from "../test/fixtures";
import type { Bar } from "./bars";
import { nearLeftEdge, nearRightEdge, pageBefore, prependBars, shiftRange } from "./history";

const MIN = 60_000;
const bar = (minute: number, close = 100): Bar => ({ time: minute * 60, open: close, high: close, low: close, close, volume: 1 });

describe("scrolling back into history", () => {
  it("puts an older page in front, oldest first, and says how many came", () => {
    const held = [bar(10), bar(11), bar(12)];
    // The page arrives out of order, with a bar the chart already holds (the held one wins).
    const page = [candle(8 * MIN, 8), candle(7 * MIN, 7), candle(10 * MIN, 999), candle(9 * MIN, 9)];
    const r = prependBars(held, page, 100);
    expect(r.bars.map((b) => b.time / 60)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(r.bars[3]?.close).toBe(100);
    expect(r.added).toBe(3);
    expect(r.droppedNewest).toBe(0);
    expect(held).toHaveLength(3); // not mutated
  });

  it("drops the newest bars, never the page, when the cap is reached", () => {
    const held = [bar(10), bar(11), bar(12), bar(13)];
    const r = prependBars(held, [candle(8 * MIN, 8), candle(9 * MIN, 9)], 5);
    expect(r.bars.map((b) => b.time / 60)).toEqual([8, 9, 10, 11, 12]);
    expect(r.added).toBe(2);
    expect(r.droppedNewest).toBe(1);
    expect(r.bars.length).toBeLessThanOrEqual(5);
  });

  it("skips candles that are not numbers and an empty page adds nothing", () => {
    const held = [bar(10)];
    expect(prependBars(held, [candle(9 * MIN, Number.NaN)], 10).added).toBe(0);
    expect(prependBars(held, [], 10)).toEqual({ bars: held, added: 0, droppedNewest: 0 });
    expect(prependBars([], [candle(9 * MIN, 9)], 10).bars.map((b) => b.time)).toEqual([540]);
  });

  it("asks for the next page near the left edge and follows live bars again at the right", () => {
    expect(nearLeftEdge({ from: 5, to: 80 })).toBe(true);
    expect(nearLeftEdge({ from: -3, to: 80 })).toBe(true);
    expect(nearLeftEdge({ from: 40, to: 120 })).toBe(false);
    expect(nearLeftEdge(null)).toBe(false);
    expect(nearRightEdge({ from: 900, to: 995 }, 1000)).toBe(true);
    expect(nearRightEdge({ from: 100, to: 200 }, 1000)).toBe(false);
    expect(shiftRange({ from: 2.5, to: 80 }, 500)).toEqual({ from: 502.5, to: 580 });
    expect(pageBefore([bar(10), bar(11)])).toBe(10 * MIN);
    expect(pageBefore([])).toBeNull();
  });
});
