/**
 * Writes the "## Performance" section of README.md from bench/results.json (the last
 * `npm run bench`): the table of figures, and a sentence per missed target with its cause.
 * Replaces the section when there is one, else puts it after "## Tests".
 *
 *   npx tsx bench/readme.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { table, type Figure } from "./report.js";

const root = join(import.meta.dirname, "..");

export function performanceSection(results: { machine: Record<string, string | number>; figures: Figure[] }): string {
  const { machine, figures } = results;
  // Figures that miss the same target with the same value share one cause (the bundle against each anchor).
  const missed = new Map<string, { figures: Figure[]; note?: string | undefined }>();
  for (const f of figures.filter((x) => !x.met)) {
    const key = `${f.target}|${f.value}|${f.unit}`;
    const group = missed.get(key) ?? { figures: [] };
    group.figures.push(f);
    group.note ??= f.note;
    missed.set(key, group);
  }
  const sentences = [...missed.values()].map(({ figures: fs, note }) => {
    const name = fs.length > 1 ? `${fs[0]!.name.replace(/, against .*$/, "")} (all ${fs.length} rows)` : fs[0]!.name;
    return `- **${name.replace(/</g, "&lt;")}**: ${(note ?? "no cause recorded").replace(/</g, "&lt;")}.`;
  });
  const date = String(machine.date ?? "").slice(0, 10);
  return `## Performance

\`npm run bench\` measures the figures below and saves them with the machine's description to
\`bench/results.json\` (it needs \`npm run build\` first; \`BENCH_ONLY=size,api,playback,extension\`
picks suites, and saves them to \`bench/results-partial.json\` instead: the table below is always
one full run). The browser figures come from headless Chromium (puppeteer-core, \`/usr/bin/chromium\`,
\`--autoplay-policy=no-user-gesture-required --mute-audio\`) against the reference server run as a
child process with a generated dataset (12,000 calls, and calls with one 1-hour and one 2-hour
8 kHz mu-law recording, synthesized by range). Each figure is the median of repeated runs, ours
and its anchor taking turns in every round, each run in a fresh browser context. Times are
wall-clock, from the press that begins a trusted click to the media element's \`playing\` event
at the clicked point (a \`playing\` before the element has finished seeking there does not
count), taken by a probe in the page and, for the extension, in its offscreen document (a copy of
the build that loads the probe first). In the click figures the click chooses the recording: nothing of it is loaded
before, for ours and the anchors alike; wavesurfer.js then downloads the whole file and decodes
it before it can play; the reference server synthesizes the audio at about 5 MB/s, so most of
wavesurfer.js's time is that download (the anchor's name says how much), and a server reading
files from disk would make it shorter. The content scripts' time comes from CDP traces of a
10,000-row Call List loading and then scrolled down 20 screens, a screen every 100 ms: once with
the call played before still in the docked player, once after closing it from the toolbar
popup, each against the same page in a browser without the extension; each in a new tab, whose
renderer runs the scripts' code for the first time, and, with nothing loaded, once more in a tab
that has just shown a 50-row Call List (a report run again with other filters), whose renderer
has run it before. The reference Call List
has no scripts of its own, so the JavaScript on its main thread is the extension's: its thread
time is Chromium's own count (the Performance domain's ScriptDuration and V8CompileDuration)
and the microtasks in the trace, which that count leaves out. Where that time goes comes from
a few more traces with V8's sampling profiler, which slows the JavaScript it samples (the Call
List marks' passes, timed by the script itself: 28 to 38 ms untraced, 51 to 65 ms with the
profiler on), so those traces say only how the time is shared. The
whole page's cost in the traces is its main thread's CPU time (its tasks' thread time), also
given for loading and scrolling apart (split once the page has loaded and its first rows are
marked): loading the page alone varies by hundreds of milliseconds from trace to trace,
scrolling little, so the whole meets its target only when scrolling alone does too. The traces
leave out Chromium's \`devtools.timeline\` category, which has it count every layout object of
the page at each layout: on the 10,000-row Call List a layout of the whole document that takes
about 0.1 ms untraced (as when the docked player comes) took 11 to 13 ms traced.
The fixture rows (\`BENCH_ONLY=fixture\`) use the FusionPBX-shaped interface of
\`test/fixtures\` on localhost, whose Call List plays each recording with the page's own inline
\`<audio>\` and scripts: the click on a row's own play button to \`playing\` in the offscreen
document (closed before each click) against the page's own \`<audio>\` in a browser without the
extension, and the content scripts' time loading its dashboard (no recordings on it) with
nothing in the docked player, as V8's sampling profiler counts it (the dashboard has scripts of
its own, so Chromium's count of the page's script time is not the extension's alone): an upper
bound, since the profiler slows what it samples.
The peaks rows (\`BENCH_ONLY=peaks\`, bench/peaks.ts) ask the reference server, in-process over
real HTTP, for the peaks of a generated 2-hour recording and of a 2-hour two-channel µ-law WAV on
disk (the fixture call's speech on each party's channel in turn): the bytes over the wire as
Chromium asks over \`http:\` (gzip; brotli in the name), the time to serve them once kept, and
how long other requests (\`GET /api/me\`, one after another) wait while they are first computed.
Generated speech is regular, so its peaks gzip very well; peaks of any 2-hour recording are at
most 16384 min/max pairs, 100 to 120 KB of JSON before compression, and about 30 KB gzipped even
when every pixel's level is random (tried with random levels, not in the bench).
The waveform rows (\`BENCH_ONLY=waveform\`, bench/waveform.ts) time the player's own drawing
(\`waveform-draw.ts\`, built by Vite) of the bench server's peaks of the 2-hour recording on a
600 × 36 px canvas, the docked player's seek slider at 1280 px, once per animation frame with the
played part moving, as the player draws while playing: each frame only fills a kept path twice,
while the first draw also resamples the peaks to the width. The click row is the playback click
row's, on the 1-hour recording's bar in \`/embed-demo\`, each of ours counted once the docked
player's waveform is there too, with ours again with every peaks request refused (no waveform
anywhere) beside it; the player fetches the waveform's code and peaks once the recording plays.
The format rows (\`BENCH_ONLY=formats\`, bench/formats.ts) serve files from disk (the reference
server with \`--recordings\`): the 6-second GSM 6.10 WAV of \`test/fixtures/recordings/\` repeated to
one and two hours, against the same audio as 16-bit PCM WAV, both played by the same
\`/embed-demo\` page; for these the probe listens to the docked player's engine, whose \`playing\` is
the media element's for PCM and, for GSM, the first decoded audio scheduled on the audio context.
Each continuity run starts with a new offscreen document and ends well within 30 s: headless
Chromium has no audible output, and Chrome closes an offscreen document whose audio has not been
audible for 30 s, even while it plays (the extension opens another and resumes, about 3 s later).

Last run: ${date}, ${machine.cpu} (${machine.cores} cores), ${String(machine.chromium).replace(/ built on .*/, "")},
Node ${machine.node}; the machine was shared with other work, so the browser timings carry tens of
milliseconds of noise.

${table(figures, { readme: true })}
${sentences.length ? `\nWhy each missed target was missed:\n\n${sentences.join("\n")}\n` : "\nEvery target was met.\n"}`;
}

export function updateReadme(results: { machine: Record<string, string | number>; figures: Figure[] }, path = join(root, "README.md")): void {
  const readme = readFileSync(path, "utf8");
  const section = performanceSection(results);
  const lines = readme.split("\n");
  const headingAt = (re: RegExp, from = 0) => lines.findIndex((l, i) => i >= from && re.test(l));
  const nextH2 = (from: number) => {
    const i = headingAt(/^## /, from + 1);
    return i < 0 ? lines.length : i;
  };
  let start = headingAt(/^## Performance\s*$/);
  let end: number;
  if (start >= 0) {
    end = nextH2(start);
  } else {
    const tests = headingAt(/^## Tests\s*$/);
    if (tests < 0) throw new Error(`${path}: no "## Tests" section to put "## Performance" after`);
    start = end = nextH2(tests);
  }
  const out = [...lines.slice(0, start), ...section.trimEnd().split("\n"), "", ...lines.slice(end)];
  writeFileSync(path, out.join("\n"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  updateReadme(JSON.parse(readFileSync(join(root, "bench/results.json"), "utf8")) as { machine: Record<string, string | number>; figures: Figure[] });
  console.log("README.md: the Performance section is up to date with bench/results.json");
}
