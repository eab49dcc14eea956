/**
 * `npm run bench`: every benchmark in one run, printed as a table, saved to
 * bench/results.json. `BENCH_ONLY=api,player` runs some of them.
 */
import { apiScale } from "./api-scale.js";
import { bundleSize } from "./bundle-size.js";
import { save, table, type Figure } from "./report.js";

const suites: Record<string, (log: (s: string) => void) => Promise<Figure[]>> = {
  size: bundleSize,
  api: apiScale,
};

const only = process.env.BENCH_ONLY?.split(",");
const figures: Figure[] = [];
const started = Date.now();
for (const [name, run] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  console.log(`bench: ${name} …`);
  figures.push(...(await run((s) => console.log(s))));
}
save(figures);
console.log(`\n${table(figures)}\n\nbench: ${figures.length} figures in ${((Date.now() - started) / 1000).toFixed(0)} s, saved to bench/results.json`);
const missed = figures.filter((f) => !f.met);
if (missed.length) console.log(`bench: ${missed.length} target(s) missed: ${missed.map((f) => f.name).join("; ")}`);
