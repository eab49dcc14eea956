/**
 * Compares a screenshot with its committed baseline (test/screens/baselines/…) within a small
 * tolerance, with pixelmatch. On a difference the actual screenshot, the baseline and the diff
 * image are kept under test-results/screens/ (git-ignored), and the failure names that folder.
 *
 * Baselines change only when asked: `npm run test:screens -- --update` (or SCREENS_UPDATE=1)
 * writes every screenshot taken as its new baseline.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";

export const BASELINES = resolve("test/screens/baselines");
export const RESULTS = resolve("test-results/screens");

/** How different two screens may be and still count as the same. */
export interface Tolerance {
  /** pixelmatch's per-pixel colour threshold (0..1): anti-aliasing and rounding stay under it. */
  threshold: number;
  /** How many pixels may differ beyond the threshold (anti-aliased edges are not counted). */
  maxDiffPixels: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { threshold: 0.1, maxDiffPixels: 8 };

export interface Comparison {
  /** Same within tolerance, or written as the new baseline. */
  ok: boolean;
  /** What happened, for the test's message. */
  message: string;
  diffPixels: number;
}

/** Whether baselines are to be (re)written: `--update` through scripts/test-screens.ts, or SCREENS_UPDATE=1. */
export const updating = (): boolean => process.env.SCREENS_UPDATE === "1";

/** A screen: a PNG file's bytes, or the decoded image. */
export type Screen = Buffer | PNG;
const decoded = (screen: Screen): PNG => (Buffer.isBuffer(screen) ? PNG.sync.read(screen) : screen);
const encoded = (screen: Screen): Buffer => (Buffer.isBuffer(screen) ? screen : PNG.sync.write(screen));

/** Compares two images; the diff image has the baseline's size (null when the sizes differ). */
export function comparePngs(actual: Screen, expected: Screen, tolerance: Tolerance = DEFAULT_TOLERANCE): { diffPixels: number; diff: PNG | null; sizeMismatch: string | null } {
  const a = decoded(actual);
  const e = decoded(expected);
  if (a.width !== e.width || a.height !== e.height) {
    return { diffPixels: Math.max(a.width * a.height, e.width * e.height), diff: null, sizeMismatch: `${a.width}×${a.height}, the baseline is ${e.width}×${e.height}` };
  }
  const diff = new PNG({ width: e.width, height: e.height });
  const diffPixels = pixelmatch(a.data, e.data, diff.data, e.width, e.height, { threshold: tolerance.threshold, includeAA: false });
  return { diffPixels, diff, sizeMismatch: null };
}

/**
 * Checks `png` against the baseline `name` (a path under the baselines folder, without `.png`),
 * or writes it as the baseline when updating. A missing baseline fails, naming the command that
 * writes it.
 */
export function matchBaseline(name: string, png: Screen, options: { tolerance?: Tolerance; baselines?: string; results?: string; update?: boolean } = {}): Comparison {
  const baselines = options.baselines ?? BASELINES;
  const results = options.results ?? RESULTS;
  const baseline = join(baselines, `${name}.png`);
  const keep = (files: Record<string, Screen>) => {
    for (const [suffix, data] of Object.entries(files)) {
      const path = join(results, `${name}${suffix}.png`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, encoded(data));
    }
  };
  if (options.update ?? updating()) {
    const same = existsSync(baseline) && comparePngs(png, readFileSync(baseline), options.tolerance).diffPixels <= (options.tolerance ?? DEFAULT_TOLERANCE).maxDiffPixels;
    if (!same) {
      mkdirSync(dirname(baseline), { recursive: true });
      writeFileSync(baseline, encoded(png));
    }
    return { ok: true, message: same ? `${name}: unchanged` : `${name}: baseline written`, diffPixels: 0 };
  }
  const where = relative(process.cwd(), join(results, name));
  if (!existsSync(baseline)) {
    keep({ ".actual": png });
    return { ok: false, message: `${name}: no baseline (${relative(process.cwd(), baseline)}); the screenshot is in ${where}.actual.png. Write baselines with: npm run test:screens -- --update`, diffPixels: Number.NaN };
  }
  const expected = readFileSync(baseline);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const { diffPixels, diff, sizeMismatch } = comparePngs(png, expected, tolerance);
  if (sizeMismatch === null && diffPixels <= tolerance.maxDiffPixels) return { ok: true, message: `${name}: same (${diffPixels} px differ)`, diffPixels };
  keep({ ".actual": png, ".expected": expected, ...(diff ? { ".diff": diff } : {}) });
  const what = sizeMismatch ? `the screen is ${sizeMismatch}` : `${diffPixels} pixels differ (at most ${tolerance.maxDiffPixels} may)`;
  return {
    ok: false,
    message: `${name}: ${what}; see ${where}.${diff ? "diff.png (differences in red), .actual.png" : "actual.png"} and .expected.png. If the change is meant: npm run test:screens -- --update`,
    diffPixels,
  };
}
