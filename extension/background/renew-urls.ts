/**
 * Renews a playing call's signed audio and download URLs from the reporting server's JSON API
 * (`GET {apiBase}/calls/{id}`, with the user's session cookie), for when they expired while
 * nothing that could renew them (a page) was open. The call is read and checked by the same
 * client `<call-session-recordings>` uses.
 */
import { apiCallSource, loadCall } from "../../src/calls/api-client.js";
import type { PlaybackSession } from "../../src/extension/background-playback-state.js";
import { AccessRemovedError } from "../../src/player/playback-engine.js";

export async function renewUrls(
  session: PlaybackSession,
  isAllowed: (url: string) => Promise<boolean>,
): Promise<{ id: string; src: string; downloadUrl?: string; peaksUrl?: string }[]> {
  if (!(await isAllowed(session.apiBase))) throw new Error(`${session.apiBase} is not on an enabled reporting origin`);
  const source = apiCallSource(session.apiBase, { credentials: "include", baseUrl: session.apiBase });
  const call = await loadCall(source, session.callId, AbortSignal.timeout(15_000));
  if (!call) throw new AccessRemovedError(`call ${session.callId} is no longer there for this user`);
  const updates = [];
  for (const r of call.recordings) {
    if (!(await isAllowed(r.audioUrl)) || (r.downloadUrl !== undefined && !(await isAllowed(r.downloadUrl)))) continue;
    const peaksUrl = r.peaksUrl !== undefined && (await isAllowed(r.peaksUrl)) ? { peaksUrl: r.peaksUrl } : {};
    updates.push({ id: r.id, src: r.audioUrl, ...(r.downloadUrl !== undefined ? { downloadUrl: r.downloadUrl } : {}), ...peaksUrl });
  }
  return updates;
}
