// Number formats of the portfolio view, with Intl for the app's locale. Amounts carry their
// currency code after the number (codes such as USDT are not ISO 4217, which Intl's currency
// style refuses).
import { priceDigits } from "../i18n/format";

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

/** An amount in the account currency: 2 decimals (more for sub-unit amounts), signed on request. */
export function formatMoney(locale: string, x: number | null | undefined, currency: string, signed = false): string {
  if (missing(x)) return "—";
  const d = Math.abs(x) >= 1 || x === 0 ? 2 : priceDigits(x);
  const n = nf(locale, { minimumFractionDigits: d, maximumFractionDigits: d, signDisplay: signed ? "exceptZero" : "auto" }).format(x);
  return `${n} ${currency}`;
}

/** A price in the instrument's currency. */
export function formatUnitPrice(locale: string, x: number | null | undefined): string {
  if (missing(x)) return "—";
  const d = priceDigits(x);
  return nf(locale, { minimumFractionDigits: d, maximumFractionDigits: d }).format(x);
}

/** A quantity: as many decimals as it has, up to 8. */
export function formatQuantity(locale: string, x: number): string {
  return nf(locale, { maximumFractionDigits: 8 }).format(x);
}

/** A percentage without a sign (volatility, VaR, drawdown, weight); `pct` in percent units. */
export function formatPlainPct(locale: string, pct: number | null | undefined, digits = 2): string {
  if (missing(pct)) return "—";
  return nf(locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(pct / 100);
}

/** A ratio (Sharpe, HHI) with fixed decimals. */
export function formatRatio(locale: string, x: number | null | undefined, digits = 2): string {
  if (missing(x)) return "—";
  return nf(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}
