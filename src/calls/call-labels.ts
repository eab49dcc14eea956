/**
 * How the recordings section names things: who was on a segment, what a recording is called in
 * the list and in the player, and the call's title. Plain strings, never markup; names from the
 * API are wrapped in Unicode isolates where they sit inside a longer sentence, so a name holding
 * a right-to-left override cannot reorder the words around it.
 */
import type { CallDetails, CallRecording, CallSegment, Party } from "./call-payload.js";
import type { PlayerRecording } from "../player/player-state.js";

/** FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE around text from the API. */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** Who was on a segment, as parts a label shows: the person, then the device and group. */
export interface Who {
  /** The person, or the device when nobody is named, or "Not answered". */
  primary: string;
  /** The device (when a person is named) and the group. */
  secondary: string[];
  /** The segment reached neither a device nor a person (queue, IVR). */
  unanswered: boolean;
}

export const UNANSWERED = "Not answered";
export const UNANSWERED_DETAIL = "queue or IVR";

export function whoWasOn(segment: Pick<CallSegment, "user" | "device" | "group">): Who {
  const { user, device, group } = segment;
  if (!user && !device) return { primary: UNANSWERED, secondary: [UNANSWERED_DETAIL], unanswered: true };
  const primary = (user ?? device)!.name || (user ?? device)!.id || "Unknown";
  const secondary = [user && device ? device.name : null, group?.name ?? null].filter((s): s is string => !!s);
  return { primary, secondary, unanswered: false };
}

/** "Alice Jones (Alice's desk, Sales)", names isolated. */
export function whoText(who: Who): string {
  if (who.unanswered) return `${UNANSWERED} (${UNANSWERED_DETAIL})`;
  const rest = who.secondary.map(isolate).join(", ");
  return rest ? `${isolate(who.primary)} (${rest})` : isolate(who.primary);
}

const names = (parties: readonly Party[]): string => parties.map((p) => isolate(p.name)).join(", ");

/** The segment a recording is of, if the call lists it. */
export function segmentOf(call: CallDetails, recording: CallRecording): CallSegment | undefined {
  return recording.segment === null ? undefined : call.segments.find((s) => s.index === recording.segment);
}

/** "Segment 2" or "Conference". */
export function recordingName(recording: CallRecording): string {
  return recording.segment === null ? "Conference" : `Segment ${recording.segment + 1}`;
}

/** Who a recording has on it, as one line. */
export function recordingWho(call: CallDetails, recording: CallRecording): string {
  const segment = segmentOf(call, recording);
  if (segment) return whoText(whoWasOn(segment));
  if (recording.participants.length > 0) return names(recording.participants);
  return "";
}

/** The player's name for a recording: "Segment 2 · Bob Smith", "Conference · Carol, Alice". */
export function recordingTitle(call: CallDetails, recording: CallRecording): string {
  const segment = segmentOf(call, recording);
  const who = segment ? isolate(whoWasOn(segment).primary) : names(recording.participants);
  return who ? `${recordingName(recording)} · ${who}` : recordingName(recording);
}

const DIRECTIONS: Record<string, string> = { inbound: "Inbound", outbound: "Outbound", internal: "Internal" };

/** "Inbound call from +441632960001 to +441632960100". */
export function callTitle(call: CallDetails): string {
  // Own keys only: a direction of "constructor" or "toString" is not a word to show.
  const direction = call.direction && Object.hasOwn(DIRECTIONS, call.direction) ? DIRECTIONS[call.direction] : undefined;
  const kind = call.conference ? "Conference call" : direction ? `${direction} call` : "Call";
  const from = call.from ? ` from ${isolate(call.from)}` : "";
  const to = call.to ? ` to ${isolate(call.to)}` : "";
  return `${kind}${from}${to}`;
}

/** A call's recordings as a player plays them: each named with who was on it, its own links. */
export function playerRecordingsOf(call: CallDetails): PlayerRecording[] {
  return call.recordings.map((r) => ({
    id: r.id,
    src: r.audioUrl,
    downloadUrl: r.downloadUrl ?? r.audioUrl,
    title: recordingTitle(call, r),
    ...(r.durationSeconds > 0 ? { durationSeconds: r.durationSeconds } : {}),
    ...(r.contentType ? { contentType: r.contentType } : {}),
    ...(r.channels ? { channels: r.channels.map((c) => c.label) } : {}),
    ...(r.peaksUrl ? { peaksUrl: r.peaksUrl } : {}),
  }));
}
