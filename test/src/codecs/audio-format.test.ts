import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { frameLayoutOf, sniffAudioFormat, type SniffedAudio } from "../../../src/codecs/audio-format.js";
import { byteOffsetForTime, durationOf, seekPlan, timeForByteOffset, type FrameLayout } from "../../../src/codecs/frame-layout.js";

const hex = (h: string) => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));
const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const le = (n: number, bytes: number) => Uint8Array.from({ length: bytes }, (_, i) => (n >>> (8 * i)) & 0xff);
const chunk = (id: string, payload: Uint8Array) => concat(text(id), le(payload.length, 4), payload, payload.length & 1 ? new Uint8Array(1) : new Uint8Array(0));

function wav(fmt: { tag: number; channels?: number; rate?: number; blockAlign?: number; bits?: number; extra?: Uint8Array }, before: Uint8Array[] = [], dataBytes = 8) {
  const { tag, channels = 1, rate = 8000, blockAlign = 2, bits = 16, extra } = fmt;
  const fmtPayload = concat(le(tag, 2), le(channels, 2), le(rate, 4), le(rate * blockAlign, 4), le(blockAlign, 2), le(bits, 2), extra ? concat(le(extra.length, 2), extra) : new Uint8Array(0));
  const body = concat(text("WAVE"), chunk("fmt ", fmtPayload), ...before, chunk("data", new Uint8Array(dataBytes)));
  return concat(text("RIFF"), le(body.length, 4), body);
}

// First bytes of files written by Debian 12's ffmpeg 5.1 and sox 14.4 (see scripts/make-codec-fixtures.sh for the tools).
const FFMPEG = {
  g722: "52494646a0d5000057415645666d7420120000008f020100803e0000803e0000010004000000666163740400000098aa01004c4953541a000000494e464f495346540e0000004c61766635392e32372e31303000646174614cd50000fafafafa",
  soxGsm: "52494646a02b000057415645666d74201400000031000100401f000059060000410000000200400166616374040000004cd50000646174616c2b0000a63a21e6",
  float32Extensible: "524946469a55030057415645666d742028000000feff0100401f0000007d00000400200016002000040000000300000000001000800000aa00389b7166616374040000004cd500004c4953541a000000494e464f495346540e0000004c61766635392e32372e313030006461746130550300000000000000",
  mulaw: "52494646a0d5000057415645666d74201200000007000100401f0000401f000001000800000066616374040000004cd500004c4953541a000000494e464f495346540e0000004c61766635392e32372e31303000646174614cd50000ffffffff",
  pcm24Stereo: "524946462600050057415645666d742028000000feff0200401f000080bb00000600180016001800030000000100000000001000800000aa00389b714c4953541a000000494e464f495346540e0000004c61766635392e3237",
  mp3: "49443304000000000023545353450000000f0000034c61766635392e32372e3130300000000000000000000000ffe338c0000000000000000000496e666f0000",
  mp2: "fff5e8c4ffffffff",
  opus: "4f67675300020000000000000000a7b7019c00000000e2d4c04d01134f7075734865616401013801401f00000000004f67675300000000000000000000a7b701",
  vorbis: "4f67675300020000000000000000a90ca8410000000051f78e46011e01766f72626973000000000144ac0000000000008038010000000000b8014f6767530000",
  flac: "664c6143000000220240024000008e00019c01f400f000000960899c737f1c6354c0f15d1d50cc1b06c80400002e0d0000004c61766635392e32372e31303001",
  m4a: "0000001c667479704d344120000002004d34412069736f6d69736f3200000008667265650000078b6d646174de02004c61766335392e33372e313030000250a8",
  webm: "1a45dfa39f4286810142f7810142f2810442f381084282847765626d4287810442858102185380670100000000000d04114d9b74ba4dbb8b53ab841549a96653",
  au: "2e736e6400000020000009600000000100001f40000000010000000000000000d1a1928c89898c919fd623140c09090b101d47a6958d8a898b909cbd29160d0a",
};

function summary(s: SniffedAudio) {
  return [s.kind, s.name, s.contentType, s.browserPlays, s.decoder];
}

describe("sniffAudioFormat: WAV", () => {
  test("G.722 as ffmpeg writes it (tag 0x028F, block align 1, a LIST chunk before the data)", () => {
    const s = sniffAudioFormat(hex(FFMPEG.g722));
    assert.deepEqual(summary(s), ["wav", "G.722 in WAV", "audio/wav", false, "g722"]);
    assert.ok(s.kind === "wav");
    assert.deepEqual(s.format, { formatTag: 0x028f, codec: "g722", channels: 1, sampleRate: 16000, byteRate: 16000, blockAlign: 1, bitsPerSample: 4, samplesPerBlock: null });
    assert.equal(s.dataOffset, 92);
    assert.equal(s.dataLength, 0xd54c);
    assert.equal(s.factSamples, 0x1aa98);
    assert.deepEqual(frameLayoutOf(s), { dataOffset: 92, dataLength: 0xd54c, blockBytes: 1, blockSamples: 2, sampleRate: 16000 });
  });

  test("G.722 under Microsoft's registered tag 0x0065 is G.722 too", () => {
    const s = sniffAudioFormat(wav({ tag: 0x0065, rate: 16000, blockAlign: 1, bits: 4 }));
    assert.deepEqual(summary(s), ["wav", "G.722 in WAV", "audio/wav", false, "g722"]);
  });

  test("GSM 6.10 as sox writes it: WAV49 framing, 65 bytes per 320 samples", () => {
    const s = sniffAudioFormat(hex(FFMPEG.soxGsm));
    assert.deepEqual(summary(s), ["wav", "GSM 6.10 in WAV", "audio/wav", false, "gsm610-wav49"]);
    assert.ok(s.kind === "wav" && s.format);
    assert.equal(s.format.blockAlign, 65);
    assert.equal(s.format.samplesPerBlock, 320);
    assert.equal(s.dataOffset, 60);
    assert.equal(s.factSamples, 0xd54c, "the exact length; the last block is padded");
    assert.deepEqual(frameLayoutOf(s), { dataOffset: 60, dataLength: 0x2b6c, blockBytes: 65, blockSamples: 320, sampleRate: 8000 });
  });

  test("GSM in WAV with another block size is named but has no decoder", () => {
    const s = sniffAudioFormat(wav({ tag: 0x31, blockAlign: 33, bits: 0 }));
    assert.deepEqual(summary(s), ["wav", "GSM 6.10 in WAV", "audio/wav", false, null]);
    assert.equal(frameLayoutOf(s), null);
  });

  test("PCM, float, A-law and µ-law, plain and WAVE_FORMAT_EXTENSIBLE", () => {
    assert.deepEqual(summary(sniffAudioFormat(wav({ tag: 1 }))), ["wav", "16-bit PCM in WAV", "audio/wav", true, null]);
    assert.deepEqual(summary(sniffAudioFormat(wav({ tag: 6, blockAlign: 1, bits: 8 }))), ["wav", "G.711 A-law in WAV", "audio/wav", true, null]);
    const mu = sniffAudioFormat(hex(FFMPEG.mulaw));
    assert.deepEqual(summary(mu), ["wav", "G.711 µ-law in WAV", "audio/wav", true, null]);
    assert.deepEqual(frameLayoutOf(mu), { dataOffset: 92, dataLength: 0xd54c, blockBytes: 1, blockSamples: 1, sampleRate: 8000 });
    const f32 = sniffAudioFormat(hex(FFMPEG.float32Extensible));
    assert.deepEqual(summary(f32), ["wav", "32-bit float in WAV", "audio/wav", true, null]);
    assert.ok(f32.kind === "wav" && f32.format);
    assert.equal(f32.format.formatTag, 3);
    assert.equal(f32.dataOffset, 114);
    const s24 = sniffAudioFormat(hex(FFMPEG.pcm24Stereo));
    assert.deepEqual(summary(s24), ["wav", "24-bit PCM in WAV", "audio/wav", true, null]);
    assert.ok(s24.kind === "wav" && s24.format);
    assert.equal(s24.format.channels, 2);
    assert.equal(s24.format.blockAlign, 6);
    assert.equal(s24.dataOffset, null, "the data chunk is beyond the bytes given");
    assert.equal(frameLayoutOf(s24), null);
  });

  test("other WAV codecs are named, not played", () => {
    assert.deepEqual(summary(sniffAudioFormat(wav({ tag: 0x11 }))), ["wav", "IMA ADPCM in WAV", "audio/wav", false, null]);
    assert.deepEqual(summary(sniffAudioFormat(wav({ tag: 0x1234 }))), ["wav", "WAV with format 0x1234", "audio/wav", false, null]);
  });

  test("the data chunk is found past odd-sized chunks (padded to even) and a large bext", () => {
    const s = sniffAudioFormat(wav({ tag: 1 }, [chunk("bext", new Uint8Array(602)), chunk("junk", new Uint8Array(3))]));
    assert.ok(s.kind === "wav");
    assert.equal(s.dataOffset, 12 + 24 + 610 + 12 + 8);
    assert.equal(s.dataLength, 8);
    assert.equal(s.factSamples, null);
  });

  test("a WAV cut short: 12 bytes say WAV; the fmt chunk cut off gives no format", () => {
    const full = wav({ tag: 7, blockAlign: 1, bits: 8 });
    assert.deepEqual(summary(sniffAudioFormat(full.subarray(0, 12))), ["wav", "WAV", "audio/wav", false, null]);
    const cut = sniffAudioFormat(full.subarray(0, 30));
    assert.ok(cut.kind === "wav");
    assert.equal(cut.format, null);
    assert.equal(cut.dataOffset, null);
    assert.equal(frameLayoutOf(cut), null);
  });

  test("a malformed fmt (too short) or a chunk size running past the end never throws", () => {
    const bad = concat(text("RIFF"), le(100, 4), text("WAVE"), chunk("fmt ", new Uint8Array(4)), text("LIST"), le(0xffffffff, 4));
    const s = sniffAudioFormat(bad);
    assert.ok(s.kind === "wav");
    assert.equal(s.format, null);
  });
});

describe("sniffAudioFormat: other containers", () => {
  const cases: [string, Uint8Array, unknown[]][] = [
    ["MP3 behind an ID3v2 tag", hex(FFMPEG.mp3), ["mp3", "MP3", "audio/mpeg", true, null]],
    ["MP3 frame sync, no tag", hex("fffb9064000000000000"), ["mp3", "MP3", "audio/mpeg", true, null]],
    ["MPEG layer II", hex(FFMPEG.mp2), ["mp3", "MPEG audio layer II", "audio/mpeg", true, null]],
    ["ADTS AAC", hex("fff15080021ffc210049"), ["aac", "AAC", "audio/aac", true, null]],
    ["Ogg Opus", hex(FFMPEG.opus), ["ogg", "Ogg Opus", "audio/ogg", true, null]],
    ["Ogg Vorbis", hex(FFMPEG.vorbis), ["ogg", "Ogg Vorbis", "audio/ogg", true, null]],
    ["Ogg, the first packet not visible", hex(FFMPEG.opus).subarray(0, 20), ["ogg", "Ogg", "audio/ogg", true, null]],
    ["FLAC", hex(FFMPEG.flac), ["flac", "FLAC", "audio/flac", true, null]],
    ["M4A", hex(FFMPEG.m4a), ["mp4", "MP4 audio", "audio/mp4", true, null]],
    ["WebM", hex(FFMPEG.webm), ["webm", "WebM", "audio/webm", true, null]],
    ["Sun .au", hex(FFMPEG.au), ["au", "Sun/NeXT audio", "audio/basic", false, null]],
    ["AMR-NB", concat(text("#!AMR\n"), hex("3c48f5")), ["amr-nb", "AMR-NB", "audio/amr", false, null]],
    ["AMR-WB", concat(text("#!AMR-WB\n"), hex("2c48f5")), ["amr-wb", "AMR-WB", "audio/amr-wb", false, null]],
    ["HTML", text("<!DOCTYPE html><html>"), ["unknown", "an unknown format", "application/octet-stream", false, null]],
    ["JSON", text('{"error":"forbidden"}'), ["unknown", "an unknown format", "application/octet-stream", false, null]],
    ["nothing", new Uint8Array(0), ["unknown", "an unknown format", "application/octet-stream", false, null]],
    ["a bad MPEG header (bit rate index 15)", hex("fffbf064000000000000"), ["unknown", "an unknown format", "application/octet-stream", false, null]],
  ];
  for (const [what, bytes, expected] of cases) {
    test(what, () => assert.deepEqual(summary(sniffAudioFormat(bytes)), expected));
  }

  test("the ID3 tag's layer is read when the frame after it is visible", () => {
    const s = sniffAudioFormat(hex(FFMPEG.mp3));
    assert.ok(s.kind === "mp3");
    assert.equal(s.layer, 3);
    const tagOnly = sniffAudioFormat(hex(FFMPEG.mp3).subarray(0, 20));
    assert.ok(tagOnly.kind === "mp3");
    assert.equal(tagOnly.layer, null);
  });

  test("FLAC behind an ID3 tag is FLAC", () => {
    assert.equal(sniffAudioFormat(concat(hex("49443304000000000002"), new Uint8Array(2), text("fLaC"))).kind, "flac");
  });
});

describe("sniffAudioFormat: never throws", () => {
  test("random bytes behind every magic it knows, cut at every length", () => {
    let seed = 1;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const prefixes = ["", "RIFF\x10\x00\x00\x00WAVE", "RIFF\xff\xff\xff\xffWAVEfmt ", "OggS", "ID3", "\xff\xfb", "\xff\xf1", "fLaC", "#!AMR", "#!AMR-WB\n", ".snd"];
    for (const prefix of prefixes) {
      for (let round = 0; round < 200; round++) {
        const bytes = concat(text(prefix), Uint8Array.from({ length: next() }, next));
        for (const length of [bytes.length, Math.floor(bytes.length / 2), 11, 3]) {
          const s = sniffAudioFormat(bytes.subarray(0, length), { fileName: "x.gsm" });
          assert.ok(s.contentType && s.name);
          if (s.kind === "wav" && s.dataOffset !== null) assert.ok(s.dataOffset <= length);
          const layout = frameLayoutOf(s);
          if (layout) assert.ok(layout.blockBytes > 0 && layout.sampleRate > 0);
        }
      }
    }
  });
});

describe("sniffAudioFormat: raw GSM needs a hint", () => {
  const frames = new Uint8Array(33 * 3).map((_, i) => (i % 33 === 0 ? 0xd4 : (i * 37) & 0xff));

  test("with the file name or content type saying GSM, 33-byte frames that each start with 0xD are GSM", () => {
    for (const hint of [{ fileName: "call.GSM" }, { contentType: "audio/gsm" }, { contentType: "audio/x-gsm; rate=8000" }]) {
      const s = sniffAudioFormat(frames, hint);
      assert.deepEqual(summary(s), ["gsm", "GSM 6.10", "audio/gsm", false, "gsm610-raw"]);
      assert.deepEqual(frameLayoutOf(s), { dataOffset: 0, dataLength: null, blockBytes: 33, blockSamples: 160, sampleRate: 8000 });
    }
  });

  test("without a hint, or with a frame that does not start with 0xD, it is unknown", () => {
    assert.equal(sniffAudioFormat(frames).kind, "unknown");
    const broken = frames.slice();
    broken[66] = 0x14;
    assert.equal(sniffAudioFormat(broken, { fileName: "a.gsm" }).kind, "unknown");
    assert.equal(sniffAudioFormat(new Uint8Array(0), { fileName: "a.gsm" }).kind, "unknown");
  });

  test("a hint never overrides a header", () => {
    assert.equal(sniffAudioFormat(wav({ tag: 1 }), { fileName: "a.gsm" }).kind, "wav");
  });
});

describe("frame layout: time and byte offsets", () => {
  const wav49: FrameLayout = { dataOffset: 60, dataLength: 65 * 100, blockBytes: 65, blockSamples: 320, sampleRate: 8000 };
  const raw: FrameLayout = { dataOffset: 0, dataLength: null, blockBytes: 33, blockSamples: 160, sampleRate: 8000 };
  const g722: FrameLayout = { dataOffset: 102, dataLength: 16000, blockBytes: 1, blockSamples: 2, sampleRate: 16000 };

  test("a time maps to the start of the block holding it", () => {
    assert.equal(byteOffsetForTime(wav49, 0), 60);
    assert.equal(byteOffsetForTime(wav49, 0.039), 60);
    assert.equal(byteOffsetForTime(wav49, 0.04), 60 + 65);
    assert.equal(byteOffsetForTime(wav49, 1), 60 + 25 * 65);
    assert.equal(byteOffsetForTime(raw, 1), 50 * 33);
    assert.equal(byteOffsetForTime(raw, 3600), 3600 * 50 * 33);
    assert.equal(byteOffsetForTime(g722, 0.5), 102 + 4000);
    assert.equal(byteOffsetForTime(g722, 0.5 + 1 / 16000), 102 + 4000, "the odd sample is in the same byte");
  });

  test("clamped to the data: before it, NaN, and past its end", () => {
    assert.equal(byteOffsetForTime(wav49, -5), 60);
    assert.equal(byteOffsetForTime(wav49, NaN), 60);
    assert.equal(byteOffsetForTime(wav49, 99), 60 + 100 * 65);
    assert.equal(byteOffsetForTime(raw, 99, 33 * 10 + 7), 33 * 10, "the file size bounds an unknown length, to whole frames");
  });

  test("a byte offset maps back to its block's start time", () => {
    assert.equal(timeForByteOffset(wav49, 0), 0);
    assert.equal(timeForByteOffset(wav49, 60 + 65 * 25 + 64), 1);
    assert.equal(timeForByteOffset(raw, 33 * 50), 1);
    assert.equal(timeForByteOffset(g722, 102 + 4000), 0.5);
    for (const t of [0, 0.04, 1.2, 2]) assert.equal(timeForByteOffset(wav49, byteOffsetForTime(wav49, t)), t);
  });

  test("duration counts whole blocks", () => {
    assert.equal(durationOf(wav49), 4);
    assert.equal(durationOf(raw, 33 * 50 + 32), 1);
    assert.ok(Number.isNaN(durationOf(raw)));
    assert.equal(durationOf(g722), 2);
  });

  test("a seek plan: read from a block start up to the pre-roll earlier, drop samples up to the target", () => {
    assert.deepEqual(seekPlan(wav49, 1.01), { byteOffset: 60 + 25 * 65, startTime: 1, discardSamples: 80 });
    assert.deepEqual(seekPlan(wav49, 1.01, 0.5), { byteOffset: 60 + 12 * 65, startTime: 0.48, discardSamples: 8080 - 3840 });
    assert.deepEqual(seekPlan(wav49, 0.3, 1), { byteOffset: 60, startTime: 0, discardSamples: 2400 }, "the pre-roll stops at the start");
    assert.deepEqual(seekPlan(wav49, 99, 1), { byteOffset: 60 + 100 * 65, startTime: 4, discardSamples: 0 }, "past the end: nothing to play");
    assert.deepEqual(seekPlan(g722, 0.25, 0.1), { byteOffset: 102 + 1200, startTime: 0.15, discardSamples: 1600 });
    assert.deepEqual(seekPlan(raw, NaN), { byteOffset: 0, startTime: 0, discardSamples: 0 });
  });

  test("a nonsense layout is refused, not looped on", () => {
    assert.throws(() => byteOffsetForTime({ ...raw, blockBytes: 0 }, 1), RangeError);
  });
});
