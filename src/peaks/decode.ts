/**
 * Decoding a recording's bytes to 16-bit samples for its peaks, as the player hears them: PCM,
 * float and G.711 WAV as browsers decode them, GSM 6.10 and G.722 through our decoders. Formats
 * that need a browser's decoder (MP3, Ogg, …) have none here: null.
 */
import type { SniffedAudio } from "../codecs/audio-format.js";
import { G722Decoder, G722_SAMPLE_RATE } from "../codecs/g722.js";
import { Gsm610Decoder, GSM_BLOCK } from "../codecs/gsm610.js";

/** How to turn a recording's bytes into samples: the data's bytes, what they hold, and a decoder. */
export interface PeaksDecoding {
  /** First and last+1 byte of the audio data in the file. */
  dataStart: number;
  dataEnd: number;
  channels: number;
  sampleRate: number;
  /** Samples per channel the data holds (a compressed block's padding excluded). */
  frames: number;
  /** Decodes the next bytes of the data into interleaved samples; a partial block waits for the next call. */
  decode(bytes: Uint8Array): Int16Array;
}

/** G.711 µ-law to 16-bit linear (ITU-T G.711, as Sun's g711.c and browsers' decoders). */
export function mulawToLinear(code: number): number {
  const u = ~code & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** G.711 A-law to 16-bit linear (ITU-T G.711, as Sun's g711.c and browsers' decoders). */
export function alawToLinear(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else if (segment === 1) t += 0x108;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

const MULAW = Int16Array.from({ length: 256 }, (_, i) => mulawToLinear(i));
const ALAW = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i));

/** A decoder of fixed-size blocks that keeps a trailing partial block for the next call. */
function blockDecoder(blockBytes: number, decodeWhole: (bytes: Uint8Array) => Int16Array): (bytes: Uint8Array) => Int16Array {
  let pending = new Uint8Array(0);
  return (bytes) => {
    let input = bytes;
    if (pending.length) {
      input = new Uint8Array(pending.length + bytes.length);
      input.set(pending);
      input.set(bytes, pending.length);
    }
    const whole = input.length - (input.length % blockBytes);
    pending = input.slice(whole);
    return decodeWhole(input.subarray(0, whole));
  };
}

function linearDecoder(bits: number, float: boolean): ((bytes: Uint8Array) => Int16Array) | null {
  const width = bits / 8;
  const convert = (bytes: Uint8Array): Int16Array => {
    const n = bytes.length / width;
    const out = new Int16Array(n);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++) {
      const at = i * width;
      if (float) {
        const f = view.getFloat32(at, true);
        out[i] = Number.isNaN(f) ? 0 : Math.max(-32768, Math.min(32767, Math.round(f * 32768)));
      } else if (width === 1) out[i] = (bytes[at]! - 128) << 8;
      else if (width === 2) out[i] = view.getInt16(at, true);
      else if (width === 3) out[i] = view.getInt16(at + 1, true);
      else out[i] = view.getInt32(at, true) >> 16;
    }
    return out;
  };
  if (float ? bits !== 32 : ![8, 16, 24, 32].includes(bits)) return null;
  return blockDecoder(width, convert);
}

/**
 * How to decode a sniffed recording of `size` bytes for its peaks, or null for formats decoded
 * only by a browser (MP3, Ogg, AAC, …) or by nobody (AMR, IMA ADPCM, …).
 */
export function peaksDecodingOf(sniffed: SniffedAudio, size: number): PeaksDecoding | null {
  if (sniffed.kind === "gsm") {
    const { bytes, samples } = GSM_BLOCK.raw;
    const decoder = new Gsm610Decoder("raw");
    return { dataStart: 0, dataEnd: size, channels: 1, sampleRate: 8000, frames: Math.floor(size / bytes) * samples, decode: (b) => decoder.decode(b) };
  }
  if (sniffed.kind !== "wav" || !sniffed.format || sniffed.dataOffset === null) return null;
  const { format, dataOffset } = sniffed;
  const declared = sniffed.dataLength && sniffed.dataLength !== 0xffffffff ? sniffed.dataLength : Infinity;
  const dataEnd = Math.min(size, dataOffset + declared);
  const dataBytes = Math.max(0, dataEnd - dataOffset);
  const base = { dataStart: dataOffset, dataEnd };
  switch (format.codec) {
    case "gsm610": {
      if (sniffed.decoder !== "gsm610-wav49") return null;
      const { bytes, samples } = GSM_BLOCK.wav49;
      const blocks = Math.floor(dataBytes / bytes) * samples;
      const decoder = new Gsm610Decoder("wav49");
      return { ...base, channels: 1, sampleRate: 8000, frames: sniffed.factSamples ? Math.min(blocks, sniffed.factSamples) : blocks, decode: (b) => decoder.decode(b) };
    }
    case "g722": {
      if (sniffed.decoder !== "g722") return null;
      const decoder = new G722Decoder();
      return { ...base, channels: 1, sampleRate: G722_SAMPLE_RATE, frames: dataBytes * 2, decode: (b) => decoder.decode(b) };
    }
    case "mulaw":
    case "alaw": {
      if (format.bitsPerSample !== 8 || format.channels < 1 || format.blockAlign !== format.channels) return null;
      const table = format.codec === "mulaw" ? MULAW : ALAW;
      const decode = blockDecoder(1, (b) => {
        const out = new Int16Array(b.length);
        for (let i = 0; i < b.length; i++) out[i] = table[b[i]!]!;
        return out;
      });
      return { ...base, channels: format.channels, sampleRate: format.sampleRate, frames: Math.floor(dataBytes / format.blockAlign), decode };
    }
    case "pcm":
    case "float": {
      const decode = linearDecoder(format.bitsPerSample, format.codec === "float");
      if (!decode || format.channels < 1 || format.sampleRate < 1 || format.blockAlign !== (format.channels * format.bitsPerSample) / 8) return null;
      return { ...base, channels: format.channels, sampleRate: format.sampleRate, frames: Math.floor(dataBytes / format.blockAlign), decode };
    }
    default:
      return null;
  }
}
