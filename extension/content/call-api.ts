/**
 * A call as the content script plays it: read with the page's own session through the same
 * client and named with the same labels as `<call-session-recordings>`, so a quick play from
 * the Call List shows exactly what the Call Session view would.
 */
import { apiCallSource, loadCall } from "../../src/calls/api-client.js";
import { callTitle, playerRecordingsOf } from "../../src/calls/call-labels.js";
import type { CallDetails } from "../../src/calls/call-payload.js";
import { MAX_TITLE, type SessionInput } from "../../src/extension/extension-messages.js";
import { sessionUrlFor } from "./session-url.js";

/** Reads a call; null when it does not exist for this user. */
export function fetchCall(apiBase: string, callId: string, signal: AbortSignal): Promise<CallDetails | null> {
  return loadCall(apiCallSource(apiBase, { baseUrl: location.href }), callId, signal);
}

/** A call as the background plays it. */
export function sessionOf(call: CallDetails, origin: string, apiBase: string): SessionInput {
  return {
    callId: call.id,
    callTitle: callTitle(call).slice(0, MAX_TITLE),
    sessionUrl: sessionUrlFor(origin, call.id),
    apiBase,
    recordings: playerRecordingsOf(call).map((r) => ({ ...r, title: r.title.slice(0, MAX_TITLE) })),
  };
}
