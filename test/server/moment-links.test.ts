/**
 * Issue 16, point 4: a link to a moment (`recording`, `t`) on the Call Session view and on
 * `/embed-demo` is checked on the server and handed to the section; what cannot be used is said
 * on the page; signing in first keeps the moment.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InProcessClient, inProcessApp } from "../support/in-process.js";

interface Recording {
  id: string;
}

async function signedIn(user = "admin") {
  const { app } = await inProcessApp();
  const client = new InProcessClient(app);
  assert.equal((await client.signIn(user)).status, 200);
  const { body } = await client.json<{ recordings: Recording[] }>("/api/calls/c-transfer");
  return { app, client, recordings: body.recordings };
}

const sectionTag = (page: string) => /<section id="call-session"[^>]*>/.exec(page)?.[0] ?? "";
const elementTag = (page: string) => /<call-session-recordings[^>]*>/.exec(page)?.[0] ?? "";

describe("links to a moment", () => {
  test("the Call Session view hands the recording and the time on, checked", async () => {
    const { client, recordings } = await signedIn();
    const second = recordings[1]!.id;
    const page = await (await client.fetch(`/reports/call-session?call=c-transfer&recording=${encodeURIComponent(second)}&t=90`)).text();
    const tag = sectionTag(page);
    assert.match(tag, new RegExp(`data-recording="${second}"`));
    assert.match(tag, /data-at="90"/);
    assert.doesNotMatch(page, /class="message error"/, "a good link shows no problem");
    // A clock, as people write it.
    const clock = await (await client.fetch(`/reports/call-session?call=c-transfer&recording=${encodeURIComponent(second)}&t=1:05`)).text();
    assert.match(sectionTag(clock), /data-at="65"/);
  });

  test("a recording that is not the viewer's starts nothing and says so", async () => {
    const { client } = await signedIn();
    const hostile = `"><script>alert(1)</script>`;
    const res = await client.fetch(`/reports/call-session?call=c-transfer&recording=${encodeURIComponent(hostile)}&t=90`);
    assert.equal(res.status, 200, "the call is still shown");
    const page = await res.text();
    assert.doesNotMatch(sectionTag(page), /data-recording=|data-at=/);
    assert.match(page, /This link points to a recording that is not one of this call&#39;s recordings you may play/);
    assert.doesNotMatch(page, /<script>alert/);
    // Another call's recording is not this call's either.
    const { body } = await client.json<{ recordings: Recording[] }>("/api/calls/c-alice");
    const other = await (await client.fetch(`/reports/call-session?call=c-transfer&recording=${encodeURIComponent(body.recordings[0]!.id)}`)).text();
    assert.doesNotMatch(sectionTag(other), /data-recording=/);
  });

  test("a time that is no time, or past the end, plays from the start and says so", async () => {
    const { client, recordings } = await signedIn();
    const first = recordings[0]!.id;
    for (const t of ["abc", "-5", "NaN", "1e9", "99999999"]) {
      const page = await (await client.fetch(`/reports/call-session?call=c-transfer&recording=${encodeURIComponent(first)}&t=${encodeURIComponent(t)}`)).text();
      assert.match(sectionTag(page), /data-at="0"/, `t=${t}`);
      assert.match(page, /The link&#39;s time is not used: .* Playing from the start\./, `t=${t}`);
    }
    // The first recording is 90 s long.
    const past = await (await client.fetch(`/reports/call-session?call=c-transfer&recording=${encodeURIComponent(first)}&t=95`)).text();
    assert.match(sectionTag(past), /data-at="0"/);
    assert.match(past, /past the end of the recording/);
  });

  test("/embed-demo renders the moment as the section's attributes", async () => {
    const { client, recordings } = await signedIn();
    const second = recordings[1]!.id;
    const page = await (await client.fetch(`/embed-demo?call=c-transfer&recording=${encodeURIComponent(second)}&t=90`)).text();
    const tag = elementTag(page);
    assert.match(tag, new RegExp(`recording="${second}"`));
    assert.match(tag, / at="90"/);
    // Without a recording, t is a point on the call's recordings end to end.
    const bare = elementTag(await (await client.fetch("/embed-demo?call=c-transfer&t=100")).text());
    assert.doesNotMatch(bare, /recording=/);
    assert.match(bare, / at="100"/);
    // Without a moment, no attributes.
    assert.doesNotMatch(elementTag(await (await client.fetch("/embed-demo?call=c-transfer")).text()), / at=|recording=/);
  });

  test("a viewer who may not play the call is told, and nothing is handed on", async () => {
    const { client } = await signedIn("erin");
    const page = await (await client.fetch("/reports/call-session?call=c-transfer&t=90")).text();
    assert.doesNotMatch(sectionTag(page), /data-at=/);
    assert.match(page, /there is no recording of this call you may play/);
  });

  test("signing in first comes back to the same moment", async () => {
    const { app } = await inProcessApp();
    for (const path of ["/reports/call-session?call=c-transfer&recording=r-x&t=90", "/embed-demo?call=c-transfer&recording=r-x&t=90"]) {
      const browser = new InProcessClient(app);
      const res = await browser.fetch(path);
      assert.equal(res.status, 302, path);
      const location = res.headers.get("location")!;
      assert.equal(location, `/login?next=${encodeURIComponent(path)}`, path);
      const signIn = await browser.postForm("/login", { username: "admin", password: "admin-pass", next: new URL(location, "http://x").searchParams.get("next")! });
      assert.equal(signIn.headers.get("location"), path);
    }
    // A hostile call id in /embed-demo's query is no way off the site.
    const res = await new InProcessClient(app).fetch("/embed-demo?call=%2F%2Fevil.example");
    const next = new URL(res.headers.get("location")!, "http://x").searchParams.get("next");
    assert.equal(next, "/embed-demo?call=%2F%2Fevil.example");
  });
});
