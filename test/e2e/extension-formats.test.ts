/**
 * Issue 13 under the extension: a GSM 6.10 recording kept as a file plays in the background,
 * through our decoder, in Chromium's offscreen document and in Firefox's background page. The
 * reference server serves the README's dataset over test/fixtures/recordings/.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-formats.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";
import { CHROME_EXTENSION_ID, FIREFOX_EXTENSION_ID } from "../../extension/manifest.js";
import { createApp } from "../../server/app.js";
import { openDatabase, type Db } from "../../server/db.js";
import { importDataset, readDatasetFile } from "../../server/import.js";
import {
  builtExtension,
  enableOrigin,
  FIREFOX_EXTENSION_ARGS,
  FIREFOX_EXTENSION_PREFS,
  openFirefoxOptions,
  readDocked,
  waitFor,
  type DockedView,
} from "../extension/e2e-support.js";

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
    const dir = builtExtension("chrome");
    const profile = mkdtempSync(join(tmpdir(), "crec-formats-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, "--no-sandbox"],
    });
    try {
      await (context.serviceWorkers()[0] ?? context.waitForEvent("serviceworker"));
      const extension = await context.newPage();
      await extension.goto(`chrome-extension://${CHROME_EXTENSION_ID}/extension/options/options.html`);
      await enableOrigin(extension, server.url);
      const page = context.pages()[0] ?? (await context.newPage());
      page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${error.message}`));
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
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test("Firefox: it plays in the background page", async () => {
    const browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: "/usr/bin/firefox-esr",
      headless: true,
      args: FIREFOX_EXTENSION_ARGS,
      extraPrefsFirefox: { ...FIREFOX_EXTENSION_PREFS, "media.cubeb.force_mock_context": true },
    });
    try {
      assert.equal(await browser.installExtension(builtExtension("firefox")), FIREFOX_EXTENSION_ID);
      const options = await browser.newPage();
      await openFirefoxOptions(options);
      await enableOrigin(options, server.url);
      await options.close();
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
