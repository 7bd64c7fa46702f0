import { describe, expect, it } from "vitest";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";
import { rulePriceLines, withLevel } from "../state/rulePriceLines";
import { endDrag, hitLine, moveDrag, snapPrice, startDrag } from "./dragLines";

const spec = (when: RuleSpec["when"], name = "r", symbols = ["x:A"]): RuleSpec => ({
  version: 1,
  name,
  target: { symbols },
  interval: "1m",
  level: "high",
  expires_at: null,
  enabled: true,
  frequency: { mode: "once", cooldown_s: 0 },
  when,
});
const rec = (id: number, s: RuleSpec): RuleRecord => ({ id, spec: s, createdAt: 0 });

describe("grabbing a price line", () => {
  const lines = [
    { key: "a", y: 100 },
    { key: "b", y: 108 },
    { key: "off", y: null },
  ];
  it("takes the nearest line within the tolerance, none beyond it", () => {
    expect(hitLine(lines, 103)?.key).toBe("a");
    expect(hitLine(lines, 105)?.key).toBe("b");
    expect(hitLine(lines, 104)?.key).toBe("a"); // a tie goes to the first
    expect(hitLine(lines, 120)).toBeNull();
    expect(hitLine(lines, 93, 6)).toBeNull();
    expect(hitLine([], 0)).toBeNull();
  });

  it("follows the pointer once it moved a few pixels, snapped to the shown digits", () => {
    const toPrice = (y: number) => 1000 - y;
    let d = startDrag("a", 900, 100);
    d = moveDrag(d, 101, toPrice);
    expect(d.price).toBeNull(); // a click, not yet a drag
    d = moveDrag(d, 150.123, toPrice);
    expect(d.price).toBe(849.88);
    expect(endDrag(d)).toEqual({ key: "a", from: 900, to: 849.88 });
    // Off the scale or to nothing: the last good price stays.
    expect(moveDrag(d, 2000, toPrice).price).toBe(849.88);
    expect(moveDrag(d, 5, () => null).price).toBe(849.88);
    // Let go where it started, or never moved: nothing to save.
    expect(endDrag(startDrag("a", 900, 100))).toBeNull();
    expect(endDrag(moveDrag(startDrag("a", 900, 100), 100.2 + 5, () => 900.001))).toBeNull();
  });

  it("rounds like the chart shows prices of that size", () => {
    expect(snapPrice(123.4567)).toBe(123.46);
    expect(snapPrice(0.123456)).toBe(0.1235);
    expect(snapPrice(0.00123456)).toBe(0.001235);
    expect(snapPrice(0.99996, 0.5)).toBe(1);
  });
});

describe("the rule behind a line", () => {
  const nested = spec({
    all: [
      { metric: "volume_z", op: "gt", value: 3 },
      { any: [{ metric: "price", op: "crosses", value: 101 }, { metric: "price", op: "inside_channel", lower: 90, upper: { metric: "bb_upper" } }] },
    ],
  });

  it("names every number level with its place in the condition", () => {
    expect(rulePriceLines([rec(7, nested)], "x:A")).toEqual([
      { ruleId: 7, path: [1, 0], field: "value", price: 101, title: "r", key: "7:1.0:value" },
      { ruleId: 7, path: [1, 1], field: "lower", price: 90, title: "r", key: "7:1.1:lower" },
    ]);
  });

  it("builds the updated spec with only that level changed", () => {
    const [, lower] = rulePriceLines([rec(7, nested)], "x:A");
    if (!lower) throw new Error("no line");
    const next = withLevel(nested, lower, 92.5);
    expect(next).toEqual(
      spec({
        all: [
          { metric: "volume_z", op: "gt", value: 3 },
          { any: [{ metric: "price", op: "crosses", value: 101 }, { metric: "price", op: "inside_channel", lower: 92.5, upper: { metric: "bb_upper" } }] },
        ],
      }),
    );
    expect(nested.when).toEqual(spec({ all: [{ metric: "volume_z", op: "gt", value: 3 }, { any: [{ metric: "price", op: "crosses", value: 101 }, { metric: "price", op: "inside_channel", lower: 90, upper: { metric: "bb_upper" } }] }] }).when);
    const single = spec({ metric: "price", op: "gt", value: 10 });
    expect(withLevel(single, { path: [], field: "value" }, 11).when).toEqual({ metric: "price", op: "gt", value: 11 });
  });

  it("refuses a place that is no longer a number level, or a price that is not one", () => {
    expect(() => withLevel(nested, { path: [1, 1], field: "upper" }, 5)).toThrow("when.1.1.upper is not a number level");
    expect(() => withLevel(nested, { path: [4], field: "value" }, 5)).toThrow("when.4: the rule has no condition there");
    expect(() => withLevel(nested, { path: [0, 0], field: "value" }, 5)).toThrow("no condition there");
    expect(() => withLevel(nested, { path: [1], field: "value" }, 5)).toThrow("is not a number level");
    expect(() => withLevel(nested, { path: [1, 0], field: "value" }, -1)).toThrow("price -1");
  });
});
