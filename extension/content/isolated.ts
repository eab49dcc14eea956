/**
 * The content script in the isolated world, at document_start on reporting pages. First, before
 * any page script runs, it hands the page's world its end of the private channel; then, once it
 * knows this origin is enabled, it relays the channel and runs the page features when the
 * document is ready.
 */
import { extensionApi } from "../shared/extension-api.js";
import { builtInProfiles } from "../profiles/index.js";
import { STORAGE_KEYS, type PageMediaSite } from "../../src/extension/extension-messages.js";
import { isEnabledOrigin } from "../../src/extension/origins.js";
import type { SiteProfile } from "../../src/extension/site-profile.js";
import { effectiveSetting, managedOrigins, profileForPage, storedProfile, type EffectiveSetting } from "../../src/extension/site-settings.js";
import { array, check, string } from "../../src/shape.js";
import { runFeatures, type Feature, type FeatureContext } from "./feature-manager.js";
import { callListMarks } from "./features/call-list.js";
import { callSessionRecordings, sessionCallId } from "./features/call-session-recordings.js";
import { signOutWatch } from "./features/sign-out-watch.js";
import { PageChannel } from "./page-channel.js";
import { listenForProfileTries } from "./profile-try.js";

const FEATURES: readonly Feature[] = [callListMarks, callSessionRecordings, signOutWatch];

const channel = PageChannel.handOver();
/**
 * The channel's and the features' lifetime. Not aborted when the page unloads: the document's
 * worlds go with it, and taking everything down first (listeners, the channel, the marks' layer
 * of a long Call List) only made each navigation within the site slower (bench/fixture.ts).
 */
const lifetime = new AbortController();

/**
 * This site's settings (null when the extension is not enabled here) and the playback state as
 * stored (unchecked), read at once: one read of storage for each page.
 */
async function siteSetting(): Promise<{ setting: EffectiveSetting | null; playback: unknown }> {
  const stored = await extensionApi.storage.local.get([STORAGE_KEYS.origins, STORAGE_KEYS.sites, STORAGE_KEYS.managed, STORAGE_KEYS.playback]);
  const playback = stored[STORAGE_KEYS.playback];
  const user = check(array(string({ max: 300 }), { max: 200 }), stored[STORAGE_KEYS.origins] ?? []);
  const managed = stored[STORAGE_KEYS.managed] as { origins?: unknown; sites?: unknown } | undefined;
  const enabled = [...(user.ok ? user.value : []), ...managedOrigins(managed?.origins)];
  if (!isEnabledOrigin(location.origin, enabled)) return { setting: null, playback };
  return { setting: effectiveSetting(location.origin, stored[STORAGE_KEYS.sites], managed?.sites, storedProfile), playback };
}

const hasSelector = (selector: string): boolean => {
  try {
    return document.querySelector(selector) !== null;
  } catch {
    return false;
  }
};

/** What the page's world needs to carry the page's own players into the background. */
function pageMediaSite(setting: EffectiveSetting, profile: SiteProfile | null): PageMediaSite {
  const view = profile?.callSession;
  const source = profile?.recordings;
  return {
    carry: setting.carryPageMedia,
    ownPlayers: source?.kind !== "api",
    rows: profile?.callList ? { selector: profile.callList.rowSelector, callId: profile.callList.callId, nameFields: profile.callList.nameFields ?? [] } : null,
    sessionPath: view?.path ?? null,
    sessionCallId: profile ? sessionCallId(profile) : null,
    downloadTemplate: source?.kind === "template" && source.downloadUrl !== undefined ? source.downloadUrl : null,
    recordingOrigins: profile?.recordingOrigins ?? [],
  };
}

/**
 * When something this site started is playing (`stored`: the playback state as read with the
 * site's settings), the background asks the site whether the same person is still signed in
 * (someone else, or nobody, and it stops). Nothing is asked otherwise.
 */
function verifyListener(stored: unknown): void {
  const state = stored as { session?: { origin?: unknown } | null } | null | undefined;
  if (state?.session?.origin !== location.origin) return;
  extensionApi.runtime.sendMessage({ type: "session/verify" }).catch((error: unknown) => console.warn("call recordings: could not check who is signed in", error));
}

const domReady = () =>
  document.readyState === "loading" ? new Promise<void>((resolve) => document.addEventListener("DOMContentLoaded", () => resolve(), { once: true })) : Promise.resolve();

(async () => {
  const { setting, playback } = await siteSetting();
  if (!setting) {
    channel.close();
    return;
  }
  channel.start(lifetime.signal, playback);
  verifyListener(playback);
  await domReady();
  // Built-in profiles recognize a page by its path and markup, so the profile is known once the document is.
  const profile = profileForPage(setting, builtInProfiles(), location.href, hasSelector);
  // The options page's "Try on this tab" asks what a profile finds here.
  listenForProfileTries(() => profile);
  channel.tellSite(pageMediaSite(setting, profile));
  const apiBase = profile?.recordings.kind === "api" ? new URL(profile.recordings.base, location.origin).href.replace(/\/$/, "") : null;
  const context: FeatureContext = { origin: location.origin, profile, apiBase };
  await runFeatures(FEATURES, context, lifetime.signal);
})().catch((error: unknown) => console.error("call recordings: the content script failed", error));
