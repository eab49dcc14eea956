/**
 * The checks in front of every write, over real HTTP: the referrer policy that lets browsers
 * send this site's origin with its own form posts; the same-origin check (this site's posts
 * pass, other sites' are refused, `Origin: null` only with `Sec-Fetch-Site: same-origin`); and
 * the failed sign-in limit, one count for the JSON API and the legacy sign-in page, keyed on
 * the connection's address so `X-Forwarded-For` cannot reset it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { isSameOriginWrite, SIGN_IN_LIMIT } from "../../server/auth.js";
import { Client, startServer, type RunningServer } from "../support/server.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { csrfOf, getPage, postForm, signInForm } from "./legacy-helpers.js";

let server: RunningServer;
before(async () => {
  server = await startServer({ dataset: fixtureDataset() });
});
after(async () => {
  await server.close();
});

describe("Referrer-Policy", () => {
  test("is same-origin on pages, the API and audio alike", async () => {
    const c = new Client(server.url);
    await c.signIn("alice");
    for (const path of ["/login", "/reports/call-list", "/api/me", "/api/calls", "/no-such-page"]) {
      const res = await c.fetch(path);
      await res.arrayBuffer();
      assert.equal(res.headers.get("referrer-policy"), "same-origin", path);
    }
    const detail = (await c.json<{ recordings: { audioUrl: string }[] }>("/api/calls/c-alice")).body;
    const audio = await fetch(detail.recordings[0]!.audioUrl, { headers: { range: "bytes=0-3" } });
    await audio.arrayBuffer();
    assert.equal(audio.headers.get("referrer-policy"), "same-origin", "signed audio URLs are never sent on to other sites");
  });
});

describe("the same-origin check on writes", () => {
  const own = "http://127.0.0.1:8787";
  test("decides by Sec-Fetch-Site and Origin as browsers send them", () => {
    const cases: [string | undefined, string | undefined, boolean][] = [
      [undefined, undefined, true], // not a browser, or an old one: the CSRF token and SameSite cover it
      ["same-origin", own, true],
      ["same-origin", undefined, true],
      [undefined, own, true],
      ["none", undefined, true], // typed or bookmarked by the user
      ["same-origin", "null", true], // a browser hiding the origin of this site's own post
      ["cross-site", "null", false],
      [undefined, "null", false],
      ["none", "null", false],
      ["same-site", "null", false],
      ["cross-site", undefined, false],
      ["same-site", "http://localhost:8787", false],
      [undefined, "https://evil.example", false],
      ["same-origin", "https://evil.example", false],
      [undefined, "http://127.0.0.1:8788", false],
      [undefined, "http://127.0.0.1:8787.evil.example", false],
    ];
    for (const [site, origin, ok] of cases) assert.equal(isSameOriginWrite({ site, origin }, own), ok, `Sec-Fetch-Site ${site}, Origin ${origin}`);
  });

  test("a legacy form post from this site passes with its origin, or with Origin: null and Sec-Fetch-Site: same-origin", async () => {
    const c = new Client(server.url);
    await signInForm(c, "bob");
    const cases: Record<string, string>[] = [{ origin: server.url, "sec-fetch-site": "same-origin" }, { origin: server.url }, { origin: "null", "sec-fetch-site": "same-origin" }, {}];
    for (const [i, headers] of cases.entries()) {
      const csrf = csrfOf((await getPage(c, "/reports/call-list")).html);
      const res = await postForm(c, "/reports/call-list/saved-filters", { csrf, name: `mine ${i}`, query: "hasRecording=1" }, headers);
      assert.equal(res.status, 303, JSON.stringify(headers));
    }
    const names = (server.db.prepare("SELECT name FROM saved_filters WHERE user_id = 'bob' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    assert.deepEqual(names, ["mine 0", "mine 1", "mine 2", "mine 3"]);
  });

  test("cross-site posts are refused, and change nothing", async () => {
    const c = new Client(server.url);
    await signInForm(c, "carol");
    const csrf = csrfOf((await getPage(c, "/reports/call-list")).html);
    const saved = () => (server.db.prepare("SELECT COUNT(*) AS n FROM saved_filters WHERE user_id = 'carol'").get() as { n: number }).n;
    for (const headers of [
      { origin: "https://evil.example" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "null", "sec-fetch-site": "cross-site" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ] as Record<string, string>[]) {
      const res = await postForm(c, "/reports/call-list/saved-filters", { csrf, name: "planted", query: "hasRecording=1" }, headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      const signOut = await postForm(c, "/logout", { csrf }, headers);
      assert.equal(signOut.status, 403, `sign-out, ${JSON.stringify(headers)}`);
      const api = await c.fetch("/api/session", { method: "DELETE", headers });
      assert.equal(api.status, 403, `API, ${JSON.stringify(headers)}`);
    }
    assert.equal(saved(), 0);
    assert.equal((await getPage(c, "/reports/call-list")).status, 200, "still signed in");
  });
});

describe("failed sign-ins", () => {
  const api = (username: string, password: string, headers: Record<string, string> = {}) =>
    new Client(server.url).fetch("/api/session", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ username, password }) });

  test("failures on the legacy sign-in page lock the API's sign-in too", async () => {
    for (let i = 0; i < SIGN_IN_LIMIT; i++) assert.equal((await signInForm(new Client(server.url), "frank", "wrong")).status, 401);
    const locked = await api("frank", "frank-pass");
    assert.equal(locked.status, 429, "the right password is refused through the API");
    assert.ok(Number(locked.headers.get("retry-after")) > 0);
    assert.equal((await signInForm(new Client(server.url), "frank")).status, 429);
    assert.equal((await api("dave", "dave-pass")).status, 200, "other users are not affected");
  });

  test("failures through the API lock the legacy sign-in page too, and mixing the two ways counts once", async () => {
    for (let i = 0; i < SIGN_IN_LIMIT / 2; i++) {
      assert.equal((await api("carol", "wrong")).status, 401);
      assert.equal((await signInForm(new Client(server.url), "carol", "wrong")).status, 401);
    }
    const page = await signInForm(new Client(server.url), "carol");
    assert.equal(page.status, 429);
    assert.match(page.html, /Too many failed sign-ins/);
    assert.equal((await api("carol", "carol-pass")).status, 429);
  });

  test("X-Forwarded-For does not reset the count: it is the connection's address that counts", async () => {
    for (let i = 0; i < SIGN_IN_LIMIT; i++) {
      const res = await api("erin", "wrong", { "x-forwarded-for": `198.51.100.${i}` });
      assert.equal(res.status, 401, `attempt ${i + 1}`);
    }
    for (const xff of ["203.0.113.7", "198.51.100.99, 10.0.0.1", "::1", ""]) {
      assert.equal((await api("erin", "erin-pass", { "x-forwarded-for": xff })).status, 429, `X-Forwarded-For: ${xff}`);
      assert.equal((await signInForm(new Client(server.url), "erin", "erin-pass")).status, 429);
    }
    const legacy = new Client(server.url);
    const res = await legacy.fetch("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "192.0.2.1" },
      body: new URLSearchParams({ username: "erin", password: "erin-pass" }).toString(),
    });
    assert.equal(res.status, 429, "nor on the legacy page");
  });
});
