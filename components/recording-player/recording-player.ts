import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { formatClock, speakPosition } from "../../src/player/format-time.js";
import type { PlaybackEngine } from "../../src/player/playback-engine.js";
import type { PreferenceStore } from "../../src/player/player-preferences.js";
import {
  canRetry,
  DEFAULT_RECOVERY,
  formatRate,
  isBusy,
  locate,
  RATES,
  stepRate,
  type PlayerRecording,
  type PlayerStatus,
} from "../../src/player/player-state.js";
import { DockedPaddingController } from "./docked-padding-controller.js";
import { MediaSessionController } from "./media-session-controller.js";
import { PlaybackController } from "./playback-controller.js";
import { ResumeController } from "./resume-controller.js";
import { hotkeyAction, hotkeyToken, isTextEntry, SKIP_SECONDS, type HotkeyAction, type HotkeyTarget } from "./player-hotkeys.js";
import {
  alertIcon,
  callLinkIcon,
  closeIcon,
  downloadIcon,
  mutedIcon,
  nextIcon,
  pauseIcon,
  playIcon,
  previousIcon,
  replayIcon,
  skipBackIcon,
  skipForwardIcon,
  spinnerIcon,
  volumeHighIcon,
  volumeLowIcon,
} from "./player-icons.js";
import { BUFFERING_MESSAGE, errorMessage, LOADING_MESSAGE, REFRESHING_MESSAGE, retryingMessage } from "./player-messages.js";
import { cssomStyle } from "../shared/cssom-style.js";
import { emit } from "./player-events.js";
import { playerStyles } from "./recording-player.styles.js";
import { channelMixStyles, renderChannelMix } from "./channel-mix-control.js";
import { CopyLinkControl, copyLinkStyles } from "./copy-link-control.js";
import { fractionAt, trackDrag, type DragPhase } from "./slider-drag.js";
import { WaveformController } from "./waveform-controller.js";

export type { PlayerRecording, RecordingUpdate, PlayerStatus } from "../../src/player/player-state.js";
export type { PlayerEventDetails } from "./player-events.js";

/** How long loading or buffering lasts before the player says so, in ms (no flicker on quick seeks). */
const BUSY_DELAY_MS = 300;

/**
 * The embedded player for call recordings: one recording, or a call's segments played one
 * after another on a single timeline with segment marks.
 *
 * @summary Plays call recordings: pause, resume, seek, volume, mute, speed, download, segments.
 *
 * @csspart bar - The bar that holds everything (a region landmark named after the call).
 * @csspart play-button - Play / pause.
 * @csspart skip-back-button - Back 10 seconds.
 * @csspart skip-forward-button - Forward 10 seconds.
 * @csspart previous-button - Previous segment (sequences only).
 * @csspart next-button - Next segment (sequences only).
 * @csspart call-title - The call's name.
 * @csspart segment-name - The current recording's name ("Segment 2 · Bob Smith (2 of 3)").
 * @csspart status - Live region: loading, buffering, errors, and what can be done.
 * @csspart retry-button - In `status`, after a failure that a retry may fix.
 * @csspart status-download-link - In `status`, when this browser cannot play the recording.
 * @csspart start-over-button - In `status`, when a recording reopened where it stopped.
 * @csspart resume-button - In `status`, "Resume at 12:34" when the browser blocked playing on after a page load.
 * @csspart seek-slider - The timeline (role="slider"; spoken as "1 minute 5 seconds of 3 minutes").
 * @csspart segment-mark - A boundary between two recordings on the seek slider.
 * @csspart time - Elapsed and total time.
 * @csspart download-button - A link that downloads the current recording.
 * @csspart mute-button - Mute / unmute.
 * @csspart volume-slider - Volume (role="slider").
 * @csspart channels - A two-channel recording whose parties are named: buttons to hear both, or one party alone.
 * @csspart balance - A two-channel recording's balance from its first party to its second (a range input).
 * @csspart rate-button - Playback speed; opens `rate-menu`.
 * @csspart rate-menu - The speeds, 0.5× to 2×.
 * @csspart waveform - With the recording's peaks: its waveform in the seek slider (a canvas, hidden from assistive technology).
 * @csspart skip-silence-button - With the recording's peaks: skip silences over 2 s (aria-pressed).
 * @csspart rate-option - One speed in `rate-menu`.
 * @csspart copy-link-button - "Copy link to this moment": the call's page (`call-url`, else this page) with `recording` and `t` set.
 * @csspart copy-link-field - In `status`, the link selected in a text field, where the clipboard refused it.
 * @csspart copy-link-close - In `status`, puts the text field away.
 * @csspart call-link - Docked, with `call-url`: a link to the playing call's Call Session view ("Open the call").
 * @csspart close-button - Docked: "Close player" stops playback and hides the player until something is played again.
 *
 * @cssprop --crec-background - Bar background.
 * @cssprop --crec-foreground - Text and icons.
 * @cssprop --crec-foreground-muted - Secondary text.
 * @cssprop --crec-accent - Played part of the timeline, thumbs, chosen speed.
 * @cssprop --crec-waveform - The waveform not yet played (default: the muted text colour).
 * @cssprop --crec-waveform-played - The waveform played (default: the accent).
 * @cssprop --crec-track - Slider track.
 * @cssprop --crec-buffered - Downloaded part of the timeline.
 * @cssprop --crec-segment-mark - Segment boundaries on the timeline.
 * @cssprop --crec-current-segment - Highlight of the current segment on the timeline.
 * @cssprop --crec-error - Error messages.
 * @cssprop --crec-hover - Button hover background.
 * @cssprop --crec-border - Borders.
 * @cssprop --crec-focus-ring - Keyboard focus outline.
 * @cssprop --crec-radius - Corner radius.
 * @cssprop --crec-font-family - Font.
 * @cssprop --crec-font-size - Base font size.
 * @cssprop --crec-control-size - Button size.
 * @cssprop --crec-volume-width - Width of the volume slider.
 * @cssprop --crec-balance-width - Width of the balance slider of a two-channel recording.
 * @cssprop --crec-shadow - Shadow when docked.
 * @cssprop --crec-z-index - Stacking when docked.
 *
 * @event crec-play - Playback started or resumed (also when the sequence moves on).
 * @event crec-pause - Playback paused; detail.reason is "user", "other-player" or "error".
 * @event crec-timeupdate - The position moved: {index, recordingId, currentTime, duration}.
 * @event crec-recordingchange - Another recording became current: {index, previousIndex, recording}.
 * @event crec-ended - The last recording played to its end.
 * @event crec-error - Playback failed for good: {kind, message, cause, status?, index, recordingId}.
 * @event crec-refresh-url - The signed URL expired: answer with detail.respondWith(promise of {src, downloadUrl?}).
 * @event crec-volumechange - Volume or mute changed: {volume, muted}.
 * @event crec-ratechange - Speed changed: {playbackRate}.
 * @event crec-statuschange - The status changed: {status}.
 * @event crec-close - The player was closed (its close button, or `close()`), before it stops: {recordingId, index, currentTime}.
 */
export class RecordingPlayer extends LitElement {
  static override styles = [playerStyles, channelMixStyles, copyLinkStyles];

  /** Carries playback on across full page loads of a site without the extension. */
  readonly #resume = ResumeController.for(this);

  readonly #playback = new PlaybackController(this, (list) => {
    // The player renewed a signed URL: the property shows it.
    this.recordings = list;
  });

  /** With a recording's peaks: its waveform in the seek slider, and skip silence. */
  readonly #waveform = new WaveformController(this);

  /** Skips silences over 2 s of recordings with peaks; remembered with the volume and speed. */
  get skipSilence(): boolean {
    return this.#waveform.skipSilence;
  }
  set skipSilence(on: boolean) {
    this.#waveform.skipSilence = on;
  }

  /** Copy link to this moment: the call's page, else this one, at the current recording and second. */
  readonly #copyLink = new CopyLinkControl(this, {
    pageUrl: () => webUrl(this.callUrl) ?? location.href,
    moment: () => {
      const recording = this.#playback.current;
      if (!recording) return null;
      // A bare `src` has no id of the call's to name.
      return { recordingId: this.src && this.recordings.length === 1 ? null : recording.id, seconds: this.#playback.position };
    },
  });

  /** Timeline seconds under the pointer while the seek slider is dragged. */
  @state() private _seekPreview: number | null = null;
  /** Timeline seconds under the mouse over the seek slider. */
  @state() private _seekHover: number | null = null;
  @state() private _rateMenuOpen = false;
  /** The rate menu opens below its button when there is no room above. */
  @state() private _rateMenuBelow = false;
  /** Loading or buffering has lasted long enough to be shown. */
  @state() private _busyShown = false;
  #busyTimer: ReturnType<typeof setTimeout> | null = null;

  /** The recordings to play, in order (a call's segments). Methods may be called right after setting it. */
  @property({ attribute: false })
  get recordings(): PlayerRecording[] {
    return this.#recordings;
  }
  set recordings(recordings: PlayerRecording[]) {
    const old = this.#recordings;
    this.#recordings = recordings;
    this.#playback.setRecordings(recordings);
    this.requestUpdate("recordings", old);
  }
  #recordings: PlayerRecording[] = [];

  /** The call's name, shown with the segment name and sent to Media Session. */
  @property({ attribute: "call-title" }) callTitle = "";

  /** A single recording's URL: a shortcut for `recordings` of one. */
  @property() src: string | null = null;

  /** Pins the player to the bottom of the page; the page gets room for it below its last lines. */
  @property({ type: Boolean, reflect: true }) docked = false;

  /**
   * Who is signed in, as the page knows it (a user id). Volume, speed, where each recording was
   * left and what played on the last page are kept for that user alone, so the next person at a
   * shared browser is offered nothing of theirs. Set it before the player is added to the page.
   */
  @property({ reflect: true })
  get user(): string | null {
    return this.#playback.user;
  }
  set user(user: string | null) {
    const old = this.#playback.user;
    const value = user || null;
    this.#playback.user = value;
    ResumeController.attachedTo(this)?.useUser(value);
    this.requestUpdate("user", old);
  }

  /**
   * The playing call's own page (its Call Session view), which the docked player links to;
   * `<call-session-recordings>` sets it when it plays. No link while unknown; only http(s) URLs.
   */
  @property({ attribute: "call-url" }) callUrl: string | null = null;

  /**
   * The colour scheme: "light" or "dark", as the host page is; unset, the browser's
   * (`prefers-color-scheme`). A page that is always light keeps the element light.
   */
  @property({ attribute: "color-scheme", reflect: true }) colorScheme: "light" | "dark" | null = null;

  /** Put away with the close button: shown again once something is played. */
  #closed = false;

  /** Switches keys off, media-chrome style: `hotkeys="nok nospace noarrowleft"`. */
  @property() hotkeys = "";

  /** Switches all keyboard shortcuts off. */
  @property({ type: Boolean }) nohotkeys = false;

  constructor() {
    super();
    new MediaSessionController(this, this.#playback, () => this.callTitle);
    new DockedPaddingController(this);
    this.addEventListener("keydown", this.#onKeyDown);
  }

  /** The engine that plays the audio: the page's media element unless another is given (the extension's). */
  get engine(): PlaybackEngine {
    return this.#playback.engine;
  }
  set engine(engine: PlaybackEngine) {
    this.#playback.engine = engine;
  }

  /**
   * Where volume, mute, rate and positions are remembered (IndexedDB by default). With a
   * background engine (the extension's), which keeps the settings and the playing position itself,
   * only where a recording was left (paused, sought, another chosen) is noted here.
   */
  get preferences(): PreferenceStore {
    return this.#playback.store;
  }
  set preferences(store: PreferenceStore) {
    this.#playback.store = store;
  }

  /** Waits before each automatic retry of a network failure, in ms; [] retries none. */
  get retryDelays(): readonly number[] {
    return this.#playback.recovery.retryDelaysMs;
  }
  set retryDelays(delays: readonly number[]) {
    this.#playback.recovery = { ...DEFAULT_RECOVERY, ...this.#playback.recovery, retryDelaysMs: [...delays] };
  }

  /** The current recording's index in `recordings` (-1 when empty). */
  get currentIndex(): number {
    return this.#playback.index;
  }

  /** The current recording. */
  get currentRecording(): PlayerRecording | undefined {
    return this.#playback.current;
  }

  /** Seconds into the current recording. */
  get currentTime(): number {
    return this.#playback.position;
  }

  /** The current recording's length in seconds (NaN while unknown). */
  get duration(): number {
    return this.#playback.duration;
  }

  /** True unless playing or about to (loading, buffering, retrying on the way to play). */
  get paused(): boolean {
    return !this.#playback.wantsToPlay;
  }

  /** What the player is doing: empty, loading, ready, playing, buffering, retrying, refreshing, ended, error. */
  get status(): PlayerStatus {
    return this.#playback.status;
  }

  /** 0..1 */
  get volume(): number {
    return this.#playback.engineState.volume;
  }
  set volume(volume: number) {
    this.#playback.setVolume(volume);
  }

  get muted(): boolean {
    return this.#playback.engineState.muted;
  }
  set muted(muted: boolean) {
    this.#playback.setMuted(muted);
  }

  /** 0.5..2 */
  get playbackRate(): number {
    return this.#playback.engineState.playbackRate;
  }
  set playbackRate(rate: number) {
    this.#playback.setPlaybackRate(rate);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#closeRateMenu(false);
    if (this.#busyTimer !== null) clearTimeout(this.#busyTimer);
    this.#busyTimer = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("src") && this.src) {
      const src = this.src;
      if (this.recordings.length !== 1 || this.recordings[0]?.src !== src) {
        this.recordings = [{ id: recordingIdFor(src), src, title: "" }];
      }
    }
    this.#followStatus();
    // Closed, and something is played again: the player is back.
    if (this.#closed && !this.paused) {
      this.#closed = false;
      this.hidden = false;
    }
  }

  /** Reflects the status, and shows loading or buffering only once it has lasted a moment. */
  #followStatus(): void {
    const status = this.#playback.status;
    if (this.getAttribute("status") !== status) this.setAttribute("status", status);
    const waiting = status === "loading" || status === "buffering";
    if (!waiting) {
      if (this.#busyTimer !== null) clearTimeout(this.#busyTimer);
      this.#busyTimer = null;
      this._busyShown = false;
    } else if (!this._busyShown && this.#busyTimer === null) {
      this.#busyTimer = setTimeout(() => {
        this.#busyTimer = null;
        const now = this.#playback.status;
        this._busyShown = now === "loading" || now === "buffering";
      }, BUSY_DELAY_MS);
    }
  }

  // ---- public methods ------------------------------------------------------------------

  /** Plays (or resumes, or retries after a failure, or replays the ended sequence). */
  play(): Promise<void> {
    return this.#playback.play();
  }

  pause(): void {
    this.#playback.pause();
  }

  /** Seeks within the current recording, in seconds. */
  seekTo(seconds: number): void {
    this.#playback.seekTo(seconds);
  }

  /** Plays recording `index` from `atSeconds` (default: where it stopped before); the sequence carries on. */
  playRecording(index: number, atSeconds?: number): void {
    this.#playback.playRecording(index, atSeconds);
  }

  /** Plays the sequence from the start of recording `startIndex`. */
  playSequence(startIndex = 0): void {
    this.#playback.playRecording(startIndex, 0);
  }

  /** Moves to the next recording. */
  next(): void {
    this.#playback.next();
  }

  /** Restarts the current recording, or moves to the previous one when near its start. */
  previous(): void {
    this.#playback.previous();
  }

  /** Moves by `seconds` on the sequence's timeline (negative: back). */
  skip(seconds: number): void {
    this.#playback.skip(seconds);
  }

  /** Tries again after a failure, from where playback stopped. */
  retry(): void {
    this.#playback.retry();
  }

  /** Copies a link to the current moment (the copy-link button); resolves with the link, or null with nothing to link to. */
  copyLink(): Promise<string | null> {
    return this.#copyLink.copy();
  }

  /** Plays the current recording from its start, forgetting where it had stopped. */
  startOver(): void {
    this.#playback.startOver();
  }

  /**
   * Puts the player away (the docked player's close button): sends `crec-close`, stops playback,
   * lets go of the recordings (so the next page does not bring them back either) and hides the
   * player until something is played in it again.
   */
  close(): void {
    emit(this, "crec-close", { recordingId: this.currentRecording?.id ?? null, index: this.currentIndex, currentTime: this.currentTime });
    this.pause();
    void this.#resume.store.clear().catch(() => undefined);
    this.src = null;
    this.recordings = [];
    this.#closed = true;
    this.hidden = true;
  }

  // ---- rendering -------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const p = this.#playback;
    const recording = p.current;
    const status = p.status;
    const unplayable = !recording || p.error?.kind === "unsupported";
    const multi = p.recordings.length > 1;
    const playing = p.wantsToPlay && !p.error;
    const spinning = playing && this._busyShown;
    const playLabel = playing ? "Pause" : status === "ended" ? "Play again" : "Play";
    const timeline = p.timeline;
    const now = this._seekPreview ?? p.timelinePosition;
    const volume = p.engineState.volume;
    const muted = p.engineState.muted;
    const rate = p.engineState.playbackRate;
    const download = recording ? (recording.downloadUrl ?? recording.src) : undefined;

    return html`
      <div class="bar" part="bar" tabindex="-1" role="region" aria-label=${this.callTitle ? `Recording player: ${this.callTitle}` : "Recording player"}>
        <div class="group start">
          <button
            part="play-button"
            class="button play"
            aria-label=${playLabel}
            title="${playLabel} (k)"
            aria-keyshortcuts="k"
            ?disabled=${unplayable}
            @click=${() => p.togglePlay()}
          >
            ${spinning ? spinnerIcon : playing ? pauseIcon : status === "ended" ? replayIcon : playIcon}
          </button>
          <button
            part="skip-back-button"
            class="button"
            aria-label="Back ${SKIP_SECONDS} seconds"
            title="Back ${SKIP_SECONDS} seconds (j)"
            aria-keyshortcuts="j"
            ?disabled=${unplayable}
            @click=${() => p.skip(-SKIP_SECONDS)}
          >
            ${skipBackIcon}
          </button>
          <button
            part="skip-forward-button"
            class="button"
            aria-label="Forward ${SKIP_SECONDS} seconds"
            title="Forward ${SKIP_SECONDS} seconds (l)"
            aria-keyshortcuts="l"
            ?disabled=${unplayable}
            @click=${() => p.skip(SKIP_SECONDS)}
          >
            ${skipForwardIcon}
          </button>
          ${multi
            ? html`<button
                  part="previous-button"
                  class="button"
                  aria-label="Previous segment"
                  title="Previous segment (Shift+P)"
                  aria-keyshortcuts="Shift+P"
                  @click=${() => p.previous()}
                >
                  ${previousIcon}
                </button>
                <button
                  part="next-button"
                  class="button"
                  aria-label="Next segment"
                  title="Next segment (Shift+N)"
                  aria-keyshortcuts="Shift+N"
                  ?disabled=${p.index >= p.recordings.length - 1}
                  @click=${() => p.next()}
                >
                  ${nextIcon}
                </button>`
            : nothing}
        </div>
        <div class="middle">
          <div class="info">
            <span class="names" title=${this.#namesText()}>${this.#renderNames()}</span>
            <span part="status" class="status ${p.error ? "problem" : ""}" role="status">${this.#renderStatus()}</span>
          </div>
          ${this.#renderSeekSlider(now, unplayable)}
        </div>
        <span part="time" class="time">${formatClock(now)} / ${formatClock(timeline.total || Number.NaN)}</span>
        <div class="group end">
          <a
            part="download-button"
            class="button"
            href=${download ?? nothing}
            role=${download ? nothing : "link"}
            aria-disabled=${download ? nothing : "true"}
            download
            aria-label="Download recording"
            title="Download recording"
          >
            ${downloadIcon}
          </a>
          <button
            part="mute-button"
            class="button"
            aria-label=${muted ? "Unmute" : "Mute"}
            title="${muted ? "Unmute" : "Mute"} (m)"
            aria-keyshortcuts="m"
            @click=${() => p.setMuted(!muted)}
          >
            ${muted || volume === 0 ? mutedIcon : volume < 0.5 ? volumeLowIcon : volumeHighIcon}
          </button>
          <div
            part="volume-slider"
            class="slider volume"
            role="slider"
            tabindex="0"
            aria-label="Volume"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=${Math.round(volume * 100)}
            aria-valuetext=${muted ? `muted, volume ${Math.round(volume * 100)} percent` : `${Math.round(volume * 100)} percent`}
            @pointerdown=${this.#onVolumePointerDown}
          >
            <div class="track">
              <div class="fill played" ${cssomStyle({ width: `${(muted ? 0 : volume) * 100}%` })}></div>
            </div>
            <div class="thumb" ${cssomStyle({ left: `${(muted ? 0 : volume) * 100}%` })}></div>
          </div>
          <div class="rate">
            <button
              part="rate-button"
              class="button"
              aria-label="Playback speed ${formatRate(rate)}"
              title="Playback speed (< and >)"
              aria-haspopup="menu"
              aria-expanded=${this._rateMenuOpen ? "true" : "false"}
              @click=${this.#toggleRateMenu}
            >
              ${formatRate(rate)}
            </button>
            ${this._rateMenuOpen ? this.#renderRateMenu(rate) : nothing}
          </div>
          ${unplayable ? nothing : this.#waveform.renderSkipButton()}
          ${p.channels && !unplayable ? renderChannelMix(p.channels, p.balance, (balance) => p.setBalance(balance)) : nothing}
          ${recording ? this.#copyLink.renderButton(false) : nothing}
          ${this.docked ? this.#renderDockedActions() : nothing}
        </div>
      </div>
    `;
  }

  /** Docked: a link to the playing call's page, when known, and the close button. */
  #renderDockedActions(): TemplateResult {
    const href = this.#playback.current ? webUrl(this.callUrl) : null;
    return html`${href
        ? html`<a part="call-link" class="button" href=${href} aria-label="Open the call" title="Open the call">${callLinkIcon}</a>`
        : nothing}<button part="close-button" class="button" aria-label="Close player" title="Close player" @click=${() => this.close()}>
        ${closeIcon}
      </button>`;
  }

  /** What the names say: the call's title, the recording's, and where it is in the sequence. */
  #names(): { title: string; count: string } {
    const p = this.#playback;
    const recording = p.current;
    const title = recording?.title || (this.callTitle ? "" : recording ? "Recording" : "No recording");
    const count = p.recordings.length > 1 ? ` (${p.index + 1} of ${p.recordings.length})` : "";
    return { title, count };
  }

  /** The names whole, for the tooltip of a line too narrow to show them all. */
  #namesText(): string {
    const { title, count } = this.#names();
    return `${this.callTitle ? `${this.callTitle}${title ? " · " : ""}` : ""}${title}${count}`;
  }

  #renderNames(): TemplateResult {
    const { title, count } = this.#names();
    return html`${this.callTitle ? html`<span part="call-title">${this.callTitle}</span>${title ? " · " : ""}` : nothing}<span
        part="segment-name"
        >${title}${count}</span
      >`;
  }

  #renderStatus(): TemplateResult | typeof nothing {
    const p = this.#playback;
    const error = p.error;
    if (error) {
      const download = p.current?.downloadUrl ?? p.current?.src;
      return html`${alertIcon}<span class="message">${errorMessage(error)}</span>${canRetry(error.kind)
          ? html`<button part="retry-button" class="link-button" @click=${() => p.retry()}>Retry</button>`
          : download
            ? html`<a part="status-download-link" class="link-button" href=${download} download>Download</a>`
            : nothing}`;
    }
    const copied = this.#copyLink.renderStatus();
    if (copied) return copied;
    switch (p.status) {
      case "retrying":
        return html`<span class="message">${retryingMessage(p.retryAttempt, p.recovery.retryDelaysMs.length)}</span>`;
      case "refreshing":
        return html`<span class="message">${REFRESHING_MESSAGE}</span>`;
      case "loading":
      case "buffering":
        if (this._busyShown) return html`<span class="message">${p.status === "loading" ? LOADING_MESSAGE : BUFFERING_MESSAGE}</span>`;
        break;
    }
    const offer = this.#resume.renderOffer();
    if (offer) return offer;
    if (p.note) return html`<span class="message">${p.note}</span>`;
    const resumed = p.resumedFrom;
    if (resumed && resumed.index === p.index && !isBusy(p.status)) {
      return html`<span class="message">Continuing from ${formatClock(resumed.position)}</span
        ><button part="start-over-button" class="link-button" @click=${() => p.startOver()}>Start over</button>`;
    }
    return nothing;
  }

  #renderSeekSlider(now: number, disabled: boolean): TemplateResult {
    const p = this.#playback;
    const timeline = p.timeline;
    const total = timeline.total;
    const pct = (seconds: number) => (total > 0 ? `${Math.min(100, Math.max(0, (seconds / total) * 100))}%` : "0%");
    const offset = timeline.offsets[p.index] ?? 0;
    const length = timeline.durations[p.index] ?? 0;
    const buffered = p.loaded ? p.engineState.buffered : [];
    const multi = p.recordings.length > 1;
    const spoken = speakPosition(now, total || Number.NaN);
    const valueText = multi && p.current?.title ? `${spoken}, ${p.current.title}` : spoken;
    return html`
      <div
        part="seek-slider"
        class="slider seek"
        role="slider"
        tabindex=${disabled ? "-1" : "0"}
        aria-label="Seek"
        aria-valuemin="0"
        aria-valuemax=${Math.max(0, Math.floor(total))}
        aria-valuenow=${Math.max(0, Math.min(Math.floor(now), Math.floor(total)))}
        aria-valuetext=${valueText}
        aria-disabled=${disabled ? "true" : "false"}
        @pointerdown=${this.#onSeekPointerDown}
        @pointermove=${this.#onSeekHover}
        @pointerleave=${this.#onSeekLeave}
      >
        ${disabled ? nothing : this.#waveform.renderWaveform(offset, length, total)}
        <div class="track">
          ${multi && length > 0
            ? html`<div class="fill current-segment" ${cssomStyle({ left: pct(offset), width: pct(length) })}></div>`
            : nothing}
          ${buffered.map(
            (span) =>
              html`<div
                class="fill buffered"
                ${cssomStyle({ left: pct(offset + span.start), width: pct(Math.max(0, span.end - span.start)) })}
              ></div>`,
          )}
          <div class="fill played" ${cssomStyle({ width: pct(now) })}></div>
          ${multi
            ? timeline.offsets.slice(1).map(
                (at, i) =>
                  html`<div part="segment-mark" title=${p.recordings[i + 1]?.title ?? ""} ${cssomStyle({ left: pct(at) })}></div>`,
              )
            : nothing}
        </div>
        <div class="thumb" ${cssomStyle({ left: pct(now) })}></div>
        ${this.#renderSeekTip(pct)}
      </div>
    `;
  }

  /** The time under the pointer, and the segment there: what a click would play. */
  #renderSeekTip(pct: (seconds: number) => string): TemplateResult | typeof nothing {
    const p = this.#playback;
    const at = this._seekPreview ?? this._seekHover;
    const total = p.timeline.total;
    if (at === null || total <= 0) return nothing;
    const { index } = locate(p.timeline, at);
    const name = p.recordings.length > 1 ? p.recordings[index]?.title : "";
    const left = pct(at);
    return html`<div class="tip" aria-hidden="true" ${cssomStyle({ left, transform: `translateX(-${left})` })}>
      ${formatClock(at)}${name ? ` · ${name}` : ""}
    </div>`;
  }

  #renderRateMenu(rate: number): TemplateResult {
    return html`<div part="rate-menu" class=${this._rateMenuBelow ? "below" : ""} role="menu" aria-label="Playback speed" @keydown=${this.#onRateMenuKeyDown}>
      ${RATES.map(
        (r) =>
          html`<button
            part="rate-option"
            class="button"
            role="menuitemradio"
            tabindex="-1"
            aria-checked=${Math.abs(r - rate) < 1e-9 ? "true" : "false"}
            @click=${() => this.#chooseRate(r)}
          >
            ${formatRate(r)}
          </button>`,
      )}
    </div>`;
  }

  // ---- handlers ----------------------------------------------------------------------------

  #onSeekPointerDown = (event: PointerEvent): void => {
    const p = this.#playback;
    const slider = event.currentTarget as HTMLElement;
    if (slider.getAttribute("aria-disabled") === "true") return;
    const total = p.timeline.total;
    if (total <= 0) return;
    trackDrag(slider, event, (fraction: number, phase: DragPhase) => {
      const seconds = fraction * total;
      if (phase === "cancel") this._seekPreview = null;
      else if (phase === "end") {
        this._seekPreview = null;
        p.seekTimeline(seconds);
      } else this._seekPreview = seconds;
    });
  };

  #onSeekHover = (event: PointerEvent): void => {
    if (event.pointerType !== "mouse" || this._seekPreview !== null) return;
    const total = this.#playback.timeline.total;
    const slider = event.currentTarget as HTMLElement;
    this._seekHover = total > 0 && slider.getAttribute("aria-disabled") !== "true" ? fractionAt(slider, event.clientX) * total : null;
  };

  #onSeekLeave = (): void => {
    this._seekHover = null;
  };

  #onVolumePointerDown = (event: PointerEvent): void => {
    const slider = event.currentTarget as HTMLElement;
    trackDrag(slider, event, (fraction: number, phase: DragPhase) => {
      if (phase !== "cancel") this.#playback.setVolume(fraction);
    });
  };

  #toggleRateMenu = async (): Promise<void> => {
    if (this._rateMenuOpen) {
      this.#closeRateMenu(true);
      return;
    }
    const button = this.renderRoot.querySelector<HTMLElement>('[part="rate-button"]');
    const rect = button?.getBoundingClientRect();
    const MENU_HEIGHT = 240;
    this._rateMenuBelow = rect !== undefined && rect.top < MENU_HEIGHT && innerHeight - rect.bottom > rect.top;
    this._rateMenuOpen = true;
    document.addEventListener("pointerdown", this.#onOutsidePointer, true);
    await this.updateComplete;
    const items = this.#rateItems();
    (items.find((item) => item.getAttribute("aria-checked") === "true") ?? items[0])?.focus();
  };

  #closeRateMenu(returnFocus: boolean): void {
    if (!this._rateMenuOpen) return;
    this._rateMenuOpen = false;
    document.removeEventListener("pointerdown", this.#onOutsidePointer, true);
    if (returnFocus) this.renderRoot.querySelector<HTMLElement>('[part="rate-button"]')?.focus();
  }

  #onOutsidePointer = (event: PointerEvent): void => {
    const menu = this.renderRoot.querySelector('[part="rate-menu"]');
    const button = this.renderRoot.querySelector('[part="rate-button"]');
    const path = event.composedPath();
    if ((menu && path.includes(menu)) || (button && path.includes(button))) return;
    this.#closeRateMenu(false);
  };

  #chooseRate(rate: number): void {
    this.#playback.setPlaybackRate(rate);
    this.#closeRateMenu(true);
  }

  #rateItems(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="rate-option"]')];
  }

  #onRateMenuKeyDown = (event: KeyboardEvent): void => {
    const items = this.#rateItems();
    const at = items.indexOf(event.composedPath()[0] as HTMLElement);
    const focus = (i: number) => items[(i + items.length) % items.length]?.focus();
    switch (event.key) {
      case "ArrowDown":
        focus(at + 1);
        break;
      case "ArrowUp":
        focus(at - 1);
        break;
      case "Home":
        focus(0);
        break;
      case "End":
        focus(items.length - 1);
        break;
      case "Escape":
        this.#closeRateMenu(true);
        break;
      case "Tab":
        this.#closeRateMenu(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  #onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || this.nohotkeys) return;
    const origin = event.composedPath()[0];
    if (!(origin instanceof Element) || isTextEntry(origin)) return;
    if (origin.closest('[role="menu"]')) return;
    // The balance is a native range input: its arrows, Home, End and Page keys move it.
    if (origin.getAttribute("part") === "balance" && /^(Arrow|Home$|End$|Page)/.test(event.key)) return;
    if (this.hotkeys.toLowerCase().split(/\s+/).includes(hotkeyToken(event.key))) return;
    const part = origin.getAttribute("part") ?? "";
    const target: HotkeyTarget =
      part === "seek-slider" ? "seek-slider" : part === "volume-slider" ? "volume-slider" : origin.closest("button") ? "button" : "other";
    const action = hotkeyAction(event, target);
    if (!action) return;
    event.preventDefault();
    this.#perform(action);
  };

  #perform(action: HotkeyAction): void {
    const p = this.#playback;
    const total = p.timeline.total;
    switch (action.type) {
      case "toggle-play":
        p.togglePlay();
        break;
      case "seek-by":
        p.skip(action.seconds);
        break;
      case "seek-fraction":
        if (total > 0) p.seekTimeline(action.fraction * total);
        break;
      case "seek-start":
        p.seekTimeline(0);
        break;
      case "seek-end":
        if (total > 0) p.seekTimeline(total);
        break;
      case "volume-by":
        p.setVolume(p.engineState.volume + action.delta);
        break;
      case "volume-to":
        p.setVolume(action.volume);
        break;
      case "toggle-mute":
        p.setMuted(!p.engineState.muted);
        break;
      case "rate-step":
        p.setPlaybackRate(stepRate(p.engineState.playbackRate, action.direction));
        break;
      case "previous":
        p.previous();
        break;
      case "next":
        p.next();
        break;
    }
  }
}

/** An http(s) URL as an absolute address, or null for anything else (no `javascript:` links). */
function webUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A recording id for a bare URL: its path, so a re-signed URL keeps its saved position. */
function recordingIdFor(src: string): string {
  try {
    const url = new URL(src, document.baseURI);
    return url.origin + url.pathname;
  } catch {
    return src;
  }
}

// Guarded: a page that has it already keeps its own, and Node (server-side rendering) has no registry.
if (globalThis.customElements && !customElements.get("recording-player")) customElements.define("recording-player", RecordingPlayer);

declare global {
  interface HTMLElementTagNameMap {
    "recording-player": RecordingPlayer;
  }
}
