/**
 * Every message reaching the background passes here first: its shape is checked, its sender
 * established (ours, and a page of an enabled reporting origin or one of our pages), the request
 * matched against what that sender may ask, and every URL it carries held to the enabled
 * origins. Only then does its handler run. The answer is always a Reply: errors cross the
 * boundary serialized.
 */
import browser from "webextension-polyfill";
import type { Runtime } from "webextension-polyfill";
import { backgroundRequest, classifySender, serializeError, type BackgroundRequest, type Reply, type SelfFacts } from "../../src/extension/extension-messages.js";
import { isEnabledOrigin } from "../../src/extension/origins.js";
import { check } from "../../src/shape.js";
import { authorize, RefusedError, type AuthorizeDependencies } from "./authorize.js";
import type { HandlerMap, RequestContext } from "./handlers.js";

export interface RouterDependencies extends AuthorizeDependencies {
  handlers: HandlerMap;
  self: SelfFacts;
}


/** The onMessage listener: a Reply for requests to the background, undefined for other messages. */
export function createRouter(deps: RouterDependencies) {
  return async (message: unknown, sender: Runtime.MessageSender): Promise<Reply<unknown> | undefined> => {
    // Commands to the offscreen document travel the same bus; they are not ours to answer.
    if (typeof message === "object" && message !== null && (message as { to?: unknown }).to === "offscreen") return undefined;
    try {
      const user = await deps.userOrigins();
      const kind = classifySender(
        { id: sender.id, url: sender.url, fromTab: sender.tab !== undefined, ...(typeof (sender as { origin?: unknown }).origin === "string" ? { origin: (sender as { origin: string }).origin } : {}) },
        deps.self,
        (origin) => isEnabledOrigin(origin, user),
      );
      if (kind === null) throw new RefusedError("the sender is not one this extension answers");
      const checked = check(backgroundRequest, message, "request");
      if (!checked.ok) throw new RefusedError(checked.problem);
      const request = checked.value;
      const context: RequestContext = {
        sender: kind,
        origin: kind === "page" && sender.url ? new URL(sender.url).origin : null,
        ...(kind === "page" && sender.tab?.id !== undefined ? { frame: { tabId: sender.tab.id, frameId: sender.frameId ?? 0 } } : {}),
      };
      await authorize(request, context, deps);
      const handler = deps.handlers[request.type] as (req: BackgroundRequest, ctx: RequestContext) => Promise<unknown>;
      return { ok: true, value: await handler(request, context) };
    } catch (error) {
      if (!(error instanceof RefusedError)) console.warn("call recordings: a request failed", error);
      return { ok: false, error: serializeError(error) };
    }
  };
}

/** Our own pages' URLs, as the sender check needs them. */
export function selfFacts(offscreenPath: string): SelfFacts {
  const manifest = browser.runtime.getManifest();
  return {
    id: browser.runtime.id,
    popupUrl: browser.runtime.getURL(manifest.action?.default_popup ?? "extension/popup/popup.html"),
    optionsUrl: browser.runtime.getURL(manifest.options_ui?.page ?? "extension/options/options.html"),
    offscreenUrl: browser.runtime.getURL(offscreenPath),
  };
}
