/**
 * The keyboard commands (manifest `commands`, listed on the browsers' shortcut pages), which
 * work from any tab: they act on the browser's one playback.
 */
import { skip, togglePlay } from "../../src/extension/background-playback-state.js";
import { SKIP_SECONDS } from "../../src/player/player-state.js";
import type { CommandName } from "../manifest.js";
import { openSession } from "./open-session.js";
import type { PlaybackService } from "./playback-service.js";

export function createCommands(playback: PlaybackService) {
  return {
    "toggle-play": () => playback.update(togglePlay),
    "skip-back": () => playback.update((s, now) => skip(s, -SKIP_SECONDS, now)),
    "skip-forward": () => playback.update((s, now) => skip(s, SKIP_SECONDS, now)),
    "open-session": async () => {
      const session = (await playback.get()).session;
      if (session) await openSession(session.sessionUrl);
    },
  } satisfies Record<CommandName, () => Promise<unknown>>;
}

