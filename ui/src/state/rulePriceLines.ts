import type { Condition } from "../bindings/Condition";
import type { RuleRecord } from "../bindings/RuleRecord";

/** Price levels that enabled rules on `symbol` compare the price with (for chart lines). */
export function rulePriceLines(rules: readonly RuleRecord[], symbol: string): { price: number; title: string }[] {
  const out: { price: number; title: string }[] = [];
  const walk = (c: Condition, name: string) => {
    if ("all" in c) c.all.forEach((x) => walk(x, name));
    else if ("any" in c) c.any.forEach((x) => walk(x, name));
    else if (c.metric === "price") {
      for (const v of [c.value, c.lower, c.upper]) if (typeof v === "number" && v > 0) out.push({ price: v, title: name });
    }
  };
  for (const r of rules) {
    if (r.spec.enabled && r.spec.target.symbols?.includes(symbol)) walk(r.spec.when, r.spec.name);
  }
  return out;
}
