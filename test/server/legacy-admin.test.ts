/**
 * The legacy admin pages over real HTTP, on a server of their own (they change settings):
 * administrators only; recording settings changed with the form's token, validated, audited,
 * shown with their effective result; the audit log.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readAudit } from "../../server/audit.js";
import { Client, startServer, type RunningServer } from "../support/server.js";
import { signedInClients } from "../support/signed-in.js";
import { csrfOf, dataAttr, getPage, legacyDataset, postForm, signInForm } from "./legacy-helpers.js";

let server: RunningServer;
const as = signedInClients(() => server.url, signInForm, 303);

const setting = (table: "users" | "devices", id: string) =>
  (server.db.prepare(`SELECT recording FROM ${table} WHERE id = ?`).get(id) as { recording: string }).recording;
const customer = () => (server.db.prepare("SELECT recording FROM customer").get() as { recording: string }).recording;
const auditCount = () => (server.db.prepare("SELECT COUNT(*) AS n FROM audit_log").get() as { n: number }).n;

before(async () => {
  server = await startServer({ dataset: legacyDataset() });
});
after(async () => {
  await server.close();
});

describe("who may see the admin pages", () => {
  test("someone who is not an administrator gets a 403 page, and a signed-out visitor the sign-in page", async () => {
    const alice = await as("alice");
    for (const path of ["/admin/recordings", "/admin/users", "/admin/users/alice", "/admin/devices", "/admin/devices/ext-alice", "/admin/audit"]) {
      const page = await getPage(alice, path);
      assert.equal(page.status, 403, path);
      assert.match(page.html, /Only administrators may see this page\./, path);
      const anon = await getPage(new Client(server.url), path);
      assert.equal(anon.status, 302, path);
      assert.equal(anon.location, `/login?next=${encodeURIComponent(path)}`);
    }
  });

  test("someone who is not an administrator cannot change a setting, even with their own token", async () => {
    const alice = await as("alice");
    const csrf = csrfOf((await getPage(alice, "/reports/call-list")).html);
    const before = auditCount();
    const res = await postForm(alice, "/admin/users/alice", { csrf, recording: "off" });
    assert.equal(res.status, 403);
    assert.equal(setting("users", "alice"), "inherit");
    assert.equal((await postForm(alice, "/admin/recordings", { csrf, recording: "off" })).status, 403);
    assert.equal(customer(), "on");
    assert.equal(auditCount(), before);
  });
});

describe("users", () => {
  test("the list shows each user's recording setting, playback scope, admin flag and primary group", async () => {
    const page = await getPage(await as("admin"), "/admin/users");
    assert.equal(page.status, 200);
    const row = /<tr data-user-id="bob">[\s\S]*?<\/tr>/.exec(page.html)![0];
    assert.match(row, /<a href="\/admin\/users\/bob"><bdi>Bob Tester<\/bdi><\/a>/);
    assert.match(row, /<td data-setting="inherit">Inherit<\/td>/);
    assert.match(row, /<td data-scope="primary-group">Primary Group<\/td>/);
    assert.match(row, /<td>No<\/td>/);
    assert.match(row, /<bdi>Sales<\/bdi>/);
    const frank = /<tr data-user-id="frank">[\s\S]*?<\/tr>/.exec(page.html)![0];
    assert.match(frank, /<td data-setting="off">Off<\/td>/);
    assert.match(frank, /Not recorded: the device inherits, the user is Off/);
    assert.match(/<tr data-user-id="admin">[\s\S]*?<\/tr>/.exec(page.html)![0], /<td>Yes<\/td>/);
  });

  test("a user's page shows the Recordings section with the effective result and its reason", async () => {
    const page = await getPage(await as("admin"), "/admin/users/alice");
    assert.equal(page.status, 200);
    assert.match(page.html, /<h2 id="recordings-heading">Recordings<\/h2>/);
    assert.match(page.html, /<input type="radio" name="recording" value="inherit" checked> Inherit/);
    assert.match(page.html, /<span class="effective" data-recorded="true">Recorded: the device inherits, the user inherits, the customer is On<\/span>/);
    assert.match(page.html, /A change applies to calls made after it; recordings that already exist are never changed or removed\./);
    assert.equal((await getPage(await as("admin"), "/admin/users/nobody")).status, 404);
  });

  test("changing a user's setting with the form's token saves it, audits it and shows the new effective result; existing recordings stay", async () => {
    const admin = await as("admin");
    const page = await getPage(admin, "/admin/users/alice");
    const res = await postForm(admin, "/admin/users/alice", { csrf: csrfOf(page.html), recording: "off" });
    assert.equal(res.status, 303);
    assert.equal(res.location, "/admin/users/alice?saved");
    assert.equal(setting("users", "alice"), "off");
    const [entry] = readAudit(server.db, { subject: "user:alice" });
    assert.deepEqual(
      { actor: entry!.actor, action: entry!.action, subject: entry!.subject, detail: entry!.detail },
      { actor: "admin", action: "recording-setting", subject: "user:alice", detail: "inherit → off" },
    );
    const after = await getPage(admin, res.location!);
    assert.match(after.html, /role="status">Saved: the recording setting is now Off\./);
    assert.match(after.html, /<input type="radio" name="recording" value="off" checked> Off/);
    assert.match(after.html, /data-recorded="false">Not recorded: the device inherits, the user is Off</);
    // Changing a setting affects future calls only: Alice's recorded call still has its recording.
    const session = await getPage(await as("alice"), "/reports/call-session?call=c-alice");
    assert.equal(dataAttr(session.html, /<section id="call-session"[^>]*>/, "data-recordings"), "1");
  });

  test("a value other than on, off or inherit is refused with 400 and changes nothing", async () => {
    const admin = await as("admin");
    const csrf = csrfOf((await getPage(admin, "/admin/users/bob")).html);
    const before = auditCount();
    for (const value of ["sometimes", "", "ON", "<script>"]) {
      const res = await postForm(admin, "/admin/users/bob", { csrf, recording: value });
      assert.equal(res.status, 400, JSON.stringify(value));
      assert.match(res.html, /Choose On, Off or Inherit\. Nothing was changed\./);
    }
    assert.equal((await postForm(admin, "/admin/users/bob", { csrf })).status, 400, "no value at all");
    assert.equal(setting("users", "bob"), "inherit");
    assert.equal(auditCount(), before);
  });

  test("a missing or wrong token is refused with 403 and changes nothing", async () => {
    const admin = await as("admin");
    const before = auditCount();
    assert.equal((await postForm(admin, "/admin/users/bob", { recording: "on" })).status, 403);
    assert.equal((await postForm(admin, "/admin/users/bob", { csrf: "wrong", recording: "on" })).status, 403);
    const other = await as("carol");
    const carolsToken = csrfOf((await getPage(other, "/reports/call-list")).html);
    assert.equal((await postForm(admin, "/admin/users/bob", { csrf: carolsToken, recording: "on" })).status, 403, "another session's token");
    const json = await admin.fetch("/admin/users/bob", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ recording: "on" }) });
    assert.equal(json.status, 403);
    assert.equal(setting("users", "bob"), "inherit");
    assert.equal(auditCount(), before);
  });

  test("a post from another site is refused with 403 even with the right token", async () => {
    const admin = await as("admin");
    const csrf = csrfOf((await getPage(admin, "/admin/users/bob")).html);
    const before = auditCount();
    const res = await postForm(admin, "/admin/users/bob", { csrf, recording: "on" }, { origin: "https://evil.example" });
    assert.equal(res.status, 403);
    const site = await postForm(admin, "/admin/users/bob", { csrf, recording: "on" }, { "sec-fetch-site": "cross-site" });
    assert.equal(site.status, 403);
    assert.equal(setting("users", "bob"), "inherit");
    assert.equal(auditCount(), before);
    const own = await postForm(admin, "/admin/users/bob", { csrf, recording: "inherit" }, { origin: server.url, "sec-fetch-site": "same-origin" });
    assert.equal(own.status, 303, "the same site's post is fine");
    assert.equal(own.location, "/admin/users/bob?unchanged", "an unchanged value is said to be unchanged");
    assert.equal(auditCount(), before, "and is not audited");
  });
});

describe("devices and the customer", () => {
  test("the device list shows each setting and the effective result with its reason", async () => {
    const page = await getPage(await as("admin"), "/admin/devices");
    const row = (id: string) => new RegExp(`<tr data-device-id="${id}">[\\s\\S]*?</tr>`).exec(page.html)![0];
    assert.match(row("ext-quiet"), /<td data-setting="off">Off<\/td>[\s\S]*Not recorded: the device is Off/);
    assert.match(row("ext-bob"), /Recorded: the device is On/);
    assert.match(row("ext-frank"), /Not recorded: the device inherits, the user is Off/);
    assert.match(row("ext-shared"), /No owner[\s\S]*Recorded: the device inherits, there is no user, the customer is On/);
  });

  test("changing a device's setting is saved, audited and shown", async () => {
    const admin = await as("admin");
    const page = await getPage(admin, "/admin/devices/ext-quiet");
    assert.match(page.html, /<input type="radio" name="recording" value="off" checked> Off/);
    const res = await postForm(admin, "/admin/devices/ext-quiet", { csrf: csrfOf(page.html), recording: "inherit" });
    assert.equal(res.status, 303);
    assert.equal(setting("devices", "ext-quiet"), "inherit");
    const [entry] = readAudit(server.db, { subject: "device:ext-quiet" });
    assert.equal(entry!.detail, "off → inherit");
    assert.equal(entry!.action, "recording-setting");
    const shown = await getPage(admin, res.location!);
    assert.match(shown.html, /Recorded: the device inherits, there is no user, the customer is On/);
    assert.equal((await postForm(admin, "/admin/devices/ext-nope", { csrf: csrfOf(page.html), recording: "on" })).status, 404);
  });

  test("the customer's setting is On or Off only, and changing it changes what inheriting users get", async () => {
    const admin = await as("admin");
    const page = await getPage(admin, "/admin/recordings");
    assert.match(page.html, /<strong data-setting="on">On<\/strong>/);
    assert.match(page.html, /<a href="\/admin\/users">Users<\/a>/);
    assert.match(page.html, /<a href="\/admin\/devices">Devices<\/a>/);
    assert.doesNotMatch(page.html, /value="inherit"/, "the customer has no one to inherit from");
    const csrf = csrfOf(page.html);
    const refused = await postForm(admin, "/admin/recordings", { csrf, recording: "inherit" });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /Choose On or Off\./);
    assert.equal(customer(), "on");
    const res = await postForm(admin, "/admin/recordings", { csrf, recording: "off" });
    assert.equal(res.status, 303);
    assert.equal(customer(), "off");
    assert.equal(readAudit(server.db, { subject: "customer" })[0]!.detail, "on → off");
    const bob = await getPage(admin, "/admin/users/bob");
    assert.match(bob.html, /Not recorded: the device inherits, the user inherits, the customer is Off/);
  });
});

describe("the audit log", () => {
  test("administrators see it newest first and filter it by action; others get 403", async () => {
    const admin = await as("admin");
    const page = await getPage(admin, "/admin/audit");
    assert.equal(page.status, 200);
    for (const header of ["When", "Who", "Action", "Subject", "Detail"]) assert.match(page.html, new RegExp(`<th scope="col">${header}</th>`));
    const ids = [...page.html.matchAll(/<tr data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));
    assert.ok(ids.length >= 3);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), "newest first");
    assert.match(page.html, /<bdi>Admin Tester<\/bdi> <span class="muted">\(<bdi>admin<\/bdi>\)<\/span>/);
    assert.match(page.html, /<bdi>user:alice<\/bdi><\/td>\s*<td><bdi>inherit → off<\/bdi>/);

    server.db.prepare("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, 'bob', 'play', 'r1-1', '')").run(new Date().toISOString());
    const plays = await getPage(admin, "/admin/audit?action=play");
    assert.deepEqual([...plays.html.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]), ["play"]);
    assert.match(plays.html, /<option value="play" selected>Playback<\/option>/);
    const settings = await getPage(admin, "/admin/audit?action=recording-setting");
    assert.ok([...settings.html.matchAll(/data-action="([^"]+)"/g)].every((m) => m[1] === "recording-setting"));
    assert.equal((await getPage(admin, "/admin/audit?action=toString")).status, 400);
    assert.equal((await getPage(await as("bob"), "/admin/audit")).status, 403);
  });
});
