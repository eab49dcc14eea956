/**
 * Where the audio plays, as the background sees it: Chrome's offscreen document or Firefox's
 * background page. Either way the background hands it a target and gets reports back.
 */
import type { AudioTarget } from "../../src/extension/background-playback-state.js";

export interface AudioHost {
  /** Moves the audio towards the target, starting the audio context if the target plays. */
  apply(target: AudioTarget): Promise<void>;
  /** Starts the audio context ahead of a play that is likely soon (it stays silent meanwhile). */
  warm(): Promise<void>;
  /** Whether an audio context is running now (it may be playing what the stored state says). */
  isRunning(): Promise<boolean>;
}
