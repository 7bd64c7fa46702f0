import { useEffect, useEffectEvent } from "react";
import { api } from "../api";
import type { UiEvent } from "../bindings/UiEvent";

/** Calls `handler` for every `tw://event` while the component is mounted. */
export function useUiEvent(handler: (event: UiEvent) => void): void {
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    let active = true;
    const unlisten = api
      .onUiEvent((e) => {
        if (active) onEvent(e);
      })
      .catch(() => null); // without the event plugin the UI still works, only less live
    return () => {
      active = false;
      // Unlisten can fail when the IPC bridge is already gone (reload, window closing).
      unlisten.then((un) => un?.()).catch(() => undefined);
    };
  }, []);
}
