// The portfolio commands of the mock backend: holdings with the engine's checks and words
// (tw-core `HoldingInput::validate`, tw-engine `parse_holdings_csv`), priced from the mock
// market, with made-up daily closes for the risk figures, computed the way tw-analytics
// `PortfolioBook::view` does. Only the mock backend imports this file.
import type { ApiError } from "../bindings/ApiError";
import type { Holding } from "../bindings/Holding";
import type { HoldingInput } from "../bindings/HoldingInput";
import type { PortfolioRisk } from "../bindings/PortfolioRisk";
import type { PortfolioSettings } from "../bindings/PortfolioSettings";
import type { PortfolioView } from "../bindings/PortfolioView";
import type { PositionRow } from "../bindings/PositionRow";
import { isCurrency, lotProblemText, lotProblems, normaliseLot, positionSeries } from "../state/portfolio";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Days of made-up daily closes per priced symbol. */
const MOCK_DAYS = 180;
const RISK_DAYS = 250;
const USD_PEGGED = ["USDT", "USDC", "FDUSD", "BUSD", "TUSD", "DAI"];

export interface MockMarketView {
  /** Last price; null for a symbol the mock market does not trade. */
  price: (symbol: string) => number | null;
  /** Yesterday's close (the mock's 24 h reference). */
  prevClose: (symbol: string) => number | null;
  /** Alert times on a symbol. */
  alertTimes: (symbol: string) => number[];
  now: () => number;
}

type Fail = (code: ApiError["code"], message: string) => Error;

/** tw-analytics `infer_currency`. */
export function inferCurrency(symbol: string): string {
  const i = symbol.indexOf(":");
  const src = i < 0 ? "" : symbol.slice(0, i);
  const code = i < 0 ? symbol : symbol.slice(i + 1);
  if (src === "tushare") return "CNY";
  if (src === "yahoo") {
    if (code.endsWith("=X")) {
      const c = code.slice(0, -2);
      return c.length === 6 ? c.slice(3) : c;
    }
    const dot = code.lastIndexOf(".");
    const suffix = dot < 0 ? "" : code.slice(dot + 1);
    const bySuffix: Record<string, string> = {
      HK: "HKD", SS: "CNY", SZ: "CNY", T: "JPY", L: "GBP", DE: "EUR", F: "EUR", PA: "EUR", AS: "EUR", MI: "EUR", MC: "EUR",
      TO: "CAD", V: "CAD", AX: "AUD", SI: "SGD", KS: "KRW", KQ: "KRW", TW: "TWD", TWO: "TWD",
    };
    return bySuffix[suffix] ?? "USD";
  }
  if (src === "binance" || src === "binance-spot" || src === "binance-usdm") {
    const c = code.toUpperCase();
    return ["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "BTC", "ETH", "BNB", "EUR", "TRY"].find((q) => c.endsWith(q) && c.length > q.length) ?? "USDT";
  }
  return "USD";
}

function resolveFx(ccy: string, account: string, manual: PortfolioSettings["fx"]): number | null {
  const norm = (c: string) => (USD_PEGGED.includes(c) ? "USD" : c);
  if (norm(ccy) === norm(account)) return 1;
  const r = manual[ccy] ?? manual[norm(ccy)];
  return r !== undefined && Number.isFinite(r) && r > 0 ? r : null;
}

const pct = (x: number, base: number): number | null => (base > 0 && Number.isFinite(x) ? (x / base) * 100 : null);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stdev = (xs: number[]) => {
  if (xs.length < 2) return null;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const returns = (v: number[]) => v.slice(1).flatMap((x, i) => ((v[i] ?? 0) > 0 ? [x / (v[i] ?? 1) - 1] : []));
function quantile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const v = [...xs].sort((a, b) => a - b);
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (v[lo] ?? 0) + ((v[hi] ?? 0) - (v[lo] ?? 0)) * (pos - lo);
}
const histVar = (r: number[], c: number) => (r.length < 20 ? null : -(quantile(r, 1 - c) ?? 0));
/** z of the normal distribution at 5 % and 1 %. */
const Z: Record<number, number> = { 0.95: -1.6448536269514722, 0.99: -2.3263478740408408 };
const paramVar = (r: number[], c: number) => {
  const sd = stdev(r);
  return r.length < 20 || sd === null ? null : -(mean(r) + (Z[c] ?? 0) * sd);
};
function drawdowns(values: number[]): number[] {
  let peak = -Infinity;
  return values.map((v) => {
    peak = Math.max(peak, v);
    return peak > 0 ? 1 - v / peak : 0;
  });
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A repeatable daily random walk per symbol that ends at `last`. */
function madeUpDailyCloses(symbol: string, last: number, today: number): [number, number][] {
  let a = hash(symbol);
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: [number, number][] = [];
  let p = last;
  for (let k = 1; k <= MOCK_DAYS; k++) {
    out.push([today - k * DAY_MS, p]);
    const g = Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
    p = p / (1 + 0.0004 + g * 0.02);
  }
  return out.reverse();
}

/** A CSV line split on commas, with double-quoted fields (`""` inside quotes), fields trimmed. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** tw-engine `parse_holdings_csv`, with its words: a bad line is named by line and column. */
export function parseHoldingsCsv(text: string): { lots: HoldingInput[] } | { error: string } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? "").map((h) => h.toLowerCase());
  const find = (names: string[]) => {
    const i = header.findIndex((h) => names.includes(h));
    return i < 0 ? null : i;
  };
  const cols: Record<string, number> = {};
  for (const [what, names] of [
    ["symbol", ["symbol", "代码"]],
    ["quantity", ["quantity", "qty", "数量"]],
    ["cost", ["cost", "price", "成本"]],
    ["date", ["date", "opened", "日期"]],
  ] as const) {
    const i = find([...names]);
    if (i === null) {
      return { error: `line 1: no ${what} column (the header must name symbol, quantity, cost and date; found: ${header.join(", ")})` };
    }
    cols[what] = i;
  }
  const sym = cols.symbol ?? 0;
  const qty = cols.quantity ?? 0;
  const cost = cols.cost ?? 0;
  const date = cols.date ?? 0;
  const ccy = find(["currency", "币种"]);
  const note = find(["note", "备注"]);
  const lots: HoldingInput[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const rec = splitCsvLine(lines[i] ?? "");
    if (rec.every((f) => f === "")) continue;
    const field = (c: number) => rec[c] ?? "";
    // Rust's `f64::from_str` after removing thousands separators ("1e3", "inf" and "NaN" read).
    const number = (c: number, what: string): number | string => {
      const t = field(c).replace(/,/g, "");
      if (!/^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)$/i.test(t)) {
        return `line ${line}, column ${c + 1} (${what}): ${JSON.stringify(field(c))} is not a number`;
      }
      const low = t.toLowerCase();
      if (low.includes("nan")) return NaN;
      if (low.includes("inf")) return low.startsWith("-") ? -Infinity : Infinity;
      return Number(t);
    };
    const q = number(qty, "quantity");
    if (typeof q === "string") return { error: q };
    const k = number(cost, "cost");
    if (typeof k === "string") return { error: k };
    const lot = normaliseLot({
      symbol: field(sym),
      quantity: q,
      cost: k,
      opened: field(date),
      ...(ccy !== null ? { currency: field(ccy) } : {}),
      ...(note !== null ? { note: field(note) } : {}),
    });
    const p = lotProblems(lot)[0];
    if (p) {
      const colOf: Record<string, number | null> = { symbol: sym, quantity: qty, cost, opened: date, currency: ccy };
      const c = colOf[p.field] ?? null;
      const msg = lotProblemText(p, lot);
      return { error: c === null ? `line ${line}: ${msg}` : `line ${line}, column ${c + 1}: ${msg}` };
    }
    lots.push(lot);
  }
  if (lots.length === 0) return { error: "the file holds no lots (a header line, then one lot per line)" };
  return { lots };
}

export interface MockPortfolio {
  handlers: Record<string, (args: Record<string, unknown>) => unknown>;
  /** The portfolio series rules may target: `portfolio:total` and one per held symbol. */
  seriesSymbols: () => string[];
  holdings: () => Holding[];
}

export function mockPortfolio(market: MockMarketView, fail: Fail): MockPortfolio {
  let holdings: Holding[] = [];
  let nextId = 1;
  let settings: PortfolioSettings = { currency: "USD", fx: {} };
  const daily = new Map<string, [number, number][]>();

  const checked = (raw: unknown): HoldingInput => {
    const lot = normaliseLot(raw as HoldingInput);
    const p = lotProblems(lot)[0];
    if (p) throw fail("invalid_input", lotProblemText(p, lot));
    return lot;
  };
  const lotOf = (id: number, lot: HoldingInput): Holding => ({
    id,
    symbol: lot.symbol,
    quantity: lot.quantity,
    cost: lot.cost,
    opened: lot.opened,
    currency: lot.currency ?? null,
    note: lot.note ?? null,
  });

  const dailyOf = (symbol: string, today: number): [number, number][] => {
    const prev = market.prevClose(symbol);
    if (prev === null) return [];
    let d = daily.get(symbol);
    if (!d || d[d.length - 1]?.[0] !== today - DAY_MS) {
      d = madeUpDailyCloses(symbol, prev, today);
      daily.set(symbol, d);
    }
    return d;
  };

  const view = (): PortfolioView => {
    const now = market.now();
    const today = now - (now % DAY_MS);
    const todayText = new Date(today).toISOString().slice(0, 10);
    const account = settings.currency;
    const warnings: string[] = [];
    const order = [...new Set(holdings.map((h) => h.symbol))];
    const stockOnly = order.every((s) => s.startsWith("tushare:") || s.startsWith("yahoo:"));
    const positions = order.map((sym) => {
      const lots = holdings.filter((h) => h.symbol === sym);
      const qty = lots.reduce((a, h) => a + h.quantity, 0);
      const basis = lots.reduce((a, h) => a + h.quantity * h.cost, 0);
      const ccy = lots.find((h) => h.currency !== null)?.currency ?? inferCurrency(sym);
      const fx = resolveFx(ccy, account, settings.fx);
      if (fx === null) {
        warnings.push(`no ${ccy}→${account} exchange rate for ${sym}: set one in the portfolio settings, or watch the Yahoo pair yahoo:${ccy}${account}=X`);
      }
      const price = market.price(sym);
      const closes = dailyOf(sym, today).map(([, c]) => c);
      const openedToday = lots.every((h) => h.opened === todayText);
      const base = openedToday ? basis / qty : market.prevClose(sym);
      const ppy = sym.startsWith("tushare:") || sym.startsWith("yahoo:") ? 252 : 365;
      const sd = stdev(returns(closes.slice(-(RISK_DAYS + 1))));
      return { sym, qty, basis, ccy, fx, price, base, closes, vol: sd === null ? null : sd * Math.sqrt(ppy) * 100 };
    });
    const valueOf = (p: (typeof positions)[number]) => (p.price !== null && p.fx !== null ? p.qty * p.price * p.fx : null);
    const gross = positions.reduce((a, p) => a + Math.abs(valueOf(p) ?? 0), 0);

    // The value of today's holdings on each past day.
    const valued = positions.filter((p) => p.fx !== null);
    const withHistory = valued.filter((p) => {
      if (p.closes.length > 0) return true;
      warnings.push(`${p.sym}: no daily history stored, left out of the risk figures`);
      return false;
    });
    const days = withHistory.length === 0 ? [] : (dailyOf(withHistory[0]?.sym ?? "", today).map(([t]) => t));
    const history = days.map((t, i) => ({
      time: t,
      value: withHistory.reduce((a, p) => a + p.qty * (p.closes[i] ?? p.closes[p.closes.length - 1] ?? 0) * (p.fx ?? 0), 0),
    }));
    const values = history.map((h) => h.value);
    const dds = drawdowns(values);
    const rets = returns(values.slice(-(RISK_DAYS + 1)));
    const ppy = stockOnly ? 252 : 365;

    const rows: PositionRow[] = positions.map((p) => {
      const value = valueOf(p);
      const day = value !== null && p.base !== null && p.price !== null && p.fx !== null ? p.qty * (p.price - p.base) * p.fx : null;
      const cost = p.fx === null ? null : p.basis * p.fx;
      const total = value !== null && cost !== null ? value - cost : null;
      const alerts = market.alertTimes(p.sym).filter((t) => t > now - HOUR_MS).length;
      return {
        symbol: p.sym,
        quantity: p.qty,
        avgCost: p.qty !== 0 ? p.basis / p.qty : 0,
        currency: p.ccy,
        price: p.price,
        fx: p.fx,
        value,
        dayPnl: day,
        dayPnlPct: day !== null && value !== null ? pct(day, Math.abs(value - day)) : null,
        totalPnl: total,
        totalPnlPct: total !== null && cost !== null ? pct(total, Math.abs(cost)) : null,
        weightPct: value === null ? null : pct(Math.abs(value), gross),
        volatilityPct: p.vol,
        alerts1h: alerts,
        problem:
          p.price === null ? "no price yet: the symbol has no stored or live data" : p.fx === null ? `no ${p.ccy}→${account} exchange rate` : null,
      };
    });
    for (const r of rows) if (r.price === null) warnings.push(`${r.symbol}: no price yet, left out of the totals`);
    const sum = (f: (r: PositionRow) => number | null) => rows.reduce((a, r) => a + (f(r) ?? 0), 0);
    const value = sum((r) => r.value);
    const dayPnl = sum((r) => r.dayPnl);
    const totalPnl = sum((r) => r.totalPnl);
    const cost = sum((r) => (r.value !== null && r.fx !== null ? r.avgCost * r.quantity * r.fx : null));
    const allValued = rows.length > 0 && rows.every((r) => r.value !== null);
    const peak = Math.max(...values, allValued ? value : -Infinity);
    const drawdownNow = allValued && peak > 0 && value > 0 ? Math.max(0, 1 - value / peak) * 100 : null;
    const weights = gross > 0 ? rows.flatMap((r) => (r.value === null ? [] : [Math.abs(r.value) / gross])) : [];
    const sd = stdev(rets);
    const var95 = histVar(rets, 0.95);
    const risk: PortfolioRisk = {
      days: rets.length,
      volatilityPct: sd === null ? null : sd * Math.sqrt(ppy) * 100,
      var95HistPct: var95 === null ? null : var95 * 100,
      var99HistPct: ((v) => (v === null ? null : v * 100))(histVar(rets, 0.99)),
      var95ParamPct: ((v) => (v === null ? null : v * 100))(paramVar(rets, 0.95)),
      var99ParamPct: ((v) => (v === null ? null : v * 100))(paramVar(rets, 0.99)),
      var95Amount: var95 !== null && allValued ? var95 * value : null,
      maxDrawdownPct: values.length === 0 ? null : Math.max(...dds) * 100,
      drawdownPct: drawdownNow,
      sharpe: sd === null || sd === 0 ? null : (mean(rets) / sd) * Math.sqrt(ppy),
      hhi: weights.length === 0 ? null : weights.reduce((a, w) => a + w * w, 0),
      topWeightPct: weights.length === 0 ? null : Math.max(...weights) * 100,
    };
    return {
      currency: account,
      value,
      dayPnl,
      dayPnlPct: pct(dayPnl, Math.abs(value - dayPnl)),
      totalPnl,
      totalPnlPct: pct(totalPnl, Math.abs(cost)),
      positions: rows,
      risk,
      history: history.map((h, i) => ({ time: h.time, value: h.value, drawdownPct: (dds[i] ?? 0) * 100 })),
      warnings,
      asOf: now,
    };
  };

  const byId = (id: unknown): number => {
    const i = holdings.findIndex((h) => h.id === id);
    if (i < 0) throw fail("not_found", `holding ${String(id)} does not exist`);
    return i;
  };

  const handlers: MockPortfolio["handlers"] = {
    get_portfolio: () => view(),
    list_holdings: () => holdings.map((h) => ({ ...h })),
    add_holding: (a) => {
      const h = lotOf(nextId++, checked(a.lot));
      holdings = [...holdings, h];
      return { ...h };
    },
    update_holding: (a) => {
      const i = byId(a.id);
      const h = lotOf(Number(a.id), checked(a.lot));
      holdings = holdings.map((x, j) => (j === i ? h : x));
      return { ...h };
    },
    delete_holding: (a) => {
      byId(a.id);
      holdings = holdings.filter((h) => h.id !== a.id);
      return null;
    },
    import_holdings_csv: (a) => {
      const r = parseHoldingsCsv(String(a.text));
      if ("error" in r) throw fail("invalid_input", r.error);
      const added = r.lots.map((lot) => lotOf(nextId++, lot));
      holdings = [...holdings, ...added];
      return added.map((h) => ({ ...h }));
    },
    get_portfolio_settings: () => structuredClone(settings),
    set_portfolio_settings: (a) => {
      const s = a.settings as PortfolioSettings;
      if (!isCurrency(s.currency)) {
        throw fail("invalid_input", `currency: must be a code of 3 to 5 capital letters such as USD or CNY, got ${JSON.stringify(s.currency)}`);
      }
      for (const [c, r] of Object.entries(s.fx)) {
        if (!isCurrency(c)) throw fail("invalid_input", `fx: ${JSON.stringify(c)} is not a currency code`);
        if (r === undefined || !Number.isFinite(r) || r <= 0) throw fail("invalid_input", `fx.${c}: the rate must be a number above 0, got ${String(r)}`);
      }
      settings = structuredClone(s);
      return structuredClone(settings);
    },
  };

  return {
    handlers,
    seriesSymbols: () => ["portfolio:total", ...new Set(holdings.map((h) => positionSeries(h.symbol)))],
    holdings: () => holdings,
  };
}
