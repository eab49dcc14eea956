/**
 * Validation of a dataset file (`docs/design.md`, "Dataset file"). An invalid file is
 * refused whole, so this reports every problem it finds, each with the path of the offending
 * value (`calls[3].segments[0].device`) and a sentence (`unknown device "ext-999"`), and fills
 * in the defaults of absent optional fields when there is none. The checks are shape.ts's
 * `Problems`, with the dataset's own leaves. Pure: no DOM, no Node.
 */
import { parseIsoTime } from "../iso-time.js";
import { formatProblems, kind, Problems } from "../shape.js";
import { CALL_DIRECTIONS, CHANNEL_PARTIES, CUSTOMER_RECORDING_SETTINGS, PLAYBACK_SCOPES, RECORDING_SETTINGS } from "./domain.js";
import type { Call, Customer, RecordingChannel, Dataset, DatasetProblem, Device, Group, Segment, User } from "./domain.js";

/** Sizes beyond which a file is refused rather than imported (guards memory and audio generation). */
export const DATASET_LIMITS = {
  groups: 10_000,
  users: 100_000,
  devices: 100_000,
  calls: 2_000_000,
  segmentsPerCall: 50,
  groupsPerCall: 100,
  memberGroupsPerUser: 1_000,
  /** Ids go in URLs and file names. */
  idLength: 100,
  /** Names are shown as text, so any text goes, but not a novel. */
  nameLength: 500,
  passwordLength: 1_000,
  phoneNumberLength: 100,
  /** A segment's recording gets generated audio of its length. */
  segmentHours: 24,
  /** A recording's file, relative to the recordings folder. */
  filePathLength: 1_000,
} as const;

/** The outcome of {@link parseDataset}: the dataset with defaults filled in, or every problem. */
export type ParseDatasetResult = { ok: true; dataset: Dataset } | { ok: false; problems: DatasetProblem[] };

const ROOT = "";

const KEYS = {
  root: ["customer", "groups", "users", "devices", "calls"],
  customer: ["name", "recording"],
  group: ["id", "name"],
  user: ["id", "name", "password", "admin", "primaryGroup", "memberGroups", "recording", "playback"],
  device: ["id", "name", "user", "recording"],
  call: ["id", "start", "direction", "from", "to", "groups", "conference", "segments", "file", "channels"],
  segment: ["start", "end", "device", "user", "file", "channels"],
  channel: ["party", "name"],
} as const;

/**
 * Validates a parsed dataset file (the value `JSON.parse` returned) and fills in the defaults
 * of absent optional fields. Returns every problem found, section by section in file order,
 * when there is any.
 */
export function parseDataset(input: unknown): ParseDatasetResult {
  const r = new Reader();
  const root = r.object(input, ROOT, KEYS.root);
  if (!root) return { ok: false, problems: r.problems };

  const customer = readCustomer(r, root);
  const groups = readList(r, root, "groups", DATASET_LIMITS.groups, (v, p) => readGroup(r, v, p));
  const groupIds = r.ids(groups);
  const users = readList(r, root, "users", DATASET_LIMITS.users, (v, p) => readUser(r, v, p, groupIds));
  const userIds = r.ids(users);
  const devices = readList(r, root, "devices", DATASET_LIMITS.devices, (v, p) => readDevice(r, v, p, userIds));
  const deviceIds = r.ids(devices);
  const refs: CallRefs = { groups: groupIds, users: userIds, devices: deviceIds };
  const calls = readList(r, root, "calls", DATASET_LIMITS.calls, (v, p) => readCall(r, v, p, refs));
  r.ids(calls);

  if (r.problems.length > 0 || !customer || !groups || !users || !devices || !calls) {
    return { ok: false, problems: r.problems };
  }
  return { ok: true, dataset: { customer, groups: present(groups), users: present(users), devices: present(devices), calls: present(calls) } };
}

/** The problems as text, one `path: message` line each (at most `max`, then how many more). */
export { formatProblems };

type Item<T> = { value: T | undefined; path: string; id: string | undefined };

function present<T>(items: Item<T>[]): T[] {
  return items.map((i) => i.value).filter((v): v is T => v !== undefined);
}

function readList<T extends { id: string }>(
  r: Reader,
  root: Record<string, unknown>,
  key: string,
  max: number,
  readOne: (value: unknown, path: string) => { value: T | undefined; id: string | undefined },
): Item<T>[] | undefined {
  const list = r.array(r.required(root, key, ROOT), key, max, key);
  return list?.map((value, i) => {
    const path = `${key}[${i}]`;
    return { ...readOne(value, path), path };
  });
}

function readCustomer(r: Reader, root: Record<string, unknown>): Customer | undefined {
  const o = r.object(r.required(root, "customer", ROOT), "customer", KEYS.customer);
  if (!o) return undefined;
  const name = r.name(r.required(o, "name", "customer"), "customer.name");
  const recording = r.oneOf(r.required(o, "recording", "customer"), "customer.recording", CUSTOMER_RECORDING_SETTINGS);
  return name !== undefined && recording !== undefined ? { name, recording } : undefined;
}

function readGroup(r: Reader, value: unknown, path: string): { value: Group | undefined; id: string | undefined } {
  const o = r.object(value, path, KEYS.group);
  if (!o) return { value: undefined, id: undefined };
  const id = r.id(r.required(o, "id", path), `${path}.id`);
  const name = r.name(r.required(o, "name", path), `${path}.name`);
  return { value: id !== undefined && name !== undefined ? { id, name } : undefined, id };
}

function readUser(r: Reader, value: unknown, path: string, groups: ReadonlySet<string> | undefined): { value: User | undefined; id: string | undefined } {
  const o = r.object(value, path, KEYS.user);
  if (!o) return { value: undefined, id: undefined };
  const id = r.id(r.required(o, "id", path), `${path}.id`);
  const name = r.name(r.required(o, "name", path), `${path}.name`);
  const password = r.password(r.required(o, "password", path), `${path}.password`);
  const admin = r.optional(o, "admin", false, (v) => r.boolean(v, `${path}.admin`));
  const primaryGroup = r.optional(o, "primaryGroup", null, (v) =>
    v === null ? null : r.ref(v, `${path}.primaryGroup`, groups, "group"),
  );
  const memberGroups = r.optional(o, "memberGroups", [], (v) =>
    r.refList(v, `${path}.memberGroups`, groups, "group", DATASET_LIMITS.memberGroupsPerUser),
  );
  const recording = r.optional(o, "recording", "inherit", (v) => r.oneOf(v, `${path}.recording`, RECORDING_SETTINGS));
  const playback = r.optional(o, "playback", "none", (v) => r.oneOf(v, `${path}.playback`, PLAYBACK_SCOPES));
  const complete =
    id !== undefined && name !== undefined && password !== undefined && admin !== undefined && primaryGroup !== undefined &&
    memberGroups !== undefined && recording !== undefined && playback !== undefined;
  return { value: complete ? { id, name, password, admin, primaryGroup, memberGroups, recording, playback } : undefined, id };
}

function readDevice(r: Reader, value: unknown, path: string, users: ReadonlySet<string> | undefined): { value: Device | undefined; id: string | undefined } {
  const o = r.object(value, path, KEYS.device);
  if (!o) return { value: undefined, id: undefined };
  const id = r.id(r.required(o, "id", path), `${path}.id`);
  const name = r.name(r.required(o, "name", path), `${path}.name`);
  const user = r.optional(o, "user", null, (v) => (v === null ? null : r.ref(v, `${path}.user`, users, "user")));
  const recording = r.optional(o, "recording", "inherit", (v) => r.oneOf(v, `${path}.recording`, RECORDING_SETTINGS));
  const complete = id !== undefined && name !== undefined && user !== undefined && recording !== undefined;
  return { value: complete ? { id, name, user, recording } : undefined, id };
}

/** The ids calls may refer to; undefined for a section too broken to check against. */
interface CallRefs {
  groups: ReadonlySet<string> | undefined;
  users: ReadonlySet<string> | undefined;
  devices: ReadonlySet<string> | undefined;
}

function readCall(r: Reader, value: unknown, path: string, refs: CallRefs): { value: Call | undefined; id: string | undefined } {
  const o = r.object(value, path, KEYS.call);
  if (!o) return { value: undefined, id: undefined };
  const id = r.id(r.required(o, "id", path), `${path}.id`);
  const start = r.timestamp(r.required(o, "start", path), `${path}.start`);
  const direction = r.oneOf(r.required(o, "direction", path), `${path}.direction`, CALL_DIRECTIONS);
  const from = r.phoneNumber(r.required(o, "from", path), `${path}.from`);
  const to = r.phoneNumber(r.required(o, "to", path), `${path}.to`);
  const groups = r.optional(o, "groups", [], (v) => r.refList(v, `${path}.groups`, refs.groups, "group", DATASET_LIMITS.groupsPerCall));
  const conference = r.optional(o, "conference", false, (v) => r.boolean(v, `${path}.conference`));
  const segmentsPath = `${path}.segments`;
  const list = r.array(r.required(o, "segments", path), segmentsPath, DATASET_LIMITS.segmentsPerCall, "segments");
  if (list && list.length === 0) r.report(segmentsPath, "must have at least one segment");
  const segments = list?.map((v, i) => readSegment(r, v, `${segmentsPath}[${i}]`, refs));
  const file = r.optional(o, "file", null, (v) => (v === null ? null : r.filePath(v, `${path}.file`)));
  const channels = readChannels(r, o, path, file);
  // A conference has one recording, named on the call; any other call one per recorded segment.
  if (file && conference === false) {
    r.report(`${path}.file`, "only a conference has one recording for the whole call; name each recorded segment's file on the segment");
  }
  if (conference === true) {
    segments?.forEach((s, i) => {
      if (s.value?.file !== undefined) r.report(`${segmentsPath}[${i}].file`, "a conference has one recording: name its file on the call, not on a segment");
      if (s.value?.channels !== undefined) r.report(`${segmentsPath}[${i}].channels`, "a conference has one recording: name its channels on the call, not on a segment");
    });
  }

  if (segments && start) {
    segments.forEach((s, i) => {
      if (s.start && s.start.ms < start.ms) {
        r.report(`${segmentsPath}[${i}].start`, `is before the call's start (${start.text})`);
      }
    });
  }
  // A conference's participants come and go as they please; anything else has one party at a time.
  if (segments && conference === false) {
    for (let i = 1; i < segments.length; i++) {
      const prev = segments[i - 1];
      const cur = segments[i];
      if (!prev?.start || !prev.end || !cur?.start) continue;
      if (cur.start.ms < prev.start.ms) {
        r.report(`${segmentsPath}[${i}].start`, `is before the previous segment's start (${prev.start.text}); segments must be in time order`);
      } else if (cur.start.ms < prev.end.ms) {
        r.report(`${segmentsPath}[${i}].start`, `overlaps the previous segment, which ends at ${prev.end.text}; only a conference may have overlapping segments`);
      }
    }
  }

  const parsed = segments?.map((s) => s.value);
  const complete =
    id !== undefined && start !== undefined && direction !== undefined && from !== undefined && to !== undefined &&
    groups !== undefined && conference !== undefined && parsed !== undefined && parsed.every((s) => s !== undefined) && file !== undefined && channels !== undefined;
  return {
    value: complete ? { id, start: start.text, direction, from, to, groups, conference, segments: parsed as Segment[], ...(file ? { file } : {}), ...(channels ? { channels } : {}) } : undefined,
    id,
  };
}

interface ReadSegment {
  value: Segment | undefined;
  start: Timestamp | undefined;
  end: Timestamp | undefined;
}

function readSegment(r: Reader, value: unknown, path: string, refs: CallRefs): ReadSegment {
  const o = r.object(value, path, KEYS.segment);
  if (!o) return { value: undefined, start: undefined, end: undefined };
  const start = r.timestamp(r.required(o, "start", path), `${path}.start`);
  const end = checkDuration(r, path, start, r.timestamp(r.required(o, "end", path), `${path}.end`));
  const device = r.optional(o, "device", null, (v) => (v === null ? null : r.ref(v, `${path}.device`, refs.devices, "device")));
  const user = r.optional(o, "user", null, (v) => (v === null ? null : r.ref(v, `${path}.user`, refs.users, "user")));
  const file = r.optional(o, "file", null, (v) => (v === null ? null : r.filePath(v, `${path}.file`)));
  const channels = readChannels(r, o, path, file);
  const complete = start !== undefined && end !== undefined && device !== undefined && user !== undefined && file !== undefined && channels !== undefined;
  return { value: complete ? { start: start.text, end: end.text, device, user, ...(file ? { file } : {}), ...(channels ? { channels } : {}) } : undefined, start, end };
}

/**
 * The parties on a recording file's two channels (`channels`, left then right), or null when
 * absent; undefined when unusable. Generated audio has one channel, so they go with a `file`.
 */
function readChannels(r: Reader, o: Record<string, unknown>, path: string, file: string | null | undefined): RecordingChannel[] | null | undefined {
  return r.optional(o, "channels", null, (v) => {
    if (v === null) return null;
    const at = `${path}.channels`;
    const list = r.array(v, at, 64, "channels");
    if (!list) return undefined;
    if (list.length !== 2) {
      r.report(at, `must name the parties of both channels, left then right; got ${list.length}`);
      return undefined;
    }
    if (file === null) r.report(at, "names the parties of a recording file's channels: name the file too (generated audio has one channel)");
    const channels = list.map((c, i) => {
      const ch = r.object(c, `${at}[${i}]`, KEYS.channel);
      if (!ch) return undefined;
      const party = r.oneOf(r.required(ch, "party", `${at}[${i}]`), `${at}[${i}].party`, CHANNEL_PARTIES);
      const name = r.optional(ch, "name", null, (n) => (n === null ? null : r.name(n, `${at}[${i}].name`)));
      return party !== undefined && name !== undefined ? { party, ...(name !== null ? { name } : {}) } : undefined;
    });
    return file !== null && channels.every((c) => c !== undefined) ? (channels as RecordingChannel[]) : undefined;
  });
}

/** The segment's end, or undefined when it is not after its start (it would only add confusing overlap problems). */
function checkDuration(r: Reader, path: string, start: Timestamp | undefined, end: Timestamp | undefined): Timestamp | undefined {
  if (!start || !end) return end;
  if (end.ms <= start.ms) {
    r.report(`${path}.end`, `must be after the segment's start (${start.text})`);
    return undefined;
  }
  if (end.ms - start.ms > DATASET_LIMITS.segmentHours * 3_600_000) {
    r.report(`${path}.end`, `makes the segment longer than ${DATASET_LIMITS.segmentHours} hours`);
  }
  return end;
}

interface Timestamp {
  text: string;
  ms: number;
}

// Ids end up in URL paths: no separators (browsers read "\" as "/"), no invisible characters.
const ID_SEPARATORS = /[\s/\\]/u;
const ID_INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Z}]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/gu;

/** The dataset's reads: shape.ts's `Problems` with the dataset's leaves (ids, names, times, references). */
class Reader extends Problems {
  constructor() {
    super("dataset");
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
      this.report(path, `expected a string, got ${kind(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (typeof value !== "boolean") {
      this.report(path, `expected true or false, got ${kind(value)}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    const options = allowed.map((a) => JSON.stringify(a));
    const expected = `${options.slice(0, -1).join(", ")} or ${options.at(-1) ?? ""}`;
    this.report(path, `expected ${expected}, got ${typeof value === "string" ? quote(value) : kind(value)}`);
    return undefined;
  }

  id(value: unknown, path: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    const problem =
      s.length === 0 ? "must not be empty"
      : length(s) > DATASET_LIMITS.idLength ? `is longer than ${DATASET_LIMITS.idLength} characters`
      : ID_SEPARATORS.test(s) ? `must not contain whitespace, "/" or "\\", got ${quote(s)}`
      : ID_INVISIBLE.test(s) ? `must contain only printable characters, got ${quote(s)}`
      : s === "." || s === ".." ? `must not be "." or ".."`
      : undefined;
    if (problem) {
      this.report(path, problem);
      return undefined;
    }
    return s;
  }

  name(value: unknown, path: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    return this.text(s, path, DATASET_LIMITS.nameLength, s.trim().length === 0);
  }

  password(value: unknown, path: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    return this.text(s, path, DATASET_LIMITS.passwordLength, s.length === 0);
  }

  phoneNumber(value: unknown, path: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    return this.text(s, path, DATASET_LIMITS.phoneNumberLength, s.trim().length === 0);
  }

  private text(s: string, path: string, max: number, blank: boolean): string | undefined {
    if (blank) {
      this.report(path, "must not be empty");
      return undefined;
    }
    if (length(s) > max) {
      this.report(path, `is longer than ${max} characters`);
      return undefined;
    }
    return s;
  }

  /**
   * A recording's file: a relative path inside the recordings folder, with "/" between folders.
   * Absolute paths, "..", empty parts and invisible characters are refused, so a dataset can
   * name nothing outside the folder it is given.
   */
  filePath(value: unknown, path: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    const parts = s.split("/");
    const problem =
      s.length === 0 ? "must not be empty"
      : length(s) > DATASET_LIMITS.filePathLength ? `is longer than ${DATASET_LIMITS.filePathLength} characters`
      : s.startsWith("/") || /^[A-Za-z]:/.test(s) || s.includes("\\") ? `must be relative to the recordings folder, with "/" between folders, got ${quote(s)}`
      : ID_INVISIBLE.test(s.replaceAll(" ", "")) ? `must contain only printable characters, got ${quote(s)}`
      : parts.some((p) => p === "" || p === "." || p === "..") ? `must not have empty, "." or ".." parts (it names a file inside the recordings folder), got ${quote(s)}`
      : undefined;
    if (problem) {
      this.report(path, problem);
      return undefined;
    }
    return s;
  }

  timestamp(value: unknown, path: string): Timestamp | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    const ms = parseTimestamp(s);
    if (ms === undefined) {
      this.report(path, `expected an ISO-8601 time with Z or an offset, like "2026-11-20T09:14:10Z", got ${quote(s)}`);
      return undefined;
    }
    return { text: s, ms };
  }

  /** A reference to an existing id of `what` (a group, a user, a device); `known` undefined checks nothing. */
  ref(value: unknown, path: string, known: ReadonlySet<string> | undefined, what: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    if (known && !known.has(s)) {
      this.report(path, `unknown ${what} ${quote(s)}`);
      return undefined;
    }
    return s;
  }

  refList(value: unknown, path: string, known: ReadonlySet<string> | undefined, what: string, max: number): string[] | undefined {
    const list = this.array(value, path, max, `${what}s`);
    if (!list) return undefined;
    const seen = new Set<string>();
    const refs = list.map((v, i) => {
      const ref = this.ref(v, `${path}[${i}]`, known, what);
      if (ref !== undefined && seen.has(ref)) this.report(`${path}[${i}]`, `${what} ${quote(ref)} is listed twice`);
      if (ref !== undefined) seen.add(ref);
      return ref;
    });
    return refs.every((ref) => ref !== undefined) && seen.size === refs.length ? (refs as string[]) : undefined;
  }

  /**
   * The ids of a section, reporting the second and later uses of any id; undefined when the
   * section itself is unusable, so that references to it are not all reported as unknown.
   */
  ids(items: Item<unknown>[] | undefined): Set<string> | undefined {
    if (!items) return undefined;
    const first = new Map<string, string>();
    for (const item of items) {
      if (item.id === undefined) continue;
      const earlier = first.get(item.id);
      if (earlier) this.report(`${item.path}.id`, `duplicate id ${quote(item.id)} (first used at ${earlier})`);
      else first.set(item.id, item.path);
    }
    return new Set(first.keys());
  }
}

/** Milliseconds since the epoch, or undefined unless `s` is a real ISO-8601 time with a zone. */
export const parseTimestamp = parseIsoTime;

/**
 * A value quoted for a message: escapes keep it on one line and make invisible characters
 * (a bidirectional override, say) visible, and a long one is cut short.
 */
function quote(s: string): string {
  const chars = [...s];
  const shown = JSON.stringify(chars.length > 60 ? chars.slice(0, 60).join("") : s).replace(
    INVISIBLE,
    (c) => {
      const code = c.codePointAt(0) ?? 0;
      return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
    },
  );
  return chars.length > 60 ? `${shown}…` : shown;
}

function length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
