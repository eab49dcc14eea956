/**
 * The companion extension's core flow in Firefox ESR: the built Firefox extension (dist/firefox)
 * installed into a fresh profile through WebDriver BiDi, against the real reference server.
 * Firefox's background page plays the audio; a mock audio context keeps it at real-time pace
 * on a machine without a sound device.
 *
 *   npm run build && npm run test:e2e
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { startServer, type RunningServer } from "../support/server.js";
import {
  apiRecordings,
  callsWithRecordings,
  e2eDataset,
  enableOriginsInFirefox,
  FORGE_MESSAGES,
  goByAddress,
  launchFirefoxWithExtension,
  PLAY_FORGED_LINK,
  readDocked,
  recordingBytes,
  CALL_LIST_LAYOUT,
  checkMarksInScrollingBox,
  FOCUSED,
  layoutDifferences,
  waitFor,
  type CallListLayout,
  type DockedView,
  type Focused,
  type ForgeResult,
} from "../extension/e2e-support.js";
import { nothingShouldHappenFor } from "../support/until.js";

const BARS = 'call-session-recordings >>> [part~="recording-bar"]';

/** The background's playback as the page's engine last heard it. */
interface Heard {
  paused: boolean;
  cue: number;
  callId: string | null;
  position: number;
  at: number;
  rate: number;
  advancing: boolean;
}

const readHeard = (): Heard | null => {
  type Engine = { playback?: { paused: boolean; cue: number; position: number; at: number; rate: number; waiting: boolean; hasMetadata: boolean; session: { callId: string } | null } | null };
  const player = document.querySelector("recording-player[docked]") as (HTMLElement & { engine: Engine }) | null;
  const playback = (player?.engine as { playback?: Engine["playback"] } | undefined)?.playback;
  if (!playback) return null;
  return {
    paused: playback.paused,
    cue: playback.cue,
    callId: playback.session?.callId ?? null,
    position: playback.position,
    at: playback.at,
    rate: playback.rate,
    advancing: !playback.paused && !playback.waiting && playback.hasMetadata,
  };
};

// The whole suite (about 75 s alone; twice as long or more with another test run beside it).
describe("the extension in Firefox", { timeout: 360_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let downloads: string;
  let callId = "";

  const docked = () => page.evaluate(readDocked);
  const dockedShows = (what: string, ok: (view: DockedView) => boolean, timeoutMs?: number) =>
    waitFor(what, docked, (view): view is DockedView => view !== null && ok(view), timeoutMs) as Promise<DockedView>;
  const heard = async () => (await page.evaluate(readHeard))!;
  const positionNow = (h: Heard) => (h.advancing ? h.position + ((Date.now() - h.at) / 1000) * h.rate : h.position);

  async function navigate(action: () => Promise<unknown>): Promise<void> {
    await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), action()]);
  }

  before(async () => {
    server = await startServer({ dataset: e2eDataset() });
    downloads = mkdtempSync(join(tmpdir(), "crec-ff-downloads-"));
    browser = await launchFirefoxWithExtension({ downloads });
    // The server is on a free port, not the built-in 8787: enabled as the options page's Add does.
    await enableOriginsInFirefox(browser, [server.url]);
    page = await browser.newPage();
    page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${String(error)}`));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  test("a user signs in and the Call List, filtered to calls with recordings, marks every row as it comes into view", async () => {
    await page.goto(`${server.url}/login`);
    await page.type("#username", "admin");
    await page.type("#password", "admin-pass");
    await navigate(() => page.click('button[type="submit"]'));
    assert.equal(new URL(page.url()).pathname, "/reports/call-list");
    await page.click("#f-has");
    await navigate(() => page.click('form.filters button[type="submit"]'));
    assert.equal(new URL(page.url()).searchParams.get("hasRecording"), "1");
    await page.waitForSelector(".crec-recording-mark");
    const ids = await page.$$eval("tr[data-call-id]", (all) => all.map((row) => (row as HTMLElement).dataset.callId!));
    const rows = ids.length;
    assert.ok(rows > 1);
    // Rows are marked as they come into view: scrolled through to the end, all of them are.
    while (await page.evaluate(() => innerHeight + scrollY < document.documentElement.scrollHeight - 1)) {
      await page.evaluate(() => window.scrollBy(0, innerHeight / 2));
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor("every row marked", () => page.$$eval(".crec-recording-mark", (b) => b.length), (n) => n === rows);

    // A keyboard user meets each row's mark right after its Start Time, and back.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.focus("tr[data-call-id] td a");
    const focused = async () => {
      const { tag, mark, callId, label } = (await page.evaluate(FOCUSED)) as Focused;
      return { tag, mark, callId, named: label?.startsWith("Play the call's") === true && label.includes(callId ?? "?") };
    };
    const shiftTab = async () => {
      await page.keyboard.down("Shift");
      await page.keyboard.press("Tab");
      await page.keyboard.up("Shift");
    };
    await page.keyboard.press("Tab");
    assert.deepEqual(await focused(), { tag: "button", mark: true, callId: ids[0], named: true }, "Tab from the first Start Time: its row's mark, named");
    await page.keyboard.press("Tab");
    assert.deepEqual(await focused(), { tag: "a", mark: false, callId: ids[1], named: false }, "Tab again: the next row's Start Time");
    await shiftTab();
    assert.deepEqual(await focused(), { tag: "button", mark: true, callId: ids[0], named: true }, "Shift+Tab: back to the first row's mark");
    await shiftTab();
    assert.deepEqual(await focused(), { tag: "a", mark: false, callId: ids[0], named: false }, "Shift+Tab again: the first Start Time");

    // The marks take no room: at 1280 and 800 px, every column is as wide and every row as tall
    // as in a Firefox without the extension, and each mark is drawn beside its row's Start Time.
    const viewport = page.viewport();
    const plain = await puppeteer.launch({ browser: "firefox", executablePath: "/usr/bin/firefox-esr", headless: true });
    try {
      const bare = await plain.newPage();
      await bare.goto(`${server.url}/login`);
      await bare.type("#username", "admin");
      await bare.type("#password", "admin-pass");
      await Promise.all([bare.waitForNavigation({ waitUntil: "domcontentloaded" }), bare.click('button[type="submit"]')]);
      for (const width of [1280, 800]) {
        await page.setViewport({ width, height: 300 });
        await bare.setViewport({ width, height: 300 });
        await bare.goto(page.url());
        const without = (await bare.evaluate(CALL_LIST_LAYOUT)) as CallListLayout;
        assert.equal(without.rows.length, rows);
        const withMarks = await waitFor(`every mark beside its Start Time at ${width} px`, () => page.evaluate(CALL_LIST_LAYOUT) as Promise<CallListLayout>, (l) => l.marked === rows && l.misplaced.length === 0);
        assert.deepEqual(layoutDifferences(withMarks, without), [], `at ${width} px the Call List is laid out as without the extension`);
      }
    } finally {
      await plain.close();
      await page.setViewport(viewport ?? { width: 800, height: 600 });
    }
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  test("a Call List in a scrolling box of the page: its marks follow their rows as the box scrolls, the rows it scrolls to are marked, and no mark shows outside it", async () => {
    const tab = await browser.newPage();
    try {
      await tab.setViewport({ width: 1280, height: 720 });
      await tab.goto(`${server.url}/reports/call-list?hasRecording=1&limit=500`);
      const count = await tab.$$eval("tr[data-call-id]", (rows) => rows.length);
      await checkMarksInScrollingBox((expression) => tab.evaluate(expression), count);
    } finally {
      await tab.close();
    }
  });

  test("a row's Start Time opens the Call Session view; clicking a recording's timeline plays it from that point, in the background", async () => {
    const id = await page.$$eval(".crec-recording-mark", (marks) => (marks as HTMLElement[]).find((m) => Number(m.dataset.recordings) >= 2)?.dataset.callId);
    assert.ok(id, "a call with two recordings or more");
    callId = id;
    await navigate(() => page.click(`tr[data-call-id="${callId}"] td:first-child a`));
    assert.equal(new URL(page.url()).searchParams.get("call"), callId);
    await page.waitForSelector('call-session-recordings[status="ready"]');
    const recordings = await apiRecordings(server.url, callId);
    const bars = await page.$$(BARS);
    assert.equal(bars.length, recordings.length);
    await bars[1]!.scrollIntoView();
    const box = (await bars[1]!.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height / 2);
    const view = await dockedShows("the docked player plays the second recording", (v) => v.recordingId === recordings[1]!.id && v.status === "playing");
    assert.ok(Math.abs(view.time - recordings[1]!.durationSeconds * 0.4) < 3);
    assert.equal(view.background, true);
    assert.equal(view.pageAudio, 0, "the page plays no audio itself");
    assert.equal(view.dockedPlayers, 1, "one docked player: the extension's");
  });

  test("going to another report and back never interrupts the audio", async () => {
    const start = await heard();
    const startedAt = Date.now();
    const startPosition = positionNow(start);
    await navigate(() => page.click('nav a[href="/reports/calls-per-group"]'));
    const there = await dockedShows("the docked player on Calls per Group", (v) => !v.hidden && v.status === "playing", 3000);
    assert.equal(there.index, 1);
    await nothingShouldHappenFor(1500); // the audio must not pause or reload on this page
    // Back (Firefox may restore the page from its back/forward cache, which is no navigation to wait for).
    await page.evaluate(() => history.back());
    await waitFor("back on the Call Session view", async () => page.evaluate(() => location.pathname).catch(() => ""), (path) => path === "/reports/call-session");
    await dockedShows("the docked player back on the Call Session view", (v) => !v.hidden && v.status === "playing", 3000);
    await nothingShouldHappenFor(1000); // nor back on the first
    const end = await heard();
    assert.equal(end.paused, false);
    assert.equal(end.cue, start.cue, "never reloaded");
    const moved = positionNow(end) - startPosition;
    const elapsed = (Date.now() - startedAt) / 1000;
    assert.ok(Math.abs(moved - elapsed) < 1.5, `moved ${moved} s in ${elapsed} s`);
  });

  test("a page script that posts forged messages gets nothing", async () => {
    const before = await heard();
    const result = (await page.evaluate(FORGE_MESSAGES)) as ForgeResult;
    assert.deepEqual(result.heard, []);
    assert.equal(result.runtime, "absent");
    const after = await heard();
    assert.equal(after.paused, false);
    assert.equal(after.cue, before.cue);
    assert.equal(after.callId, callId);
  });

  test("a refused (expired) audio link is renewed from the reporting server and playback carries on from the same point", async () => {
    await page.evaluate(PLAY_FORGED_LINK);
    const view = await dockedShows("playing the first recording again", (v) => v.index === 0 && v.status === "playing" && v.time > 5.2, 20_000);
    assert.ok(view.time < 9, `carried on from 5 s: ${view.time}`);
  });

  test("the docked player's download button saves the recording under its readable name, byte for byte", async () => {
    const view = (await docked())!;
    const recording = (await apiRecordings(server.url, callId)).find((r) => r.id === view.recordingId)!;
    await page.click('recording-player[docked] >>> [part="download-button"]');
    const expected = await recordingBytes(recording.downloadUrl);
    await waitFor(
      "the download, complete",
      async () => readdirSync(downloads),
      (names) => names.includes(recording.fileName) && !names.some((n) => n.endsWith(".part")) && readFileSync(join(downloads, recording.fileName)).length === expected.length,
    );
    assert.deepEqual(readFileSync(join(downloads, recording.fileName)), expected);
  });

  test("pausing and resuming from the docked player continues at the same position", async () => {
    await page.click('recording-player[docked] >>> [part="play-button"]');
    await dockedShows("paused", (v) => v.paused && v.status === "ready");
    // Settled (the audio's own last report may move it by a fraction of a second), it holds.
    let last = Number.NaN;
    const paused = await waitFor("the paused position settled", async () => (await docked())!, (v) => {
      const settled = v.time === last;
      last = v.time;
      return settled;
    });
    await nothingShouldHappenFor(1500); // a paused position must not move
    assert.ok(Math.abs((await docked())!.time - paused.time) < 0.05, "the position holds while paused");
    await page.click('recording-player[docked] >>> [part="play-button"]');
    const resumed = await dockedShows("playing again", (v) => v.status === "playing" && v.time > paused.time + 0.3);
    assert.ok(resumed.time < paused.time + 3);
  });

  test("the volume and speed chosen in the docked player stay as chosen on the next page, paused or playing", async () => {
    const settings = () =>
      page.evaluate(`(() => {
        const player = document.querySelector("recording-player[docked]");
        return { volume: player.volume, rate: player.playbackRate, paused: player.paused };
      })()`) as Promise<{ volume: number; rate: number; paused: boolean }>;
    const go = (url: string) => goByAddress(page, url);
    const session = `${server.url}/reports/call-session?call=${encodeURIComponent(callId)}`;
    await go(session);
    await dockedShows("the docked player on the Call Session view", (v) => !v.hidden);
    for (const [volume, rate, paused] of [
      [0.3, 1.5, true],
      [0.6, 1.25, false],
    ] as const) {
      await page.evaluate(`(() => {
        const player = document.querySelector("recording-player[docked]");
        player.volume = ${volume};
        player.playbackRate = ${rate};
        if (${paused}) player.pause(); else void player.play();
      })()`);
      await waitFor("the background took the settings", async () => ({ ...(await settings()), heardRate: (await heard()).rate }), (s) => s.heardRate === rate && s.volume === volume && s.paused === paused);
      await go(`${server.url}/reports/calls-per-group`);
      await dockedShows("the docked player on the next page", (v) => !v.hidden && v.paused === paused);
      await nothingShouldHappenFor(1000); // the new page must not apply settings of its own
      assert.deepEqual({ ...(await settings()), heardRate: (await heard()).rate }, { volume, rate, paused, heardRate: rate });
      await go(session);
      await dockedShows("the docked player back", (v) => !v.hidden);
    }
    await page.evaluate(`(() => {
      const player = document.querySelector("recording-player[docked]");
      player.volume = 1;
      player.playbackRate = 1;
    })()`);
  });

  test("people taking turns at the browser: signing out stops the call, and the next person finds nothing of it", async () => {
    const [shared, other] = await callsWithRecordings(server.url, "grace");
    const go = (url: string) => goByAddress(page, url);
    const signIn = async (user: string) => {
      await go(`${server.url}/login`);
      await page.type("#username", user);
      await page.type("#password", `${user}-pass`);
      await navigate(() => page.click('button[type="submit"]'));
      assert.notEqual(new URL(page.url()).pathname, "/login", `${user} signed in`);
    };
    const signOut = async () => {
      await page.goto(`${server.url}/reports/call-list`);
      // Whoever is signed in (if anyone: the sign-in page is where the site sends nobody).
      if (new URL(page.url()).pathname !== "/login") await navigate(() => page.click('form.signout button[type="submit"]'));
      assert.equal(new URL(page.url()).pathname, "/login");
    };
    // Another call than the one Grace leaves paused below, so that its position is left alone.
    const playSomething = async () => {
      await go(`${server.url}/reports/call-session?call=${encodeURIComponent(other!)}`);
      await page.waitForSelector('call-session-recordings[status="ready"]');
      await page.click(BARS);
      await dockedShows("the docked player plays", (v) => !v.hidden && v.status === "playing" && v.time > 0.3);
    };
    /** A page loaded after the background forgot the call shows no docked player. */
    const nothingLeft = async (where: string) => {
      await nothingShouldHappenFor(1000); // no docked player may come
      const view = await docked();
      assert.ok(view === null || view.hidden, `${where}: no docked player (${JSON.stringify(view)})`);
    };

    /** Plays a call's first recording with its list's Play button: where the player starts. */
    const playFromList = async (id: string) => {
      await go(`${server.url}/reports/call-session?call=${encodeURIComponent(id)}`);
      await page.waitForSelector('call-session-recordings[status="ready"]');
      await page.click('call-session-recordings >>> [part~="list-row"] [part="play-button"]');
      return dockedShows("playing from the list", (v) => !v.hidden && v.status === "playing" && v.index === 0);
    };

    // Grace leaves a recording paused a minute in, and signs out: the sign-in page is silent.
    await signOut();
    await signIn("grace");
    await go(`${server.url}/reports/call-session?call=${encodeURIComponent(shared!)}`);
    await page.waitForSelector('call-session-recordings[status="ready"]');
    await page.evaluate(`(() => { document.querySelector("call-session-recordings").playRecording(0, 60); return true; })()`);
    await dockedShows("grace plays from a minute in", (v) => !v.hidden && v.status === "playing" && v.time > 60.3);
    await page.click('recording-player[docked] >>> [part="play-button"]');
    const left = await dockedShows("grace paused", (v) => v.paused);
    await signOut();
    await nothingLeft("the sign-in page");

    // The administrator may play the same call: from the beginning, nothing of Grace's.
    await signIn("admin");
    const fresh = await playFromList(shared!);
    assert.ok(fresh.time < 5, `admin starts at ${fresh.time} s, not where grace left it (${left.time} s)`);
    await page.click('recording-player[docked] >>> [part="play-button"]');
    await signOut();

    await signIn("ivan");
    for (const path of ["/reports/call-list", "/reports/calls-per-group"]) {
      await go(`${server.url}${path}`);
      await nothingLeft(`ivan on ${path}`);
    }
    await signOut();

    // Someone else signs in over a session left playing: the first page after it stops the call.
    await signIn("grace");
    await playSomething();
    const status = await page.evaluate(async () => (await fetch("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "ivan", password: "ivan-pass" }) })).status);
    assert.equal(status, 200);
    await go(`${server.url}/reports/call-list`);
    await nothingLeft("after ivan signed in over grace's session");
    await go(`${server.url}/reports/calls-per-group`);
    await nothingLeft("the next page too");

    // Grace again: her own recording continues where she left it.
    await signOut();
    await signIn("grace");
    const again = await playFromList(shared!);
    assert.ok(Math.abs(again.time - left.time) < 3, `grace continues at ${again.time} s, left at ${left.time} s`);
    // Nobody is left signed in, and nothing plays, for the tests after this one.
    await signOut();
  });

  test("the docked player links to the call's Call Session view, and its close button stops the background playback", async () => {
    const tab = await browser.newPage();
    try {
      const go = (url: string) => goByAddress(tab, url);
      await tab.goto(`${server.url}/login`);
      // Someone still signed in is sent on from the sign-in page: sign them out first.
      if (new URL(tab.url()).pathname !== "/login") {
        await Promise.all([tab.waitForNavigation({ waitUntil: "domcontentloaded" }), tab.click('form.signout button[type="submit"]')]);
      }
      await tab.type("#username", "admin");
      await tab.type("#password", "admin-pass");
      await Promise.all([tab.waitForNavigation({ waitUntil: "domcontentloaded" }), tab.click('button[type="submit"]')]);
      assert.notEqual(new URL(tab.url()).pathname, "/login", "admin signed in");

      const [id] = await callsWithRecordings(server.url);
      const sessionUrl = `${server.url}/reports/call-session?call=${encodeURIComponent(id!)}`;
      await go(sessionUrl);
      await tab.waitForSelector('call-session-recordings[status="ready"]');
      await tab.click(BARS);
      const inTab = (what: string, ok: (view: DockedView) => boolean) =>
        waitFor(what, () => tab.evaluate(readDocked), (view): view is DockedView => view !== null && ok(view)) as Promise<DockedView>;
      await inTab("the docked player plays", (v) => !v.hidden && v.status === "playing" && v.time > 0.3);
      const background = () =>
        tab.evaluate(() => {
          const player = document.querySelector("recording-player[docked]") as (HTMLElement & { engine: { playback?: { paused: boolean; session: { callId: string; sessionUrl: string } | null } | null } }) | null;
          const playback = player?.engine.playback;
          return playback ? { paused: playback.paused, callId: playback.session?.callId ?? null, sessionUrl: playback.session?.sessionUrl ?? null } : null;
        });
      assert.deepEqual(await background(), { paused: false, callId: id, sessionUrl });

      // Its link leads to the playing call's Call Session view.
      const link = await tab.$eval('recording-player[docked] >>> [part="call-link"]', (a) => ({ href: a.getAttribute("href"), label: a.getAttribute("aria-label") }));
      assert.deepEqual(link, { href: sessionUrl, label: "Open the call" });

      // Closed: the background's playback stops and is forgotten, as "Stop and close" in the popup does.
      assert.equal(await tab.$eval('recording-player[docked] >>> [part="close-button"]', (b) => b.getAttribute("aria-label")), "Close player");
      await tab.click('recording-player[docked] >>> [part="close-button"]');
      await waitFor("the background stopped and forgot the call", background, (b) => b === null || (b.callId === null && b.paused));
      await inTab("the docked player is put away", (v) => v.hidden);

      // Played again on the same page: the docked player is back, with its link; closed again, it stays away on the next page.
      await tab.click(BARS);
      await inTab("the docked player is back, playing", (v) => !v.hidden && v.status === "playing" && v.time > 0.3);
      assert.equal(await tab.$eval('recording-player[docked] >>> [part="call-link"]', (a) => a.getAttribute("href")), sessionUrl);
      await tab.click('recording-player[docked] >>> [part="close-button"]');
      await waitFor("stopped again", background, (b) => b === null || (b.callId === null && b.paused));
      // The next page asks the background afresh: nothing plays, no docked player.
      await go(`${server.url}/reports/calls-per-group`);
      await nothingShouldHappenFor(1000); // no docked player may come
      const view = await tab.evaluate(readDocked);
      assert.ok(view === null || view.hidden, `no docked player on the next page (${JSON.stringify(view)})`);
      assert.equal((await background())?.callId ?? null, null);
    } finally {
      await tab.close();
    }
  });
});
