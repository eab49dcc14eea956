/**
 * `npm run screenshots`: builds the components bundle, serves the demo dataset, signs in and
 * captures the embed demo's Call Session — its recordings on the timeline, one playing in the
 * docked player — in real Chromium, into docs/ (the README shows them).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Page } from "playwright-core";
import { startServer } from "../test/support/server.js";

interface CallSummary {
  id: string;
  conference: boolean;
  recordings: number;
}

const OUT = resolve("docs");

async function main(): Promise<void> {
  const build = spawnSync("npx", ["vite", "build", "--logLevel", "warn"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  mkdirSync(OUT, { recursive: true });

  const dataset: unknown = JSON.parse(readFileSync("server/demo/dataset.json", "utf8"));
  const server = await startServer({ dataset, componentsDir: resolve("dist/components") });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill("#username", "admin");
    await page.fill("#password", "admin-pass");
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click('button[type="submit"]')]);

    const calls: CallSummary[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/calls?hasRecording=true&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const pageOfCalls = (await page.evaluate(async (url) => (await fetch(url)).json(), query)) as { calls: CallSummary[]; next: string | null };
      calls.push(...pageOfCalls.calls);
      cursor = pageOfCalls.next;
    } while (cursor);
    const transferred = calls.find((c) => !c.conference && c.recordings >= 3) ?? calls.find((c) => !c.conference && c.recordings >= 2);
    const conference = calls.find((c) => c.conference);
    if (!transferred || !conference) throw new Error("the demo dataset has no transferred call or conference with recordings");

    await capture(page, server.url, transferred.id, 1, 0.4, "call-session-recordings.png", "light");
    await capture(page, server.url, conference.id, 0, 0.3, "call-session-conference-dark.png", "dark");
    await page.setViewportSize({ width: 420, height: 860 });
    await capture(page, server.url, transferred.id, 0, 0.6, "call-session-narrow.png", "light");
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Opens a call's session, plays recording `bar` from `fraction` along it, and captures the window. */
async function capture(page: Page, base: string, callId: string, bar: number, fraction: number, file: string, scheme: "light" | "dark"): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
  await page.goto(`${base}/embed-demo?call=${encodeURIComponent(callId)}`);
  await page.waitForSelector('call-session-recordings[status="ready"]');
  const target = page.locator('call-session-recordings [part~="recording-bar"]').nth(bar);
  const box = (await target.boundingBox())!;
  await target.click({ position: { x: box.width * fraction, y: box.height / 2 } });
  await page.waitForFunction(() => {
    const player = document.querySelector("recording-player") as (HTMLElement & { paused: boolean; currentTime: number }) | null;
    return player !== null && !player.paused && player.currentTime > 0;
  });
  await page.waitForTimeout(1500);
  // The pointer rests over the next recording, where a click would start.
  const hover = page.locator('call-session-recordings [part~="recording-bar"]').nth(bar === 0 ? 1 : 0);
  if (await hover.count()) {
    const hoverBox = (await hover.boundingBox())!;
    await page.mouse.move(hoverBox.x + hoverBox.width * 0.7, hoverBox.y + hoverBox.height / 2);
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: resolve(OUT, file) });
  console.log(`screenshots: docs/${file} (call ${callId})`);
  await page.evaluate(() => (document.querySelector("recording-player") as HTMLElement & { pause(): void }).pause());
}

await main();
