/**
 * The content script in the isolated world, at document_start on reporting pages. First, before
 * any page script runs, it hands the page's world its end of the private channel; then, once it
 * knows this origin is enabled, it relays the channel and runs the page features when the
 * document is ready.
 */
import { extensionApi } from "../shared/extension-api.js";
import { STORAGE_KEYS } from "../../src/extension/extension-messages.js";
import { isEnabledOrigin } from "../../src/extension/origins.js";
import { array, check, string } from "../../src/shape.js";
import { runFeatures, type Feature } from "./feature-manager.js";
import { callListMarks } from "./features/call-list-marks.js";
import { callSessionRecordings } from "./features/call-session-recordings.js";
import { signOutWatch } from "./features/sign-out-watch.js";
import { PageChannel } from "./page-channel.js";

const FEATURES: readonly Feature[] = [callListMarks, callSessionRecordings, signOutWatch];

const channel = PageChannel.handOver();
const lifetime = new AbortController();
addEventListener("pagehide", (event) => {
  if (!event.persisted) lifetime.abort();
});

async function enabledHere(): Promise<boolean> {
  const stored = await extensionApi.storage.local.get(STORAGE_KEYS.origins);
  const user = check(array(string({ max: 300 }), { max: 200 }), stored[STORAGE_KEYS.origins] ?? []);
  return isEnabledOrigin(location.origin, user.ok ? user.value : []);
}

/**
 * When something this site started is playing, the background asks the site whether the same
 * person is still signed in (someone else, or nobody, and it stops). Nothing is asked otherwise.
 */
async function verifyListener(): Promise<void> {
  const stored = await extensionApi.storage.local.get(STORAGE_KEYS.playback);
  const state = stored[STORAGE_KEYS.playback] as { session?: { origin?: unknown } | null } | undefined;
  if (state?.session?.origin !== location.origin) return;
  extensionApi.runtime.sendMessage({ type: "session/verify" }).catch((error: unknown) => console.warn("call recordings: could not check who is signed in", error));
}

const domReady = () =>
  document.readyState === "loading" ? new Promise<void>((resolve) => document.addEventListener("DOMContentLoaded", () => resolve(), { once: true })) : Promise.resolve();

(async () => {
  if (!(await enabledHere())) {
    channel.close();
    return;
  }
  channel.start(lifetime.signal);
  // Not awaited: the page's features do not wait for the background's question to the site.
  verifyListener().catch((error: unknown) => console.warn("call recordings: could not check who is signed in", error));
  await domReady();
  await runFeatures(FEATURES, { origin: location.origin, apiBase: `${location.origin}/api` }, lifetime.signal);
})().catch((error: unknown) => console.error("call recordings: the content script failed", error));
