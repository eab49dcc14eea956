/**
 * The call list and one call, over real HTTP against the real server, at 10 thousand, 100
 * thousand and 1 million calls: median and 95th percentile, and the growth from the smallest.
 * Each size is imported through the server's own import, the same as a dataset file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, startServer } from "../test/support/server.js";
import { median, quantile, type Figure } from "./report.js";
import { syntheticDataset } from "./synthetic-dataset.js";

const SIZES = (process.env.BENCH_API_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const USERS = ["u1", "u2", "u3", "u4"]; // own, primary-group, member-groups, all
const ROUNDS = 25;

async function timed(client: Client, path: string): Promise<number> {
  const t = performance.now();
  const res = await client.fetch(path);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return performance.now() - t;
}

export async function apiScale(log: (s: string) => void): Promise<Figure[]> {
  const results: { size: number; list: number[]; call: number[] }[] = [];
  for (const size of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), "crec-bench-"));
    const started = Date.now();
    const server = await startServer({ dataset: syntheticDataset(size), dbPath: join(dir, "bench.sqlite") });
    log(`  ${size.toLocaleString("en")} calls imported in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    try {
      const clients = await Promise.all(
        USERS.map(async (u) => {
          const c = new Client(server.url);
          await c.signIn(u);
          return c;
        }),
      );
      const list: number[] = [];
      const call: number[] = [];
      // Warm up the connection and SQLite's page cache the same way for every size.
      for (const c of clients) await timed(c, "/api/calls?hasRecording=true");
      for (let round = 0; round < ROUNDS; round++) {
        for (const c of clients) {
          // The first page, then the next one by cursor, as someone paging the report would.
          const t = performance.now();
          const res = await c.fetch("/api/calls?hasRecording=true&limit=50");
          const page = (await res.json()) as { next: string | null };
          list.push(performance.now() - t);
          if (page.next) list.push(await timed(c, `/api/calls?hasRecording=true&limit=50&cursor=${page.next}`));
          call.push(await timed(c, `/api/calls/c${Math.floor(((round * 7919 + USERS.indexOf(USERS[0]!)) % size))}`));
        }
      }
      results.push({ size, list, call });
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const first = results[0]!;
  const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
  return results.flatMap(({ size, list, call }) => {
    const isLargest = size === SIZES[SIZES.length - 1];
    return [
      {
        name: `GET /api/calls?hasRecording=true at ${label(size)} calls, median (p95 ${quantile(list, 0.95).toFixed(1)} ms)`,
        value: median(list),
        unit: "ms",
        anchor: { name: `at ${label(first.size)}`, value: median(first.list) },
        ratio: median(list) / median(first.list),
        target: isLargest ? "median under 10 ms at 1M, close to flat" : "close to flat",
        met: isLargest ? median(list) < 10 : true,
      },
      {
        name: `GET /api/calls/{id} at ${label(size)} calls, median (p95 ${quantile(call, 0.95).toFixed(1)} ms)`,
        value: median(call),
        unit: "ms",
        anchor: { name: `at ${label(first.size)}`, value: median(first.call) },
        ratio: median(call) / median(first.call),
        target: isLargest ? "median under 10 ms at 1M, close to flat" : "close to flat",
        met: isLargest ? median(call) < 10 : true,
      },
    ];
  });
}
