/**
 * The built-in site profiles, checked: each JSON file of this folder through
 * `parseSiteProfile`. A built-in profile that does not pass is a bug caught by
 * `test/src/site-profile.test.ts`, so this throws rather than leaving one out quietly.
 */
import { formatProblems } from "../../src/rules/dataset.js";
import { parseSiteProfile, type SiteProfile } from "../../src/extension/site-profile.js";
import freepbx from "./freepbx.json";
import fusionpbx from "./fusionpbx.json";
import reference from "./reference.json";

/** In the order they are tried when recognizing a page. */
const FILES: readonly unknown[] = [reference, fusionpbx, freepbx];

let checked: readonly SiteProfile[] | undefined;

/** The built-in profiles, validated once. */
export function builtInProfiles(): readonly SiteProfile[] {
  checked ??= FILES.map((file, i) => {
    const result = parseSiteProfile(file);
    if (!result.ok) throw new Error(`built-in site profile ${i} is invalid:\n${formatProblems(result.problems)}`);
    return result.profile;
  });
  return checked;
}

/** A built-in profile by id. */
export function builtInProfile(id: string): SiteProfile | undefined {
  return builtInProfiles().find((p) => p.id === id);
}
