/**
 * The reference server's embedded database (SQLite through better-sqlite3): schema and
 * opening. Every query lives next to the feature that uses it; this file owns the shape.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type Db = Database.Database;

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS customer (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  recording TEXT NOT NULL CHECK (recording IN ('on', 'off'))
);

CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  admin INTEGER NOT NULL DEFAULT 0,
  primary_group TEXT REFERENCES groups(id),
  recording TEXT NOT NULL CHECK (recording IN ('on', 'off', 'inherit')),
  playback TEXT NOT NULL CHECK (playback IN ('none', 'own', 'primary-group', 'member-groups', 'all'))
) WITHOUT ROWID;

-- Member groups as listed in the dataset (the primary group is implied, not stored here).
CREATE TABLE IF NOT EXISTS user_groups (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  group_id TEXT NOT NULL REFERENCES groups(id),
  PRIMARY KEY (user_id, group_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  user_id TEXT REFERENCES users(id),
  recording TEXT NOT NULL CHECK (recording IN ('on', 'off', 'inherit'))
) WITHOUT ROWID;

-- seq orders nothing: it is a compact key for the tables below. Calls are listed by start.
CREATE TABLE IF NOT EXISTS calls (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  start TEXT NOT NULL,
  end TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
  from_number TEXT NOT NULL,
  to_number TEXT NOT NULL,
  conference INTEGER NOT NULL,
  recording_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS calls_by_start ON calls (start DESC, seq DESC);
CREATE INDEX IF NOT EXISTS calls_recorded_by_start ON calls (start DESC, seq DESC) WHERE recording_count > 0;

-- With the call's start, so a group's calls page in order straight from the index.
CREATE TABLE IF NOT EXISTS call_groups (
  call_seq INTEGER NOT NULL REFERENCES calls(seq) ON DELETE CASCADE,
  group_id TEXT NOT NULL,
  start TEXT NOT NULL,
  PRIMARY KEY (call_seq, group_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS call_groups_by_group ON call_groups (group_id, start, call_seq);

CREATE TABLE IF NOT EXISTS segments (
  call_seq INTEGER NOT NULL REFERENCES calls(seq) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  start TEXT NOT NULL,
  end TEXT NOT NULL,
  device_id TEXT,
  user_id TEXT,
  -- The segment's user, else its device's owner, as it was when the call was made.
  party_id TEXT,
  recorded INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (call_seq, idx)
) WITHOUT ROWID;

-- Who was involved in a call (segment users and device owners), with the call's start so a
-- user's own calls page in order straight from this index.
CREATE TABLE IF NOT EXISTS call_parties (
  user_id TEXT NOT NULL,
  start TEXT NOT NULL,
  call_seq INTEGER NOT NULL REFERENCES calls(seq) ON DELETE CASCADE,
  PRIMARY KEY (user_id, start, call_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS call_parties_by_call ON call_parties (call_seq, user_id);

CREATE TABLE IF NOT EXISTS recordings (
  id TEXT PRIMARY KEY,
  call_seq INTEGER NOT NULL REFERENCES calls(seq) ON DELETE CASCADE,
  -- The recorded segment; NULL for a conference's single recording.
  segment_idx INTEGER,
  ordinal INTEGER NOT NULL,
  start TEXT NOT NULL,
  end TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('mulaw', 'pcm16')),
  samples INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  voice INTEGER NOT NULL,
  generator INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recordings_by_call ON recordings (call_seq, ordinal);

CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  expires INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS saved_filters (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  UNIQUE (user_id, name)
);

-- Who did what, when: playback starts, downloads, settings and permission changes.
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_by_subject ON audit_log (subject, id);
`;

/** Opens (creating if needed) the database at `path`, or in memory for ":memory:". */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 2000");
  db.exec(SCHEMA);
  const version = getMeta(db, "schema_version");
  if (version === undefined) setMeta(db, "schema_version", String(SCHEMA_VERSION));
  else if (Number(version) !== SCHEMA_VERSION) {
    throw new Error(`database ${path} has schema version ${version}; this server knows version ${SCHEMA_VERSION}. Remove the file to start afresh.`);
  }
  return db;
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
}
