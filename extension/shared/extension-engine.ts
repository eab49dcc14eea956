/**
 * The extension's playback engine (src/player/playback-engine.ts) for `<recording-player>`: the
 * audio plays in the background, and this engine is a view of the browser's one playback and a
 * way to command it. The element a host page embeds, given this engine, shows and controls what
 * the background plays, and a page load neither stops nor restarts anything.
 */
import { clampMix, sameMix, type ChannelMix } from "../../src/player/channel-mix.js";
import { currentPosition, currentRecording, type PlaybackState } from "../../src/extension/background-playback-state.js";
import type { BackgroundRequest } from "../../src/extension/extension-messages.js";
import {
  emptyEngineState,
  EVERYTHING_TAKEN_OVER,
  type EngineCause,
  type EngineListener,
  notifyListeners,
  type EngineSource,
  type EngineState,
  type PlaybackEngine,
} from "../../src/player/playback-engine.js";

/** How the engine reaches the background. */
export interface EngineLink {
  /** Sends a request; resolves with the background's answer. */
  send(request: BackgroundRequest): Promise<unknown>;
  /**
   * The request that loads `source`: a page's names the call and its recordings, the popup's
   * picks another recording of the playing call. Null when the source is not one this view knows.
   */
  loadRequest(source: EngineSource): BackgroundRequest | null;
  /** The URL the player knows a recording by (pages hold their own signed URLs). */
  srcFor(recordingId: string, backgroundSrc: string): string;
}

/** How often the extrapolated position is reported while playing, and while not, in ms. */
const TICK_PLAYING_MS = 250;
const TICK_IDLE_MS = 1000;

const isPlaybackState = (value: unknown): value is PlaybackState =>
  typeof value === "object" && value !== null && (value as PlaybackState).version === 1 && typeof (value as PlaybackState).revision === "number";

/**
 * State arrives as the background's PlaybackState (pushed on every change, and answered to every
 * command); between reports the position is extrapolated so the time display moves smoothly.
 * Commands go out one at a time, in order, each answered with the state it led to.
 *
 * Every page and the popup are views of the one playback, so a view also hears of changes it did
 * not make (the popup paused, a shortcut skipped, another tab started): those state events say
 * `outside`, and the player takes up what the engine plays. The engine takes over the one-player
 * rule (`takesOver.onePlayer`): all views show the same playback.
 */
export class ExtensionEngine implements PlaybackEngine {
  /** The background retries and renews links itself (extension/background/playback-service.ts). */
  readonly recovers = true;
  /** The background keeps the audio, its settings, where it stands and what plays, for every page and tab. */
  readonly takesOver = EVERYTHING_TAKEN_OVER;
  readonly #link: EngineLink;
  readonly #listeners = new Set<EngineListener>();
  #snapshot: PlaybackState | null = null;
  /** What the last commands changed, shown until the background's answer arrives. */
  #pending: Partial<EngineState> | null = null;
  #inFlight = 0;
  #chain: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #reportedError = "";
  #disposed = false;
  /** Whether any state was heard yet (the first is no change). */
  #heard = false;
  /** Skip silence as last asked, until the background's answer says. */
  #skipSilence: boolean | null = null;

  constructor(link: EngineLink, initial: PlaybackState | null = null) {
    this.#link = link;
    this.#snapshot = initial;
    this.#heard = initial !== null;
    if (initial?.error) this.#reportedError = `${initial.cue}:${initial.error.message}`;
    this.#schedule();
  }

  /** The background's playback, as last heard. */
  get playback(): PlaybackState | null {
    return this.#snapshot;
  }

  get state(): EngineState {
    const base = this.#fromSnapshot(this.#snapshot);
    return this.#pending ? { ...base, ...this.#pending } : base;
  }

  /** Takes in the background's state (pushed, or answered to a command). */
  receive(next: PlaybackState | null): void {
    if (this.#disposed) return;
    const previous = this.#snapshot;
    if (next && previous && next.revision < previous.revision && next.cue <= previous.cue) return;
    this.#snapshot = next;
    if (this.#inFlight === 0) this.#pending = null;
    if (next && previous && next.endedCount > previous.endedCount && next.endedId) {
      const ended = previous.session?.recordings.find((r) => r.id === next.endedId);
      if (ended) this.#emit({ type: "ended", src: this.#link.srcFor(ended.id, ended.src) });
    }
    const errorKey = next?.error ? `${next.cue}:${next.error.message}` : "";
    if (next?.error && errorKey !== this.#reportedError) {
      const recording = currentRecording(next);
      if (recording) {
        this.#emit({ type: "error", src: this.#link.srcFor(recording.id, recording.src), error: { kind: next.error.kind, message: next.error.message } });
      }
    }
    this.#reportedError = errorKey;
    this.#emitState(causeOf(previous, next), this.#heard && this.#inFlight === 0 && outsideChange(previous, next));
    this.#schedule();
    this.#heard = true;
  }

  load(source: EngineSource): void {
    const request = this.#link.loadRequest(source);
    this.#pending = { src: source.src, currentTime: source.startAt ?? 0, duration: Number.NaN, paused: true, ended: false, hasMetadata: false, waiting: false };
    this.#emitState("load");
    if (request) void this.#send(request);
  }

  unload(): void {
    // The background's audio belongs to every view of it: forgetting it here stops nothing.
    this.#pending = { ...emptyEngineState(), volume: this.state.volume, muted: this.state.muted, playbackRate: this.state.playbackRate };
    this.#emitState("unload");
  }

  async play(): Promise<void> {
    this.#pending = { ...this.#pending, paused: false, ended: false };
    this.#emitState("play");
    await this.#send({ type: "player/play" });
  }

  pause(): void {
    this.#pending = { ...this.#pending, paused: true, currentTime: this.state.currentTime, waiting: false };
    this.#emitState("pause");
    void this.#send({ type: "player/pause" });
  }

  seek(seconds: number): void {
    const target = Math.max(0, seconds);
    this.#pending = { ...this.#pending, currentTime: target, ended: false };
    this.#emitState("seeking");
    void this.#send({ type: "player/seek", seconds: target });
  }

  setVolume(volume: number): void {
    const v = Math.min(1, Math.max(0, volume));
    this.#pending = { ...this.#pending, volume: v };
    this.#emitState("volumechange");
    void this.#send({ type: "player/volume", volume: v });
  }

  setMuted(muted: boolean): void {
    this.#pending = { ...this.#pending, muted };
    this.#emitState("volumechange");
    void this.#send({ type: "player/muted", muted });
  }

  setPlaybackRate(rate: number): void {
    this.#pending = { ...this.#pending, playbackRate: rate };
    this.#emitState("ratechange");
    void this.#send({ type: "player/rate", rate });
  }

  /** A two-channel recording's mix, kept by the background for every view (src/player/channel-mix.ts). */
  setChannelMix(mix: ChannelMix): void {
    const next = clampMix(mix);
    this.#pending = { ...this.#pending, channelMix: next };
    this.#emitState("volumechange");
    void this.#send({ type: "player/channels", mix: next });
  }

  /** Skip silence, which the background does for every page (extension/background/playback-service.ts). */
  get skipSilence(): boolean {
    return this.#skipSilence ?? this.#snapshot?.skipSilence ?? false;
  }

  setSkipSilence(on: boolean): void {
    this.#skipSilence = on;
    this.#emitState("timeupdate");
    void this.#send({ type: "player/skip-silence", on }).finally(() => {
      if (this.#inFlight === 0) this.#skipSilence = null;
    });
  }

  /**
   * Stops the browser's one playback and forgets it (the docked player's close button, the
   * popup's "Stop and close"). It goes out after this view's commands before it, like every
   * command: sent at once, it could reach the background ahead of a load still waiting its turn,
   * which would then bring the call back.
   */
  close(): Promise<void> {
    this.#pending = { ...this.#pending, paused: true, waiting: false };
    this.#emitState("pause");
    return this.#send({ type: "player/close" });
  }

  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#listeners.clear();
  }

  /** Sends after the commands before it were answered, and takes in the answer. */
  #send(request: BackgroundRequest): Promise<void> {
    this.#inFlight++;
    const run = this.#chain.then(() => this.#link.send(request));
    this.#chain = run.catch(() => undefined);
    return run.then(
      (answer) => {
        // Counted as in flight while its answer is taken in: the change is this engine's own.
        if (isPlaybackState(answer)) this.receive(answer);
        this.#inFlight--;
        if (this.#inFlight === 0) this.#pending = null;
      },
      (error: unknown) => {
        this.#inFlight--;
        if (this.#inFlight === 0) this.#pending = null;
        console.warn(`call recordings: ${request.type} failed`, error);
        this.#emitState("timeupdate");
      },
    );
  }

  #fromSnapshot(snapshot: PlaybackState | null): EngineState {
    const recording = snapshot ? currentRecording(snapshot) : undefined;
    if (!snapshot || !recording) {
      return { ...emptyEngineState(), volume: snapshot?.volume ?? 1, muted: snapshot?.muted ?? false, playbackRate: snapshot?.rate ?? 1 };
    }
    const duration = snapshot.duration ?? Number.NaN;
    return {
      src: this.#link.srcFor(recording.id, recording.src),
      currentTime: currentPosition(snapshot, Date.now()),
      duration,
      buffered: [],
      paused: snapshot.paused,
      ended: snapshot.ended,
      seeking: false,
      hasMetadata: snapshot.hasMetadata || snapshot.duration !== null,
      waiting: snapshot.waiting && !snapshot.paused,
      volume: snapshot.volume,
      muted: snapshot.muted,
      playbackRate: snapshot.rate,
      ...(snapshot.channelMix ? { channelMix: snapshot.channelMix } : {}),
    };
  }

  #emitState(cause: EngineCause, outside = false): void {
    this.#emit({ type: "state", cause, state: this.state, ...(outside ? { outside } : {}) });
  }

  #emit(event: Parameters<EngineListener>[0]): void {
    notifyListeners(this.#listeners, event);
  }

  /** Keeps the time display moving between the background's reports. */
  #schedule(): void {
    if (this.#disposed) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    const playing = this.#snapshot !== null && !this.#snapshot.paused;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        if (this.#listeners.size > 0) this.#emitState("timeupdate");
        this.#schedule();
      },
      playing ? TICK_PLAYING_MS : TICK_IDLE_MS,
    );
  }
}

/** Whether a change is one a player shows differently: playing or not, and which recording. */
function outsideChange(previous: PlaybackState | null, next: PlaybackState | null): boolean {
  const id = (s: PlaybackState | null) => (s ? (currentRecording(s)?.id ?? null) : null);
  return (previous?.paused ?? true) !== (next?.paused ?? true) || id(previous) !== id(next);
}

/** The media event a change of the background's state stands for. */
function causeOf(previous: PlaybackState | null, next: PlaybackState | null): EngineCause {
  if (!next || !currentRecording(next)) return previous && currentRecording(previous) ? "unload" : "timeupdate";
  if (!previous || previous.index !== next.index || previous.session?.callId !== next.session?.callId) return "load";
  if (previous.cue !== next.cue) return "seeked";
  if (previous.paused !== next.paused) return next.paused ? "pause" : "play";
  if (!previous.hasMetadata && next.hasMetadata) return "loadedmetadata";
  if (previous.waiting !== next.waiting) return next.waiting ? "waiting" : "playing";
  if (previous.volume !== next.volume || previous.muted !== next.muted || !sameMix(previous.channelMix, next.channelMix)) return "volumechange";
  if (previous.rate !== next.rate) return "ratechange";
  return "timeupdate";
}
