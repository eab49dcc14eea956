/**
 * What the browser benchmarks share: the reference server as a child process with the bench
 * dataset, headless Chromium through puppeteer-core (with or without the built extension), a
 * probe that timestamps clicks and media events on the wall clock, and small helpers.
 *
 * Timestamps are wall-clock milliseconds (`Date.now()` less how long ago the event happened by
 * `performance.now()`), so times taken in a page and in the extension's offscreen document (a
 * different process) compare directly.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import puppeteer, { type Browser, type BrowserContext, type Page } from "puppeteer-core";
import { Client } from "../test/support/server.js";
import { builtExtension } from "../test/extension/e2e-support.js";
import { BENCH_USER } from "./bench-dataset.js";

export const root = resolve(import.meta.dirname, "..");

/** The bench browsers' viewport. */
export const VIEWPORT = { width: 1280, height: 900 };

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The reference server as a child process, with the bench dataset of `calls` calls. */
export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

export async function startBenchServer(calls: number): Promise<BenchServer> {
  if (!existsSync(join(root, "dist/components/call-recordings.js"))) throw new Error("dist/components is not built: run npm run build first");
  const dir = mkdtempSync(join(tmpdir(), "crec-bench-browser-"));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/bench-server.ts", "--calls", String(calls), "--db", join(dir, "bench.sqlite")], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // A benchmark that dies does not leave its server behind.
  const orphan = () => child.kill("SIGTERM");
  process.once("exit", orphan);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => resolveUrl((JSON.parse(line) as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`the bench server exited (${code}) before it listened`)));
  });
  return {
    url,
    async close() {
      process.off("exit", orphan);
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The session cookie of the bench user, for browser contexts that did not sign in themselves. */
export async function sessionCookie(base: string, user = BENCH_USER): Promise<{ name: string; value: string }> {
  const client = new Client(base);
  const res = await client.signIn(user);
  if (res.status !== 200) throw new Error(`signing in as ${user}: ${res.status}`);
  const [name, value] = client.cookie.split("=") as [string, string];
  return { name, value };
}

/** A call's recordings as the API gives them to the bench user (fresh signed URLs). */
export async function recordingsOf(base: string, callId: string): Promise<{ id: string; audioUrl: string; durationSeconds: number }[]> {
  const client = new Client(base);
  await client.signIn(BENCH_USER);
  const { status, body } = await client.json<{ recordings: { id: string; audioUrl: string; durationSeconds: number }[] }>(`/api/calls/${encodeURIComponent(callId)}`);
  if (status !== 200) throw new Error(`GET /api/calls/${callId}: ${status}`);
  return body.recordings;
}

export const CHROMIUM_ARGS = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"];

/** Headless Chromium; with `extension`, the built extension (dist/chrome, or a copy of it) loaded. */
export async function launchChromium(options: { extension?: string } = {}): Promise<Browser> {
  const browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    defaultViewport: VIEWPORT,
    args: CHROMIUM_ARGS,
    // Loading an unpacked extension needs the pipe transport (puppeteer's installExtension).
    ...(options.extension ? { pipe: true, enableExtensions: true } : {}),
  });
  if (options.extension) await browser.installExtension(options.extension);
  return browser;
}

/**
 * The probe, run before any script of a page (and, in the extension's copy, of its offscreen
 * document): records when each trusted click began (its pointerdown: players act on the press,
 * the release or the click, so timing from the press is fair to all), and the media events of
 * every element the page plays, with
 * the element itself as `__bench.media`; `__benchSample(ms)` samples the element's position
 * against the wall clock in the page itself (no round trip to the benchmark blurs it), and
 * `__benchSample(0)` stops.
 */
export const PROBE = `(() => {
  if (globalThis.__bench) return;
  const wall = (e) => Date.now() - (performance.now() - e.timeStamp);
  const bench = (globalThis.__bench = { clicks: [], events: [], samples: [], media: null });
  addEventListener("pointerdown", (e) => { if (e.isTrusted) bench.clicks.push(wall(e)); }, true);
  const play = HTMLMediaElement.prototype.play;
  const hooked = new WeakSet();
  HTMLMediaElement.prototype.play = function () {
    if (!hooked.has(this)) {
      hooked.add(this);
      for (const type of ["play", "playing", "waiting", "pause", "seeking", "seeked", "loadstart", "loadedmetadata", "ended", "error"]) {
        this.addEventListener(type, (e) => bench.events.push({ type, at: wall(e), position: this.currentTime }));
      }
    }
    bench.media = this;
    return play.call(this);
  };
  // Samples every \`every\` ms; 0 stops.
  globalThis.__benchSample = (every) => {
    clearInterval(bench.timer);
    if (every > 0) bench.timer = setInterval(() => {
      const m = bench.media;
      if (m) bench.samples.push({ at: Date.now(), position: m.currentTime, paused: m.paused, src: m.currentSrc });
    }, every);
  };
})();`;

export interface ProbeEvent {
  type: string;
  at: number;
  position: number;
}

export interface ProbeState {
  /** When each trusted click began (its pointerdown), wall-clock ms. */
  clicks: number[];
  events: ProbeEvent[];
  samples: { at: number; position: number; paused: boolean; src: string }[];
}

/** What the probe saw in a page or document (without the element itself). */
export function readProbe(page: Page): Promise<ProbeState> {
  return page.evaluate(() => {
    const b = (globalThis as unknown as { __bench: ProbeState }).__bench;
    return { clicks: b.clicks, events: b.events, samples: b.samples };
  });
}

/** A new page in `context` with the probe installed. */
export async function probedPage(context: BrowserContext | Browser): Promise<Page> {
  const page = await context.newPage();
  await page.evaluateOnNewDocument(PROBE);
  page.on("pageerror", (error) => console.error(`  page error on ${page.url()}: ${(error as Error).message}`));
  return page;
}

/**
 * A copy of the built Chrome extension whose offscreen document loads the probe first (a classic
 * script, before its modules), so the `playing` event of the audio it plays can be timed; the
 * extension is otherwise byte for byte the build.
 */
export function probedExtension(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "crec-bench-extension-"));
  cpSync(builtExtension("chrome"), dir, { recursive: true });
  writeFileSync(join(dir, "bench-probe.js"), PROBE);
  const html = join(dir, "extension/offscreen/offscreen.html");
  const text = readFileSync(html, "utf8");
  if (!text.includes("<head>")) throw new Error(`${html}: no <head> to add the probe to`);
  writeFileSync(html, text.replace("<head>", '<head>\n    <script src="/bench-probe.js"></script>'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `read` until `ok` holds; fails with the last value seen. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000, everyMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < end) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (e) {
      error = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`${what}: timed out; last seen ${JSON.stringify(last)}${error ? ` (${String(error)})` : ""}`);
}

/** Where to click: `fraction` along the element `selector` finds (in the shadow root of the element `host` finds, if given). */
export async function pointOn(page: Page, selector: string, fraction: number, host?: string): Promise<{ x: number; y: number }> {
  const box = await page.evaluate(
    (sel, hostSel) => {
      const scope: ParentNode | null | undefined = hostSel ? document.querySelector(hostSel)?.shadowRoot : document;
      const el = scope?.querySelector(sel);
      if (!el) return null;
      el.scrollIntoView({ block: "center" });
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    },
    selector,
    host,
  );
  if (!box) throw new Error(`${page.url()}: nothing matches ${selector}`);
  return { x: box.x + box.width * fraction, y: box.y + box.height / 2 };
}

/** The first recording bar of the page's `<call-session-recordings>` (in its shadow root). */
export const BAR = '[part~="recording-bar"]';
export const SECTION = "call-session-recordings";

/** Waits for the page's section to be ready with its bars drawn. */
export async function sectionReady(page: Page): Promise<void> {
  await page.waitForSelector('call-session-recordings[status="ready"]', { timeout: 30_000 });
  await until("the recording bars", () => page.evaluate((bar) => document.querySelector("call-session-recordings")?.shadowRoot?.querySelector(bar) !== null, BAR), Boolean);
}

/** The first probe event of `type` at or after `since`. */
export function firstEvent(probe: ProbeState, type: string, since: number): ProbeEvent | undefined {
  return probe.events.find((e) => e.type === type && e.at >= since - 1);
}

/** Interleaves runs: round r runs the candidates rotated by r, so none always goes first. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
