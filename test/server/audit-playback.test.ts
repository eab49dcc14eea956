/**
 * Issue 14, point 4: every listen and download is in the audit log, whichever bytes were asked
 * for; the many requests of one listen are one entry.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../server/db.js";
import { AUDIT_MERGE_MINUTES } from "../../server/recording-audio.js";
import { InProcessClient, inProcessApp } from "../support/in-process.js";

interface CallDetail {
  recordings: { id: string; audioUrl: string; downloadUrl: string }[];
}

interface Entry {
  actor: string;
  action: string;
  subject: string;
  detail: string;
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

const entries = (db: Db): Entry[] =>
  db.prepare("SELECT actor, action, subject, detail FROM audit_log WHERE action IN ('play', 'download') ORDER BY id").all() as Entry[];

/** A fresh server, `user` signed in, and the signed URLs of the first recording of `call`. */
async function setUp(user = "alice", call = "c-alice") {
  const { app, db } = await inProcessApp();
  const client = new InProcessClient(app);
  assert.equal((await client.signIn(user)).status, 200);
  const rec = ((await (await client.fetch(`/api/calls/${call}`)).json()) as CallDetail).recordings[0]!;
  const get = async (which: "audio" | "download", headers: Record<string, string> = {}, method = "GET") => {
    const res = await client.fetch(pathOf(which === "audio" ? rec.audioUrl : rec.downloadUrl), { method, headers });
    await res.arrayBuffer();
    return res;
  };
  return { app, db, rec, get };
}

describe("the audit log of listens and downloads", () => {
  const ways: [what: string, headers: Record<string, string>, status: number][] = [
    ["no Range", {}, 200],
    ["Range: bytes=0-", { range: "bytes=0-" }, 206],
    ["Range: bytes=1- (all but the first byte)", { range: "bytes=1-" }, 206],
    ["a range in the middle", { range: "bytes=5000-9999" }, 206],
    ["a suffix range (the last bytes)", { range: "bytes=-5000" }, 206],
    ["a suffix range longer than the file", { range: "bytes=-999999999" }, 206],
  ];
  for (const [what, headers, status] of ways) {
    test(`a listen is audited when its bytes are asked for with ${what}`, async () => {
      const { db, rec, get } = await setUp();
      const res = await get("audio", headers);
      assert.equal(res.status, status);
      assert.deepEqual(entries(db), [{ actor: "alice", action: "play", subject: rec.id, detail: "call c-alice" }], `${what} leaves an entry`);
    });
    test(`a download is audited when its bytes are asked for with ${what}`, async () => {
      const { db, rec, get } = await setUp();
      const res = await get("download", headers);
      assert.equal(res.status, status);
      assert.deepEqual(entries(db), [{ actor: "alice", action: "download", subject: rec.id, detail: "call c-alice" }], `${what} leaves an entry`);
    });
  }

  test("a 304 for a copy the client already holds is audited as a listen", async () => {
    const { db, rec, get } = await setUp();
    const first = await get("audio", { range: "bytes=1-1" });
    db.prepare("DELETE FROM audit_log").run();
    const again = await get("audio", { "if-none-match": first.headers.get("etag")! });
    assert.equal(again.status, 304);
    assert.deepEqual(entries(db).map((e) => [e.action, e.subject]), [["play", rec.id]]);
  });

  test("the many range requests of one listen are one entry; a download of it is another", async () => {
    const { db, rec, get } = await setUp();
    for (const range of ["bytes=1-", "bytes=0-", "bytes=40000-", "bytes=-100", "bytes=2000-2999"]) {
      assert.equal((await get("audio", { range })).status, 206, range);
    }
    await get("audio");
    assert.deepEqual(entries(db).map((e) => [e.actor, e.action, e.subject]), [["alice", "play", rec.id]]);
    await get("download", { range: "bytes=7-" });
    await get("download");
    assert.deepEqual(entries(db).map((e) => [e.actor, e.action, e.subject]), [
      ["alice", "play", rec.id],
      ["alice", "download", rec.id],
    ]);
  });

  test(`a request more than ${AUDIT_MERGE_MINUTES} minutes after the entry is a new entry`, async () => {
    const { db, rec, get } = await setUp();
    await get("audio", { range: "bytes=1-" });
    // As if that listen had been longer ago than the window.
    const past = new Date(Date.now() - (AUDIT_MERGE_MINUTES * 60 + 5) * 1000).toISOString();
    db.prepare("UPDATE audit_log SET at = ?").run(past);
    await get("audio", { range: "bytes=1-" });
    assert.deepEqual(entries(db).map((e) => [e.action, e.subject]), [
      ["play", rec.id],
      ["play", rec.id],
    ]);
  });

  test("another user's listen of the same recording is their own entry", async () => {
    const { app, db } = await inProcessApp();
    const listen = async (user: string) => {
      const client = new InProcessClient(app);
      await client.signIn(user);
      const rec = ((await (await client.fetch("/api/calls/c-alice")).json()) as CallDetail).recordings[0]!;
      const res = await client.fetch(pathOf(rec.audioUrl), { headers: { range: "bytes=44-" } });
      assert.equal(res.status, 206, user);
      await res.arrayBuffer();
    };
    await listen("alice");
    await listen("bob");
    assert.deepEqual(entries(db).map((e) => e.actor), ["alice", "bob"]);
  });

  test("HEAD, unsatisfiable ranges and refused URLs give no bytes and leave no entry", async () => {
    const { app, db, rec, get } = await setUp();
    assert.equal((await get("audio", {}, "HEAD")).status, 200);
    assert.equal((await get("audio", { range: "bytes=999999999-" })).status, 416);
    const stranger = new InProcessClient(app);
    const tampered = new URL(rec.audioUrl);
    tampered.searchParams.set("sig", "x");
    assert.equal((await stranger.fetch(pathOf(tampered.href), { headers: { range: "bytes=1-" } })).status, 403);
    assert.deepEqual(entries(db), []);
  });
});
