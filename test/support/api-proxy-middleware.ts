/**
 * A @web/test-runner middleware that puts the real reference server behind the test page's own
 * origin: the first request for `/api/*` starts the server once (test/support/server.ts, real
 * HTTP and SQLite, with test/support/session-dataset.ts), and every `/api/*` request is passed
 * to it as it is — method, body, cookies, `Range` — and its answer passed back as it is,
 * `Set-Cookie` included. The `Host` header goes through unchanged, so the server signs audio
 * URLs for the test page's origin and they come back through here too.
 *
 * Tests sign in with `fetch("/api/session", …)` (see session-test-helpers.ts); the browser
 * keeps the cookie for the test page's origin.
 */
import { request } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sessionDataset } from "./session-dataset.js";
import { startServer, type RunningServer } from "./server.js";

interface KoaLikeContext {
  path: string;
  url: string;
  method: string;
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
}

let server: Promise<RunningServer> | null = null;

/** The running reference server (started on first use). */
export function referenceServer(): Promise<RunningServer> {
  server ??= startServer({ dataset: sessionDataset() }).then((running) => {
    process.once("exit", () => void running.close());
    return running;
  });
  return server;
}

function forward(ctx: KoaLikeContext, target: URL): Promise<void> {
  return new Promise((resolve) => {
    const { req, res } = ctx;
    const upstream = request(
      { hostname: target.hostname, port: target.port, method: req.method, path: ctx.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
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
  if (ctx.path !== "/api" && !ctx.path.startsWith("/api/")) return next();
  ctx.respond = false;
  const running = await referenceServer();
  await forward(ctx, new URL(running.url));
  return undefined;
}
