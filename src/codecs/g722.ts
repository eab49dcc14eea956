/**
 * ITU-T G.722 decoder at 64 kbit/s (mode 1): 16 kHz audio as two ADPCM sub-bands recombined by a
 * 24-tap QMF, bit-exact with ffmpeg's adpcm_g722 (whose authors state it passes the ITU vectors,
 * which are not redistributable). Our own because browsers do not decode G.722 (HD voice in VoIP
 * recordings) and no maintained JavaScript decoder exists.
 */

import { pcmToFloat, type FrameLayout } from "./frame-layout.js";

export { byteOffsetForTime, timeForByteOffset, durationOf, seekPlan, type FrameLayout, type SeekPlan } from "./frame-layout.js";

export const G722_SAMPLE_RATE = 16000;
/**
 * Audio to decode and drop before a seek target. A decoder started mid-file (see
 * {@link seekPlan}) begins with the quantizer step at its minimum and the predictors empty: its
 * first 20-100 ms are wrong by about the signal's level, identical to a decode from the start
 * within 0.6 s on the test fixture. Decoding one second early (8 KB more) made the audio from the
 * target identical for every start tried.
 */
export const G722_SEEK_PREROLL_SECONDS = 1;

/** The layout of G.722 data at `dataOffset`: every byte is two samples, 8000 bytes a second. */
export function g722Layout(dataOffset = 0, dataLength: number | null = null): FrameLayout {
  return { dataOffset, dataLength, blockBytes: 1, blockSamples: 2, sampleRate: G722_SAMPLE_RATE };
}

/** Inverse of log2 on the quantizer's log scale (ITU table 14, the "ILB" function's table). */
const INV_LOG2 = [
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025,
  3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
];
/** Step of the low band's log scale factor per 4-bit code (after dropping the 2 finest bits), and of the high band's. */
const LOW_LOG_STEP = [-60, 3042, 1198, 538, 334, 172, 58, -30, 3042, 1198, 538, 334, 172, 58, -30, -60];
const HIGH_LOG_STEP = [798, -214];
/** Dequantizer outputs: the 6-bit low band code for the signal, its 4-bit form for adaptation, and the 2-bit high band. */
const LOW_INV_Q6 = [
  -17, -17, -17, -17, -3101, -2738, -2376, -2088, -1873, -1689, -1535, -1399, -1279, -1170, -1072, -982, -899, -822,
  -750, -682, -618, -558, -501, -447, -396, -347, -300, -254, -211, -170, -130, -91, 3101, 2738, 2376, 2088, 1873, 1689,
  1535, 1399, 1279, 1170, 1072, 982, 899, 822, 750, 682, 618, 558, 501, 447, 396, 347, 300, 254, 211, 170, 130, 91, 54,
  17, -54, -17,
];
const LOW_INV_Q4 = [0, -2557, -1612, -1121, -786, -530, -323, -150, 2557, 1612, 1121, 786, 530, 323, 150, 0];
const HIGH_INV_Q = [-926, -202, 926, 202];
/** QMF coefficients (ITU table 11), the first half of the symmetric 24-tap filter's pattern. */
const QMF = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];

const clip = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const clip16 = (x: number) => clip(x, -32768, 32767);

/** One sub-band's ADPCM state: a pole-zero predictor (2 poles, 6 zeros) and a log-scale quantizer step. */
class Band {
  predictor = 0; // s: the prediction of the next sample
  zeroPart = 0; // sz: the zero section's share of it
  signs = [0, 0]; // signs of the last two partially reconstructed signals (1 = negative)
  prevReconst = 0;
  poles = [0, 0];
  diffs = new Int32Array(6);
  zeros = new Int32Array(6);
  logFactor = 0;
  scale: number;

  constructor(readonly initialScale: number) {
    this.scale = initialScale;
  }

  /** Adapt the predictor to the dequantized difference `d` (ITU blocks 3, the "PARREC", "UPPOL", "UPZERO", "FILTEP/FILTEZ" steps). */
  adapt(d: number): void {
    const negative = this.zeroPart + d < 0 ? 1 : 0;
    // -1 where this sign agrees with the previous one, +1 where it differs; the other way round two back.
    const sg0 = negative !== this.signs[0] ? 1 : -1;
    const sg1 = negative === this.signs[1] ? 1 : -1;
    this.signs[1] = this.signs[0]!;
    this.signs[0] = negative;
    const [a1, a2] = this.poles as [number, number];
    const newA2 = clip(((sg0 * clip(a1, -8191, 8191)) >> 5) + sg1 * 128 + ((a2 * 127) >> 7), -12288, 12288);
    const limit = 15360 - newA2;
    this.poles[1] = newA2;
    this.poles[0] = clip(-192 * sg0 + ((a1 * 255) >> 8), -limit, limit);

    // Zero section: each coefficient leaks towards 0 and steps towards agreeing in sign with its
    // difference; no step when the difference is 0.
    const { diffs, zeros } = this;
    let zeroPart = 0;
    for (let k = 5; k >= 0; k--) {
      const step = d === 0 ? 0 : (diffs[k]! ^ d) < 0 ? -128 : 128;
      zeros[k] = ((zeros[k]! * 255) >> 8) + step;
      diffs[k] = k === 0 ? d * 2 : diffs[k - 1]!;
      zeroPart += (diffs[k]! * zeros[k]!) >> 15;
    }
    this.zeroPart = zeroPart;

    const reconst = clip16((this.predictor + d) * 2);
    this.predictor = clip16(zeroPart + ((this.poles[0]! * reconst) >> 15) + ((this.poles[1]! * this.prevReconst) >> 15));
    this.prevReconst = reconst;
  }

  /** Quantizer adaptation: log factor bounded by `max`, back to a linear step `offset` below it. */
  adaptScale(step: number, max: number, offset: number): void {
    this.logFactor = clip(((this.logFactor * 127) >> 7) + step, 0, max);
    const log = this.logFactor - offset;
    const base = INV_LOG2[(log >> 6) & 31]!;
    const shift = log >> 11;
    this.scale = shift < 0 ? base >> -shift : base << shift;
  }
}

/** The QMF history: 22 past sub-band pairs are needed, kept in a longer buffer that is compacted rarely. */
const HISTORY = 1024;

/**
 * Each byte is one codeword (top 2 bits the 4-8 kHz band, low 6 bits the 0-4 kHz band) and two
 * samples: no framing, so any byte is a place to start and any bytes decode (corrupt data is
 * noise, never an error). WAV block align 1 (ffmpeg's); the 56 and 48 kbit/s modes are not
 * handled. The bands' predictors and the QMF history carry between calls: chunks decode as one.
 */
export class G722Decoder {
  private low = new Band(8);
  private high = new Band(2);
  private history = new Int32Array(HISTORY);
  private pos = 22;

  /** Back to the state of a new decoder (the start of a stream, or after a seek). */
  reset(): void {
    this.low = new Band(8);
    this.high = new Band(2);
    this.history.fill(0);
    this.pos = 22;
  }

  /** Decode the next bytes of the stream: two samples per byte. */
  decode(bytes: Uint8Array): Int16Array {
    const out = new Int16Array(bytes.length * 2);
    const { low, high } = this;
    let history = this.history;
    for (let j = 0; j < bytes.length; j++) {
      const code = bytes[j]!;
      const ihigh = code >> 6;
      const ilow = code & 63;

      const rlow = clip(((low.scale * LOW_INV_Q6[ilow]!) >> 10) + low.predictor, -16384, 16383);
      low.adapt((low.scale * LOW_INV_Q4[ilow >> 2]!) >> 10);
      low.adaptScale(LOW_LOG_STEP[ilow >> 2]!, 18432, 8 << 11);

      const dhigh = (high.scale * HIGH_INV_Q[ihigh]!) >> 10;
      const rhigh = clip(dhigh + high.predictor, -16384, 16383);
      high.adapt(dhigh);
      high.adaptScale(HIGH_LOG_STEP[ihigh & 1]!, 22528, 10 << 11);

      // Receive QMF: the sum and difference of the bands, interleaved, filtered into two output
      // samples; the accumulators are scaled by 2^-11 and clipped to 16 bits, as ffmpeg does.
      if (this.pos >= HISTORY) {
        history.copyWithin(0, this.pos - 22, this.pos);
        this.pos = 22;
      }
      history[this.pos++] = rlow + rhigh;
      history[this.pos++] = rlow - rhigh;
      const base = this.pos - 24;
      let even = 0;
      let odd = 0;
      for (let i = 0; i < 12; i++) {
        odd += history[base + 2 * i]! * QMF[i]!;
        even += history[base + 2 * i + 1]! * QMF[11 - i]!;
      }
      out[2 * j] = clip16(even >> 11);
      out[2 * j + 1] = clip16(odd >> 11);
      history = this.history;
    }
    return out;
  }

  /** As {@link decode}, scaled to [-1, 1) for Web Audio. */
  decodeFloat(bytes: Uint8Array): Float32Array {
    return pcmToFloat(this.decode(bytes));
  }
}

/** Decode a whole G.722 stream (the data of a WAV) in one go. */
export function decodeG722(bytes: Uint8Array): Int16Array {
  return new G722Decoder().decode(bytes);
}
