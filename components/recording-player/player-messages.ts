/**
 * What the player tells a person about its state: one sentence that says what happened and,
 * where there is one, what they can do. Plain English, in one place.
 */
import type { EngineErrorKind } from "../../src/player/playback-engine.js";
import { formatClock } from "../../src/player/format-time.js";
import type { PlayerError } from "../../src/player/player-state.js";

/** The message for a failure the player gave up on. */
export function errorMessage(error: PlayerError): string {
  const at = error.position > 0 ? ` at ${formatClock(error.position)}` : "";
  const messages: Record<EngineErrorKind, string> = {
    network:
      error.status !== undefined
        ? `The server could not send this recording (error ${error.status}). Try again in a moment.`
        : `Playback stopped${at}: the connection to the server was lost. Try again when you are back online.`,
    expired: "The link to this recording has expired and could not be renewed. Try again, or reload the page.",
    "not-found": "This recording could not be found on the server.",
    forbidden: "Access to this recording was removed. Ask your administrator if you still need it.",
    unsupported: error.format
      ? `This recording is in ${error.format}, which the player cannot play. Download it to listen.`
      : "This browser cannot play this recording's audio format. Download it to play it in another app.",
    unknown: `This recording could not be played${at}.`,
  };
  return messages[error.kind];
}

/** The message while the player retries by itself. */
export function retryingMessage(attempt: number, of: number): string {
  return `Connection lost. Trying again (${attempt} of ${of})…`;
}

export const REFRESHING_MESSAGE = "The link expired. Getting a new one…";
export const LOADING_MESSAGE = "Loading…";
export const BUFFERING_MESSAGE = "Buffering…";
export const YIELDED_MESSAGE = "Paused: another player started.";
export const AUTOPLAY_BLOCKED_MESSAGE = "Press play to start.";
