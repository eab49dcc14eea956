import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { frameLayoutOf, sniffAudioFormat } from "../../../src/codecs/audio-format.js";
import { GSM_SEEK_PREROLL_SECONDS, Gsm610Decoder, byteOffsetForTime, decodeGsm610, gsm610Layout, seekPlan, timeForByteOffset } from "../../../src/codecs/gsm610.js";
import { assertSamplesEqual, chunks, concat, convergedAfter, fixture, pcmFixture, random } from "./fixtures.js";

// Made by scripts/make-codec-fixtures.sh: encoded by libgsm (toast, and sox for WAV49), decoded by libgsm (untoast, sox).
const raw = fixture("speech.gsm");
const rawReference = pcmFixture("speech.gsm.untoast.s16le");
const wavFile = fixture("speech-gsm.wav");
const wavReference = pcmFixture("speech-gsm.wav.sox.s16le");

/** The WAV's data, whole blocks only: sox counts the odd-sized chunk's pad byte in its size (7346 = 113 * 65 + 1). */
function wavData() {
  const sniffed = sniffAudioFormat(wavFile);
  assert.ok(sniffed.kind === "wav" && sniffed.dataOffset !== null && sniffed.dataLength !== null);
  return wavFile.subarray(sniffed.dataOffset, sniffed.dataOffset + sniffed.dataLength - (sniffed.dataLength % 65));
}

describe("GSM 06.10: bit-exact with libgsm", () => {
  test("the fixtures are what the sniffer says they are", () => {
    assert.equal(sniffAudioFormat(raw, { fileName: "speech.gsm" }).decoder, "gsm610-raw");
    const wav = sniffAudioFormat(wavFile);
    assert.equal(wav.decoder, "gsm610-wav49");
    assert.ok(wav.kind === "wav");
    assert.equal(wav.factSamples, rawReference.length, "sox's fact chunk: the input's 36000 samples, the last block padded");
    assert.ok(raw.length % 33 === 0 && rawReference.length === (raw.length / 33) * 160);
    assert.ok(wavData().length % 65 === 0 && wavReference.length === (wavData().length / 65) * 320);
    // A signal, not silence: the comparison below means something.
    assert.ok(rawReference.some((s) => Math.abs(s) > 10000));
  });

  test("raw 33-byte frames, in one go, equal untoast's output", () => {
    assertSamplesEqual(decodeGsm610(raw, "raw"), rawReference, "raw");
  });

  test("WAV49 65-byte blocks, in one go, equal sox's (libgsm) output", () => {
    assertSamplesEqual(decodeGsm610(wavData(), "wav49"), wavReference, "wav49");
  });

  for (const [maxSize, seed] of [[1, 1], [7, 2], [64, 3], [100, 4], [1000, 5]] as const) {
    test(`in chunks of 1 to ${maxSize} bytes, state and partial blocks carried across calls`, () => {
      for (const [framing, data, reference] of [["raw", raw, rawReference], ["wav49", wavData(), wavReference]] as const) {
        const decoder = new Gsm610Decoder(framing);
        const out = concat(chunks(data, seed, maxSize).map((c) => decoder.decode(c)));
        assertSamplesEqual(out, reference, `${framing} in chunks up to ${maxSize}`);
        assert.equal(decoder.pendingBytes, 0);
        assert.equal(decoder.badFrames, 0);
      }
    });
  }

  test("float output is the 16-bit output over 32768", () => {
    const decoder = new Gsm610Decoder("wav49");
    const floats = decoder.decodeFloat(wavData());
    assert.equal(floats.length, wavReference.length);
    for (let i = 0; i < floats.length; i++) assert.equal(floats[i], wavReference[i]! / 32768);
  });

  test("reset() starts over: decoding again gives the same output", () => {
    const decoder = new Gsm610Decoder("raw");
    decoder.decode(raw.subarray(0, 33 * 40 + 5));
    decoder.reset();
    assert.equal(decoder.pendingBytes, 0);
    assertSamplesEqual(decoder.decode(raw), rawReference, "after reset");
  });
});

describe("GSM 06.10: starting mid-file, as after a seek", () => {
  test("the byte offset for a time is a block start; decoding there gives that time's audio after a short warm-up", () => {
    const sniffed = sniffAudioFormat(wavFile);
    const layout = frameLayoutOf(sniffed)!;
    assert.deepEqual(layout, gsm610Layout("wav49", 60, 7346));
    const offset = byteOffsetForTime(layout, 2.5);
    assert.equal(offset, 60 + 62 * 65, "2.5 s is in block 62 (320 samples, 40 ms each)");
    assert.equal(timeForByteOffset(layout, offset), 2.48);
    const out = new Gsm610Decoder("wav49").decode(wavFile.subarray(offset, layout.dataOffset + wavData().length));
    const start = 62 * 320;
    assert.equal(out.length, wavReference.length - start);
    const warmUp = convergedAfter(out, wavReference, start);
    assert.ok(warmUp > 0, "a fresh state differs at first (else this test shows nothing)");
    assert.ok(warmUp <= 8000, `identical to a decode from the start after ${warmUp} samples`);
  });

  test("from every raw frame, a fresh decoder converges to the continuous decode within 1.5 s (median under 0.3 s)", () => {
    const warmUps: number[] = [];
    for (let frame = 1; frame < raw.length / 33; frame++) {
      const out = new Gsm610Decoder("raw").decode(raw.subarray(frame * 33));
      warmUps.push(convergedAfter(out, rawReference, frame * 160));
    }
    warmUps.sort((a, b) => a - b);
    assert.ok(warmUps.at(-1)! <= 12000, `worst ${warmUps.at(-1)} samples`);
    assert.ok(warmUps[warmUps.length >> 1]! <= 2400, `median ${warmUps[warmUps.length >> 1]} samples`);
  });

  test("with the recommended pre-roll, what plays from a sought time is (almost always exactly) what a decode from the start gives", () => {
    const layout = gsm610Layout("raw", 0, raw.length);
    let exact = 0;
    let tried = 0;
    for (let t = 1; t < 4.4; t += 0.0173) {
      const plan = seekPlan(layout, t, GSM_SEEK_PREROLL_SECONDS);
      const target = Math.floor(t * 8000 + 1e-9);
      assert.equal(plan.byteOffset % 33, 0);
      assert.equal(Math.round(plan.startTime * 8000) + plan.discardSamples, target);
      assert.ok(plan.startTime <= t - GSM_SEEK_PREROLL_SECONDS + 1e-9 && plan.startTime > t - GSM_SEEK_PREROLL_SECONDS - 0.02);
      const out = new Gsm610Decoder("raw").decode(raw.subarray(plan.byteOffset)).subarray(plan.discardSamples);
      const expected = rawReference.subarray(target);
      assert.equal(out.length, expected.length);
      let error = 0;
      let signal = 0;
      for (let i = 0; i < 160; i++) {
        error += (out[i]! - expected[i]!) ** 2;
        signal += expected[i]! ** 2;
      }
      assert.ok(error <= signal * 1e-4 + 160, `at ${t.toFixed(3)} s the first 20 ms are off by ${Math.sqrt(error / 160).toFixed(1)} rms`);
      tried++;
      if (convergedAfter(out, rawReference, target) === 0) exact++;
    }
    assert.ok(exact >= tried * 0.95, `identical from the target on for ${exact} of ${tried} seeks`);
  });

  test("raw frames map 33 bytes to 20 ms", () => {
    const layout = gsm610Layout("raw");
    assert.equal(byteOffsetForTime(layout, 1), 50 * 33);
    assert.equal(byteOffsetForTime(layout, 1.019), 50 * 33);
    assert.equal(timeForByteOffset(layout, 51 * 33 + 10), 1.02);
    assert.equal(byteOffsetForTime(layout, 10, raw.length), raw.length, "past the end: the end");
  });
});

describe("GSM 06.10: corrupt and truncated input", () => {
  test("a raw frame without the 0xD nibble is 20 ms of silence and restarts the decoder; the rest still decodes", () => {
    const broken = raw.slice();
    broken[33 * 30] = 0x00;
    const decoder = new Gsm610Decoder("raw");
    const out = decoder.decode(broken);
    assert.equal(out.length, rawReference.length, "timing kept");
    assert.equal(decoder.badFrames, 1);
    assertSamplesEqual(out.subarray(0, 30 * 160), rawReference.subarray(0, 30 * 160), "before the bad frame");
    assert.ok(out.subarray(30 * 160, 31 * 160).every((s) => s === 0), "the bad frame is silent");
    const fresh = new Gsm610Decoder("raw").decode(raw.subarray(31 * 33));
    assertSamplesEqual(out.subarray(31 * 160), fresh, "after it: as a fresh decoder from the next frame");
  });

  test("a file cut mid-frame decodes its whole frames and holds the rest", () => {
    for (const [framing, data, reference, block, samples] of [["raw", raw, rawReference, 33, 160], ["wav49", wavData(), wavReference, 65, 320]] as const) {
      const cut = data.subarray(0, block * 20 + 17);
      const decoder = new Gsm610Decoder(framing);
      const out = decoder.decode(cut);
      assertSamplesEqual(out, reference.subarray(0, 20 * samples), `${framing} cut`);
      assert.equal(decoder.pendingBytes, 17);
    }
  });

  test("random bytes: no exception and no hang; WAV49 decodes them (it has no check bits), raw skips them as bad frames", () => {
    const next = random(42);
    const noise = Uint8Array.from({ length: 65 * 33 * 4 }, () => Math.floor(next() * 256));
    const wav49 = new Gsm610Decoder("wav49").decode(noise);
    assert.equal(wav49.length, (noise.length / 65) * 320);
    assert.ok(wav49.every((s) => s % 8 === 0), "the output keeps libgsm's three cleared low bits");
    const decoder = new Gsm610Decoder("raw");
    const rawOut = decoder.decode(noise);
    assert.equal(rawOut.length, (noise.length / 33) * 160);
    const good = Array.from({ length: noise.length / 33 }, (_, f) => noise[f * 33]! >> 4 === 0xd).filter(Boolean).length;
    assert.equal(decoder.badFrames, noise.length / 33 - good);
  });

  test("nothing in, nothing out; a framing that does not exist is refused", () => {
    assert.equal(decodeGsm610(new Uint8Array(0), "raw").length, 0);
    assert.throws(() => new Gsm610Decoder("ms" as "raw"), TypeError);
  });
});
