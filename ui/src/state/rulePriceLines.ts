import type { Condition } from "../bindings/Condition";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";

/** Which number of a rule a chart line stands for: the comparison's place in the condition
 *  tree (child indexes through `all` / `any`) and the field holding the price. */
export interface LevelRef {
  ruleId: number;
  path: number[];
  field: "value" | "lower" | "upper";
}

export interface RulePriceLine extends LevelRef {
  price: number;
  title: string;
  /** Stable identity of the line (rule, place, field). */
  key: string;
}

export const lineKey = (r: LevelRef) => `${r.ruleId}:${r.path.join(".")}:${r.field}`;

/** Price levels that enabled rules on `symbol` compare the price with (for chart lines). */
export function rulePriceLines(rules: readonly RuleRecord[], symbol: string): RulePriceLine[] {
  const out: RulePriceLine[] = [];
  const walk = (c: Condition, rule: RuleRecord, path: number[]) => {
    if ("all" in c) c.all.forEach((x, i) => walk(x, rule, [...path, i]));
    else if ("any" in c) c.any.forEach((x, i) => walk(x, rule, [...path, i]));
    else if (c.metric === "price") {
      for (const field of ["value", "lower", "upper"] as const) {
        const v = c[field];
        if (typeof v === "number" && v > 0) {
          const ref = { ruleId: rule.id, path, field };
          out.push({ ...ref, price: v, title: rule.spec.name, key: lineKey(ref) });
        }
      }
    }
  };
  for (const r of rules) {
    if (r.spec.enabled && r.spec.target.symbols?.includes(symbol)) walk(r.spec.when, r, []);
  }
  return out;
}

/**
 * The rule's spec with the level at `ref` set to `price` (a new object; the record is not
 * touched). Throws with the place named when the spec no longer has a number there (the rule
 * changed meanwhile).
 */
export function withLevel(spec: RuleSpec, ref: Pick<LevelRef, "path" | "field">, price: number): RuleSpec {
  if (!Number.isFinite(price) || price <= 0) throw new Error(`price ${price} is not a positive number`);
  const set = (c: Condition, depth: number): Condition => {
    if (depth === ref.path.length) {
      if ("all" in c || "any" in c || typeof c[ref.field] !== "number") {
        throw new Error(`when.${ref.path.join(".")}.${ref.field} is not a number level any more`);
      }
      return { ...c, [ref.field]: price };
    }
    const i = ref.path[depth] ?? -1;
    if ("all" in c || "any" in c) {
      const parts = "all" in c ? c.all : c.any;
      if (i < 0 || i >= parts.length) throw new Error(`when.${ref.path.join(".")}: the rule has no condition there`);
      const next = parts.map((p, j) => (j === i ? set(p, depth + 1) : p));
      return "all" in c ? { all: next } : { any: next };
    }
    throw new Error(`when.${ref.path.join(".")}: the rule has no condition there`);
  };
  return { ...spec, when: set(spec.when, 0) };
}
