/**
 * The legacy, server-rendered reporting interface: plain pages with full page loads, for a
 * browser extension to inject its player into. Paths are public contract (`docs/design.md`).
 *
 *   /login, /logout                      signing in and out
 *   /reports/call-list                   the Call List report, with saved filters
 *   /reports/call-session?call=ID        the Call Session view
 *   /reports/calls-per-group             calls per group per day
 *   /admin/recordings, /admin/users[/ID], /admin/devices[/ID], /admin/audit   administrators only
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { SignInLimiter, type AppEnv } from "../auth.js";
import type { Db } from "../db.js";
import { adminAuditRoutes } from "./admin-audit.js";
import { adminDevicesRoutes } from "./admin-devices.js";
import { adminRecordingsRoutes } from "./admin-recordings.js";
import { adminUsersRoutes } from "./admin-users.js";
import { callListRoutes } from "./call-list.js";
import { callSessionRoutes } from "./call-session.js";
import { HOME, requireAdminPage, requireSignIn } from "./guards.js";
import { errorPage } from "./layout.js";
import { loginRoutes } from "./login.js";
import { callsPerGroupRoutes } from "./reports-calls-per-group.js";
import { savedFilterRoutes } from "./saved-filters.js";

export interface LegacyOptions {
  db: Db;
  componentsDir?: string;
  /** Failed sign-in limits; pass the API's limiter so both ways in share one count. */
  limiter?: SignInLimiter;
}

/** The largest form a legacy page posts. */
const MAX_FORM_BYTES = 16 * 1024;

export function legacyRoutes({ db, limiter = new SignInLimiter() }: LegacyOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => c.redirect(HOME));

  for (const path of ["/login", "/logout", "/reports/*", "/admin/*"]) {
    app.use(
      path,
      bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => errorPage(c, db, 413, "Form too large", "This form sent more than a page of this site ever sends.") }),
    );
  }
  app.use("/reports/*", requireSignIn());
  app.use("/admin/*", requireSignIn(), requireAdminPage(db));
  // `/admin` and `/reports` alone lead to their first page.
  app.get("/admin", (c) => c.redirect("/admin/recordings"));
  app.get("/reports", (c) => c.redirect(HOME));

  app.route("/", loginRoutes({ db, limiter }));
  app.route("/", callListRoutes(db));
  app.route("/", savedFilterRoutes(db));
  app.route("/", callSessionRoutes(db));
  app.route("/", callsPerGroupRoutes(db));
  app.route("/", adminRecordingsRoutes(db));
  app.route("/", adminUsersRoutes(db));
  app.route("/", adminDevicesRoutes(db));
  app.route("/", adminAuditRoutes(db));

  return app;
}
