import type { ApiError } from "../bindings/ApiError";
import type { EngineStatus } from "../bindings/EngineStatus";
import type { FeedHealth } from "../bindings/FeedHealth";
import type { FeedState } from "../bindings/FeedState";
import { formatCount } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { LANG_LABELS, LANGS, isLang } from "../i18n/lang";

const SEVERITY: Record<FeedState, number> = {
  connected: 0,
  connecting: 1,
  reconnecting: 2,
  stale: 3,
  stopped: 4,
};

/** The state to show for all feeds together: the worst one. */
export function overallFeedState(feeds: readonly FeedHealth[]): FeedState | null {
  let worst: FeedState | null = null;
  for (const f of feeds) if (worst === null || SEVERITY[f.state] > SEVERITY[worst]) worst = f.state;
  return worst;
}

function FeedStatus({ status }: { status: EngineStatus | null }) {
  const { t, locale } = useI18n();
  if (!status) {
    return (
      <span className="status-chip" data-testid="feed-status" data-state="unknown">
        <span className="dot" aria-hidden />
        {t("feed.label")}: {t("feed.unknown")}
      </span>
    );
  }
  const state = overallFeedState(status.feeds);
  const messages = status.feeds.reduce((n, f) => n + f.messages, 0);
  const details = status.feeds
    .map((f) => {
      const line = t("feed.detail", {
        source: f.simulated ? `${f.source} (${t("feed.simulated")})` : f.source,
        state: t(`feedState.${f.state}`),
        count: formatCount(locale, f.messages),
        reconnects: formatCount(locale, f.reconnects),
      });
      return f.lastError ? `${line}\n${t("feed.lastError", { error: f.lastError })}` : line;
    })
    .join("\n");
  return (
    <span className="status-chip" data-testid="feed-status" data-state={state ?? "none"} title={details || undefined}>
      <span className="dot" aria-hidden />
      {state === null ? (
        t("feed.none")
      ) : (
        <>
          {t(`feedState.${state}`)}
          <span className="muted"> · {t("feed.messages", { count: formatCount(locale, messages) })}</span>
        </>
      )}
    </span>
  );
}

function BellIcon({ off }: { off: boolean }) {
  return (
    <svg className="bell" viewBox="0 0 16 16" aria-hidden>
      <path d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v3L2 11.5V12.5h12v-1L12.5 9V6A4.5 4.5 0 0 0 8 1.5Zm-1.8 12a1.8 1.8 0 0 0 3.6 0Z" />
      {off && <path d="M2 2.5 14 14" stroke="currentColor" strokeWidth="1.6" />}
    </svg>
  );
}

function NotifyStatus({ status }: { status: EngineStatus | null }) {
  const { t } = useI18n();
  if (!status) {
    return (
      <span className="status-chip" data-testid="notify-status" data-available="unknown">
        {t("notify.unknown")}
      </span>
    );
  }
  const { available, error } = status.notifications;
  const reason = available ? t("notify.availableTitle") : (error ?? t("notify.noReason"));
  return (
    <span
      className="status-chip"
      data-testid="notify-status"
      data-available={available ? "true" : "false"}
      title={reason}
      aria-label={`${available ? t("notify.available") : t("notify.unavailable")}. ${reason}`}
    >
      <BellIcon off={!available} />
      {available ? t("notify.available") : t("notify.unavailable")}
    </span>
  );
}

/** Shown only when something is wrong with saving: the database file cannot be used (the
 * app runs in memory) or new data cannot be written (disk full…). */
function StorageStatusChip({ status }: { status: EngineStatus | null }) {
  const { t } = useI18n();
  const storage = status?.storage;
  if (!storage || (storage.persistent && !storage.error)) return null;
  const label = storage.persistent ? t("storage.failing") : t("storage.memory");
  return (
    <span className="status-chip error" role="alert" data-testid="storage-status" title={storage.error ?? undefined}>
      ⚠ {label}
      {storage.error && <span className="muted"> · {storage.error}</span>}
    </span>
  );
}

export function Header({
  simulated,
  status,
  statusError,
  onPause,
}: {
  simulated: boolean;
  status: EngineStatus | null;
  statusError: ApiError | null;
  onPause: (paused: boolean) => void;
}) {
  const { t, lang, setLang, errorText } = useI18n();
  const paused = status?.alertsPaused ?? false;
  return (
    <header className="app-header">
      <div className="brand">
        <span className="logo" aria-hidden>
          ◆
        </span>
        <h1>{t("app.name")}</h1>
        {simulated && (
          <span className="sim-badge" data-testid="simulated-badge" title={t("header.simulatedTitle")}>
            {t("header.simulated")}
          </span>
        )}
      </div>
      <div className="header-status">
        <FeedStatus status={status} />
        <NotifyStatus status={status} />
        <StorageStatusChip status={status} />
        {statusError && (
          <span className="status-chip error" role="alert" title={errorText(statusError)}>
            ⚠ {errorText(statusError)}
          </span>
        )}
      </div>
      <div className="header-controls">
        <button
          type="button"
          role="switch"
          aria-checked={paused}
          className={`switch-btn${paused ? " on warn" : ""}`}
          data-testid="pause-alerts"
          disabled={!status}
          title={t("header.pauseAlertsTitle")}
          onClick={() => {
            onPause(!paused);
          }}
        >
          <span className="knob" aria-hidden />
          {paused ? t("header.alertsPaused") : t("header.pauseAlerts")}
        </button>
        <label className="lang">
          <span className="visually-hidden">{t("header.language")}</span>
          <select
            data-testid="lang-select"
            value={lang}
            aria-label={t("header.language")}
            onChange={(e) => {
              if (isLang(e.target.value)) setLang(e.target.value);
            }}
          >
            {LANGS.map((l) => (
              <option key={l} value={l}>
                {LANG_LABELS[l]}
              </option>
            ))}
          </select>
        </label>
      </div>
    </header>
  );
}
