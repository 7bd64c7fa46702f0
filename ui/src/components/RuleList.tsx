import { useRef, useState } from "react";
import type { ApiError } from "../bindings/ApiError";
import type { RuleRecord } from "../bindings/RuleRecord";
import { useI18n } from "../i18n/I18nProvider";
import { summarizeCondition, summarizeTarget } from "../state/ruleSummary";
import { ErrorNote } from "./ErrorNote";
import "./ruleEditor.css";

function RuleRow({
  rule,
  editing,
  onToggle,
  onDelete,
  onEdit,
  onDuplicate,
}: {
  rule: RuleRecord;
  editing: boolean;
  onToggle: (id: number, enabled: boolean) => void;
  onDelete: (id: number) => void;
  onEdit?: (rule: RuleRecord) => void;
  onDuplicate?: (id: number) => void;
}) {
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { spec } = rule;
  const fmt = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 8 }).format(n);
  const target = summarizeTarget(spec.target, t);
  const condition = summarizeCondition(spec.when, t, fmt);
  return (
    <li
      className={`rule-row${spec.enabled ? "" : " disabled"}${editing ? " editing" : ""}`}
      data-testid="rule-row"
      data-rule-id={rule.id}
      data-rule-name={spec.name}
      aria-current={editing ? "true" : undefined}
    >
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
        {onEdit && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="rule-edit"
            title={t("re.editTitle", { name: spec.name })}
            aria-label={t("re.editTitle", { name: spec.name })}
            onClick={() => {
              onEdit(rule);
            }}
          >
            {t("re.edit")}
          </button>
        )}
        {onDuplicate && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="rule-duplicate"
            title={t("re.duplicateTitle", { name: spec.name })}
            aria-label={t("re.duplicateTitle", { name: spec.name })}
            onClick={() => {
              onDuplicate(rule.id);
            }}
          >
            {t("re.duplicate")}
          </button>
        )}
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

function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(typeof reader.result === "string" ? reader.result : "");
    };
    reader.onerror = () => {
      // Like every IPC failure, an ApiError object (the callers show its message).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject({ code: "invalid_input", message: reader.error?.message ?? "the file could not be read" } satisfies ApiError);
    };
    reader.readAsText(file);
  });
}

/** Import and export of every rule as JSON (the same file `tickwarden rules import` reads). */
export function RuleTools({
  onImport,
  onExport,
}: {
  /** Resolves with the rules imported; rejects with an ApiError. */
  onImport: (json: string) => Promise<readonly RuleRecord[]>;
  onExport: () => Promise<string>;
}) {
  const { t, errorText } = useI18n();
  const fileRef = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const fail = (e: unknown) => {
    setNote({ ok: false, text: t("re.importError", { message: errorText(e as ApiError) }) });
  };
  const importFile = (file: File) => {
    setNote(null);
    readText(file).then(
      (json) =>
        onImport(json).then((recs) => {
          setNote({ ok: true, text: t("re.imported", { count: recs.length }) });
        }, fail),
      fail,
    );
  };
  const exportAll = () => {
    setNote(null);
    onExport().then(
      (json) => {
        const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = "tickwarden-rules.json";
        a.click();
        URL.revokeObjectURL(url);
      },
      (e: unknown) => {
        setNote({ ok: false, text: t("rules.actionError", { message: errorText(e as ApiError) }) });
      },
    );
  };
  return (
    <div className="rule-tools">
      <button type="button" className="btn btn-small" data-testid="rules-import" onClick={() => fileRef.current?.click()}>
        {t("re.import")}
      </button>
      <input
        ref={fileRef}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden
        data-testid="rules-import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) importFile(file);
        }}
      />
      <button type="button" className="btn btn-small" data-testid="rules-export" onClick={exportAll}>
        {t("re.export")}
      </button>
      {note && (
        <p className={note.ok ? "form-ok" : "form-error"} role={note.ok ? "status" : "alert"} data-testid="rules-tools-note">
          {note.text}
        </p>
      )}
    </div>
  );
}

export function RuleList({
  rules,
  loadError,
  actionError,
  onToggle,
  onDelete,
  onEdit,
  onDuplicate,
  editingId = null,
}: {
  rules: readonly RuleRecord[];
  loadError: ApiError | null;
  actionError: ApiError | null;
  onToggle: (id: number, enabled: boolean) => void;
  onDelete: (id: number) => void;
  /** Opens the rule in the editor. */
  onEdit?: (rule: RuleRecord) => void;
  onDuplicate?: (id: number) => void;
  editingId?: number | null;
}) {
  const { t } = useI18n();
  return (
    <>
      {loadError && <ErrorNote error={loadError} textKey="rules.loadError" />}
      {actionError && <ErrorNote error={actionError} textKey="rules.actionError" />}
      <ul className="rule-list" data-testid="rule-list">
        {rules.map((r) => (
          <RuleRow key={r.id} rule={r} editing={r.id === editingId} onToggle={onToggle} onDelete={onDelete} onEdit={onEdit} onDuplicate={onDuplicate} />
        ))}
      </ul>
      {rules.length === 0 && !loadError && <p className="empty">{t("rules.empty")}</p>}
    </>
  );
}
