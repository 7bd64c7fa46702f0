import { useId, useState, type SyntheticEvent } from "react";
import type { ApiError } from "../bindings/ApiError";
import type { Level } from "../bindings/Level";
import type { Op } from "../bindings/Op";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";
import type { WatchRow } from "../bindings/WatchRow";
import type { FrequencyMode } from "../bindings/FrequencyMode";
import type { Interval } from "../bindings/Interval";
import { RulePreviewBox } from "./RulePreviewBox";
import { useI18n } from "../i18n/I18nProvider";
import {
  FREQUENCIES,
  INTERVALS,
  LEVELS,
  NAME_MAX,
  RULE_METRICS,
  RULE_OPS,
  buildRuleSpec,
  defaultRuleForm,
  validateRuleForm,
  type FieldError,
  type RuleField,
  type RuleFormValues,
  type RuleMetric,
} from "../state/ruleForm";
import { symbolCode } from "../state/watchlist";

type Problem = { kind: "fields"; errors: FieldError[] } | { kind: "server"; error: ApiError };

export function RuleForm({
  rows,
  defaultSymbol,
  onCreate,
  full = false,
  initial,
}: {
  /** The rule editor view: every field and the live preview. */
  full?: boolean;
  /** Values to start from (e.g. "create alert here" on the chart). */
  initial?: Partial<RuleFormValues>;
  rows: readonly WatchRow[];
  /** Used until the user picks a symbol here (the chart's symbol). */
  defaultSymbol: string | null;
  onCreate: (spec: RuleSpec) => Promise<RuleRecord>;
}) {
  const { t, errorText } = useI18n();
  const id = useId();
  const [values, setValues] = useState<RuleFormValues>(() => ({ ...defaultRuleForm, ...initial }));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  const symbols = rows.map((r) => r.symbol);
  const symbol = symbols.includes(values.symbol) ? values.symbol : (defaultSymbol ?? symbols[0] ?? "");
  const current: RuleFormValues = { ...values, symbol };

  const fieldErrors = problem?.kind === "fields" ? problem.errors : [];
  const invalid = (field: RuleField) => fieldErrors.some((e) => e.field === field);

  function update<K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K]) {
    setValues((v) => ({ ...v, [key]: value }));
    setCreated(null);
    setProblem((p) => {
      if (p?.kind !== "fields") return null;
      const rest = p.errors.filter((e) => e.field !== key);
      return rest.length > 0 ? { kind: "fields", errors: rest } : null;
    });
  }

  function submit(e: SyntheticEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const errors = validateRuleForm(current, symbols);
    if (errors.length > 0) {
      setProblem({ kind: "fields", errors });
      setCreated(null);
      return;
    }
    const spec = buildRuleSpec(current);
    setBusy(true);
    setProblem(null);
    onCreate(spec).then(
      (rec) => {
        setBusy(false);
        setCreated(rec.spec.name);
        setValues((v) => ({ ...v, name: "" }));
      },
      (err: unknown) => {
        setBusy(false);
        setProblem({ kind: "server", error: err as ApiError });
      },
    );
  }

  let errorMessage: string | null = null;
  if (problem?.kind === "fields") {
    errorMessage = problem.errors.map((e) => t(e.key, e.vars)).join(" ");
  } else if (problem?.kind === "server") {
    const key = problem.error.code === "invalid_rule" || problem.error.code === "invalid_input"
      ? "form.err.rejected"
      : "form.err.failed";
    errorMessage = t(key, { message: errorText(problem.error) });
  }
  const errorId = `${id}-error`;
  const describedBy = (field: RuleField) => (invalid(field) ? errorId : undefined);

  return (
    <form className="rule-form" data-testid="rule-form" noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("form.title")}</h3>
      <div className="form-grid">
        <label className="field half">
          <span>{t("form.name")}</span>
          <input
            type="text"
            data-testid="rule-name"
            value={values.name}
            maxLength={NAME_MAX * 2}
            placeholder={t("form.namePlaceholder")}
            aria-invalid={invalid("name")}
            aria-describedby={describedBy("name")}
            onChange={(e) => {
              update("name", e.target.value);
            }}
          />
        </label>
        <label className="field half">
          <span>{t("form.symbol")}</span>
          <select
            data-testid="rule-symbol"
            value={symbol}
            aria-invalid={invalid("symbol")}
            aria-describedby={describedBy("symbol")}
            onChange={(e) => {
              update("symbol", e.target.value);
            }}
          >
            {symbol === "" && <option value="">—</option>}
            {rows.map((r) => (
              <option key={r.symbol} value={r.symbol}>
                {symbolCode(r.symbol)}
                {r.simulated ? ` (${t("sim.tag")})` : ""}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("form.metric")}</span>
          <select
            data-testid="rule-metric"
            value={values.metric}
            onChange={(e) => {
              update("metric", e.target.value as RuleMetric);
            }}
          >
            {RULE_METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`metric.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("form.op")}</span>
          <select
            data-testid="rule-op"
            value={values.op}
            onChange={(e) => {
              update("op", e.target.value as Op);
            }}
          >
            {RULE_OPS.map((o) => (
              <option key={o} value={o}>
                {t(`opLong.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("form.value")}</span>
          <input
            type="text"
            inputMode="decimal"
            data-testid="rule-value"
            value={values.value}
            placeholder={t("form.valuePlaceholder")}
            aria-invalid={invalid("value")}
            aria-describedby={describedBy("value")}
            onChange={(e) => {
              update("value", e.target.value);
            }}
          />
        </label>
        <label className="field">
          <span>{t("form.level")}</span>
          <select
            data-testid="rule-level"
            value={values.level}
            onChange={(e) => {
              update("level", e.target.value as Level);
            }}
          >
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </select>
        </label>
        {full && (
          <>
            <label className="field">
              <span>{t("editor.interval")}</span>
              <select
                data-testid="rule-interval"
                value={values.interval ?? "1m"}
                onChange={(e) => {
                  update("interval", e.target.value as Interval);
                }}
              >
                {INTERVALS.map((i) => (
                  <option key={i} value={i}>
                    {t(`interval.${i}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("editor.frequency")}</span>
              <select
                data-testid="rule-frequency"
                value={values.frequency ?? "once_per_bar"}
                onChange={(e) => {
                  update("frequency", e.target.value as FrequencyMode);
                }}
              >
                {FREQUENCIES.map((f) => (
                  <option key={f} value={f}>
                    {t(`freq.${f}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("editor.cooldown")}</span>
              <input
                type="text"
                inputMode="numeric"
                data-testid="rule-cooldown"
                value={values.cooldown ?? "60"}
                aria-invalid={invalid("cooldown")}
                aria-describedby={describedBy("cooldown")}
                onChange={(e) => {
                  update("cooldown", e.target.value);
                }}
              />
            </label>
            <label className="field half">
              <span>{t("editor.message")}</span>
              <input
                type="text"
                data-testid="rule-message"
                value={values.message ?? ""}
                placeholder="{symbol} {metric} = {value}"
                onChange={(e) => {
                  update("message", e.target.value);
                }}
              />
            </label>
          </>
        )}
        <div className="field submit">
          <button type="submit" className="btn primary" data-testid="rule-submit" disabled={busy}>
            {busy ? t("form.submitting") : t("form.submit")}
          </button>
        </div>
      </div>
      {errorMessage !== null && (
        <p className="form-error" id={errorId} data-testid="rule-error" role="alert">
          {errorMessage}
        </p>
      )}
      {full && <RulePreviewBox values={current} symbols={symbols} />}
      {created !== null && errorMessage === null && (
        <p className="form-ok" role="status">
          {t("form.created", { name: created })}
        </p>
      )}
    </form>
  );
}
