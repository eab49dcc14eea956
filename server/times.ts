/**
 * How the database stores times, so that SQL can compare and order them as text: every
 * instant in UTC with milliseconds, `2026-11-20T08:14:00.000Z`, always 24 characters. A dataset
 * may give `2026-11-20T09:14:00+01:00` or `2026-11-20T08:14:00.5Z`; the import turns both into
 * this form, and every bound a filter compares with is made the same way. Answers show the
 * shorter `2026-11-20T08:14:00Z` when the milliseconds are zero.
 */

/** The stored form of an instant (an ISO-8601 time with a zone, or milliseconds since the epoch). */
export function storedTime(instant: string | number): string {
  const ms = typeof instant === "number" ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${JSON.stringify(String(instant).slice(0, 40))}`);
  return new Date(ms).toISOString();
}

/** A stored time as answers show it: `…:00Z`, or `…:00.500Z` when it has milliseconds. */
export function shownTime(stored: string): string {
  return stored.endsWith(".000Z") ? `${stored.slice(0, -5)}Z` : stored;
}
