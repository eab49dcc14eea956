/**
 * Chrome: the audio plays in an offscreen document (reason AUDIO_PLAYBACK), which outlives page
 * loads and the service worker. Chrome closes it after 30 s of silence; it is created again when
 * something is to play, and asks the background where to start (see offscreen/offscreen.ts).
 */
import browser from "webextension-polyfill";
import type { AudioTarget } from "../../src/extension/background-playback-state.js";
import type { AudioCommand } from "../../src/extension/extension-messages.js";
import type { AudioHost } from "./audio-host.js";

export const OFFSCREEN_PATH = "extension/offscreen/offscreen.html";

export class OffscreenAudioHost implements AudioHost {
  #creating: Promise<void> | null = null;

  async isRunning(): Promise<boolean> {
    const contexts = await chrome.runtime.getContexts({
      contextTypes: ["OFFSCREEN_DOCUMENT"],
      documentUrls: [browser.runtime.getURL(OFFSCREEN_PATH)],
    });
    return contexts.length > 0;
  }

  /**
   * Opening the document is most of the time from a click to sound (about 150 ms), so a page
   * that is likely to play has it opened first. Chrome closes it again after 30 s of silence.
   */
  async warm(): Promise<void> {
    if (!(await this.isRunning())) await this.#create();
  }

  async apply(target: AudioTarget): Promise<void> {
    if (!(await this.isRunning())) {
      // Nothing plays and nothing is to play: no document needed to stay silent.
      if (!target.playing) return;
      // The new document asks for the target itself once it runs.
      await this.#create();
      return;
    }
    const command: AudioCommand = { to: "offscreen", type: "audio/target", target };
    try {
      await browser.runtime.sendMessage(command);
    } catch (error) {
      // Closed between the check and the message (30 s of silence just ran out): start afresh.
      if (target.playing && !(await this.isRunning())) await this.#create();
      else throw error;
    }
  }

  #create(): Promise<void> {
    this.#creating ??= chrome.offscreen
      .createDocument({
        url: OFFSCREEN_PATH,
        reasons: ["AUDIO_PLAYBACK"],
        justification: "Plays call recordings so they keep playing while the user moves between report pages.",
      })
      .catch(async (error: unknown) => {
        // Another caller created it first.
        if (!(await this.isRunning())) throw error;
      })
      .finally(() => {
        this.#creating = null;
      });
    return this.#creating;
  }
}
