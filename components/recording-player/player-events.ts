/**
 * The events `<recording-player>` sends, typed once for `addEventListener`, all sent by one
 * helper. Every event is prefixed `crec-`, bubbles and crosses shadow roots.
 */
import type { EngineErrorKind } from "../../src/player/playback-engine.js";
import type { PlayerRecording, PlayerStatus, RecordingUpdate } from "../../src/player/player-state.js";

/** Where playback stands. */
export interface PlayerPositionDetail {
  /** The current recording's index in `recordings`. */
  index: number;
  recordingId: string;
  /** Seconds into the current recording. */
  currentTime: number;
  /** The current recording's length in seconds (NaN until known). */
  duration: number;
}

export interface PlayerEventDetails {
  /** Playback started or resumed. */
  "crec-play": PlayerPositionDetail;
  /** Playback paused. `reason` is "other-player" when another player took over. */
  "crec-pause": PlayerPositionDetail & { reason: "user" | "other-player" | "error" };
  /** The position moved (about four times a second while playing, and on seeks). */
  "crec-timeupdate": PlayerPositionDetail;
  /** Another recording of the sequence became the current one. */
  "crec-recordingchange": { index: number; previousIndex: number; recording: PlayerRecording };
  /** The last recording of the sequence played to its end. */
  "crec-ended": { index: number; recordingId: string };
  /** Playback failed and the player stopped trying; the player shows `message`. */
  "crec-error": {
    kind: EngineErrorKind;
    /** What the player tells the user. */
    message: string;
    /** Technical detail. */
    cause: string;
    status?: number;
    /** For `unsupported`: the recording's format, when recognised ("AMR-NB"). */
    format?: string;
    index: number;
    recordingId: string;
  };
  /**
   * The recording's signed URL was refused (expired). A page that can renew it calls
   * `respondWith` during the event with a promise of the new URL(s); the player resumes at the
   * same position. Unanswered, the player says the link expired and offers a retry.
   */
  "crec-refresh-url": {
    recording: PlayerRecording;
    index: number;
    respondWith(update: RecordingUpdate | Promise<RecordingUpdate>): void;
  };
  /** Volume or mute changed. */
  "crec-volumechange": { volume: number; muted: boolean };
  /** The playback rate changed. */
  "crec-ratechange": { playbackRate: number };
  /** The player's status changed (loading, playing, buffering, error...). */
  "crec-statuschange": { status: PlayerStatus };
  /** The player was closed (its close button), just before it stops and hides; where it stood. */
  "crec-close": { recordingId: string | null; index: number; currentTime: number };
}

export type PlayerEventName = keyof PlayerEventDetails;

/**
 * Answers a `crec-refresh-url` with the URL(s) `renew` fetches, unless another listener answered
 * first (then `renew` is never called). Returns whether this answer was taken.
 */
export function answerRefresh(detail: PlayerEventDetails["crec-refresh-url"], renew: () => Promise<RecordingUpdate>): boolean {
  let resolve!: (update: RecordingUpdate) => void;
  let reject!: (error: unknown) => void;
  const answer = new Promise<RecordingUpdate>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  try {
    detail.respondWith(answer);
  } catch {
    // Answered already: one answer is enough.
    return false;
  }
  renew().then(resolve, reject);
  return true;
}

export { emit } from "../shared/events.js";

declare global {
  interface GlobalEventHandlersEventMap {
    "crec-play": CustomEvent<PlayerEventDetails["crec-play"]>;
    "crec-pause": CustomEvent<PlayerEventDetails["crec-pause"]>;
    "crec-timeupdate": CustomEvent<PlayerEventDetails["crec-timeupdate"]>;
    "crec-recordingchange": CustomEvent<PlayerEventDetails["crec-recordingchange"]>;
    "crec-ended": CustomEvent<PlayerEventDetails["crec-ended"]>;
    "crec-error": CustomEvent<PlayerEventDetails["crec-error"]>;
    "crec-refresh-url": CustomEvent<PlayerEventDetails["crec-refresh-url"]>;
    "crec-volumechange": CustomEvent<PlayerEventDetails["crec-volumechange"]>;
    "crec-ratechange": CustomEvent<PlayerEventDetails["crec-ratechange"]>;
    "crec-statuschange": CustomEvent<PlayerEventDetails["crec-statuschange"]>;
    "crec-close": CustomEvent<PlayerEventDetails["crec-close"]>;
  }
}
