import { describe, expect, it } from "vitest";
import type { Candle } from "../bindings/Candle";
import { candle } from "../test/fixtures";
import { createLiveHub } from "./liveHub";

describe("live hub", () => {
  it("delivers only the subscribed symbol's 1m candles, and stops after unsubscribe", () => {
    const hub = createLiveHub();
    const got: Candle[][] = [];
    const off = hub.subscribe("demo:ALPHA", (c) => got.push(c));
    hub.publish([
      candle(60_000, 10),
      candle(60_000, 20, { symbol: "demo:BETA" }),
      candle(300_000, 30, { interval: "5m" }),
    ]);
    expect(got).toHaveLength(1);
    expect(got[0]?.map((c) => c.close)).toEqual([10]);
    off();
    hub.publish([candle(120_000, 11)]);
    expect(got).toHaveLength(1);
  });
});
