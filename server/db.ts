/**
 * The reference server's embedded database (SQLite through better-sqlite3): schema and
 * opening. Every query lives next to the feature that uses it; this file owns the shape.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { recordOverride } from "./admin-overrides.js";

export type Db = Database.Database;

/** The version of the schema below; {@link MIGRATIONS} bring older databases up to it. */
export const SCHEMA_VERSION = 3;

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

-- Recordings kept as files (the dataset named one): served from the file, not generated, so the
-- recording's format, seed and voice mean nothing. What the import read from the file's header.
CREATE TABLE IF NOT EXISTS recording_files (
  recording_id TEXT PRIMARY KEY REFERENCES recordings(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  kind TEXT NOT NULL,
  format_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  extension TEXT NOT NULL,
  duration REAL NOT NULL
) WITHOUT ROWID;

-- Who each channel of a two-channel recording file holds (the dataset's "channels"), left first:
-- the party ('agent', 'caller', 'other') and their name (the dataset's, else the import's guess).
CREATE TABLE IF NOT EXISTS recording_channels (
  recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  party TEXT NOT NULL,
  name TEXT,
  PRIMARY KEY (recording_id, idx)
) WITHOUT ROWID;

-- Peaks computed from a recording's audio (server/peaks.ts), kept as served: JSON, gzipped and
-- brotli'd. \`source\` is a digest of what they were computed from (the generator's inputs, or
-- the file's path, size, modification time and inode, and the algorithm's version): peaks whose
-- source no longer matches are computed again. A cache: not tied to the recordings table, which
-- a re-import rewrites with the same ids.
CREATE TABLE IF NOT EXISTS recording_peaks (
  recording_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  json BLOB NOT NULL,
  gzip BLOB NOT NULL,
  br BLOB NOT NULL
) WITHOUT ROWID;

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

-- Identities that outlive a re-import: a call's seq, and each recording's id by its call and its
-- part ('segment:<index>' or 'conference'). Never deleted, so an id is never given to another
-- recording, and a signed URL names the same recording whatever file is imported later.
CREATE TABLE IF NOT EXISTS call_keys (call_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS recording_keys (
  call_id TEXT NOT NULL,
  part TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  PRIMARY KEY (call_id, part)
) WITHOUT ROWID;

-- The fields administrators changed (subject as in the audit log, value as JSON): a re-import
-- applies them over the file's values.
CREATE TABLE IF NOT EXISTS admin_overrides (
  subject TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (subject, field)
) WITHOUT ROWID;
`;

/**
 * Steps from each older schema version to the next, run in order in one transaction when a
 * database is opened. The schema's `CREATE … IF NOT EXISTS` has already added new tables;
 * a step fills them from what the older version kept.
 */
const MIGRATIONS: Record<number, (db: Db) => void> = {
  // 1 → 2: call and recording identities, and administrators' changes, are kept apart from the
  // imported data. Version 1 numbered them by position in the file, and wiped both on re-import.
  1: (db) => {
    db.prepare("INSERT OR IGNORE INTO call_keys (call_id, seq) SELECT id, seq FROM calls").run();
    db.prepare(
      `INSERT OR IGNORE INTO recording_keys (call_id, part, id)
       SELECT c.id, CASE WHEN r.segment_idx IS NULL THEN 'conference' ELSE 'segment:' || r.segment_idx END, r.id
       FROM recordings r JOIN calls c ON c.seq = r.call_seq`,
    ).run();
    // Version 1 kept no list of changed fields, but audited every change since the last import:
    // each setting or permission audited there was set by an administrator, and holds its value.
    const audited = (action: string) =>
      (db.prepare("SELECT DISTINCT subject FROM audit_log WHERE action = ?").all(action) as { subject: string }[]).map((r) => r.subject);
    for (const subject of audited("recording-setting")) {
      const [kind, ...rest] = subject.split(":");
      const id = rest.join(":");
      const row = (
        kind === "customer"
          ? db.prepare("SELECT recording FROM customer WHERE id = 1").get()
          : kind === "user"
            ? db.prepare("SELECT recording FROM users WHERE id = ?").get(id)
            : kind === "device"
              ? db.prepare("SELECT recording FROM devices WHERE id = ?").get(id)
              : undefined
      ) as { recording: string } | undefined;
      if (row) recordOverride(db, subject, "recording", row.recording);
    }
    for (const subject of audited("permission")) {
      if (!subject.startsWith("user:")) continue;
      const id = subject.slice("user:".length);
      const user = db.prepare("SELECT playback, primary_group FROM users WHERE id = ?").get(id) as { playback: string; primary_group: string | null } | undefined;
      if (!user) continue;
      const groups = (db.prepare("SELECT group_id FROM user_groups WHERE user_id = ? ORDER BY group_id").all(id) as { group_id: string }[]).map((g) => g.group_id);
      recordOverride(db, subject, "playback", user.playback);
      recordOverride(db, subject, "primaryGroup", user.primary_group);
      recordOverride(db, subject, "memberGroups", groups);
    }
  },
  // 2 → 3: recordings may be files (the schema adds their table); recordings of before are all generated.
  2: () => undefined,
};

/** Opens (creating if needed) the database at `path`, or in memory for ":memory:". */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 2000");
  db.exec(SCHEMA);
  const version = getMeta(db, "schema_version");
  if (version === undefined) {
    setMeta(db, "schema_version", String(SCHEMA_VERSION));
    return db;
  }
  const from = Number(version);
  if (!Number.isInteger(from) || from < 1 || from > SCHEMA_VERSION) {
    db.close();
    throw new Error(`database ${path} has schema version ${version}; this server knows versions 1 to ${SCHEMA_VERSION}. Use a newer server, or remove the file to start afresh.`);
  }
  if (from < SCHEMA_VERSION) {
    db.transaction(() => {
      for (let v = from; v < SCHEMA_VERSION; v++) {
        MIGRATIONS[v]!(db);
        setMeta(db, "schema_version", String(v + 1));
      }
    }).immediate();
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
