/**
 * The companion extension in real Chromium when people take turns at one browser and pages
 * misbehave: signing out stops the call and the next person finds nothing of it, and a page can
 * make the extension fetch and save only its own origin's audio. Its own browser profile and
 * server, so that what the long file (extension-chromium.test.ts) leaves behind plays no part.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-chromium-accounts.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { PlaybackState } from "../../src/extension/background-playback-state.js";
import { startServer, type RunningServer } from "../support/server.js";
import { callsWithRecordings, e2eDataset, enableOrigin, foreignSite, launchChromiumWithExtension, readDocked, waitFor, type ChromiumWithExtension, type DockedView } from "../extension/e2e-support.js";
import { nothingShouldHappenFor } from "../support/until.js";

const BARS = 'call-session-recordings [part~="recording-bar"]';
type WithChrome = { chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } } };

describe("the extension in Chromium, at a shared browser and on misbehaving pages", { timeout: 180_000 }, () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  /** An extension page kept open, to read the extension's storage from. */
  let extension: Page;
  let chromiumRun: ChromiumWithExtension;
  let downloads: string;

  const docked = (on: Page = page) => on.evaluate(readDocked);
  const playback = async (): Promise<PlaybackState> =>
    (await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.storage.local.get("playback"))).playback as PlaybackState;
  const dockedShows = (what: string, ok: (view: DockedView) => boolean, on: Page = page, timeoutMs?: number) =>
    waitFor(what, () => docked(on), (view): view is DockedView => view !== null && ok(view), timeoutMs) as Promise<DockedView>;

  /** Opens a call's Call Session view and plays its first recording from its timeline. */
  async function playFromSession(id: string): Promise<void> {
    await page.goto(`${server.url}/reports/call-session?call=${encodeURIComponent(id)}`);
    await page.locator('call-session-recordings[status="ready"]').waitFor();
    await page.locator(BARS).first().click({ position: { x: 5, y: 5 } });
    await dockedShows(`call ${id} plays`, (v) => !v.hidden && v.status === "playing" && v.time > 0.3);
  }

  before(async () => {
    downloads = mkdtempSync(join(tmpdir(), "crec-downloads-"));
    server = await startServer({ dataset: e2eDataset() });
    chromiumRun = await launchChromiumWithExtension({ name: "accounts", downloads });
    ({ context, page, options: extension } = chromiumRun);
    // The server is on a free port, not the built-in 8787: enabled as the options page's Add does.
    await enableOrigin(extension, server.url);
  });

  after(async () => {
    await chromiumRun?.close();
    await server?.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  test("a page of an enabled site makes the extension fetch only from its own origin, and save only audio", async () => {
    // Another site the extension is enabled for (127.0.0.1, another port), with its own cookies there.
    const other = await foreignSite("127.0.0.1");
    await enableOrigin(extension, other.url);
    try {
      // One call plays; the page of another call hands the docked player that call's recordings
      // with links of its choosing, and plays them.
      const [playing, target] = (await callsWithRecordings(server.url)) as [string, string];
      await page.goto(`${server.url}/reports/call-list`);
      if (new URL(page.url()).pathname === "/login") {
        await page.fill("#username", "admin");
        await page.fill("#password", "admin-pass");
        await Promise.all([page.waitForURL((url) => url.pathname !== "/login"), page.click('button[type="submit"]')]);
      }
      await playFromSession(playing);
      await page.goto(`${server.url}/reports/call-session?call=${encodeURIComponent(target)}`);
      await page.locator('call-session-recordings[status="ready"]').waitFor();
      const handOver = (src: string | null, download: string) =>
        page.evaluate(
          async ([s, d]) => {
            const section = document.querySelector("call-session-recordings") as HTMLElement & { recordings: { id: string; src: string }[] };
            const player = document.querySelector("recording-player[docked]") as HTMLElement & { recordings: unknown[]; playRecording(i: number, at?: number): void };
            player.recordings = section.recordings.map((r) => ({ ...r, src: s ? `${s}?${r.id}` : r.src, downloadUrl: d }));
            player.playRecording(0, 0);
            // An absence (nothing may be fetched or saved), given 2 s to show itself.
            await new Promise((resolve) => setTimeout(resolve, 2000));
          },
          [src, download] as const,
        );

      await handOver(`${other.url}/api/recordings/r-1/audio`, `${other.url}/invoice.pdf.exe`);
      assert.deepEqual(other.requests, [], "the other enabled site was never asked");
      const refused = await playback();
      assert.ok(!JSON.stringify(refused).includes(other.url), "its links never reached the playback state");
      assert.equal(refused.session?.callId, playing, "the call that played is still the one");

      // Its own origin's links load, but a download link that answers a web page saves nothing.
      const notAudio = `${server.url}/login`;
      await handOver(null, notAudio);
      await waitFor("the page's call in the background", playback, (st) => st.session?.callId === target && st.session?.recordings[0]?.downloadUrl === notAudio);
      const saved = readdirSync(downloads);
      await page.locator('recording-player[docked] [part="download-button"]').click();
      await nothingShouldHappenFor(2000); // no file may be saved
      assert.deepEqual(readdirSync(downloads), saved, `no file saved for an answer that is not audio (${readdirSync(downloads).join(", ")})`);
    } finally {
      await other.close();
    }
  });

  test("people taking turns at the browser: signing out stops the call, and the next person finds nothing of it", async () => {
    const signIn = async (user: string) => {
      await page.goto(`${server.url}/login`);
      // Someone still signed in is sent on from the sign-in page: sign them out first.
      if (new URL(page.url()).pathname !== "/login") await Promise.all([page.waitForURL((url) => url.pathname === "/login"), page.click('form.signout button[type="submit"]')]);
      await page.fill("#username", user);
      await page.fill("#password", `${user}-pass`);
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click('button[type="submit"]')]);
    };
    // Another call than the one Grace leaves paused below, so that its position is left alone.
    const playSomething = async () => playFromSession((await callsWithRecordings(server.url, "grace"))[1]!);
    const nothingLeft = async (where: string) => {
      await waitFor(`${where}: the background forgot the call`, playback, (s) => s.session === null && s.paused);
      const view = await docked();
      assert.ok(view === null || view.hidden, `${where}: no docked player (${JSON.stringify(view)})`);
    };

    /** Plays the first recording of a call from its list's Play button: where the player starts. */
    const playFromList = async (id: string) => {
      await page.goto(`${server.url}/reports/call-session?call=${encodeURIComponent(id)}`);
      await page.locator('call-session-recordings[status="ready"]').waitFor();
      await page.locator('call-session-recordings [part~="list-row"] [part="play-button"]').first().click();
      return dockedShows("playing from the list", (v) => !v.hidden && v.status === "playing" && v.index === 0);
    };
    const signOut = () => Promise.all([page.waitForURL((url) => url.pathname === "/login"), page.click('form.signout button[type="submit"]')]);

    // Grace leaves a recording paused halfway, and signs out with the site's Sign out button: the sign-in page is silent.
    const [shared] = await callsWithRecordings(server.url, "grace");
    await signIn("grace");
    await page.goto(`${server.url}/reports/call-session?call=${encodeURIComponent(shared!)}`);
    await page.locator('call-session-recordings[status="ready"]').waitFor();
    const bar = page.locator(BARS).first();
    const box = (await bar.boundingBox())!;
    await bar.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await dockedShows("grace plays from halfway", (v) => !v.hidden && v.status === "playing" && v.index === 0 && v.time > 1);
    await page.locator('recording-player[docked] [part="play-button"]').click();
    const left = await dockedShows("grace paused", (v) => v.paused);
    await signOut();
    await nothingLeft("the sign-in page");


    // Ivan, who may play nothing, signs in: no player and no call (so nothing to seek or download), on any page.
    await signIn("ivan");
    for (const path of ["/reports/call-list", "/reports/calls-per-group"]) {
      await page.goto(`${server.url}${path}`);
      await nothingLeft(`ivan on ${path}`);
    }

    // Someone else signs in over a session left playing: the first page after it stops the call.
    await page.goto(`${server.url}/reports/call-list`);
    await Promise.all([page.waitForURL((url) => url.pathname === "/login"), page.click('form.signout button[type="submit"]')]);
    await signIn("grace");
    await playSomething();
    await page.goto(`${server.url}/reports/calls-per-group`);
    assert.notEqual((await playback()).session, null, "another page of the same person's changes nothing");
    const status = await page.evaluate(async () => (await fetch("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "ivan", password: "ivan-pass" }) })).status);
    assert.equal(status, 200);
    await page.goto(`${server.url}/reports/call-list`);
    await nothingLeft("after ivan signed in over grace's session");

    // The session cookie goes away (expired, cleared): the next page stops the call.
    await signOut();
    await signIn("grace");
    await playSomething();
    await context.clearCookies();
    await page.goto(`${server.url}/reports/calls-per-group`);
    await nothingLeft("after the cookie went away");

    // Grace again: her own recording continues where she left it.
    await signIn("grace");
    const again = await playFromList(shared!);
    assert.ok(Math.abs(again.time - left.time) < 3, `grace continues at ${again.time} s, left at ${left.time} s`);
  });
});
