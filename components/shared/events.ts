/**
 * The one helper that sends the elements' `crec-*` events: each bubbles and crosses shadow
 * roots, with a detail typed by its name (player-events.ts and session-events.ts say what each
 * carries).
 */
import type { PlayerEventDetails } from "../recording-player/player-events.js";
import type { SessionEventDetails } from "../call-session-recordings/session-events.js";

export type CrecEventDetails = PlayerEventDetails & SessionEventDetails;

/** Sends `type` from `target`; false when a listener cancelled it. */
export function emit<K extends keyof CrecEventDetails>(target: EventTarget, type: K, detail: CrecEventDetails[K]): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
