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

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
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

  test("an unknown option is refused with the usage", async () => {
    const result = await run(["--colour", "blue"]);
    assert.equal(result.code, 2);
    assert.match(result.err, /usage: npm run serve -- \[--data FILE\]/);
  });
});
