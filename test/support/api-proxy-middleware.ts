/**
 * A @web/test-runner middleware that puts the real reference server (test/support/server.ts,
 * real HTTP and SQLite, test/support/session-dataset.ts) behind the test page's own origin: each
 * browser's first `/api/*` request starts its server, and every `/api/*` request and answer
 * passes as it is (cookies, `Range`, `Host`: audio URLs are signed for the test page's origin).
 * Tests sign in with `fetch("/api/session", …)` (session-test-helpers.ts). Faults: {@link control}.
 */
import { request } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sessionDataset } from "./session-dataset.js";
import { Client, startServer, type RunningServer } from "./server.js";
import { signingSecret, signQuery, type SignedPurpose } from "../../server/signing.js";

interface KoaLikeContext {
  path: string;
  url: string;
  method: string;
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
}

/**
 * One reference server per browser: the two browsers run their test files at the same time,
 * and a test that stops the server or makes it fail must not reach into the other's tests.
 * Told apart by the User-Agent, which media elements send too.
 */
interface Backend {
  server: Promise<RunningServer>;
  /** Where it keeps its data, so that a restart finds it again. */
  dbPath: string;
  /** The port it listens on, from its first start. */
  port: number | undefined;
  /** Set while it is stopped on purpose. */
  stopped: boolean;
  fail: { status: number; times: number; path: string } | null;
  /** Signed URLs whose `exp` is at most this count as expired. */
  expireUpTo: number;
  /** Audio answers in progress, to cut. */
  streams: Set<ServerResponse>;
  /** Bytes a second audio answers are held to (a slow line), or 0. */
  throttle: number;
}

const backends = new Map<string, Backend>();

function browserOf(req: IncomingMessage): string {
  const agent = req.headers["user-agent"] ?? "";
  return /Firefox\//.test(agent) ? "firefox" : /Chrome\//.test(agent) ? "chromium" : "other";
}

function removeDatabase(dbPath: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${dbPath}${suffix}`, { force: true });
}

/** The reference server of this request's browser (started on first use). */
function backendFor(req: IncomingMessage): Backend {
  const key = browserOf(req);
  let backend = backends.get(key);
  if (!backend) {
    const dbPath = join(tmpdir(), `crec-wtr-${process.pid}-${key}.sqlite`);
    removeDatabase(dbPath);
    process.once("exit", () => removeDatabase(dbPath));
    const created: Backend = {
      server: startServer({ dataset: sessionDataset(), dbPath }).then((running) => {
        created.port = running.port;
        return running;
      }),
      dbPath,
      port: undefined,
      stopped: false,
      fail: null,
      expireUpTo: 0,
      streams: new Set(),
      throttle: 0,
    };
    backend = created;
    backends.set(key, backend);
  }
  return backend;
}

function cutStreams(backend: Backend): void {
  for (const res of backend.streams) res.destroy();
  backend.streams.clear();
}

/**
 * Faults a test can ask for, in its own browser's server (`GET /api-proxy/control?…`, answered
 * `{"ok":true}`):
 * - `stop=1`: stops the reference server (its database file stays) and cuts the audio it was
 *   sending; `/api/*` then answers 502, as a reverse proxy in front of a server that is down
 *   does (the connection is refused). `start=1` starts it again on the
 *   same port and database: a restart, with the sessions, the data and the signing secret kept.
 * - `fail=STATUS&times=N`: the next N `/api/*` requests (default 1) answer STATUS with a JSON
 *   error; `path=PREFIX` limits it to paths that start with PREFIX.
 * - `expire=1`: every audio or download URL signed so far counts as expired, as if the quarter
 *   of an hour they live had passed: the request reaches the server with its `exp` moved into
 *   the past and signed again, and the server refuses it with its own 403 "expired". URLs
 *   signed after the control answers work.
 * - `drop=1`: ends every audio answer in progress (the connection is lost), once.
 * - `throttle=BYTES`: audio answers to ranges past the start come no faster than BYTES a second
 *   (a slow line: the browser cannot buffer far ahead).
 * - `heal=1`: ends `fail`, `expire` and `throttle`.
 * - `playback=USER:SCOPE`: an administrator sets USER's playback scope (`none` revokes it), as
 *   the admin pages do; it applies from USER's next request, URLs already handed out included.
 */
async function control(backend: Backend, params: URLSearchParams): Promise<void> {
  if (params.get("stop") === "1" && !backend.stopped) {
    backend.stopped = true;
    await (await backend.server).close();
    // What it was sending is cut short, as a restart cuts it.
    cutStreams(backend);
  }
  if (params.get("start") === "1" && backend.stopped) {
    backend.server = startServer({ dbPath: backend.dbPath, ...(backend.port !== undefined ? { port: backend.port } : {}) });
    await backend.server;
    backend.stopped = false;
  }
  const fail = params.get("fail");
  if (fail) backend.fail = { status: Number(fail) || 500, times: Number(params.get("times") ?? "1"), path: params.get("path") ?? "/api/" };
  if (params.get("expire") === "1") {
    backend.expireUpTo = Math.floor(Date.now() / 1000) + 15 * 60;
    // Expiry counts in whole seconds: answer once a URL signed now would be a fresh one.
    await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
  }
  if (params.get("drop") === "1") cutStreams(backend);
  const throttle = params.get("throttle");
  if (throttle) backend.throttle = Number(throttle) || 0;
  const playback = params.get("playback");
  if (playback) await setPlayback(await backend.server, playback);
  if (params.get("heal") === "1") {
    backend.fail = null;
    backend.expireUpTo = 0;
    backend.throttle = 0;
  }
}

async function setPlayback(server: RunningServer, spec: string): Promise<void> {
  const [user, scope] = spec.split(":");
  const admin = new Client(server.url);
  if (!(await admin.signIn("admin")).ok) throw new Error("the administrator could not sign in");
  const current = await admin.json<{ primaryGroup: string | null; memberGroups: string[] }>(`/api/admin/users/${encodeURIComponent(user!)}`);
  if (current.status !== 200) throw new Error(`no user ${user}: ${current.status}`);
  const { primaryGroup, memberGroups } = current.body;
  const put = await admin.fetch(`/api/admin/users/${encodeURIComponent(user!)}/permissions`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ playback: scope, primaryGroup, memberGroups }),
  });
  if (!put.ok) throw new Error(`setting ${user}'s playback to ${scope}: ${put.status} ${await put.text()}`);
}

/**
 * A signed audio or download URL issued before `expire`: the same URL signed again with an
 * expiry in the past, which the server refuses as expired. Others are left as they are.
 */
async function expiredUrl(backend: Backend, url: string): Promise<string> {
  if (!backend.expireUpTo || backend.stopped) return url;
  const m = /^\/api\/recordings\/([^/?]+)\/(audio|download)\?(.*)$/.exec(url);
  if (!m) return url;
  const query = new URLSearchParams(m[3]);
  const exp = Number(query.get("exp"));
  const user = query.get("u");
  if (!user || !Number.isFinite(exp) || exp > backend.expireUpTo) return url;
  const running = await backend.server;
  const expired = signQuery(signingSecret(running.db), m[2] as SignedPurpose, decodeURIComponent(m[1]!), user, Date.now() - 60 * 60 * 1000);
  return `/api/recordings/${m[1]}/${m[2]}?${expired}`;
}

/** Passes an answer on no faster than `rate` bytes a second. */
function throttled(answer: IncomingMessage, res: ServerResponse, rate: number): void {
  const started = Date.now();
  let sent = 0;
  answer.on("data", (chunk: Buffer) => {
    sent += chunk.length;
    res.write(chunk);
    const ahead = (sent / rate) * 1000 - (Date.now() - started);
    if (ahead > 0) {
      answer.pause();
      setTimeout(() => answer.resume(), ahead);
    }
  });
  answer.on("end", () => res.end());
}

function forward(ctx: KoaLikeContext, backend: Backend, target: URL, path: string): Promise<void> {
  return new Promise((resolve) => {
    const { req, res } = ctx;
    const upstream = request(
      { hostname: target.hostname, port: target.port, method: req.method, path, headers: req.headers },
      (answer) => {
        const audio = /^\/api\/recordings\/[^/]+\/audio/.test(path);
        if (audio) {
          backend.streams.add(res);
          res.on("close", () => backend.streams.delete(res));
        }
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        // Not the start of the file, which a browser reads in one go for the header and format.
        const fromStart = !/^bytes=[1-9]/.test(String(req.headers.range ?? ""));
        if (audio && backend.throttle > 0 && !fromStart) throttled(answer, res, backend.throttle);
        else answer.pipe(res);
        answer.on("end", resolve);
        answer.on("error", () => resolve());
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: `reference server: ${error.message}` }));
      } else res.destroy();
      resolve();
    });
    // A media element that seeks hangs up mid-answer: stop the upstream answer too.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
}

/** Koa-style middleware for the dev server: `middleware: [apiProxyMiddleware]`. */
export async function apiProxyMiddleware(ctx: KoaLikeContext, next: () => Promise<unknown>): Promise<unknown> {
  if (ctx.path === "/api-proxy/control") {
    ctx.respond = false;
    await control(backendFor(ctx.req), new URL(ctx.url, "http://proxy.invalid").searchParams);
    ctx.res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    ctx.res.end(JSON.stringify({ ok: true }));
    return undefined;
  }
  if (ctx.path !== "/api" && !ctx.path.startsWith("/api/")) return next();
  ctx.respond = false;
  const backend = backendFor(ctx.req);
  const fail = backend.fail;
  if (fail && fail.times > 0 && ctx.path.startsWith(fail.path)) {
    if (--fail.times === 0) backend.fail = null;
    ctx.res.writeHead(fail.status, { "content-type": "application/json", "cache-control": "no-store" });
    ctx.res.end(JSON.stringify({ error: "injected failure" }));
    return undefined;
  }
  const running = await backend.server;
  await forward(ctx, backend, new URL(running.url), await expiredUrl(backend, ctx.url));
  return undefined;
}
