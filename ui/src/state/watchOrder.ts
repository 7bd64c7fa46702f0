// Pure watchlist ordering: the user's order, sorted views, drag-to-reorder, and the window
// of rows to render (the list is virtualised so hundreds of rows stay smooth).
import type { WatchRow } from "../bindings/WatchRow";

export type SortKey = "manual" | "symbol" | "change" | "volume" | "rvol";

/** Rows for `symbols` in that order; symbols without live data get an empty row. */
export function rowsFor(symbols: readonly string[], bySymbol: ReadonlyMap<string, WatchRow>): WatchRow[] {
  return symbols.map(
    (s) =>
      bySymbol.get(s) ?? {
        symbol: s,
        name: s.slice(s.indexOf(":") + 1),
        simulated: s.startsWith("demo:"),
        price: null,
        changePct: null,
        volume: null,
        relVolume: null,
        updatedAt: null,
      },
  );
}

export function sortRows(rows: readonly WatchRow[], key: SortKey): WatchRow[] {
  const out = [...rows];
  const num = (v: number | null) => (v === null || !Number.isFinite(v) ? -Infinity : v);
  if (key === "symbol") out.sort((a, b) => a.symbol.localeCompare(b.symbol));
  else if (key === "change") out.sort((a, b) => num(b.changePct) - num(a.changePct));
  else if (key === "volume") out.sort((a, b) => num(b.volume) - num(a.volume));
  else if (key === "rvol") out.sort((a, b) => num(b.relVolume) - num(a.relVolume));
  return out;
}

/** `symbols` with `moved` put where `target` was (drag and drop). */
export function moveSymbol(symbols: readonly string[], moved: string, target: string): string[] {
  const from = symbols.indexOf(moved);
  const to = symbols.indexOf(target);
  if (from === -1 || to === -1 || from === to) return [...symbols];
  const out = [...symbols];
  out.splice(from, 1);
  out.splice(to, 0, moved);
  return out;
}

/** Which rows to render for a scroll position: the visible ones plus `overscan` each side. */
export function visibleWindow(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewport: number,
  overscan = 8,
): { start: number; end: number } {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(viewport, rowHeight) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start, end };
}
