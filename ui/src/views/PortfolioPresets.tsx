import { useState } from "react";
import type { ApiError } from "../bindings/ApiError";
import type { Level } from "../bindings/Level";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";
import { useI18n } from "../i18n/I18nProvider";
import { LEVELS } from "../state/ruleForm";
import { PRESET_DEFS, PRESETS, parseThreshold, presetSpec, type PresetKind } from "../state/portfolio";

interface Row {
  threshold: string;
  level: Level;
  /** A held symbol, or "" for every position. */
  holding: string;
}

type Outcome = { ok: true; name: string } | { ok: false; error: ApiError };

const initialRows = (): Record<PresetKind, Row> =>
  Object.fromEntries(PRESETS.map((k) => [k, { threshold: String(PRESET_DEFS[k].threshold), level: PRESET_DEFS[k].level, holding: "" }])) as Record<PresetKind, Row>;

/**
 * Risk rules in one click: ordinary rules on the `portfolio:` series (the account's total, or
 * every position), stored through `create_rule` and delivered like any other alert.
 */
export function PortfolioPresets({ held, onCreateRule }: { held: readonly string[]; onCreateRule: (spec: RuleSpec) => Promise<RuleRecord> }) {
  const { t, errorText } = useI18n();
  const [rows, setRows] = useState(initialRows);
  const [outcome, setOutcome] = useState<Partial<Record<PresetKind, Outcome>>>({});
  const [busy, setBusy] = useState<PresetKind | null>(null);

  const patch = (k: PresetKind, p: Partial<Row>) => {
    setRows((r) => ({ ...r, [k]: { ...r[k], ...p } }));
    setOutcome((o) => ({ ...o, [k]: undefined }));
  };

  const create = async (k: PresetKind) => {
    const row = rows[k];
    const x = parseThreshold(k, row.threshold);
    if (x === null) return;
    const holding = PRESET_DEFS[k].total || row.holding === "" ? null : row.holding;
    const name = t(`pf.p.${k}.name`, { x: String(x) }) + (holding ? ` · ${holding}` : "");
    setBusy(k);
    try {
      const rec = await onCreateRule(presetSpec(k, x, row.level, name, holding));
      setOutcome((o) => ({ ...o, [k]: { ok: true, name: rec.spec.name } }));
    } catch (e) {
      setOutcome((o) => ({ ...o, [k]: { ok: false, error: e as ApiError } }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="pf-presets">
      <p className="pf-muted pf-hint">{t("pf.p.hint")}</p>
      {PRESETS.map((k) => {
        const d = PRESET_DEFS[k];
        const row = rows[k];
        const bad = parseThreshold(k, row.threshold) === null;
        const out = outcome[k];
        return (
          <div key={k} className="pf-preset" data-testid={`pf-preset-${k}`}>
            <div className="pf-preset-title">
              <strong>{t(`pf.p.${k}.title`)}</strong>
              <span className="pf-muted">{t(`pf.p.${k}.text`)}</span>
            </div>
            <div className="row">
              <label className="inline-field">
                <span>{t(d.whole ? "pf.p.count" : "pf.p.threshold")}</span>
                <input
                  type="text"
                  inputMode="decimal"
                  size={6}
                  data-testid={`pf-preset-${k}-x`}
                  value={row.threshold}
                  aria-invalid={bad}
                  onChange={(e) => patch(k, { threshold: e.target.value })}
                />
              </label>
              <label className="inline-field">
                <span>{t("alerts.level")}</span>
                <select data-testid={`pf-preset-${k}-level`} value={row.level} onChange={(e) => patch(k, { level: e.target.value as Level })}>
                  {LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t(`level.${l}`)}
                    </option>
                  ))}
                </select>
              </label>
              {!d.total && (
                <label className="inline-field">
                  <span>{t("pf.p.holding")}</span>
                  <select data-testid={`pf-preset-${k}-holding`} value={row.holding} onChange={(e) => patch(k, { holding: e.target.value })}>
                    <option value="">{t("pf.p.allHoldings")}</option>
                    {held.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <button type="button" className="btn" data-testid={`pf-preset-${k}-create`} disabled={bad || busy !== null} onClick={() => void create(k)}>
                {t("pf.p.create")}
              </button>
            </div>
            {bad && (
              <small className="pf-field-error" role="alert">
                {t(d.whole ? "pf.err.count" : "pf.err.threshold")}
              </small>
            )}
            {out &&
              (out.ok ? (
                <p className="form-ok" role="status" data-testid={`pf-preset-${k}-ok`}>
                  {t("pf.p.created", { name: out.name })}
                </p>
              ) : (
                <p className="form-error" role="alert" data-testid={`pf-preset-${k}-error`}>
                  {t("pf.p.error", { message: errorText(out.error) })}
                </p>
              ))}
          </div>
        );
      })}
    </div>
  );
}
