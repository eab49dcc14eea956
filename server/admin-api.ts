/**
 * Administrators' part of the JSON API: users with their permissions, permission changes, the
 * recording settings, and the audit log. Everyone else gets 403.
 */
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { loadAccount } from "./access.js";
import { ChangeError, parsePermissionChange, setPermissions, setRecordingSetting, type SettingTarget } from "./admin-changes.js";
import { accountJson, jsonBody } from "./json.js";
import { readAudit } from "./audit.js";
import { requireAdmin, type AppEnv } from "./auth.js";
import type { Db } from "./db.js";
import { handleError } from "./errors.js";

function userJson(db: Db, id: string) {
  const account = loadAccount(db, id);
  if (!account) throw new HTTPException(404, { message: "no such user" });
  return { ...accountJson(account), recording: account.recording, changes: readAudit(db, { subject: `user:${id}`, limit: 50 }) };
}

function applying<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof ChangeError) throw new HTTPException(err.status, { message: err.message });
    throw err;
  }
}

export function adminApiRoutes(db: Db): Hono<AppEnv> {
  const admin = new Hono<AppEnv>();
  admin.onError(handleError);
  admin.use("*", async (c, next) => {
    requireAdmin(c);
    await next();
  });

  admin.get("/users", (c) => {
    const ids = db.prepare("SELECT id FROM users ORDER BY name").all() as { id: string }[];
    return c.json({ users: ids.map(({ id }) => ({ ...accountJson(loadAccount(db, id)!), recording: loadAccount(db, id)!.recording })) });
  });

  admin.get("/users/:id", (c) => c.json(userJson(db, c.req.param("id"))));

  admin.put("/users/:id/permissions", async (c) => {
    const actor = requireAdmin(c);
    const body = await jsonBody(c);
    const id = c.req.param("id");
    if (!loadAccount(db, id)) throw new HTTPException(404, { message: "no such user" });
    applying(() => setPermissions(db, actor.id, id, parsePermissionChange(db, body)));
    return c.json(userJson(db, id));
  });

  const setting = (target: (c: Context) => SettingTarget) => async (c: Context<AppEnv>) => {
    const actor = requireAdmin(c);
    const body = await jsonBody(c);
    applying(() => setRecordingSetting(db, actor.id, target(c), body.recording));
    return c.body(null, 204);
  };
  admin.put("/customer/recording", setting(() => ({ kind: "customer" })));
  admin.put("/users/:id/recording", setting((c) => ({ kind: "user", id: c.req.param("id") ?? "" })));
  admin.put("/devices/:id/recording", setting((c) => ({ kind: "device", id: c.req.param("id") ?? "" })));

  admin.get("/audit", (c) => {
    const action = c.req.query("action");
    return c.json({ entries: readAudit(db, { ...(action ? { actions: [action] } : {}), limit: 500 }) });
  });
  return admin;
}
