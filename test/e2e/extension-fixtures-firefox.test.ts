/**
 * The built extension in Firefox ESR on the FusionPBX-shaped fixture interface (test/fixtures),
 * whose pages play recordings with their own inline `<audio>`: the page's own play button puts
 * the recording into Firefox's background page, the page stays silent, its pause button pauses,
 * it plays on through the details page and the dashboard, and the download keeps the site's
 * file name. The same story as extension-fixtures-chromium.test.ts, in the other engine.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-fixtures-firefox.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { FIREFOX_EXTENSION_ID } from "../../extension/manifest.js";
import { FIXTURE_USER, FUSION_CALLS } from "../fixtures/data.js";
import { startFixtureServers, type FixtureServers } from "../fixtures/server.js";
import { builtExtension, enableOrigin, FIREFOX_EXTENSION_ARGS, FIREFOX_EXTENSION_PREFS, openFirefoxOptions, readDocked, waitFor, type DockedView } from "../extension/e2e-support.js";

/** The background's playback as the page's docked player last heard it. */
const readHeard = () => {
  type Heard = { paused: boolean; cue: number; position: number; session: { callTitle: string; recordings: { src: string; downloadUrl?: string }[] } | null };
  const player = document.querySelector("recording-player[docked]") as (HTMLElement & { engine: { playback?: Heard | null } }) | null;
  const p = player?.engine.playback;
  return p ? { paused: p.paused, cue: p.cue, position: p.position, title: p.session?.callTitle ?? null, src: p.session?.recordings[0]?.src ?? null, downloadUrl: p.session?.recordings[0]?.downloadUrl ?? null } : null;
};
type Heard = NonNullable<ReturnType<typeof readHeard>>;

describe("the extension in Firefox on a FusionPBX-shaped reporting interface", { timeout: 180_000 }, () => {
  let servers: FixtureServers;
  let browser: Browser;
  let page: Page;
  let downloads: string;
  const call = FUSION_CALLS.find((c) => c.audio)!;

  const docked = () => page.evaluate(readDocked);
  const dockedShows = (what: string, ok: (view: DockedView) => boolean, timeoutMs?: number) =>
    waitFor(what, docked, (view): view is DockedView => view !== null && ok(view), timeoutMs) as Promise<DockedView>;
  const heard = (what: string, ok: (h: Heard) => boolean) => waitFor(what, () => page.evaluate(readHeard), (h): h is Heard => h !== null && ok(h)) as Promise<Heard>;
  const pageAudio = (uuid: string) =>
    page.evaluate((id) => {
      const audio = document.getElementById(`recording_audio_${id}`) as HTMLAudioElement | null;
      return audio && { paused: audio.paused, muted: audio.muted, time: audio.currentTime };
    }, uuid);
  const navigate = (action: () => Promise<unknown>) => Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), action()]);

  before(async () => {
    const dir = builtExtension("firefox");
    servers = await startFixtureServers({ fusionpbxPort: 0, freepbxPort: 0, host: "localhost" });
    downloads = mkdtempSync(join(tmpdir(), "crec-ff-fixture-downloads-"));
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: "/usr/bin/firefox-esr",
      headless: true,
      args: FIREFOX_EXTENSION_ARGS,
      extraPrefsFirefox: {
        ...FIREFOX_EXTENSION_PREFS,
        "media.cubeb.force_mock_context": true,
        "media.autoplay.default": 0,
        "browser.download.dir": downloads,
        "browser.download.folderList": 2,
        "browser.download.useDownloadDir": true,
        "browser.download.always_ask_before_handling_new_types": false,
      },
    });
    assert.equal(await browser.installExtension(dir), FIREFOX_EXTENSION_ID);
    // The fixture servers are on free ports: enabled as the options page's Add does.
    const options = await browser.newPage();
    await openFirefoxOptions(options);
    for (const origin of [servers.fusionpbx.origin, servers.freepbx.origin]) await enableOrigin(options, origin);
    await options.close();
    page = await browser.newPage();
    page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${String(error)}`));
    await page.goto(servers.fusionpbx.loginUrl);
    await page.type("#username", FIXTURE_USER.username);
    await page.type("input[name=password]", FIXTURE_USER.password);
    await navigate(() => page.click("#btn_login"));
    assert.equal(new URL(page.url()).pathname, "/core/dashboard/");
  });

  after(async () => {
    await browser?.close();
    await servers?.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  test("the page's own play button plays the recording in the background, with the page silent", async () => {
    await page.goto(servers.fusionpbx.callListUrl);
    await page.click(`#recording_button_${call.uuid}`);
    const view = await dockedShows("the docked player playing the row's recording", (v) => !v.hidden && v.status === "playing" && v.time > 0.5);
    assert.equal(view.background, true);
    const h = await heard("the background's session", () => true);
    assert.equal(h.src, `${servers.fusionpbx.origin}/app/xml_cdr/download.php?id=${call.uuid}&t=record`);
    assert.match(h.title ?? "", new RegExp(call.callerIdName));
    const own = await pageAudio(call.uuid);
    assert.ok(own && own.muted, `the page's element is silent: ${JSON.stringify(own)}`);
  });

  test("the page's own pause button pauses it, and its play button resumes at the same point", async () => {
    await page.click(`#recording_button_${call.uuid}`);
    const paused = await heard("paused in the background", (h) => h.paused);
    await new Promise((r) => setTimeout(r, 500));
    await page.click(`#recording_button_${call.uuid}`);
    const resumed = await heard("playing again", (h) => !h.paused);
    assert.ok(Math.abs(resumed.position - paused.position) < 1, `resumed at ${resumed.position} s, paused at ${paused.position} s`);
    await dockedShows("the docked player playing", (v) => v.status === "playing" && v.time > paused.position);
  });

  test("clicking through to the call's details and on to the dashboard, it plays on with no gap", async () => {
    const first = await heard("playing", (h) => !h.paused);
    await navigate(() => page.click(`tr.list-row[href*='${call.uuid}'] td.no-wrap a[href*='xml_cdr_details']`));
    const onDetails = await dockedShows("the docked player on the details page", (v) => !v.hidden && v.status === "playing");
    const second = await heard("still playing", () => true);
    await navigate(() => page.click("a.navbar-brand"));
    const onDashboard = await dockedShows("the docked player on the dashboard", (v) => !v.hidden && v.status === "playing");
    const third = await heard("still playing", () => true);
    for (const h of [second, third]) assert.ok(!h.paused && h.cue === first.cue, `never paused, never reloaded: ${JSON.stringify(h)}`);
    assert.ok(onDashboard.time > onDetails.time, "it went on");
  });

  test("the docked player's download saves the file under the name the site gives it, byte for byte", async () => {
    await page.click('recording-player[docked] >>> [part="download-button"]');
    const name = `${call.uuid}.wav`;
    const cookies = (await page.cookies(servers.fusionpbx.origin)).map((c) => `${c.name}=${c.value}`).join("; ");
    const expected = Buffer.from(await (await fetch(`${servers.fusionpbx.origin}/app/xml_cdr/download.php?id=${call.uuid}&t=bin`, { headers: { cookie: cookies } })).arrayBuffer());
    await waitFor(
      "the download, complete",
      async () => readdirSync(downloads),
      (names) => names.includes(name) && !names.some((n) => n.endsWith(".part")) && readFileSync(join(downloads, name)).length === expected.length,
    );
    assert.deepEqual(readFileSync(join(downloads, name)), expected);
  });
});
