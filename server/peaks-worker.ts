/**
 * The peaks worker: computes one recording's peaks at a time off the server's thread, so a
 * two-hour recording's seconds of decoding never hold up other requests.
 */
import { parentPort } from "node:worker_threads";
import type { AudioSpec } from "./audio.js";
import { computeFile, computeGenerated, PeaksUnavailableError } from "./peaks-compute.js";

export type PeaksJob = { id: number; generated: AudioSpec } | { id: number; file: string };

export type PeaksJobResult =
  | { id: number; ok: true; json: string }
  | { id: number; ok: false; message: string; status: 404 | 500 | null };

parentPort?.on("message", (job: PeaksJob) => {
  const work = "file" in job ? computeFile(job.file) : computeGenerated(job.generated);
  work.then(
    (peaks) => parentPort!.postMessage({ id: job.id, ok: true, json: JSON.stringify(peaks) } satisfies PeaksJobResult),
    (error: unknown) =>
      parentPort!.postMessage({
        id: job.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        status: error instanceof PeaksUnavailableError ? error.status : null,
      } satisfies PeaksJobResult),
  );
});
