import { useState } from "react";
import type { ApiError } from "../bindings/ApiError";
import type { RuleRecord } from "../bindings/RuleRecord";
import { useI18n } from "../i18n/I18nProvider";
import { summarizeCondition, summarizeTarget } from "../state/ruleSummary";
import { ErrorNote } from "./ErrorNote";

function RuleRow({
  rule,
  onToggle,
  onDelete,
}: {
  rule: RuleRecord;
  onToggle: (id: number, enabled: boolean) => void;
  onDelete: (id: number) => void;
}) {
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { spec } = rule;
  const fmt = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 8 }).format(n);
  const target = summarizeTarget(spec.target, t);
  const condition = summarizeCondition(spec.when, t, fmt);
  return (
    <li className={`rule-row${spec.enabled ? "" : " disabled"}`} data-testid="rule-row" data-rule-id={rule.id} data-rule-name={spec.name}>
      <div className="rule-main">
        <span className="rule-name" title={spec.name}>
          {spec.name}
        </span>
        <span className={`level level-${spec.level}`}>{t(`level.${spec.level}`)}</span>
      </div>
      <div className="rule-detail">
        <span className="rule-target">{target}</span>
        <span className="rule-cond" title={condition}>
          {condition}
        </span>
        <span className="rule-interval">{spec.interval}</span>
      </div>
      <div className="rule-actions">
        <button
          type="button"
          role="switch"
          aria-checked={spec.enabled}
          aria-label={t("rules.toggle", { name: spec.name })}
          className={`switch-btn small${spec.enabled ? " on" : ""}`}
          data-testid="rule-toggle"
          onClick={() => {
            onToggle(rule.id, !spec.enabled);
          }}
        >
          <span className="knob" aria-hidden />
          {spec.enabled ? t("rules.enabled") : t("rules.disabled")}
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="btn btn-small danger"
              data-testid="rule-delete-confirm"
              onClick={() => {
                setConfirming(false);
                onDelete(rule.id);
              }}
            >
              {t("rules.confirmDelete")}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setConfirming(false);
              }}
            >
              {t("rules.cancel")}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            data-testid="rule-delete"
            title={t("rules.deleteTitle", { name: spec.name })}
            aria-label={t("rules.deleteTitle", { name: spec.name })}
            onClick={() => {
              setConfirming(true);
            }}
          >
            {t("rules.delete")}
          </button>
        )}
      </div>
    </li>
  );
}

export function RuleList({
  rules,
  loadError,
  actionError,
  onToggle,
  onDelete,
}: {
  rules: readonly RuleRecord[];
  loadError: ApiError | null;
  actionError: ApiError | null;
  onToggle: (id: number, enabled: boolean) => void;
  onDelete: (id: number) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      {loadError && <ErrorNote error={loadError} textKey="rules.loadError" />}
      {actionError && <ErrorNote error={actionError} textKey="rules.actionError" />}
      <ul className="rule-list" data-testid="rule-list">
        {rules.map((r) => (
          <RuleRow key={r.id} rule={r} onToggle={onToggle} onDelete={onDelete} />
        ))}
      </ul>
      {rules.length === 0 && !loadError && <p className="empty">{t("rules.empty")}</p>}
    </>
  );
}
