/**
 * A recording's peaks behind a signed URL like its audio's: computed once from its own audio
 * (src/peaks/), kept in SQLite under a digest of what they came from, served compressed.
 */
import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { SNIFF_BYTES, sniffAudioFormat } from "../src/codecs/audio-format.js";
import { PEAKS_ALGORITHM, PeaksBuilder, samplesPerPixelFor, type AudiowaveformJson } from "../src/peaks/compute.js";
import { mulawToLinear, peaksDecodingOf, type PeaksDecoding } from "../src/peaks/decode.js";
import { GENERATOR_VERSION, SAMPLE_RATE, linearToMulaw, sampleAt, type AudioSpec } from "./audio.js";
import type { Db } from "./db.js";
import { handleError } from "./errors.js";
import { signedRecording } from "./recording-audio.js";

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Whether a recording of this (announced) content type has peaks: generated audio and PCM, float
 * and G.711 WAV (`audio/wav`), GSM 6.10 and G.722 in WAV (`codec=31`, `65`, `28f`) and raw GSM.
 * MP3, Ogg and the like would need a browser's decoder (or a dependency) and have none.
 */
export function hasPeaks(contentType: string): boolean {
  const [type, ...params] = contentType.toLowerCase().split(";").map((p) => p.trim());
  if (type === "audio/gsm") return true;
  if (type !== "audio/wav") return false;
  const codec = params.find((p) => p.startsWith("codec="))?.slice("codec=".length);
  return codec === undefined || codec === "31" || codec === "65" || codec === "28f";
}

/** Where a recording's bytes come from, and a digest of it that changes whenever they may. */
interface AudioSource {
  digest: string;
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
  close(): Promise<void>;
  /** For sniffing raw GSM, which is known by its name. */
  fileName: string | null;
}

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

const generatedDigest = (spec: AudioSpec) => digestOf(`generated ${GENERATOR_VERSION} ${spec.format} ${spec.samples} ${spec.seed} ${spec.voice}`);

/** Gives other requests a turn. */
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The peaks of generated audio, from its samples as its WAV holds them (µ-law encoded and decoded
 * again for a µ-law recording, exactly what a player decodes from its bytes), without making the
 * bytes: five times faster.
 */
async function computeGenerated(spec: AudioSpec): Promise<AudiowaveformJson> {
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

async function fileSource(path: string): Promise<AudioSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const missing = code === "ENOENT" || code === "ENOTDIR";
    console.error(`peaks: ${path}: ${code ?? (error as Error).message}`);
    throw new PeaksUnavailableError(missing ? "the recording's file is missing on the server" : "the recording's file cannot be read on the server", missing ? 404 : 500);
  }
  const stat = await handle.stat();
  return {
    digest: digestOf(`file ${path} ${stat.size} ${Math.floor(stat.mtimeMs)} ${stat.ino}`),
    size: stat.size,
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

/** Peaks as stored and served. */
export interface StoredPeaks {
  source: string;
  json: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/**
 * Computes peaks when asked for ones not stored, one recording at a time (a two-hour file takes
 * seconds of CPU, decoded in steps so other requests are answered in between), and stores them.
 * A second request for the same peaks while they are computed waits for the same work.
 */
export class PeaksStore {
  /** How many times peaks were computed (not read from the store): for tests and the bench. */
  computations = 0;
  private readonly running = new Map<string, Promise<StoredPeaks>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Db) {}

  stored(recordingId: string, source: string): StoredPeaks | undefined {
    return this.db.prepare("SELECT source, json, gzip, br FROM recording_peaks WHERE recording_id = ? AND source = ?").get(recordingId, source) as StoredPeaks | undefined;
  }

  /** The peaks of a recording: its generated audio's, or its file's (`file` an absolute path). */
  async peaksOf(recordingId: string, spec: AudioSpec & { file: string | null }): Promise<StoredPeaks> {
    if (spec.file === null) return this.keep(recordingId, generatedDigest(spec), () => computeGenerated(spec));
    const source = await fileSource(spec.file);
    try {
      return await this.keep(recordingId, source.digest, () => computeFrom(source));
    } finally {
      await source.close();
    }
  }

  /** The stored peaks of `digest`, else those `compute` makes, once however many ask meanwhile. */
  private keep(recordingId: string, digest: string, compute: () => Promise<AudiowaveformJson>): Promise<StoredPeaks> {
    const kept = this.stored(recordingId, digest);
    if (kept) return Promise.resolve(kept);
    const key = `${recordingId}\n${digest}`;
    let work = this.running.get(key);
    if (!work) {
      work = this.compute(recordingId, digest, compute).finally(() => this.running.delete(key));
      this.running.set(key, work);
    }
    return work;
  }

  private compute(recordingId: string, digest: string, compute: () => Promise<AudiowaveformJson>): Promise<StoredPeaks> {
    const run = this.queue.then(async () => {
      this.computations++;
      const json = Buffer.from(JSON.stringify(await compute()));
      const [gz, br] = await Promise.all([
        gzipAsync(json, { level: 9 }),
        brotliAsync(json, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: json.length } }),
      ]);
      const peaks: StoredPeaks = { source: digest, json, gzip: gz, br };
      this.db
        .prepare("INSERT INTO recording_peaks (recording_id, source, json, gzip, br) VALUES (?, ?, ?, ?, ?) ON CONFLICT (recording_id) DO UPDATE SET source = excluded.source, json = excluded.json, gzip = excluded.gzip, br = excluded.br")
        .run(recordingId, peaks.source, peaks.json, peaks.gzip, peaks.br);
      return peaks;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The encoding to answer with, from the request's Accept-Encoding: br, else gzip, else none. */
export function pickEncoding(acceptEncoding: string | undefined): "br" | "gzip" | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";").map((p) => p.trim());
    if (!name) continue;
    const q = params.find((p) => p.startsWith("q="));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  return ok("br") ? "br" : ok("gzip") ? "gzip" : null;
}

export interface PeaksRoutesOptions {
  db: Db;
  secret: Buffer;
  store?: PeaksStore;
}

/** GET /api/recordings/:id/peaks?u=&exp=&sig=: the recording's peaks, under the audio's permission. */
export function peaksRoutes({ db, secret, store = new PeaksStore(db) }: PeaksRoutesOptions): Hono {
  const app = new Hono();
  app.onError(handleError);
  app.get("/:id/peaks", async (c) => {
    const id = c.req.param("id");
    const { spec } = signedRecording(c, db, secret, "peaks", id);
    let peaks: StoredPeaks;
    try {
      peaks = await store.peaksOf(id, spec);
    } catch (error) {
      if (error instanceof PeaksUnavailableError) throw new HTTPException(error.status, { message: error.message });
      throw error;
    }
    const etag = `"${peaks.source.slice(0, 22)}"`;
    const headers = new Headers({
      "Content-Type": "application/json",
      ETag: etag,
      Vary: "Accept-Encoding",
      // As the audio's: whether they may be seen is decided afresh on every request.
      "Cache-Control": "private, no-store, no-transform",
      "X-Content-Type-Options": "nosniff",
    });
    if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
    const encoding = pickEncoding(c.req.header("accept-encoding"));
    const body = encoding === "br" ? peaks.br : encoding === "gzip" ? peaks.gzip : peaks.json;
    if (encoding) headers.set("Content-Encoding", encoding);
    headers.set("Content-Length", String(body.length));
    return new Response(new Uint8Array(body), { status: 200, headers });
  });
  return app;
}
