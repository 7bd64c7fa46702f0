import { useCallback, useEffect, useReducer, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { WatchRow } from "../bindings/WatchRow";
import type { LiveHub } from "./liveHub";
import { applyLoadedWatchlist, applyRowUpdates, emptyWatchState, type WatchState } from "./watchlist";

type Action = { type: "loaded"; rows: WatchRow[] } | { type: "rows"; rows: WatchRow[] };

function reducer(state: WatchState, action: Action): WatchState {
  return action.type === "loaded" ? applyLoadedWatchlist(state, action.rows) : applyRowUpdates(state, action.rows);
}

export interface Market {
  watch: WatchState;
  loadError: ApiError | null;
  liveError: ApiError | null;
  /** Tries again whatever failed (the snapshot, the live stream, or both). */
  retry: () => void;
}

/** The watchlist and the live stream: rows go to React state, candles to the hub. */
export function useMarket(hub: LiveHub): Market {
  const [watch, dispatch] = useReducer(reducer, emptyWatchState);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [liveError, setLiveError] = useState<ApiError | null>(null);
  const [liveAttempt, setLiveAttempt] = useState(0);
  const [loadAttempt, setLoadAttempt] = useState(0);

  // The stream is subscribed before the snapshot is asked for, so no change between
  // the two is lost (the reducer keeps whichever row is newer).
  useEffect(() => {
    let active = true;
    api
      .subscribeLive((batch) => {
        if (!active) return;
        if (batch.rows.length > 0) dispatch({ type: "rows", rows: batch.rows });
        if (batch.candles.length > 0) hub.publish(batch.candles);
      })
      .then(
        (channel) => {
          if (!active) channel.onmessage = () => undefined;
          else setLiveError(null);
        },
        (e: unknown) => {
          if (active) setLiveError(e as ApiError);
        },
      );
    return () => {
      active = false;
    };
  }, [hub, liveAttempt]);

  useEffect(() => {
    let active = true;
    api.getWatchlist().then(
      (rows) => {
        if (!active) return;
        setLoadError(null);
        dispatch({ type: "loaded", rows });
      },
      (e: unknown) => {
        if (active) setLoadError(e as ApiError);
      },
    );
    return () => {
      active = false;
    };
  }, [loadAttempt]);

  const retry = useCallback(() => {
    if (liveError) setLiveAttempt((n) => n + 1);
    if (loadError) setLoadAttempt((n) => n + 1);
  }, [liveError, loadError]);

  return { watch, loadError, liveError, retry };
}
