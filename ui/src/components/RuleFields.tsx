// Building blocks of the rule editor: inline field errors, the metric picker, operands, one
// comparison, and the nested all/any groups.
import { createContext, useContext, useId, type ReactNode } from "react";
import type { Op } from "../bindings/Op";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/messages";
import {
  MAX_DEPTH,
  METRIC_GROUPS,
  OP_GROUPS,
  PERIOD_METRICS,
  SCALAR_METRICS,
  newComparison,
  newGroup,
  opKind,
  type CmpNode,
  type CondNode,
  type GroupNode,
  type MetricInput,
  type OperandInput,
} from "../state/ruleForm";

// ---- inline errors ----

export interface FieldErrorsApi {
  /** The words to show at a field, or null. */
  messageFor: (path: string) => string | null;
  /** The id of the element that carries a field's error (for aria-describedby). */
  idFor: (path: string) => string;
}

export const FieldErrorsContext = createContext<FieldErrorsApi>({
  messageFor: () => null,
  idFor: (p) => p,
});

/** aria-* and data-path props of an input at `path`. */
export function useFieldProps(path: string) {
  const errs = useContext(FieldErrorsContext);
  const message = errs.messageFor(path);
  return {
    "data-path": path,
    "aria-invalid": message !== null,
    "aria-describedby": message !== null ? errs.idFor(path) : undefined,
  };
}

/** The error at `path`, shown next to its field. */
export function FieldError({ path }: { path: string }) {
  const errs = useContext(FieldErrorsContext);
  const message = errs.messageFor(path);
  if (message === null) return null;
  return (
    <span className="field-error" id={errs.idFor(path)} data-testid="field-error" data-path={path}>
      {message}
    </span>
  );
}

// ---- metrics ----

const KNOWN_METRIC_NAMES = [...SCALAR_METRICS, ...PERIOD_METRICS.map((p) => `${p}(n)`)];

export function MetricPicker({
  value,
  onChange,
  path,
  label,
  testId,
}: {
  value: MetricInput;
  onChange: (m: MetricInput) => void;
  /** The field path errors are reported at. */
  path: string;
  label: string;
  testId: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const props = useFieldProps(path);
  return (
    <div className="metric-picker">
      <label className="field">
        <span>{label}</span>
        <select
          data-testid={testId}
          value={value.pick}
          {...props}
          onChange={(e) => {
            const pick = e.target.value as MetricInput["pick"];
            onChange({
              ...value,
              pick,
              period: (pick === "sma" || pick === "ema") && value.period === "" ? "20" : value.period,
            });
          }}
        >
          {METRIC_GROUPS.map((g) => (
            <optgroup key={g.key} label={t(g.key)}>
              {g.metrics.map((m) => (
                <option key={m} value={m}>
                  {t(`metric.${m}`)}
                </option>
              ))}
            </optgroup>
          ))}
          <optgroup label={t("re.mgroup.other")}>
            <option value="custom">{t("metric.custom")}</option>
          </optgroup>
        </select>
      </label>
      {(value.pick === "sma" || value.pick === "ema") && (
        <label className="field narrow">
          <span>{t("re.period")}</span>
          <input
            type="text"
            inputMode="numeric"
            data-testid={`${testId}-period`}
            value={value.period}
            {...props}
            onChange={(e) => {
              onChange({ ...value, period: e.target.value });
            }}
          />
        </label>
      )}
      {value.pick === "custom" && (
        <label className="field">
          <span>{t("re.customMetric")}</span>
          <input
            type="text"
            list={`${id}-names`}
            data-testid={`${testId}-custom`}
            value={value.custom}
            placeholder={t("re.customPlaceholder")}
            spellCheck={false}
            autoCapitalize="off"
            {...props}
            onChange={(e) => {
              onChange({ ...value, custom: e.target.value });
            }}
          />
          <datalist id={`${id}-names`}>
            {KNOWN_METRIC_NAMES.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </label>
      )}
    </div>
  );
}

// ---- operands ----

export function OperandEditor({
  value,
  onChange,
  path,
  label,
  testId,
  placeholder,
}: {
  value: OperandInput;
  onChange: (o: OperandInput) => void;
  path: string;
  label: string;
  /** `rule-value`, `rule-lower`, `rule-upper`: the number input; `-kind`, `-metric` suffixes. */
  testId: string;
  placeholder?: string;
}) {
  const { t } = useI18n();
  const props = useFieldProps(path);
  return (
    <fieldset className="operand">
      <legend className="visually-hidden">{label}</legend>
      <label className="field narrow">
        <span>{label}</span>
        <select
          data-testid={`${testId}-kind`}
          aria-label={`${label}: ${t("re.rhsKind")}`}
          value={value.kind}
          onChange={(e) => {
            onChange({ ...value, kind: e.target.value as OperandInput["kind"] });
          }}
        >
          <option value="number">{t("re.kind.number")}</option>
          <option value="metric">{t("re.kind.metric")}</option>
        </select>
      </label>
      {value.kind === "number" ? (
        <label className="field">
          <span className="visually-hidden">{label}</span>
          <input
            type="text"
            inputMode="decimal"
            data-testid={testId}
            value={value.number}
            placeholder={placeholder}
            {...props}
            onChange={(e) => {
              onChange({ ...value, number: e.target.value });
            }}
          />
        </label>
      ) : (
        <MetricPicker
          value={value.metric}
          onChange={(metric) => {
            onChange({ ...value, metric });
          }}
          path={path}
          label={`${label}: ${t("re.kind.metric")}`}
          testId={`${testId}-metric`}
        />
      )}
      <FieldError path={path} />
    </fieldset>
  );
}

// ---- one comparison ----

export function ComparisonEditor({
  node,
  path,
  onChange,
  onRemove,
  compact = false,
}: {
  node: CmpNode;
  path: string;
  onChange: (patch: Partial<Omit<CmpNode, "type" | "id">>) => void;
  /** Absent: the condition cannot be removed (the rule's only one). */
  onRemove?: () => void;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const kind = opKind(node.op);
  const barsProps = useFieldProps(`${path}.bars`);
  const amountProps = useFieldProps(`${path}.value`);
  const pct = node.op === "moving_up_pct" || node.op === "moving_down_pct";
  return (
    <div
      className={`cmp-editor${compact ? " compact" : ""}`}
      data-testid="cmp-editor"
      data-path={path}
      role="group"
      aria-label={t("re.condition", { path })}
    >
      <MetricPicker
        value={node.metric}
        onChange={(metric) => {
          onChange({ metric });
        }}
        path={`${path}.metric`}
        label={t("form.metric")}
        testId="rule-metric"
      />
      <FieldError path={`${path}.metric`} />
      <label className="field">
        <span>{t("form.op")}</span>
        <select
          data-testid="rule-op"
          value={node.op}
          onChange={(e) => {
            onChange({ op: e.target.value as Op });
          }}
        >
          {OP_GROUPS.map((g) => (
            <optgroup key={g.key} label={t(g.key)}>
              {g.ops.map((o) => (
                <option key={o} value={o}>
                  {t(`opLong.${o}`)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {kind === "compare" && (
        <OperandEditor
          value={node.value}
          onChange={(value) => {
            onChange({ value });
          }}
          path={`${path}.value`}
          label={t("form.value")}
          testId="rule-value"
          placeholder={t("form.valuePlaceholder")}
        />
      )}
      {kind === "channel" && (
        <>
          <OperandEditor
            value={node.lower}
            onChange={(lower) => {
              onChange({ lower });
            }}
            path={`${path}.lower`}
            label={t("re.lower")}
            testId="rule-lower"
          />
          <OperandEditor
            value={node.upper}
            onChange={(upper) => {
              onChange({ upper });
            }}
            path={`${path}.upper`}
            label={t("re.upper")}
            testId="rule-upper"
          />
        </>
      )}
      {kind === "moving" && (
        <>
          <label className="field narrow">
            <span>{pct ? t("re.amountPct") : t("re.amount")}</span>
            <input
              type="text"
              inputMode="decimal"
              data-testid="rule-value"
              value={node.value.number}
              {...amountProps}
              onChange={(e) => {
                onChange({ value: { ...node.value, kind: "number", number: e.target.value } });
              }}
            />
            <FieldError path={`${path}.value`} />
          </label>
          <label className="field narrow">
            <span>{t("re.bars")}</span>
            <input
              type="text"
              inputMode="numeric"
              data-testid="rule-bars"
              value={node.bars}
              {...barsProps}
              onChange={(e) => {
                onChange({ bars: e.target.value });
              }}
            />
            <FieldError path={`${path}.bars`} />
          </label>
        </>
      )}
      {onRemove && (
        <button type="button" className="btn btn-small icon" data-testid="cmp-remove" aria-label={t("re.removeCmp")} title={t("re.removeCmp")} onClick={onRemove}>
          ×
        </button>
      )}
    </div>
  );
}

// ---- groups ----

export interface TreeOps {
  paths: Map<string, { path: string; depth: number }>;
  updateCmp: (id: string, patch: Partial<Omit<CmpNode, "type" | "id">>) => void;
  add: (groupId: string, child: CondNode) => void;
  remove: (id: string) => void;
  setKind: (groupId: string, kind: "all" | "any") => void;
}

export function GroupEditor({
  node,
  ops,
  isRoot = false,
  removable = true,
}: {
  node: GroupNode;
  ops: TreeOps;
  isRoot?: boolean;
  removable?: boolean;
}) {
  const { t } = useI18n();
  const info = ops.paths.get(node.id) ?? { path: "when", depth: 0 };
  // The root group may stand for its only condition (depth -1): its children count from 0.
  const childDepth = info.depth + 1;
  const groupPath = `${info.path}.${node.kind}`;
  const canNest = childDepth + 1 <= MAX_DEPTH;
  const kindProps = useFieldProps(groupPath);
  const only = node.children.length === 1;
  return (
    <div
      className={`cond-group${isRoot ? " root" : ""}`}
      data-testid="cond-group"
      data-path={info.path}
      data-kind={node.kind}
      role="group"
      aria-label={t("re.group", { path: info.path })}
    >
      <div className="group-head">
        <label className="field inline">
          <span>{t("re.groupKind")}</span>
          <select
            data-testid="group-kind"
            value={node.kind}
            {...kindProps}
            onChange={(e) => {
              ops.setKind(node.id, e.target.value as "all" | "any");
            }}
          >
            <option value="all">{t("re.group.all")}</option>
            <option value="any">{t("re.group.any")}</option>
          </select>
        </label>
        {!isRoot && removable && (
          <button type="button" className="btn btn-small" data-testid="group-remove" onClick={() => ops.remove(node.id)}>
            {t("re.removeGroup")}
          </button>
        )}
      </div>
      <FieldError path={groupPath} />
      <ol className="group-items">
        {node.children.map((c) => {
          const p = ops.paths.get(c.id)?.path ?? info.path;
          return (
            <li key={c.id}>
              {c.type === "cmp" ? (
                <ComparisonEditor
                  node={c}
                  path={p}
                  onChange={(patch) => {
                    ops.updateCmp(c.id, patch);
                  }}
                  onRemove={isRoot && only ? undefined : () => ops.remove(c.id)}
                />
              ) : (
                <GroupEditor node={c} ops={ops} removable={!(isRoot && only)} />
              )}
            </li>
          );
        })}
      </ol>
      <div className="group-actions">
        <button type="button" className="btn btn-small" data-testid="group-add-cmp" onClick={() => ops.add(node.id, newComparison())}>
          + {t("re.addCmp")}
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="group-add-group"
          disabled={!canNest}
          title={canNest ? undefined : t("re.depthMax", { max: MAX_DEPTH })}
          onClick={() => ops.add(node.id, newGroup(node.kind === "all" ? "any" : "all"))}
        >
          + {t("re.addGroup")}
        </button>
      </div>
    </div>
  );
}

/** A titled block of the editor. */
export function Section({ title, children, testId }: { title: MessageKey; children: ReactNode; testId?: string }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className="editor-section" aria-labelledby={id} data-testid={testId}>
      <h4 id={id}>{t(title)}</h4>
      {children}
    </section>
  );
}

