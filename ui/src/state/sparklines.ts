// Sparklines of the watchlist rows: recent closes per symbol, asked of the backend for the rows
// on screen only, many symbols per call (requests within `delayMs` are coalesced), and kept
// for `ttlMs` before they are asked again. Plus the little maths of drawing them.
import type { Interval } from "../bindings/Interval";
import type { Sparkline } from "../bindings/Sparkline";

export const SPARK_INTERVAL: Interval = "5m";
export const SPARK_POINTS = 48;
export const SPARK_TTL_MS = 60_000;
/** Most symbols in one backend call. */
export const SPARK_BATCH = 200;
/** Most symbols remembered; the ones asked for longest ago are forgotten first. */
export const SPARK_KEEP = 2000;

export interface SparkEntry {
  closes: number[];
  /** When the closes arrived (ms). */
  at: number;
}

export interface SparkCache {
  /** Asks for the closes of `symbols` unless fresh or on their way; coalesced. */
  request: (symbols: readonly string[]) => void;
  get: (symbol: string) => SparkEntry | undefined;
  /** Bumped whenever entries change (for useSyncExternalStore). */
  version: () => number;
  subscribe: (listener: () => void) => () => void;
  /** Drops what is queued and its timer (the cache still answers and takes new requests). */
  dispose: () => void;
}

export function createSparkCache(
  load: (symbols: string[]) => Promise<Sparkline[]>,
  opts: { now?: () => number; ttlMs?: number; delayMs?: number; batch?: number; keep?: number } = {},
): SparkCache {
  const now = opts.now ?? (() => Date.now());
  const ttl = opts.ttlMs ?? SPARK_TTL_MS;
  const delay = opts.delayMs ?? 120;
  const batch = Math.max(1, opts.batch ?? SPARK_BATCH);
  const keep = Math.max(1, opts.keep ?? SPARK_KEEP);
  const entries = new Map<string, SparkEntry>();
  const inflight = new Set<string>();
  const queued = new Set<string>();
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ver = 0;

  const store = (symbol: string, closes: number[]) => {
    entries.delete(symbol); // re-insert: Map order is the age order
    entries.set(symbol, { closes, at: now() });
    while (entries.size > keep) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };

  const flush = () => {
    timer = undefined;
    const all = [...queued];
    queued.clear();
    for (let i = 0; i < all.length; i += batch) {
      const chunk = all.slice(i, i + batch);
      for (const s of chunk) inflight.add(s);
      load(chunk)
        .then(
          (lines) => {
            const got = new Set<string>();
            for (const l of lines) {
              got.add(l.symbol);
              store(l.symbol, l.closes.filter(Number.isFinite));
            }
            for (const s of chunk) if (!got.has(s)) store(s, []);
          },
          // A failed call leaves empty lines, asked again after the TTL.
          () => {
            for (const s of chunk) store(s, []);
          },
        )
        .finally(() => {
          for (const s of chunk) inflight.delete(s);
          ver += 1;
          for (const l of listeners) l();
        });
    }
  };

  return {
    request(symbols) {
      const t = now();
      for (const s of symbols) {
        if (inflight.has(s)) continue;
        const e = entries.get(s);
        if (e && t - e.at < ttl) continue;
        queued.add(s);
      }
      if (queued.size > 0 && timer === undefined) timer = setTimeout(flush, delay);
    },
    get: (symbol) => entries.get(symbol),
    version: () => ver,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      queued.clear();
    },
  };
}

/**
 * The closes with the live price as the newest point (the stored bar may lag the live row a
 * little): the last close is replaced, so the line ends where the price column is.
 */
export function withLivePrice(closes: readonly number[], price: number | null | undefined): number[] {
  if (price === null || price === undefined || !Number.isFinite(price) || closes.length === 0) return [...closes];
  return [...closes.slice(0, -1), price];
}

/** An SVG path through `closes`, scaled into `width` × `height` (y grows down); null under 2 points. */
export function sparkPath(closes: readonly number[], width: number, height: number, pad = 1): string | null {
  const pts = closes.filter(Number.isFinite);
  if (pts.length < 2) return null;
  const lo = Math.min(...pts);
  const hi = Math.max(...pts);
  const span = hi - lo;
  const h = height - 2 * pad;
  const step = width / (pts.length - 1);
  const y = (v: number) => (span === 0 ? height / 2 : pad + h - ((v - lo) / span) * h);
  return pts.map((v, i) => `${i === 0 ? "M" : "L"}${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join("");
}

/** Relative volume as "2.3×" (one decimal under 10, none above); "—" when unknown. */
export function formatRvol(locale: string, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v) || v < 0) return "—";
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: v >= 10 ? 0 : 1, minimumFractionDigits: v >= 10 ? 0 : 1 });
  return `${n.format(v)}×`;
}
