/**
 * The Call List's filters as they travel in the query string: `from` and `to` (dates, `to`
 * inclusive of its day), `direction`, `group`, `hasRecording=1`, plus the paging `cursor`.
 * Parsed with every problem named, and written back in one canonical order so saved filters
 * and "Next page" links stay stable.
 */
import { CALL_DIRECTIONS, type CallDirection } from "../../src/rules/domain.js";
import type { CallListFilters } from "../calls.js";
import type { Db } from "../db.js";
import { DAY_MS, parseDay } from "./format.js";
import { storedTime } from "../times.js";

/** The filters as typed, for showing the form again. */
export interface FilterForm {
  from: string;
  to: string;
  direction: string;
  group: string;
  hasRecording: boolean;
}

export interface ParsedFilters {
  form: FilterForm;
  /** What to give `listCalls` (without limit and cursor). */
  filters: Omit<CallListFilters, "limit" | "cursor">;
  cursor: string | undefined;
  /** One sentence per problem; the filters are not used when there is any. */
  problems: string[];
}

const clip = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Reads the call list's filters from query parameters, naming every value it cannot use. */
export function parseFilters(db: Db, query: Record<string, string | undefined>): ParsedFilters {
  const problems: string[] = [];
  const text = (name: string) => (query[name] ?? "").trim();
  const form: FilterForm = {
    from: text("from").slice(0, 100),
    to: text("to").slice(0, 100),
    direction: text("direction").slice(0, 100),
    group: text("group").slice(0, 200),
    hasRecording: false,
  };

  const fromMs = form.from ? parseDay(form.from) : undefined;
  if (form.from && fromMs === undefined) problems.push(`From: “${clip(form.from)}” is not a date; use the form 2026-11-20.`);
  const toMs = form.to ? parseDay(form.to) : undefined;
  if (form.to && toMs === undefined) problems.push(`To: “${clip(form.to)}” is not a date; use the form 2026-11-20.`);
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) problems.push("From is after To: choose a From date on or before the To date.");

  let direction: CallDirection | undefined;
  if (form.direction && form.direction !== "any") {
    if (CALL_DIRECTIONS.includes(form.direction as CallDirection)) direction = form.direction as CallDirection;
    else problems.push(`Direction: “${clip(form.direction)}” is not a direction; choose any, inbound, outbound or internal.`);
  }

  const has = text("hasRecording");
  if (["1", "true", "on"].includes(has)) form.hasRecording = true;
  else if (!["", "0", "false"].includes(has)) problems.push(`Only calls with recordings: “${clip(has)}” is not yes or no; use hasRecording=1.`);

  if (form.group && db.prepare("SELECT 1 FROM groups WHERE id = ?").get(form.group) === undefined) {
    problems.push(`Group: there is no group “${clip(form.group)}”.`);
  }

  const cursor = text("cursor") || undefined;
  if (cursor !== undefined && cursor.length > 200) problems.push("Page: this page link is not one this report made; start again from the first page.");

  return {
    form,
    filters: {
      from: fromMs === undefined ? undefined : storedTime(fromMs),
      // `to` includes its whole day: calls before the next midnight.
      to: toMs === undefined ? undefined : storedTime(toMs + DAY_MS),
      direction,
      group: form.group || undefined,
      hasRecording: form.hasRecording,
    },
    cursor,
    problems,
  };
}

/** The filters as a query string in canonical order, without the cursor ("" when none is set). */
export function filterQuery(form: FilterForm): string {
  const q = new URLSearchParams();
  if (form.from) q.set("from", form.from);
  if (form.to) q.set("to", form.to);
  if (form.direction && form.direction !== "any") q.set("direction", form.direction);
  if (form.group) q.set("group", form.group);
  if (form.hasRecording) q.set("hasRecording", "1");
  return q.toString();
}

/** The Call List's address for these filters, with extra parameters (a cursor, a notice). */
export function callListHref(form: FilterForm, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(filterQuery(form));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `/reports/call-list?${s}` : "/reports/call-list";
}

/** Whether any filter is set. */
export function hasFilters(form: FilterForm): boolean {
  return filterQuery(form) !== "";
}
