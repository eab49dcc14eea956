/**
 * Browser policy and the per-site settings it rules over (issue 12, src/extension/site-settings.ts).
 *
 * Policy: IT sets `origins` (reporting sites to enable) and `sites` (each one's profile and
 * page-media setting) through the browser (Chrome: `3rdparty.extensions.<id>`, checked against
 * extension/managed_schema.json; Firefox: policies.json `3rdparty.Extensions.<id>`). The
 * background reads `storage.managed` at startup and whenever it changes, checks it item by item,
 * and mirrors what passes into `storage.local` under `managed`, where the content scripts read
 * it in the same read as the user's settings. A browser without policy (Firefox throws "Managed
 * storage manifest not found") mirrors nothing: an empty policy.
 *
 * Sites: the options page's requests (`sites/get`, `sites/set`, `site/try`) are answered with
 * the helpers below: the stored settings read and written, and a profile tried on the most
 * recently used tab of a site.
 */
import browser from "webextension-polyfill";
import { STORAGE_KEYS, type SitesAnswer, type TryAnswer } from "../../src/extension/extension-messages.js";
import { matchPatternFor } from "../../src/extension/origins.js";
import { parseSiteProfileJson, type SiteProfile } from "../../src/extension/site-profile.js";
import {
  checkSiteSetting,
  isOrigin,
  mergeSiteSetting,
  profileProblemPath,
  readManagedPolicy,
  readSiteSettings,
  siteSummaries,
  type ManagedPolicy,
  type ProfileTryResult,
  type TryWith,
} from "../../src/extension/site-settings.js";
import { array, boolean, check, nullable, number, object, string, type Shape } from "../../src/shape.js";
import { builtInProfile, builtInProfiles } from "../profiles/index.js";

const count = number({ min: 0, max: 1e6, integer: true });
const tryResultShape: Shape<ProfileTryResult> = object({
  profile: nullable(object({ id: string({ max: 64 }), name: string({ max: 200 }) })),
  page: string({ max: 600 }),
  coversPage: boolean,
  rows: count,
  callIds: count,
  media: count,
  recordingLinks: count,
  sessionView: boolean,
  sessionCallId: nullable(string({ max: 500 })),
  problems: array(string({ max: 500 }), { max: 20 }),
});

const builtInIds = () => builtInProfiles().map((p) => p.id);

/** Reads browser policy: what `storage.managed` holds, or nothing where the browser has none. */
export async function readPolicy(): Promise<ManagedPolicy> {
  let raw: unknown;
  try {
    raw = await browser.storage.managed.get();
  } catch {
    // Firefox without a policy for this extension throws; so may a browser with no managed storage.
    raw = {};
  }
  const { policy, problems } = readManagedPolicy(raw, builtInIds());
  if (problems.length > 0) console.warn(`call recordings: parts of the browser policy were left out:\n${problems.join("\n")}`);
  return policy;
}

/** Mirrors browser policy into `storage.local` (`managed`) now and whenever it changes; `onMirrored` runs after each mirror. */
export function mirrorManagedPolicy(onMirrored: () => Promise<void> | void = () => undefined): void {
  const mirror = async (force: boolean) => {
    const policy = await readPolicy();
    // Only a change (or new access) re-registers the content scripts: the service worker starts often.
    const before = JSON.stringify((await browser.storage.local.get(STORAGE_KEYS.managed))[STORAGE_KEYS.managed] ?? null);
    const changed = before !== JSON.stringify(policy);
    if (changed) await browser.storage.local.set({ [STORAGE_KEYS.managed]: policy });
    if (changed || (force && policy.origins.length > 0)) await onMirrored();
  };
  const run = (force = false) => mirror(force).catch((error: unknown) => console.warn("call recordings: could not read the browser policy", error));
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === "managed") void run();
  });
  // Access granted to a policy's site (in the options page) enables it: register its content scripts.
  browser.permissions.onAdded.addListener(() => void run(true));
  void run();
}

/** The mirrored policy, as the background stored it. */
export async function mirroredPolicy(): Promise<{ origins?: unknown; sites?: unknown } | undefined> {
  return (await browser.storage.local.get(STORAGE_KEYS.managed))[STORAGE_KEYS.managed] as { origins?: unknown; sites?: unknown } | undefined;
}

/** The options page's view of the sites named: each one's setting, the policy's origins, the built-in profiles. */
export async function sitesAnswer(origins: readonly string[], managedOrigins: SitesAnswer["managedOrigins"]): Promise<SitesAnswer> {
  const stored = await browser.storage.local.get([STORAGE_KEYS.sites, STORAGE_KEYS.managed]);
  const managed = stored[STORAGE_KEYS.managed] as { sites?: unknown } | undefined;
  const named = [...new Set(origins.filter(isOrigin))];
  return {
    sites: siteSummaries(named, stored[STORAGE_KEYS.sites], managed?.sites),
    managedOrigins: [...managedOrigins],
    builtInProfiles: builtInProfiles().map((p) => ({ id: p.id, name: p.name })),
  };
}

/** An error whose message lists every problem of a refused setting, one a line, each with its path. */
export class SettingRefusedError extends Error {
  override name = "SettingRefusedError";
}

/**
 * Saves the user's setting for a site, checked whole again here: a broken custom profile, a
 * site whose setting policy sets, or a site not enabled changes nothing.
 */
export async function saveSiteSetting(origin: string, setting: { profile: string; customProfile?: string; carryPageMedia?: boolean }): Promise<void> {
  const managed = await mirroredPolicy();
  if (readSiteSettings(managed?.sites)[origin]) throw new SettingRefusedError(`${origin}'s setting is set by your organization`);
  const checked = checkSiteSetting(setting, builtInIds());
  if (!checked.ok) throw new SettingRefusedError(checked.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  const stored = readSiteSettings((await browser.storage.local.get(STORAGE_KEYS.sites))[STORAGE_KEYS.sites]);
  stored[origin] = mergeSiteSetting(stored[origin], checked.setting);
  await browser.storage.local.set({ [STORAGE_KEYS.sites]: stored });
}

/** The profile a try uses: the unsaved custom one (checked), the saved custom one, a built-in one, or auto. */
export async function profileToTry(origin: string, choice: string, customJson: string | undefined): Promise<TryWith> {
  if (choice === "auto") return "auto";
  if (choice !== "custom") {
    const profile = builtInProfile(choice);
    if (!profile) throw new SettingRefusedError(`profile: "${choice.slice(0, 100)}" is not a built-in profile`);
    return profile;
  }
  if (customJson !== undefined) {
    const parsed = parseSiteProfileJson(customJson);
    if (!parsed.ok) throw new SettingRefusedError(parsed.problems.map((p) => `${profileProblemPath(p.path)}: ${p.message}`).join("\n"));
    return parsed.profile;
  }
  const stored = (await sitesAnswer([origin], [])).sites[origin]?.savedCustomProfile;
  if (!stored) throw new SettingRefusedError("customProfile: there is no custom profile to try");
  return stored satisfies SiteProfile;
}

/**
 * Tries a profile on the most recently used open tab of `origin` (found through the host
 * permission, without the "tabs" permission): the tab's content script reads the page and
 * answers the counts. No tab of the site: `{ tab: null }`.
 */
export async function tryOnTab(origin: string, profile: TryWith): Promise<TryAnswer> {
  const tabs = (await browser.tabs.query({ url: matchPatternFor(origin) })).filter((t) => {
    try {
      return t.id !== undefined && t.url !== undefined && new URL(t.url).origin === origin;
    } catch {
      return false;
    }
  });
  const tab = tabs.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
  if (!tab || tab.id === undefined) return { tab: null };
  let reply: unknown;
  try {
    reply = await browser.tabs.sendMessage(tab.id, { type: "profile/try", profile } satisfies { type: "profile/try"; profile: TryWith }, { frameId: 0 });
  } catch {
    throw new Error(`the open tab of ${origin} did not answer: reload it and try again`);
  }
  const checked = check(tryResultShape, reply, "answer");
  if (!checked.ok) throw new Error(`the open tab of ${origin} did not answer: reload it and try again`);
  return { tab: { title: (tab.title ?? "").slice(0, 200), url: (tab.url ?? "").slice(0, 2048) }, result: checked.value };
}
