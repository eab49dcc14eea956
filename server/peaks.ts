/**
 * A recording's peaks behind a signed URL like its audio's: computed once from its own audio
 * (server/peaks-compute.ts, in a worker thread), kept in SQLite under a digest of what they came
 * from, served compressed.
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AudioSpec } from "./audio.js";
import type { Db } from "./db.js";
import { handleError } from "./errors.js";
import { computeFile, computeGenerated, fileDigest, generatedDigest, PeaksUnavailableError } from "./peaks-compute.js";
import type { PeaksJob, PeaksJobResult } from "./peaks-worker.js";
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

/** Peaks as stored and served. */
export interface StoredPeaks {
  source: string;
  json: Buffer;
  gzip: Buffer;
  br: Buffer;
}

type Job = { generated: AudioSpec } | { file: string };

const inThread = (job: Job): Promise<string> => ("file" in job ? computeFile(job.file) : computeGenerated(job.generated)).then((peaks) => JSON.stringify(peaks));

/**
 * Runs peaks computations in a worker thread, one at a time (the server runs its TypeScript
 * through tsx, and so does the worker). Where a worker cannot start or fails, the computation
 * runs in this thread instead, a piece at a time between other requests.
 */
class PeaksWorker {
  private worker: Worker | null = null;
  private failed = false;
  private next = 1;
  private readonly waiting = new Map<number, { job: Job; resolve: (json: string) => void; reject: (error: Error) => void }>();

  /** `inThread`: never start a worker. */
  constructor(inThread = false) {
    this.failed = inThread;
  }

  run(job: Job): Promise<string> {
    const worker = this.start();
    if (!worker) return inThread(job);
    const id = this.next++;
    return new Promise<string>((resolve, reject) => {
      this.waiting.set(id, { job, resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...job } satisfies PeaksJob);
    });
  }

  private start(): Worker | null {
    if (this.worker || this.failed) return this.worker;
    const typescript = extname(fileURLToPath(import.meta.url)) === ".ts";
    const url = new URL(`./peaks-worker${typescript ? ".ts" : ".js"}`, import.meta.url);
    let worker: Worker;
    try {
      // Node 20 does not hand a loader given with --import on to a worker's entry module, so a
      // TypeScript worker is started by a line of JavaScript that loads it through tsx's API.
      worker = typescript
        ? new Worker(`import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}))`, { eval: true })
        : new Worker(url);
    } catch (error) {
      this.fail(`the peaks worker cannot start (${(error as Error).message}); computing peaks in the server's thread`);
      return null;
    }
    worker.unref();
    worker.on("message", (result: PeaksJobResult) => {
      const waiter = this.waiting.get(result.id);
      if (!waiter) return;
      this.waiting.delete(result.id);
      if (this.waiting.size === 0) worker.unref();
      if (result.ok) waiter.resolve(result.json);
      else waiter.reject(result.status ? new PeaksUnavailableError(result.message, result.status) : new Error(`peaks: ${result.message}`));
    });
    worker.on("error", (error) => {
      // It could not load, or crashed: what it was given, and what comes next, is computed here.
      this.fail(`the peaks worker failed (${error.message}); computing peaks in the server's thread`);
      for (const { job, resolve, reject } of this.waiting.values()) inThread(job).then(resolve, reject);
      this.waiting.clear();
    });
    this.worker = worker;
    return worker;
  }

  private fail(message: string): void {
    if (!this.failed) console.error(`[server] ${message}`);
    this.failed = true;
    this.worker = null;
  }
}

/** One worker for every store of the process (tests run many servers in one). */
const sharedWorker = new PeaksWorker();

/**
 * Computes peaks when asked for ones not stored, one recording at a time, and stores them. A
 * second request for the same peaks while they are computed waits for the same work.
 */
export class PeaksStore {
  /** How many times peaks were computed (not read from the store): for tests and the bench. */
  computations = 0;
  private readonly running = new Map<string, Promise<StoredPeaks>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly worker: PeaksWorker;

  /** `inThread`: compute in this thread, never in the worker. */
  constructor(
    private readonly db: Db,
    { inThread = false }: { inThread?: boolean } = {},
  ) {
    this.worker = inThread ? new PeaksWorker(true) : sharedWorker;
  }

  stored(recordingId: string, source: string): StoredPeaks | undefined {
    return this.db.prepare("SELECT source, json, gzip, br FROM recording_peaks WHERE recording_id = ? AND source = ?").get(recordingId, source) as StoredPeaks | undefined;
  }

  /** The peaks of a recording: its generated audio's, or its file's (`file` an absolute path). */
  async peaksOf(recordingId: string, spec: AudioSpec & { file: string | null }): Promise<StoredPeaks> {
    const { file, format, samples, seed, voice } = spec;
    if (file === null) return this.keep(recordingId, generatedDigest(spec), { generated: { format, samples, seed, voice } });
    return this.keep(recordingId, await fileDigest(file), { file });
  }

  /** The stored peaks of `digest`, else those the job computes, once however many ask meanwhile. */
  private keep(recordingId: string, digest: string, job: Job): Promise<StoredPeaks> {
    const kept = this.stored(recordingId, digest);
    if (kept) return Promise.resolve(kept);
    const key = `${recordingId}\n${digest}`;
    let work = this.running.get(key);
    if (!work) {
      work = this.compute(recordingId, digest, job).finally(() => this.running.delete(key));
      this.running.set(key, work);
    }
    return work;
  }

  private compute(recordingId: string, digest: string, job: Job): Promise<StoredPeaks> {
    const run = this.queue.then(async () => {
      this.computations++;
      const json = Buffer.from(await this.worker.run(job));
      const [gz, br] = await Promise.all([
        gzipAsync(json, { level: 9 }),
        brotliAsync(json, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: json.length } }),
      ]);
      const peaks: StoredPeaks = { source: digest, json, gzip: gz, br };
      // A server closed meanwhile (its database with it) still answers whoever waits, storing nothing.
      if (!this.db.open) return peaks;
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
