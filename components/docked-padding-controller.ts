/**
 * While the player is docked at the bottom of the page, the page's last lines must stay
 * readable: this pads the bottom of `document.body` by the player's height, follows that height
 * as it changes (ResizeObserver), and puts the padding back as it was when undocked or removed.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

type Host = ReactiveControllerHost & HTMLElement & { docked: boolean };

export class DockedPaddingController implements ReactiveController {
  readonly #host: Host;
  #observer: ResizeObserver | null = null;
  /** The body's inline padding-bottom before docking, to restore. */
  #savedInline: string | null = null;
  #basePadding = 0;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdated(): void {
    const active = this.#host.docked && this.#host.isConnected;
    if (active && !this.#observer) this.#start();
    else if (!active && this.#observer) this.#stop();
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #start(): void {
    const body = document.body;
    this.#savedInline = body.style.paddingBottom;
    this.#basePadding = parseFloat(getComputedStyle(body).paddingBottom) || 0;
    this.#observer = new ResizeObserver(() => this.#apply());
    this.#observer.observe(this.#host);
    this.#apply();
  }

  #apply(): void {
    const height = this.#host.getBoundingClientRect().height;
    document.body.style.paddingBottom = `${Math.ceil(this.#basePadding + height)}px`;
  }

  #stop(): void {
    if (!this.#observer) return;
    this.#observer.disconnect();
    this.#observer = null;
    document.body.style.paddingBottom = this.#savedInline ?? "";
    this.#savedInline = null;
  }
}
