// @ts-check
/**
 * Component tests in real Chromium and Firefox (see docs/platform-notes.md): TypeScript through
 * esbuild with the project's tsconfig (Lit's legacy decorators), the system browsers through
 * puppeteer-core, and a test audio server with HTTP ranges and fault injection.
 *
 *   npm run test:components                         both browsers
 *   BROWSERS=firefox npm run test:components        one of them (chromium, firefox)
 *   npm run test:components -- --files test/components/player-states.test.ts
 *   npm run test:components -- --manual             serve test/support/player-page.html to try by hand
 */
import { appendFileSync } from "node:fs";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { defaultReporter } from "@web/test-runner";
import { chromeLauncher } from "@web/test-runner-chrome";
import puppeteer from "puppeteer-core";
import { tsImport } from "tsx/esm/api";

const { audioFixtureMiddleware } = await tsImport("./test/support/audio-fixture-middleware.ts", import.meta.url);
const { browserTabsPlugin } = await tsImport("./test/support/browser-tabs-plugin.ts", import.meta.url);
const { recordingFilesMiddleware } = await tsImport("./test/support/recording-files-middleware.ts", import.meta.url);

const chromium = chromeLauncher({
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
  },
});

const firefox = chromeLauncher({
  // @ts-expect-error puppeteer-core's default export is the PuppeteerNode the launcher wants
  puppeteer,
  launchOptions: {
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    extraPrefsFirefox: {
      "media.autoplay.default": 0,
      "media.autoplay.blocking_policy": 0,
      "media.cubeb.force_mock_context": true,
    },
  },
});

/**
 * With WTR_FILE_SECONDS=<file>: a line of JSON per test file, {file, seconds, passed}: the time
 * from the end of the file before (or the start) to its own end. With one file at a time
 * (concurrency 1), that is the file's time, page load included; `npm run test:quick` shards by it.
 */
function fileSecondsReporter(/** @type {string} */ out) {
  let last = Date.now();
  return {
    start() {
      last = Date.now();
    },
    reportTestFileResults(/** @type {import("@web/test-runner").ReportTestResultsArgs} */ { testFile, sessionsForTestFile }) {
      const now = Date.now();
      const passed = sessionsForTestFile.every((session) => session.passed);
      appendFileSync(out, `${JSON.stringify({ file: testFile, seconds: (now - last) / 1000, passed })}\n`);
      last = now;
    },
  };
}

const wanted = (process.env.BROWSERS ?? "chromium,firefox").split(",");
const browsers = { chromium, firefox };

export default {
  files: ["test/components/**/*.test.ts"],
  nodeResolve: true,
  // Players in one browser share IndexedDB and the single-player channel: run files one by one.
  concurrency: 1,
  concurrentBrowsers: 2,
  // A whole file's tests: the faults file's waits allow a busy machine minutes (its tests' own timeouts).
  testsFinishTimeout: 480_000,
  // Room for two of the helpers' default waits (WAIT_MS in test/support/player-test-helpers.ts).
  testFramework: { config: { timeout: 45_000 } },
  browsers: wanted.map((name) => browsers[/** @type {"chromium"|"firefox"} */ (name)]).filter(Boolean),
  middleware: [audioFixtureMiddleware, recordingFilesMiddleware, (await tsImport("./test/support/api-proxy-middleware.ts", import.meta.url)).apiProxyMiddleware],
  // Lit's one-line dev-mode notice in every file is noise; its other warnings stay.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith("Lit is in dev mode"),
  reporters: [defaultReporter(), ...(process.env.WTR_FILE_SECONDS ? [fileSecondsReporter(process.env.WTR_FILE_SECONDS)] : [])],
  plugins: [esbuildPlugin({ ts: true, tsconfig: "tsconfig.json" }), browserTabsPlugin()],
};
