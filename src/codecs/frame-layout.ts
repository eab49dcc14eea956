/**
 * Positions in audio made of fixed-size blocks: PCM and G.711 WAV (a sample frame a block), GSM
 * 6.10 (33 bytes a 160 samples raw, 65 a 320 in WAV) and G.722 (a byte a two samples). A time
 * maps to a byte by arithmetic alone, so playback starts at a clicked point with one Range
 * request; offsets are always block starts, where a decoder can begin.
 */

export interface FrameLayout {
  /** Byte offset in the file of the first block (the WAV data chunk's payload; 0 for raw files). */
  dataOffset: number;
  /** Bytes of the data, when known (a WAV's declared data size may be 0 or 0xFFFFFFFF when written by a stream; clamp to the file size). */
  dataLength: number | null;
  /** Bytes in one block. */
  blockBytes: number;
  /** Samples (per channel) that one block decodes to. */
  blockSamples: number;
  /** Samples per second (per channel) of the decoded audio. */
  sampleRate: number;
}

function blockCount(layout: FrameLayout, fileBytes?: number): number {
  let length = layout.dataLength ?? Infinity;
  if (fileBytes !== undefined) length = Math.min(length, Math.max(0, fileBytes - layout.dataOffset));
  return Math.floor(length / layout.blockBytes);
}

function checkLayout(layout: FrameLayout): void {
  if (!(layout.blockBytes > 0 && layout.blockSamples > 0 && layout.sampleRate > 0 && layout.dataOffset >= 0)) {
    throw new RangeError("frame layout: block size, block samples and sample rate must be positive");
  }
}

/**
 * The byte offset of the block holding `seconds` (rounded down to its start), clamped to the
 * data: negative or NaN times give the first block, times past the end give the end of the
 * last whole block. `fileBytes`, when given, bounds a data length that is unknown or overstated.
 */
export function byteOffsetForTime(layout: FrameLayout, seconds: number, fileBytes?: number): number {
  checkLayout(layout);
  const blocks = blockCount(layout, fileBytes);
  let block = Math.floor(((Number.isNaN(seconds) ? 0 : seconds) * layout.sampleRate) / layout.blockSamples + 1e-9);
  block = Math.min(Math.max(block, 0), blocks);
  return layout.dataOffset + block * layout.blockBytes;
}

/**
 * The time at which the block holding byte `offset` starts. Offsets before the data give 0;
 * offsets inside a block give that block's start.
 */
export function timeForByteOffset(layout: FrameLayout, offset: number): number {
  checkLayout(layout);
  const block = Math.max(0, Math.floor((offset - layout.dataOffset) / layout.blockBytes));
  return (block * layout.blockSamples) / layout.sampleRate;
}

/** Duration in seconds of the whole blocks in the data (a trailing partial block is not played). */
export function durationOf(layout: FrameLayout, fileBytes?: number): number {
  checkLayout(layout);
  const blocks = blockCount(layout, fileBytes);
  return Number.isFinite(blocks) ? (blocks * layout.blockSamples) / layout.sampleRate : NaN;
}

export interface SeekPlan {
  /** Where to start reading: a block start, up to the pre-roll before the target. */
  byteOffset: number;
  /** The time of the first sample decoded from there. */
  startTime: number;
  /** Samples (per channel) to decode and drop before the target sample. */
  discardSamples: number;
}

/**
 * How to start playing at `seconds` from a Range request: read from `byteOffset`, decode, drop
 * `discardSamples`, and the next sample is the one at `seconds` (rounded down to a sample, and
 * clamped to the data). `prerollSeconds` of audio before the target warm up a decoder started
 * with fresh state, so that what is heard matches a decode from the start of the file (a
 * decoder started mid-file lacks the state the encoder had there: see each codec's notes).
 */
export function seekPlan(layout: FrameLayout, seconds: number, prerollSeconds = 0, fileBytes?: number): SeekPlan {
  const target = Number.isNaN(seconds) ? 0 : seconds;
  const byteOffset = byteOffsetForTime(layout, target - Math.max(0, prerollSeconds), fileBytes);
  const startTime = timeForByteOffset(layout, byteOffset);
  const startSample = Math.round(startTime * layout.sampleRate);
  const endSample = blockCount(layout, fileBytes) * layout.blockSamples;
  const targetSample = Math.min(Math.max(Math.floor(target * layout.sampleRate + 1e-9), 0), endSample);
  return { byteOffset, startTime, discardSamples: Math.max(0, targetSample - startSample) };
}

/** 16-bit samples scaled to [-1, 1) for Web Audio, as both decoders hand them out. */
export function pcmToFloat(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! / 32768;
  return out;
}
