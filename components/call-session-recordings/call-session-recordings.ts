import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { initialState, Task } from "@lit/task";
import { apiCallSource, CallLoadError, isAbort, loadCall, resolveApiBase, type CallSource } from "../../src/calls/api-client.js";
import { callTitle, playerRecordingsOf, recordingName, segmentOf, whoWasOn } from "../../src/calls/call-labels.js";
import type { CallDetails } from "../../src/calls/call-payload.js";
import { resolveMoment, withoutMoment } from "../../src/calls/call-moment.js";
import { layoutCall, type CallTimelineLayout, type TimelineBar } from "../../src/calls/call-timeline.js";
import { formatClock, speakDuration } from "../../src/player/format-time.js";
import { AccessRemovedError } from "../../src/player/playback-engine.js";
import type { PlayerRecording, RecordingUpdate } from "../../src/player/player-state.js";
import { callSessionStyles } from "./call-session-recordings.styles.js";
import type { BarWaveform, BarWaveforms } from "./bar-waveforms.js";
import { renderTimeline } from "./call-timeline-view.js";
import { PlayerLinkController } from "./player-link.js";
import { playIcon } from "../recording-player/player-icons.js";
import "../recording-player/recording-player.js";
import type { RecordingPlayer } from "../recording-player/recording-player.js";
import { renderRecordingList, type ListRow } from "./recordings-list-view.js";
import { ResumeController } from "../recording-player/resume-controller.js";
import { emit } from "../shared/events.js";

export type { CallSource, CallLoadErrorKind } from "../../src/calls/api-client.js";
export { CallLoadError } from "../../src/calls/api-client.js";
export type { CallPayload, CallDetails, CallRecording, CallSegment, Party } from "../../src/calls/call-payload.js";
export type { SessionEventDetails } from "./session-events.js";

/** The clock the Start column shows times on (`time-format`). */
export type TimeFormat = "24h" | "12h";

/** What the section is doing; reflected as the `status` attribute. */
export type SessionStatus = "idle" | "loading" | "ready" | "empty" | "error";

/** How long loading lasts before the section says so, in ms (no flash for a quick answer). */
const LOADING_DELAY_MS = 300;
/** Download links are signed for 5 minutes: older ones are renewed before use, in ms. */
const DOWNLOAD_FRESH_MS = 4 * 60_000;

let nextId = 0;

/**
 * The recordings section of a call's Call Session view: the call's timeline with a bar for each
 * recording the signed-in user may play (one per recorded segment; a conference's one recording
 * spans its participants' lanes), and the same recordings as a list for keyboard and screen
 * readers. Clicking a point of a bar plays that recording from that point in the page's
 * `<recording-player>` (the one the `player` attribute names, else the page's docked player,
 * else a docked one it creates); the recording playing and the position in it follow the
 * player. Renders nothing when there is nothing the user may play.
 *
 * Loads `GET {api-base}/calls/{call-id}` with the page's session, or asks `source` (a
 * `CallSource`) when the host's API differs. Every answer is checked; names and numbers are
 * shown as text.
 *
 * @summary A call's recordings on its timeline: click any point to play it in the docked player.
 *
 * @slot heading - The section's heading (default "Recordings").
 *
 * @csspart section - Everything, once loaded.
 * @csspart header - The heading, summary and Play all.
 * @csspart heading - The heading.
 * @csspart summary - "2 recordings · 3:30 in all".
 * @csspart play-all-button - Plays every recording in order.
 * @csspart timeline - The timeline (lanes, bars, axis).
 * @csspart lane-label - A party's name, device and group, left of its lane.
 * @csspart plot - The lanes.
 * @csspart recording-bar - A recording; a click plays it from that point.
 * @csspart recording-bar-current - The recording the player has.
 * @csspart played - The played part of the current recording's bar.
 * @csspart playhead - The position of the player on the timeline.
 * @csspart segment - A segment that has no bar of its own (not recorded, or in a conference).
 * @csspart transfer - A transfer from one party to another.
 * @csspart axis - Elapsed time since the call started.
 * @csspart tick - One time on the axis.
 * @csspart hover-time - Where a click would start, under the pointer.
 * @csspart list - The table of recordings.
 * @csspart list-row - One recording's row.
 * @csspart list-row-current - The row of the recording the player has.
 * @csspart now-playing - "Playing 0:45" in the current row.
 * @csspart play-button - Plays (or pauses) a row's recording; absent for one nothing here can play.
 * @csspart not-playable - "Can't play in the browser", in the row of a recording whose type nothing here plays.
 * @csspart download-link - Downloads a row's recording.
 * @csspart status - Loading and error messages.
 * @csspart retry-button - Loads the call again after an error.
 *
 * @cssprop --crec-foreground - Text.
 * @cssprop --crec-foreground-muted - Secondary text and the axis.
 * @cssprop --crec-background - Section background (default transparent).
 * @cssprop --crec-accent - Buttons and the current row's position.
 * @cssprop --crec-recording - Recording bars.
 * @cssprop --crec-recording-current - The current recording's bar.
 * @cssprop --crec-played - The played part of the current bar.
 * @cssprop --crec-conference-recording - Fill of a conference recording spanning its lanes.
 * @cssprop --crec-segment - A participant's time in a conference.
 * @cssprop --crec-unrecorded - Hatching of segments that were not recorded.
 * @cssprop --crec-transfer - Transfer arrows.
 * @cssprop --crec-playhead - The playhead.
 * @cssprop --crec-grid - Lane separators and time gridlines.
 * @cssprop --crec-lane-background - Lane background.
 * @cssprop --crec-current-row - Background of the current row.
 * @cssprop --crec-lane-height - Height of a lane (default 40px).
 * @cssprop --crec-label-width - Width of the lane labels (default 13rem).
 * @cssprop --crec-error - Error messages.
 * @cssprop --crec-hover - Button hover background.
 * @cssprop --crec-border - Borders.
 * @cssprop --crec-focus-ring - Keyboard focus outline.
 * @cssprop --crec-font-family - Font.
 * @cssprop --crec-font-size - Base font size.
 *
 * @event crec-loaded - The call loaded with recordings to play: {callId, recordings}.
 * @event crec-empty - Nothing the user may play (the section renders nothing): {callId, reason: "no-recordings" | "not-found"}.
 * @event crec-load-error - Loading failed; the section offers a retry: {callId, kind, message, status?}.
 */
export class CallSessionRecordings extends LitElement {
  static override styles = callSessionStyles;

  /** Each recording's waveform on its bar: loaded (a dynamic import) once a recording has peaks. */
  #barWaveforms: Promise<BarWaveforms | null> | null = null;

  readonly #link = new PlayerLinkController(this, {
    playerId: () => this.player,
    owns: (id) => this._call?.recordings.some((r) => r.id === id) ?? false,
    renew: (id) => this.#renew(id),
  });

  @state() private _call: CallDetails | null = null;
  @state() private _status: SessionStatus = "idle";
  @state() private _error: CallLoadError | null = null;
  @state() private _loadingShown = false;
  @state() private _hover: { recordingIndex: number; fraction: number } | null = null;

  #loadingTimer: ReturnType<typeof setTimeout> | null = null;
  #loadedAt = 0;
  #layout: { call: CallDetails; layout: CallTimelineLayout } | null = null;
  #resumeChecked = false;
  /** `recording` or `at` was set and has not been played yet. */
  #momentPending = false;
  #apiSource: { base: string; source: CallSource } | null = null;
  readonly #headingId = `crec-heading-${++nextId}`;
  #startFormatter: { key: string; format: Intl.DateTimeFormat; zone: string } | null = null;

  /**
   * Loads the call whenever its id or its source changes. A newer load aborts the one before,
   * whose answer, should it still come, is dropped.
   */
  readonly #load = new Task(this, {
    args: () => [(this.callId ?? "").trim(), this.#source()] as const,
    task: ([callId, source], { signal }) => {
      this.#loadStarted(callId);
      return callId ? loadCall(source, callId, signal) : initialState;
    },
    onComplete: (call) => this.#loaded(call),
    onError: (error) => this.#loadFailed(error),
  });

  /** The call whose recordings to show. */
  @property({ attribute: "call-id", reflect: true }) callId = "";

  /** Who is signed in, as the page knows it: handed to the player, which keeps what it remembers per user. */
  @property() user: string | null = null;

  /** Where the reporting server's JSON API is (`GET {api-base}/calls/{id}`). */
  @property({ attribute: "api-base" }) apiBase = "/api";

  /** A host's own source of calls, used instead of `api-base` (see `CallSource`). */
  @property({ attribute: false }) source: CallSource | null = null;

  /** The id of the `<recording-player>` to play in; default: the page's docked player, created when missing. */
  @property() player: string | null = null;

  /**
   * The time zone of the Start column (an IANA name such as "Europe/London"), named in its
   * heading ("Start (UTC)"): the site's own, so the list agrees with the times the page shows.
   * Default the browser's.
   */
  @property({ attribute: "time-zone" }) timeZone: string | null = null;

  /** The clock of the Start column: "24h" (16:30:05) or "12h" (4:30:05 PM); default the browser locale's. */
  @property({ attribute: "time-format" }) timeFormat: TimeFormat | null = null;

  /**
   * The call's own page (its Call Session view), which the player links to while it plays this
   * call's recordings. Default: this page, without a moment in it (`t`, `recording`, `#…`).
   */
  @property({ attribute: "call-url" }) callUrl: string | null = null;

  /**
   * The colour scheme: "light" or "dark", as the host page is; unset, the browser's
   * (`prefers-color-scheme`). A page that is always light keeps the element light, and the player it docks.
   */
  @property({ attribute: "color-scheme", reflect: true }) colorScheme: "light" | "dark" | null = null;

  /**
   * A moment to start at (a link to a moment): the id of one of the call's recordings, played
   * from `at` once the call has loaded. An id that is not one of the call's recordings the user
   * may play is ignored, with a console warning.
   */
  @property() recording: string | null = null;

  /**
   * Seconds to start at once the call has loaded: into `recording` when it is set, else on the
   * call's recordings laid end to end (as the player's time counts). Where the browser blocks
   * playing by itself, the player offers "Play from 1:30" instead. A time that is negative, not a
   * number, or past the end starts from the beginning, with a console warning.
   */
  @property({ type: Number }) at: number | null = null;

  /** The level of the section's heading (1–6). */
  @property({ attribute: "heading-level", type: Number }) headingLevel = 3;

  /** What the section is doing: idle (no call-id), loading, ready, empty, error. Reflected as `status`. */
  get status(): SessionStatus {
    return this._status;
  }

  /** The loaded call, as checked (null until loaded). */
  get call(): CallDetails | null {
    return this._call;
  }

  /** The recordings as the section hands them to the player. */
  get recordings(): PlayerRecording[] {
    return this._call ? playerRecordingsOf(this._call) : [];
  }

  /** The player the section plays in, if there is one yet. */
  get playerElement(): RecordingPlayer | null {
    return this.#link.player ?? this.#link.find();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#resumeChecked) {
      this.#resumeChecked = true;
      void this.#resumeOnThisPage();
    }
  }

  protected override updated(): void {
    // After the update that started or settled a load: `status="loading"` is there with the first frame that shows it.
    if (this.getAttribute("status") !== this._status) this.setAttribute("status", this._status);
    const waves = this._status === "ready" ? this.#waves() : [];
    if (waves.some((w) => w !== null)) {
      this.#barWaveforms ??= import("./bar-waveforms.js").then(
        (m) => new m.BarWaveforms(),
        (error: unknown) => (console.warn("call recordings: the waveforms' code did not load:", error), null),
      );
      void this.#barWaveforms.then((bars) => {
        if (bars && this.renderRoot instanceof ShadowRoot) bars.update(this.renderRoot, this.#waves());
      });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this.#barWaveforms?.then((bars) => bars?.disconnect());
  }

  /** Each recording's waveform, by recording index: those with peaks. */
  #waves(): (BarWaveform | null)[] {
    return (this._call?.recordings ?? []).map((r) =>
      r.peaksUrl
        ? { recordingId: r.id, peaksUrl: r.peaksUrl, parties: r.channels?.length === 2 ? ([r.channels[0]!.label, r.channels[1]!.label] as const) : null }
        : null,
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("recording") || changed.has("at")) && (this.recording !== null || this.at !== null)) {
      this.#momentPending = true;
      // Set while the call is shown: played now; otherwise once it loads.
      if (this._status === "ready") queueMicrotask(() => this.#playMoment());
    }
    // The page's player learns who listens as soon as this does, so that where each recording
    // was left is read from that person's store before anything is played.
    if (changed.has("user") && this.user) {
      const player = this.#link.find();
      if (player && player.user !== this.user) player.user = this.user;
    }
  }

  // ---- public methods ------------------------------------------------------------------

  /** Loads the call again (the retry button does this). Resolves when the load settles. */
  reload(): Promise<void> {
    return this.#load.run();
  }

  /** Plays every recording in order, from the first. */
  playAll(): void {
    this.playRecording(0, 0);
  }

  /** Plays recording `index` (in `recordings`) from `atSeconds`, or from where it was left. */
  playRecording(index: number, atSeconds?: number): void {
    const call = this._call;
    if (!call || !call.recordings[index]) return;
    const player = this.#ensurePlayer();
    const resume = ResumeController.for(player);
    resume.setContext(this.recordings, { callId: call.id, apiBase: this.source ? null : resolveApiBase(this.apiBase) });
    player.callUrl = this.callUrl || withoutMoment(location.href);
    this.#link.play(player, this.recordings, callTitle(call), index, atSeconds);
  }

  /** Plays the moment `recording` and `at` name, once (see them); where autoplay is blocked, the player offers it. */
  #playMoment(): void {
    const call = this._call;
    if (!call || !this.#momentPending) return;
    this.#momentPending = false;
    const recordingId = this.recording?.trim() || null;
    if (recordingId === null && this.at === null) return;
    const moment = resolveMoment(call.recordings, recordingId, this.at);
    if ("problem" in moment) {
      console.warn(`call recordings: the link to a moment of call ${call.id} is ignored: ${moment.problem}`);
      return;
    }
    for (const warning of moment.warnings) console.warn(`call recordings: the link to a moment of call ${call.id}: ${warning}`);
    const player = this.#ensurePlayer();
    // Before it plays: should the browser refuse to play without a click, the player offers it.
    ResumeController.for(player).offerIfBlocked(moment.index, moment.at);
    this.playRecording(moment.index, moment.at);
  }

  // ---- rendering -----------------------------------------------------------------------------

  protected override render(): TemplateResult | typeof nothing {
    switch (this._status) {
      case "idle":
      case "empty":
        return nothing;
      case "loading":
        return html`<div part="status" class="status ${this._loadingShown ? "" : "pending"}" role="status">
          ${this._loadingShown ? html`<span>Loading recordings…</span>` : nothing}
        </div>
        ${this._loadingShown ? html`<div class="skeleton" aria-hidden="true"></div>` : nothing}`;
      case "error":
        return html`<section part="section" class="section" aria-labelledby=${this.#headingId}>
          ${this.#renderHeading()}
          <div part="status" class="status problem" role="alert">
            <span>${this._error?.userMessage ?? "This call's recordings could not be loaded."}</span>
            <button part="retry-button" class="button" @click=${() => void this.reload()}>Retry</button>
          </div>
        </section>`;
      case "ready":
        return this.#renderCall();
    }
  }

  #renderHeading(): TemplateResult {
    const level = Math.min(6, Math.max(1, Math.round(this.headingLevel) || 3));
    return html`<div part="heading" class="heading" role="heading" aria-level=${level} id=${this.#headingId}><slot name="heading">Recordings</slot></div>`;
  }

  #renderCall(): TemplateResult {
    const call = this._call!;
    if (this.#layout?.call !== call) this.#layout = { call, layout: layoutCall(call) };
    const layout = this.#layout.layout;
    const total = call.recordings.reduce((sum, r) => sum + r.durationSeconds, 0);
    const count = call.recordings.length;
    const nowPlaying = this.#link.nowPlaying;
    return html`<section part="section" class="section" aria-labelledby=${this.#headingId}>
      <div part="header" class="header">
        ${this.#renderHeading()}
        <span part="summary" class="summary"
          ><span aria-hidden="true">${count === 1 ? "1 recording" : `${count} recordings`} · ${formatClock(total)}${count > 1 ? " in all" : ""}</span
          ><span class="visually-hidden">${count === 1 ? "1 recording" : `${count} recordings`}, ${speakDuration(total)}${count > 1 ? " in all" : ""}</span></span
        >
        ${count > 1
          ? html`<button part="play-all-button" class="button primary play-all" @click=${() => this.playAll()}>${playIcon}<span>Play all</span></button>`
          : nothing}
      </div>
      ${renderTimeline({
        layout,
        names: call.recordings.map((r) => recordingName(r)),
        nowPlaying,
        hover: this._hover,
        onBarClick: this.#onBarClick,
        onBarPointerMove: this.#onBarPointerMove,
        onBarPointerLeave: this.#onBarPointerLeave,
      })}
      ${renderRecordingList({
        rows: this.#rows(call),
        labelledBy: this.#headingId,
        nowPlaying,
        startHeading: `Start (${this.#startFormat().zone})`,
        formatStart: (ms) => this.#startFormat().format.format(ms),
        onPlay: (index) => this.#onListPlay(index),
        onPause: () => this.#link.player?.pause(),
        onDownload: this.#onDownload,
      })}
    </section>`;
  }

  #rows(call: CallDetails): ListRow[] {
    return call.recordings.map((r) => {
      const segment = segmentOf(call, r);
      const who = segment ? whoWasOn(segment) : null;
      return {
        recordingId: r.id,
        name: recordingName(r),
        primary: who ? who.primary : r.participants.map((p) => p.name).join(", "),
        secondary: who ? who.secondary : [],
        startMs: r.startMs,
        durationSeconds: r.durationSeconds,
        downloadUrl: r.downloadUrl ?? r.audioUrl,
        contentType: r.contentType,
      };
    });
  }

  /** How the Start column writes a time: in `time-zone`, on the `time-format` clock. */
  #startFormat(): { format: Intl.DateTimeFormat; zone: string } {
    const key = `${this.timeZone ?? ""} ${this.timeFormat ?? ""}`;
    if (this.#startFormatter?.key === key) return this.#startFormatter;
    const clock: Intl.DateTimeFormatOptions =
      this.timeFormat === "24h"
        ? { hour: "2-digit", hourCycle: "h23" }
        : this.timeFormat === "12h"
          ? { hour: "numeric", hourCycle: "h12" }
          : { hour: "2-digit" };
    const options: Intl.DateTimeFormatOptions = { ...clock, minute: "2-digit", second: "2-digit" };
    let format: Intl.DateTimeFormat;
    let zone: string;
    try {
      format = new Intl.DateTimeFormat(undefined, { ...options, ...(this.timeZone ? { timeZone: this.timeZone } : {}) });
      // Named as given (browsers canonicalize some names to older ones: Asia/Kolkata, Asia/Calcutta).
      zone = this.timeZone || format.resolvedOptions().timeZone;
    } catch {
      // An unknown time zone name: the browser's own zone (and the heading says which) is better than nothing.
      format = new Intl.DateTimeFormat(undefined, options);
      zone = format.resolvedOptions().timeZone;
    }
    this.#startFormatter = { key, format, zone: zoneName(zone) };
    return this.#startFormatter;
  }

  // ---- handlers -------------------------------------------------------------------------------

  /** A row's Play resumes the recording the player holds, or plays another where it was left. */
  #onListPlay(index: number): void {
    const player = this.#link.player;
    const id = this._call?.recordings[index]?.id;
    if (player && id !== undefined && player.currentRecording?.id === id && player.status !== "ended") void player.play();
    else this.playRecording(index);
  }

  #onBarClick = (event: MouseEvent, bar: TimelineBar): void => {
    const fraction = this.#fraction(event, event.currentTarget as HTMLElement);
    this.playRecording(bar.recordingIndex, fraction * bar.durationSeconds);
  };

  #onBarPointerMove = (event: PointerEvent, bar: TimelineBar): void => {
    if (event.pointerType === "touch") return;
    this._hover = { recordingIndex: bar.recordingIndex, fraction: this.#fraction(event, event.currentTarget as HTMLElement) };
  };

  #onBarPointerLeave = (): void => {
    this._hover = null;
  };

  #fraction(event: MouseEvent, bar: HTMLElement): number {
    const rect = bar.getBoundingClientRect();
    if (rect.width <= 0) return 0;
    return Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
  }

  /** A download link older than its signature's life is renewed first, then followed. */
  #onDownload = (event: MouseEvent, index: number): void => {
    if (Date.now() - this.#loadedAt < DOWNLOAD_FRESH_MS) return;
    const recording = this._call?.recordings[index];
    if (!recording) return;
    event.preventDefault();
    this.#renew(recording.id).then(
      (update) => {
        const link = document.createElement("a");
        link.href = update.downloadUrl ?? update.src;
        link.download = "";
        link.rel = "noopener";
        link.click();
      },
      (error: unknown) => console.warn("call recordings: could not renew the download link", error),
    );
  };

  // ---- internals ------------------------------------------------------------------------------

  #source(): CallSource {
    if (this.source) return this.source;
    const base = resolveApiBase(this.apiBase);
    if (this.#apiSource?.base !== base) this.#apiSource = { base, source: apiCallSource(base) };
    return this.#apiSource.source;
  }

  /** A load begins (or, with no call id, there is nothing to load). */
  #loadStarted(callId: string): void {
    this.#clearLoadingTimer();
    this._call = null;
    this._error = null;
    this._hover = null;
    this._loadingShown = false;
    if (!callId) {
      this._status = "idle";
      return;
    }
    this._status = "loading";
    // No flash of "Loading…" for a quick answer.
    this.#loadingTimer = setTimeout(() => {
      this.#loadingTimer = null;
      if (this._status === "loading") this._loadingShown = true;
    }, LOADING_DELAY_MS);
  }

  #loaded(call: CallDetails | null): void {
    this.#finishLoad();
    const callId = (this.callId ?? "").trim();
    if (!call || call.recordings.length === 0) {
      this._status = "empty";
      emit(this, "crec-empty", { callId, reason: call ? "no-recordings" : "not-found" });
      return;
    }
    this._call = call;
    this.#loadedAt = Date.now();
    this._status = "ready";
    this.#link.sync();
    this.#adoptResumedPlayer();
    emit(this, "crec-loaded", { callId, recordings: call.recordings.length });
    this.#playMoment();
  }

  #loadFailed(error: unknown): void {
    if (isAbort(error)) return;
    this.#finishLoad();
    const failure = error instanceof CallLoadError ? error : new CallLoadError("network", String(error), { cause: error });
    console.warn(`call recordings: ${failure.message}`);
    this._error = failure;
    this._status = "error";
    emit(this, "crec-load-error", {
      callId: (this.callId ?? "").trim(),
      kind: failure.kind,
      message: failure.userMessage,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
    });
  }

  #finishLoad(): void {
    this.#clearLoadingTimer();
    this._loadingShown = false;
  }

  #clearLoadingTimer(): void {
    if (this.#loadingTimer !== null) clearTimeout(this.#loadingTimer);
    this.#loadingTimer = null;
  }

  /** Fresh signed URLs for one recording, from a new load of the call (the shown call keeps its state). */
  async #renew(recordingId: string): Promise<RecordingUpdate> {
    const callId = this._call?.id ?? this.callId;
    const call = await loadCall(this.#source(), callId, new AbortController().signal);
    const recording = call?.recordings.find((r) => r.id === recordingId);
    if (!call || !recording) throw new AccessRemovedError(`recording ${recordingId} is no longer in this call for the signed-in user`);
    if (this._call?.id === call.id) {
      this._call = call;
      this.#loadedAt = Date.now();
    }
    return { src: recording.audioUrl, downloadUrl: recording.downloadUrl ?? recording.audioUrl };
  }

  /**
   * Lets the page's player carry on what played on the previous page: it gets the resume
   * controller (players that attach it themselves already have it), and a page without a player
   * gets a docked one when there is something to resume.
   */
  async #resumeOnThisPage(): Promise<void> {
    // Where the extension put this section, it keeps playback across pages itself.
    if (this.dataset.crecInjected !== undefined) return;
    await customElements.whenDefined("recording-player");
    const found = this.#link.find();
    if (found) {
      ResumeController.for(found);
      return;
    }
    if (await ResumeController.hasSomethingToResume(this.user)) ResumeController.for(this.#ensurePlayer());
  }

  /** The player to play in (docking one if the page has none), told who is listening. */
  #ensurePlayer(): RecordingPlayer {
    const player = this.#link.ensure(this.user, this.colorScheme);
    if (this.user && player.user !== this.user) player.user = this.user;
    return player;
  }

  /** A player that resumed this call on page load keeps the call's context for renewing links. */
  #adoptResumedPlayer(): void {
    const player = this.#link.player;
    const call = this._call;
    if (!player || !call) return;
    ResumeController.for(player).setContext(player.recordings, { callId: call.id, apiBase: this.source ? null : resolveApiBase(this.apiBase) });
  }
}

/** A time zone as people name it: "UTC", "Europe/London", "America/New York". */
function zoneName(zone: string | undefined): string {
  if (!zone) return "local time";
  if (/^(Etc\/)?(UTC|UCT|Universal|Zulu)$/.test(zone)) return "UTC";
  return zone.replace(/_/g, " ");
}

// Guarded: a page that has it already keeps its own, and Node (server-side rendering) has no registry.
if (globalThis.customElements && !customElements.get("call-session-recordings")) customElements.define("call-session-recordings", CallSessionRecordings);

declare global {
  interface HTMLElementTagNameMap {
    "call-session-recordings": CallSessionRecordings;
  }
}
