// Pure dashboard logic: movers from the live rows, the start of the user's day.
import type { WatchRow } from "../bindings/WatchRow";

/** The `n` biggest gainers and losers by change %, rows without a change left out. */
export function topMovers(rows: readonly WatchRow[], n: number): { gainers: WatchRow[]; losers: WatchRow[] } {
  const known = rows.filter((r) => r.changePct !== null && Number.isFinite(r.changePct));
  const sorted = [...known].sort((a, b) => (b.changePct ?? 0) - (a.changePct ?? 0));
  return {
    gainers: sorted.filter((r) => (r.changePct ?? 0) > 0).slice(0, n),
    losers: sorted.filter((r) => (r.changePct ?? 0) < 0).reverse().slice(0, n),
  };
}

/** Local midnight of the day holding `ms`, in ms UTC. */
export function startOfLocalDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
