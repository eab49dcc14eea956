/**
 * Media Session for the player: the operating system's media controls and the keyboard's
 * media keys show the call and the segment and control playback; previous/next track move
 * between segments. Several players may share a page: the one that played last owns the
 * session until it goes away.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { PlaybackController } from "./playback-controller.js";

/** The player that owns the page's media session (its controller's token). */
let owner: symbol | null = null;

const ACTIONS: MediaSessionAction[] = ["play", "pause", "stop", "seekbackward", "seekforward", "seekto", "previoustrack", "nexttrack"];

export class MediaSessionController implements ReactiveController {
  readonly #playback: PlaybackController;
  readonly #callTitle: () => string;
  readonly #token = Symbol("media-session-owner");
  #metadataKey = "";

  constructor(host: ReactiveControllerHost, playback: PlaybackController, callTitle: () => string) {
    this.#playback = playback;
    this.#callTitle = callTitle;
    host.addController(this);
  }

  hostUpdated(): void {
    const session = mediaSession();
    if (!session) return;
    const playback = this.#playback;
    if (playback.wantsToPlay && !playback.engineState.paused && owner !== this.#token) this.#claim(session);
    if (owner !== this.#token) return;
    this.#sync(session);
  }

  hostDisconnected(): void {
    if (owner !== this.#token) return;
    owner = null;
    const session = mediaSession();
    if (!session) return;
    for (const action of ACTIONS) setHandler(session, action, null);
    session.metadata = null;
    session.playbackState = "none";
    this.#metadataKey = "";
  }

  #claim(session: MediaSession): void {
    owner = this.#token;
    this.#metadataKey = "";
    const p = this.#playback;
    setHandler(session, "play", () => void p.play());
    setHandler(session, "pause", () => p.pause());
    setHandler(session, "stop", () => p.pause());
    setHandler(session, "seekbackward", (d) => p.skip(-(d.seekOffset ?? 10)));
    setHandler(session, "seekforward", (d) => p.skip(d.seekOffset ?? 10));
    setHandler(session, "seekto", (d) => {
      if (d.seekTime !== undefined && d.seekTime !== null) p.seekTo(d.seekTime);
    });
    setHandler(session, "previoustrack", () => p.previous());
    setHandler(session, "nexttrack", () => p.next());
  }

  #sync(session: MediaSession): void {
    const p = this.#playback;
    const recording = p.current;
    const callTitle = this.#callTitle();
    const key = `${recording?.id ?? ""}\u0000${recording?.title ?? ""}\u0000${callTitle}`;
    if (key !== this.#metadataKey && typeof MediaMetadata === "function") {
      this.#metadataKey = key;
      session.metadata = recording
        ? new MediaMetadata({ title: recording.title || callTitle || "Recording", artist: callTitle, album: "Call recording" })
        : null;
    }
    session.playbackState = !recording ? "none" : p.wantsToPlay ? "playing" : "paused";
    const duration = p.duration;
    if (typeof session.setPositionState === "function" && Number.isFinite(duration) && duration > 0) {
      try {
        session.setPositionState({
          duration,
          position: Math.min(Math.max(0, p.position), duration),
          playbackRate: p.engineState.playbackRate || 1,
        });
      } catch {
        // A browser may refuse a state it considers inconsistent; the next update corrects it.
      }
    }
  }
}

function mediaSession(): MediaSession | null {
  return typeof navigator !== "undefined" && "mediaSession" in navigator ? navigator.mediaSession : null;
}

function setHandler(session: MediaSession, action: MediaSessionAction, handler: MediaSessionActionHandler | null): void {
  try {
    session.setActionHandler(action, handler);
  } catch {
    // Browsers throw for actions they do not support (Firefox and "stop" in some versions).
  }
}
