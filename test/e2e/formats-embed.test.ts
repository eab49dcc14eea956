/**
 * Issue 13 as a new user tries it from the README, without the extension: the reference server
 * over test/fixtures/recordings/ (`--recordings`), the built bundle on `/embed-demo`, and each
 * call's recording played, sought to 90 % and downloaded, in Chromium and in Firefox. GSM 6.10
 * (WAV49 and raw) and G.722 play through our decoders; µ-law, A-law and MP3 through the browser;
 * AMR-NB says it cannot be played, and downloads.
 *
 *   npm run build && node --import tsx --test test/e2e/formats-embed.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import type { Browser, Page } from "puppeteer-core";
import { createApp } from "../../server/app.js";
import { openDatabase, type Db } from "../../server/db.js";
import { importDataset, readDatasetFile } from "../../server/import.js";
import { waitFor } from "../extension/e2e-support.js";
import { PLAYBACK_BROWSERS } from "../support/playback-browsers.js";

const FOLDER = fileURLToPath(new URL("../fixtures/recordings/", import.meta.url));

/** The calls of the README's dataset, one per file. */
const PLAYABLE = [
  { call: "c-gsm-wav", type: "audio/wav", extension: ".wav" },
  { call: "c-gsm-raw", type: "audio/gsm", extension: ".gsm" },
  { call: "c-g722", type: "audio/wav", extension: ".wav" },
  { call: "c-mulaw", type: "audio/wav", extension: ".wav" },
  { call: "c-alaw", type: "audio/wav", extension: ".wav" },
  { call: "c-mp3", type: "audio/mpeg", extension: ".mp3" },
];

interface Player {
  status: string;
  time: number;
  duration: number;
  message: string;
  download: string | null;
}

/** Evaluated in the page: the docked player. */
const readPlayer = (): Player | null => {
  const p = document.querySelector("recording-player") as (HTMLElement & { status: string; currentTime: number; duration: number }) | null;
  if (!p?.shadowRoot) return null;
  return {
    status: p.status,
    time: p.currentTime,
    duration: p.duration,
    message: p.shadowRoot.querySelector('[part~="status"]')?.textContent?.replace(/\s+/g, " ").trim() ?? "",
    download: p.shadowRoot.querySelector('[part~="download-button"]')?.getAttribute("href") ?? null,
  };
};

async function filesServer(): Promise<{ url: string; close(): Promise<void>; db: Db }> {
  const components = resolve("dist/components");
  if (!existsSync(resolve(components, "call-recordings.js"))) throw new Error(`${components} is not built: run npm run build first (npm test does)`);
  const { dataset } = await readDatasetFile(join(FOLDER, "dataset.json"));
  const db = openDatabase(":memory:");
  await importDataset(db, dataset, "dataset.json", "", { recordingsDir: FOLDER });
  const app = createApp({ db, componentsDir: components });
  const server: ServerType = await new Promise((res, rej) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => res(s));
    s.once("error", rej);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    close: () =>
      new Promise<void>((res) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => {
          db.close();
          res();
        });
      }),
  };
}

const BROWSERS = PLAYBACK_BROWSERS;

for (const [name, launch] of Object.entries(BROWSERS)) {
  describe(`recordings from files on /embed-demo in ${name}`, { timeout: 180_000 }, () => {
    let server: Awaited<ReturnType<typeof filesServer>>;
    let browser: Browser;
    let page: Page;
    const player = () => page.evaluate(readPlayer);

    before(async () => {
      server = await filesServer();
      browser = await launch();
      page = await browser.newPage();
      page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${String(error)}`));
      await page.goto(`${server.url}/login`);
      await page.type("#username", "admin");
      await page.type("#password", "admin-pass");
      await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    });

    after(async () => {
      await browser?.close();
      await server?.close();
    });

    async function open(call: string): Promise<void> {
      await page.goto(`${server.url}/embed-demo?call=${call}`);
      await page.waitForSelector('call-session-recordings[status="ready"]');
    }

    /** The download link's answer, fetched by the page: status, type, file name's extension, first bytes. */
    const download = (href: string) =>
      page.evaluate(async (url) => {
        const res = await fetch(url);
        const bytes = new Uint8Array(await res.arrayBuffer()).slice(0, 6);
        return {
          status: res.status,
          type: res.headers.get("content-type"),
          name: /filename="([^"]*)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "",
          head: String.fromCharCode(...bytes),
        };
      }, href);

    for (const format of PLAYABLE) {
      test(`${format.call}: plays from 40 %, shows 6 s, seeks to 90 %, plays to its end, and downloads`, async () => {
        await open(format.call);
        await page.evaluate(() => (document.querySelector("call-session-recordings") as unknown as { playRecording(i: number, at: number): void }).playRecording(0, 2.4));
        const playing = (await waitFor("playing from 40 %", player, (p) => p !== null && p.status === "playing" && p.time > 2.5)) as Player;
        assert.ok(playing.time < 4, `from the point asked for: ${playing.time}`);
        assert.ok(Math.abs(playing.duration - 6) < (format.call === "c-mp3" ? 0.25 : 0.01), `its length: ${playing.duration}`);
        await page.evaluate((to) => (document.querySelector("recording-player") as unknown as { seekTo(s: number): void }).seekTo(to), playing.duration * 0.9);
        await waitFor("at 90 %", player, (p) => p !== null && p.time >= playing.duration * 0.9 - 0.05);
        await waitFor("played to its end", player, (p) => p !== null && p.status === "ended", 10_000);
        const file = await download(playing.download!);
        assert.equal(file.status, 200);
        assert.equal(file.type, format.type);
        assert.ok(file.name.endsWith(format.extension), file.name);
      });
    }

    test("c-transfer: a generated recording, then a GSM file: the sequence plays on from one to the other", async () => {
      await open("c-transfer");
      await page.evaluate(() => (document.querySelector("call-session-recordings") as unknown as { playRecording(i: number, at: number): void }).playRecording(0, 16.5));
      await waitFor("playing the first", player, (p) => p !== null && p.status === "playing" && p.time > 16.5);
      const index = () => page.evaluate(() => (document.querySelector("recording-player") as unknown as { currentIndex: number }).currentIndex);
      await waitFor("on to the GSM recording", index, (i) => i === 1, 10_000);
      const second = (await waitFor("playing the second", player, (p) => p !== null && p.status === "playing" && p.time > 0.5)) as Player;
      assert.ok(Math.abs(second.duration - 6) < 0.01, `its length: ${second.duration}`);
      await waitFor("the sequence ended", player, (p) => p !== null && p.status === "ended", 15_000);
    });

    test("c-amr: says AMR-NB cannot be played, and downloads", async () => {
      await open("c-amr");
      await page.evaluate(() => (document.querySelector("call-session-recordings") as unknown as { playRecording(i: number): void }).playRecording(0));
      const failed = (await waitFor("the message", player, (p) => p !== null && p.status === "error")) as Player;
      assert.match(failed.message, /This recording is in AMR-NB, which the player cannot play\. Download it to listen\./);
      const file = await download(failed.download!);
      assert.deepEqual(file, { status: 200, type: "audio/amr", name: file.name, head: "#!AMR\n" });
      assert.ok(file.name.endsWith(".amr"), file.name);
    });
  });
}
