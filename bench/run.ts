/**
 * `npm run bench`: every benchmark in one run, printed as a table, saved to
 * bench/results.json, and into README.md's Performance section.
 * `BENCH_ONLY=api,playback` runs some of them (size, api, playback, extension, fixture, formats,
 * peaks, waveform) and saves them to bench/results-partial.json: bench/results.json and the
 * README stay those of the last full run, never a mix of runs. The browser suites need the build
 * (`npm run build`: dist/components and dist/chrome).
 */
import { readFileSync } from "node:fs";
import { apiScale } from "./api-scale.js";
import { bundleSize } from "./bundle-size.js";
import { extension } from "./extension.js";
import { fixture } from "./fixture.js";
import { formats } from "./formats.js";
import { peaks } from "./peaks.js";
import { playback } from "./playback.js";
import { waveform } from "./waveform.js";
import { updateReadme } from "./readme.js";
import { save, table, type Figure } from "./report.js";

const suites: Record<string, (log: (s: string) => void) => Promise<Figure[]>> = {
  size: bundleSize,
  api: apiScale,
  playback,
  extension,
  fixture,
  formats,
  peaks,
  waveform,
};

const only = process.env.BENCH_ONLY?.split(",");
const figures: Figure[] = [];
const started = Date.now();
for (const [name, run] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  console.log(`bench: ${name} …`);
  const from = Date.now();
  figures.push(...(await run((s) => console.log(s))));
  console.log(`bench: ${name} done in ${((Date.now() - from) / 1000).toFixed(0)} s`);
}
const saved = only ? "results-partial.json" : "results.json";
save(figures, new URL(`./${saved}`, import.meta.url));
console.log(`\n${table(figures)}\n\nbench: ${figures.length} figures in ${((Date.now() - started) / 1000).toFixed(0)} s, saved to bench/${saved}`);
if (!only) {
  // The README's Performance section shows the last full run.
  updateReadme(JSON.parse(readFileSync(new URL("./results.json", import.meta.url), "utf8")) as Parameters<typeof updateReadme>[0]);
  console.log("bench: README.md's Performance section updated");
}
const missed = figures.filter((f) => !f.met);
if (missed.length) console.log(`bench: ${missed.length} target(s) missed: ${missed.map((f) => f.name).join("; ")}`);
