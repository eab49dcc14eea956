/**
 * On the Call Session view: the call's recordings on its timeline, as `<call-session-recordings>`
 * (the element a host page embeds, defined in the page's world), at the end of the call's
 * details. It renders nothing when the user may play none of them; clicking a recording's
 * timeline plays it in the page's docked player, which the extension drives.
 */
import type { SiteProfile } from "../../../src/extension/site-profile.js";
import type { Feature } from "../feature-manager.js";

const SESSION = "#call-session[data-call-id]";

/**
 * How the reference interface shows times: UTC, on a 24-hour clock. The injected list shows its
 * Start times the same way (and says UTC), so that one page shows one time zone. A site
 * profile will name its own.
 */
const REFERENCE_TIMES = { timeZone: "UTC", timeFormat: "24h" } as const satisfies Pick<SiteProfile, "timeZone" | "timeFormat">;

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
  applies: (_location, document) => document.querySelector(SESSION) !== null,
  async init(signal, context) {
    const section = document.querySelector<HTMLElement>(SESSION);
    const callId = section?.dataset.callId;
    // The reference server says how many recordings this user may play: none, no section.
    if (!section || !callId || section.dataset.recordings === "0") return;
    // A page that embeds the element itself needs no second one.
    if (document.querySelector("call-session-recordings")) return;
    const element = document.createElement("call-session-recordings");
    element.setAttribute("call-id", callId);
    element.setAttribute("api-base", context.apiBase);
    element.setAttribute("time-zone", REFERENCE_TIMES.timeZone);
    element.setAttribute("time-format", REFERENCE_TIMES.timeFormat);
    element.dataset.crecInjected = "";
    // Who is signed in, before anything is handed to the player: where each recording was left
    // is looked up in that person's own store (see the player's `user`).
    const user = await signedInUser(context.apiBase);
    if (signal.aborted) return;
    if (user) element.setAttribute("user", user);
    section.append(element);
  },
};
