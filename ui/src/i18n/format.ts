// Number and time formatting with Intl for the app's locale (never navigator's).

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** Decimals that suit the magnitude: 2 for ordinary prices, more for sub-unit ones. */
export function priceDigits(price: number): number {
  const a = Math.abs(price);
  if (a >= 1) return 2;
  if (a >= 0.01) return 4;
  return 6;
}

export function formatPrice(locale: string, price: number | null | undefined): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return "—";
  const d = priceDigits(price);
  return numberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d }).format(price);
}

/** `pct` is in percent units (1.5 means +1.5 %). */
export function formatPct(locale: string, pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return "—";
  return numberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: "exceptZero",
  }).format(pct / 100);
}

export function formatCount(locale: string, n: number): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

export function formatCompact(locale: string, n: number): string {
  return numberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** Local wall-clock time of a ms-UTC instant, with seconds. */
export function formatTime(locale: string, ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone,
  }).format(ms);
}

/** Local date and time of a ms-UTC instant, without seconds. */
export function formatDateTime(locale: string, ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone,
  }).format(ms);
}

export function directionOf(value: number | null | undefined): "up" | "down" | "flat" {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) return "flat";
  return value > 0 ? "up" : "down";
}
