/**
 * A call as the content script plays it, read the way the site's profile says: from the
 * project's JSON API (named with the same labels as `<call-session-recordings>`), or from the
 * profile's URL template (one recording at an address made from the call id, or an answer
 * asked there and mapped to recordings).
 */
import { expandTemplate, mapAnswer, sessionUrlFromPath, type SiteProfile } from "../../src/extension/site-profile.js";
import { MAX_TITLE, type SessionInput } from "../../src/extension/extension-messages.js";
import { fetchCall, sessionOf } from "./call-api.js";

/** A call's Call Session view on this site, by the profile's path. */
export function sessionUrlOf(profile: SiteProfile | null, callId: string, origin: string): string | null {
  return sessionUrlFromPath(profile?.callSession?.path, callId, origin);
}

export interface CallRequest {
  origin: string;
  profile: SiteProfile;
  callId: string;
  /** How the page names the call (its row's fields), if it does. */
  name: string;
  signal: AbortSignal;
}

/** A call of the site as the background plays it; null when it has no recordings for this user. */
export async function sessionForCall({ origin, profile, callId, name, signal }: CallRequest): Promise<SessionInput | null> {
  const source = profile.recordings;
  const sessionUrl = sessionUrlOf(profile, callId, origin) ?? location.href;
  const callTitle = (name || `Call ${callId}`).slice(0, MAX_TITLE);
  if (source.kind === "page-media") return null;
  if (source.kind === "api") {
    const apiBase = new URL(source.base, origin).href.replace(/\/$/, "");
    const call = await fetchCall(apiBase, callId, signal);
    if (!call || call.recordings.length === 0) return null;
    return { ...sessionOf(call, origin, apiBase), sessionUrl };
  }
  // Who is signed in is asked at the site's root (`/me`): a site without it answers "unknown".
  const apiBase = origin;
  const download = source.downloadUrl !== undefined ? expandTemplate(source.downloadUrl, { callId }, location.href) : undefined;
  if (source.answer === undefined) {
    const src = expandTemplate(source.url, { callId }, location.href);
    return { callId, callTitle, sessionUrl, apiBase, recordings: [{ id: callId, src, title: callTitle, ...(download !== undefined ? { downloadUrl: download } : {}) }] };
  }
  const url = expandTemplate(source.url, { callId }, location.href);
  const method = source.method ?? "GET";
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { accept: "application/json", ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" } : {}) },
    ...(method === "POST" && source.body !== undefined ? { body: expandTemplate(source.body, { callId }) } : {}),
    signal,
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const mapped = mapAnswer(await response.json(), source.answer, { callId, baseUrl: response.url || url });
  if (!mapped.ok) throw new Error(`the answer for call ${callId} does not fit the profile: ${mapped.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  if (mapped.recordings.length === 0) return null;
  const several = mapped.recordings.length > 1;
  return {
    callId,
    callTitle,
    sessionUrl,
    apiBase,
    recordings: mapped.recordings.map((r, i) => ({
      id: r.id,
      src: r.audioUrl,
      title: (several ? `${callTitle} (${i + 1})` : callTitle).slice(0, MAX_TITLE),
      ...((r.downloadUrl ?? download) !== undefined ? { downloadUrl: (r.downloadUrl ?? download)! } : {}),
      ...(r.durationSeconds !== undefined ? { durationSeconds: r.durationSeconds } : {}),
      ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
    })),
  };
}
