/**
 * Screens compared with committed baselines (test/screens/compare.ts): `<call-session-recordings>`
 * and the docked `<recording-player>` in their main states, from the one-file bundle
 * (dist/components/call-recordings.js, as the reference server serves it) and from the library
 * build (dist/lib, its bare imports mapped onto node_modules as an app's bundler would resolve
 * them), in Chromium and Firefox, 1280 and 400 px wide, in the light and dark schemes.
 *
 * Each state is held still (test/screens/page-harness.js): a playback engine that does not move
 * on, animations stopped, reduced motion, deviceScaleFactor 1, no focus. The call shown is the
 * reference server's answer for the fixture's transferred call, read once at the start.
 *
 *   npm run test:screens                   compare (after npm run build)
 *   npm run test:screens -- --update       write the screenshots taken as the new baselines
 *   SCREENS_BROWSERS=firefox npm run test:screens    one browser
 *   SCREENS_DIST=/tmp/dist npm run test:screens -- test/screens/screens.test.ts   another copy of dist/
 *
 * The main states show the call without its peaks; the waveform's own scenes (issue 16) add them:
 * the server's peaks of the same call (read at the start too, served here), the player's skip
 * silence on, and a two-channel recording (test/fixtures/peaks/two-parties.json).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { Client, startServer } from "../support/server.js";
import { captureElements, HEIGHT, SCHEMES, settle, WIDTHS, type Scheme } from "./capture.js";
import { matchBaseline, RESULTS } from "./compare.js";

const BUILDS = ["bundle", "lib"] as const;
/**
 * The pages, each with its scenes in order. `before-resume` plays again, so that `resume` (the
 * next page) has something to offer.
 */
const PAGES = [["ready", "playing", "paused", "before-resume"], ["resume"], ["section-loading"], ["section-error"], ["loading"], ["error"], ["waveform", "skip-silence"], ["two-channel"]];
const STATES = PAGES.flat().length - 1;
const SHOT_NAMES: Record<string, Record<string, string>> = {
  ready: { section: "section-ready", player: "player-idle" },
  "section-loading": { section: "section-loading" },
  "section-error": { section: "section-error-retry" },
  loading: { section: "section-player-loading", player: "player-loading" },
  playing: { section: "section-playing", player: "player-playing" },
  paused: { section: "section-paused", player: "player-paused" },
  error: { section: "section-player-error", player: "player-error-retry" },
  resume: { player: "player-resume-offer" },
  waveform: { section: "section-waveform", player: "player-waveform" },
  "skip-silence": { player: "player-skip-silence" },
  "two-channel": { section: "section-two-channel", player: "player-two-channel" },
};
/** Where the builds are: dist/, or another copy of it (SCREENS_DIST), such as one changed on purpose. */
const DIST = process.env.SCREENS_DIST ?? "dist";
const SELECTORS: Record<string, string> = { section: "call-session-recordings", player: "recording-player" };

const LIB_IMPORTS = {
  lit: "/node_modules/lit/index.js",
  "lit/": "/node_modules/lit/",
  "lit-html": "/node_modules/lit-html/lit-html.js",
  "lit-html/": "/node_modules/lit-html/",
  "lit-element/": "/node_modules/lit-element/",
  "@lit/reactive-element": "/node_modules/@lit/reactive-element/reactive-element.js",
  "@lit/reactive-element/": "/node_modules/@lit/reactive-element/",
  "@lit/task": "/node_modules/@lit/task/index.js",
  "@lit/task/": "/node_modules/@lit/task/",
  idb: "/node_modules/idb/build/index.js",
  "waveform-data/": "/node_modules/waveform-data/",
};

const TYPES: Record<string, string> = { ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".json": "application/json", ".map": "application/json" };

/** The fixture call as the server answers it, without its peaks URLs (they pointed at that server), and its peaks. */
interface CallAnswer {
  payload: { recordings: { id: string; peaksUrl?: string | null }[] };
  peaks: Record<string, unknown>;
}

function pageHtml(build: string, payload: unknown): string {
  const importMap = build === "lib" ? `<script type="importmap">${JSON.stringify({ imports: LIB_IMPORTS })}</script>` : "";
  const json = JSON.stringify(payload).replace(/</g, "\\u003c");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>screens</title>
<style>body { margin: 0; padding: 16px; font-family: sans-serif; } * { caret-color: transparent !important; }</style>
${importMap}<script type="application/json" id="call">${json}</script>
<script src="/still-animations.js"></script><script type="module" src="/harness.js"></script></head><body></body></html>`;
}

/** The pages: the harness, the bundle, the library and what it imports, and the call's peaks (`/peaks/ID.json`). */
function startPages({ payload, peaks }: CallAnswer): Promise<Server> {
  const roots: Record<string, string> = { "/bundle/": resolve(DIST, "components"), "/lib/": resolve(DIST, "lib"), "/node_modules/": resolve("node_modules") };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/page") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(pageHtml(url.searchParams.get("build") ?? "bundle", payload));
      return;
    }
    const peaksOf = /^\/peaks\/([^/]+)\.json$/.exec(url.pathname);
    if (peaksOf && peaks[decodeURIComponent(peaksOf[1]!)]) {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(peaks[decodeURIComponent(peaksOf[1]!)]));
      return;
    }
    let file: string | null = null;
    if (url.pathname === "/two-parties.json") file = resolve("test/fixtures/peaks/two-parties.json");
    if (url.pathname === "/harness.js") file = resolve("test/screens/page-harness.js");
    if (url.pathname === "/still-animations.js") file = resolve("test/screens/still-animations.js");
    for (const [prefix, root] of Object.entries(roots)) {
      if (url.pathname.startsWith(prefix)) {
        const path = resolve(join(root, decodeURIComponent(url.pathname.slice(prefix.length))));
        if (path.startsWith(root + sep)) file = path;
      }
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    // The builds do not change during a run: each page after the first loads them from the cache.
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "max-age=600" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/** The reference server's answer for the fixture's transferred call, as the section would load it. */
async function callPayload(): Promise<CallAnswer> {
  const server = await startServer({ dataset: fixtureDataset() });
  try {
    const admin = new Client(server.url);
    assert.equal((await admin.signIn("admin")).status, 200);
    const { status, body } = await admin.json("/api/calls/c-transfer");
    assert.equal(status, 200);
    const payload = body as CallAnswer["payload"];
    const peaks: Record<string, unknown> = {};
    for (const r of payload.recordings) {
      if (r.peaksUrl) peaks[r.id] = await (await fetch(r.peaksUrl)).json();
      delete r.peaksUrl;
    }
    return { payload, peaks };
  } finally {
    await server.close();
  }
}

interface BrowserUnderTest {
  name: "chromium" | "firefox";
  /** The schemes one page can be shown in, one after the other (Chromium: both; Firefox: one per browser). */
  schemeGroups: Scheme[][];
  /** A browser for a scheme: Chromium emulates it per page; Firefox takes it from a pref at launch. */
  forScheme(scheme: Scheme): Promise<Browser>;
  prepare(page: Page, scheme: Scheme): Promise<void>;
  close(): Promise<void>;
}

function chromiumUnderTest(): BrowserUnderTest {
  let browser: Promise<Browser> | null = null;
  return {
    name: "chromium",
    schemeGroups: [[...SCHEMES]],
    forScheme: () =>
      (browser ??= puppeteer.launch({
        executablePath: "/usr/bin/chromium",
        headless: true,
        args: ["--no-sandbox", "--force-color-profile=srgb", "--hide-scrollbars", "--font-render-hinting=none"],
      })),
    prepare: async (page, scheme) => {
      await page.emulateMediaFeatures([
        { name: "prefers-color-scheme", value: scheme },
        { name: "prefers-reduced-motion", value: "reduce" },
      ]);
    },
    close: async () => void (await (await browser)?.close()),
  };
}

function firefoxUnderTest(): BrowserUnderTest {
  const browsers = new Map<Scheme, Promise<Browser>>();
  return {
    name: "firefox",
    schemeGroups: SCHEMES.map((scheme) => [scheme]),
    forScheme: (scheme) => {
      let b = browsers.get(scheme);
      if (!b) {
        b = puppeteer.launch({
          browser: "firefox",
          executablePath: "/usr/bin/firefox-esr",
          headless: true,
          extraPrefsFirefox: {
            // 0 dark, 1 light: what prefers-color-scheme says in pages.
            "layout.css.prefers-color-scheme.content-override": scheme === "dark" ? 0 : 1,
            "ui.prefersReducedMotion": 1,
            "ui.caretBlinkTime": 0,
            "layout.css.devPixelsPerPx": "1.0",
          },
        });
        browsers.set(scheme, b);
      }
      return b;
    },
    prepare: async () => undefined,
    close: async () => {
      for (const b of browsers.values()) await (await b).close();
    },
  };
}

const wanted = (process.env.SCREENS_BROWSERS ?? "chromium,firefox").split(",");

// Side by side: the two browsers, each browser's two builds (pages in contexts of their own) and
// Firefox's two schemes (a browser each). The screens do not depend on timing (each state is
// held still), and one after another they were most of the time `npm test` spent on screens.
describe("screens of the elements, compared with their baselines", { timeout: 300_000, concurrency: true }, () => {
  let pages: Server;
  let base: string;

  before(async () => {
    for (const file of [join(DIST, "components/call-recordings.js"), join(DIST, "lib/components/index.js")]) {
      if (!existsSync(file)) throw new Error(`${file} is not built: run npm run build first (npm test does)`);
    }
    pages = await startPages(await callPayload());
    base = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((r) => pages?.close(r));
  });

  for (const make of [chromiumUnderTest, firefoxUnderTest]) {
    const under = make();
    if (!wanted.includes(under.name)) continue;
    describe(under.name, () => {
      // Every browser this one needs, started side by side.
      before(() => Promise.all(under.schemeGroups.map((schemes) => under.forScheme(schemes[0]!))).then(() => undefined));
      after(() => under.close());
      for (const build of BUILDS) {
        test(`${build} build in ${under.name}: ${STATES} states × ${WIDTHS.join(" and ")} px × light and dark`, async () => {
          const failures: string[] = [];
          let shots = 0;
          const group = async (schemes: readonly Scheme[]) => {
            const browser = await under.forScheme(schemes[0]!);
            const context = await browser.createBrowserContext();
            try {
              const page = await context.newPage();
              for (const scenes of PAGES) {
                await under.prepare(page, schemes[0]!);
                await page.setViewport({ width: WIDTHS[0], height: HEIGHT, deviceScaleFactor: 1 });
                await page.goto(`${base}/page?build=${build}&scenes=${scenes.join(",")}`);
                for (;;) {
                  const next = (await page.evaluate(() => (window as unknown as { screensNext(): Promise<{ scene: string; shots: string[] } | null> }).screensNext())) as { scene: string; shots: string[] } | null;
                  if (!next) break;
                  const { scene } = next;
                  const targets = next.shots.filter((target) => SHOT_NAMES[scene]?.[target]);
                  for (const width of WIDTHS) {
                    if (targets.length === 0) break;
                    await page.setViewport({ width, height: HEIGHT, deviceScaleFactor: 1 });
                    for (const scheme of schemes) {
                      await under.prepare(page, scheme);
                      await settle((fn) => page.evaluate(fn));
                      const pngs = await captureElements((fn, arg) => page.evaluate(fn, arg), (clip) => page.screenshot({ type: "png", clip, captureBeyondViewport: false }), targets.map((target) => SELECTORS[target]!));
                      targets.forEach((target, i) => {
                        shots++;
                        const result = matchBaseline(`${build}/${under.name}/${SHOT_NAMES[scene]![target]}-${width}-${scheme}`, pngs[i]!);
                        if (!result.ok) failures.push(result.message);
                      });
                    }
                  }
                }
              }
            } finally {
              await context.close();
            }
          };
          await Promise.all(under.schemeGroups.map(group));
          assert.ok(shots >= 40, `screens taken: ${shots}`);
          if (failures.length > 0) assert.fail(`${failures.length} of ${shots} screens differ from their baselines (kept in ${RESULTS}):\n${failures.join("\n")}`);
        });
      }
    });
  }
});
