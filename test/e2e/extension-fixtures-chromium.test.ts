/**
 * The built extension in real Chromium on reporting interfaces it was not built with: the
 * FusionPBX-shaped fixture (test/fixtures), whose pages play recordings with their own inline
 * `<audio>` and scripts. The page's own play button puts the recording into the background
 * player, the page stays silent, its pause button pauses, the recording plays on through the
 * call's details page and the dashboard, and the download keeps the site's file name.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-fixtures-chromium.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { PlaybackState } from "../../src/extension/background-playback-state.js";
import { FIXTURE_USER, FREEPBX_CALLS, FUSION_CALLS } from "../fixtures/data.js";
import { HOMEGROWN_CALLS, HOMEGROWN_PROFILE, startHomegrownSite } from "../fixtures/homegrown.js";
import { startFixtureServers, type FixtureServers } from "../fixtures/server.js";
import { enableOrigin, launchChromiumWithExtension, readDocked, waitFor, type ChromiumWithExtension, type DockedView } from "../extension/e2e-support.js";
import { nothingShouldHappenFor } from "../support/until.js";

type WithChrome = {
  chrome: {
    storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
    runtime: { getContexts(filter: { contextTypes: string[] }): Promise<unknown[]> };
  };
};

describe("the extension in Chromium on FusionPBX- and FreePBX-shaped reporting interfaces", { timeout: 180_000 }, () => {
  let servers: FixtureServers;
  let context: BrowserContext;
  let page: Page;
  let extension: Page;
  let chromiumRun: ChromiumWithExtension;
  let downloads: string;
  const recorded = FUSION_CALLS.filter((c) => c.audio);
  const call = recorded[0]!;

  const docked = () => page.evaluate(readDocked);
  const playback = async (): Promise<PlaybackState> =>
    (await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.storage.local.get("playback"))).playback as PlaybackState;
  const dockedShows = (what: string, ok: (view: DockedView) => boolean, timeoutMs?: number) =>
    waitFor(what, docked, (view): view is DockedView => view !== null && ok(view), timeoutMs) as Promise<DockedView>;
  /** The page's own element for the call: whether it plays, and whether it is heard. */
  const pageAudio = (uuid: string) =>
    page.evaluate((id) => {
      const audio = document.getElementById(`recording_audio_${id}`) as HTMLAudioElement | null;
      return audio && { paused: audio.paused, muted: audio.muted, volume: audio.volume, time: audio.currentTime };
    }, uuid);

  before(async () => {
    downloads = mkdtempSync(join(tmpdir(), "crec-downloads-"));
    servers = await startFixtureServers({ fusionpbxPort: 0, freepbxPort: 0, host: "localhost" });
    chromiumRun = await launchChromiumWithExtension({ name: "fixtures", downloads, args: ["--autoplay-policy=no-user-gesture-required"] });
    ({ context, page, options: extension } = chromiumRun);
    // The fixture servers are on free ports. FusionPBX's is added as the README says, with the
    // options page's form (its host is a loopback one: no browser prompt); FreePBX's as the form does.
    await extension.fill("#origin", servers.fusionpbx.origin);
    await extension.locator('#add button[type="submit"]').click();
    await extension.locator(`#sites > li[data-site="${servers.fusionpbx.origin}"]`).waitFor();
    assert.equal((await extension.locator("#problem").textContent())?.trim() ?? "", "", "added without a problem");
    await enableOrigin(extension, servers.freepbx.origin);
    // Signs in to the fixture FusionPBX.
    await page.goto(servers.fusionpbx.loginUrl);
    await page.fill("#username", FIXTURE_USER.username);
    await page.fill("input[name=password]", FIXTURE_USER.password);
    await Promise.all([page.waitForURL((url) => url.pathname === "/core/dashboard/"), page.click("#btn_login")]);
  });

  after(async () => {
    await chromiumRun?.close();
    await servers?.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  test("the page's own play button plays the recording in the docked player, from the page's position, with the page silent", async () => {
    const offscreen = () => extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] }).then((c) => c.length));
    assert.equal(await offscreen(), 0, "nothing has played yet");
    await page.goto(servers.fusionpbx.callListUrl);
    // A page with players of its own has the background's audio document opened before any click.
    await waitFor("the audio document ready", offscreen, (n) => n === 1);
    await page.click(`#recording_button_${call.uuid}`);
    const view = await dockedShows("the docked player playing the row's recording", (v) => !v.hidden && v.status === "playing" && v.time > 0.5);
    assert.equal(view.background, true, "the extension's background playback");
    const state = await playback();
    assert.equal(state.session?.recordings[0]?.src, `${servers.fusionpbx.origin}/app/xml_cdr/download.php?id=${call.uuid}&t=record`);
    assert.equal(state.session?.recordings[0]?.downloadUrl, `${servers.fusionpbx.origin}/app/xml_cdr/download.php?id=${call.uuid}&t=bin`);
    assert.match(state.session?.callTitle ?? "", new RegExp(call.callerIdName));
    const own = await pageAudio(call.uuid);
    assert.ok(own && own.muted, `the page's element is silent: ${JSON.stringify(own)}`);
    // The page's own progress keeps following the recording, and matches the background's.
    assert.ok(Math.abs(own.time - view.time) < 1.5, `page ${own.time} s, docked ${view.time} s`);
  });

  test("the page's own pause button pauses it, and its play button resumes at the same point", async () => {
    await page.click(`#recording_button_${call.uuid}`);
    const paused = await waitFor("paused in the background", playback, (s) => s.paused);
    await dockedShows("the docked player paused", (v) => v.paused);
    await nothingShouldHappenFor(500); // a paused playback must not move on
    await page.click(`#recording_button_${call.uuid}`);
    const resumed = await waitFor("playing again", playback, (s) => !s.paused && s.hasMetadata);
    assert.ok(Math.abs(resumed.position - paused.position) < 1, `resumed at ${resumed.position} s, paused at ${paused.position} s`);
    await dockedShows("the docked player playing", (v) => v.status === "playing");
  });

  test("a click on the page's own progress bar seeks the background playback there", async () => {
    const bar = page.locator(`#recording_progress_bar_${call.uuid}`);
    const box = (await bar.boundingBox())!;
    await bar.click({ position: { x: box.width / 2, y: box.height / 2 } });
    const sought = await waitFor("the background at the middle", playback, (s) => s.duration !== null && Math.abs(s.position - s.duration / 2) < 3);
    assert.equal(sought.paused, false, "still playing");
    await dockedShows("the docked player there too", (v) => Math.abs(v.time - sought.duration! / 2) < 4);
  });

  test("what is done in the docked player is done to the page's own player too, so its buttons stay true", async () => {
    await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { pause(): void }).pause());
    await waitFor("the page's element paused with it", () => pageAudio(call.uuid), (a) => a !== null && a.paused);
    await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { play(): Promise<void> }).play());
    await waitFor("the page's element playing with it", () => pageAudio(call.uuid), (a) => a !== null && !a.paused && a.muted);
    await waitFor("the background playing", playback, (s) => !s.paused);
  });

  test("clicking through to the call's details and on to the dashboard, it plays on with no gap", async () => {
    const before = await playback();
    const samples: { paused: boolean; cue: number; position: number }[] = [];
    const sample = async () => {
      const s = await playback();
      samples.push({ paused: s.paused, cue: s.cue, position: s.position });
    };
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith("xml_cdr_details.php")), page.click(`tr.list-row[href*='${call.uuid}'] td.no-wrap a[href*='xml_cdr_details']`)]);
    await sample();
    await dockedShows("the docked player on the details page", (v) => !v.hidden && v.status === "playing");
    await sample();
    await Promise.all([page.waitForURL((url) => url.pathname === "/core/dashboard/"), page.click("a.navbar-brand")]);
    await sample();
    const view = await dockedShows("the docked player on the dashboard", (v) => !v.hidden && v.status === "playing");
    await sample();
    assert.ok(samples.every((s) => !s.paused && s.cue === before.cue), `never paused, never reloaded: ${JSON.stringify(samples)}`);
    assert.ok(view.time > before.position, "it went on");
  });

  test("the docked player's download saves the file under the name the site gives it, byte for byte", async () => {
    await page.locator('recording-player[docked] [part="download-button"]').click();
    const name = `${call.uuid}.wav`;
    const cookies = (await context.cookies(servers.fusionpbx.origin)).map((c) => `${c.name}=${c.value}`).join("; ");
    const expected = Buffer.from(await (await fetch(`${servers.fusionpbx.origin}/app/xml_cdr/download.php?id=${call.uuid}&t=bin`, { headers: { cookie: cookies } })).arrayBuffer());
    await waitFor(
      "the download, complete",
      async () => readdirSync(downloads),
      (names) => names.includes(name) && !names.some((n) => n.endsWith(".crdownload")) && readFileSync(join(downloads, name)).length === expected.length,
    );
    assert.deepEqual(readFileSync(join(downloads, name)), expected);
  });

  test("on FreePBX's CDR report, the page's jPlayer is carried the same way, named from its row, and its own pause button pauses it", async () => {
    await page.goto(servers.freepbx.callListUrl);
    await page.fill("#login_username", FIXTURE_USER.username);
    await page.fill("#login_password", FIXTURE_USER.password);
    await Promise.all([page.waitForLoadState("domcontentloaded"), page.click("#login_admin")]);
    await page.locator("#cdr_table tr.record").first().waitFor();
    const call = FREEPBX_CALLS.find((c) => c.recordingfile)!;
    const row = page.locator(`#cdr_table tr.record:has(a[onclick*="'${call.uniqueid}'"])`);
    const playerId = await row.evaluate((tr) => tr.nextElementSibling!.id.replace("playback-", ""));
    await row.locator("a[onclick*='cdr_play']").click();
    const view = await dockedShows("the docked player playing the FreePBX recording", (v) => !v.hidden && v.status === "playing" && v.time > 0.5);
    assert.equal(view.background, true);
    const state = await playback();
    const recording = state.session!.recordings[0]!;
    assert.match(recording.src, /\/admin\/ajax\.php\?module=cdr&command=playback&file=/);
    assert.equal(recording.downloadUrl, `${servers.freepbx.origin}/admin/config.php?display=cdr&action=download_audio&cdr_file=${encodeURIComponent(call.uniqueid)}`);
    assert.equal(state.session!.callId, call.uniqueid, "the call id read from the row");
    assert.match(state.session!.callTitle, new RegExp(call.cnum), "named from the row's fields");
    // jPlayer sets its element's volume as it starts; the extension mutes it again at once.
    await waitFor(
      "the page's jPlayer silent",
      () => page.evaluate((id) => document.querySelector<HTMLAudioElement>(`#jquery_jplayer_${id} audio`)?.muted ?? false, playerId),
      (muted) => muted,
    );
    await page.click(`#jp_container_${playerId} .jp-play`);
    await waitFor("paused by the page's own button", playback, (s) => s.paused);
    await dockedShows("the docked player paused", (v) => v.paused);
  });

  test("on FreePBX's CDR report, a mark placed before the row's icons arrive moves after its play link once they do, though the table keeps its size", async () => {
    // The module's icons (missing from this fixture) held back until the marks are placed, then
    // served, each 40 px wide and shorter than a line: they widen their links inside a table of
    // fixed width, which changes no size the marks watch.
    const ICONS = "**/assets/cdr/images/*";
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(ICONS, async (route) => {
      await held;
      await route.fulfill({ status: 200, contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="8"><rect width="40" height="8" fill="#1c5d99"/></svg>' });
    });
    try {
      await page.goto(servers.freepbx.callListUrl, { waitUntil: "domcontentloaded" });
      if ((await page.locator("#login_username").count()) > 0) {
        await page.fill("#login_username", FIXTURE_USER.username);
        await page.fill("#login_password", FIXTURE_USER.password);
        await Promise.all([page.waitForLoadState("domcontentloaded"), page.click("#login_admin")]);
      }
      const call = FREEPBX_CALLS.find((c) => c.recordingfile)!;
      await page.locator(`.crec-recording-mark[data-call-id="${call.uniqueid}"]`).waitFor();
      /** From the end of the row's play link to its mark, in px, and the table's size. */
      const read = () =>
        page.evaluate((uid) => {
          const link = document.querySelector(`#cdr_table tr.record a[onclick*="'${uid}'"]`)!.getBoundingClientRect();
          const mark = document.querySelector(`.crec-recording-mark[data-call-id="${CSS.escape(uid)}"]`)!.getBoundingClientRect();
          const table = document.querySelector("#cdr_table")!.getBoundingClientRect();
          return { gap: mark.left - link.right, table: `${table.width}x${table.height}`, icons: [...document.images].filter((img) => !img.complete).length };
        }, call.uniqueid);
      const before = await read();
      assert.ok(before.icons > 0, "the icons are still on their way");
      assert.ok(before.gap >= 0, `the mark after the play link while its icon loads (gap ${before.gap} px)`);
      release();
      const after = await waitFor("the icons loaded", read, (r) => r.icons === 0);
      assert.equal(after.table, before.table, "the table keeps its size (nothing but the icons tells the marks to move)");
      await waitFor("the mark after the widened play link", read, (r) => r.gap >= 0 && r.gap < 10);
    } finally {
      release();
      await page.unroute(ICONS);
    }
  });

  test("with carrying turned off for a site, its page plays its own recording as it would without the extension", async () => {
    // Turned off in the options page.
    await extension.reload();
    const item = extension.locator(`#sites > li[data-site="${servers.fusionpbx.origin}"]`);
    await item.locator('[data-field="carry"]').uncheck();
    await item.locator('[data-action="save"]').click();
    await waitFor("saved", () => item.locator('[data-field="status"]').textContent(), (t) => /saved/i.test(t ?? ""));
    try {
      const before = await playback();
      await page.goto(servers.fusionpbx.callListUrl);
      const other = recorded[1]!;
      await page.click(`#recording_button_${other.uuid}`);
      const own = await waitFor("the page's own element playing", () => pageAudio(other.uuid), (a) => a !== null && !a.paused && a.time > 0.5);
      assert.equal(own!.muted, false, "heard from the page itself");
      const after = await playback();
      assert.equal(after?.session?.callId, before?.session?.callId, "the background was not given the page's recording");
      assert.ok(!after?.session?.recordings.some((r) => r.src.includes(other.uuid)));
    } finally {
      await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.storage.local.set({ sites: {} }));
    }
  });

  test("a custom profile pasted in the options page makes a made-up interface work; a broken one shows its problems and changes nothing", async () => {
    const site = await startHomegrownSite("localhost");
    await enableOrigin(extension, site.origin);
    const marks = () => page.locator(".crec-recording-mark").count();
    const stored = async () => ((await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.storage.local.get("sites"))).sites ?? {}) as Record<string, unknown>;
    try {
      // Without a profile, the made-up page gets nothing.
      await page.goto(`${site.origin}/cdr`);
      await nothingShouldHappenFor(500); // no marks may come
      assert.equal(await marks(), 0);

      await extension.reload();
      const item = extension.locator(`#sites > li[data-site="${site.origin}"]`);
      await item.locator('[data-field="profile"]').selectOption("custom");
      // Broken: no rows selector, a call id pattern that is not a regular expression.
      const broken = JSON.parse(HOMEGROWN_PROFILE) as { callList: Record<string, unknown> };
      delete broken.callList.rowSelector;
      broken.callList.callId = { attribute: "data-ref", pattern: "(" };
      await item.locator('[data-field="custom-json"]').fill(JSON.stringify(broken, null, 2));
      await item.locator('[data-action="save"]').click();
      const problems = item.locator('[data-field="problems"] li');
      await problems.first().waitFor();
      const listed = await problems.allTextContents();
      assert.ok(listed.some((p) => p.startsWith("profile.callList.rowSelector") || p.startsWith("callList.rowSelector")), listed.join("\n"));
      assert.ok(listed.some((p) => p.includes("callList.callId.pattern")), listed.join("\n"));
      assert.deepEqual(await stored(), {}, "nothing saved");
      await page.goto(`${site.origin}/cdr`);
      await nothingShouldHappenFor(500); // no marks may come
      assert.equal(await marks(), 0, "the page is as it was");

      // Pasted whole and saved, the profile works on the next page load.
      await item.locator('[data-field="custom-json"]').fill(HOMEGROWN_PROFILE);
      await item.locator('[data-action="save"]').click();
      await waitFor("saved", () => item.locator('[data-field="status"]').textContent(), (t) => /saved/i.test(t ?? ""));
      assert.equal(await problems.count(), 0);
      await page.goto(`${site.origin}/cdr`);
      await waitFor("a mark on every row", marks, (n) => n === HOMEGROWN_CALLS.length);
      const call = HOMEGROWN_CALLS[1]!;
      await page.locator(`.crec-recording-mark[data-call-id="${call.ref}"]`).click();
      await dockedShows("the docked player playing the made-up site's recording", (v) => !v.hidden && v.status === "playing" && v.time > 0.3);
      const state = await playback();
      assert.equal(state.session?.recordings[0]?.src, `${site.origin}/media/${call.ref}.wav`);
      assert.equal(state.session?.callTitle, `${call.caller} · ${call.number}`, "named from the profile's fields");
    } finally {
      await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.storage.local.set({ sites: {} }));
      await page.goto("about:blank");
      await site.close();
    }
  });

  test("signing out through the site's own Logout link stops the call and forgets it", async () => {
    await page.goto(servers.fusionpbx.callListUrl);
    await page.click(`#recording_button_${call.uuid}`);
    await dockedShows("playing", (v) => !v.hidden && v.status === "playing");
    await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.click("a[href='/logout.php']")]);
    await waitFor("the background's call gone", playback, (s) => s.session === null);
    assert.equal(await page.evaluate(() => document.querySelector("recording-player[docked]:not([hidden])")), null, "no docked player on the sign-in page");
  });
});
