import { useEffect, useId, useRef, useState, type FocusEvent, type SyntheticEvent } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { EvalMode } from "../bindings/EvalMode";
import type { FrequencyMode } from "../bindings/FrequencyMode";
import type { Interval } from "../bindings/Interval";
import type { Level } from "../bindings/Level";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";
import type { WatchRow } from "../bindings/WatchRow";
import type { WebhookConfig } from "../bindings/WebhookConfig";
import { useI18n } from "../i18n/I18nProvider";
import {
  FREQUENCIES,
  INTERVALS,
  LEVELS,
  MESSAGE_MAX,
  MESSAGE_PLACEHOLDERS,
  NAME_MAX,
  addChild,
  anchorFor,
  buildSpec,
  charCount,
  conditionPaths,
  defaultForm,
  fieldAnchors,
  formFromSpec,
  parseServerPath,
  removeNode,
  setGroupKind,
  updateCmp,
  validateForm,
  type CmpNode,
  type FieldError as FormFieldError,
  type RuleFormState,
  type RuleFormValues,
} from "../state/ruleForm";
import { symbolCode, symbolSource } from "../state/watchlist";
import { ComparisonEditor, FieldError, FieldErrorsContext, GroupEditor, Section, useFieldProps, type FieldErrorsApi, type TreeOps } from "./RuleFields";
import { RuleBacktestBox } from "./RuleBacktestBox";
import { RulePreviewBox } from "./RulePreviewBox";
import "./ruleEditor.css";

interface ServerProblem {
  error: ApiError;
  /** The field the engine named, as the form shows it; null: no field. */
  anchor: string | null;
  reason: string;
}

/** The form with "follow the chart's symbol" (an empty first symbol) filled in. */
function withFallbackSymbol(f: RuleFormState, fallback: string): RuleFormState {
  if (!f.useSymbols || f.symbols[0] !== "" || fallback === "") return f;
  return { ...f, symbols: [fallback, ...f.symbols.slice(1)] };
}

/** The wall clock, read in event handlers only. */
const clockNow = () => Date.now();

/** The CSS-safe id suffix of a field path. */
const pathId = (p: string) => p.replace(/[^a-zA-Z0-9_-]/g, "_");

export function RuleForm({
  rows,
  defaultSymbol,
  onCreate,
  onUpdate,
  onSaved,
  onCancelEdit,
  editing = null,
  full = false,
  initial,
}: {
  /** The rule editor view: every field and the live preview. */
  full?: boolean;
  /** Values to start from (e.g. "create alert here" on the chart). */
  initial?: Partial<RuleFormValues>;
  /** A stored rule to edit (the full editor); saving replaces it. */
  editing?: RuleRecord | null;
  rows: readonly WatchRow[];
  /** Used until the user picks a symbol here (the chart's symbol). */
  defaultSymbol: string | null;
  onCreate: (spec: RuleSpec) => Promise<RuleRecord>;
  onUpdate?: (id: number, spec: RuleSpec) => Promise<RuleRecord>;
  /** After a rule was stored (created or updated). */
  onSaved?: (rec: RuleRecord, wasEdit: boolean) => void;
  onCancelEdit?: () => void;
}) {
  const { t, errorText } = useI18n();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<RuleFormState>(() => (editing ? formFromSpec(editing.spec) : defaultForm(initial)));
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [server, setServer] = useState<ServerProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<{ name: string; edit: boolean } | null>(null);
  const [watchlists, setWatchlists] = useState<string[]>([]);
  const [webhooks, setWebhooks] = useState<WebhookConfig[] | null>(null);
  const [otherSymbol, setOtherSymbol] = useState("");
  const [checkedAt, setCheckedAt] = useState<number | null>(null);

  useEffect(() => {
    if (!full) return;
    let active = true;
    api.listWatchlists().then(
      (ls) => {
        if (active) setWatchlists(ls.map((l) => l.name));
      },
      () => undefined, // the field stays a text box
    );
    api.getDeliverySettings().then(
      (s) => {
        if (active) setWebhooks(s.webhooks);
      },
      () => {
        if (active) setWebhooks([]);
      },
    );
    return () => {
      active = false;
    };
  }, [full]);

  const rowSymbols = rows.map((r) => r.symbol);
  const fallback = defaultSymbol ?? rowSymbols[0] ?? "";
  const current = withFallbackSymbol(values, fallback);
  // Expiry is judged against the time of the last save attempt (rendering stays pure).
  const clientErrors = validateForm(current, { now: checkedAt ?? undefined });
  const anchors = fieldAnchors(current);
  const paths = conditionPaths(current);

  const shownErrors = clientErrors.filter((e) => submitted || touched.has(e.path));
  const errorApi: FieldErrorsApi = {
    messageFor: (path) => {
      const words = shownErrors.filter((e) => e.path === path).map((e) => t(e.key, e.vars));
      if (server?.anchor === path) words.push(t("re.err.server", { reason: server.reason }));
      return words.length > 0 ? words.join(" ") : null;
    },
    idFor: (path) => `${id}-err-${pathId(path)}`,
  };

  function edit(fn: (f: RuleFormState) => RuleFormState) {
    setValues((v) => fn(withFallbackSymbol(v, fallback)));
    setSaved(null);
    setServer(null);
  }
  function set<K extends keyof RuleFormState>(key: K, value: RuleFormState[K]) {
    edit((f) => ({ ...f, [key]: value }));
  }

  const tree: TreeOps = {
    paths,
    updateCmp: (nodeId, patch: Partial<Omit<CmpNode, "type" | "id">>) => {
      edit((f) => ({ ...f, when: updateCmp(f.when, nodeId, patch) }));
    },
    add: (groupId, child) => {
      edit((f) => ({ ...f, when: addChild(f.when, groupId, child) }));
    },
    remove: (nodeId) => {
      edit((f) => ({ ...f, when: removeNode(f.when, nodeId) }));
    },
    setKind: (groupId, kind) => {
      edit((f) => ({ ...f, when: setGroupKind(f.when, groupId, kind) }));
    },
  };

  function focusFirstInvalid() {
    requestAnimationFrame(() => {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    });
  }

  function submit(e: SyntheticEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setSaved(null);
    const now = clockNow();
    setCheckedAt(now);
    if (validateForm(current, { now }).length > 0) {
      setServer(null);
      focusFirstInvalid();
      return;
    }
    const spec = buildSpec(current);
    const wasEdit = editing !== null && onUpdate !== undefined;
    setBusy(true);
    setServer(null);
    const save = wasEdit ? onUpdate(editing.id, spec) : onCreate(spec);
    save.then(
      (rec) => {
        setBusy(false);
        setSaved({ name: rec.spec.name, edit: wasEdit });
        setSubmitted(false);
        setTouched(new Set());
        if (!wasEdit) setValues((v) => ({ ...withFallbackSymbol(v, fallback), name: "" }));
        onSaved?.(rec, wasEdit);
      },
      (err: unknown) => {
        setBusy(false);
        const error = err as ApiError;
        const named = error.code === "invalid_rule" || error.code === "invalid_input" ? parseServerPath(error.message) : null;
        setServer({ error, anchor: named ? anchorFor(named.path, anchors) : null, reason: named?.reason ?? error.message });
        if (named) focusFirstInvalid();
      },
    );
  }

  let errorMessage: string | null = null;
  if (submitted && clientErrors.length > 0) {
    errorMessage = clientErrors.map((e: FormFieldError) => t(e.key, e.vars)).join(" ");
  } else if (server) {
    const key = server.error.code === "invalid_rule" || server.error.code === "invalid_input" ? "form.err.rejected" : "form.err.failed";
    errorMessage = t(key, { message: errorText(server.error) });
  }
  const errorId = `${id}-error`;

  // Leaving a field shows its problems (before the first submit only touched fields do).
  const onBlur = (e: FocusEvent<HTMLFormElement>) => {
    const path = (e.target as HTMLElement).dataset.path;
    if (path !== undefined && !touched.has(path)) setTouched((s) => new Set(s).add(path));
  };

  const root = current.when;
  const onlyCmp = root.children.length === 1 && root.children[0]?.type === "cmp" ? root.children[0] : null;
  const symbolOptions = (value: string) => {
    const list = [...rowSymbols];
    if (value !== "" && !list.includes(value)) list.push(value);
    return list;
  };
  const simulated = new Set(rows.filter((r) => r.simulated).map((r) => r.symbol));
  const optionLabel = (s: string) => `${symbolCode(s)}${simulated.has(s) ? ` (${t("sim.tag")})` : ""}${full && symbolSource(s) ? ` · ${symbolSource(s)}` : ""}`;

  // The preview judges the past, so it runs without a name and ignores the expiry.
  const probe: RuleFormState = { ...current, name: current.name.trim() === "" ? "preview" : current.name, expires: false };
  const previewSpec = full && validateForm(probe).length === 0 ? buildSpec(probe) : null;
  // The backtest replays one symbol: the rule's own first, then the watched ones.
  const ruleSymbols = current.useSymbols ? current.symbols.map((s) => s.trim()).filter((s) => s !== "") : [];
  const backtestSymbols = [...new Set([...ruleSymbols, ...(fallback !== "" ? [fallback] : []), ...rowSymbols])];

  // This component provides the error context, so it reads the errors directly.
  const nameError = errorApi.messageFor("name");
  const nameProps = { "data-path": "name", "aria-invalid": nameError !== null, "aria-describedby": nameError !== null ? errorApi.idFor("name") : undefined };
  const title = editing ? t("re.editing", { name: editing.spec.name }) : full ? t("re.newRule") : t("form.title");

  return (
    <FieldErrorsContext.Provider value={errorApi}>
      <form
        ref={formRef}
        className={`rule-form${full ? " full" : ""}`}
        data-testid="rule-form"
        data-editing={editing?.id}
        noValidate
        onSubmit={submit}
        onBlur={onBlur}
        aria-labelledby={`${id}-title`}
      >
        <h3 id={`${id}-title`}>{title}</h3>
        <div className="form-grid">
          <label className="field half">
            <span>{t("form.name")}</span>
            <input
              type="text"
              data-testid="rule-name"
              value={values.name}
              maxLength={NAME_MAX * 2}
              placeholder={t("form.namePlaceholder")}
              {...nameProps}
              onChange={(e) => {
                set("name", e.target.value);
              }}
            />
            <FieldError path="name" />
          </label>
          {!full && (
            <>
              <SymbolSelect index={0} value={current.symbols[0] ?? ""} options={symbolOptions(current.symbols[0] ?? "")} label={t("form.symbol")} optionLabel={optionLabel} onChange={(s) => set("symbols", [s, ...current.symbols.slice(1)])} />
              {onlyCmp && (
                <ComparisonEditor
                  node={onlyCmp}
                  path={paths.get(onlyCmp.id)?.path ?? "when"}
                  compact
                  onChange={(patch) => {
                    tree.updateCmp(onlyCmp.id, patch);
                  }}
                />
              )}
              <LevelSelect value={values.level} onChange={(l) => set("level", l)} />
            </>
          )}
          {full && (
            <>
              <LevelSelect value={values.level} onChange={(l) => set("level", l)} />
              <label className="field checkbox">
                <input type="checkbox" data-testid="rule-enabled" checked={values.enabled} onChange={(e) => set("enabled", e.target.checked)} />
                <span>{t("re.enabled")}</span>
              </label>
            </>
          )}
        </div>

        {full && (
          <>
            <Section title="re.sec.target" testId="rule-target">
              <FieldError path="target" />
              <div className="target-block">
                <label className="field checkbox">
                  <input type="checkbox" data-testid="rule-use-symbols" data-path="target" checked={current.useSymbols} onChange={(e) => set("useSymbols", e.target.checked)} />
                  <span>{t("re.targetSymbols")}</span>
                </label>
                {current.useSymbols && (
                  <div className="symbol-list">
                    <FieldError path="target.symbols" />
                    {current.symbols.map((s, i) => (
                      <div className="symbol-row" key={i}>
                        <SymbolSelect
                          index={i}
                          value={s}
                          options={symbolOptions(s)}
                          label={t("re.symbolN", { n: i + 1 })}
                          optionLabel={optionLabel}
                          onChange={(v) => set("symbols", current.symbols.map((x, j) => (j === i ? v : x)))}
                        />
                        {current.symbols.length > 1 && (
                          <button
                            type="button"
                            className="btn btn-small icon"
                            data-testid="rule-symbol-remove"
                            aria-label={t("re.removeSymbol", { symbol: s === "" ? String(i + 1) : symbolCode(s) })}
                            onClick={() => set("symbols", current.symbols.filter((_, j) => j !== i))}
                          >
                            ×
                          </button>
                        )}
                      </div>
                    ))}
                    <div className="symbol-add">
                      <button
                        type="button"
                        className="btn btn-small"
                        data-testid="rule-symbol-add"
                        onClick={() => set("symbols", [...current.symbols, rowSymbols.find((x) => !current.symbols.includes(x)) ?? ""])}
                      >
                        + {t("re.addSymbol")}
                      </button>
                      <label className="field inline">
                        <span>{t("re.otherSymbol")}</span>
                        <input
                          type="text"
                          data-testid="rule-symbol-other"
                          value={otherSymbol}
                          placeholder="binance-usdm:BTCUSDT"
                          spellCheck={false}
                          autoCapitalize="off"
                          onChange={(e) => setOtherSymbol(e.target.value)}
                          onKeyDown={(e) => {
                            if (e.key === "Enter") {
                              e.preventDefault();
                              (e.currentTarget.nextElementSibling as HTMLButtonElement | null)?.click();
                            }
                          }}
                        />
                        <button
                          type="button"
                          className="btn btn-small"
                          data-testid="rule-symbol-other-add"
                          disabled={otherSymbol.trim() === ""}
                          onClick={() => {
                            const s = otherSymbol.trim();
                            const list = current.symbols.filter((x) => x !== "");
                            set("symbols", [...list, s]);
                            setOtherSymbol("");
                          }}
                        >
                          {t("re.otherSymbolAdd")}
                        </button>
                      </label>
                    </div>
                  </div>
                )}
              </div>
              <div className="target-block">
                <label className="field checkbox">
                  <input type="checkbox" data-testid="rule-use-watchlist" data-path="target" checked={current.useWatchlist} onChange={(e) => set("useWatchlist", e.target.checked)} />
                  <span>{t("re.targetWatchlist")}</span>
                </label>
                {current.useWatchlist && <WatchlistField value={current.watchlist} names={watchlists} onChange={(w) => set("watchlist", w)} />}
              </div>
              <div className="target-block">
                <label className="field checkbox">
                  <input type="checkbox" data-testid="rule-use-source" data-path="target" checked={current.useSource} onChange={(e) => set("useSource", e.target.checked)} />
                  <span>{t("re.targetSource")}</span>
                </label>
                {current.useSource && <SourceField value={current.source} sources={[...new Set(rowSymbols.map(symbolSource).filter((s) => s !== ""))]} onChange={(s) => set("source", s)} />}
              </div>
              <div className="form-grid">
                <label className="field">
                  <span>{t("editor.interval")}</span>
                  <select data-testid="rule-interval" value={current.interval} onChange={(e) => set("interval", e.target.value as Interval)}>
                    {INTERVALS.map((i) => (
                      <option key={i} value={i}>
                        {t(`interval.${i}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <fieldset className="field radios">
                  <legend>{t("re.evaluate")}</legend>
                  {(["live", "bar_close"] as const satisfies readonly EvalMode[]).map((m) => (
                    <label key={m}>
                      <input
                        type="radio"
                        name={`${id}-evaluate`}
                        data-testid={`rule-evaluate-${m}`}
                        value={m}
                        checked={current.evaluate === m}
                        onChange={() => set("evaluate", m)}
                      />
                      {t(`re.evaluate.${m}`)}
                    </label>
                  ))}
                </fieldset>
              </div>
            </Section>

            <Section title="re.sec.when" testId="rule-when">
              <GroupEditor node={root} ops={tree} isRoot />
            </Section>

            <Section title="re.sec.trigger" testId="rule-trigger">
              <TriggerFields values={current} set={set} />
            </Section>

            <Section title="re.sec.delivery" testId="rule-delivery">
              <DeliveryFields values={current} set={set} configured={webhooks} />
            </Section>
          </>
        )}

        <div className="form-actions">
          <button type="submit" className="btn primary" data-testid="rule-submit" disabled={busy} aria-describedby={errorMessage !== null ? errorId : undefined}>
            {editing ? (busy ? t("re.saving") : t("re.save")) : busy ? t("form.submitting") : t("form.submit")}
          </button>
          {editing && onCancelEdit && (
            <button type="button" className="btn" data-testid="rule-cancel-edit" onClick={onCancelEdit}>
              {t("rules.cancel")}
            </button>
          )}
        </div>
        {errorMessage !== null && (
          <p className="form-error" id={errorId} data-testid="rule-error" role="alert">
            {errorMessage}
          </p>
        )}
        {full && <RulePreviewBox spec={previewSpec} />}
        {saved !== null && errorMessage === null && (
          <p className="form-ok" role="status">
            {saved.edit ? t("re.saved", { name: saved.name }) : t("form.created", { name: saved.name })}
          </p>
        )}
      </form>
      {full && <RuleBacktestBox spec={previewSpec} symbols={backtestSymbols} defaultSymbol={backtestSymbols[0] ?? ""} />}
    </FieldErrorsContext.Provider>
  );
}

function LevelSelect({ value, onChange }: { value: Level; onChange: (l: Level) => void }) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span>{t("form.level")}</span>
      <select data-testid="rule-level" value={value} onChange={(e) => onChange(e.target.value as Level)}>
        {LEVELS.map((l) => (
          <option key={l} value={l}>
            {t(`level.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

function SymbolSelect({
  index,
  value,
  options,
  label,
  optionLabel,
  onChange,
}: {
  index: number;
  value: string;
  options: readonly string[];
  label: string;
  optionLabel: (s: string) => string;
  onChange: (s: string) => void;
}) {
  const path = `target.symbols[${index}]`;
  const props = useFieldProps(path);
  return (
    <label className="field half">
      <span>{label}</span>
      <select data-testid="rule-symbol" data-index={index} value={value} {...props} onChange={(e) => onChange(e.target.value)}>
        {value === "" && <option value="">—</option>}
        {options.map((s) => (
          <option key={s} value={s}>
            {optionLabel(s)}
          </option>
        ))}
      </select>
      <FieldError path={path} />
    </label>
  );
}

function WatchlistField({ value, names, onChange }: { value: string; names: readonly string[]; onChange: (w: string) => void }) {
  const { t } = useI18n();
  const props = useFieldProps("target.watchlist");
  const options = value !== "" && !names.includes(value) ? [...names, value] : names;
  return (
    <label className="field half">
      <span className="visually-hidden">{t("re.targetWatchlist")}</span>
      {options.length > 0 ? (
        <select data-testid="rule-watchlist" value={value} {...props} onChange={(e) => onChange(e.target.value)}>
          {value === "" && <option value="">—</option>}
          {options.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      ) : (
        <input type="text" data-testid="rule-watchlist" value={value} {...props} onChange={(e) => onChange(e.target.value)} />
      )}
      <FieldError path="target.watchlist" />
    </label>
  );
}

function SourceField({ value, sources, onChange }: { value: string; sources: readonly string[]; onChange: (s: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  const props = useFieldProps("target.source");
  return (
    <label className="field half">
      <span className="visually-hidden">{t("re.targetSource")}</span>
      <input
        type="text"
        data-testid="rule-source"
        list={`${id}-sources`}
        value={value}
        placeholder={t("re.sourcePlaceholder")}
        spellCheck={false}
        autoCapitalize="off"
        {...props}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={`${id}-sources`}>
        {sources.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <FieldError path="target.source" />
    </label>
  );
}

type Setter = <K extends keyof RuleFormState>(key: K, value: RuleFormState[K]) => void;

function TriggerFields({ values, set }: { values: RuleFormState; set: Setter }) {
  const { t } = useI18n();
  const id = useId();
  const cooldownProps = useFieldProps("frequency.cooldown_s");
  const holdProps = useFieldProps("frequency.hold_bars");
  const expiresProps = useFieldProps("expires_at");
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div className="form-grid">
      <label className="field">
        <span>{t("editor.frequency")}</span>
        <select data-testid="rule-frequency" value={values.frequency} onChange={(e) => set("frequency", e.target.value as FrequencyMode)}>
          {FREQUENCIES.map((f) => (
            <option key={f} value={f}>
              {t(`freq.${f}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t("editor.cooldown")}</span>
        <input type="text" inputMode="numeric" data-testid="rule-cooldown" value={values.cooldown} {...cooldownProps} onChange={(e) => set("cooldown", e.target.value)} />
        <FieldError path="frequency.cooldown_s" />
      </label>
      <label className="field">
        <span>{t("re.hold")}</span>
        <input type="text" inputMode="numeric" data-testid="rule-hold" value={values.holdBars} {...holdProps} onChange={(e) => set("holdBars", e.target.value)} />
        <FieldError path="frequency.hold_bars" />
      </label>
      <label className="field checkbox wide">
        <input type="checkbox" data-testid="rule-rearm" checked={values.rearm} onChange={(e) => set("rearm", e.target.checked)} />
        <span>{t("re.rearm")}</span>
      </label>
      <div className="field wide expiry">
        <label className="checkbox">
          <input type="checkbox" data-testid="rule-expires" checked={values.expires} onChange={(e) => set("expires", e.target.checked)} />
          <span>{t("re.expires")}</span>
        </label>
        {values.expires ? (
          <label>
            <span id={`${id}-exp`}>{t("re.expiresAt", { zone })}</span>
            <input type="datetime-local" step={60} data-testid="rule-expires-at" value={values.expiresAt} {...expiresProps} onChange={(e) => set("expiresAt", e.target.value)} />
          </label>
        ) : (
          <span className="hint">{t("re.openEnded")}</span>
        )}
        <FieldError path="expires_at" />
      </div>
    </div>
  );
}

function DeliveryFields({ values, set, configured }: { values: RuleFormState; set: Setter; configured: readonly WebhookConfig[] | null }) {
  const { t } = useI18n();
  const id = useId();
  const messageRef = useRef<HTMLTextAreaElement>(null);
  const messageProps = useFieldProps("message");
  const insert = (ph: string) => {
    const el = messageRef.current;
    const text = `{${ph}}`;
    const at = el ? el.selectionStart : values.message.length;
    const end = el ? el.selectionEnd : values.message.length;
    set("message", values.message.slice(0, at) + text + values.message.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + text.length, at + text.length);
    });
  };
  const names = configured?.map((w) => w.name) ?? [];
  const listed = [...names, ...values.webhooks.filter((w) => !names.includes(w))];
  return (
    <div className="form-grid">
      <label className="field wide">
        <span>{t("editor.message")}</span>
        <textarea
          ref={messageRef}
          rows={2}
          data-testid="rule-message"
          value={values.message}
          placeholder={t("editor.messagePlaceholder")}
          aria-describedby={`${id}-ph ${messageProps["aria-describedby"] ?? ""}`.trim()}
          aria-invalid={messageProps["aria-invalid"]}
          data-path="message"
          onChange={(e) => set("message", e.target.value)}
        />
        <span className="hint count">{t("re.messageCount", { count: charCount(values.message), max: MESSAGE_MAX })}</span>
        <FieldError path="message" />
      </label>
      <div className="field wide placeholders" id={`${id}-ph`}>
        <span>{t("re.messageHelp")}</span>
        {MESSAGE_PLACEHOLDERS.map((ph) => (
          <button
            key={ph}
            type="button"
            className="ph-chip"
            data-testid="rule-placeholder"
            title={t(`re.ph.${ph}`)}
            aria-label={t("re.insert", { placeholder: `{${ph}}`, meaning: t(`re.ph.${ph}`) })}
            onClick={() => insert(ph)}
          >
            {`{${ph}}`}
          </button>
        ))}
      </div>
      <label className="field checkbox">
        <input type="checkbox" data-testid="rule-notification" checked={values.notification} onChange={(e) => set("notification", e.target.checked)} />
        <span>{t("editor.notification")}</span>
      </label>
      <label className="field checkbox">
        <input type="checkbox" data-testid="rule-sound" checked={values.sound} onChange={(e) => set("sound", e.target.checked)} />
        <span>{t("editor.sound")}</span>
      </label>
      <fieldset className="field wide webhooks" data-testid="rule-webhooks">
        <legend>{t("re.webhooks")}</legend>
        {listed.length === 0 && configured !== null && <span className="hint">{t("re.webhooksNone")}</span>}
        {listed.map((name) => {
          const cfg = configured?.find((w) => w.name === name);
          const i = values.webhooks.indexOf(name);
          const label = cfg === undefined ? t("re.webhookMissing", { name }) : cfg.enabled ? `${name} · ${cfg.kind}` : t("re.webhookOff", { name });
          return (
            <label key={name} className="checkbox">
              <input
                type="checkbox"
                data-testid="rule-webhook"
                data-name={name}
                data-path={i >= 0 ? `channels.webhooks[${i}]` : undefined}
                checked={i >= 0}
                onChange={(e) => set("webhooks", e.target.checked ? [...values.webhooks, name] : values.webhooks.filter((w) => w !== name))}
              />
              {label}
              {i >= 0 && <FieldError path={`channels.webhooks[${i}]`} />}
            </label>
          );
        })}
      </fieldset>
    </div>
  );
}
