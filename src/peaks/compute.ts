/**
 * Peaks for drawing a waveform, in BBC audiowaveform's JSON (version 2, 8 bits): the lowest and
 * highest sample of each pixel's span, per channel, from decoded 16-bit samples fed in chunks.
 * Pure: no I/O, runs anywhere.
 */

/** Bumped whenever the peaks computed from the same audio would change, so stored ones are redone. */
export const PEAKS_ALGORITHM = 1;

/** Pixels per second for recordings short enough (20: a pixel is 50 ms). */
export const PEAKS_PIXELS_PER_SECOND = 20;

/**
 * At most this many min/max pairs in all (pixels × channels): longer recordings get fewer pixels a
 * second. A two-hour mono recording gets 16384 pixels (0.44 s each), well under 100 KB gzipped and
 * still four pixels or more for any silence over 2 s; a two-hour two-channel one, 8192 (0.88 s).
 */
export const PEAKS_MAX_PAIRS = 16384;

/** BBC audiowaveform's JSON format, version 2, as `waveform-data`'s `WaveformData.create` reads it. */
export interface AudiowaveformJson {
  version: 2;
  channels: number;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  /** Pixels. */
  length: number;
  /** Per pixel, per channel in order: min, max (so `length * channels * 2` numbers, -128..127). */
  data: number[];
}

/** Samples (per channel) per pixel for `frames` samples per channel of audio at `sampleRate`. */
export function samplesPerPixelFor(frames: number, sampleRate: number, channels: number): number {
  const fine = Math.max(1, Math.round(sampleRate / PEAKS_PIXELS_PER_SECOND));
  const maxPixels = Math.max(1, Math.floor(PEAKS_MAX_PAIRS / Math.max(1, channels)));
  return Math.max(fine, Math.ceil(frames / maxPixels));
}

/** A 16-bit sample as 8 bits, as audiowaveform does (`value >> 8`: -32768..32767 to -128..127). */
export const to8Bits = (sample: number): number => sample >> 8;

/**
 * Builds the peaks of interleaved 16-bit audio fed in any chunks. Samples past `maxFrames` (a
 * compressed block's padding) are ignored. The last pixel may cover fewer samples, as in
 * audiowaveform.
 */
export class PeaksBuilder {
  private readonly min: Int32Array;
  private readonly max: Int32Array;
  private readonly out: number[] = [];
  private inPixel = 0;
  private frames = 0;
  private channel = 0;

  constructor(
    readonly channels: number,
    readonly sampleRate: number,
    readonly samplesPerPixel: number,
    readonly maxFrames = Infinity,
  ) {
    if (!(Number.isInteger(channels) && channels >= 1)) throw new RangeError(`peaks: channels must be a whole number from 1, not ${channels}`);
    if (!(Number.isInteger(samplesPerPixel) && samplesPerPixel >= 1)) throw new RangeError(`peaks: samples per pixel must be a whole number from 1, not ${samplesPerPixel}`);
    this.min = new Int32Array(channels).fill(32767);
    this.max = new Int32Array(channels).fill(-32768);
  }

  /** Frames (samples per channel) taken so far. */
  get framesSeen(): number {
    return this.frames;
  }

  /** Takes the next samples, interleaved by channel (a chunk may end mid-frame). */
  push(samples: Int16Array): void {
    const { channels, min, max, samplesPerPixel } = this;
    let channel = this.channel;
    for (let i = 0; i < samples.length; i++) {
      if (this.frames >= this.maxFrames) return;
      const s = samples[i]!;
      if (s < min[channel]!) min[channel] = s;
      if (s > max[channel]!) max[channel] = s;
      if (++channel === channels) {
        channel = 0;
        this.frames++;
        if (++this.inPixel === samplesPerPixel) this.flush();
      }
    }
    this.channel = channel;
  }

  private flush(): void {
    for (let c = 0; c < this.channels; c++) {
      this.out.push(to8Bits(this.min[c]!), to8Bits(this.max[c]!));
      this.min[c] = 32767;
      this.max[c] = -32768;
    }
    this.inPixel = 0;
  }

  /** The peaks of everything pushed (a partial last pixel included). */
  finish(): AudiowaveformJson {
    if (this.inPixel > 0) this.flush();
    return {
      version: 2,
      channels: this.channels,
      sample_rate: this.sampleRate,
      samples_per_pixel: this.samplesPerPixel,
      bits: 8,
      length: this.out.length / (2 * this.channels),
      data: this.out,
    };
  }
}
