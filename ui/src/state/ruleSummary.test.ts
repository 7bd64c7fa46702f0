import { describe, expect, it } from "vitest";
import { translate } from "../i18n/lang";
import type { MessageKey } from "../i18n/messages";
import { summarizeCondition, summarizeTarget } from "./ruleSummary";

const en = (key: MessageKey, vars?: Record<string, string | number>) => translate("en", key, vars);
const zh = (key: MessageKey, vars?: Record<string, string | number>) => translate("zh-CN", key, vars);
const num = (n: number) => String(n);

describe("rule summaries", () => {
  it("read a comparison in words", () => {
    expect(summarizeCondition({ metric: "price", op: "gt", value: 100 }, en, num)).toBe("Price > 100");
    expect(summarizeCondition({ metric: "volume_z", op: "crosses_up", value: 3 }, zh, num)).toBe("成交量 Z 分数 上穿 3");
  });

  it("read groups and metric operands", () => {
    const cond = {
      all: [
        { metric: "volume_z", op: "gt" as const, value: 3 },
        { any: [{ metric: "price", op: "crosses_up" as const, value: { metric: "bb_upper" } }, { metric: "change_pct", op: "lt" as const, value: -2 }] },
      ],
    };
    expect(summarizeCondition(cond, en, num)).toBe("Volume z-score > 3 and (Price crosses above Bollinger upper or Change % < -2)");
  });

  it("read channel and moving operators and metrics with a period, in both languages", () => {
    const channel = { metric: "price", op: "inside_channel" as const, lower: { metric: "sma(50)" }, upper: 120 };
    expect(summarizeCondition(channel, en, num)).toBe("Price inside [SMA(50), 120]");
    const moving = { metric: "price", op: "moving_up_pct" as const, value: 5, bars: 10 };
    expect(summarizeCondition(moving, en, num)).toBe("Price moves up by 5% within 10 bars");
    expect(summarizeCondition(moving, zh, num)).toBe("价格 上涨 10 根K线内 5%");
  });

  it("name the targets", () => {
    expect(summarizeTarget({ symbols: ["demo:ALPHA", "demo:BETA"] }, en)).toBe("ALPHA, BETA");
    expect(summarizeTarget({ source: "demo" }, en)).toBe("all of demo");
    expect(summarizeTarget({ watchlist: "main" }, zh)).toBe("自选列表 main");
    expect(summarizeTarget({}, en)).toBe("no symbols");
  });
});
