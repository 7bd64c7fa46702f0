// The simple rule form: its values, validation, and the RuleSpec it sends.
import type { FrequencyMode } from "../bindings/FrequencyMode";
import type { Interval } from "../bindings/Interval";
import type { Level } from "../bindings/Level";
import type { Op } from "../bindings/Op";
import type { RuleSpec } from "../bindings/RuleSpec";
import type { MessageKey } from "../i18n/messages";

export const RULE_METRICS = ["price", "change_pct", "volume", "volume_z"] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];

export const RULE_OPS = ["gt", "lt", "ge", "le", "crosses", "crosses_up", "crosses_down"] as const satisfies readonly Op[];
export const LEVELS = ["low", "medium", "high", "critical"] as const satisfies readonly Level[];

export const NAME_MAX = 80;
export const INTERVALS = ["1m", "5m", "15m", "1h", "4h", "1d"] as const satisfies readonly Interval[];
export const FREQUENCIES = ["once", "once_per_bar", "once_per_bar_close", "every_time"] as const satisfies readonly FrequencyMode[];

export interface RuleFormValues {
  name: string;
  symbol: string;
  metric: RuleMetric;
  op: Op;
  /** As typed; parsed on submit. */
  value: string;
  level: Level;
  interval?: Interval;
  frequency?: FrequencyMode;
  /** Seconds, as typed. */
  cooldown?: string;
  message?: string;
}

export const defaultRuleForm: RuleFormValues = {
  name: "",
  symbol: "",
  metric: "price",
  op: "gt",
  value: "",
  level: "medium",
};

export type RuleField = "name" | "symbol" | "value" | "cooldown";

export interface FieldError {
  field: RuleField;
  key: MessageKey;
  vars?: Record<string, number>;
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

export function validateRuleForm(values: RuleFormValues, symbols: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const name = values.name.trim();
  if (name === "") errors.push({ field: "name", key: "form.err.nameRequired" });
  else if (name.length > NAME_MAX) {
    errors.push({ field: "name", key: "form.err.nameTooLong", vars: { max: NAME_MAX } });
  }
  if (values.symbol === "" || !symbols.includes(values.symbol)) {
    errors.push({ field: "symbol", key: "form.err.symbolRequired" });
  }
  if (values.value.trim() === "") errors.push({ field: "value", key: "form.err.valueRequired" });
  else if (parseNumber(values.value) === null) {
    errors.push({ field: "value", key: "form.err.valueNotNumber" });
  }
  const cooldown = (values.cooldown ?? "").trim();
  if (cooldown !== "") {
    const n = parseNumber(cooldown);
    if (n === null || n < 0 || !Number.isInteger(n)) errors.push({ field: "cooldown", key: "form.err.cooldown" });
  }
  return errors;
}

/** The spec for valid values (call validateRuleForm first; this throws on a bad value). */
export function buildRuleSpec(values: RuleFormValues): RuleSpec {
  const value = parseNumber(values.value);
  if (value === null) throw new Error("buildRuleSpec: value is not a finite number");
  return {
    version: 1,
    name: values.name.trim(),
    target: { symbols: [values.symbol] },
    interval: values.interval ?? "1m",
    when: { metric: values.metric, op: values.op, value },
    level: values.level,
    frequency: {
      mode: values.frequency ?? "once_per_bar",
      cooldown_s: values.cooldown !== undefined && values.cooldown.trim() !== "" ? Number(parseNumber(values.cooldown)) : 60,
    },
    expires_at: null,
    enabled: true,
    ...(values.message !== undefined && values.message.trim() !== "" ? { message: values.message.trim() } : {}),
  };
}
