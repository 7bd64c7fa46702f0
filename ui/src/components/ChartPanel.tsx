import { useState } from "react";
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
import { rulePriceLines } from "../state/rulePriceLines";
import { symbolCode } from "../state/watchlist";
import { SimTag } from "./SimTag";

const GROUP_LABEL: Record<IndicatorGroup, MessageKey> = {
  ma: "chart.ma",
  ema: "chart.ema",
  bb: "chart.bb",
  vwap: "chart.vwap",
  rsi: "chart.rsi",
  macd: "chart.macd",
  anomaly: "chart.anomaly",
};

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
  const { t, locale } = useI18n();
  const [interval, setIv] = useState<Interval>("1m");
  const [groups, setGroups] = useState<IndicatorGroup[]>(["ma"]);
  const [picked, setPicked] = useState<number | null>(null);
  const toggle = (g: IndicatorGroup) => setGroups((gs) => (gs.includes(g) ? gs.filter((x) => x !== g) : [...gs, g]));
  const lines = symbol ? rulePriceLines(rules, symbol) : [];
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
      <CandleChart symbol={symbol} hub={hub} interval={interval} indicators={groups} priceLines={lines} onPickPrice={onCreateAlert ? setPicked : undefined} />
    </section>
  );
}
