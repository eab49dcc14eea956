/**
 * The companion extension (a probed copy of dist/chrome) in headless Chromium on a site it was not
 * built with: the FusionPBX-shaped fixture (test/fixtures), whose pages play recordings with
 * their own inline `<audio>` and scripts (issue 12).
 *
 * - the page's own play button (`#recording_button_<uuid>` on the Call List, which calls the
 *   page's `recording_play()`) to `playing`: with the extension, in its offscreen document (the
 *   page's `play()` is carried into the background player), the offscreen document closed before
 *   each click (the first play, or after 30 s of silence: the figure) and open (logged, and in
 *   the note of a missed target); without it, the page's own `<audio>` in a plain Chromium (a
 *   fresh context each run). `playing` is timed as in bench/extension.ts, by the probe in the
 *   document whose audio plays; the offscreen audio is checked to have advanced by the time it
 *   is paused. Each click plays another recording than the one loaded last, so the audio loads;
 * - the content scripts' own main-thread time loading the site's dashboard (`/core/dashboard/`,
 *   no recordings on it), from CDP traces as in bench/extension.ts, with nothing in the docked
 *   player, against the same page in a browser without the extension.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page, Target } from "puppeteer-core";
import { CHROME_EXTENSION_ID } from "../extension/manifest.js";
import { FIXTURE_USER, FUSION_CALLS } from "../test/fixtures/data.js";
import { startFixtureServers } from "../test/fixtures/server.js";
import { enableOrigin } from "../test/extension/e2e-support.js";
import { firstEvent, launchChromium, probedExtension, probedPage, readProbe, rotated, sleep, until, type ProbeState } from "./browser.js";
import { median, type Figure } from "./report.js";
import { analyseTrace, LOADED_MARK, PROFILED_TRACE_CATEGORIES, type TraceSummary } from "./trace.js";

const ROUNDS = Number(process.env.BENCH_FIXTURE_ROUNDS ?? 9);
const TRACE_ROUNDS = Number(process.env.BENCH_TRACE_ROUNDS ?? 5);
/** `BENCH_COMPARE_EXTENSION=dir`: another build (an earlier commit's dist/chrome), its dashboard traced in turn with this one's and logged beside it. */
const COMPARE = process.env.BENCH_COMPARE_EXTENSION;
const EXT = `chrome-extension://${CHROME_EXTENSION_ID}`;
const DASHBOARD = "/core/dashboard/";

type Mode = "page" | "cold" | "warm";
type Cookie = { name: string; value: string; domain: string; path: string };

export async function fixture(log: (s: string) => void): Promise<Figure[]> {
  const servers = await startFixtureServers({ fusionpbxPort: 0, freepbxPort: 0, host: "localhost" });
  const { origin, callListUrl } = servers.fusionpbx;
  const probed = probedExtension();
  const withExtension = await launchChromium({ extension: probed.dir });
  const plain = await launchChromium();
  try {
    const cookie = { ...(await signIn(origin)), domain: "localhost", path: "/" };
    await withExtension.defaultBrowserContext().setCookie(cookie);
    // An extension page kept open, to close the offscreen document from.
    const options = await withExtension.newPage();
    await options.goto(`${EXT}/extension/options/options.html`);
    // The fixture server is on a free port: enabled as the options page's Add does.
    await enableOrigin(options, origin);
    const offscreenTarget = (): Target | undefined => withExtension.targets().find((t) => t.type() === "background_page" && t.url().includes("/offscreen/offscreen.html"));
    const offscreenPages = new WeakMap<Target, Page>();
    const offscreenPage = async (): Promise<Page> => {
      const target = (await until("the offscreen document", async () => offscreenTarget(), (t) => t !== undefined, 20_000))!;
      if (!offscreenPages.has(target)) offscreenPages.set(target, await target.asPage());
      return offscreenPages.get(target)!;
    };
    const offscreenProbe = async (): Promise<ProbeState> => readProbe(await offscreenPage());
    const closeOffscreen = async () => {
      if (!offscreenTarget()) return;
      await options.evaluate(() => (globalThis as unknown as { chrome: { offscreen: { closeDocument(): Promise<void> } } }).chrome.offscreen.closeDocument());
      await until("the offscreen document closed", async () => offscreenTarget(), (t) => t === undefined, 10_000);
    };

    // Content scripts on the dashboard, first: nothing has been played, so nothing is in the docked player.
    type Variant = "with" | "without" | "compare";
    const traces: Record<Variant, TraceSummary[]> = { with: [], without: [], compare: [] };
    const compared = COMPARE ? await launchChromium({ extension: COMPARE }) : null;
    if (compared) {
      await compared.defaultBrowserContext().setCookie(cookie);
      const page = await compared.newPage();
      await page.goto(`${EXT}/extension/options/options.html`);
      await enableOrigin(page, origin);
      await page.close();
    }
    const browserOf = (which: Variant) => (which === "with" ? withExtension : which === "compare" ? compared! : plain);
    const variants: Variant[] = compared ? ["with", "without", "compare"] : ["with", "without"];
    // A first load in each browser, not counted (in a new profile, the extension's first page
    // can run before its settings are stored, and its scripts then do next to nothing).
    for (const which of variants) await traceDashboard(browserOf(which), which !== "without", origin, cookie);
    for (let round = 0; round < TRACE_ROUNDS; round++) {
      for (const which of rotated(variants, round)) {
        traces[which].push(await traceDashboard(browserOf(which), which !== "without", origin, cookie));
      }
    }
    await compared?.close();
    const ms = (x: number) => x.toFixed(1);
    const scriptsOf = (which: Variant) =>
      [...new Set(traces[which].flatMap((t) => Object.keys(t.extensionByScript)))]
        .map((name) => `${name.replace(/^extension\/content\//, "")} ${ms(median(traces[which].map((t) => t.extensionByScript[name] ?? 0)))}`)
        .join(", ");
    for (const which of variants) {
      const label = which === "compare" ? `with the compared build (${COMPARE ?? ""})` : `${which} the extension`;
      log(
        `  dashboard, ${label}: busy ${traces[which].map((t) => ms(t.busyMs)).join(" ")} ms; extension scripts ${traces[which].map((t) => ms(t.extensionMs)).join(" ")} ms` +
          (which === "without" ? "" : ` (median ${ms(median(traces[which].map((t) => t.extensionMs)))}: ${scriptsOf(which)})`),
      );
    }
    const scripts = median(traces.with.map((t) => t.extensionMs));
    const byScript = Object.fromEntries([...new Set(traces.with.flatMap((t) => Object.keys(t.extensionByScript)))].map((name) => [name, median(traces.with.map((t) => t.extensionByScript[name] ?? 0))]));
    const busy = { with: median(traces.with.map((t) => t.busyMs)), without: median(traces.without.map((t) => t.busyMs)) };
    const busyAdded = busy.with - busy.without;

    // The page's own play button to `playing`, taking turns: the offscreen document closed
    // ("cold", the row's figure) and open ("warm", as while anything has played in the last 30 s).
    const recorded = FUSION_CALLS.filter((c) => c.audio);
    const times: Record<Mode, number[]> = { page: [], cold: [], warm: [] };
    /** When the offscreen audio began loading (its `loadstart`), from the click (the page's element fired its own as the page loaded). */
    const loading: Record<Mode, number[]> = { page: [], cold: [], warm: [] };
    /** Plays a call from its row's button until `playing` (in the offscreen document with the extension); ms from the click. */
    const play = async (mode: Mode, uuid: string) => {
      const context = mode === "page" ? await plain.createBrowserContext() : withExtension.defaultBrowserContext();
      if (mode === "page") await context.setCookie(cookie);
      const page = await callList(await probedPage(context), callListUrl, uuid);
      try {
        const clicked = await clickPlay(page, uuid);
        const probe = mode === "page" ? () => readProbe(page) : offscreenProbe;
        const at = await until(`playing (${mode})`, probe, (p) => firstEvent(p, "playing", clicked) !== undefined, 30_000, 10);
        if (mode !== "page") {
          // Heard playing: the offscreen audio has moved on from where it began before it is
          // paused (a pause within a few milliseconds of `playing` can find it where it began).
          const began = firstEvent(at, "playing", clicked)!.position;
          const offscreen = await offscreenPage();
          const position = () => offscreen.evaluate(() => (globalThis as unknown as { __bench: { media: HTMLMediaElement | null } }).__bench.media?.currentTime ?? 0);
          await until("the offscreen audio moving on", position, (t) => t > began, 10_000, 20);
          // Paused from the docked player (the page's own element pauses with it).
          const since = Date.now();
          await page.evaluate(() => (document.querySelector("recording-player[docked]") as (HTMLElement & { pause(): void }) | null)?.pause());
          const paused = await until("paused", offscreenProbe, (p) => p.events.some((e) => e.type === "pause" && e.at >= since - 5), 10_000, 20);
          if (!(paused.events.findLast((e) => e.type === "pause")!.position > began)) throw new Error(`the offscreen audio did not advance from ${began} s before it was paused`);
        }
        return { playing: firstEvent(at, "playing", clicked)!.at - clicked, loading: (firstEvent(at, "loadstart", clicked)?.at ?? Number.NaN) - clicked };
      } finally {
        await (mode === "page" ? context.close() : page.close());
      }
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of rotated(["page", "cold", "warm"] as const, round)) {
        const [uuid, other] = round % 2 ? [recorded[0]!.uuid, recorded[1]!.uuid] : [recorded[1]!.uuid, recorded[0]!.uuid];
        if (mode === "cold") await closeOffscreen();
        // Something else played a moment ago.
        if (mode === "warm") await play(mode, other);
        const run = await play(mode, uuid);
        times[mode].push(run.playing);
        loading[mode].push(run.loading);
      }
    }
    const show = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(" ");
    log(
      `  the page's play button to playing (ms): without the extension ${show(times.page)}; with it, in the offscreen document, cold ${show(times.cold)}; warm ${show(times.warm)}\n` +
        `  to the offscreen audio's loadstart (ms): cold ${show(loading.cold)}; warm ${show(loading.warm)}`,
    );
    const inPage = median(times.page);
    const carried = median(times.cold);
    const added = carried - inPage;
    const warmAdded = median(times.warm) - inPage;
    return [
      {
        name: `the page's own play button (FusionPBX-shaped Call List) to \`playing\` in the extension's offscreen document (created by the click), against the page's own <audio> without the extension (median of ${ROUNDS})`,
        value: carried,
        unit: "ms",
        anchor: { name: "the page's own <audio>, no extension", value: inPage },
        ratio: carried / inPage,
        ratioNote: `(${added >= 0 ? "+" : ""}${added.toFixed(0)} ms)`,
        target: "under 150 ms added",
        met: added < 150,
        note:
          added < 150
            ? undefined
            : `${added.toFixed(0)} ms added: the offscreen audio begins loading ${median(loading.cold).toFixed(0)} ms after the click (the page's play() carried to the background, ` +
              `which opens the offscreen document); with the document already open it begins ${median(loading.warm).toFixed(0)} ms after, and ${warmAdded.toFixed(0)} ms are added`,
      },
      {
        name: `content scripts' own main-thread time loading a page of an enabled site with no recordings (FusionPBX-shaped dashboard, nothing in the docked player; CDP trace, median of ${TRACE_ROUNDS})`,
        value: scripts,
        unit: "ms",
        anchor: { name: "the page's whole main-thread time without the extension", value: busy.without },
        ratio: busy.with / busy.without,
        ratioNote: `(the whole main thread with the extension against without: ${busyAdded >= 0 ? "+" : ""}${ms(busyAdded)} ms)`,
        target: "under 5 ms",
        met: scripts < 5,
        note: scripts < 5 ? undefined : `${ms(scripts)} ms of the extension's scripts: ${Object.entries(byScript).map(([name, t]) => `${name.replace(/^extension\/content\//, "")} ${ms(t)} ms`).join(", ")} (medians)`,
      },
    ];
  } finally {
    await withExtension.close();
    await plain.close();
    probed.dispose();
    await servers.close();
  }
}

/** Signs in to the fixture FusionPBX as its form does; the session cookie. */
async function signIn(origin: string): Promise<{ name: string; value: string }> {
  const response = await fetch(`${origin}/`, { method: "POST", body: new URLSearchParams({ username: FIXTURE_USER.username, password: FIXTURE_USER.password }), redirect: "manual" });
  const match = /(PHPSESSID)=([^;]+)/.exec(response.headers.get("set-cookie") ?? "");
  if (!match) throw new Error(`signing in to ${origin}: ${response.status}, no session cookie`);
  return { name: match[1]!, value: match[2]! };
}

/** Opens the Call List, its row's play button ready. */
async function callList(page: Page, url: string, uuid: string): Promise<Page> {
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector(`#recording_button_${uuid}`);
  // Whatever the extension does as the page loads is over before the click.
  await sleep(300);
  return page;
}

/** A trusted click on the row's own play button; when it began (its pointerdown). */
async function clickPlay(page: Page, uuid: string): Promise<number> {
  const before = (await readProbe(page)).clicks.length;
  await page.click(`#recording_button_${uuid}`);
  return (await until("the click", () => readProbe(page), (p) => p.clicks.length > before)).clicks.at(-1)!;
}

/** Loads the dashboard in a new tab, traced, and a quiet second after its load. */
async function traceDashboard(browser: Browser, extension: boolean, origin: string, cookie: Cookie): Promise<TraceSummary> {
  const context = extension ? browser.defaultBrowserContext() : await browser.createBrowserContext();
  if (!extension) await context.setCookie(cookie);
  const page = await context.newPage();
  try {
    // A page of the same site first (a 404), so the traced load stays in its renderer.
    await page.goto(`${origin}/__bench/blank`);
    await page.tracing.start({ categories: PROFILED_TRACE_CATEGORIES });
    await page.goto(`${origin}${DASHBOARD}`, { waitUntil: "load" });
    if (new URL(page.url()).pathname !== DASHBOARD) throw new Error(`the dashboard redirected to ${page.url()}`);
    // Names the page's thread in the trace (the quiet second after counts as the page's too).
    await page.evaluate((name) => performance.mark(name), LOADED_MARK);
    await sleep(1000);
    const trace = await page.tracing.stop();
    if (!trace) throw new Error("no trace");
    // BENCH_TRACE_DIR=dir keeps the traces, to open in DevTools' Performance panel.
    if (process.env.BENCH_TRACE_DIR) writeFileSync(join(process.env.BENCH_TRACE_DIR, `dashboard-${extension ? "with" : "without"}-extension-${Date.now()}.json`), trace);
    return analyseTrace(JSON.parse(Buffer.from(trace).toString("utf8")) as unknown, LOADED_MARK, `${EXT}/`);
  } finally {
    await page.close();
    if (!extension) await context.close();
  }
}
