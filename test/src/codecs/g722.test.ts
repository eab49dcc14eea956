import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { frameLayoutOf, sniffAudioFormat } from "../../../src/codecs/audio-format.js";
import { G722Decoder, G722_SEEK_PREROLL_SECONDS, byteOffsetForTime, decodeG722, g722Layout, seekPlan, timeForByteOffset } from "../../../src/codecs/g722.js";
import { assertSamplesEqual, chunks, concat, convergedAfter, fixture, pcmFixture, random } from "./fixtures.js";

// Made by scripts/make-codec-fixtures.sh: encoded and decoded by ffmpeg's G.722 codec.
const file = fixture("speech-g722.wav");
const reference = pcmFixture("speech-g722.wav.ffmpeg.s16le");

function data() {
  const sniffed = sniffAudioFormat(file);
  assert.ok(sniffed.kind === "wav" && sniffed.dataOffset !== null && sniffed.dataLength !== null);
  return file.subarray(sniffed.dataOffset, sniffed.dataOffset + sniffed.dataLength);
}

describe("G.722: bit-exact with ffmpeg's adpcm_g722 decoder", () => {
  test("the fixture is G.722 in WAV as ffmpeg writes it: tag 0x028F, 16 kHz mono, block align 1", () => {
    const sniffed = sniffAudioFormat(file);
    assert.equal(sniffed.decoder, "g722");
    assert.ok(sniffed.kind === "wav" && sniffed.format);
    assert.equal(sniffed.format.formatTag, 0x028f);
    assert.equal(sniffed.format.sampleRate, 16000);
    assert.equal(sniffed.format.blockAlign, 1);
    assert.equal(reference.length, data().length * 2);
    assert.ok(reference.some((s) => Math.abs(s) > 10000));
  });

  test("in one go", () => {
    assertSamplesEqual(decodeG722(data()), reference, "g722");
  });

  for (const [maxSize, seed] of [[1, 11], [5, 12], [333, 13], [4096, 14]] as const) {
    test(`in chunks of 1 to ${maxSize} bytes, state carried across calls`, () => {
      const decoder = new G722Decoder();
      assertSamplesEqual(concat(chunks(data(), seed, maxSize).map((c) => decoder.decode(c))), reference, `chunks up to ${maxSize}`);
    });
  }

  test("float output is the 16-bit output over 32768; reset() starts over", () => {
    const decoder = new G722Decoder();
    decoder.decode(data().subarray(0, 999));
    decoder.reset();
    const floats = decoder.decodeFloat(data());
    assert.equal(floats.length, reference.length);
    for (let i = 0; i < floats.length; i++) assert.equal(floats[i], reference[i]! / 32768);
  });
});

describe("G.722: starting mid-file, as after a seek", () => {
  test("one byte is two samples: 8000 bytes a second after the data offset", () => {
    const layout = frameLayoutOf(sniffAudioFormat(file))!;
    assert.deepEqual(layout, g722Layout(58, data().length));
    assert.equal(byteOffsetForTime(layout, 2), 58 + 16000);
    assert.equal(byteOffsetForTime(layout, 2.0001), 58 + 16000);
    assert.equal(timeForByteOffset(layout, 58 + 16001), 2.000125);
    assert.equal(byteOffsetForTime(layout, 60), 58 + data().length, "past the end: the end");
  });

  test("a fresh decoder at any byte converges to the continuous decode within 0.75 s", () => {
    const bytes = data();
    const worst = { samples: 0, at: 0 };
    for (let at = 50; at < bytes.length - 12000; at += 1111) {
      const warmUp = convergedAfter(new G722Decoder().decode(bytes.subarray(at)), reference, at * 2);
      if (warmUp > worst.samples) Object.assign(worst, { samples: warmUp, at });
    }
    assert.ok(worst.samples > 0, "a fresh state differs at first (else this test shows nothing)");
    assert.ok(worst.samples <= 12000, `worst: ${worst.samples} samples from byte ${worst.at}`);
  });
});

describe("G.722: seeking with the recommended pre-roll", () => {
  test("what plays from a sought time is exactly what a decode from the start gives", () => {
    const bytes = data();
    const layout = g722Layout(58, bytes.length);
    for (let t = 1; t < 4.4; t += 0.0371) {
      const plan = seekPlan(layout, t, G722_SEEK_PREROLL_SECONDS);
      const target = Math.floor(t * 16000 + 1e-9);
      assert.equal(Math.round(plan.startTime * 16000) + plan.discardSamples, target);
      const out = new G722Decoder().decode(file.subarray(plan.byteOffset, 58 + bytes.length)).subarray(plan.discardSamples);
      assert.equal(convergedAfter(out, reference, target), 0, `from ${t.toFixed(4)} s`);
      assert.equal(out.length, reference.length - target);
    }
  });
});

describe("G.722: any input", () => {
  test("random bytes decode (every byte is a codeword) without exception, two samples each", () => {
    const next = random(7);
    const noise = Uint8Array.from({ length: 50000 }, () => Math.floor(next() * 256));
    const out = decodeG722(noise);
    assert.equal(out.length, 100000);
    assert.ok(out.every((s) => s >= -32768 && s <= 32767));
  });

  test("nothing in, nothing out", () => {
    assert.equal(decodeG722(new Uint8Array(0)).length, 0);
    assert.equal(new G722Decoder().decodeFloat(new Uint8Array(0)).length, 0);
  });
});
