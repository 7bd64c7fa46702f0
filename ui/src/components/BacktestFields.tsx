import { useI18n } from "../i18n/I18nProvider";

/** The symbol a backtest replays, from the symbols offered (test ids `${prefix}-symbol`). */
export function SymbolField({
  prefix,
  symbol,
  options,
  onChange,
}: {
  prefix: string;
  symbol: string;
  options: readonly string[];
  onChange: (symbol: string) => void;
}) {
  const { t } = useI18n();
  return (
    <label className="bt-field">
      <span>{t("bt.symbol")}</span>
      <select data-testid={`${prefix}-symbol`} value={symbol} onChange={(e) => onChange(e.target.value)}>
        {symbol === "" && <option value="">—</option>}
        {options.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The backtested window's first and last day (test ids `${prefix}-from`, `${prefix}-to`). */
export function DateRangeFields({
  prefix,
  dates,
  onChange,
}: {
  prefix: string;
  dates: { from: string; to: string };
  onChange: (patch: Partial<{ from: string; to: string }>) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <label className="bt-field">
        <span>{t("bt.from")}</span>
        <input type="date" data-testid={`${prefix}-from`} value={dates.from} onChange={(e) => onChange({ from: e.target.value })} />
      </label>
      <label className="bt-field">
        <span>{t("bt.to")}</span>
        <input type="date" data-testid={`${prefix}-to`} value={dates.to} onChange={(e) => onChange({ to: e.target.value })} />
      </label>
    </>
  );
}
