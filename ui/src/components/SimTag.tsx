import { useI18n } from "../i18n/I18nProvider";

/** The small "SIM" marker every simulated symbol carries wherever it is shown. */
export function SimTag({ testId }: { testId?: string }) {
  const { t } = useI18n();
  return (
    <span className="sim-tag" data-testid={testId} title={t("sim.title")}>
      {t("sim.tag")}
    </span>
  );
}
