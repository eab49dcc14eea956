/**
 * Reading calls for a viewer: the permission-aware call list with cursor paging, and one
 * call with only the recordings the viewer may play. Shared by the JSON API and the legacy
 * pages, so both always agree.
 */
import type { CallDirection } from "../src/rules/domain.js";
import { scopeGroups, type Viewer } from "../src/rules/playback-scope.js";
import { playableCondition } from "./access.js";
import { SAMPLE_RATE, contentType, type AudioFormat, type AudioSpec } from "./audio.js";
import type { Db } from "./db.js";
import { shownTime } from "./times.js";

export interface CallListFilters {
  /** Inclusive lower bound on the call's start, in the stored form (`storedTime`). */
  from?: string | undefined;
  /** Exclusive upper bound on the call's start, in the stored form (`storedTime`). */
  to?: string | undefined;
  direction?: CallDirection | undefined;
  /** Keep only calls with at least one recording the viewer may play. */
  hasRecording?: boolean | undefined;
  /** Keep only calls tagged with this group. */
  group?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface CallSummary {
  id: string;
  start: string;
  end: string;
  direction: CallDirection;
  from: string;
  to: string;
  conference: boolean;
  /** How many recordings of the call this viewer may play. */
  recordings: number;
}

export interface CallPage {
  calls: CallSummary[];
  next: string | null;
}

interface CallRow {
  seq: number;
  id: string;
  start: string;
  end: string;
  direction: CallDirection;
  from_number: string;
  to_number: string;
  conference: number;
  playable: number;
}

/** Thrown for a cursor this server did not make. */
export class BadCursorError extends Error {}

function encodeCursor(start: string, seq: number): string {
  return Buffer.from(JSON.stringify([start, seq])).toString("base64url");
}

function decodeCursor(cursor: string): [string, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && Number.isInteger(value[1])) {
      return [value[0], value[1] as number];
    }
  } catch {
    // Falls through to the error below: any undecodable cursor is the client's mistake.
  }
  throw new BadCursorError("cursor is not one this server issued");
}

/** One page of the call list, newest first, as the viewer may see it. */
export function listCalls(db: Db, viewer: Viewer, filters: CallListFilters): CallPage {
  const cond = playableCondition(viewer);
  // Conditions on the call itself (alias c).
  const where: string[] = [];
  const params: unknown[] = [];
  if (filters.from) {
    where.push("c.start >= ?");
    params.push(filters.from);
  }
  if (filters.to) {
    where.push("c.start < ?");
    params.push(filters.to);
  }
  if (filters.direction) {
    where.push("c.direction = ?");
    params.push(filters.direction);
  }
  if (filters.group) {
    where.push("EXISTS (SELECT 1 FROM call_groups fg WHERE fg.call_seq = c.seq AND fg.group_id = ?)");
    params.push(filters.group);
  }
  const cursor = filters.cursor ? decodeCursor(filters.cursor) : undefined;
  const after = (start: string, seq: string): { sql: string; params: unknown[] } =>
    cursor ? { sql: ` AND (${start} < ? OR (${start} = ? AND ${seq} < ?))`, params: [cursor[0], cursor[0], cursor[1]] } : { sql: "", params: [] };
  const select = `SELECT c.seq, c.id, c.start, c.end, c.direction, c.from_number, c.to_number, c.conference,
      CASE WHEN c.recording_count > 0 AND ${cond.sql} THEN c.recording_count ELSE 0 END AS playable
    FROM calls c`;
  const take = filters.limit + 1;
  const scope = scopeGroups(viewer);
  let rows: CallRow[];

  if (filters.hasRecording && viewer.playback !== "none" && scope !== "all") {
    // The viewer's own calls and each of their groups' calls each come in order straight from
    // an index; merging the first page of each keeps this fast however many calls there are.
    const recorded = ["c.recording_count > 0", ...where].join(" AND ");
    const branches: { sql: string; params: unknown[] }[] = [];
    const own = after("p.start", "p.call_seq");
    branches.push({
      sql: `SELECT p.start AS start, p.call_seq AS seq FROM call_parties p JOIN calls c ON c.seq = p.call_seq
        WHERE p.user_id = ? AND ${recorded}${own.sql} ORDER BY p.start DESC, p.call_seq DESC LIMIT ?`,
      params: [viewer.id, ...params, ...own.params, take],
    });
    for (const group of scope) {
      const g = after("g.start", "g.call_seq");
      branches.push({
        sql: `SELECT g.start AS start, g.call_seq AS seq FROM call_groups g JOIN calls c ON c.seq = g.call_seq
          WHERE g.group_id = ? AND ${recorded}${g.sql} ORDER BY g.start DESC, g.call_seq DESC LIMIT ?`,
        params: [group, ...params, ...g.params, take],
      });
    }
    const union = branches.map((b) => `SELECT * FROM (${b.sql})`).join(" UNION ");
    const page = db.prepare(`SELECT seq FROM (${union}) ORDER BY start DESC, seq DESC LIMIT ?`).all(...branches.flatMap((b) => b.params), take) as { seq: number }[];
    rows = page.length
      ? (db.prepare(`${select} WHERE c.seq IN (${page.map(() => "?").join(", ")}) ORDER BY c.start DESC, c.seq DESC`).all(...cond.params, ...page.map((p) => p.seq)) as CallRow[])
      : [];
  } else {
    const all = [...where];
    const allParams = [...params];
    if (filters.hasRecording) {
      all.push(`c.recording_count > 0 AND ${cond.sql}`);
      allParams.push(...cond.params);
    }
    const c = after("c.start", "c.seq");
    rows = db
      .prepare(`${select} ${all.length ? `WHERE ${all.join(" AND ")}` : "WHERE 1"}${c.sql} ORDER BY c.start DESC, c.seq DESC LIMIT ?`)
      .all(...cond.params, ...allParams, ...c.params, take) as CallRow[];
  }

  const more = rows.length > filters.limit;
  const page = more ? rows.slice(0, filters.limit) : rows;
  const last = page[page.length - 1];
  return {
    calls: page.map((r) => ({
      id: r.id,
      start: shownTime(r.start),
      end: shownTime(r.end),
      direction: r.direction,
      from: r.from_number,
      to: r.to_number,
      conference: r.conference === 1,
      recordings: r.playable,
    })),
    next: more && last ? encodeCursor(last.start, last.seq) : null,
  };
}

export interface Named {
  id: string;
  name: string;
}

export interface SegmentView {
  index: number;
  start: string;
  end: string;
  user: Named | null;
  device: Named | null;
  /** The user's primary group. */
  group: Named | null;
}

export interface RecordingView {
  id: string;
  /** The recorded segment, or null for a conference's recording of the whole conference. */
  segment: number | null;
  start: string;
  end: string;
  durationSeconds: number;
  participants: Named[];
  contentType: string;
  format: AudioFormat;
  fileName: string;
  /** Who each channel of a two-channel file holds, left first; absent for one-channel audio. */
  channels?: RecordingChannelView[];
}

/** One channel of a two-channel recording: its party, their name, and both as shown ("Agent: Alice Jones"). */
export interface RecordingChannelView {
  party: string;
  name: string | null;
  label: string;
}

const PARTY_WORDS: Record<string, string> = { agent: "Agent", caller: "Caller", other: "Other" };

/** "Agent: Alice Jones", or "Caller" when nobody is named. */
export function channelLabel(party: string, name: string | null): string {
  const word = Object.hasOwn(PARTY_WORDS, party) ? PARTY_WORDS[party]! : party;
  return name ? `${word}: ${name}` : word;
}

export interface CallView {
  seq: number;
  id: string;
  start: string;
  end: string;
  direction: CallDirection;
  from: string;
  to: string;
  conference: boolean;
  groups: Named[];
  segments: SegmentView[];
  /** Only the recordings this viewer may play: all of the call's, or none. */
  recordings: RecordingView[];
}

interface RecordingRow {
  id: string;
  call_seq: number;
  segment_idx: number | null;
  start: string;
  end: string;
  format: AudioFormat;
  samples: number;
  seed: number;
  voice: number;
  /** Set for a recording kept as a file (recording_files). */
  file_content_type: string | null;
  file_extension: string | null;
  file_duration: number | null;
}

/** A call as the viewer may see it, or undefined if there is no such call. */
export function getCall(db: Db, viewer: Viewer, callId: string): CallView | undefined {
  const cond = playableCondition(viewer);
  const call = db
    .prepare(`SELECT c.seq, c.id, c.start, c.end, c.direction, c.from_number, c.to_number, c.conference, (${cond.sql}) AS playable FROM calls c WHERE c.id = ?`)
    .get(...cond.params, callId) as (CallRow & { playable: number }) | undefined;
  if (!call) return undefined;
  const groups = db.prepare("SELECT g.id, g.name FROM call_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.call_seq = ? ORDER BY g.name").all(call.seq) as Named[];
  const segRows = db
    .prepare(
      `SELECT s.idx, s.start, s.end, s.device_id, d.name AS device_name, s.party_id, u.name AS user_name, g.id AS group_id, g.name AS group_name
       FROM segments s
       LEFT JOIN devices d ON d.id = s.device_id
       LEFT JOIN users u ON u.id = s.party_id
       LEFT JOIN groups g ON g.id = u.primary_group
       WHERE s.call_seq = ? ORDER BY s.idx`,
    )
    .all(call.seq) as {
    idx: number;
    start: string;
    end: string;
    device_id: string | null;
    device_name: string | null;
    party_id: string | null;
    user_name: string | null;
    group_id: string | null;
    group_name: string | null;
  }[];
  const segments: SegmentView[] = segRows.map((s) => ({
    index: s.idx,
    start: shownTime(s.start),
    end: shownTime(s.end),
    user: s.party_id ? { id: s.party_id, name: s.user_name ?? s.party_id } : null,
    device: s.device_id ? { id: s.device_id, name: s.device_name ?? s.device_id } : null,
    group: s.group_id ? { id: s.group_id, name: s.group_name ?? s.group_id } : null,
  }));
  const recordings: RecordingView[] = [];
  if (call.playable === 1) {
    const recRows = db
      .prepare(
        `SELECT r.id, r.call_seq, r.segment_idx, r.start, r.end, r.format, r.samples, r.seed, r.voice,
           f.content_type AS file_content_type, f.extension AS file_extension, f.duration AS file_duration
         FROM recordings r LEFT JOIN recording_files f ON f.recording_id = r.id WHERE r.call_seq = ? ORDER BY r.ordinal`,
      )
      .all(call.seq) as RecordingRow[];
    const channelRows = db
      .prepare(
        `SELECT ch.recording_id, ch.party, ch.name FROM recording_channels ch JOIN recordings r ON r.id = ch.recording_id
         WHERE r.call_seq = ? ORDER BY ch.recording_id, ch.idx`,
      )
      .all(call.seq) as { recording_id: string; party: string; name: string | null }[];
    const channelsOf = new Map<string, RecordingChannelView[]>();
    for (const c of channelRows) {
      const list = channelsOf.get(c.recording_id) ?? [];
      list.push({ party: c.party, name: c.name, label: channelLabel(c.party, c.name) });
      channelsOf.set(c.recording_id, list);
    }
    for (const r of recRows) {
      const channels = channelsOf.get(r.id);
      const covered = r.segment_idx === null ? segments : segments.filter((s) => s.index === r.segment_idx);
      const participants = uniqueBy(covered.flatMap((s) => (s.user ? [s.user] : [])), (p) => p.id);
      recordings.push({
        id: r.id,
        segment: r.segment_idx,
        start: shownTime(r.start),
        end: shownTime(r.end),
        durationSeconds: r.file_duration ?? r.samples / SAMPLE_RATE,
        participants,
        contentType: r.file_content_type ?? contentType(r.format),
        format: r.format,
        fileName: downloadFileName(call, r, participants, r.file_extension ?? ".wav"),
        ...(channels && r.file_content_type !== null ? { channels } : {}),
      });
    }
  }
  return {
    seq: call.seq,
    id: call.id,
    start: shownTime(call.start),
    end: shownTime(call.end),
    direction: call.direction,
    from: call.from_number,
    to: call.to_number,
    conference: call.conference === 1,
    groups,
    segments,
    recordings,
  };
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}

/** Only characters that are safe in a file name on every system, and readable. */
function safePart(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9+.-]+/g, "_")
    .replace(/^[._]+|[._]+$/g, "")
    .slice(0, 40);
}

/** "2026-11-20 0914 +441632960001 to +441632960100 segment 2.wav": date, time, parties, segment. */
export function downloadFileName(
  call: { start: string; from_number: string; to_number: string },
  rec: { segment_idx: number | null },
  participants: Named[],
  extension = ".wav",
): string {
  const start = new Date(call.start);
  const iso = Number.isNaN(start.getTime()) ? "" : start.toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 16).replace(":", "");
  const who = participants.map((p) => safePart(p.name)).filter(Boolean).slice(0, 3).join("+");
  const part = rec.segment_idx === null ? "conference" : `segment ${rec.segment_idx + 1}`;
  const name = [date, time, safePart(call.from_number) || "unknown", "to", safePart(call.to_number) || "unknown", who, part].filter(Boolean).join(" ");
  return `${name}${extension}`;
}

/**
 * The audio of a recording, or undefined. Used by the audio endpoint. `file` is the absolute
 * path of the recording's file when it is kept as one; otherwise the spec generates it.
 */
export function recordingAudio(db: Db, recordingId: string): (AudioSpec & { callSeq: number; callId: string; file: string | null }) | undefined {
  const row = db
    .prepare(
      `SELECT r.call_seq, c.id AS call_id, r.format, r.samples, r.seed, r.voice, f.path AS file
       FROM recordings r JOIN calls c ON c.seq = r.call_seq LEFT JOIN recording_files f ON f.recording_id = r.id WHERE r.id = ?`,
    )
    .get(recordingId) as { call_seq: number; call_id: string; format: AudioFormat; samples: number; seed: number; voice: number; file: string | null } | undefined;
  if (!row) return undefined;
  return { callSeq: row.call_seq, callId: row.call_id, format: row.format, samples: row.samples, seed: row.seed, voice: row.voice, file: row.file };
}
