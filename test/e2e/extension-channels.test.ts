/**
 * Issue 13, point 4, under the extension (Chromium and Firefox): a two-channel recording's parties are
 * offered in the docked player, and picking one goes to the background's state and on to the
 * offscreen document's engine, which goes on playing. The reference server serves the README's
 * dataset over test/fixtures/recordings/ (`c-stereo`: 440 Hz agent left, 1000 Hz caller right).
 *
 *   npm run build && node --import tsx --test test/e2e/extension-channels.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { createApp } from "../../server/app.js";
import { openDatabase, type Db } from "../../server/db.js";
import { importDataset, readDatasetFile } from "../../server/import.js";
import { enableOrigin, enableOriginsInFirefox, launchChromiumWithExtension, launchFirefoxWithExtension, readDocked, waitFor, type DockedView } from "../extension/e2e-support.js";

const FOLDER = fileURLToPath(new URL("../fixtures/recordings/", import.meta.url));

let server: ServerType;
let db: Db;
let url: string;

before(async () => {
  const { dataset } = await readDatasetFile(join(FOLDER, "dataset.json"));
  db = openDatabase(":memory:");
  await importDataset(db, dataset, "dataset.json", "", { recordingsDir: FOLDER });
  const app = createApp({ db });
  server = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => {
    if ("closeAllConnections" in server) server.closeAllConnections();
    server.close(() => resolve());
  });
  db.close();
});

describe("a two-channel recording under the extension", { timeout: 120_000 }, () => {
  test("Chromium: the docked player names the parties; the agent alone is kept by the background and played on", async () => {
    const run = await launchChromiumWithExtension({ name: "channels" });
    const { page, options: extension } = run;
    try {
      await enableOrigin(extension, url);
      await page.goto(`${url}/login`);
      await page.fill("#username", "admin");
      await page.fill("#password", "admin-pass");
      await Promise.all([page.waitForURL((u) => u.pathname === "/reports/call-list"), page.click('button[type="submit"]')]);
      await page.goto(`${url}/reports/call-session?call=c-stereo`);
      await waitFor("the recordings", () => page.evaluate(() => document.querySelector("call-session-recordings")?.getAttribute("status") ?? null), (s) => s === "ready");
      const bar = page.locator('call-session-recordings [part~="recording-bar"]').first();
      const box = (await bar.boundingBox())!;
      await bar.click({ position: { x: box.width * 0.02, y: box.height / 2 } });
      const docked = () => page.evaluate(readDocked);
      const playing = (await waitFor("the docked player plays", docked, (v) => v !== null && v.status === "playing" && v.time > 0.3)) as DockedView;
      assert.equal(playing.background, true, "the extension's engine");

      const buttons = page.locator('recording-player[docked] [part~="channels"] button');
      assert.deepEqual(await buttons.allTextContents().then((t) => t.map((s) => s.trim())), ["Both", "Agent", "Caller"]);
      assert.equal(await buttons.nth(1).getAttribute("aria-label"), "Agent: Alice Jones only");
      await buttons.nth(1).click();

      const background = () =>
        page.evaluate(() => {
          const player = document.querySelector("recording-player[docked]") as unknown as { engine: { playback?: { channelMix?: unknown; position: number; error: unknown } | null } } | null;
          const playback = player?.engine.playback;
          return playback ? { mix: playback.channelMix ?? null, error: playback.error } : null;
        });
      const kept = await waitFor("the background keeps the agent alone", background, (b) => b !== null && b.mix !== null);
      assert.deepEqual(kept, { mix: { left: 1, right: 0 }, error: null });
      assert.equal(await buttons.nth(1).getAttribute("aria-pressed"), "true");
      // It plays on through the offscreen document's mix.
      const after = (await docked())!;
      await waitFor("it plays on", docked, (v) => v !== null && v.time > after.time + 0.5 && v.status === "playing");

      // Back to both: the background forgets the mix.
      await buttons.nth(0).click();
      await waitFor("both again", background, (b) => b !== null && b.mix === null);

      // The mix goes through Web Audio, which hears a cross-origin element only when the origin
      // allows it: the extension's own origin (its options page standing in for the offscreen
      // document, which no driver reaches) hears the reporting site's audio, not silence.
      const src = await page.evaluate(() => (document.querySelector("recording-player[docked]") as unknown as { engine: { playback: { session: { recordings: { src: string }[] } } } }).engine.playback.session.recordings[0]!.src);
      const level = await extension.evaluate(async (audioSrc: string) => {
        const audio = new Audio(audioSrc);
        const context = new AudioContext();
        const analyser = context.createAnalyser();
        context.createMediaElementSource(audio).connect(analyser);
        analyser.connect(context.destination);
        await context.resume();
        await audio.play();
        await new Promise((resolve) => setTimeout(resolve, 600));
        const data = new Float32Array(analyser.fftSize);
        analyser.getFloatTimeDomainData(data);
        audio.pause();
        await context.close();
        return Math.max(...data.map(Math.abs));
      }, src);
      assert.ok(level > 0.1, `the extension hears the recording through Web Audio (peak ${level})`);
    } finally {
      await run.close();
    }
  });

  test("Firefox: the background page keeps the agent alone and plays on", async () => {
    const browser = await launchFirefoxWithExtension();
    try {
      await enableOriginsInFirefox(browser, [url]);
      const page = await browser.newPage();
      page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${String(error)}`));
      await page.goto(`${url}/login`);
      await page.type("#username", "admin");
      await page.type("#password", "admin-pass");
      await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.click('button[type="submit"]')]);
      await page.goto(`${url}/reports/call-session?call=c-stereo`);
      await waitFor("the recordings", () => page.evaluate(() => document.querySelector("call-session-recordings")?.getAttribute("status") ?? null), (s) => s === "ready");
      const bar = (await page.waitForSelector('call-session-recordings >>> [part~="recording-bar"]'))!;
      await bar.scrollIntoView();
      const box = (await bar.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.02, box.y + box.height / 2);
      const docked = () => page.evaluate(readDocked);
      await waitFor("the docked player plays", docked, (v) => v !== null && v.status === "playing" && v.time > 0.3);

      const agent = (await page.waitForSelector('recording-player[docked] >>> [part~="channels"] button:nth-child(2)'))!;
      assert.equal(await agent.evaluate((b) => b.getAttribute("aria-label")), "Agent: Alice Jones only");
      await agent.click();
      const background = () =>
        page.evaluate(() => {
          const player = document.querySelector("recording-player[docked]") as unknown as { engine: { playback?: { channelMix?: unknown; error: unknown } | null } } | null;
          const playback = player?.engine.playback;
          return playback ? { mix: playback.channelMix ?? null, error: playback.error } : null;
        });
      const kept = await waitFor("the background keeps the agent alone", background, (b) => b !== null && b.mix !== null);
      assert.deepEqual(kept, { mix: { left: 1, right: 0 }, error: null });
      const at = (await docked())!;
      await waitFor("it plays on", docked, (v) => v !== null && v.time > at.time + 0.5 && v.status === "playing");
    } finally {
      await browser.close();
    }
  });
});
