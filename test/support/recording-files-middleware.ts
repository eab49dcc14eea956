/**
 * A test-only server of the committed recording files (test/fixtures/recordings/) for
 * @web/test-runner, with HTTP ranges as the reference server serves files (its own
 * `openRecordingFile` and `parseRange`): the content type from the file's header.
 *
 *   GET /recording-files/<name>?token=T[&repeat=N][&fail=STATUS][&failAfter=BYTE]
 *   GET /recording-files/stats?token=T   → {"requests":[{"range","status","bytes"}]}
 *
 * `repeat=N` serves the file with its audio repeated N times (a long recording from a short
 * file; WAV sizes and counts rewritten), for seeking far into it. `failAfter=BYTE` drops the
 * connection when a response reaches absolute byte BYTE of the file, once per token.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sniffAudioFormat } from "../../src/codecs/audio-format.js";
import { parseRange } from "../../server/http-range.js";

const FOLDER = fileURLToPath(new URL("../fixtures/recordings/", import.meta.url));
const PREFIX = "/recording-files/";

interface KoaLikeContext {
  path: string;
  url: string;
  method: string;
  req: IncomingMessage;
  res: ServerResponse;
}

const stats = new Map<string, { range: string | null; status: number; bytes: number }[]>();
/** Tokens whose connection was dropped already (failAfter fires once). */
const dropped = new Set<string>();
const files = new Map<string, Buffer>();

/** The file's bytes, its audio repeated `repeat` times. */
function fileBytes(name: string, repeat: number): Buffer {
  const key = `${name}*${repeat}`;
  const cached = files.get(key);
  if (cached) return cached;
  const original = readFileSync(`${FOLDER}${name}`);
  let out = original;
  if (repeat > 1) {
    const sniffed = sniffAudioFormat(original, { fileName: name });
    const dataOffset = sniffed.kind === "wav" && sniffed.dataOffset !== null ? sniffed.dataOffset : 0;
    const dataLength = sniffed.kind === "wav" && sniffed.dataLength !== null ? Math.min(sniffed.dataLength, original.length - dataOffset) : original.length;
    // Whole blocks only, so every repeat starts on a frame.
    const block = sniffed.kind === "wav" ? (sniffed.format?.blockAlign ?? 1) : 33;
    const data = original.subarray(dataOffset, dataOffset + dataLength - (dataLength % block));
    const header = Buffer.from(original.subarray(0, dataOffset));
    out = Buffer.concat([header, ...Array<Buffer>(repeat).fill(data)]);
    if (sniffed.kind === "wav") {
      out.writeUInt32LE(out.length - 8, 4);
      out.writeUInt32LE(data.length * repeat, dataOffset - 4);
      if (sniffed.factSamples !== null) {
        const fact = out.indexOf("fact", 12, "ascii");
        if (fact > 0 && fact < dataOffset) out.writeUInt32LE(sniffed.factSamples * repeat, fact + 8);
      }
    }
  }
  files.set(key, out);
  return out;
}

export async function recordingFilesMiddleware(ctx: KoaLikeContext, next: () => Promise<void>): Promise<void> {
  if (!ctx.path.startsWith(PREFIX)) return next();
  const { req, res } = ctx;
  const url = new URL(ctx.url, "http://localhost");
  const name = decodeURIComponent(ctx.path.slice(PREFIX.length));
  const token = url.searchParams.get("token") ?? "";
  if (name === "stats") {
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify({ requests: stats.get(token) ?? [] }));
    return;
  }
  if (!/^[\w.-]+$/.test(name)) {
    res.writeHead(404).end();
    return;
  }
  const record = { range: req.headers.range ?? null, status: 0, bytes: 0 };
  if (!stats.has(token)) stats.set(token, []);
  stats.get(token)!.push(record);
  const fail = Number(url.searchParams.get("fail") ?? "0");
  if (fail) {
    record.status = fail;
    res.writeHead(fail, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "injected failure" }));
    return;
  }
  let bytes: Buffer;
  try {
    bytes = fileBytes(name, Math.max(1, Math.min(2000, Number(url.searchParams.get("repeat") ?? "1") | 0)));
  } catch {
    record.status = 404;
    res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "no such file" }));
    return;
  }
  const range = parseRange(req.headers.range, bytes.length);
  const headers: Record<string, string | number> = {
    "Content-Type": sniffAudioFormat(bytes.subarray(0, 4096), { fileName: name }).contentType,
    "Accept-Ranges": "bytes",
    "Cache-Control": "no-store",
  };
  if (range.kind === "unsatisfiable") {
    record.status = 416;
    res.writeHead(416, { ...headers, "Content-Range": `bytes */${bytes.length}` }).end();
    return;
  }
  const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, bytes.length - 1];
  record.status = range.kind === "partial" ? 206 : 200;
  headers["Content-Length"] = end - start + 1;
  if (range.kind === "partial") headers["Content-Range"] = `bytes ${start}-${end}/${bytes.length}`;
  res.writeHead(record.status, headers);
  if (ctx.method === "HEAD") {
    res.end();
    return;
  }
  // In chunks, so a client that stops reading (it reads only what it plays) is not sent it all at once.
  const failAfter = url.searchParams.has("failAfter") && !dropped.has(token) ? Number(url.searchParams.get("failAfter")) : null;
  let at = start;
  let closed = false;
  let wake: (() => void) | null = null;
  res.on("close", () => {
    closed = true;
    wake?.();
  });
  res.on("drain", () => wake?.());
  while (at <= end && !closed) {
    if (failAfter !== null && at >= failAfter) {
      // A dropped connection mid-body: the client sees a short read, not an HTTP error.
      dropped.add(token);
      req.socket.destroy();
      return;
    }
    const chunk = bytes.subarray(at, Math.min(end + 1, at + 16 * 1024, failAfter !== null && failAfter > at ? failAfter : Infinity));
    record.bytes += chunk.length;
    at += chunk.length;
    if (!res.write(chunk)) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
  if (!closed) res.end();
}
