/**
 * Generated call audio, in the formats telephony recorders store: 8 kHz mono WAV, G.711 mu-law
 * or 16-bit linear PCM. A recording's audio is a pure function of its database row (seed,
 * format, length): any byte range is computed directly, so an hour costs no disk, starts at once
 * and seeks anywhere, and the bytes never change for a row (which makes the ETag honest).
 */

export type AudioFormat = "mulaw" | "pcm16";

export const SAMPLE_RATE = 8000;

/** What a recording's audio is made of. Stored with the recording. */
export interface AudioSpec {
  format: AudioFormat;
  /** Whole samples; the duration is samples / 8000 s. */
  samples: number;
  /** Chooses the voice and the words. */
  seed: number;
  /** 0-based segment number, heard as the pitch of the ten-second pip. */
  voice: number;
}

/** Bumped if the synthesis ever changes, so ETags of changed bytes change too. */
export const GENERATOR_VERSION = 2;

const bytesPerSample = (format: AudioFormat): number => (format === "mulaw" ? 1 : 2);

/** The length of the WAV header for a format (mu-law needs a `fact` chunk). */
export function headerLength(format: AudioFormat): number {
  return format === "mulaw" ? 58 : 44;
}

/** The size in bytes of the whole WAV file. */
export function wavSize(spec: AudioSpec): number {
  return headerLength(spec.format) + spec.samples * bytesPerSample(spec.format);
}

export function contentType(_format: AudioFormat): string {
  return "audio/wav";
}

/** Builds the RIFF/WAVE header. */
export function wavHeader(spec: AudioSpec): Buffer {
  const { format, samples } = spec;
  const bps = bytesPerSample(format);
  const dataBytes = samples * bps;
  const h = Buffer.alloc(headerLength(format));
  let o = 0;
  const str = (s: string) => {
    h.write(s, o, "ascii");
    o += s.length;
  };
  const u32 = (n: number) => {
    h.writeUInt32LE(n, o);
    o += 4;
  };
  const u16 = (n: number) => {
    h.writeUInt16LE(n, o);
    o += 2;
  };
  str("RIFF");
  u32(h.length - 8 + dataBytes);
  str("WAVE");
  str("fmt ");
  if (format === "mulaw") {
    u32(18);
    u16(7); // WAVE_FORMAT_MULAW
    u16(1);
    u32(SAMPLE_RATE);
    u32(SAMPLE_RATE);
    u16(1);
    u16(8);
    u16(0);
    str("fact");
    u32(4);
    u32(samples);
  } else {
    u32(16);
    u16(1); // WAVE_FORMAT_PCM
    u16(1);
    u32(SAMPLE_RATE);
    u32(SAMPLE_RATE * 2);
    u16(2);
    u16(16);
  }
  str("data");
  u32(dataBytes);
  return h;
}

/** A fast, well-mixed 32-bit hash of two integers (for per-syllable choices). */
function hash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

const SYLLABLE = 1600; // 200 ms
const PIP_EVERY = SAMPLE_RATE * 10;
const PIP_LENGTH = 480; // 60 ms
const TWO_PI = 2 * Math.PI;
const VOICE_PITCH = [118, 196, 152, 241, 134, 222];
const PIP_PITCH = [660, 880, 1046, 1318, 784, 990];

const PHRASE = 12 * SYLLABLE; // 2.4 s

/**
 * Whether phrase `p` is a long pause (all silence): about one phrase in six, never the first
 * (playing starts with a voice), and now and then two in a row.
 */
function isLongPause(seed: number, p: number): boolean {
  if (p < 1) return false;
  const h = hash(seed ^ 0x3c3c, p);
  if (h % 6 === 0) return true;
  // The phrase after a pause sometimes goes on with it (a hold of 4.8 s or more).
  return h % 6 === 1 && p >= 2 && hash(seed ^ 0x3c3c, p - 1) % 6 === 0;
}

/**
 * The linear sample (-1..1) at index n of the recording.
 *
 * It sounds like a conversation in rhythm: two parties taking turns of a few phrases each, in
 * syllables with a voice of their own (the recording's voice, and a lower or higher one for the
 * other party, each with a pitch and a timbre from the seed), short pauses between phrases, some
 * long ones (a phrase or two of silence, 2.4 to 4.8 s: someone looks something up, or holds),
 * and a short pip every ten seconds whose pitch names the segment, so a listener can tell
 * segments apart. The pip is left out of long pauses, so they stay silent. A waveform of it shows
 * where people talked, and skipping silences has something to skip.
 */
export function sampleAt(spec: AudioSpec, n: number): number {
  const t = n / SAMPLE_RATE;
  const voice = spec.voice % VOICE_PITCH.length;
  const phrase = Math.floor(n / PHRASE);
  const pause = isLongPause(spec.seed, phrase);
  // The ten-second pip: a short tone whose pitch names the segment (not in a long pause).
  const inPip = n % PIP_EVERY;
  if (n >= SAMPLE_RATE && inPip < PIP_LENGTH && !pause) {
    const env = Math.sin((Math.PI * inPip) / PIP_LENGTH);
    return 0.25 * env * Math.sin(TWO_PI * PIP_PITCH[voice]! * t);
  }
  if (pause) return 0;
  const syllable = Math.floor(n / SYLLABLE);
  const r = hash(spec.seed, syllable);
  // The last third of some phrases is a short pause, and now and then a syllable is.
  const inPhrase = syllable % 12;
  const pr = hash(spec.seed ^ 0x55aa, phrase);
  if ((inPhrase >= 8 && (pr & 3) !== 0) || (r & 7) === 0) return 0;
  // Turns: the recording's own voice and the other party's alternate every one to three phrases.
  const turn = 1 + (spec.seed % 3);
  const other = Math.floor(phrase / turn) % 2 === 1;
  const pitch = other ? VOICE_PITCH[(voice + 3) % VOICE_PITCH.length]! * 0.8 : VOICE_PITCH[voice]!;
  const pos = (n % SYLLABLE) / SYLLABLE;
  const env = Math.sin(Math.PI * pos) ** 2;
  const glide = 1 + (((r >>> 3) & 63) - 32) / 256 + (pos - 0.5) * (((r >>> 9) & 15) - 8) / 64;
  const f0 = pitch * glide * (1 + (spec.seed % 7) / 40);
  // Two vowel-like timbres alternate by syllable.
  const vowel = (r >>> 13) & 1;
  const a2 = vowel ? 0.55 : 0.25;
  const a3 = vowel ? 0.2 : 0.45;
  const phase = TWO_PI * f0 * t;
  return 0.5 * env * (Math.sin(phase) * 0.6 + Math.sin(2 * phase) * a2 + Math.sin(3 * phase) * a3);
}

/** G.711 mu-law encoding of a 16-bit linear sample. */
export function linearToMulaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/**
 * The bytes [start, end] (inclusive) of the recording's WAV file, computed directly.
 * `end` must be below wavSize(spec).
 */
export function wavBytes(spec: AudioSpec, start: number, end: number): Buffer {
  const out = Buffer.alloc(end - start + 1);
  const hl = headerLength(spec.format);
  let o = 0;
  if (start < hl) {
    const header = wavHeader(spec);
    o = header.copy(out, 0, start, Math.min(hl, end + 1));
  }
  const bps = bytesPerSample(spec.format);
  let byte = start + o;
  while (byte <= end) {
    const index = Math.floor((byte - hl) / bps);
    const value = Math.max(-32768, Math.min(32767, Math.round(sampleAt(spec, index) * 32767)));
    if (spec.format === "mulaw") {
      out[o++] = linearToMulaw(value);
      byte++;
    } else {
      const lo = value & 0xff;
      const hi = (value >> 8) & 0xff;
      const within = (byte - hl) % 2;
      if (within === 0) {
        out[o++] = lo;
        byte++;
        if (byte <= end) {
          out[o++] = hi;
          byte++;
        }
      } else {
        out[o++] = hi;
        byte++;
      }
    }
  }
  return out;
}

/**
 * Streams bytes [start, end] in chunks, so a long range never sits in memory whole and a
 * client that goes away stops the work.
 *
 * Each chunk is made in a turn of the event loop of its own. A client that reads as fast as the
 * bytes come (a browser on the same machine, with room in the socket) has every write finish at
 * once, and the next chunk was then asked for, and computed, in the same turn: an hour-long
 * recording's first few megabytes kept the server from every other request and timer for 10 to
 * 17 s on a busy machine.
 */
export function wavStream(spec: AudioSpec, start: number, end: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let next = start;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next > end) {
        controller.close();
        return;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      // The client went away meanwhile: nothing more is made.
      if (cancelled) return;
      const last = Math.min(end, next + chunk - 1);
      controller.enqueue(new Uint8Array(wavBytes(spec, next, last)));
      next = last + 1;
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 2 });
}

/** Seconds to whole samples. */
export function samplesFor(seconds: number): number {
  return Math.max(1, Math.round(seconds * SAMPLE_RATE));
}
