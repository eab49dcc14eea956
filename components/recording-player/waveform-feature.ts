/**
 * The player's use of a recording's peaks (issue 16), loaded by waveform-controller.ts only once a
 * recording has them: the waveform in the seek slider (`part="waveform"`, decoration hidden from
 * assistive technology; the slider stays the control), redrawn on resize and every frame while
 * playing, and skip silence (`part="skip-silence-button"`), done here in the page unless the
 * engine does it itself (the extension's background).
 */
import { css, html, nothing, svg, type TemplateResult } from "lit";
import type { PreferenceStore } from "../../src/player/player-preferences.js";
import { silenceSkipTarget, skipsSilenceItself, type SilentSpan } from "../../src/player/silence.js";
import { opening, type WaveformHost } from "./waveform-controller.js";
import { colorsOf, loadPeaks, WaveformPainter, type WaveformColors } from "./waveform-draw.js";

type Host = WaveformHost;

const skipSilenceIcon = svg`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3 9h2v6H3zm3-3h2v12H6zm10 0h2v12h-2zm3 3h2v6h-2z"/><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M9.5 12h5m-2-2.5L15 12l-2.5 2.5"/></svg>`;

const waveformStyles = css`
  .seek:has([part~="waveform"]) {
    height: 36px;
  }
  .seek:has([part~="waveform"]) .track {
    background: transparent;
  }
  [part~="waveform"] {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
    color: var(--crec-waveform-played, var(--_accent));
    --_waveform: var(--crec-waveform, var(--_fg-muted));
    opacity: 0.9;
  }
  [part~="skip-silence-button"][aria-pressed="true"] {
    color: var(--_accent);
    background: var(--_hover);
  }
  @media (forced-colors: active) {
    [part~="waveform"] {
      color: Highlight;
      --_waveform: CanvasText;
    }
  }
`;

interface Shown {
  id: string;
  painter: WaveformPainter;
  silences: SilentSpan[];
}

export class WaveformFeature {
  readonly #host: Host;
  /** What is loading or shown: the current recording's id and peaks URL. */
  #wanted: { id: string; url: string } | null = null;
  #shown: Shown | null = null;
  #canvas: HTMLCanvasElement | null = null;
  #resize: ResizeObserver | null = null;
  #frame: number | null = null;
  #colors: WaveformColors | null = null;
  /** The recording's span of the slider (a sequence's part), as fractions. */
  #span = { from: 0, to: 1, offset: 0, total: 0 };
  /** The page's own choice (without an engine that skips silence itself), from the preferences. */
  #skip = false;
  #store: PreferenceStore | null = null;
  #lastSkip = { target: -1, at: 0 };

  constructor(host: Host) {
    this.#host = host;
    // The styles come with the code: a constructed sheet next to the element's own.
    const root = host.renderRoot;
    if (root instanceof ShadowRoot && waveformStyles.styleSheet && !root.adoptedStyleSheets.includes(waveformStyles.styleSheet)) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, waveformStyles.styleSheet];
    }
    this.#readPreference();
  }

  /** Whether silences are skipped: the engine's setting when it skips them itself, else the player's. */
  get skipSilence(): boolean {
    const engine = this.#host.engine;
    return skipsSilenceItself(engine) ? engine.skipSilence : this.#skip;
  }

  set skipSilence(on: boolean) {
    const engine = this.#host.engine;
    if (skipsSilenceItself(engine)) engine.setSkipSilence(on);
    else {
      this.#skip = on;
      void this.#host.preferences.savePreferences({ skipSilence: on }).catch(() => undefined);
    }
    this.#host.requestUpdate();
  }

  /** The silences of the current recording, once its peaks are read. */
  get silences(): readonly SilentSpan[] | null {
    return this.#shown && this.#shown.id === this.#host.currentRecording?.id ? this.#shown.silences : null;
  }

  disconnect(): void {
    this.#stopFrames();
    this.#resize?.disconnect();
    this.#resize = null;
    this.#canvas = null;
  }

  hostUpdate(): void {
    if (this.#store !== this.#host.preferences) this.#readPreference();
    const recording = this.#host.currentRecording;
    const url = recording?.peaksUrl;
    if (!recording || !url) {
      this.#wanted = null;
      return;
    }
    if (this.#wanted?.id === recording.id) return;
    if (this.#shown?.id !== recording.id && opening(this.#host.status)) return;
    this.#wanted = { id: recording.id, url };
    if (this.#shown?.id === recording.id) return;
    void this.#load(recording.id, url);
  }

  hostUpdated(): void {
    const canvas = this.#host.renderRoot.querySelector<HTMLCanvasElement>('canvas[part~="waveform"]');
    if (canvas !== this.#canvas) {
      this.#resize?.disconnect();
      this.#canvas = canvas;
      this.#resize = null;
      if (canvas && typeof ResizeObserver === "function") {
        this.#resize = new ResizeObserver(() => this.#draw());
        this.#resize.observe(canvas);
      }
    }
    this.#colors = canvas ? null : this.#colors;
    this.#draw();
    // After the update: a seek now would ask for another while this one completes.
    queueMicrotask(() => this.#skipIfSilent());
    if (canvas && !this.#host.paused) this.#startFrames();
    else this.#stopFrames();
  }

  /**
   * The canvas for the seek slider's track, over the current recording's part of it (`offset`
   * seconds of `total` on the slider, `length` long), when its peaks are read.
   */
  renderWaveform(offset: number, length: number, total: number): TemplateResult | typeof nothing {
    if (!this.silences || !(total > 0)) return nothing;
    this.#span = { from: offset / total, to: Math.min(1, (offset + length) / total), offset, total };
    return html`<canvas part="waveform" aria-hidden="true"></canvas>`;
  }

  /** The skip-silence toggle, when the current recording's peaks are read. */
  renderSkipButton(): TemplateResult | typeof nothing {
    if (!this.silences) return nothing;
    const on = this.skipSilence;
    return html`<button
      part="skip-silence-button"
      class="button"
      aria-pressed=${on ? "true" : "false"}
      aria-label="Skip silence"
      title="Skip silences over 2 seconds"
      @click=${() => (this.skipSilence = !on)}
    >
      ${skipSilenceIcon}
    </button>`;
  }

  async #load(id: string, url: string): Promise<void> {
    try {
      const { peaks, silences } = await loadPeaks(id, url);
      if (this.#wanted?.id !== id) return;
      this.#shown = { id, painter: new WaveformPainter(peaks), silences };
      this.#host.requestUpdate();
    } catch (error) {
      // The waveform is decoration: playback goes on without it.
      if (this.#wanted?.id === id) console.warn("call recordings: no waveform:", error instanceof Error ? error.message : error);
    }
  }

  #readPreference(): void {
    const store = this.#host.preferences;
    this.#store = store;
    store.loadPreferences().then(
      (prefs) => {
        if (store !== this.#store || this.#skip === prefs.skipSilence) return;
        this.#skip = prefs.skipSilence;
        this.#host.requestUpdate();
      },
      () => undefined,
    );
  }

  #draw(): void {
    const canvas = this.#canvas;
    const shown = this.#shown;
    if (!canvas || !shown || !canvas.isConnected) return;
    // Read once per render rather than every frame.
    this.#colors ??= colorsOf(canvas);
    const { from, to, offset, total } = this.#span;
    const played = total > 0 ? (offset + this.#host.currentTime) / total : 0;
    shown.painter.draw(canvas, played, this.#colors, { from, to, split: false });
  }

  #startFrames(): void {
    if (this.#frame !== null || typeof requestAnimationFrame !== "function") return;
    const tick = () => {
      this.#frame = null;
      if (!this.#canvas || this.#host.paused) return;
      this.#draw();
      this.#skipIfSilent();
      this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  #stopFrames(): void {
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    this.#frame = null;
  }

  /** Skip silence in the page: playing into a long silence goes to just before its end. */
  #skipIfSilent(): void {
    const host = this.#host;
    const silences = this.silences;
    if (!silences || host.paused || !this.#skip || skipsSilenceItself(host.engine)) return;
    const target = silenceSkipTarget(silences, host.currentTime);
    if (target === null) return;
    const now = performance.now();
    // The seek asked for a moment ago has not landed yet.
    if (this.#lastSkip.target === target && now - this.#lastSkip.at < 1000) return;
    this.#lastSkip = { target, at: now };
    host.seekTo(target);
  }
}
