/**
 * What the extension does on each enabled reporting site: which site profile it reads the pages
 * with (recognized among the built-in ones, a built-in one by id, or a custom one), and whether
 * the page's own audio and video players are carried into the background. Kept per origin in
 * `storage.local` (`sites`), and pushed by IT through browser policy (`storage.managed`, mirrored
 * by the background into `storage.local` under `managed`, where content scripts read it in the
 * same read). What policy sets wins and cannot be changed in the options page.
 */
import { boolean, check, object, optional, string, type Infer } from "../shape.js";
import {
  callIdFromValue,
  coversPage,
  detects,
  fileNameFromUrl,
  matchesPagePattern,
  parseSiteProfile,
  parseSiteProfileJson,
  rowCallId,
  sessionCallIdFromUrl,
  type RowLike,
  type SiteProfile,
} from "./site-profile.js";

/** "auto": the first built-in profile that recognizes the page; "custom": `customProfile`; else a built-in profile's id. */
export type ProfileChoice = "auto" | "custom" | (string & {});

export const siteSettingShape = object({
  profile: string({ min: 1, max: 100 }),
  /** The custom profile as JSON (validated when saved, and again when read). */
  customProfile: optional((value: unknown) => value),
  /** Whether the page's own `<audio>`/`<video>` playback is carried into the background. */
  carryPageMedia: optional(boolean),
});
export type SiteSetting = Infer<typeof siteSettingShape>;

/** What a site gets when nothing is said about it. */
export const DEFAULT_SITE_SETTING: Readonly<{ profile: "auto"; carryPageMedia: true }> = { profile: "auto", carryPageMedia: true };

/** The settings of every site, by origin; anything malformed is dropped site by site. */
export function readSiteSettings(value: unknown): Record<string, SiteSetting> {
  const out: Record<string, SiteSetting> = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) return out;
  for (const [origin, setting] of Object.entries(value)) {
    const checked = check(siteSettingShape, setting, `sites[${JSON.stringify(origin)}]`);
    if (checked.ok) out[origin] = checked.value;
  }
  return out;
}

/** The effective setting of one origin: policy's over the user's, the user's over the default. */
export interface EffectiveSetting {
  profile: ProfileChoice;
  customProfile: SiteProfile | null;
  carryPageMedia: boolean;
  /** Set by browser policy: shown, not changeable. */
  managed: boolean;
}

/** A stored custom profile, checked whole: what the background and the options page read. */
export function checkedProfile(value: unknown): SiteProfile | null {
  const parsed = parseSiteProfile(value);
  return parsed.ok ? parsed.profile : null;
}

/**
 * A stored custom profile as the content script reads it, on every page: only the background
 * writes `storage.local` (a custom profile checked whole before it is saved, policy's before it
 * is mirrored), so what is there is taken as it is, once it has a profile's outline.
 */
export function storedProfile(value: unknown): SiteProfile | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const p = value as Partial<SiteProfile>;
  return p.version === 1 && typeof p.id === "string" && Array.isArray(p.pages) && typeof p.recordings === "object" && p.recordings !== null ? (value as SiteProfile) : null;
}

/** The effective setting of `origin`; `readProfile` reads a stored custom profile (see `checkedProfile`, `storedProfile`). */
export function effectiveSetting(origin: string, local: unknown, managed: unknown, readProfile: (value: unknown) => SiteProfile | null): EffectiveSetting {
  const fromPolicy = readSiteSettings(managed)[origin];
  const setting = fromPolicy ?? readSiteSettings(local)[origin];
  const customProfile = setting?.profile === "custom" && setting.customProfile !== undefined ? readProfile(setting.customProfile) : null;
  return {
    profile: setting?.profile ?? DEFAULT_SITE_SETTING.profile,
    customProfile,
    carryPageMedia: setting?.carryPageMedia ?? DEFAULT_SITE_SETTING.carryPageMedia,
    managed: fromPolicy !== undefined,
  };
}

/**
 * The profile a page is read with: the custom one, the chosen built-in one, or (auto) the first
 * built-in profile that recognizes the page by its path and markup. Null: none applies, and the
 * extension only carries the page's own players (when allowed).
 */
export function profileForPage(
  setting: Pick<EffectiveSetting, "profile" | "customProfile">,
  builtIns: readonly SiteProfile[],
  url: string | URL,
  hasSelector: (selector: string) => boolean,
): SiteProfile | null {
  if (setting.profile === "custom") return setting.customProfile;
  if (setting.profile !== "auto") return builtIns.find((p) => p.id === setting.profile) ?? null;
  return builtIns.find((p) => detects(p, url, hasSelector)) ?? null;
}

/** Policy's enabled origins (`storage.managed` `origins`), as mirrored; anything malformed is dropped. */
export function managedOrigins(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((o): o is string => typeof o === "string" && o.length <= 300).slice(0, 200);
}

/* ------------------------------------------------------------------------------------------ */
/* Checking a setting whole (the options page, the background, browser policy)                  */
/* ------------------------------------------------------------------------------------------ */

/** A problem with a setting, named by its path: `callList.rowSelector` for a custom profile's. */
export interface SettingProblem {
  path: string;
  message: string;
}

export type CheckedSetting = { ok: true; setting: SiteSetting } | { ok: false; problems: SettingProblem[] };

/** Where a custom profile's problem is, as the user wrote it: without the validator's `profile.` root. */
export function profileProblemPath(path: string): string {
  return path.startsWith("profile.") ? path.slice("profile.".length) : path;
}

/**
 * Checks a setting as the options page (or a policy) gives it: a known profile choice, a custom
 * profile that passes `parseSiteProfile` (as an object or as JSON text, the form Chrome's policy
 * schema carries it in) when one is chosen or given, and a boolean `carryPageMedia`. Answers the
 * setting with the custom profile normalized, or every problem found.
 */
export function checkSiteSetting(value: unknown, builtInIds: readonly string[]): CheckedSetting {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problems: [{ path: "setting", message: "expected an object" }] };
  const v = value as Record<string, unknown>;
  const problems: SettingProblem[] = [];
  for (const key of Object.keys(v)) if (!["profile", "customProfile", "carryPageMedia"].includes(key)) problems.push({ path: key, message: "is not expected here" });
  const profile = v.profile;
  const choices = ["auto", "custom", ...builtInIds];
  if (typeof profile !== "string" || !choices.includes(profile)) {
    problems.push({ path: "profile", message: `must be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}` });
  }
  if (v.carryPageMedia !== undefined && typeof v.carryPageMedia !== "boolean") problems.push({ path: "carryPageMedia", message: "must be true or false" });
  let customProfile: SiteProfile | undefined;
  if (v.customProfile !== undefined) {
    const parsed = typeof v.customProfile === "string" ? parseSiteProfileJson(v.customProfile) : parseSiteProfile(v.customProfile);
    if (parsed.ok) customProfile = parsed.profile;
    else problems.push(...parsed.problems.map((p) => ({ path: profileProblemPath(p.path), message: p.message })));
  } else if (profile === "custom") {
    problems.push({ path: "customProfile", message: "is required when the custom profile is chosen" });
  }
  if (problems.length > 0) return { ok: false, problems };
  const setting: SiteSetting = { profile: profile as string };
  if (customProfile) setting.customProfile = customProfile;
  if (typeof v.carryPageMedia === "boolean") setting.carryPageMedia = v.carryPageMedia;
  return { ok: true, setting };
}

/**
 * The setting to store when the user saves `next` over `previous`: a custom profile saved before
 * is kept when another profile is chosen without one, so choosing it again finds it there.
 */
export function mergeSiteSetting(previous: SiteSetting | undefined, next: SiteSetting): SiteSetting {
  if (next.customProfile !== undefined || previous?.customProfile === undefined) return next;
  return { ...next, customProfile: previous.customProfile };
}

/** What the options page shows of one site. */
export interface SiteSummary extends EffectiveSetting {
  /** The custom profile saved for the site (valid), whichever profile is chosen; null when there is none. */
  savedCustomProfile: SiteProfile | null;
}

/** The options page's view of the given origins: each one's effective setting and its saved custom profile. */
export function siteSummaries(origins: readonly string[], local: unknown, managed: unknown): Record<string, SiteSummary> {
  const out: Record<string, SiteSummary> = {};
  const policy = readSiteSettings(managed);
  const user = readSiteSettings(local);
  for (const origin of origins) {
    const raw = (policy[origin] ?? user[origin])?.customProfile;
    const parsed = raw === undefined ? null : parseSiteProfile(raw);
    out[origin] = { ...effectiveSetting(origin, local, managed, checkedProfile), savedCustomProfile: parsed?.ok ? parsed.profile : null };
  }
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Browser policy                                                                               */
/* ------------------------------------------------------------------------------------------ */

/** Browser policy as the background mirrors it into `storage.local` (`managed`). */
export interface ManagedPolicy {
  origins: string[];
  sites: Record<string, SiteSetting>;
}

const MAX_POLICY_ORIGINS = 200;

/**
 * Reads what `storage.managed.get()` gave: `origins` (http(s) origins, exactly) and `sites`
 * (settings by origin, each checked whole). What is wrong is left out, item by item, and said
 * in `problems` (`sites["https://x"].callList.rowSelector: is required`), never half applied.
 */
export function readManagedPolicy(value: unknown, builtInIds: readonly string[]): { policy: ManagedPolicy; problems: string[] } {
  const policy: ManagedPolicy = { origins: [], sites: {} };
  const problems: string[] = [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { policy, problems };
  const v = value as Record<string, unknown>;
  if (v.origins !== undefined) {
    if (!Array.isArray(v.origins)) problems.push("origins: must be a list of origins");
    else
      v.origins.slice(0, MAX_POLICY_ORIGINS).forEach((o, i) => {
        if (typeof o === "string" && isOrigin(o)) {
          if (!policy.origins.includes(o)) policy.origins.push(o);
        } else problems.push(`origins[${i}]: must be an http(s) origin, like "https://reports.example.com"`);
      });
  }
  if (v.sites !== undefined) {
    if (typeof v.sites !== "object" || v.sites === null || Array.isArray(v.sites)) problems.push("sites: must be an object keyed by origin");
    else
      for (const [origin, setting] of Object.entries(v.sites).slice(0, MAX_POLICY_ORIGINS)) {
        const at = `sites[${JSON.stringify(origin)}]`;
        if (!isOrigin(origin)) {
          problems.push(`${at}: is not an http(s) origin`);
          continue;
        }
        const checked = checkSiteSetting(setting, builtInIds);
        if (checked.ok) policy.sites[origin] = checked.setting;
        else problems.push(...checked.problems.map((p) => `${at}.${p.path}: ${p.message}`));
      }
  }
  return { policy, problems };
}

/** Whether a string is exactly an http(s) origin (`https://host[:port]`, nothing after). */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
  } catch {
    return false;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* "Try on this tab": what a profile finds on a page                                            */
/* ------------------------------------------------------------------------------------------ */

/** What a profile is tried with: a profile, the built-in one that recognizes the page, or the one the page uses now. */
export type TryWith = SiteProfile | "auto" | "current";

/** What trying a profile on a page needs of it (the content script hands `document` in; tests, plain objects). */
export interface TryPage {
  /** The page's address. */
  url: string;
  /** The elements matching a selector (throws for one the browser refuses). */
  all(selector: string): RowLike[];
  /** The page's `<audio>` and `<video>` elements. */
  mediaCount(): number;
  /** Every link's href as written. */
  hrefs(): string[];
}

/** What a profile found on a page, as the options page shows it. */
export interface ProfileTryResult {
  /** The profile tried; null when none applies (auto, and no built-in profile recognizes the page). */
  profile: { id: string; name: string } | null;
  /** The page's path and query. */
  page: string;
  /** Whether the page is one of the profile's `pages`. */
  coversPage: boolean;
  /** Call List rows matched by `callList.rowSelector`. */
  rows: number;
  /** Distinct call ids read from those rows. */
  callIds: number;
  /** The page's own `<audio>`/`<video>` elements. */
  media: number;
  /** Links to audio files on the page. */
  recordingLinks: number;
  /** Whether the page is the profile's Call Session view, and the call id read there. */
  sessionView: boolean;
  sessionCallId: string | null;
  /** What went wrong reading the page (a selector the browser refuses), by path. */
  problems: string[];
}

const AUDIO_LINK = /\.(wav|mp3|ogg|oga|opus|m4a|gsm|g722|flac|webm)$/i;
const MAX_TRY_ROWS = 5000;

/** Tries a profile (or none) on a page: counts of what it reads there. Pure: the page is asked through `TryPage`. */
export function tryProfileOn(profile: SiteProfile | null, page: TryPage): ProfileTryResult {
  let url: URL;
  try {
    url = new URL(page.url);
  } catch {
    url = new URL("http://page.invalid/");
  }
  const problems: string[] = [];
  const result: ProfileTryResult = {
    profile: profile ? { id: profile.id, name: profile.name } : null,
    page: `${url.pathname}${url.search}`.slice(0, 500),
    coversPage: profile ? coversPage(profile, url) : false,
    rows: 0,
    callIds: 0,
    media: page.mediaCount(),
    recordingLinks: 0,
    sessionView: false,
    sessionCallId: null,
    problems,
  };
  for (const href of page.hrefs()) {
    try {
      if (AUDIO_LINK.test(fileNameFromUrl(new URL(href, url).href))) result.recordingLinks++;
    } catch {
      // Not a URL: not a recording.
    }
  }
  if (!profile) return result;
  const list = profile.callList;
  if (list) {
    let rows: RowLike[] = [];
    try {
      rows = page.all(list.rowSelector).slice(0, MAX_TRY_ROWS);
    } catch {
      problems.push("callList.rowSelector: the browser refuses this selector");
    }
    result.rows = rows.length;
    const ids = new Set<string>();
    for (const row of rows) {
      try {
        const id = rowCallId(row, list.callId);
        if (id !== null) ids.add(id);
      } catch {
        problems.push("callList.callId.linkSelector: the browser refuses this selector");
        break;
      }
    }
    result.callIds = ids.size;
  }
  const view = profile.callSession;
  if (view && matchesPagePattern(view.path, url)) {
    result.sessionView = true;
    if ("query" in view.callId) result.sessionCallId = sessionCallIdFromUrl(profile, url);
    else {
      try {
        const element = page.all(view.callId.selector)[0];
        result.sessionCallId = callIdFromValue(element?.getAttribute(view.callId.attribute), view.callId.pattern);
      } catch {
        problems.push("callSession.callId.selector: the browser refuses this selector");
      }
    }
  }
  return result;
}
