/**
 * The audit log for administrators (`/admin/audit`): who played or downloaded which recording,
 * and who changed which setting or permission, newest first, filtered by action.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../auth.js";
import { readAudit } from "../audit.js";
import type { Db } from "../db.js";
import { plural, timeEl } from "./format.js";
import { renderPage, notice } from "./layout.js";

/** The actions the filter offers, with their labels. */
export const AUDIT_ACTIONS = {
  play: "Playback",
  download: "Download",
  "recording-setting": "Recording setting",
  permission: "Permission",
} as const;

/** Entries one page shows. */
const LIMIT = 500;

export function adminAuditRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/admin/audit", (c) => {
    const action = (c.req.query("action") ?? "").trim();
    const form = (selected: string) => html`<form class="filters" method="get" action="/admin/audit" aria-label="Filter">
  <div class="field"><label for="f-action">Action</label>
    <select id="f-action" name="action"><option value="">All actions</option>${Object.entries(AUDIT_ACTIONS).map(
      ([value, label]) => html`<option value="${value}"${selected === value ? html` selected` : ""}>${label}</option>`,
    )}</select></div>
  <div class="field"><button type="submit">Show</button></div>
</form>`;
    if (action && !Object.hasOwn(AUDIT_ACTIONS, action)) {
      return renderPage(c, db, {
        title: "Audit log",
        status: 400,
        main: html`${notice("error", `Action: “${action.slice(0, 40)}” is not one of ${Object.keys(AUDIT_ACTIONS).join(", ")}.`)}${form("")}`,
      });
    }
    const rows = readAudit(db, { ...(action ? { actions: [action] } : {}), limit: LIMIT });
    const actors = [...new Set(rows.map((r) => r.actor))];
    const names = new Map(
      actors.length
        ? (db.prepare(`SELECT id, name FROM users WHERE id IN (${actors.map(() => "?").join(", ")})`).all(...actors) as { id: string; name: string }[]).map((u) => [u.id, u.name])
        : [],
    );
    return renderPage(c, db, {
      title: "Audit log",
      lead: "Who played or downloaded which recording, and who changed which setting or permission. Times are UTC.",
      main: html`${form(action)}
<p class="count" role="status">${rows.length ? `Showing the latest ${plural(rows.length, "entry", "entries")}, newest first.` : "No entries match."}</p>
${
  rows.length
    ? html`<div class="table-wrap"><table class="audit">
  <caption>Audit log, newest first</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Detail</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr data-audit-id="${r.id}" data-action="${r.action}">
    <td>${timeEl(r.at)}</td>
    <td>${names.has(r.actor) ? html`<bdi>${names.get(r.actor)}</bdi> <span class="muted">(<bdi>${r.actor}</bdi>)</span>` : html`<bdi>${r.actor}</bdi>`}</td>
    <td>${AUDIT_ACTIONS[r.action as keyof typeof AUDIT_ACTIONS] ?? r.action}</td>
    <td><bdi>${r.subject}</bdi></td>
    <td><bdi>${r.detail}</bdi></td>
  </tr>`,
  )}</tbody>
</table></div>`
    : ""
}`,
    });
  });

  return app;
}
