/**
 * Importing a dataset file: validated whole first, then written in one transaction that
 * replaces the previous data but keeps the audit log, administrators' changes, saved filters
 * and every call's and recording's identity. An invalid file, or a database that fails mid-way
 * (locked, disk full), changes nothing.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { Dataset } from "../src/rules/domain.js";
import { formatProblems, parseDataset } from "../src/rules/dataset.js";
import type { DatasetProblem } from "../src/rules/domain.js";
import { planRecordings, decideSegment, segmentUser, type PlannedRecording, type SettingsLookup } from "../src/rules/recording-policy.js";
import { GENERATOR_VERSION, samplesFor, type AudioFormat } from "./audio.js";
import type { Db } from "./db.js";
import { setMeta } from "./db.js";
import { applyOverrides } from "./admin-overrides.js";
import { hashPassword } from "./passwords.js";
import { storedTime } from "./times.js";
import { inspectRecordingFile, recordingPath, type RecordingFileInfo } from "./recording-files.js";

/** A dataset file that was refused; `problems` name each path and what is wrong there. */
export class DatasetError extends Error {
  constructor(
    readonly source: string,
    readonly problems: DatasetProblem[],
  ) {
    super(`${source}: the dataset was refused and nothing was imported:\n${formatProblems(problems)}`);
    this.name = "DatasetError";
  }
}

/** The database could not take the import; the earlier data is intact. */
export class ImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImportError";
  }
}

export interface ImportSummary {
  groups: number;
  users: number;
  devices: number;
  calls: number;
  recordings: number;
  /** Of the recordings, those served from files (absent when none are). */
  files?: number;
}

/**
 * The version of how a dataset is stored; part of the digest, so a database imported by an
 * earlier version (times stored as given, before v2) is imported again on the next start, with
 * what a re-import keeps. Changes to the schema itself are migrations, in `db.ts`.
 */
const STORAGE_VERSION = "v2";

export interface ImportOptions {
  /**
   * The folder the dataset's `file` names are relative to. Required when the dataset names any
   * file; the command line's default is the dataset file's folder.
   */
  recordingsDir?: string;
}

/** Every `file` the dataset names, with its path in the dataset. */
function namedFiles(dataset: Dataset): { path: string; file: string }[] {
  const out: { path: string; file: string }[] = [];
  dataset.calls.forEach((call, i) => {
    if (call.file) out.push({ path: `calls[${i}].file`, file: call.file });
    call.segments.forEach((s, j) => {
      if (s.file) out.push({ path: `calls[${i}].segments[${j}].file`, file: s.file });
    });
  });
  return out;
}

/**
 * Reads and parses a dataset file, refusing unreadable or invalid JSON with the reason. The
 * digest covers the file's text and, when it names recording files, the recordings folder and
 * each file's size and modification time, so a changed recording is imported (and checked) again.
 */
export async function readDatasetFile(path: string, options: ImportOptions = {}): Promise<{ dataset: Dataset; digest: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new DatasetError(path, [{ path: "(file)", message: `cannot be read: ${(err as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DatasetError(path, [{ path: "(file)", message: `is not valid JSON: ${(err as Error).message}` }]);
  }
  const parsed = parseDataset(json);
  if (!parsed.ok) throw new DatasetError(path, parsed.problems);
  const hash = createHash("sha256").update(`${STORAGE_VERSION}\n`).update(text);
  const files = namedFiles(parsed.dataset);
  if (files.length > 0) {
    const dir = options.recordingsDir ?? dirname(path);
    hash.update(`\0files v1\0${dir}`);
    for (const { file } of files) {
      const where = recordingPath(dir, file);
      const info = where ? await stat(where).catch(() => null) : null;
      hash.update(`\0${file}\0${info ? `${info.size}:${info.mtimeMs}:${info.ino}` : "-"}`);
    }
  }
  return { dataset: parsed.dataset, digest: hash.digest("hex") };
}

/**
 * Checks every recording file the dataset names, in parallel: each recording's file keyed by
 * "call index:planned ordinal", or every problem (missing, unreadable, not audio, named where
 * nothing is recorded).
 */
async function checkFiles(data: Dataset, plans: PlannedRecording[][], options: ImportOptions): Promise<{ files: Map<string, RecordingFileInfo>; problems: DatasetProblem[] }> {
  const files = new Map<string, RecordingFileInfo>();
  const problems: DatasetProblem[] = [];
  const named = namedFiles(data);
  if (named.length === 0) return { files, problems };
  const dir = options.recordingsDir;
  if (dir === undefined) {
    for (const { path } of named) problems.push({ path, message: "names a file, but the server was given no recordings folder (--recordings DIR)" });
    return { files, problems };
  }
  const jobs: Promise<void>[] = [];
  data.calls.forEach((call, i) => {
    const planned = plans[i]!;
    const check = (path: string, file: string, key: string, channels: boolean) =>
      jobs.push(
        inspectRecordingFile(dir, file).then((result) => {
          if (!result.ok) problems.push({ path, message: result.message });
          else if (channels && result.info.channelCount !== null && result.info.channelCount !== 2) {
            const count = result.info.channelCount;
            problems.push({ path: path.replace(/\.file$/, ".channels"), message: `names two channels, but ${JSON.stringify(file)} has ${count} channel${count === 1 ? "" : "s"}` });
          } else files.set(key, result.info);
        }),
      );
    if (call.file) {
      const ordinal = planned.findIndex((r) => r.segment === null);
      if (ordinal < 0) problems.push({ path: `calls[${i}].file`, message: "names a file, but the recording rules record no one in this conference" });
      else check(`calls[${i}].file`, call.file, `${i}:${ordinal}`, call.channels !== undefined);
    }
    call.segments.forEach((s, j) => {
      if (!s.file) return;
      const ordinal = planned.findIndex((r) => r.segment === j);
      if (ordinal < 0) problems.push({ path: `calls[${i}].segments[${j}].file`, message: "names a file, but the recording rules do not record this segment" });
      else check(`calls[${i}].segments[${j}].file`, s.file, `${i}:${ordinal}`, s.channels !== undefined);
    });
  });
  await Promise.all(jobs);
  // In the file's order, whatever order the checks finished in.
  const order = new Map(named.map((n, k) => [n.path, k]));
  const rank = (path: string) => order.get(path) ?? order.get(path.replace(/\.channels$/, ".file")) ?? 0;
  problems.sort((a, b) => rank(a.path) - rank(b.path));
  return { files, problems };
}

/**
 * Who a channel holds when the dataset gives no name: the agent is the segment's user (else its
 * device), the caller the call's outside number (who called in, or who was called); nobody else.
 */
function channelName(
  call: Dataset["calls"][number],
  segment: number | null,
  party: string,
  users: ReadonlyMap<string, { name: string }>,
  devices: ReadonlyMap<string, { name: string; user: string | null; recording: Dataset["devices"][number]["recording"] }>,
): string | null {
  if (party === "caller") return call.direction === "outbound" ? call.to : call.from;
  if (party !== "agent" || segment === null) return null;
  const s = call.segments[segment];
  if (!s) return null;
  const user = segmentUser(s, { device: (id) => devices.get(id) });
  return (user ? users.get(user)?.name : undefined) ?? (s.device ? devices.get(s.device)?.name : undefined) ?? null;
}

/** A stable 31-bit number from a string (audio seeds). */
function seedOf(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32LE(0) >>> 1;
}

/** Telephony recorders mostly store G.711; some calls are kept as 16-bit PCM, long ones never. */
function formatFor(seq: number, seconds: number): AudioFormat {
  return seconds < 30 * 60 && seq % 3 === 0 ? "pcm16" : "mulaw";
}

/**
 * A call's seq and a recording's id as they were in every earlier import, or new ones never
 * used before. A new recording is `r<seq>-<n>`, n its place in the call unless that id was
 * ever taken.
 */
function identityKeys(db: Db) {
  const findSeq = db.prepare("SELECT seq FROM call_keys WHERE call_id = ?");
  const addSeq = db.prepare("INSERT INTO call_keys (call_id, seq) VALUES (?, ?)");
  const findId = db.prepare("SELECT id FROM recording_keys WHERE call_id = ? AND part = ?");
  const idTaken = db.prepare("SELECT 1 FROM recording_keys WHERE id = ?");
  const addId = db.prepare("INSERT INTO recording_keys (call_id, part, id) VALUES (?, ?, ?)");
  let lastSeq = (db.prepare("SELECT coalesce(max(seq), 0) AS n FROM call_keys").get() as { n: number }).n;
  return {
    callSeq(callId: string): number {
      const found = findSeq.get(callId) as { seq: number } | undefined;
      if (found) return found.seq;
      addSeq.run(callId, ++lastSeq);
      return lastSeq;
    },
    recordingId(callId: string, seq: number, part: string, place: number): string {
      const found = findId.get(callId, part) as { id: string } | undefined;
      if (found) return found.id;
      let n = place;
      while (idTaken.get(`r${seq}-${n}`)) n++;
      const id = `r${seq}-${n}`;
      addId.run(callId, part, id);
      return id;
    },
  };
}

/**
 * Replaces the database's data with the dataset's, in one transaction, then applies the
 * administrators' changes over it (`admin-overrides.ts`). Validates first when given raw input. Returns what was imported. Every time is stored in UTC in one fixed form
 * (`storedTime`), whatever offset the dataset gave it in, so SQL orders and filters calls by
 * the instant they started rather than by the text of the time.
 */
export async function importDataset(db: Db, input: Dataset | unknown, source = "dataset", digest = "", options: ImportOptions = {}): Promise<ImportSummary> {
  const parsed = parseDataset(input);
  if (!parsed.ok) throw new DatasetError(source, parsed.problems);
  const data = parsed.dataset;

  const devices = new Map(data.devices.map((d) => [d.id, d]));
  const users = new Map(data.users.map((u) => [u.id, u]));
  const lookup: SettingsLookup = {
    customer: data.customer.recording,
    device: (id) => devices.get(id),
    user: (id) => users.get(id),
  };
  const plans = data.calls.map((call) => planRecordings(call, lookup));
  // Every named file is checked before anything is written: one bad file refuses the whole dataset.
  const { files, problems } = await checkFiles(data, plans, options);
  if (problems.length > 0) throw new DatasetError(source, problems);

  const hashes = await Promise.all(data.users.map((u) => hashPassword(u.password)));

  const summary: ImportSummary = { groups: data.groups.length, users: data.users.length, devices: data.devices.length, calls: data.calls.length, recordings: 0, ...(files.size > 0 ? { files: files.size } : {}) };

  const write = db.transaction(() => {
    // Everyone signs in again: the file may have changed a password or removed a user.
    db.prepare("DELETE FROM sessions").run();
    // The calls are the file's, whole; their seqs and recording ids come from the kept keys.
    for (const table of ["recordings", "call_parties", "segments", "call_groups", "calls"]) db.prepare(`DELETE FROM ${table}`).run();

    // Customer, groups, users and devices are updated in place, not replaced, so what hangs on
    // them (saved filters, the administrators' changes applied below) stays.
    db.prepare("INSERT INTO customer (id, name, recording) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, recording = excluded.recording").run(
      data.customer.name,
      data.customer.recording,
    );
    const insGroup = db.prepare("INSERT INTO groups (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name");
    for (const g of data.groups) insGroup.run(g.id, g.name);
    const insUser = db.prepare(
      `INSERT INTO users (id, name, password_hash, admin, primary_group, recording, playback) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash, admin = excluded.admin,
         primary_group = excluded.primary_group, recording = excluded.recording, playback = excluded.playback`,
    );
    const clearUserGroups = db.prepare("DELETE FROM user_groups WHERE user_id = ?");
    const insUserGroup = db.prepare("INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?, ?)");
    data.users.forEach((u, i) => {
      insUser.run(u.id, u.name, hashes[i], u.admin ? 1 : 0, u.primaryGroup, u.recording, u.playback);
      clearUserGroups.run(u.id);
      for (const g of u.memberGroups) insUserGroup.run(u.id, g);
    });
    const insDevice = db.prepare("INSERT INTO devices (id, name, user_id, recording) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, user_id = excluded.user_id, recording = excluded.recording");
    for (const d of data.devices) insDevice.run(d.id, d.name, d.user, d.recording);
    // What the file no longer has goes, devices before the users they point at, groups last.
    const keepOnly = (table: string, ids: string[]) => {
      db.prepare(`DELETE FROM ${table} WHERE id NOT IN (SELECT value FROM json_each(?))`).run(JSON.stringify(ids));
    };
    keepOnly("devices", data.devices.map((d) => d.id));
    keepOnly("users", data.users.map((u) => u.id));
    keepOnly("groups", data.groups.map((g) => g.id));
    applyOverrides(db);

    const insCall = db.prepare("INSERT INTO calls (seq, id, start, end, direction, from_number, to_number, conference, recording_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const insCallGroup = db.prepare("INSERT OR IGNORE INTO call_groups (call_seq, group_id, start) VALUES (?, ?, ?)");
    const insSegment = db.prepare("INSERT INTO segments (call_seq, idx, start, end, device_id, user_id, party_id, recorded, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const insParty = db.prepare("INSERT OR IGNORE INTO call_parties (user_id, start, call_seq) VALUES (?, ?, ?)");
    const insRecording = db.prepare("INSERT INTO recordings (id, call_seq, segment_idx, ordinal, start, end, format, samples, seed, voice, generator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const insFile = db.prepare("INSERT INTO recording_files (recording_id, path, kind, format_name, content_type, extension, duration) VALUES (?, ?, ?, ?, ?, ?, ?)");
    const insChannel = db.prepare("INSERT INTO recording_channels (recording_id, idx, party, name) VALUES (?, ?, ?, ?)");
    const keys = identityKeys(db);

    // Recorded as the file's settings say: an administrator's later change of a setting applies
    // to calls made after it, never to recordings that exist.
    data.calls.forEach((call, callIndex) => {
      const seq = keys.callSeq(call.id);
      const planned = plans[callIndex]!;
      const start = storedTime(call.start);
      const end = storedTime(call.segments.reduce((latest, s) => Math.max(latest, Date.parse(s.end)), Date.parse(call.start)));
      insCall.run(seq, call.id, start, end, call.direction, call.from, call.to, call.conference ? 1 : 0, planned.length);
      for (const g of call.groups) insCallGroup.run(seq, g, start);
      call.segments.forEach((s, idx) => {
        const party = segmentUser(s, lookup);
        const decision = decideSegment(s, lookup);
        insSegment.run(seq, idx, storedTime(s.start), storedTime(s.end), s.device, s.user, party, decision.recorded ? 1 : 0, decision.reason);
        // A device's owner is involved in the call even when someone else used the device.
        for (const who of new Set([party, s.device ? devices.get(s.device)?.user : null])) {
          if (who) insParty.run(who, start, seq);
        }
      });
      planned.forEach((rec, ordinal) => {
        const file = files.get(`${callIndex}:${ordinal}`);
        // A file's own length where its header tells, else the segment's.
        const seconds = file?.durationSeconds ?? (Date.parse(rec.end) - Date.parse(rec.start)) / 1000;
        const id = keys.recordingId(call.id, seq, rec.segment === null ? "conference" : `segment:${rec.segment}`, ordinal + 1);
        insRecording.run(id, seq, rec.segment, ordinal, storedTime(rec.start), storedTime(rec.end), formatFor(seq, seconds), samplesFor(seconds), seedOf(`${call.id}:${ordinal}`), ordinal, GENERATOR_VERSION);
        if (file) insFile.run(id, file.path, file.kind, file.formatName, file.contentType, file.extension, seconds);
        const channels = rec.segment === null ? call.channels : call.segments[rec.segment]?.channels;
        if (file && channels) {
          channels.forEach((c, idx) => insChannel.run(id, idx, c.party, c.name ?? channelName(call, rec.segment, c.party, users, devices)));
        }
        summary.recordings++;
      });
    });
    // Peaks are kept by what they were computed from, so a recording the file still has keeps its own.
    db.prepare("DELETE FROM recording_peaks WHERE recording_id NOT IN (SELECT id FROM recordings)").run();
    setMeta(db, "dataset_digest", digest);
    setMeta(db, "dataset_source", source);
  });

  try {
    write.immediate();
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    const why =
      code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")
        ? "the database is locked by another process"
        : code.startsWith("SQLITE_FULL")
          ? "the disk is full"
          : (err as Error).message;
    throw new ImportError(`${source}: the import failed and nothing was changed: ${why}`, { cause: err });
  }
  return summary;
}
