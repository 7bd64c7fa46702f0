// Pure helpers of the backtest panels: the date window (local calendar days ↔ ms UTC), the
// default window (the last 30 days of stored history), number fields with their checks, and
// the formats of fractions (returns, rates) and ratios.
import type { MessageKey } from "../i18n/messages";

export const DAY_MS = 86_400_000;
/** Days the default window spans, ending on the day of the last stored bar. */
export const DEFAULT_WINDOW_DAYS = 30;

const pad = (n: number) => String(n).padStart(2, "0");

/** The local calendar day of an instant, as a date input holds it (`yyyy-mm-dd`). */
export function dayInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight opening a `yyyy-mm-dd` day, ms UTC; null for anything else. */
export function dayStart(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(y, mo - 1, d);
  if (t.getFullYear() !== y || t.getMonth() !== mo - 1 || t.getDate() !== d) return null;
  return t.getTime();
}

/** The window from the start of `fromDay` to the end of `toDay` (local days), ms UTC; null if invalid. */
export function windowOf(fromDay: string, toDay: string): { from: number; to: number } | null {
  const from = dayStart(fromDay);
  const toStart = dayStart(toDay);
  if (from === null || toStart === null || toStart < from) return null;
  // The next local midnight (not +24 h: a day around a DST change has 23 or 25 hours).
  const next = new Date(toStart);
  next.setDate(next.getDate() + 1);
  return { from, to: next.getTime() };
}

/** The default window: the `days` local days ending on the day of `lastMs`. */
export function defaultDays(lastMs: number, days = DEFAULT_WINDOW_DAYS): { from: string; to: string } {
  const end = new Date(lastMs);
  const start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - (days - 1));
  return { from: dayInput(start.getTime()), to: dayInput(lastMs) };
}

/** A number field's problem, as a message key with its words. */
export interface FieldProblem {
  key: MessageKey;
  vars: Record<string, string | number>;
}

/**
 * A number typed in a field: blank → `null` when `optional`, else a problem naming the field;
 * `min` exclusive when `above` (a capital, a stop), inclusive otherwise.
 */
export function parseField(
  text: string,
  field: string,
  { min, max, optional = false, above = false }: { min: number; max?: number; optional?: boolean; above?: boolean },
): { value: number | null; problem: FieldProblem | null } {
  const s = text.trim().replace(",", ".");
  if (s === "") {
    return optional ? { value: null, problem: null } : { value: null, problem: { key: "bt.err.number", vars: { field } } };
  }
  const x = Number(s);
  if (!Number.isFinite(x)) return { value: null, problem: { key: "bt.err.number", vars: { field } } };
  const low = above ? x <= min : x < min;
  if (low || (max !== undefined && x > max)) {
    return {
      value: null,
      problem: max === undefined ? { key: "bt.err.above", vars: { field, min } } : { key: "bt.err.range", vars: { field, min, max } },
    };
  }
  return { value: x, problem: null };
}

const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}
const missing = (x: number | null | undefined): x is null | undefined => x === null || x === undefined || !Number.isFinite(x);

/** A fraction as a percentage (0.0123 → "1.23%"), signed (returns) or not (rates, drawdowns). */
export function formatFrac(locale: string, x: number | null | undefined, signed = false, digits = 2): string {
  if (missing(x)) return "—";
  return nf(locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? "exceptZero" : "auto" }).format(x);
}

/** A ratio (Sharpe, profit factor): two decimals. */
export function formatRatio(locale: string, x: number | null | undefined): string {
  if (missing(x)) return "—";
  return nf(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
}

/** An amount of the account (capital, P&L, fees): two decimals, signed on request. */
export function formatAmount(locale: string, x: number | null | undefined, signed = false): string {
  if (missing(x)) return "—";
  return nf(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: signed ? "exceptZero" : "auto" }).format(x);
}

/** A count or a rate with at most `digits` decimals (alerts per day, bars, days). */
export function formatNumber(locale: string, x: number | null | undefined, digits = 0): string {
  if (missing(x)) return "—";
  return nf(locale, { maximumFractionDigits: digits }).format(x);
}
