/**
 * Sign-in, sessions and the checks every request passes: the session cookie (HttpOnly,
 * SameSite=Lax), a limit on failed sign-ins, and refusal of cross-site writes.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { loadAccount, type Account } from "./access.js";
import type { Db } from "./db.js";
import { passwordCost, verifyPassword } from "./passwords.js";
import { clientAddress, isHttps, requestOrigin } from "./proxy.js";

export { clientAddress };

export const SESSION_COOKIE = "crec_session";

/**
 * Over HTTPS the cookie is `__Host-crec_session` (Secure, Path=/, no Domain), which a sibling
 * host or a plain-HTTP answer cannot set or overwrite; over HTTP it cannot be Secure, so it is
 * `crec_session`. Each request reads only the cookie its own scheme sets.
 */
const cookiePrefix = (c: Context) => (isHttps(c) ? ("host" as const) : undefined);

/** The session cookie's name as this request's scheme has it. */
export function sessionCookieName(c: Context): string {
  return cookiePrefix(c) ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

const readSessionCookie = (c: Context) => getCookie(c, SESSION_COOKIE, cookiePrefix(c));
const SESSION_HOURS = 12;

export interface SessionInfo {
  account: Account;
  /** The session's token for forms, checked on every form post. */
  csrf: string;
}

/** What handlers find in `c.var`. */
export interface AppEnv {
  Variables: { session: SessionInfo | undefined };
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Creates a session for a user and sets its cookie. */
export function startSession(c: Context, db: Db, userId: string): void {
  const token = randomBytes(32).toString("base64url");
  const csrf = randomBytes(18).toString("base64url");
  const expires = Date.now() + SESSION_HOURS * 3600_000;
  db.prepare("DELETE FROM sessions WHERE expires < ?").run(Date.now());
  db.prepare("INSERT INTO sessions (token_hash, user_id, csrf, expires) VALUES (?, ?, ?, ?)").run(sha256(token), userId, csrf, expires);
  const prefix = cookiePrefix(c);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: prefix !== undefined,
    maxAge: SESSION_HOURS * 3600,
    ...(prefix ? { prefix } : {}),
  });
}

/** Ends the request's session, if any, and clears its cookie. */
export function endSession(c: Context, db: Db): void {
  const token = readSessionCookie(c);
  if (token) db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(sha256(token));
  const prefix = cookiePrefix(c);
  deleteCookie(c, SESSION_COOKIE, prefix ? { path: "/", secure: true, prefix } : { path: "/" });
}

/** Reads the session of the request, with the account as it is now (permission changes apply at once). */
export function sessionMiddleware(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = readSessionCookie(c);
    let session: SessionInfo | undefined;
    if (token && token.length < 200) {
      const row = db.prepare("SELECT user_id, csrf, expires FROM sessions WHERE token_hash = ?").get(sha256(token)) as
        | { user_id: string; csrf: string; expires: number }
        | undefined;
      if (row && row.expires > Date.now()) {
        const account = loadAccount(db, row.user_id);
        if (account) session = { account, csrf: row.csrf };
      }
    }
    c.set("session", session);
    await next();
  };
}

/** The signed-in account, or a 401. */
export function requireAccount(c: Context<AppEnv>): Account {
  const session = c.get("session");
  if (!session) throw new HTTPException(401, { message: "sign in first" });
  return session.account;
}

/** The signed-in administrator, or 401/403. */
export function requireAdmin(c: Context<AppEnv>): Account {
  const account = requireAccount(c);
  if (!account.admin) throw new HTTPException(403, { message: "only administrators may do this" });
  return account;
}

/**
 * Whether a write comes from this site, by the headers browsers set themselves (a page cannot
 * forge them):
 *
 * - `Sec-Fetch-Site`, when sent, must be `same-origin` (or `none`: typed by the user);
 *   `cross-site` and `same-site` (a sibling host) are refused.
 * - `Origin`, when sent, must be this server's origin. `Origin: null` is what a browser sends
 *   when it hides the origin (a referrer policy that sends nothing, a sandboxed frame, a
 *   redirect across sites): it is accepted only when `Sec-Fetch-Site` vouches for this site.
 *
 * A request with neither header (an old browser, or not a browser at all) passes: the legacy
 * forms' CSRF token and the session cookie's SameSite=Lax cover it.
 */
export function isSameOriginWrite(headers: { site: string | undefined; origin: string | undefined }, own: string): boolean {
  const { site, origin } = headers;
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  if (origin === undefined) return true;
  if (origin === "null") return site === "same-origin";
  return origin === own;
}

/**
 * Refuses writes that come from another site (see {@link isSameOriginWrite}): a form or fetch
 * from elsewhere must not act on a signed-in user's behalf.
 */
export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.method !== "OPTIONS") {
      const headers = { site: c.req.header("sec-fetch-site")?.toLowerCase(), origin: c.req.header("origin") };
      if (!isSameOriginWrite(headers, requestOrigin(c))) {
        throw new HTTPException(403, { message: "cross-site requests may not change anything" });
      }
    }
    await next();
  };
}

/**
 * What failed sign-ins are counted by: the client's address and the username. The address is
 * the connection's, or with `--trust-proxy` the one the proxy adds to `X-Forwarded-For`; never
 * a value the client wrote itself, or it could reset its own count. The JSON API and the
 * legacy sign-in page use the same key and the same {@link SignInLimiter}, so failures through
 * either way in count together.
 */
export function signInKey(c: Context, username: string): string {
  return `${clientAddress(c)}|${username}`;
}

/** Failed sign-ins allowed per username and address in the window, before 429. */
export const SIGN_IN_LIMIT = 10;
const WINDOW_MS = 15 * 60_000;

/** Limits failed sign-in attempts per username and client address. */
export class SignInLimiter {
  #failures = new Map<string, number[]>();

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfter(key: string, now = Date.now()): number {
    const recent = (this.#failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    this.#failures.set(key, recent);
    if (recent.length < SIGN_IN_LIMIT) return 0;
    return Math.ceil((recent[0]! + WINDOW_MS - now) / 1000);
  }

  fail(key: string, now = Date.now()): void {
    const list = this.#failures.get(key) ?? [];
    list.push(now);
    this.#failures.set(key, list);
    if (this.#failures.size > 10_000) this.#failures.delete(this.#failures.keys().next().value!);
  }

  succeed(key: string): void {
    this.#failures.delete(key);
  }
}

/** Checks a username and password; the account on success. */
export async function checkCredentials(db: Db, username: string, password: string): Promise<Account | undefined> {
  const row = db.prepare("SELECT password_hash FROM users WHERE id = ?").get(username) as { password_hash: string } | undefined;
  // Hash even for an unknown user, so the answer takes as long either way.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return ok && row ? loadAccount(db, username) : undefined;
}

const DUMMY_HASH = `scrypt$${passwordCost()}$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
