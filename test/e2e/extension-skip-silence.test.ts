/**
 * Issue 16, skip silence under the extension (Chromium): the docked player's toggle goes to the
 * background, which skips a silence over 2 s of the playing recording (found from its peaks) on
 * any page of the site, after a page load too; the time shown stays the recording's own.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-skip-silence.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkPeaks, findSilences } from "../../src/player/silence.js";
import { formatClock } from "../../src/player/format-time.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { startServer, type RunningServer } from "../support/server.js";
import { enableOrigin, launchChromiumWithExtension, readDocked, waitFor, type DockedView } from "../extension/e2e-support.js";

let server: RunningServer;
let url: string;

before(async () => {
  server = await startServer({ dataset: fixtureDataset() });
  url = server.url;
});

after(() => server.close());

describe("skip silence under the extension", { timeout: 90_000 }, () => {
  test("Chromium: the background skips a pause over 2 s, on another page after a page load", async () => {
    const run = await launchChromiumWithExtension({ name: "skip-silence" });
    const { page, options: extension } = run;
    try {
      await enableOrigin(extension, url);
      await page.goto(`${url}/login`);
      await page.fill("#username", "alice");
      await page.fill("#password", "alice-pass");
      await Promise.all([page.waitForURL((u) => u.pathname === "/reports/call-list"), page.click('button[type="submit"]')]);

      // The recording's silences, from the peaks the server hands this user.
      const peaksJson = await page.evaluate(async () => {
        const call = (await (await fetch("/api/calls/c-alice")).json()) as { recordings: { peaksUrl: string; durationSeconds: number }[] };
        const r = call.recordings[0]!;
        return { json: (await (await fetch(r.peaksUrl)).json()) as unknown, duration: r.durationSeconds };
      });
      const silences = findSilences(checkPeaks(peaksJson.json, "the peaks of c-alice's recording")).filter((s) => s.start > 4);
      assert.ok(silences.length > 0, "the generated conversation has a pause over 2 s");
      const silence = silences[0]!;

      await page.goto(`${url}/reports/call-session?call=c-alice`);
      await waitFor("the recordings", () => page.evaluate(() => document.querySelector("call-session-recordings")?.getAttribute("status") ?? null), (s) => s === "ready");
      // Play from 3 s before the silence.
      const bar = page.locator('call-session-recordings [part~="recording-bar"]').first();
      const box = (await bar.boundingBox())!;
      await bar.click({ position: { x: (box.width * (silence.start - 3)) / peaksJson.duration, y: box.height / 2 } });
      const docked = () => page.evaluate(readDocked);
      const playing = (await waitFor("the docked player plays", docked, (v) => v !== null && v.status === "playing")) as DockedView;
      assert.equal(playing.background, true, "the extension's engine");
      await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { pause(): void }).pause());
      await waitFor("paused", docked, (v) => v !== null && v.paused);

      const button = page.locator('recording-player[docked] [part~="skip-silence-button"]');
      assert.equal(await button.getAttribute("aria-pressed"), "false");
      await button.focus();
      await page.keyboard.press("Enter");
      const background = () =>
        page.evaluate(() => (document.querySelector("recording-player[docked]") as unknown as { engine: { playback?: { skipSilence?: boolean } | null } }).engine.playback?.skipSilence ?? false);
      await waitFor("the background keeps skip silence on", background, (on) => on);
      assert.equal(await button.getAttribute("aria-pressed"), "true");

      // Another page of the site: its docked player shows the same, and playing goes on from there.
      await page.goto(`${url}/reports/call-list`);
      await waitFor("the docked player on the next page", docked, (v) => v !== null && v.recordingId !== null);
      await waitFor("it shows skip silence on", () => button.getAttribute("aria-pressed"), (p) => p === "true");
      await page.evaluate(() => void (document.querySelector("recording-player[docked]") as HTMLElement & { play(): Promise<void> }).play());
      const seen: number[] = [];
      await waitFor(
        `playback passes the silence's end (${silence.end.toFixed(1)} s)`,
        async () => {
          const v = await docked();
          if (v && !v.paused) seen.push(v.time);
          return v;
        },
        (v) => v !== null && v.time >= silence.end - 0.3 && v.status === "playing",
        20_000,
      );
      const inside = seen.filter((t) => t > silence.start + 1.2 && t < silence.end - 0.5);
      assert.deepEqual(inside, [], `nothing well inside the silence ${silence.start.toFixed(1)}–${silence.end.toFixed(1)} s was played (saw ${seen.map((t) => t.toFixed(1)).join(", ")})`);
      // The time shown is the recording's own.
      const shown = await page.locator('recording-player[docked] [part~="time"]').textContent();
      assert.ok(shown!.trim().startsWith(formatClock(Math.floor(silence.end - 0.3))) || shown!.trim().startsWith(formatClock(Math.floor(silence.end + 0.7))), `time shown ${shown}`);
    } finally {
      await run.close();
    }
  });
});
