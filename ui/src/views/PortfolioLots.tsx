import { useEffect, useState, type ChangeEvent, type ReactNode } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Holding } from "../bindings/Holding";
import type { SymbolMatch } from "../bindings/SymbolMatch";
import { useI18n } from "../i18n/I18nProvider";
import { checkLotForm, emptyLotForm, lotFormOf, type LotField, type LotForm } from "../state/portfolio";
import { formatQuantity, formatUnitPrice } from "./portfolioFormat";

type Note = { ok: true; count?: number; what: "added" | "updated" | "deleted" | "imported" } | { ok: false; error: ApiError };

/** Lots: the add/edit form with inline checks, the list with edit and delete, CSV import. */
export function PortfolioLots({ holdings, onChanged }: { holdings: readonly Holding[]; onChanged: () => void }) {
  const { t, locale, errorText } = useI18n();
  const [form, setForm] = useState<LotForm>(() => emptyLotForm());
  const [editing, setEditing] = useState<number | null>(null);
  /** Fields the user has been in, and whether they tried to save: only then show a field's error. */
  const [touched, setTouched] = useState<Partial<Record<LotField, boolean>>>({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  const check = checkLotForm(form);
  const shown = (f: LotField) => ((tried || touched[f]) && check.errors[f] !== undefined ? check.errors[f] : undefined);
  const set = (p: Partial<LotForm>) => {
    setForm((f) => ({ ...f, ...p }));
    setNote(null);
  };
  const touch = (f: LotField) => setTouched((x) => ({ ...x, [f]: true }));
  const reset = () => {
    setForm(emptyLotForm());
    setEditing(null);
    setTouched({});
    setTried(false);
  };

  const submit = async () => {
    setTried(true);
    if (!check.lot) return;
    setBusy(true);
    try {
      if (editing === null) await api.addHolding(check.lot);
      else await api.updateHolding(editing, check.lot);
      setNote({ ok: true, what: editing === null ? "added" : "updated" });
      reset();
      onChanged();
    } catch (e) {
      setNote({ ok: false, error: e as ApiError });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: number) => {
    setConfirming(null);
    try {
      await api.deleteHolding(id);
      if (editing === id) reset();
      setNote({ ok: true, what: "deleted" });
      onChanged();
    } catch (e) {
      setNote({ ok: false, error: e as ApiError });
    }
  };

  const field = (f: LotField, labelKey: Parameters<typeof t>[0], input: ReactNode) => {
    const err = shown(f);
    return (
      <label className="field">
        <span>{t(labelKey)}</span>
        {input}
        {err && (
          <small className="pf-field-error" role="alert" data-testid={`pf-lot-${f}-error`}>
            {t(err)}
          </small>
        )}
      </label>
    );
  };
  const input = (f: LotField, extra: { placeholder?: string; inputMode?: "decimal" } = {}) => (
    <input
      type="text"
      data-testid={`pf-lot-${f}`}
      value={form[f]}
      aria-invalid={shown(f) !== undefined}
      onChange={(e) => set({ [f]: e.target.value })}
      onBlur={() => touch(f)}
      {...extra}
    />
  );

  return (
    <div className="pf-lots">
      <form
        className="form-grid pf-lot-form"
        data-testid="pf-lot-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <SymbolField value={form.symbol} error={shown("symbol")} onChange={(symbol) => set({ symbol })} onBlur={() => touch("symbol")} />
        {field("quantity", "pf.lot.quantity", input("quantity", { inputMode: "decimal", placeholder: "10" }))}
        {field("cost", "pf.lot.cost", input("cost", { inputMode: "decimal", placeholder: "1.00" }))}
        {field("opened", "pf.lot.opened", input("opened", { placeholder: "YYYY-MM-DD" }))}
        {field("currency", "pf.lot.currency", input("currency", { placeholder: t("pf.lot.currencyAuto") }))}
        <label className="field">
          <span>{t("pf.lot.note")}</span>
          <input type="text" data-testid="pf-lot-note" value={form.note} onChange={(e) => set({ note: e.target.value })} />
        </label>
        <div className="field pf-form-actions">
          <button type="submit" className="btn primary" data-testid="pf-lot-submit" disabled={busy}>
            {editing === null ? t("pf.lot.add") : t("pf.lot.save")}
          </button>
          {editing !== null && (
            <button type="button" className="btn" data-testid="pf-lot-cancel" onClick={reset}>
              {t("pf.lot.cancel")}
            </button>
          )}
        </div>
      </form>
      <p className="pf-muted pf-hint">{t("pf.lot.hint")}</p>
      {note &&
        (note.ok ? (
          <p className="form-ok" role="status" data-testid="pf-lot-ok">
            {note.what === "imported" ? t("pf.csv.done", { count: note.count ?? 0 }) : t(`pf.lot.${note.what}`)}
          </p>
        ) : (
          <p className="form-error" role="alert" data-testid="pf-lot-error">
            {t("pf.lot.error", { message: errorText(note.error) })}
          </p>
        ))}

      {holdings.length > 0 && (
        <div className="pf-table-wrap">
          <table className="history pf-table" data-testid="pf-lots">
            <thead>
              <tr>
                <th>{t("pf.col.symbol")}</th>
                <th className="num">{t("pf.col.quantity")}</th>
                <th className="num">{t("pf.lot.cost")}</th>
                <th>{t("pf.lot.opened")}</th>
                <th>{t("pf.lot.currency")}</th>
                <th>{t("pf.lot.note")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {holdings.map((h) => (
                <tr key={h.id} data-testid="pf-lot-row" data-id={h.id} data-symbol={h.symbol} className={editing === h.id ? "pf-editing" : undefined}>
                  <td className="pf-sym">{h.symbol}</td>
                  <td className="num">{formatQuantity(locale, h.quantity)}</td>
                  <td className="num">{formatUnitPrice(locale, h.cost)}</td>
                  <td className="pf-date">{h.opened}</td>
                  <td>{h.currency ?? ""}</td>
                  <td className="pf-problem">{h.note ?? ""}</td>
                  <td className="actions">
                    {confirming === h.id ? (
                      <>
                        <button type="button" className="btn btn-small danger" data-testid="pf-lot-delete-yes" onClick={() => void remove(h.id)}>
                          {t("pf.lot.deleteYes")}
                        </button>{" "}
                        <button type="button" className="btn btn-small" onClick={() => setConfirming(null)}>
                          {t("pf.lot.cancel")}
                        </button>
                      </>
                    ) : (
                      <>
                        <button
                          type="button"
                          className="btn btn-small"
                          data-testid="pf-lot-edit"
                          onClick={() => {
                            setForm(lotFormOf(h));
                            setEditing(h.id);
                            setTouched({});
                            setTried(false);
                            setNote(null);
                          }}
                        >
                          {t("pf.lot.edit")}
                        </button>{" "}
                        <button type="button" className="btn btn-small danger" data-testid="pf-lot-delete" onClick={() => setConfirming(h.id)}>
                          {t("pf.lot.delete")}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <CsvImport
        onImported={(n) => {
          setNote({ ok: true, what: "imported", count: n });
          onChanged();
        }}
      />
    </div>
  );
}

/** The symbol box with the app's symbol search (code, name, pinyin initials) under it. */
function SymbolField({ value, error, onChange, onBlur }: { value: string; error: ReturnType<typeof checkLotForm>["errors"]["symbol"]; onChange: (s: string) => void; onBlur: () => void }) {
  const { t } = useI18n();
  const [hits, setHits] = useState<SymbolMatch[]>([]);
  const [open, setOpen] = useState(false);
  const query = value.trim();

  useEffect(() => {
    if (query === "" || !open) return;
    let active = true;
    const timer = setTimeout(() => {
      api.searchSymbols(query, 8).then(
        (h) => active && setHits(h.filter((x) => x.symbol !== query)),
        () => active && setHits([]),
      );
    }, 150);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [query, open]);

  const shownHits = open && query !== "" ? hits : [];
  return (
    <label className="field pf-symbol search">
      <span>{t("pf.lot.symbol")}</span>
      <input
        type="text"
        data-testid="pf-lot-symbol"
        value={value}
        placeholder="demo:ALPHA, yahoo:AAPL, binance:BTCUSDT"
        aria-invalid={error !== undefined}
        autoComplete="off"
        onChange={(e: ChangeEvent<HTMLInputElement>) => {
          onChange(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape") setOpen(false);
        }}
        onBlur={() => {
          onBlur();
          // Let a click on a hit land first.
          setTimeout(() => setOpen(false), 200);
        }}
      />
      {shownHits.length > 0 && (
        <ul className="search-hits" role="listbox">
          {shownHits.map((h) => (
            <li key={h.symbol}>
              <button
                type="button"
                data-testid="pf-lot-hit"
                data-symbol={h.symbol}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  onChange(h.symbol);
                  setOpen(false);
                }}
              >
                <span className="watch-code">{h.symbol}</span> <span className="watch-name">{h.name}</span>
                {h.pinyin && <span className="pinyin">{h.pinyin}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <small className="pf-field-error" role="alert" data-testid="pf-lot-symbol-error">
          {t(error)}
        </small>
      )}
    </label>
  );
}

/** A file's text (FileReader: also where Blob.text is missing). */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      resolve(typeof r.result === "string" ? r.result : "");
    };
    r.onerror = () => {
      reject(r.error ?? new Error("the file could not be read"));
    };
    r.readAsText(file);
  });
}

/** A CSV file or pasted text, imported all or nothing; the engine's error names the line and column. */
function CsvImport({ onImported }: { onImported: (count: number) => void }) {
  const { t, errorText } = useI18n();
  const [text, setText] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (csv: string) => {
    setBusy(true);
    setError(null);
    try {
      const added = await api.importHoldingsCsv(csv);
      setText("");
      onImported(added.length);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ""; // the same file can be picked again after a fix
    if (!file) return;
    try {
      await run(await readText(file));
    } catch (err) {
      setError({ code: "invalid_input", message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <details className="pf-csv" data-testid="pf-csv">
      <summary>{t("pf.csv.title")}</summary>
      <p className="pf-muted pf-hint">{t("pf.csv.format")}</p>
      <pre className="pf-sample">{"symbol,quantity,cost,date,currency,note\ndemo:ALPHA,10,120.5,2024-03-01,,core\nyahoo:AAPL,5,170,2024-02-15,USD,"}</pre>
      <label className="field">
        <span>{t("pf.csv.file")}</span>
        <input type="file" accept=".csv,.txt,text/csv,text/plain" data-testid="pf-csv-file" disabled={busy} onChange={(e) => void onFile(e)} />
      </label>
      <label className="field">
        <span>{t("pf.csv.paste")}</span>
        <textarea rows={4} data-testid="pf-csv-text" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </label>
      <button type="button" className="btn" data-testid="pf-csv-import" disabled={busy || text.trim() === ""} onClick={() => void run(text)}>
        {t("pf.csv.import")}
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="pf-csv-error">
          {t("pf.csv.error", { message: errorText(error) })}
        </p>
      )}
    </details>
  );
}
