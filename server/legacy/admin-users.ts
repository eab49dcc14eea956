/**
 * Users for administrators: the list (`/admin/users`) with each user's recording setting,
 * playback scope, admin flag and primary group, and a user's page (`/admin/users/<id>`) with
 * the Recordings section (the On/Off/Inherit form and the effective result for calls that reach
 * the user on a device that inherits), the Permissions section (playback and its scope, the
 * user's groups: `admin-permissions.ts`) and the changes made for the user.
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { RECORDING_SETTINGS, type PlaybackScope, type RecordingSetting } from "../../src/rules/domain.js";
import { SCOPE_DESCRIPTIONS, SCOPE_LABELS } from "../../src/rules/playback-scope.js";
import { decideSegmentRecording } from "../../src/rules/recording-policy.js";
import { loadAccount } from "../access.js";
import type { AppEnv } from "../auth.js";
import type { Db } from "../db.js";
import { currentPermissionForm, permissionsNotice, permissionsSection, savePermissions, type PermissionForm } from "./admin-permissions.js";
import { plural, SETTING_LABELS } from "./format.js";
import { sessionOf } from "./guards.js";
import { errorPage, renderPage } from "./layout.js";
import { changeNotice, customerSetting, effectiveResult, FUTURE_ONLY, saveSetting, settingForm } from "./recording-settings.js";
import { devicesTable, type DeviceRow } from "./admin-devices.js";

/** Users per page of the list. */
const PAGE_SIZE = 200;

interface UserRow {
  id: string;
  name: string;
  admin: number;
  recording: RecordingSetting;
  playback: PlaybackScope;
  primary_group: string | null;
  group_name: string | null;
}

const USER_SELECT = `SELECT u.id, u.name, u.admin, u.recording, u.playback, u.primary_group, g.name AS group_name
  FROM users u LEFT JOIN groups g ON g.id = u.primary_group`;

/** The address of a user's admin page. */
export function userHref(id: string): string {
  return `/admin/users/${encodeURIComponent(id)}`;
}

export function adminUsersRoutes(db: Db): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/admin/users", (c) => {
    const after = (c.req.query("after") ?? "").slice(0, 200);
    const rows = db.prepare(`${USER_SELECT} WHERE u.id > ? ORDER BY u.id LIMIT ?`).all(after, PAGE_SIZE + 1) as UserRow[];
    const more = rows.length > PAGE_SIZE;
    const users = rows.slice(0, PAGE_SIZE);
    const customer = customerSetting(db);
    return renderPage(c, db, {
      title: "Users",
      lead: html`Recording settings and playback permissions. The customer's recording setting is ${SETTING_LABELS[customer]} (<a href="/admin/recordings">change it</a>).`,
      main: html`<p class="count" role="status">Showing ${plural(users.length, "user")}${after ? " (a later page)" : ""}.</p>
<div class="table-wrap"><table class="users">
  <caption>Users by ID. “Effective” is for calls that reach the user on a device that inherits.</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">ID</th><th scope="col">Recording</th><th scope="col">Effective</th><th scope="col">Playback scope</th><th scope="col">Admin</th><th scope="col">Primary group</th></tr></thead>
  <tbody>${users.map(
    (u) => html`<tr data-user-id="${u.id}">
    <td><a href="${userHref(u.id)}"><bdi>${u.name}</bdi></a></td>
    <td><bdi>${u.id}</bdi></td>
    <td data-setting="${u.recording}">${SETTING_LABELS[u.recording]}</td>
    <td>${effectiveResult(decideSegmentRecording({ device: "inherit", user: u.recording, customer }))}</td>
    <td data-scope="${u.playback}">${SCOPE_LABELS[u.playback]}</td>
    <td>${u.admin ? "Yes" : "No"}</td>
    <td>${u.group_name !== null ? html`<bdi>${u.group_name}</bdi>` : html`<span class="muted">None</span>`}</td>
  </tr>`,
  )}</tbody>
</table></div>
<nav class="paging" aria-label="Pages">${after ? html`<a href="/admin/users">First page</a>` : ""}${more ? html`<a rel="next" href="/admin/users?after=${encodeURIComponent(users[users.length - 1]!.id)}">Next page</a>` : ""}</nav>`,
    });
  });

  const findUser = (id: string) => (id.length <= 200 ? (db.prepare(`${USER_SELECT} WHERE u.id = ?`).get(id) as UserRow | undefined) : undefined);

  /** The user's page; with `permissions`, the permission form as it was sent and why it was refused (400). */
  const userPage = (c: Context<AppEnv>, user: UserRow, permissions?: { form: PermissionForm; problems: string[] }) => {
    const session = sessionOf(c);
    const account = loadAccount(db, user.id)!;
    const customer = customerSetting(db);
    const members = db
      .prepare("SELECT g.name FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = ? ORDER BY g.name")
      .all(user.id) as { name: string }[];
    const devices = db
      .prepare("SELECT d.id, d.name, d.recording, d.user_id, u.name AS user_name, u.recording AS user_recording FROM devices d LEFT JOIN users u ON u.id = d.user_id WHERE d.user_id = ? ORDER BY d.id")
      .all(user.id) as DeviceRow[];
    const page = userHref(user.id);
    return renderPage(c, db, {
      title: `User: ${user.name}`,
      ...(permissions ? { status: 400 as const } : {}),
      main: html`${changeNotice(c, user.recording)}${permissionsNotice(c, account)}
<p><a href="/admin/users">← All users</a></p>
<dl class="details" data-user-id="${user.id}">
  <dt>Name</dt><dd><bdi>${user.name}</bdi></dd>
  <dt>ID (username)</dt><dd><bdi>${user.id}</bdi></dd>
  <dt>Administrator</dt><dd>${user.admin ? "Yes" : "No"}</dd>
  <dt>Playback scope</dt><dd>${SCOPE_LABELS[user.playback]}: ${SCOPE_DESCRIPTIONS[user.playback]}</dd>
  <dt>Primary group</dt><dd>${user.group_name !== null ? html`<bdi>${user.group_name}</bdi>` : "None"}</dd>
  <dt>Member groups</dt><dd>${members.length ? members.map((m, i) => html`${i ? ", " : ""}<bdi>${m.name}</bdi>`) : "None"}</dd>
</dl>
<section id="recordings" aria-labelledby="recordings-heading">
  <h2 id="recordings-heading">Recordings</h2>
  <p>The user's setting is <strong data-setting="${user.recording}">${SETTING_LABELS[user.recording]}</strong>. It decides for calls on devices that inherit; Inherit passes the decision on to the customer (${SETTING_LABELS[customer]}).</p>
  ${settingForm(session, page, user.recording, RECORDING_SETTINGS, "Record this user's calls")}
  <p>Effective for calls that reach this user on a device that inherits: ${effectiveResult(decideSegmentRecording({ device: "inherit", user: user.recording, customer }))}.</p>
  <p>${FUTURE_ONLY}</p>
</section>
${permissionsSection(db, session, user, permissions?.form ?? currentPermissionForm(account), permissions?.problems)}
<section aria-labelledby="devices-heading">
  <h2 id="devices-heading">This user's devices</h2>
  ${devices.length ? devicesTable(devices, customer) : html`<p class="muted">This user owns no device.</p>`}
</section>`,
    });
  };

  app.get("/admin/users/:id", (c) => {
    const user = findUser(c.req.param("id"));
    if (!user) return errorPage(c, db, 404, "User not found", html`There is no user with this ID. <a href="/admin/users">See all users</a>.`);
    return userPage(c, user);
  });

  app.post("/admin/users/:id", (c) => {
    const user = findUser(c.req.param("id"));
    if (!user) return errorPage(c, db, 404, "User not found", "There is no user with this ID; nothing was changed.");
    return saveSetting(c, db, { kind: "user", id: user.id }, user.recording, userHref(user.id));
  });

  // Where signing in again after a refused post comes back to.
  app.get("/admin/users/:id/permissions", (c) => c.redirect(`${userHref(c.req.param("id"))}#permissions`));

  app.post("/admin/users/:id/permissions", async (c) => {
    const user = findUser(c.req.param("id"));
    if (!user) return errorPage(c, db, 404, "User not found", "There is no user with this ID; nothing was changed.");
    const outcome = await savePermissions(c, db, loadAccount(db, user.id)!);
    if ("refused" in outcome) return outcome.refused;
    if ("problems" in outcome) return userPage(c, user, outcome);
    return c.redirect(`${userHref(user.id)}?permissions-${outcome.saved ? "saved" : "unchanged"}#permissions`, 303);
  });

  return app;
}
