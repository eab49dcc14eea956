/**
 * The local playback engine: the page's own `<audio>` element, created on first use (never at
 * import), which streams with HTTP ranges: an hour-long recording starts at once, anywhere.
 * Recordings no browser decodes (GSM 6.10, G.722) go to the decoding engine
 * (decoding-engine.ts), loaded only then.
 */
import {
  classifyFailure,
  emptyEngineState,
  MEDIA_ERR,
  type EngineCause,
  type EngineError,
  type EngineListener,
  notifyListeners,
  type EngineSource,
  type EngineState,
  type PlaybackEngine,
  type ProbeResult,
  type TimeSpan,
  sniffAudioFormat,
  stallFromSlowness,
} from "./playback-engine.js";
import { readUpTo, SNIFF_BYTES } from "../codecs/audio-format.js";
import type { DecodingEngine as DecodingEngineClass, FetchedHead } from "./decoding-engine.js";
import { clampMix, FULL_MIX, sameMix, type ChannelMix } from "./channel-mix.js";
import type { ChannelMixGraph } from "./channel-mix-graph.js";
import type * as DecodingModule from "./decoding-engine.js";

export interface MediaElementEngineOptions {
  /**
   * How long playback may wait for data with no progress at all before it counts as a network
   * failure, in ms. Default 10000. It doubles with each such failure in a row of the same
   * recording that slowness explains (up to 8 times as long), until it plays again: see `#stalls`.
   */
  stallTimeoutMs?: number;
  /** Makes the media element (default `new Audio()`). */
  createElement?: () => HTMLMediaElement;
  /** The fetch used to probe a failed source (default the global fetch). */
  fetch?: typeof fetch;
}

const MEDIA_EVENTS: readonly EngineCause[] = [
  "loadedmetadata",
  "durationchange",
  "timeupdate",
  "progress",
  "play",
  "playing",
  "pause",
  "waiting",
  "canplay",
  "seeking",
  "seeked",
  "volumechange",
  "ratechange",
];

/** Events that show the source is alive, for the stall watchdog. */
const PROGRESS_EVENTS = new Set<string>(["loadedmetadata", "progress", "canplay", "playing", "seeked", "timeupdate"]);

const HAVE_FUTURE_DATA = 3;

let decoders: Promise<typeof DecodingModule> | null = null;

/** The decoding engine's module (and the decoders), loaded once, on first need. */
function loadDecoders(): Promise<typeof DecodingModule> {
  decoders ??= import("./decoding-engine.js").catch((error: unknown) => {
    decoders = null;
    throw error;
  });
  return decoders;
}

/**
 * Loads the decoders ahead of a click when any of these sources is announced in a format only
 * they play (`audio/gsm`, `audio/wav; codec=31`), so playing it does not wait for them.
 */
export function preloadDecodersFor(sources: readonly { src: string; contentType?: string | undefined }[]): void {
  if (decoders || !sources.some((s) => needsDecoder({ src: s.src, ...(s.contentType ? { contentType: s.contentType } : {}) }))) return;
  void loadDecoders().catch(() => undefined);
}

/** Sources (by URL without the query: a signed URL's signature changes) found to need the decoding engine. */
const decodedPaths = new Set<string>();

function pathKey(src: string): string {
  try {
    const url = new URL(src, typeof location !== "undefined" ? location.href : undefined);
    return `${url.origin}${url.pathname}`;
  } catch {
    return src;
  }
}

/** WAV codecs (RFC 2361's `codec` parameter, the format tag in hex) only our decoders play: GSM 6.10, G.722. */
const DECODED_CODEC = /;\s*codecs?\s*=\s*"?(31|65|28f)"?\s*(;|$)/i;

/**
 * Whether a source goes straight to the decoding engine, without trying the element: raw GSM or
 * a WAV codec it names by its type (`audio/wav; codec=31`, as the reference server's API
 * announces them), or a path that needed it before.
 */
function needsDecoder(source: EngineSource): boolean {
  const type = (source.contentType ?? "").toLowerCase();
  const base = type.split(";")[0]!.trim();
  return base === "audio/gsm" || base === "audio/x-gsm" || DECODED_CODEC.test(type) || decodedPaths.has(pathKey(source.src));
}

/**
 * What the element does not say, this engine works out: it classifies failures by asking for the
 * source's first byte (media elements hide HTTP statuses), notices playback that waits for data
 * that never comes (Chromium retries a dropped connection for a long time without an error), and
 * ignores what an element reports about a source after it failed (Firefox may fire `ended`).
 * When the element fails on a source whose first bytes need one of our decoders, or that names a
 * format we cannot play, it goes on through the decoding engine at the same position until the
 * next load; a path handed over once (and raw GSM, by its type) goes straight there next time.
 */
export class MediaElementEngine implements PlaybackEngine {
  readonly #options: MediaElementEngineOptions;
  readonly #listeners = new Set<EngineListener>();
  #media: HTMLMediaElement | null = null;
  /** Bumped by every load, so late answers about an older source are dropped. */
  #loadId = 0;
  #src: string | null = null;
  #failed = false;
  #hadMetadata = false;
  #pendingStart: number | null = null;
  #volume = 1;
  #muted = false;
  #rate = 1;
  #lastProgressAt = 0;
  #lastTime = 0;
  /**
   * Stalls of this recording in a row, with no playing in between, that slowness explains: the
   * browser still seeking in the file it has open, or a server that answers, but later than half
   * the timeout. A browser short of CPU can take longer than the timeout to seek far into a long
   * file with the data arriving (Firefox, with another test run beside it: still seeking, the
   * metadata read, after every 4 s try), and a server on cold storage longer to answer; the
   * reload each stall brings would start the same wait over, for ever. Each one in a row waits
   * twice as long. A stream that breaks off while its server answers at once (a proxy cutting
   * connections) is not slow: it is tried again at the same pace, and given up on as soon.
   */
  #stalls = 0;
  #watchdog: ReturnType<typeof setInterval> | null = null;
  #disposed = false;
  /** The decoding engine playing the current source instead of the element, once handed over. */
  #delegate: PlaybackEngine | null = null;
  #delegateOff: (() => void) | null = null;
  /** Playing is wanted (play() called, no pause since): the hand-over goes on playing. */
  #wantsPlay = false;
  #contentType: string | undefined;
  /** The first bytes the last probe read, for the hand-over. */
  #probeHead: FetchedHead | null = null;
  /** The two channels' gains (channel-mix.ts), and the Web Audio graph applying them once one was set. */
  #mix: ChannelMix = FULL_MIX;
  #mixGraph: Promise<ChannelMixGraph | null> | null = null;

  constructor(options: MediaElementEngineOptions = {}) {
    this.#options = options;
  }

  /** The media element, for hosts that need it (e.g. to route it through Web Audio). */
  get mediaElement(): HTMLMediaElement {
    return this.#element();
  }

  get state(): EngineState {
    if (this.#delegate) return this.#delegate.state;
    const media = this.#media;
    const mix = this.#mixGraph || !sameMix(this.#mix, FULL_MIX) ? { channelMix: { ...this.#mix } } : {};
    if (!media || this.#src === null) {
      return { ...emptyEngineState(), volume: this.#volume, muted: this.#muted, playbackRate: this.#rate, ...mix };
    }
    const live = !this.#failed;
    return {
      src: this.#src,
      currentTime: this.#pendingStart ?? media.currentTime,
      duration: live && this.#hadMetadata ? media.duration : Number.NaN,
      buffered: live ? spans(media.buffered) : [],
      paused: !live || media.paused,
      ended: live && media.ended,
      seeking: live && media.seeking,
      hasMetadata: live && this.#hadMetadata,
      waiting: live && !media.paused && !media.ended && media.readyState < HAVE_FUTURE_DATA,
      volume: this.#volume,
      muted: this.#muted,
      playbackRate: this.#rate,
      ...mix,
    };
  }

  load(source: EngineSource): void {
    if (this.#delegate && needsDecoder(source)) {
      // Still ours to decode: the decoding engine takes the new source (the same file: at once).
      this.#loadId++;
      this.#src = source.src;
      this.#contentType = source.contentType;
      this.#wantsPlay = false;
      this.#delegate.load(source);
      return;
    }
    this.#dropDelegate();
    const media = this.#element();
    this.#loadId++;
    if (this.#src === null || pathKey(this.#src) !== pathKey(source.src)) this.#stalls = 0;
    this.#src = source.src;
    this.#contentType = source.contentType;
    this.#failed = false;
    this.#hadMetadata = false;
    this.#wantsPlay = false;
    this.#probeHead = null;
    this.#pendingStart = source.startAt && source.startAt > 0 ? source.startAt : null;
    if (needsDecoder(source)) {
      // Known to need our decoders: the element is not tried.
      this.#failed = true;
      media.pause();
      media.removeAttribute("src");
      media.load();
      this.#emitState("load");
      void this.#handOver(this.#loadId, source.src, this.#pendingStart ?? 0);
      return;
    }
    media.preload = "metadata";
    media.src = source.src;
    // Before metadata, this sets where the element starts (its default playback start
    // position): it asks for that point as soon as it knows the file's layout, without waiting
    // for the loadedmetadata handler's seek (kept for an element that ignores it).
    if (this.#pendingStart !== null) media.currentTime = this.#pendingStart;
    // Loading resets the rate to the default one.
    media.defaultPlaybackRate = this.#rate;
    media.playbackRate = this.#rate;
    this.#markProgress();
    this.#emitState("load");
  }

  unload(): void {
    this.#dropDelegate();
    this.#wantsPlay = false;
    this.#loadId++;
    this.#src = null;
    this.#failed = false;
    this.#hadMetadata = false;
    this.#pendingStart = null;
    this.#stopWatchdog();
    const media = this.#media;
    if (media) {
      media.pause();
      media.removeAttribute("src");
      media.load();
    }
    this.#emitState("unload");
  }

  async play(): Promise<void> {
    if (!this.#src) return;
    this.#wantsPlay = true;
    if (this.#delegate) return this.#delegate.play();
    if (this.#failed) return;
    const media = this.#element();
    this.#markProgress();
    this.#startWatchdog();
    if (this.#mixGraph) void this.#mixGraph.then((graph) => graph?.resume());
    try {
      await media.play();
    } catch (error) {
      if (error instanceof DOMException && error.name === "NotAllowedError") {
        this.#emitState("pause");
        throw error;
      }
      // AbortError (a newer load interrupted this one) and NotSupportedError (the error event
      // reports it, classified) need nothing here.
    }
  }

  pause(): void {
    this.#wantsPlay = false;
    if (this.#delegate) return this.#delegate.pause();
    this.#media?.pause();
  }

  seek(seconds: number): void {
    if (!this.#src) return;
    if (this.#delegate) return this.#delegate.seek(seconds);
    const target = Math.max(0, seconds);
    if (!this.#hadMetadata || this.#failed) {
      this.#pendingStart = target;
      this.#emitState("seeking");
      return;
    }
    const media = this.#element();
    const duration = media.duration;
    media.currentTime = Number.isFinite(duration) ? Math.min(target, duration) : target;
    this.#markProgress();
  }

  // Volume, mute and rate are the engine's own settings, reported at once: the element's
  // events for them may be dropped (a new source discards queued media events).

  setVolume(volume: number): void {
    this.#volume = Math.min(1, Math.max(0, volume));
    if (this.#media) this.#media.volume = this.#volume;
    if (this.#delegate) return this.#delegate.setVolume(this.#volume);
    this.#emitState("volumechange");
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    if (this.#media) this.#media.muted = muted;
    if (this.#delegate) return this.#delegate.setMuted(muted);
    this.#emitState("volumechange");
  }

  setPlaybackRate(rate: number): void {
    this.#rate = rate;
    if (this.#media) {
      this.#media.defaultPlaybackRate = rate;
      this.#media.playbackRate = rate;
    }
    if (this.#delegate) return this.#delegate.setPlaybackRate(rate);
    this.#emitState("ratechange");
  }

  /**
   * Routes the element through Web Audio (channel-mix-graph.ts, loaded now) the first time a mix
   * other than both channels at full level is set; until then the element plays as it is.
   * Recordings handed over to the decoding engine (one channel only) are not mixed.
   */
  setChannelMix(mix: ChannelMix): void {
    this.#mix = clampMix(mix);
    if (this.#mixGraph || !sameMix(this.#mix, FULL_MIX)) {
      this.#mixGraph ??= import("./channel-mix-graph.js").then(
        ({ ChannelMixGraph }) => (this.#disposed ? null : new ChannelMixGraph(this.#element(), this.#mix)),
        () => null,
      );
      void this.#mixGraph.then((graph) => graph?.set(this.#mix));
    }
    this.#emitState("volumechange");
  }

  /** The graph mixing the channels, once a mix was set (for tests, which tap its output); else null. */
  async channelMixGraph(): Promise<ChannelMixGraph | null> {
    return this.#mixGraph ?? null;
  }

  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.unload();
    this.#disposed = true;
    this.#listeners.clear();
    void this.#mixGraph?.then((graph) => graph?.close());
    this.#media = null;
  }

  #element(): HTMLMediaElement {
    if (this.#media) return this.#media;
    const media = this.#options.createElement?.() ?? new Audio();
    // The extension carries a page's own players into the background, never this one.
    media.dataset.crecPlayer = "";
    media.preload = "metadata";
    media.volume = this.#volume;
    media.muted = this.#muted;
    media.defaultPlaybackRate = this.#rate;
    media.playbackRate = this.#rate;
    for (const type of MEDIA_EVENTS) media.addEventListener(type, () => this.#onMediaEvent(type));
    media.addEventListener("ended", () => this.#onEnded());
    media.addEventListener("error", () => this.#onError());
    this.#media = media;
    return media;
  }

  #onMediaEvent(type: EngineCause): void {
    const media = this.#media;
    if (type === "volumechange" || type === "ratechange") {
      // Only a change made behind the engine's back (e.g. by the browser) is news.
      if (!media || (media.volume === this.#volume && media.muted === this.#muted && media.playbackRate === this.#rate)) return;
      this.#volume = media.volume;
      this.#muted = media.muted;
      this.#rate = media.playbackRate;
      this.#emitState(type);
      return;
    }
    if (!media || this.#src === null || this.#failed) return;
    if (type === "loadedmetadata") {
      this.#hadMetadata = true;
      if (this.#pendingStart !== null) {
        const duration = media.duration;
        const target = Number.isFinite(duration) ? Math.min(this.#pendingStart, duration) : this.#pendingStart;
        // Already there (or on its way) from the start position set with the source: seeking
        // again would only start the same seek over.
        if (Math.abs(media.currentTime - target) > 0.25) media.currentTime = target;
        this.#pendingStart = null;
      }
    }
    if (PROGRESS_EVENTS.has(type) && (type !== "timeupdate" || media.currentTime !== this.#lastTime)) this.#markProgress();
    if (type === "playing") this.#stalls = 0;
    if (type === "play") this.#startWatchdog();
    if (type === "pause") this.#stopWatchdog();
    this.#emitState(type);
  }

  #onEnded(): void {
    if (this.#failed || this.#src === null) return;
    this.#stopWatchdog();
    this.#emit({ type: "ended", src: this.#src });
  }

  #onError(): void {
    const code = this.#media?.error?.code;
    // An aborted fetch is the browser's own doing (a new source), not a failure to report.
    if (code === MEDIA_ERR.ABORTED || this.#src === null) return;
    void this.#fail({ mediaErrorCode: code, stalled: false });
  }

  async #fail(facts: { mediaErrorCode?: number; stalled: boolean }): Promise<void> {
    if (this.#failed || this.#src === null) return;
    const loadId = this.#loadId;
    const src = this.#src;
    const media = this.#media;
    const hadMetadata = this.#hadMetadata;
    this.#failed = true;
    // Read before the pause below.
    const seeking = media?.seeking ?? false;
    this.#stopWatchdog();
    // Keep the position to resume from; the element itself is finished with this source.
    if (media) {
      this.#pendingStart = this.#pendingStart ?? media.currentTime;
      media.pause();
    }
    this.#emitState("pause");
    const probeStarted = Date.now();
    const probe = await this.#probe(src);
    if (loadId !== this.#loadId) return;
    // Slowness, not a failure: the next try waits longer (see `#stalls`).
    if (facts.stalled && stallFromSlowness({ seeking, hadMetadata, probe, probeMs: Date.now() - probeStarted, stallTimeoutMs: this.#stallTimeout() })) this.#stalls++;
    const kind = classifyFailure({ mediaErrorCode: facts.mediaErrorCode, hadMetadata, probe, stalled: facts.stalled });
    // Bytes that arrived but that the browser cannot decode: ours may, and otherwise they say what they are.
    if (kind === "unsupported") {
      void this.#handOver(loadId, src, this.#pendingStart ?? 0);
      return;
    }
    const error: EngineError = {
      kind,
      message: facts.stalled
        ? "no data arrived for too long"
        : (media?.error?.message || `media error ${facts.mediaErrorCode ?? "?"}`),
    };
    if (probe && "status" in probe && probe.status >= 400) error.status = probe.status;
    if (facts.mediaErrorCode !== undefined) error.mediaErrorCode = facts.mediaErrorCode;
    this.#emit({ type: "error", src, error });
  }

  /** Asks for the source's first bytes, to learn the HTTP status the element hides and the format. */
  async #probe(src: string): Promise<ProbeResult> {
    const doFetch = this.#options.fetch ?? globalThis.fetch;
    if (!doFetch) return null;
    let sameOrigin: boolean;
    try {
      sameOrigin = typeof location !== "undefined" && new URL(src, location.href).origin === location.origin;
    } catch {
      return null;
    }
    try {
      const response = await doFetch(src, {
        headers: { Range: `bytes=0-${SNIFF_BYTES - 1}` },
        cache: "no-store",
        signal: AbortSignal.timeout(8000),
      });
      if (!response.ok) {
        void response.body?.cancel().catch(() => undefined);
        return { status: response.status };
      }
      const bytes = await readUpTo(response, SNIFF_BYTES);
      this.#probeHead = { src, bytes, size: totalSize(response), contentType: response.headers.get("content-type") };
      return { status: response.status, format: sniffAudioFormat(bytes) };
    } catch {
      // Cross-origin, a failed fetch may only mean the server does not allow CORS: no verdict.
      return sameOrigin ? { failed: true } : null;
    }
  }

  /**
   * Goes on with `src` through the decoding engine (loaded now, with the decoders), from
   * `position`, playing if playing is wanted; it reports the source's failures from then on,
   * `unsupported` naming the format when ours cannot play it either.
   */
  async #handOver(loadId: number, src: string, position: number): Promise<void> {
    let DecodingEngine: typeof DecodingEngineClass;
    try {
      ({ DecodingEngine } = await loadDecoders());
    } catch (error) {
      if (loadId !== this.#loadId) return;
      this.#emit({ type: "error", src, error: { kind: "network", message: `the audio decoders could not be loaded: ${String(error)}` } });
      return;
    }
    if (loadId !== this.#loadId || this.#disposed) return;
    this.#stopWatchdog();
    // The element is done with this source: stop what it is still downloading.
    if (this.#media?.getAttribute("src")) {
      this.#media.removeAttribute("src");
      this.#media.load();
    }
    const head = this.#probeHead?.src === src ? this.#probeHead : undefined;
    const engine = new DecodingEngine({ ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}), ...(head ? { head } : {}) });
    engine.setVolume(this.#volume);
    engine.setMuted(this.#muted);
    engine.setPlaybackRate(this.#rate);
    this.#delegate = engine;
    this.#delegateOff = engine.subscribe((event) => {
      // Once it read the head, a source it plays goes straight to it next time.
      if (event.type === "state" && event.cause === "loadedmetadata" && event.state.src !== null) decodedPaths.add(pathKey(event.state.src));
      this.#emit(event);
    });
    engine.load({ src, ...(position > 0 ? { startAt: position } : {}), ...(this.#contentType ? { contentType: this.#contentType } : {}) });
    if (this.#wantsPlay) {
      engine.play().catch((error: unknown) => {
        if (error instanceof DOMException && error.name === "NotAllowedError") this.#wantsPlay = false;
      });
    }
  }

  #dropDelegate(): void {
    if (!this.#delegate) return;
    this.#delegateOff?.();
    this.#delegateOff = null;
    this.#delegate.dispose();
    this.#delegate = null;
  }

  #markProgress(): void {
    this.#lastProgressAt = Date.now();
    this.#lastTime = this.#media?.currentTime ?? 0;
  }

  #stallTimeout(): number {
    return this.#options.stallTimeoutMs ?? 10_000;
  }

  #startWatchdog(): void {
    if (this.#watchdog !== null) return;
    const timeout = this.#stallTimeout() * 2 ** Math.min(this.#stalls, 3);
    this.#watchdog = setInterval(() => {
      const media = this.#media;
      if (!media || this.#failed || media.paused || media.ended) return;
      if (media.currentTime !== this.#lastTime) {
        this.#markProgress();
        return;
      }
      // Browsers put off loading media in a tab that is hidden (Chromium: until first shown).
      if (typeof document !== "undefined" && document.hidden && media.readyState === 0) {
        this.#markProgress();
        return;
      }
      if (media.readyState < HAVE_FUTURE_DATA && Date.now() - this.#lastProgressAt > timeout) {
        void this.#fail({ stalled: true });
      }
    }, Math.min(500, Math.max(50, timeout / 4)));
  }

  #stopWatchdog(): void {
    if (this.#watchdog !== null) clearInterval(this.#watchdog);
    this.#watchdog = null;
  }

  #emitState(cause: EngineCause): void {
    if (this.#listeners.size === 0) return;
    this.#emit({ type: "state", cause, state: this.state });
  }

  #emit(event: Parameters<EngineListener>[0]): void {
    notifyListeners(this.#listeners, event);
  }
}



/** The size of the whole file from an answer to a Range request. */
function totalSize(response: Response): number | null {
  const range = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "");
  if (range) return Number(range[1]);
  const length = response.headers.get("content-length");
  return response.status === 200 && length !== null && /^\d+$/.test(length) ? Number(length) : null;
}

function spans(ranges: TimeRanges): TimeSpan[] {
  const out: TimeSpan[] = [];
  for (let i = 0; i < ranges.length; i++) out.push({ start: ranges.start(i), end: ranges.end(i) });
  return out;
}
