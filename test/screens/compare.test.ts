/**
 * The screenshot comparison (test/screens/compare.ts) fails on a changed screen and passes on
 * the same one: checked on generated images, without a browser.
 */
import { afterEach, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { comparePngs, DEFAULT_TOLERANCE, matchBaseline } from "./compare.js";

/** A 120×40 image like a player bar: a light background, a dark button, a blue progress line. */
function screen(change?: { x: number; y: number; size: number; rgb: [number, number, number] }, width = 120): Buffer {
  const png = new PNG({ width, height: 40 });
  for (let y = 0; y < 40; y++) {
    for (let x = 0; x < width; x++) {
      let rgb: [number, number, number] = [246, 247, 249];
      if ((x - 20) ** 2 + (y - 20) ** 2 <= 144) rgb = [31, 35, 40];
      else if (y >= 18 && y <= 20 && x >= 40 && x < 110) rgb = [11, 102, 218];
      if (change && x >= change.x && x < change.x + change.size && y >= change.y && y < change.y + change.size) rgb = change.rgb;
      const i = (y * width + x) * 4;
      png.data[i] = rgb[0];
      png.data[i + 1] = rgb[1];
      png.data[i + 2] = rgb[2];
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

describe("comparing a screen with its baseline", () => {
  let dir: string;
  let baselines: string;
  let results: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "screens-compare-"));
    baselines = join(dir, "baselines");
    results = join(dir, "results");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("the same screen passes; a pixel or two off (anti-aliasing) stays within the tolerance", () => {
    matchBaseline("player", screen(), { baselines, results, update: true });
    assert.equal(matchBaseline("player", screen(), { baselines, results, update: false }).ok, true);
    const slight = matchBaseline("player", screen({ x: 60, y: 30, size: 1, rgb: [200, 60, 60] }), { baselines, results, update: false });
    assert.equal(slight.ok, true, slight.message);
    assert.equal(slight.diffPixels, 1);
    assert.equal(existsSync(results), false, "nothing is kept when the screens match");
  });

  test("a small region in another colour fails, and the actual screen, the baseline and the diff image are kept in the results folder it names", () => {
    matchBaseline("bundle/chromium/player", screen(), { baselines, results, update: true });
    // A 4×4 spot: 16 pixels, beyond the 8 that may differ.
    const changed = screen({ x: 70, y: 6, size: 4, rgb: [200, 60, 60] });
    const result = matchBaseline("bundle/chromium/player", changed, { baselines, results, update: false });
    assert.equal(result.ok, false);
    assert.equal(result.diffPixels, 16);
    assert.ok(result.diffPixels > DEFAULT_TOLERANCE.maxDiffPixels);
    assert.match(result.message, /16 pixels differ/);
    assert.ok(result.message.includes("bundle/chromium/player.diff.png"), result.message);
    assert.match(result.message, /npm run test:screens -- --update/);
    for (const suffix of ["actual", "expected", "diff"]) assert.ok(existsSync(join(results, "bundle/chromium", `player.${suffix}.png`)), `player.${suffix}.png kept`);
    const diff = PNG.sync.read(readFileSync(join(results, "bundle/chromium/player.diff.png")));
    const at = (x: number, y: number) => [...diff.data.subarray((y * diff.width + x) * 4, (y * diff.width + x) * 4 + 3)];
    assert.deepEqual(at(71, 7), [255, 0, 0], "the changed spot is red in the diff image");
    // The baseline is unchanged: only an explicit update writes it.
    assert.deepEqual(readFileSync(join(baselines, "bundle/chromium/player.png")), screen());
  });

  test("a one-pixel-high line of a changed colour under the bar fails", () => {
    const before = screen();
    const after = PNG.sync.read(screen());
    for (let x = 40; x < 110; x++) after.data[(30 * after.width + x) * 4 + 2] = 120;
    const { diffPixels } = comparePngs(PNG.sync.write(after), before);
    assert.ok(diffPixels > DEFAULT_TOLERANCE.maxDiffPixels, `${diffPixels} pixels differ`);
  });

  test("a screen of another size fails; a missing baseline fails and names the command that writes it", () => {
    matchBaseline("player", screen(), { baselines, results, update: true });
    const wider = matchBaseline("player", screen(undefined, 121), { baselines, results, update: false });
    assert.equal(wider.ok, false);
    assert.match(wider.message, /121×40, the baseline is 120×40/);
    const missing = matchBaseline("section", screen(), { baselines, results, update: false });
    assert.equal(missing.ok, false);
    assert.match(missing.message, /no baseline .*npm run test:screens -- --update/);
    assert.ok(existsSync(join(results, "section.actual.png")));
  });

  test("updating writes a changed screen as the baseline and leaves a same one untouched", () => {
    matchBaseline("player", screen(), { baselines, results, update: true });
    const changed = screen({ x: 70, y: 6, size: 4, rgb: [200, 60, 60] });
    assert.match(matchBaseline("player", changed, { baselines, results, update: true }).message, /baseline written/);
    assert.deepEqual(readFileSync(join(baselines, "player.png")), changed);
    assert.match(matchBaseline("player", changed, { baselines, results, update: true }).message, /unchanged/);
  });
});
