/**
 * The legacy, server-rendered reporting interface (placeholder until its pages land).
 */
import { Hono } from "hono";
import type { AppEnv } from "../auth.js";
import type { Db } from "../db.js";

export interface LegacyOptions {
  db: Db;
  componentsDir?: string;
}

export function legacyRoutes(_options: LegacyOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => c.redirect("/reports/call-list"));
  return app;
}
