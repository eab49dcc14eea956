/**
 * Issue 16, peaks: how fine they are for recordings of every length, that chunks of any size
 * give the same peaks, and G.711 decoding checked code by code against the Recommendation.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import WaveformData from "waveform-data";
import { PEAKS_MAX_PAIRS, PeaksBuilder, samplesPerPixelFor } from "../../src/peaks/compute.js";
import { alawToLinear, mulawToLinear, peaksDecodingOf } from "../../src/peaks/decode.js";
import { sniffAudioFormat } from "../../src/codecs/audio-format.js";

describe("how fine peaks are", () => {
  test("20 pixels a second while they fit; long recordings fewer, never over the cap, silences over 2 s still several pixels", () => {
    assert.equal(samplesPerPixelFor(8000 * 6, 8000, 1), 400);
    assert.equal(samplesPerPixelFor(16000 * 6, 16000, 1), 800);
    for (const [hours, channels] of [[0.25, 1], [1, 1], [2, 1], [2, 2], [4, 1]] as const) {
      const frames = hours * 3600 * 8000;
      const perPixel = samplesPerPixelFor(frames, 8000, channels);
      const pixels = Math.ceil(frames / perPixel);
      assert.ok(pixels * channels <= PEAKS_MAX_PAIRS, `${hours} h × ${channels}: ${pixels} pixels`);
      const secondsPerPixel = perPixel / 8000;
      if (hours <= 2) assert.ok(2 / secondsPerPixel >= 2, `${hours} h × ${channels}: a 2 s silence spans ${2 / secondsPerPixel} pixels`);
    }
    // A two-hour mono recording: 16384 pixels of 0.44 s.
    assert.equal(samplesPerPixelFor(2 * 3600 * 8000, 8000, 1), 3516);
  });
});

describe("building peaks", () => {
  test("any chunking, even mid-frame, gives the same peaks, which waveform-data reads", () => {
    const frames = 8000 * 3 + 123;
    const samples = new Int16Array(frames * 2);
    for (let f = 0; f < frames; f++) {
      samples[2 * f] = Math.round(20000 * Math.sin(f / 7) * (f < 8000 ? 1 : 0));
      samples[2 * f + 1] = Math.round(9000 * Math.cos(f / 5) * (f >= 8000 && f < 16000 ? 1 : 0));
    }
    const whole = new PeaksBuilder(2, 8000, 400);
    whole.push(samples);
    const expected = whole.finish();
    for (const size of [1, 3, 401, 4096]) {
      const builder = new PeaksBuilder(2, 8000, 400);
      for (let at = 0; at < samples.length; at += size) builder.push(samples.subarray(at, at + size));
      assert.deepEqual(builder.finish(), expected, `chunks of ${size}`);
    }
    assert.equal(expected.length, Math.ceil(frames / 400));
    const waveform = WaveformData.create(expected);
    // Left speaks the first second, right the second, then both are silent.
    assert.ok(waveform.channel(0).max_sample(0) > 70 && waveform.channel(1).max_sample(0) === 0);
    assert.ok(waveform.channel(0).max_sample(25) === 0 && waveform.channel(1).max_sample(25) > 30);
    assert.ok(waveform.channel(0).max_sample(50) === 0 && waveform.channel(1).max_sample(50) === 0 && waveform.channel(1).min_sample(50) === 0);
  });

  test("samples past the recording's length (a compressed block's padding) are left out", () => {
    const builder = new PeaksBuilder(1, 8000, 10, 15);
    builder.push(new Int16Array(20).fill(1000));
    builder.push(new Int16Array(20).fill(30000));
    const peaks = builder.finish();
    assert.equal(peaks.length, 2);
    assert.deepEqual(peaks.data, [3, 3, 3, 3]);
  });
});

describe("G.711, code by code", () => {
  test("µ-law and A-law decode to the Recommendation's values", () => {
    for (let code = 0; code < 256; code++) {
      const u = ~code & 0xff;
      const mu = (((2 * (u & 0x0f) + 33) << ((u >> 4) & 7)) - 33) * 4;
      assert.equal(mulawToLinear(code), (u & 0x80 ? -mu : mu) + 0, `µ-law ${code}`);
      const a = code ^ 0x55;
      const e = (a >> 4) & 7;
      const magnitude = (e === 0 ? 2 * (a & 0x0f) + 1 : (2 * (a & 0x0f) + 33) << (e - 1)) * 8;
      assert.equal(alawToLinear(code), a & 0x80 ? magnitude : -magnitude, `A-law ${code}`);
    }
    assert.equal(mulawToLinear(0xff), 0);
    assert.equal(mulawToLinear(0x00), -32124);
    assert.equal(alawToLinear(0xd5), 8);
  });

  test("formats only a browser decodes have no decoding here", () => {
    const mp3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
    assert.equal(peaksDecodingOf(sniffAudioFormat(mp3), 10), null);
    const ogg = new TextEncoder().encode("OggS\0\x02\0\0\0\0\0\0\0\0");
    assert.equal(peaksDecodingOf(sniffAudioFormat(ogg), 14), null);
  });
});
