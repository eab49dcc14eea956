/**
 * nothingHerePlays: from the content type the server announces for a file (its sniffed format,
 * as `GET /api/calls/{id}` gives it), whether the list should offer a download instead of Play.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { announcedContentType, sniffAudioFormat, WAVE_FORMAT } from "../../../src/codecs/audio-format.js";
import { nothingHerePlays } from "../../../src/codecs/playable-type.js";
import { fixture } from "./fixtures.js";

/** The first bytes of a WAV file with this format tag, channels, bits and block size. */
function wavHeader(formatTag: number, { channels = 1, bits = 16, blockAlign = 2, extra = [] as number[] } = {}): Uint8Array {
  const fmtSize = 16 + (extra.length ? 2 + extra.length : 0);
  const bytes = new Uint8Array(12 + 8 + fmtSize + 8);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 1000, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, formatTag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, 8000, true);
  view.setUint32(28, 8000 * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  if (extra.length) {
    view.setUint16(36, extra.length, true);
    extra.forEach((b, i) => (bytes[38 + i] = b));
  }
  ascii(20 + fmtSize, "data");
  return bytes;
}

const magic = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)).concat(new Array(64).fill(0)));

const FILES: Record<string, { bytes: Uint8Array; hint?: { fileName: string } }> = {
  "16-bit PCM WAV": { bytes: wavHeader(WAVE_FORMAT.PCM) },
  "G.711 µ-law WAV": { bytes: wavHeader(WAVE_FORMAT.MULAW, { bits: 8, blockAlign: 1 }) },
  "G.711 A-law WAV": { bytes: wavHeader(WAVE_FORMAT.ALAW, { bits: 8, blockAlign: 1 }) },
  "GSM 6.10 WAV (fixture)": { bytes: fixture("speech-gsm.wav") },
  "G.722 WAV (fixture)": { bytes: fixture("speech-g722.wav") },
  "raw GSM (fixture)": { bytes: fixture("speech.gsm"), hint: { fileName: "speech.gsm" } },
  "Microsoft ADPCM WAV": { bytes: wavHeader(WAVE_FORMAT.MS_ADPCM, { bits: 4, blockAlign: 256, extra: [0xf4, 0x01] }) },
  "IMA ADPCM WAV": { bytes: wavHeader(WAVE_FORMAT.IMA_ADPCM, { bits: 4, blockAlign: 256, extra: [0xf9, 0x01] }) },
  "G.726 WAV": { bytes: wavHeader(WAVE_FORMAT.G726_ADPCM, { bits: 4, blockAlign: 1 }) },
  "AMR-NB": { bytes: magic("#!AMR\n") },
  "AMR-WB": { bytes: magic("#!AMR-WB\n") },
  "Sun audio": { bytes: magic(".snd") },
  FLAC: { bytes: magic("fLaC") },
};

describe("which announced content types nothing here plays", () => {
  for (const [name, { bytes, hint }] of Object.entries(FILES)) {
    const sniffed = sniffAudioFormat(bytes, hint);
    const type = announcedContentType(sniffed);
    const playable = sniffed.browserPlays || sniffed.decoder !== null;
    test(`${name}, announced as ${type}: ${playable ? "played" : "downloaded"}`, () => {
      // No canPlayType: the tables decide every type the server announces.
      assert.equal(nothingHerePlays(type), !playable);
    });
  }

  test("the browsers' own types, and types that say nothing of the format, are tried", () => {
    for (const type of ["audio/mpeg", "audio/ogg; codecs=opus", "audio/webm", "audio/wav", "audio/x-wav; codecs=\"1\"", "audio/wav; codec=0x0007", "AUDIO/GSM", "", "application/octet-stream", undefined, null]) {
      assert.equal(nothingHerePlays(type), false, String(type));
    }
  });

  test("a type outside the tables is asked of the media element", () => {
    assert.equal(nothingHerePlays("audio/x-caf", () => "maybe"), false);
    assert.equal(nothingHerePlays("audio/x-caf", () => ""), true);
    assert.equal(
      nothingHerePlays("audio/x-caf", () => {
        throw new Error("no media element");
      }),
      true,
    );
  });
});
