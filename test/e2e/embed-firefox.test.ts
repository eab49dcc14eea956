/**
 * The embedding in Firefox, without the extension: people taking turns at one browser find
 * nothing of each other's playback (the built bundle on `/embed-demo`, the real server).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { waitFor } from "../extension/e2e-support.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { startServer, type RunningServer } from "../support/server.js";
import { nothingShouldHappenFor } from "../support/until.js";
import { launchFirefoxForPlayback } from "../support/playback-browsers.js";

interface Heard {
  sounding: number;
  ids: string[];
  time: number;
  paused: boolean;
  offer: boolean;
}

/** Evaluated in the page: media sounding, and what the docked player holds. */
const readHeard = (): Heard => {
  const player = document.querySelector("recording-player") as (HTMLElement & { recordings?: { id: string }[]; currentTime: number; paused: boolean }) | null;
  return {
    sounding: [...document.querySelectorAll("audio, video")].filter((m) => !(m as HTMLMediaElement).paused).length,
    ids: player?.recordings?.map((r) => r.id) ?? [],
    time: player?.currentTime ?? 0,
    paused: player?.paused ?? true,
    offer: player?.shadowRoot?.querySelector('[part~="resume-button"]') != null,
  };
};

describe("embedding the components in Firefox, at a shared browser", { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const components = resolve("dist/components");
    if (!existsSync(resolve(components, "call-recordings.js"))) throw new Error(`${components} is not built: run npm run build first (npm test does)`);
    server = await startServer({ dataset: fixtureDataset(), componentsDir: components });
    browser = await launchFirefoxForPlayback();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const heard = () => page.evaluate(readHeard);
  const signIn = async (user: string) => {
    await page.goto(`${server.url}/login`);
    await page.type("#username", user);
    await page.type("#password", `${user}-pass`);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    assert.notEqual(new URL(page.url()).pathname, "/login", `${user} signed in`);
  };
  const signOut = async () => {
    await page.goto(`${server.url}/reports/call-list`);
    await Promise.all([page.waitForNavigation(), page.click('form.signout button[type="submit"]')]);
    assert.equal(new URL(page.url()).pathname, "/login");
  };

  test("nothing of one person's playback reaches the next; the first finds their own again", async () => {
    await signIn("alice");
    await page.goto(`${server.url}/embed-demo?call=c-transfer`);
    await page.waitForSelector('call-session-recordings[status="ready"]');
    await page.evaluate(() => {
      const section = document.querySelector("call-session-recordings") as HTMLElement & { playRecording(i: number, at?: number): void };
      section.playRecording(0, 40);
    });
    const left = await waitFor("alice playing past 41 s", heard, (h) => !h.paused && h.time > 41);

    await signOut();
    assert.deepEqual(await heard(), { sounding: 0, ids: [], time: 0, paused: true, offer: false }, "the sign-in page is silent");

    for (const next of ["erin", "bob"]) {
      await signIn(next);
      for (const path of ["/embed-demo", "/embed-demo?call=c-alice"]) {
        await page.goto(`${server.url}${path}`);
        await nothingShouldHappenFor(1500); // nothing of Alice's may sound or be held
        const now = await heard();
        assert.equal(now.sounding, 0, `${next} on ${path}: nothing sounds`);
        assert.deepEqual(now.ids, [], `${next} on ${path}: the docked player holds nothing of Alice's`);
        assert.equal(now.offer, false, `${next} on ${path}: no offer to resume`);
        assert.ok(now.paused, `${next} on ${path}: not playing`);
      }
      await signOut();
    }

    await signIn("alice");
    await page.goto(`${server.url}/embed-demo`);
    const back = await waitFor("alice's own call back", heard, (h) => h.ids.length === left.ids.length && h.time > 0);
    assert.deepEqual(back.ids, left.ids);
    assert.ok(Math.abs(back.time - left.time) <= 3, `alice is offered ${back.time} s after leaving at ${left.time} s`);
  });
});
