/**
 * The embedding, end to end: the built components bundle (`npx vite build`) on the reference
 * server's `/embed-demo` page, in real Chromium, signed in through the real login form.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { fixtureDataset, PLAYABLE } from "../support/fixture-dataset.js";
import { startServer, type RunningServer } from "../support/server.js";
import { nothingShouldHappenFor } from "../support/until.js";

const SECTION = "call-session-recordings";
const BARS = `${SECTION} [part~="recording-bar"]`;

interface PlayerState {
  index: number;
  time: number;
  paused: boolean;
  ids: string[];
  status: string;
}

const playerState = (page: Page): Promise<PlayerState | null> =>
  page.evaluate(() => {
    const player = document.querySelector("recording-player") as (HTMLElement & { currentIndex: number; currentTime: number; paused: boolean; recordings: { id: string }[]; status: string }) | null;
    return player && player.recordings ? { index: player.currentIndex, time: player.currentTime, paused: player.paused, ids: player.recordings.map((r) => r.id), status: player.status } : null;
  });

/** Polls the page's player until `ok` holds, failing with the last state seen. */
async function waitForPlayer(page: Page, what: string, ok: (s: PlayerState) => boolean, timeout = 15_000): Promise<PlayerState> {
  const until = Date.now() + timeout;
  let last: PlayerState | null = null;
  while (Date.now() < until) {
    last = await playerState(page);
    if (last && ok(last)) return last;
    await page.waitForTimeout(100);
  }
  assert.fail(`${what}: player is ${JSON.stringify(last)}`);
}

describe("embedding the components in a multi-page reporting site", () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const build = spawnSync("npx", ["vite", "build", "--logLevel", "warn"], { encoding: "utf8" });
    assert.equal(build.status, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);
    server = await startServer({ dataset: fixtureDataset(), componentsDir: resolve("dist/components") });
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"] });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(user: string, into: Browser = browser): Promise<{ context: BrowserContext; page: Page }> {
    const context = await into.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill("#username", user);
    await page.fill("#password", `${user}-pass`);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click('button[type="submit"]')]);
    return { context, page };
  }

  test("a user plays a transferred call from any point, plays it all, and it plays on after a full page load", async () => {
    assert.ok(PLAYABLE.alice!.includes("c-transfer"));
    const { context, page } = await signedIn("alice");
    try {
      await page.goto(`${server.url}/embed-demo?call=c-transfer`);
      await page.waitForSelector(`${SECTION}[status="ready"]`);

      // One recording per recorded segment: the queue's segment was not recorded, Bob's and Alice's were.
      const api = await page.evaluate(async () => (await (await fetch("/api/calls/c-transfer")).json()) as { segments: { user: unknown; device: unknown }[]; recordings: { id: string; segment: number }[] });
      const reached = api.segments.filter((s) => s.user || s.device).length;
      assert.equal(reached, 2);
      await page.locator(BARS).first().waitFor();
      assert.equal(await page.locator(BARS).count(), 2);
      assert.equal(await page.locator(`${SECTION} [part~="list-row"]`).count(), 2);

      // Halfway along the second recording (Alice's two minutes): it plays from about one minute in.
      await page.locator(BARS).nth(1).click();
      const middle = await waitForPlayer(page, "second recording near its middle", (s) => s.index === 1 && !s.paused && s.time > 0);
      assert.ok(middle.time >= 57 && middle.time <= 65, `started at ${middle.time} s, not near 60 s`);
      assert.deepEqual(middle.ids, api.recordings.map((r) => r.id));
      await page.locator(`${SECTION} [part~="recording-bar-current"]`).waitFor();

      // Play all: from the start of the first.
      await page.locator(`${SECTION} [part~="play-all-button"]`).click();
      await waitForPlayer(page, "first recording from its start", (s) => s.index === 0 && !s.paused && s.time > 0.5 && s.time < 5);
      await page.evaluate(() => (document.querySelector("recording-player") as HTMLElement & { seekTo(s: number): void }).seekTo(40));
      const before = await waitForPlayer(page, "past 42 s", (s) => s.index === 0 && !s.paused && s.time > 42);

      // Another page of the site, by a full page load: the docked player plays on where it was.
      await page.goto(`${server.url}/embed-demo?call=c-alice`);
      await page.waitForSelector(`${SECTION}[status="ready"]`);
      const after = await waitForPlayer(page, "playing on after the page load", (s) => s.ids.length === 2 && !s.paused && s.time > 0);
      assert.equal(after.index, 0);
      assert.deepEqual(after.ids, api.recordings.map((r) => r.id));
      assert.ok(Math.abs(after.time - before.time) <= 2.5, `resumed at ${after.time} s after leaving at ${before.time} s`);
      // The section of this page (another call) does not claim the recording playing.
      assert.equal(await page.locator(`${SECTION} [part~="recording-bar-current"]`).count(), 0);
      // The docked player still links to the call it plays, not to this page's.
      const link = new URL((await page.locator('recording-player [part="call-link"]').getAttribute("href"))!, server.url);
      assert.equal(`${link.pathname}${link.search}`, "/embed-demo?call=c-transfer");
    } finally {
      await context.close();
    }
  });

  test("where the browser blocks autoplay, the next page offers to resume at the same point", async () => {
    const { context, page } = await signedIn("alice");
    try {
      // A browser that lets a page start audio only after a click in it. Chromium's own policy
      // decides from the site's history (engagement, a gesture before a same-site navigation),
      // which a test cannot pin down; this is that policy at its strictest, in every page.
      await context.addInitScript(() => {
        let clicked = false;
        addEventListener("click", (event) => (clicked ||= event.isTrusted), true);
        const play = HTMLMediaElement.prototype.play;
        HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
          return clicked ? play.call(this) : Promise.reject(new DOMException("play() can only be initiated by a user gesture.", "NotAllowedError"));
        };
      });
      await page.goto(`${server.url}/embed-demo?call=c-transfer`);
      await page.waitForSelector(`${SECTION}[status="ready"]`);
      await page.locator(BARS).nth(0).click({ position: { x: 5, y: 5 } });
      await page.evaluate(() => (document.querySelector("recording-player") as HTMLElement & { seekTo(s: number): void }).seekTo(30));
      const before = await waitForPlayer(page, "past 31 s", (s) => s.index === 0 && !s.paused && s.time > 31);

      await page.goto(`${server.url}/embed-demo?call=c-alice`);
      const held = await waitForPlayer(page, "cued where it was, held by the browser", (s) => s.ids.length === 2 && s.paused && s.status === "ready");
      assert.equal(held.index, 0);
      assert.ok(Math.abs(held.time - before.time) <= 2.5, `cued at ${held.time} s after leaving at ${before.time} s`);
      await nothingShouldHappenFor(500); // nothing may play without a click
      assert.equal((await playerState(page))?.paused, true, "still held: nothing played without a click");

      // The docked player offers "Resume at 0:31" where it renders the resume controller's offer;
      // a player that does not yet says "Press play to start." and its play button resumes there.
      const resume = page.locator('recording-player [part~="resume-button"]');
      if (await resume.count()) {
        assert.match((await resume.textContent()) ?? "", /^Resume at 0:3\d$/);
        await resume.click();
      } else {
        assert.equal(((await page.locator('recording-player [part~="status"]').textContent()) ?? "").trim(), "Press play to start.");
        await page.locator('recording-player [part~="play-button"]').click();
      }
      const after = await waitForPlayer(page, "playing on after the click", (s) => !s.paused && s.time > held.time);
      assert.equal(after.index, 0);
      assert.ok(after.time - held.time < 2.5, `resumed at ${after.time} s, cued at ${held.time} s`);
    } finally {
      await context.close();
    }
  });

  test("people taking turns at one browser: nothing of one person's playback reaches the next", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const signIn = async (user: string) => {
      await page.goto(`${server.url}/login`);
      await page.fill("#username", user);
      await page.fill("#password", `${user}-pass`);
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click('button[type="submit"]')]);
    };
    const signOut = async () => {
      await page.goto(`${server.url}/reports/call-list`);
      await Promise.all([page.waitForURL((url) => url.pathname === "/login"), page.click('form.signout button[type="submit"]')]);
    };
    /** What the page plays or offers: media elements sounding, and the docked player's call. */
    const heard = () =>
      page.evaluate(() => {
        const player = document.querySelector("recording-player") as (HTMLElement & { recordings: { id: string }[]; paused: boolean; shadowRoot: ShadowRoot }) | null;
        const sounding = [...document.querySelectorAll("audio, video")].filter((m) => !(m as HTMLMediaElement).paused).length;
        return { sounding, player: player ? { ids: player.recordings.map((r) => r.id), paused: player.paused, offer: player.shadowRoot.querySelector('[part~="resume-button"]') !== null } : null };
      });
    try {
      await signIn("alice");
      await page.goto(`${server.url}/embed-demo?call=c-transfer`);
      await page.waitForSelector(`${SECTION}[status="ready"]`);
      await page.locator(BARS).nth(0).click({ position: { x: 5, y: 5 } });
      await page.evaluate(() => (document.querySelector("recording-player") as HTMLElement & { seekTo(s: number): void }).seekTo(40));
      const left = await waitForPlayer(page, "alice past 42 s", (s) => s.index === 0 && !s.paused && s.time > 42);
      const aliceIds = left.ids;

      await signOut();
      assert.deepEqual(await heard(), { sounding: 0, player: null }, "the sign-in page is silent");

      // Erin may play nothing; Bob may play this very call. Neither meets Alice's.
      for (const next of ["erin", "bob"]) {
        await signIn(next);
        for (const path of ["/embed-demo", "/embed-demo?call=c-alice"]) {
          await page.goto(`${server.url}${path}`);
          await page.waitForLoadState("load");
          await nothingShouldHappenFor(1500); // nothing of Alice's may sound or be held
          const now = await heard();
          assert.equal(now.sounding, 0, `${next} on ${path}: nothing sounds`);
          assert.deepEqual(now.player?.ids ?? [], [], `${next} on ${path}: the docked player holds nothing of Alice's`);
          assert.equal(now.player?.offer ?? false, false, `${next} on ${path}: no offer to resume`);
        }
        await signOut();
      }

      // Alice again: her own call, where she left it.
      await signIn("alice");
      await page.goto(`${server.url}/embed-demo`);
      const back = await waitForPlayer(page, "alice's own call back", (s) => s.ids.length === aliceIds.length && s.time > 0);
      assert.deepEqual(back.ids, aliceIds);
      assert.ok(Math.abs(back.time - left.time) <= 3, `alice is offered ${back.time} s after leaving at ${left.time} s`);
    } finally {
      await context.close();
    }
  });

  test("a user whose scope excludes the call sees no recordings section at all", async () => {
    for (const user of ["carol", "erin"]) {
      assert.ok(!PLAYABLE[user]!.includes("c-transfer"));
      const { context, page } = await signedIn(user);
      try {
        await page.goto(`${server.url}/embed-demo?call=c-transfer`);
        await page.waitForSelector(`${SECTION}[status="empty"]`, { state: "attached" });
        const box = await page.locator(SECTION).boundingBox();
        assert.equal(box, null, `${user}: the section takes no room`);
        assert.equal(await page.locator(BARS).count(), 0);
        assert.equal(await page.locator(`${SECTION} [part~="heading"]`).count(), 0);
        assert.equal(await page.getByText("Recordings", { exact: true }).count(), 0);
      } finally {
        await context.close();
      }
    }
  });
});
