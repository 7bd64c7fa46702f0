// Pure watchlist state: the rows in watchlist order plus the direction of each row's
// last price tick (for the up/down flash).
import type { WatchRow } from "../bindings/WatchRow";

export type Tick = "up" | "down";

export interface WatchState {
  rows: WatchRow[];
  /** Direction of the most recent price change per symbol. */
  ticks: Record<string, Tick | undefined>;
  /** Increments per symbol on every price change, so the UI can restart a flash. */
  tickSeq: Record<string, number | undefined>;
  loaded: boolean;
}

export const emptyWatchState: WatchState = { rows: [], ticks: {}, tickSeq: {}, loaded: false };

/** An update older than what we already show must not move the price backwards. */
function isNotOlder(next: WatchRow, prev: WatchRow): boolean {
  if (next.updatedAt === null || prev.updatedAt === null) return true;
  return next.updatedAt >= prev.updatedAt;
}

function noteTick(state: WatchState, prev: WatchRow | undefined, next: WatchRow): WatchState {
  if (!prev || prev.price === null || next.price === null || prev.price === next.price) return state;
  const dir: Tick = next.price > prev.price ? "up" : "down";
  return {
    ...state,
    ticks: { ...state.ticks, [next.symbol]: dir },
    tickSeq: { ...state.tickSeq, [next.symbol]: (state.tickSeq[next.symbol] ?? 0) + 1 },
  };
}

/** Merges changed rows from a live batch: replace by symbol, keep order, append unknown symbols. */
export function applyRowUpdates(state: WatchState, updates: readonly WatchRow[]): WatchState {
  if (updates.length === 0) return state;
  let next = state;
  const rows = [...state.rows];
  const index = new Map(rows.map((r, i) => [r.symbol, i]));
  for (const u of updates) {
    const i = index.get(u.symbol);
    if (i === undefined) {
      index.set(u.symbol, rows.length);
      rows.push(u);
      continue;
    }
    const prev = rows[i];
    if (prev && !isNotOlder(u, prev)) continue;
    next = noteTick(next, prev, u);
    rows[i] = u;
  }
  return { ...next, rows };
}

/**
 * The watchlist as `get_watchlist` returned it. Its order and membership win, but a row
 * that a live batch already brought newer data for keeps the newer data.
 */
export function applyLoadedWatchlist(state: WatchState, loaded: readonly WatchRow[]): WatchState {
  const current = new Map(state.rows.map((r) => [r.symbol, r]));
  const rows = loaded.map((row) => {
    const live = current.get(row.symbol);
    return live && live !== row && !isNotOlder(row, live) ? live : row;
  });
  return { ...state, rows, loaded: true };
}

export function anySimulated(rows: readonly WatchRow[]): boolean {
  return rows.some((r) => r.simulated);
}

/** "demo:ALPHA" → "ALPHA"; a symbol without a source stays as it is. */
export function symbolCode(symbol: string): string {
  const i = symbol.indexOf(":");
  return i === -1 ? symbol : symbol.slice(i + 1);
}

export function symbolSource(symbol: string): string {
  const i = symbol.indexOf(":");
  return i === -1 ? "" : symbol.slice(0, i);
}
