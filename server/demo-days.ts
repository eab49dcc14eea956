/**
 * Places the demo's calls relative to the day the server starts: every time in a dataset moved
 * by whole days so that its last day (the UTC day of its latest call start) is today, each time
 * keeping its time of day, fraction and offset as written. Pure: no I/O, no clock.
 */
import type { Call, Dataset, Segment } from "../src/rules/domain.js";

const DAY_MS = 86_400_000;
const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})(T.*)$/;

/** The UTC day of an instant, `2026-11-27`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `time` (an ISO 8601 time with a zone, as the dataset validation accepts) `days` later (or
 * earlier when negative): only the date is rewritten, so the time of day, milliseconds and
 * offset stay as written and the instant moves by exactly `days` × 24 hours.
 */
export function shiftTime(time: string, days: number): string {
  const m = DATE_PART.exec(time);
  if (!m) throw new RangeError(`not an ISO 8601 time: ${JSON.stringify(time.slice(0, 40))}`);
  const [, year, month, day, rest] = m as unknown as [string, string, string, string, string];
  const moved = new Date(0);
  moved.setUTCFullYear(Number(year), Number(month) - 1, Number(day) + days); // Date.UTC would read years 0-99 as 1900-1999
  if (moved.getUTCFullYear() < 0 || moved.getUTCFullYear() > 9999) throw new RangeError(`moving ${time} by ${days} days leaves the years 0000-9999`);
  return `${moved.toISOString().slice(0, 10)}${rest}`;
}

/** The UTC day of the dataset's latest call start, or undefined when it has no calls. */
export function lastCallDay(dataset: Pick<Dataset, "calls">): string | undefined {
  let latest = -Infinity;
  for (const call of dataset.calls) latest = Math.max(latest, Date.parse(call.start));
  return Number.isFinite(latest) ? utcDay(latest) : undefined;
}

/** Whole days from one `YYYY-MM-DD` day to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * A copy of the dataset with every time moved by `days`: each call's `start` and each segment's
 * `start` and `end` (the only times the dataset format has). Nothing else changes; the input is
 * left as it was.
 */
export function shiftDataset(dataset: Dataset, days: number): Dataset {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  const segment = (s: Segment): Segment => ({ ...s, start: shiftTime(s.start, days), end: shiftTime(s.end, days) });
  const call = (c: Call): Call => ({ ...c, start: shiftTime(c.start, days), segments: c.segments.map(segment) });
  return { ...dataset, calls: dataset.calls.map(call) };
}

/** What {@link endToday} did: the moved dataset, by how many days, and its first and last days after the move. */
export interface EndedToday {
  dataset: Dataset;
  days: number;
  firstDay: string | undefined;
  lastDay: string | undefined;
}

/** The dataset moved so that its last day is the UTC day of `nowMs`; unchanged when it has no calls. */
export function endToday(dataset: Dataset, nowMs: number): EndedToday {
  const last = lastCallDay(dataset);
  if (last === undefined) return { dataset, days: 0, firstDay: undefined, lastDay: undefined };
  const days = daysBetween(last, utcDay(nowMs));
  const moved = shiftDataset(dataset, days);
  let first = Infinity;
  for (const c of moved.calls) first = Math.min(first, Date.parse(c.start));
  return { dataset: moved, days, firstDay: utcDay(first), lastDay: lastCallDay(moved) };
}
