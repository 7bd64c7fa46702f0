import { describe, expect, it } from "vitest";
import { dayInput, dayStart, defaultDays, formatFrac, parseField, windowOf } from "./backtest";

describe("backtest window", () => {
  it("reads local calendar days and spans whole days", () => {
    expect(dayStart("2024-05-17")).toBe(new Date(2024, 4, 17).getTime());
    expect(dayStart("2024-02-30")).toBeNull();
    expect(dayStart("17/05/2024")).toBeNull();
    expect(windowOf("2024-05-01", "2024-05-17")).toEqual({ from: new Date(2024, 4, 1).getTime(), to: new Date(2024, 4, 18).getTime() });
    expect(windowOf("2024-05-17", "2024-05-17")).toEqual({ from: new Date(2024, 4, 17).getTime(), to: new Date(2024, 4, 18).getTime() });
    expect(windowOf("2024-05-18", "2024-05-17")).toBeNull();
    expect(windowOf("", "2024-05-17")).toBeNull();
  });

  it("defaults to the 30 days ending on the day of the last stored bar", () => {
    expect(defaultDays(new Date(2024, 2, 5, 23, 59).getTime())).toEqual({ from: "2024-02-05", to: "2024-03-05" });
    expect(dayInput(new Date(2024, 0, 9, 0, 0).getTime())).toBe("2024-01-09");
  });
});

describe("backtest fields", () => {
  it("parses numbers and names the field of a bad one", () => {
    expect(parseField(" 2,5 ", "Fees", { min: 0, max: 1000 })).toEqual({ value: 2.5, problem: null });
    expect(parseField("", "Fees", { min: 0, max: 1000 }).problem).toEqual({ key: "bt.err.number", vars: { field: "Fees" } });
    expect(parseField("", "Stop", { min: 0, max: 100, optional: true })).toEqual({ value: null, problem: null });
    expect(parseField("1e", "Fees", { min: 0 }).problem?.key).toBe("bt.err.number");
    expect(parseField("0", "Capital", { min: 0, above: true }).problem).toEqual({ key: "bt.err.above", vars: { field: "Capital", min: 0 } });
    expect(parseField("0", "Fees", { min: 0, max: 1000 }).value).toBe(0);
    expect(parseField("1001", "Fees", { min: 0, max: 1000 }).problem).toEqual({ key: "bt.err.range", vars: { field: "Fees", min: 0, max: 1000 } });
  });

  it("formats fractions as percentages", () => {
    expect(formatFrac("en-US", 0.1234, true)).toBe("+12.34%");
    expect(formatFrac("en-US", -0.002, true)).toBe("-0.20%");
    expect(formatFrac("en-US", 0.5, false, 1)).toBe("50.0%");
    expect(formatFrac("en-US", null)).toBe("—");
  });
});
