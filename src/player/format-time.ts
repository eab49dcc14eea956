/**
 * Times as a player shows and speaks them: a clock ("1:05", "1:02:03") for the eye, and words
 * ("1 minute 5 seconds of 3 minutes") for screen readers, which read "1:05" as a ratio or a
 * time of day.
 */

/** Whole seconds, never negative; NaN and infinities are unknown. */
function wholeSeconds(seconds: number): number | null {
  if (!Number.isFinite(seconds)) return null;
  return Math.max(0, Math.floor(seconds + 1e-6));
}

/** "0:00", "1:05", "12:34", "1:02:03"; "--:--" when unknown. */
export function formatClock(seconds: number): string {
  const whole = wholeSeconds(seconds);
  if (whole === null) return "--:--";
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "1 hour 2 minutes 3 seconds", "5 seconds", "3 minutes", "0 seconds"; "unknown time" when unknown. */
export function speakDuration(seconds: number): string {
  const whole = wholeSeconds(seconds);
  if (whole === null) return "unknown time";
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const parts: string[] = [];
  if (h) parts.push(unit(h, "hour"));
  if (m) parts.push(unit(m, "minute"));
  if (s || parts.length === 0) parts.push(unit(s, "second"));
  return parts.join(" ");
}

/** "1 minute 5 seconds of 3 minutes"; just the position when the total is unknown. */
export function speakPosition(current: number, total: number): string {
  const now = speakDuration(current);
  return wholeSeconds(total) === null || total <= 0 ? now : `${now} of ${speakDuration(total)}`;
}
