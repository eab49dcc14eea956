/**
 * What the player remembers between pages, in IndexedDB (through idb): the listener's volume,
 * mute and rate, and where each recording was left, keyed by recording id, so a recording
 * reopened continues where it stopped. When IndexedDB is missing or refuses to open (some
 * private modes, sandboxed frames), the same store works from memory for the page's lifetime.
 *
 * Nothing runs at import: the database opens on first use.
 */
import type { DBSchema, IDBPDatabase } from "idb";
import { useDatabase } from "./idb-database.js";

/** The listener's settings, shared by every player of the origin. */
export interface PlayerPreferences {
  /** 0..1 */
  volume: number;
  muted: boolean;
  playbackRate: number;
  /** Skip silences longer than 2 s, found from a recording's peaks (src/player/silence.ts). */
  skipSilence: boolean;
}

export const DEFAULT_PREFERENCES: Readonly<PlayerPreferences> = { volume: 1, muted: false, playbackRate: 1, skipSilence: false };

/** Where a recording was left. */
export interface SavedPosition {
  recordingId: string;
  /** Seconds into the recording. */
  position: number;
  /** The recording's length when saved (NaN if unknown). */
  duration: number;
  /** Date.now() of the save: the most recent one is where a sequence continues. */
  updatedAt: number;
}

/** Where the player keeps what it remembers. The extension may supply its own. */
export interface PreferenceStore {
  loadPreferences(): Promise<PlayerPreferences>;
  savePreferences(change: Partial<PlayerPreferences>): Promise<void>;
  loadPositions(recordingIds: readonly string[]): Promise<SavedPosition[]>;
  savePosition(recordingId: string, position: number, duration: number): Promise<void>;
  clearPosition(recordingId: string): Promise<void>;
}

interface PlayerDB extends DBSchema {
  preferences: { key: string; value: PlayerPreferences };
  positions: { key: string; value: SavedPosition; indexes: { updatedAt: number } };
}

const DB_NAME = "crec-player";
const PREFERENCES_KEY = "listener";
/** Positions kept at most; the oldest go first. */
const MAX_POSITIONS = 500;

function sanitize(p: Partial<PlayerPreferences> | undefined): PlayerPreferences {
  const volume = typeof p?.volume === "number" && Number.isFinite(p.volume) ? Math.min(1, Math.max(0, p.volume)) : DEFAULT_PREFERENCES.volume;
  const muted = typeof p?.muted === "boolean" ? p.muted : DEFAULT_PREFERENCES.muted;
  const playbackRate =
    typeof p?.playbackRate === "number" && Number.isFinite(p.playbackRate) && p.playbackRate > 0
      ? p.playbackRate
      : DEFAULT_PREFERENCES.playbackRate;
  const skipSilence = typeof p?.skipSilence === "boolean" ? p.skipSilence : DEFAULT_PREFERENCES.skipSilence;
  return { volume, muted, playbackRate, skipSilence };
}

/** A store that lives as long as the page: the fallback, and handy in tests. */
export function memoryPreferenceStore(): PreferenceStore {
  let preferences: PlayerPreferences = { ...DEFAULT_PREFERENCES };
  const positions = new Map<string, SavedPosition>();
  return {
    async loadPreferences() {
      return { ...preferences };
    },
    async savePreferences(change) {
      preferences = sanitize({ ...preferences, ...change });
    },
    async loadPositions(ids) {
      return ids.flatMap((id) => {
        const p = positions.get(id);
        return p ? [{ ...p }] : [];
      });
    },
    async savePosition(recordingId, position, duration) {
      positions.set(recordingId, { recordingId, position, duration, updatedAt: Date.now() });
    },
    async clearPosition(recordingId) {
      positions.delete(recordingId);
    },
  };
}

/** The IndexedDB store, falling back to memory when the database cannot be used. */
export function indexedDbPreferenceStore(dbName = DB_NAME): PreferenceStore {
  const fallback = memoryPreferenceStore();
  let saves = 0;
  const use = useDatabase<PlayerDB>(
    dbName,
    1,
    (database) => {
      database.createObjectStore("preferences");
      database.createObjectStore("positions", { keyPath: "recordingId" }).createIndex("updatedAt", "updatedAt");
    },
    "preferences last for this page only",
  );

  const prune = async (database: IDBPDatabase<PlayerDB>) => {
    const count = await database.count("positions");
    if (count <= MAX_POSITIONS) return;
    const tx = database.transaction("positions", "readwrite");
    let cursor = await tx.store.index("updatedAt").openCursor();
    for (let extra = count - MAX_POSITIONS; cursor && extra > 0; extra--) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  };

  return {
    loadPreferences: () =>
      use(
        async (database) => sanitize(await database.get("preferences", PREFERENCES_KEY)),
        () => fallback.loadPreferences(),
      ),
    savePreferences: (change) =>
      use(
        async (database) => {
          const tx = database.transaction("preferences", "readwrite");
          const current = sanitize(await tx.store.get(PREFERENCES_KEY));
          await tx.store.put(sanitize({ ...current, ...change }), PREFERENCES_KEY);
          await tx.done;
        },
        () => fallback.savePreferences(change),
      ),
    loadPositions: (ids) =>
      use(
        async (database) => {
          const tx = database.transaction("positions");
          const found = await Promise.all(ids.map((id) => tx.store.get(id)));
          await tx.done;
          return found.filter((p): p is SavedPosition => p !== undefined);
        },
        () => fallback.loadPositions(ids),
      ),
    savePosition: (recordingId, position, duration) =>
      use(
        async (database) => {
          await database.put("positions", { recordingId, position, duration, updatedAt: Date.now() });
          if (++saves % 50 === 1) await prune(database);
        },
        () => fallback.savePosition(recordingId, position, duration),
      ),
    clearPosition: (recordingId) =>
      use(
        (database) => database.delete("positions", recordingId),
        () => fallback.clearPosition(recordingId),
      ),
  };
}

const shared = new Map<string, PreferenceStore>();

/**
 * The store every player of the page uses unless given another: one database per signed-in
 * user where the page says who that is, so the next person at a shared browser finds nothing
 * of the last one's; a page that does not say shares one.
 */
export function defaultPreferenceStore(user: string | null = null): PreferenceStore {
  const name = databaseNameFor(DB_NAME, user);
  let store = shared.get(name);
  if (!store) shared.set(name, (store = indexedDbPreferenceStore(name)));
  return store;
}

/** A database of the player's per user: `crec-player` for nobody in particular, `crec-player:user:alice` for alice. */
export function databaseNameFor(base: string, user: string | null): string {
  return user ? `${base}:user:${user}` : base;
}
