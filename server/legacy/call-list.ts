/**
 * The Call List report (`/reports/call-list`): one row per call, newest first, with the
 * permission-aware recording count of `listCalls` (the same query as the JSON API), filters in
 * the query string, quick and saved filters, and cursor paging (50 rows a page, or `?limit=` up
 * to 10,000). The first cell, Start Time, links to the call's Call Session view.
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import type { AppEnv, SessionInfo } from "../auth.js";
import { BadCursorError, listCalls, type CallSummary, type Named } from "../calls.js";
import type { Db } from "../db.js";
import { callListHref, filterQuery, hasFilters, parseFilters, type FilterForm } from "./call-list-filters.js";
import { csrfField } from "./forms.js";
import { DAY_MS, DIRECTION_LABELS, dayText, durationText, plural, secondsBetween, timeEl, type Html } from "./format.js";
import { sessionOf } from "./guards.js";
import { notice, renderPage } from "./layout.js";
import { listSavedFilters, NAME_MAX, savedFilter } from "./saved-filters.js";

export const PAGE_SIZE = 50;
/** The most rows `?limit=` may ask one page for (long lists, and the benchmarks' 10,000-row page). */
export const MAX_PAGE_SIZE = 10_000;

/** The page size asked for with `?limit=` (default {@link PAGE_SIZE}), or the problem with it. */
function pageSize(value: string | undefined): { limit: number } | { problem: string } {
  if (value === undefined || value.trim() === "") return { limit: PAGE_SIZE };
  const n = Number(value.trim());
  if (Number.isInteger(n) && n >= 1 && n <= MAX_PAGE_SIZE) return { limit: n };
  return { problem: `Rows per page: “${value.trim().slice(0, 40)}” is not a whole number from 1 to ${MAX_PAGE_SIZE}.` };
}

/** The Call Session view's address for a call. */
export function callSessionHref(callId: string): string {
  return `/reports/call-session?call=${encodeURIComponent(callId)}`;
}

/** The groups each call of a page is tagged with, by call id. */
function groupsOfCalls(db: Db, ids: string[]): Map<string, Named[]> {
  const map = new Map<string, Named[]>();
  if (ids.length === 0) return map;
  const rows = db
    .prepare(
      `SELECT c.id AS call_id, g.id, g.name FROM calls c JOIN call_groups cg ON cg.call_seq = c.seq JOIN groups g ON g.id = cg.group_id
       WHERE c.id IN (${ids.map(() => "?").join(", ")}) ORDER BY g.name`,
    )
    .all(...ids) as { call_id: string; id: string; name: string }[];
  for (const r of rows) {
    const list = map.get(r.call_id) ?? [];
    list.push({ id: r.id, name: r.name });
    map.set(r.call_id, list);
  }
  return map;
}

function allGroups(db: Db): Named[] {
  return db.prepare("SELECT id, name FROM groups ORDER BY name COLLATE NOCASE, id").all() as Named[];
}

function quickFilters(form: FilterForm): Html {
  const today = dayText(Date.now());
  const weekAgo = dayText(Date.now() - 6 * DAY_MS);
  const none: FilterForm = { from: "", to: "", direction: "", group: "", hasRecording: false };
  return html`<nav aria-label="Quick filters"><ul class="quick">
  <li><a href="${callListHref({ ...none, from: today, to: today })}">Today</a></li>
  <li><a href="${callListHref({ ...none, from: weekAgo, to: today })}">Last 7 days</a></li>
  <li><a href="${callListHref({ ...form, hasRecording: true })}">With recordings</a></li>
  ${hasFilters(form) ? html`<li><a href="/reports/call-list">All calls (clear filters)</a></li>` : ""}
</ul></nav>`;
}

function filterForm(db: Db, form: FilterForm): Html {
  const direction = (value: string, label: string) =>
    html`<option value="${value}"${(form.direction || "any") === value ? html` selected` : ""}>${label}</option>`;
  const groups = allGroups(db);
  return html`<form class="filters" method="get" action="/reports/call-list" aria-label="Filters">
  <div class="field"><label for="f-from">From</label><input id="f-from" name="from" type="date" value="${form.from}"></div>
  <div class="field"><label for="f-to">To (inclusive)</label><input id="f-to" name="to" type="date" value="${form.to}"></div>
  <div class="field"><label for="f-direction">Direction</label>
    <select id="f-direction" name="direction">${direction("any", "Any")}${direction("inbound", "Inbound")}${direction("outbound", "Outbound")}${direction("internal", "Internal")}</select></div>
  <div class="field"><label for="f-group">Group</label>
    <select id="f-group" name="group"><option value="">Any group</option>${groups.map(
      (g) => html`<option value="${g.id}"${form.group === g.id ? html` selected` : ""}>${g.name}</option>`,
    )}</select></div>
  <div class="field check"><input id="f-has" name="hasRecording" type="checkbox" value="1"${form.hasRecording ? html` checked` : ""}><label for="f-has">Only calls with recordings</label></div>
  <div class="field"><button type="submit">Run report</button></div>
</form>`;
}

function savedFiltersSection(db: Db, session: SessionInfo, form: FilterForm, valid: boolean): Html {
  const saved = listSavedFilters(db, session.account.id);
  const current = filterQuery(form);
  return html`<section class="panel" aria-labelledby="saved-filters-heading">
  <h2 id="saved-filters-heading">Saved filters</h2>
  ${
    saved.length
      ? html`<ul class="saved">${saved.map(
          (f) => html`<li data-saved-filter-id="${f.id}"><a href="${f.query ? `/reports/call-list?${f.query}` : "/reports/call-list"}"><bdi>${f.name}</bdi></a>
      <form method="post" action="/reports/call-list/saved-filters/${f.id}/delete">${csrfField(session)}<input type="hidden" name="query" value="${current}"><button type="submit" class="secondary" aria-label="Delete saved filter ${f.name}">Delete</button></form></li>`,
        )}</ul>`
      : html`<p class="muted">You have no saved filters yet.</p>`
  }
  ${
    valid
      ? html`<form class="inline-form" method="post" action="/reports/call-list/saved-filters">
    ${csrfField(session)}<input type="hidden" name="query" value="${current}">
    <div class="field"><label for="saved-name">Save the current filters as</label><br><input id="saved-name" name="name" required maxlength="${NAME_MAX}"></div>
    <button type="submit">Save filters</button>
  </form>`
      : ""
  }
</section>`;
}

function callRow(call: CallSummary, groups: Named[]): Html {
  return html`<tr data-call-id="${call.id}" data-recordings="${call.recordings}">
  <td><a href="${callSessionHref(call.id)}">${timeEl(call.start)}</a></td>
  <td>${DIRECTION_LABELS[call.direction]}</td>
  <td><bdi>${call.from}</bdi></td>
  <td><bdi>${call.to}</bdi></td>
  <td class="num">${durationText(secondsBetween(call.start, call.end))}</td>
  <td>${groups.length ? groups.map((g, i) => html`${i ? ", " : ""}<bdi>${g.name}</bdi>`) : html`<span class="muted">None</span>`}</td>
  <td>${call.recordings > 0 ? html`<span class="has-recording"><span aria-hidden="true">● </span>Has recording${call.recordings > 1 ? html` (${call.recordings})` : ""}</span>` : html`<span class="muted">None</span>`}</td>
</tr>`;
}

function callTable(db: Db, calls: CallSummary[]): Html {
  const groups = groupsOfCalls(db, calls.map((c) => c.id));
  return html`<div class="table-wrap"><table class="call-list">
  <caption>Calls, newest first. Times are UTC. Select a Start Time to open the call's session.</caption>
  <thead><tr>
    <th scope="col">Start Time</th><th scope="col">Direction</th><th scope="col">From</th><th scope="col">To</th>
    <th scope="col" class="num">Duration</th><th scope="col">Groups</th><th scope="col">Recordings</th>
  </tr></thead>
  <tbody>${calls.map((call) => callRow(call, groups.get(call.id) ?? []))}</tbody>
</table></div>`;
}

function confirmations(c: Context<AppEnv>, db: Db, session: SessionInfo): Html {
  const savedId = Number(c.req.query("saved"));
  const saved = Number.isSafeInteger(savedId) && savedId > 0 ? savedFilter(db, session.account.id, savedId) : undefined;
  if (saved) return notice("ok", html`Saved these filters as “<bdi>${saved.name}</bdi>”.`);
  if (c.req.query("deleted") !== undefined) return notice("ok", "The saved filter was deleted.");
  return html``;
}

export function callListRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/reports/call-list", (c) => {
    const session = sessionOf(c);
    const parsed = parseFilters(db, c.req.query());
    const top = html`${confirmations(c, db, session)}${quickFilters(parsed.form)}${filterForm(db, parsed.form)}`;
    const refuse = (problems: string[]) =>
      renderPage(c, db, {
        title: "Call List",
        status: 400,
        main: html`${notice("error", html`These filters cannot be used: ${problems.map((p, i) => html`${i ? " " : ""}${p}`)}`)}${top}${savedFiltersSection(db, session, parsed.form, false)}`,
      });
    const size = pageSize(c.req.query("limit"));
    if (parsed.problems.length || "problem" in size) return refuse([...parsed.problems, ...("problem" in size ? [size.problem] : [])]);
    // A page size other than the default travels with the paging links.
    const keep: Record<string, string> = size.limit === PAGE_SIZE ? {} : { limit: String(size.limit) };

    let page;
    try {
      page = listCalls(db, session.account, { ...parsed.filters, limit: size.limit, cursor: parsed.cursor });
    } catch (err) {
      if (err instanceof BadCursorError) return refuse(["Page: this page link is not one this report made; start again from the first page."]);
      throw err;
    }

    // Nothing can match "Only calls with recordings" for someone who may play none: say why.
    const noPlayback =
      parsed.form.hasRecording && session.account.playback === "none"
        ? notice("error", "You have no playback permission, so no call has a recording you can play. Ask your administrator if you need to listen to calls.")
        : html``;
    const count = page.calls.length
      ? html`<p class="count" role="status">Showing ${plural(page.calls.length, "call")}${parsed.cursor ? " (a later page)" : ""}${page.next ? "; there are more on the next page" : ""}.</p>`
      : html`<p class="count" role="status">${parsed.cursor ? "No more calls match these filters." : "No calls match these filters."}</p>`;
    const paging = html`<nav class="paging" aria-label="Pages">
  ${parsed.cursor ? html`<a href="${callListHref(parsed.form, keep)}">First page</a>` : ""}
  ${page.next ? html`<a rel="next" href="${callListHref(parsed.form, { ...keep, cursor: page.next })}">Next page</a>` : ""}
</nav>`;

    return renderPage(c, db, {
      title: "Call List",
      main: html`${top}${savedFiltersSection(db, session, parsed.form, true)}
<section aria-labelledby="calls-heading">
  <h2 id="calls-heading">Calls</h2>
  ${noPlayback}${count}
  ${page.calls.length ? callTable(db, page.calls) : ""}
  ${paging}
</section>`,
    });
  });

  return app;
}
