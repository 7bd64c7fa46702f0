// Rule specs in words, for the rule list.
import type { Comparison } from "../bindings/Comparison";
import type { Condition } from "../bindings/Condition";
import type { Operand } from "../bindings/Operand";
import type { Target } from "../bindings/Target";
import type { Vars } from "../i18n/lang";
import type { MessageKey } from "../i18n/messages";
import { ALL_OPS, opKind, parseMetric } from "./ruleForm";
import { symbolCode } from "./watchlist";

type T = (key: MessageKey, vars?: Vars) => string;

function isComparison(c: Condition): c is Comparison {
  return "metric" in c;
}

/** A metric's name in words: "Price", "SMA(50)"; an unknown name as written. */
export function metricLabel(metric: string, t: T): string {
  const p = parseMetric(metric);
  if (p === null) return metric;
  if ("period" in p) return `${p.name.toUpperCase()}(${p.period})`;
  return t(`metric.${p.name}`);
}

export function summarizeCondition(
  cond: Condition,
  t: T,
  formatNumber: (n: number) => string,
): string {
  if (isComparison(cond)) {
    const op = ALL_OPS.includes(cond.op) ? t(`op.${cond.op}`) : cond.op.replace(/_/g, " ");
    const operand = (o: Operand | undefined): string =>
      o === undefined ? "?" : typeof o === "number" ? formatNumber(o) : metricLabel(o.metric, t);
    let rhs: string;
    const kind = ALL_OPS.includes(cond.op) ? opKind(cond.op) : "compare";
    if (kind === "channel" || cond.lower !== undefined || cond.upper !== undefined) {
      rhs = `[${operand(cond.lower)}, ${operand(cond.upper)}]`;
    } else if (kind === "moving" || cond.bars !== undefined) {
      const pct = cond.op.endsWith("_pct") ? "%" : "";
      rhs = t("re.sum.moving", { amount: `${operand(cond.value)}${pct}`, bars: cond.bars ?? "?" });
    } else {
      rhs = operand(cond.value);
    }
    return `${metricLabel(cond.metric, t)} ${op} ${rhs}`;
  }
  const [parts, joiner] = "all" in cond ? [cond.all, t("rules.and")] : [cond.any, t("rules.or")];
  const inner = parts.map((c) => {
    const s = summarizeCondition(c, t, formatNumber);
    return isComparison(c) ? s : `(${s})`;
  });
  return inner.join(` ${joiner} `);
}

export function summarizeTarget(target: Target, t: T): string {
  const parts: string[] = [];
  if (target.symbols && target.symbols.length > 0) parts.push(target.symbols.map(symbolCode).join(", "));
  if (target.watchlist) parts.push(t("rules.targetWatchlist", { name: target.watchlist }));
  if (target.source) parts.push(t("rules.targetSource", { source: target.source }));
  return parts.length > 0 ? parts.join(" · ") : t("rules.targetNone");
}
