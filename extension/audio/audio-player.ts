/**
 * The audio itself, in whichever context may play it (Chrome's offscreen document, Firefox's
 * background page): the page's own media-element engine, driven towards the background's
 * target and reporting back what it does. A new cue means "load or jump to the target's
 * position"; the same cue with another URL (a page handed over fresher ones) leaves the stream
 * alone, so nothing audible happens when a page loads.
 */
import { AUDIO_REPORT_EVERY_MS, type AudioReport, type AudioTarget } from "../../src/extension/background-playback-state.js";
import { FULL_MIX, sameMix } from "../../src/player/channel-mix.js";
import { MediaElementEngine } from "../../src/player/media-element-engine.js";
import type { EngineEvent, EngineState } from "../../src/player/playback-engine.js";

/** Media events worth reporting at once; the rest (timeupdate, progress) at most once a second. */
const PROMPT_CAUSES = new Set(["load", "loadedmetadata", "play", "playing", "pause", "waiting", "canplay", "seeked", "unload"]);

export class AudioPlayer {
  readonly #engine: MediaElementEngine;
  readonly #report: (report: AudioReport) => void;
  /** The cue being played, -1 before the first. */
  #cue = -1;
  #lastReportAt = 0;
  #broken = false;

  constructor(report: (report: AudioReport) => void, engine = new MediaElementEngine()) {
    this.#report = report;
    this.#engine = engine;
    engine.subscribe((event) => this.#onEngineEvent(event));
  }

  /** The cue in hand, for a background that restarted and asks. */
  get cue(): number {
    return this.#cue;
  }

  /** Moves towards the target. */
  apply(target: AudioTarget): void {
    const engine = this.#engine;
    if (target.volume !== engine.state.volume) engine.setVolume(target.volume);
    if (target.muted !== engine.state.muted) engine.setMuted(target.muted);
    if (target.rate !== engine.state.playbackRate) engine.setPlaybackRate(target.rate);
    if (!sameMix(target.channelMix, engine.state.channelMix)) engine.setChannelMix?.(target.channelMix ?? FULL_MIX);
    if (target.src === null) {
      this.#cue = target.cue;
      if (engine.state.src !== null) engine.unload();
      return;
    }
    if (target.cue !== this.#cue) {
      this.#cue = target.cue;
      const state = engine.state;
      if (state.src === null || this.#broken || !state.hasMetadata || state.src !== target.src) {
        this.#broken = false;
        engine.load({ src: target.src, startAt: target.position, ...(target.contentType ? { contentType: target.contentType } : {}) });
      } else {
        engine.seek(target.position);
      }
    }
    if (target.playing && engine.state.paused) {
      engine.play().catch((error: unknown) => {
        // Autoplay refused: say so as an error the listener can act on (press play again).
        this.#send("error", engine.state, undefined, { kind: "unknown", message: `playing was refused: ${String(error)}` });
      });
    } else if (!target.playing && !engine.state.paused) {
      engine.pause();
    }
  }

  dispose(): void {
    this.#engine.dispose();
  }

  #onEngineEvent(event: EngineEvent): void {
    const state = this.#engine.state;
    switch (event.type) {
      case "state": {
        const now = Date.now();
        if (!PROMPT_CAUSES.has(event.cause) && now - this.#lastReportAt < AUDIO_REPORT_EVERY_MS) return;
        this.#send("state", event.state, event.cause);
        return;
      }
      case "ended":
        this.#send("ended", state);
        return;
      case "error":
        this.#broken = true;
        this.#send("error", state, undefined, event.error);
        return;
    }
  }

  #send(kind: AudioReport["event"], state: EngineState, cause?: string, error?: AudioReport["error"]): void {
    this.#lastReportAt = Date.now();
    this.#report(this.#toReport(kind, state, cause, error));
  }

  #toReport(event: AudioReport["event"], state: EngineState, cause?: string, error?: AudioReport["error"]): AudioReport {
    const report: AudioReport = {
      cue: this.#cue,
      event,
      position: Number.isFinite(state.currentTime) ? Math.max(0, state.currentTime) : 0,
      duration: Number.isFinite(state.duration) && state.duration > 0 ? state.duration : null,
      paused: state.paused,
      waiting: state.waiting || state.seeking,
      hasMetadata: state.hasMetadata,
    };
    if (cause !== undefined) report.cause = cause;
    if (error) report.error = { kind: error.kind, message: error.message.slice(0, 2000), ...(error.status !== undefined ? { status: error.status } : {}) };
    return report;
  }
}
