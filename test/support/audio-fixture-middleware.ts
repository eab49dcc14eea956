/**
 * A test-only audio server for @web/test-runner: real WAV files (server/audio.ts) served with
 * real HTTP ranges (server/http-range.ts), plus faults a test asks for in the query string
 * (see {@link serveAudio}):
 *
 *   GET /audio-fixture/<name>.wav?seconds=N&format=mulaw|pcm16[&seed=S&voice=V]
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { wavBytes, wavSize, samplesFor, GENERATOR_VERSION, type AudioSpec } from "../../server/audio.js";
import { parseRange } from "../../server/http-range.js";

/** The part of a Koa context this middleware uses (the dev server is Koa). */
interface KoaLikeContext {
  path: string;
  url: string;
  method: string;
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
}

interface RequestRecord {
  range: string | null;
  status: number;
  start: number;
  end: number;
  bytes: number;
}

interface TokenState {
  requests: RequestRecord[];
  /** failAfter already fired once for this token. */
  failed: boolean;
  healed: boolean;
  expired: boolean;
  /** Set by `control?fail=STATUS`, cleared by `heal=1`. */
  failing: number | null;
}

const PREFIX = "/audio-fixture/";
const tokens = new Map<string, TokenState>();

function tokenState(token: string | null): TokenState {
  const key = token ?? "";
  let state = tokens.get(key);
  if (!state) {
    state = { requests: [], failed: false, healed: false, expired: false, failing: null };
    tokens.set(key, state);
  }
  return state;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A byte source for the file a request names: its size and a way to read any range. */
interface FixtureFile {
  size: number;
  etag: string;
  read(start: number, end: number): Buffer;
}

function gsmHeader(dataBytes: number): Buffer {
  // WAVE_FORMAT_GSM610 (0x31): 65 bytes for 320 samples, as telephony recorders store it.
  const h = Buffer.alloc(60);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(52 + dataBytes, 4);
  h.write("WAVE", 8, "ascii");
  h.write("fmt ", 12, "ascii");
  h.writeUInt32LE(20, 16);
  h.writeUInt16LE(0x31, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(1625, 28);
  h.writeUInt16LE(65, 32);
  h.writeUInt16LE(0, 34);
  h.writeUInt16LE(2, 36);
  h.writeUInt16LE(320, 38);
  h.write("fact", 40, "ascii");
  h.writeUInt32LE(4, 44);
  h.writeUInt32LE(Math.floor(dataBytes / 65) * 320, 48);
  h.write("data", 52, "ascii");
  h.writeUInt32LE(dataBytes, 56);
  return h;
}

/** Deterministic noise: what a misconfigured server might send instead of audio. */
function noise(start: number, end: number): Buffer {
  const out = Buffer.alloc(end - start + 1);
  for (let i = 0; i < out.length; i++) {
    const n = start + i;
    out[i] = (Math.imul(n ^ 0x5bd1e995, 0x27d4eb2d) >>> 13) & 0xff;
  }
  // Never start with a RIFF or an MP3 sync word by accident.
  if (start === 0 && out.length > 0) out[0] = 0x3c;
  return out;
}

function fixtureFile(params: URLSearchParams): FixtureFile {
  const seconds = Number(params.get("seconds") ?? "10");
  const format = params.get("format") === "pcm16" ? "pcm16" : "mulaw";
  const spec: AudioSpec = {
    format,
    samples: samplesFor(Number.isFinite(seconds) && seconds > 0 ? seconds : 10),
    seed: Number(params.get("seed") ?? "7") | 0,
    voice: Number(params.get("voice") ?? "0") | 0,
  };
  const tag = (kind: string, size: number) =>
    `"${createHash("sha1").update(`${kind}:${GENERATOR_VERSION}:${JSON.stringify(spec)}:${size}`).digest("hex").slice(0, 20)}"`;

  if (params.get("garbage") === "1") {
    const size = wavSize(spec);
    return { size, etag: tag("garbage", size), read: noise };
  }
  if (params.get("codec") === "gsm") {
    const dataBytes = Math.ceil(spec.samples / 320) * 65;
    const header = gsmHeader(dataBytes);
    const size = header.length + dataBytes;
    return {
      size,
      etag: tag("gsm", size),
      read(start, end) {
        const out = noise(start, end);
        if (start < header.length) header.copy(out, 0, start, Math.min(header.length, end + 1));
        return out;
      },
    };
  }
  const size = wavSize(spec);
  return { size, etag: tag("wav", size), read: (start, end) => wavBytes(spec, start, end) };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(text);
}

/** Waits until the socket takes more data, or closes. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

async function writeRange(
  req: IncomingMessage,
  res: ServerResponse,
  file: FixtureFile,
  start: number,
  end: number,
  record: RequestRecord,
  cutAt: number | null,
  onCut: () => void = () => undefined,
): Promise<void> {
  const CHUNK = 16 * 1024;
  let next = start;
  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  while (next <= end && !closed) {
    let last = Math.min(end, next + CHUNK - 1);
    if (cutAt !== null && last >= cutAt) last = cutAt - 1;
    if (last >= next) {
      const chunk = file.read(next, last);
      record.bytes += chunk.length;
      const ok = res.write(chunk);
      next = last + 1;
      if (!ok && !closed) await drained(res);
    }
    if (cutAt !== null && next >= cutAt) {
      // A dropped connection mid-body: the client sees a short read, not an HTTP error.
      onCut();
      req.socket.destroy();
      return;
    }
  }
  if (!closed) res.end();
}

/**
 * Faults (combine with `token=T` so state is per test and per browser):
 * - `fail=500` (or any status): always answers that status.
 * - `failAfter=BYTES`: destroys the connection when a response reaches absolute byte BYTES of
 *   the file; once per token (the first response that gets there; a retry succeeds) unless
 *   `always=1`, which lasts until
 *   `GET /audio-fixture/control?token=T&heal=1`.
 * - `expired=1`: answers 403 unless the URL also carries `fresh=1` (a refreshed signed URL);
 *   `GET /audio-fixture/control?token=T&expire=1` makes every later request of the token
 *   without `fresh=1` answer 403 (a URL that expires during playback).
 * - `garbage=1`: serves bytes that are not audio, labelled audio/wav.
 * - `codec=gsm`: a GSM 6.10 WAV (a real header over noise: browsers refuse it, and the player
 *   hands it to its own decoder, which plays the noise).
 * - `delay=MS`: waits before answering each request; `delayFrom=BYTE` only for ranges that
 *   start at or after BYTE (a slow seek, for the buffering state).
 * - `GET /audio-fixture/control?token=T&fail=STATUS`: every later request of the token answers
 *   STATUS (a server that starts failing during playback) until `heal=1`.
 *
 *   GET /audio-fixture/stats?token=T   → {"requests":[{"range","status","bytes","start","end"}]}
 *   GET /audio-fixture/control?token=T&heal=1|expire=1|reset=1|fail=STATUS
 */
async function serveAudio(ctx: KoaLikeContext, params: URLSearchParams): Promise<void> {
  const { req, res } = ctx;
  const state = tokenState(params.get("token"));
  const record: RequestRecord = { range: req.headers.range ?? null, status: 0, start: 0, end: -1, bytes: 0 };
  state.requests.push(record);

  const file = fixtureFile(params);
  const rangeAnswer = parseRange(req.headers.range, file.size);
  const delay = Number(params.get("delay") ?? "0");
  const delayFrom = Number(params.get("delayFrom") ?? "0");
  const rangeStart = rangeAnswer.kind === "partial" ? rangeAnswer.start : 0;
  if (delay > 0 && rangeStart >= delayFrom) await sleep(delay);

  const fail = params.get("fail") ?? (state.failing === null ? null : String(state.failing));
  if (fail) {
    record.status = Number(fail) || 500;
    json(res, record.status, { error: "injected failure" });
    return;
  }
  if ((params.get("expired") === "1" || state.expired) && params.get("fresh") !== "1") {
    record.status = 403;
    json(res, 403, { error: "expired signature" });
    return;
  }

  const headers: Record<string, string | number> = {
    "Content-Type": "audio/wav",
    "Accept-Ranges": "bytes",
    ETag: file.etag,
    "Cache-Control": "no-store",
  };
  // If-Range with another validator means the client's partial copy is stale: send it whole.
  const ifRange = req.headers["if-range"];
  const useRange = rangeAnswer.kind !== "whole" && (ifRange === undefined || ifRange === file.etag);

  if (useRange && rangeAnswer.kind === "unsatisfiable") {
    record.status = 416;
    res.writeHead(416, { "Content-Range": `bytes */${file.size}`, "Cache-Control": "no-store" });
    res.end();
    return;
  }
  const [start, end] = useRange && rangeAnswer.kind === "partial" ? [rangeAnswer.start, rangeAnswer.end] : [0, file.size - 1];
  record.start = start;
  record.end = end;
  const status = useRange && rangeAnswer.kind === "partial" ? 206 : 200;
  record.status = status;
  headers["Content-Length"] = end - start + 1;
  if (status === 206) headers["Content-Range"] = `bytes ${start}-${end}/${file.size}`;
  res.writeHead(status, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }

  let cutAt: number | null = null;
  const failAfter = params.get("failAfter");
  if (failAfter !== null) {
    const offset = Number(failAfter);
    const always = params.get("always") === "1" && !state.healed;
    // Armed for every request that reaches the offset; spent only when a cut really happens
    // (a browser often hangs up its first request long before).
    if (end >= offset && (always || !state.failed)) cutAt = Math.max(start, offset);
  }
  await writeRange(req, res, file, start, end, record, cutAt, () => {
    state.failed = true;
  });
}

/** Koa-style middleware for the dev server: `middleware: [audioFixtureMiddleware]`. */
export async function audioFixtureMiddleware(ctx: KoaLikeContext, next: () => Promise<unknown>): Promise<unknown> {
  if (!ctx.path.startsWith(PREFIX)) return next();
  ctx.respond = false;
  const params = new URL(ctx.url, "http://fixture.invalid").searchParams;
  const name = ctx.path.slice(PREFIX.length);
  try {
    if (name === "stats") {
      json(ctx.res, 200, { requests: tokenState(params.get("token")).requests });
    } else if (name === "control") {
      const state = tokenState(params.get("token"));
      if (params.get("heal") === "1") {
        state.healed = true;
        state.failing = null;
      }
      if (params.get("fail")) state.failing = Number(params.get("fail")) || 500;
      if (params.get("expire") === "1") state.expired = true;
      if (params.get("reset") === "1") tokens.delete(params.get("token") ?? "");
      json(ctx.res, 200, { ok: true });
    } else if (name.endsWith(".wav") && (ctx.method === "GET" || ctx.method === "HEAD")) {
      await serveAudio(ctx, params);
    } else {
      json(ctx.res, 404, { error: "no such fixture" });
    }
  } catch (error) {
    // A client that hangs up mid-response is normal for media; anything else is worth seeing.
    if (!ctx.res.headersSent) json(ctx.res, 500, { error: String(error) });
    else ctx.res.destroy();
  }
  return undefined;
}
