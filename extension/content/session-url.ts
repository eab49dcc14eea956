/**
 * A call's Call Session view on the reference server, by its path. A module of its own: the
 * page-world script needs it, and importing it from call-api.ts would evaluate the API client
 * and its answer's checks on every page.
 */

/** The call's session view on a reporting origin (the reference server's path). */
export function sessionUrlFor(origin: string, callId: string): string {
  return `${origin}/reports/call-session?call=${encodeURIComponent(callId)}`;
}
