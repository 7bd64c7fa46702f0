import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Sparkline } from "../bindings/Sparkline";
import { createSparkCache, formatRvol, sparkPath, withLivePrice } from "./sparklines";

describe("sparkline cache", () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 1_000;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const loader = () => {
    const asked: string[][] = [];
    let fail = false;
    const load = vi.fn((symbols: string[]): Promise<Sparkline[]> => {
      asked.push(symbols);
      if (fail) return Promise.reject(new Error("down"));
      return Promise.resolve(symbols.filter((s) => s !== "x:NONE").map((s) => ({ symbol: s, interval: "5m" as const, closes: [1, 2, s.length] })));
    });
    return { asked, load, failNext: () => (fail = true) };
  };

  it("asks once for many rows, coalescing requests made close together", async () => {
    const { asked, load } = loader();
    const cache = createSparkCache(load, { now: () => now, delayMs: 50 });
    const seen = vi.fn();
    cache.subscribe(seen);
    cache.request(["x:A", "x:B"]);
    cache.request(["x:B", "x:C", "x:NONE"]);
    expect(load).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(50);
    expect(asked).toEqual([["x:A", "x:B", "x:C", "x:NONE"]]);
    expect(cache.get("x:A")?.closes).toEqual([1, 2, 3]);
    expect(cache.get("x:NONE")?.closes).toEqual([]); // no bars: remembered, not asked again
    expect(seen).toHaveBeenCalledTimes(1);
    expect(cache.version()).toBe(1);

    // Fresh entries and ones on their way are not asked again; stale ones are.
    cache.request(["x:A", "x:NONE"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(asked).toHaveLength(1);
    now += 60_000;
    cache.request(["x:A"]);
    cache.request(["x:A"]);
    await vi.advanceTimersByTimeAsync(50);
    expect(asked).toEqual([["x:A", "x:B", "x:C", "x:NONE"], ["x:A"]]);
  });

  it("splits a long list into calls of `batch` symbols and forgets the oldest over `keep`", async () => {
    const { asked, load } = loader();
    const cache = createSparkCache(load, { now: () => now, delayMs: 0, batch: 2, keep: 3 });
    cache.request(["x:A", "x:B", "x:C", "x:D", "x:E"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual([["x:A", "x:B"], ["x:C", "x:D"], ["x:E"]]);
    expect(cache.get("x:A")).toBeUndefined();
    expect(cache.get("x:B")).toBeUndefined();
    expect(cache.get("x:E")?.closes).toEqual([1, 2, 3]);
  });

  it("leaves a failed call's rows empty until the entries are stale", async () => {
    const { asked, load, failNext } = loader();
    failNext();
    const cache = createSparkCache(load, { now: () => now, delayMs: 0 });
    cache.request(["x:A"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(cache.get("x:A")?.closes).toEqual([]);
    cache.request(["x:A"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toHaveLength(1);
    cache.dispose();
  });
});

describe("sparkline drawing", () => {
  it("scales the closes into the box, highest at the top", () => {
    expect(sparkPath([1, 3, 2], 40, 12, 1)).toBe("M0.0,11.0L20.0,1.0L40.0,6.0");
    expect(sparkPath([5, 5], 10, 10)).toBe("M0.0,5.0L10.0,5.0");
    expect(sparkPath([5], 10, 10)).toBeNull();
    expect(sparkPath([Number.NaN, 1], 10, 10)).toBeNull();
  });

  it("ends at the live price", () => {
    expect(withLivePrice([1, 2, 3], 3.5)).toEqual([1, 2, 3.5]);
    expect(withLivePrice([1, 2], null)).toEqual([1, 2]);
    expect(withLivePrice([], 4)).toEqual([]);
  });

  it("shows relative volume as a multiple", () => {
    expect(formatRvol("en-US", 2.345)).toBe("2.3×");
    expect(formatRvol("en-US", 12.6)).toBe("13×");
    expect(formatRvol("en-US", 0)).toBe("0.0×");
    expect(formatRvol("zh-CN", null)).toBe("—");
    expect(formatRvol("en-US", Number.NaN)).toBe("—");
  });
});
