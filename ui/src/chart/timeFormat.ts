// Axis and crosshair labels in the user's local time, for a UTC-seconds time scale.
// lightweight-charts hands us UTC seconds; Intl renders them in the local zone.

/** Mirrors lightweight-charts' TickMarkType enum (Year … TimeWithSeconds). */
export const TickMark = { Year: 0, Month: 1, DayOfMonth: 2, Time: 3, TimeWithSeconds: 4 } as const;

function fmt(locale: string, options: Intl.DateTimeFormatOptions, seconds: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(seconds * 1000);
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

/** The crosshair label: full local date and time. */
export function crosshairLabel(seconds: number, locale: string, timeZone?: string): string {
  return fmt(
    locale,
    { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false },
    seconds,
    timeZone,
  );
}
