// The rule editor's model: every field of a RuleSpec as the user types it, validation that
// mirrors the engine's (tw-analytics `rules::compile`, with the same field paths such as
// `when.all[1].upper`), and the conversions spec → form → spec that lose nothing.
import type { Channels } from "../bindings/Channels";
import type { Comparison } from "../bindings/Comparison";
import type { Condition } from "../bindings/Condition";
import type { EvalMode } from "../bindings/EvalMode";
import type { FrequencyMode } from "../bindings/FrequencyMode";
import type { Interval } from "../bindings/Interval";
import type { Level } from "../bindings/Level";
import type { Op } from "../bindings/Op";
import type { Operand } from "../bindings/Operand";
import type { RuleSpec } from "../bindings/RuleSpec";
import type { Target } from "../bindings/Target";
import type { MessageKey } from "../i18n/messages";

// ---- the vocabulary (tw-analytics metric.rs, tw-core rule.rs) ----

/** Every metric without a parameter, in the engine's order (`MetricKey::SCALARS`). */
export const SCALAR_METRICS = [
  "price",
  "change_pct",
  "volume",
  "quote_volume",
  "volume_z",
  "return_z",
  "return_robust_z",
  "return_pctile",
  "range_z",
  "ewma_vol",
  "cusum",
  "anomaly_score",
  "rvol",
  "volume_ratio",
  "rsi",
  "macd",
  "macd_signal",
  "macd_hist",
  "bb_upper",
  "bb_mid",
  "bb_lower",
  "atr",
  "vwap",
  "new_high",
  "new_low",
  "turnover_rate",
  "pe",
  "pb",
  "net_inflow",
  "open_interest",
  "oi_change_pct",
  "pnl_day",
  "pnl_day_pct",
  "pnl_total",
  "pnl_total_pct",
  "drawdown_pct",
  "weight_pct",
  "volatility_pct",
  "var95_pct",
  "var99_pct",
  "alerts_1h",
] as const;
export type ScalarMetric = (typeof SCALAR_METRICS)[number];

/** Metrics that take a period: `sma(50)`, `ema(12)`. */
export const PERIOD_METRICS = ["sma", "ema"] as const;
export type PeriodMetric = (typeof PERIOD_METRICS)[number];
/** Largest period of `sma(n)`/`ema(n)` (`metric::MAX_PERIOD`). */
export const MAX_PERIOD = 1000;

/** The picker's groups, in the order shown. */
export const METRIC_GROUPS: readonly { key: MessageKey; metrics: readonly (ScalarMetric | PeriodMetric)[] }[] = [
  { key: "re.mgroup.market", metrics: ["price", "change_pct", "volume", "quote_volume", "vwap", "new_high", "new_low"] },
  { key: "re.mgroup.indicators", metrics: ["sma", "ema", "rsi", "macd", "macd_signal", "macd_hist", "bb_upper", "bb_mid", "bb_lower", "atr"] },
  {
    key: "re.mgroup.anomaly",
    metrics: ["anomaly_score", "volume_z", "return_z", "return_robust_z", "return_pctile", "range_z", "ewma_vol", "cusum", "rvol", "volume_ratio"],
  },
  { key: "re.mgroup.daily", metrics: ["turnover_rate", "pe", "pb", "net_inflow"] },
  { key: "re.mgroup.derivatives", metrics: ["open_interest", "oi_change_pct"] },
  {
    key: "re.mgroup.portfolio",
    metrics: ["pnl_day", "pnl_day_pct", "pnl_total", "pnl_total_pct", "drawdown_pct", "weight_pct", "volatility_pct", "var95_pct", "var99_pct", "alerts_1h"],
  },
];

export function isScalarMetric(s: string): s is ScalarMetric {
  return (SCALAR_METRICS as readonly string[]).includes(s);
}

/**
 * A metric name as the engine parses it (`MetricKey::parse`): a scalar name, or
 * `sma(n)`/`ema(n)` with 1 ≤ n ≤ 1000. Null when the engine would refuse it.
 */
export function parseMetric(text: string): { name: ScalarMetric } | { name: PeriodMetric; period: number } | null {
  const s = text.trim();
  const m = /^(sma|ema)\((.*)\)$/.exec(s);
  if (m) {
    const inner = (m.at(2) ?? "").trim();
    if (!/^\d+$/.test(inner)) return null;
    const n = Number(inner);
    return n >= 1 && n <= MAX_PERIOD ? { name: m[1] as PeriodMetric, period: n } : null;
  }
  return isScalarMetric(s) ? { name: s } : null;
}

export const COMPARE_OPS = ["gt", "lt", "ge", "le"] as const satisfies readonly Op[];
export const CROSS_OPS = ["crosses", "crosses_up", "crosses_down"] as const satisfies readonly Op[];
export const CHANNEL_OPS = ["entering_channel", "exiting_channel", "inside_channel", "outside_channel"] as const satisfies readonly Op[];
export const MOVING_OPS = ["moving_up", "moving_down", "moving_up_pct", "moving_down_pct"] as const satisfies readonly Op[];
/** Every operator, grouped as the editor shows them. */
export const OP_GROUPS: readonly { key: MessageKey; ops: readonly Op[] }[] = [
  { key: "re.opgroup.compare", ops: COMPARE_OPS },
  { key: "re.opgroup.cross", ops: CROSS_OPS },
  { key: "re.opgroup.channel", ops: CHANNEL_OPS },
  { key: "re.opgroup.moving", ops: MOVING_OPS },
];
export const ALL_OPS: readonly Op[] = OP_GROUPS.flatMap((g) => g.ops);

export type OpKind = "compare" | "channel" | "moving";
export function opKind(op: Op): OpKind {
  if ((CHANNEL_OPS as readonly Op[]).includes(op)) return "channel";
  if ((MOVING_OPS as readonly Op[]).includes(op)) return "moving";
  return "compare";
}
/** Edge operators decide on a change from the previous sample (`Op::is_edge`). */
export function isEdgeOp(op: Op): boolean {
  return ["crosses", "crosses_up", "crosses_down", "entering_channel", "exiting_channel"].includes(op);
}

export const LEVELS = ["low", "medium", "high", "critical"] as const satisfies readonly Level[];
export const INTERVALS = ["1m", "5m", "15m", "1h", "4h", "1d"] as const satisfies readonly Interval[];
export const FREQUENCIES = ["once", "once_per_bar", "once_per_bar_close", "every_time"] as const satisfies readonly FrequencyMode[];
/** Placeholders the engine fills into a message template. */
export const MESSAGE_PLACEHOLDERS = ["symbol", "price", "metric", "value", "rule", "level", "interval", "reasons"] as const;

/** The engine's limits (compile.rs). */
export const NAME_MAX = 120;
export const MESSAGE_MAX = 500;
export const MAX_COOLDOWN_S = 30 * 24 * 3600;
export const MAX_BARS = 500;
export const MAX_DEPTH = 8;
/** The newest rule format the engine understands (`RULE_VERSION`). */
export const RULE_VERSION = 2;

// ---- the form ----

export interface MetricInput {
  /** A scalar metric, `sma`/`ema` (with `period`), or `custom` (free text in `custom`). */
  pick: ScalarMetric | PeriodMetric | "custom";
  period: string;
  custom: string;
}

export interface OperandInput {
  kind: "number" | "metric";
  /** As typed. */
  number: string;
  metric: MetricInput;
}

export interface CmpNode {
  type: "cmp";
  id: string;
  metric: MetricInput;
  op: Op;
  /** Compare operators' right-hand side, and the moving operators' amount (a number). */
  value: OperandInput;
  lower: OperandInput;
  upper: OperandInput;
  /** The moving operators' look-back, as typed. */
  bars: string;
}

export interface GroupNode {
  type: "group";
  id: string;
  kind: "all" | "any";
  children: CondNode[];
}
export type CondNode = CmpNode | GroupNode;

export interface RuleFormState {
  name: string;
  useSymbols: boolean;
  /** Symbol codes (`source:CODE`); "" is a row not chosen yet. */
  symbols: string[];
  useWatchlist: boolean;
  watchlist: string;
  useSource: boolean;
  source: string;
  interval: Interval;
  evaluate: EvalMode;
  /**
   * The conditions. The root is always a group in the form; when `rootImplicit` and it holds
   * one condition, the spec gets that condition alone (as a rule without a group was written).
   */
  when: GroupNode;
  rootImplicit: boolean;
  level: Level;
  frequency: FrequencyMode;
  cooldown: string;
  rearm: boolean;
  holdBars: string;
  expires: boolean;
  /** `datetime-local` text, local time. */
  expiresAt: string;
  enabled: boolean;
  message: string;
  notification: boolean;
  sound: boolean;
  webhooks: string[];
  /** What an edited rule had, so saving it loses nothing the form does not show. */
  origin: { version: number; expiresMs: number | null; expiresText: string; hadChannels: boolean } | null;
}

/** The flat values other views prefill the editor with (the chart's "create alert here"). */
export interface RuleFormValues {
  name: string;
  symbol: string;
  metric: string;
  op: Op;
  value: string;
  level: Level;
  interval?: Interval;
  frequency?: FrequencyMode;
  cooldown?: string;
  message?: string;
}

let nextId = 1;
const newId = () => `n${nextId++}`;

export function metricInput(text: string): MetricInput {
  const p = parseMetric(text);
  if (p === null) return { pick: "custom", period: "", custom: text };
  if ("period" in p) return { pick: p.name, period: String(p.period), custom: "" };
  return { pick: p.name, period: "", custom: "" };
}

/** The metric name the input stands for (may be one the engine refuses). */
export function metricText(m: MetricInput): string {
  if (m.pick === "custom") return m.custom.trim();
  if (m.pick === "sma" || m.pick === "ema") return `${m.pick}(${m.period.trim()})`;
  return m.pick;
}

const emptyOperand = (): OperandInput => ({ kind: "number", number: "", metric: metricInput("price") });

function operandInput(o: Operand | undefined): OperandInput {
  if (o === undefined) return emptyOperand();
  if (typeof o === "number") return { kind: "number", number: String(o), metric: metricInput("price") };
  return { kind: "metric", number: "", metric: metricInput(o.metric) };
}

export function newComparison(seed: Partial<{ metric: string; op: Op; value: string }> = {}): CmpNode {
  return {
    type: "cmp",
    id: newId(),
    metric: metricInput(seed.metric ?? "price"),
    op: seed.op ?? "gt",
    value: { ...emptyOperand(), number: seed.value ?? "" },
    lower: emptyOperand(),
    upper: emptyOperand(),
    bars: "",
  };
}

export function newGroup(kind: "all" | "any" = "all", children: CondNode[] = [newComparison()]): GroupNode {
  return { type: "group", id: newId(), kind, children };
}

export function defaultForm(seed: Partial<RuleFormValues> = {}): RuleFormState {
  return {
    name: seed.name ?? "",
    useSymbols: true,
    symbols: [seed.symbol ?? ""],
    useWatchlist: false,
    watchlist: "",
    useSource: false,
    source: "",
    interval: seed.interval ?? "1m",
    evaluate: "live",
    when: newGroup("all", [newComparison({ metric: seed.metric, op: seed.op, value: seed.value })]),
    rootImplicit: true,
    level: seed.level ?? "medium",
    frequency: seed.frequency ?? "once_per_bar",
    cooldown: seed.cooldown ?? "60",
    rearm: false,
    holdBars: "0",
    expires: false,
    expiresAt: "",
    enabled: true,
    message: seed.message ?? "",
    notification: true,
    sound: false,
    webhooks: [],
    origin: null,
  };
}

/** `datetime-local` text for a time in ms, in the local zone. */
export function localDateTimeText(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Ms for `datetime-local` text (local zone), or null. */
export function parseLocalDateTime(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x: string | undefined) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || date.getHours() !== h) return null;
  return date.getTime();
}

function condNode(c: Condition): CondNode {
  if ("all" in c) return { type: "group", id: newId(), kind: "all", children: c.all.map(condNode) };
  if ("any" in c) return { type: "group", id: newId(), kind: "any", children: c.any.map(condNode) };
  return {
    type: "cmp",
    id: newId(),
    metric: metricInput(c.metric),
    op: c.op,
    value: operandInput(c.value),
    lower: operandInput(c.lower),
    upper: operandInput(c.upper),
    bars: c.bars === undefined ? "" : String(c.bars),
  };
}

/** The form for an existing rule: every field of the spec, nothing dropped. */
export function formFromSpec(spec: RuleSpec): RuleFormState {
  const root = condNode(spec.when);
  const t = spec.target;
  const channels = spec.channels;
  const expiresText = spec.expires_at === null ? "" : localDateTimeText(spec.expires_at);
  return {
    name: spec.name,
    useSymbols: (t.symbols ?? []).length > 0,
    symbols: (t.symbols ?? []).length > 0 ? [...(t.symbols ?? [])] : [""],
    useWatchlist: t.watchlist !== undefined,
    watchlist: t.watchlist ?? "",
    useSource: t.source !== undefined,
    source: t.source ?? "",
    interval: spec.interval,
    evaluate: spec.evaluate ?? "live",
    when: root.type === "group" ? root : newGroup("all", [root]),
    rootImplicit: root.type !== "group",
    level: spec.level,
    frequency: spec.frequency.mode,
    cooldown: String(spec.frequency.cooldown_s),
    rearm: spec.frequency.rearm ?? false,
    holdBars: String(spec.frequency.hold_bars ?? 0),
    expires: spec.expires_at !== null,
    expiresAt: expiresText,
    enabled: spec.enabled,
    message: spec.message ?? "",
    notification: channels?.notification ?? true,
    sound: channels?.sound ?? false,
    webhooks: [...(channels?.webhooks ?? [])],
    origin: { version: spec.version, expiresMs: spec.expires_at, expiresText, hadChannels: channels !== undefined },
  };
}

/** The flat seed → form (kept for callers that prefill a simple rule). */
export function formFromValues(values: Partial<RuleFormValues>): RuleFormState {
  return defaultForm(values);
}

// ---- numbers ----

/** Characters as the engine counts them (Unicode scalar values, like Rust's `chars()`). */
export function charCount(s: string): number {
  return s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length;
}

/**
 * Parses a typed number. Accepts "1e3", "-2.5", " 7 " and a decimal comma ("2,5");
 * refuses "", "abc", "1.2.3", "Infinity" and NaN.
 */
export function parseNumber(text: string): number | null {
  const s = text.trim().replace(/^([+-]?\d*),(\d+)$/, "$1.$2");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function parseWhole(text: string): number | null {
  const n = parseNumber(text);
  return n !== null && Number.isInteger(n) ? n : null;
}

// ---- paths ----

/** The path of the root condition's children: `when` itself when the group is unwrapped. */
function rootUnwrapped(f: Pick<RuleFormState, "when" | "rootImplicit">): boolean {
  return f.rootImplicit && f.when.children.length === 1;
}

/** Every condition node with its spec path and nesting depth (as the engine counts it). */
export function conditionPaths(f: Pick<RuleFormState, "when" | "rootImplicit">): Map<string, { path: string; depth: number }> {
  const out = new Map<string, { path: string; depth: number }>();
  const walk = (n: CondNode, path: string, depth: number) => {
    out.set(n.id, { path, depth });
    if (n.type === "group") n.children.forEach((c, i) => walk(c, `${path}.${n.kind}[${i}]`, depth + 1));
  };
  const only = f.when.children[0];
  if (rootUnwrapped(f) && only) {
    out.set(f.when.id, { path: "when", depth: -1 });
    walk(only, "when", 0);
  } else walk(f.when, "when", 0);
  return out;
}

/** The field paths the form shows an error at; server paths are matched to the nearest. */
export function fieldAnchors(f: RuleFormState): string[] {
  const out = ["name", "target", "target.watchlist", "target.source", "target.symbols", "interval", "level", "frequency.cooldown_s", "frequency.hold_bars", "expires_at", "message", "version"];
  f.symbols.forEach((_, i) => out.push(`target.symbols[${i}]`));
  f.webhooks.forEach((_, i) => out.push(`channels.webhooks[${i}]`));
  out.push("channels.webhooks");
  const paths = conditionPaths(f);
  const walk = (n: CondNode) => {
    const p = paths.get(n.id)?.path ?? "when";
    if (n.type === "group") {
      out.push(p, `${p}.${n.kind}`);
      n.children.forEach(walk);
    } else out.push(p, `${p}.metric`, `${p}.op`, `${p}.value`, `${p}.lower`, `${p}.upper`, `${p}.bars`);
  };
  walk(f.when);
  return [...new Set(out)];
}

/**
 * The field a path names, or the nearest enclosing one the form shows (`when.all[1].value.metric`
 * → `when.all[1].value`); null when none matches.
 */
export function anchorFor(path: string, anchors: readonly string[]): string | null {
  let best: string | null = null;
  for (const a of anchors) {
    const boundary = path.length === a.length || path[a.length] === "." || path[a.length] === "[";
    if (path.startsWith(a) && boundary && (best === null || a.length > best.length)) best = a;
  }
  return best;
}

/** `{path, reason}` from an engine error such as "invalid rule: when.all[1].upper: …". */
export function parseServerPath(message: string): { path: string; reason: string } | null {
  const m = /^(?:invalid rule: )?((?:rules\[\d+\]\.|rule\.)?[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): ([\s\S]+)$/.exec(message.trim());
  if (!m?.[1] || !m[2]) return null;
  return { path: m[1], reason: m[2] };
}

// ---- validation ----

export interface FieldError {
  /** A path into the rule's JSON, as the engine names it. */
  path: string;
  key: MessageKey;
  vars?: Record<string, string | number>;
}

export interface ValidateOptions {
  /** Judges the expiry; leave out to skip that check (the preview does). */
  now?: number;
  /** Skip the name check (the preview runs before the rule has a name). */
  ignoreName?: boolean;
}

const SOURCE_RE = /^[a-z0-9-]+$/;
const WEBHOOK_RE = /^[a-z0-9-]{1,48}$/;

/** Mirrors `Symbol::parse`: `source:CODE`, source in lowercase letters, digits and '-'. */
export function isSymbolShape(s: string): boolean {
  const t = s.trim();
  const i = t.indexOf(":");
  if (i <= 0 || i === t.length - 1) return false;
  return SOURCE_RE.test(t.slice(0, i)) && !/\s/.test(t.slice(i + 1));
}

function checkMetric(m: MetricInput, path: string, errors: FieldError[]) {
  if (m.pick === "sma" || m.pick === "ema") {
    const n = parseWhole(m.period);
    if (n === null || n < 1 || n > MAX_PERIOD) errors.push({ path, key: "re.err.period", vars: { max: MAX_PERIOD } });
    return;
  }
  const text = metricText(m);
  if (text === "") errors.push({ path, key: "re.err.metricRequired" });
  else if (parseMetric(text) === null) errors.push({ path, key: "re.err.metricUnknown", vars: { name: text } });
}

function checkOperand(o: OperandInput, path: string, errors: FieldError[], required: MessageKey) {
  if (o.kind === "metric") {
    checkMetric(o.metric, path, errors);
    return;
  }
  if (o.number.trim() === "") errors.push({ path, key: required });
  else if (parseNumber(o.number) === null) errors.push({ path, key: "form.err.valueNotNumber" });
}

function checkComparison(c: CmpNode, p: string, errors: FieldError[]) {
  checkMetric(c.metric, `${p}.metric`, errors);
  const kind = opKind(c.op);
  if (kind === "compare") {
    checkOperand(c.value, `${p}.value`, errors, "form.err.valueRequired");
  } else if (kind === "channel") {
    const before = errors.length;
    checkOperand(c.lower, `${p}.lower`, errors, "re.err.lowerRequired");
    checkOperand(c.upper, `${p}.upper`, errors, "re.err.upperRequired");
    if (errors.length === before && c.lower.kind === "number" && c.upper.kind === "number") {
      const lo = parseNumber(c.lower.number);
      const hi = parseNumber(c.upper.number);
      if (lo !== null && hi !== null && lo > hi) errors.push({ path: `${p}.lower`, key: "re.err.lowerAboveUpper", vars: { lower: lo, upper: hi } });
    }
  } else {
    const amount = parseNumber(c.value.number);
    if (c.value.number.trim() === "") errors.push({ path: `${p}.value`, key: "re.err.amountRequired" });
    else if (amount === null || amount <= 0) errors.push({ path: `${p}.value`, key: "re.err.amountPositive" });
    else if ((c.op === "moving_up_pct" || c.op === "moving_down_pct") && amount >= 1e6) {
      errors.push({ path: `${p}.value`, key: "re.err.pctTooBig" });
    }
    const bars = parseWhole(c.bars);
    if (c.bars.trim() === "") errors.push({ path: `${p}.bars`, key: "re.err.barsRequired", vars: { max: MAX_BARS } });
    else if (bars === null || bars < 1 || bars > MAX_BARS) errors.push({ path: `${p}.bars`, key: "re.err.bars", vars: { max: MAX_BARS } });
  }
}

/** True when any comparison in the tree is an edge (crossing, entering, exiting). */
export function hasEdge(n: CondNode): boolean {
  return n.type === "group" ? n.children.some(hasEdge) : isEdgeOp(n.op);
}

/** Every problem, each at the path the engine would name; empty when the rule can be saved. */
export function validateForm(f: RuleFormState, opts: ValidateOptions = {}): FieldError[] {
  const errors: FieldError[] = [];
  if (!opts.ignoreName) {
    const name = f.name.trim();
    if (name === "") errors.push({ path: "name", key: "form.err.nameRequired" });
    else if (charCount(name) > NAME_MAX) errors.push({ path: "name", key: "form.err.nameTooLong", vars: { max: NAME_MAX } });
  }
  if (!f.useSymbols && !f.useWatchlist && !f.useSource) errors.push({ path: "target", key: "re.err.targetNone" });
  if (f.useSymbols) {
    if (f.symbols.length === 0) errors.push({ path: "target.symbols", key: "form.err.symbolRequired" });
    f.symbols.forEach((s, i) => {
      const path = `target.symbols[${i}]`;
      if (s.trim() === "") errors.push({ path, key: "form.err.symbolRequired" });
      else if (!isSymbolShape(s)) errors.push({ path, key: "re.err.symbolShape", vars: { symbol: s } });
      else if (f.symbols.indexOf(s) !== i) errors.push({ path, key: "re.err.symbolTwice", vars: { symbol: s } });
    });
  }
  if (f.useWatchlist && f.watchlist.trim() === "") errors.push({ path: "target.watchlist", key: "re.err.watchlistRequired" });
  if (f.useSource && !SOURCE_RE.test(f.source)) errors.push({ path: "target.source", key: "re.err.source", vars: { source: f.source } });

  const paths = conditionPaths(f);
  const walk = (n: CondNode) => {
    const info = paths.get(n.id);
    if (!info) return;
    if (info.depth > MAX_DEPTH) {
      errors.push({ path: info.path, key: "re.err.depth", vars: { max: MAX_DEPTH } });
      return;
    }
    if (n.type === "group") {
      if (n.children.length === 0) errors.push({ path: `${info.path}.${n.kind}`, key: "re.err.emptyGroup" });
      n.children.forEach(walk);
    } else checkComparison(n, info.path, errors);
  };
  walk(f.when);

  const cooldown = parseWhole(f.cooldown);
  if (cooldown === null || cooldown < 0) errors.push({ path: "frequency.cooldown_s", key: "form.err.cooldown" });
  else if (cooldown > MAX_COOLDOWN_S) errors.push({ path: "frequency.cooldown_s", key: "re.err.cooldownMax", vars: { max: MAX_COOLDOWN_S } });
  const hold = parseWhole(f.holdBars.trim() === "" ? "0" : f.holdBars);
  if (hold === null || hold < 0 || hold > MAX_BARS) errors.push({ path: "frequency.hold_bars", key: "re.err.hold", vars: { max: MAX_BARS } });
  else if (hold > 1 && hasEdge(f.when)) errors.push({ path: "frequency.hold_bars", key: "re.err.holdEdge" });

  if (f.expires) {
    const at = expiryMs(f);
    if (at === null) errors.push({ path: "expires_at", key: "re.err.expiresInvalid" });
    else if (opts.now !== undefined && at <= opts.now) errors.push({ path: "expires_at", key: "re.err.expiresPast" });
  }
  if (charCount(f.message) > MESSAGE_MAX) errors.push({ path: "message", key: "re.err.messageLong", vars: { max: MESSAGE_MAX } });
  f.webhooks.forEach((w, i) => {
    if (!WEBHOOK_RE.test(w)) errors.push({ path: `channels.webhooks[${i}]`, key: "re.err.webhookName", vars: { name: w } });
  });
  if (f.origin && (f.origin.version < 1 || f.origin.version > RULE_VERSION)) {
    errors.push({ path: "version", key: "re.err.version", vars: { version: f.origin.version, max: RULE_VERSION } });
  }
  return errors;
}

function expiryMs(f: RuleFormState): number | null {
  if (!f.expires) return null;
  if (f.origin && f.origin.expiresMs !== null && f.expiresAt === f.origin.expiresText) return f.origin.expiresMs;
  return parseLocalDateTime(f.expiresAt);
}

// ---- building the spec ----

function operandOf(o: OperandInput): Operand {
  if (o.kind === "metric") return { metric: metricText(o.metric) };
  const n = parseNumber(o.number);
  if (n === null) throw new Error("buildSpec: a number field does not hold a finite number");
  return n;
}

function comparisonOf(c: CmpNode): Comparison {
  const out: Comparison = { metric: metricText(c.metric), op: c.op };
  const kind = opKind(c.op);
  if (kind === "compare") out.value = operandOf(c.value);
  else if (kind === "channel") {
    out.lower = operandOf(c.lower);
    out.upper = operandOf(c.upper);
  } else {
    out.value = operandOf({ ...c.value, kind: "number" });
    out.bars = parseWhole(c.bars) ?? 0;
  }
  return out;
}

function conditionOf(n: CondNode): Condition {
  if (n.type === "cmp") return comparisonOf(n);
  const kids = n.children.map(conditionOf);
  return n.kind === "all" ? { all: kids } : { any: kids };
}

/** Whether the spec uses anything a version-1 app would not read. */
function needsV2(spec: RuleSpec): boolean {
  const cond = (c: Condition): boolean =>
    "all" in c ? c.all.some(cond) : "any" in c ? c.any.some(cond) : opKind(c.op) !== "compare";
  return (
    spec.evaluate !== undefined ||
    spec.channels !== undefined ||
    spec.frequency.rearm !== undefined ||
    spec.frequency.hold_bars !== undefined ||
    cond(spec.when)
  );
}

/** The spec for a valid form (call validateForm first; this throws on a field it cannot read). */
export function buildSpec(f: RuleFormState): RuleSpec {
  const target: Target = {};
  if (f.useSymbols) target.symbols = f.symbols.map((s) => s.trim());
  if (f.useWatchlist) target.watchlist = f.watchlist.trim();
  if (f.useSource) target.source = f.source;
  const only = f.when.children[0];
  const when = rootUnwrapped(f) && only ? conditionOf(only) : conditionOf(f.when);
  const cooldown = parseWhole(f.cooldown);
  if (cooldown === null) throw new Error("buildSpec: the cooldown is not a whole number");
  const hold = parseWhole(f.holdBars.trim() === "" ? "0" : f.holdBars) ?? 0;
  const frequency: RuleSpec["frequency"] = { mode: f.frequency, cooldown_s: cooldown };
  if (f.rearm) frequency.rearm = true;
  if (hold !== 0) frequency.hold_bars = hold;
  const webhooks = f.webhooks;
  const defaultChannels = f.notification && !f.sound && webhooks.length === 0;
  let channels: Channels | undefined;
  if (!defaultChannels || f.origin?.hadChannels) {
    channels = { notification: f.notification, sound: f.sound };
    if (webhooks.length > 0) channels.webhooks = [...webhooks];
  }
  const spec: RuleSpec = {
    version: 1,
    name: f.name.trim(),
    target,
    interval: f.interval,
    when,
    level: f.level,
    frequency,
    expires_at: f.expires ? expiryMs(f) : null,
    enabled: f.enabled,
  };
  if (f.evaluate !== "live") spec.evaluate = f.evaluate;
  if (f.message.trim() !== "") spec.message = f.message;
  if (channels) spec.channels = channels;
  // Key order as the engine writes it (version, name, target, interval, when, level,
  // frequency, evaluate, expires_at, enabled, message, channels).
  const ordered: RuleSpec = {
    version: Math.max(f.origin?.version ?? 1, needsV2(spec) ? 2 : 1),
    name: spec.name,
    target: spec.target,
    interval: spec.interval,
    when: spec.when,
    level: spec.level,
    frequency: spec.frequency,
    ...(spec.evaluate !== undefined ? { evaluate: spec.evaluate } : {}),
    expires_at: spec.expires_at,
    enabled: spec.enabled,
    ...(spec.message !== undefined ? { message: spec.message } : {}),
    ...(spec.channels !== undefined ? { channels: spec.channels } : {}),
  };
  return ordered;
}

// ---- tree edits (immutable) ----

export function mapNode(root: GroupNode, id: string, fn: (n: CondNode) => CondNode | null): GroupNode {
  const visit = (n: CondNode): CondNode | null => {
    if (n.id === id) return fn(n);
    if (n.type === "cmp") return n;
    const kids = n.children.map(visit).filter((c): c is CondNode => c !== null);
    return { ...n, children: kids };
  };
  const out = visit(root);
  return out && out.type === "group" ? out : root;
}

export function updateCmp(root: GroupNode, id: string, patch: Partial<Omit<CmpNode, "type" | "id">>): GroupNode {
  return mapNode(root, id, (n) => (n.type === "cmp" ? { ...n, ...patch } : n));
}

export function addChild(root: GroupNode, groupId: string, child: CondNode): GroupNode {
  return mapNode(root, groupId, (n) => (n.type === "group" ? { ...n, children: [...n.children, child] } : n));
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  if (root.id === id) return root;
  return mapNode(root, id, () => null);
}

export function setGroupKind(root: GroupNode, groupId: string, kind: "all" | "any"): GroupNode {
  return mapNode(root, groupId, (n) => (n.type === "group" ? { ...n, kind } : n));
}

/** Depth of the deepest node under (and including) `n`, counting `n` as 0. */
export function treeHeight(n: CondNode): number {
  return n.type === "group" && n.children.length > 0 ? 1 + Math.max(...n.children.map(treeHeight)) : 0;
}
