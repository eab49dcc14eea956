/**
 * Playback permissions in the legacy admin pages (issue 8), on an app of their own driven
 * in-process (`app.request`; HTTP is not the subject): an administrator grants, widens, narrows and revokes a signed-in user's scope with the
 * form on the user's page, and after every step that user, in the session they already had,
 * lists, opens and streams exactly the recordings the rules of `src/rules/playback-scope.ts` allow,
 * no more (audio URLs handed out earlier stop working at once). Refused changes (not an
 * administrator, another site, no token, an unknown scope or group, no scope) change nothing.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Dataset, PlaybackScope } from "../../src/rules/domain.js";
import { involvedUsers, mayPlayCall, SCOPE_DESCRIPTIONS, SCOPE_LABELS, type Viewer } from "../../src/rules/playback-scope.js";
import { planRecordings } from "../../src/rules/recording-policy.js";
import { loadAccount } from "../../server/access.js";
import { readAudit } from "../../server/audit.js";
import { GRANTED_SCOPES, OWN_CALLS_ALWAYS } from "../../server/legacy/admin-permissions.js";
import { InProcessClient, ORIGIN, inProcessApp, type InProcess } from "../support/in-process.js";
import { csrfOf, getPage, HOSTILE_GROUP, HOSTILE_NAME, legacyDataset, signInForm, unescapeHtml, type Page } from "./legacy-helpers.js";

const data: Dataset = legacyDataset();
const devices = new Map(data.devices.map((d) => [d.id, d]));
const users = new Map(data.users.map((u) => [u.id, u]));
const lookup = { customer: data.customer.recording, device: (id: string) => devices.get(id), user: (id: string) => users.get(id) };
/** Per call: how many recordings it has, and who was involved (nothing here changes recording settings). */
const calls = data.calls.map((call) => ({ id: call.id, groups: call.groups, recordings: planRecordings(call, lookup).length, involved: involvedUsers(call, lookup) }));

/** The calls with recordings a viewer may play, by the rules, with how many recordings each. */
function allowed(viewer: Viewer): Map<string, number> {
  return new Map(
    calls.filter((c) => c.recordings > 0 && mayPlayCall(viewer, { involvedUsers: c.involved, groups: c.groups })).map((c) => [c.id, c.recordings]),
  );
}

let server: InProcess;
let admin: InProcessClient;
const auditCount = () => (server.db.prepare("SELECT COUNT(*) AS n FROM audit_log").get() as { n: number }).n;
const permissionsOf = (id: string) => {
  const a = loadAccount(server.db, id)!;
  return { playback: a.playback, primaryGroup: a.primaryGroup, memberGroups: a.memberGroups };
};

/** A form post as the user page's permission form sends it (repeated memberGroups). */
function permissionFields(csrf: string, fields: { playback?: string; scope?: string; primaryGroup?: string; memberGroups?: string[] }): URLSearchParams {
  const body = new URLSearchParams({ csrf });
  if (fields.playback !== undefined) body.set("playback", fields.playback);
  if (fields.scope !== undefined) body.set("scope", fields.scope);
  body.set("primaryGroup", fields.primaryGroup ?? "");
  for (const g of fields.memberGroups ?? []) body.append("memberGroups", g);
  return body;
}

async function postPermissions(client: InProcessClient, userId: string, body: URLSearchParams, headers: Record<string, string> = {}): Promise<Page> {
  const res = await client.fetch(`/admin/users/${encodeURIComponent(userId)}/permissions`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: body.toString(),
  });
  return { status: res.status, html: await res.text(), location: res.headers.get("location"), headers: res.headers };
}

/** The Permissions section of a user's page. */
function section(html: string): string {
  const m = /<section id="permissions"[\s\S]*?<\/section>/.exec(html);
  assert.ok(m, "the page has a Permissions section");
  return m[0];
}

before(async () => {
  server = await inProcessApp(data);
  admin = new InProcessClient(server.app);
  assert.equal((await signInForm(admin, "admin")).status, 303);
});
after(() => {
  server.db.close();
});

describe("the Permissions section of a user's page", () => {
  test("offers playback On or Off and the four scopes, each explained as on the product page, with the user's groups; every control labelled", async () => {
    const page = await getPage(admin, "/admin/users/bob");
    assert.equal(page.status, 200);
    const html = section(page.html);
    assert.match(html, /<h2 id="permissions-heading">Permissions<\/h2>/);
    assert.match(html, /<form class="panel permissions" method="post" action="\/admin\/users\/bob\/permissions">/);
    assert.match(html, /<input type="hidden" name="csrf" value="[^"]+">/);
    // Fieldsets with legends for the radio groups and the checkboxes.
    const legends = [...html.matchAll(/<fieldset[^>]*>\s*<legend>([^<]*)<\/legend>/g)].map((m) => m[1]);
    assert.deepEqual(legends, ["Recording playback", "Recording access scope (choose one when playback is On)", "Member groups"]);
    // Every control has a label of its own.
    const controls = [...html.matchAll(/<(?:input|select)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(controls.length >= 2 + GRANTED_SCOPES.length + 1 + 4);
    for (const id of controls) assert.match(html, new RegExp(`<label for="${id}">`), `#${id} has a label`);
    assert.equal([...html.matchAll(/<(?:input|select)\b(?![^>]*type="hidden")/g)].length, controls.length, "no control without an id");
    // Bob has Primary Group, Sales, member of Support: shown as chosen.
    assert.match(html, /name="playback" value="on"[^>]* checked>/);
    for (const scope of GRANTED_SCOPES) {
      assert.match(html, new RegExp(`name="scope" value="${scope}"[^>]*${scope === "primary-group" ? " checked" : "(?<! checked)"}>`));
      assert.ok(html.includes(`>${SCOPE_LABELS[scope]}</label>`), `${scope} is labelled ${SCOPE_LABELS[scope]}`);
      assert.ok(unescapeHtml(html).includes(SCOPE_DESCRIPTIONS[scope]), `${scope} is explained`);
    }
    assert.ok(unescapeHtml(html).includes(OWN_CALLS_ALWAYS), "says own calls are always included");
    assert.match(html, /<option value="sales" selected>Sales<\/option>/);
    assert.match(html, /name="memberGroups" value="support" checked>/);
    assert.match(html, /name="memberGroups" value="billing">/);
  });

  test("a user without playback has Off chosen and no scope", async () => {
    const html = section((await getPage(admin, "/admin/users/erin")).html);
    assert.match(html, /name="playback" value="off"[^>]* checked>/);
    assert.doesNotMatch(html, /name="scope"[^>]* checked>/);
  });

  test("names and groups that hold markup are shown as text", async () => {
    const page = await getPage(admin, "/admin/users/mallory");
    assert.equal(page.status, 200);
    assert.ok(!page.html.includes(HOSTILE_NAME) && !page.html.includes("<script>alert(1)"), "the name is escaped");
    assert.ok(!page.html.includes(HOSTILE_GROUP), "the group name is escaped");
    const html = section(page.html);
    assert.match(html, /<option value="ops" selected>&lt;b&gt;Ops &amp; Co&lt;\/b&gt;<\/option>/);
    assert.match(html, /<label for="perm-member-\d+"><bdi>&lt;b&gt;Ops &amp; Co&lt;\/b&gt;<\/bdi><\/label>/);
  });

  test("only administrators see it or change it", async () => {
    const bob = new InProcessClient(server.app);
    await signInForm(bob, "bob");
    const page = await getPage(bob, "/admin/users/alice");
    assert.equal(page.status, 403);
    assert.doesNotMatch(page.html, /id="permissions"/);
    const csrf = csrfOf((await getPage(bob, "/reports/call-list")).html);
    const before = { alice: permissionsOf("alice"), bob: permissionsOf("bob"), audit: auditCount() };
    for (const target of ["alice", "bob"]) {
      const res = await postPermissions(bob, target, permissionFields(csrf, { playback: "on", scope: "all", primaryGroup: "sales" }));
      assert.equal(res.status, 403, `bob changing ${target}`);
      assert.match(res.html, /Only administrators may see this page\./);
    }
    const anon = await postPermissions(new InProcessClient(server.app), "alice", permissionFields("x", { playback: "on", scope: "all" }));
    assert.equal(anon.status, 303, "signed out: sent to sign in");
    assert.equal(anon.location, `/login?next=${encodeURIComponent("/admin/users/alice/permissions")}`);
    const back = await getPage(admin, "/admin/users/alice/permissions");
    assert.equal(back.location, "/admin/users/alice#permissions", "and after signing in, back to the form");
    assert.deepEqual({ alice: permissionsOf("alice"), bob: permissionsOf("bob"), audit: auditCount() }, before);
  });
});

describe("an administrator changes a signed-in user's scope in the legacy interface", () => {
  const target = "alice";
  let user: InProcessClient;
  /** Every audio URL the user has been given so far, by recording id, with its call. */
  const handedOut = new Map<string, { call: string; url: string }>();
  let steps = 0;

  before(async () => {
    user = new InProcessClient(server.app);
    assert.equal((await user.signIn(target)).status, 200);
  });

  /** Sets the permission through the form, checking the redirect, the notice and the stored result. */
  async function change(fields: { playback: "on" | "off"; scope?: PlaybackScope; primaryGroup?: string; memberGroups?: string[] }): Promise<Viewer> {
    const page = await getPage(admin, `/admin/users/${target}`);
    const res = await postPermissions(admin, target, permissionFields(csrfOf(page.html), fields));
    assert.equal(res.status, 303, res.html.slice(0, 2000));
    assert.equal(res.location, `/admin/users/${target}?permissions-saved#permissions`);
    steps++;
    const playback = fields.playback === "off" ? "none" : fields.scope!;
    const shown = await getPage(admin, res.location!);
    assert.ok(unescapeHtml(shown.html).includes(`Saved: playback is now ${SCOPE_LABELS[playback]}: ${SCOPE_DESCRIPTIONS[playback]}`));
    const expected = { playback, primaryGroup: fields.primaryGroup || null, memberGroups: [...(fields.memberGroups ?? [])].sort() };
    assert.deepEqual(permissionsOf(target), expected);
    return { id: target, ...expected };
  }

  /**
   * What the user, in the session they already had, can list (every page of
   * `hasRecording=true`), open (each call's recordings) and stream (each audio URL, this one
   * and every one handed out before): exactly what the rules allow.
   */
  async function assertAccess(viewer: Viewer): Promise<Map<string, number>> {
    const expected = allowed(viewer);
    assert.equal((await user.json<{ playback: string }>("/api/me")).body.playback, viewer.playback, "/api/me has the new scope");

    const listed = new Map<string, number>();
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: { status: number; body: { calls: { id: string; recordings: number }[]; next: string | null } } = await user.json(
        `/api/calls?hasRecording=true&limit=20${cursor ? `&cursor=${cursor}` : ""}`,
      );
      assert.equal(page.status, 200);
      for (const c of page.body.calls) listed.set(c.id, c.recordings);
      cursor = page.body.next;
    }
    assert.deepEqual([...listed].sort(), [...expected].sort(), `${viewer.playback}: the listed calls and their recording counts`);

    for (const call of calls) {
      const detail = await user.json<{ recordings: { id: string; audioUrl: string; downloadUrl: string }[] }>(`/api/calls/${encodeURIComponent(call.id)}`);
      assert.equal(detail.status, 200);
      assert.equal(detail.body.recordings.length, expected.get(call.id) ?? 0, `${viewer.playback}: recordings of ${call.id}`);
      for (const r of detail.body.recordings) handedOut.set(r.id, { call: call.id, url: r.audioUrl });
    }
    for (const [id, { call, url }] of handedOut) {
      const res = await server.app.request(new URL(url, ORIGIN).href, { headers: { range: "bytes=0-3" } });
      await res.arrayBuffer();
      assert.equal(res.status, expected.has(call) ? 206 : 404, `${viewer.playback}: audio of ${id} (${call})`);
    }
    return expected;
  }

  const isStrictSubset = (a: Map<string, number>, b: Map<string, number>) => a.size < b.size && [...a.keys()].every((k) => b.has(k));

  test("grant, widen, narrow and revoke: each applies to the user's very next request", async () => {
    const before = await assertAccess({ id: target, ...permissionsOf(target) });
    assert.ok(before.size > 0, "Alice starts with her own calls");

    const none1 = await assertAccess(await change({ playback: "off", scope: "own", primaryGroup: "sales" }));
    assert.equal(none1.size, 0, "revoked: nothing, even with a scope still chosen in the form");

    const own = await assertAccess(await change({ playback: "on", scope: "own", primaryGroup: "sales" }));
    assert.deepEqual([...own.keys()].sort(), [...before.keys()].sort(), "granted Own Calls: her calls again");

    const primary = await assertAccess(await change({ playback: "on", scope: "primary-group", primaryGroup: "support" }));
    assert.ok(isStrictSubset(own, primary), "widened to Primary Group (Support)");

    const members = await assertAccess(await change({ playback: "on", scope: "member-groups", primaryGroup: "support", memberGroups: ["ops"] }));
    assert.ok(isStrictSubset(primary, members), "widened to Member Groups (Support, Ops)");

    const narrowed = await assertAccess(await change({ playback: "on", scope: "primary-group", primaryGroup: "support", memberGroups: ["ops"] }));
    assert.ok(isStrictSubset(narrowed, members), "narrowed to Primary Group, the member groups kept but unused");
    assert.deepEqual([...narrowed.keys()].sort(), [...primary.keys()].sort());

    const all = await assertAccess(await change({ playback: "on", scope: "all", primaryGroup: "support" }));
    assert.ok(isStrictSubset(members, all), "widened to All Calls");
    assert.equal(all.size, calls.filter((c) => c.recordings > 0).length, "every recorded call");

    const ownAgain = await assertAccess(await change({ playback: "on", scope: "own", primaryGroup: "support" }));
    assert.ok(isStrictSubset(ownAgain, all), "narrowed to Own Calls");
    assert.deepEqual([...ownAgain.keys()].sort(), [...own.keys()].sort(), "her own calls, whatever her groups");

    const none2 = await assertAccess(await change({ playback: "off", primaryGroup: "support" }));
    assert.equal(none2.size, 0, "revoked again");
  });

  test("sending what is already set changes nothing and says so", async () => {
    const before = auditCount();
    const page = await getPage(admin, `/admin/users/${target}`);
    const res = await postPermissions(admin, target, permissionFields(csrfOf(page.html), { playback: "off", scope: "all", primaryGroup: "support" }));
    assert.equal(res.location, `/admin/users/${target}?permissions-unchanged#permissions`);
    assert.match((await getPage(admin, res.location!)).html, /Nothing to change: the permissions were already these\./);
    assert.equal(auditCount(), before);
  });

  test("the user's page lists the changes beside the user: who changed what, when, newest first", async () => {
    const page = await getPage(admin, `/admin/users/${target}`);
    const history = /<section id="changes"[\s\S]*?<\/section>/.exec(page.html)![0];
    assert.match(history, /<caption>Changes made for <bdi>Alice Tester<\/bdi>, newest first/);
    const rows = [...history.matchAll(/<tr data-audit-id="(\d+)" data-action="([^"]+)">([\s\S]*?)<\/tr>/g)];
    const entries = readAudit(server.db, { subject: `user:${target}` });
    assert.equal(rows.length, entries.length);
    assert.equal(entries.filter((e) => e.action === "permission").length, steps);
    assert.deepEqual(rows.map((r) => Number(r[1])), entries.map((e) => e.id), "newest first, as in the audit log");
    const [latest] = rows;
    assert.equal(latest![2], "permission");
    assert.match(latest![3]!, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z">/);
    assert.match(latest![3]!, /<bdi>Admin Tester<\/bdi> <span class="muted">\(<bdi>admin<\/bdi>\)<\/span>/);
    assert.match(latest![3]!, /<td>Permission<\/td>/);
    assert.match(latest![3]!, /playback own, primary group support, member groups none → playback none, primary group support, member groups none/);
  });

  test("a change for a user whose name is markup is shown as text in the history too", async () => {
    const page = await getPage(admin, "/admin/users/mallory");
    const res = await postPermissions(admin, "mallory", permissionFields(csrfOf(page.html), { playback: "on", scope: "primary-group", primaryGroup: "ops" }));
    assert.equal(res.status, 303);
    const after = await getPage(admin, res.location!);
    assert.ok(!after.html.includes(HOSTILE_NAME));
    assert.match(after.html, /<caption>Changes made for <bdi>&lt;script&gt;alert\(1\)&lt;\/script&gt;\u202Eevil<\/bdi>/);
  });
});

describe("refused changes change nothing", () => {
  const target = "carol";
  let csrf: string;
  before(async () => {
    csrf = csrfOf((await getPage(admin, `/admin/users/${target}`)).html);
  });

  /** Posts an invalid change: 400, the problems on the page, the form as sent, and nothing changed. */
  async function refused(fields: Parameters<typeof permissionFields>[1], problems: RegExp[]): Promise<string> {
    const before = { permissions: permissionsOf(target), audit: auditCount() };
    const res = await postPermissions(admin, target, permissionFields(csrf, fields));
    assert.equal(res.status, 400, JSON.stringify(fields));
    const html = section(res.html);
    const alert = /<div class="message error" role="alert" id="permissions-problems">([\s\S]*?)<\/div>/.exec(html);
    assert.ok(alert, "the problems are shown in an alert");
    assert.match(alert[1]!, /The permissions were not changed:/);
    for (const p of problems) assert.match(unescapeHtml(alert[1]!), p);
    assert.deepEqual({ permissions: permissionsOf(target), audit: auditCount() }, before, "nothing changed");
    return html;
  }

  test("an unknown scope is named, and the form keeps what was sent", async () => {
    const html = await refused({ playback: "on", scope: "everything", primaryGroup: "billing", memberGroups: ["sales"] }, [/Scope: “everything” is not a scope; choose one of Own Calls, Primary Group, Member Groups, All Calls\./]);
    assert.match(html, /name="scope" value="everything"[^>]* checked>/);
    assert.match(html, /name="playback" value="on"[^>]* checked>/);
    assert.match(html, /<option value="billing" selected>Billing<\/option>/);
    assert.match(html, /name="memberGroups" value="sales" checked>/);
    assert.match(html, /name="memberGroups" value="billing">/);
    await refused({ playback: "on", scope: "none" }, [/Scope: “none” is not a scope/]);
  });

  test("an unknown primary or member group is named by the shared check, and kept in the form", async () => {
    const html = await refused({ playback: "on", scope: "own", primaryGroup: "marketing", memberGroups: ["support", "nope"] }, [
      /Primary group: unknown group "marketing"/,
      /Member groups: unknown group "nope"/,
    ]);
    assert.match(html, /name="scope" value="own"[^>]* checked>/);
    assert.match(html, /<option value="marketing" selected>“marketing” \(no such group\)<\/option>/);
    assert.match(html, /name="memberGroups" value="support" checked>/);
    assert.match(html, /name="memberGroups" value="nope" checked>/);
  });

  test("playback On without a scope, or neither On nor Off, is refused", async () => {
    const html = await refused({ playback: "on", primaryGroup: "support", memberGroups: ["billing", "<x>"] }, [
      /Scope: playback is On, so choose one scope: Own Calls, Primary Group, Member Groups, All Calls\./,
      /Member groups: unknown group "<x>"/,
    ]);
    assert.doesNotMatch(html, /name="scope"[^>]* checked>/);
    assert.match(html, /name="memberGroups" value="&lt;x&gt;" checked>/, "kept, as text");
    await refused({ scope: "all", primaryGroup: "support" }, [/Recording playback: choose On or Off\./]);
    await refused({ playback: "maybe", scope: "all", primaryGroup: "support" }, [/Recording playback: “maybe” is neither On nor Off\./]);
  });

  test("no token, a wrong one, or a post from another site is refused with 403", async () => {
    const before = { permissions: permissionsOf(target), audit: auditCount() };
    const change = { playback: "on", scope: "all", primaryGroup: "support" };
    assert.equal((await postPermissions(admin, target, permissionFields("", change))).status, 403, "no token");
    assert.equal((await postPermissions(admin, target, permissionFields("wrong", change))).status, 403, "a wrong token");
    for (const headers of [
      { origin: "https://evil.example" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "cross-site" },
      { origin: "null", "sec-fetch-site": "cross-site" },
      { origin: "null" },
      { origin: ORIGIN.replace("127.0.0.1", "localhost"), "sec-fetch-site": "same-site" },
    ] as Record<string, string>[]) {
      const res = await postPermissions(admin, target, permissionFields(csrf, change), headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
    }
    assert.deepEqual({ permissions: permissionsOf(target), audit: auditCount() }, before);
  });

  test("the same post from this site's own page goes through, with its origin or with Origin: null", async () => {
    const change = { playback: "on", scope: "all", primaryGroup: "support", memberGroups: ["billing"] };
    const own = await postPermissions(admin, target, permissionFields(csrf, change), { origin: ORIGIN, "sec-fetch-site": "same-origin" });
    assert.equal(own.status, 303);
    assert.equal(permissionsOf(target).playback, "all");
    const hidden = await postPermissions(admin, target, permissionFields(csrf, { ...change, scope: "member-groups" }), { origin: "null", "sec-fetch-site": "same-origin" });
    assert.equal(hidden.status, 303, "a browser that hides the origin but says same-origin");
    assert.equal(permissionsOf(target).playback, "member-groups");
  });

  test("an unknown user is 404", async () => {
    const res = await postPermissions(admin, "nobody", permissionFields(csrf, { playback: "on", scope: "all" }));
    assert.equal(res.status, 404);
  });
});
