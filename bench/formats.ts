/**
 * Recordings our decoders play (issue 13, `BENCH_ONLY=formats`), in headless Chromium against
 * the reference server serving files from disk: each GSM 6.10 figure (click to playing, seek to
 * 90 %, heap) against a PCM WAV of the same length on the same page (`/embed-demo`, the built
 * bundle); medians over fresh browser contexts, GSM and PCM taking turns. See {@link formats}.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Page } from "puppeteer-core";
import { sniffAudioFormat } from "../src/codecs/audio-format.js";
import { decodeGsm610 } from "../src/codecs/gsm610.js";
import { BAR, SECTION, launchChromium, pointOn, root, rotated, sectionReady, sessionCookie, sleep, until } from "./browser.js";
import { median, type Figure } from "./report.js";

const ROUNDS = Number(process.env.BENCH_FORMATS_ROUNDS ?? 9);
const HEAP_ROUNDS = 3;
const CLICK_AT = 0.4;
const SEEK_TO = 0.9;

type Kind = "gsm" | "pcm";
const CALLS: Record<`${Kind}-${1 | 2}`, string> = { "gsm-1": "bench-gsm-1h", "pcm-1": "bench-pcm-1h", "gsm-2": "bench-gsm-2h", "pcm-2": "bench-pcm-2h" };

/** Writes a WAV of `header` (its sizes rewritten) and `data` repeated `times`, without holding it whole. */
function writeRepeated(path: string, header: Buffer, data: Buffer, times: number, factOffset: number | null, samplesPerRepeat: number): void {
  const h = Buffer.from(header);
  h.writeUInt32LE(h.length - 8 + data.length * times, 4);
  h.writeUInt32LE(data.length * times, h.length - 4);
  if (factOffset !== null) h.writeUInt32LE(samplesPerRepeat * times, factOffset);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, h);
    const block = Buffer.concat(Array<Buffer>(100).fill(data));
    for (let left = times; left > 0; left -= 100) writeSync(fd, left >= 100 ? block : block.subarray(0, data.length * left));
  } finally {
    closeSync(fd);
  }
}

/**
 * The GSM and PCM files, 1 and 2 hours each, and a dataset naming them.
 *
 * The files are made for the run in a temporary folder: the 6-second GSM call of
 * test/fixtures/recordings/ repeated to length, and the same audio decoded by our decoder to
 * 16-bit PCM and repeated the same way (1 and 2 hours: 5.9 and 11.7 MB of GSM, 58 and 115 MB of
 * PCM).
 */
function makeFiles(dir: string): string {
  const gsm = readFileSync(join(root, "test/fixtures/recordings/call-gsm.wav"));
  const sniffed = sniffAudioFormat(gsm);
  if (sniffed.kind !== "wav" || sniffed.dataOffset === null || sniffed.dataLength === null) throw new Error("call-gsm.wav: not the GSM WAV expected");
  const data = gsm.subarray(sniffed.dataOffset, sniffed.dataOffset + sniffed.dataLength - (sniffed.dataLength % 65));
  const seconds = (data.length / 65) * 320 / 8000;
  const pcm = decodeGsm610(data, "wav49");
  const pcmData = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const pcmHeader = Buffer.alloc(44);
  pcmHeader.write("RIFF", 0, "ascii");
  pcmHeader.write("WAVEfmt ", 8, "ascii");
  pcmHeader.writeUInt32LE(16, 16);
  pcmHeader.writeUInt16LE(1, 20);
  pcmHeader.writeUInt16LE(1, 22);
  pcmHeader.writeUInt32LE(8000, 24);
  pcmHeader.writeUInt32LE(16000, 28);
  pcmHeader.writeUInt16LE(2, 32);
  pcmHeader.writeUInt16LE(16, 34);
  pcmHeader.write("data", 36, "ascii");
  const fact = gsm.indexOf("fact", 12, "ascii");
  for (const hours of [1, 2]) {
    const times = Math.round((hours * 3600) / seconds);
    writeRepeated(join(dir, `gsm-${hours}h.wav`), gsm.subarray(0, sniffed.dataOffset), data, times, fact > 0 ? fact + 8 : null, (data.length / 65) * 320);
    writeRepeated(join(dir, `pcm-${hours}h.wav`), pcmHeader, pcmData, times, null, 0);
  }
  const call = (id: string, file: string, hours: number, day: number) => {
    const start = Date.parse("2026-12-01T09:00:00Z") + day * 86_400_000;
    return {
      id,
      start: new Date(start).toISOString(),
      direction: "inbound",
      from: "+441632960001",
      to: "+441632960100",
      segments: [{ start: new Date(start).toISOString(), end: new Date(start + hours * 3_600_000).toISOString(), device: "rec", file }],
    };
  };
  const dataset = {
    customer: { name: "Bench Ltd", recording: "on" },
    groups: [],
    users: [{ id: "admin", name: "Admin", password: "admin-pass", admin: true, playback: "all" }],
    devices: [{ id: "rec", name: "Recorder", user: "admin" }],
    calls: [call(CALLS["gsm-1"], "gsm-1h.wav", 1, 1), call(CALLS["pcm-1"], "pcm-1h.wav", 1, 2), call(CALLS["gsm-2"], "gsm-2h.wav", 2, 3), call(CALLS["pcm-2"], "pcm-2h.wav", 2, 4)],
  };
  const path = join(dir, "dataset.json");
  writeFileSync(path, JSON.stringify(dataset));
  return path;
}

/** The reference server over the files, as a child process (`npm run serve`'s own entry). */
async function startFilesServer(dataset: string, dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--data", dataset, "--db", join(dir, "bench.sqlite"), "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const orphan = () => child.kill("SIGTERM");
  process.once("exit", orphan);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const m = /server is up at (http:\/\/\S+?)\/?$/.exec(line);
      if (m) resolveUrl(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before it listened`)));
  });
  return {
    url,
    async close() {
      process.off("exit", orphan);
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Run in the page before its scripts: when a click begins (its pointerdown), and what the docked
 * player's engine reports (`playing` and every state), on the wall clock.
 */
const ENGINE_PROBE = `(() => {
  const wall = (e) => Date.now() - (performance.now() - e.timeStamp);
  const probe = (globalThis.__formats = { clicks: [], events: [] });
  addEventListener("pointerdown", (e) => { if (e.isTrusted) probe.clicks.push(wall(e)); }, true);
  const hook = setInterval(() => {
    const player = document.querySelector("recording-player[docked]");
    if (!player || !player.engine) return;
    clearInterval(hook);
    player.engine.subscribe((event) => {
      if (event.type !== "state") return;
      const s = event.state;
      probe.events.push({ cause: event.cause, at: Date.now(), position: s.currentTime, playing: !s.paused && !s.waiting && !s.seeking && s.hasMetadata });
    });
  }, 5);
})();`;

interface EngineProbe {
  clicks: number[];
  events: { cause: string; at: number; position: number; playing: boolean }[];
}

const readEngineProbe = (page: Page) => page.evaluate(() => (globalThis as unknown as { __formats: EngineProbe }).__formats);

/** When the engine first reported `playing` at `target` (within `tolerance` s) after the click at `clicked`. */
function playingAt(probe: EngineProbe, clicked: number, target: number, tolerance: number): number | undefined {
  return probe.events.find((e) => e.at >= clicked && e.cause === "playing" && e.playing && Math.abs(e.position - target) <= tolerance)?.at;
}

/** V8's used heap plus array buffer backing stores, after two garbage collections. */
async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.createCDPSession();
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("HeapProfiler.collectGarbage");
    const usage = await cdp.send("Runtime.getHeapUsage");
    return usage.usedSize + usage.backingStorageSize;
  } finally {
    await cdp.detach();
  }
}

/**
 * The figures:
 *
 * - click to playing on a 1-hour GSM-in-WAV recording (a click on its bar at 40 %), against a
 *   1-hour 16-bit PCM WAV;
 * - seek to 90 % of a 2-hour GSM recording while it plays (a click on its bar), against the
 *   2-hour PCM WAV;
 * - the JavaScript heap (V8 heap and array buffers, after GC) that playing the 2-hour GSM
 *   recording adds to the page.
 *
 * Times run from the press that begins the click to the player's engine reporting it plays
 * at the clicked point (its `playing`: the media element's event for PCM; for GSM the first
 * decoded audio scheduled on the audio context, 10 ms ahead), taken in the page by a probe
 * subscribed to the docked player's engine. Every run is a fresh browser context; GSM and PCM
 * take turns; the figures are medians.
 */
export async function formats(log: (s: string) => void): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "crec-bench-formats-"));
  const server = await startFilesServer(makeFiles(dir), dir);
  const browser = await launchChromium();
  try {
    const cookie = await sessionCookie(server.url, "admin");

    async function open(callId: string) {
      const context = await browser.createBrowserContext();
      await context.setCookie({ ...cookie, domain: "127.0.0.1", path: "/" });
      const page = await context.newPage();
      await page.evaluateOnNewDocument(ENGINE_PROBE);
      page.on("pageerror", (error) => console.error(`  page error on ${page.url()}: ${(error as Error).message}`));
      await page.goto(`${server.url}/embed-demo?call=${encodeURIComponent(callId)}`);
      await sectionReady(page);
      const click = async (fraction: number) => {
        const before = (await readEngineProbe(page)).clicks.length;
        const { x, y } = await pointOn(page, BAR, fraction, SECTION);
        await page.mouse.click(x, y);
        return (await until("the click", () => readEngineProbe(page), (p) => p.clicks.length > before)).clicks.at(-1)!;
      };
      const playingAfter = async (clicked: number, target: number, duration: number) => {
        const probe = await until(`playing at ${target.toFixed(0)} s`, () => readEngineProbe(page), (p) => playingAt(p, clicked, target, duration / 100) !== undefined, 60_000, 10);
        return playingAt(probe, clicked, target, duration / 100)! - clicked;
      };
      return { page, click, playingAfter, close: () => context.close() };
    }

    // 1. Click to playing, 1 hour.
    const click: Record<Kind, number[]> = { gsm: [], pcm: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of rotated<Kind>(["gsm", "pcm"], round)) {
        const run = await open(CALLS[`${kind}-1`]);
        try {
          const clicked = await run.click(CLICK_AT);
          click[kind].push(await run.playingAfter(clicked, CLICK_AT * 3600, 3600));
          if (process.env.BENCH_FORMATS_DEBUG) log(`    ${kind}: ${(await readEngineProbe(run.page)).events.map((e) => `${e.cause}@${(e.at - clicked).toFixed(0)}`).join(" ")}`);
        } finally {
          await run.close();
        }
      }
    }
    log(`  1 h, click to playing (ms): GSM ${click.gsm.map((t) => t.toFixed(0)).join(" ")}; PCM ${click.pcm.map((t) => t.toFixed(0)).join(" ")}`);

    // 2. Seek to 90 % of 2 hours while playing, by a click on the playing recording's bar.
    const seek: Record<Kind, number[]> = { gsm: [], pcm: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of rotated<Kind>(["gsm", "pcm"], round)) {
        const run = await open(CALLS[`${kind}-2`]);
        try {
          const first = await run.click(0.05);
          await run.playingAfter(first, 0.05 * 7200, 7200);
          await sleep(1500);
          const clicked = await run.click(SEEK_TO);
          seek[kind].push(await run.playingAfter(clicked, SEEK_TO * 7200, 7200));
        } finally {
          await run.close();
        }
      }
    }
    log(`  2 h, seek to 90 % (ms): GSM ${seek.gsm.map((t) => t.toFixed(0)).join(" ")}; PCM ${seek.pcm.map((t) => t.toFixed(0)).join(" ")}`);

    // 3. Heap added by playing the 2-hour GSM recording (and, for reference, the PCM one).
    const heap: Record<Kind, number[]> = { gsm: [], pcm: [] };
    for (let round = 0; round < HEAP_ROUNDS; round++) {
      for (const kind of rotated<Kind>(["gsm", "pcm"], round)) {
        const run = await open(CALLS[`${kind}-2`]);
        try {
          const before = await heapUsed(run.page);
          const clicked = await run.click(CLICK_AT);
          await run.playingAfter(clicked, CLICK_AT * 7200, 7200);
          await sleep(5000);
          heap[kind].push((await heapUsed(run.page)) - before);
        } finally {
          await run.close();
        }
      }
    }
    const mb = (bytes: number) => bytes / 2 ** 20;
    log(`  heap added (MB): GSM ${heap.gsm.map((b) => mb(b).toFixed(2)).join(" ")}; PCM ${heap.pcm.map((b) => mb(b).toFixed(2)).join(" ")}`);

    const ratioFigure = (name: string, times: Record<Kind, number[]>): Figure => {
      const ours = median(times.gsm);
      const anchor = median(times.pcm);
      const met = ours <= 1.3 * anchor;
      return {
        name,
        value: ours,
        unit: "ms",
        anchor: { name: "PCM WAV of the same length, same page", value: anchor },
        ratio: ours / anchor,
        target: "at most 1.3x the PCM WAV",
        met,
        note: met ? undefined : `${(ours - anchor).toFixed(0)} ms more than the PCM WAV`,
      };
    };
    const heapGsm = mb(median(heap.gsm));
    return [
      ratioFigure(`click on a 1-hour GSM 6.10 WAV recording's timeline to playing (our decoder, Web Audio), against a PCM WAV of the same length (median of ${ROUNDS})`, click),
      ratioFigure(`seek to 90 % of a 2-hour GSM 6.10 WAV recording while it plays (a click on its bar), to playing there, against a PCM WAV of the same length (median of ${ROUNDS})`, seek),
      {
        name: `JavaScript heap (V8 heap and array buffers, after GC) added by playing a 2-hour GSM 6.10 WAV recording (median of ${HEAP_ROUNDS})`,
        value: heapGsm,
        unit: "MB",
        anchor: { name: "the PCM WAV of the same length", value: mb(median(heap.pcm)) },
        ratio: heapGsm / mb(median(heap.pcm)),
        target: "under 20 MB",
        met: heapGsm < 20,
        note: heapGsm < 20 ? undefined : `${(heapGsm - 20).toFixed(1)} MB over`,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
