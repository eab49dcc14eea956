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
  /** The body's own bottom padding, read once docked and laid out. */
  #basePadding: number | null = null;

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
    this.#savedInline = document.body.style.paddingBottom;
    this.#basePadding = null;
    // Measured only in the observer's callback, after the browser's own layout: docking never
    // forces a style or layout pass of the page (a 10,000-row report costs a second for that).
    this.#observer = new ResizeObserver((entries) => this.#apply(entries[entries.length - 1]));
    this.#observer.observe(this.#host);
  }

  #apply(entry: ResizeObserverEntry | undefined): void {
    if (!entry) return;
    this.#basePadding ??= parseFloat(getComputedStyle(document.body).paddingBottom) || 0;
    const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
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
