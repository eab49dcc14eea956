/**
 * Dataset files mutated at random from the demo one: each is imported whole or refused with the
 * path of its problem, never half. Seeded, so a failure names a case that can be replayed:
 * FUZZ_SEED=n FUZZ_CASES=m node --import tsx --test test/server/dataset-fuzz.test.ts
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseDataset } from "../../src/rules/dataset.js";
import { openDatabase, type Db } from "../../server/db.js";
import { DatasetError, importDataset } from "../../server/import.js";

const demoText = readFileSync(new URL("../../server/demo/dataset.json", import.meta.url), "utf8");
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const CASES = Number(process.env.FUZZ_CASES ?? 300);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside the document, as a list of keys. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

const ODD_VALUES: Json[] = [null, true, 0, -1, 1e308, "", " ", "on", "inherit", "everything", "ext-999", "2026-02-30T10:00:00Z", "<script>alert(1)</script>", "\u202Eevil", "x".repeat(600), [], {}, [1, 2], { a: 1 }, "2026-11-20T09:00:00Z", "sales", "alice"];

function mutate(doc: Json, r: () => number): { doc: Json; what: string } {
  const all = paths(doc).filter((p) => p.length > 0);
  const at = all[Math.floor(r() * all.length)]!;
  const parent = at.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, doc) as Record<string | number, Json> | Json[];
  const key = at[at.length - 1]!;
  const kind = Math.floor(r() * 5);
  const where = at.join(".");
  if (kind === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, Json>)[key];
    return { doc, what: `removed ${where}` };
  }
  if (kind === 1 && Array.isArray(parent)) {
    parent.push(structuredClone(parent[key as number]!));
    return { doc, what: `duplicated ${where}` };
  }
  if (kind === 2 && !Array.isArray(parent)) {
    (parent as Record<string, Json>)[`${String(key)}x`] = 1;
    return { doc, what: `added a key beside ${where}` };
  }
  const value = ODD_VALUES[Math.floor(r() * ODD_VALUES.length)]!;
  (parent as Record<string | number, Json>)[key] = structuredClone(value);
  return { doc, what: `set ${where} to ${JSON.stringify(value).slice(0, 30)}` };
}

const counts = (db: Db) =>
  db.prepare("SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM devices) AS devices, (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FROM segments) AS segments").get() as Record<string, number>;

test(`${CASES} dataset files mutated from the demo one are each imported whole or refused with a path`, async () => {
  const r = rng(SEED);
  const db = openDatabase(":memory:");
  const baseline = JSON.parse(demoText) as Json;
  await importDataset(db, baseline, "demo");
  let before = counts(db);
  let imported = 0;
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    let doc = JSON.parse(demoText) as Json;
    const steps: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      const m = mutate(doc, r);
      doc = m.doc;
      steps.push(m.what);
    }
    const label = `case ${i} (seed ${SEED}): ${steps.join("; ")}`;
    const valid = parseDataset(doc);
    try {
      await importDataset(db, doc, `case-${i}.json`);
      assert.ok(valid.ok, `${label}: imported although invalid`);
      const d = valid.dataset;
      const after = counts(db);
      assert.deepEqual(after, { users: d.users.length, devices: d.devices.length, calls: d.calls.length, segments: d.calls.reduce((s, c) => s + c.segments.length, 0) }, `${label}: imported whole`);
      before = after;
      imported++;
    } catch (err) {
      assert.ok(err instanceof DatasetError, `${label}: refused with a DatasetError, not ${String(err)}`);
      assert.ok(err.problems.length > 0, label);
      for (const p of err.problems) {
        assert.match(p.path, /^(\(file\)|[a-zA-Z]+(\[\d+\])?(\.[a-zA-Z]+(\[\d+\])?)*)$/, `${label}: "${p.path}" is a path`);
        assert.ok(p.message.length > 0, label);
      }
      assert.deepEqual(counts(db), before, `${label}: nothing imported`);
      refused++;
    }
  }
  console.log(`dataset fuzz: ${CASES} mutated files, ${imported} imported whole, ${refused} refused with a path, none half-imported`);
  assert.ok(refused > CASES / 2);
});
