/**
 * *Copy link to this moment* for `<recording-player>` (issue 16): a button
 * (`part="copy-link-button"`) that copies the call's page with `recording` and `t` (whole
 * seconds) set from where the player stands. "Link copied" shows in the player's status area
 * (a live region); where the clipboard is refused, the link is shown there in a text field,
 * selected, for the person to copy themselves.
 */
import { css, html, svg, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { momentUrl } from "../../src/calls/call-moment.js";

/** How long "Link copied" shows, in ms. */
const COPIED_SHOWN_MS = 4000;

const copyLinkIcon = svg`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1.2 1.2M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1.2-1.2"/></svg>`;

/** What the control needs of its player. */
export interface CopyLinkSource {
  /** The page the link opens: the call's own page when known, else this page. */
  pageUrl(): string;
  /** The current recording's id (null to leave `recording` out) and seconds into it; null with nothing to link to. */
  moment(): { recordingId: string | null; seconds: number } | null;
}

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

export class CopyLinkControl implements ReactiveController {
  readonly #host: Host;
  readonly #source: CopyLinkSource;
  /** What the status area says: "Link copied", or the link to copy by hand. */
  #shown: { kind: "copied" } | { kind: "manual"; url: string } | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(host: Host, source: CopyLinkSource) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#clearTimer();
    this.#shown = null;
  }

  /** The link to the current moment, or null when there is none. */
  link(): string | null {
    const moment = this.#source.moment();
    return moment ? momentUrl(this.#source.pageUrl(), moment.recordingId, moment.seconds) : null;
  }

  /** Copies the link; resolves with it once "Link copied" (or the text field) shows. */
  async copy(): Promise<string | null> {
    const url = this.link();
    if (!url) return null;
    this.#clearTimer();
    try {
      if (!navigator.clipboard?.writeText) throw new Error("this page has no clipboard");
      await navigator.clipboard.writeText(url);
      this.#shown = { kind: "copied" };
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (this.#shown?.kind === "copied") this.#dismiss(false);
      }, COPIED_SHOWN_MS);
      this.#host.requestUpdate();
    } catch (error) {
      console.warn("call recordings: the clipboard refused the link; it is shown to copy by hand", error);
      this.#shown = { kind: "manual", url };
      this.#host.requestUpdate();
      await this.#host.updateComplete;
      const field = this.#host.renderRoot.querySelector<HTMLInputElement>('[part="copy-link-field"]');
      field?.focus();
      field?.select();
    }
    return url;
  }

  /** The button, for the player's controls. */
  renderButton(disabled: boolean): TemplateResult {
    return html`<button
      part="copy-link-button"
      class="button"
      aria-label="Copy link to this moment"
      title="Copy link to this moment"
      ?disabled=${disabled}
      @click=${() => void this.copy()}
    >
      ${copyLinkIcon}
    </button>`;
  }

  /** What the status area shows, or null. */
  renderStatus(): TemplateResult | null {
    const shown = this.#shown;
    if (!shown) return null;
    if (shown.kind === "copied") return html`<span class="message">Link copied</span>`;
    return html`<label class="copy-link-manual"
        ><span class="message">The browser did not allow copying. Copy this link:</span
        ><input
          part="copy-link-field"
          class="copy-link-field"
          type="text"
          readonly
          .value=${shown.url}
          @keydown=${this.#onFieldKey}
      /></label
      ><button part="copy-link-close" class="link-button" @click=${() => this.#dismiss(true)}>Done</button>`;
  }

  #onFieldKey = (event: KeyboardEvent): void => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    this.#dismiss(true);
  };

  #dismiss(returnFocus: boolean): void {
    this.#clearTimer();
    this.#shown = null;
    this.#host.requestUpdate();
    if (returnFocus) void this.#host.updateComplete.then(() => this.#host.renderRoot.querySelector<HTMLElement>('[part="copy-link-button"]')?.focus());
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

export const copyLinkStyles = css`
  .copy-link-manual {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
    min-width: 0;
  }
  .copy-link-field {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid currentColor;
    border-radius: 4px;
    padding: 2px 6px;
    min-width: 12rem;
    max-width: 100%;
    flex: 1 1 16rem;
  }
  .copy-link-field:focus-visible {
    outline: 2px solid var(--crec-focus-ring, currentColor);
    outline-offset: 1px;
  }
`;
