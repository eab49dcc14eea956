/**
 * The components on a plain host page under a strict Content Security Policy
 * (`default-src 'self'; script-src 'self'; style-src 'self'`), in Chromium and Firefox: the
 * bundle (built from source here) and an app's bundle of the library (dist/lib: npm run build
 * first), the real reference server's API and audio on the same origin.
 * No violation, the timeline's bars and labels in their places on the first drawing, playback;
 * and with Trusted Types required, Lit's `lit-html` policy must be allowed (README, "Strict CSP").
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { chromium } from "playwright-core";
import { build as viteBuild } from "vite";
import { createApp } from "../../server/app.js";
import { openDatabase, type Db } from "../../server/db.js";
import { importDataset } from "../../server/import.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { until } from "../support/until.js";
import { launchFirefoxForPlayback } from "../support/playback-browsers.js";

const STRICT = "default-src 'self'; script-src 'self'; style-src 'self'";
/** With Trusted Types required: Lit's one policy is named `lit-html`. */
const TRUSTED_TYPES = `${STRICT}; require-trusted-types-for 'script'; trusted-types lit-html`;
/** Trusted Types with only a policy of the host's own: Lit may not make its policy. */
const TRUSTED_TYPES_WITHOUT_LIT = `${STRICT}; require-trusted-types-for 'script'; trusted-types host-policy`;

/** The host page, loading the elements from `script`: the one-file bundle, or an app built from the library. */
const hostPage = (script: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Call recordings under a strict CSP</title>
    <script src="/strict-csp/watch.js"></script>
    <link rel="stylesheet" href="/strict-csp/host.css" />
    <script type="module" src="${script}"></script>
  </head>
  <body>
    <main>
      <h1>Call c-transfer</h1>
      <call-session-recordings call-id="c-transfer" api-base="/api"></call-session-recordings>
    </main>
    <recording-player docked></recording-player>
  </body>
</html>`;

/** Loaded first by the host page: keeps every violation the page reports, with where it was. */
const WATCH_SCRIPT = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.target && e.target.localName ? e.target.localName + (e.target.className ? "." + String(e.target.className).split(" ").join(".") : "") : "document";
  window.cspViolations.push(e.violatedDirective + " on " + where + ": " + (e.blockedURI || "") + " " + (e.sample || ""));
});`;

const HOST_CSS = `body { font: 15px/1.5 system-ui, sans-serif; margin: 0; } main { width: 900px; padding: 1rem 1.5rem; }`;

interface Box {
  left: number;
  right: number;
  width: number;
}

interface Drawing {
  violations: string[];
  plot: Box | null;
  bars: (Box & { id: string })[];
  unrecorded: Box[];
  ticks: (Box & { label: string })[];
  volume: { track: Box; fill: Box } | null;
  bodyPadding: number;
  playerHeight: number;
}

/** Evaluated in the page: where things are drawn. */
const READ_DRAWING = `(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, width: r.width }; };
  const root = document.querySelector("call-session-recordings")?.shadowRoot;
  const player = document.querySelector("recording-player");
  const track = player?.shadowRoot?.querySelector('[part~="volume-slider"] .track');
  const fill = player?.shadowRoot?.querySelector('[part~="volume-slider"] .fill');
  const plot = root?.querySelector('[part~="plot"]');
  return {
    violations: window.cspViolations ?? ["the watch script did not run"],
    plot: plot ? box(plot) : null,
    bars: [...(root?.querySelectorAll('[part~="recording-bar"]') ?? [])].map((el) => ({ id: el.dataset.recordingId, ...box(el) })),
    unrecorded: [...(root?.querySelectorAll('[part~="segment"].unrecorded') ?? [])].map(box),
    ticks: [...(root?.querySelectorAll('[part~="tick"]') ?? [])].map((el) => ({ label: el.textContent.trim(), ...box(el) })),
    volume: track && fill ? { track: box(track), fill: box(fill) } : null,
    bodyPadding: parseFloat(getComputedStyle(document.body).paddingBottom) || 0,
    playerHeight: player ? player.getBoundingClientRect().height : 0,
  };
})()`;

interface Heard {
  ids: string[];
  index: number;
  time: number;
  paused: boolean;
  status: string;
}

const READ_PLAYER = `(() => {
  const p = document.querySelector("recording-player");
  return { ids: (p?.recordings ?? []).map((r) => r.id), index: p?.currentIndex ?? -1, time: p?.currentTime ?? 0, paused: p?.paused ?? true, status: p?.status ?? "" };
})()`;

/** What the test needs of a browser tab, for Playwright's Chromium and Puppeteer's Firefox alike. */
interface Tab {
  goto(url: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  click(x: number, y: number): Promise<void>;
  /** Errors the page logged to its console. */
  consoleErrors: string[];
}

const BROWSERS: { name: string; open(): Promise<{ tab: Tab; close(): Promise<void> }> }[] = [
  {
    name: "Chromium",
    async open() {
      const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"] });
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      const consoleErrors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(`${m.text()} (${m.location().url})`);
      });
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      const tab: Tab = {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (expression) => page.evaluate(expression),
        click: (x, y) => page.mouse.click(x, y),
        consoleErrors,
      };
      return { tab, close: () => browser.close() };
    },
  },
  {
    name: "Firefox",
    async open() {
      const browser = await launchFirefoxForPlayback();
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      const consoleErrors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(m.text());
      });
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      const tab: Tab = {
        goto: async (url) => void (await page.goto(url)),
        evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
        click: (x, y) => page.mouse.click(x, y),
        consoleErrors,
      };
      return { tab, close: () => browser.close() };
    },
  },
];

describe("the components under a strict Content Security Policy", { timeout: 240_000 }, () => {
  let outDir: string;
  let db: Db;
  let server: ServerType;
  let base: string;

  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), "strict-csp-"));
    const build = spawnSync("npx", ["vite", "build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"], { encoding: "utf8" });
    assert.equal(build.status, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);
    // The library (dist/lib) as a host's Vite app bundles it: under script-src 'self' a page cannot map bare imports itself.
    const library = resolve("dist/lib/components/index.js");
    if (!existsSync(library)) throw new Error(`${library} is not built: run npm run build first (npm test does)`);
    await viteBuild({
      configFile: false,
      base: "/lib-app/",
      publicDir: false,
      logLevel: "warn",
      build: {
        outDir: join(outDir, "lib-app"),
        emptyOutDir: true,
        target: "es2022",
        rollupOptions: { input: library, preserveEntrySignatures: "allow-extension", output: { entryFileNames: "app.js", chunkFileNames: "[name]-[hash].js", format: "es" } },
      },
    });

    db = openDatabase(":memory:");
    await importDataset(db, fixtureDataset(), "test dataset");
    const app = createApp({ db, componentsDir: outDir });
    // The host page and its own files, served with the policy; everything else is the reference server.
    const host = new Hono();
    host.get("/strict-csp/host.html", (c) => {
      const tt = c.req.query("trusted-types");
      c.header("Content-Security-Policy", tt === "lit-html" ? TRUSTED_TYPES : tt === "host-only" ? TRUSTED_TYPES_WITHOUT_LIT : STRICT);
      return c.html(hostPage(c.req.query("build") === "library" ? "/lib-app/app.js" : "/components/call-recordings.js"));
    });
    host.get("/strict-csp/watch.js", (c) => c.body(WATCH_SCRIPT, 200, { "content-type": "text/javascript" }));
    host.get("/strict-csp/host.css", (c) => c.body(HOST_CSS, 200, { "content-type": "text/css" }));
    host.get("/lib-app/:file", (c) => {
      const file = join(outDir, "lib-app", basename(c.req.param("file")));
      return existsSync(file) ? c.body(readFileSync(file, "utf8"), 200, { "content-type": "text/javascript" }) : c.notFound();
    });
    host.get("/favicon.ico", (c) => c.body(null, 204));
    host.all("*", (c) => app.fetch(c.req.raw, c.env));
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: host.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
      s.once("error", reject);
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => {
      if (!server) return resolve();
      if ("closeAllConnections" in server) server.closeAllConnections();
      server.close(() => resolve());
    });
    db?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** Signs in through the API from a page of the origin (the watch script is a page of it). */
  async function signIn(tab: Tab, user: string): Promise<void> {
    await tab.goto(`${base}/strict-csp/watch.js`);
    const status = await tab.evaluate<number>(
      `fetch("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "${user}", password: "${user}-pass" }) }).then((r) => r.status)`,
    );
    assert.equal(status, 200, `signing in as ${user}`);
  }

  /** The timeline as the API's times place it: where each bar and the unanswered queue segment start and end, as fractions. */
  async function expectedPlaces(tab: Tab): Promise<{ bars: Record<string, { at: number; end: number }>; queue: { at: number; end: number } }> {
    const call = await tab.evaluate<{ start: string; segments: { start: string; end: string; user: unknown; device: unknown }[]; recordings: { id: string; start: string; end: string }[] }>(
      `fetch("/api/calls/c-transfer").then((r) => r.json())`,
    );
    const ms = (t: string) => Date.parse(t);
    const starts = [call.start, ...call.segments.map((s) => s.start), ...call.recordings.map((r) => r.start)].map(ms);
    const ends = [...call.segments.map((s) => s.end), ...call.recordings.map((r) => r.end)].map(ms);
    const from = Math.min(...starts);
    const total = Math.max(...ends) - from;
    const place = (s: { start: string; end: string }) => ({ at: (ms(s.start) - from) / total, end: (ms(s.end) - from) / total });
    const queue = call.segments.find((s) => !s.user && !s.device);
    assert.ok(queue, "c-transfer starts in the queue");
    return { bars: Object.fromEntries(call.recordings.map((r) => [r.id, place(r)])), queue: place(queue) };
  }

  function assertDrawnInPlace(drawing: Drawing, expected: Awaited<ReturnType<typeof expectedPlaces>>, where: string): void {
    const plot = drawing.plot;
    assert.ok(plot && plot.width > 200, `${where}: the timeline's plot is drawn (${JSON.stringify(plot)})`);
    const fraction = (x: number) => (x - plot.left) / plot.width;
    const near = (actual: number, wanted: number, what: string) =>
      assert.ok(Math.abs(actual - wanted) < 0.01, `${where}: ${what} is at ${(actual * 100).toFixed(1)}% of the timeline, not ${(wanted * 100).toFixed(1)}%`);

    assert.equal(drawing.bars.length, Object.keys(expected.bars).length, `${where}: one bar per recording`);
    for (const bar of drawing.bars) {
      const wanted = expected.bars[bar.id];
      assert.ok(wanted, `${where}: bar of unknown recording ${bar.id}`);
      near(fraction(bar.left), wanted.at, `the start of recording ${bar.id}'s bar`);
      near(fraction(bar.right), wanted.end, `the end of recording ${bar.id}'s bar`);
    }
    const byTime = [...drawing.bars].sort((a, b) => expected.bars[a.id]!.at - expected.bars[b.id]!.at);
    for (let i = 1; i < byTime.length; i++) assert.ok(byTime[i]!.left > byTime[i - 1]!.left + 10, `${where}: bars in the order of their start times`);

    const queue = drawing.unrecorded.find((s) => Math.abs(fraction(s.left) - expected.queue.at) < 0.01);
    assert.ok(queue, `${where}: the unrecorded queue segment is drawn where it was (${JSON.stringify(drawing.unrecorded)})`);
    near(fraction(queue.right), expected.queue.end, "the end of the queue segment");

    assert.ok(drawing.ticks.length >= 3, `${where}: the axis has labels`);
    assert.equal(drawing.ticks[0]!.label, "0:00");
    for (let i = 1; i < drawing.ticks.length; i++) {
      assert.ok(drawing.ticks[i]!.left >= drawing.ticks[i - 1]!.right, `${where}: axis label ${drawing.ticks[i]!.label} beside, not on, ${drawing.ticks[i - 1]!.label} (${JSON.stringify(drawing.ticks)})`);
    }
    assert.ok(drawing.ticks.at(-1)!.right > plot.left + plot.width * 0.9, `${where}: the axis labels spread to the timeline's end`);
  }

  for (const [b, build] of BROWSERS.flatMap((b) => (["bundle", "library"] as const).map((build) => [b, build] as const))) {
    test(`${b.name}, the ${build}: both elements draw right on their first render, with no violation, and play`, async () => {
      const { tab, close } = await b.open();
      try {
        await signIn(tab, "alice");
        const expected = await expectedPlaces(tab);
        await tab.goto(`${base}/strict-csp/host.html?build=${build}`);
        await until(async () => (await tab.evaluate<Drawing>(READ_DRAWING)).bars.length > 0, "the timeline's bars", 30_000);
        const first = await tab.evaluate<Drawing>(READ_DRAWING);
        assertDrawnInPlace(first, expected, "first drawing");

        // The player's volume fill, drawn once at the start: full, at volume 1.
        assert.ok(first.volume, "the docked player has its volume slider");
        assert.ok(Math.abs(first.volume.fill.width - first.volume.track.width) < 1, `the volume slider's fill spans its track (${JSON.stringify(first.volume)})`);

        // Play Alice's recording from the middle of its bar: a real click.
        const alice = [...first.bars].sort((x, y) => expected.bars[y.id]!.at - expected.bars[x.id]!.at)[0]!;
        const barTop = await tab.evaluate<{ top: number; height: number }>(
          `(() => { const r = document.querySelector("call-session-recordings").shadowRoot.querySelector('[data-recording-id="${alice.id}"]').getBoundingClientRect(); return { top: r.top, height: r.height }; })()`,
        );
        await tab.click(alice.left + alice.width / 2, barTop.top + barTop.height / 2);
        let heard: Heard | null = null;
        await until(
          async () => {
            heard = await tab.evaluate<Heard>(READ_PLAYER);
            return heard.ids[heard.index] === alice.id && !heard.paused && heard.time > 1;
          },
          "Alice's recording playing",
          30_000,
        ).catch((e: Error) => assert.fail(`${e.message}; the player: ${JSON.stringify(heard)}`));

        let after = await tab.evaluate<Drawing>(READ_DRAWING);
        assertDrawnInPlace(after, expected, "while playing");
        // The bar grows as its controls come (the waveform's, once its peaks are in); the page's
        // room follows from its ResizeObserver, a frame or so later.
        await until(
          async () => {
            after = await tab.evaluate<Drawing>(READ_DRAWING);
            return after.bodyPadding >= Math.floor(after.playerHeight);
          },
          "the page makes room for the docked player",
          5_000,
        ).catch(() => assert.fail(`the page makes room for the docked player (${after.bodyPadding} px for ${after.playerHeight} px)`));
        assert.deepEqual(after.violations, [], "no Content Security Policy violation");
        assert.deepEqual(tab.consoleErrors, [], "no console error");
      } finally {
        await close();
      }
    });
  }

  for (const b of BROWSERS) {
    test(`${b.name}: with Trusted Types required and Lit's policy allowed, the elements draw and load`, async () => {
      const { tab, close } = await b.open();
      try {
        await signIn(tab, "alice");
        const expected = await expectedPlaces(tab);
        await tab.goto(`${base}/strict-csp/host.html?trusted-types=lit-html`);
        await until(async () => (await tab.evaluate<Drawing>(READ_DRAWING)).bars.length > 0, "the timeline's bars", 30_000);
        const drawing = await tab.evaluate<Drawing>(READ_DRAWING);
        assertDrawnInPlace(drawing, expected, "under Trusted Types");
        assert.deepEqual(drawing.violations, [], "no Content Security Policy violation");
        assert.deepEqual(tab.consoleErrors, [], "no console error");
      } finally {
        await close();
      }
    });
  }

  test("Chromium: Trusted Types that leave out lit-html stop the elements, as the README says", async () => {
    const { tab, close } = await BROWSERS[0]!.open();
    try {
      await signIn(tab, "alice");
      await tab.goto(`${base}/strict-csp/host.html?trusted-types=host-only`);
      let violations: string[] = [];
      await until(async () => (violations = (await tab.evaluate<Drawing>(READ_DRAWING)).violations).length > 0, "a violation", 30_000);
      assert.ok(violations.some((v) => v.startsWith("trusted-types")), `Lit's policy refused: ${JSON.stringify(violations)}`);
      assert.equal((await tab.evaluate<Drawing>(READ_DRAWING)).bars.length, 0, "nothing drawn");
    } finally {
      await close();
    }
  });
});
