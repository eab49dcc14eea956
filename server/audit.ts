/**
 * The audit log: who played or downloaded which recording, and who changed which setting or
 * permission, when. Administrators read it in the legacy interface.
 */
import type { Db } from "./db.js";

export interface AuditEntry {
  /** The user who acted. */
  actor: string;
  /** What they did: `play`, `download`, `recording-setting`, `permission`, ... */
  action: string;
  /** What it was done to: a recording id, `user:alice`, `device:ext-201`, `customer`. */
  subject: string;
  detail?: string;
}

export interface AuditRow extends Required<AuditEntry> {
  id: number;
  at: string;
}

/**
 * Records an entry. With `dedupeSeconds`, the same actor doing the same thing to the same
 * subject again within that time of the entry is not recorded twice (the many range requests
 * of one listen).
 */
export function recordAudit(db: Db, entry: AuditEntry, options: { dedupeSeconds?: number; now?: Date } = {}): void {
  const now = options.now ?? new Date();
  if (options.dedupeSeconds) {
    const since = new Date(now.getTime() - options.dedupeSeconds * 1000).toISOString();
    const seen = db
      .prepare("SELECT 1 FROM audit_log WHERE subject = ? AND actor = ? AND action = ? AND at >= ? LIMIT 1")
      .get(entry.subject, entry.actor, entry.action, since);
    if (seen) return;
  }
  db.prepare("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)").run(
    now.toISOString(),
    entry.actor,
    entry.action,
    entry.subject,
    entry.detail ?? "",
  );
}

/** The latest entries, newest first, optionally for one subject or matching actions. */
export function readAudit(db: Db, options: { subject?: string; actions?: string[]; limit?: number } = {}): AuditRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.subject) {
    where.push("subject = ?");
    params.push(options.subject);
  }
  if (options.actions?.length) {
    where.push(`action IN (${options.actions.map(() => "?").join(", ")})`);
    params.push(...options.actions);
  }
  const sql = `SELECT id, at, actor, action, subject, detail FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
  return db.prepare(sql).all(...params, options.limit ?? 200) as AuditRow[];
}
