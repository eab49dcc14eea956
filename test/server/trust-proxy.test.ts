/**
 * Issue 14, point 6: behind a reverse proxy (`--trust-proxy`), the sign-in limit counts by the
 * client address the proxy reports, and over HTTPS the session cookie is `__Host-` and Secure.
 * Without the flag, every `X-Forwarded-*` header is ignored.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { SIGN_IN_LIMIT } from "../../server/auth.js";
import { InProcessClient, inProcessApp } from "../support/in-process.js";

/** Fails sign-in as alice `times` times, each through a fresh browser sending `headers`; the last status. */
async function failSignIns(app: InProcessClient["app"], headers: Record<string, string>, times = 1): Promise<number> {
  let status = 0;
  for (let i = 0; i < times; i++) status = (await new InProcessClient(app, headers).signIn("alice", "wrong")).status;
  return status;
}

/** The session cookie a sign-in set: its name and its attributes, lower-cased. */
function sessionCookie(res: Response): { name: string; attributes: string[] } {
  const line = res.headers.getSetCookie().find((l) => /^(__Host-)?crec_session=./.test(l));
  assert.ok(line, `a session cookie was set (Set-Cookie: ${JSON.stringify(res.headers.getSetCookie())})`);
  const [pair = "", ...attributes] = line.split(";").map((p) => p.trim());
  return { name: pair.slice(0, pair.indexOf("=")), attributes: attributes.map((a) => a.toLowerCase()) };
}

const HTTPS_PROXY = { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.10", "x-forwarded-host": "calls.example.com" };

describe("--trust-proxy: the sign-in limit", () => {
  test("counts by the address the proxy added, the right-most X-Forwarded-For entry", async () => {
    const { app } = await inProcessApp(undefined, { trustProxy: true });
    assert.equal(await failSignIns(app, { "x-forwarded-for": "198.51.100.1, 203.0.113.7" }, SIGN_IN_LIMIT), 401);
    assert.equal(await failSignIns(app, { "x-forwarded-for": "198.51.100.1, 203.0.113.7" }), 429, "the client at 203.0.113.7 is limited");
    // The client writes what it likes to the left; the proxy appends the address it saw.
    assert.equal(await failSignIns(app, { "x-forwarded-for": "192.0.2.99, 203.0.113.7" }), 429, "a forged left-hand entry does not reset the count");
    assert.equal(await failSignIns(app, { "x-forwarded-for": "203.0.113.7" }), 429);
    assert.equal(await failSignIns(app, { "x-forwarded-for": "198.51.100.1, 203.0.113.8" }), 401, "another client behind the same proxy is not limited");
    const other = new InProcessClient(app, { "x-forwarded-for": "203.0.113.8" });
    assert.equal((await other.signIn("alice")).status, 200);
  });

  test("the legacy sign-in form counts by the same address", async () => {
    const { app } = await inProcessApp(undefined, { trustProxy: true });
    await failSignIns(app, { "x-forwarded-for": "203.0.113.7" }, SIGN_IN_LIMIT);
    const form = await new InProcessClient(app, { "x-forwarded-for": "10.0.0.1, 203.0.113.7" }).postForm("/login", { username: "alice", password: "alice-pass" });
    assert.equal(form.status, 429);
    const elsewhere = await new InProcessClient(app, { "x-forwarded-for": "203.0.113.9" }).postForm("/login", { username: "alice", password: "alice-pass" });
    assert.equal(elsewhere.status, 303);
  });
});

describe("without --trust-proxy, forwarded headers are ignored", () => {
  test("X-Forwarded-For does not change whose failures are counted", async () => {
    const { app } = await inProcessApp();
    for (let i = 0; i < SIGN_IN_LIMIT; i++) await failSignIns(app, { "x-forwarded-for": `203.0.113.${i}` });
    assert.equal(await failSignIns(app, { "x-forwarded-for": "198.51.100.200" }), 429, "a new X-Forwarded-For does not escape the limit");
    assert.equal(await failSignIns(app, {}), 429);
  });

  test("X-Forwarded-Proto: https neither makes the cookie Secure nor renames it, and X-Forwarded-Host is no origin", async () => {
    const { app } = await inProcessApp();
    const browser = new InProcessClient(app, HTTPS_PROXY);
    const res = await browser.signIn("alice");
    assert.equal(res.status, 200);
    const cookie = sessionCookie(res);
    assert.equal(cookie.name, "crec_session");
    assert.ok(!cookie.attributes.includes("secure"));
    assert.equal((await browser.fetch("/api/me")).status, 200);
    const call = (await (await browser.fetch("/api/calls/c-alice")).json()) as { recordings: { audioUrl: string }[] };
    assert.match(call.recordings[0]!.audioUrl, /^http:\/\/127\.0\.0\.1:8787\//, "signed URLs keep the server's own origin");
    const write = await new InProcessClient(app).signIn("alice", "alice-pass", { origin: "https://calls.example.com" });
    assert.equal(write.status, 403, "an Origin matching only the forwarded host is another site");
  });
});

describe("--trust-proxy: the session cookie", () => {
  test("is __Host-, Secure, Path=/ and without Domain when the proxy served HTTPS, and is read back", async () => {
    const { app } = await inProcessApp(undefined, { trustProxy: true });
    const browser = new InProcessClient(app, HTTPS_PROXY);
    const res = await browser.signIn("alice", "alice-pass", { origin: "https://calls.example.com" });
    assert.equal(res.status, 200, "a sign-in from the proxy's public origin is not cross-site");
    const cookie = sessionCookie(res);
    assert.equal(cookie.name, "__Host-crec_session");
    for (const attr of ["secure", "path=/", "httponly", "samesite=lax"]) assert.ok(cookie.attributes.includes(attr), `the cookie has ${attr}: ${cookie.attributes.join("; ")}`);
    assert.ok(!cookie.attributes.some((a) => a.startsWith("domain")), "no Domain");
    assert.equal((await browser.fetch("/api/me")).status, 200, "the __Host- cookie signs the user in");
    const call = (await (await browser.fetch("/api/calls/c-alice")).json()) as { recordings: { audioUrl: string; downloadUrl: string }[] };
    assert.match(call.recordings[0]!.audioUrl, /^https:\/\/calls\.example\.com\/api\/recordings\//, "signed URLs are on the public origin");

    const out = await browser.fetch("/api/session", { method: "DELETE" });
    assert.equal(out.status, 204);
    const cleared = out.headers.getSetCookie().find((l) => l.startsWith("__Host-crec_session="));
    assert.ok(cleared && /max-age=0/i.test(cleared) && /secure/i.test(cleared), `sign-out clears the __Host- cookie: ${cleared}`);
    assert.equal((await browser.fetch("/api/me")).status, 401);
  });

  test("the legacy sign-in form sets and reads the same cookie", async () => {
    const { app } = await inProcessApp(undefined, { trustProxy: true });
    const browser = new InProcessClient(app, HTTPS_PROXY);
    const res = await browser.fetch("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://calls.example.com", "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ username: "alice", password: "alice-pass" }).toString(),
    });
    assert.equal(res.status, 303);
    assert.equal(sessionCookie(res).name, "__Host-crec_session");
    assert.equal((await browser.fetch("/reports/call-list")).status, 200, "signed in on the next page");
  });

  test("is the plain, non-Secure cookie when the proxy served HTTP, and a plain cookie is not read over HTTPS", async () => {
    const { app } = await inProcessApp(undefined, { trustProxy: true });
    const plain = new InProcessClient(app, { "x-forwarded-proto": "http", "x-forwarded-for": "203.0.113.10" });
    const res = await plain.signIn("alice");
    const cookie = sessionCookie(res);
    assert.equal(cookie.name, "crec_session");
    assert.ok(!cookie.attributes.includes("secure"));
    assert.equal((await plain.fetch("/api/me")).status, 200);
    // A cookie without the prefix could have been set by a sibling host or over plain HTTP.
    const https = new InProcessClient(app, HTTPS_PROXY);
    https.cookies.set("crec_session", plain.cookies.get("crec_session")!);
    assert.equal((await https.fetch("/api/me")).status, 401);
  });
});

describe("the --trust-proxy command line flag", () => {
  test("is accepted and said at start", async () => {
    const out = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--trust-proxy", "--db", ":memory:", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("Sign in as")) child.kill("SIGTERM");
      });
      child.stderr.on("data", (d) => (err += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, out, err });
      });
    });
    assert.doesNotMatch(out.err, /usage:/, out.err);
    assert.match(out.out, /is up at/);
    assert.match(out.out, /Trusting the proxy in front/);
  });
});
