/**
 * The recordings section's link to the page's `<recording-player>`, as a Lit reactive
 * controller: it finds the player (the one a `player` attribute names, else the page's docked
 * player, else a docked one it creates), hands it the call's recordings to play, and follows
 * whichever player is playing them — the current recording and the position in it, for the
 * timeline and the list — from the player's bubbling `crec-*` events. It also answers the
 * player's `crec-refresh-url` for the section's own recordings when a signed URL expired.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { sameRecordingIds, type PlayerRecording, type RecordingUpdate } from "../../src/player/player-state.js";
import type { RecordingPlayer } from "../recording-player/recording-player.js";
import { answerRefresh } from "../recording-player/player-events.js";

const PLAYER_TAG = "recording-player";

/** Which of the section's recordings a player has, and where it stands. */
export interface NowPlaying {
  recordingId: string;
  /** Seconds into the recording. */
  currentTime: number;
  playing: boolean;
}

export interface PlayerLinkOptions {
  /** The id of the player to use (the element's `player` attribute), or null. */
  playerId(): string | null;
  /** Whether a recording id is one of the section's. */
  owns(recordingId: string): boolean;
  /** Fresh URLs for one of the section's recordings. */
  renew(recordingId: string): Promise<RecordingUpdate>;
}

type Host = ReactiveControllerHost & HTMLElement;

const FOLLOWED = ["crec-play", "crec-pause", "crec-timeupdate", "crec-recordingchange", "crec-ended", "crec-refresh-url"] as const;


export class PlayerLinkController implements ReactiveController {
  readonly #host: Host;
  readonly #options: PlayerLinkOptions;
  /** The player last seen playing one of the section's recordings. */
  #player: RecordingPlayer | null = null;

  /** The section's recording the page's player has, if any. */
  nowPlaying: NowPlaying | null = null;

  constructor(host: Host, options: PlayerLinkOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    for (const type of FOLLOWED) document.addEventListener(type, this.#onPlayerEvent);
  }

  hostDisconnected(): void {
    for (const type of FOLLOWED) document.removeEventListener(type, this.#onPlayerEvent);
  }

  /** The player to use, without creating one. */
  find(): RecordingPlayer | null {
    const id = this.#options.playerId();
    if (id) {
      const root = this.#host.getRootNode() as Document | ShadowRoot;
      const named = root.getElementById?.(id) ?? document.getElementById(id);
      if (named?.localName === PLAYER_TAG) return named as RecordingPlayer;
    }
    return document.querySelector<RecordingPlayer>(`${PLAYER_TAG}[docked]`);
  }

  /** The player to use, docking a new one at the bottom of the page when there is none. */
  ensure(user: string | null = null, colorScheme: "light" | "dark" | null = null): RecordingPlayer {
    const found = this.find();
    if (found) return found;
    const player = document.createElement(PLAYER_TAG) as RecordingPlayer;
    player.docked = true;
    if (colorScheme) player.colorScheme = colorScheme;
    // Before it is connected: what it looks for on the page it joins is this user's.
    if (user) player.user = user;
    document.body.append(player);
    return player;
  }

  /**
   * Plays recording `index` of `recordings` from `atSeconds` (or from where the player left it),
   * giving the player the call first unless it already has it.
   */
  play(player: RecordingPlayer, recordings: PlayerRecording[], callTitle: string, index: number, atSeconds?: number): void {
    if (!sameRecordingIds(player.recordings, recordings)) player.recordings = recordings;
    if (player.callTitle !== callTitle) player.callTitle = callTitle;
    player.playRecording(index, atSeconds);
    this.#follow(player, recordings[index]?.id ?? "", atSeconds ?? player.currentTime, true);
  }

  /** Reads where the page's player stands, for a section that has just loaded. */
  sync(): void {
    const player = this.#player?.isConnected ? this.#player : this.find();
    const id = player?.currentRecording?.id;
    if (player && id && this.#options.owns(id)) this.#follow(player, id, player.currentTime, !player.paused);
    else this.#forget();
  }

  /** The player that plays the section's recordings, if one does. */
  get player(): RecordingPlayer | null {
    return this.#player?.isConnected ? this.#player : null;
  }

  #follow(player: RecordingPlayer, recordingId: string, currentTime: number, playing: boolean): void {
    this.#player = player;
    this.nowPlaying = { recordingId, currentTime: Number.isFinite(currentTime) ? currentTime : 0, playing };
    this.#host.requestUpdate();
  }

  #forget(): void {
    if (!this.nowPlaying && !this.#player) return;
    this.#player = null;
    this.nowPlaying = null;
    this.#host.requestUpdate();
  }

  /**
   * Whether news of another recording from `player` means the section's recording no longer
   * plays: it comes from the player the section follows, or from one that took its place in
   * the page (the extension swaps in a fresh docked player when another call plays).
   */
  #supersedes(player: RecordingPlayer): boolean {
    return player === this.#player || (this.#player !== null && !this.#player.isConnected);
  }

  #onPlayerEvent = (event: Event): void => {
    const player = event.composedPath()[0];
    if (!(player instanceof HTMLElement) || player.localName !== PLAYER_TAG) return;
    const p = player as RecordingPlayer;
    const e = event as CustomEvent;
    switch (event.type) {
      case "crec-refresh-url":
        this.#answerRefresh(e.detail as HTMLElementEventMap["crec-refresh-url"]["detail"]);
        return;
      case "crec-recordingchange": {
        const { recording } = (e as HTMLElementEventMap["crec-recordingchange"]).detail;
        if (this.#options.owns(recording.id)) this.#follow(p, recording.id, p.currentTime, !p.paused);
        else if (this.#supersedes(p)) this.#forget();
        return;
      }
      case "crec-ended": {
        const { recordingId } = (e as HTMLElementEventMap["crec-ended"]).detail;
        if (this.#options.owns(recordingId)) this.#follow(p, recordingId, p.duration, false);
        return;
      }
      default: {
        const { recordingId, currentTime } = (e as HTMLElementEventMap["crec-timeupdate"]).detail;
        if (this.#options.owns(recordingId)) this.#follow(p, recordingId, currentTime, event.type === "crec-pause" ? false : !p.paused);
        else if (this.#supersedes(p)) this.#forget();
      }
    }
  };

  #answerRefresh(detail: HTMLElementEventMap["crec-refresh-url"]["detail"]): void {
    const id = detail.recording.id;
    if (!this.#options.owns(id)) return;
    // Another section of the same call may have answered first; one answer is enough.
    answerRefresh(detail, () => this.#options.renew(id));
  }
}
