/**
 * Issue 13 under the extension: a GSM 6.10 recording kept as a file plays in the background,
 * through our decoder, in Chromium's offscreen document and in Firefox's background page. The
 * reference server serves the README's dataset over test/fixtures/recordings/.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-formats.test.ts
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
const CALL = "c-gsm-wav";

interface FilesServer {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** The reference server with the README's dataset over the recording files. */
async function filesServer(): Promise<FilesServer> {
  const { dataset } = await readDatasetFile(join(FOLDER, "dataset.json"));
  const db = openDatabase(":memory:");
  await importDataset(db, dataset, "dataset.json", "", { recordingsDir: FOLDER });
  const app = createApp({ db });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    close: () =>
      new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}

/** What a page driver offers this test, Playwright's or Puppeteer's. */
interface Driver {
  goto(url: string): Promise<unknown>;
  evaluate<T>(fn: () => T): Promise<T>;
  signIn(url: string): Promise<void>;
  clickBar(fraction: number): Promise<void>;
}

/** Signs in, opens the GSM call's Call Session view, clicks its recording at 40 %: it plays in the background. */
async function playsInTheBackground(page: Driver, url: string): Promise<void> {
  await page.signIn(url);
  await page.goto(`${url}/reports/call-session?call=${CALL}`);
  await waitFor("the recordings", () => page.evaluate(() => document.querySelector("call-session-recordings")?.getAttribute("status") ?? null), (s) => s === "ready");
  await page.clickBar(0.4);
  const docked = () => page.evaluate(readDocked);
  const view = (await waitFor("the docked player plays", docked, (v) => v !== null && v.status === "playing" && v.time > 2)) as DockedView;
  assert.equal(view.background, true, "the extension's engine");
  assert.equal(view.pageAudio, 0, "the page plays no audio itself");
  assert.ok(Math.abs(view.duration - 6) < 0.01, `its length: ${view.duration} s`);
  assert.ok(view.time < 3.5, `from the clicked point: ${view.time} s`);
  // It advances in time, and plays to its end: the background's playback says so.
  await waitFor("it plays on", docked, (v) => v !== null && v.time > view.time + 1);
  const background = () =>
    page.evaluate(() => {
      const player = document.querySelector("recording-player[docked]") as unknown as { engine: { playback?: { ended: boolean; position: number; error: unknown } | null } } | null;
      const playback = player?.engine.playback;
      return playback ? { ended: playback.ended, position: playback.position, error: playback.error } : null;
    });
  const end = await waitFor("it ends", background, (b) => b !== null && b.ended, 10_000);
  assert.deepEqual(end, { ended: true, position: 6, error: null });
  // And the docked player says so, as it does for a recording played in the page.
  await waitFor("the docked player at its end", docked, (v) => v !== null && v.status === "ended");
}

describe("a GSM recording under the extension", { timeout: 120_000 }, () => {
  let server: FilesServer;

  before(async () => {
    server = await filesServer();
  });

  after(async () => {
    await server?.close();
  });

  test("Chromium: it plays in the offscreen document", async () => {
    const run = await launchChromiumWithExtension({ name: "formats" });
    const { page, options: extension } = run;
    try {
      await enableOrigin(extension, server.url);
      await playsInTheBackground(
        {
          goto: (url) => page.goto(url),
          evaluate: (fn) => page.evaluate(fn),
          async signIn(url) {
            await page.goto(`${url}/login`);
            await page.fill("#username", "admin");
            await page.fill("#password", "admin-pass");
            await Promise.all([page.waitForURL((u) => u.pathname === "/reports/call-list"), page.click('button[type="submit"]')]);
          },
          async clickBar(fraction) {
            const bar = page.locator('call-session-recordings [part~="recording-bar"]').first();
            const box = (await bar.boundingBox())!;
            await bar.click({ position: { x: box.width * fraction, y: box.height / 2 } });
          },
        },
        server.url,
      );
      const contexts = await extension.evaluate(async () => {
        type Api = { runtime: { getContexts(filter: { contextTypes: string[] }): Promise<unknown[]> } };
        return (await (globalThis as unknown as { chrome: Api }).chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] })).length;
      });
      assert.equal(contexts, 1, "the offscreen document played it");
    } finally {
      await run.close();
    }
  });

  test("Firefox: it plays in the background page", async () => {
    const browser = await launchFirefoxWithExtension();
    try {
      await enableOriginsInFirefox(browser, [server.url]);
      const page = await browser.newPage();
      page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${String(error)}`));
      await playsInTheBackground(
        {
          goto: (url) => page.goto(url),
          evaluate: (fn) => page.evaluate(fn),
          async signIn(url) {
            await page.goto(`${url}/login`);
            await page.type("#username", "admin");
            await page.type("#password", "admin-pass");
            await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.click('button[type="submit"]')]);
          },
          async clickBar(fraction) {
            const bar = (await page.waitForSelector('call-session-recordings >>> [part~="recording-bar"]'))!;
            await bar.scrollIntoView();
            const box = (await bar.boundingBox())!;
            await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
          },
        },
        server.url,
      );
    } finally {
      await browser.close();
    }
  });
});
