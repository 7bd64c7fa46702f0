import { useEffect, useState } from "react";
import { api } from "../api";
import type { Alert } from "../bindings/Alert";
import type { ApiError } from "../bindings/ApiError";
import { ALERT_CAP, mergeAlerts, prependAlert } from "./alerts";
import { useUiEvent } from "./useUiEvent";

export function useAlerts(): { alerts: Alert[]; error: ApiError | null } {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  useUiEvent((e) => {
    if (e.kind === "alert") setAlerts((prev) => prependAlert(prev, e.alert));
  });

  useEffect(() => {
    let active = true;
    api.listAlerts(ALERT_CAP).then(
      (loaded) => {
        if (active) setAlerts((live) => mergeAlerts(live, loaded));
      },
      (e: unknown) => {
        if (active) setError(e as ApiError);
      },
    );
    return () => {
      active = false;
    };
  }, []);

  return { alerts, error };
}
