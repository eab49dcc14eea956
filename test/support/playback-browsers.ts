/**
 * Debian's Chromium and Firefox ESR launched by puppeteer for pages that play audio with no user
 * gesture: autoplay allowed, and no sound device needed (Chromium muted, Firefox's mock output).
 */
import puppeteer, { type Browser } from "puppeteer-core";

export const launchChromiumForPlayback = (): Promise<Browser> =>
  puppeteer.launch({ browser: "chrome", executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"] });

export const launchFirefoxForPlayback = (): Promise<Browser> =>
  puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    extraPrefsFirefox: { "media.autoplay.default": 0, "media.autoplay.blocking_policy": 0, "media.cubeb.force_mock_context": true },
  });

/** Both, by name, for a test that runs in each. */
export const PLAYBACK_BROWSERS = { chromium: launchChromiumForPlayback, firefox: launchFirefoxForPlayback } as const;
