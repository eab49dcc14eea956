/**
 * The player's waveform and skip silence (issue 16), as little as the always-loaded bundle
 * carries: once the current recording has `peaksUrl`, waveform-feature.ts (the drawing,
 * waveform-data, skip silence) is a dynamic import, and everything else is done there.
 */
import { nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import type { PlaybackEngine } from "../../src/player/playback-engine.js";
import type { PreferenceStore } from "../../src/player/player-preferences.js";
import type { PlayerRecording } from "../../src/player/player-state.js";
import type { WaveformFeature } from "./waveform-feature.js";

export interface WaveformHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly currentRecording: PlayerRecording | undefined;
  readonly currentTime: number;
  readonly paused: boolean;
  readonly status: string;
  readonly engine: PlaybackEngine;
  readonly preferences: PreferenceStore;
  seekTo(seconds: number): void;
}

/**
 * While a recording opens, its audio comes first: the waveform's code and peaks are fetched once
 * it plays or is ready, so they never hold up the start (see bench/waveform.ts).
 */
export const opening = (status: string): boolean => status === "loading" || status === "buffering";

export class WaveformController implements ReactiveController {
  readonly #host: WaveformHost;
  #feature: WaveformFeature | null = null;
  #loading = false;

  constructor(host: WaveformHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Skip silence: the engine's when it skips itself, else the player's remembered choice. */
  get skipSilence(): boolean {
    return this.#feature?.skipSilence ?? false;
  }

  set skipSilence(on: boolean) {
    if (this.#feature) this.#feature.skipSilence = on;
    // Not loaded yet (no recording with peaks so far): the choice is remembered for when one comes.
    else void this.#host.preferences.savePreferences({ skipSilence: on }).catch(() => undefined);
  }

  hostUpdate(): void {
    if (this.#feature) this.#feature.hostUpdate();
    else if (this.#host.currentRecording?.peaksUrl && !this.#loading && !opening(this.#host.status)) {
      this.#loading = true;
      import("./waveform-feature.js").then(
        ({ WaveformFeature }) => {
          this.#feature = new WaveformFeature(this.#host);
          this.#host.requestUpdate();
        },
        (error: unknown) => {
          this.#loading = false;
          console.warn("call recordings: the waveform's code did not load:", error);
        },
      );
    }
  }

  hostUpdated(): void {
    this.#feature?.hostUpdated();
  }

  hostDisconnected(): void {
    this.#feature?.disconnect();
  }

  /** The waveform for the seek slider (the current recording's span of it), once shown. */
  renderWaveform(offset: number, length: number, total: number): TemplateResult | typeof nothing {
    return this.#feature?.renderWaveform(offset, length, total) ?? nothing;
  }

  /** The skip-silence toggle, for a recording with peaks. */
  renderSkipButton(): TemplateResult | typeof nothing {
    return this.#feature?.renderSkipButton() ?? nothing;
  }
}
