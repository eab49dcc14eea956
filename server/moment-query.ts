/**
 * A link to a moment in a page's query (`recording`, `t`), checked against the call's recordings
 * the viewer may play, for the Call Session view and `/embed-demo`: what to hand to
 * `<call-session-recordings>` (its `recording` and `at` attributes), and what the page says
 * about a part of the link it could not use.
 */
import { MAX_MOMENT_ID, MOMENT_PARAMS, parseMomentSeconds, resolveMoment } from "../src/calls/call-moment.js";
import type { RecordingView } from "./calls.js";

export interface CheckedMoment {
  /** The recording to start, when the link named one of the viewer's. */
  recording: string | null;
  /** Seconds to start at (into `recording`, else on the call's recordings end to end). */
  at: number | null;
  /** What the page tells the viewer about the link, when part of it was not used. */
  problem: string | null;
}

const NONE: CheckedMoment = { recording: null, at: null, problem: null };

/** Reads `recording` and `t` from a query, for a call with `recordings` (those the viewer may play). */
export function checkMoment(query: (name: string) => string | undefined, recordings: readonly RecordingView[]): CheckedMoment {
  const recordingText = query(MOMENT_PARAMS.recording)?.trim() || null;
  const timeText = query(MOMENT_PARAMS.time)?.trim() || null;
  if (recordingText === null && timeText === null) return NONE;
  if (recordings.length === 0) return { ...NONE, problem: "This link points to a moment of the call's recordings, but there is no recording of this call you may play." };
  if (recordingText !== null && (recordingText.length > MAX_MOMENT_ID || !recordings.some((r) => r.id === recordingText))) {
    return { ...NONE, problem: "This link points to a recording that is not one of this call's recordings you may play, so nothing was started." };
  }
  let at: number | null = null;
  const problems: string[] = [];
  if (timeText !== null) {
    const parsed = parseMomentSeconds(timeText);
    if ("problem" in parsed) problems.push(`The link's time is not used: ${parsed.problem}. Playing from the start.`);
    else at = parsed.seconds;
  }
  const resolved = resolveMoment(recordings, recordingText, at);
  if ("problem" in resolved) return { ...NONE, problem: resolved.problem };
  if (resolved.warnings.length > 0) {
    problems.push("The link's time is past the end of the recording. Playing from the start.");
    at = 0;
  }
  return { recording: recordingText, at: at ?? 0, problem: problems.length > 0 ? problems.join(" ") : null };
}

/** `at` as an attribute writes it: whole seconds stay whole, anything else to the millisecond. */
export function atAttribute(at: number): string {
  return Number.isInteger(at) ? String(at) : at.toFixed(3).replace(/0+$/, "");
}
