import type { RuleRecord } from "../bindings/RuleRecord";

/** Newest rule first, so a rule the user just added is at the top of the list. */
export function sortRules(list: readonly RuleRecord[]): RuleRecord[] {
  return [...list].sort((a, b) => b.id - a.id);
}

export function upsertRule(list: readonly RuleRecord[], rec: RuleRecord): RuleRecord[] {
  const i = list.findIndex((r) => r.id === rec.id);
  if (i === -1) return sortRules([...list, rec]);
  const next = [...list];
  next[i] = rec;
  return next;
}

export function removeRule(list: readonly RuleRecord[], id: number): RuleRecord[] {
  return list.filter((r) => r.id !== id);
}
