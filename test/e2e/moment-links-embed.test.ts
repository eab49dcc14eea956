/**
 * Issue 16, point 4, without the extension: `/embed-demo?call=ID&recording=RID&t=90` plays from
 * 1:30 (Chromium); where the browser blocks playing by itself it offers "Play from 1:30" instead
 * (Firefox with autoplay blocked); *Copy link to this moment* copies a link that plays from there
 * in a new tab, and shows the link to copy by hand where the browser refuses the clipboard.
 *
 *   npm run build && node --import tsx --test test/e2e/moment-links-embed.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { waitFor } from "../extension/e2e-support.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { startServer, type RunningServer } from "../support/server.js";
import { launchFirefoxForPlayback } from "../support/playback-browsers.js";

interface Heard {
  index: number;
  time: number;
  paused: boolean;
  sounding: number;
  offer: string | null;
  status: string;
}

/** Evaluated in the page: the docked player, as a person sees and hears it. */
const readHeard = (): Heard | null => {
  const player = document.querySelector("recording-player[docked]") as
    | (HTMLElement & { currentIndex: number; currentTime: number; paused: boolean; engine: { mediaElement?: HTMLMediaElement } })
    | null;
  if (!player || typeof player.currentIndex !== "number") return null;
  const media = player.engine.mediaElement;
  return {
    index: player.currentIndex,
    time: player.currentTime,
    paused: player.paused,
    sounding: media && !media.paused ? 1 : 0,
    offer: player.shadowRoot?.querySelector('[part~="resume-button"]')?.textContent?.trim() ?? null,
    status: player.shadowRoot?.querySelector('[part="status"]')?.textContent?.replace(/\s+/g, " ").trim() ?? "",
  };
};

let server: RunningServer;
let second: string;

before(async () => {
  const components = resolve("dist/components");
  if (!existsSync(resolve(components, "call-recordings.js"))) throw new Error(`${components} is not built: run npm run build first (npm test does)`);
  server = await startServer({ dataset: fixtureDataset(), componentsDir: components });
  const admin = await fetch(`${server.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "alice", password: "alice-pass" }) });
  const cookie = admin.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const call = (await (await fetch(`${server.url}/api/calls/c-transfer`, { headers: { cookie } })).json()) as { recordings: { id: string }[] };
  second = call.recordings[1]!.id;
});

after(() => server?.close());

describe("links to a moment, without the extension", { timeout: 120_000 }, () => {
  let browser: Browser;
  before(async () => {
    // links.test: the same server under a name that is not this machine's, so plain HTTP is no secure context.
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--host-resolver-rules=MAP links.test 127.0.0.1"] });
  });
  after(() => browser?.close());

  async function signedIn(context: BrowserContext, base = server.url): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${error.message}`));
    // Signing in first comes back to the link, moment and all.
    await page.goto(`${base}/embed-demo?call=c-transfer&recording=${encodeURIComponent(second)}&t=90`);
    await page.fill("#username", "alice");
    await page.fill("#password", "alice-pass");
    await Promise.all([page.waitForURL((u) => u.pathname === "/embed-demo"), page.click('button[type="submit"]')]);
    assert.equal(new URL(page.url()).search, `?call=c-transfer&recording=${encodeURIComponent(second)}&t=90`);
    return page;
  }

  test("Chromium: the link plays from 1:30; a copied link plays from its moment in a new tab", async () => {
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    try {
      const page = await signedIn(context);
      const heard = () => page.evaluate(readHeard);
      await waitFor("the second recording playing from 1:30", heard, (h) => h !== null && h.index === 1 && !h.paused && h.sounding === 1 && h.time >= 90 && h.time < 100);

      // Copy the link a few seconds on, by keyboard.
      await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { seekTo(s: number): void }).seekTo(101.4));
      await waitFor("at 1:41", heard, (h) => h !== null && h.time >= 101 && h.time < 106);
      await page.locator('recording-player [part="copy-link-button"]').focus();
      await page.keyboard.press("Enter");
      await waitFor('"Link copied"', heard, (h) => h?.status === "Link copied");
      const link = await page.evaluate(() => navigator.clipboard.readText());
      const url = new URL(link);
      assert.equal(`${url.origin}${url.pathname}`, `${server.url}/embed-demo`);
      assert.equal(url.searchParams.get("call"), "c-transfer");
      assert.equal(url.searchParams.get("recording"), second);
      const t = Number(url.searchParams.get("t"));
      assert.ok(t >= 101 && t < 106 && Number.isInteger(t), `t=${url.searchParams.get("t")}`);
      await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { pause(): void }).pause());

      const tab = await context.newPage();
      await tab.goto(link);
      await waitFor(`the new tab playing from ${t} s`, () => tab.evaluate(readHeard), (h) => h !== null && h.index === 1 && !h.paused && h.sounding === 1 && h.time >= t && h.time < t + 8);
    } finally {
      await context.close();
    }
  });

  test("Chromium: where the browser gives no clipboard (a site on plain HTTP), the link is shown selected to copy by hand", async () => {
    const context = await browser.newContext();
    const site = server.url.replace("127.0.0.1", "links.test");
    try {
      const page = await signedIn(context, site);
      const heard = () => page.evaluate(readHeard);
      await waitFor("playing from 1:30", heard, (h) => h !== null && h.index === 1 && !h.paused && h.time >= 90);
      assert.equal(await page.evaluate(() => window.isSecureContext || "clipboard" in navigator), false, "no clipboard on this page");
      await page.locator('recording-player [part="copy-link-button"]').click();
      const field = page.locator('recording-player [part="copy-link-field"]');
      await field.waitFor();
      const shown = await field.inputValue();
      assert.match(shown, new RegExp(`^${site}/embed-demo\\?call=c-transfer&recording=${second}&t=\\d+$`));
      const selected = await page.evaluate(() => {
        const root = document.querySelector("recording-player")!.shadowRoot!;
        const input = root.querySelector<HTMLInputElement>('[part="copy-link-field"]')!;
        return { focused: root.activeElement === input, start: input.selectionStart, end: input.selectionEnd, label: input.closest("label")?.textContent?.replace(/\s+/g, " ").trim() };
      });
      assert.deepEqual(selected, { focused: true, start: 0, end: shown.length, label: "The browser did not allow copying. Copy this link:" });
      await page.keyboard.press("Escape");
      await field.waitFor({ state: "detached" });
    } finally {
      await context.close();
    }
  });
});

describe("links to a moment where the browser blocks playing by itself", { timeout: 120_000 }, () => {
  test("Chromium: the player offers Play from 1:30, and plays from there once asked, by keyboard", async () => {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--autoplay-policy=document-user-activation-required"] });
    try {
      const context = await browser.newContext();
      // Nothing here may touch the page as a person would: Playwright's page.evaluate runs as a
      // user gesture, and one would let the page play by itself. Signed in through the context's
      // own cookie jar, and watched through CDP's Runtime.evaluate, which is no gesture.
      const signIn = await context.request.post(`${server.url}/api/session`, { data: { username: "alice", password: "alice-pass" } });
      assert.equal(signIn.status(), 200, await signIn.text());
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      // c-alice has one recording, two minutes long: t alone is seconds into it.
      await page.goto(`${server.url}/embed-demo?call=c-alice&t=90`);
      const heard = async (): Promise<Heard | null> => {
        const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { expression: `(${readHeard.toString()})()`, returnByValue: true, userGesture: false });
        if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
        return result.value as Heard | null;
      };
      const offered = (await waitFor("the offer", heard, (h) => h !== null && h.offer !== null))!;
      assert.equal(offered.offer, "Play from 1:30");
      assert.equal(offered.paused, true);
      assert.equal(offered.sounding, 0, "nothing plays by itself");
      assert.ok(Math.abs(offered.time - 90) < 1, `the player stands at 1:30 (${offered.time})`);
      await page.locator('recording-player [part~="resume-button"]').focus();
      await page.keyboard.press("Enter");
      await waitFor("playing from 1:30", heard, (h) => h !== null && h.index === 0 && !h.paused && h.sounding === 1 && h.time >= 90 && h.time < 98 && h.offer === null);
    } finally {
      await browser.close();
    }
  });
});

describe("links to a moment in Firefox", { timeout: 120_000 }, () => {
  test("Firefox: the link plays from 1:30; a copied link, pasted into a new tab, plays from its moment", async () => {
    const browser = await launchFirefoxForPlayback();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/login`);
      await page.type("#username", "alice");
      await page.type("#password", "alice-pass");
      await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
      await page.goto(`${server.url}/embed-demo?call=c-transfer&recording=${encodeURIComponent(second)}&t=90`);
      const heard = () => page.evaluate(readHeard);
      await waitFor("the second recording playing from 1:30", heard, (h) => h !== null && h.index === 1 && !h.paused && h.sounding === 1 && h.time >= 90 && h.time < 100);
      await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { seekTo(s: number): void }).seekTo(101.4));
      await waitFor("at 1:41", heard, (h) => h !== null && h.time >= 101 && h.time < 106);
      await page.evaluate(() => (document.querySelector("recording-player")!.shadowRoot!.querySelector('[part="copy-link-button"]') as HTMLElement).focus());
      await page.keyboard.press("Enter");
      await waitFor('"Link copied"', heard, (h) => h?.status === "Link copied");
      await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { pause(): void }).pause());

      // Pasted as a person would, into a page of the site.
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/login?paste`);
      await tab.evaluate(() => {
        const field = document.createElement("input");
        field.id = "paste";
        document.body.append(field);
        field.focus();
      });
      await tab.keyboard.down("Control");
      await tab.keyboard.press("v");
      await tab.keyboard.up("Control");
      const link = await waitFor("the pasted link", () => tab.evaluate(() => (document.getElementById("paste") as HTMLInputElement).value), (v) => v.length > 0);
      const url = new URL(link);
      assert.equal(url.searchParams.get("recording"), second);
      const t = Number(url.searchParams.get("t"));
      assert.ok(t >= 101 && t < 106, link);
      await tab.goto(link);
      await waitFor(`the new tab playing from ${t} s`, () => tab.evaluate(readHeard), (h) => h !== null && h.index === 1 && !h.paused && h.sounding === 1 && h.time >= t && h.time < t + 8);
    } finally {
      await browser.close();
    }
  });
});
