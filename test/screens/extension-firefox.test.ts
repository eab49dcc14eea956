/**
 * Screens of the extension's injected page in Firefox compared with their baselines
 * (test/screens/compare.ts): the reference server's Call Session view with the built extension
 * (dist/firefox) installed, its injected `<call-session-recordings>` and docked
 * `<recording-player>`, and the Call List's recording marks, 1280 and 400 px wide, light and dark (a browser for each: Firefox takes
 * the scheme from a pref), in the states that hold still (see extension-chromium.test.ts).
 *
 *   npm run build && npm run test:screens -- test/screens/extension-firefox.test.ts
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { FIREFOX_EXTENSION_ID } from "../../extension/manifest.js";
import { builtExtension, enableOrigin, FIREFOX_EXTENSION_ARGS, FIREFOX_EXTENSION_PREFS, openFirefoxOptions, readDocked, waitFor } from "../extension/e2e-support.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { startServer, type RunningServer } from "../support/server.js";
import { barWaveformsDrawn, captureElements, markedCallRows, HEIGHT, SCHEMES, settle, WIDTHS, type Scheme } from "./capture.js";
import { matchBaseline, RESULTS } from "./compare.js";

const SECTION = "call-session-recordings";
const PLAYER = "recording-player[docked]";

type Player = HTMLElement & { pause(): void; seekTo(s: number): void; paused: boolean; status: string; currentTime: number; duration: number; engine: { state: { buffered: { start: number; end: number }[] } } };

describe("screens of the extension's injected page in Firefox, compared with their baselines", { timeout: 180_000 }, () => {
  let server: RunningServer | null = null;
  after(async () => {
    await server?.close();
  });

  for (const scheme of SCHEMES) {
    test(`the injected recordings and the docked player, before playing and paused at 0:30 of the second recording, ${scheme}`, async () => {
      server ??= await startServer({ dataset: fixtureDataset() });
      const url = server.url;
      let browser: Browser | null = null;
      try {
        browser = await puppeteer.launch({
          browser: "firefox",
          executablePath: "/usr/bin/firefox-esr",
          headless: true,
          args: FIREFOX_EXTENSION_ARGS,
          extraPrefsFirefox: {
            ...FIREFOX_EXTENSION_PREFS,
            "media.autoplay.default": 0,
            "media.cubeb.force_mock_context": true,
            "layout.css.prefers-color-scheme.content-override": scheme === "dark" ? 0 : 1,
            "ui.prefersReducedMotion": 1,
            "ui.caretBlinkTime": 0,
            "layout.css.devPixelsPerPx": "1.0",
          },
        });
        assert.equal(await browser.installExtension(builtExtension("firefox")), FIREFOX_EXTENSION_ID);
        const options = await browser.newPage();
        await openFirefoxOptions(options);
        await enableOrigin(options, url);
        await options.close();
        const page = await browser.newPage();
        await page.setViewport({ width: WIDTHS[0], height: HEIGHT, deviceScaleFactor: 1 });
        await page.goto(`${url}/login`);
        await page.type("#username", "admin");
        await page.type("#password", "admin-pass");
        await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
        await page.goto(`${url}/reports/call-session?call=c-transfer`);
        await page.evaluate(readFileSync(resolve("test/screens/still-animations.js"), "utf8"));
        await page.waitForSelector(`${SECTION}[status="ready"]`);
        await waitFor("the section drawn", () => page.evaluate(() => document.querySelector("call-session-recordings")!.getBoundingClientRect().height), (h) => h > 100);
        const failures: string[] = [];
        let shots = 0;
        const shoot = async (targets: Record<string, string>, widths: readonly number[] = WIDTHS) => {
          const r = await shootAll(page, scheme, targets, widths);
          failures.push(...r.failures);
          shots += r.shots;
        };
        await shoot({ "section-ready": SECTION });

        await page.evaluate(() => (document.querySelector("call-session-recordings") as HTMLElement & { playRecording(i: number, at?: number): void }).playRecording(1, 30));
        await waitFor("the docked player playing", () => page.evaluate(readDocked), (v) => v !== null && v.status === "playing" && v.time > 30);
        await page.evaluate(() => (document.querySelector("recording-player[docked]") as Player).pause());
        await waitFor("the docked player paused", () => page.evaluate(readDocked), (v) => v !== null && v.paused && v.status === "ready");
        await page.evaluate(() => (document.querySelector("recording-player[docked]") as Player).seekTo(30));
        await waitFor(
          "paused at 0:30, what is downloaded settled",
          () =>
            page.evaluate(() => {
              const p = document.querySelector("recording-player[docked]") as Player;
              const buffered = p.engine.state.buffered;
              const end = buffered.reduce((m, s) => Math.max(m, s.end), 0);
              return { time: p.currentTime, status: p.status, paused: p.paused, settled: buffered.length === 0 || (p.duration > 0 && end >= p.duration - 0.05), buffered: JSON.stringify(buffered) };
            }),
          (v) => v.paused && v.status === "ready" && Math.abs(v.time - 30) < 0.01 && v.settled,
        );
        await shoot({ "section-paused": SECTION, "player-paused": PLAYER });

        // The Call List's recording marks: a call with one recording, and one with several (its badge).
        await page.goto(`${url}/reports/call-list`);
        const rows = await waitFor(
          "a row of each kind marked",
          () => page.evaluate(markedCallRows),
          (found) => found.one !== undefined && found.several !== undefined,
        );
        // At 1280 px only: at 400 px the Call List is wider than the window, and so are its rows.
        await shoot({ "call-list-mark-one": `tr[data-call-id="${rows.one}"]`, "call-list-mark-several": `tr[data-call-id="${rows.several}"]` }, [WIDTHS[0]]);
        if (failures.length > 0) assert.fail(`${failures.length} of ${shots} screens differ from their baselines (kept in ${RESULTS}):\n${failures.join("\n")}`);
      } finally {
        await browser?.close();
      }
    });
  }
});

/** Captures `targets` (name → selector) at both widths; each target scrolled to the top of the window first. */
async function shootAll(page: Page, scheme: Scheme, targets: Record<string, string>, widths: readonly number[]): Promise<{ shots: number; failures: string[] }> {
  const failures: string[] = [];
  let shots = 0;
  for (const width of widths) {
    await page.setViewport({ width, height: HEIGHT, deviceScaleFactor: 1 });
    for (const [name, selector] of Object.entries(targets)) {
      await page.evaluate((s) => document.querySelector(s)?.scrollIntoView({ block: "start" }), selector);
      await settle((fn) => page.evaluate(fn));
      // The Call Session's section, when the page has one: its bars' waveforms drawn.
      if (await page.evaluate(() => document.querySelector("call-session-recordings") !== null)) await waitFor("the bars' waveforms drawn", () => page.evaluate(barWaveformsDrawn), (drawn) => drawn);
      const [png] = await captureElements((fn, arg) => page.evaluate(fn, arg), async (clip) => {
        // Puppeteer's clip is in page coordinates: from the top of the document, not of the window.
        const [x, y] = await page.evaluate(() => [scrollX, scrollY]);
        return page.screenshot({ type: "png", clip: { ...clip, x: clip.x + x!, y: clip.y + y! } });
      }, [selector]);
      shots++;
      const result = matchBaseline(`extension/firefox/${name}-${width}-${scheme}`, png!);
      if (!result.ok) failures.push(result.message);
    }
  }
  await page.setViewport({ width: WIDTHS[0], height: HEIGHT, deviceScaleFactor: 1 });
  return { shots, failures };
}
