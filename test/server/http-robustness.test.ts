import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { Client, startServer, type RunningServer } from "../support/server.js";
import { fixtureDataset } from "../support/fixture-dataset.js";

let server: RunningServer;

before(async () => {
  server = await startServer({ dataset: fixtureDataset() });
});
after(() => server.close());

/** Sends a raw request, so headers and paths reach the server exactly as written. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("latin1");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function assertClientError(res: { status: number; text: string }, what: string) {
  assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} is a 4xx`);
  assert.doesNotMatch(res.text, /at .*\.(ts|js):\d+/, `${what}: no stack trace`);
}

describe("bad HTTP input gets the right 4xx, never a 500 or a stack trace", () => {
  test("malformed, multiple, negative, overflowing and reversed Range headers", async () => {
    const alice = new Client(server.url);
    await alice.signIn("alice");
    const call = (await alice.json<{ recordings: { audioUrl: string }[] }>("/api/calls/c-alice")).body;
    const url = new URL(call.recordings[0]!.audioUrl);
    const path = url.pathname + url.search;
    const ranges = [
      "bytes=",
      "bytes=-",
      "bytes=--1",
      "bytes=-5-",
      "bytes=5-1",
      "bytes=0-1,2-3",
      "bytes=0-1, 2-3",
      "bytes=1e3-2e3",
      "bytes=0x10-",
      "bytes=99999999999999999999999-",
      "bytes=0-99999999999999999999999",
      "bytes=-99999999999999999999999",
      "bits=0-1",
      "bytes=\u00e9-",
      "bytes=1 - 2",
      "x".repeat(4000),
    ];
    for (const range of ranges) {
      const res = await raw("GET", path, { range });
      assert.equal(res.status, 416, range.slice(0, 40));
      assertClientError(res, range.slice(0, 40));
    }
  });

  test("odd ids and paths", async () => {
    const alice = new Client(server.url);
    await alice.signIn("alice");
    const paths = [
      "/api/calls/%",
      "/api/calls/%zz",
      "/api/calls/..%2f..%2f",
      "/api/calls/%00",
      "/api/calls/" + "%F0%9F%92%A9".repeat(200),
      "/api/recordings/%/audio",
      "/api/recordings/r1-1/audio?u=alice&exp=-1&sig=x",
      "/api/recordings/r1-1/audio?u=alice&exp=1e99&sig=x",
      "/api/recordings/r1-1/audio?u=&exp=&sig=",
      "/api/recordings/r1-1/audio?u=alice&u=bob&exp=1&sig=x",
      "/api/recordings/r1-1/download",
      "/api/calls?limit=-1",
      "/api/calls?limit=1e3",
      "/api/calls?limit=999999999999999999999",
      "/api/calls?from=2026-13-45",
      "/api/calls?cursor=%FF%FE",
      "/api/calls?cursor=" + Buffer.from('["x", 1.5]').toString("base64url"),
      "/api/calls?cursor=" + Buffer.from("{}").toString("base64url"),
      "/api/nope/../../etc/passwd",
    ];
    for (const p of paths) {
      const res = await raw("GET", p, { cookie: alice.cookie });
      assertClientError(res, p.slice(0, 60));
    }
  });

  test("oversized and malformed bodies", async () => {
    const bodies: [string, Record<string, string>][] = [
      ["", { "content-type": "application/json" }],
      ["null", { "content-type": "application/json" }],
      ['"text"', { "content-type": "application/json" }],
      ["{".repeat(10_000), { "content-type": "application/json" }],
      ["\u0000\u0001\u0002", { "content-type": "application/json" }],
      ['{"username":"a","password":"b"}', { "content-type": "text/plain" }],
      ['{"username":"a","password":"b"}', {}],
      [JSON.stringify({ username: "x".repeat(100_000), password: "y" }), { "content-type": "application/json" }],
      ['{"username":["alice"],"password":{"$ne":1}}', { "content-type": "application/json" }],
      ['{"__proto__":{"admin":true},"username":"alice","password":"nope"}', { "content-type": "application/json" }],
    ];
    for (const [body, headers] of bodies) {
      const res = await raw("POST", "/api/session", headers, body);
      assertClientError(res, body.slice(0, 30));
    }
    const admin = new Client(server.url);
    await admin.signIn("admin");
    const res = await raw("PUT", "/api/admin/users/bob/permissions", { cookie: admin.cookie, "content-type": "application/json" }, "x".repeat(100_000));
    assert.equal(res.status, 413);
  });
});

describe("sign-in attempts are limited", () => {
  test("after 10 failures in a row the username is locked for a while, even with the right password", async () => {
    const c = new Client(server.url);
    for (let i = 0; i < 10; i++) assert.equal((await c.signIn("frank", "wrong")).status, 401);
    const locked = await c.signIn("frank");
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("retry-after")) > 0);
    assert.match(((await locked.json()) as { error: string }).error, /too many failed sign-ins/);
    assert.equal((await new Client(server.url).signIn("dave")).status, 200, "other users are not affected");
  });
});
