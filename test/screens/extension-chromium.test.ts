/**
 * Screens of the extension's injected page compared with their baselines (test/screens/compare.ts):
 * the reference server's Call Session view with the built extension (dist/chrome) loaded in
 * Chromium, its injected `<call-session-recordings>` and docked `<recording-player>`, and the
 * Call List's recording marks, 1280 and 400 px wide, light and dark.
 *
 * The audio plays in the extension's offscreen document, whose clock the test cannot stop, so the
 * states are those that hold still: the section before anything plays, and the player paused at a
 * fixed point (sought there once paused, with the whole recording downloaded). The extension keeps
 * playback across pages itself, so its player has no resume offer.
 *
 *   npm run build && npm run test:screens
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROME_EXTENSION_ID } from "../../extension/manifest.js";
import { builtExtension, enableOrigin, readDocked, waitFor } from "../extension/e2e-support.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { startServer, type RunningServer } from "../support/server.js";
import { barWaveformsDrawn, captureElements, markedCallRows, HEIGHT, SCHEMES, settle, WIDTHS } from "./capture.js";
import { matchBaseline, RESULTS } from "./compare.js";

const SECTION = "call-session-recordings";
const PLAYER = "recording-player[docked]";

type Player = HTMLElement & { pause(): void; seekTo(s: number): void; paused: boolean; status: string; currentTime: number; duration: number; engine: { state: { buffered: { start: number; end: number }[] } } };

describe("screens of the extension's injected page in Chromium, compared with their baselines", { timeout: 180_000 }, () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  before(async () => {
    const dir = builtExtension("chrome");
    profile = mkdtempSync(join(tmpdir(), "crec-screens-"));
    server = await startServer({ dataset: fixtureDataset() });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      viewport: { width: WIDTHS[0], height: HEIGHT },
      deviceScaleFactor: 1,
      reducedMotion: "reduce",
      args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, "--no-sandbox", "--force-color-profile=srgb", "--hide-scrollbars", "--font-render-hinting=none", "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
    });
    await (context.serviceWorkers()[0] ?? context.waitForEvent("serviceworker"));
    const options = await context.newPage();
    await options.goto(`chrome-extension://${CHROME_EXTENSION_ID}/extension/options/options.html`);
    await enableOrigin(options, server.url);
    await options.close();
    page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript({ path: resolve("test/screens/still-animations.js") });
    await page.goto(`${server.url}/login`);
    await page.fill("#username", "admin");
    await page.fill("#password", "admin-pass");
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click('button[type="submit"]')]);
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Captures `targets` (name → selector) at both widths in both schemes; the failures' messages. */
  async function shoot(targets: Record<string, string>, widths: readonly number[] = WIDTHS): Promise<{ shots: number; failures: string[] }> {
    const failures: string[] = [];
    let shots = 0;
    const names = Object.keys(targets);
    for (const width of widths) {
      await page.setViewportSize({ width, height: HEIGHT });
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
        await page.mouse.move(0, 0);
        for (const name of names) {
          // The section is low on the page: scrolled to the top of the window, above the docked bar.
          await page.evaluate((selector) => document.querySelector(selector)?.scrollIntoView({ block: "start" }), targets[name]!);
          await settle((fn) => page.evaluate(fn));
          // The Call Session's section, when the page has one: its bars' waveforms drawn.
          if (await page.evaluate(() => document.querySelector("call-session-recordings") !== null)) await waitFor("the bars' waveforms drawn", () => page.evaluate(barWaveformsDrawn), (drawn) => drawn);
          const [png] = await captureElements((fn, arg) => page.evaluate(fn, arg), (clip) => page.screenshot({ type: "png", clip }), [targets[name]!]);
          shots++;
          const result = matchBaseline(`extension/chromium/${name}-${width}-${scheme}`, png!);
          if (!result.ok) failures.push(result.message);
        }
      }
    }
    await page.setViewportSize({ width: WIDTHS[0], height: HEIGHT });
    return { shots, failures };
  }

  test("the injected recordings and the docked player, before playing and paused at 0:30 of the second recording", async () => {
    await page.goto(`${server.url}/reports/call-session?call=c-transfer`);
    await page.locator(`${SECTION}[status="ready"]`).waitFor();
    await waitFor("the section drawn", () => page.evaluate(() => document.querySelector("call-session-recordings")!.getBoundingClientRect().height), (h) => h > 100);
    const ready = await shoot({ "section-ready": SECTION });

    await page.evaluate(() => (document.querySelector("call-session-recordings") as HTMLElement & { playRecording(i: number, at?: number): void }).playRecording(1, 30));
    await waitFor("the docked player playing", () => page.evaluate(readDocked), (v) => v !== null && v.status === "playing" && v.time > 30);
    await page.evaluate(() => (document.querySelector("recording-player[docked]") as Player).pause());
    await waitFor("the docked player paused", () => page.evaluate(readDocked), (v) => v !== null && v.paused && v.status === "ready");
    await page.evaluate(() => (document.querySelector("recording-player[docked]") as Player).seekTo(30));
    // Still at 0:30, and the seek bar's buffered part settled: none (the extension's engine reports
    // none from its offscreen audio), or all of the recording.
    await waitFor(
      "paused at 0:30, what is downloaded settled",
      () => page.evaluate(() => {
        const p = document.querySelector("recording-player[docked]") as Player;
        const end = p.engine.state.buffered.reduce((m, s) => Math.max(m, s.end), 0);
        const buffered = p.engine.state.buffered;
        return { time: p.currentTime, status: p.status, paused: p.paused, settled: buffered.length === 0 || (p.duration > 0 && end >= p.duration - 0.05), buffered: JSON.stringify(buffered) };
      }),
      (v) => v.paused && v.status === "ready" && Math.abs(v.time - 30) < 0.01 && v.settled,
    );
    const paused = await shoot({ "section-paused": SECTION, "player-paused": PLAYER });

    const failures = [...ready.failures, ...paused.failures];
    const shots = ready.shots + paused.shots;
    if (failures.length > 0) assert.fail(`${failures.length} of ${shots} screens differ from their baselines (kept in ${RESULTS}):\n${failures.join("\n")}`);
  });

  test("the Call List's recording marks: a call with one recording, and one with several (its badge)", async () => {
    await page.goto(`${server.url}/reports/call-list`);
    const rows = await waitFor(
      "a row of each kind marked",
      () => page.evaluate(markedCallRows),
      (found) => found.one !== undefined && found.several !== undefined,
    );
    // At 1280 px only: at 400 px the Call List is wider than the window, and so are its rows.
    const { shots, failures } = await shoot({ "call-list-mark-one": `tr[data-call-id="${rows.one}"]`, "call-list-mark-several": `tr[data-call-id="${rows.several}"]` }, [WIDTHS[0]]);
    if (failures.length > 0) assert.fail(`${failures.length} of ${shots} screens differ from their baselines (kept in ${RESULTS}):\n${failures.join("\n")}`);
  });
});
