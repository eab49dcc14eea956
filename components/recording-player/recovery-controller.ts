/**
 * The player's recovery, as a Lit reactive controller: retries a failed recording, renews an
 * expired signed URL through the host's `crec-refresh-url` answer, and tries again when the
 * network comes back. The policy is src/player/recovery.ts, the one the background uses too.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { isAccessRemoved, type EngineError } from "../../src/player/playback-engine.js";
import { attempted, DEFAULT_RECOVERY, freshAttempts, progressed, recoveryFor, type Recovery, type RecoveryAttempts, type RecoveryPolicy } from "../../src/player/recovery.js";
import type { PlayerError, PlayerRecording, RecordingUpdate } from "../../src/player/player-state.js";
import { withTimeout } from "../shared/with-timeout.js";
import { emit } from "./player-events.js";

/** How long a page may take to answer `crec-refresh-url`, in ms. */
const REFRESH_TIMEOUT_MS = 20_000;

/** What recovery needs of the player it serves (PlaybackController). */
export interface Recoverable {
  readonly index: number;
  readonly current: PlayerRecording | undefined;
  readonly error: PlayerError | null;
  readonly wantsToPlay: boolean;
  /** The URL the engine was given for the current recording. */
  readonly loadedSrc: string | null;
  /** The engine recovers by itself (the extension's background): only what it gave up on arrives. */
  readonly engineRecovers: boolean;
  /** Loads recording `index` again at `at` seconds; `keepAttempts` counts on from the attempts made. */
  reload(index: number, at: number, play: boolean, keepAttempts: boolean): void;
  /** Tells the listener of a failure recovery gave up on. */
  fail(error: EngineError, position: number): void;
  /** A renewed URL for recording `index` (whose id is `id`). */
  renewed(index: number, id: string, update: RecordingUpdate): void;
  changed(): void;
}

export class RecoveryController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #player: Recoverable;
  /** How hard to try before telling the user. */
  policy: RecoveryPolicy = DEFAULT_RECOVERY;
  /** What recovery is doing now, shown as the player's status. */
  state: "retrying" | "refreshing" | null = null;
  /** Which automatic retry is running (1-based), while retrying. */
  retryAttempt = 0;
  #attempts: RecoveryAttempts = freshAttempts();
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Drops the answer of a renewal asked before the last cancel. */
  #refreshId = 0;
  /** Whether playback was wanted when the player gave up, to resume it when the network returns. */
  #playOnRecovery = false;

  constructor(host: ReactiveControllerHost & HTMLElement, player: Recoverable) {
    this.#host = host;
    this.#player = player;
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener("online", this.#onOnline);
  }

  hostDisconnected(): void {
    removeEventListener("online", this.#onOnline);
  }

  /** A (re)load starts at `at` seconds: a new one starts counting attempts afresh. */
  loading(at: number, keepAttempts: boolean): void {
    this.#clearRetry();
    this.state = null;
    this.#attempts = keepAttempts ? { ...this.#attempts, from: at } : freshAttempts(at);
  }

  /** Playback went on to `position`: enough of it forgives the failures before. */
  progressed(position: number): void {
    this.#attempts = progressed(this.#attempts, position);
  }

  /** Stops whatever recovery is under way (another sequence, an adopted engine, the element gone). */
  cancel(): void {
    this.#clearRetry();
    this.#refreshId++;
    this.state = null;
  }

  /** The current recording failed at `position`: retry, renew its URL, or give up. */
  failed(error: EngineError, position: number): void {
    const recovery: Recovery = this.#player.engineRecovers ? { action: "give-up" } : recoveryFor(error.kind, this.#attempts, this.policy);
    this.#attempts = attempted(this.#attempts, recovery);
    if (recovery.action === "retry") {
      this.state = "retrying";
      this.retryAttempt = recovery.attempt;
      this.#clearRetry();
      const index = this.#player.index;
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = null;
        if (this.#player.index === index && this.state === "retrying") this.#player.reload(index, position, this.#player.wantsToPlay, true);
      }, recovery.delayMs);
      this.#player.changed();
    } else if (recovery.action === "refresh") {
      void this.#refresh(position, error);
    } else {
      this.#giveUp(error, position);
    }
  }

  #giveUp(error: EngineError, position: number): void {
    this.#playOnRecovery = this.#player.wantsToPlay;
    this.#clearRetry();
    this.state = null;
    this.#player.fail(error, position);
  }

  /** Asks the page for a fresh signed URL, then resumes where playback stood. */
  async #refresh(position: number, error: EngineError): Promise<void> {
    const player = this.#player;
    const index = player.index;
    const recording = player.current;
    if (!recording) return;
    // The page may already have handed over new URLs through `recordings`.
    if (recording.src !== player.loadedSrc) {
      player.reload(index, position, player.wantsToPlay, true);
      return;
    }
    const token = ++this.#refreshId;
    this.state = "refreshing";
    player.changed();
    let answer: Promise<RecordingUpdate> | null = null;
    emit(this.#host, "crec-refresh-url", {
      recording,
      index,
      respondWith(update) {
        if (answer) throw new DOMException("crec-refresh-url was already answered", "InvalidStateError");
        answer = Promise.resolve(update);
      },
    });
    if (!answer) {
      this.#giveUp({ ...error, message: `${error.message}; no page answered crec-refresh-url` }, position);
      return;
    }
    try {
      const update = await withTimeout(answer as Promise<RecordingUpdate>, REFRESH_TIMEOUT_MS);
      if (!update || typeof update.src !== "string" || update.src === "") throw new Error("the answer has no src");
      player.renewed(index, recording.id, update);
      if (token !== this.#refreshId || player.index !== index || this.state !== "refreshing") return;
      player.reload(index, position, player.wantsToPlay, true);
    } catch (failure) {
      if (token !== this.#refreshId || this.state !== "refreshing") return;
      const kind = isAccessRemoved(failure) ? "forbidden" : error.kind;
      this.#giveUp({ ...error, kind, message: `renewing the URL failed: ${String(failure)}` }, position);
    }
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  /** Back online after a network failure the player gave up on: try again by itself. */
  #onOnline = (): void => {
    const { error, current, index } = this.#player;
    if (error?.kind === "network" && current) this.#player.reload(index, error.position, this.#playOnRecovery, false);
  };
}
