/**
 * What each sender may ask, beyond the shape of the request: the request type must be one its
 * kind of sender may send, every URL it carries must be on an enabled reporting origin, every URL
 * a page hands over must be on that page's own origin (or one its site names for recordings):
 * the background fetches and saves them with that site's cookies. A page may control only what
 * a page of its own origin started.
 */
import { requestUrls, SENDERS, type BackgroundRequest } from "../../src/extension/extension-messages.js";
import { httpOrigin, isEnabledUrl } from "../../src/extension/origins.js";
import type { RequestContext } from "./handlers.js";

export interface AuthorizeDependencies {
  /** The origins the user added. */
  userOrigins: () => Promise<string[]>;
  /** The origin of the call that plays, if any. */
  playingOrigin: () => Promise<string | null>;
  /** Origins other than its own that a site keeps its recordings on (its site profile's). */
  recordingOrigins?: (origin: string) => Promise<readonly string[]>;
}

export class RefusedError extends Error {
  override name = "RefusedError";
}

/** Checks a request against its sender; throws a RefusedError saying why it is refused. */
export async function authorize(request: BackgroundRequest, context: RequestContext, deps: AuthorizeDependencies): Promise<void> {
  if (!SENDERS[request.type].includes(context.sender)) throw new RefusedError(`${request.type} is not accepted from the ${context.sender}`);
  const user = await deps.userOrigins();
  for (const url of requestUrls(request)) {
    if (!isEnabledUrl(url, user)) throw new RefusedError(`${url.slice(0, 100)} is not on an enabled reporting origin`);
  }
  if (context.sender !== "page") return;
  if (request.type === "player/load") {
    // The background opens and fetches these with the user's cookies: they must be the page's own.
    for (const url of [request.session.sessionUrl, request.session.apiBase]) {
      if (httpOrigin(url) !== context.origin) throw new RefusedError(`${url.slice(0, 100)} is not on the page's own origin`);
    }
  }
  const urls = requestUrls(request);
  if (urls.length > 0) {
    // Audio and downloads too: another enabled site's URLs would be fetched with its cookies.
    const allowed = new Set([context.origin, ...((await deps.recordingOrigins?.(context.origin ?? "")) ?? [])]);
    for (const url of urls) {
      const origin = httpOrigin(url);
      if (origin === null || !allowed.has(origin)) throw new RefusedError(`${url.slice(0, 100)} is not on the page's own origin`);
    }
  }
  if (request.type === "player/load") return;
  // A page controls only what it (or another page of its origin) started.
  const playing = await deps.playingOrigin();
  if (playing !== null && playing !== context.origin) throw new RefusedError("what plays was started on another site");
}

