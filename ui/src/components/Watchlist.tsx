import type { KeyboardEvent } from "react";
import type { ApiError } from "../bindings/ApiError";
import type { WatchRow } from "../bindings/WatchRow";
import { directionOf, formatPct, formatPrice } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { symbolCode, type WatchState } from "../state/watchlist";
import { ErrorNote } from "./ErrorNote";
import { SimTag } from "./SimTag";

function Row({
  row,
  selected,
  tick,
  seq,
  onSelect,
}: {
  row: WatchRow;
  selected: boolean;
  tick: "up" | "down" | undefined;
  seq: number;
  onSelect: (symbol: string) => void;
}) {
  const { locale } = useI18n();
  return (
    <li>
      <button
        type="button"
        className={`watch-row${selected ? " selected" : ""}`}
        data-testid="watch-row"
        data-symbol={row.symbol}
        aria-pressed={selected}
        onClick={() => {
          onSelect(row.symbol);
        }}
      >
        <span className="watch-id">
          <span className="watch-code">
            {symbolCode(row.symbol)}
            {row.simulated && <SimTag testId="sim-tag" />}
          </span>
          <span className="watch-name">{row.name}</span>
        </span>
        <span className={`watch-price tick-${tick ?? "none"}`}>
          {seq > 0 && <span key={seq} className={`flash flash-${tick ?? "none"}`} aria-hidden />}
          <span data-testid="watch-price">{formatPrice(locale, row.price)}</span>
        </span>
        <span className={`watch-change ${directionOf(row.changePct)}`} data-testid="watch-change">
          {formatPct(locale, row.changePct)}
        </span>
      </button>
    </li>
  );
}

/** Up/Down arrows move between rows, Home/End jump; Enter/Space select (native buttons). */
function onListKeyDown(e: KeyboardEvent<HTMLUListElement>) {
  const keys = ["ArrowDown", "ArrowUp", "Home", "End"];
  if (!keys.includes(e.key)) return;
  const buttons = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>("button.watch-row"));
  if (buttons.length === 0) return;
  const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
  let next = i;
  if (e.key === "ArrowDown") next = i < 0 ? 0 : Math.min(buttons.length - 1, i + 1);
  else if (e.key === "ArrowUp") next = i < 0 ? 0 : Math.max(0, i - 1);
  else if (e.key === "Home") next = 0;
  else next = buttons.length - 1;
  e.preventDefault();
  buttons[next]?.focus();
}

export function Watchlist({
  watch,
  selected,
  onSelect,
  loadError,
  liveError,
  onRetry,
}: {
  watch: WatchState;
  selected: string | null;
  onSelect: (symbol: string) => void;
  loadError: ApiError | null;
  liveError: ApiError | null;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel watchlist" aria-labelledby="watchlist-title">
      <div className="panel-head">
        <h2 id="watchlist-title" data-testid="watchlist-title">
          {t("watchlist.title")}
        </h2>
      </div>
      <div className="watch-cols" aria-hidden>
        <span>{t("watchlist.symbol")}</span>
        <span>{t("watchlist.last")}</span>
        <span>{t("watchlist.change")}</span>
      </div>
      {loadError && <ErrorNote error={loadError} textKey="watchlist.loadError" onRetry={onRetry} />}
      {liveError && <ErrorNote error={liveError} textKey="watchlist.liveError" onRetry={onRetry} />}
      <ul className="watch-list" data-testid="watchlist" onKeyDown={onListKeyDown}>
        {watch.rows.map((row) => (
          <Row
            key={row.symbol}
            row={row}
            selected={row.symbol === selected}
            tick={watch.ticks[row.symbol]}
            seq={watch.tickSeq[row.symbol] ?? 0}
            onSelect={onSelect}
          />
        ))}
      </ul>
      {watch.rows.length === 0 && !loadError && (
        <p className="empty">{watch.loaded ? t("watchlist.empty") : t("watchlist.loading")}</p>
      )}
    </section>
  );
}
