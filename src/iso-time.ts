/**
 * ISO 8601 times with a zone, read alike everywhere: `2026-11-20T09:14:03Z`, with an offset
 * (`+01:00`) or a fraction. Date.parse alone reads a time without a zone in the local zone and
 * rolls 30 February over into March; this refuses both. Pure: no DOM, no Node.
 */

// Date and time, optional fraction, then Z or an offset: a local time without one is ambiguous.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch, or undefined unless `s` is a real ISO 8601 time with a zone. */
export function parseIsoTime(s: string): number | undefined {
  const m = ISO_TIME.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = m[8] === undefined ? 0 : Number(m[8]);
  const offsetMinutes = m[9] === undefined ? 0 : Number(m[9]);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}
