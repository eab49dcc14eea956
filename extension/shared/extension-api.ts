/**
 * The WebExtension API for the scripts that run on every page of the reporting interface (the
 * isolated content script) and for requests to the background, without webextension-polyfill.
 * Firefox has `browser`; Chrome's Manifest V3 `chrome` answers with promises for all that is
 * used through this (storage.local.get, storage.onChanged, runtime.sendMessage), and the
 * background never answers a request with a rejection (its router replies `{ok: false, error}`),
 * the one case the polyfill's sendMessage would translate. The polyfill's setup (a description of
 * every API, and proxies around them) cost every page load a few milliseconds; it stays in the
 * background and offscreen document, where listeners answer with promises, which Chrome's
 * onMessage does not take.
 */
import type { Browser } from "webextension-polyfill";

const scope = globalThis as unknown as { browser?: Browser; chrome?: Browser };

export const extensionApi: Browser = scope.browser?.runtime?.id ? scope.browser : scope.chrome!;
