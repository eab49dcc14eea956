/**
 * Where the extension is enabled, in Firefox ESR: its content-script patterns cannot name a port,
 * so they go to every port of the loopback hosts, and there the content script checks the exact
 * origin first. The reference Call List on a port other than 8787 gets nothing from the extension
 * (no marks, no docked player, no components) until that origin is enabled, and nothing again once
 * it is removed. The same story as extension-origins-chromium.test.ts, in the other engine.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-origins-firefox.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "puppeteer-core";
import { startServer, type RunningServer } from "../support/server.js";
import { e2eDataset, enableOrigin, launchFirefoxWithExtension, openFirefoxOptions, readDocked, waitFor } from "../extension/e2e-support.js";
import { nothingShouldHappenFor } from "../support/until.js";

const MARKS = ".crec-recording-mark";

describe("the extension in Firefox is enabled only where it should be", { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let options: Page;

  const marks = () => page.$$eval(MARKS, (all) => all.length);
  /** Whether anything of the extension's is on the page: marks, the docked player, the components. */
  const untouched = async () => {
    await nothingShouldHappenFor(1000); // nothing of the extension's may arrive
    assert.equal(await marks(), 0, "no marks");
    assert.equal(await page.evaluate(readDocked), null, "no docked player");
    assert.equal(await page.evaluate(() => customElements.get("recording-player") === undefined), true, "no components");
  };

  before(async () => {
    server = await startServer({ dataset: e2eDataset() });
    assert.ok(!server.url.endsWith(":8787"), "the test's server is on a port other than the built-in one");
    browser = await launchFirefoxWithExtension();
    options = await browser.newPage();
    await openFirefoxOptions(options);
    page = await browser.newPage();
    page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${String(error)}`));
    await page.goto(`${server.url}/login`);
    await page.type("#username", "admin");
    await page.type("#password", "admin-pass");
    await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.click('button[type="submit"]')]);
    assert.equal(new URL(page.url()).pathname, "/reports/call-list");
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the reference Call List on another local port gets nothing until its origin is enabled, and nothing once it is removed", async () => {
    const callList = `${server.url}/reports/call-list?hasRecording=1`;
    await page.goto(callList);
    assert.ok((await page.$$eval("tr[data-call-id]", (rows) => rows.length)) > 0, "the Call List shows calls with recordings");
    await untouched();

    await enableOrigin(options, server.url);
    await page.goto(callList);
    await waitFor("the rows marked once the origin is enabled", marks, (n) => n > 0);

    const removed = await options.evaluate(
      (origin) => (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean }> } } }).browser.runtime.sendMessage({ type: "origins/remove", origin }),
      server.url,
    );
    assert.equal(removed.ok, true);
    await page.goto(callList);
    await untouched();
  });
});
