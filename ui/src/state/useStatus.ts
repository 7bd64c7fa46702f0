import { useCallback, useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { EngineStatus } from "../bindings/EngineStatus";
import { useUiEvent } from "./useUiEvent";

export const STATUS_POLL_MS = 2000;

export interface StatusState {
  status: EngineStatus | null;
  error: ApiError | null;
  setPaused: (paused: boolean) => void;
}

export function useStatus(pollMs = STATUS_POLL_MS): StatusState {
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useUiEvent((e) => {
    if (e.kind === "alertsPaused") setStatus((s) => (s ? { ...s, alertsPaused: e.paused } : s));
  });

  useEffect(() => {
    let active = true;
    const poll = () => {
      api.getStatus().then(
        (s) => {
          if (!active) return;
          setStatus(s);
          setError(null);
        },
        (e: unknown) => {
          if (active) setError(e as ApiError);
        },
      );
    };
    poll();
    const timer = setInterval(poll, pollMs);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [pollMs]);

  const setPaused = useCallback((paused: boolean) => {
    let previous: boolean | undefined;
    setStatus((s) => {
      previous = s?.alertsPaused;
      return s ? { ...s, alertsPaused: paused } : s;
    });
    api.setAlertsPaused(paused).then(
      () => {
        setError(null);
      },
      (e: unknown) => {
        setError(e as ApiError);
        setStatus((s) => (s && previous !== undefined ? { ...s, alertsPaused: previous } : s));
      },
    );
  }, []);

  return { status, error, setPaused };
}
