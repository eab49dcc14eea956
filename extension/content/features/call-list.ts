/**
 * The Call List marks as the isolated content script starts them. Whether the page has the
 * profile's rows is decided here; the marks' code (call-list-marks.ts, with the API client, its
 * answer's checks and the profile's answer mapper) is a dynamic import, inlined by the build and
 * evaluated only on such a page: any other page of the site only reads it (bench/fixture.ts).
 */
import { coversPage, type SiteProfile } from "../../../src/extension/site-profile.js";
import type { Feature } from "../feature-manager.js";

export type CallList = NonNullable<SiteProfile["callList"]>;

/** The profile's Call List, when its calls' recordings can be asked for (not only played by the page itself). */
export const callListOf = (profile: SiteProfile | null): CallList | null => (profile?.callList && profile.recordings.kind !== "page-media" ? profile.callList : null);

export const callListMarks: Feature = {
  name: "call-list-marks",
  applies: (location, document, { profile }) => {
    const list = callListOf(profile);
    return list !== null && (document.querySelector(list.rowSelector) !== null || coversPage(profile!, location.href));
  },
  async init(signal, context) {
    const { markCallList } = await import("./call-list-marks.js");
    if (!signal.aborted) markCallList(signal, context);
  },
};
