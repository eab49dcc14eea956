/**
 * Opening one of the player's IndexedDB databases, once, and using it with a memory fallback:
 * a browser without IndexedDB (or a private window that refuses it) and a database that fails
 * mid-way keep the player working for the page's lifetime.
 */
import { openDB, type DBSchema, type IDBPDatabase, type OpenDBCallbacks } from "idb";

/** Runs `withDb` on the database, or `withMemory` when there is none or it fails. */
export type DatabaseUse<S extends DBSchema> = <T>(withDb: (database: IDBPDatabase<S>) => Promise<T>, withMemory: () => Promise<T>) => Promise<T>;

/**
 * A lazily opened database. `unavailable` says what the user loses without it, for the log
 * ("playback resumes within this page only").
 */
export function useDatabase<S extends DBSchema>(name: string, version: number, upgrade: OpenDBCallbacks<S>["upgrade"], unavailable: string): DatabaseUse<S> {
  let db: Promise<IDBPDatabase<S> | null> | null = null;
  const open = () => {
    db ??= (async () => {
      if (typeof indexedDB === "undefined") return null;
      try {
        return await openDB<S>(name, version, upgrade ? { upgrade } : {});
      } catch (error) {
        console.warn(`call recordings: IndexedDB unavailable, ${unavailable}`, error);
        return null;
      }
    })();
    return db;
  };
  return async (withDb, withMemory) => {
    const database = await open();
    if (!database) return withMemory();
    try {
      return await withDb(database);
    } catch (error) {
      console.warn("call recordings: IndexedDB failed, using memory", error);
      return withMemory();
    }
  };
}
