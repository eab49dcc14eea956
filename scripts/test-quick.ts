/**
 * `npm run test:quick`: the unit tests (in one process: test/quick-units.ts) and the component
 * tests in Chromium, at once. The component
 * files are split between three Chromiums, each with a profile of its own, so that their IndexedDB
 * and one-player channel stay apart as they do when files run one by one. Each part's output is
 * printed whole when it ends; the exit code is 1 when any part failed.
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";

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

const files = readdirSync("test/components")
  .filter((name) => name.endsWith(".test.ts"))
  .map((name) => `test/components/${name}`);
// Three shards of about the same work (much of it waiting on timers and the network, not the CPU),
// the file's size standing for its time: largest first, each to the lightest shard.
const shards: string[][] = [[], [], []];
const weights = shards.map(() => 0);
for (const file of files.map((f) => ({ f, size: statSync(f).size })).sort((a, b) => b.size - a.size || a.f.localeCompare(b.f))) {
  const lightest = weights.indexOf(Math.min(...weights));
  shards[lightest]!.push(file.f);
  weights[lightest]! += file.size;
}

// The Node fuzz tests with 200 cases each, not 300 and 5,000 (`npm test` runs them all).
const parts: Part[] = [{ name: "unit tests", command: [process.execPath, "--import", "tsx", "--test", "--test-reporter=spec", "test/quick-units.ts"], env: { FUZZ_CASES: process.env.FUZZ_CASES ?? "200" } }];
for (const [i, shard] of shards.entries()) {
  parts.push({
    name: `components in Chromium, part ${i + 1} of ${shards.length}`,
    command: ["npx", "web-test-runner", "--config", "web-test-runner.config.mjs", "--port", String(await freePort()), "--files", ...shard],
    env: { BROWSERS: "chromium" },
  });
}

const results = await Promise.all(
  parts.map(async (part) => {
    const result = await run(part);
    process.stdout.write(`\n===== ${part.name}: ${result.ok ? "passed" : "FAILED"} in ${result.seconds.toFixed(0)} s =====\n${result.output}`);
    return result;
  }),
);
console.log(`\ntest:quick: ${results.map((r) => `${r.part.name} ${r.ok ? "passed" : "FAILED"} (${r.seconds.toFixed(0)} s)`).join("; ")}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
