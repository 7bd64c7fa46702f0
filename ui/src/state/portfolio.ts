// The portfolio view's model: the add/edit lot form with validation that mirrors tw-core
// `HoldingInput::validate` (after the engine's `normalise`: trimmed fields, the currency
// upper-cased, empty optional fields left out), the account currency and exchange-rate
// editor, and the risk-rule presets as ordinary RuleSpecs on the `portfolio:` series.
import type { Holding } from "../bindings/Holding";
import type { HoldingInput } from "../bindings/HoldingInput";
import type { Interval } from "../bindings/Interval";
import type { Level } from "../bindings/Level";
import type { PortfolioSettings } from "../bindings/PortfolioSettings";
import type { RuleSpec } from "../bindings/RuleSpec";
import type { Target } from "../bindings/Target";
import type { MessageKey } from "../i18n/messages";

/** tw-core `PORTFOLIO_SOURCE` / `PORTFOLIO_TOTAL`. */
export const PORTFOLIO_SOURCE = "portfolio";
export const PORTFOLIO_TOTAL = "portfolio:total";

/** The portfolio series of a held symbol, e.g. `portfolio:binance-usdm:BTCUSDT`. */
export const positionSeries = (symbol: string) => `${PORTFOLIO_SOURCE}:${symbol}`;

// ---- checks shared with the mock backend ----

/** tw-core `Symbol::parse`: `source:CODE`, the source in lower case, digits and `-`. */
export function isSymbol(s: string): boolean {
  const t = s.trim();
  const i = t.indexOf(":");
  if (i <= 0) return false;
  const src = t.slice(0, i);
  const code = t.slice(i + 1);
  return code !== "" && /^[a-z0-9-]+$/.test(src) && !/\s/.test(code);
}

/** tw-core `is_currency`: 3 to 5 capital letters (ISO 4217 and stablecoins such as USDT). */
export function isCurrency(c: string): boolean {
  return /^[A-Z]{3,5}$/.test(c);
}

/** tw-core `is_date`: `YYYY-MM-DD`, a real calendar day between 1900 and 2200. */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d >= 1 && d <= days;
}

export type LotField = "symbol" | "quantity" | "cost" | "opened" | "currency";

/** Why a field of a lot is refused (the first one wins, field by field, as in Rust). */
export type LotProblem =
  | { field: "symbol"; reason: "shape" | "portfolio" }
  | { field: "quantity"; reason: "zero" }
  | { field: "cost"; reason: "negative" }
  | { field: "opened"; reason: "date" }
  | { field: "currency"; reason: "code" };

/** Every problem of a normalised lot, in the order `HoldingInput::validate` checks them. */
export function lotProblems(lot: HoldingInput): LotProblem[] {
  const out: LotProblem[] = [];
  if (!isSymbol(lot.symbol)) out.push({ field: "symbol", reason: "shape" });
  else if (lot.symbol.startsWith("portfolio:")) out.push({ field: "symbol", reason: "portfolio" });
  if (!Number.isFinite(lot.quantity) || lot.quantity === 0) out.push({ field: "quantity", reason: "zero" });
  if (!Number.isFinite(lot.cost) || lot.cost < 0) out.push({ field: "cost", reason: "negative" });
  if (!isDate(lot.opened)) out.push({ field: "opened", reason: "date" });
  if (lot.currency !== undefined && !isCurrency(lot.currency)) out.push({ field: "currency", reason: "code" });
  return out;
}

/** The engine's words for a problem (`HoldingInput::validate`), for the mock backend. */
export function lotProblemText(p: LotProblem, lot: HoldingInput): string {
  switch (p.field) {
    case "symbol":
      return p.reason === "portfolio"
        ? "symbol: the portfolio's own series cannot be held"
        : `symbol: symbol ${JSON.stringify(lot.symbol.trim())} must look like source:CODE (for example demo:ALPHA)`;
    case "quantity":
      return `quantity: must be a number other than 0 (negative for a short), got ${rustFloat(lot.quantity)}`;
    case "cost":
      return `cost: must be a price of 0 or more, got ${rustFloat(lot.cost)}`;
    case "opened":
      return `opened: must be a date as YYYY-MM-DD, got ${JSON.stringify(lot.opened)}`;
    case "currency":
      return `currency: must be a code of 3 to 5 capital letters such as USD or CNY, got ${JSON.stringify(lot.currency ?? "")}`;
  }
}

function rustFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  return String(x);
}

/** The engine's `normalise`: trimmed, the currency upper-cased, empty optional fields dropped. */
export function normaliseLot(lot: HoldingInput): HoldingInput {
  const out: HoldingInput = { symbol: lot.symbol.trim(), quantity: lot.quantity, cost: lot.cost, opened: lot.opened.trim() };
  const currency = lot.currency?.trim().toUpperCase() ?? "";
  if (currency !== "") out.currency = currency;
  const note = lot.note?.trim() ?? "";
  if (note !== "") out.note = note;
  return out;
}

// ---- the add/edit form ----

export interface LotForm {
  symbol: string;
  quantity: string;
  cost: string;
  opened: string;
  currency: string;
  note: string;
}

/** Today's date (local) as `YYYY-MM-DD`. */
export function todayText(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

export function emptyLotForm(now: Date = new Date()): LotForm {
  return { symbol: "", quantity: "", cost: "", opened: todayText(now), currency: "", note: "" };
}

export function lotFormOf(h: Holding): LotForm {
  return {
    symbol: h.symbol,
    quantity: String(h.quantity),
    cost: String(h.cost),
    opened: h.opened,
    currency: h.currency ?? "",
    note: h.note ?? "",
  };
}

/** A number as typed: thousands separators and spaces allowed; empty or unreadable → NaN. */
export function parseNumber(text: string): number {
  const t = text.replace(/[,\s_]/g, "");
  if (t === "") return NaN;
  return Number(t);
}

const PROBLEM_KEYS: Record<LotProblem["reason"], MessageKey> = {
  shape: "pf.err.symbol",
  portfolio: "pf.err.symbolPortfolio",
  zero: "pf.err.quantity",
  negative: "pf.err.cost",
  date: "pf.err.opened",
  code: "pf.err.currency",
};

export interface LotCheck {
  /** The lot to send, when every field is right. */
  lot: HoldingInput | null;
  /** The message of each field that is wrong. */
  errors: Partial<Record<LotField, MessageKey>>;
}

/** The form's lot and the problem of each field, as the engine would judge it. */
export function checkLotForm(f: LotForm): LotCheck {
  const lot = normaliseLot({
    symbol: f.symbol,
    quantity: parseNumber(f.quantity),
    cost: parseNumber(f.cost),
    opened: f.opened,
    currency: f.currency,
    note: f.note,
  });
  const errors: LotCheck["errors"] = {};
  for (const p of lotProblems(lot)) errors[p.field] ??= PROBLEM_KEYS[p.reason];
  return { lot: Object.keys(errors).length === 0 ? lot : null, errors };
}

// ---- account currency and exchange rates ----

export interface FxRow {
  currency: string;
  rate: string;
}

export interface SettingsForm {
  currency: string;
  rates: FxRow[];
}

export function settingsFormOf(s: PortfolioSettings): SettingsForm {
  return {
    currency: s.currency,
    rates: Object.entries(s.fx).flatMap(([currency, rate]) => (rate === undefined ? [] : [{ currency, rate: String(rate) }])),
  };
}

export interface SettingsCheck {
  settings: PortfolioSettings | null;
  currencyError: MessageKey | null;
  /** Per rate row: what is wrong with it. */
  rowErrors: (MessageKey | null)[];
}

/** The settings to save, checked as the engine does (`validate_settings`); blank rows are skipped. */
export function checkSettingsForm(f: SettingsForm): SettingsCheck {
  const currency = f.currency.trim().toUpperCase();
  const currencyError: MessageKey | null = isCurrency(currency) ? null : "pf.err.currency";
  const fx: Record<string, number> = {};
  const rowErrors = f.rates.map((r): MessageKey | null => {
    const c = r.currency.trim().toUpperCase();
    if (c === "" && r.rate.trim() === "") return null;
    if (!isCurrency(c)) return "pf.err.currency";
    if (c in fx) return "pf.err.fxDuplicate";
    const rate = parseNumber(r.rate);
    if (!Number.isFinite(rate) || rate <= 0) return "pf.err.fxRate";
    fx[c] = rate;
    return null;
  });
  const ok = currencyError === null && rowErrors.every((e) => e === null);
  return { settings: ok ? { currency, fx } : null, currencyError, rowErrors };
}

// ---- risk-rule presets ----

export const PRESETS = ["dayLoss", "drawdown", "weight", "volatility", "alerts"] as const;
export type PresetKind = (typeof PRESETS)[number];

export interface PresetDef {
  metric: string;
  op: "lt" | "gt" | "ge";
  /** The rule watches `portfolio:total`; otherwise every position (or one). */
  total: boolean;
  interval: Interval;
  /** The threshold a new preset starts with. */
  threshold: number;
  /** A whole count (alerts) rather than a percentage. */
  whole: boolean;
  level: Level;
}

/**
 * The presets. Each fires at most once per bar of its interval: once a day for the daily
 * figures, once an hour for the alert count.
 */
export const PRESET_DEFS: Record<PresetKind, PresetDef> = {
  dayLoss: { metric: "pnl_day_pct", op: "lt", total: true, interval: "1d", threshold: 3, whole: false, level: "high" },
  drawdown: { metric: "drawdown_pct", op: "gt", total: true, interval: "1d", threshold: 10, whole: false, level: "high" },
  weight: { metric: "weight_pct", op: "gt", total: false, interval: "1d", threshold: 25, whole: false, level: "medium" },
  volatility: { metric: "volatility_pct", op: "gt", total: false, interval: "1d", threshold: 60, whole: false, level: "medium" },
  alerts: { metric: "alerts_1h", op: "ge", total: false, interval: "1h", threshold: 5, whole: true, level: "medium" },
};

/** A typed threshold: a number above 0 (a whole number of 1 or more for counts); else null. */
export function parseThreshold(kind: PresetKind, text: string): number | null {
  const x = parseNumber(text);
  if (!Number.isFinite(x) || x <= 0) return null;
  if (PRESET_DEFS[kind].whole && !Number.isInteger(x)) return null;
  return x;
}

/**
 * The rule of a preset. `threshold` is what the user typed (the loss limit as a positive
 * percentage: the rule tests `pnl_day_pct < −threshold`); `holding` narrows a position preset
 * to one held symbol (null: every position, `source: portfolio`).
 */
export function presetSpec(kind: PresetKind, threshold: number, level: Level, name: string, holding: string | null = null): RuleSpec {
  const d = PRESET_DEFS[kind];
  let target: Target;
  if (d.total) target = { symbols: [PORTFOLIO_TOTAL] };
  else if (holding !== null) target = { symbols: [positionSeries(holding)] };
  else target = { source: PORTFOLIO_SOURCE };
  return {
    version: 1,
    name,
    target,
    interval: d.interval,
    when: { metric: d.metric, op: d.op, value: kind === "dayLoss" ? -threshold : threshold },
    level,
    frequency: { mode: "once_per_bar", cooldown_s: 0 },
    expires_at: null,
    enabled: true,
  };
}
