// Pure chart data logic: candles from the backend → bars for lightweight-charts, live
// merging, and the cap on bars kept. No canvas here, so all of it is unit-tested.
import type { Candle } from "../bindings/Candle";

/** Most bars a chart holds; paging back or live bars beyond it drop the far side. */
export const BAR_CAP = 5000;
/** How many bars of history to ask for when a symbol is opened. */
export const HISTORY_LIMIT = 600;

export interface Bar {
  /** Bar open time, UTC seconds (what lightweight-charts calls UTCTimestamp). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export type MergeOp =
  /** Replace the last bar in the series (`series.update`). */
  | "update"
  /** A new last bar (`series.update`). */
  | "append"
  /** The bar set changed elsewhere (trimmed, or a late bar inserted): `setData` again. */
  | "reset"
  /** Nothing to draw (not a valid bar). */
  | "ignore";

export interface MergeResult {
  bars: Bar[];
  op: MergeOp;
  /** The bar that changed, for `series.update`. */
  bar: Bar | null;
}

export function candleToBar(c: Candle): Bar {
  return {
    time: Math.floor(c.openTime / 1000),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
  };
}

function isValidBar(b: Bar): boolean {
  return [b.time, b.open, b.high, b.low, b.close, b.volume].every(Number.isFinite);
}

/** Sorted oldest first, one bar per time (the later candle wins), at most `cap` newest. */
export function candlesToBars(candles: readonly Candle[], cap = BAR_CAP): Bar[] {
  const byTime = new Map<number, Bar>();
  for (const c of candles) {
    const b = candleToBar(c);
    if (isValidBar(b)) byTime.set(b.time, b);
  }
  const bars = [...byTime.values()].sort((a, b) => a.time - b.time);
  return bars.length > cap ? bars.slice(bars.length - cap) : bars;
}

/** Index of the first bar whose time is >= `time`. */
function lowerBound(bars: readonly Bar[], time: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bars[mid]?.time ?? Infinity) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges one live bar into the series. Never mutates `bars`. */
export function applyBar(bars: readonly Bar[], bar: Bar, cap = BAR_CAP): MergeResult {
  if (!isValidBar(bar)) return { bars: bars as Bar[], op: "ignore", bar: null };
  const last = bars[bars.length - 1];
  if (!last || bar.time > last.time) {
    const next = [...bars, bar];
    if (next.length > cap) return { bars: next.slice(next.length - cap), op: "reset", bar };
    return { bars: next, op: "append", bar };
  }
  if (bar.time === last.time) {
    const next = bars.slice(0, -1);
    next.push(bar);
    return { bars: next, op: "update", bar };
  }
  // An older bar: a late final update of a bar we already moved past, or a gap filler.
  const i = lowerBound(bars, bar.time);
  const next = [...bars];
  if (next[i]?.time === bar.time) next[i] = bar;
  else next.splice(i, 0, bar);
  return { bars: next.length > cap ? next.slice(next.length - cap) : next, op: "reset", bar };
}

/** Merges a batch of live candles in time order; the op is the strongest one needed. */
export function applyCandles(bars: readonly Bar[], candles: readonly Candle[], cap = BAR_CAP): {
  bars: Bar[];
  /** Bars to pass to `series.update`, in order, when no reset is needed. */
  updates: Bar[];
  reset: boolean;
} {
  const sorted = [...candles].sort((a, b) => a.openTime - b.openTime);
  let current = bars as Bar[];
  const updates: Bar[] = [];
  let reset = false;
  for (const c of sorted) {
    const r = applyBar(current, candleToBar(c), cap);
    current = r.bars;
    if (r.op === "reset") reset = true;
    else if (r.op !== "ignore" && r.bar) updates.push(r.bar);
  }
  return { bars: current, updates: reset ? [] : updates, reset };
}

export interface Palette {
  up: string;
  down: string;
  volumeUp: string;
  volumeDown: string;
}

export function volumePoint(bar: Bar, palette: Palette): { time: number; value: number; color: string } {
  return {
    time: bar.time,
    value: bar.volume,
    color: bar.close >= bar.open ? palette.volumeUp : palette.volumeDown,
  };
}
