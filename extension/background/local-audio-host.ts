/**
 * Firefox: the Manifest V3 background is an event page with a DOM, so it plays the audio itself.
 */
import type { AudioReport, AudioTarget } from "../../src/extension/background-playback-state.js";
import { AudioPlayer } from "../audio/audio-player.js";
import type { AudioHost } from "./audio-host.js";

export class LocalAudioHost implements AudioHost {
  readonly #player: AudioPlayer;

  constructor(onReport: (report: AudioReport) => void) {
    this.#player = new AudioPlayer(onReport);
  }

  async isRunning(): Promise<boolean> {
    // Audio started by an earlier life of this page is gone with it.
    return this.#player.cue >= 0;
  }

  async warm(): Promise<void> {
    // The background page is the audio context: nothing to start.
  }

  async apply(target: AudioTarget): Promise<void> {
    this.#player.apply(target);
  }
}
