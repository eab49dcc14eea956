/**
 * `npm run test:quick`: the unit tests (QUICK_UNIT_PARTS processes, default 2: test/quick-units.ts)
 * and the component tests (QUICK_SHARDS Chromiums, default 3, each with a profile of its own so
 * that IndexedDB and the one-player channel stay apart), all at once, files split by their seconds.
 * Each part's output is printed whole when it ends; the exit code is 1 when any part failed.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { testFiles, UNIT_TEST_DIRS } from "../test/test-files.js";

/** A port no one listens on now (one per test runner, so that the two do not race for 8000). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

interface Part {
  name: string;
  command: string[];
  env?: Record<string, string>;
}

function run(part: Part): Promise<{ part: Part; ok: boolean; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(part.command[0]!, part.command.slice(1), { env: { ...process.env, ...part.env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ part, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/**
 * Seconds per file: for component files as the last run here measured them (node_modules/.cache,
 * not committed), else as scripts/test-quick-seconds.json says (each file alone, one at a time),
 * else from the file's size at the rate of the files that have a time.
 */
const TABLE = "scripts/test-quick-seconds.json";
const LAST_RUN = "node_modules/.cache/test-quick/component-seconds.json";
function readSeconds(path: string): Record<string, Record<string, number>> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, number>>;
  } catch {
    return {};
  }
}
const table = readSeconds(TABLE);
const lastRun = readSeconds(LAST_RUN).components ?? {};

/** The files in `count` parts of about the same seconds: longest first, each to the lightest part. */
function split(files: string[], seconds: Record<string, number>, count: number): { files: string[]; seconds: number }[] {
  const timed = files.filter((f) => seconds[f] !== undefined);
  const perByte = timed.reduce((sum, f) => sum + seconds[f]!, 0) / Math.max(1, timed.reduce((sum, f) => sum + statSync(f).size, 0)) || 1e-4;
  const parts = Array.from({ length: count }, () => ({ files: [] as string[], seconds: 0 }));
  const estimated = files.map((f) => ({ f, s: seconds[f] ?? statSync(f).size * perByte }));
  for (const { f, s } of estimated.sort((a, b) => b.s - a.s || a.f.localeCompare(b.f))) {
    const lightest = parts.reduce((min, part) => (part.seconds < min.seconds ? part : min));
    lightest.files.push(f);
    lightest.seconds += s;
  }
  return parts.filter((part) => part.files.length > 0);
}
const countOf = (name: string, fallback: number) => Math.max(1, Math.floor(Number(process.env[name] ?? fallback)) || fallback);

// Each component part writes down its files' seconds (web-test-runner.config.mjs, WTR_FILE_SECONDS) for the next run.
const timesDir = join(tmpdir(), `test-quick-${process.pid}`);
mkdirSync(timesDir, { recursive: true });

const parts: Part[] = [];
const unitParts = split(testFiles(UNIT_TEST_DIRS), table.units ?? {}, countOf("QUICK_UNIT_PARTS", 2));
for (const [i, unit] of unitParts.entries()) {
  parts.push({
    name: `unit tests, part ${i + 1} of ${unitParts.length}`,
    command: [process.execPath, "--import", "tsx", "--test", "--test-reporter=spec", "test/quick-units.ts"],
    // The Node fuzz tests with 200 cases each, not 300 and 5,000 (`npm test` runs them all).
    env: { FUZZ_CASES: process.env.FUZZ_CASES ?? "200", CREC_PASSWORD_COST: process.env.CREC_PASSWORD_COST ?? "10", QUICK_UNIT_FILES: unit.files.join("\n") },
  });
  console.log(`unit tests, part ${i + 1}: ${unit.files.length} files, about ${unit.seconds.toFixed(0)} s one by one`);
}
const componentParts = split(testFiles(["test/components"]), { ...table.components, ...lastRun }, countOf("QUICK_SHARDS", 3));
for (const [i, shard] of componentParts.entries()) {
  parts.push({
    name: `components in Chromium, part ${i + 1} of ${componentParts.length}`,
    command: ["npx", "web-test-runner", "--config", "web-test-runner.config.mjs", "--port", String(await freePort()), "--files", ...shard.files],
    env: { BROWSERS: "chromium", WTR_FILE_SECONDS: join(timesDir, `part-${i + 1}.jsonl`) },
  });
  console.log(`components in Chromium, part ${i + 1}: ${shard.files.length} files, about ${shard.seconds.toFixed(0)} s one by one`);
}

const results = await Promise.all(
  parts.map(async (part) => {
    const result = await run(part);
    process.stdout.write(`\n===== ${part.name}: ${result.ok ? "passed" : "FAILED"} in ${result.seconds.toFixed(0)} s =====\n${result.output}`);
    return result;
  }),
);
// What this run measured, for the next run's split (a file that failed, perhaps timing out, is left as it was).
const measured: Record<string, number> = { ...lastRun };
for (let i = 0; i < componentParts.length; i++) {
  let lines: string[] = [];
  try {
    lines = readFileSync(join(timesDir, `part-${i + 1}.jsonl`), "utf8").split("\n").filter(Boolean);
  } catch {
    // A part that did not start measured nothing.
  }
  for (const line of lines) {
    const { file, seconds, passed } = JSON.parse(line) as { file: string; seconds: number; passed: boolean };
    if (passed) measured[file.slice(file.indexOf("test/components/"))] = Math.round(seconds * 10) / 10;
  }
}
rmSync(timesDir, { recursive: true, force: true });
mkdirSync("node_modules/.cache/test-quick", { recursive: true });
writeFileSync(LAST_RUN, `${JSON.stringify({ components: measured }, null, 2)}\n`);

console.log(`\ntest:quick: ${results.map((r) => `${r.part.name} ${r.ok ? "passed" : "FAILED"} (${r.seconds.toFixed(0)} s)`).join("; ")}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
