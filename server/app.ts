/**
 * The reference reporting server as a Hono app: the JSON API under /api, the legacy
 * server-rendered pages, the embed demo and the built components. `main.ts` serves it; tests
 * drive it in-process or over real HTTP.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { apiRoutes } from "./api.js";
import type { PeaksStore } from "./peaks.js";
import { sameOriginWrites, sessionMiddleware, SignInLimiter, type AppEnv } from "./auth.js";
import type { Db } from "./db.js";
import { signingSecret } from "./signing.js";
import { trustProxyFor } from "./proxy.js";
import { handleError } from "./errors.js";
import { legacyRoutes } from "./legacy/routes.js";
import { embedDemoRoutes } from "./embed-demo.js";
import { componentsRoutes } from "./static-components.js";

/** The extension's 32 px icon, served as the site's favicon. */
const FAVICON = readFileSync(fileURLToPath(new URL("../extension/icons/icon-32.png", import.meta.url)));

export interface AppOptions {
  db: Db;
  /** Folder of the built components (`dist/components`), served under /components/. */
  componentsDir?: string;
  /** Failed sign-in limits, shared by the JSON API and the legacy sign-in page. */
  limiter?: SignInLimiter;
  /**
   * Behind a reverse proxy (`--trust-proxy`): take the client's address, the scheme and the host
   * from the proxy's `X-Forwarded-*` headers. Only with a proxy that sets them, since any client
   * can send them.
   */
  trustProxy?: boolean;
  /** Where recordings' peaks are computed and kept (tests look into it); one of its own by default. */
  peaks?: PeaksStore;
}

export function createApp({ db, componentsDir, limiter = new SignInLimiter(), trustProxy = false, peaks }: AppOptions): Hono<AppEnv> {
  const secret = signingSecret(db);
  const app = new Hono<AppEnv>();

  if (trustProxy) {
    app.use("*", async (c, next) => {
      trustProxyFor(c);
      await next();
    });
  }

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        mediaSrc: ["'self'", "blob:"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      crossOriginResourcePolicy: false,
      // Served over plain HTTP on loopback; HSTS belongs to whoever terminates TLS in front.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
      // Browsers then send this site's own origin with its form posts (with no-referrer some
      // send `Origin: null`), and still send nothing to other sites: no signed audio URL leaks.
      referrerPolicy: "same-origin",
    }),
  );
  app.use("*", sameOriginWrites());
  app.use("*", sessionMiddleware(db));

  // The browser asks every page's origin for one: the product's icon, not a 404.
  app.get("/favicon.ico", (c) => {
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(FAVICON, 200, { "Content-Type": "image/png" });
  });
  app.route("/api", apiRoutes({ db, secret, limiter, ...(peaks ? { peaks } : {}) }));
  app.route("/", embedDemoRoutes(db));
  if (componentsDir) app.route("/", componentsRoutes(componentsDir));
  app.route("/", legacyRoutes({ db, limiter, ...(componentsDir ? { componentsDir } : {}) }));

  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) return c.json({ error: `no such resource: ${c.req.method} ${c.req.path}` }, 404);
    return c.html(`<!doctype html><title>Not found</title><p>There is no page here. <a href="/reports/call-list">Go to the Call List</a>.</p>`, 404);
  });

  app.onError(handleError);

  return app;
}
