import { appSoundPlayer } from "../sound/alertSound";
import { useUiEvent } from "./useUiEvent";

/** Plays the level's sound for every notice the engine marks with `sound`. */
export function useAlertSounds(): void {
  useUiEvent((e) => {
    appSoundPlayer().onEvent(e);
  });
}
