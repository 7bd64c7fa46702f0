// Dragging a rule's price line: which line the pointer grabs, and the price it is let go at.
// lightweight-charts has no drag of its own; the chart turns pointer events over its box into
// these calls (with the series' priceToCoordinate / coordinateToPrice). Pure, unit-tested.
import { priceDigits } from "../i18n/format";

/** How far (px) from a line the pointer may be and still grab it. */
export const GRAB_PX = 6;
/** A press that moves less than this (px) is a click, not a drag. */
export const DRAG_START_PX = 3;

export interface PlacedLine {
  key: string;
  /** The line's y in the chart's pane (px from its top), or null when off the price scale. */
  y: number | null;
}

/** The line nearest to `y` within `tolerance` px, or null. Ties go to the first line. */
export function hitLine<T extends PlacedLine>(lines: readonly T[], y: number, tolerance = GRAB_PX): T | null {
  let best: T | null = null;
  let bestDist = Infinity;
  for (const l of lines) {
    if (l.y === null || !Number.isFinite(l.y)) continue;
    const d = Math.abs(l.y - y);
    if (d <= tolerance && d < bestDist) {
      best = l;
      bestDist = d;
    }
  }
  return best;
}

/** A dragged-to price, rounded to the digits the chart shows for prices of that size. */
export function snapPrice(price: number, reference: number = price): number {
  const d = priceDigits(reference);
  const f = 10 ** d;
  return Math.round(price * f) / f;
}

export interface DragState {
  key: string;
  /** Price of the line when the drag started. */
  from: number;
  /** Pointer y at the start. */
  startY: number;
  /** Current price under the pointer (snapped), null until the pointer moved far enough. */
  price: number | null;
}

export function startDrag(key: string, from: number, y: number): DragState {
  return { key, from, startY: y, price: null };
}

/** The drag after the pointer moved to `y`; `toPrice` is the series' coordinateToPrice. */
export function moveDrag(d: DragState, y: number, toPrice: (y: number) => number | null): DragState {
  if (d.price === null && Math.abs(y - d.startY) < DRAG_START_PX) return d;
  const p = toPrice(y);
  if (p === null || !Number.isFinite(p) || p <= 0) return d;
  return { ...d, price: snapPrice(p, d.from) };
}

/** What letting go means: a new price for the line, or nothing (a click, or no change). */
export function endDrag(d: DragState): { key: string; from: number; to: number } | null {
  if (d.price === null || d.price === snapPrice(d.from)) return null;
  return { key: d.key, from: d.from, to: d.price };
}
