/**
 * Links to a moment of a call (issue 16): `recording` (an id) and `t` (seconds) in a Call
 * Session URL, `recording` and `at` on `<call-session-recordings>`. Reading them, finding the
 * recording and point they name, and writing them into a link. Used by the server, the element,
 * the player and the extension alike: no DOM.
 */
import { buildTimeline, locate } from "../player/player-state.js";

/** The query parameters of a moment. */
export const MOMENT_PARAMS = { recording: "recording", time: "t" } as const;

/** The longest time a link may name: a day, in seconds. */
export const MAX_MOMENT_SECONDS = 24 * 60 * 60;
/** The longest recording id a link may name. */
export const MAX_MOMENT_ID = 200;

/**
 * Seconds as a link writes them: "90", "90.5", or a clock "1:30", "1:02:03". Null with the
 * reason for anything else (negative, not a number, more than a day).
 */
export function parseMomentSeconds(text: string): { seconds: number } | { problem: string } {
  const value = text.trim();
  let seconds: number;
  if (/^\d{1,6}(\.\d{1,3})?$/.test(value)) seconds = Number(value);
  else if (/^\d{1,3}(:[0-5]\d){1,2}$/.test(value)) seconds = value.split(":").reduce((sum, part) => sum * 60 + Number(part), 0);
  else return { problem: `"${value.slice(0, 40)}" is not a time in seconds (such as 90) or a clock (such as 1:30)` };
  if (seconds > MAX_MOMENT_SECONDS) return { problem: `${value} is longer than a day` };
  return { seconds };
}

/** A recording as the moment needs it. */
export interface MomentRecording {
  id: string;
  durationSeconds?: number | undefined;
}

/** Where a moment starts playing: which recording, how far into it, and what was wrong with the link (if anything). */
export interface ResolvedMoment {
  index: number;
  at: number;
  /** What was set right, for a console warning; empty when the link was fine. */
  warnings: string[];
}

/**
 * Finds the recording and point a moment names in a call's recordings. With `recordingId`, `at`
 * is seconds into that recording; without, a point on the call's recordings laid end to end (as
 * the player's time counts), so `t` of a call of one recording is seconds into it.
 *
 * An unknown recording is refused (null and the reason): playing another one than the link
 * names would mislead. A time past the end starts the recording (or the call) from its start,
 * with a warning.
 */
export function resolveMoment(
  recordings: readonly MomentRecording[],
  recordingId: string | null,
  at: number | null,
): ResolvedMoment | { problem: string } {
  if (recordings.length === 0) return { problem: "the call has no recording to play" };
  const warnings: string[] = [];
  let seconds = at ?? 0;
  if (!Number.isFinite(seconds) || seconds < 0) {
    warnings.push(`${at} is not a time in the recording: playing from the start`);
    seconds = 0;
  }
  if (recordingId !== null) {
    const index = recordings.findIndex((r) => r.id === recordingId);
    if (index < 0) return { problem: `recording "${recordingId.slice(0, MAX_MOMENT_ID)}" is not one of this call's recordings that you may play` };
    const length = recordings[index]!.durationSeconds;
    if (length !== undefined && Number.isFinite(length) && length > 0 && seconds >= length) {
      warnings.push(`${seconds} s is past the end of recording "${recordingId}" (${Math.floor(length)} s): playing it from the start`);
      seconds = 0;
    }
    return { index, at: seconds, warnings };
  }
  const timeline = buildTimeline(recordings.map((r) => r.durationSeconds));
  if (timeline.total > 0 && seconds >= timeline.total) {
    warnings.push(`${seconds} s is past the end of the call's recordings (${Math.floor(timeline.total)} s): playing from the start`);
    seconds = 0;
  }
  if (timeline.total <= 0) return { index: 0, at: seconds, warnings };
  const { index, offset } = locate(timeline, seconds);
  return { index: Math.max(0, index), at: offset, warnings };
}

/**
 * `base` with the moment set: `recording` and `t` (whole seconds) replaced, everything else kept
 * (the call, the page's own parameters), without a fragment. Null when `base` is no URL.
 */
export function momentUrl(base: string, recordingId: string | null, seconds: number): string | null {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return null;
  }
  url.hash = "";
  url.searchParams.delete(MOMENT_PARAMS.recording);
  url.searchParams.delete(MOMENT_PARAMS.time);
  if (recordingId) url.searchParams.set(MOMENT_PARAMS.recording, recordingId);
  url.searchParams.set(MOMENT_PARAMS.time, String(Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds + 1e-6 : 0))));
  return url.href;
}

/** `url` without a moment in it (`recording`, `t`) or a fragment: the call's own page. */
export function withoutMoment(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = "";
    // Only when there: deleting rewrites the whole query in the URL's own encoding.
    for (const name of Object.values(MOMENT_PARAMS)) if (parsed.searchParams.has(name)) parsed.searchParams.delete(name);
    return parsed.href;
  } catch {
    return url;
  }
}
