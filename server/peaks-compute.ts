/**
 * Computing a recording's peaks from its audio (src/peaks/): generated audio from its samples, a
 * file decoded a piece at a time. Runs in the peaks worker (server/peaks-worker.ts), or in the
 * server's own thread where a worker cannot start.
 */
import { createHash } from "node:crypto";
import { open, stat, type FileHandle } from "node:fs/promises";
import { SNIFF_BYTES, sniffAudioFormat } from "../src/codecs/audio-format.js";
import { PEAKS_ALGORITHM, PeaksBuilder, samplesPerPixelFor, type AudiowaveformJson } from "../src/peaks/compute.js";
import { mulawToLinear, peaksDecodingOf, type PeaksDecoding } from "../src/peaks/decode.js";
import { GENERATOR_VERSION, SAMPLE_RATE, linearToMulaw, sampleAt, type AudioSpec } from "./audio.js";

/** A recording's file, opened. */
interface AudioSource {
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
  close(): Promise<void>;
  /** For sniffing raw GSM, which is known by its name. */
  fileName: string | null;
}

/** The recording has no peaks (its format), or its file is gone: with the status to answer. */
export class PeaksUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 500,
  ) {
    super(message);
    this.name = "PeaksUnavailableError";
  }
}

/** About this many samples (per channel) are decoded between turns given to other requests (a few ms of work). */
const FRAMES_PER_STEP = 8 * 1024;

const digestOf = (text: string) => createHash("sha256").update(`peaks ${PEAKS_ALGORITHM}\n${text}`).digest("base64url");

export const generatedDigest = (spec: AudioSpec) => digestOf(`generated ${GENERATOR_VERSION} ${spec.format} ${spec.samples} ${spec.seed} ${spec.voice}`);

/** Gives other requests a turn. */
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The peaks of generated audio, from its samples as its WAV holds them (µ-law encoded and decoded
 * again for a µ-law recording, exactly what a player decodes from its bytes), without making the
 * bytes: five times faster.
 */
export async function computeGenerated(spec: AudioSpec): Promise<AudiowaveformJson> {
  const builder = new PeaksBuilder(1, SAMPLE_RATE, samplesPerPixelFor(spec.samples, SAMPLE_RATE, 1), spec.samples);
  const chunk = new Int16Array(FRAMES_PER_STEP);
  for (let at = 0; at < spec.samples; at += FRAMES_PER_STEP) {
    const n = Math.min(FRAMES_PER_STEP, spec.samples - at);
    for (let i = 0; i < n; i++) {
      const linear = Math.max(-32768, Math.min(32767, Math.round(sampleAt(spec, at + i) * 32767)));
      chunk[i] = spec.format === "mulaw" ? mulawToLinear(linearToMulaw(linear)) : linear;
    }
    builder.push(chunk.subarray(0, n));
    await yieldTurn();
  }
  return builder.finish();
}

function unreadable(path: string, error: unknown): PeaksUnavailableError {
  const code = (error as { code?: string }).code;
  const missing = code === "ENOENT" || code === "ENOTDIR";
  console.error(`peaks: ${path}: ${code ?? (error as Error).message}`);
  return new PeaksUnavailableError(missing ? "the recording's file is missing on the server" : "the recording's file cannot be read on the server", missing ? 404 : 500);
}

/** A digest of a recording's file as it is now: its path, size, modification time and inode. */
export async function fileDigest(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return digestOf(`file ${path} ${s.size} ${Math.floor(s.mtimeMs)} ${s.ino}`);
  } catch (error) {
    throw unreadable(path, error);
  }
}

async function fileSource(path: string): Promise<AudioSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw unreadable(path, error);
  }
  const { size } = await handle.stat();
  return {
    size,
    fileName: path,
    async read(start, end) {
      const buffer = new Uint8Array(end - start);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    close: () => handle.close().catch(() => undefined),
  };
}


/** The peaks of the recording file at `path`, decoded a piece at a time. */
export async function computeFile(path: string): Promise<AudiowaveformJson> {
  const source = await fileSource(path);
  try {
    return await computeFrom(source);
  } finally {
    await source.close();
  }
}

/** Decodes the whole of a source and builds its peaks, a piece at a time. */
async function computeFrom(source: AudioSource): Promise<AudiowaveformJson> {
  const head = await source.read(0, Math.min(source.size, SNIFF_BYTES));
  const sniffed = sniffAudioFormat(head, { fileName: source.fileName });
  const decoding: PeaksDecoding | null = peaksDecodingOf(sniffed, source.size);
  if (!decoding) throw new PeaksUnavailableError(`this recording is in ${sniffed.name}, which the server does not decode: it has no peaks`, 404);
  const { dataStart, dataEnd, channels, sampleRate, frames } = decoding;
  const builder = new PeaksBuilder(channels, sampleRate, samplesPerPixelFor(frames, sampleRate, channels), frames);
  const bytesPerFrame = frames > 0 ? (dataEnd - dataStart) / frames : 1;
  const step = Math.max(4096, Math.ceil(FRAMES_PER_STEP * bytesPerFrame));
  for (let at = dataStart; at < dataEnd; at += step) {
    const bytes = await source.read(at, Math.min(dataEnd, at + step));
    if (bytes.length === 0) break;
    builder.push(decoding.decode(bytes));
    await yieldTurn();
  }
  return builder.finish();
}
