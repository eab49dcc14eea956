/**
 * The changes administrators make while the system runs: recording settings (customer, user,
 * device) and a user's playback permission with its scope and groups. Validated whole (an
 * unknown scope or group changes nothing), written in one transaction, and audited. Used by
 * the JSON API and the legacy admin pages alike.
 */
import {
  CUSTOMER_RECORDING_SETTINGS,
  PLAYBACK_SCOPES,
  RECORDING_SETTINGS,
  type PlaybackScope,
} from "../src/rules/domain.js";
import { loadAccount, type Account } from "./access.js";
import { recordOverride } from "./admin-overrides.js";
import { recordAudit } from "./audit.js";
import type { Db } from "./db.js";

/** A change that was refused; nothing was written. */
export class ChangeError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
    this.name = "ChangeError";
  }
}

export type SettingTarget = { kind: "customer" } | { kind: "user"; id: string } | { kind: "device"; id: string };

const subjectOf = (t: SettingTarget) => (t.kind === "customer" ? "customer" : `${t.kind}:${t.id}`);

/** Sets the recording setting of the customer, a user or a device. Affects calls made afterwards only. */
export function setRecordingSetting(db: Db, actor: string, target: SettingTarget, value: unknown): void {
  const allowed: readonly string[] = target.kind === "customer" ? CUSTOMER_RECORDING_SETTINGS : RECORDING_SETTINGS;
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new ChangeError(`recording: must be one of ${allowed.join(", ")}`);
  }
  db.transaction(() => {
    const table = target.kind === "customer" ? "customer" : target.kind === "user" ? "users" : "devices";
    const key = target.kind === "customer" ? 1 : target.id;
    const row = db.prepare(`SELECT recording FROM ${table} WHERE id = ?`).get(key) as { recording: string } | undefined;
    if (!row) throw new ChangeError(`no such ${target.kind}`, 404);
    if (row.recording === value) return;
    db.prepare(`UPDATE ${table} SET recording = ? WHERE id = ?`).run(value, key);
    recordOverride(db, subjectOf(target), "recording", value);
    recordAudit(db, { actor, action: "recording-setting", subject: subjectOf(target), detail: `${row.recording} → ${value}` });
  })();
}

export interface PermissionChange {
  playback: PlaybackScope;
  primaryGroup: string | null;
  memberGroups: string[];
}

/** Checks a permission change's shape and values, naming each field that is wrong. */
export function parsePermissionChange(db: Db, input: Record<string, unknown>): PermissionChange {
  const problems: string[] = [];
  const { playback, primaryGroup, memberGroups } = input;
  for (const key of Object.keys(input)) {
    if (!["playback", "primaryGroup", "memberGroups"].includes(key)) problems.push(`${key}: is not a permission field`);
  }
  if (typeof playback !== "string" || !PLAYBACK_SCOPES.includes(playback as PlaybackScope)) {
    problems.push(`playback: must be one of ${PLAYBACK_SCOPES.join(", ")}`);
  }
  const groupExists = (id: string) => db.prepare("SELECT 1 FROM groups WHERE id = ?").get(id) !== undefined;
  if (primaryGroup !== null && primaryGroup !== undefined && (typeof primaryGroup !== "string" || !groupExists(primaryGroup))) {
    problems.push(`primaryGroup: unknown group ${JSON.stringify(String(primaryGroup).slice(0, 100))}`);
  }
  if (memberGroups !== undefined && !Array.isArray(memberGroups)) problems.push("memberGroups: must be a list of group ids");
  const members = Array.isArray(memberGroups) ? memberGroups : [];
  members.forEach((g, i) => {
    if (typeof g !== "string" || !groupExists(g)) problems.push(`memberGroups[${i}]: unknown group ${JSON.stringify(String(g).slice(0, 100))}`);
  });
  if (problems.length) throw new ChangeError(problems.join("; "));
  return {
    playback: playback as PlaybackScope,
    primaryGroup: (primaryGroup as string | null | undefined) ?? null,
    memberGroups: [...new Set(members as string[])].sort(),
  };
}

function describePermissions(a: Pick<Account, "playback" | "primaryGroup" | "memberGroups">): string {
  return `playback ${a.playback}, primary group ${a.primaryGroup ?? "none"}, member groups ${a.memberGroups.length ? a.memberGroups.join(", ") : "none"}`;
}

/** Sets a user's playback scope and groups. Takes effect on the user's next request. */
export function setPermissions(db: Db, actor: string, userId: string, change: PermissionChange): Account {
  db.transaction(() => {
    const before = loadAccount(db, userId);
    if (!before) throw new ChangeError("no such user", 404);
    db.prepare("UPDATE users SET playback = ?, primary_group = ? WHERE id = ?").run(change.playback, change.primaryGroup, userId);
    db.prepare("DELETE FROM user_groups WHERE user_id = ?").run(userId);
    const add = db.prepare("INSERT INTO user_groups (user_id, group_id) VALUES (?, ?)");
    for (const g of change.memberGroups) add.run(userId, g);
    // Only the fields that changed: the dataset file keeps its say over the others.
    if (before.playback !== change.playback) recordOverride(db, `user:${userId}`, "playback", change.playback);
    if (before.primaryGroup !== change.primaryGroup) recordOverride(db, `user:${userId}`, "primaryGroup", change.primaryGroup);
    if ([...before.memberGroups].sort().join("\n") !== change.memberGroups.join("\n")) recordOverride(db, `user:${userId}`, "memberGroups", change.memberGroups);
    const was = describePermissions(before);
    const now = describePermissions(change);
    if (was !== now) recordAudit(db, { actor, action: "permission", subject: `user:${userId}`, detail: `${was} → ${now}` });
  })();
  return loadAccount(db, userId)!;
}
