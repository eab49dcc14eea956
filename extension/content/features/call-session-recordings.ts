/**
 * On the Call Session view: the call's recordings on its timeline, as `<call-session-recordings>`
 * (the element a host page embeds, defined in the page's world), at the end of the call's
 * details. It renders nothing when the user may play none of them; clicking a recording's
 * timeline plays it in the page's docked player, which the extension drives.
 */
import type { Feature } from "../feature-manager.js";

const SESSION = "#call-session[data-call-id]";

export const callSessionRecordings: Feature = {
  name: "call-session-recordings",
  applies: (_location, document) => document.querySelector(SESSION) !== null,
  init(_signal, context) {
    const section = document.querySelector<HTMLElement>(SESSION);
    const callId = section?.dataset.callId;
    // The reference server says how many recordings this user may play: none, no section.
    if (!section || !callId || section.dataset.recordings === "0") return;
    // A page that embeds the element itself needs no second one.
    if (document.querySelector("call-session-recordings")) return;
    const element = document.createElement("call-session-recordings");
    element.setAttribute("call-id", callId);
    element.setAttribute("api-base", context.apiBase);
    element.dataset.crecInjected = "";
    section.append(element);
  },
};
