import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Interval } from "../bindings/Interval";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { WatchRow } from "../bindings/WatchRow";
import { CandleChart } from "../chart/CandleChart";
import { INDICATOR_GROUPS, type IndicatorGroup } from "../chart/indicators";
import { directionOf, formatPct, formatPrice } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/messages";
import type { LiveHub } from "../state/liveHub";
import { INTERVALS } from "../state/ruleForm";
import { rulePriceLines, withLevel, type RulePriceLine } from "../state/rulePriceLines";
import { symbolCode } from "../state/watchlist";
import { SimTag } from "./SimTag";
import { StockPanel } from "./StockPanel";

const GROUP_LABEL: Record<IndicatorGroup, MessageKey> = {
  ma: "chart.ma",
  ema: "chart.ema",
  bb: "chart.bb",
  vwap: "chart.vwap",
  rsi: "chart.rsi",
  macd: "chart.macd",
  anomaly: "chart.anomaly",
};

/** A dragged rule line waiting for the user's word, being saved, saved, or refused. */
interface LineMove {
  symbol: string;
  line: RulePriceLine;
  from: number;
  to: number;
  state: "confirm" | "saving" | "done" | "error";
  error?: ApiError;
}

export function ChartPanel({
  row,
  symbol,
  hub,
  rules = [],
  onCreateAlert,
}: {
  row: WatchRow | null;
  symbol: string | null;
  hub: LiveHub;
  rules?: readonly RuleRecord[];
  onCreateAlert?: (symbol: string, price: number) => void;
}) {
  const { t, locale, errorText } = useI18n();
  const [interval, setIv] = useState<Interval>("1m");
  const [groups, setGroups] = useState<IndicatorGroup[]>(["ma"]);
  const [picked, setPicked] = useState<number | null>(null);
  const toggle = (g: IndicatorGroup) => setGroups((gs) => (gs.includes(g) ? gs.filter((x) => x !== g) : [...gs, g]));
  // A rule saved from a dragged line shows its new level until the rules are reloaded.
  const [saved, setSaved] = useState<{ rules: readonly RuleRecord[]; rec: RuleRecord } | null>(null);
  const shownRules = saved && saved.rules === rules ? rules.map((r) => (r.id === saved.rec.id ? saved.rec : r)) : rules;
  const baseLines = symbol ? rulePriceLines(shownRules, symbol) : [];
  const [move, setMove] = useState<LineMove | null>(null);
  const pendingMove = move && move.symbol === symbol ? move : null;
  const lines = baseLines.map((l) =>
    pendingMove && pendingMove.line.key === l.key && (pendingMove.state === "confirm" || pendingMove.state === "saving")
      ? { ...l, price: pendingMove.to }
      : l,
  );
  const lineFor = (key: string) => baseLines.find((l) => l.key === key);

  const onMoveLine = (key: string, from: number, to: number) => {
    const line = lineFor(key);
    if (symbol && line) setMove({ symbol, line, from, to, state: "confirm" });
  };
  const saveMove = (m: LineMove) => {
    const rec = shownRules.find((r) => r.id === m.line.ruleId);
    if (!rec) {
      setMove({ ...m, state: "error", error: { code: "not_found", message: "" } });
      return;
    }
    let spec;
    try {
      spec = withLevel(rec.spec, m.line, m.to);
    } catch (e) {
      setMove({ ...m, state: "error", error: { code: "invalid_input", message: e instanceof Error ? e.message : String(e) } });
      return;
    }
    setMove({ ...m, state: "saving" });
    api.updateRule(rec.id, spec).then(
      (updated) => {
        setSaved({ rules, rec: updated });
        setMove({ ...m, state: "done" });
      },
      (e: unknown) => setMove({ ...m, state: "error", error: e as ApiError }),
    );
  };
  // The "saved" note goes away on its own.
  useEffect(() => {
    if (move?.state !== "done") return;
    const timer = setTimeout(() => setMove((cur) => (cur === move ? null : cur)), 5000);
    return () => clearTimeout(timer);
  }, [move]);
  return (
    <section className="panel chart-panel" aria-labelledby="chart-title">
      <div className="panel-head chart-head">
        <h2 id="chart-title">{symbol ? symbolCode(symbol) : t("chart.title")}</h2>
        {row && <span className="chart-name">{row.name}</span>}
        {row?.simulated && <SimTag />}
        <div className="seg" role="group" aria-label={t("chart.interval")}>
          {INTERVALS.map((i) => (
            <button
              key={i}
              type="button"
              className={`seg-btn${i === interval ? " on" : ""}`}
              data-testid={`interval-${i}`}
              aria-pressed={i === interval}
              onClick={() => setIv(i)}
            >
              {t(`interval.${i}`)}
            </button>
          ))}
        </div>
        {row && (
          <span className="chart-quote">
            <span className="chart-last">{formatPrice(locale, row.price)}</span>
            <span className={`chart-change ${directionOf(row.changePct)}`}>{formatPct(locale, row.changePct)}</span>
          </span>
        )}
      </div>
      <div className="chart-tools" role="group" aria-label={t("chart.indicators")}>
        {INDICATOR_GROUPS.map((g) => (
          <label key={g} className="chip check">
            <input type="checkbox" data-testid={`ind-${g}`} checked={groups.includes(g)} onChange={() => toggle(g)} />
            {t(GROUP_LABEL[g])}
          </label>
        ))}
        {baseLines.length > 0 && <span className="hint">{t("chart.dragHint")}</span>}
        {onCreateAlert && symbol && (
          <span className="create-alert">
            {picked === null ? (
              <span className="hint">{t("chart.createAlertHint")}</span>
            ) : (
              <button type="button" className="btn small primary" data-testid="chart-create-alert" onClick={() => onCreateAlert(symbol, picked)}>
                {t("chart.createAlert", { price: formatPrice(locale, picked) })}
              </button>
            )}
          </span>
        )}
      </div>
      {pendingMove && (
        <div
          className={`line-move${pendingMove.state === "error" ? " error" : ""}`}
          role={pendingMove.state === "error" ? "alert" : "status"}
          data-testid="line-move"
          data-state={pendingMove.state}
        >
          {pendingMove.state === "confirm" || pendingMove.state === "saving" ? (
            <>
              <span>
                {t("chart.moveLine", {
                  rule: pendingMove.line.title,
                  from: formatPrice(locale, pendingMove.from),
                  to: formatPrice(locale, pendingMove.to),
                })}
              </span>
              <button
                type="button"
                className="btn small primary"
                data-testid="line-move-save"
                disabled={pendingMove.state === "saving"}
                onClick={() => saveMove(pendingMove)}
              >
                {pendingMove.state === "saving" ? t("chart.moveSaving") : t("chart.moveSave")}
              </button>
              <button type="button" className="btn small" data-testid="line-move-cancel" disabled={pendingMove.state === "saving"} onClick={() => setMove(null)}>
                {t("chart.moveCancel")}
              </button>
            </>
          ) : pendingMove.state === "done" ? (
            <span>{t("chart.moveDone", { rule: pendingMove.line.title, price: formatPrice(locale, pendingMove.to) })}</span>
          ) : (
            <>
              <span>{t("chart.moveError", { message: pendingMove.error ? errorText(pendingMove.error) : "" })}</span>
              <button type="button" className="btn small" data-testid="line-move-cancel" onClick={() => setMove(null)}>
                {t("chart.moveCancel")}
              </button>
            </>
          )}
        </div>
      )}
      <CandleChart
        symbol={symbol}
        hub={hub}
        interval={interval}
        indicators={groups}
        priceLines={lines}
        onPickPrice={onCreateAlert ? setPicked : undefined}
        onMoveLine={onMoveLine}
      />
      <StockPanel symbol={symbol} />
    </section>
  );
}
