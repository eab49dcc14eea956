/**
 * Signing in and out of the legacy interface: `/login` (fields `username`, `password`, and the
 * local `next` path to return to) and `/logout`. Failed attempts are limited like the API's.
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { checkCredentials, endSession, signInKey, startSession, type AppEnv, type SignInLimiter } from "../auth.js";
import type { Db } from "../db.js";
import { csrfMatches, readForm } from "./forms.js";
import { HOME, safeNext } from "./guards.js";
import { errorPage, notice, renderPage } from "./layout.js";

export interface LoginOptions {
  db: Db;
  limiter: SignInLimiter;
}

function loginForm(c: Context<AppEnv>, db: Db, options: { next?: string | undefined; username?: string; message?: ReturnType<typeof notice>; status?: ContentfulStatusCode }) {
  return renderPage(c, db, {
    title: "Sign in",
    status: options.status ?? 200,
    main: html`${options.message ?? ""}
<form class="panel login" method="post" action="/login">
  ${options.next ? html`<input type="hidden" name="next" value="${options.next}">` : ""}
  <p class="field"><label for="username">Username</label><br>
    <input id="username" name="username" autocomplete="username" required maxlength="200" value="${options.username ?? ""}"></p>
  <p class="field"><label for="password">Password</label><br>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1000"></p>
  <p><button type="submit">Sign in</button></p>
</form>`,
  });
}

export function loginRoutes({ db, limiter }: LoginOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/login", (c) => {
    const next = safeNext(c.req.query("next"));
    if (c.get("session")) return c.redirect(next ?? HOME);
    const signedOut = c.req.query("signed-out") !== undefined;
    return loginForm(c, db, { next, ...(signedOut ? { message: notice("ok", "You have signed out.") } : {}) });
  });

  app.post("/login", async (c) => {
    const form = await readForm(c);
    const username = (form.username ?? "").trim();
    const password = form.password ?? "";
    const next = safeNext(form.next);
    if (!username || !password || username.length > 200 || password.length > 1000) {
      return loginForm(c, db, { next, username: username.slice(0, 200), status: 400, message: notice("error", "Enter your username and your password.") });
    }
    const key = signInKey(c, username);
    const wait = limiter.retryAfter(key);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      const minutes = Math.ceil(wait / 60);
      return loginForm(c, db, {
        next,
        username,
        status: 429,
        message: notice("error", `Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`),
      });
    }
    const account = await checkCredentials(db, username, password);
    if (!account) {
      limiter.fail(key);
      return loginForm(c, db, { next, username, status: 401, message: notice("error", "Wrong username or password.") });
    }
    limiter.succeed(key);
    // A new session for every sign-in: whoever was signed in on this browser before is signed out.
    if (c.get("session")) endSession(c, db);
    startSession(c, db, account.id);
    return c.redirect(next ?? HOME, 303);
  });

  app.post("/logout", async (c) => {
    const session = c.get("session");
    if (!session) return c.redirect("/login", 303);
    const form = await readForm(c);
    if (!csrfMatches(session, form.csrf)) {
      return errorPage(c, db, 403, "Form refused", "This sign-out was not sent from a page of this site. Use the Sign out button on any page.");
    }
    endSession(c, db);
    return c.redirect("/login?signed-out", 303);
  });

  return app;
}
