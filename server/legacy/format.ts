/**
 * How the legacy pages show times, durations and settings: UTC "2026-11-20 09:14:03" inside
 * a `<time datetime>` element, offsets as "+00:02:30", settings as the product page words.
 */
import { html } from "hono/html";
import type { RecordingSetting } from "../../src/rules/domain.js";

/** A fragment of escaped markup, as `html` makes it. */
export type Html = ReturnType<typeof html>;

/** Milliseconds since the epoch, or undefined for text that is not a time. */
export function timeMs(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The instant in UTC ISO form without milliseconds when they are zero: "2026-11-20T09:14:03Z". */
export function isoUtc(iso: string): string {
  const ms = timeMs(iso);
  return ms === undefined ? iso : new Date(ms).toISOString().replace(".000Z", "Z");
}

/** "2026-11-20 09:14:03" (UTC). */
export function utcText(iso: string): string {
  const ms = timeMs(iso);
  return ms === undefined ? iso : new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** A `<time>` element showing the instant in UTC. */
export function timeEl(iso: string): Html {
  return html`<time datetime="${isoUtc(iso)}">${utcText(iso)}</time>`;
}

/** "1:02:05" or "2:30" for a length of time. */
export function durationText(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Seconds between two instants (0 when either is not a time). */
export function secondsBetween(startIso: string, endIso: string): number {
  const a = timeMs(startIso);
  const b = timeMs(endIso);
  return a === undefined || b === undefined ? 0 : Math.max(0, (b - a) / 1000);
}

/** "+0:02:30": an offset from the call's start, always with hours so columns line up. */
export function offsetText(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  return `+${Math.floor(total / 3600)}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}

/** A date as "YYYY-MM-DD" (UTC). */
export function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The product page's words for a setting. */
export const SETTING_LABELS: Record<RecordingSetting, string> = { on: "On", off: "Off", inherit: "Inherit" };

/** "1 call", "2 calls". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Midnight UTC of a "YYYY-MM-DD" date in ms, or undefined for anything else (30 February too). */
export function parseDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? ms : undefined;
}

export const DAY_MS = 86_400_000;

/** Call directions as the reports show them. */
export const DIRECTION_LABELS = { inbound: "Inbound", outbound: "Outbound", internal: "Internal" } as const;

/** Whether text holds a control character (C0 or DEL): line breaks, tabs, NUL. */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
