/**
 * The Calls per Group report (`/reports/calls-per-group`): for each day of the chosen range
 * (by default the last 14 days that hold data), how many calls each group had and how many of
 * them have recordings this user may play. Every count links to the Call List filtered to it.
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { playableCondition } from "../access.js";
import type { AppEnv } from "../auth.js";
import type { Named } from "../calls.js";
import type { Db } from "../db.js";
import type { Viewer } from "../../src/rules/playback-scope.js";
import { callListHref } from "./call-list-filters.js";
import { DAY_MS, dayText, parseDay, timeMs, type Html } from "./format.js";
import { sessionOf } from "./guards.js";
import { notice, renderPage } from "./layout.js";
import { storedTime } from "../times.js";

/** Days shown when no range is chosen. */
export const DEFAULT_DAYS = 14;
/** The longest range one page shows. */
export const MAX_DAYS = 366;
/** Above this many groups, only those with calls in the range get a column. */
const ALL_GROUPS_UP_TO = 40;

interface Count {
  calls: number;
  playable: number;
}

export interface CallsPerGroup {
  days: string[];
  groups: Named[];
  /** Per day, per group id, with "" for every call of the day. */
  counts: Map<string, Map<string, Count>>;
}

/** The day of the latest call, or today when there is none. */
function latestDay(db: Db): number {
  const row = db.prepare("SELECT start FROM calls ORDER BY start DESC LIMIT 1").get() as { start: string } | undefined;
  const ms = row ? timeMs(row.start) : undefined;
  return parseDay(dayText(ms ?? Date.now()))!;
}

/** Counts calls per day and group for days [first, last], as the viewer may play them. */
export function callsPerGroup(db: Db, viewer: Viewer, first: number, last: number): CallsPerGroup {
  const cond = playableCondition(viewer);
  const range = [storedTime(first), storedTime(last + DAY_MS)];
  const playable = `SUM(CASE WHEN c.recording_count > 0 AND ${cond.sql} THEN 1 ELSE 0 END)`;
  const totals = db
    .prepare(`SELECT date(c.start) AS day, '' AS grp, COUNT(*) AS calls, ${playable} AS playable FROM calls c WHERE c.start >= ? AND c.start < ? GROUP BY day`)
    .all(...cond.params, ...range) as { day: string; grp: string; calls: number; playable: number }[];
  const perGroup = db
    .prepare(
      `SELECT date(c.start) AS day, cg.group_id AS grp, COUNT(*) AS calls, ${playable} AS playable
       FROM calls c JOIN call_groups cg ON cg.call_seq = c.seq WHERE c.start >= ? AND c.start < ? GROUP BY day, grp`,
    )
    .all(...cond.params, ...range) as { day: string; grp: string; calls: number; playable: number }[];

  const days: string[] = [];
  for (let d = first; d <= last; d += DAY_MS) days.push(dayText(d));
  const counts = new Map(days.map((d) => [d, new Map<string, Count>()]));
  for (const r of [...totals, ...perGroup]) counts.get(r.day)?.set(r.grp, { calls: r.calls, playable: r.playable });

  const all = db.prepare("SELECT id, name FROM groups ORDER BY name COLLATE NOCASE, id").all() as Named[];
  const used = new Set(perGroup.map((r) => r.grp));
  const groups = all.length <= ALL_GROUPS_UP_TO ? all : all.filter((g) => used.has(g.id));
  return { days, groups, counts };
}

function rangeForm(from: string, to: string): Html {
  return html`<form class="filters" method="get" action="/reports/calls-per-group" aria-label="Date range">
  <div class="field"><label for="f-from">From</label><input id="f-from" name="from" type="date" value="${from}"></div>
  <div class="field"><label for="f-to">To (inclusive)</label><input id="f-to" name="to" type="date" value="${to}"></div>
  <div class="field"><button type="submit">Run report</button></div>
</form>`;
}

const NONE = { from: "", to: "", direction: "", group: "", hasRecording: false };

function cell(day: string, group: string, count: Count | undefined): Html {
  const n = count ?? { calls: 0, playable: 0 };
  const link = n.calls > 0 ? html`<a href="${callListHref({ ...NONE, from: day, to: day, group })}">${n.calls}</a>` : html`0`;
  const recorded = n.playable > 0 ? html` <span class="has-recording">(${n.playable} with recordings)</span>` : "";
  return html`<td class="num" data-day="${day}" data-group="${group}" data-calls="${n.calls}" data-playable="${n.playable}">${link}${recorded}</td>`;
}

function table(report: CallsPerGroup): Html {
  const sum = (group: string): Count =>
    report.days.reduce((acc, d) => {
      const c = report.counts.get(d)?.get(group);
      return { calls: acc.calls + (c?.calls ?? 0), playable: acc.playable + (c?.playable ?? 0) };
    }, { calls: 0, playable: 0 });
  const totalCell = (group: string) => {
    const n = sum(group);
    return html`<td class="num" data-group="${group}" data-calls="${n.calls}" data-playable="${n.playable}">${n.calls}${n.playable ? html` <span class="has-recording">(${n.playable} with recordings)</span>` : ""}</td>`;
  };
  return html`<div class="table-wrap"><table class="calls-per-group">
  <caption>Calls per day (UTC) and group. A call tagged with several groups counts in each. In brackets: calls with recordings you may play.</caption>
  <thead><tr><th scope="col">Day</th><th scope="col" class="num">All calls</th>${report.groups.map((g) => html`<th scope="col" class="num" data-group="${g.id}"><bdi>${g.name}</bdi></th>`)}</tr></thead>
  <tbody>${report.days.map(
    (day) => html`<tr data-day="${day}"><th scope="row">${day}</th>${cell(day, "", report.counts.get(day)?.get(""))}${report.groups.map((g) => cell(day, g.id, report.counts.get(day)?.get(g.id)))}</tr>`,
  )}</tbody>
  <tfoot><tr><th scope="row">Total</th>${totalCell("")}${report.groups.map((g) => totalCell(g.id))}</tr></tfoot>
</table></div>`;
}

function page(c: Context<AppEnv>, db: Db) {
  const account = sessionOf(c).account;
  const fromText = (c.req.query("from") ?? "").trim().slice(0, 100);
  const toText = (c.req.query("to") ?? "").trim().slice(0, 100);
  const problems: string[] = [];
  const from = fromText ? parseDay(fromText) : undefined;
  const to = toText ? parseDay(toText) : undefined;
  if (fromText && from === undefined) problems.push(`From: “${fromText.slice(0, 40)}” is not a date; use the form 2026-11-20.`);
  if (toText && to === undefined) problems.push(`To: “${toText.slice(0, 40)}” is not a date; use the form 2026-11-20.`);
  let last = to ?? (from !== undefined ? from + (DEFAULT_DAYS - 1) * DAY_MS : latestDay(db));
  let first = from ?? last - (DEFAULT_DAYS - 1) * DAY_MS;
  if (!problems.length && first > last) problems.push("From is after To: choose a From date on or before the To date.");
  if (!problems.length && (last - first) / DAY_MS + 1 > MAX_DAYS) problems.push(`The range is ${(last - first) / DAY_MS + 1} days long; choose at most ${MAX_DAYS} days.`);
  if (problems.length) {
    return renderPage(c, db, {
      title: "Calls per Group",
      status: 400,
      main: html`${notice("error", html`This range cannot be used: ${problems.join(" ")}`)}${rangeForm(fromText, toText)}`,
    });
  }
  first = Math.min(first, last);
  last = Math.max(first, last);
  const report = callsPerGroup(db, account, first, last);
  return renderPage(c, db, {
    title: "Calls per Group",
    lead: report.days.length === 1 ? `${dayText(first)} (UTC), 1 day.` : `${dayText(first)} to ${dayText(last)} (UTC), ${report.days.length} days.`,
    main: html`${rangeForm(dayText(first), dayText(last))}${table(report)}`,
  });
}

export function callsPerGroupRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/reports/calls-per-group", (c) => page(c, db));
  return app;
}
