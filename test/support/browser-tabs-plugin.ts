/**
 * A @web/test-runner plugin that lets a test open more tabs of the same browser (same origin,
 * same profile: IndexedDB and BroadcastChannel are shared), run code in them and close them,
 * through puppeteer-core, which the runner already uses for Chromium and Firefox alike.
 */
import type { Page } from "puppeteer-core";
import { TimeoutError, withTimeout } from "../../components/shared/with-timeout.js";

interface CommandArgs {
  command: string;
  payload: unknown;
  session: { id: string; browser: { type: string; getPage?(id: string): Page } };
}

const tabs = new Map<string, { page: Page; owner: string; loading: Promise<unknown> }>();
let nextId = 1;

function testPage(session: CommandArgs["session"]): Page {
  if (session.browser.type !== "puppeteer" || !session.browser.getPage) {
    throw new Error(`tabs need a puppeteer launcher, not ${session.browser.type}`);
  }
  return session.browser.getPage(session.id);
}

/**
 * The runner gives a command 20 s to answer, and a page's first load on a busy machine (its
 * modules compiled by the dev server) has taken longer: the load is waited for in pieces.
 */
const LOAD_WAIT_MS = 5000;
/** A load that has not ended by then fails with the navigation's own error, within a test's 45 s (web-test-runner.config.mjs). */
const LOAD_LIMIT_MS = 40_000;

/**
 * The commands (the browser side is `openTab` in player-test-helpers.ts):
 * - `tab-open` {url} → {id}: the new tab is shown (Chromium loads no media in a tab never shown)
 *   and starts loading `url`
 * - `tab-loaded` {id} → {loaded}: waits up to 5 s for that load; asked again until it says true
 * - `tab-show-test-page`: brings the test's own page back to the front
 * - `tab-eval` {id, expression} → {value}: the expression's JSON-serialisable value (promises awaited)
 * - `tab-close` {id}
 */
export function browserTabsPlugin() {
  return {
    name: "browser-tabs",
    async executeCommand({ command, payload, session }: CommandArgs): Promise<unknown> {
      if (command === "tab-open") {
        const { url } = payload as { url: string };
        const owner = testPage(session);
        const page = await owner.browserContext().newPage();
        const absolute = new URL(url, owner.url()).href;
        // Shown before it loads: Chromium puts off loading media in a tab that was never shown.
        await page.bringToFront();
        const id = `tab-${nextId++}`;
        const loading = page.goto(absolute, { waitUntil: "load", timeout: LOAD_LIMIT_MS }).then(() => page.bringToFront());
        // Whatever the load comes to is read by `tab-loaded`.
        loading.catch(() => undefined);
        tabs.set(id, { page, owner: session.id, loading });
        return { id };
      }
      if (command === "tab-loaded") {
        const { id } = payload as { id: string };
        const tab = tabs.get(id);
        if (!tab) throw new Error(`no tab ${id}`);
        try {
          await withTimeout(tab.loading, LOAD_WAIT_MS);
          return { loaded: true };
        } catch (error) {
          if (error instanceof TimeoutError) return { loaded: false };
          throw error;
        }
      }
      if (command === "tab-eval") {
        const { id, expression } = payload as { id: string; expression: string };
        const tab = tabs.get(id);
        if (!tab) throw new Error(`no tab ${id}`);
        // Wrapped, because the runner reads `undefined` as "command not handled".
        return { value: await tab.page.evaluate(`(async () => (${expression}))()`) };
      }
      if (command === "tab-show-test-page") {
        // A hidden page's timers are slowed down: tests wait with timers.
        await testPage(session).bringToFront();
        return true;
      }
      if (command === "tab-close") {
        const { id } = payload as { id: string };
        const tab = tabs.get(id);
        tabs.delete(id);
        if (tab && !tab.page.isClosed()) await tab.page.close();
        await testPage(session).bringToFront();
        return true;
      }
      return undefined;
    },
  };
}
