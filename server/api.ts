/**
 * The JSON API of `docs/design.md`: sessions, the call list and one call with the
 * recordings this user may play, each with short-lived signed audio and download URLs.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { CALL_DIRECTIONS, type CallDirection } from "../src/rules/domain.js";
import { accountJson, jsonBody } from "./json.js";
import { checkCredentials, endSession, requireAccount, signInKey, startSession, SignInLimiter, type AppEnv } from "./auth.js";
import { BadCursorError, getCall, listCalls } from "./calls.js";
import type { Db } from "./db.js";
import { audioRoutes } from "./recording-audio.js";
import { hasPeaks, peaksRoutes, type PeaksStore } from "./peaks.js";
import { signQuery } from "./signing.js";
import { handleError } from "./errors.js";
import { requestOrigin } from "./proxy.js";
import { storedTime } from "./times.js";
import { adminApiRoutes } from "./admin-api.js";

export interface ApiOptions {
  db: Db;
  secret: Buffer;
  limiter?: SignInLimiter;
  /** Where peaks are computed and kept; one of its own by default. */
  peaks?: PeaksStore;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function dateParam(c: Context, name: string): string | undefined {
  const value = c.req.query(name);
  if (value === undefined || value === "") return undefined;
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
    throw new HTTPException(400, { message: `${name}: "${value.slice(0, 40)}" is not a date (use 2026-11-20 or 2026-11-20T09:00:00Z)` });
  }
  // In the form the database stores times in, so the text comparison is a time comparison.
  return storedTime(value.length === 10 ? `${value}T00:00:00Z` : value);
}

/** Reads the call list's query parameters, refusing any it cannot understand. */
export function callListQuery(c: Context) {
  const limitText = c.req.query("limit");
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HTTPException(400, { message: "limit: must be a whole number from 1 to 500" });
  const direction = c.req.query("direction") || undefined;
  if (direction !== undefined && !CALL_DIRECTIONS.includes(direction as CallDirection)) {
    throw new HTTPException(400, { message: `direction: must be one of ${CALL_DIRECTIONS.join(", ")}` });
  }
  const has = c.req.query("hasRecording");
  if (has !== undefined && !["true", "false", "1", "0", ""].includes(has)) throw new HTTPException(400, { message: "hasRecording: must be true or false" });
  const cursor = c.req.query("cursor") || undefined;
  if (cursor !== undefined && cursor.length > 200) throw new HTTPException(400, { message: "cursor: is not one this server issued" });
  return {
    from: dateParam(c, "from"),
    to: dateParam(c, "to"),
    direction: direction as CallDirection | undefined,
    hasRecording: has === "true" || has === "1",
    group: c.req.query("group") || undefined,
    limit,
    cursor,
  };
}

export function apiRoutes({ db, secret, limiter = new SignInLimiter(), peaks }: ApiOptions): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  api.onError(handleError);
  // Every answer here is for one signed-in user, and call answers carry signed audio URLs:
  // neither may be kept by the browser (or a shared cache) past a sign-out or a revoke.
  api.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "private, no-store");
  });
  api.use("*", bodyLimit({ maxSize: 16 * 1024, onError: () => { throw new HTTPException(413, { message: "the body is too large" }); } }));

  api.post("/session", async (c) => {
    const body = await jsonBody(c);
    const { username, password } = body;
    if (typeof username !== "string" || typeof password !== "string" || !username || !password || username.length > 200 || password.length > 1000) {
      throw new HTTPException(400, { message: "send a username and a password" });
    }
    const key = signInKey(c, username);
    const wait = limiter.retryAfter(key);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      throw new HTTPException(429, { message: `too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minutes` });
    }
    const account = await checkCredentials(db, username, password);
    if (!account) {
      limiter.fail(key);
      throw new HTTPException(401, { message: "wrong username or password" });
    }
    limiter.succeed(key);
    startSession(c, db, account.id);
    return c.json({ user: accountJson(account) });
  });

  api.delete("/session", (c) => {
    endSession(c, db);
    return c.body(null, 204);
  });

  api.get("/me", (c) => c.json(accountJson(requireAccount(c))));

  api.get("/calls", (c) => {
    const account = requireAccount(c);
    try {
      return c.json(listCalls(db, account, callListQuery(c)));
    } catch (err) {
      if (err instanceof BadCursorError) throw new HTTPException(400, { message: `cursor: ${err.message}` });
      throw err;
    }
  });

  api.get("/calls/:id", (c) => {
    const account = requireAccount(c);
    const call = getCall(db, account, c.req.param("id"));
    if (!call) throw new HTTPException(404, { message: "no such call" });
    const origin = requestOrigin(c);
    const { seq: _seq, ...rest } = call;
    return c.json({
      ...rest,
      recordings: call.recordings.map(({ format: _format, ...r }) => ({
        ...r,
        audioUrl: `${origin}/api/recordings/${encodeURIComponent(r.id)}/audio?${signQuery(secret, "audio", r.id, account.id)}`,
        downloadUrl: `${origin}/api/recordings/${encodeURIComponent(r.id)}/download?${signQuery(secret, "download", r.id, account.id)}`,
        peaksUrl: hasPeaks(r.contentType) ? `${origin}/api/recordings/${encodeURIComponent(r.id)}/peaks?${signQuery(secret, "peaks", r.id, account.id)}` : null,
      })),
    });
  });

  api.route("/recordings", audioRoutes({ db, secret }));
  api.route("/recordings", peaksRoutes({ db, secret, ...(peaks ? { store: peaks } : {}) }));
  api.route("/admin", adminApiRoutes(db));
  return api;
}
