/**
 * The playback scopes of `docs/design.md`, applied in SQL so the call list stays fast at a
 * million calls. The rule itself is `src/rules/playback-scope.ts`; the tests hold the two to the
 * same answers.
 */
import type { PlaybackScope } from "../src/rules/domain.js";
import { scopeGroups, type Viewer } from "../src/rules/playback-scope.js";
import type { Db } from "./db.js";

/** A signed-in user as the server knows them, read afresh on every request. */
export interface Account extends Viewer {
  name: string;
  admin: boolean;
  recording: string;
}

interface UserRow {
  id: string;
  name: string;
  admin: number;
  primary_group: string | null;
  recording: string;
  playback: PlaybackScope;
}

/** Reads a user with their groups, or undefined if there is no such user. */
export function loadAccount(db: Db, userId: string): Account | undefined {
  const row = db.prepare("SELECT id, name, admin, primary_group, recording, playback FROM users WHERE id = ?").get(userId) as UserRow | undefined;
  if (!row) return undefined;
  const groups = (db.prepare("SELECT group_id FROM user_groups WHERE user_id = ? ORDER BY group_id").all(userId) as { group_id: string }[]).map((r) => r.group_id);
  return {
    id: row.id,
    name: row.name,
    admin: row.admin === 1,
    primaryGroup: row.primary_group,
    memberGroups: groups,
    recording: row.recording,
    playback: row.playback,
  };
}

/**
 * An SQL condition (on a call aliased `c`) that holds when the viewer may play the call's
 * recordings, with its parameters.
 */
export function playableCondition(viewer: Viewer): { sql: string; params: unknown[] } {
  if (viewer.playback === "none") return { sql: "0", params: [] };
  const groups = scopeGroups(viewer);
  if (groups === "all") return { sql: "1", params: [] };
  const own = "EXISTS (SELECT 1 FROM call_parties p WHERE p.call_seq = c.seq AND p.user_id = ?)";
  if (groups.length === 0) return { sql: own, params: [viewer.id] };
  const tagged = `EXISTS (SELECT 1 FROM call_groups g WHERE g.call_seq = c.seq AND g.group_id IN (${groups.map(() => "?").join(", ")}))`;
  return { sql: `(${own} OR ${tagged})`, params: [viewer.id, ...groups] };
}

/** Whether the viewer may play back the call with this seq. */
export function mayPlayCallSeq(db: Db, viewer: Viewer, seq: number): boolean {
  const cond = playableCondition(viewer);
  const row = db.prepare(`SELECT 1 AS ok FROM calls c WHERE c.seq = ? AND ${cond.sql}`).get(seq, ...cond.params);
  return row !== undefined;
}
