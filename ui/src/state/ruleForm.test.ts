import { describe, expect, it } from "vitest";
import { buildRuleSpec, defaultRuleForm, parseNumber, validateRuleForm, type RuleFormValues } from "./ruleForm";

const symbols = ["demo:ALPHA", "demo:BETA"];
const valid: RuleFormValues = {
  ...defaultRuleForm,
  name: "e2e price rule",
  symbol: "demo:ALPHA",
  metric: "price",
  op: "gt",
  value: "0",
  level: "high",
};

describe("rule form validation", () => {
  it("accepts a complete form", () => {
    expect(validateRuleForm(valid, symbols)).toEqual([]);
  });

  it("requires a name (blank is not a name)", () => {
    expect(validateRuleForm({ ...valid, name: "   " }, symbols).map((e) => e.key)).toEqual(["form.err.nameRequired"]);
  });

  it("refuses an over-long name", () => {
    expect(validateRuleForm({ ...valid, name: "x".repeat(81) }, symbols).map((e) => e.field)).toEqual(["name"]);
  });

  it("requires a value that is a finite number", () => {
    expect(validateRuleForm({ ...valid, value: "" }, symbols).map((e) => e.key)).toEqual(["form.err.valueRequired"]);
    for (const bad of ["abc", "1.2.3", "Infinity", "NaN", "1e999", "--1", "0x10"]) {
      expect(validateRuleForm({ ...valid, value: bad }, symbols).map((e) => e.key), bad).toEqual([
        "form.err.valueNotNumber",
      ]);
    }
  });

  it("requires a symbol from the watchlist", () => {
    expect(validateRuleForm({ ...valid, symbol: "" }, symbols).map((e) => e.field)).toEqual(["symbol"]);
    expect(validateRuleForm({ ...valid, symbol: "demo:NOPE" }, symbols).map((e) => e.field)).toEqual(["symbol"]);
  });

  it("reports every problem at once", () => {
    expect(validateRuleForm({ ...valid, name: "", value: "x", symbol: "" }, symbols).map((e) => e.field)).toEqual([
      "name",
      "symbol",
      "value",
    ]);
  });
});

describe("numbers as typed", () => {
  it.each([
    ["0", 0],
    ["-2.5", -2.5],
    [" 7 ", 7],
    ["+3", 3],
    [".5", 0.5],
    ["1e3", 1000],
    ["2,5", 2.5],
  ])("%j → %d", (text, want) => {
    expect(parseNumber(text)).toBe(want);
  });
});

describe("the RuleSpec the form sends", () => {
  it("matches the contract exactly", () => {
    expect(buildRuleSpec({ ...valid, name: "  e2e price rule ", value: "0" })).toEqual({
      version: 1,
      name: "e2e price rule",
      target: { symbols: ["demo:ALPHA"] },
      interval: "1m",
      when: { metric: "price", op: "gt", value: 0 },
      level: "high",
      frequency: { mode: "once_per_bar", cooldown_s: 60 },
      expires_at: null,
      enabled: true,
    });
  });

  it("carries the chosen metric, operator, number and level", () => {
    const spec = buildRuleSpec({ ...valid, metric: "volume_z", op: "crosses_up", value: "-1.5", level: "critical" });
    expect(spec.when).toEqual({ metric: "volume_z", op: "crosses_up", value: -1.5 });
    expect(spec.level).toBe("critical");
  });

  it("refuses to build from a value that is not a number", () => {
    expect(() => buildRuleSpec({ ...valid, value: "abc" })).toThrow();
  });
});
