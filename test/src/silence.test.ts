/**
 * Issue 16, skip silence: the silences found in a recording's peaks (audiowaveform JSON v2) and
 * where skipping lands, as the player and the extension's background use them.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import WaveformData from "waveform-data";
import { checkPeaks, findSilences, PeaksError, silenceSkipTarget, type Peaks } from "../../src/player/silence.js";

/** Peaks at 10 pixels a second from per-second levels (0..127), one or two channels. */
function peaksOf(secondsLevels: number[][], channels = 1): Peaks {
  const data: number[] = [];
  const length = secondsLevels.length * 10;
  for (let x = 0; x < length; x++) {
    for (let c = 0; c < channels; c++) {
      const level = secondsLevels[Math.floor(x / 10)]![c] ?? 0;
      data.push(-level, level);
    }
  }
  return { channels, sampleRate: 8000, samplesPerPixel: 800, bits: 8, length, data };
}

const json = (p: Peaks) => ({ version: 2, channels: p.channels, sample_rate: p.sampleRate, samples_per_pixel: p.samplesPerPixel, bits: p.bits, length: p.length, data: [...p.data] });

describe("silences in peaks", () => {
  test("a pause over 2 s between speech is found; one under 2 s is not", () => {
    // 0-3 s speech, 3-4.5 s quiet (1.5 s), 4.5-8 s speech, 8-12 s quiet (4 s), 12-15 s speech.
    const levels = [100, 90, 110, 0, 3, 3, 90, 100, 0, 1, 2, 0, 100, 95, 105].map((l) => [l]);
    // Seconds 4 and 5 straddle: second 4 is half quiet at this resolution, keep it simple.
    levels[4] = [2];
    levels[5] = [80];
    const spans = findSilences(peaksOf(levels));
    assert.deepEqual(spans, [{ start: 8, end: 12 }]);
  });

  test("the threshold follows the recording's level: quiet speech is not silence, its pauses are", () => {
    // A quiet line (speech at 12 of 128) with a 3 s pause at 2 of 128 background.
    const levels = [12, 11, 12, 2, 2, 2, 12, 12, 11].map((l) => [l]);
    assert.deepEqual(findSilences(peaksOf(levels)), [{ start: 3, end: 6 }]);
    // The same background level in a loud recording is silence too; speech at 12 in it is not.
    const loud = [110, 100, 12, 12, 12, 110, 2, 2, 2, 100].map((l) => [l]);
    assert.deepEqual(findSilences(peaksOf(loud)), [{ start: 6, end: 9 }]);
  });

  test("either channel speaking is not silence; both quiet is", () => {
    // Agent speaks 0-3, caller 3-6, neither 6-9, agent 9-10.
    const levels = [[100, 0], [100, 0], [100, 0], [0, 90], [0, 90], [0, 90], [0, 0], [1, 0], [0, 1], [100, 0]];
    assert.deepEqual(findSilences(peaksOf(levels, 2)), [{ start: 6, end: 9 }]);
  });

  test("a recording that is silent throughout, or empty, has nothing to skip", () => {
    assert.deepEqual(findSilences(peaksOf([[0], [1], [0], [0], [1]])), []);
    assert.deepEqual(findSilences(peaksOf([])), []);
  });

  test("a trailing silence runs to the recording's end", () => {
    assert.deepEqual(findSilences(peaksOf([[100], [100], [0], [0], [0]])), [{ start: 2, end: 5 }]);
  });
});

describe("where skipping lands", () => {
  const spans = [
    { start: 8, end: 12 },
    { start: 20, end: 30 },
  ];
  test("entering a silence goes to 0.3 s before its end; outside or within the lead-in stays", () => {
    assert.equal(silenceSkipTarget(spans, 7.9), null);
    assert.equal(silenceSkipTarget(spans, 8.1), 11.7);
    assert.equal(silenceSkipTarget(spans, 11.8), null);
    assert.equal(silenceSkipTarget(spans, 15), null);
    assert.equal(silenceSkipTarget(spans, 25), 29.7);
    assert.equal(silenceSkipTarget(spans, 31), null);
  });
});

describe("peaks as the server sends them", () => {
  test("audiowaveform's JSON is taken, and waveform-data reads the same", () => {
    const p = peaksOf([[100], [0], [0], [0], [50]], 1);
    const checked = checkPeaks(json(p));
    assert.deepEqual(checked, p);
    const waveform = WaveformData.create(json(p));
    assert.equal(waveform.length, checked.length);
    assert.equal(waveform.channel(0).max_sample(0), 100);
  });

  test("a malformed answer is refused saying what is wrong and where", () => {
    const where = "the peaks of recording r1 (http://x/api/recordings/r1/peaks)";
    const bad = (change: Record<string, unknown>, message: RegExp) =>
      assert.throws(() => checkPeaks({ ...json(peaksOf([[1]])), ...change }, where), (e: unknown) => e instanceof PeaksError && e.message.startsWith(where) && message.test(e.message));
    bad({ version: 1 }, /"version" must be 2/);
    bad({ channels: 0 }, /"channels" must be a whole number from 1 to 8/);
    bad({ bits: 12 }, /"bits" must be 8 or 16/);
    bad({ length: 11 }, /"data" has 20 values, but 11 pixels of 1 channel\(s\) need 22/);
    bad({ data: [...Array(19).fill(0), "<img>"] }, /"data"\[19\] must be a whole number/);
    bad({ data: Array(20).fill(200) }, /"data"\[0\] must be a whole number from -128 to 127/);
    assert.throws(() => checkPeaks("<html>", where), /expected a JSON object/);
  });
});
