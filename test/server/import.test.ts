import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openDatabase, type Db } from "../../server/db.js";
import { DatasetError, ImportError, importDataset, readDatasetFile } from "../../server/import.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { Client, startServer } from "../support/server.js";
import { callIds, getPage, signInForm } from "./legacy-helpers.js";

const counts = (db: Db) => db.prepare("SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FROM recordings) AS recordings").get();

describe("importing a dataset", () => {
  test("a valid file is imported whole, with a recording per recorded segment", async () => {
    const db = openDatabase(":memory:");
    const summary = await importDataset(db, fixtureDataset());
    assert.deepEqual(summary, { groups: 3, users: 7, devices: 5, calls: 8, recordings: 6 });
    assert.deepEqual(counts(db), { users: 7, calls: 8, recordings: 6 });
    const hash = (db.prepare("SELECT password_hash FROM users WHERE id = 'alice'").get() as { password_hash: string }).password_hash;
    assert.match(hash, /^scrypt\$/, "passwords are stored hashed");
    assert.ok(!hash.includes("alice-pass"));
  });

  test("an invalid file is refused with the path of each problem, and the earlier data stays", async () => {
    const db = openDatabase(":memory:");
    await importDataset(db, fixtureDataset());
    const bad = fixtureDataset() as unknown as { calls: { segments: { device: string | null }[] }[]; users: { playback: string }[] };
    bad.calls[3]!.segments[0]!.device = "ext-999";
    bad.users[1]!.playback = "everything";
    await assert.rejects(importDataset(db, bad, "bad.json"), (err: unknown) => {
      assert.ok(err instanceof DatasetError);
      assert.match(err.message, /^bad\.json: the dataset was refused and nothing was imported/);
      assert.match(err.message, /calls\[3\]\.segments\[0\]\.device: unknown device "ext-999"/);
      assert.match(err.message, /users\[1\]\.playback: /);
      return true;
    });
    assert.deepEqual(counts(db), { users: 7, calls: 8, recordings: 6 });
  });

  test("a file that is not JSON is refused with where it broke", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-import-"));
    try {
      const path = join(dir, "broken.json");
      writeFileSync(path, '{ "customer": { "name": "x", ');
      await assert.rejects(readDatasetFile(path), (err: unknown) => err instanceof DatasetError && /\(file\): is not valid JSON/.test(err.message));
      await assert.rejects(readDatasetFile(join(dir, "missing.json")), (err: unknown) => err instanceof DatasetError && /cannot be read/.test(err.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a database locked by another process fails the import whole, with a clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-import-"));
    try {
      const path = join(dir, "db.sqlite");
      const db = openDatabase(path);
      await importDataset(db, fixtureDataset());
      db.pragma("busy_timeout = 50");
      const other = new Database(path);
      other.exec("BEGIN IMMEDIATE");
      try {
        await assert.rejects(importDataset(db, fixtureDataset(), "again.json"), (err: unknown) => {
          assert.ok(err instanceof ImportError);
          assert.equal(err.message, "again.json: the import failed and nothing was changed: the database is locked by another process");
          return true;
        });
      } finally {
        other.exec("ROLLBACK");
        other.close();
      }
      assert.deepEqual(counts(db), { users: 7, calls: 8, recordings: 6 });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a full disk fails the import whole, with a clear error, and the earlier data is intact", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-import-"));
    try {
      const db = openDatabase(join(dir, "db.sqlite"));
      const small = fixtureDataset();
      small.calls = small.calls.slice(0, 2);
      await importDataset(db, small);
      const before = counts(db);
      // SQLite reports a database that may not grow exactly as it reports a full disk.
      const pages = (db.pragma("page_count", { simple: true }) as number) + 2;
      db.pragma(`max_page_count = ${pages}`);
      const big = fixtureDataset();
      big.calls = Array.from({ length: 400 }, (_, i) => ({ ...fixtureDataset().calls[2]!, id: `c-big-${i}` }));
      await assert.rejects(importDataset(db, big, "big.json"), (err: unknown) => {
        assert.ok(err instanceof ImportError);
        assert.equal(err.message, "big.json: the import failed and nothing was changed: the disk is full");
        return true;
      });
      assert.deepEqual(counts(db), before);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** An instant written in local time with a UTC offset of `minutes`: 09:30+01:00 for 08:30Z and 60. */
function withOffset(utc: string, minutes: number): string {
  const local = new Date(Date.parse(utc) + minutes * 60_000).toISOString().slice(0, 19);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

describe("times with UTC offsets", () => {
  // Each call's start as the dataset writes it, and the instant it is. Compared as text, these
  // would be in a different order, and some on another day.
  const CALLS: [id: string, utc: string, offsetMinutes: number][] = [
    ["c-paris", "2026-11-20T08:30:00Z", 60], //          "2026-11-20T09:30:00+01:00"
    ["c-utc", "2026-11-20T09:00:00Z", 0], //              "2026-11-20T09:00:00+00:00"
    ["c-half", "2026-11-20T09:00:00.500Z", 0], //         with milliseconds, half a second later
    ["c-newyork", "2026-11-20T09:15:00Z", -300], //       "2026-11-20T04:15:00-05:00"
    ["c-early", "2026-11-19T23:30:00Z", 60], //           "2026-11-20T00:30:00+01:00": the 19th in UTC
    ["c-late", "2026-11-21T00:30:00Z", -60], //           "2026-11-20T23:30:00-01:00": the 21st in UTC
    ["c-kolkata", "2026-11-20T08:59:59Z", 330], //        "2026-11-20T14:29:59+05:30"
  ];
  const NEWEST_FIRST = ["c-late", "c-newyork", "c-half", "c-utc", "c-kolkata", "c-paris", "c-early"];

  function offsetDataset() {
    const data = fixtureDataset();
    data.calls = CALLS.map(([id, utc, offset]) => {
      const at = (seconds: number) => withOffset(new Date(Date.parse(utc) + seconds * 1000).toISOString(), offset);
      return {
        id,
        start: offset === 0 && utc.includes(".") ? utc : at(0),
        direction: "inbound" as const,
        from: "+441632960001",
        to: "+441632960100",
        groups: ["sales"],
        conference: false,
        segments: [{ start: at(1), end: at(61), device: "ext-alice", user: null }],
      };
    });
    return data;
  }

  test("are stored in UTC in one form, so SQL orders and filters calls by the instant they started", async () => {
    const data = offsetDataset();
    assert.equal(data.calls[0]!.start, "2026-11-20T09:30:00+01:00");
    assert.equal(data.calls[3]!.start, "2026-11-20T04:15:00-05:00");
    const server = await startServer({ dataset: data });
    try {
      const stored = server.db.prepare("SELECT start, end FROM calls UNION ALL SELECT start, end FROM segments UNION ALL SELECT start, end FROM recordings UNION ALL SELECT start, start FROM call_parties UNION ALL SELECT start, start FROM call_groups").all() as { start: string; end: string }[];
      assert.ok(stored.length >= CALLS.length * 5);
      for (const { start, end } of stored) {
        assert.match(start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.match(end, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }

      const alice = new Client(server.url);
      await alice.signIn("alice");
      type List = { calls: { id: string; start: string; end: string }[]; next: string | null };
      const list = (await alice.json<List>("/api/calls?hasRecording=true")).body;
      assert.deepEqual(list.calls.map((c) => c.id), NEWEST_FIRST, "newest first by the instant, not by the text");
      const paris = list.calls.find((c) => c.id === "c-paris")!;
      assert.deepEqual([paris.start, paris.end], ["2026-11-20T08:30:00Z", "2026-11-20T08:31:01Z"], "answered in UTC");
      assert.equal(list.calls.find((c) => c.id === "c-half")!.start, "2026-11-20T09:00:00.500Z");

      const ids = async (query: string) => (await alice.json<List>(`/api/calls?${query}`)).body.calls.map((c) => c.id);
      assert.deepEqual(await ids("from=2026-11-20&to=2026-11-21"), ["c-newyork", "c-half", "c-utc", "c-kolkata", "c-paris"], "the 20th in UTC");
      assert.deepEqual(await ids("from=2026-11-20T09:00:00Z"), ["c-late", "c-newyork", "c-half", "c-utc"], "from is inclusive, milliseconds or not");
      assert.deepEqual(await ids("from=2026-11-20T10:00:00%2B01:00&to=2026-11-20T09:00:00.500Z"), ["c-utc"], "bounds with offsets and milliseconds");
      // Paging with a cursor keeps the order across pages.
      const paged: string[] = [];
      let cursor: string | null = "";
      while (cursor !== null) {
        const page: List = (await alice.json<List>(`/api/calls?limit=2${cursor ? `&cursor=${cursor}` : ""}`)).body;
        paged.push(...page.calls.map((c) => c.id));
        cursor = page.next;
      }
      assert.deepEqual(paged, NEWEST_FIRST);

      const detail = (await alice.json<{ start: string; segments: { start: string; end: string }[]; recordings: { start: string }[] }>("/api/calls/c-newyork")).body;
      assert.equal(detail.start, "2026-11-20T09:15:00Z");
      assert.deepEqual(detail.segments.map((s) => [s.start, s.end]), [["2026-11-20T09:15:01Z", "2026-11-20T09:16:01Z"]]);
      assert.equal(detail.recordings[0]!.start, "2026-11-20T09:15:01Z");

      // The legacy Call List's whole-day filter agrees.
      const legacy = new Client(server.url);
      await signInForm(legacy, "alice");
      const page = await getPage(legacy, "/reports/call-list?from=2026-11-20&to=2026-11-20");
      assert.equal(page.status, 200);
      assert.deepEqual(callIds(page.html), ["c-newyork", "c-half", "c-utc", "c-kolkata", "c-paris"]);
      assert.deepEqual(callIds((await getPage(legacy, "/reports/call-list")).html), NEWEST_FIRST);
    } finally {
      await server.close();
    }
  });
});

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("is up at")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe("the server command line", () => {
  test("--data with a broken file exits with the problem's path and imports nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-cli-"));
    try {
      const data = join(dir, "bad.json");
      const bad = fixtureDataset() as unknown as { calls: { segments: { device: string }[] }[] };
      bad.calls[3]!.segments[0]!.device = "ext-999";
      writeFileSync(data, JSON.stringify(bad));
      const dbPath = join(dir, "db.sqlite");
      const result = await run(["--data", data, "--port", "0", "--db", dbPath]);
      assert.equal(result.code, 1);
      assert.match(result.err, /calls\[3\]\.segments\[0\]\.device: unknown device "ext-999"/);
      const db = new Database(dbPath, { readonly: true });
      assert.equal((db.prepare("SELECT count(*) AS n FROM calls").get() as { n: number }).n, 0);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--data, --port and --db start the server on that data and say where to go", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-cli-"));
    try {
      const data = join(dir, "good.json");
      writeFileSync(data, JSON.stringify(fixtureDataset()));
      const result = await run(["--data", data, "--port", "0", "--db", join(dir, "db.sqlite")]);
      assert.match(result.out, /Imported .*good\.json: 7 users, 5 devices, 8 calls, 6 recordings/);
      assert.match(result.out, /is up at http:\/\/127\.0\.0\.1:\d+\//);
      const again = await run(["--data", data, "--port", "0", "--db", join(dir, "db.sqlite")]);
      assert.match(again.out, /already holds/, "an unchanged file is not imported again, so admin changes are kept");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a port that is not a port number is refused, named where it was given", async () => {
    const flag = await run(["--port", "80a"]);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /--port: "80a" is not a port number \(0 to 65535/);
    const empty = await run(["--port", ""]);
    assert.equal(empty.code, 2, "an empty --port is not taken as any free port");
    assert.match(empty.err, /--port: "" is not a port number/);
    const env = await run([], { ...process.env, PORT: "eighty" });
    assert.equal(env.code, 2);
    assert.match(env.err, /^PORT: "eighty" is not a port number/m);
    assert.match(env.err, /usage: npm run serve --/);
  });

  test("an unknown option is refused with the usage", async () => {
    const result = await run(["--colour", "blue"]);
    assert.equal(result.code, 2);
    assert.match(result.err, /usage: npm run serve -- \[--data FILE\]/);
  });
});
