/**
 * One error handler for the app and each sub-app: expected failures (HTTPException) answer
 * with their status and message, as JSON under /api and as a page elsewhere; anything else is
 * logged here and answered 500 without its insides.
 */
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";

export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export const handleError: ErrorHandler = (err, c) => {
  const wantsJson = c.req.path.startsWith("/api/") || (c.req.header("accept") ?? "").includes("application/json");
  if (err instanceof HTTPException) {
    const headers = Object.fromEntries(err.getResponse().headers);
    delete headers["content-type"];
    if (wantsJson) return c.json({ error: err.message || "request refused" }, err.status, headers);
    return c.html(`<!doctype html><html lang="en"><title>Error</title><p>${escapeText(err.message || "The request was refused.")}</p></html>`, err.status, headers);
  }
  console.error(`[server] ${c.req.method} ${c.req.path}:`, err);
  if (wantsJson) return c.json({ error: "the server failed to answer; try again" }, 500);
  return c.html(`<!doctype html><html lang="en"><title>Error</title><p>The server failed to answer; try again.</p></html>`, 500);
};
