import { describe, expect, it } from "vitest";
import type { RuleSpec } from "../bindings/RuleSpec";
import {
  addChild,
  anchorFor,
  buildSpec,
  defaultForm,
  fieldAnchors,
  formFromSpec,
  METRIC_GROUPS,
  PERIOD_METRICS,
  SCALAR_METRICS,
  newComparison,
  newGroup,
  parseMetric,
  parseNumber,
  parseServerPath,
  removeNode,
  setGroupKind,
  updateCmp,
  validateForm,
  type CmpNode,
  type RuleFormState,
} from "./ruleForm";

// The engine's metric vocabulary, read from its source so the picker cannot drift from it.
const nodeFs = (globalThis as unknown as { process: { getBuiltinModule: (m: string) => unknown } }).process.getBuiltinModule("node:fs") as {
  readFileSync: (p: string, enc: "utf8") => string;
};
const metricRs = nodeFs.readFileSync(`${(import.meta as ImportMeta & { dirname: string }).dirname}/../../../src-tauri/crates/analytics/src/metric.rs`, "utf8");

const valid: RuleFormState = defaultForm({ name: "e2e price rule", symbol: "demo:ALPHA", metric: "price", op: "gt", value: "0", level: "high" });
const paths = (f: RuleFormState, now?: number) => validateForm(f, { now }).map((e) => e.path);
const keys = (f: RuleFormState) => validateForm(f).map((e) => e.key);
const firstCmp = (f: RuleFormState) => f.when.children[0] as CmpNode;
const withCmp = (f: RuleFormState, patch: Partial<CmpNode>): RuleFormState => ({ ...f, when: updateCmp(f.when, firstCmp(f).id, patch) });

describe("rule form validation", () => {
  it("accepts a complete form", () => {
    expect(validateForm(valid)).toEqual([]);
  });

  it("requires a name (blank is not a name), at most 120 characters like the engine", () => {
    expect(keys({ ...valid, name: "   " })).toEqual(["form.err.nameRequired"]);
    expect(paths({ ...valid, name: "x".repeat(121) })).toEqual(["name"]);
    expect(paths({ ...valid, name: "字".repeat(120) })).toEqual([]);
  });

  it("requires a value that is a finite number", () => {
    expect(keys(withCmp(valid, { value: { ...firstCmp(valid).value, number: "" } }))).toEqual(["form.err.valueRequired"]);
    for (const bad of ["abc", "1.2.3", "Infinity", "NaN", "1e999", "--1", "0x10"]) {
      expect(keys(withCmp(valid, { value: { ...firstCmp(valid).value, number: bad } })), bad).toEqual(["form.err.valueNotNumber"]);
    }
  });

  it("requires each symbol in the engine's source:CODE shape, once", () => {
    expect(paths({ ...valid, symbols: [""] })).toEqual(["target.symbols[0]"]);
    expect(paths({ ...valid, symbols: ["demo:ALPHA", "ALPHA"] })).toEqual(["target.symbols[1]"]);
    expect(paths({ ...valid, symbols: ["demo:ALPHA", "Demo:X"] })).toEqual(["target.symbols[1]"]);
    expect(paths({ ...valid, symbols: ["demo:ALPHA", "demo:ALPHA"] })).toEqual(["target.symbols[1]"]);
    expect(paths({ ...valid, symbols: ["demo:ALPHA", "binance-usdm:BTCUSDT"] })).toEqual([]);
  });

  it("needs at least one target, and checks watchlist and source names", () => {
    expect(paths({ ...valid, useSymbols: false })).toEqual(["target"]);
    expect(paths({ ...valid, useSymbols: false, useWatchlist: true, watchlist: " " })).toEqual(["target.watchlist"]);
    expect(paths({ ...valid, useSymbols: false, useSource: true, source: "Demo" })).toEqual(["target.source"]);
    expect(paths({ ...valid, useSymbols: false, useSource: true, source: "demo" })).toEqual([]);
  });

  it("reports every problem at once, at the engine's paths", () => {
    const f = withCmp({ ...valid, name: "", symbols: [""], cooldown: "-1" }, { value: { ...firstCmp(valid).value, number: "x" } });
    expect(paths(f)).toEqual(["name", "target.symbols[0]", "when.value", "frequency.cooldown_s"]);
  });

  it("checks cooldown, pending period and message limits", () => {
    expect(paths({ ...valid, cooldown: "2592001" })).toEqual(["frequency.cooldown_s"]);
    expect(paths({ ...valid, cooldown: "1.5" })).toEqual(["frequency.cooldown_s"]);
    expect(paths({ ...valid, holdBars: "501" })).toEqual(["frequency.hold_bars"]);
    expect(paths({ ...valid, holdBars: "3" })).toEqual([]);
    expect(paths({ ...valid, message: "m".repeat(501) })).toEqual(["message"]);
  });

  it("refuses a pending period with an edge operator anywhere in the tree", () => {
    const f: RuleFormState = { ...valid, holdBars: "2", when: newGroup("any", [newComparison({ value: "1" }), newGroup("all", [newComparison({ op: "crosses_up", value: "2" })])]) };
    expect(keys(f)).toEqual(["re.err.holdEdge"]);
    expect(paths({ ...f, holdBars: "1" })).toEqual([]);
  });

  it("checks webhook names", () => {
    expect(paths({ ...valid, webhooks: ["team-slack", "Team Slack"] })).toEqual(["channels.webhooks[1]"]);
  });
});

describe("metrics", () => {
  it("are exactly the engine's (metric.rs), each once in the picker", () => {
    const engine = [...metricRs.matchAll(/MetricKey::\w+ => "([a-z0-9_]+)"/g)].map((m) => m[1]);
    expect(engine.length).toBeGreaterThan(30);
    expect([...SCALAR_METRICS].sort()).toEqual([...new Set(engine)].sort());
    const picked = METRIC_GROUPS.flatMap((g) => g.metrics);
    expect([...picked].sort()).toEqual([...SCALAR_METRICS, ...PERIOD_METRICS].sort());
  });

  it("parse as the engine does", () => {
    expect(parseMetric("sma(50)")).toEqual({ name: "sma", period: 50 });
    expect(parseMetric(" ema( 12 ) ")).toEqual({ name: "ema", period: 12 });
    expect(parseMetric("anomaly_score")).toEqual({ name: "anomaly_score" });
    for (const bad of ["sma(0)", "sma(1001)", "sma(x)", "volme_z", "rsi(14)", "", "SMA(5)"]) expect(parseMetric(bad), bad).toBeNull();
  });

  it("an unknown metric or a bad period is an error at the metric's path", () => {
    const f = withCmp(valid, { metric: { pick: "custom", period: "", custom: "volme_z" } });
    expect(validateForm(f)).toEqual([{ path: "when.metric", key: "re.err.metricUnknown", vars: { name: "volme_z" } }]);
    expect(paths(withCmp(valid, { metric: { pick: "sma", period: "0", custom: "" } }))).toEqual(["when.metric"]);
    const ok = withCmp(valid, { metric: { pick: "custom", period: "", custom: "ema(9)" }, value: { kind: "metric", number: "", metric: { pick: "sma", period: "50", custom: "" } } });
    expect(buildSpec(ok).when).toEqual({ metric: "ema(9)", op: "gt", value: { metric: "sma(50)" } });
  });
});

describe("channel operators", () => {
  const channel = (lower: string, upper: string) =>
    withCmp(valid, { op: "inside_channel", lower: { ...firstCmp(valid).lower, number: lower }, upper: { ...firstCmp(valid).upper, number: upper } });

  it("need both bounds, lower not above upper", () => {
    expect(paths(channel("", "2"))).toEqual(["when.lower"]);
    expect(paths(channel("1", ""))).toEqual(["when.upper"]);
    expect(validateForm(channel("3", "2"))).toEqual([{ path: "when.lower", key: "re.err.lowerAboveUpper", vars: { lower: 3, upper: 2 } }]);
    expect(buildSpec(channel("1", "2")).when).toEqual({ metric: "price", op: "inside_channel", lower: 1, upper: 2 });
  });

  it("take a metric as either bound and send no value", () => {
    const f = withCmp(channel("", "100"), { op: "entering_channel", lower: { kind: "metric", number: "", metric: { pick: "bb_lower", period: "", custom: "" } } });
    expect(validateForm(f)).toEqual([]);
    expect(buildSpec(f).when).toEqual({ metric: "price", op: "entering_channel", lower: { metric: "bb_lower" }, upper: 100 });
  });
});

describe("moving operators", () => {
  const moving = (op: CmpNode["op"], amount: string, bars: string) => withCmp(valid, { op, value: { ...firstCmp(valid).value, number: amount }, bars });

  it("need an amount above 0 and a look-back of 1 to 500 bars", () => {
    expect(paths(moving("moving_up", "3", ""))).toEqual(["when.bars"]);
    expect(paths(moving("moving_down_pct", "-3", "5"))).toEqual(["when.value"]);
    expect(paths(moving("moving_up", "1", "0"))).toEqual(["when.bars"]);
    expect(paths(moving("moving_up", "1", "501"))).toEqual(["when.bars"]);
    expect(paths(moving("moving_up_pct", "1000000", "5"))).toEqual(["when.value"]);
    expect(paths(moving("moving_up", "1000000", "5"))).toEqual([]);
  });

  it("send value and bars, version 2", () => {
    const spec = buildSpec(moving("moving_up_pct", "5", "10"));
    expect(spec.when).toEqual({ metric: "price", op: "moving_up_pct", value: 5, bars: 10 });
    expect(spec.version).toBe(2);
  });
});

describe("nested groups", () => {
  it("build all/any groups three deep with the engine's paths", () => {
    let f: RuleFormState = { ...valid };
    const inner = newGroup("any", [newComparison({ metric: "rsi", op: "lt", value: "30" })]);
    const deepest = newGroup("all", [newComparison({ metric: "volume_z", op: "gt", value: "3" }), newComparison({ metric: "price", op: "outside_channel" })]);
    f = { ...f, when: addChild(f.when, f.when.id, inner) };
    f = { ...f, when: addChild(f.when, inner.id, deepest) };
    expect(paths(f)).toEqual(["when.all[1].any[1].all[1].lower", "when.all[1].any[1].all[1].upper"]);
    f = { ...f, when: setGroupKind(f.when, deepest.id, "any") };
    expect(paths(f)).toEqual(["when.all[1].any[1].any[1].lower", "when.all[1].any[1].any[1].upper"]);
    f = { ...f, when: removeNode(f.when, (deepest.children[1] as CmpNode).id) };
    expect(buildSpec(f).when).toEqual({
      all: [{ metric: "price", op: "gt", value: 0 }, { any: [{ metric: "rsi", op: "lt", value: 30 }, { any: [{ metric: "volume_z", op: "gt", value: 3 }] }] }],
    });
  });

  it("an empty group is an error at the group's key", () => {
    const g = newGroup("any", []);
    const f = { ...valid, when: addChild(valid.when, valid.when.id, g) };
    expect(paths(f)).toEqual(["when.all[1].any"]);
  });
});

describe("expiry", () => {
  const now = Date.UTC(2030, 0, 1, 12, 0);
  it("is open-ended by default and needs a future local date and time when set", () => {
    expect(buildSpec(valid).expires_at).toBeNull();
    expect(paths({ ...valid, expires: true, expiresAt: "" }, now)).toEqual(["expires_at"]);
    expect(paths({ ...valid, expires: true, expiresAt: "2029-12-31T23:00" }, now)).toEqual(["expires_at"]);
    const f = { ...valid, expires: true, expiresAt: "2030-02-03T04:05" };
    expect(paths(f, now)).toEqual([]);
    expect(buildSpec(f).expires_at).toBe(new Date(2030, 1, 3, 4, 5).getTime());
  });
});

const complex: RuleSpec = {
  version: 2,
  name: "Breakout desk",
  target: { symbols: ["demo:ALPHA", "binance-usdm:BTCUSDT"], watchlist: "main", source: "demo" },
  interval: "15m",
  when: {
    any: [
      { metric: "price", op: "entering_channel", lower: { metric: "bb_lower" }, upper: 100.25 },
      {
        all: [
          { metric: "sma(50)", op: "crosses_up", value: { metric: "ema(200)" } },
          { any: [{ metric: "price", op: "moving_down_pct", value: 2.5, bars: 12 }, { metric: "oi_change_pct", op: "ge", value: -1e-7 }] },
        ],
      },
    ],
  },
  level: "critical",
  frequency: { mode: "every_time", cooldown_s: 900, rearm: true },
  evaluate: "bar_close",
  expires_at: 1_900_000_000_123,
  enabled: false,
  message: "{symbol} broke out: {reasons} ",
  channels: { notification: false, sound: true, webhooks: ["team-slack", "ops-tg"] },
};

describe("round trip of stored rules", () => {
  it("keeps every field of a complex rule", () => {
    const f = formFromSpec(complex);
    expect(validateForm(f)).toEqual([]);
    expect(buildSpec(f)).toEqual(complex);
    expect(JSON.stringify(buildSpec(f))).toBe(JSON.stringify(complex));
  });

  it("keeps a version-1 rule as version 1 and a single comparison unwrapped", () => {
    const v1: RuleSpec = {
      version: 1,
      name: "old",
      target: { symbols: ["demo:BETA"] },
      interval: "1m",
      when: { metric: "volume_z", op: "gt", value: 3 },
      level: "medium",
      frequency: { mode: "once", cooldown_s: 0 },
      expires_at: null,
      enabled: true,
    };
    expect(buildSpec(formFromSpec(v1))).toEqual(v1);
  });

  it("keeps an explicit group of one, default channels, and hold_bars", () => {
    const s: RuleSpec = {
      version: 2,
      name: "g",
      target: { watchlist: "default" },
      interval: "1h",
      when: { all: [{ metric: "rsi", op: "lt", value: 30 }] },
      level: "low",
      frequency: { mode: "once_per_bar_close", cooldown_s: 60, hold_bars: 2 },
      expires_at: null,
      enabled: true,
      channels: { notification: true, sound: false },
    };
    expect(buildSpec(formFromSpec(s))).toEqual(s);
  });

  it("gives every field the form shows an anchor for server errors", () => {
    const f = formFromSpec(complex);
    const anchors = fieldAnchors(f);
    expect(anchorFor("when.any[1].all[1].any[0].bars", anchors)).toBe("when.any[1].all[1].any[0].bars");
    expect(anchorFor("when.any[0].lower.metric", anchors)).toBe("when.any[0].lower");
    expect(anchorFor("channels.webhooks[1]", anchors)).toBe("channels.webhooks[1]");
    expect(anchorFor("target.symbols[1]", anchors)).toBe("target.symbols[1]");
    expect(anchorFor("nonsense", anchors)).toBeNull();
  });
});

describe("engine errors", () => {
  it("name the path and the reason", () => {
    expect(parseServerPath("invalid rule: when.all[1].upper: inside_channel needs an `upper` bound")).toEqual({
      path: "when.all[1].upper",
      reason: "inside_channel needs an `upper` bound",
    });
    expect(parseServerPath("frequency.cooldown_s: must be at most 30 days (2592000 s)")?.path).toBe("frequency.cooldown_s");
    expect(parseServerPath("the engine has stopped")).toBeNull();
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

describe("the RuleSpec the simple form sends", () => {
  it("matches the contract exactly", () => {
    expect(buildSpec({ ...valid, name: "  e2e price rule " })).toEqual({
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

  it("refuses to build from a value that is not a number", () => {
    expect(() => buildSpec(withCmp(valid, { value: { ...firstCmp(valid).value, number: "abc" } }))).toThrow();
  });
});
