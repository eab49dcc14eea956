/**
 * Playback that carries on across full page loads without the extension, as a Lit reactive
 * controller on a `<recording-player>`: it writes down what plays (src/player/session-resume.ts)
 * and, on the next page, plays on from the same point in the empty docked player (or offers
 * "Resume at 12:34" where autoplay is blocked), renewing signed URLs there when it can.
 */
import { html, type ReactiveController, type TemplateResult } from "lit";
import { apiCallSource, CallLoadError, loadCall } from "../../src/calls/api-client.js";
import { formatClock } from "../../src/player/format-time.js";
import { AccessRemovedError, takenOver } from "../../src/player/playback-engine.js";
import { sameRecordingIds, type PlayerRecording } from "../../src/player/player-state.js";
import { defaultSessionStore, resumePlan, type PlayingSession, type ResumePlan, type SessionStore } from "../../src/player/session-resume.js";
import type { RecordingPlayer } from "./recording-player.js";
import { answerRefresh } from "./player-events.js";

/** How often a playing player writes down where it is, in ms. */
const SAVE_EVERY_MS = 1000;

/** The call a player's recordings belong to, for renewing their URLs on another page. */
export interface ResumeContext {
  callId: string | null;
  /** The API's absolute base URL, or null when the host feeds calls from its own source. */
  apiBase: string | null;
}

const controllers = new WeakMap<RecordingPlayer, ResumeController>();


/**
 * The player attaches it in its constructor (`new ResumeController(this)`) and renders
 * `renderOffer()` in its status area; `<call-session-recordings>` also attaches it with
 * `ResumeController.for(player)` to the player it plays in, which is harmless when the player
 * already has it. A player driven by a background engine (the extension) is left alone: the
 * extension keeps playback across pages itself.
 */
export class ResumeController implements ReactiveController {
  /** The store new controllers use (IndexedDB); tests swap in a memory store. */
  static defaultStore: (user: string | null) => SessionStore = defaultSessionStore;

  /** The player's controller, attaching one if it has none. */
  static for(player: RecordingPlayer): ResumeController {
    return controllers.get(player) ?? new ResumeController(player);
  }

  /** The player's controller, if it has one. */
  static attachedTo(player: RecordingPlayer): ResumeController | null {
    return controllers.get(player) ?? null;
  }

  /** Whether a docked player appearing now would resume something. */
  static async hasSomethingToResume(user: string | null = null, store: SessionStore = ResumeController.defaultStore(user)): Promise<boolean> {
    try {
      return resumePlan(await store.load(), Date.now()) !== null;
    } catch {
      // An unreadable store has nothing to resume.
      return false;
    }
  }

  readonly #host: RecordingPlayer;
  /** Where the session is written and read: the signed-in user's own, unless given. */
  store: SessionStore;
  readonly #storeGiven: boolean;
  /** Settles once this player has looked for something to resume (null: nothing resumed). */
  readonly restored: Promise<ResumePlan>;
  #settleRestored!: (plan: ResumePlan) => void;
  #restoreStarted = false;
  #context: (ResumeContext & { recordings: readonly PlayerRecording[] }) | null = null;
  /** This player is the one playing (it played last and nobody took over). */
  #owner = false;
  #lastSave = 0;
  #offer: { index: number; position: number; words?: string } | null = null;
  /** The page is being left (pagehide): its players going away is not the user closing them. */
  #leaving = false;

  constructor(host: RecordingPlayer, store?: SessionStore) {
    this.#host = host;
    this.#storeGiven = store !== undefined;
    // The player's user is not known yet while the player is being constructed: see hostConnected.
    this.store = store ?? ResumeController.defaultStore(null);
    this.restored = new Promise((resolve) => (this.#settleRestored = resolve));
    controllers.set(host, this);
    host.addController(this);
  }

  /** The recording and point the player will resume at once allowed to play, while autoplay is blocked. */
  get offer(): { index: number; position: number } | null {
    return this.#offer && this.#host.paused && this.#host.status !== "error" ? this.#offer : null;
  }

  /** The player's user changed: what plays is written down (and looked for) in their store. */
  useUser(user: string | null): void {
    if (!this.#storeGiven) this.store = ResumeController.defaultStore(user);
  }

  /** Says which call `recordings` are of, so another page can renew their URLs. */
  setContext(recordings: readonly PlayerRecording[], context: ResumeContext): void {
    this.#context = { ...context, recordings: [...recordings] };
  }

  hostConnected(): void {
    for (const type of ["crec-play", "crec-pause", "crec-timeupdate", "crec-recordingchange", "crec-ended"]) this.#host.addEventListener(type, this.#onPlayerEvent);
    // After any page listener: a `<call-session-recordings>` of the call answers first.
    addEventListener("crec-refresh-url", this.#onRefresh);
    addEventListener("pagehide", this.#onPageHide);
    addEventListener("pageshow", this.#onPageShow);
    document.addEventListener("visibilitychange", this.#onVisibilityChange);
    if (!this.#restoreStarted) {
      this.#restoreStarted = true;
      this.useUser(this.#host.user);
      this.#restore().then(this.#settleRestored, (error: unknown) => {
        console.warn("call recordings: could not resume playback", error);
        this.#settleRestored(null);
      });
    }
  }

  hostDisconnected(): void {
    for (const type of ["crec-play", "crec-pause", "crec-timeupdate", "crec-recordingchange", "crec-ended"]) this.#host.removeEventListener(type, this.#onPlayerEvent);
    removeEventListener("crec-refresh-url", this.#onRefresh);
    removeEventListener("pagehide", this.#onPageHide);
    removeEventListener("pageshow", this.#onPageShow);
    document.removeEventListener("visibilitychange", this.#onVisibilityChange);
    // The page took its player away (the page itself is not going): nothing plays any more.
    if (this.#owner && !this.#leaving) void this.store.clear().catch(() => undefined);
    this.#owner = false;
  }

  /**
   * About to play recording `index` from `position` by itself (a link to a moment): should the
   * browser block it, the player offers "Play from 1:30" instead, until something plays.
   */
  offerIfBlocked(index: number, position: number): void {
    this.#offer = { index, position, words: "Play from" };
  }

  /** Plays on from the offered point (the offer's button does this). */
  resumeNow(): void {
    const offer = this.#offer;
    if (!offer) return;
    this.#offer = null;
    this.#host.playRecording(offer.index, offer.position);
  }

  /** "Resume at 12:34", for the player's status area while autoplay is blocked; null otherwise. */
  renderOffer(): TemplateResult | null {
    const offer = this.offer;
    if (!offer) return null;
    return html`<button part="resume-button" class="link-button" @click=${() => this.resumeNow()}>${this.#offer?.words ?? "Resume at"} ${formatClock(offer.position)}</button>`;
  }

  // ---- saving ------------------------------------------------------------------------------

  #onPlayerEvent = (event: Event): void => {
    switch (event.type) {
      case "crec-play":
        this.#owner = true;
        this.#offer = null;
        this.#save();
        break;
      case "crec-pause":
        if ((event as HTMLElementEventMap["crec-pause"]).detail.reason === "other-player") this.#owner = false;
        else this.#save();
        break;
      case "crec-timeupdate":
        if (Date.now() - this.#lastSave >= SAVE_EVERY_MS) this.#save();
        break;
      case "crec-recordingchange":
        this.#save();
        break;
      case "crec-ended":
        if (this.#owner) void this.store.clear().catch(() => undefined);
        this.#owner = false;
        break;
    }
  };

  /** Leaving the page: write down exactly where playback stands, playing or not. */
  #onPageHide = (): void => {
    this.#save();
    // What the dying page reports after this (a pause as its audio stops) is not the user's doing.
    this.#leaving = true;
  };

  /** Back from the back/forward cache: the page is in use again. */
  #onPageShow = (): void => {
    this.#leaving = false;
  };

  #onVisibilityChange = (): void => {
    if (document.visibilityState === "hidden") this.#save();
  };

  #save(): void {
    const host = this.#host;
    if (!this.#owner || this.#leaving || takenOver(host.engine).session) return;
    const recordings = host.recordings;
    const index = host.currentIndex;
    if (recordings.length === 0 || index < 0) return;
    this.#lastSave = Date.now();
    const context = this.#contextFor(recordings);
    void this.store
      .save({
        callId: context?.callId ?? null,
        apiBase: context?.apiBase ?? null,
        callTitle: host.callTitle,
        ...(host.callUrl ? { callUrl: host.callUrl } : {}),
        recordings,
        index,
        position: host.currentTime,
        // Blocked autoplay keeps the wish to play for the next page.
        playing: !host.paused || this.#offer !== null,
        savedAt: this.#lastSave,
      })
      .catch(() => undefined);
  }

  #contextFor(recordings: readonly PlayerRecording[]): ResumeContext | null {
    return this.#context && sameRecordingIds(this.#context.recordings, recordings) ? this.#context : null;
  }

  // ---- restoring ---------------------------------------------------------------------------

  async #restore(): Promise<ResumePlan> {
    const host = this.#host;
    if (!host.docked || host.recordings.length > 0 || host.dataset.crecExtension !== undefined) return null;
    const session = await this.store.load();
    const plan = resumePlan(session, Date.now());
    if (!session || !plan) {
      if (session) await this.store.clear();
      return null;
    }
    // The page may have given the player something meanwhile, or the extension its engine.
    if (!host.isConnected || host.recordings.length > 0 || takenOver(host.engine).session) return null;
    const recordings = await this.#stillPlayable(session);
    if (!recordings) return null;
    if (!host.isConnected || host.recordings.length > 0 || takenOver(host.engine).session) return null;
    host.callTitle = session.callTitle;
    if (session.callUrl && !host.callUrl) host.callUrl = session.callUrl;
    host.recordings = recordings;
    if (session.callId) this.setContext(session.recordings, { callId: session.callId, apiBase: session.apiBase });
    this.#owner = true;
    if (plan.action === "play") {
      this.#offer = { index: plan.index, position: plan.position };
      host.playRecording(plan.index, plan.position);
    }
    // "restore": the player cues the recording where it was left (its own saved positions).
    host.requestUpdate();
    return plan;
  }

  /**
   * Asks the reporting server again, as whoever is signed in now, for the call that was playing:
   * the recordings come back with fresh links, and a call this person may not play (someone else
   * signed in, or nobody) is forgotten rather than offered. Saved links are never played as they
   * are where the call can be asked for. Null when there is nothing to offer.
   */
  async #stillPlayable(session: PlayingSession): Promise<PlayerRecording[] | null> {
    const { callId, apiBase } = session;
    if (!callId || !apiBase) return session.recordings;
    let call;
    try {
      call = await loadCall(apiCallSource(apiBase), callId, AbortSignal.timeout(15_000));
    } catch (error) {
      // Refused (signed out, another user) is final; a failed connection leaves it for later.
      const refused = error instanceof CallLoadError && (error.kind === "unauthorized" || (error.kind === "status" && (error.status ?? 500) < 500));
      if (refused) await this.store.clear().catch(() => undefined);
      return null;
    }
    const fresh = new Map(call?.recordings.map((r) => [r.id, r]) ?? []);
    if (!session.recordings.every((r) => fresh.has(r.id))) {
      await this.store.clear().catch(() => undefined);
      return null;
    }
    return session.recordings.map((r) => {
      const now = fresh.get(r.id)!;
      return { ...r, src: now.audioUrl, downloadUrl: now.downloadUrl ?? now.audioUrl };
    });
  }

  // ---- renewing URLs -------------------------------------------------------------------------

  #onRefresh = (event: Event): void => {
    if (event.composedPath()[0] !== this.#host) return;
    const detail = (event as HTMLElementEventMap["crec-refresh-url"]).detail;
    const context = this.#contextFor(this.#host.recordings);
    if (!context?.callId || !context.apiBase) return;
    const { callId, apiBase } = context;
    // The page may have answered already (a `<call-session-recordings>` of this call).
    answerRefresh(detail, async () => {
      const call = await loadCall(apiCallSource(apiBase), callId, new AbortController().signal);
      const recording = call?.recordings.find((r) => r.id === detail.recording.id);
      if (!recording) throw new AccessRemovedError(`recording ${detail.recording.id} is no longer in this call for the signed-in user`);
      return { src: recording.audioUrl, downloadUrl: recording.downloadUrl ?? recording.audioUrl };
    });
  }
}
