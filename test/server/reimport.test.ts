/**
 * Issue 14, point 5: a re-import of a changed dataset file, and an upgrade from the previous
 * storage version, keep the audit log, the administrators' changes and every recording's id.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset } from "../../src/rules/domain.js";
import { setPermissions, setRecordingSetting } from "../../server/admin-changes.js";
import { loadAccount } from "../../server/access.js";
import { createApp } from "../../server/app.js";
import { getMeta, openDatabase, SCHEMA_VERSION, type Db } from "../../server/db.js";
import { DatasetError, ImportError, importDataset } from "../../server/import.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { InProcessClient } from "../support/in-process.js";

interface CallDetail {
  recordings: { id: string; segment: number | null; audioUrl: string; downloadUrl: string }[];
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** Each recording's id by its call and segment ("conference" for a conference's one). */
const recordingIds = (db: Db): Record<string, string> =>
  Object.fromEntries(
    (db.prepare("SELECT c.id AS call, r.segment_idx AS segment, r.id FROM recordings r JOIN calls c ON c.seq = r.call_seq").all() as { call: string; segment: number | null; id: string }[]).map((r) => [
      `${r.call}#${r.segment ?? "conference"}`,
      r.id,
    ]),
  );

const auditRows = (db: Db) => db.prepare("SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id").all();

const setting = (db: Db, table: "customer" | "users" | "devices", id: string | number) =>
  (db.prepare(`SELECT recording FROM ${table} WHERE id = ?`).get(id) as { recording: string } | undefined)?.recording;

/** What an administrator does between two imports, through the same code the admin pages use. */
function adminChanges(db: Db): void {
  setPermissions(db, "admin", "erin", { playback: "all", primaryGroup: "sales", memberGroups: [] });
  setPermissions(db, "admin", "bob", { playback: "primary-group", primaryGroup: "sales", memberGroups: ["billing", "support"] });
  setRecordingSetting(db, "admin", { kind: "device", id: "ext-bob" }, "off");
  setRecordingSetting(db, "admin", { kind: "user", id: "frank" }, "inherit");
  setRecordingSetting(db, "admin", { kind: "customer" }, "off");
}

/**
 * The fixture dataset as someone might edit it later: a new call before the others (which
 * moved every call's position in the file), a call removed, and changes to fields the
 * administrator changed (erin's playback, ext-bob's setting) and did not (carol's playback,
 * bob's name).
 */
function editedDataset(): Dataset {
  const data = fixtureDataset();
  data.calls = data.calls.filter((c) => c.id !== "c-bob");
  data.calls.unshift({
    id: "c-new",
    start: "2026-11-21T09:00:00Z",
    direction: "inbound",
    from: "+441632960077",
    to: "+441632960100",
    groups: ["sales"],
    conference: false,
    segments: [{ start: "2026-11-21T09:00:01Z", end: "2026-11-21T09:01:01Z", device: "ext-alice", user: null }],
  });
  const user = (id: string) => data.users.find((u) => u.id === id)!;
  user("erin").playback = "own";
  user("carol").playback = "all";
  user("bob").name = "Robert Tester";
  data.devices.find((d) => d.id === "ext-bob")!.recording = "on";
  return data;
}

describe("a re-import of a changed dataset file", () => {
  test("keeps the audit log, the administrators' changes, the saved filters and every recording's id", async () => {
    const db = openDatabase(":memory:");
    await importDataset(db, fixtureDataset(), "first.json", "digest-1");
    const app = createApp({ db });
    const alice = new InProcessClient(app);
    await alice.signIn("alice");
    const transfer = ((await (await alice.fetch("/api/calls/c-transfer")).json()) as CallDetail).recordings;
    const link = transfer.find((r) => r.segment === 2)!;
    const listen = await alice.fetch(pathOf(link.audioUrl), { headers: { range: "bytes=1-" } });
    assert.equal(listen.status, 206);
    await listen.arrayBuffer();
    adminChanges(db);
    db.prepare("INSERT INTO saved_filters (user_id, name, query) VALUES ('alice', 'Mine', 'hasRecording=1')").run();
    const idsBefore = recordingIds(db);
    const auditBefore = auditRows(db);
    assert.ok(auditBefore.length >= 6, "a listen and five admin changes are audited");

    await importDataset(db, editedDataset(), "second.json", "digest-2");

    assert.deepEqual(auditRows(db), auditBefore, "the audit log is as it was");
    // The administrator's changes win for the fields they changed...
    assert.equal(loadAccount(db, "erin")!.playback, "all", "erin's playback as the administrator set it, not the file's");
    assert.deepEqual(loadAccount(db, "bob")!.memberGroups, ["billing", "support"], "bob's member groups as the administrator set them");
    assert.equal(setting(db, "devices", "ext-bob"), "off");
    assert.equal(setting(db, "users", "frank"), "inherit");
    assert.equal(setting(db, "customer", 1), "off");
    // ...and the file wins for the others.
    assert.equal(loadAccount(db, "carol")!.playback, "all", "carol's playback from the changed file");
    assert.equal(loadAccount(db, "bob")!.name, "Robert Tester");
    assert.equal(loadAccount(db, "bob")!.playback, "primary-group");
    assert.deepEqual(db.prepare("SELECT name, query FROM saved_filters WHERE user_id = 'alice'").all(), [{ name: "Mine", query: "hasRecording=1" }]);

    const idsAfter = recordingIds(db);
    for (const [key, id] of Object.entries(idsBefore)) {
      if (key.startsWith("c-bob#")) assert.equal(idsAfter[key], undefined, "the removed call's recording is gone");
      else assert.equal(idsAfter[key], id, `${key} keeps its id`);
    }
    const newId = idsAfter["c-new#0"];
    assert.ok(newId, "the new call is recorded (by the file's settings, as its calls were made)");
    assert.ok(!Object.values(idsBefore).includes(newId), `the new call's recording gets an id never used before, not ${newId}`);
    assert.deepEqual(Object.keys(idsAfter).sort(), [...Object.keys(idsBefore).filter((k) => !k.startsWith("c-bob#")), "c-new#0"].sort(), "the admin's setting changes did not remove recordings that exist");

    // The link handed out before the re-import still plays the same recording of the same call,
    // and the removed call's old links lead nowhere.
    const again = await new InProcessClient(app).fetch(pathOf(link.audioUrl));
    assert.equal(again.status, 200, "the signed link still works");
    await again.arrayBuffer();
    const later = new InProcessClient(app);
    await later.signIn("alice");
    const detail = (await (await later.fetch("/api/calls/c-transfer")).json()) as CallDetail;
    assert.equal(detail.recordings.find((r) => r.segment === 2)!.id, link.id, "the call answers with the same id");
  });

  test("a removed call's recording id is not given to a new call", async () => {
    const db = openDatabase(":memory:");
    const first = fixtureDataset();
    await importDataset(db, first);
    const before = recordingIds(db);
    // The last call removed and another added in its place: a numbering by position would reuse its id.
    const second = fixtureDataset();
    const dave = second.calls.pop()!;
    second.calls.push({ ...dave, id: "c-replacement" });
    await importDataset(db, second);
    const after = recordingIds(db);
    assert.equal(after["c-dave#0"], undefined);
    assert.notEqual(after["c-replacement#0"], before["c-dave#0"]);
    // And when the call comes back, it has its old id again.
    await importDataset(db, first);
    assert.equal(recordingIds(db)["c-dave#0"], before["c-dave#0"]);
  });

  test("a user, device or group the file no longer has goes; the administrator's change waits for it", async () => {
    const db = openDatabase(":memory:");
    await importDataset(db, fixtureDataset());
    setPermissions(db, "admin", "frank", { playback: "all", primaryGroup: "billing", memberGroups: ["support"] });
    const without = fixtureDataset();
    without.users = without.users.filter((u) => u.id !== "frank");
    without.devices = without.devices.filter((d) => d.id !== "ext-frank");
    without.calls = without.calls.filter((c) => !c.segments.some((s) => s.device === "ext-frank"));
    without.groups = without.groups.filter((g) => g.id !== "billing");
    for (const u of without.users) {
      u.memberGroups = u.memberGroups.filter((g) => g !== "billing");
      if (u.primaryGroup === "billing") u.primaryGroup = null;
    }
    without.calls = without.calls.map((c) => ({ ...c, groups: c.groups.filter((g) => g !== "billing") }));
    await importDataset(db, without);
    assert.equal(loadAccount(db, "frank"), undefined);
    await importDataset(db, fixtureDataset());
    assert.equal(loadAccount(db, "frank")!.playback, "all", "frank's permission as the administrator set it, once he is back");
    assert.deepEqual(loadAccount(db, "frank")!.memberGroups, ["support"]);
  });

  test("a refused or failed re-import changes nothing, the administrators' changes included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-reimport-"));
    try {
      const db = openDatabase(join(dir, "db.sqlite"));
      await importDataset(db, fixtureDataset());
      adminChanges(db);
      const snapshot = () => ({
        audit: auditRows(db),
        overrides: db.prepare("SELECT * FROM admin_overrides ORDER BY subject, field").all(),
        ids: recordingIds(db),
        erin: loadAccount(db, "erin"),
        device: setting(db, "devices", "ext-bob"),
      });
      const before = snapshot();
      const bad = editedDataset() as unknown as { calls: { segments: { device: string | null }[] }[] };
      bad.calls[1]!.segments[0]!.device = "ext-999";
      await assert.rejects(importDataset(db, bad, "bad.json"), DatasetError);
      assert.deepEqual(snapshot(), before, "a refused file changes nothing");
      db.pragma(`max_page_count = ${(db.pragma("page_count", { simple: true }) as number) + 1}`);
      const big = editedDataset();
      big.calls = Array.from({ length: 400 }, (_, i) => ({ ...fixtureDataset().calls[2]!, id: `c-big-${i}` }));
      await assert.rejects(importDataset(db, big, "big.json"), ImportError);
      assert.deepEqual(snapshot(), before, "a failed import changes nothing");
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a database made by the previous storage version", () => {
  /**
   * A database as version 1 of the schema left it: no kept identities, no list of changed
   * fields, and recording ids numbered by the calls' places in the file it was imported from.
   */
  async function versionOneDatabase(path: string): Promise<void> {
    const db = openDatabase(path);
    await importDataset(db, fixtureDataset(), "v1.json", "old-digest");
    adminChanges(db);
    db.exec("DROP TABLE call_keys; DROP TABLE recording_keys; DROP TABLE admin_overrides");
    // Ids unlike what a fresh numbering would give, so keeping them is seen to be kept.
    db.prepare("UPDATE recordings SET id = 'r7' || id").run();
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'schema_version'").run();
    db.close();
  }

  test("is migrated, not wiped: its audit log, administrators' changes and recording ids survive a re-import", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-migrate-"));
    try {
      const path = join(dir, "db.sqlite");
      await versionOneDatabase(path);
      const db = openDatabase(path);
      assert.equal(getMeta(db, "schema_version"), String(SCHEMA_VERSION));
      const audit = auditRows(db);
      const ids = recordingIds(db);
      assert.ok(Object.values(ids).every((id) => id.startsWith("r7r")));

      await importDataset(db, editedDataset(), "new.json", "new-digest");
      assert.deepEqual(auditRows(db), audit, "the audit log is as version 1 left it");
      assert.equal(loadAccount(db, "erin")!.playback, "all");
      assert.deepEqual(loadAccount(db, "bob")!.memberGroups, ["billing", "support"]);
      assert.equal(setting(db, "devices", "ext-bob"), "off");
      assert.equal(setting(db, "users", "frank"), "inherit");
      assert.equal(setting(db, "customer", 1), "off");
      assert.equal(loadAccount(db, "carol")!.playback, "all", "fields no administrator changed follow the file");
      const after = recordingIds(db);
      for (const [key, id] of Object.entries(ids)) if (!key.startsWith("c-bob#")) assert.equal(after[key], id, `${key} keeps its id`);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a database of a schema newer than this server is refused, and left alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-migrate-"));
    try {
      const path = join(dir, "db.sqlite");
      const db = openDatabase(path);
      db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
      db.close();
      assert.throws(() => openDatabase(path), /has schema version 99; this server knows versions 1 to \d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the server command line, on a changed file", () => {
  function run(args: string[]): Promise<string> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("is up at")) child.kill("SIGTERM");
      });
      child.stderr.on("data", (d) => (out += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("exit", () => {
        clearTimeout(timer);
        resolve(out);
      });
    });
  }

  test("re-imports it, keeping the administrators' changes and the audit log, and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-reimport-cli-"));
    try {
      const data = join(dir, "data.json");
      const dbPath = join(dir, "db.sqlite");
      writeFileSync(data, JSON.stringify(fixtureDataset()));
      assert.match(await run(["--data", data, "--port", "0", "--db", dbPath]), /Imported .*data\.json/);
      const db = openDatabase(dbPath);
      adminChanges(db);
      const audit = auditRows(db);
      db.close();
      writeFileSync(data, JSON.stringify(editedDataset()));
      const out = await run(["--data", data, "--port", "0", "--db", dbPath]);
      assert.match(out, /Imported .*data\.json: 7 users, 5 devices, 8 calls/);
      assert.match(out, /Kept the audit log \(5 entries\), \d+ field\(s\) set by administrators/);
      const after = openDatabase(dbPath);
      assert.deepEqual(auditRows(after), audit);
      assert.equal(loadAccount(after, "erin")!.playback, "all");
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
