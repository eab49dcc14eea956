/**
 * What the extension does on each enabled reporting site: which site profile it reads the pages
 * with (recognized among the built-in ones, a built-in one by id, or a custom one), and whether
 * the page's own audio and video players are carried into the background. Kept per origin in
 * `storage.local` (`sites`), and pushed by IT through browser policy (`storage.managed`, mirrored
 * by the background into `storage.local` under `managed`, where content scripts read it in the
 * same read). What policy sets wins and cannot be changed in the options page.
 */
import { boolean, check, object, optional, string, type Infer } from "../shape.js";
import { detects, parseSiteProfile, type SiteProfile } from "./site-profile.js";

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

export function effectiveSetting(origin: string, local: unknown, managed: unknown): EffectiveSetting {
  const fromPolicy = readSiteSettings(managed)[origin];
  const setting = fromPolicy ?? readSiteSettings(local)[origin];
  let customProfile: SiteProfile | null = null;
  if (setting?.profile === "custom" && setting.customProfile !== undefined) {
    const parsed = parseSiteProfile(setting.customProfile);
    if (parsed.ok) customProfile = parsed.profile;
  }
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
