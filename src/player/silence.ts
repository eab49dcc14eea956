/**
 * A recording's peaks (BBC audiowaveform's JSON, version 2) checked, and the silences in them:
 * where skip silence jumps over. Pure: the page's player and the extension's background share it.
 */

/** Peaks as audiowaveform writes them: min/max pairs per pixel, channels interleaved per pixel. */
export interface Peaks {
  channels: number;
  sampleRate: number;
  samplesPerPixel: number;
  bits: 8 | 16;
  /** Pixels. */
  length: number;
  data: readonly number[];
}

/** A silent stretch of a recording, in seconds into it. */
export interface SilentSpan {
  start: number;
  end: number;
}

/** Silences longer than this are skipped. */
export const MIN_SILENCE_SECONDS = 2;
/** Skipping lands this long before a silence ends, so the next words are not cut. */
export const SILENCE_LEAD_IN_SECONDS = 0.3;
/** A pixel is silent below this share of the recording's level (its loud pixels, see `findSilences`). */
export const SILENCE_RELATIVE_LEVEL = 0.1;

/** An engine that skips silence itself (the extension's background, for every page): the player leaves it to it. */
export interface SilenceSkippingEngine {
  readonly skipSilence: boolean;
  setSkipSilence(on: boolean): void;
}

export function skipsSilenceItself(engine: object | null | undefined): engine is SilenceSkippingEngine {
  return typeof (engine as Partial<SilenceSkippingEngine> | null | undefined)?.setSkipSilence === "function";
}

export class PeaksError extends Error {
  override name = "PeaksError";
}

/** The pixels accepted at most (two hours at 20 pixels a second, two channels, with room). */
const MAX_VALUES = 4_000_000;

/** Checks an answer of a peaks URL; throws a PeaksError saying what is wrong and where (`where`: the URL). */
export function checkPeaks(json: unknown, where = "peaks"): Peaks {
  const fail = (problem: string): never => {
    throw new PeaksError(`${where}: ${problem}`);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) return fail("expected a JSON object");
  const o = json as Record<string, unknown>;
  const whole = (key: string, min: number, max: number): number => {
    const v = o[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) return fail(`"${key}" must be a whole number from ${min} to ${max}`);
    return v;
  };
  if (o.version !== 2) fail(`"version" must be 2 (audiowaveform's JSON), got ${JSON.stringify(o.version)}`.slice(0, 200));
  const channels = whole("channels", 1, 8);
  const sampleRate = whole("sample_rate", 1, 1_000_000);
  const samplesPerPixel = whole("samples_per_pixel", 1, 100_000_000);
  const bits = whole("bits", 8, 16);
  if (bits !== 8 && bits !== 16) fail(`"bits" must be 8 or 16`);
  const length = whole("length", 0, MAX_VALUES);
  const data = o.data;
  if (!Array.isArray(data)) return fail(`"data" must be an array`);
  if (data.length !== length * channels * 2) fail(`"data" has ${data.length} values, but ${length} pixels of ${channels} channel(s) need ${length * channels * 2}`);
  const limit = bits === 8 ? 128 : 32768;
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < -limit || v >= limit) fail(`"data"[${i}] must be a whole number from ${-limit} to ${limit - 1}`);
  }
  return { channels, sampleRate, samplesPerPixel, bits: bits as 8 | 16, length, data: data as number[] };
}

/** Seconds one pixel of the peaks covers. */
export function secondsPerPixel(peaks: Peaks): number {
  return peaks.samplesPerPixel / peaks.sampleRate;
}

/** Each pixel's loudness, 0..1: the largest magnitude of any channel. */
export function pixelLevels(peaks: Peaks): Float32Array {
  const full = peaks.bits === 8 ? 128 : 32768;
  const levels = new Float32Array(peaks.length);
  const stride = peaks.channels * 2;
  for (let x = 0; x < peaks.length; x++) {
    let level = 0;
    for (let i = x * stride; i < (x + 1) * stride; i++) level = Math.max(level, Math.abs(peaks.data[i]!));
    levels[x] = Math.min(1, level / full);
  }
  return levels;
}

/**
 * The silences longer than `minSeconds`: runs of pixels no louder than `relative` of the
 * recording's level, which is the loudness its loudest tenth of pixels reaches (speech, not a
 * click). A recording with no level at all (all silent) has nothing to skip to, so no silences.
 */
export function findSilences(peaks: Peaks, options: { minSeconds?: number; relative?: number } = {}): SilentSpan[] {
  const { minSeconds = MIN_SILENCE_SECONDS, relative = SILENCE_RELATIVE_LEVEL } = options;
  const levels = pixelLevels(peaks);
  if (levels.length === 0) return [];
  const sorted = Float32Array.from(levels).sort();
  const reference = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!;
  // Below two steps of 8 bits nothing is heard: a recording that never gets there is all silence.
  const floor = 2 / 128;
  if (reference <= floor) return [];
  const threshold = Math.max(floor, reference * relative);
  const pixel = secondsPerPixel(peaks);
  const spans: SilentSpan[] = [];
  let runStart = -1;
  for (let x = 0; x <= levels.length; x++) {
    const quiet = x < levels.length && levels[x]! <= threshold;
    if (quiet && runStart < 0) runStart = x;
    else if (!quiet && runStart >= 0) {
      const start = runStart * pixel;
      const end = x * pixel;
      if (end - start > minSeconds) spans.push({ start, end });
      runStart = -1;
    }
  }
  return spans;
}

/**
 * Where skip silence goes from `position`: just before the end of the silence it is in (keeping
 * `leadIn` of it), or null when it is in none, or already within that lead-in.
 */
export function silenceSkipTarget(spans: readonly SilentSpan[], position: number, leadIn = SILENCE_LEAD_IN_SECONDS): number | null {
  for (const span of spans) {
    if (position < span.start) return null;
    const target = span.end - leadIn;
    if (position < target - 0.05) return target;
  }
  return null;
}
