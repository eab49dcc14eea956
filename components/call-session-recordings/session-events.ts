/**
 * The events `<call-session-recordings>` sends, typed once for `addEventListener` and sent by
 * the elements' one `emit` (events.ts). Like the player's, each is prefixed `crec-`, bubbles and crosses shadow roots.
 */
import type { CallLoadErrorKind } from "../../src/calls/api-client.js";

export interface SessionEventDetails {
  /** The call loaded with recordings the user may play; the section shows them. */
  "crec-loaded": { callId: string; recordings: number };
  /**
   * There is nothing the user may play (the call was not recorded, the user may not play it, or
   * there is no such call): the section renders nothing. A host may hide its own frame.
   */
  "crec-empty": { callId: string; reason: "no-recordings" | "not-found" };
  /** Loading the call failed; the section shows `message` and a retry button. */
  "crec-load-error": { callId: string; kind: CallLoadErrorKind; message: string; status?: number };
}

export type SessionEventName = keyof SessionEventDetails;


declare global {
  interface GlobalEventHandlersEventMap {
    "crec-loaded": CustomEvent<SessionEventDetails["crec-loaded"]>;
    "crec-empty": CustomEvent<SessionEventDetails["crec-empty"]>;
    "crec-load-error": CustomEvent<SessionEventDetails["crec-load-error"]>;
  }
}
