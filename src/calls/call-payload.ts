/**
 * The call the recordings section shows, checked on arrival: `GET /api/calls/{id}` of the
 * reference server, or what a host's own `CallSource` returns in the same shape. An answer that
 * does not fit is refused whole with a `ShapeError` naming every problem by its path, so the
 * element shows an error instead of half a call; keys the shape does not name are ignored (the
 * API may grow). Pure: no DOM, nothing runs at import.
 */
import { array, boolean, nullable, number, object, optional, ShapeError, string, type Problem, type Shape } from "../shape.js";
import { parseIsoTime } from "../iso-time.js";

/** A person, device or group as the API names it. */
export interface Party {
  id: string | null;
  name: string;
}

/** One leg of the call: who (or what) was on it, and when. */
export interface CallSegment {
  /** The segment's number in the call, from 0. */
  index: number;
  startMs: number;
  endMs: number;
  user: Party | null;
  device: Party | null;
  /** The user's primary group. */
  group: Party | null;
}

/** A recording the signed-in user may play. */
export interface CallRecording {
  id: string;
  /** The recorded segment's index, or null for a conference's recording of the whole conference. */
  segment: number | null;
  startMs: number;
  endMs: number;
  /** The audio's length. */
  durationSeconds: number;
  participants: Party[];
  contentType?: string;
  /** Who each channel of a two-channel recording holds, left then right ("Agent: Alice Jones"). */
  channels?: RecordingChannelLabel[];
  /** The audio (often a short-lived signed URL). */
  audioUrl: string;
  /** Where a download comes from (short-lived too); `audioUrl` when absent. */
  downloadUrl?: string;
  /** The recording's peaks (audiowaveform JSON, short-lived too): its waveform and silences. */
  peaksUrl?: string;
}

/** One channel of a two-channel recording, as the API names it. */
export interface RecordingChannelLabel {
  /** Who it holds, as shown: "Agent: Alice Jones", "Caller: +441632960001". */
  label: string;
}

/** A call as the recordings section needs it. */
export interface CallDetails {
  id: string;
  startMs: number;
  endMs: number;
  direction: string | null;
  from: string | null;
  to: string | null;
  conference: boolean;
  groups: Party[];
  /** In time order. */
  segments: CallSegment[];
  /** Only those the user may play, in the server's order. */
  recordings: CallRecording[];
}

/**
 * The JSON shape a `CallSource` answers with (the reference server's `GET /api/calls/{id}`).
 * Only `id`, `start` and each recording's `id`, `start`, `audioUrl` and `durationSeconds` (or
 * `end`) are required.
 */
export interface CallPayload {
  id: string;
  /** ISO 8601 timestamps. */
  start: string;
  end?: string;
  direction?: string;
  from?: string;
  to?: string;
  conference?: boolean;
  groups?: { id?: string | null; name: string }[];
  segments?: {
    index?: number;
    start: string;
    end: string;
    user?: { id?: string | null; name: string } | null;
    device?: { id?: string | null; name: string } | null;
    group?: { id?: string | null; name: string } | null;
  }[];
  recordings: {
    id: string;
    segment?: number | null;
    start: string;
    end?: string;
    durationSeconds?: number;
    participants?: { id?: string | null; name: string }[];
    contentType?: string;
    channels?: { label: string }[];
    audioUrl: string;
    downloadUrl?: string;
    peaksUrl?: string | null;
  }[];
}

export const PAYLOAD_LIMITS = { segments: 1000, recordings: 500, text: 2000, url: 8192, participants: 200 } as const;

/** Longest recording accepted, in seconds (a week: anything longer is a broken answer). */
const MAX_SECONDS = 7 * 24 * 3600;

/** Keeps the keys a shape names and drops the rest, then checks what is kept. */
function open<T>(keys: readonly string[], shape: Shape<T>): Shape<T> {
  return (value, path = "value") => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return shape(value, path);
    const source = value as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    for (const key of keys) if (source[key] !== undefined) kept[key] = source[key];
    return shape(kept, path);
  };
}

const text = string({ max: PAYLOAD_LIMITS.text });
const id = string({ min: 1, max: 500 });
const url = string({ min: 1, max: PAYLOAD_LIMITS.url });
// Times are ISO 8601 with Z or an offset, as the dataset's (one reading in every browser): one
// without a zone would be read in the browser's own, whichever that is.
const ZONE = /(?:Z|[+-]\d{2}:?\d{2}|GMT|UTC)$/i;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})$/;
const timestamp: Shape<number> = (value, path = "value") => {
  const s = string({ min: 1, max: 64 })(value, path);
  const ms = parseIsoTime(s);
  if (ms !== undefined) return ms;
  // No such time (30 February, 25:00), or not one at all.
  if (Number.isNaN(Date.parse(s)) || ISO_WITH_ZONE.test(s)) throw new ShapeError(`${path}: is not a date and time`);
  const what = ZONE.test(s.trim()) ? "is not an ISO 8601 date and time" : "has no UTC offset";
  throw new ShapeError(`${path}: ${JSON.stringify(s)} ${what}; give one with Z or an offset, like "2026-11-20T09:14:03Z"`);
};

const party = open(["id", "name"], object({ id: optional(nullable(string({ max: 500 }))), name: text }));
const toParty = (p: { id?: string | null; name: string } | null | undefined): Party | null => (p ? { id: p.id ?? null, name: p.name } : null);

const segmentShape = open(
  ["index", "start", "end", "user", "device", "group"],
  object({
    index: optional(number({ min: 0, max: 1_000_000, integer: true })),
    start: timestamp,
    end: timestamp,
    user: optional(nullable(party)),
    device: optional(nullable(party)),
    group: optional(nullable(party)),
  }),
);

const recordingShape = open(
  ["id", "segment", "start", "end", "durationSeconds", "participants", "contentType", "channels", "audioUrl", "downloadUrl", "peaksUrl"],
  object({
    id,
    segment: optional(nullable(number({ min: 0, max: 1_000_000, integer: true }))),
    start: timestamp,
    end: optional(timestamp),
    durationSeconds: optional(number({ min: 0, max: MAX_SECONDS })),
    participants: optional(array(party, { max: PAYLOAD_LIMITS.participants })),
    contentType: optional(string({ max: 200 })),
    channels: optional(array(open(["label"], object({ label: string({ min: 1, max: 500 }) })), { max: 8 })),
    audioUrl: url,
    downloadUrl: optional(url),
    peaksUrl: optional(nullable(url)),
  }),
);

const callShape = open(
  ["id", "start", "end", "direction", "from", "to", "conference", "groups", "segments", "recordings"],
  object({
    id,
    start: timestamp,
    end: optional(timestamp),
    direction: optional(nullable(string({ max: 100 }))),
    from: optional(nullable(text)),
    to: optional(nullable(text)),
    conference: optional(boolean),
    groups: optional(array(party, { max: 200 })),
    segments: optional(array(segmentShape, { max: PAYLOAD_LIMITS.segments })),
    recordings: array(recordingShape, { max: PAYLOAD_LIMITS.recordings }),
  }),
);

/**
 * Only links a browser fetches or downloads: http(s), resolved against `base`. A `javascript:`
 * or `data:` link from the API would otherwise sit in an `href`.
 */
function webUrl(value: string, path: string, base: string | undefined, problems: Problem[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value, base);
  } catch {
    problems.push({ path, message: "is not a URL" });
    return "";
  }
  if (parsed.protocol === "http:" || parsed.protocol === "https:") return parsed.href;
  problems.push({ path, message: "must be an http or https URL" });
  return "";
}

/**
 * Checks a call payload and returns it in the form the element draws: times in ms, segments in
 * time order, every recording's segment present and every URL absolute http(s). `baseUrl`
 * resolves relative URLs (the API's address). Throws a `ShapeError` naming every problem.
 */
export function parseCallPayload(value: unknown, baseUrl?: string): CallDetails {
  const raw = callShape(value, "call");
  // Every broken rule is named (a plain list: the Problems class would weigh on the page's bundle).
  const problems: Problem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  if (raw.end !== undefined && raw.end < raw.start) report("call.end", "is before its start");
  const segments: CallSegment[] = (raw.segments ?? []).map((s, i) => {
    if (s.end < s.start) report(`call.segments[${i}].end`, "is before its start");
    return { index: s.index ?? i, startMs: s.start, endMs: s.end, user: toParty(s.user), device: toParty(s.device), group: toParty(s.group) };
  });
  const indexes = new Set<number>();
  segments.forEach((s, i) => {
    if (indexes.has(s.index)) report(`call.segments[${i}].index`, `${s.index} appears twice`);
    indexes.add(s.index);
  });
  segments.sort((a, b) => a.startMs - b.startMs || a.index - b.index);

  const ids = new Set<string>();
  const recordings: CallRecording[] = raw.recordings.map((r, i) => {
    const path = `call.recordings[${i}]`;
    if (ids.has(r.id)) report(`${path}.id`, `"${r.id.slice(0, 40)}" appears twice`);
    ids.add(r.id);
    const segment = r.segment ?? null;
    if (segment !== null && segments.length > 0 && !indexes.has(segment)) report(`${path}.segment`, `the call has no segment ${segment}`);
    let durationSeconds = r.durationSeconds ?? (r.end !== undefined ? (r.end - r.start) / 1000 : undefined);
    if (durationSeconds === undefined) report(path, "needs durationSeconds or end");
    else if (!(durationSeconds >= 0 && durationSeconds <= MAX_SECONDS)) report(`${path}.end`, "is before its start");
    durationSeconds ??= 0;
    const recording: CallRecording = {
      id: r.id,
      segment,
      startMs: r.start,
      endMs: r.end ?? r.start + durationSeconds * 1000,
      durationSeconds,
      participants: (r.participants ?? []).map((p) => toParty(p)!),
      audioUrl: webUrl(r.audioUrl, `${path}.audioUrl`, baseUrl, problems),
    };
    if (recording.endMs < recording.startMs && durationSeconds >= 0) report(`${path}.end`, "is before its start");
    if (r.contentType !== undefined) recording.contentType = r.contentType;
    // Two channels named: the player offers them; any other count is left out (it plays as recorded).
    if (r.channels?.length === 2) recording.channels = r.channels.map((c) => ({ label: c.label }));
    if (r.downloadUrl !== undefined) recording.downloadUrl = webUrl(r.downloadUrl, `${path}.downloadUrl`, baseUrl, problems);
    if (r.peaksUrl) recording.peaksUrl = webUrl(r.peaksUrl, `${path}.peaksUrl`, baseUrl, problems);
    return recording;
  });
  if (problems.length > 0) throw new ShapeError(problems);

  const ends = [raw.end ?? raw.start, ...segments.map((s) => s.endMs), ...recordings.map((r) => r.endMs)];
  return {
    id: raw.id,
    startMs: raw.start,
    endMs: Math.max(...ends),
    direction: raw.direction ?? null,
    from: raw.from ?? null,
    to: raw.to ?? null,
    conference: raw.conference ?? false,
    groups: (raw.groups ?? []).map((g) => toParty(g)!),
    segments,
    recordings,
  };
}
