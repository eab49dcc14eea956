/**
 * The page's docked `<recording-player>`, given the extension's engine: the element a host page
 * embeds, showing and controlling the browser's one playback. It is added as soon as the page
 * has the components (page-world.ts defines them when a call is loaded or the page has their
 * elements), hidden while nothing is loaded, so that `<call-session-recordings>` finds it
 * (rather than docking a player of its own that would play in the page); it shows the recording
 * and position at once on every page load. A docked player the page already has gets the engine too.
 *
 * A player's recordings are given before it is connected and before its engine, so it takes up
 * what the engine plays instead of cueing a recording of its own; when another call plays, a
 * fresh player takes the old one's place for the same reason.
 */
import type { PlaybackState } from "../../../src/extension/background-playback-state.js";
import { sameRecordingIds, type PlayerRecording } from "../../../src/player/player-state.js";
import type { RecordingPlayer } from "../../../components/recording-player/recording-player.js";
import type { ExtensionEngine } from "../../shared/extension-engine.js";
import { pageColorScheme } from "../page-scheme.js";

const PLAYER = "recording-player";


const playerRecordings = (state: PlaybackState | null): PlayerRecording[] =>
  (state?.session?.recordings ?? []).map((r) => ({
    id: r.id,
    src: r.src,
    title: r.title,
    ...(r.downloadUrl !== undefined ? { downloadUrl: r.downloadUrl } : {}),
    ...(r.durationSeconds !== undefined ? { durationSeconds: r.durationSeconds } : {}),
    ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
    ...(r.channels !== undefined ? { channels: r.channels } : {}),
    ...(r.peaksUrl !== undefined ? { peaksUrl: r.peaksUrl } : {}),
  }));

export class DockedPlayer {
  readonly #engine: ExtensionEngine;
  #element: RecordingPlayer | null = null;

  constructor(engine: ExtensionEngine) {
    this.#engine = engine;
  }

  /** The page's docked player, if there is one. */
  get element(): RecordingPlayer | null {
    if (this.#element?.isConnected) return this.#element;
    return document.querySelector<RecordingPlayer>(`${PLAYER}[docked]`);
  }

  /**
   * Makes the docked player show `state`: the call that plays, or nothing (hidden). A change
   * made elsewhere (the popup, a shortcut, another tab) reaches the player through its engine.
   */
  follow(state: PlaybackState | null): void {
    if (!document.body || !customElements.get(PLAYER)) return;
    const session = state?.session ?? null;
    let player = this.element;
    if (player && player.engine !== this.#engine) player.engine = this.#engine;
    if (!player || (session && !sameRecordingIds(player.recordings, session.recordings))) {
      const fresh = this.#create(state);
      if (player) player.replaceWith(fresh);
      else document.body.append(fresh);
      player = fresh;
    }
    this.#element = player;
    if (session?.owner && player.user !== session.owner) player.user = session.owner;
    if (player.dataset.crecExtension !== undefined) player.hidden = session === null;
    if (session && !player.callTitle) player.callTitle = session.callTitle;
    // Its link to the playing call: the background's session view for it (the page's own player keeps a link the page gave it).
    if (session && (player.dataset.crecExtension !== undefined || !player.callUrl)) player.callUrl = session.sessionUrl;
  }

  /**
   * One recording at a time: a player of the page's own (not the extension's) that starts pauses
   * the extension's playback. (The players showing the extension's playback, one per tab, do not
   * pause each other: they are views of the same audio.)
   */
  keepOneAtATime(): void {
    document.addEventListener(
      "crec-play",
      (event) => {
        const player = event.composedPath()[0];
        if (!(player instanceof HTMLElement) || player.localName !== PLAYER || (player as RecordingPlayer).engine === this.#engine) return;
        if (this.#engine.playback && !this.#engine.playback.paused) this.#engine.pause();
      },
      true,
    );
  }

  /**
   * The docked player's close button does what the popup's "Stop and close" does: the browser's
   * one playback stops and is forgotten (every tab's docked player goes away with it). The
   * player itself stops and hides at once; the background's answer then keeps it hidden.
   */
  closeThroughExtension(): void {
    document.addEventListener(
      "crec-close",
      (event) => {
        const player = event.composedPath()[0];
        if (player !== this.element || (player as RecordingPlayer).engine !== this.#engine) return;
        void this.#engine.close();
      },
      true,
    );
  }

  #create(state: PlaybackState | null): RecordingPlayer {
    const player = document.createElement(PLAYER);
    player.docked = true;
    player.colorScheme = pageColorScheme();
    player.dataset.crecExtension = "";
    // Before its recordings: where each was left is looked up in this user's own store.
    if (state?.session?.owner) player.user = state.session.owner;
    player.recordings = playerRecordings(state);
    player.callTitle = state?.session?.callTitle ?? "";
    player.callUrl = state?.session?.sessionUrl ?? null;
    player.engine = this.#engine;
    return player;
  }
}
