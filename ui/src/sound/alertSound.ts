// Alert sounds: one distinct tone per level, made with the Web Audio API (no files to ship).
// The engine decides whether a notice plays (the rule's `sound` channel, the level's choice
// in Settings, not during quiet hours or a pause); the UI only picks the level's tone.
import type { Level } from "../bindings/Level";
import type { UiEvent } from "../bindings/UiEvent";

/** One note of a tone: when it starts and how long it lasts (seconds from the start). */
export interface Note {
  freq: number;
  start: number;
  dur: number;
  wave: OscillatorType;
  gain: number;
}

const n = (freq: number, start: number, dur: number, wave: OscillatorType, gain: number): Note => ({ freq, start, dur, wave, gain });

/** Low: one soft note; medium: a rising pair; high: three quick beeps; critical: a siren. */
export const TONES: Record<Level, readonly Note[]> = {
  low: [n(523.25, 0, 0.18, "sine", 0.18)],
  medium: [n(659.25, 0, 0.14, "triangle", 0.22), n(880, 0.16, 0.2, "triangle", 0.22)],
  high: [n(988, 0, 0.1, "square", 0.12), n(988, 0.15, 0.1, "square", 0.12), n(988, 0.3, 0.1, "square", 0.12)],
  critical: [0, 1, 2, 3].flatMap((i) => [n(1175, i * 0.36, 0.16, "sawtooth", 0.14), n(784, i * 0.36 + 0.18, 0.16, "sawtooth", 0.14)]),
};

const RANK: Record<Level, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** The level whose sound an event asks for, or null (not a notice, or the engine said no). */
export function soundLevelFor(event: UiEvent): Level | null {
  return event.kind === "notice" && event.notice.sound ? event.notice.level : null;
}

/** Where tones go: the speakers in the app, a recorder in tests. */
export interface ToneOutput {
  play(notes: readonly Note[]): void;
}

/** Web Audio output; null where the webview has no audio. The context starts on first use. */
export function webAudioOutput(): ToneOutput | null {
  const Ctx = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (typeof Ctx !== "function") return null;
  let ctx: AudioContext | null = null;
  return {
    play(notes) {
      ctx ??= new Ctx();
      if (ctx.state === "suspended") void ctx.resume().catch(() => undefined);
      const t0 = ctx.currentTime + 0.02;
      for (const note of notes) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = note.wave;
        osc.frequency.value = note.freq;
        const start = t0 + note.start;
        const end = start + note.dur;
        // A short attack and release: no clicks.
        gain.gain.setValueAtTime(0, start);
        gain.gain.linearRampToValueAtTime(note.gain, start + 0.01);
        gain.gain.setValueAtTime(note.gain, Math.max(start + 0.01, end - 0.03));
        gain.gain.linearRampToValueAtTime(0, end);
        osc.connect(gain).connect(ctx.destination);
        osc.start(start);
        osc.stop(end + 0.01);
      }
    },
  };
}

export interface SoundPlayer {
  /** Plays the sound a UI event asks for; returns the level played (null: none). */
  onEvent(event: UiEvent): Level | null;
  /** Plays a level's tone now (the Settings preview). */
  play(level: Level): void;
}

/**
 * Sounds close together (a storm's first alerts arrive in one burst) play once: within
 * `minGapMs` of the last sound only a higher level plays.
 */
export function createSoundPlayer(out: ToneOutput | null, now: () => number = () => Date.now(), minGapMs = 600): SoundPlayer {
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastLevel: Level = "low";
  const play = (level: Level) => {
    lastAt = now();
    lastLevel = level;
    out?.play(TONES[level]);
  };
  return {
    onEvent(event) {
      const level = soundLevelFor(event);
      if (level === null) return null;
      if (now() - lastAt < minGapMs && RANK[level] <= RANK[lastLevel]) return null;
      play(level);
      return level;
    },
    play,
  };
}

let shared: SoundPlayer | null = null;

/** The app's one player (the UI event handler and the Settings preview share its gap). */
export function appSoundPlayer(): SoundPlayer {
  shared ??= createSoundPlayer(webAudioOutput());
  return shared;
}
