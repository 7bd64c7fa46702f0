import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { RulePreview } from "../bindings/RulePreview";
import { formatDateTime } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import type { RuleSpec } from "../bindings/RuleSpec";

/** How long the form must stay still before the preview runs again. */
export const PREVIEW_DEBOUNCE_MS = 600;

type State =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "done"; preview: RulePreview }
  | { kind: "error"; error: ApiError };

/**
 * "This rule would have fired N times in the last 7 days": the engine replays stored
 * candles through the same series and rule code as live. Runs whenever the editor holds a
 * valid rule (`spec`; null while it does not), a moment after the user stops typing.
 */
export function RulePreviewBox({ spec }: { spec: RuleSpec | null }) {
  const { t, locale, errorText } = useI18n();
  const [state, setState] = useState<State>({ kind: "idle" });
  const key = spec === null ? "" : JSON.stringify(spec);

  useEffect(() => {
    if (key === "") return;
    let active = true;
    const timer = setTimeout(() => {
      setState({ kind: "running" });
      api.previewRule(JSON.parse(key) as Parameters<typeof api.previewRule>[0], 7).then(
        (preview) => {
          if (active) setState({ kind: "done", preview });
        },
        (e: unknown) => {
          if (active) setState({ kind: "error", error: e as ApiError });
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [key]);

  let text = t("editor.previewRun");
  if (state.kind === "running") text = t("editor.previewRunning");
  else if (state.kind === "error") text = t("editor.previewError", { message: errorText(state.error) });
  else if (state.kind === "done") {
    const p = state.preview;
    if (p.symbols.length === 0) text = t("editor.previewNoData");
    else if (p.fired === 0) text = t("editor.previewNone");
    else text = t("editor.previewResult", { count: p.fired });
  }
  return (
    <section className="rule-preview" aria-live="polite">
      <h4>{t("editor.preview")}</h4>
      <p
        data-testid="rule-preview"
        data-state={key === "" ? "idle" : state.kind}
        data-count={state.kind === "done" ? state.preview.fired : ""}
      >
        {text}
      </p>
      {state.kind === "done" && state.preview.hits.length > 0 && (
        <ol className="preview-hits">
          {state.preview.hits.slice(-8).map((h, i) => (
            <li key={`${h.symbol}-${h.firedAt}-${i}`}>
              <time>{formatDateTime(locale, h.firedAt)}</time> <span>{h.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
