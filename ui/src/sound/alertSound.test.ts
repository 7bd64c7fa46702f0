import { describe, expect, it } from "vitest";
import type { Level } from "../bindings/Level";
import type { UiEvent } from "../bindings/UiEvent";
import { createSoundPlayer, soundLevelFor, TONES, type Note, type ToneOutput } from "./alertSound";

const notice = (level: Level, sound: boolean, notified = true): UiEvent => ({
  kind: "notice",
  notice: { title: `t ${level}`, body: "b", level, sound, alerts: 1, notified },
});

function recorder(): ToneOutput & { played: (readonly Note[])[] } {
  const played: (readonly Note[])[] = [];
  return { played, play: (notes) => played.push(notes) };
}

describe("alert sounds", () => {
  it("every level has its own tone", () => {
    const keys = (["low", "medium", "high", "critical"] as const).map((l) => JSON.stringify(TONES[l]));
    expect(new Set(keys).size).toBe(4);
  });

  it("plays the tone of the notice's level", () => {
    const out = recorder();
    let t = 0;
    const player = createSoundPlayer(out, () => t);
    expect(player.onEvent(notice("critical", true))).toBe("critical");
    t += 5_000;
    expect(player.onEvent(notice("low", true, false))).toBe("low"); // a sound-only rule
    expect(out.played).toEqual([TONES.critical, TONES.low]);
  });

  it("plays nothing when the engine says no sound (level muted, quiet hours, pause)", () => {
    const out = recorder();
    const player = createSoundPlayer(out, () => 0);
    for (const l of ["low", "medium", "high", "critical"] as const) {
      expect(player.onEvent(notice(l, false))).toBeNull();
    }
    expect(player.onEvent({ kind: "alertsPaused", paused: true })).toBeNull();
    expect(player.onEvent({ kind: "rulesChanged" })).toBeNull();
    expect(out.played).toEqual([]);
    expect(soundLevelFor(notice("high", false))).toBeNull();
    expect(soundLevelFor(notice("high", true))).toBe("high");
  });

  it("a burst plays once, unless a higher level follows", () => {
    const out = recorder();
    let t = 1_000;
    const player = createSoundPlayer(out, () => t, 600);
    expect(player.onEvent(notice("high", true))).toBe("high");
    t += 100;
    expect(player.onEvent(notice("high", true))).toBeNull();
    expect(player.onEvent(notice("medium", true))).toBeNull();
    expect(player.onEvent(notice("critical", true))).toBe("critical");
    t += 700;
    expect(player.onEvent(notice("medium", true))).toBe("medium");
    expect(out.played).toEqual([TONES.high, TONES.critical, TONES.medium]);
  });

  it("works without audio output (no Web Audio in the webview)", () => {
    const player = createSoundPlayer(null, () => 0);
    expect(player.onEvent(notice("high", true))).toBe("high");
  });
});
