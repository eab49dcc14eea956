/**
 * Issue 14, point 7: a recording's bytes, and the answers that hand out signed URLs, are never
 * kept by the browser, so nothing of them plays on from its cache after access is revoked.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { setPermissions } from "../../server/admin-changes.js";
import { InProcessClient, inProcessApp } from "../support/in-process.js";

interface CallDetail {
  recordings: { id: string; audioUrl: string; downloadUrl: string }[];
}

/** The answer may not be stored by any cache: `no-store`, and `private` for shared caches. */
function assertNotStored(res: Response, what: string): void {
  const value = res.headers.get("cache-control");
  assert.ok(value, `${what}: has Cache-Control`);
  const directives = value.toLowerCase().split(",").map((d) => d.trim());
  assert.ok(directives.includes("no-store"), `${what}: Cache-Control "${value}" lets the browser keep the answer`);
  assert.ok(directives.includes("private"), `${what}: Cache-Control "${value}" lets a shared cache keep the answer`);
  assert.ok(!directives.some((d) => d.startsWith("max-age=") && d !== "max-age=0"), `${what}: Cache-Control "${value}" has a freshness lifetime`);
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe("caching of per-user answers", () => {
  test("audio, ranges of it, its HEAD and downloads are not stored", async () => {
    const { app } = await inProcessApp();
    const alice = new InProcessClient(app);
    await alice.signIn("alice");
    const call = (await (await alice.fetch("/api/calls/c-alice")).json()) as CallDetail;
    const rec = call.recordings[0]!;
    const audio = pathOf(rec.audioUrl);
    const download = pathOf(rec.downloadUrl);
    const whole = await alice.fetch(audio);
    assert.equal(whole.status, 200);
    assertNotStored(whole, "audio");
    await whole.arrayBuffer();
    const part = await alice.fetch(audio, { headers: { range: "bytes=100-" } });
    assert.equal(part.status, 206);
    assertNotStored(part, "audio range");
    await part.arrayBuffer();
    const head = await alice.fetch(audio, { method: "HEAD" });
    assertNotStored(head, "audio HEAD");
    const file = await alice.fetch(download);
    assert.equal(file.status, 200);
    assertNotStored(file, "download");
    await file.arrayBuffer();
    const beyond = await alice.fetch(audio, { headers: { range: "bytes=999999999-" } });
    assert.equal(beyond.status, 416);
    assertNotStored(beyond, "unsatisfiable range");
  });

  test("JSON answers with signed URLs, and the other per-user ones, are not stored", async () => {
    const { app } = await inProcessApp();
    const alice = new InProcessClient(app);
    await alice.signIn("alice");
    for (const path of ["/api/calls/c-alice", "/api/calls?hasRecording=true", "/api/me"]) {
      const res = await alice.fetch(path);
      assert.equal(res.status, 200, path);
      assertNotStored(res, path);
    }
    const admin = new InProcessClient(app);
    await admin.signIn("admin");
    for (const path of ["/api/admin/users", "/api/admin/audit"]) {
      const res = await admin.fetch(path);
      assert.equal(res.status, 200, path);
      assertNotStored(res, path);
    }
  });

  test("after a revoke the audio URL answers with neither bytes nor a 304 that would reuse a cached copy", async () => {
    const { app, db } = await inProcessApp();
    const alice = new InProcessClient(app);
    await alice.signIn("alice");
    const rec = ((await (await alice.fetch("/api/calls/c-alice")).json()) as CallDetail).recordings[0]!;
    const first = await alice.fetch(pathOf(rec.audioUrl));
    assert.equal(first.status, 200);
    const etag = first.headers.get("etag");
    assert.ok(etag);
    await first.arrayBuffer();
    setPermissions(db, "admin", "alice", { playback: "none", primaryGroup: "sales", memberGroups: [] });
    const tries: Record<string, string>[] = [{}, { "if-none-match": etag }, { range: "bytes=0-", "if-range": etag }];
    for (const headers of tries) {
      const res = await alice.fetch(pathOf(rec.audioUrl), { headers });
      assert.equal(res.status, 404, `after the revoke, with ${JSON.stringify(headers)}`);
      assert.match(res.headers.get("content-type") ?? "", /json/);
    }
  });
});
