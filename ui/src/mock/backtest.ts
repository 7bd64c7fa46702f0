// The backtest commands of the mock backend: rules and strategies replayed over the mock
// market's stored 1m bars, with the engine's definitions (tw-core `backtest.rs`) and its
// words for bad input. A small metric set (price, volume, SMA/EMA, RSI, MACD, Bollinger,
// volume ratio) stands in for tw-analytics; other metrics never hold. The strategy fills a
// bar-close signal at the next bar's open with slippage and fees, checks stops against each
// bar's high and low, and computes the figures the way tw-analytics `backtest_strategy` does.
// Only the mock backend imports this file.
import type { ApiError } from "../bindings/ApiError";
import type { Candle } from "../bindings/Candle";
import type { Condition } from "../bindings/Condition";
import type { Direction } from "../bindings/Direction";
import type { EquityPoint } from "../bindings/EquityPoint";
import type { ExitReason } from "../bindings/ExitReason";
import type { Interval } from "../bindings/Interval";
import type { RuleBacktestReport } from "../bindings/RuleBacktestReport";
import type { RuleBacktestRequest } from "../bindings/RuleBacktestRequest";
import type { RuleBacktestSummary } from "../bindings/RuleBacktestSummary";
import type { RuleFire } from "../bindings/RuleFire";
import type { RuleSpec } from "../bindings/RuleSpec";
import type { StrategyBacktestRequest } from "../bindings/StrategyBacktestRequest";
import type { StrategyReport } from "../bindings/StrategyReport";
import type { StrategySpec } from "../bindings/StrategySpec";
import type { StrategyTemplate } from "../bindings/StrategyTemplate";
import type { TradeRecord } from "../bindings/TradeRecord";

type Fail = (code: ApiError["code"], message: string) => Error;

const MINUTE = 60_000;
const DAY = 86_400_000;
const IV_MS: Record<Interval, number> = { "1m": MINUTE, "5m": 5 * MINUTE, "15m": 15 * MINUTE, "1h": 60 * MINUTE, "4h": 240 * MINUTE, "1d": DAY };
const WARM_UP_BARS = 300;
const DEFAULT_CURVE_POINTS = 2000;

/** tw-analytics `templates.rs`, as `strategy_templates` returns them. */
export const MOCK_TEMPLATES: StrategyTemplate[] = (
  [
    [
      "dual_ma",
      {
        name: "Dual moving average (SMA 10 / SMA 30)",
        entry: { metric: "sma(10)", op: "crosses_up", value: { metric: "sma(30)" } },
        exit: { metric: "sma(10)", op: "crosses_down", value: { metric: "sma(30)" } },
        short_entry: { metric: "sma(10)", op: "crosses_down", value: { metric: "sma(30)" } },
        short_exit: { metric: "sma(10)", op: "crosses_up", value: { metric: "sma(30)" } },
      },
    ],
    [
      "macd_cross",
      {
        name: "MACD cross (12, 26, 9)",
        entry: { metric: "macd", op: "crosses_up", value: { metric: "macd_signal" } },
        exit: { metric: "macd", op: "crosses_down", value: { metric: "macd_signal" } },
        short_entry: { metric: "macd", op: "crosses_down", value: { metric: "macd_signal" } },
        short_exit: { metric: "macd", op: "crosses_up", value: { metric: "macd_signal" } },
      },
    ],
    [
      "rsi_reversal",
      {
        name: "RSI reversal (30 / 70)",
        entry: { metric: "rsi", op: "crosses_up", value: 30 },
        exit: { metric: "rsi", op: "crosses_down", value: 70 },
        short_entry: { metric: "rsi", op: "crosses_down", value: 70 },
        short_exit: { metric: "rsi", op: "crosses_up", value: 30 },
      },
    ],
    [
      "momentum",
      {
        name: "Momentum (price + RSI + volume, 2 % stop, 4 % target)",
        entry: {
          all: [
            { metric: "price", op: "moving_up_pct", value: 2, bars: 20 },
            { metric: "rsi", op: "gt", value: 55 },
            { metric: "volume_ratio", op: "gt", value: 1.5 },
          ],
        },
        exit: { metric: "rsi", op: "lt", value: 45 },
        short_entry: {
          all: [
            { metric: "price", op: "moving_down_pct", value: 2, bars: 20 },
            { metric: "rsi", op: "lt", value: 45 },
            { metric: "volume_ratio", op: "gt", value: 1.5 },
          ],
        },
        short_exit: { metric: "rsi", op: "gt", value: 55 },
        stop_loss_pct: 2,
        take_profit_pct: 4,
      },
    ],
    [
      "mean_reversion",
      {
        name: "Mean reversion (Bollinger 20, 2 + RSI 30 / 70)",
        entry: { all: [{ metric: "price", op: "lt", value: { metric: "bb_lower" } }, { metric: "rsi", op: "lt", value: 30 }] },
        exit: { metric: "price", op: "gt", value: { metric: "bb_mid" } },
        short_entry: { all: [{ metric: "price", op: "gt", value: { metric: "bb_upper" } }, { metric: "rsi", op: "gt", value: 70 }] },
        short_exit: { metric: "price", op: "lt", value: { metric: "bb_mid" } },
      },
    ],
  ] as [string, Omit<StrategySpec, "mode" | "fees_bps" | "slippage_bps" | "position_size" | "initial_capital">][]
).map(([key, s]) => ({ key, spec: { mode: "long_only", fees_bps: 0, slippage_bps: 0, position_size: 1, initial_capital: 10_000, ...s } }));

// ---- metrics over a list of bars ----

type Series = (number | null)[];

function sma(xs: readonly number[], n: number): Series {
  let sum = 0;
  return xs.map((x, i) => {
    sum += x - (i >= n ? (xs[i - n] ?? 0) : 0);
    return i >= n - 1 ? sum / n : null;
  });
}

function ema(xs: readonly (number | null)[], n: number): Series {
  const k = 2 / (n + 1);
  let e: number | null = null;
  let seen = 0;
  let sum = 0;
  return xs.map((x) => {
    if (x === null) return null;
    if (e === null) {
      seen += 1;
      sum += x;
      if (seen === n) e = sum / n;
      return e;
    }
    e = x * k + e * (1 - k);
    return e;
  });
}

function rsi(xs: readonly number[], n: number): Series {
  let gain = 0;
  let loss = 0;
  return xs.map((x, i) => {
    if (i === 0) return null;
    const d = x - (xs[i - 1] ?? x);
    const up = Math.max(d, 0);
    const down = Math.max(-d, 0);
    if (i <= n) {
      gain += up / n;
      loss += down / n;
      if (i < n) return null;
    } else {
      gain = (gain * (n - 1) + up) / n;
      loss = (loss * (n - 1) + down) / n;
    }
    return loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  });
}

function bollinger(xs: readonly number[], n: number, k: number, side: -1 | 0 | 1): Series {
  const mid = sma(xs, n);
  return xs.map((_, i) => {
    const m = mid[i];
    if (m === null || m === undefined) return null;
    if (side === 0) return m;
    const w = xs.slice(i - n + 1, i + 1);
    const sd = Math.sqrt(w.reduce((a, x) => a + (x - m) ** 2, 0) / n);
    return m + side * k * sd;
  });
}

/** One metric's value on every bar; every value null for a metric the mock does not know. */
function metricSeries(name: string, bars: readonly Candle[]): Series {
  const closes = bars.map((b) => b.close);
  const s = name.trim();
  const period = /^(sma|ema|rsi)\((\d+)\)$/.exec(s);
  if (period) {
    const n = Number(period[2]);
    return period[1] === "sma" ? sma(closes, n) : period[1] === "ema" ? ema(closes, n) : rsi(closes, n);
  }
  switch (s) {
    case "price":
    case "close":
      return closes;
    case "volume":
      return bars.map((b) => b.volume);
    case "rsi":
      return rsi(closes, 14);
    case "macd":
    case "macd_signal":
    case "macd_hist": {
      const fast = ema(closes, 12);
      const slow = ema(closes, 26);
      const line = closes.map((_, i) => {
        const f = fast[i];
        const w = slow[i];
        return f === null || f === undefined || w === null || w === undefined ? null : f - w;
      });
      if (s === "macd") return line;
      const signal = ema(line, 9);
      return s === "macd_signal" ? signal : line.map((m, i) => (m === null || signal[i] === null || signal[i] === undefined ? null : m - signal[i]));
    }
    case "bb_upper":
      return bollinger(closes, 20, 2, 1);
    case "bb_mid":
      return bollinger(closes, 20, 2, 0);
    case "bb_lower":
      return bollinger(closes, 20, 2, -1);
    case "volume_ratio":
      return bars.map((b, i) => {
        if (i < 20) return null;
        const mean = bars.slice(i - 20, i).reduce((a, x) => a + x.volume, 0) / 20;
        return mean > 0 ? b.volume / mean : null;
      });
    default:
      return bars.map(() => null);
  }
}

/** Conditions over a fixed list of bars (metrics computed once per name). */
function evaluator(bars: readonly Candle[]) {
  const cache = new Map<string, Series>();
  const series = (name: string) => {
    let s = cache.get(name);
    if (!s) {
      s = metricSeries(name, bars);
      cache.set(name, s);
    }
    return s;
  };
  const at = (o: number | { metric: string } | undefined, i: number): number | null =>
    o === undefined ? null : typeof o === "number" ? o : (series(o.metric)[i] ?? null);
  const holds = (c: Condition, i: number): boolean => {
    if ("all" in c) return c.all.every((x) => holds(x, i));
    if ("any" in c) return c.any.some((x) => holds(x, i));
    const a = series(c.metric)[i] ?? null;
    if (a === null) return false;
    const b = at(c.value, i);
    const pa = i > 0 ? (series(c.metric)[i - 1] ?? null) : null;
    const pb = i > 0 ? at(c.value, i - 1) : null;
    switch (c.op) {
      case "gt":
        return b !== null && a > b;
      case "lt":
        return b !== null && a < b;
      case "ge":
        return b !== null && a >= b;
      case "le":
        return b !== null && a <= b;
      case "crosses_up":
        return b !== null && pa !== null && pb !== null && pa <= pb && a > b;
      case "crosses_down":
        return b !== null && pa !== null && pb !== null && pa >= pb && a < b;
      case "crosses":
        return b !== null && pa !== null && pb !== null && pa <= pb !== a <= b;
      case "moving_up":
      case "moving_down":
      case "moving_up_pct":
      case "moving_down_pct": {
        const back = series(c.metric)[i - (c.bars ?? 1)] ?? null;
        if (back === null || typeof c.value !== "number") return false;
        const move = c.op.endsWith("_pct") ? (back === 0 ? 0 : (a / back - 1) * 100) : a - back;
        return c.op.startsWith("moving_up") ? move >= c.value : -move >= c.value;
      }
      default:
        return false; // channel operators are not simulated by the mock
    }
  };
  return holds;
}

/** 1m bars rolled up to `interval` (a bar per period with any 1m bar). */
function rollUp(bars: readonly Candle[], interval: Interval): Candle[] {
  const ms = IV_MS[interval];
  if (ms === MINUTE) return [...bars];
  const out: Candle[] = [];
  for (const b of bars) {
    const open = Math.floor(b.openTime / ms) * ms;
    const last = out[out.length - 1];
    if (last && last.openTime === open) {
      last.high = Math.max(last.high, b.high);
      last.low = Math.min(last.low, b.low);
      last.close = b.close;
      last.volume += b.volume;
      last.quoteVolume += b.quoteVolume;
      last.trades += b.trades;
    } else {
      out.push({ ...b, interval, openTime: open });
    }
  }
  return out;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export function mockBacktest(candlesOf: (symbol: string) => readonly Candle[] | null, validateRule: (spec: RuleSpec) => string | null, fail: Fail) {
  const bad = (message: string) => fail("invalid_input", message);
  const checkWindow = (from: number, to: number) => {
    if (!(to > from)) throw bad(`the window ends (${to}) before it starts (${from}); give from < to (ms UTC)`);
  };
  const stored = (symbol: string, interval: Interval, from: number, to: number): Candle[] => {
    const all = candlesOf(symbol);
    if (all === null) throw bad(`symbol "${symbol}": unknown symbol`);
    if (interval !== "1m") return []; // the mock stores 1m bars only
    return all.filter((c) => c.closed && c.openTime >= from && c.openTime + MINUTE <= to).map((c) => ({ ...c }));
  };

  function backtestRules(req: RuleBacktestRequest): RuleBacktestReport {
    checkWindow(req.from, req.to);
    if (req.symbols.length === 0) throw bad("symbols: name at least one symbol to replay");
    if (req.symbols.length > 50) throw bad("symbols: at most 50 per backtest");
    for (const [i, spec] of req.rules.entries()) {
      const problem = validateRule(spec);
      if (problem) throw fail("invalid_rule", `rules[${i}].${problem}`);
    }
    const interval = req.interval ?? "1m";
    const direction: Direction = req.direction ?? "up";
    const series = req.symbols.map((s) => ({ symbol: s, bars: stored(s, interval, req.from - WARM_UP_BARS * IV_MS[interval], req.to) })).filter((x) => x.bars.length > 0);
    if (series.length === 0) throw bad(`no stored ${interval} candles of ${req.symbols.join(", ")} in the window`);
    const days = (req.to - req.from) / DAY;
    const fires: RuleFire[] = [];
    const summaries: RuleBacktestSummary[] = req.rules.map((spec, r) => {
      const summary: RuleBacktestSummary = {
        rule: r,
        name: spec.name,
        interval: spec.interval,
        fires: 0,
        scored: 0,
        hits: 0,
        hitRate: null,
        meanFwd1: null,
        meanFwd5: null,
        meanFwd20: null,
        alertsPerDay: 0,
        paused: 0,
        skipped: null,
      };
      if (IV_MS[spec.interval] < IV_MS[interval]) {
        summary.skipped = `the rule's interval ${spec.interval} is finer than the ${interval} bars replayed`;
        return summary;
      }
      const mine: RuleFire[] = [];
      for (const { symbol, bars: raw } of series) {
        const bars = rollUp(raw, spec.interval);
        const holds = evaluator(bars);
        const ms = IV_MS[spec.interval];
        let last: number | null = null;
        for (let i = 0; i < bars.length; i++) {
          const b = bars[i];
          if (!b || !holds(spec.when, i)) continue;
          const firedAt = b.openTime + ms;
          if (b.openTime < req.from || firedAt > req.to) continue;
          if (spec.frequency.mode === "once" && last !== null) continue;
          if (last !== null && firedAt - last < spec.frequency.cooldown_s * 1000) continue;
          last = firedAt;
          const fwd = (k: number) => {
            const c = bars[i + k]?.close;
            return c === undefined ? null : c / b.close - 1;
          };
          mine.push({ rule: r, ruleName: spec.name, symbol, firedAt, barTime: b.openTime, price: b.close, message: `${spec.name}: ${symbol} at ${b.close.toFixed(2)}`, fwd1: fwd(1), fwd5: fwd(5), fwd20: fwd(20) });
        }
      }
      const scored = mine.filter((f) => f.fwd5 !== null);
      const hits = scored.filter((f) => (direction === "up" ? (f.fwd5 ?? 0) > 0 : (f.fwd5 ?? 0) < 0)).length;
      const m = (k: "fwd1" | "fwd5" | "fwd20") => mean(mine.flatMap((f) => (f[k] === null ? [] : [f[k]])));
      Object.assign(summary, {
        fires: mine.length,
        scored: scored.length,
        hits,
        hitRate: scored.length > 0 ? hits / scored.length : null,
        meanFwd1: m("fwd1"),
        meanFwd5: m("fwd5"),
        meanFwd20: m("fwd20"),
        alertsPerDay: days > 0 ? mine.length / days : 0,
      });
      fires.push(...mine);
      return summary;
    });
    fires.sort((a, b) => a.firedAt - b.firedAt);
    return {
      from: req.from,
      to: req.to,
      days,
      bars: series.reduce((n, s) => n + s.bars.length, 0),
      symbols: series.map((s) => s.symbol),
      direction,
      hitDefinition: `a fire whose 5-bar forward return is ${direction === "up" ? "above" : "below"} 0; hit rate = hits / fires with a 5-bar forward return`,
      rules: summaries,
      fires,
    };
  }

  function checkStrategy(s: StrategySpec) {
    if (s.name.trim() === "") throw bad("name: must not be empty");
    const pct = (v: number | null | undefined, field: string, max: number) => {
      if (v !== undefined && v !== null && !(Number.isFinite(v) && v > 0 && v < max)) throw bad(`${field}: ${v} is not a percentage above 0 and below ${max}`);
    };
    pct(s.stop_loss_pct, "stop_loss_pct", 100);
    pct(s.take_profit_pct, "take_profit_pct", 10_000);
    for (const [field, v] of [
      ["fees_bps", s.fees_bps],
      ["slippage_bps", s.slippage_bps],
    ] as const) {
      if (!(Number.isFinite(v) && v >= 0 && v <= 1000)) throw bad(`${field}: ${v} must be from 0 to 1000 basis points (10 %)`);
    }
    if (!(Number.isFinite(s.position_size) && s.position_size > 0 && s.position_size <= 1)) {
      throw bad(`position_size: ${s.position_size} must be a fraction of equity above 0 and at most 1`);
    }
    if (!(Number.isFinite(s.initial_capital) && s.initial_capital > 0)) throw bad(`initial_capital: ${s.initial_capital} must be above 0`);
    if (s.mode === "long_short" && !s.short_entry) throw bad("short_entry: mode long_short needs a short_entry condition");
  }

  function backtestStrategy(req: StrategyBacktestRequest): StrategyReport {
    checkWindow(req.from, req.to);
    const s = req.strategy;
    checkStrategy(s);
    const interval = req.interval ?? s.interval ?? "1m";
    const bars = stored(req.symbol, interval, req.from, req.to);
    if (bars.length === 0) throw bad(`no stored ${interval} candles of ${req.symbol} in the window`);
    const ms = IV_MS[interval];
    const holds = evaluator(bars);
    const fee = s.fees_bps / 10_000;
    const slip = s.slippage_bps / 10_000;
    const longShort = s.mode === "long_short";

    interface Pos {
      side: 1 | -1;
      qty: number;
      entry: number;
      entryTime: number;
      entryFee: number;
      bars: number;
    }
    let cash = s.initial_capital;
    const st: { pos: Pos | null } = { pos: null };
    let pending: { close: boolean; open: 1 | -1 | null; reason: ExitReason } | null = null;
    let feesPaid = 0;
    let exposed = 0;
    const trades: TradeRecord[] = [];
    const equity: number[] = [];

    const close = (price: number, time: number, reason: ExitReason) => {
      const pos = st.pos;
      if (!pos) return;
      const exitFee = pos.qty * price * fee;
      const gross = pos.side * pos.qty * (price - pos.entry);
      cash += gross - exitFee;
      feesPaid += exitFee;
      const pnl = gross - pos.entryFee - exitFee;
      trades.push({
        side: pos.side === 1 ? "long" : "short",
        entryTime: pos.entryTime,
        entryPrice: pos.entry,
        exitTime: time,
        exitPrice: price,
        quantity: pos.qty,
        pnl,
        returnPct: pnl / (pos.qty * pos.entry),
        fees: pos.entryFee + exitFee,
        bars: pos.bars,
        exitReason: reason,
      });
      st.pos = null;
    };
    const open = (side: 1 | -1, rawPrice: number, time: number) => {
      const price = rawPrice * (1 + side * slip);
      const budget = cash * s.position_size;
      const qty = budget / (price * (1 + fee));
      const entryFee = qty * price * fee;
      cash -= entryFee;
      feesPaid += entryFee;
      st.pos = { side, qty, entry: price, entryTime: time, entryFee, bars: 0 };
    };

    for (let i = 0; i < bars.length; i++) {
      const b = bars[i];
      if (!b) continue;
      // Orders of the previous bar's close fill at this bar's open.
      if (pending) {
        const held = st.pos;
        if (pending.close && held) close(b.open * (1 - held.side * slip), b.openTime, pending.reason);
        if (pending.open !== null) open(pending.open, b.open, b.openTime);
        pending = null;
      }
      // Stops and targets against the bar's range (the stop first: the worse case).
      const p = st.pos;
      if (p) {
        const stop = typeof s.stop_loss_pct === "number" ? p.entry * (1 - (p.side * s.stop_loss_pct) / 100) : null;
        const target = typeof s.take_profit_pct === "number" ? p.entry * (1 + (p.side * s.take_profit_pct) / 100) : null;
        if (stop !== null && (p.side === 1 ? b.low <= stop : b.high >= stop)) {
          close(p.side === 1 ? Math.min(b.open, stop) : Math.max(b.open, stop), b.openTime + ms, "stop_loss");
        } else if (target !== null && (p.side === 1 ? b.high >= target : b.low <= target)) {
          close(p.side === 1 ? Math.max(b.open, target) : Math.min(b.open, target), b.openTime + ms, "take_profit");
        }
      }
      const cur = st.pos;
      if (cur) {
        cur.bars += 1;
        exposed += 1;
      }
      equity.push(cash + (cur ? cur.side * cur.qty * (b.close - cur.entry) : 0));
      // Signals at this bar's close.
      if (!cur) {
        if (holds(s.entry, i)) pending = { close: false, open: 1, reason: "signal" };
        else if (longShort && s.short_entry && holds(s.short_entry, i)) pending = { close: false, open: -1, reason: "signal" };
      } else if (cur.side === 1) {
        if (longShort && s.short_entry && holds(s.short_entry, i)) pending = { close: true, open: -1, reason: "reverse" };
        else if (s.exit && holds(s.exit, i)) pending = { close: true, open: null, reason: "signal" };
      } else {
        if (holds(s.entry, i)) pending = { close: true, open: 1, reason: "reverse" };
        else if (s.short_exit && holds(s.short_exit, i)) pending = { close: true, open: null, reason: "signal" };
      }
    }
    const lastBar = bars[bars.length - 1] as Candle;
    if (st.pos) {
      close(lastBar.close, lastBar.openTime + ms, "end");
      equity[equity.length - 1] = cash;
    }

    const n = equity.length;
    const periods = (365 * DAY) / ms;
    const rets = equity.map((e, i) => (i === 0 ? e / s.initial_capital - 1 : e / (equity[i - 1] ?? e) - 1));
    const mu = mean(rets) ?? 0;
    const sd = Math.sqrt(rets.reduce((a, r) => a + (r - mu) ** 2, 0) / Math.max(n - 1, 1));
    const downside = Math.sqrt(rets.reduce((a, r) => a + Math.min(r, 0) ** 2, 0) / Math.max(n, 1));
    let peak = s.initial_capital;
    const curve: EquityPoint[] = equity.map((e, i) => {
      peak = Math.max(peak, e);
      return { time: (bars[i]?.openTime ?? 0) + ms, equity: e, drawdown: peak > 0 ? 1 - e / peak : 0 };
    });
    const maxDrawdown = curve.reduce((m, p) => Math.max(m, p.drawdown), 0);
    const finalEquity = equity[n - 1] ?? s.initial_capital;
    const wins = trades.filter((t) => t.pnl > 0);
    const grossWin = wins.reduce((a, t) => a + t.pnl, 0);
    const grossLoss = -trades.filter((t) => t.pnl < 0).reduce((a, t) => a + t.pnl, 0);
    const want = req.curvePoints ?? DEFAULT_CURVE_POINTS;
    const step = want === 0 || curve.length <= want ? 1 : Math.ceil(curve.length / want);
    const thinned = curve.filter((_, i) => i % step === 0 || i === curve.length - 1);
    return {
      name: s.name,
      interval,
      mode: s.mode,
      bars: n,
      from: req.from,
      to: req.to,
      initialCapital: s.initial_capital,
      finalEquity,
      totalReturn: finalEquity / s.initial_capital - 1,
      annualReturn: n > 0 ? (finalEquity / s.initial_capital) ** (periods / n) - 1 : 0,
      volatility: sd * Math.sqrt(periods),
      sharpe: sd > 0 ? (mu / sd) * Math.sqrt(periods) : null,
      sortino: downside > 0 ? (mu / downside) * Math.sqrt(periods) : null,
      maxDrawdown,
      winRate: trades.length > 0 ? wins.length / trades.length : null,
      profitFactor: grossLoss > 0 ? grossWin / grossLoss : null,
      exposure: n > 0 ? exposed / n : 0,
      feesPaid,
      periodsPerYear: periods,
      trades,
      equity: thinned,
    };
  }

  return {
    handlers: {
      strategy_templates: () => structuredClone(MOCK_TEMPLATES),
      backtest_rules: (a: Record<string, unknown>) => backtestRules(a.request as RuleBacktestRequest),
      backtest_strategy: (a: Record<string, unknown>) => backtestStrategy(a.request as StrategyBacktestRequest),
    } satisfies Record<string, (args: Record<string, unknown>) => unknown>,
  };
}
