/**
 * The legacy reporting interface over real HTTP: signing in, the Call List with its filters,
 * paging and saved filters, the Call Session view, the Calls per Group report, hostile names,
 * and the admin pages with their CSRF, validation and audit.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client, startServer, type RunningServer } from "../support/server.js";
import { signedInClients } from "../support/signed-in.js";
import { PLAYABLE, RECORDING_COUNT } from "../support/fixture-dataset.js";
import {
  BUSY_CALLS,
  BUSY_DAY,
  HOSTILE_DEVICE,
  HOSTILE_GROUP,
  HOSTILE_NAME,
  LONG_NAME,
  ODD_CALL_ID,
  callIds,
  csrfOf,
  dataAttr,
  getPage,
  legacyDataset,
  linkHref,
  postForm,
  signInForm,
  unescapeHtml,
} from "./legacy-helpers.js";

const FIXTURE_DAY = "2026-11-20";
const FIXTURE_CALLS = ["c-dave", "c-conference", "c-abandoned", "c-quiet", "c-frank-off", "c-transfer", "c-bob", "c-alice"];

let server: RunningServer;
/** A client signed in through the form, one per user for the whole file. */
const as = signedInClients(() => server.url, signInForm, 303);

before(async () => {
  server = await startServer({ dataset: legacyDataset() });
});
after(async () => {
  await server.close();
});

describe("signing in and out", () => {
  test("the sign-in page has labelled username and password fields", async () => {
    const page = await getPage(new Client(server.url), "/login");
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="en">/);
    assert.match(page.html, /<title>Sign in · Call reporting<\/title>/);
    assert.match(page.html, /<label for="username">Username<\/label>[\s\S]*<input id="username" name="username"/);
    assert.match(page.html, /<label for="password">Password<\/label>[\s\S]*<input id="password" name="password" type="password"/);
  });

  test("the right password signs in and leads to the Call List", async () => {
    const c = new Client(server.url);
    const res = await signInForm(c, "alice");
    assert.equal(res.status, 303);
    assert.equal(res.location, "/reports/call-list");
    assert.notEqual(c.cookie, "");
    const list = await getPage(c, "/reports/call-list");
    assert.equal(list.status, 200);
    assert.match(list.html, /Signed in as <strong><bdi>Alice Tester<\/bdi><\/strong>/);
  });

  test("a wrong password shows the form again with a clear message and 401", async () => {
    const c = new Client(server.url);
    const res = await signInForm(c, "alice", "not-her-password");
    assert.equal(res.status, 401);
    assert.match(res.html, /role="alert">Wrong username or password\.</);
    assert.match(res.html, /name="username"[^>]*value="alice"/, "the username is kept");
    assert.equal(c.cookie, "");
  });

  test("a signed-out visit is sent to sign in, and comes back to the page afterwards", async () => {
    const c = new Client(server.url);
    const path = "/reports/call-session?call=c-alice";
    const visit = await getPage(c, path);
    assert.equal(visit.status, 302);
    assert.equal(visit.location, `/login?next=${encodeURIComponent(path)}`);
    const form = await getPage(c, visit.location!);
    assert.match(form.html, /<input type="hidden" name="next" value="\/reports\/call-session\?call=c-alice">/);
    const res = await signInForm(c, "alice", "alice-pass", path);
    assert.equal(res.location, path);
    assert.equal((await getPage(c, path)).status, 200);
  });

  test("every signed-in page redirects to sign-in when signed out", async () => {
    const c = new Client(server.url);
    for (const path of ["/reports/call-list", "/reports/calls-per-group", "/admin/users", "/admin/audit"]) {
      const page = await getPage(c, path);
      assert.equal(page.status, 302, path);
      assert.equal(page.location, `/login?next=${encodeURIComponent(path)}`, path);
    }
    const root = await getPage(c, "/");
    assert.equal(root.location, "/reports/call-list");
  });

  test("a next address that leaves the site is ignored", async () => {
    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/\t/evil.example", "\t//evil.example", "/login"]) {
      const c = new Client(server.url);
      const res = await signInForm(c, "bob", "bob-pass", next);
      assert.equal(res.status, 303, next);
      assert.equal(res.location, "/reports/call-list", `next=${JSON.stringify(next)} is refused`);
      const form = await getPage(new Client(server.url), `/login?next=${encodeURIComponent(next)}`);
      assert.doesNotMatch(form.html, /name="next"/, `the form does not carry ${JSON.stringify(next)}`);
    }
  });

  test("too many failed sign-ins are refused with 429 and a message, even with the right password", async () => {
    const c = new Client(server.url);
    for (let i = 0; i < 10; i++) assert.equal((await signInForm(c, "lng", "wrong")).status, 401);
    const res = await signInForm(c, "lng", "lng-pass");
    assert.equal(res.status, 429);
    assert.match(res.html, /Too many failed sign-ins\. Wait \d+ minutes? and try again\./);
    assert.ok(Number(res.headers.get("retry-after")) > 0);
    assert.equal(c.cookie, "");
  });

  test("signing out needs the form's token, and then ends the session", async () => {
    const c = new Client(server.url);
    await signInForm(c, "carol");
    const list = await getPage(c, "/reports/call-list");
    assert.equal((await postForm(c, "/logout", { csrf: "forged" })).status, 403);
    assert.equal((await getPage(c, "/reports/call-list")).status, 200, "still signed in after a forged sign-out");
    const out = await postForm(c, "/logout", { csrf: csrfOf(list.html) });
    assert.equal(out.status, 303);
    assert.equal(out.location, "/login?signed-out");
    assert.equal((await getPage(c, "/reports/call-list")).status, 302);
  });
});

describe("the Call List", () => {
  test("has one row per call, whose Start Time links to the call's session", async () => {
    const page = await getPage(await as("admin"), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}`);
    assert.equal(page.status, 200);
    assert.deepEqual(callIds(page.html), FIXTURE_CALLS, "newest first");
    assert.match(page.html, /Showing 8 calls\./);
    for (const id of FIXTURE_CALLS) {
      const row = new RegExp(`<tr data-call-id="${id}"[^>]*>\\s*<td><a href="/reports/call-session\\?call=${id}"><time datetime="2026-11-20T\\d\\d:\\d\\d:\\d\\dZ">2026-11-20 \\d\\d:\\d\\d:\\d\\d</time></a></td>`);
      assert.match(page.html, row, `${id}'s first cell links to its session`);
    }
    for (const header of ["Start Time", "Direction", "From", "To", "Duration", "Groups", "Recordings"]) {
      assert.match(page.html, new RegExp(`<th scope="col"[^>]*>${header}</th>`));
    }
  });

  test("the link of a call with an odd id is URL-encoded and opens that call", async () => {
    const c = await as("admin");
    const page = await getPage(c, "/reports/call-list?from=2026-11-19&to=2026-11-19");
    assert.deepEqual(callIds(page.html), [ODD_CALL_ID]);
    const href = unescapeHtml(/<tr data-call-id="[^"]*"[^>]*>\s*<td><a href="([^"]*)"/.exec(page.html)![1]!);
    assert.equal(href, `/reports/call-session?call=${encodeURIComponent(ODD_CALL_ID)}`);
    const session = await getPage(c, href);
    assert.equal(session.status, 200);
    assert.equal(dataAttr(session.html, /<section id="call-session"[^>]*>/, "data-call-id"), ODD_CALL_ID);
  });

  test("recordings show the count this user may play, with a has-recording mark", async () => {
    const page = await getPage(await as("alice"), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}`);
    for (const id of FIXTURE_CALLS) {
      const expected = PLAYABLE.alice!.includes(id) ? RECORDING_COUNT[id]! : 0;
      assert.equal(dataAttr(page.html, new RegExp(`<tr data-call-id="${id}"[^>]*>`), "data-recordings"), String(expected), id);
    }
    assert.match(page.html, /<tr data-call-id="c-transfer" data-recordings="2">[\s\S]*?Has recording \(2\)[\s\S]*?<\/tr>/);
    assert.match(page.html, /<tr data-call-id="c-bob" data-recordings="0">[\s\S]*?None<\/span><\/td>\s*<\/tr>/);
  });

  test("from and to take whole days, to included", async () => {
    const c = await as("admin");
    const busy = await getPage(c, `/reports/call-list?from=${BUSY_DAY}&to=${BUSY_DAY}`);
    assert.equal(callIds(busy.html).length, 50, "a page is 50 calls");
    assert.ok(callIds(busy.html).every((id) => id.startsWith("c-busy-")));
    const both = await getPage(c, `/reports/call-list?from=2026-11-19&to=${FIXTURE_DAY}`);
    assert.deepEqual(callIds(both.html), [...FIXTURE_CALLS, ODD_CALL_ID]);
    const before = await getPage(c, "/reports/call-list?to=2026-11-09");
    assert.match(before.html, /No calls match these filters\./);
    assert.deepEqual(callIds(before.html), []);
  });

  test("direction keeps only calls that went that way", async () => {
    const page = await getPage(await as("admin"), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}&direction=internal`);
    assert.deepEqual(callIds(page.html), ["c-conference", "c-quiet", "c-frank-off"]);
    assert.match(page.html, /<option value="internal" selected>Internal<\/option>/, "the form shows the filter in use");
    const any = await getPage(await as("admin"), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}&direction=any`);
    assert.deepEqual(callIds(any.html), FIXTURE_CALLS);
  });

  test("group keeps only calls tagged with it", async () => {
    const page = await getPage(await as("admin"), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}&group=billing`);
    assert.deepEqual(callIds(page.html), ["c-dave", "c-conference", "c-frank-off"]);
  });

  test("hasRecording=1 keeps the calls this user may play, so users of different scopes see different calls", async () => {
    for (const user of ["alice", "bob", "carol", "erin", "admin"]) {
      const page = await getPage(await as(user), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}&hasRecording=1`);
      assert.equal(page.status, 200);
      const expected = FIXTURE_CALLS.filter((id) => PLAYABLE[user]!.includes(id));
      assert.deepEqual(callIds(page.html), expected, user);
      assert.match(page.html, /<input id="f-has" name="hasRecording" type="checkbox" value="1" checked>/);
    }
    const erin = await getPage(await as("erin"), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}&hasRecording=1`);
    assert.match(erin.html, /No calls match these filters\./);
    // Erin may play nothing: the page says why the list is empty, and says it only to her.
    assert.match(erin.html, /You have no playback permission/);
    const alice = await getPage(await as("alice"), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}&hasRecording=1`);
    assert.doesNotMatch(alice.html, /no playback permission/);
    const erinAll = await getPage(await as("erin"), `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}`);
    assert.doesNotMatch(erinAll.html, /no playback permission/, "only with Only calls with recordings ticked");
  });

  test("/favicon.ico is the product's icon, for anyone", async () => {
    const res = await fetch(`${server.url}/favicon.ico`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG");
  });

  test("quick filters link to today, the last 7 days and calls with recordings", async () => {
    const page = await getPage(await as("alice"), "/reports/call-list?group=sales");
    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    assert.equal(linkHref(page.html, "Today"), `/reports/call-list?from=${today}&to=${today}`);
    assert.equal(linkHref(page.html, "Last 7 days"), `/reports/call-list?from=${weekAgo}&to=${today}`);
    assert.equal(linkHref(page.html, "With recordings"), "/reports/call-list?group=sales&hasRecording=1");
  });

  test("filter values it cannot use are named on the page with 400, never a stack trace", async () => {
    const c = await as("alice");
    const cases: [string, RegExp][] = [
      ["from=2026-02-30", /From: “2026-02-30” is not a date/],
      ["to=yesterday", /To: “yesterday” is not a date/],
      ["from=2026-11-21&to=2026-11-20", /From is after To/],
      ["direction=sideways", /Direction: “sideways” is not a direction/],
      ["group=nope", /Group: there is no group “nope”/],
      ["hasRecording=maybe", /Only calls with recordings: “maybe” is not yes or no/],
      ["cursor=not-a-cursor", /this page link is not one this report made/],
      [`from=${encodeURIComponent("<script>x</script>")}`, /From: “&lt;script&gt;x&lt;\/script&gt;” is not a date/],
    ];
    for (const [query, message] of cases) {
      const page = await getPage(c, `/reports/call-list?${query}`);
      assert.equal(page.status, 400, query);
      assert.match(page.html, message, query);
      assert.match(page.html, /role="alert"/);
      assert.doesNotMatch(page.html, /\bat \w+ \(|Error:|node_modules/, `${query}: no stack trace`);
      assert.deepEqual(callIds(page.html), []);
    }
  });

  test("paging follows the cursor with the filters kept, 50 calls a page", async () => {
    const c = await as("admin");
    const first = await getPage(c, `/reports/call-list?from=${BUSY_DAY}&to=${BUSY_DAY}&direction=any`);
    const firstIds = callIds(first.html);
    assert.equal(firstIds.length, 50);
    assert.match(first.html, /Showing 50 calls; there are more on the next page\./);
    const next = linkHref(first.html, "Next page");
    assert.ok(next, "a Next page link");
    const url = new URL(next, server.url);
    assert.equal(url.pathname, "/reports/call-list");
    assert.equal(url.searchParams.get("from"), BUSY_DAY);
    assert.equal(url.searchParams.get("to"), BUSY_DAY);
    assert.ok(url.searchParams.get("cursor"));
    const second = await getPage(c, next);
    const secondIds = callIds(second.html);
    assert.equal(secondIds.length, BUSY_CALLS - 50);
    assert.equal(linkHref(second.html, "Next page"), undefined, "the last page has no Next page");
    assert.equal(linkHref(second.html, "First page"), `/reports/call-list?from=${BUSY_DAY}&to=${BUSY_DAY}`);
    const all = [...firstIds, ...secondIds];
    assert.equal(new Set(all).size, BUSY_CALLS, "no call twice");
    assert.deepEqual(all, [...all].sort().reverse(), "newest first across pages");
  });
});

describe("saved filters", () => {
  const query = `from=${FIXTURE_DAY}&to=${FIXTURE_DAY}&hasRecording=1`;

  test("a user saves the current filters under a name, reuses them from a link, and deletes them", async () => {
    const alice = await as("alice");
    const list = await getPage(alice, `/reports/call-list?${query}`);
    assert.match(list.html, /<input type="hidden" name="query" value="from=2026-11-20&amp;to=2026-11-20&amp;hasRecording=1">/);
    const saved = await postForm(alice, "/reports/call-list/saved-filters", { csrf: csrfOf(list.html), name: "My recorded calls", query });
    assert.equal(saved.status, 303);
    const back = await getPage(alice, saved.location!);
    assert.match(back.html, /Saved these filters as “<bdi>My recorded calls<\/bdi>”/);
    const href = linkHref(back.html.replace(/<bdi>|<\/bdi>/g, ""), "My recorded calls");
    assert.equal(href, `/reports/call-list?${query}`);
    const reused = await getPage(alice, href!);
    assert.deepEqual(callIds(reused.html), FIXTURE_CALLS.filter((id) => PLAYABLE.alice!.includes(id)));

    const id = /data-saved-filter-id="(\d+)"/.exec(reused.html)![1]!;
    const deleted = await postForm(alice, `/reports/call-list/saved-filters/${id}/delete`, { csrf: csrfOf(reused.html), query });
    assert.equal(deleted.status, 303);
    const after = await getPage(alice, deleted.location!);
    assert.match(after.html, /The saved filter was deleted\./);
    assert.doesNotMatch(after.html, /My recorded calls/);
  });

  test("names are 1 to 80 characters and unique per user; another user sees none of them", async () => {
    const carol = await as("carol");
    const csrf = csrfOf((await getPage(carol, "/reports/call-list")).html);
    const save = (name: string, q = query) => postForm(carol, "/reports/call-list/saved-filters", { csrf, name, query: q });
    assert.equal((await save("Support calls", "group=support")).status, 303);
    const taken = await save("Support calls");
    assert.equal(taken.status, 409);
    assert.match(taken.html, /already have saved filters named/);
    assert.equal((await save("   ")).status, 400);
    assert.match((await save("x".repeat(81))).html, /use at most 80/);
    assert.equal((await save("x".repeat(80))).status, 303);
    assert.equal((await save("bad filters", "direction=sideways")).status, 400);

    const bob = await as("bob");
    const bobPage = await getPage(bob, "/reports/call-list");
    assert.doesNotMatch(bobPage.html, /Support calls/);
    assert.match(bobPage.html, /You have no saved filters yet\./);
    const carolPage = await getPage(carol, "/reports/call-list");
    const id = /<li data-saved-filter-id="(\d+)"><a href="\/reports\/call-list\?group=support"><bdi>Support calls/.exec(carolPage.html)![1]!;
    const stolen = await postForm(bob, `/reports/call-list/saved-filters/${id}/delete`, { csrf: csrfOf(bobPage.html) });
    assert.equal(stolen.status, 404, "bob cannot delete carol's saved filter");
    assert.match((await getPage(carol, "/reports/call-list")).html, /Support calls/);
  });

  test("saving or deleting without the form's token is refused with 403 and changes nothing", async () => {
    const dave = await as("dave");
    const res = await postForm(dave, "/reports/call-list/saved-filters", { name: "No token", query });
    assert.equal(res.status, 403);
    const wrong = await postForm(dave, "/reports/call-list/saved-filters", { csrf: "x".repeat(24), name: "Wrong token", query });
    assert.equal(wrong.status, 403);
    const page = await getPage(dave, "/reports/call-list");
    assert.doesNotMatch(page.html, /No token|Wrong token/);
  });
});

describe("the Call Session view", () => {
  test("holds the call in a section with its id and the count of recordings this user may play", async () => {
    const cases: [string, string, number][] = [
      ["alice", "c-transfer", 2],
      ["bob", "c-transfer", 2],
      ["carol", "c-transfer", 0],
      ["erin", "c-transfer", 0],
      ["frank", "c-conference", 1],
      ["frank", "c-frank-off", 0],
    ];
    for (const [user, call, count] of cases) {
      const page = await getPage(await as(user), `/reports/call-session?call=${call}`);
      assert.equal(page.status, 200);
      const section = /<section id="call-session"[^>]*>/;
      assert.equal(dataAttr(page.html, section, "data-call-id"), call);
      assert.equal(dataAttr(page.html, section, "data-recordings"), String(count), `${user} on ${call}`);
      assert.doesNotMatch(page.html, /<audio|<script|<recording-player/, "no player of its own");
    }
  });

  test("shows the call's details and a Back to Call List link", async () => {
    const page = await getPage(await as("alice"), "/reports/call-session?call=c-alice");
    assert.match(page.html, /<dt>Start<\/dt><dd><time datetime="2026-11-20T09:00:00Z">2026-11-20 09:00:00<\/time><\/dd>/);
    assert.match(page.html, /<dt>End<\/dt><dd><time datetime="2026-11-20T09:02:05Z">2026-11-20 09:02:05<\/time><\/dd>/);
    assert.match(page.html, /<dt>Duration<\/dt><dd>2:05<\/dd>/);
    assert.match(page.html, /<dt>Direction<\/dt><dd>Inbound<\/dd>/);
    assert.match(page.html, /<dt>From<\/dt><dd><bdi>\+441632960001<\/bdi><\/dd>/);
    assert.match(page.html, /<dt>Groups<\/dt><dd><bdi>Sales<\/bdi><\/dd>/);
    assert.equal(linkHref(page.html, "← Back to Call List"), "/reports/call-list");
  });

  test("lists segments in time order with offsets, who, and data attributes to align to", async () => {
    const page = await getPage(await as("admin"), "/reports/call-session?call=c-transfer");
    const rows = [...page.html.matchAll(/<tr class="segment" data-segment-index="(\d+)" data-start="([^"]+)" data-end="([^"]+)"/g)].map((m) => ({
      index: Number(m[1]),
      start: m[2],
      end: m[3],
    }));
    assert.deepEqual(rows, [
      { index: 0, start: "2026-11-20T11:00:00Z", end: "2026-11-20T11:00:30Z" },
      { index: 1, start: "2026-11-20T11:00:30Z", end: "2026-11-20T11:02:00Z" },
      { index: 2, start: "2026-11-20T11:02:00Z", end: "2026-11-20T11:04:00Z" },
    ]);
    assert.match(page.html, /Segment 1<\/th>\s*<td class="who"><strong><bdi>Queue or IVR<\/bdi><\/strong>/);
    assert.match(page.html, /Answered by <bdi>Bob Tester<\/bdi> from the queue/);
    assert.match(page.html, /Transferred from <bdi>Bob Tester<\/bdi> to <bdi>Alice Tester<\/bdi>/);
    assert.match(page.html, /Device: <bdi>Alice&#39;s desk<\/bdi> · Group: <bdi>Sales<\/bdi>/);
    assert.match(page.html, /<td>\+0:00:30<br>/, "the second segment starts 30 s in");
    // Bars are placed by percentages of the 4-minute call: the last one starts at 50% and takes 50%.
    assert.match(page.html, /data-segment-index="2"[\s\S]*?<span class="bar" style="left: 50%; width: 50%"><\/span>/);
  });

  test("puts each conference participant on their own lane with join and leave times", async () => {
    const page = await getPage(await as("carol"), "/reports/call-session?call=c-conference");
    assert.match(page.html, /<h2>Conference timeline<\/h2>/);
    const lanes = [...page.html.matchAll(/<tr class="segment" data-segment-index="(\d+)"[^>]*data-lane="(\d+)">/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.deepEqual(lanes, [[0, 1], [1, 2], [2, 3]]);
    assert.match(page.html, /<bdi>Frank Tester<\/bdi> joined at \+0:00:00, left at \+0:10:00/);
    assert.match(page.html, /<bdi>Carol Tester<\/bdi> joined at \+0:02:00, left at \+0:10:00/);
    assert.match(page.html, /<bdi>Alice Tester<\/bdi> joined at \+0:04:00, left at \+0:06:00/);
    assert.match(page.html, /data-segment-index="2"[\s\S]*?<span class="bar" style="left: 40%; width: 20%"><\/span>/);
  });

  test("answers an unknown call with a 404 page and a missing one with 400", async () => {
    const c = await as("alice");
    const unknown = await getPage(c, "/reports/call-session?call=c-nope");
    assert.equal(unknown.status, 404);
    assert.match(unknown.html, /Call not found/);
    assert.doesNotMatch(unknown.html, /id="call-session"/);
    assert.equal((await getPage(c, "/reports/call-session")).status, 400);
    assert.equal((await getPage(c, `/reports/call-session?call=${"x".repeat(5000)}`)).status, 404);
  });
});

describe("hostile names", () => {
  test("a user's markup, script and right-to-left override are shown as text", async () => {
    const mallory = await as("mallory");
    const escaped = "&lt;script&gt;alert(1)&lt;/script&gt;\u202Eevil";
    const list = await getPage(mallory, `/reports/call-list?from=${BUSY_DAY}&to=${BUSY_DAY}`);
    assert.ok(list.html.includes(`Signed in as <strong><bdi>${escaped}</bdi></strong>`), "the name is escaped and isolated");
    assert.ok(list.html.includes("&lt;svg onload=alert(3)&gt;"), "a hostile phone number is text");
    assert.ok(list.html.includes("<bdi>&lt;b&gt;Ops &amp; Co&lt;/b&gt;</bdi>"), "a hostile group name is text");
    assert.ok(list.html.includes("<bdi>Fixture &lt;i&gt;Telecom&lt;/i&gt;</bdi>"), "the customer's name is text");

    const session = await getPage(mallory, "/reports/call-session?call=c-busy-59");
    assert.ok(session.html.includes(`<bdi>${escaped}</bdi>`));
    assert.ok(session.html.includes("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"));

    const admin = await getPage(await as("admin"), "/admin/users/mallory");
    assert.ok(admin.html.includes(`<title>User: ${escaped} · Call reporting</title>`));
    for (const page of [list, session, admin]) {
      for (const raw of [HOSTILE_NAME, HOSTILE_DEVICE, HOSTILE_GROUP, "<svg onload", "<script"]) {
        assert.ok(!page.html.includes(raw), `no raw ${raw}`);
      }
    }
  });

  test("a very long name is shown whole, in a page that still renders", async () => {
    const page = await getPage(await as("admin"), "/admin/users/lng");
    assert.equal(page.status, 200);
    assert.ok(page.html.includes(`<bdi>${LONG_NAME}</bdi>`));
  });
});

describe("the Calls per Group report", () => {
  const cell = (html: string, day: string, group: string) => {
    const m = new RegExp(`<td class="num" data-day="${day}" data-group="${group}" data-calls="(\\d+)" data-playable="(\\d+)">`).exec(html);
    return m ? { calls: Number(m[1]), playable: Number(m[2]) } : undefined;
  };

  test("counts calls per day and group, and those with recordings this user may play", async () => {
    const range = `from=${FIXTURE_DAY}&to=${FIXTURE_DAY}`;
    const alice = (await getPage(await as("alice"), `/reports/calls-per-group?${range}`)).html;
    assert.deepEqual(cell(alice, FIXTURE_DAY, ""), { calls: 8, playable: 3 });
    assert.deepEqual(cell(alice, FIXTURE_DAY, "sales"), { calls: 3, playable: 2 });
    assert.deepEqual(cell(alice, FIXTURE_DAY, "support"), { calls: 2, playable: 0 });
    assert.deepEqual(cell(alice, FIXTURE_DAY, "billing"), { calls: 3, playable: 1 });
    const bob = (await getPage(await as("bob"), `/reports/calls-per-group?${range}`)).html;
    assert.deepEqual(cell(bob, FIXTURE_DAY, "sales"), { calls: 3, playable: 2 });
    assert.deepEqual(cell(bob, FIXTURE_DAY, "support"), { calls: 2, playable: 1 });
    assert.deepEqual(cell(bob, FIXTURE_DAY, "billing"), { calls: 3, playable: 0 });
    assert.match(alice, /<th scope="col" class="num" data-group="billing"><bdi>Billing<\/bdi><\/th>/);
    assert.equal(
      linkHref(alice, "3"),
      `/reports/call-list?from=${FIXTURE_DAY}&to=${FIXTURE_DAY}&group=billing`,
      "a count links to the calls it counts",
    );
  });

  test("shows the last 14 days of data by default, every day a row", async () => {
    const page = await getPage(await as("admin"), "/reports/calls-per-group");
    assert.equal(page.status, 200);
    const days = [...page.html.matchAll(/<tr data-day="([^"]+)">/g)].map((m) => m[1]);
    assert.equal(days.length, 14);
    assert.equal(days[0], "2026-11-07");
    assert.equal(days[13], FIXTURE_DAY);
    assert.deepEqual(cell(page.html, BUSY_DAY, "ops"), { calls: BUSY_CALLS, playable: BUSY_CALLS });
    assert.deepEqual(cell(page.html, "2026-11-08", "ops"), { calls: 0, playable: 0 });
    assert.match(page.html, /<input id="f-from" name="from" type="date" value="2026-11-07">/);
  });

  test("refuses a range it cannot use with 400 and a message", async () => {
    const c = await as("alice");
    for (const [query, message] of [
      ["from=2026-11-40", /From: “2026-11-40” is not a date/],
      ["from=2026-11-20&to=2026-11-01", /From is after To/],
      ["from=2020-01-01&to=2026-01-01", /choose at most 366 days/],
    ] as const) {
      const page = await getPage(c, `/reports/calls-per-group?${query}`);
      assert.equal(page.status, 400, query);
      assert.match(page.html, message);
    }
  });
});

describe("every page", () => {
  test("has a language, a title, landmarks and the navigation its user may use", async () => {
    const pages: [string, string][] = [
      ["alice", "/reports/call-list"],
      ["alice", "/reports/call-session?call=c-alice"],
      ["alice", "/reports/calls-per-group"],
      ["admin", "/admin/recordings"],
      ["admin", "/admin/users"],
      ["admin", "/admin/users/alice"],
      ["admin", "/admin/devices"],
      ["admin", "/admin/devices/ext-alice"],
      ["admin", "/admin/audit"],
    ];
    for (const [user, path] of pages) {
      const page = await getPage(await as(user), path);
      assert.equal(page.status, 200, path);
      assert.match(page.html, /^<!doctype html>\s*<html lang="en">/, path);
      assert.match(page.html, /<title>[^<]+ · Call reporting<\/title>/, path);
      assert.match(page.html, /<header class="site">[\s\S]*<nav aria-label[\s\S]*<\/header>\s*<main id="main">/, path);
      assert.match(page.html, /<form class="signout" method="post" action="\/logout">/, path);
      assert.doesNotMatch(page.html, /<script/i, `${path}: no scripts`);
      assert.equal(page.html.includes('href="/admin/users"'), user === "admin", `${path}: admin links only for administrators`);
      for (const m of page.html.matchAll(/<input id="([^"]+)"/g)) {
        assert.ok(page.html.includes(`<label for="${m[1]}"`), `${path}: input ${m[1]} has a label`);
      }
      for (const m of page.html.matchAll(/<th(?=[\s>])(?![^>]*scope=)[^>]*>/g)) assert.fail(`${path}: ${m[0]} has no scope`);
    }
  });
});
