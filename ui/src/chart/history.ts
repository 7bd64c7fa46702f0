// Scrolling back into stored history: pages of older bars go in front of the ones held, and
// the cap on bars in memory drops the far side (the newest bars when the user is deep in the
// past, the oldest ones when live bars arrive). Pure, so it is unit-tested.
import type { Candle } from "../bindings/Candle";
import { candleToBar, type Bar } from "./bars";

/** Bars asked for per page when the chart reaches its left edge. */
export const HISTORY_PAGE = 500;
/** Start loading the next page when fewer than this many bars are left of the view. */
export const LOAD_MARGIN = 20;

export interface Prepended {
  bars: Bar[];
  /** How many bars were added at the front (to keep the view on the same bars). */
  added: number;
  /** How many of the newest bars were dropped to stay under the cap. */
  droppedNewest: number;
}

/**
 * Puts a page of older candles in front of `bars`. Bars already held win over the page's (the
 * held ones may be fresher); the page is only taken for times before the first held bar. Over
 * `cap`, the newest bars go: the user is looking at the past, the live edge is the far side.
 */
export function prependBars(bars: readonly Bar[], older: readonly Candle[], cap: number): Prepended {
  const first = bars[0]?.time ?? Infinity;
  const byTime = new Map<number, Bar>();
  for (const c of older) {
    const b = candleToBar(c);
    if (b.time < first && [b.time, b.open, b.high, b.low, b.close, b.volume].every(Number.isFinite)) byTime.set(b.time, b);
  }
  const page = [...byTime.values()].sort((a, b) => a.time - b.time);
  const all = [...page, ...bars];
  const droppedNewest = Math.max(0, all.length - cap);
  return { bars: droppedNewest > 0 ? all.slice(0, all.length - droppedNewest) : all, added: page.length, droppedNewest };
}

/** True when the visible logical range starts within `margin` bars of the first bar held. */
export function nearLeftEdge(range: { from: number; to: number } | null, margin = LOAD_MARGIN): boolean {
  return range !== null && range.from < margin;
}

/** True when the view reaches the last bar held (to follow live bars again). */
export function nearRightEdge(range: { from: number; to: number } | null, count: number, margin = LOAD_MARGIN): boolean {
  return range !== null && range.to > count - 1 - margin;
}

/** The same bars on screen after `added` bars went in front (logical indexes shift). */
export function shiftRange(range: { from: number; to: number }, added: number): { from: number; to: number } {
  return { from: range.from + added, to: range.to + added };
}

/** The `before` time (ms UTC) of the next page: the open time of the first bar held. */
export function pageBefore(bars: readonly Bar[]): number | null {
  const first = bars[0];
  return first ? first.time * 1000 : null;
}
