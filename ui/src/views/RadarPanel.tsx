import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Radar } from "../bindings/Radar";
import type { RadarMover } from "../bindings/RadarMover";
import { directionOf, formatCompact, formatPct, formatPrice } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/messages";
import { symbolCode } from "../state/watchlist";

/** Rows per radar list. */
export const RADAR_ROWS = 8;
/** How often the radar is asked again; the engine updates it as data arrives. */
export const RADAR_REFRESH_MS = 2_000;

const WINDOWS = ["5m", "1h", "24h"] as const;
type MoveWindow = (typeof WINDOWS)[number];
const WINDOW_LABEL: Record<MoveWindow, MessageKey> = {
  "5m": "dash.radarWindow5m",
  "1h": "dash.radarWindow1h",
  "24h": "dash.radarWindow24h",
};

/** Asks for the radar now and every `refreshMs`; keeps the last good answer on a failure. */
function useRadar(refreshMs: number): { radar: Radar | null; error: ApiError | null } {
  const [radar, setRadar] = useState<Radar | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let active = true;
    const load = () => {
      api.getRadar(RADAR_ROWS, 0).then(
        (r) => {
          if (!active) return;
          setRadar(r);
          setError(null);
        },
        (e: unknown) => {
          if (active) setError(e as ApiError);
        },
      );
    };
    load();
    const timer = setInterval(load, refreshMs);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [refreshMs]);
  return { radar, error };
}

/**
 * The market radar across every symbol the engine sees (not only the watchlist): top
 * anomalies with their reasons, top movers over 5m/1h/24h, relative volume and the largest
 * open-interest changes of futures contracts.
 */
export function RadarPanel({
  onOpen,
  refreshMs = RADAR_REFRESH_MS,
}: {
  onOpen: (symbol: string) => void;
  refreshMs?: number;
}) {
  const { t, locale, errorText } = useI18n();
  const { radar, error } = useRadar(refreshMs);
  const [span, setSpan] = useState<MoveWindow>("1h");

  const movers: Record<MoveWindow, RadarMover[]> = {
    "5m": radar?.movers5m ?? [],
    "1h": radar?.movers1h ?? [],
    "24h": radar?.movers24h ?? [],
  };
  const open = (symbol: string) => () => onOpen(symbol);
  const empty = (key: MessageKey) => <p className="empty">{t(radar ? key : "dash.radarLoading")}</p>;

  return (
    <section className="panel card radar" aria-labelledby="dash-radar">
      <h2 id="dash-radar">{t("dash.radar")}</h2>
      {error && (
        <p className="feed-error" role="alert" data-testid="radar-error">
          {t("dash.radarError", { error: errorText(error) })}
        </p>
      )}

      <h3>{t("dash.radarAnomalies")}</h3>
      <div data-testid="radar-anomalies">
        {radar && radar.anomalies.length > 0 ? (
          <ul className="radar-list">
            {radar.anomalies.map((a) => (
              <li key={a.symbol}>
                <button type="button" className="mover" data-testid="radar-anomaly" data-symbol={a.symbol} onClick={open(a.symbol)}>
                  <span className="watch-code">
                    {symbolCode(a.symbol)} <span className="chip">{t(`interval.${a.interval}`)}</span>
                  </span>
                  <span>{formatPrice(locale, a.price)}</span>
                  <span className={a.flagged ? "lvl lvl-high" : ""}>
                    {t("dash.radarScore", { score: a.score.toFixed(1) })}
                  </span>
                </button>
                <span className="radar-reasons" data-testid="radar-reasons">
                  {a.flagged && a.reasons.length > 0 ? a.reasons.join("; ") : t("dash.radarBelowThreshold")}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          empty("dash.radarNoAnomalies")
        )}
      </div>

      <h3>{t("dash.radarMovers")}</h3>
      <div className="seg" role="group" aria-label={t("dash.radarMovers")}>
        {WINDOWS.map((w) => (
          <button
            key={w}
            type="button"
            className={`seg-btn${w === span ? " on" : ""}`}
            data-testid={`radar-window-${w}`}
            aria-pressed={w === span}
            onClick={() => setSpan(w)}
          >
            {t(WINDOW_LABEL[w])}
          </button>
        ))}
      </div>
      <div data-testid="radar-movers" data-window={span}>
        {movers[span].length > 0 ? (
          <ul className="radar-list">
            {movers[span].map((m) => (
              <li key={m.symbol}>
                <button type="button" className="mover" data-testid="radar-mover" data-symbol={m.symbol} onClick={open(m.symbol)}>
                  <span className="watch-code">{symbolCode(m.symbol)}</span>
                  <span>{formatPrice(locale, m.price)}</span>
                  <span className={directionOf(m.value)}>{formatPct(locale, m.value)}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          empty("dash.radarNoMovers")
        )}
      </div>

      <h3>{t("dash.radarRvol")}</h3>
      <div data-testid="radar-rvol">
        {radar && radar.relativeVolume.length > 0 ? (
          <ul className="radar-list">
            {radar.relativeVolume.map((m) => (
              <li key={m.symbol}>
                <button type="button" className="mover" data-testid="radar-rvol-row" data-symbol={m.symbol} onClick={open(m.symbol)}>
                  <span className="watch-code">{symbolCode(m.symbol)}</span>
                  <span>{formatPrice(locale, m.price)}</span>
                  <span>{t("dash.radarRvolValue", { value: m.value.toFixed(1) })}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          empty("dash.radarNoRvol")
        )}
      </div>

      <h3>{t("dash.radarOi")}</h3>
      <div data-testid="radar-oi">
        {radar && radar.oiChanges.length > 0 ? (
          <ul className="radar-list">
            {radar.oiChanges.map((o) => (
              <li key={o.symbol}>
                <button type="button" className="mover" data-testid="radar-oi-row" data-symbol={o.symbol} onClick={open(o.symbol)}>
                  <span className="watch-code">{symbolCode(o.symbol)}</span>
                  <span>{t("dash.radarOiValue", { oi: formatCompact(locale, o.openInterest) })}</span>
                  <span className={directionOf(o.changePct)}>{formatPct(locale, o.changePct)}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          empty("dash.radarNoOi")
        )}
      </div>
    </section>
  );
}
