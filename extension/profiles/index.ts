/**
 * The built-in site profiles: the JSON files of this folder. They are checked against
 * `parseSiteProfile` by `test/src/site-profile.test.ts` (a built-in profile that does not pass
 * fails the build's tests), so the content script, which reads them on every page of an
 * enabled site, takes them as they are instead of checking them again each time.
 */
import type { SiteProfile } from "../../src/extension/site-profile.js";
import freepbx from "./freepbx.json";
import fusionpbx from "./fusionpbx.json";
import reference from "./reference.json";

/** In the order they are tried when recognizing a page. */
const PROFILES = [reference, fusionpbx, freepbx] as unknown as readonly SiteProfile[];

/** The built-in profiles. */
export function builtInProfiles(): readonly SiteProfile[] {
  return PROFILES;
}

/** A built-in profile by id. */
export function builtInProfile(id: string): SiteProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}
