/**
 * The companion extension end to end in real Chromium: the built extension (dist/chrome) loaded
 * into a persistent profile, against the real reference server with the demo data, driven the
 * way a user drives it: the legacy login form, the Call List's "has recording" filter, a row's
 * Start Time, the injected recordings, their timeline, other reports, the docked player, the
 * popup and the keyboard commands.
 *
 *   npm run build && npm run test:e2e
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page, type Worker } from "playwright-core";
import puppeteer from "puppeteer-core";
import { CHROME_EXTENSION_ID, COMMANDS, type CommandName } from "../../extension/manifest.js";
import { currentPosition, type PlaybackState } from "../../src/extension/background-playback-state.js";
import { startServer, type RunningServer } from "../support/server.js";
import {
  apiRecordings,
  builtExtension,
  e2eDataset,
  callsWithRecordings,
  enableOrigin,
  foreignSite,
  FORGE_MESSAGES,
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

const EXT = `chrome-extension://${CHROME_EXTENSION_ID}`;

/** The extension APIs the tests call in extension pages (no @types/chrome here). */
interface ChromeApi {
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
  runtime: {
    sendMessage(message: unknown): Promise<unknown>;
    reload(): void;
    getContexts(filter: { contextTypes: string[] }): Promise<{ documentId?: string }[]>;
  };
  commands: { getAll(): Promise<{ name?: string; shortcut?: string }[]> };
  offscreen: { closeDocument(): Promise<void> };
}
type WithChrome = { chrome: ChromeApi };
const BARS = 'call-session-recordings [part~="recording-bar"]';
/** A Call List row's recording mark (drawn outside the table, naming the row's call). */
const MARK = (callId: string) => `.crec-recording-mark[data-call-id="${callId}"]`;

/** A port no one listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// The whole suite (about 150 s alone; more than 240 s with another test run beside it).
describe("the extension in Chromium", { timeout: 480_000 }, () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  /** An extension page kept open, to read the extension's storage and contexts from. */
  let extension: Page;
  let profile: string;
  let downloads: string;
  /** The server's database file, kept across its restart. */
  let dbPath: string;
  /** Chromium's DevTools port, to reach targets Playwright does not (the offscreen document). */
  let devtoolsPort = 0;
  /** The call whose Call Session view the tests play from. */
  let callId = "";

  const docked = (on: Page = page) => on.evaluate(readDocked);
  const playback = async (): Promise<PlaybackState> =>
    (await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.storage.local.get("playback"))).playback as PlaybackState;
  const offscreenDocuments = () =>
    extension.evaluate(async () =>
      (await (globalThis as unknown as WithChrome).chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] })).map((c) => c.documentId ?? ""),
    );
  const position = (state: PlaybackState) => currentPosition(state, Date.now());
  /** Waits for the docked player to show `ok`; a failure says what the background's playback held then. */
  const dockedShows = async (what: string, ok: (view: DockedView) => boolean, on: Page = page, timeoutMs?: number): Promise<DockedView> => {
    try {
      return (await waitFor(what, () => docked(on), (view): view is DockedView => view !== null && ok(view), timeoutMs)) as DockedView;
    } catch (error) {
      const held = await playback().then(
        ({ cue, index, position, at, paused, waiting, hasMetadata, ended, error: failed }) => JSON.stringify({ cue, index, position, at, paused, waiting, hasMetadata, ended, error: failed }),
        (e: unknown) => `unread (${String(e)})`,
      );
      throw new Error(`${(error as Error).message}; the background's playback: ${held}`, { cause: error });
    }
  };

  async function serviceWorker(): Promise<Worker> {
    // Asking the background anything starts its worker when it was stopped.
    await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.runtime.sendMessage({ type: "state/get" }));
    // The newest: a stopped worker may linger in the list.
    return waitFor("the service worker", async () => context.serviceWorkers().filter((w) => w.url().startsWith(EXT)).at(-1), (w) => w !== undefined) as Promise<Worker>;
  }

  /**
   * Presses a command's shortcut in a tab, as a user does: the browser takes it, not the page.
   * Chromium matches extension shortcuts on the native key code, which Playwright's
   * `keyboard.press` leaves out, so the keys go through DevTools' `Input.dispatchKeyEvent`.
   */
  async function runCommand(name: CommandName, on: Page): Promise<void> {
    const keys = COMMANDS[name].suggested_key.default.split("+");
    const key = keys.at(-1)!;
    const modifiers = (keys.includes("Alt") ? 1 : 0) | (keys.includes("Ctrl") ? 2 : 0) | (keys.includes("Shift") ? 8 : 0);
    const code = key.charCodeAt(0);
    await on.bringToFront();
    const cdp = await context.newCDPSession(on);
    for (const type of ["rawKeyDown", "keyUp"] as const) {
      await cdp.send("Input.dispatchKeyEvent", { type, modifiers, key, code: `Key${key}`, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code });
    }
    await cdp.detach();
  }

  /** chrome://serviceworker-internals, for the extension's worker: its running status, and its Stop button. */
  async function workerInternals(): Promise<{ status(): Promise<string | null>; stop(timeout?: number): Promise<void>; close(): Promise<void> }> {
    const internals = await openPage("chrome://serviceworker-internals/");
    const registration = internals.locator(".serviceworker-registration", { hasText: EXT });
    return {
      status: () => registration.locator(".serviceworker-running-status .value").first().textContent(),
      stop: (timeout?: number) => registration.locator('cr-button[data-command="stop"]').first().click({ timeout }),
      close: () => internals.close(),
    };
  }

  async function openPage(url: string): Promise<Page> {
    const p = await context.newPage();
    p.on("pageerror", (error) => console.error(`page error on ${p.url()}: ${error.message}`));
    await p.goto(url);
    return p;
  }

  /** Starts Chromium with the extension on the test's profile (again, for a restart). */
  async function launch(): Promise<void> {
    const dir = builtExtension("chrome");
    devtoolsPort = await freePort();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, "--no-sandbox", `--remote-debugging-port=${devtoolsPort}`],
    });
    await (context.serviceWorkers()[0] ?? context.waitForEvent("serviceworker"));
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${error.message}`));
    // Downloads land under their own names in a folder of ours.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads, eventsEnabled: true });
    extension = await openPage(`${EXT}/extension/options/options.html`);
  }

  before(async () => {
    profile = mkdtempSync(join(tmpdir(), "crec-chromium-"));
    downloads = mkdtempSync(join(tmpdir(), "crec-downloads-"));
    dbPath = join(downloads, "..", `${profile.split("/").at(-1)}.sqlite`);
    server = await startServer({ dataset: e2eDataset(), dbPath });
    await launch();
    // The server is on a free port, not the built-in 8787: enabled as the options page's Add does.
    await enableOrigin(extension, server.url);
    await extension.reload();
  });

  after(async () => {
    await context?.close();
    await server?.close();
    for (const dir of [profile, downloads]) if (dir) rmSync(dir, { recursive: true, force: true });
    for (const suffix of ["", "-wal", "-shm"]) if (dbPath) rmSync(`${dbPath}${suffix}`, { force: true });
  });

  test("a user signs in and the Call List, filtered to calls with recordings, marks the rows in view with a button that plays the call, and the rest as they are scrolled to or focused", async () => {
    await page.bringToFront();
    const viewport = page.viewportSize();
    // A short window, so that most of the page's rows start out of view.
    await page.setViewportSize({ width: 1280, height: 300 });
    try {
      await page.goto(`${server.url}/login`);
      await page.fill("#username", "admin");
      await page.fill("#password", "admin-pass");
      await Promise.all([page.waitForURL((url) => url.pathname === "/reports/call-list"), page.click('button[type="submit"]')]);
      await page.check("#f-has");
      await Promise.all([page.waitForURL((url) => url.searchParams.get("hasRecording") === "1"), page.click('form.filters button[type="submit"]')]);
      // All of them on one page: many more rows than the marks made at load (ten screens ahead).
      await page.goto(`${page.url()}&limit=500`);
      const rows = page.locator("tr[data-call-id]");
      const count = await rows.count();
      assert.ok(count > 100, `${count} rows`);
      const ids = await rows.evaluateAll((all) => all.map((row) => (row as HTMLElement).dataset.callId!));
      await rows.first().scrollIntoViewIfNeeded();
      await page.locator(MARK(ids[0]!)).waitFor();
      const marked = () => page.locator(".crec-recording-mark").count();
      const first = await marked();
      assert.ok(first < count, `${first} of ${count} rows marked at load, with most of them far out of view`);

      // Keyboard focus on a row far down marks it at once, even when nothing scrolls.
      assert.equal(await page.locator(MARK(ids.at(-1)!)).count(), 0);
      await rows.last().locator("td a").first().evaluate((a: HTMLElement) => a.focus({ preventScroll: true }));
      await page.locator(MARK(ids.at(-1)!)).waitFor();

      // Scrolled through to the end, a screenful at a time, every row has been marked.
      while (await page.evaluate(() => innerHeight + scrollY < document.documentElement.scrollHeight - 1)) {
        await page.mouse.wheel(0, 300);
        await page.waitForTimeout(50);
      }
      await waitFor("every row marked after scrolling to the end", marked, (n) => n === count);

      // A keyboard user meets each row's mark right after its Start Time, and back.
      await page.evaluate(() => window.scrollTo(0, 0));
      await rows.first().locator("td a").first().focus();
      const focused = async () => {
        const { tag, mark, callId, label } = (await page.evaluate(FOCUSED)) as Focused;
        return { tag, mark, callId, named: label?.startsWith("Play the call's") === true && label.includes(callId ?? "?") };
      };
      await page.keyboard.press("Tab");
      assert.deepEqual(await focused(), { tag: "button", mark: true, callId: ids[0], named: true }, "Tab from the first Start Time: its row's mark, named");
      await page.keyboard.press("Tab");
      assert.deepEqual(await focused(), { tag: "a", mark: false, callId: ids[1], named: false }, "Tab again: the next row's Start Time");
      await page.keyboard.press("Shift+Tab");
      assert.deepEqual(await focused(), { tag: "button", mark: true, callId: ids[0], named: true }, "Shift+Tab: back to the first row's mark");
      await page.keyboard.press("Shift+Tab");
      assert.deepEqual(await focused(), { tag: "a", mark: false, callId: ids[0], named: false }, "Shift+Tab again: the first Start Time");

      // The marks take no room: at 1280 and 800 px, every column is as wide and every row as tall
      // as in a browser without the extension (phone numbers do not break, rows do not grow), and
      // each mark is drawn beside its row's Start Time.
      const plain = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
      try {
        const bare = await plain.newPage();
        await bare.goto(`${server.url}/login`);
        await bare.fill("#username", "admin");
        await bare.fill("#password", "admin-pass");
        await Promise.all([bare.waitForURL((url) => url.pathname === "/reports/call-list"), bare.click('button[type="submit"]')]);
        for (const width of [1280, 800]) {
          await page.setViewportSize({ width, height: 300 });
          await bare.setViewportSize({ width, height: 300 });
          await bare.goto(page.url());
          const without = (await bare.evaluate(CALL_LIST_LAYOUT)) as CallListLayout;
          assert.equal(without.rows.length, count);
          const withMarks = await waitFor(`every mark beside its Start Time at ${width} px`, () => page.evaluate(CALL_LIST_LAYOUT) as Promise<CallListLayout>, (l) => l.marked === count && l.misplaced.length === 0);
          assert.deepEqual(layoutDifferences(withMarks, without), [], `at ${width} px the Call List is laid out as without the extension`);
        }
      } finally {
        await plain.close();
      }
      await page.evaluate(() => window.scrollTo(0, 0));
    } finally {
      await page.setViewportSize(viewport ?? { width: 1280, height: 720 });
    }
    // Nothing is loaded yet: no docked player, and the page has not even had the components evaluated.
    assert.equal(await docked(), null);
    assert.equal(await page.evaluate(() => customElements.get("recording-player") === undefined && customElements.get("call-session-recordings") === undefined), true);
  });

  test("the rows of another table far down the page are marked once it is scrolled to", async () => {
    const before = page.url();
    await page.goto(`${server.url}/reports/call-list?hasRecording=1&limit=20`);
    const count = await page.locator("tr[data-call-id]").count();
    const marked = () => page.locator(".crec-recording-mark").count();
    await waitFor("the first table's rows marked", marked, (n) => n === count);
    // A second table of the same rows (as a page that lists calls by day might have), five thousand pixels down.
    await page.evaluate(() => {
      const spacer = document.createElement("div");
      spacer.style.height = "5000px";
      const copy = document.querySelector("table:has(tr[data-call-id])")!.cloneNode(true) as HTMLTableElement;
      copy.id = "second-table";
      document.body.append(spacer, copy);
    });
    await nothingShouldHappenFor(500);
    assert.equal(await marked(), count, "the second table, far out of view, is not marked yet");
    await page.locator("#second-table").scrollIntoViewIfNeeded();
    await waitFor("the second table's rows marked too", marked, (n) => n === 2 * count);
    const inSecond = await page.evaluate(() => {
      const table = document.querySelector("#second-table")!.getBoundingClientRect();
      return [...document.querySelectorAll(".crec-recording-mark")].filter((mark) => {
        const box = mark.getBoundingClientRect();
        return box.top >= table.top && box.bottom <= table.bottom;
      }).length;
    });
    assert.equal(inSecond, count, "a mark on each of the second table's rows");
    // Back to the Call List the tests after this one use.
    await page.goto(before);
    await page.locator(".crec-recording-mark").first().waitFor();
  });

  test("when the page moves its table (a notice shown above it), the marks move with their rows, with no scroll", async () => {
    const before = page.url();
    await page.goto(`${server.url}/reports/call-list?hasRecording=1&limit=20`);
    const count = await page.locator("tr[data-call-id]").count();
    const layout = () => page.evaluate(CALL_LIST_LAYOUT) as Promise<CallListLayout>;
    await waitFor("every row marked, beside its Start Time", layout, (l) => l.marked === count && l.misplaced.length === 0);
    const scrolled = await page.evaluate(() => scrollY);
    // As a site's own script might show a notice: no row changes, and nothing scrolls.
    await page.evaluate(() => {
      const notice = document.createElement("p");
      notice.id = "notice";
      notice.textContent = "The reports are being updated.";
      notice.style.cssText = "margin: 0; height: 137px";
      document.body.prepend(notice);
    });
    const shown = await waitFor("every mark beside its Start Time again", layout, (l) => l.misplaced.length === 0);
    assert.equal(shown.marked, count);
    assert.equal(await page.evaluate(() => scrollY), scrolled, "nothing scrolled");
    await page.evaluate(() => document.getElementById("notice")!.remove());
    await waitFor("and back when it goes", layout, (l) => l.misplaced.length === 0);
    await page.goto(before);
    await page.locator(".crec-recording-mark").first().waitFor();
  });

  test("a Call List in a scrolling box of the page: its marks follow their rows as the box scrolls, the rows it scrolls to are marked, and no mark shows outside it", async () => {
    const before = page.url();
    await page.goto(`${server.url}/reports/call-list?hasRecording=1&limit=500`);
    const count = await page.locator("tr[data-call-id]").count();
    await checkMarksInScrollingBox((expression) => page.evaluate(expression), count);
    await page.goto(before);
    await page.locator(".crec-recording-mark").first().waitFor();
  });

  test("rows the page hides (a filter of its own) get no mark, get theirs, beside their Start Time, once it shows them, and lose them when it hides them again", async () => {
    const filtered = await context.newPage();
    try {
      // As a site's own quick filter might: every other row hidden from the start, by a style
      // sheet in the page as served.
      await filtered.route(/\/reports\/call-list/, async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace("</head>", '<style id="site-filter">tr[data-call-id]:nth-child(even) { display: none; }</style></head>');
        await route.fulfill({ response, body });
      });
      await filtered.goto(`${server.url}/reports/call-list?hasRecording=1&limit=20`);
      assert.equal(await filtered.locator("#site-filter").count(), 1, "the page has its filter");
      // The rows with recordings this user may play, shown and hidden.
      const playable = await filtered.evaluate(() => {
        const rows = [...document.querySelectorAll<HTMLElement>('tr[data-call-id]:not([data-recordings="0"])')];
        return { shown: rows.filter((row) => row.getClientRects().length > 0).length, all: rows.length };
      });
      assert.ok(playable.shown > 0 && playable.all > playable.shown, `rows to play, shown and hidden: ${JSON.stringify(playable)}`);
      const layout = () => filtered.evaluate(CALL_LIST_LAYOUT) as Promise<CallListLayout>;
      await waitFor("the rows shown marked", layout, (l) => l.marked === playable.shown && l.misplaced.length === 0);
      await nothingShouldHappenFor(300);
      assert.equal((await layout()).marked, playable.shown, "no marks for the hidden rows");
      const filter = await filtered.evaluate(() => {
        const style = document.getElementById("site-filter")!;
        style.remove();
        return style.outerHTML;
      });
      await waitFor("every row marked, beside its Start Time, once shown", layout, (l) => l.marked === playable.all && l.misplaced.length === 0);
      // Filtered again: the hidden rows' marks go (none left over the rows shown), the others stay by theirs.
      await filtered.evaluate((html) => document.head.insertAdjacentHTML("beforeend", html), filter);
      await waitFor("only the rows shown marked again", layout, (l) => l.marked === playable.shown && l.misplaced.length === 0);
    } finally {
      await filtered.close();
    }
  });

  test("a Start Time broken onto two lines has its mark after its first line, beside one on a single line", async () => {
    const before = page.url();
    await page.goto(`${server.url}/reports/call-list?hasRecording=1&limit=500`);
    await page.locator(".crec-recording-mark").first().waitFor();
    // Rows far down, not marked yet: their Start Times broken after the year, as a site's narrow
    // column might break them. Each second one is left whole.
    const rows = await page.evaluate(() => {
      const playable = [...document.querySelectorAll<HTMLTableRowElement>('tr[data-call-id]:not([data-recordings="0"])')].slice(-8);
      return playable.map((row, i) => {
        if (i % 2 === 0) {
          const text = document.createTreeWalker(row.cells[0]!.querySelector("a")!, NodeFilter.SHOW_TEXT).nextNode() as Text;
          text.splitText(4);
          text.after(document.createElement("br"));
        }
        return { id: row.dataset.callId!, broken: i % 2 === 0 };
      });
    });
    await page.locator(`tr[data-call-id="${rows[0]!.id}"]`).scrollIntoViewIfNeeded();
    const placed = () =>
      page.evaluate((ids) => {
        return ids.map((id) => {
          const mark = document.querySelector(`.crec-recording-mark[data-call-id="${CSS.escape(id)}"]`)?.getBoundingClientRect();
          const boxes = [...document.querySelector(`tr[data-call-id="${CSS.escape(id)}"]`)!.querySelector("td a")!.getClientRects()];
          const lines = new Set(boxes.map((box) => Math.round(box.top))).size;
          const end = Math.max(...boxes.filter((box) => Math.abs(box.top - boxes[0]!.top) <= 1).map((box) => box.right));
          const whole = (Math.min(...boxes.map((box) => box.top)) + Math.max(...boxes.map((box) => box.bottom))) / 2;
          return { lines, end, middle: (boxes[0]!.top + boxes[0]!.bottom) / 2, whole, mark: mark && { left: mark.left, middle: (mark.top + mark.bottom) / 2 } };
        });
      }, rows.map((row) => row.id));
    // Each mark after its Start Time's first line, and centred on it (waited for: a mark placed
    // before the lines were broken is placed again).
    const beside = (at: Awaited<ReturnType<typeof placed>>[number]) => at.mark !== undefined && at.mark.left >= at.end + 2 && Math.abs(at.mark.middle - at.middle) <= 1;
    const seen = await waitFor("every one of those rows marked beside its Start Time's first line", placed, (all) => all.every(beside));
    rows.forEach((row, i) => {
      const at = seen[i]!;
      assert.equal(at.lines, row.broken ? 2 : 1, `call ${row.id}: its Start Time on ${row.broken ? "two lines" : "one line"}`);
      // The middle of both lines is half a line off the first's: a mark centred on the link's
      // whole box would be there.
      if (row.broken) assert.ok(Math.abs(at.whole - at.middle) > 5, `call ${row.id}: its two lines' middle (${at.whole}) is not its first line's (${at.middle})`);
    });
    await page.goto(before);
    await page.locator(".crec-recording-mark").first().waitFor();
  });

  test("the Call Session view's recordings appear on a page whose style sheet turns every animation off", async () => {
    // Nothing is loaded yet, so only the section the isolated world adds has the components defined.
    assert.equal(await docked(), null);
    const id = (await page.locator(".crec-recording-mark").first().getAttribute("data-call-id"))!;
    const still = await context.newPage();
    try {
      // As some accessibility style sheets do for people who ask for less motion.
      await still.addInitScript(() =>
        document.addEventListener("DOMContentLoaded", () => {
          const style = document.createElement("style");
          style.textContent = "*, *::before, *::after { animation: none !important; }";
          document.head.append(style);
        }),
      );
      await still.goto(`${server.url}/reports/call-session?call=${encodeURIComponent(id)}`);
      await still.locator('call-session-recordings[status="ready"]').waitFor();
      assert.equal(await still.locator("call-session-recordings").evaluate((el) => getComputedStyle(el).animationName), "none");
      assert.ok((await still.locator(BARS).count()) > 0, "its recordings are drawn");
    } finally {
      await still.close();
    }
  });

  test("the options page lists the reporting sites it works on and explains what it cannot add", async () => {
    const sites = await extension.locator("#sites li code").allTextContents();
    assert.deepEqual(sites, ["http://127.0.0.1:8787", "http://localhost:8787", server.url]);
    await extension.fill("#origin", "ftp://reports.example.com");
    await extension.click('#add button[type="submit"]');
    assert.match((await extension.textContent("#problem")) ?? "", /Only http and https/);
    await extension.fill("#origin", "http://127.0.0.1:8787");
    await extension.click('#add button[type="submit"]');
    assert.match((await extension.textContent("#problem")) ?? "", /always enabled/);
    const shortcuts = await extension.locator("#shortcuts li").allTextContents();
    assert.equal(shortcuts.length, 4);
    assert.ok(shortcuts.some((s) => s.includes("Alt+Shift+K") && s.includes("Play or pause")));
  });

  test("a row's quick play button plays the call's recordings from the start in the docked player", async () => {
    const id = (await page.locator("tr[data-call-id]").first().getAttribute("data-call-id"))!;
    await page.locator(MARK(id)).click();
    const view = await dockedShows("the docked player plays", (v) => !v.hidden && v.status === "playing" && v.time > 0.3);
    assert.equal(view.index, 0);
    assert.ok(view.time < 5);
    assert.equal(view.background, true);
    assert.equal(view.pageAudio, 0, "the page plays no audio itself");
    assert.equal(view.dockedPlayers, 1, "one docked player: the extension's");
    assert.equal((await playback()).session?.callId, id);
    assert.equal((await offscreenDocuments()).length, 1, "the offscreen document plays it");
  });

  test("a row's Start Time opens the Call Session view with the injected recordings; clicking a recording's timeline plays it from that point", async () => {
    callId = (await page.locator('.crec-recording-mark[data-recordings="2"], .crec-recording-mark[data-recordings="3"]').first().getAttribute("data-call-id"))!;
    const row = page.locator(`tr[data-call-id="${callId}"]`);
    await Promise.all([page.waitForURL((url) => url.pathname === "/reports/call-session"), row.locator("td").first().locator("a").first().click()]);
    assert.equal(new URL(page.url()).searchParams.get("call"), callId);
    await page.locator('call-session-recordings[status="ready"]').waitFor();
    const recordings = await apiRecordings(server.url, callId);
    assert.equal(await page.locator(BARS).count(), recordings.length);

    const bar = page.locator(BARS).nth(1);
    const box = (await bar.boundingBox())!;
    await bar.click({ position: { x: box.width * 0.4, y: box.height / 2 } });
    const expected = recordings[1]!.durationSeconds * 0.4;
    const view = await dockedShows("the docked player plays the second recording", (v) => v.recordingId === recordings[1]!.id && v.status === "playing");
    assert.ok(Math.abs(view.time - expected) < 3, `started at ${view.time}, clicked at ${expected}`);
    assert.equal(view.dockedPlayers, 1, "one docked player: the extension's");
    const state = await playback();
    assert.equal(state.session?.callId, callId);
    assert.equal(state.index, 1);
    assert.equal(state.paused, false);
  });

  test("going to another report and back never interrupts the audio: each page shows the same recording and position at once", async () => {
    const before = await playback();
    const documents = await offscreenDocuments();
    const samples: { at: number; position: number; paused: boolean; cue: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const s = await playback();
        samples.push({ at: Date.now(), position: position(s), paused: s.paused, cue: s.cue });
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const started = Date.now();

    await Promise.all([page.waitForURL((url) => url.pathname === "/reports/calls-per-group"), page.click('nav a[href="/reports/calls-per-group"]')]);
    const there = await dockedShows("the docked player on Calls per Group", (v) => !v.hidden && v.status === "playing", page, 2000);
    assert.equal(there.index, 1);
    // Compared at the moment the page was read: a busy machine may take a while to ask the background.
    assert.ok(Math.abs(there.time - currentPosition(await playback(), there.at)) < 1.5, "the same position at once");
    await nothingShouldHappenFor(1500); // the audio must not pause or reload on this page
    await page.goBack();
    assert.equal(new URL(page.url()).pathname, "/reports/call-session");
    const back = await dockedShows("the docked player back on the Call Session view", (v) => !v.hidden && v.status === "playing", page, 2000);
    assert.equal(back.recordingId, there.recordingId);
    await nothingShouldHappenFor(1000); // nor back on the first

    sampling = false;
    await sampler;
    const elapsed = (Date.now() - started) / 1000;
    assert.ok(samples.length > 10);
    assert.ok(samples.every((s) => !s.paused && s.cue === before.cue), "never paused, never reloaded");
    for (let i = 1; i < samples.length; i++) assert.ok(samples[i]!.position >= samples[i - 1]!.position - 0.3, `the position went back: ${JSON.stringify(samples.slice(i - 1, i + 1))}`);
    const moved = samples.at(-1)!.position - samples[0]!.position;
    assert.ok(Math.abs(moved - (samples.at(-1)!.at - samples[0]!.at) / 1000) < 1.5, `moved ${moved} s in ${elapsed} s`);
    assert.deepEqual(await offscreenDocuments(), documents, "the same offscreen document played throughout");
  });

  test("the volume and speed chosen in the docked player stay as chosen on the next page, paused or playing", async () => {
    const choose = (settings: { volume: number; playbackRate: number; pause: boolean }) =>
      page.evaluate(`(async () => {
        // A page just shown again (the back button) may still be putting its docked player back.
        let player = null;
        for (let i = 0; i < 100 && !(player = document.querySelector("recording-player[docked]")); i++) await new Promise((r) => setTimeout(r, 50));
        player.volume = ${settings.volume};
        player.playbackRate = ${settings.playbackRate};
        if (${settings.pause}) player.pause();
      })()`);
    const settled = (volume: number, rate: number, paused: boolean) =>
      waitFor("the background's settings", playback, (s) => s.volume === volume && s.rate === rate && s.paused === paused);
    for (const [volume, rate, paused] of [
      [0.3, 1.5, true],
      [0.6, 1.25, false],
    ] as const) {
      // The page (back from the last one) has its docked player before anything is chosen in it.
      await dockedShows("the docked player", (v) => !v.hidden);
      await choose({ volume, playbackRate: rate, pause: paused });
      if (!paused) await page.evaluate(`document.querySelector("recording-player[docked]").play()`);
      await settled(volume, rate, paused);
      await Promise.all([page.waitForURL((url) => url.pathname === "/reports/calls-per-group"), page.click('nav a[href="/reports/calls-per-group"]')]);
      await dockedShows("the docked player on the next page", (v) => !v.hidden && v.paused === paused);
      await nothingShouldHappenFor(1000); // the new page must not apply settings of its own
      const state = await playback();
      assert.deepEqual({ volume: state.volume, rate: state.rate, paused: state.paused }, { volume, rate, paused });
      const shown = (await page.evaluate(`(() => {
        const player = document.querySelector("recording-player[docked]");
        return { volume: player.volume, rate: player.playbackRate };
      })()`)) as { volume: number; rate: number };
      assert.deepEqual(shown, { volume, rate });
      await page.goBack();
    }
    await choose({ volume: 1, playbackRate: 1, pause: false });
    await settled(1, 1, false);
  });

  test("a page script that posts forged messages gets nothing", async () => {
    const before = await playback();
    const result = (await page.evaluate(FORGE_MESSAGES)) as ForgeResult;
    assert.deepEqual(result.heard, []);
    assert.equal(result.runtime, "absent");
    const after = await playback();
    assert.equal(after.paused, false, "still playing");
    assert.equal(after.session?.callId, before.session?.callId);
    assert.equal(after.cue, before.cue);
  });

  test("a refused (expired) audio link is renewed from the reporting server and playback carries on from the same point", async () => {
    await page.evaluate(PLAY_FORGED_LINK);
    const view = await dockedShows("playing the first recording again", (v) => v.index === 0 && v.status === "playing" && v.time > 5.2, page, 20_000);
    assert.ok(view.time < 9, `carried on from 5 s: ${view.time}`);
    const state = await playback();
    assert.ok(!state.session!.recordings[0]!.src.includes("sig=forged"), "a renewed link");
    assert.equal(state.error, null);
  });

  test("the docked player's download button saves the recording under its readable name, byte for byte", async () => {
    const view = (await docked())!;
    const recording = (await apiRecordings(server.url, callId)).find((r) => r.id === view.recordingId)!;
    await page.locator('recording-player[docked] [part="download-button"]').click();
    const expected = await recordingBytes(recording.downloadUrl);
    await waitFor(
      "the download, complete",
      async () => readdirSync(downloads),
      (names) => names.includes(recording.fileName) && !names.some((n) => n.endsWith(".crdownload")) && readFileSync(join(downloads, recording.fileName)).length === expected.length,
    );
    assert.deepEqual(readFileSync(join(downloads, recording.fileName)), expected);
  });

  test("the keyboard commands work from any tab and are listed with their shortcuts", async () => {
    const commands = await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.commands.getAll());
    const shortcuts = Object.fromEntries(commands.filter((c) => c.name !== "_execute_action").map((c) => [c.name, c.shortcut]));
    assert.deepEqual(
      shortcuts,
      Object.fromEntries(Object.entries(COMMANDS).map(([name, c]) => [name, c.suggested_key.default])),
      "every command is listed with its suggested shortcut",
    );

    const other = await openPage("about:blank");
    await runCommand("toggle-play", other);
    const paused = await waitFor("paused by the command", playback, (s) => s.paused);
    await runCommand("skip-forward", other);
    const forward = await waitFor("10 s on", playback, (s) => s.cue > paused.cue);
    assert.ok(Math.abs(forward.position - (paused.position + 10)) < 0.5);
    await runCommand("skip-back", other);
    await waitFor("10 s back", playback, (s) => s.cue > forward.cue && Math.abs(s.position - paused.position) < 0.5);
    await runCommand("toggle-play", other);
    await waitFor("playing again", playback, (s) => !s.paused);
    await dockedShows("the docked player follows", (v) => v.status === "playing");

    const sessionUrl = (await playback()).session!.sessionUrl;
    await page.goto(`${server.url}/reports/calls-per-group`);
    await runCommand("open-session", page);
    await waitFor("the call's session in front", async () => context.pages().map((p) => p.url()), (urls) => urls.includes(sessionUrl));
    for (const p of context.pages()) if (p !== page && p !== extension) await p.close();
    await other.close().catch(() => undefined);
  });

  test("the toolbar popup shows what plays, with the same controls", async () => {
    const popup = await openPage(`${EXT}/extension/popup/popup.html`);
    const state = await playback();
    await popup.locator("recording-player").waitFor();
    assert.equal(await popup.textContent("#call-title"), state.session!.callTitle);
    const popupStatus = () => popup.evaluate(() => document.querySelector("recording-player")?.getAttribute("status") ?? null);
    await waitFor("the popup's player plays", popupStatus, (s) => s === "playing");
    await popup.locator('recording-player [part="play-button"]').click();
    await waitFor("paused from the popup", playback, (s) => s.paused);
    await dockedShows("the page's docked player shows it paused", (v) => v.paused && v.status !== "playing");
    await popup.locator('recording-player [part="play-button"]').click();
    await waitFor("playing from the popup", playback, (s) => !s.paused);
    await waitFor("the popup's player plays again", popupStatus, (s) => s === "playing");
    await popup.close();
  });

  test("a second tab of the reporting interface shows the same playback; the tabs do not pause each other and each follows the other", async () => {
    const second = await openPage(`${server.url}/reports/call-list`);
    const there = await dockedShows("the second tab's docked player", (v) => !v.hidden && v.status === "playing", second);
    assert.equal(there.recordingId, (await docked())!.recordingId);
    // Paused and played again from the second tab: the first tab's player follows.
    await second.locator('recording-player[docked] [part="play-button"]').click();
    await dockedShows("the first tab shows it paused", (v) => v.paused && v.status === "ready");
    await second.locator('recording-player[docked] [part="play-button"]').click();
    await dockedShows("the first tab shows it playing", (v) => !v.paused && v.status === "playing");
    await nothingShouldHappenFor(2500); // two views of one playback must not pause each other
    assert.equal((await playback()).paused, false, "two views of one playback do not pause each other");
    assert.equal((await docked(second))?.paused, false);
    await second.close();
  });

  test("two tabs start two recordings: only the last one plays, and the other tab's docked player shows it", async () => {
    const ours = await apiRecordings(server.url, callId);
    await page.goto(`${server.url}/reports/call-session?call=${encodeURIComponent(callId)}`);
    await page.locator('call-session-recordings[status="ready"]').waitFor();
    await page.locator(BARS).first().click({ position: { x: 4, y: 4 } });
    await dockedShows("tab A plays its call", (v) => v.recordingId === ours[0]!.id && v.status === "playing");

    const second = await openPage(`${server.url}/reports/call-list?hasRecording=1`);
    const row = second.locator(`tr[data-call-id]:not([data-call-id="${callId}"])`).first();
    const otherId = (await row.getAttribute("data-call-id"))!;
    const theirs = await apiRecordings(server.url, otherId);
    await second.locator(MARK(otherId)).click();
    await dockedShows("tab B plays its call", (v) => v.recordingId === theirs[0]!.id && v.status === "playing", second);
    // Tab A's player now shows what tab B started; its own call's recording no longer plays anywhere.
    const inA = await dockedShows("tab A shows tab B's recording, playing", (v) => v.recordingId === theirs[0]!.id && v.status === "playing");
    assert.equal(inA.background, true);
    assert.equal((await playback()).session?.callId, otherId);
    // One audio for the browser (the docked players say playing as the background asks for it,
    // a moment before Chrome lists the document that plays it).
    await waitFor("one offscreen document", offscreenDocuments, (docs) => docs.length === 1);
    assert.equal(inA.pageAudio + (await docked(second))!.pageAudio, 0, "neither page plays audio of its own");
    await waitFor("tab A's timeline marks no recording of its call as playing", () => page.locator('call-session-recordings [part~="recording-bar-current"]').count(), (n) => n === 0);
    const a1 = (await docked())!.time;
    await waitFor("tab A's view moving on with the audio", async () => (await docked())!.time, (t) => t > a1 + 0.5);
    const [inA2, inB2] = [(await docked())!, (await docked(second))!];
    const [a2, b2] = [inA2.time, inB2.time];
    assert.ok(a2 > a1 + 0.5, `tab A's view moves on with the audio: ${a1} then ${a2}`);
    // Tab B was read a moment later, while the audio played on.
    const b2then = b2 - (inB2.at - inA2.at) / 1000;
    assert.ok(Math.abs(a2 - b2then) < 1.5, `both tabs show one position: ${a2} and ${b2} ${inB2.at - inA2.at} ms later`);

    // And the other way round: the last one started wins again.
    await page.locator(BARS).nth(1).click({ position: { x: 4, y: 4 } });
    await dockedShows("tab B shows tab A's recording, playing", (v) => v.recordingId === ours[1]!.id && v.status === "playing", second);
    assert.equal((await playback()).session?.callId, callId);
    await second.close();
  });

  test("a page cannot have the extension play audio from a site it is not enabled for: nothing is fetched from there, and what played plays on", async () => {
    const foreign = await foreignSite();
    try {
      const before = await playback();
      assert.equal(before.paused, false);
      await page.evaluate(async (src) => {
        const player = document.querySelector("recording-player[docked]") as HTMLElement & { recordings: unknown[]; playRecording(i: number, at?: number): void; updateComplete: Promise<unknown> };
        player.recordings = [{ id: "foreign", src: `${src}/evil.wav`, downloadUrl: `${src}/evil.wav`, title: "Foreign" }];
        player.playRecording(0, 0);
        // An absence (nothing may be asked of the foreign site), given 2 s to show itself.
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }, foreign.url);
      assert.deepEqual(foreign.requests, [], "the foreign site was never asked");
      const after = await playback();
      assert.equal(after.session?.callId, before.session?.callId, "the call that played is still the one");
      assert.ok(!JSON.stringify(after).includes(foreign.url), "the foreign URL never reached the playback state");
      assert.equal(after.paused, false, "and it still plays");
      // (What the hostile page's own player shows is the page's business: it could draw anything.)

      // A tab of that site gets nothing of the extension: no player, no marks, no channel.
      const other = await openPage(`${foreign.url}/report`);
      await other.waitForTimeout(500);
      const seen = await other.evaluate(`(${FORGE_MESSAGES}).then((forged) => ({
        forged,
        player: document.querySelectorAll("recording-player, call-session-recordings, .crec-recording-mark").length,
        defined: Boolean(customElements.get("recording-player")),
      }))`);
      assert.deepEqual(seen, { forged: { heard: [], runtime: "absent" }, player: 0, defined: false });
      await other.close();
      assert.equal((await playback()).cue, after.cue, "nothing it sent reached the playback");
      // The page's docked player goes back to showing the browser's playback on the next page.
      await page.reload();
      await dockedShows("the docked player shows the playback again", (v) => !v.hidden && v.status === "playing" && v.recordingId === after.session!.recordings[after.index]!.id);
    } finally {
      await foreign.close();
    }
  });

  test("the browser goes offline during playback and back: the player waits at the same position and carries on by itself", async () => {
    const longest = server.db.prepare("SELECT c.id AS call, r.samples / 8000 AS seconds FROM recordings r JOIN calls c ON c.seq = r.call_seq ORDER BY r.samples DESC LIMIT 1").get() as { call: string; seconds: number };
    assert.ok(longest.seconds > 3000, "an hour-long recording, which no browser buffers whole");
    // Chrome closes an offscreen document whose audio has not been audible for 30 s, and headless
    // Chromium hears nothing: the test's offscreen document is a new one, made by the click below.
    const worker = await serviceWorker();
    await worker.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: { runtime: WithChrome["chrome"]["runtime"]; offscreen: { closeDocument(): Promise<void> } } }).chrome;
      if ((await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] })).length > 0) await chrome.offscreen.closeDocument();
    });
    await page.goto(`${server.url}/reports/call-session?call=${encodeURIComponent(longest.call)}`);
    await page.locator('call-session-recordings[status="ready"]').waitFor();
    await page.locator(BARS).first().click({ position: { x: 4, y: 4 } });
    await dockedShows("the hour-long recording plays", (v) => v.status === "playing" && v.duration === longest.seconds && v.time > 0.3);

    // Offline: the page, and the offscreen document that streams the audio.
    const devtools = await puppeteer.connect({ browserURL: `http://127.0.0.1:${devtoolsPort}`, defaultViewport: null });
    try {
      const audio = await devtools.waitForTarget((t) => t.url() === `${EXT}/extension/offscreen/offscreen.html`);
      const offscreen = await audio.createCDPSession();
      const tab = await context.newCDPSession(page);
      await offscreen.send("Network.enable");
      await tab.send("Network.enable");
      const network = async (offline: boolean) => {
        const conditions = { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
        await offscreen.send("Network.emulateNetworkConditions", conditions);
        await tab.send("Network.emulateNetworkConditions", conditions);
        // Offline alone once let the audio through about 2 s after the seek (the background's state
        // showed it playing on while still "offline"): the offscreen document's requests are blocked too.
        await offscreen.send("Network.setBlockedURLs", { urls: offline ? ["*"] : [] });
      };
      await network(true);
      // Where the listener goes next needs the network: it cannot come.
      const sought = Date.now();
      await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { seekTo(s: number): void }).seekTo(2400));
      await nothingShouldHappenFor(2000); // nothing may play while offline
      const offline = (await docked())!;
      assert.notEqual(offline.status, "playing", "nothing to play while offline");
      assert.ok(Math.abs(offline.time - 2400) < 1, `waits at 2400 s: ${offline.time}`);
      await network(false);
      const back = await dockedShows("playing on by itself at 2400 s", (v) => v.status === "playing" && v.time > 2400.3, page, 20_000);
      // From 2400 s, not from elsewhere (where it was before, or further on): no further than the
      // time since the seek.
      const since = (back.at - sought) / 1000;
      assert.ok(back.time < 2400 + since + 0.5, `carried on from 2400 s: ${back.time}, ${since.toFixed(1)} s after the seek`);
      assert.equal((await playback()).error, null);
      assert.equal(await page.locator('recording-player[docked] [part~="retry-button"]').count(), 0);
    } finally {
      await devtools.disconnect();
    }
  });

  test("the server restarts during playback: the player waits at the same point and carries on by itself once it is back", async () => {
    assert.equal((await docked())!.status, "playing");
    const port = server.port;
    await server.close();
    // The listener moves on while the server is down: the audio there cannot come.
    await page.evaluate(() => (document.querySelector("recording-player[docked]") as HTMLElement & { seekTo(s: number): void }).seekTo(3000));
    await nothingShouldHappenFor(2000); // nothing may play while the server is down
    const down = (await docked())!;
    assert.notEqual(down.status, "playing", "nothing to play while the server is down");
    assert.ok(Math.abs(down.time - 3000) < 1, `waits at 3000 s: ${down.time}`);

    // The same server comes back on its port and database: sessions and signed links still hold.
    server = await startServer({ dbPath, port });
    const up = Date.now();
    const resumed = await dockedShows("playing on by itself from 3000 s", (v) => v.status === "playing" && v.time > 3000.3, page, 30_000);
    // From 3000 s, not from elsewhere: no further on than the time it has had since the server came back.
    const since = (Date.now() - up) / 1000;
    assert.ok(resumed.time < 3000 + since + 1, `carried on from 3000 s: ${resumed.time} after ${since.toFixed(1)} s`);
    assert.equal((await playback()).error, null);
    assert.equal(await page.locator('recording-player[docked] [part~="retry-button"]').count(), 0);
  });

  test("the service worker stopped, and the audio's offscreen document closed before anything woke it: the next page plays on from where it was heard", async () => {
    // Chrome closes an offscreen document it has not heard for 30 s (a call on hold; a machine
    // without a sound device, like this one, every 30 s), and stops a service worker it finds idle.
    assert.equal((await docked())!.status, "playing");
    const worker = await workerInternals();
    // A worker can stop by itself between the status read and the click (its Stop button then
    // goes, and a click would wait for it for 30 s): whether it stopped is checked below.
    const stop = async () => {
      if ((await worker.status()) !== "STOPPED") await worker.stop(5_000).catch(() => undefined);
    };
    // A report the document sends before it closes starts a worker again, which would carry the
    // audio on by itself (its watchdog): stopped again, until neither runs.
    let heard: PlaybackState | null = null;
    for (let attempt = 0; attempt < 5 && !heard; attempt++) {
      // While the document plays, its next report (one a second) starts the worker again at once,
      // so this stop need not be seen to hold (on a busy machine the internals page never showed
      // it stopped): it only has to come before the document closes.
      await stop();
      await extension.evaluate(() => (globalThis as unknown as WithChrome).chrome.offscreen.closeDocument()).catch(() => undefined);
      await stop();
      const stopped = await waitFor("the worker stopped", worker.status, (s) => s === "STOPPED", 10_000).then(
        () => true,
        () => false,
      );
      if (!stopped) continue;
      await nothingShouldHappenFor(1000);
      if ((await worker.status()) === "STOPPED" && (await offscreenDocuments()).length === 0) heard = await playback();
    }
    await worker.close();
    assert.ok(heard, "the worker and the document both stopped");
    assert.equal(heard.paused, false, "stored as playing: nothing has noticed yet");
    const stoppedAt = Date.now();

    // The next page wakes the worker: it finds the document gone, in a browser that ran on.
    await page.reload();
    const resumed = await dockedShows("playing on after the worker found its audio gone", (v) => v.status === "playing" && v.time > heard.position + 0.3, page, 30_000);
    // From where it was heard last: not from the start, and not the time nothing played skipped.
    assert.ok(resumed.time < heard.position + 2 + (resumed.at - stoppedAt) / 1000, `resumed at ${resumed.time}, heard to ${heard.position}`);
    assert.ok(resumed.time > heard.position - 3, `resumed at ${resumed.time}, heard to ${heard.position}`);
    assert.equal((await offscreenDocuments()).length, 1);
    assert.equal((await playback()).error, null);
  });

  test("playback goes on when the service worker is stopped, and answers again after", async () => {
    type Marked = { crecTestMark?: boolean };
    await (await serviceWorker()).evaluate(() => ((globalThis as Marked).crecTestMark = true));
    const worker = await workerInternals();
    const from = (await docked())!;
    await worker.stop();
    // The audio's report, one a second, starts a stopped worker again at once, so the internals
    // page may never show it stopped: a worker without the mark set above shows that it was.
    await waitFor(
      "the worker stopped, and a new one in its place",
      async () => (await serviceWorker()).evaluate(() => (globalThis as Marked).crecTestMark !== true).catch(() => false),
      (fresh) => fresh,
    );
    // Its reports reach the page through a worker started again: with another test run beside
    // this one, the time shown once stood still for the 15 s this wait used to allow.
    await waitFor("the audio going on without the worker", async () => (await docked())!.time, (t) => t > from.time + 0.8, 30_000);
    // The next command starts a new worker, which knows what plays.
    await page.locator('recording-player[docked] [part="play-button"]').click();
    await waitFor("paused through a new worker", playback, (s) => s.paused);
    await waitFor("the worker runs again", worker.status, (s) => s === "RUNNING");
    await worker.close();
  });

  test("paused for longer than 30 s, with its offscreen document closed, playback resumes at the same position", { timeout: 90_000 }, async () => {
    const paused = await waitFor("paused", playback, (s) => s.paused);
    const since = Date.now();
    await waitFor("the offscreen document closed", offscreenDocuments, (docs) => docs.length === 0, 45_000);
    const wait = 31_000 - (Date.now() - since);
    if (wait > 0) await page.waitForTimeout(wait);
    await page.reload();
    const shown = await dockedShows("the docked player after the pause", (v) => !v.hidden && v.paused);
    assert.ok(Math.abs(shown.time - paused.position) < 0.1, `shows ${shown.time}, paused at ${paused.position}`);
    const clicked = Date.now();
    await page.locator('recording-player[docked] [part="play-button"]').click();
    const resumed = await dockedShows("playing again", (v) => v.status === "playing" && v.time > paused.position + 0.5);
    // From where it was paused: no further on than the time since the click (however slow the machine).
    assert.ok(resumed.time < paused.position + 1 + (resumed.at - clicked) / 1000, `resumed at ${resumed.time}, paused at ${paused.position}`);
    assert.equal((await offscreenDocuments()).length, 1);
  });

  test("after the browser restarts, the docked player shows the same recording, paused where it was, and resumes there", async () => {
    const recordingId = (await docked())!.recordingId;
    const heard = position(await playback());
    const closing = Date.now();
    await context.close();
    const closedAfter = (Date.now() - closing) / 1000;
    // Closed for a while, as a browser is overnight: that time is not played.
    await nothingShouldHappenFor(4000);
    await launch();
    await page.goto(`${server.url}/reports/calls-per-group`);
    const shown = await dockedShows("the docked player after the restart", (v) => !v.hidden && v.paused, page, 20_000);
    assert.equal(shown.recordingId, recordingId);
    // It played on while the browser closed, and its last report (one a second) may be a little behind.
    assert.ok(shown.time > heard - 1.5 && shown.time < heard + closedAfter + 2.5, `shows ${shown.time}, was at ${heard} when the browser began closing, which took ${closedAfter} s`);
    const clicked = Date.now();
    await page.locator('recording-player[docked] [part="play-button"]').click();
    // Fifty minutes into the recording, in a browser just started: with another test run beside
    // this one, it was still buffering after 15 s.
    const resumed = await dockedShows("playing after the restart", (v) => v.status === "playing" && v.time > shown.time + 0.3, page, 30_000);
    assert.ok(resumed.time < shown.time + 1 + (resumed.at - clicked) / 1000, `resumed at ${resumed.time}, shown at ${shown.time}`);
  });

  test("the Call Session page shows one time zone, and the docked player links to the call and closes, stopping the background playback", async () => {
    const tab = await openPage(`${server.url}/login`);
    try {
      // Someone still signed in is sent on from the sign-in page: sign them out first.
      if (new URL(tab.url()).pathname !== "/login") await Promise.all([tab.waitForURL((url) => url.pathname === "/login"), tab.click('form.signout button[type="submit"]')]);
      await tab.fill("#username", "admin");
      await tab.fill("#password", "admin-pass");
      await Promise.all([tab.waitForURL((url) => !url.pathname.startsWith("/login")), tab.click('button[type="submit"]')]);
      // A browser far from the site's zone, with a 12-hour locale: the site shows UTC, 24-hour.
      const cdp = await context.newCDPSession(tab);
      await cdp.send("Emulation.setTimezoneOverride", { timezoneId: "America/New_York" });
      await cdp.send("Emulation.setLocaleOverride", { locale: "en-US" });
      const [id] = await callsWithRecordings(server.url);
      const sessionUrl = `${server.url}/reports/call-session?call=${encodeURIComponent(id!)}`;
      await tab.goto(sessionUrl);
      await tab.locator('call-session-recordings[status="ready"]').waitFor();

      // The injected list's Start times read as the page's own times of the same instants, and say UTC.
      const times = (await tab.evaluate(`(() => {
        const read = (el) => ({ at: Date.parse(el.getAttribute("datetime")), text: el.textContent.trim() });
        const root = document.querySelector("call-session-recordings").shadowRoot;
        return {
          heading: [...root.querySelectorAll('[part~="list"] thead th')].map((th) => th.textContent.trim()).find((t) => t.startsWith("Start")),
          list: [...root.querySelectorAll('[part~="list-row"] time')].map(read),
          page: [...document.querySelectorAll("#call-session time")].map(read),
        };
      })()`)) as { heading: string; list: { at: number; text: string }[]; page: { at: number; text: string }[] };
      assert.equal(times.heading, "Start (UTC)");
      assert.ok(times.list.length > 0);
      const pairs = times.list.flatMap((shown) => times.page.filter((own) => own.at === shown.at).map((own) => ({ page: own.text, list: shown.text })));
      assert.ok(pairs.length > 0, `a recording starts at a time the page shows: ${JSON.stringify(times)}`);
      for (const { page: own, list } of pairs) assert.equal(list, own.slice(-8), `the page says ${own}, the list ${list}`);

      await tab.locator(BARS).first().click({ position: { x: 5, y: 5 } });
      await dockedShows("the docked player plays", (v) => !v.hidden && v.status === "playing" && v.time > 0.3, tab);
      assert.equal((await playback()).session?.callId, id);

      // Its link leads to the playing call's Call Session view.
      const link = tab.locator('recording-player[docked] [part="call-link"]');
      assert.equal(await link.getAttribute("href"), sessionUrl);
      assert.equal(await link.getAttribute("aria-label"), "Open the call");
      assert.equal((await playback()).session?.sessionUrl, sessionUrl);

      // Closed: the background's playback stops and is forgotten, as "Stop and close" in the popup does.
      const close = tab.locator('recording-player[docked] [part="close-button"]');
      assert.equal(await close.getAttribute("aria-label"), "Close player");
      await close.click();
      await waitFor("the background stopped and forgot the call", playback, (st) => st.session === null && st.paused);
      await dockedShows("the docked player is put away", (v) => v.hidden, tab);

      // Played again on the same page: the docked player is back, with its link. Stopped from the
      // popup's "Stop and close" this time: the tab's docked player goes away too, and stays away on the next page.
      await tab.locator(BARS).first().click({ position: { x: 5, y: 5 } });
      await dockedShows("the docked player is back, playing", (v) => !v.hidden && v.status === "playing" && v.time > 0.3, tab);
      assert.equal(await link.getAttribute("href"), sessionUrl);
      const popup = await openPage(`${EXT}/extension/popup/popup.html`);
      await popup.locator("recording-player").waitFor();
      await popup.click("#close");
      await waitFor("stopped again", playback, (st) => st.session === null && st.paused);
      await popup.locator("#empty").waitFor();
      assert.equal(await popup.locator("recording-player").count(), 0, "the popup shows nothing playing");
      await popup.close();
      await dockedShows("the docked player is put away again", (v) => v.hidden, tab);
      await tab.goto(`${server.url}/reports/calls-per-group`);
      await nothingShouldHappenFor(1000); // no docked player may come
      const view = await docked(tab);
      assert.ok(view === null || view.hidden, `no docked player on the next page (${JSON.stringify(view)})`);
      await cdp.detach();
    } finally {
      await tab.close();
    }
  });
});
