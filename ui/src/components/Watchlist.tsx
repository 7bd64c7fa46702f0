import { useState, type KeyboardEvent, type ReactNode } from "react";
import type { ApiError } from "../bindings/ApiError";
import type { WatchRow } from "../bindings/WatchRow";
import { directionOf, formatPct, formatPrice } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { visibleWindow } from "../state/watchOrder";
import { symbolCode, type WatchState } from "../state/watchlist";
import { ErrorNote } from "./ErrorNote";
import { SimTag } from "./SimTag";

/** Rows are this tall (px) when the list is virtualised (see .watch-list.virtual). */
export const ROW_HEIGHT = 44;
const VIRTUAL_FROM = 60;

function Row({
  row,
  selected,
  tick,
  seq,
  onSelect,
  onRemove,
  onDrop,
}: {
  row: WatchRow;
  selected: boolean;
  tick: "up" | "down" | undefined;
  seq: number;
  onSelect: (symbol: string) => void;
  onRemove?: (symbol: string) => void;
  onDrop?: (moved: string, target: string) => void;
}) {
  const { locale, t } = useI18n();
  return (
    <li
      className="watch-item"
      draggable={onDrop !== undefined}
      onDragStart={(e) => {
        e.dataTransfer.setData("text/plain", row.symbol);
        e.dataTransfer.effectAllowed = "move";
      }}
      onDragOver={(e) => {
        if (onDrop) e.preventDefault();
      }}
      onDrop={(e) => {
        e.preventDefault();
        const moved = e.dataTransfer.getData("text/plain");
        if (moved && onDrop) onDrop(moved, row.symbol);
      }}
    >
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
      {onRemove && (
        <button
          type="button"
          className="watch-remove"
          data-testid="watch-remove"
          aria-label={t("wl.remove", { symbol: row.symbol })}
          title={t("wl.remove", { symbol: row.symbol })}
          onClick={() => {
            onRemove(row.symbol);
          }}
        >
          ×
        </button>
      )}
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
  tools,
  onRemove,
  onDrop,
}: {
  /** List picker and search, above the rows. */
  tools?: ReactNode;
  onRemove?: (symbol: string) => void;
  onDrop?: (moved: string, target: string) => void;
  watch: WatchState;
  selected: string | null;
  onSelect: (symbol: string) => void;
  loadError: ApiError | null;
  liveError: ApiError | null;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  // Beyond a screenful the list is virtualised: only the rows in view (and a few around)
  // are in the DOM, so hundreds of streaming rows stay smooth.
  const virtual = watch.rows.length > VIRTUAL_FROM;
  const win = virtual
    ? visibleWindow(watch.rows.length, ROW_HEIGHT, scroll.top, scroll.height)
    : { start: 0, end: watch.rows.length };
  return (
    <section className="panel watchlist" aria-labelledby="watchlist-title">
      <div className="panel-head">
        <h2 id="watchlist-title" data-testid="watchlist-title">
          {t("watchlist.title")}
        </h2>
      </div>
      {tools}
      <div className="watch-cols" aria-hidden>
        <span>{t("watchlist.symbol")}</span>
        <span>{t("watchlist.last")}</span>
        <span>{t("watchlist.change")}</span>
      </div>
      {loadError && <ErrorNote error={loadError} textKey="watchlist.loadError" onRetry={onRetry} />}
      {liveError && <ErrorNote error={liveError} textKey="watchlist.liveError" onRetry={onRetry} />}
      <ul
        className={`watch-list${virtual ? " virtual" : ""}`}
        data-testid="watchlist"
        data-rows={watch.rows.length}
        onKeyDown={onListKeyDown}
        onScroll={(e) => {
          setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight });
        }}
      >
        {win.start > 0 && <li aria-hidden style={{ height: win.start * ROW_HEIGHT }} />}
        {watch.rows.slice(win.start, win.end).map((row) => (
          <Row
            key={row.symbol}
            row={row}
            selected={row.symbol === selected}
            tick={watch.ticks[row.symbol]}
            seq={watch.tickSeq[row.symbol] ?? 0}
            onSelect={onSelect}
            onRemove={onRemove}
            onDrop={onDrop}
          />
        ))}
        {win.end < watch.rows.length && <li aria-hidden style={{ height: (watch.rows.length - win.end) * ROW_HEIGHT }} />}
      </ul>
      {watch.rows.length === 0 && !loadError && (
        <p className="empty">{watch.loaded ? t("watchlist.empty") : t("watchlist.loading")}</p>
      )}
    </section>
  );
}
