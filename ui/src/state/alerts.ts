// Pure alert-list logic: newest first, no duplicates, bounded.
import type { Alert } from "../bindings/Alert";

export const ALERT_CAP = 200;

function sameAlert(a: Alert, b: Alert): boolean {
  if (a.id !== 0 && b.id !== 0) return a.id === b.id;
  // id 0 means "not yet stored": fall back to what identifies a firing.
  return a.ruleId === b.ruleId && a.symbol === b.symbol && a.firedAt === b.firedAt;
}

function newestFirst(a: Alert, b: Alert): number {
  return b.firedAt - a.firedAt || b.id - a.id;
}

/** A live alert goes on top; a repeat of one already listed is ignored. */
export function prependAlert(list: readonly Alert[], alert: Alert, cap = ALERT_CAP): Alert[] {
  if (list.some((a) => sameAlert(a, alert))) return list as Alert[];
  return [alert, ...list].slice(0, cap);
}

/**
 * Combines the stored history with alerts that arrived live while it was loading:
 * union without duplicates, newest first, bounded.
 */
export function mergeAlerts(live: readonly Alert[], loaded: readonly Alert[], cap = ALERT_CAP): Alert[] {
  const out: Alert[] = [...loaded];
  for (const a of live) {
    if (!out.some((b) => sameAlert(a, b))) out.push(a);
  }
  return out.sort(newestFirst).slice(0, cap);
}
