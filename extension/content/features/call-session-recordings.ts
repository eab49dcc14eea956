/**
 * On the Call Session view (where the site's profile says it is, for a site whose recordings
 * come from the project's JSON API): the call's recordings on its timeline, as
 * `<call-session-recordings>` (the element a host page embeds, defined in the page's world),
 * appended where the profile says. It renders nothing when the user may play none of them; clicking a recording's
 * timeline plays it in the page's docked player, which the extension drives. A link to a moment
 * (`recording`, `t` in the view's URL) becomes the element's `recording` and `at`: it plays in
 * the background from there.
 */
import { MAX_MOMENT_ID, MOMENT_PARAMS, parseMomentSeconds } from "../../../src/calls/call-moment.js";
import { ELEMENT_ADDED } from "../../../src/extension/extension-messages.js";
import { callIdFromValue, matchesPagePattern, sessionCallIdFromUrl, type SiteProfile } from "../../../src/extension/site-profile.js";
import type { Feature } from "../feature-manager.js";
import { pageColorScheme } from "../page-scheme.js";

/** The Call Session view's call id on this page, read as the profile says; null when this is not that view. */
export function sessionCallId(profile: SiteProfile): string | null {
  const view = profile.callSession;
  if (!view || !matchesPagePattern(view.path, location.href)) return null;
  if ("query" in view.callId) return sessionCallIdFromUrl(profile, location.href);
  return callIdFromValue(document.querySelector(view.callId.selector)?.getAttribute(view.callId.attribute), view.callId.pattern);
}

/**
 * The moment a link to this view names, as the element's attributes. The reference server checks
 * it and says what it kept (`data-recording`, `data-at` on its mount, beside `data-recordings`);
 * on another site's view it is read from the URL, and the element checks it against the call.
 */
export function momentOnPage(mount: HTMLElement, href: string): { recording: string | null; at: string | null } {
  if (mount.dataset.recordings !== undefined) return { recording: mount.dataset.recording ?? null, at: mount.dataset.at ?? null };
  const query = new URL(href).searchParams;
  const recording = query.get(MOMENT_PARAMS.recording)?.trim() || null;
  const time = query.get(MOMENT_PARAMS.time);
  let at: string | null = null;
  if (time !== null) {
    const parsed = parseMomentSeconds(time);
    if ("seconds" in parsed) at = String(parsed.seconds);
    else console.warn(`call recordings: the link's time is not used: ${parsed.problem}`);
  }
  if (recording !== null && recording.length > MAX_MOMENT_ID) return { recording: null, at: null };
  return { recording, at: at ?? (recording !== null ? "0" : null) };
}

async function signedInUser(apiBase: string): Promise<string | null> {
  try {
    const response = await fetch(`${apiBase}/me`, { credentials: "same-origin", headers: { accept: "application/json" } });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : null;
    return typeof id === "string" && id.length <= 200 ? id : null;
  } catch {
    // Not said: the player keeps what it remembers for nobody in particular.
    return null;
  }
}

export const callSessionRecordings: Feature = {
  name: "call-session-recordings",
  // The section reads the project's JSON API; other sites' views keep their own players (carried into the background).
  applies: (_location, _document, { profile, apiBase }) => profile !== null && apiBase !== null && sessionCallId(profile) !== null,
  async init(signal, context) {
    const profile = context.profile!;
    const apiBase = context.apiBase!;
    const callId = sessionCallId(profile);
    const mount = document.querySelector<HTMLElement>(profile.callSession!.mountSelector);
    // The reference server says how many recordings this user may play: none, no section.
    if (!mount || !callId || mount.dataset.recordings === "0") return;
    // A page that embeds the element itself needs no second one.
    if (document.querySelector("call-session-recordings")) return;
    const element = document.createElement("call-session-recordings");
    element.setAttribute("call-id", callId);
    element.setAttribute("api-base", apiBase);
    // The site's own time zone and clock, so that one page shows one time zone.
    if (profile.timeZone) element.setAttribute("time-zone", profile.timeZone);
    if (profile.timeFormat) element.setAttribute("time-format", profile.timeFormat);
    // Drawn as the page is: a light reporting page keeps a light section in the browser's dark mode.
    element.setAttribute("color-scheme", pageColorScheme());
    element.dataset.crecInjected = "";
    const moment = momentOnPage(mount, location.href);
    if (moment.recording !== null) element.setAttribute("recording", moment.recording);
    if (moment.at !== null) element.setAttribute("at", moment.at);
    // Who is signed in, before anything is handed to the player: where each recording was left
    // is looked up in that person's own store (see the player's `user`).
    const user = await signedInUser(apiBase);
    if (signal.aborted) return;
    if (user) element.setAttribute("user", user);
    mount.append(element);
    element.dispatchEvent(new CustomEvent(ELEMENT_ADDED, { bubbles: true }));
  },
};
