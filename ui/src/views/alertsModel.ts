import type { AlertEntry } from "../bindings/AlertEntry";
import type { AlertStatus } from "../bindings/AlertStatus";

/** Resolved wins over acknowledged, which wins over new. */
export function statusOf(a: Pick<AlertEntry, "acknowledgedAt" | "resolvedAt">): AlertStatus {
  if (a.resolvedAt !== null) return "resolved";
  if (a.acknowledgedAt !== null) return "acknowledged";
  return "new";
}
