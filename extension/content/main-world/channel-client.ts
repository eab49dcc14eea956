/**
 * The page world's end of the private channel (see ../page-channel.ts). This code shares its
 * world with page scripts, so it takes the handover before any of them can interfere: it runs at
 * document_start, keeps the browser's own functions it needs before page scripts could replace
 * them, accepts only a trusted window message (not one a script dispatched) and only the first,
 * and stops it there so page scripts never see the port.
 */
import { isChannelHello, type BackgroundRequest, type ContentToPage, type PageMediaSite } from "../../../src/extension/extension-messages.js";

// The browser's own functions, kept before any page script runs.
const apply = Reflect.apply;
const getData = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data")!.get!;
const getPorts = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "ports")!.get!;
const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;
const postMessage = MessagePort.prototype.postMessage;
const setOnMessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, "onmessage")!.set!;
const addListener = EventTarget.prototype.addEventListener;
const removeListener = EventTarget.prototype.removeEventListener;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class ChannelClient {
  readonly #port: MessagePort;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Called with the playback state (null: nothing of this site plays). */
  onState: ((state: ContentToPage & { kind: "state" }) => void) | null = null;
  /** Called with how to treat the page's own players, once the site's settings are read. */
  onSite: ((site: PageMediaSite) => void) | null = null;

  constructor(port: MessagePort) {
    this.#port = port;
    apply(setOnMessage, port, [(event: MessageEvent) => this.#onMessage(apply(getData, event, []) as ContentToPage)]);
  }

  /** Sends a request to the background; resolves with its answer or rejects with its error. */
  send(request: BackgroundRequest): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      apply(postMessage, this.#port, [{ kind: "request", id, request }]);
    });
  }

  #onMessage(message: ContentToPage): void {
    if (message.kind === "state") {
      this.onState?.(message);
      return;
    }
    if (message.kind === "site") {
      this.onSite?.(message.site);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.reply.ok) pending.resolve(message.reply.value);
    else pending.reject(new Error(message.reply.error.message, { cause: message.reply.error }));
  }
}

/** Waits for the content script's handover; calls `onReady` once with the channel. */
export function acceptChannel(onReady: (client: ChannelClient) => void): void {
  const listener = (event: MessageEvent) => {
    if (!event.isTrusted) return;
    const data: unknown = apply(getData, event, []);
    if (!isChannelHello(data)) return;
    const ports = apply(getPorts, event, []) as readonly MessagePort[];
    if (ports.length !== 1) return;
    apply(stopImmediatePropagation, event, []);
    apply(removeListener, window, ["message", listener, true]);
    onReady(new ChannelClient(ports[0]!));
  };
  apply(addListener, window, ["message", listener, true]);
}
