/**
 * Who may see a legacy page: signed-out visitors are sent to the sign-in page (and back
 * afterwards, to a local path only), and admin pages answer others with a 403 page.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, SessionInfo } from "../auth.js";
import type { Db } from "../db.js";
import { csrfMatches, readForm } from "./forms.js";
import { hasControlChars } from "./format.js";
import { errorPage } from "./layout.js";

/** Where to go after signing in when nothing (or nothing safe) was asked for. */
export const HOME = "/reports/call-list";

/**
 * A local path to return to, or undefined for anything that could leave this site
 * (`//evil.example`, `https://…`, `/\evil.example`, control characters) or loop (`/login`).
 *
 * The check is made on the path as the URL parser normalises it, because that path is what
 * goes into `Location`: `/.//evil.example`, `/%2e%2e//evil.example` and `/a/..//evil.example`
 * all start with one slash but normalise to `//evil.example`, which a browser reads as another
 * host.
 */
export function safeNext(next: string | undefined): string | undefined {
  if (!next || next.length > 2000 || !next.startsWith("/") || next.startsWith("//")) return undefined;
  // Browsers read a backslash as a slash, and ignore tabs and newlines in URLs.
  if (next.includes("\\") || hasControlChars(next)) return undefined;
  // Stands for the server's own origin: only whether the target stays on it matters here.
  const base = "http://local.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base) return undefined;
  const path = url.pathname;
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return undefined;
  // An encoded slash or backslash in the path is never one of this site's pages, and a proxy
  // that decodes it would see `//evil.example` again.
  if (/%(2f|5c)/i.test(path)) return undefined;
  if (path === "/login" || path === "/logout") return undefined;
  return `${path}${url.search}`;
}

/** The sign-in page's address, coming back to `next` afterwards. */
export function loginPath(next: string | undefined): string {
  const safe = safeNext(next);
  return safe ? `/login?next=${encodeURIComponent(safe)}` : "/login";
}

/** Sends signed-out visitors to the sign-in page, coming back here afterwards. */
export function requireSignIn(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get("session")) {
      const url = new URL(c.req.url);
      // After a refused POST, come back to the page the form was on, which is a GET page.
      return c.redirect(loginPath(`${url.pathname}${c.req.method === "GET" || c.req.method === "HEAD" ? url.search : ""}`), c.req.method === "GET" ? 302 : 303);
    }
    await next();
  };
}

/** Answers anyone but an administrator with a 403 page. Runs after {@link requireSignIn}. */
export function requireAdminPage(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get("session")?.account.admin) {
      return errorPage(c, db, 403, "Not allowed", "Only administrators may see this page.");
    }
    await next();
  };
}

/** The request's session on a page behind {@link requireSignIn}. */
export function sessionOf(c: Context<AppEnv>): SessionInfo {
  const session = c.get("session");
  if (!session) throw new Error("a signed-in page was reached without a session");
  return session;
}

/**
 * Reads a posted form of a signed-in page and checks its CSRF token: the fields, or the 403
 * page to answer with (nothing has changed).
 */
export async function checkedForm(c: Context<AppEnv>, db: Db): Promise<{ form: Record<string, string> } | { refused: Response }> {
  const form = await readForm(c);
  if (!csrfMatches(sessionOf(c), form.csrf)) {
    return {
      refused: await errorPage(c, db, 403, "Form refused", "This form was not sent from a page of this site, or it has expired. Go back, reload the page and try again."),
    };
  }
  return { form };
}
