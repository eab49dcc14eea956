/**
 * The player's rules as plain functions: what state the player is in, how it recovers from a
 * failure, how a sequence of recordings forms one timeline, and the steps of rate and volume.
 * No DOM, no timers: the component feeds facts in and acts on what comes out.
 */
import type { EngineErrorKind, EngineState } from "./playback-engine.js";

/** One recording a player can play: a call segment's audio, or a whole conference's. */
export interface PlayerRecording {
  /** Stable id (positions are remembered under it). */
  id: string;
  /** The audio URL (may be a short-lived signed URL). */
  src: string;
  /** Where the download button points; `src` when absent. */
  downloadUrl?: string;
  /** What the player names it, e.g. "Segment 2 · Bob Smith". */
  title: string;
  /** Its length when known in advance: places the segment marks before it is loaded. */
  durationSeconds?: number;
  contentType?: string;
  /**
   * Who each channel of a two-channel recording holds, left then right ("Agent: Alice Jones"):
   * with exactly two, the player lets the user hear one alone or set the balance between them.
   */
  channels?: string[];
  /** Its peaks (audiowaveform JSON): the waveform on the seek slider, and skip silence. */
  peaksUrl?: string;
}

/** A renewed URL for a recording, as a page answers `crec-refresh-url`. */
/** How far the skip buttons, J/L and the extension's back/forward commands move, in seconds. */
export const SKIP_SECONDS = 10;

/** Whether two lists hold the same recordings in the same order (by id; their links may differ). */
export function sameRecordingIds(a: readonly { id: string }[], b: readonly { id: string }[]): boolean {
  return a.length === b.length && a.every((r, i) => r.id === b[i]?.id);
}

export type RecordingUpdate = Pick<PlayerRecording, "src"> & Partial<Omit<PlayerRecording, "id">>;

/** What the player is doing, as a user would say it. */
export type PlayerStatus =
  /** Nothing to play. */
  | "empty"
  /** Opening a recording (no duration yet). */
  | "loading"
  /** Paused, ready to play. */
  | "ready"
  | "playing"
  /** Wants to play, waiting for data. */
  | "buffering"
  /** Lost the connection; trying again by itself. */
  | "retrying"
  /** The signed URL expired; waiting for the page to supply a new one. */
  | "refreshing"
  /** The whole sequence played to its end. */
  | "ended"
  /** Failed; the message says why and, where it can help, offers a retry. */
  | "error";

/** A failure as the player keeps it. */
export interface PlayerError {
  kind: EngineErrorKind;
  /** Technical detail, for logs and the `crec-error` event. */
  message: string;
  status?: number;
  /** Where playback stood when it failed, in seconds into the recording. */
  position: number;
  /** For `unsupported`: the format the recording is in, when it was recognised ("AMR-NB"). */
  format?: string;
}

/** The facts the status is made from. */
export interface StatusFacts {
  hasRecording: boolean;
  engine: EngineState;
  /** The user (or page) asked to play and has not paused since. */
  wantsToPlay: boolean;
  recovering: "retrying" | "refreshing" | null;
  error: PlayerError | null;
  sequenceEnded: boolean;
}

/** The status the player shows. */
export function statusFor(facts: StatusFacts): PlayerStatus {
  const { engine } = facts;
  if (!facts.hasRecording) return "empty";
  if (facts.recovering) return facts.recovering;
  if (facts.error) return "error";
  if (facts.sequenceEnded) return "ended";
  if (engine.src === null || !engine.hasMetadata) return "loading";
  if (engine.waiting || (facts.wantsToPlay && engine.seeking)) return "buffering";
  if (!engine.paused) return "playing";
  return "ready";
}

/** Whether a status is a passing wait the user should see as progress, not a problem. */
export function isBusy(status: PlayerStatus): boolean {
  return status === "loading" || status === "buffering" || status === "retrying" || status === "refreshing";
}

export { DEFAULT_RECOVERY, recoveryFor, type Recovery, type RecoveryPolicy } from "./recovery.js";

/** Whether a manual retry can help after the player gave up. */
export function canRetry(kind: EngineErrorKind): boolean {
  return kind !== "unsupported";
}

/** A sequence of recordings laid end to end. */
export interface Timeline {
  /** Start of each recording on the timeline, in seconds. */
  offsets: number[];
  /** Length of each recording (0 while unknown). */
  durations: number[];
  total: number;
}

/** Lays recordings of these lengths end to end; unknown lengths (NaN, undefined) count as 0. */
export function buildTimeline(durations: readonly (number | undefined)[]): Timeline {
  const clean = durations.map((d) => (d !== undefined && Number.isFinite(d) && d > 0 ? d : 0));
  const offsets: number[] = [];
  let total = 0;
  for (const d of clean) {
    offsets.push(total);
    total += d;
  }
  return { offsets, durations: clean, total };
}

/** Which recording a point of the timeline falls in, and how far into it. */
export function locate(timeline: Timeline, seconds: number): { index: number; offset: number } {
  const count = timeline.offsets.length;
  if (count === 0) return { index: -1, offset: 0 };
  const t = Math.min(Math.max(0, seconds), timeline.total);
  for (let i = 0; i < count; i++) {
    const start = timeline.offsets[i]!;
    const d = timeline.durations[i]!;
    if (d > 0 && t < start + d) return { index: i, offset: t - start };
  }
  // The very end: the last recording with a length, at its end.
  for (let i = count - 1; i >= 0; i--) {
    if (timeline.durations[i]! > 0) return { index: i, offset: timeline.durations[i]! };
  }
  return { index: 0, offset: 0 };
}

/** A point in one recording as a point of the timeline. */
export function timelineTime(timeline: Timeline, index: number, offset: number): number {
  return (timeline.offsets[index] ?? 0) + Math.max(0, offset);
}

/** Seconds into a recording past which "previous" restarts it rather than going back one. */
export const RESTART_THRESHOLD = 3;

/** Where "previous" goes: the start of this recording, or the one before when already near its start. */
export function previousTarget(index: number, position: number): { index: number; at: number } {
  if (index <= 0 || position > RESTART_THRESHOLD) return { index: Math.max(0, index), at: 0 };
  return { index: index - 1, at: 0 };
}

/** The playback rates offered, slowest first. */
export const RATES: readonly number[] = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
export const MIN_RATE = 0.5;
export const MAX_RATE = 2;

export function clampRate(rate: number): number {
  return Number.isFinite(rate) ? Math.min(MAX_RATE, Math.max(MIN_RATE, rate)) : 1;
}

/** The next offered rate up (+1) or down (-1) from this one, staying in range. */
export function stepRate(rate: number, direction: 1 | -1): number {
  if (direction > 0) return RATES.find((r) => r > rate + 1e-9) ?? MAX_RATE;
  return [...RATES].reverse().find((r) => r < rate - 1e-9) ?? MIN_RATE;
}

/** "1×", "1.25×", "0.5×" */
export function formatRate(rate: number): string {
  return `${Number(rate.toFixed(2))}×`;
}

export const VOLUME_STEP = 0.05;

export function clampVolume(volume: number): number {
  return Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : 1;
}

/** A saved position is worth resuming from when it is this far from both ends, in seconds. */
export const RESUME_MARGIN = 3;

/** Where to continue a recording from its saved position (0: from the start). */
export function resumePosition(saved: number | undefined, duration: number | undefined): number {
  if (saved === undefined || !Number.isFinite(saved) || saved < RESUME_MARGIN) return 0;
  if (duration !== undefined && Number.isFinite(duration) && duration > 0 && saved > duration - RESUME_MARGIN) return 0;
  return saved;
}
