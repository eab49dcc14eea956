/**
 * Saved filters of the Call List: a user names the current filters (stored as their canonical
 * query string, per user, names unique per user) and reuses them from a list of links.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../auth.js";
import type { Db } from "../db.js";
import { callListHref, filterQuery, parseFilters } from "./call-list-filters.js";
import { hasControlChars } from "./format.js";
import { checkedForm, sessionOf } from "./guards.js";
import { errorPage } from "./layout.js";

export interface SavedFilter {
  id: number;
  name: string;
  /** The canonical query string of the filters (no cursor). */
  query: string;
}

/** The most saved filters one user may keep. */
export const MAX_SAVED_FILTERS = 100;
export const NAME_MAX = 80;

/** A user's saved filters, by name. */
export function listSavedFilters(db: Db, userId: string): SavedFilter[] {
  return db.prepare("SELECT id, name, query FROM saved_filters WHERE user_id = ? ORDER BY name COLLATE NOCASE, id").all(userId) as SavedFilter[];
}

/** One of the user's saved filters, or undefined (also when it is someone else's). */
export function savedFilter(db: Db, userId: string, id: number): SavedFilter | undefined {
  return db.prepare("SELECT id, name, query FROM saved_filters WHERE id = ? AND user_id = ?").get(id, userId) as SavedFilter | undefined;
}

/** Why a name cannot be used, or undefined when it can. */
function nameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length === 0) return "Give the saved filter a name.";
  if (length > NAME_MAX) return `The name is ${length} characters long; use at most ${NAME_MAX}.`;
  if (hasControlChars(name)) return "The name may not contain control characters such as line breaks.";
  return undefined;
}

const backToList = (href: string) => html`<a href="${href}">Back to the Call List</a>`;

export function savedFilterRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/reports/call-list/saved-filters", async (c) => {
    const checked = await checkedForm(c, db);
    if ("refused" in checked) return checked.refused;
    const { form } = checked;
    const account = sessionOf(c).account;
    const parsed = parseFilters(db, Object.fromEntries(new URLSearchParams(form.query ?? "")));
    const back = parsed.problems.length ? "/reports/call-list" : callListHref(parsed.form);
    if (parsed.problems.length) {
      return errorPage(c, db, 400, "Filters not saved", html`These filters cannot be saved: ${parsed.problems.join(" ")} ${backToList(back)}.`);
    }
    const name = (form.name ?? "").trim();
    const problem = nameProblem(name);
    if (problem) return errorPage(c, db, 400, "Filters not saved", html`${problem} ${backToList(back)}.`);
    const query = filterQuery(parsed.form);
    const outcome = db.transaction((): number | "taken" | "full" => {
      const count = (db.prepare("SELECT COUNT(*) AS n FROM saved_filters WHERE user_id = ?").get(account.id) as { n: number }).n;
      if (db.prepare("SELECT 1 FROM saved_filters WHERE user_id = ? AND name = ?").get(account.id, name)) return "taken";
      if (count >= MAX_SAVED_FILTERS) return "full";
      return Number(db.prepare("INSERT INTO saved_filters (user_id, name, query) VALUES (?, ?, ?)").run(account.id, name, query).lastInsertRowid);
    })();
    if (outcome === "taken") {
      return errorPage(c, db, 409, "Filters not saved", html`You already have saved filters named “<bdi>${name}</bdi>”. Choose another name, or delete the old one first. ${backToList(back)}.`);
    }
    if (outcome === "full") {
      return errorPage(c, db, 400, "Filters not saved", html`You have ${MAX_SAVED_FILTERS} saved filters, the most there may be. Delete one first. ${backToList(back)}.`);
    }
    return c.redirect(callListHref(parsed.form, { saved: String(outcome) }), 303);
  });

  app.post("/reports/call-list/saved-filters/:id/delete", async (c) => {
    const checked = await checkedForm(c, db);
    if ("refused" in checked) return checked.refused;
    const account = sessionOf(c).account;
    const id = Number(c.req.param("id"));
    const found = Number.isSafeInteger(id) ? savedFilter(db, account.id, id) : undefined;
    if (!found) return errorPage(c, db, 404, "No such saved filter", html`You have no saved filter with this number. ${backToList("/reports/call-list")}.`);
    db.prepare("DELETE FROM saved_filters WHERE id = ? AND user_id = ?").run(found.id, account.id);
    // Back to the filters the list was showing, which the delete form carries along.
    const current = parseFilters(db, Object.fromEntries(new URLSearchParams(checked.form.query ?? "")));
    return c.redirect(callListHref(current.problems.length ? { from: "", to: "", direction: "", group: "", hasRecording: false } : current.form, { deleted: "1" }), 303);
  });

  return app;
}
