/**
 * What was playing, kept across full page loads of an embedding site without the extension (the
 * call, its recordings, which one, where, playing or not, when), for the next page's docked
 * player (resume-controller.ts): its own IndexedDB database beside the player's preferences, or
 * memory where IndexedDB cannot be used. What is read back is checked; anything that does not fit
 * counts as nothing saved. Nothing runs at import.
 */
import type { DBSchema } from "idb";
import { useDatabase } from "./idb-database.js";
import { databaseNameFor } from "./player-preferences.js";
import type { PlayerRecording } from "./player-state.js";
import { array, boolean, check, nullable, number, object, optional, string } from "../shape.js";

/** What was playing when the page was left. */
export interface PlayingSession {
  /** The call the recordings are of, when the page said (null for a player fed by other means). */
  callId: string | null;
  /** The API that renews the recordings' signed URLs (absolute), when known. */
  apiBase: string | null;
  callTitle: string;
  /** The call's own page, which the docked player links to, when the page said. */
  callUrl?: string;
  recordings: PlayerRecording[];
  /** The current recording's index in `recordings`. */
  index: number;
  /** Seconds into it. */
  position: number;
  /** It was playing (not paused) when saved. */
  playing: boolean;
  /** Date.now() of the save. */
  savedAt: number;
}

/** A session playing this recently resumes playing on the next page, in ms. */
export const RESUME_PLAYING_WITHIN_MS = 2 * 60_000;
/** A session this recent comes back, paused where it stood, in ms. */
export const RESTORE_WITHIN_MS = 30 * 60_000;

/** What the next page does with a saved session. */
export type ResumePlan = { action: "play"; index: number; position: number } | { action: "restore"; index: number; position: number } | null;

/**
 * Plays on when the page was left while playing a moment ago (a navigation), shows the
 * recording paused where it stood when it is older but still recent, and forgets it otherwise.
 */
export function resumePlan(session: PlayingSession | null, now: number): ResumePlan {
  if (!session || session.recordings.length === 0) return null;
  const age = now - session.savedAt;
  if (age < -60_000 || age > RESTORE_WITHIN_MS) return null;
  const index = Math.min(Math.max(0, session.index), session.recordings.length - 1);
  const position = Math.max(0, session.position);
  if (session.playing && age <= RESUME_PLAYING_WITHIN_MS) return { action: "play", index, position };
  return { action: "restore", index, position };
}

const MAX_TEXT = 2000;
const url = string({ min: 1, max: 8192 });
const recordingShape = object({
  id: string({ min: 1, max: 500 }),
  src: url,
  downloadUrl: optional(url),
  title: string({ max: MAX_TEXT }),
  durationSeconds: optional(number({ min: 0 })),
  contentType: optional(string({ max: 200 })),
  channels: optional(array(string({ min: 1, max: 500 }), { max: 8 })),
  peaksUrl: optional(url),
});
const sessionShape = object({
  callId: nullable(string({ min: 1, max: 500 })),
  apiBase: nullable(url),
  callTitle: string({ max: MAX_TEXT }),
  callUrl: optional(url),
  recordings: array(recordingShape, { min: 1, max: 500 }),
  index: number({ min: 0, integer: true }),
  position: number({ min: 0 }),
  playing: boolean,
  savedAt: number({ min: 0 }),
});

/** A saved session as checked data, or null when it does not fit (an older format, tampering). */
export function parseSession(value: unknown): PlayingSession | null {
  const result = check(sessionShape, value, "session");
  if (!result.ok) return null;
  const session = result.value;
  if (session.index >= session.recordings.length) return null;
  return session as PlayingSession;
}

/** Only what the shape allows, so a save never stores more than is read back. */
function toStored(session: PlayingSession): PlayingSession {
  return {
    callId: session.callId,
    apiBase: session.apiBase,
    callTitle: session.callTitle.slice(0, MAX_TEXT),
    ...(session.callUrl ? { callUrl: session.callUrl } : {}),
    recordings: session.recordings.slice(0, 500).map((r) => ({
      id: r.id,
      src: r.src,
      title: r.title.slice(0, MAX_TEXT),
      ...(r.downloadUrl !== undefined ? { downloadUrl: r.downloadUrl } : {}),
      ...(r.durationSeconds !== undefined && Number.isFinite(r.durationSeconds) && r.durationSeconds >= 0 ? { durationSeconds: r.durationSeconds } : {}),
      ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
      ...(r.channels !== undefined ? { channels: r.channels.slice(0, 8) } : {}),
      ...(r.peaksUrl !== undefined ? { peaksUrl: r.peaksUrl } : {}),
    })),
    index: Math.max(0, Math.trunc(session.index)),
    position: Number.isFinite(session.position) ? Math.max(0, session.position) : 0,
    playing: session.playing,
    savedAt: session.savedAt,
  };
}

/** Where the session is kept. */
export interface SessionStore {
  load(): Promise<PlayingSession | null>;
  save(session: PlayingSession): Promise<void>;
  clear(): Promise<void>;
}

/** A store for the page's lifetime: the fallback, and for tests. */
export function memorySessionStore(): SessionStore {
  let saved: unknown = null;
  return {
    async load() {
      return parseSession(saved === null ? null : structuredClone(saved));
    },
    async save(session) {
      saved = toStored(session);
    },
    async clear() {
      saved = null;
    },
  };
}

interface SessionDB extends DBSchema {
  session: { key: string; value: unknown };
}

const DB_NAME = "crec-session";
const KEY = "playing";

/** The IndexedDB store (one record per origin), falling back to memory when it cannot be used. */
export function indexedDbSessionStore(dbName = DB_NAME): SessionStore {
  const fallback = memorySessionStore();
  const use = useDatabase<SessionDB>(
    dbName,
    1,
    (database) => {
      database.createObjectStore("session");
    },
    "playback resumes within this page only",
  );
  return {
    load: () =>
      use(
        async (database) => parseSession(await database.get("session", KEY)),
        () => fallback.load(),
      ),
    save: (session) =>
      use(
        async (database) => {
          await database.put("session", toStored(session), KEY);
        },
        () => fallback.save(session),
      ),
    clear: () =>
      use(
        (database) => database.delete("session", KEY),
        () => fallback.clear(),
      ),
  };
}

const shared = new Map<string, SessionStore>();

/** The store every player of the page uses unless given another, one per signed-in user (see `databaseNameFor`). */
export function defaultSessionStore(user: string | null = null): SessionStore {
  const name = databaseNameFor(DB_NAME, user);
  let store = shared.get(name);
  if (!store) shared.set(name, (store = indexedDbSessionStore(name)));
  return store;
}
