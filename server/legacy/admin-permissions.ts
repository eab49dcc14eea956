/**
 * A user's playback permission on their admin page (`/admin/users/<id>`, section
 * "Permissions"): playback On or Off, and when On exactly one scope (Own Calls, Primary Group,
 * Member Groups, All Calls, each explained as on the product page), with the user's primary
 * and member groups. The form posts to `/admin/users/<id>/permissions`; the change is checked
 * and written by the same `parsePermissionChange` and `setPermissions` as the JSON API, so it is
 * audited the same way and applies from the user's next request. A refused change writes
 * nothing and shows the form again as it was sent, with what is wrong. Beside it, the changes
 * made for this user (who changed what, when) from the audit log.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { PlaybackScope } from "../../src/rules/domain.js";
import { SCOPE_DESCRIPTIONS, SCOPE_LABELS } from "../../src/rules/playback-scope.js";
import type { Account } from "../access.js";
import { ChangeError, parsePermissionChange, setPermissions, type PermissionChange } from "../admin-changes.js";
import { readAudit } from "../audit.js";
import type { AppEnv, SessionInfo } from "../auth.js";
import type { Db } from "../db.js";
import { AUDIT_ACTIONS } from "./admin-audit.js";
import { csrfField, readFormLists } from "./forms.js";
import { plural, timeEl, type Html } from "./format.js";
import { checkedForm, sessionOf } from "./guards.js";
import { notice } from "./layout.js";

/** The scopes an administrator chooses from when playback is On, in the product page's order. */
export const GRANTED_SCOPES = ["own", "primary-group", "member-groups", "all"] as const satisfies readonly PlaybackScope[];

/** Said wherever a scope is chosen: the product page's footnote. */
export const OWN_CALLS_ALWAYS =
  "Own calls are always included: whichever scope is chosen, the user may play back the calls they were involved in, including the whole of any conference they joined.";

/** The permission form's fields, as shown: from the user as they are, or as an administrator sent them. */
export interface PermissionForm {
  /** "on", "off", or whatever was sent. */
  playback: string;
  /** A scope id when playback is On; "" for none chosen. */
  scope: string;
  /** A group id, "" for none. */
  primaryGroup: string;
  memberGroups: string[];
}

/** The form as it is for a user now. */
export function currentPermissionForm(account: Account): PermissionForm {
  return {
    playback: account.playback === "none" ? "off" : "on",
    scope: account.playback === "none" ? "" : account.playback,
    primaryGroup: account.primaryGroup ?? "",
    memberGroups: [...account.memberGroups],
  };
}

/** Entries of the change history one page shows. */
const HISTORY_LIMIT = 50;

const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);
const scopeList = GRANTED_SCOPES.map((s) => SCOPE_LABELS[s]).join(", ");
/** Ids of controls, made from a group id that may hold anything. */
const controlId = (prefix: string, i: number) => `${prefix}-${i}`;

interface Group {
  id: string;
  name: string;
}

/** The Permissions section: the form (with problems, when a change was refused) and the change history. */
export function permissionsSection(db: Db, session: SessionInfo, user: { id: string; name: string }, form: PermissionForm, problems: string[] = []): Html {
  const groups = db.prepare("SELECT id, name FROM groups ORDER BY name COLLATE NOCASE, id").all() as Group[];
  const known = new Set(groups.map((g) => g.id));
  const action = `/admin/users/${encodeURIComponent(user.id)}/permissions`;
  const checked = (on: boolean) => (on ? html` checked` : "");

  const playbackChoice = (value: "on" | "off", label: string, help: string) =>
    html`<div class="choice"><input type="radio" id="perm-playback-${value}" name="playback" value="${value}" aria-describedby="perm-playback-${value}-help"${checked(form.playback === value)}>
      <label for="perm-playback-${value}">${label}</label>
      <span class="help" id="perm-playback-${value}-help">${help}</span></div>`;

  // A value that was sent but is not one of the choices stays visible (and chosen), so the
  // administrator sees what was refused.
  const oddScope = form.scope && !(GRANTED_SCOPES as readonly string[]).includes(form.scope) ? form.scope : undefined;
  const scopeChoice = (value: string, label: string | Html, help: string, i: number) =>
    html`<div class="choice"><input type="radio" id="perm-scope-${i}" name="scope" value="${value}" aria-describedby="perm-scope-${i}-help"${checked(form.scope === value)}>
      <label for="perm-scope-${i}">${label}</label>
      <span class="help" id="perm-scope-${i}-help">${help}</span></div>`;

  const oddPrimary = form.primaryGroup && !known.has(form.primaryGroup) ? form.primaryGroup : undefined;
  const oddMembers = form.memberGroups.filter((g) => !known.has(g));
  const memberChoice = (value: string, label: Html, on: boolean, i: number) =>
    html`<div class="choice"><input type="checkbox" id="${controlId("perm-member", i)}" name="memberGroups" value="${value}"${checked(on)}>
      <label for="${controlId("perm-member", i)}">${label}</label></div>`;

  return html`<section id="permissions" aria-labelledby="permissions-heading">
  <h2 id="permissions-heading">Permissions</h2>
  <p>Playback of call recordings is a permission a user either lacks or has with one scope. A change applies from the user's next page or request; audio links already given to them stop working for calls they may no longer play.</p>
  ${problems.length ? html`<div class="message error" role="alert" id="permissions-problems"><p>The permissions were not changed:</p><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ""}
  <form class="panel permissions" method="post" action="${action}"${problems.length ? html` aria-describedby="permissions-problems"` : ""}>
    ${csrfField(session)}
    <fieldset>
      <legend>Recording playback</legend>
      ${playbackChoice("off", "Off", SCOPE_DESCRIPTIONS.none)}
      ${playbackChoice("on", "On", "The user may play back the recordings of the scope chosen below.")}
    </fieldset>
    <fieldset aria-describedby="perm-own-always">
      <legend>Recording access scope (choose one when playback is On)</legend>
      <p class="help" id="perm-own-always">${OWN_CALLS_ALWAYS}</p>
      ${GRANTED_SCOPES.map((s, i) => scopeChoice(s, SCOPE_LABELS[s], SCOPE_DESCRIPTIONS[s], i))}
      ${oddScope !== undefined ? scopeChoice(oddScope, html`“<bdi>${clip(oddScope)}</bdi>”`, "Not a scope: choose one of the above.", GRANTED_SCOPES.length) : ""}
    </fieldset>
    <p class="field"><label for="perm-primary-group">Primary group</label><br>
      <select id="perm-primary-group" name="primaryGroup" aria-describedby="perm-primary-group-help">
        <option value=""${form.primaryGroup === "" ? html` selected` : ""}>None</option>
        ${groups.map((g) => html`<option value="${g.id}"${form.primaryGroup === g.id ? html` selected` : ""}>${g.name}</option>`)}
        ${oddPrimary !== undefined ? html`<option value="${oddPrimary}" selected>“${clip(oddPrimary)}” (no such group)</option>` : ""}
      </select>
      <span class="help" id="perm-primary-group-help">Primary Group plays back this group's calls; Member Groups plays back this group's and the member groups' calls.</span></p>
    <fieldset>
      <legend>Member groups</legend>
      ${groups.length || oddMembers.length ? "" : html`<p class="muted">There are no groups.</p>`}
      ${groups.map((g, i) => memberChoice(g.id, html`<bdi>${g.name}</bdi>`, form.memberGroups.includes(g.id), i))}
      ${oddMembers.map((g, i) => memberChoice(g, html`“<bdi>${clip(g)}</bdi>” (no such group)`, true, groups.length + i))}
    </fieldset>
    <button type="submit">Save permissions</button>
  </form>
</section>
${changeHistory(db, user)}`;
}

/** The changes made for this user, newest first: who changed what, when. */
function changeHistory(db: Db, user: { id: string; name: string }): Html {
  const rows = readAudit(db, { subject: `user:${user.id}`, limit: HISTORY_LIMIT });
  const actors = [...new Set(rows.map((r) => r.actor))];
  const names = new Map(
    actors.length
      ? (db.prepare(`SELECT id, name FROM users WHERE id IN (${actors.map(() => "?").join(", ")})`).all(...actors) as { id: string; name: string }[]).map((u) => [u.id, u.name])
      : [],
  );
  return html`<section id="changes" aria-labelledby="changes-heading">
  <h2 id="changes-heading">Changes to this user</h2>
  ${
    rows.length
      ? html`<div class="table-wrap"><table class="changes">
  <caption>Changes made for <bdi>${user.name}</bdi>, newest first (${plural(rows.length, "change")}${rows.length === HISTORY_LIMIT ? ", the latest only; see the audit log" : ""}). Times are UTC.</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Changed by</th><th scope="col">What</th><th scope="col">Change</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr data-audit-id="${r.id}" data-action="${r.action}">
    <td>${timeEl(r.at)}</td>
    <td>${names.has(r.actor) ? html`<bdi>${names.get(r.actor)}</bdi> <span class="muted">(<bdi>${r.actor}</bdi>)</span>` : html`<bdi>${r.actor}</bdi>`}</td>
    <td>${AUDIT_ACTIONS[r.action as keyof typeof AUDIT_ACTIONS] ?? r.action}</td>
    <td><bdi>${r.detail}</bdi></td>
  </tr>`,
  )}</tbody>
</table></div>`
      : html`<p class="muted">No one has changed this user's permissions or recording setting.</p>`
  }
</section>`;
}

/** The confirmation to show after a permission change redirected back to the user's page. */
export function permissionsNotice(c: Context<AppEnv>, account: Account): Html | "" {
  const scope = html`${SCOPE_LABELS[account.playback]}: ${SCOPE_DESCRIPTIONS[account.playback]}`;
  if (c.req.query("permissions-saved") !== undefined) return notice("ok", html`Saved: playback is now ${scope} This applies from the user's next request.`);
  if (c.req.query("permissions-unchanged") !== undefined) return notice("ok", html`Nothing to change: the permissions were already these. Playback is ${scope}`);
  return "";
}

/** What a field of the shared validator is called on the page. */
function onPage(problem: string): string {
  return problem
    .replace(/^primaryGroup:/, "Primary group:")
    .replace(/^memberGroups(\[\d+\])?:/, "Member groups:")
    .replace(/^playback:/, "Scope:");
}

const same = (a: PermissionChange, b: Account) =>
  a.playback === b.playback && a.primaryGroup === b.primaryGroup && a.memberGroups.join("\n") === [...b.memberGroups].sort().join("\n");

export type PermissionOutcome = { saved: boolean } | { refused: Response } | { problems: string[]; form: PermissionForm };

/**
 * Reads a posted permission change for `user` and applies it: `saved` (false when it changed
 * nothing), `refused` (a missing or wrong token: the 403 page), or the `problems` to show with
 * the form as it was sent. Only a change without problems is written.
 */
export async function savePermissions(c: Context<AppEnv>, db: Db, user: Account): Promise<PermissionOutcome> {
  const checked = await checkedForm(c, db);
  if ("refused" in checked) return checked;
  const lists = await readFormLists(c);
  const form: PermissionForm = {
    playback: checked.form.playback ?? "",
    scope: checked.form.scope ?? "",
    primaryGroup: checked.form.primaryGroup ?? "",
    memberGroups: [...new Set(lists.memberGroups ?? [])],
  };

  const problems: string[] = [];
  let playback: PlaybackScope = "none";
  if (form.playback === "on") {
    if (form.scope === "") problems.push(`Scope: playback is On, so choose one scope: ${scopeList}.`);
    else if (!(GRANTED_SCOPES as readonly string[]).includes(form.scope)) problems.push(`Scope: “${clip(form.scope)}” is not a scope; choose one of ${scopeList}.`);
    else playback = form.scope as PlaybackScope;
  } else if (form.playback !== "off") {
    problems.push(form.playback === "" ? "Recording playback: choose On or Off." : `Recording playback: “${clip(form.playback)}” is neither On nor Off.`);
  }

  // The same check as the JSON API's: the scope again, and every group.
  let change: PermissionChange | undefined;
  try {
    change = parsePermissionChange(db, { playback, primaryGroup: form.primaryGroup === "" ? null : form.primaryGroup, memberGroups: form.memberGroups });
  } catch (err) {
    if (!(err instanceof ChangeError)) throw err;
    problems.push(...err.message.split("; ").map(onPage));
  }
  if (problems.length || !change) return { problems, form };

  if (same(change, user)) return { saved: false };
  try {
    setPermissions(db, sessionOf(c).account.id, user.id, change);
  } catch (err) {
    // The user was removed between the page and the post.
    if (err instanceof ChangeError) return { problems: [err.message], form };
    throw err;
  }
  return { saved: true };
}
