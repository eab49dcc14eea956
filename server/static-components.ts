/**
 * Serves the built components bundle (`npm run build` makes `dist/components/`) under
 * /components/, for the embed demo and any host page of this server.
 */
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { relative } from "node:path";
import type { AppEnv } from "./auth.js";

export function componentsRoutes(componentsDir: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    "/components/*",
    serveStatic({
      root: relative(process.cwd(), componentsDir) || ".",
      rewriteRequestPath: (path) => path.replace(/^\/components/, ""),
      onFound: (_path, c) => {
        c.header("Cache-Control", "no-cache");
      },
    }),
  );
  return app;
}
