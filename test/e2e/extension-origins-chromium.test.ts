/**
 * Where the extension is enabled, in real Chromium with the built extension: out of the box only
 * on the reference server as `npm start` serves it (port 8787); the reference Call List served on
 * any other local port gets no content scripts (no isolated world of ours, no marks, no docked
 * player) until that origin is enabled, as the options page's Add does, and none again once it is
 * removed. Another local port that is not enabled stays without them while a call plays.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-origins-chromium.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { BrowserContext, CDPSession, Page } from "playwright-core";
import { CHROME_EXTENSION_ID } from "../../extension/manifest.js";
import { startServer, type RunningServer } from "../support/server.js";
import { e2eDataset, enableOrigin, foreignSite, launchChromiumWithExtension, readDocked, waitFor, type ChromiumWithExtension } from "../extension/e2e-support.js";
import { nothingShouldHappenFor } from "../support/until.js";

const EXT = `chrome-extension://${CHROME_EXTENSION_ID}`;
const MARKS = ".crec-recording-mark";

describe("the extension in Chromium is enabled only where it should be", { timeout: 120_000 }, () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let options: Page;
  let chromiumRun: ChromiumWithExtension;

  /** Counts the isolated worlds our content script runs in, on a page, from now on. */
  async function watchContentScripts(on: Page): Promise<{ count(): number; reset(): void; detach(): Promise<void> }> {
    const cdp: CDPSession = await context.newCDPSession(on);
    let worlds = 0;
    cdp.on("Runtime.executionContextCreated", ({ context: c }) => {
      const aux = c.auxData as { type?: string } | undefined;
      if (aux?.type === "isolated" && c.origin.startsWith(EXT)) worlds += 1;
    });
    await cdp.send("Runtime.enable");
    return { count: () => worlds, reset: () => (worlds = 0), detach: () => cdp.detach() };
  }

  const marks = (on: Page = page) => on.locator(MARKS).count();

  before(async () => {
    server = await startServer({ dataset: e2eDataset() });
    assert.ok(!server.url.endsWith(":8787"), "the test's server is on a port other than the built-in one");
    chromiumRun = await launchChromiumWithExtension({ name: "origins" });
    ({ context, page, options } = chromiumRun);
    // Signed in to the reference interface on its free port (the sign-in needs no extension).
    await page.goto(`${server.url}/login`);
    await page.fill("#username", "admin");
    await page.fill("#password", "admin-pass");
    await Promise.all([page.waitForURL((url) => url.pathname === "/reports/call-list"), page.click('button[type="submit"]')]);
  });

  after(async () => {
    await chromiumRun?.close();
    await server?.close();
  });

  test("the options page lists the built-in origins: port 8787 only", async () => {
    await options.reload();
    const sites = await options.locator("#sites li code").allTextContents();
    assert.deepEqual(sites, ["http://127.0.0.1:8787", "http://localhost:8787"]);
  });

  test("the reference Call List on another local port gets no content scripts until its origin is enabled, and none once it is removed", async () => {
    const callList = `${server.url}/reports/call-list?hasRecording=1`;
    // Each time in a fresh tab: DevTools re-creates, empty, an isolated world a tab once had.
    const visit = async (enabled: boolean) => {
      const tab = await context.newPage();
      const scripts = await watchContentScripts(tab);
      try {
        await tab.goto(callList);
        assert.ok((await tab.locator("tr[data-call-id]").count()) > 0, "the Call List shows calls with recordings");
        if (enabled) {
          await waitFor("the rows marked", () => marks(tab), (n) => n > 0);
          assert.ok(scripts.count() > 0, "the content script ran");
        } else {
          await nothingShouldHappenFor(1000); // no content script may run
          assert.equal(scripts.count(), 0, "no content script ran");
          assert.equal(await marks(tab), 0, "no marks");
          assert.equal(await tab.evaluate(readDocked), null, "no docked player");
        }
      } finally {
        await scripts.detach();
        await tab.close();
      }
    };
    await visit(false);
    await enableOrigin(options, server.url);
    await visit(true);
    // Removed again with the options page's Remove, the page is back to what it was without the
    // extension, and the options page says nothing went wrong (the loopback permission stays).
    await options.reload();
    const item = options.locator(`#sites > li[data-site="${server.url}"]`);
    await item.locator('[data-action="remove"]').click();
    await item.waitFor({ state: "detached" });
    assert.equal((await options.locator("#problem").textContent())?.trim() ?? "", "", "no problem shown");
    await visit(false);
  });

  test("two sites added at once are both enabled, each with its content scripts", async () => {
    // As when two options pages add a site each, or the worker starts as one is added.
    const sites = ["http://localhost:40101", "http://localhost:40102"];
    const answers = await options.evaluate(async (origins) => {
      const chrome = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      return Promise.all(origins.map((origin) => chrome.runtime.sendMessage({ type: "origins/add", origin })));
    }, sites);
    const scripts = () =>
      options.evaluate(async () => {
        const chrome = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> } } }).chrome;
        return (await chrome.scripting.getRegisteredContentScripts()).map((script) => ({ id: script.id, matches: [...(script.matches ?? [])].sort() }));
      });
    try {
      for (const answer of answers) assert.equal((answer as { ok?: boolean }).ok, true, JSON.stringify(answer));
      const origins = await options.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get("origins"));
      assert.deepEqual(origins.origins, sites, "both sites kept");
      const registered = await scripts();
      assert.equal(registered.length, 2, "the page world's script and the isolated one");
      for (const script of registered) assert.deepEqual(script.matches, sites.map((origin) => `${origin}/*`));
    } finally {
      for (const origin of sites) await options.evaluate((o) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: "origins/remove", origin: o }), origin);
    }
    assert.deepEqual(await scripts(), [], "none left once both are removed");
  });

  test("while a call plays, a page on a local port that is not enabled gets no docked player and no content scripts", async () => {
    await enableOrigin(options, server.url);
    await page.goto(`${server.url}/reports/call-list?hasRecording=1`);
    await page.locator(MARKS).first().click();
    await waitFor("the docked player plays", () => page.evaluate(readDocked), (v) => v !== null && !v.hidden && v.status === "playing");

    const other = await foreignSite("localhost");
    const tab = await context.newPage();
    const scripts = await watchContentScripts(tab);
    try {
      await tab.goto(`${other.url}/report`);
      await nothingShouldHappenFor(1000); // no content script may run on the other port
      assert.equal(scripts.count(), 0, "no content script on the other port");
      assert.equal(await tab.evaluate(readDocked), null, "no docked player there");
      assert.equal(await marks(tab), 0);
      // The enabled origin's tab still shows what plays.
      const view = await page.evaluate(readDocked);
      assert.ok(view !== null && !view.hidden);
    } finally {
      await scripts.detach();
      await tab.close();
      await other.close();
    }
  });
});
