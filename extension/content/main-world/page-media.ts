/**
 * The page's own players, carried into the background: when a page's `<audio>`/`<video>` starts
 * (its own button, `new Audio()`, jPlayer…), the same URL plays in the background from the same
 * point, the page's element is muted and keeps being driven by the page. Wraps `play()` at
 * document_start, before any page script. More: extension/README.md, "The page's own players".
 */
import { currentPosition, currentRecording, type PlaybackState } from "../../../src/extension/background-playback-state.js";
import { MAX_TITLE, type BackgroundRequest, type PageMediaSite, type SessionInput } from "../../../src/extension/extension-messages.js";
import { expandTemplate, fileNameFromUrl, rowCallId, rowName, sessionUrlFromPath } from "../../../src/extension/site-profile.js";

const apply = Reflect.apply;
const nativePlay = HTMLMediaElement.prototype.play;

/** The element's audio address, resolved; null when it has none yet. */
function sourceOf(media: HTMLMediaElement): string | null {
  const src = media.currentSrc || media.src || media.querySelector("source[src]")?.getAttribute("src");
  if (!src) return null;
  try {
    return new URL(src, document.baseURI).href;
  } catch {
    return null;
  }
}

/**
 * The Call List row a page's player belongs to: the row it is in, or (FreePBX puts each jPlayer
 * in a row of its own under the call's) the row just before the one it is in.
 */
function rowOf(media: HTMLMediaElement, selector: string): Element | null {
  try {
    const row = media.closest(selector);
    if (row) return row;
    const previous = media.closest("tr")?.previousElementSibling;
    return previous?.matches(selector) ? previous : null;
  } catch {
    return null;
  }
}

interface Tracked {
  media: HTMLMediaElement;
  src: string;
  /** Events the extension's own actions on the element will cause, to be ignored once. */
  expect: { pause: number; play: number; seeked: number };
  /** The element reached its end: its page's reset (a pause, a seek to 0) is not the user's. */
  ended: boolean;
  /**
   * Its recording was asked for and the background has not said so yet: what it says of the one
   * playing before (its clock, its end) is older news, not something else taking over.
   */
  loading: boolean;
  /** The revision of the background's word that took it: a state older than that is stale news. */
  since: number;
}

const isState = (value: unknown): value is PlaybackState =>
  typeof value === "object" && value !== null && typeof (value as { revision?: unknown }).revision === "number" && "session" in value;

export class PageMedia {
  readonly #send: (request: BackgroundRequest) => Promise<unknown>;
  #site: PageMediaSite | null = null;
  /** Elements that started before the site's settings were known. */
  #early = new Set<HTMLMediaElement>();
  #tracked: Tracked | null = null;
  #state: PlaybackState | null = null;
  /** The page is going away: what its elements do now is not the user's. */
  #leaving = false;
  /** Whether each muted element was muted before (given back when it is let go). */
  #wasMuted = new WeakMap<HTMLMediaElement, boolean>();
  /** When the audio context was last asked to get ready. */
  #warmedAt = -Infinity;

  constructor(send: (request: BackgroundRequest) => Promise<unknown>) {
    this.#send = send;
  }

  /** Wraps `play()` and listens for players started by their own controls. Call at document_start. */
  install(): void {
    const onPlay = (media: HTMLMediaElement) => this.#onPlay(media);
    const wrapped = function play(this: HTMLMediaElement): Promise<void> {
      onPlay(this);
      return apply(nativePlay, this, []) as Promise<void>;
    };
    Object.defineProperty(HTMLMediaElement.prototype, "play", { ...Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, "play"), value: wrapped });
    // A `<audio controls>` started by its own button calls no script: its play event does.
    addEventListener("play", (event) => event.target instanceof HTMLMediaElement && this.#onPlay(event.target), true);
    const leaving = () => {
      this.#leaving = true;
    };
    addEventListener("pagehide", leaving, true);
    addEventListener("beforeunload", leaving, true);
    addEventListener("pageshow", () => (this.#leaving = false), true);
    // Pressing on a player, a row or a mark is the moment before a play: the background's audio
    // context gets ready meanwhile (opening it is most of the time from a click to sound).
    addEventListener("pointerdown", (event) => event.target instanceof Element && this.#aboutToPlay(event.target) && this.#warm(), { capture: true, passive: true });
  }

  /** The site's settings: until then, an element that starts is noted, and carried once they say so. */
  configure(site: PageMediaSite): void {
    this.#site = site;
    // A page with players of its own is likely to play one.
    if (site.carry && site.ownPlayers && document.querySelector("audio:not([data-crec-player]), video:not([data-crec-player])")) this.#warm();
    const early = [...this.#early];
    this.#early.clear();
    for (const media of early) if (site.carry && !media.paused) this.#onPlay(media);
  }

  /** The background's playback changed: the carried element follows it. */
  follow(state: PlaybackState | null): void {
    this.#state = state;
    const tracked = this.#tracked;
    if (!tracked) return;
    const current = state?.session ? currentRecording(state) : undefined;
    if (state && state.revision < tracked.since) return;
    if (tracked.loading) {
      if (current?.src !== tracked.src) return;
      tracked.loading = false;
      tracked.since = state!.revision;
    }
    if (!state || !current || current.src !== tracked.src) {
      // Something else plays now (or nothing): the element is the page's again, paused.
      this.#release(tracked);
      return;
    }
    const { media } = tracked;
    if (state.paused && !media.paused) {
      tracked.expect.pause++;
      media.pause();
    } else if (!state.paused && !state.ended && media.paused && !media.ended) {
      tracked.expect.play++;
      // Refused (the page may not play by itself): no play event is coming to take the note back.
      (apply(nativePlay, media, []) as Promise<void>).catch(() => (tracked.expect.play = Math.max(0, tracked.expect.play - 1)));
    }
    const position = currentPosition(state, Date.now());
    if (state.hasMetadata && Math.abs(media.currentTime - position) > 2 && !media.seeking) {
      tracked.expect.seeked++;
      media.currentTime = position;
    }
  }

  #onPlay(media: HTMLMediaElement): void {
    if (media.dataset.crecPlayer !== undefined) return;
    const tracked = this.#tracked;
    if (tracked?.media === media && tracked.expect.play > 0) {
      tracked.expect.play--;
      return;
    }
    const site = this.#site;
    if (!site) {
      // Taken up when the settings say it is carried (on a site the extension is not enabled
      // for, they never come and the page plays as it would without the extension).
      this.#early.add(media);
      return;
    }
    if (!site.carry) return;
    const src = sourceOf(media);
    if (!src || !this.#mayCarry(src, site)) return;
    this.#mute(media);
    if (tracked?.media === media && tracked.src === src) {
      tracked.ended = false;
      if (this.#state?.paused) this.#ask({ type: "player/play" });
      return;
    }
    // The one carried before is paused, whatever its page does with it: never two sounds at once.
    if (tracked) this.#release(tracked);
    const next: Tracked = { media, src, expect: { pause: 0, play: 0, seeked: 0 }, ended: false, loading: false, since: -Infinity };
    this.#tracked = next;
    this.#watch(next);
    const state = this.#state;
    const playing = state?.session ? currentRecording(state) : undefined;
    if (state && playing?.src === src) {
      // The same recording, played again from this page (its details view, say): it carries on
      // where it is, and the element is put there.
      if (state.paused) this.#ask({ type: "player/play" });
      next.expect.seeked++;
      media.currentTime = currentPosition(state, Date.now());
      return;
    }
    next.loading = true;
    this.#send({ type: "player/load", session: this.#sessionFor(media, src, site), index: 0, startAt: Math.max(0, media.currentTime || 0), play: true }).then(
      (answer) => {
        if (this.#tracked !== next || !next.loading) return;
        // Not taken (signed out, say), or already told: the latest word decides.
        next.loading = false;
        const latest = this.#state;
        const newest = isState(answer) && !(latest && latest.revision >= answer.revision) ? answer : latest;
        if (newest) next.since = newest.revision;
        this.follow(newest);
      },
      (error: unknown) => {
        console.warn("call recordings: player/load for the page's player failed", error);
        if (this.#tracked !== next) return;
        // The background could not take it: the page plays it itself, as without the extension.
        this.#tracked = null;
        this.#unmute(media);
      },
    );
  }

  /** Whether a press on `target` is likely to start a recording: a player, a Call List row or mark, a control beside a player. */
  #aboutToPlay(target: Element): boolean {
    const site = this.#site;
    if (!site?.carry) return false;
    try {
      if (target.closest(".crec-recording-mark, audio, video")) return true;
      if (site.rows && target.closest(site.rows.selector)) return true;
      return target.closest("td, li, div")?.querySelector("audio, video") != null;
    } catch {
      return false;
    }
  }

  /** At most every 20 s: Chrome keeps a silent audio document 30 s. */
  #warm(): void {
    const now = performance.now();
    if (now - this.#warmedAt < 20_000) return;
    this.#warmedAt = now;
    this.#send({ type: "player/warm" }).catch(() => undefined);
  }

  #mayCarry(src: string, site: PageMediaSite): boolean {
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      return false;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    return url.origin === location.origin || site.recordingOrigins.includes(url.origin);
  }

  /** The call and recording an element plays, named from its row, the Call Session view or its file. */
  #sessionFor(media: HTMLMediaElement, src: string, site: PageMediaSite): SessionInput {
    const row = site.rows ? rowOf(media, site.rows.selector) : null;
    const callId = (row && site.rows ? rowCallId(row, site.rows.callId) : null) ?? site.sessionCallId;
    let name = row && site.rows ? rowName(row, site.rows.nameFields, MAX_TITLE) : "";
    if (!name && row) name = (row.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 120);
    if (!name) name = callId !== null && site.sessionCallId === callId ? document.title.trim() || `Call ${callId}` : fileNameFromUrl(src) || "Recording";
    const id = (callId ?? new URL(src).pathname + new URL(src).search).slice(0, 200);
    const sessionUrl = (callId !== null ? sessionUrlFromPath(site.sessionPath, callId, location.origin) : null) ?? location.href;
    const downloadUrl = callId !== null && site.downloadTemplate ? expandTemplate(site.downloadTemplate, { callId, recordingId: callId }, location.href) : src;
    const title = name.slice(0, MAX_TITLE);
    const duration = Number.isFinite(media.duration) && media.duration > 0 ? { durationSeconds: media.duration } : {};
    return { callId: id, callTitle: title, sessionUrl, apiBase: location.origin, recordings: [{ id, src, title, downloadUrl, ...duration }] };
  }

  /** What the page does to its element from now on acts on the background. */
  #watch(tracked: Tracked): void {
    const { media } = tracked;
    const on = (type: string, listener: () => void) => media.addEventListener(type, () => this.#tracked === tracked && listener());
    on("pause", () => {
      if (tracked.expect.pause > 0) {
        tracked.expect.pause--;
        return;
      }
      if (this.#leaving || media.ended || tracked.ended) return;
      this.#ask({ type: "player/pause" });
    });
    on("ended", () => {
      tracked.ended = true;
    });
    on("seeked", () => {
      if (tracked.expect.seeked > 0) {
        tracked.expect.seeked--;
        return;
      }
      if (this.#leaving || tracked.ended) return;
      this.#ask({ type: "player/seek", seconds: Math.max(0, media.currentTime) });
    });
    // The page turning its element's sound back on (jPlayer sets its volume when it starts) would play it twice.
    on("volumechange", () => {
      if (!media.muted) media.muted = true;
    });
  }

  #release(tracked: Tracked): void {
    if (this.#tracked === tracked) this.#tracked = null;
    if (!tracked.media.paused) tracked.media.pause();
    this.#unmute(tracked.media);
  }

  #mute(media: HTMLMediaElement): void {
    if (!this.#wasMuted.has(media)) this.#wasMuted.set(media, media.muted);
    media.muted = true;
  }

  #unmute(media: HTMLMediaElement): void {
    const was = this.#wasMuted.get(media);
    this.#wasMuted.delete(media);
    if (was !== undefined) media.muted = was;
  }

  #ask(request: BackgroundRequest): void {
    this.#send(request).catch((error: unknown) => console.warn(`call recordings: ${request.type} for the page's player failed`, error));
  }
}
