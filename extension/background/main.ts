/**
 * The background: Chrome's service worker or Firefox's event page. It owns the browser's one
 * playback (kept in storage, so it outlives this context), answers every message through the
 * router, runs the keyboard commands and keeps the content scripts registered for the reporting
 * origins the user enabled. Listeners are added at once, as Manifest V3 requires.
 */
import browser, { type Runtime } from "webextension-polyfill";
import { STORAGE_KEYS } from "../../src/extension/extension-messages.js";
import { isEnabledUrl } from "../../src/extension/origins.js";
import type { CommandName } from "../manifest.js";
import type { AudioHost } from "./audio-host.js";
import { createCommands } from "./commands.js";
import { createHandlers } from "./handlers.js";
import { LocalAudioHost } from "./local-audio-host.js";
import { mirrorManagedPolicy } from "./managed-policy.js";
import { OffscreenAudioHost, OFFSCREEN_PATH } from "./offscreen-audio-host.js";
import { PlaybackService, type UrlRenewer } from "./playback-service.js";
import { renewUrls } from "./renew-urls.js";
import { ReportingOrigins } from "./reporting-origins.js";
import { createRouter, selfFacts } from "./router.js";
import { whoIsSignedIn } from "./signed-in.js";
import { loadPeaks } from "../../src/player/peaks-client.js";

const origins = new ReportingOrigins();
const renew: UrlRenewer = (session) => renewUrls(session, async (url) => isEnabledUrl(url, await origins.user()));

/**
 * Whether this background is a restarted one: `storage.session` lasts while the browser runs and
 * the extension stays loaded, so the mark is found by every background started after the first.
 * Read (and set) at once, by every start, whether or not playback asks.
 */
const restarted: Promise<boolean> = (async () => {
  const MARK = "backgroundStarted";
  const found = (await browser.storage.session.get(MARK))[MARK] === true;
  if (!found) await browser.storage.session.set({ [MARK]: true });
  return found;
})();
restarted.catch((error: unknown) => console.warn("call recordings: could not read the session storage", error));

const audio: AudioHost =
  __TARGET_BROWSER__ === "chrome" ? new OffscreenAudioHost() : new LocalAudioHost((report) => void playback.report(report));

const playback: PlaybackService = new PlaybackService({
  audio,
  renew,
  restarted: () => restarted,
  // Skip silence: a recording's peaks, only from an enabled reporting origin (the load checked it too).
  silences: async (id, url) => {
    if (!isEnabledUrl(url, await origins.user())) throw new Error(`${url.split("?")[0]} is not on an enabled reporting origin`);
    return (await loadPeaks(id, url, (input, init) => fetch(input, { ...init, credentials: "omit" }))).silences;
  },
  store: {
    load: async () => (await browser.storage.local.get(STORAGE_KEYS.playback))[STORAGE_KEYS.playback],
    save: (state) => browser.storage.local.set({ [STORAGE_KEYS.playback]: state }),
  },
});

const router = createRouter({
  handlers: createHandlers({ playback, origins, renew, signedIn: (apiBase) => whoIsSignedIn(apiBase) }),
  self: selfFacts(OFFSCREEN_PATH),
  userOrigins: () => origins.user(),
  playingOrigin: async () => (await playback.get()).session?.origin ?? null,
});
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => router(message, sender));

const commands = createCommands(playback);
/** Runs a keyboard command. */
async function runCommand(name: string): Promise<void> {
  if (!Object.hasOwn(commands, name)) return;
  await commands[name as CommandName]();
}
browser.commands.onCommand.addListener((name) => {
  runCommand(name).catch((error: unknown) => console.warn(`call recordings: the ${name} command failed`, error));
});

const keepOrigins = () => origins.prune().catch((error: unknown) => console.warn("call recordings: could not register the content scripts", error));
browser.runtime.onInstalled.addListener(keepOrigins);
browser.runtime.onStartup.addListener(keepOrigins);
browser.permissions.onRemoved.addListener(keepOrigins);
mirrorManagedPolicy(keepOrigins);
