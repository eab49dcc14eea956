/**
 * Which fields an administrator has changed, with the value they set. A re-import of the
 * dataset applies the file first and these after it, so an administrator's change outlives a
 * changed file (and a new version of the server) for exactly the fields they changed.
 */
import { CUSTOMER_RECORDING_SETTINGS, PLAYBACK_SCOPES, RECORDING_SETTINGS } from "../src/rules/domain.js";
import type { Db } from "./db.js";

/** `customer`, `user:<id>` or `device:<id>`, as in the audit log. */
export type OverrideSubject = string;
export type OverrideField = "recording" | "playback" | "primaryGroup" | "memberGroups";

/** Notes that an administrator set `field` of `subject` to `value` (JSON-encoded). */
export function recordOverride(db: Db, subject: OverrideSubject, field: OverrideField, value: string | null | string[]): void {
  db.prepare("INSERT INTO admin_overrides (subject, field, value) VALUES (?, ?, ?) ON CONFLICT (subject, field) DO UPDATE SET value = excluded.value").run(
    subject,
    field,
    JSON.stringify(value),
  );
}

/**
 * Applies every recorded change over what the import just wrote. A change that no longer fits
 * the data (its user or device left the file, its group was removed) is skipped, not failed: the
 * file's value stands for it, and the change is kept in case its subject comes back.
 */
export function applyOverrides(db: Db): number {
  const rows = db.prepare("SELECT subject, field, value FROM admin_overrides ORDER BY subject, field").all() as { subject: string; field: OverrideField; value: string }[];
  const groupExists = (id: unknown) => typeof id === "string" && db.prepare("SELECT 1 FROM groups WHERE id = ?").get(id) !== undefined;
  let applied = 0;
  for (const { subject, field, value: json } of rows) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      continue;
    }
    const [kind, ...rest] = subject.split(":");
    const id = rest.join(":");
    let changed = 0;
    if (kind === "customer" && field === "recording" && (CUSTOMER_RECORDING_SETTINGS as readonly unknown[]).includes(value)) {
      changed = db.prepare("UPDATE customer SET recording = ? WHERE id = 1").run(value).changes;
    } else if (kind === "device" && field === "recording" && (RECORDING_SETTINGS as readonly unknown[]).includes(value)) {
      changed = db.prepare("UPDATE devices SET recording = ? WHERE id = ?").run(value, id).changes;
    } else if (kind === "user") {
      if (field === "recording" && (RECORDING_SETTINGS as readonly unknown[]).includes(value)) {
        changed = db.prepare("UPDATE users SET recording = ? WHERE id = ?").run(value, id).changes;
      } else if (field === "playback" && (PLAYBACK_SCOPES as readonly unknown[]).includes(value)) {
        changed = db.prepare("UPDATE users SET playback = ? WHERE id = ?").run(value, id).changes;
      } else if (field === "primaryGroup" && (value === null || groupExists(value))) {
        changed = db.prepare("UPDATE users SET primary_group = ? WHERE id = ?").run(value, id).changes;
      } else if (field === "memberGroups" && Array.isArray(value) && db.prepare("SELECT 1 FROM users WHERE id = ?").get(id)) {
        db.prepare("DELETE FROM user_groups WHERE user_id = ?").run(id);
        const add = db.prepare("INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?, ?)");
        for (const g of value) if (groupExists(g)) add.run(id, g);
        changed = 1;
      }
    }
    applied += changed > 0 ? 1 : 0;
  }
  return applied;
}
