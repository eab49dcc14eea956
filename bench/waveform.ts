/**
 * `BENCH_ONLY=waveform` (issue 16), in headless Chromium against the bench server:
 *
 * - drawing the waveform while playing: the player's own drawing (components/recording-player/
 *   waveform-draw.ts, built with Vite as the bundle builds it) of the 2-hour recording's peaks from
 *   the server, on a seek-slider-sized canvas, once per animation frame with the played part
 *   moving, as the player does; the time of each frame's draw (median and 95th percentile), and
 *   the first draw, which resamples the peaks to the width, apart;
 * - click to `playing` with the waveform shown: a click on the 1-hour recording's bar in
 *   /embed-demo (the built bundle: it fetches the peaks, loads the drawing and draws) against a
 *   bare `<audio>` on a strip of the same page, as bench/playback.ts measures it; each of ours
 *   counts only once its waveform is drawn in the docked player.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "vite";
import { LONG_CALLS } from "./bench-dataset.js";
import { BAR, SECTION, launchChromium, pointOn, probedPage, readProbe, recordingsOf, root, rotated, sectionReady, sessionCookie, startBenchServer, until } from "./browser.js";
import { playingAt } from "./playback.js";
import { median, type Figure } from "./report.js";

const FRAMES = Number(process.env.BENCH_WAVEFORM_FRAMES ?? 600);
const ROUNDS = Number(process.env.BENCH_WAVEFORM_ROUNDS ?? 11);
const CLICK_AT = 0.4;

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** The drawing as one module that puts `WaveformPainter`, `checkPeaks` and `colorsOf` on `window`. */
async function drawingScript(): Promise<string> {
  const dir = join(root, "bench/.work/waveform");
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, "entry.ts");
  writeFileSync(
    entry,
    `import { WaveformPainter } from ${JSON.stringify(join(root, "components/recording-player/waveform-draw.ts"))};
import { checkPeaks } from ${JSON.stringify(join(root, "src/player/silence.ts"))};
Object.assign(window, { WaveformPainter, checkPeaks });`,
  );
  await build({
    configFile: false,
    root,
    logLevel: "silent",
    publicDir: false,
    build: { outDir: join(dir, "out"), emptyOutDir: true, target: "es2022", minify: true, modulePreload: false, rollupOptions: { input: entry, output: { entryFileNames: "drawing.js", format: "es" } } },
  });
  return readFileSync(join(dir, "out/drawing.js"), "utf8");
}

/**
 * Evaluated in the page (as text: no helpers of the test's transpiler there): draws the peaks once,
 * then once a frame with the played part moving on; the time of each draw.
 */
const DRAW_FRAMES = `async (peaksUrl, count) => {
  const peaks = window.checkPeaks(await (await fetch(peaksUrl)).json());
  const canvas = document.createElement("canvas");
  // The docked player's seek slider at 1280 px: about 600 px by 36.
  canvas.style.cssText = "display:block;width:600px;height:36px";
  document.body.append(canvas);
  const painter = new window.WaveformPainter(peaks);
  const colors = { played: "#0969da", unplayed: "#59636e" };
  const layout = { from: 0, to: 1, split: false };
  let t = performance.now();
  painter.draw(canvas, 0.4, colors, layout);
  const first = performance.now() - t;
  const times = [];
  for (let n = 0; n < count; n++) {
    await new Promise((r) => requestAnimationFrame(r));
    t = performance.now();
    painter.draw(canvas, 0.4 + n / 10000, colors, layout);
    times.push(performance.now() - t);
  }
  return { first, times, pixels: peaks.length };
}`;

export async function waveform(log: (s: string) => void): Promise<Figure[]> {
  const server = await startBenchServer(1000);
  const browser = await launchChromium();
  try {
    const cookie = await sessionCookie(server.url);

    // 1. The draw of one frame while playing.
    const [long] = (await recordingsOf(server.url, LONG_CALLS[2])) as { id: string; durationSeconds: number; peaksUrl?: string }[];
    if (!long?.peaksUrl) throw new Error(`${LONG_CALLS[2]} has no peaksUrl`);
    const page = await browser.newPage();
    await page.goto(`${server.url}/__bench/blank`);
    await page.addScriptTag({ content: await drawingScript(), type: "module" });
    await until("the drawing", () => page.evaluate(() => "WaveformPainter" in window), Boolean);
    const frames = (await page.evaluate(`(${DRAW_FRAMES})(${JSON.stringify(long.peaksUrl)}, ${FRAMES})`)) as { first: number; times: number[]; pixels: number };
    await page.close();
    const drawMedian = median(frames.times);
    const drawP95 = percentile(frames.times, 95);
    log(`  waveform draw per frame (ms): median ${drawMedian.toFixed(3)}, p95 ${drawP95.toFixed(3)}, first (resampling ${frames.pixels} pixels of peaks) ${frames.first.toFixed(1)}`);
    const drawFigure: Figure = {
      name: `drawing the waveform of a 2-hour recording while playing, per animation frame (${FRAMES} frames; median, and 95th percentile ${drawP95.toFixed(2)} ms; the first draw, resampling, ${frames.first.toFixed(1)} ms)`,
      value: drawMedian,
      unit: "ms",
      target: "under 16 ms a frame",
      // Frames while playing reuse the resampled shape; the first draw, once per recording and width, is named apart.
      met: drawP95 < 16,
      note: drawP95 < 16 ? undefined : `95th percentile ${drawP95.toFixed(1)} ms`,
    };

    // 2. Click to `playing` with the waveform shown, against a bare <audio>.
    const hours = 1;
    const duration = hours * 3600;
    // "plain": ours with every peaks request refused (no waveform anywhere): what the waveform costs.
    const times: Record<"ours" | "plain" | "bare", number[]> = { ours: [], plain: [], bare: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const candidate of rotated(["ours", "plain", "bare"] as const, round)) {
        const context = await browser.createBrowserContext();
        try {
          await context.setCookie({ ...cookie, domain: "127.0.0.1", path: "/" });
          const p = await probedPage(context);
          let target: { selector: string; host?: string };
          if (candidate === "plain") {
            await p.setRequestInterception(true);
            p.on("request", (request) => void (/\/peaks\?/.test(request.url()) ? request.abort() : request.continue()));
          }
          if (candidate !== "bare") {
            await p.goto(`${server.url}/embed-demo?call=${encodeURIComponent(LONG_CALLS[hours])}`);
            await sectionReady(p);
            target = { selector: BAR, host: SECTION };
          } else {
            const [recording] = await recordingsOf(server.url, LONG_CALLS[hours]);
            const q = new URLSearchParams({ src: recording!.audioUrl, duration: String(recording!.durationSeconds) });
            await p.goto(`${server.url}/__bench/bare?${q}`);
            await until("the bench page", () => p.evaluate(() => (window as unknown as { benchReady?: boolean }).benchReady === true), Boolean);
            target = { selector: "#timeline" };
          }
          const { x, y } = await pointOn(p, target.selector, CLICK_AT, target.host);
          const before = (await readProbe(p)).clicks.length;
          await p.mouse.click(x, y);
          const clicked = (await until("the click", () => readProbe(p), (probe) => probe.clicks.length > before)).clicks.at(-1)!;
          const probe = await until("playing", () => readProbe(p), (pr) => playingAt(pr, clicked, CLICK_AT * duration, duration / 100) !== undefined, 180_000, 10);
          times[candidate].push(playingAt(probe, clicked, CLICK_AT * duration, duration / 100)! - clicked);
          if (candidate === "ours") {
            await until(
              "the docked player's waveform",
              () => p.evaluate(() => document.querySelector("recording-player")?.shadowRoot?.querySelector('[part~="waveform"]') != null),
              Boolean,
              30_000,
            );
          }
        } finally {
          await context.close();
        }
      }
    }
    log(`  ${hours} h, click to playing with the waveform (ms): ours ${times.ours.map((t) => t.toFixed(0)).join(" ")}; without peaks ${times.plain.map((t) => t.toFixed(0)).join(" ")}; bare ${times.bare.map((t) => t.toFixed(0)).join(" ")}`);
    const plain = median(times.plain);
    const ours = median(times.ours);
    const bare = median(times.bare);
    const clickFigure: Figure = {
      name: `click on a ${hours}-hour recording's timeline to \`playing\` with its waveform shown (peaks fetched, drawing loaded), against a bare <audio> (median of ${ROUNDS})`,
      value: ours,
      unit: "ms",
      anchor: { name: "bare <audio>", value: bare },
      ratio: ours / bare,
      target: "at most 1.3x the bare element",
      met: ours <= 1.3 * bare,
      note: `ours with its peaks refused (no waveform): ${plain.toFixed(0)} ms (${(plain / bare).toFixed(2)}x)${ours <= 1.3 * bare ? "" : `; ${(ours - bare).toFixed(0)} ms more than the bare element`}`,
    };
    return [drawFigure, clickFigure];
  } finally {
    await browser.close();
    await server.close();
  }
}
