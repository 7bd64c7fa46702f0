import type { ApiError } from "../bindings/ApiError";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/messages";

/** A panel-level error in words, with an optional retry. Never raw JSON. */
export function ErrorNote({
  error,
  textKey,
  onRetry,
}: {
  error: ApiError;
  textKey: MessageKey;
  onRetry?: () => void;
}) {
  const { t, errorText } = useI18n();
  return (
    <div className="error-note" role="alert" data-code={error.code}>
      <span>{t(textKey, { message: errorText(error) })}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}
