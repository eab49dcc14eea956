/**
 * Issue 14, point 3: where `/login` sends a browser after signing in. Only a path of this site
 * is followed, judged after the URL parser has normalised it; anything else goes to the Call
 * List.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InProcessClient, ORIGIN, inProcessApp } from "../support/in-process.js";

const HOME = "/reports/call-list";

/** `next` values that would take the browser to another host, or run script. */
const HOSTILE = [
  "/.//evil.example/x",
  "/%2e%2e//evil.example/x",
  "/%2E%2E//evil.example/x",
  "/reports/..//evil.example/x",
  "/reports/%2e%2e//evil.example/x",
  "/././/evil.example/x",
  "//evil.example/x",
  "///evil.example/x",
  "/\\evil.example/x",
  "\\\\evil.example/x",
  "/.\\/evil.example/x",
  "/reports/..\\/evil.example",
  "/%5Cevil.example/x",
  "/%2F%2Fevil.example/x",
  "%2F%2Fevil.example/x",
  "/%2f/evil.example",
  "https://evil.example/x",
  "http:/evil.example/x",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "/\tevil.example",
  "/\n/evil.example",
  " //evil.example",
];

/** Where a browser would go from this Location, on this site. */
function lands(location: string | null): URL {
  assert.ok(location, "the answer has a Location");
  return new URL(location, ORIGIN);
}

/** Browsers read `\` as `/` in special URLs, so a Location must not start with `/\` or `//`. */
function assertStaysHere(location: string | null, what: string): void {
  const url = lands(location);
  assert.equal(url.origin, ORIGIN, `${what}: ${JSON.stringify(location)} leaves the site`);
  assert.ok(!/^[/\\]{2}/.test(location!), `${what}: Location ${JSON.stringify(location)} reads as another host`);
  assert.ok(!/^[a-z][a-z0-9+.-]*:/i.test(location!), `${what}: Location ${JSON.stringify(location)} has a scheme`);
}

describe("the sign-in page's next", () => {
  test("a signed-in GET /login?next=… never redirects off the site", async () => {
    const { app } = await inProcessApp();
    const alice = new InProcessClient(app);
    assert.equal((await alice.signIn("alice")).status, 200);
    for (const next of HOSTILE) {
      const res = await alice.fetch(`/login?next=${encodeURIComponent(next)}`);
      assert.equal(res.status, 302, `GET /login?next=${next}`);
      assertStaysHere(res.headers.get("location"), `GET /login?next=${JSON.stringify(next)}`);
      assert.equal(res.headers.get("location"), HOME, `GET /login?next=${JSON.stringify(next)} falls back to the Call List`);
    }
  });

  test("the reported case, sent raw in the query, goes to the Call List", async () => {
    const { app } = await inProcessApp();
    const alice = new InProcessClient(app);
    await alice.signIn("alice");
    for (const raw of ["/.//evil.example/x", "/%2e%2e//evil.example/x", "/reports/..//evil.example/x"]) {
      const res = await alice.fetch(`/login?next=${raw}`);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get("location"), HOME, `GET /login?next=${raw}`);
    }
  });

  test("a direct POST /login with a hostile next answers 303 to the Call List", async () => {
    const { app } = await inProcessApp();
    for (const next of HOSTILE) {
      const browser = new InProcessClient(app);
      const res = await browser.postForm("/login", { username: "alice", password: "alice-pass", next });
      assert.equal(res.status, 303, `POST /login next=${JSON.stringify(next)}`);
      assertStaysHere(res.headers.get("location"), `POST /login next=${JSON.stringify(next)}`);
      assert.equal(res.headers.get("location"), HOME, `POST /login next=${JSON.stringify(next)} falls back to the Call List`);
    }
  });

  test("the sign-in form does not carry a hostile next on to the post", async () => {
    const { app } = await inProcessApp();
    const browser = new InProcessClient(app);
    for (const next of HOSTILE) {
      const html = await (await browser.fetch(`/login?next=${encodeURIComponent(next)}`)).text();
      assert.doesNotMatch(html, /name="next"/, `the form for next=${JSON.stringify(next)} has no next field`);
    }
  });

  test("a path of this site is still followed, normalised, with its query", async () => {
    const { app } = await inProcessApp();
    const cases: [next: string, location: string][] = [
      ["/reports/call-session?call=c-alice", "/reports/call-session?call=c-alice"],
      ["/reports/./call-list?hasRecording=1", "/reports/call-list?hasRecording=1"],
      ["/admin/../reports/call-list", "/reports/call-list"],
      ["/embed-demo?call=c-bob", "/embed-demo?call=c-bob"],
    ];
    for (const [next, location] of cases) {
      const browser = new InProcessClient(app);
      const res = await browser.postForm("/login", { username: "alice", password: "alice-pass", next });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), location, `POST /login next=${next}`);
      const again = await browser.fetch(`/login?next=${encodeURIComponent(next)}`);
      assert.equal(again.headers.get("location"), location, `GET /login?next=${next}`);
    }
  });
});
