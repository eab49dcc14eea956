/**
 * The content script's end of the private channel to the page's world. At document_start, before
 * any page script runs, it hands one port of a fresh MessageChannel to the page-world script
 * (which takes the first such handover and hides it from page scripts; see
 * main-world/channel-client.ts). Over it the page's world sends the player's requests, which are
 * checked here and relayed to the background, and gets back answers and the playback state,
 * limited to this page's origin.
 */
import type { Storage } from "webextension-polyfill";
import { extensionApi } from "../shared/extension-api.js";
import {
  CHANNEL_HELLO,
  CHANNEL_VERSION,
  pageToContent,
  playbackStateShape,
  serializeError,
  stateForPage,
  STORAGE_KEYS,
  type ChannelHello,
  type ContentToPage,
  type PageMediaSite,
  type Reply,
} from "../../src/extension/extension-messages.js";
import { check } from "../../src/shape.js";

export class PageChannel {
  readonly #port: MessagePort;
  readonly #origin = location.origin;
  #open = true;

  /**
   * Creates the channel and hands the page's world its end. Call at document_start.
   *
   * The port is posted from a microtask: still before any page script can run (the microtasks
   * run as soon as this script has), but not from inside the script's top level. Chromium's
   * `window.postMessage` notes where it was called from, and with DevTools open (or any DevTools
   * protocol client, as the benchmark and the tests are) that is the whole stack: in a new tab,
   * finding the position in the top level meant parsing all of this script again, about 3 ms
   * of the page's main thread. Without DevTools only the calling function is looked at; this
   * changes nothing there (extension/README.md, "The Call List marks").
   */
  static handOver(): PageChannel {
    const channel = new MessageChannel();
    const hello: ChannelHello = { type: CHANNEL_HELLO, version: CHANNEL_VERSION };
    const origin = location.origin;
    queueMicrotask(() => window.postMessage(hello, origin, [channel.port2]));
    return new PageChannel(channel.port1);
  }

  private constructor(port: MessagePort) {
    this.#port = port;
  }

  /**
   * Starts relaying the page's requests and pushing the playback state, from `stored` (as read
   * from storage, unchecked) on. Called in the task that read it: a change stored after that
   * read reaches the listener added here.
   */
  start(signal: AbortSignal, stored: unknown): void {
    this.#port.onmessage = (event: MessageEvent<unknown>) => void this.#onRequest(event.data);
    signal.addEventListener("abort", () => this.close(), { once: true });
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string) => {
      if (area === "local" && STORAGE_KEYS.playback in changes) this.#pushState(changes[STORAGE_KEYS.playback]!.newValue);
    };
    extensionApi.storage.onChanged.addListener(onChanged);
    signal.addEventListener("abort", () => extensionApi.storage.onChanged.removeListener(onChanged), { once: true });
    this.#pushState(stored);
  }

  /** Tells the page's world how to treat the page's own players. */
  tellSite(site: PageMediaSite): void {
    this.#post({ kind: "site", site });
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#port.onmessage = null;
    this.#port.close();
  }

  #post(message: ContentToPage): void {
    if (this.#open) this.#port.postMessage(message);
  }

  #pushState(value: unknown): void {
    // Nothing stored (nothing has played here yet): nothing to check, and no refusal to make.
    if (value === undefined || value === null) {
      this.#post({ kind: "state", state: null });
      return;
    }
    const checked = check(playbackStateShape, value ?? null, "playback");
    this.#post({ kind: "state", state: checked.ok ? stateForPage(checked.value, this.#origin) : null });
  }

  async #onRequest(data: unknown): Promise<void> {
    const checked = check(pageToContent, data, "message");
    if (!checked.ok) {
      // Nothing is answered to what does not even have the shape of a request.
      const id = typeof data === "object" && data !== null ? (data as { id?: unknown }).id : undefined;
      if (typeof id === "number") this.#post({ kind: "reply", id, reply: { ok: false, error: { name: "ShapeError", message: checked.problem } } });
      return;
    }
    const { id, request } = checked.value;
    let reply: Reply<unknown>;
    try {
      reply = (await extensionApi.runtime.sendMessage(request)) as Reply<unknown>;
    } catch (error) {
      reply = { ok: false, error: serializeError(error) };
    }
    if (reply?.ok) {
      const state = check(playbackStateShape, reply.value);
      if (state.ok) reply = { ok: true, value: stateForPage(state.value, this.#origin) };
    }
    this.#post({ kind: "reply", id, reply: reply ?? { ok: false, error: { name: "Error", message: "no answer" } } });
  }
}
