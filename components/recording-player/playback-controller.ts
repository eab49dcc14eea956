/**
 * The player's sequence and commands, as a Lit reactive controller: it drives a playback engine
 * through a sequence of recordings, turns the engine's reports into the status a person sees and
 * keeps to one playing player per origin. Recovery is RecoveryController's (recovery-controller.ts),
 * settings and positions PlayerMemory's (player-memory.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { emptyEngineState, takenOver, unsupportedFormatName, type EngineError, type EngineEvent, type EngineState, type PlaybackEngine } from "../../src/player/playback-engine.js";
import { MediaElementEngine, preloadDecodersFor } from "../../src/player/media-element-engine.js";
import { balanceOfMix, FULL_MIX, mixOfBalance, sameMix } from "../../src/player/channel-mix.js";
import type { RecoveryPolicy } from "../../src/player/recovery.js";
import {
  buildTimeline,
  clampRate,
  clampVolume,
  locate,
  previousTarget,
  resumePosition,
  sameRecordingIds,
  statusFor,
  timelineTime,
  type PlayerError,
  type PlayerRecording,
  type PlayerStatus,
  type RecordingUpdate,
  type Timeline,
} from "../../src/player/player-state.js";
import type { PreferenceStore } from "../../src/player/player-preferences.js";
import { SinglePlayerLock } from "../../src/player/single-player-lock.js";
import { PlayerMemory } from "./player-memory.js";
import { RecoveryController } from "./recovery-controller.js";
import { emit } from "./player-events.js";
import { AUTOPLAY_BLOCKED_MESSAGE, errorMessage, YIELDED_MESSAGE } from "./player-messages.js";

type Host = ReactiveControllerHost & HTMLElement;

export class PlaybackController implements ReactiveController {
  readonly #host: Host;
  #engine: PlaybackEngine | null = null;
  #ownsEngine = false;
  #unsubscribe: (() => void) | null = null;
  /** Volume, mute, rate and where each recording was left, for the signed-in user. */
  readonly #memory = new PlayerMemory(
    () => this.#engine,
    () => this.engine,
  );
  #lock: SinglePlayerLock | null = null;
  #connected = false;
  /** Listening to the page and the engine (stays true through a move within the page). */
  #attached = false;

  /** Retries, renewed links, back online. */
  readonly #recovery: RecoveryController;
  /** Told when the controller renews a recording's URLs, so the host's property follows. */
  readonly #onRecordingsUpdated: (recordings: PlayerRecording[]) => void;

  recordings: readonly PlayerRecording[] = [];
  /** The current recording, -1 for none. */
  index = -1;
  engineState: EngineState = emptyEngineState();
  /** The user asked to play and has not paused since. */
  wantsToPlay = false;
  error: PlayerError | null = null;
  sequenceEnded = false;
  /** A passing remark: why playback paused by itself. */
  note: string | null = null;
  /** Set when a recording reopened where it had stopped: the user may start over. */
  resumedFrom: { index: number; position: number } | null = null;
  status: PlayerStatus = "empty";

  /** The recording last given to the engine: its channel mix is kept while it stays the same one. */
  #mixedId: string | null = null;
  /** The URL the engine was given for the current recording (an adopted one may differ from its `src`). */
  #loadedSrc: string | null = null;
  #durations = new Map<string, number>();
  #cueId = 0;
  #cueing: Promise<void> = Promise.resolve();
  /** The cue reading where the new sequence was left, while it reads. */
  #cueReading = -1;
  /** Asked to play this recording, from where it was left, once the cue has read that. */
  #playAfterCue: number | null = null;
  #wasPlaying = false;

  constructor(host: Host, onRecordingsUpdated: (recordings: PlayerRecording[]) => void = () => undefined) {
    this.#host = host;
    this.#onRecordingsUpdated = onRecordingsUpdated;
    this.#memory.recordings = () => this.recordings;
    host.addController(this);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below have their own `this`
    const player = this;
    this.#recovery = new RecoveryController(host, {
      get index() {
        return player.index;
      },
      get current() {
        return player.current;
      },
      get error() {
        return player.error;
      },
      get wantsToPlay() {
        return player.wantsToPlay;
      },
      get loadedSrc() {
        return player.#loadedSrc;
      },
      get engineRecovers() {
        return player.#engine?.recovers === true;
      },
      reload: (index, at, play, keepAttempts) => this.#load(index, at, play, { keepAttempts }),
      fail: (error, position) => this.#giveUp(error, position),
      renewed: (index, id, update) => this.#applyUpdate(index, id, update),
      changed: () => this.#update(),
    });
  }

  // ---- configuration -------------------------------------------------------------------

  /** How hard to try before telling the user. */
  get recovery(): RecoveryPolicy {
    return this.#recovery.policy;
  }

  set recovery(policy: RecoveryPolicy) {
    this.#recovery.policy = policy;
  }

  /** What recovery is doing now. */
  get recovering(): "retrying" | "refreshing" | null {
    return this.#recovery.state;
  }

  /** Which automatic retry is running (1-based), while retrying. */
  get retryAttempt(): number {
    return this.#recovery.retryAttempt;
  }

  /** The engine in use; the local media-element engine unless one was given. */
  get engine(): PlaybackEngine {
    if (!this.#engine) {
      this.#engine = new MediaElementEngine();
      this.#ownsEngine = true;
      this.#subscribe();
    }
    return this.#engine;
  }

  set engine(engine: PlaybackEngine) {
    if (engine === this.#engine) return;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#ownsEngine) this.#engine?.dispose();
    this.#engine = engine;
    this.#ownsEngine = false;
    this.engineState = engine.state;
    this.#subscribe();
    // A given engine may already be playing one of ours (the extension's background audio).
    if (!this.#adoptEngine() && this.#connected && this.recordings.length > 0) this.#cue();
    this.#update();
  }

  /** Where volume, mute, rate and positions are remembered. */
  get store(): PreferenceStore {
    return this.#memory.store;
  }

  set store(store: PreferenceStore) {
    this.#memory.store = store;
  }

  /** Who is signed in, as the page says: the default store is theirs alone. */
  get user(): string | null {
    return this.#memory.user;
  }

  set user(user: string | null) {
    this.#memory.user = user;
  }

  // ---- what the element renders ----------------------------------------------------------

  get current(): PlayerRecording | undefined {
    return this.recordings[this.index];
  }

  /** Whether the engine holds the current recording. */
  get loaded(): boolean {
    return this.current !== undefined && this.#loadedSrc !== null && this.engineState.src === this.#loadedSrc;
  }

  /** Seconds into the current recording. */
  get position(): number {
    const current = this.current;
    if (!current) return 0;
    if (this.loaded) return this.engineState.currentTime;
    return this.error?.position ?? 0;
  }

  /** The current recording's length (NaN while unknown). */
  get duration(): number {
    return this.durationOf(this.index);
  }

  durationOf(index: number): number {
    const recording = this.recordings[index];
    if (!recording) return Number.NaN;
    return this.#durations.get(recording.id) ?? recording.durationSeconds ?? Number.NaN;
  }

  /** The sequence laid end to end. */
  get timeline(): Timeline {
    return buildTimeline(this.recordings.map((_, i) => this.durationOf(i)));
  }

  /** Where playback stands on the timeline. */
  get timelinePosition(): number {
    const timeline = this.timeline;
    if (this.sequenceEnded) return timeline.total;
    return timelineTime(timeline, this.index, this.position);
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  hostConnected(): void {
    this.#connected = true;
    this.#memory.connected = true;
    // Moved within the page (disconnected and connected in one go): carry on as if nothing happened.
    if (this.#attached) return;
    this.#attached = true;
    this.#lock = new SinglePlayerLock(() => this.#yield());
    this.#subscribe();
    this.#memory.loadPreferences();
    addEventListener("pagehide", this.#onPageHide);
    document.addEventListener("visibilitychange", this.#onPageHide);
    if (this.recordings.length > 0 && this.engine.state.src === null) this.#cue();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#memory.connected = false;
    this.#savePosition(true);
    queueMicrotask(() => {
      if (!this.#connected) this.#detach();
    });
  }

  /** The element left the page: stop the page's audio and let go of everything. */
  #detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    removeEventListener("pagehide", this.#onPageHide);
    document.removeEventListener("visibilitychange", this.#onPageHide);
    this.#lock?.close();
    this.#lock = null;
    this.#recovery.cancel();
    this.#cueId++;
    if (this.#engine && !takenOver(this.#engine).lifetime) {
      // The page's own audio goes with the element; an engine that outlives it plays on.
      this.#engine.unload();
      this.wantsToPlay = false;
    }
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  // ---- commands ----------------------------------------------------------------------------

  /** Replaces the recordings. The same recordings with new URLs keep playing. */
  setRecordings(list: readonly PlayerRecording[]): void {
    if (list === this.recordings) return;
    const previous = this.recordings;
    this.recordings = list;
    // Recordings announced in formats only our decoders play: have them ready before a click.
    preloadDecodersFor(list);
    if (list.length > 0 && sameRecordingIds(list, previous)) {
      const current = this.current;
      // A failed recording, or one waiting for its renewed URL, picks up the new URL at once.
      if (current && current.src !== this.#loadedSrc && (this.error || this.recovering)) {
        this.#load(this.index, this.position, this.wantsToPlay, { keepAttempts: true });
      }
      this.#update();
      return;
    }
    // An engine already playing one of these (the extension's, across a page load) carries on.
    if (this.#adoptEngine()) {
      this.#update();
      return;
    }
    this.#reset();
    if (this.#connected) this.#cue();
    this.#update();
  }

  /** Makes the engine's current source, if it is one of the recordings, the current recording. */
  #adoptEngine(): boolean {
    const state = this.#engine?.state;
    if (!state || state.src === null) return false;
    const index = this.recordings.findIndex((r) => sameResource(r.src, state.src!));
    if (index < 0) return false;
    this.#cueId++;
    this.#cueing = Promise.resolve();
    this.#recovery.cancel();
    this.index = index;
    this.#mixedId = this.recordings[index]!.id;
    this.engineState = state;
    this.error = null;
    // An engine that played the last recording to its end (the extension's, heard afterwards) has ended the sequence.
    this.sequenceEnded = state.ended && index === this.recordings.length - 1;
    this.resumedFrom = null;
    this.wantsToPlay = !state.paused;
    this.#wasPlaying = !state.paused;
    // It may play a URL signed for an earlier page; the next load takes this page's.
    this.#loadedSrc = state.src;
    return true;
  }

  async play(): Promise<void> {
    await this.#cueing;
    const current = this.current;
    if (!current) return;
    if (this.sequenceEnded) return this.#load(0, 0, true);
    if (this.error) return this.retry();
    if (this.recovering) {
      this.wantsToPlay = true;
      this.#update();
      return;
    }
    if (!this.loaded) return this.#load(this.index, this.position, true);
    this.#startPlaying();
    this.#update();
  }

  pause(reason: "user" | "other-player" = "user"): void {
    this.engine.pause();
    this.#setIntent(false, reason);
    this.#savePosition(true);
    this.#update();
  }

  togglePlay(): void {
    if (this.wantsToPlay && !this.error) this.pause();
    else void this.play();
  }

  /** Seeks within the current recording. */
  seekTo(seconds: number): void {
    const current = this.current;
    if (!current) return;
    this.resumedFrom = null;
    const duration = this.duration;
    const target = Math.max(0, Number.isFinite(duration) ? Math.min(seconds, duration) : seconds);
    if (this.error || this.recovering || !this.loaded) {
      this.#load(this.index, target, this.wantsToPlay);
      return;
    }
    this.sequenceEnded = false;
    this.engine.seek(target);
    this.#update();
  }

  /** Seeks on the sequence's timeline, moving to another recording if need be. */
  seekTimeline(seconds: number): void {
    if (this.recordings.length === 0) return;
    const { index, offset } = locate(this.timeline, seconds);
    if (index < 0) return;
    if (index === this.index) this.seekTo(offset);
    else {
      this.resumedFrom = null;
      this.#load(index, offset, this.wantsToPlay);
    }
  }

  /** Moves by some seconds on the timeline (negative: back). */
  skip(seconds: number): void {
    this.seekTimeline(this.timelinePosition + seconds);
  }

  /** Plays recording `index` from `atSeconds`, or from where it stopped before; the sequence carries on. */
  playRecording(index: number, atSeconds?: number): void {
    const recording = this.recordings[index];
    if (!recording) return;
    if (atSeconds === undefined && this.#cueReading === this.#cueId && !this.#memory.saved(recording.id)) {
      // The sequence was just given and where it was left is still being read: play on from there.
      this.#playAfterCue = index;
      return;
    }
    this.#playAfterCue = null;
    this.#cueId++;
    this.#cueing = Promise.resolve();
    let at = atSeconds ?? resumePosition(this.#memory.saved(recording.id)?.position, this.durationOf(index));
    at = Math.max(0, at);
    if (index === this.index && atSeconds !== undefined && this.loaded && !this.error && !this.recovering) {
      // The recording the player already has: seek the element that holds it, rather than
      // loading it again from its first byte.
      this.seekTo(at);
      if (!this.wantsToPlay) void this.play();
      return;
    }
    this.resumedFrom = atSeconds === undefined && at > 0 ? { index, position: at } : null;
    this.#load(index, at, true);
  }

  next(): void {
    if (this.index < this.recordings.length - 1) {
      this.resumedFrom = null;
      this.#load(this.index + 1, 0, this.wantsToPlay);
    }
  }

  previous(): void {
    if (this.index < 0) return;
    const target = previousTarget(this.index, this.position);
    this.resumedFrom = null;
    if (target.index === this.index && !this.error) this.seekTo(target.at);
    else this.#load(target.index, target.at, this.wantsToPlay);
  }

  /** Plays the current recording from its start and forgets where it stopped. */
  startOver(): void {
    const current = this.current;
    if (!current) return;
    this.resumedFrom = null;
    this.#memory.forget(current.id);
    this.seekTo(0);
    if (!this.wantsToPlay) void this.play();
  }

  /** Tries again after a failure, from where it stopped. */
  retry(): void {
    if (!this.current) return;
    this.#load(this.index, this.error?.position ?? this.position, true);
  }

  setVolume(volume: number): void {
    this.#memory.touched();
    const v = clampVolume(volume);
    this.engine.setVolume(v);
    if (v > 0 && this.engine.state.muted) this.engine.setMuted(false);
  }

  setMuted(muted: boolean): void {
    this.#memory.touched();
    this.engine.setMuted(muted);
    // Unmuting silence would sound like nothing happened.
    if (!muted && this.engine.state.volume === 0) this.engine.setVolume(0.5);
  }

  setPlaybackRate(rate: number): void {
    this.#memory.touched();
    this.engine.setPlaybackRate(clampRate(rate));
  }

  /**
   * Who the current recording's two channels hold ("Agent: Alice Jones", left then right), when
   * it names exactly two and its engine can mix them; null otherwise (no channel control).
   */
  get channels(): readonly [string, string] | null {
    const names = this.current?.channels;
    return names?.length === 2 && typeof this.engine.setChannelMix === "function" ? [names[0]!, names[1]!] : null;
  }

  /** The balance between the two channels' parties: -1 the first alone, 0 both, 1 the second alone. */
  get balance(): number {
    return balanceOfMix(this.engineState.channelMix);
  }

  setBalance(balance: number): void {
    if (!this.channels) return;
    this.engine.setChannelMix?.(mixOfBalance(balance));
  }

  // ---- engine ------------------------------------------------------------------------------

  #subscribe(): void {
    if (this.#unsubscribe || !this.#engine) return;
    this.#unsubscribe = this.#engine.subscribe(this.#onEngineEvent);
  }

  #onEngineEvent = (event: EngineEvent): void => {
    const current = this.current;
    switch (event.type) {
      case "state":
        // Another view of a shared engine changed what plays: take it up.
        if (event.outside && takenOver(this.#engine).session && this.#adoptEngine()) {
          this.#update();
          break;
        }
        this.#onState(event.cause, event.state);
        break;
      case "ended":
        if (current && event.src === this.#loadedSrc) this.#onEnded();
        break;
      case "error":
        if (current && event.src === this.#loadedSrc) this.#recovery.failed(event.error, this.engineState.currentTime);
        break;
    }
  };

  #onState(cause: string, state: EngineState): void {
    this.engineState = state;
    const current = this.current;
    const ours = current !== undefined && this.#loadedSrc !== null && state.src === this.#loadedSrc;
    if (ours && state.hasMetadata && Number.isFinite(state.duration) && state.duration > 0) {
      this.#durations.set(current.id, state.duration);
    }
    const playing = ours && !state.paused;
    if (playing && !this.#wasPlaying) {
      this.note = null;
      this.#lock?.claim();
      emit(this.#host, "crec-play", this.#positionDetail());
    }
    this.#wasPlaying = playing;
    if (ours && !state.paused) this.#recovery.progressed(state.currentTime);
    // A seek to the very end while paused: Chromium reports `ended` without the event.
    if (ours && cause === "seeked" && state.ended) this.#onEnded();
    if (ours && (cause === "timeupdate" || cause === "seeked")) {
      emit(this.#host, "crec-timeupdate", this.#positionDetail());
      this.#savePosition(cause === "seeked");
    }
    if (cause === "volumechange" || cause === "ratechange") this.#onPreferenceChange(cause, state);
    this.#update();
  }

  #onEnded(): void {
    const current = this.current;
    if (!current || this.sequenceEnded) return;
    this.#memory.forget(current.id);
    if (this.index < this.recordings.length - 1) {
      this.#load(this.index + 1, 0, this.wantsToPlay);
      return;
    }
    this.sequenceEnded = true;
    this.wantsToPlay = false;
    this.#wasPlaying = false;
    emit(this.#host, "crec-ended", { index: this.index, recordingId: current.id });
    this.#update();
  }

  /** Shows a failure that recovery gave up on. */
  #giveUp(error: EngineError, position: number): void {
    const current = this.current;
    this.error = { kind: error.kind, message: error.message, position };
    if (error.status !== undefined) this.error.status = error.status;
    const format = error.kind === "unsupported" ? unsupportedFormatName(error) : null;
    if (format) this.error.format = format;
    this.#setIntent(false, "error");
    if (current) {
      const detail = {
        kind: error.kind,
        message: errorMessage(this.error),
        cause: error.message,
        index: this.index,
        recordingId: current.id,
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(format ? { format } : {}),
      };
      emit(this.#host, "crec-error", detail);
    }
    this.#update();
  }

  #applyUpdate(index: number, id: string, update: RecordingUpdate): void {
    const recording = this.recordings[index];
    if (!recording || recording.id !== id) return;
    const next = [...this.recordings];
    next[index] = { ...recording, ...update, id };
    this.recordings = next;
    this.#onRecordingsUpdated(next);
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Makes recording `index` current at `at` seconds, and plays it if asked. */
  #load(index: number, at: number, play: boolean, options: { keepAttempts?: boolean } = {}): void {
    const recording = this.recordings[index];
    if (!recording) return;
    const previousIndex = this.index;
    if (!this.engineState.ended && !this.error) this.#savePosition(true);
    this.#recovery.loading(at, options.keepAttempts === true);
    this.error = null;
    this.sequenceEnded = false;
    this.note = null;
    this.index = index;
    // Another recording's channels are other parties: it starts with both heard. The same one
    // loaded again (a renewed link, a retry) keeps the balance the user set.
    if (recording.id !== this.#mixedId && !sameMix(this.engine.state.channelMix, FULL_MIX)) this.engine.setChannelMix?.(FULL_MIX);
    this.#mixedId = recording.id;
    this.#loadedSrc = recording.src;
    this.engine.load({ src: recording.src, startAt: at, ...(recording.contentType ? { contentType: recording.contentType } : {}) });
    this.engineState = this.engine.state;
    if (previousIndex !== index) emit(this.#host, "crec-recordingchange", { index, previousIndex, recording });
    if (play) this.#startPlaying();
    else this.#setIntent(false, "user");
    this.#update();
  }

  #startPlaying(): void {
    this.wantsToPlay = true;
    this.note = null;
    this.engine.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === "NotAllowedError") {
        this.wantsToPlay = false;
        this.note = AUTOPLAY_BLOCKED_MESSAGE;
        this.#update();
      }
    });
  }

  #setIntent(play: boolean, reason: "user" | "other-player" | "error"): void {
    const was = this.wantsToPlay;
    this.wantsToPlay = play;
    const current = this.current;
    if (was && !play && current) emit(this.#host, "crec-pause", { ...this.#positionDetail(), reason });
  }

  #yield(): void {
    // A view of the browser's one background playback (the extension) is not another player:
    // every tab shows the same audio, and the background keeps one recording at a time itself.
    if (takenOver(this.#engine).onePlayer) return;
    if (!this.wantsToPlay && this.engineState.paused) return;
    this.pause("other-player");
    this.note = YIELDED_MESSAGE;
    this.#update();
  }

  /** Chooses where a newly given sequence starts: where the listener last stopped in it. */
  #cue(): void {
    const id = ++this.#cueId;
    const list = this.recordings;
    this.#playAfterCue = null;
    if (list.length === 0) return;
    this.index = 0;
    this.#cueReading = id;
    this.#cueing = (async () => {
      const saved = await this.#memory.readPositions(list.map((r) => r.id));
      if (id !== this.#cueId) return;
      this.#cueReading = -1;
      this.#memory.remember(saved);
      const wanted = this.#playAfterCue;
      this.#playAfterCue = null;
      if (wanted !== null && list[wanted]) {
        this.playRecording(wanted);
        return;
      }
      let index = 0;
      let at = 0;
      const latest = [...saved].sort((a, b) => b.updatedAt - a.updatedAt)[0];
      if (latest) {
        const i = list.findIndex((r) => r.id === latest.recordingId);
        const resumeAt = resumePosition(latest.position, this.durationOf(i) || latest.duration);
        if (i >= 0 && resumeAt > 0) [index, at] = [i, resumeAt];
      }
      this.resumedFrom = at > 0 ? { index, position: at } : null;
      this.#load(index, at, false);
    })();
  }

  #reset(): void {
    this.#cueId++;
    this.#recovery.cancel();
    this.#setIntent(false, "user");
    this.index = this.recordings.length > 0 ? 0 : -1;
    this.error = null;
    this.sequenceEnded = false;
    this.resumedFrom = null;
    this.note = null;
    this.#wasPlaying = false;
    this.#loadedSrc = null;
    if (this.#engine && this.#engine.state.src !== null) {
      this.#engine.unload();
      this.engineState = this.#engine.state;
    }
  }

  #positionDetail() {
    const current = this.current;
    return { index: this.index, recordingId: current?.id ?? "", currentTime: this.position, duration: this.duration };
  }

  #savePosition(force: boolean): void {
    const current = this.current;
    if (current && this.loaded) this.#memory.notePosition(current, this.engineState, this.duration, force);
  }

  #onPageHide = (): void => {
    if (document.visibilityState === "hidden" || !this.#connected) this.#savePosition(true);
  };

  #onPreferenceChange(cause: "volumechange" | "ratechange", state: EngineState): void {
    if (cause === "volumechange") emit(this.#host, "crec-volumechange", { volume: state.volume, muted: state.muted });
    else emit(this.#host, "crec-ratechange", { playbackRate: state.playbackRate });
    this.#memory.settingsChanged(state);
  }

  #update(): void {
    const status = statusFor({
      hasRecording: this.current !== undefined,
      engine: this.engineState,
      wantsToPlay: this.wantsToPlay,
      recovering: this.recovering,
      error: this.error,
      sequenceEnded: this.sequenceEnded,
    });
    if (status !== this.status) {
      this.status = status;
      emit(this.#host, "crec-statuschange", { status });
    }
    this.#host.requestUpdate();
  }
}

/** The same audio: the same URL, or the same path signed anew. */
function sameResource(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const base = typeof location !== "undefined" ? location.href : "http://localhost/";
    const x = new URL(a, base);
    const y = new URL(b, base);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
}
