import { useEffect, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { WatchRow } from "../bindings/WatchRow";
import { directionOf, formatPct, formatPrice } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { SPARK_INTERVAL, SPARK_POINTS, SPARK_TTL_MS, createSparkCache, formatRvol, sparkPath, withLivePrice, type SparkCache } from "../state/sparklines";
import { visibleWindow } from "../state/watchOrder";
import { symbolCode, type WatchState } from "../state/watchlist";
import { ErrorNote } from "./ErrorNote";
import { SimTag } from "./SimTag";

/** Rows are this tall (px) when the list is virtualised (see .watch-list.virtual). */
export const ROW_HEIGHT = 44;
const VIRTUAL_FROM = 60;
const SPARK_W = 44;
const SPARK_H = 18;

/** The recent closes of a row as a tiny line, coloured by its direction. */
function Spark({ closes, price }: { closes: readonly number[] | undefined; price: number | null }) {
  const pts = closes ? withLivePrice(closes, price) : [];
  const d = sparkPath(pts, SPARK_W, SPARK_H);
  if (d === null) return <span className="watch-spark" data-testid="watch-spark" data-points={0} aria-hidden />;
  const first = pts[0] ?? 0;
  const last = pts[pts.length - 1] ?? 0;
  const dir = last > first ? "up" : last < first ? "down" : "flat";
  return (
    <svg className={`watch-spark ${dir}`} data-testid="watch-spark" data-points={pts.length} width={SPARK_W} height={SPARK_H} viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} aria-hidden>
      <path d={d} fill="none" stroke="currentColor" strokeWidth={1.2} strokeLinejoin="round" />
    </svg>
  );
}

function Row({
  row,
  selected,
  tick,
  seq,
  spark,
  onSelect,
  onRemove,
  onDrop,
}: {
  row: WatchRow;
  spark: readonly number[] | undefined;
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
        <span
          className={`watch-rvol${(row.relVolume ?? 0) >= 2 ? " hot" : ""}`}
          data-testid="watch-rvol"
          title={row.relVolume === null ? undefined : t("watchlist.rvolTitle", { value: formatRvol(locale, row.relVolume) })}
        >
          {formatRvol(locale, row.relVolume)}
        </span>
        <Spark closes={spark} price={row.price} />
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

/** One sparkline cache per mounted list; re-renders when closes arrive. */
function useSparks(): SparkCache {
  const [cache] = useState(() => createSparkCache((symbols) => api.getSparklines(symbols, SPARK_INTERVAL, SPARK_POINTS)));
  useEffect(() => () => cache.dispose(), [cache]);
  useSyncExternalStore(cache.subscribe, cache.version, cache.version);
  return cache;
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
  const sparks = useSparks();
  // Beyond a screenful the list is virtualised: only the rows in view (and a few around)
  // are in the DOM, so hundreds of streaming rows stay smooth.
  const virtual = watch.rows.length > VIRTUAL_FROM;
  const win = virtual
    ? visibleWindow(watch.rows.length, ROW_HEIGHT, scroll.top, scroll.height)
    : { start: 0, end: watch.rows.length };
  // Sparklines only for the rows in the DOM, asked again once they are a minute old.
  const shownKey = watch.rows
    .slice(win.start, win.end)
    .map((r) => r.symbol)
    .join("\n");
  useEffect(() => {
    if (shownKey === "") return;
    const symbols = shownKey.split("\n");
    sparks.request(symbols);
    const timer = setInterval(() => sparks.request(symbols), SPARK_TTL_MS / 2);
    return () => clearInterval(timer);
  }, [shownKey, sparks]);
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
        <span>{t("watchlist.rvol")}</span>
        <span>{t("watchlist.trend")}</span>
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
            spark={sparks.get(row.symbol)?.closes}
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
