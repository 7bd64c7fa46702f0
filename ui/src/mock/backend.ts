// A stand-in for the Rust backend, for browser development (mock.html) and UI tests.
// It answers every command of the contract through `mockIPC`, runs a small random-walk
// market, evaluates simple rules and emits alerts like the engine does.
// Only mock.html and tests import this file; the app's index.html never does.
import type { Channel } from "@tauri-apps/api/core";
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Alert } from "../bindings/Alert";
import type { ApiError } from "../bindings/ApiError";
import type { Candle } from "../bindings/Candle";
import type { Comparison } from "../bindings/Comparison";
import type { Condition } from "../bindings/Condition";
import type { EngineStatus } from "../bindings/EngineStatus";
import type { LiveBatch } from "../bindings/LiveBatch";
import type { Op } from "../bindings/Op";
import type { Operand } from "../bindings/Operand";
import type { Radar } from "../bindings/Radar";
import type { RadarOiChange } from "../bindings/RadarOiChange";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";
import type { UiEvent } from "../bindings/UiEvent";
import type { WatchRow } from "../bindings/WatchRow";
import { ALL_OPS, opKind, parseMetric } from "../state/ruleForm";
import { mockBacktest } from "./backtest";
import { mockPortfolio } from "./portfolio";

/** Set on window while the mock is installed; the build checks dist/ never contains it. */
export const MOCK_MARKER = "__TICKWARDEN_MOCK_BACKEND__";

const MINUTE = 60_000;
const LEVELS = ["low", "medium", "high", "critical"];
const INTERVALS = ["1m", "5m", "15m", "1h", "4h", "1d"];

interface Instrument {
  symbol: string;
  name: string;
  start: number;
  vol: number;
}

const INSTRUMENTS: Instrument[] = [
  { symbol: "demo:ALPHA", name: "Alpha Dynamics", start: 128.4, vol: 0.0016 },
  { symbol: "demo:BETA", name: "Beta Materials", start: 42.15, vol: 0.0022 },
  { symbol: "demo:GAMMA", name: "Gamma Energy", start: 12.62, vol: 0.0028 },
  { symbol: "demo:DELTA", name: "Delta Biotech", start: 0.8731, vol: 0.004 },
  { symbol: "demo:EPSILON", name: "Epsilon Index", start: 2540.5, vol: 0.0009 },
  { symbol: "demo:ZETA", name: "Zeta Coin", start: 64.3, vol: 0.0035 },
];

/** Search-only instruments (A-shares found by pinyin initials), not streamed by the mock. */
const SEARCH_EXTRA: { symbol: string; name: string; pinyin?: string }[] = [
  { symbol: "tushare:000001.SZ", name: "平安银行", pinyin: "PAYH" },
  { symbol: "tushare:600519.SH", name: "贵州茅台", pinyin: "GZMT" },
];

export interface MockOptions {
  /** Seed of the random walk, so tests are repeatable. */
  seed?: number;
  /** Milliseconds between price steps and between live batches when running on timers. */
  tickMs?: number;
  /** Start timers; tests leave this off and call `step()`. */
  autoStart?: boolean;
  /** Clock (ms UTC). */
  now?: () => number;
  /** Minutes of 1m history to make up per symbol. */
  historyMinutes?: number;
  notifications?: { available: boolean; error: string | null };
  storage?: { persistent: boolean; error: string | null; fileBytes: number };
  /** Handle `plugin:event|*` so `listen`/`emit` work without Tauri. */
  mockEvents?: boolean;
  /**
   * Open-interest readings of futures contracts for `get_radar` (the mock's own market is
   * spot-like and has none, like the engine's demo source).
   */
  openInterest?: readonly RadarOiChange[];
}

export interface MockBackend {
  /** Advances the market by one price step per symbol and sends a live batch. */
  step: () => void;
  /** Everything the mock has been asked, in order (command, args). */
  calls: { cmd: string; args: Record<string, unknown> }[];
  /** Makes the next call of `cmd` reject with `error`. */
  failNext: (cmd: string, error: ApiError) => void;
  /** Sends an event as the engine would. */
  emitEvent: (event: UiEvent) => Promise<void>;
  rules: () => RuleRecord[];
  alerts: () => Alert[];
  uninstall: () => void;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SymState {
  inst: Instrument;
  price: number;
  ref24h: number;
  candles: Candle[];
  sigma: number;
  prev: Record<string, number | undefined>;
}

/** Thrown inside a handler; the dispatcher rejects with its plain `{ code, message }`. */
class Rejection extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

const fail = (code: ApiError["code"], message: string) => new Rejection({ code, message });

/** Rejects like a Tauri command does: with the ApiError object itself, not an Error. */
function reject(error: ApiError): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
  return Promise.reject(error);
}

function isComparison(c: Condition): c is Comparison {
  return "metric" in c;
}

function validateCondition(c: Condition, path: string): string | null {
  if ("all" in c || "any" in c) {
    const parts = "all" in c ? c.all : c.any;
    if (parts.length === 0) return `${path}: an empty group matches nothing`;
    for (const [i, p] of parts.entries()) {
      const e = validateCondition(p, `${path}.${"all" in c ? "all" : "any"}[${i}]`);
      if (e) return e;
    }
    return null;
  }
  if (parseMetric(c.metric) === null) return `${path}.metric: unknown metric "${c.metric}"`;
  if (!ALL_OPS.includes(c.op)) return `${path}.op: unknown operator "${c.op as string}"`;
  const operandProblem = (o: Operand | undefined, field: string) =>
    o === undefined
      ? `${path}.${field}: ${c.op} needs a \`${field}\``
      : (typeof o === "number" ? !Number.isFinite(o) : parseMetric(o.metric) === null)
        ? `${path}.${field}: must be a finite number or a known metric`
        : null;
  const kind = opKind(c.op);
  if (kind === "channel") return operandProblem(c.lower, "lower") ?? operandProblem(c.upper, "upper");
  if (kind === "moving") {
    if (typeof c.value !== "number" || c.value <= 0) return `${path}.value: must be a number above 0`;
    if (c.bars === undefined || c.bars < 1 || c.bars > 500) return `${path}.bars: must be from 1 to 500`;
    return null;
  }
  return operandProblem(c.value, "value");
}

function validateSpec(spec: RuleSpec, known: Set<string>): string | null {
  if (spec.version < 1 || spec.version > 2) return `version: unsupported version ${spec.version}`;
  if (spec.name.trim() === "") return "name: must not be empty";
  if (spec.name.length > 120) return "name: must be at most 120 characters";
  const symbols = spec.target.symbols ?? [];
  if (symbols.length === 0 && !spec.target.watchlist && !spec.target.source) {
    return "target: give symbols, a watchlist or a source";
  }
  for (const s of symbols) if (!known.has(s)) return `target.symbols: unknown symbol "${s}"`;
  if (!INTERVALS.includes(spec.interval)) return `interval: unknown interval "${spec.interval}"`;
  if (!LEVELS.includes(spec.level)) return `level: unknown level "${spec.level}"`;
  if (spec.frequency.cooldown_s < 0) return "frequency.cooldown_s: must not be negative";
  return validateCondition(spec.when, "when");
}

export function installMockBackend(options: MockOptions = {}): MockBackend {
  const rand = mulberry32(options.seed ?? 7);
  const now = options.now ?? (() => Date.now());
  const tickMs = options.tickMs ?? 250;
  const historyMinutes = options.historyMinutes ?? 240;
  const notifications = options.notifications ?? { available: true, error: null };
  const storage = options.storage ?? { persistent: true, error: null, fileBytes: 1_234_567 };

  const gauss = () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };

  // ---- the market ----
  const t0 = now();
  const syms = new Map<string, SymState>();
  for (const inst of INSTRUMENTS) {
    const candles: Candle[] = [];
    const firstOpen = Math.floor(t0 / MINUTE) * MINUTE - historyMinutes * MINUTE;
    let p = inst.start * (1 + gauss() * 0.02);
    for (let i = 0; i <= historyMinutes; i++) {
      const open = p;
      let high = open;
      let low = open;
      for (let k = 0; k < 6; k++) {
        p *= 1 + gauss() * inst.vol;
        high = Math.max(high, p);
        low = Math.min(low, p);
      }
      const volume = Math.round(800 + rand() * 1200 + (rand() < 0.05 ? 6000 * rand() : 0));
      candles.push({
        symbol: inst.symbol,
        interval: "1m",
        openTime: firstOpen + i * MINUTE,
        open,
        high,
        low,
        close: p,
        volume,
        quoteVolume: volume * p,
        trades: Math.round(volume / 7),
        closed: i < historyMinutes,
      });
    }
    syms.set(inst.symbol, {
      inst,
      price: p,
      ref24h: inst.start,
      candles,
      sigma: inst.vol,
      prev: {},
    });
  }

  const channels = new Set<Channel<LiveBatch>>();
  const changedRows = new Set<string>();
  const changedCandles = new Set<string>();
  let rules: RuleRecord[] = [];
  let alerts: Alert[] = [];
  let nextRuleId = 1;
  let nextAlertId = 1;
  let paused = false;
  let messages = 0;
  const fired = new Map<string, number>(); // `${ruleId}|${symbol}` → bar open time / ms
  const failures = new Map<string, ApiError>();
  const calls: MockBackend["calls"] = [];

  /** The last bar's volume against the mean of the 20 before it (the engine's is by time of day). */
  const relVolumeOf = (s: SymState): number | null => {
    const closed = s.candles.slice(-21, -1).map((c) => c.volume);
    const mean = closed.reduce((a, b) => a + b, 0) / Math.max(closed.length, 1);
    const last = s.candles[s.candles.length - 1];
    return closed.length >= 20 && mean > 0 && last ? last.volume / mean : null;
  };

  const rowOf = (s: SymState): WatchRow => {
    const last = s.candles[s.candles.length - 1];
    return {
      symbol: s.inst.symbol,
      name: s.inst.name,
      simulated: true,
      price: s.price,
      changePct: ((s.price - s.ref24h) / s.ref24h) * 100,
      volume: last?.volume ?? null,
      relVolume: relVolumeOf(s),
      updatedAt: now(),
    };
  };

  const metricsOf = (s: SymState): Record<string, number> => {
    const last = s.candles[s.candles.length - 1];
    const closed = s.candles.slice(-21, -1).map((c) => c.volume);
    const mean = closed.reduce((a, b) => a + b, 0) / Math.max(closed.length, 1);
    const sd = Math.sqrt(closed.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(closed.length, 1)) || 1;
    const volume = last?.volume ?? 0;
    return {
      price: s.price,
      change_pct: ((s.price - s.ref24h) / s.ref24h) * 100,
      volume,
      volume_z: (volume - mean) / sd,
    };
  };

  /** The radar as the engine builds it, from the mock's 1m bars (the same rules, fewer bars). */
  const radarOf = (limit: number, minScore: number): Radar => {
    const n = Math.max(1, Math.min(500, Math.floor(limit)));
    const all = [...syms.values()];
    const base = (s: SymState) => ({ symbol: s.inst.symbol, name: s.inst.name, simulated: true, price: s.price, at: now() });
    const anomalies = all
      .map((s) => {
        const z = metricsOf(s).volume_z ?? 0;
        const flagged = z >= 3;
        const last = s.candles[s.candles.length - 1];
        return {
          ...base(s),
          interval: "1m" as const,
          score: Math.abs(z),
          flagged,
          reasons: flagged ? [`volume ${z.toFixed(1)}σ above its 20-bar norm`] : [],
          barOpen: last?.openTime ?? 0,
          closed: false,
        };
      })
      .filter((a) => a.score >= minScore)
      .sort((a, b) => b.score - a.score)
      .slice(0, n);
    const movers = (minutes: number) =>
      all
        .flatMap((s) => {
          const then = s.candles[s.candles.length - 1 - minutes]?.close ?? (minutes >= 1440 ? s.ref24h : undefined);
          return then === undefined ? [] : [{ ...base(s), interval: "1m" as const, value: (s.price / then - 1) * 100 }];
        })
        .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
        .slice(0, n);
    const relativeVolume = all
      .map((s) => {
        const closed = s.candles.slice(-21, -1).map((c) => c.volume);
        const mean = closed.reduce((a, b) => a + b, 0) / Math.max(closed.length, 1);
        return { ...base(s), interval: "1m" as const, value: mean > 0 ? (s.candles[s.candles.length - 1]?.volume ?? 0) / mean : 0 };
      })
      .sort((a, b) => b.value - a.value)
      .slice(0, n);
    const oiChanges = [...(options.openInterest ?? [])]
      .sort((a, b) => Math.abs(b.changePct) - Math.abs(a.changePct))
      .slice(0, n);
    return { anomalies, movers5m: movers(5), movers1h: movers(60), movers24h: movers(1440), relativeVolume, oiChanges };
  };

  const compare = (op: Op, a: number, b: number, prevA: number | undefined): boolean => {
    switch (op) {
      case "gt":
        return a > b;
      case "lt":
        return a < b;
      case "ge":
        return a >= b;
      case "le":
        return a <= b;
      case "crosses_up":
        return prevA !== undefined && prevA <= b && a > b;
      case "crosses_down":
        return prevA !== undefined && prevA >= b && a < b;
      case "crosses":
        return prevA !== undefined && (prevA <= b) !== (a <= b);
      default:
        return false; // channel and moving operators are not simulated by the mock
    }
  };

  const holds = (c: Condition, m: Record<string, number>, prev: SymState["prev"]): boolean => {
    if (!isComparison(c)) return "all" in c ? c.all.every((x) => holds(x, m, prev)) : c.any.some((x) => holds(x, m, prev));
    const a = m[c.metric];
    if (c.value === undefined) return false;
    const b = typeof c.value === "number" ? c.value : m[c.value.metric];
    return a !== undefined && b !== undefined && compare(c.op, a, b, prev[c.metric]);
  };

  const firstMetric = (c: Condition): string => (isComparison(c) ? c.metric : firstMetric(("all" in c ? c.all : c.any)[0] ?? { metric: "price", op: "gt", value: 0 }));

  const evaluate = (s: SymState) => {
    const m = metricsOf(s);
    const bar = s.candles[s.candles.length - 1]?.openTime ?? 0;
    for (const r of rules) {
      const spec = r.spec;
      const targets = spec.target.symbols ?? [];
      const watches = targets.includes(s.inst.symbol) || spec.target.source === "demo";
      if (!spec.enabled || !watches) continue;
      if (spec.expires_at !== null && now() > spec.expires_at) continue;
      if (!holds(spec.when, m, s.prev)) continue;
      const key = `${r.id}|${s.inst.symbol}`;
      const last = fired.get(key);
      const t = now();
      if (spec.frequency.mode === "once" && last !== undefined) continue;
      if (spec.frequency.mode.startsWith("once_per_bar") && last !== undefined && last >= bar) continue;
      if (last !== undefined && t - last < spec.frequency.cooldown_s * 1000 && spec.frequency.mode === "every_time") continue;
      fired.set(key, spec.frequency.mode.startsWith("once_per_bar") ? bar : t);
      if (paused) continue;
      const metric = firstMetric(spec.when);
      const alert: Alert = {
        id: nextAlertId++,
        ruleId: r.id,
        ruleName: spec.name,
        symbol: s.inst.symbol,
        interval: spec.interval,
        level: spec.level,
        firedAt: t,
        barTime: bar,
        message: `${s.inst.symbol.slice(5)} ${metric} ${(m[metric] ?? 0).toFixed(2)} (simulated)`,
        metrics: m,
      };
      alerts = [alert, ...alerts].slice(0, 1000);
      void emitEvent({ kind: "alert", alert });
    }
    s.prev = m;
  };

  const stepSymbol = (s: SymState) => {
    // volatility clustering: sigma drifts toward the instrument's base with shocks
    s.sigma = Math.max(s.inst.vol * 0.3, s.sigma * 0.97 + s.inst.vol * 0.03 + Math.abs(gauss()) * s.inst.vol * 0.05);
    const jump = rand() < 0.003 ? gauss() * s.inst.vol * 8 : 0;
    s.price = Math.max(s.price * (1 + gauss() * s.sigma * 0.5 + jump), 1e-6);
    const t = now();
    const open = Math.floor(t / MINUTE) * MINUTE;
    const last = s.candles[s.candles.length - 1];
    const burst = rand() < 0.01 ? 400 + rand() * 1500 : 0;
    const dv = Math.round(5 + rand() * 40 + burst);
    if (!last || open > last.openTime) {
      if (last) {
        last.closed = true;
        changedCandles.add(`${s.inst.symbol}|${last.openTime}`);
      }
      s.candles.push({
        symbol: s.inst.symbol,
        interval: "1m",
        openTime: open,
        open: last?.close ?? s.price,
        high: Math.max(last?.close ?? s.price, s.price),
        low: Math.min(last?.close ?? s.price, s.price),
        close: s.price,
        volume: dv,
        quoteVolume: dv * s.price,
        trades: 1,
        closed: false,
      });
      if (s.candles.length > 5000) s.candles.splice(0, s.candles.length - 5000);
    } else {
      last.high = Math.max(last.high, s.price);
      last.low = Math.min(last.low, s.price);
      last.close = s.price;
      last.volume += dv;
      last.quoteVolume += dv * s.price;
      last.trades += 1;
    }
    const cur = s.candles[s.candles.length - 1];
    if (cur) changedCandles.add(`${s.inst.symbol}|${cur.openTime}`);
    changedRows.add(s.inst.symbol);
    messages += 1;
    evaluate(s);
  };

  const flush = () => {
    if (changedRows.size === 0 && changedCandles.size === 0) return;
    const rows: WatchRow[] = [];
    for (const sym of changedRows) {
      const s = syms.get(sym);
      if (s) rows.push(rowOf(s));
    }
    const candles: Candle[] = [];
    for (const key of changedCandles) {
      const [sym, open] = key.split("|");
      const c = syms.get(sym ?? "")?.candles.find((x) => x.openTime === Number(open));
      if (c) candles.push({ ...c });
    }
    changedRows.clear();
    changedCandles.clear();
    const batch: LiveBatch = { rows, candles };
    for (const ch of channels) ch.onmessage(batch);
  };

  const step = () => {
    for (const s of syms.values()) if (rand() < 0.85) stepSymbol(s);
    flush();
  };

  async function emitEvent(event: UiEvent): Promise<void> {
    await emit("tw://event", event);
  }

  const status = (): EngineStatus => ({
    feeds: [
      {
        source: "demo",
        simulated: true,
        state: "connected",
        lastMessageAt: now(),
        messages,
        reconnects: 0,
        lastError: null,
        nextUpdateAt: null,
        detail: null,
        messagesPerSec: 8,
        lagMs: 0,
      },
    ],
    alertsPaused: paused,
    notifications,
    dataDir: "/mock/tickwarden",
    storage,
  });

  let lists: { name: string; symbols: string[] }[] = [{ name: "default", symbols: [...syms.keys()] }];
  const listNamed = (name: unknown) => {
    const l = lists.find((x) => x.name === name);
    if (!l) throw fail("invalid_input", `there is no watchlist named "${String(name)}"`);
    return l;
  };
  let uiSettings = {
    language: "system",
    theme: "dark",
    upColor: "green_up",
    minimizeToTray: true,
    retention1mDays: 30,
    retention5mDays: 90,
    retention15mDays: 180,
    retention1hDays: 365,
    retention4hDays: 1095,
    retention1dDays: 0,
    maxDbMb: 2048,
    maxCandlesPerSeries: 100_000,
    localApiEnabled: false,
    localApiPort: 47878,
  };
  const acked = new Map<number, number>();
  const resolved = new Map<number, number>();

  // Holdings priced from the mock market; their `portfolio:` series may be rule targets.
  const portfolio = mockPortfolio(
    {
      price: (s) => syms.get(s)?.price ?? null,
      prevClose: (s) => syms.get(s)?.ref24h ?? null,
      alertTimes: (s) => alerts.filter((x) => x.symbol === s).map((x) => x.firedAt),
      now,
    },
    fail,
  );
  const ruleSymbols = () => new Set([...syms.keys(), ...portfolio.seriesSymbols()]);
  // Rules and strategies over the mock market's stored 1m bars.
  const backtest = mockBacktest((s) => syms.get(s)?.candles ?? null, (spec) => validateSpec(spec, ruleSymbols()), fail);

  const ruleById = (id: unknown): RuleRecord => {
    const r = rules.find((x) => x.id === id);
    if (!r) throw fail("not_found", `rule ${String(id)} does not exist`);
    return r;
  };

  const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
    get_watchlist: () => [...syms.values()].map(rowOf),
    get_radar: (a) => {
      const minScore = Number(a.minScore);
      if (!Number.isFinite(minScore) || minScore < 0) {
        throw fail("invalid_input", `minScore: must be a number of 0 or more, not ${String(a.minScore)}`);
      }
      return radarOf(Number(a.limit) || 1, minScore);
    },
    get_candles: (a) => {
      const s = syms.get(a.symbol as string);
      if (!s) throw fail("not_found", `unknown symbol "${String(a.symbol)}"`);
      if (a.interval !== "1m") return [];
      const limit = Math.max(0, Math.min(5000, Number(a.limit) || 500));
      return s.candles.slice(-limit).map((c) => ({ ...c }));
    },
    get_candles_before: (a) => {
      const s = syms.get(a.symbol as string);
      if (!s) throw fail("not_found", `unknown symbol "${String(a.symbol)}"`);
      const before = Number(a.before);
      const limit = Number(a.limit);
      if (!Number.isFinite(before) || before <= 0) throw fail("invalid_input", `before: ${String(a.before)} is not a time (ms since 1970, UTC)`);
      if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw fail("invalid_input", `limit: ${String(a.limit)} bars; a page holds 1 to 5000`);
      if (a.interval !== "1m") return [];
      return s.candles.filter((c) => c.openTime < before).slice(-limit).map((c) => ({ ...c }));
    },
    // A stock's daily figures: made-up but repeatable for Tushare symbols (the mock market has
    // none of its own), nothing for other sources, like the engine with no sync yet.
    get_fundamentals: (a) => {
      const symbol = String(a.symbol);
      const days = Number(a.days);
      if (!Number.isInteger(days) || days < 1 || days > 3660) throw fail("invalid_input", `days: ${String(a.days)}; ask for 1 to 3660 days`);
      if (!symbol.startsWith("tushare:")) return [];
      const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
      const out = [];
      for (let i = Math.min(days, 12); i >= 1; i--) {
        const wave = Math.sin(i * 1.7);
        out.push({
          dayMs: today - i * 86_400_000,
          values: {
            turnover_rate: 0.4 + 0.1 * wave,
            volume_ratio: 1 + 0.3 * wave,
            pb: 0.92,
            pe_ttm: 6.1,
            total_mv: 8.1e11,
            circ_mv: 6.9e11,
            main_net_inflow: 2.4e8 * wave,
            large_net_inflow: 1.1e8 * wave,
            xlarge_net_inflow: 1.3e8 * wave,
          },
        });
      }
      return out;
    },
    get_sparklines: (a) => {
      const symbols = a.symbols as string[];
      const points = Number(a.points);
      if (!Number.isInteger(points) || points < 2 || points > 500) throw fail("invalid_input", `points: ${String(a.points)}; a sparkline has 2 to 500 points`);
      const step = ({ "1m": 1, "5m": 5, "15m": 15, "1h": 60, "4h": 240, "1d": 1440 } as Record<string, number>)[a.interval as string] ?? 1;
      return [...new Set(symbols)].map((sym) => {
        const s = syms.get(sym);
        const closes: number[] = [];
        let bucket = NaN;
        // The close of each bar of `interval`: the last 1m close in it.
        for (const c of s?.candles ?? []) {
          const b = Math.floor(c.openTime / (step * MINUTE));
          if (b === bucket) closes[closes.length - 1] = c.close;
          else closes.push(c.close);
          bucket = b;
        }
        return { symbol: sym, interval: a.interval, closes: closes.slice(-points) };
      });
    },
    subscribe_live: (a) => {
      const ch = a.onBatch as Channel<LiveBatch> | undefined;
      if (!ch || typeof ch !== "object") throw fail("invalid_input", "onBatch: a channel is required");
      channels.add(ch);
      return null;
    },
    list_rules: () => rules.map((r) => structuredClone(r)),
    create_rule: (a) => {
      const spec = a.spec as RuleSpec;
      const problem = validateSpec(spec, ruleSymbols());
      if (problem) throw fail("invalid_rule", problem);
      const rec: RuleRecord = { id: nextRuleId++, spec: structuredClone(spec), createdAt: now() };
      rules = [...rules, rec];
      return structuredClone(rec);
    },
    set_rule_enabled: (a) => {
      const r = ruleById(a.id);
      r.spec = { ...r.spec, enabled: Boolean(a.enabled) };
      return structuredClone(r);
    },
    update_rule: (a) => {
      const r = ruleById(a.id);
      const spec = a.spec as RuleSpec;
      const problem = validateSpec(spec, new Set(syms.keys()));
      if (problem) throw fail("invalid_rule", problem);
      r.spec = structuredClone(spec);
      void emitEvent({ kind: "rulesChanged" });
      return structuredClone(r);
    },
    duplicate_rule: (a) => {
      const r = ruleById(a.id);
      const rec: RuleRecord = { id: nextRuleId++, spec: { ...structuredClone(r.spec), name: `${r.spec.name} (copy)`, enabled: false }, createdAt: now() };
      rules = [...rules, rec];
      return structuredClone(rec);
    },
    import_rules: (a) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(a.json));
      } catch (e) {
        throw fail("invalid_input", `not JSON: ${e instanceof Error ? e.message : "parse error"}`);
      }
      const list = Array.isArray(parsed) ? parsed : typeof parsed === "object" && parsed !== null && "rules" in parsed ? parsed.rules : [parsed];
      if (!Array.isArray(list)) throw fail("invalid_input", "rules: must be a list of rules");
      const specs = list as RuleSpec[];
      for (const [i, spec] of specs.entries()) {
        const problem = validateSpec(spec, new Set(syms.keys()));
        if (problem) throw fail("invalid_input", `rules[${i}].${problem}`);
      }
      const recs = specs.map((spec) => ({ id: nextRuleId++, spec: structuredClone(spec), createdAt: now() }));
      rules = [...rules, ...recs];
      return structuredClone(recs);
    },
    export_rules: () => JSON.stringify({ version: 2, rules: rules.map((r) => r.spec) }, null, 2),
    delete_rule: (a) => {
      ruleById(a.id);
      rules = rules.filter((r) => r.id !== a.id);
      return null;
    },
    list_alerts: (a) => alerts.slice(0, Math.max(0, Number(a.limit) || 100)),
    get_status: () => status(),
    list_watchlists: () => lists.map((l) => ({ name: l.name, symbols: [...l.symbols] })),
    watchlist_rows: (a) => listNamed(a.name).symbols.flatMap((sym) => {
      const st = syms.get(sym);
      return st ? [rowOf(st)] : [];
    }),
    create_watchlist: (a) => {
      const name = String(a.name).trim();
      if (name === "") throw fail("invalid_input", "the watchlist name is empty");
      if (lists.some((l) => l.name === name)) throw fail("invalid_input", `a watchlist named "${name}" already exists`);
      lists.push({ name, symbols: [] });
      return { name, symbols: [] };
    },
    delete_watchlist: (a) => {
      if (a.name === "default") throw fail("invalid_input", "the default watchlist cannot be deleted");
      lists = lists.filter((l) => l.name !== a.name);
      return null;
    },
    add_to_watchlist: (a) => {
      const sym = String(a.symbol);
      if (!sym.includes(":")) throw fail("invalid_input", `symbol "${sym}": expected source:CODE`);
      const l = listNamed(a.name);
      if (!l.symbols.includes(sym)) l.symbols.push(sym);
      return null;
    },
    remove_from_watchlist: (a) => {
      const l = listNamed(a.name);
      l.symbols = l.symbols.filter((x) => x !== a.symbol);
      return null;
    },
    reorder_watchlist: (a) => {
      listNamed(a.name).symbols = [...(a.symbols as string[])];
      return null;
    },
    search_symbols: (a) => {
      const q = String(a.query).trim().toLowerCase();
      if (q === "") return [];
      const all: { symbol: string; name: string; pinyin?: string }[] = [...INSTRUMENTS, ...SEARCH_EXTRA];
      return all
        .filter((i) => i.symbol.toLowerCase().includes(q) || i.name.toLowerCase().includes(q) || (i.pinyin ?? "").toLowerCase().includes(q))
        .map((i) => ({ symbol: i.symbol, name: i.name, source: i.symbol.split(":")[0], pinyin: i.pinyin ?? null, simulated: i.symbol.startsWith("demo:") }));
    },
    get_indicators: (a) => {
      const s = syms.get(a.symbol as string);
      const bars = s && a.interval === "1m" ? s.candles.slice(-Number(a.limit)) : [];
      const names = a.names as string[];
      // Only the moving average is simulated here; the real values come from tw-analytics.
      const sma = (i: number) => (i < 19 ? null : bars.slice(i - 19, i + 1).reduce((n, c) => n + c.close, 0) / 20);
      return { times: bars.map((c) => c.openTime), lines: names.map((name) => ({ name, values: bars.map((_, i) => (name === "sma(20)" ? sma(i) : null)) })) };
    },
    preview_rule: (a) => {
      const spec = a.spec as RuleSpec;
      const problem = validateSpec(spec, new Set(syms.keys()));
      if (problem) throw fail("invalid_rule", problem);
      const to = now();
      const hits: { symbol: string; firedAt: number; message: string; level: RuleSpec["level"] }[] = [];
      const cmp = spec.when as Comparison;
      for (const sym of spec.target.symbols ?? []) {
        for (const c of syms.get(sym)?.candles ?? []) {
          if (!c.closed || cmp.metric !== "price" || typeof cmp.value !== "number") continue;
          const v = cmp.value;
          const holds = cmp.op === "gt" ? c.close > v : cmp.op === "lt" ? c.close < v : cmp.op === "ge" ? c.close >= v : cmp.op === "le" ? c.close <= v : false;
          if (holds) hits.push({ symbol: sym, firedAt: c.openTime + MINUTE, message: `${sym} price ${c.close.toFixed(2)}`, level: spec.level });
        }
      }
      return { fired: hits.length, from: to - 7 * 24 * 60 * MINUTE, to, symbols: spec.target.symbols ?? [], hits: hits.slice(0, 200) };
    },
    get_ui_settings: () => ({ ...uiSettings }),
    set_ui_settings: (a) => {
      const next = a.settings as typeof uiSettings;
      if (!["system", "en", "zh-CN"].includes(next.language)) throw fail("invalid_input", `language: "${next.language}" is not one of system, en, zh-CN`);
      uiSettings = { ...next };
      return null;
    },
    alert_history: (a) => {
      const q = (a.query ?? {}) as { level?: string; status?: string; symbol?: string };
      return alerts
        .map((x) => ({ ...x, acknowledgedAt: acked.get(x.id) ?? null, resolvedAt: resolved.get(x.id) ?? null }))
        .filter((x) => (q.level === undefined || x.level === q.level) && (q.symbol === undefined || x.symbol === q.symbol))
        .filter((x) => q.status === undefined || (q.status === "resolved" ? x.resolvedAt !== null : q.status === "acknowledged" ? x.acknowledgedAt !== null && x.resolvedAt === null : x.acknowledgedAt === null && x.resolvedAt === null));
    },
    acknowledge_alerts: (a) => {
      for (const id of a.ids as number[]) acked.set(id, now());
      return (a.ids as number[]).length;
    },
    resolve_alerts: (a) => {
      for (const id of a.ids as number[]) resolved.set(id, now());
      return (a.ids as number[]).length;
    },
    alert_stats: () => {
      const count = (key: (x: Alert) => string) => {
        const m = new Map<string, number>();
        for (const x of alerts) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
        return [...m].map(([k, n]) => ({ key: k, count: n }));
      };
      const byHour = Array.from({ length: 24 }, () => 0);
      for (const x of alerts) {
        const h = new Date(x.firedAt).getUTCHours();
        byHour[h] = (byHour[h] ?? 0) + 1;
      }
      return { total: alerts.length, byLevel: count((x) => x.level), byRule: count((x) => x.ruleName), bySymbol: count((x) => x.symbol), byHour };
    },
    export_alerts_csv: () => "id,symbol\n" + alerts.map((x) => `${x.id},${x.symbol}`).join("\n"),
    ...portfolio.handlers,
    ...backtest.handlers,
    get_autostart: () => false,
    set_autostart: () => null,
    set_alerts_paused: (a) => {
      paused = Boolean(a.paused);
      void emitEvent({ kind: "alertsPaused", paused });
      return null;
    },
  };

  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const injected = failures.get(cmd);
      if (injected) {
        failures.delete(cmd);
        return reject(injected);
      }
      const h = handlers[cmd];
      if (!h) return reject({ code: "internal", message: `mock backend: unknown command ${cmd}` });
      try {
        return Promise.resolve(h(args));
      } catch (e) {
        if (e instanceof Rejection) return reject(e.apiError);
        return reject({ code: "internal", message: e instanceof Error ? e.message : "mock backend failed" });
      }
    },
    { shouldMockEvents: options.mockEvents ?? true },
  );
  (window as unknown as Record<string, unknown>)[MOCK_MARKER] = true;

  let timer: ReturnType<typeof setInterval> | undefined;
  if (options.autoStart) timer = setInterval(step, tickMs);

  return {
    step,
    calls,
    failNext: (cmd, error) => failures.set(cmd, error),
    emitEvent,
    rules: () => rules,
    alerts: () => alerts,
    uninstall: () => {
      if (timer !== undefined) clearInterval(timer);
      channels.clear();
      Reflect.deleteProperty(window, MOCK_MARKER);
      clearMocks();
    },
  };
}
