// Axis and crosshair labels for a UTC-seconds time scale, in the exchange's time zone.
// lightweight-charts hands us UTC seconds; Intl renders them in the zone given. The locale is
// always explicit: WebKitGTK with LANG=C reports navigator.language "C", which Intl refuses.

/** Yahoo's exchange suffixes and the zones of those exchanges. */
const YAHOO_SUFFIX_TZ: Record<string, string> = {
  SS: "Asia/Shanghai",
  SZ: "Asia/Shanghai",
  HK: "Asia/Hong_Kong",
  T: "Asia/Tokyo",
  KS: "Asia/Seoul",
  KQ: "Asia/Seoul",
  TW: "Asia/Taipei",
  SI: "Asia/Singapore",
  NS: "Asia/Kolkata",
  BO: "Asia/Kolkata",
  AX: "Australia/Sydney",
  L: "Europe/London",
  DE: "Europe/Berlin",
  F: "Europe/Berlin",
  PA: "Europe/Paris",
  AS: "Europe/Amsterdam",
  MI: "Europe/Rome",
  MC: "Europe/Madrid",
  SW: "Europe/Zurich",
  TO: "America/Toronto",
  V: "America/Toronto",
  SA: "America/Sao_Paulo",
};

/**
 * The time zone a symbol's times are shown in: the exchange's. A-shares (tushare) trade in
 * Shanghai, crypto venues around the clock in UTC, Yahoo symbols by their exchange suffix (none:
 * a US listing, New York; `-USD` pairs are crypto). `undefined` (the user's own zone) for the
 * simulated market and sources with no exchange.
 */
export function exchangeTimeZone(symbol: string | null | undefined): string | undefined {
  if (!symbol) return undefined;
  const i = symbol.indexOf(":");
  const source = i < 0 ? "" : symbol.slice(0, i);
  const code = symbol.slice(i + 1).toUpperCase();
  if (source === "tushare") return "Asia/Shanghai";
  if (source.startsWith("binance") || source === "okx" || source === "bybit") return "UTC";
  if (source === "yahoo") {
    if (/-USDT?$/.test(code) || code.endsWith("=X")) return "UTC";
    const dot = code.lastIndexOf(".");
    if (dot > 0) return YAHOO_SUFFIX_TZ[code.slice(dot + 1)] ?? "America/New_York";
    return "America/New_York";
  }
  return undefined;
}

/** A short name of a zone for labels ("GMT+8", "UTC", "EST"), in `locale`. */
export function zoneLabel(locale: string, timeZone: string | undefined, ms: number): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" }).formatToParts(ms);
  return parts.find((p) => p.type === "timeZoneName")?.value ?? "";
}

/** Mirrors lightweight-charts' TickMarkType enum (Year … TimeWithSeconds). */
export const TickMark = { Year: 0, Month: 1, DayOfMonth: 2, Time: 3, TimeWithSeconds: 4 } as const;

const formats = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: string, options: Intl.DateTimeFormatOptions, seconds: number, timeZone?: string): string {
  // The axis asks for dozens of labels per frame: one formatter per (locale, zone, shape).
  const key = `${locale}|${timeZone ?? ""}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, f);
  }
  return f.format(seconds * 1000);
}

export function tickLabel(seconds: number, tickMarkType: number, locale: string, timeZone?: string): string {
  switch (tickMarkType) {
    case TickMark.Year:
      return fmt(locale, { year: "numeric" }, seconds, timeZone);
    case TickMark.Month:
      return fmt(locale, { month: "short" }, seconds, timeZone);
    case TickMark.DayOfMonth:
      return fmt(locale, { month: "short", day: "numeric" }, seconds, timeZone);
    case TickMark.TimeWithSeconds:
      return fmt(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }, seconds, timeZone);
    default:
      return fmt(locale, { hour: "2-digit", minute: "2-digit", hour12: false }, seconds, timeZone);
  }
}

/** The crosshair label: full date and time in the zone given. */
export function crosshairLabel(seconds: number, locale: string, timeZone?: string): string {
  return fmt(
    locale,
    { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false },
    seconds,
    timeZone,
  );
}
