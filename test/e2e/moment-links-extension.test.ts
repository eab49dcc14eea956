/**
 * Issue 16, point 4, with the extension (Chromium and Firefox): a link to a moment of the
 * reference Call Session view (`?call=ID&recording=RID&t=90`) plays in the background from 1:30,
 * after signing in first too; the docked player's *Copy link to this moment* links to the
 * playing call's view at its moment, and that link, opened on another page, plays from there.
 *
 *   npm run build && node --import tsx --test test/e2e/moment-links-extension.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { enableOrigin, enableOriginsInFirefox, launchChromiumWithExtension, launchFirefoxWithExtension, readDocked, waitFor, type DockedView } from "../extension/e2e-support.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { Client, startServer, type RunningServer } from "../support/server.js";

let server: RunningServer;
let second: string;
let link: string;

before(async () => {
  server = await startServer({ dataset: fixtureDataset() });
  const admin = new Client(server.url);
  await admin.signIn("admin");
  const { body } = await admin.json<{ recordings: { id: string }[] }>("/api/calls/c-transfer");
  second = body.recordings[1]!.id;
  link = `${server.url}/reports/call-session?call=c-transfer&recording=${encodeURIComponent(second)}&t=90`;
});

after(() => server?.close());

/** Playing the call's second recording in the background, between `from` and `to` seconds, in the one docked player. */
const playsBetween = (from: number, to: number) => (v: DockedView | null) =>
  v !== null && v.background && !v.hidden && v.index === 1 && v.status === "playing" && v.time >= from && v.time < to && v.pageAudio === 0 && v.dockedPlayers === 1;

/** The link the docked player copies, checked: the call's view at `from`..`to` seconds of the second recording. */
function checkCopied(copied: string, from: number, to: number): number {
  const url = new URL(copied);
  assert.equal(`${url.origin}${url.pathname}`, `${server.url}/reports/call-session`);
  assert.equal(url.searchParams.get("call"), "c-transfer");
  assert.equal(url.searchParams.get("recording"), second);
  const t = Number(url.searchParams.get("t"));
  assert.ok(Number.isInteger(t) && t >= from && t < to, copied);
  return t;
}

describe("links to a moment under the extension", { timeout: 120_000 }, () => {
  test("Chromium: the link plays in the background from 1:30; the copied link plays from its moment on another page", async () => {
    const run = await launchChromiumWithExtension({ name: "moment" });
    const { page, context } = run;
    try {
      await enableOrigin(run.options, server.url);
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
      // Signed out, the link goes through the sign-in page and back.
      await page.goto(link);
      await page.fill("#username", "admin");
      await page.fill("#password", "admin-pass");
      await Promise.all([page.waitForURL((u) => u.pathname === "/reports/call-session"), page.click('button[type="submit"]')]);
      const docked = () => page.evaluate(readDocked);
      await waitFor("the background playing the second recording from 1:30", docked, playsBetween(90, 100));

      await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { seekTo(s: number): void }).seekTo(110));
      await waitFor("at 1:50", docked, playsBetween(110, 116));
      await page.locator('recording-player[docked] [part="copy-link-button"]').focus();
      await page.keyboard.press("Enter");
      await page.locator('recording-player[docked] [part="status"]', { hasText: "Link copied" }).waitFor();
      const t = checkCopied(await page.evaluate(() => navigator.clipboard.readText()), 110, 116);

      // On another page of the site, elsewhere in the call: the link plays from its moment.
      await page.goto(`${server.url}/reports/call-list`);
      await waitFor("the docked player on the Call List", docked, (v) => v !== null && v.index === 1);
      await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { seekTo(s: number): void }).seekTo(20));
      await waitFor("at 0:20", docked, playsBetween(20, 26));
      await page.goto(`${server.url}/reports/call-session?call=c-transfer&recording=${encodeURIComponent(second)}&t=${t}`);
      await waitFor(`the background playing from ${t} s`, docked, playsBetween(t, t + 6));
    } finally {
      await run.close();
    }
  });

  test("Firefox: the link plays in the background page from 1:30, as Firefox is out of the box", async () => {
    const browser = await launchFirefoxWithExtension();
    try {
      await enableOriginsInFirefox(browser, [server.url]);
      const page = await browser.newPage();
      page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${String(error)}`));
      await page.goto(`${server.url}/login`);
      await page.type("#username", "admin");
      await page.type("#password", "admin-pass");
      await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
      // Opened from elsewhere (typed or pasted): no click on the page before it plays.
      await page.goto(link);
      const docked = () => page.evaluate(readDocked);
      await waitFor("the background playing the second recording from 1:30", docked, playsBetween(90, 100));

      await page.evaluate(() => (document.querySelector("recording-player")!.shadowRoot!.querySelector('[part="copy-link-button"]') as HTMLElement).focus());
      await page.keyboard.press("Enter");
      await waitFor('"Link copied"', () => page.evaluate(() => document.querySelector("recording-player")!.shadowRoot!.querySelector('[part="status"]')!.textContent!.trim()), (s) => s === "Link copied");
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/reports/call-list`);
      await tab.evaluate(() => {
        const field = document.createElement("input");
        field.id = "paste";
        document.body.prepend(field);
        field.focus();
      });
      await tab.keyboard.down("Control");
      await tab.keyboard.press("v");
      await tab.keyboard.up("Control");
      const copied = await waitFor("the pasted link", () => tab.evaluate(() => (document.getElementById("paste") as HTMLInputElement).value), (v) => v.length > 0);
      const t = checkCopied(copied, 90, 110);
      await waitFor("the docked player on the Call List", () => tab.evaluate(readDocked), (v) => v !== null && v.index === 1);
      await tab.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { seekTo(s: number): void }).seekTo(30));
      await waitFor("at 0:30", () => tab.evaluate(readDocked), playsBetween(30, 36));
      await tab.goto(copied);
      await waitFor(`the background playing from ${t} s`, () => tab.evaluate(readDocked), playsBetween(t, t + 6));
    } finally {
      await browser.close();
    }
  });
});
