/**
 * The one playback of the browser, as the background runs it: the state (see
 * src/extension/background-playback-state.ts) read back from storage on every start, changed one
 * transition at a time, written back after each change (every view renders it from there), and
 * handed to the audio context as a target. Failures reported by the audio are recovered here
 * (src/player/recovery.ts: retrying, renewing expired URLs) before the listener is told.
 */
import {
  applyReport,
  audioLost,
  audioResumed,
  audioTarget,
  currentPosition,
  failed,
  initialPlaybackState,
  recovering,
  reload,
  replaceUrls,
  seek,
  currentRecording,
  type AudioReport,
  type AudioTarget,
  type PlaybackSession,
  type PlaybackState,
} from "../../src/extension/background-playback-state.js";
import { check } from "../../src/shape.js";
import { playbackStateShape } from "../../src/extension/extension-messages.js";
import { AccessRemovedError, isAccessRemoved } from "../../src/player/playback-engine.js";
import { attempted, DEFAULT_RECOVERY, freshAttempts, progressed, recoveryFor, type RecoveryAttempts, type RecoveryPolicy } from "../../src/player/recovery.js";
import { silenceSkipTarget, type SilentSpan } from "../../src/player/silence.js";
import type { AudioHost } from "./audio-host.js";

/** Where the state is kept between lives of the background. */
export interface StateStore {
  load(): Promise<unknown>;
  save(state: PlaybackState): Promise<void>;
}

/** Renewed signed URLs for a session's recordings. */
export type UrlRenewer = (session: PlaybackSession) => Promise<{ id: string; src: string; downloadUrl?: string; peaksUrl?: string }[]>;

export interface PlaybackServiceOptions {
  store: StateStore;
  audio: AudioHost;
  renew: UrlRenewer;
  now?: () => number;
  recovery?: RecoveryPolicy;
  /**
   * How long playing may go without a report before the audio context is checked, in ms. Chrome
   * closes an offscreen document that has not been audible for 30 s (a call on hold can be that
   * quiet, and a browser without a sound device never is audible); the audio then carries on in
   * a new one from where it had got to.
   */
  watchdogMs?: number;
  /** A recording's silences from its peaks (src/player/peaks-client.ts), for skip silence. */
  silences?: (recordingId: string, peaksUrl: string) => Promise<readonly SilentSpan[]>;
  /**
   * Whether this background is one started again while the browser ran on (Chrome stops a service
   * worker it finds idle, and starts it at the next event), not the first since the browser or the
   * extension started. Without it, every start counts as the first.
   */
  restarted?: () => Promise<boolean>;
}

/** Reports come about once a second: a silence starting sooner than this is met by a timer. */
const SILENCE_LOOKAHEAD_S = 1.5;

/** See `watchdogMs`: reports come about once a second while playing. */
const WATCHDOG_MS = 3000;

export type Transition = (state: PlaybackState, now: number) => PlaybackState;

export class PlaybackService {
  readonly #options: PlaybackServiceOptions;
  readonly #now: () => number;
  #state: PlaybackState;
  readonly #ready: Promise<void>;
  /** Changes run one after another, each on the state the last one left. */
  #queue: Promise<unknown> = Promise.resolve();
  #sent: AudioTarget | null = null;
  #attempts: RecoveryAttempts = freshAttempts();
  /** Where the current cue started, to notice real progress. */
  #cueStart = { cue: -1, position: 0 };
  #watchdog: ReturnType<typeof setTimeout> | null = null;
  /** Each recording's silences, once read (skip silence). */
  readonly #silences = new Map<string, readonly SilentSpan[] | "reading">();
  #silenceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: PlaybackServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#state = initialPlaybackState(this.#now());
    this.#ready = this.#restore();
  }

  /** The state, once read back from storage. */
  async get(): Promise<PlaybackState> {
    await this.#ready;
    return this.#state;
  }

  /** What the audio context should do now (it asks when it starts). */
  async target(): Promise<AudioTarget> {
    const state = await this.get();
    const target = audioTarget(state, this.#now());
    this.#sent = target;
    return target;
  }

  /** Has the audio context ready for a play that is likely soon. */
  warm(): Promise<void> {
    return this.#options.audio.warm();
  }

  /** Stops the watchdog (tests; a background is never disposed). */
  dispose(): void {
    if (this.#watchdog !== null) clearTimeout(this.#watchdog);
    this.#watchdog = null;
    if (this.#silenceTimer !== null) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = null;
  }

  /** Applies a transition; the listener's own actions reset the recovery attempts. */
  update(transition: Transition): Promise<PlaybackState> {
    return this.#serial(async () => {
      const before = this.#state;
      await this.#commit(transition(before, this.#now()));
      if (this.#state.cue !== before.cue) this.#attempts = freshAttempts();
      return this.#state;
    });
  }

  /** Takes in what the audio context reports. */
  report(report: AudioReport): Promise<void> {
    return this.#serial(async () => {
      const state = this.#state;
      if (report.cue !== state.cue) return;
      if (report.event === "error" && report.error) {
        await this.#recover(report.error, report.position);
        return;
      }
      if (this.#cueStart.cue !== state.cue) {
        this.#cueStart = { cue: state.cue, position: report.position };
        this.#attempts = { ...this.#attempts, from: report.position };
      } else if (!report.paused) this.#attempts = progressed(this.#attempts, report.position);
      await this.#commit(applyReport(state, report, this.#now()));
      this.#watch();
      await this.#skipSilence();
    });
  }

  /** A recording's silences; a peaks URL that has expired (they last 15 minutes) is renewed from the site once. */
  async #readSilences(id: string, url: string): Promise<readonly SilentSpan[]> {
    const read = this.#options.silences!;
    try {
      return await read(id, url);
    } catch (first) {
      const session = this.#state.session;
      const updates = session ? await this.#options.renew(session).catch(() => []) : [];
      const fresh = updates.find((u) => u.id === id)?.peaksUrl;
      if (!fresh || fresh === url) throw first;
      return read(id, fresh);
    }
  }

  /**
   * Skip silence, in the background so it works on every page and with none open: playing into a
   * silence over 2 s goes to just before its end; one about to start is met by a timer, since
   * reports come about once a second. The position stays the recording's own.
   */
  async #skipSilence(): Promise<void> {
    if (this.#silenceTimer !== null) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = null;
    const state = this.#state;
    const recording = currentRecording(state);
    if (!state.skipSilence || state.paused || !recording?.peaksUrl || !this.#options.silences) return;
    const spans = this.#silences.get(recording.id);
    if (spans === undefined) {
      this.#silences.set(recording.id, "reading");
      this.#readSilences(recording.id, recording.peaksUrl).then(
        (read) => this.#silences.set(recording.id, read),
        (error: unknown) => {
          // Not asked again every second: this recording plays on without skipping.
          this.#silences.set(recording.id, []);
          console.warn("call recordings: skip silence has no peaks:", error instanceof Error ? error.message : error);
        },
      );
      return;
    }
    if (spans === "reading") return;
    const now = this.#now();
    const position = currentPosition(state, now);
    const target = silenceSkipTarget(spans, position);
    if (target !== null) {
      await this.#commit(seek(state, target, now));
      return;
    }
    const next = spans.find((s) => s.start > position);
    if (next && next.start - position < SILENCE_LOOKAHEAD_S && state.rate > 0) {
      const cue = state.cue;
      this.#silenceTimer = setTimeout(
        () => {
          this.#silenceTimer = null;
          void this.#serial(async () => {
            if (this.#state.cue === cue) await this.#skipSilence();
          });
        },
        ((next.start - position) / state.rate) * 1000 + 50,
      );
    }
  }

  async #restore(): Promise<void> {
    let saved: PlaybackState | null = null;
    try {
      const checked = check(playbackStateShape, await this.#options.store.load(), "stored playback");
      if (checked.ok) saved = checked.value;
      else if (checked.problem !== "stored playback: expected an object, got undefined") console.warn("call recordings: stored playback state ignored:", checked.problem);
    } catch (error) {
      console.warn("call recordings: could not read the playback state", error);
    }
    if (!saved) return;
    this.#state = saved;
    if (await this.#options.audio.isRunning().catch(() => false)) return;
    if (!saved.paused && (await this.#options.restarted?.().catch(() => false))) {
      // Only the background stopped, and the audio context went meanwhile (Chrome closes an
      // offscreen document that has not been audible for 30 s, and nothing watched it): playing
      // goes on in a new one, from where it was heard last.
      await this.#commit(audioResumed(saved, this.#now())).catch((error: unknown) => console.warn("call recordings: could not resume the playback", error));
      return;
    }
    // The audio did not survive (the browser or the extension restarted): paused where it was heard last.
    const lost = audioLost(saved, this.#now());
    if (lost !== saved) {
      this.#state = lost;
      await this.#options.store.save(lost).catch(() => undefined);
    }
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      await this.#ready;
      return work();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commit(next: PlaybackState): Promise<void> {
    if (next === this.#state) return;
    this.#state = next;
    await this.#options.store.save(next);
    await this.#sync();
  }

  /** Hands the audio context the target, when it changed in a way the audio hears. */
  async #sync(): Promise<void> {
    const target = audioTarget(this.#state, this.#now());
    const sent = this.#sent;
    if (
      sent &&
      sent.cue === target.cue &&
      sent.playing === target.playing &&
      sent.volume === target.volume &&
      sent.muted === target.muted &&
      sent.rate === target.rate
    ) {
      return;
    }
    this.#sent = target;
    try {
      await this.#options.audio.apply(target);
    } catch (error) {
      this.#sent = null;
      console.warn("call recordings: the audio context did not take the target", error);
    }
    this.#watch();
  }

  /** (Re)arms the watchdog while the audio should be playing; disarms it otherwise. */
  #watch(): void {
    if (this.#watchdog !== null) clearTimeout(this.#watchdog);
    this.#watchdog = null;
    if (!audioTarget(this.#state, this.#now()).playing) return;
    this.#watchdog = setTimeout(() => {
      this.#watchdog = null;
      void this.#serial(async () => {
        if (!audioTarget(this.#state, this.#now()).playing || (await this.#options.audio.isRunning())) return this.#watch();
        // The audio context was closed under us: carry on in a new one from where playback had got to.
        const state = this.#state;
        this.#sent = null;
        await this.#commit(recovering(state, currentPosition(state, this.#now()), this.#now()));
      });
    }, this.#options.watchdogMs ?? WATCHDOG_MS);
  }

  async #recover(error: NonNullable<AudioReport["error"]>, position: number): Promise<void> {
    const now = this.#now();
    const plan = recoveryFor(error.kind, this.#attempts, this.#options.recovery ?? DEFAULT_RECOVERY);
    this.#attempts = attempted(this.#attempts, plan);
    if (plan.action === "retry") {
      await this.#commit(recovering(this.#state, position, now));
      const cue = this.#state.cue;
      setTimeout(() => {
        void this.#serial(async () => {
          if (this.#state.cue === cue) await this.#commit(reload(this.#state, this.#now()));
        });
      }, plan.delayMs);
      return;
    }
    if (plan.action === "refresh" && this.#state.session) {
      await this.#commit(recovering(this.#state, position, now));
      const cue = this.#state.cue;
      try {
        const updates = await this.#options.renew(this.#state.session!);
        if (this.#state.cue !== cue) return;
        const current = this.#state.session?.recordings[this.#state.index]?.id;
        if (!updates.some((u) => u.id === current)) throw new AccessRemovedError(`recording ${current} is no longer in the call for the signed-in user`);
        await this.#commit(reload(replaceUrls(this.#state, updates), this.#now()));
      } catch (renewal) {
        if (this.#state.cue !== cue) return;
        const kind = isAccessRemoved(renewal) ? "forbidden" : error.kind;
        await this.#commit(failed(this.#state, { kind, message: `${error.message}; renewing the link failed: ${String(renewal)}` }, position, this.#now()));
      }
      return;
    }
    await this.#commit(failed(this.#state, { kind: error.kind, message: error.message }, position, now));
  }
}
