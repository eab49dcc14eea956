import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client, startServer, type RunningServer } from "../support/server.js";
import { fixtureDataset } from "../support/fixture-dataset.js";

let server: RunningServer;
let admin: Client;
let erin: Client;

interface CallList {
  calls: { id: string; recordings: number }[];
}
interface CallDetail {
  recordings: { audioUrl: string; downloadUrl: string }[];
}

before(async () => {
  server = await startServer({ dataset: fixtureDataset() });
  admin = new Client(server.url);
  assert.equal((await admin.signIn("admin")).status, 200);
  erin = new Client(server.url);
  assert.equal((await erin.signIn("erin")).status, 200);
});
after(() => server.close());

const put = (c: Client, path: string, body: unknown) =>
  c.fetch(path, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** What erin can list and fetch right now, in the open session. */
async function erinCanPlay(): Promise<string[]> {
  const list = (await erin.json<CallList>("/api/calls?hasRecording=true&limit=100")).body.calls.map((c) => c.id).sort();
  // Every listed call's recordings must be fetchable, and every other call's must not be listed.
  for (const id of ["c-alice", "c-bob", "c-transfer", "c-conference", "c-dave"]) {
    const detail = (await erin.json<CallDetail>(`/api/calls/${id}`)).body;
    assert.equal(detail.recordings.length > 0, list.includes(id), `the Call Session of ${id} agrees with the list`);
    for (const r of detail.recordings) {
      const res = await fetch(r.audioUrl, { headers: { range: "bytes=0-3" } });
      assert.equal(res.status, 206);
      await res.arrayBuffer();
    }
  }
  return list;
}

describe("an administrator changes a signed-in user's playback permission", () => {
  test("erin starts without playback and sees no recordings", async () => {
    assert.deepEqual(await erinCanPlay(), []);
  });

  test("granting Primary Group shows erin her primary group's recorded calls on her next request", async () => {
    const res = await put(admin, "/api/admin/users/erin/permissions", { playback: "primary-group", primaryGroup: "sales", memberGroups: [] });
    assert.equal(res.status, 200);
    assert.deepEqual(await erinCanPlay(), ["c-alice", "c-transfer"]);
  });

  test("widening to Member Groups with support adds support's calls", async () => {
    await put(admin, "/api/admin/users/erin/permissions", { playback: "member-groups", primaryGroup: "sales", memberGroups: ["support"] });
    assert.deepEqual(await erinCanPlay(), ["c-alice", "c-bob", "c-transfer"]);
  });

  test("widening to All Calls shows every recorded call", async () => {
    await put(admin, "/api/admin/users/erin/permissions", { playback: "all", primaryGroup: "sales", memberGroups: ["support"] });
    assert.deepEqual(await erinCanPlay(), ["c-alice", "c-bob", "c-conference", "c-dave", "c-transfer"]);
  });

  test("narrowing to Own Calls leaves only calls she was in (none)", async () => {
    const before = (await erin.json<CallDetail>("/api/calls/c-bob")).body.recordings[0]!;
    await put(admin, "/api/admin/users/erin/permissions", { playback: "own", primaryGroup: "sales", memberGroups: [] });
    assert.deepEqual(await erinCanPlay(), []);
    const audio = await fetch(before.audioUrl, { headers: { range: "bytes=0-3" } });
    assert.equal(audio.status, 404, "a URL signed before the change stops working at once");
    assert.equal((await fetch(before.downloadUrl)).status, 404);
  });

  test("revoking playback removes everything", async () => {
    await put(admin, "/api/admin/users/erin/permissions", { playback: "all", primaryGroup: "sales", memberGroups: [] });
    assert.equal((await erinCanPlay()).length, 5);
    await put(admin, "/api/admin/users/erin/permissions", { playback: "none", primaryGroup: "sales", memberGroups: [] });
    assert.deepEqual(await erinCanPlay(), []);
  });

  test("every change is recorded beside the user: who changed what, when", async () => {
    const user = (await admin.json<{ changes: { actor: string; action: string; detail: string; at: string }[] }>("/api/admin/users/erin")).body;
    assert.equal(user.changes.length, 6);
    assert.ok(user.changes.every((c) => c.actor === "admin" && c.action === "permission" && c.at));
    assert.equal(user.changes[0]!.detail, "playback all, primary group sales, member groups none → playback none, primary group sales, member groups none");
  });
});

describe("refused permission changes change nothing", () => {
  const current = async () => (await admin.json<{ playback: string; primaryGroup: string; memberGroups: string[] }>("/api/admin/users/bob")).body;

  test("an unknown scope or group is refused with what is wrong", async () => {
    const before = await current();
    for (const [body, message] of [
      [{ playback: "everything", primaryGroup: "sales", memberGroups: [] }, /playback: must be one of none, own, primary-group, member-groups, all/],
      [{ playback: "own", primaryGroup: "marketing", memberGroups: [] }, /primaryGroup: unknown group "marketing"/],
      [{ playback: "member-groups", primaryGroup: "sales", memberGroups: ["support", "nope"] }, /memberGroups\[1\]: unknown group "nope"/],
      [{ playback: "own", primaryGroup: "sales", memberGroups: "support" }, /memberGroups: must be a list/],
      [{ playback: "own", admin: true }, /admin: is not a permission field/],
    ] as const) {
      const res = await put(admin, "/api/admin/users/bob/permissions", body);
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: string }).error, message);
    }
    assert.deepEqual(await current(), before);
  });

  test("an unknown user is 404", async () => {
    const res = await put(admin, "/api/admin/users/nobody/permissions", { playback: "own" });
    assert.equal(res.status, 404);
  });

  test("a user who is not an administrator may neither see nor change permissions", async () => {
    const alice = new Client(server.url);
    await alice.signIn("alice");
    assert.equal((await alice.fetch("/api/admin/users")).status, 403);
    const res = await put(alice, "/api/admin/users/alice/permissions", { playback: "all", primaryGroup: "sales", memberGroups: [] });
    assert.equal(res.status, 403);
    assert.equal((await alice.json<{ playback: string }>("/api/me")).body.playback, "own");
  });

  test("a cross-site request carrying the administrator's cookie is refused", async () => {
    const before = await current();
    for (const headers of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }] as Record<string, string>[]) {
      const res = await admin.fetch("/api/admin/users/bob/permissions", {
        method: "PUT",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ playback: "none", primaryGroup: "sales", memberGroups: [] }),
      });
      assert.equal(res.status, 403);
    }
    assert.deepEqual(await current(), before);
  });
});

describe("recording settings through the API", () => {
  test("an administrator sets a device's setting; a bad value is refused and changes nothing", async () => {
    assert.equal((await put(admin, "/api/admin/devices/ext-alice/recording", { recording: "off" })).status, 204);
    const bad = await put(admin, "/api/admin/devices/ext-alice/recording", { recording: "sometimes" });
    assert.equal(bad.status, 400);
    const row = server.db.prepare("SELECT recording FROM devices WHERE id = 'ext-alice'").get() as { recording: string };
    assert.equal(row.recording, "off");
    assert.equal((await put(admin, "/api/admin/customer/recording", { recording: "inherit" })).status, 400, "the customer has no one to inherit from");
  });

  test("changing a setting never removes existing recordings", async () => {
    const alice = new Client(server.url);
    await alice.signIn("alice");
    const detail = (await alice.json<CallDetail>("/api/calls/c-alice")).body;
    assert.equal(detail.recordings.length, 1);
  });
});
