/**
 * What the extension's end-to-end tests share (test/e2e/extension-*.test.ts): the reference
 * server with the demo data, the built extension, and reading the page's docked player.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import puppeteer, { type Browser, type Page as PuppeteerPage } from "puppeteer-core";
import { CHROME_EXTENSION_ID, FIREFOX_EXTENSION_ID } from "../../extension/manifest.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { Client } from "../support/server.js";

/** The demo dataset when there is one, else the test fixture. */
export function e2eDataset(): unknown {
  const demo = resolve("server/demo/dataset.json");
  return existsSync(demo) ? (JSON.parse(readFileSync(demo, "utf8")) as unknown) : fixtureDataset();
}

/** The built extension for a browser; fails with what to do when it is not built. */
export function builtExtension(browser: "chrome" | "firefox"): string {
  const dir = resolve("dist", browser);
  if (!existsSync(resolve(dir, "manifest.json"))) throw new Error(`${dir} is not built: run npm run build first (npm test does)`);
  return dir;
}

/** The Firefox extension's internal UUID, fixed by a pref (Firefox picks a random one otherwise), so tests can open its pages. */
export const FIREFOX_EXTENSION_UUID = "6c0d2a53-7d4e-4f0b-9e21-5b8c3f1a7e42";

/** Prefs for a Firefox that tests drive: the extension's pages at a known address. */
export const FIREFOX_EXTENSION_PREFS = { "extensions.webextensions.uuids": JSON.stringify({ [FIREFOX_EXTENSION_ID]: FIREFOX_EXTENSION_UUID }) };

/** Firefox's arguments for that: WebDriver BiDi navigates to moz-extension pages only with system access allowed. */
export const FIREFOX_EXTENSION_ARGS = ["--remote-allow-system-access"];

/** The extension's options page in each browser: one of the extension's own pages, which may enable an origin. */
export const OPTIONS_PAGE = {
  chrome: `chrome-extension://${CHROME_EXTENSION_ID}/extension/options/options.html`,
  firefox: `moz-extension://${FIREFOX_EXTENSION_UUID}/extension/options/options.html`,
} as const;

/**
 * Opens the options page in a Firefox tab that Puppeteer drives (launched with FIREFOX_EXTENSION_ARGS
 * and FIREFOX_EXTENSION_PREFS). WebDriver BiDi never reports that navigation done (the tab moves
 * to the extension's process), so this waits for the page itself.
 */
export async function openFirefoxOptions(page: PuppeteerPage): Promise<void> {
  page.goto(OPTIONS_PAGE.firefox, { timeout: 60_000 }).catch(() => undefined);
  await waitFor(
    "the options page",
    () => page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => ""),
    (at) => at === `${OPTIONS_PAGE.firefox} complete`,
  );
}

/** An extension page open in a Playwright or Puppeteer browser, in either engine. */
export interface ExtensionPage {
  evaluate(fn: (origin: string) => Promise<string | null>, origin: string): Promise<string | null>;
}

/**
 * Enables a reporting origin as the options page's Add does once the browser granted its host
 * permission: `origins/add` from one of the extension's own pages (`on`, showing OPTIONS_PAGE).
 * The extension is enabled out of the box only on the reference server as `npm start` serves it
 * (port 8787), so a test's server on a free port, or a fixture server, is enabled this way in
 * setup. Loopback hosts need no prompt: their host permission is granted at install. Resolves
 * once the background has saved it and registered the content scripts for it.
 */
export async function enableOrigin(on: ExtensionPage, origin: string): Promise<void> {
  const problem = await on.evaluate(async (o) => {
    type Api = { runtime: { sendMessage(message: unknown): Promise<unknown> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    const reply = (await (g.browser ?? g.chrome)!.runtime.sendMessage({ type: "origins/add", origin: o })) as { ok?: boolean } | undefined;
    return reply?.ok === true ? null : JSON.stringify(reply ?? null);
  }, origin);
  if (problem !== null) throw new Error(`the extension did not enable ${origin}: ${problem}`);
}

/** The page's docked player, as a user would see it. */
export interface DockedView {
  hidden: boolean;
  index: number;
  recordingId: string | null;
  time: number;
  duration: number;
  paused: boolean;
  status: string;
  /** Driven by the extension's engine (the audio plays in the background). */
  background: boolean;
  /** Media elements in the page itself (the extension plays none there). */
  pageAudio: number;
  /** Docked players in the page: one, the extension's (a second would be a player of the page's own). */
  dockedPlayers: number;
  /** When it was read (Date.now() in the page: the same clock as the test's). */
  at: number;
}

/** Evaluated in the page: reads the docked player. */
export const readDocked = (): DockedView | null => {
  type Player = HTMLElement & {
    hidden: boolean;
    currentIndex: number;
    currentRecording?: { id: string };
    currentTime: number;
    duration: number;
    paused: boolean;
    status: string;
    engine: { takesOver?: { lifetime: boolean } };
  };
  const p = document.querySelector<Player>("recording-player[docked]");
  if (!p || typeof p.currentIndex !== "number") return null;
  return {
    hidden: p.hidden,
    index: p.currentIndex,
    recordingId: p.currentRecording?.id ?? null,
    time: p.currentTime,
    duration: p.duration,
    paused: p.paused,
    status: p.status,
    background: p.engine.takesOver?.lifetime === true,
    pageAudio: document.querySelectorAll("audio, video").length,
    dockedPlayers: document.querySelectorAll("recording-player[docked]").length,
    at: Date.now(),
  };
};

/** Polls `read` until `ok` holds; fails with the last value seen. */
export async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < until) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (e) {
      // A page in the middle of navigating cannot be read; try again.
      error = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: last seen ${JSON.stringify(last)}${error ? ` (${String(error)})` : ""}`);
}

/**
 * Goes to `url` in Firefox by setting the page's address, then waits until a new document has
 * loaded at its path. After Firefox's back button restored a page from its cache, puppeteer's
 * idea of the page's address can be stale, and a goto there waits for a navigation it never sees.
 * The document left is marked first: a page already at that path (the sign-in page, going to
 * the sign-in page) would otherwise pass for the new one, and an element found in it be gone by
 * the time it is used (Firefox then refuses the call with "Not allowed to define cross-origin
 * object").
 */
export async function goByAddress(page: PuppeteerPage, url: string): Promise<void> {
  const mark = "__crecTestLeft";
  await page.evaluate((to: string, key: string) => {
    (window as unknown as Record<string, boolean>)[key] = true;
    location.assign(to);
  }, url, mark);
  const { origin, pathname } = new URL(url);
  await waitFor(
    `at ${url}`,
    () => page.evaluate((key: string) => `${key in window ? "left" : "new"} ${location.origin}${location.pathname} ${document.readyState}`, mark).catch(() => ""),
    (at) => at === `new ${origin}${pathname} complete`,
  );
}

/** A recording as the API gives it, with the name its download is saved under. */
export interface ApiRecording {
  id: string;
  durationSeconds: number;
  fileName: string;
  audioUrl: string;
  downloadUrl: string;
}

/** The call's recordings, read as `user` through the API. */
export async function apiRecordings(base: string, callId: string, user = "admin"): Promise<ApiRecording[]> {
  const client = new Client(base);
  await client.signIn(user);
  const { body } = await client.json<{ recordings: ApiRecording[] }>(`/api/calls/${encodeURIComponent(callId)}`);
  return body.recordings;
}

/** Calls with recordings `user` may play, newest first, as the API lists them. */
export async function callsWithRecordings(base: string, user = "admin", limit = 5): Promise<string[]> {
  const client = new Client(base);
  await client.signIn(user);
  const { body } = await client.json<{ calls: { id: string }[] }>(`/api/calls?hasRecording=true&limit=${limit}`);
  return body.calls.map((c) => c.id);
}

/** The bytes of a recording, fetched directly. */
export async function recordingBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * A page script that posts forged messages, trying to reach the extension: evaluated in the
 * page, it resolves with what came back (`heard`) and whether pages have a runtime to message
 * the extension with. A string, so the test runner's transpiler leaves it as it is.
 */
export const FORGE_MESSAGES = `(async () => {
  const heard = [];
  const listen = () => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => heard.push(event.data);
    return channel.port2;
  };
  const hello = { type: "crec-extension-channel", version: 1 };
  // A second handover, posted and dispatched, with the page's own port.
  window.postMessage(hello, "*", [listen()]);
  window.dispatchEvent(new MessageEvent("message", { data: hello, ports: [listen()] }));
  // Requests posted to the window, as if the channel were the window itself.
  for (const request of [{ type: "player/pause" }, { type: "player/load", session: {}, index: 0, startAt: 0 }, { type: "origins/add", origin: "https://evil.example" }]) {
    window.postMessage({ kind: "request", id: 1, request }, "*");
    window.postMessage(request, "*");
  }
  const runtime = globalThis.chrome?.runtime?.sendMessage || globalThis.browser?.runtime?.sendMessage ? "exposed" : "absent";
  // Nothing may answer the forgeries: an absence, given 1.5 s to show itself (in the page, where
  // test/support/until.ts's nothingShouldHappenFor cannot be imported).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return { heard, runtime };
})()`;

export interface ForgeResult {
  heard: unknown[];
  runtime: string;
}

/**
 * Gives the docked player's call a forged signature and plays its first recording from 5 s: the
 * server refuses the audio (403), as it does an expired link. Evaluated in the page.
 */
export const PLAY_FORGED_LINK = `(() => {
  const player = document.querySelector("recording-player[docked]");
  player.recordings = player.recordings.map((r) => ({ ...r, src: r.src.replace(/sig=[^&]+/, "sig=forged") }));
  player.playRecording(0, 5);
})()`;

/** The Call List's layout as a user sees it: every column's width and every row's height, in px. */
export interface CallListLayout {
  columns: number[];
  rows: number[];
  /** Rows with a recording mark. */
  marked: number;
  /** Marks not drawn beside their row's Start Time (over it, over the next column's text, or off the row's line), described. */
  misplaced: string[];
}

/**
 * Evaluated in the Call List page: its layout (columns from the header cells, every call's row),
 * and where each recording mark is drawn. A string: the test runner would name the functions
 * with a helper the page does not have.
 */
export const CALL_LIST_LAYOUT = `(() => {
  const px = (n) => Math.round(n * 100) / 100;
  const rows = [...document.querySelectorAll("tr[data-call-id]")];
  const marks = new Map([...document.querySelectorAll(".crec-recording-mark")].map((m) => [m.dataset.callId, m]));
  const misplaced = [];
  let marked = 0;
  for (const row of rows) {
    const mark = marks.get(row.dataset.callId);
    if (!mark) continue;
    marked++;
    const m = mark.getBoundingClientRect();
    const link = row.cells[0].querySelector("a").getBoundingClientRect();
    const next = document.createRange();
    next.selectNodeContents(row.cells[1]);
    const text = next.getBoundingClientRect();
    const middle = (m.top + m.bottom) / 2;
    if (m.left < link.right - 0.5 || m.right > text.left + 0.5 || middle < link.top || middle > link.bottom) {
      misplaced.push(row.dataset.callId + ": mark " + [m.left, m.right, m.top, m.bottom].map(px) + ", link " + [link.left, link.right, link.top, link.bottom].map(px) + ", next text from " + px(text.left));
    }
  }
  return {
    columns: [...document.querySelectorAll("table.call-list thead th")].map((th) => px(th.getBoundingClientRect().width)),
    rows: rows.map((row) => px(row.getBoundingClientRect().height)),
    marked,
    misplaced,
  };
})()`;

/**
 * Evaluated in the Call List page, as a site might lay it out: its table in a box 250 px tall
 * that scrolls on its own (`#list-box`), more of the page after it, and the box in the middle
 * of the window.
 */
const PUT_LIST_IN_SCROLLING_BOX = `(() => {
  const table = document.querySelector("table:has(tr[data-call-id])");
  const box = document.createElement("div");
  box.id = "list-box";
  box.style.cssText = "height: 250px; overflow: auto";
  const after = document.createElement("p");
  after.style.cssText = "height: 800px; margin: 0";
  after.textContent = "More of the page.";
  table.replaceWith(box, after);
  box.append(table);
  box.scrollIntoView({ block: "center" });
})()`;

/** On screen, the marks a click reaches inside `#list-box` and outside it, and how many are outside it. */
interface MarksReached {
  inside: number;
  outside: number;
  outsideOnScreen: number;
}

/**
 * Evaluated in that page: which marks on screen a click reaches, inside the box and outside it
 * (a mark whose row has scrolled out of the box must not be drawn over the page around it).
 */
const MARKS_REACHED = `(() => {
  const box = document.getElementById("list-box").getBoundingClientRect();
  const seen = { inside: 0, outside: 0, outsideOnScreen: 0 };
  for (const mark of document.querySelectorAll(".crec-recording-mark")) {
    const at = mark.getBoundingClientRect();
    const x = (at.left + at.right) / 2;
    const y = (at.top + at.bottom) / 2;
    if (y < 0 || y > innerHeight) continue;
    const hit = document.elementFromPoint(x, y) === mark;
    if (at.top >= box.top && at.bottom <= box.bottom) seen.inside += hit ? 1 : 0;
    else if (at.bottom < box.top || at.top > box.bottom) {
      seen.outsideOnScreen++;
      seen.outside += hit ? 1 : 0;
    }
  }
  return seen;
})()`;

/**
 * In a Call List page of `count` rows, in either browser (`evaluate` runs a page expression): the
 * list put in a scrolling box, its rows near the top are marked beside their Start Time, and only
 * the marks inside the box can be reached; scrolled through to its end (the page itself not
 * scrolling), every row is marked beside its Start Time, the marks of the rows above the box not
 * reachable; and back at the top, every mark follows its row.
 */
export async function checkMarksInScrollingBox(evaluate: (expression: string) => Promise<unknown>, count: number): Promise<void> {
  await evaluate(PUT_LIST_IN_SCROLLING_BOX);
  const layout = () => evaluate(CALL_LIST_LAYOUT) as Promise<CallListLayout>;
  const reached = () => evaluate(MARKS_REACHED) as Promise<MarksReached>;
  const atFirst = await waitFor("the rows near the top marked, beside their Start Time", layout, (l) => l.marked > 0 && l.misplaced.length === 0);
  assert.ok(atFirst.marked < count, `${atFirst.marked} of ${count} rows marked before the box scrolls`);
  const below = await waitFor("the marks in the box reached, those of the rows below it not", reached, (r) => r.inside > 0 && r.outside === 0);
  assert.ok(below.outsideOnScreen > 0, `marks of rows below the box, on screen: ${JSON.stringify(below)}`);
  const pageScroll = await evaluate("scrollY");
  const box = `document.getElementById("list-box")`;
  while (await evaluate(`${box}.scrollTop + ${box}.clientHeight < ${box}.scrollHeight - 1`)) {
    await evaluate(`${box}.scrollBy(0, 300)`);
    await new Promise((r) => setTimeout(r, 30));
  }
  await waitFor("every row marked, each beside its Start Time, once the box is scrolled to its end", layout, (l) => l.marked === count && l.misplaced.length === 0);
  assert.equal(await evaluate("scrollY"), pageScroll, "the page itself did not scroll");
  const above = await waitFor("at the end, the marks in the box reached, those of the rows above it not", reached, (r) => r.inside > 0 && r.outside === 0);
  assert.ok(above.outsideOnScreen > 0, `marks of rows above the box, on screen: ${JSON.stringify(above)}`);
  await evaluate(`${box}.scrollTo(0, 0)`);
  await waitFor("back at the top, every mark beside its Start Time", layout, (l) => l.misplaced.length === 0);
}

/** Where two layouts of the Call List differ by more than 1 px (a column's width, a row's height), described; none when they are the same. */
export function layoutDifferences(withMarks: CallListLayout, without: CallListLayout): string[] {
  const differences: string[] = [];
  const compare = (what: string, a: number[], b: number[]) => {
    if (a.length !== b.length) differences.push(`${a.length} ${what}s, ${b.length} without the extension`);
    a.forEach((value, i) => {
      if (Math.abs(value - (b[i] ?? Number.NaN)) > 1 || Number.isNaN(b[i] ?? Number.NaN)) differences.push(`${what} ${i + 1}: ${value} px, ${b[i]} px without the extension`);
    });
  };
  compare("column", withMarks.columns, without.columns);
  compare("row", withMarks.rows, without.rows);
  return differences;
}

/** What has keyboard focus in the page: its tag, the call it belongs to (its row's, or a mark's own), and whether it is a mark. */
export const FOCUSED = `(() => {
  const el = document.activeElement;
  const mark = el.classList.contains("crec-recording-mark");
  return { tag: el.localName, mark, callId: mark ? el.dataset.callId : el.closest("tr[data-call-id]")?.dataset.callId ?? null, label: el.getAttribute("aria-label") };
})()`;

export interface Focused {
  tag: string;
  mark: boolean;
  callId: string | null;
  label: string | null;
}

/** A site the extension is not enabled for (127.0.0.2 is not one of the reference server's hosts), counting what it is asked. */
export async function foreignSite(host = "127.0.0.2"): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const site: Server = createServer((req, res) => {
    if (req.url === "/report") {
      // A page of its own, shaped like a reporting page, that tries to reach the extension.
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>Not a reporting site</title><table><tr data-call-id="c-1"><td><a href="#">x</a></td></tr></table><section id="call-session" data-call-id="c-1"></section>`);
      return;
    }
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "audio/wav" });
    res.end(Buffer.alloc(1024));
  });
  await new Promise<void>((resolve) => site.listen(0, host, resolve));
  const { port } = site.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        site.closeAllConnections();
        site.close(() => resolve());
      }),
  };
}

/** Chromium with the built extension, as the end-to-end files launch it. */
export interface ChromiumWithExtension {
  context: BrowserContext;
  /** The first tab, for the reporting pages. */
  page: Page;
  /** A tab on the extension's options page: reads the extension's storage, enables origins. */
  options: Page;
  /** The profile folder (a fresh one unless given). */
  profile: string;
  /** Closes the browser and removes the profile and downloads folders this made. */
  close(): Promise<void>;
}

/**
 * Starts Chromium with the built extension in a profile of its own (`profile`, to start it
 * again on the same one after a "browser restart"), downloads saved under their own names into
 * `downloads`, and the options page open in a second tab. Page errors are logged.
 */
export async function launchChromiumWithExtension(
  settings: { name: string; profile?: string; downloads?: string; args?: string[]; acceptDownloads?: boolean } = { name: "e2e" },
): Promise<ChromiumWithExtension> {
  const made: string[] = [];
  const profile = settings.profile ?? mkdtempSync(join(tmpdir(), `crec-chromium-${settings.name}-`));
  if (!settings.profile) made.push(profile);
  const dir = builtExtension("chrome");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    ...(settings.acceptDownloads ? { acceptDownloads: true } : {}),
    args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, "--no-sandbox", ...(settings.args ?? [])],
  });
  await (context.serviceWorkers()[0] ?? context.waitForEvent("serviceworker"));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => console.error(`page error on ${page.url()}: ${error.message}`));
  if (settings.downloads) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: settings.downloads, eventsEnabled: true });
  }
  const options = await context.newPage();
  options.on("pageerror", (error) => console.error(`page error on ${options.url()}: ${error.message}`));
  await options.goto(OPTIONS_PAGE.chrome);
  await page.bringToFront();
  return {
    context,
    page,
    options,
    profile,
    close: async () => {
      await context.close();
      for (const folder of made) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * Starts Firefox ESR with the built extension installed, its audio on a mock device that keeps
 * real-time pace (no sound card here), its pages at a known address, and `prefs` on top;
 * downloads go into `downloads` without asking.
 */
export async function launchFirefoxWithExtension(settings: { downloads?: string; prefs?: Record<string, unknown> } = {}): Promise<Browser> {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    args: FIREFOX_EXTENSION_ARGS,
    extraPrefsFirefox: {
      ...FIREFOX_EXTENSION_PREFS,
      "media.cubeb.force_mock_context": true,
      ...(settings.downloads
        ? {
            "browser.download.dir": settings.downloads,
            "browser.download.folderList": 2,
            "browser.download.useDownloadDir": true,
            "browser.download.always_ask_before_handling_new_types": false,
          }
        : {}),
      ...settings.prefs,
    },
  });
  const id = await browser.installExtension(builtExtension("firefox"));
  if (id !== FIREFOX_EXTENSION_ID) throw new Error(`the extension installed as ${id}, not ${FIREFOX_EXTENSION_ID}`);
  return browser;
}

/** Enables origins in Firefox from a tab on the options page, closed after. */
export async function enableOriginsInFirefox(browser: Browser, origins: readonly string[]): Promise<void> {
  const options = await browser.newPage();
  try {
    await openFirefoxOptions(options);
    for (const origin of origins) await enableOrigin(options, origin);
  } finally {
    await options.close();
  }
}
