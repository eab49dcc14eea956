/**
 * The decoding engine: plays recordings no browser decodes (GSM 6.10 in WAV and raw `.gsm`,
 * G.722 in WAV) with our decoders (src/codecs/) through Web Audio, streaming as the media
 * element does: a position is a byte offset, playing from a point is one Range request read a
 * few seconds ahead, so a two-hour recording takes no more memory than a two-minute one. The
 * media-element engine hands a recording over and loads this module only then.
 */
import { SNIFF_BYTES, frameLayoutOf, readUpTo, sniffAudioFormat, type AudioDecoderId, type SniffedAudio } from "../codecs/audio-format.js";
import { durationOf, seekPlan, type FrameLayout } from "../codecs/frame-layout.js";
import { G722Decoder, G722_SEEK_PREROLL_SECONDS } from "../codecs/g722.js";
import { Gsm610Decoder, GSM_SEEK_PREROLL_SECONDS } from "../codecs/gsm610.js";
import {
  emptyEngineState,
  notifyListeners,
  unsupportedFormatMessage,
  type EngineCause,
  type EngineError,
  type EngineErrorKind,
  type EngineEvent,
  type EngineListener,
  type EngineSource,
  type EngineState,
  type PlaybackEngine,
} from "./playback-engine.js";

/** The first bytes of a file, already fetched (by the media-element engine's probe). */
export interface FetchedHead {
  src: string;
  bytes: Uint8Array;
  /** The whole file's size, when the answer said (Content-Range, or Content-Length of a 200). */
  size: number | null;
  contentType: string | null;
}

export interface DecodingEngineOptions {
  fetch?: typeof fetch;
  /** Makes the audio context (default `new AudioContext()`). */
  createContext?: () => AudioContext;
  /** How long playback may wait for data before it counts as a network failure, in ms. Default 10000. */
  stallTimeoutMs?: number;
  /** The head of the next source loaded, so it need not be fetched again. */
  head?: FetchedHead;
}

/** Audio scheduled ahead of the listener, in seconds: read more below the low mark, stop at the high. */
const AHEAD_LOW = 2;
const AHEAD_HIGH = 4;
/** Decoded audio per AudioBuffer, in seconds. */
const SLICE_SECONDS = 0.5;
/** Times a dropped connection is asked again from where it stopped before playback fails. */
const STREAM_RETRIES = 2;
/** Audio asked for per Range request, in seconds (97.5 KB of GSM in WAV, 480 KB of G.722). */
const REQUEST_SECONDS = 60;
/** Slack before the first buffer of a run starts, so it is not scheduled in the past. */
const START_LEAD = 0.01;
const TICK_MS = 250;

interface Decoder {
  decode(bytes: Uint8Array): Int16Array;
}

function makeDecoder(id: AudioDecoderId): Decoder {
  switch (id) {
    case "gsm610-wav49":
      return new Gsm610Decoder("wav49");
    case "gsm610-raw":
      return new Gsm610Decoder("raw");
    case "g722":
      return new G722Decoder();
  }
}

const PREROLL: Record<AudioDecoderId, number> = { "gsm610-wav49": GSM_SEEK_PREROLL_SECONDS, "gsm610-raw": GSM_SEEK_PREROLL_SECONDS, g722: G722_SEEK_PREROLL_SECONDS };

/** What a file turned out to be, once its head was read. */
interface Media {
  sniffed: SniffedAudio;
  decoder: AudioDecoderId;
  layout: FrameLayout;
  /** The file's size, when known. */
  size: number | null;
  duration: number;
}

/** One stretch of playback: a request from a point, decoded and scheduled as it arrives. */
interface Run {
  id: number;
  abort: AbortController;
  /** Media time of the first sample played. */
  from: number;
  rate: number;
  sources: AudioBufferSourceNode[];
  /** Context time at which the media time `anchorMedia` plays. */
  anchorCtx: number;
  anchorMedia: number;
  /** Context time the scheduled audio ends at, and the media time it has reached. */
  scheduledCtx: number;
  scheduledMedia: number;
  /** Audio has been scheduled. */
  started: boolean;
  /** The response was read to its end. */
  finished: boolean;
  /** Wakes the reader when the listener has caught up (set while it waits). */
  wake: (() => void) | null;
}

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`the server answered ${status}`);
  }
}

function classifyStatus(status: number): EngineErrorKind {
  if (status === 401 || status === 403) return "expired";
  if (status === 404 || status === 410) return "not-found";
  return "network";
}

/** The size of the whole file from a response for a range. */
function totalSize(response: Response): number | null {
  const range = response.headers.get("content-range");
  const m = range ? /\/(\d+)\s*$/.exec(range) : null;
  if (m) return Number(m[1]);
  const length = response.headers.get("content-length");
  return response.status === 200 && length !== null && /^\d+$/.test(length) ? Number(length) : null;
}

/** The name of the file in a URL's path, a hint for raw GSM (which has no header). */
function fileNameOf(src: string): string | null {
  try {
    const path = new URL(src, typeof location !== "undefined" ? location.href : "http://localhost/").pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1)) || null;
  } catch {
    return null;
  }
}

/**
 * Pausing suspends the audio context, so resuming is instant; seeking, or changing the rate,
 * starts a new request (from a little before the point: the decoder's warm-up, then dropped).
 * Web Audio plays faster by raising the pitch (no time-stretching), so at 1.5x these recordings
 * sound higher, unlike the media element's. Failures are reported as the media-element engine
 * reports them (one classified `error` per load): an HTTP status, a dropped connection, no data
 * for too long, or a format none of our decoders plays (`unsupported`, naming it).
 */
export class DecodingEngine implements PlaybackEngine {
  readonly #options: DecodingEngineOptions;
  readonly #listeners = new Set<EngineListener>();
  #head: FetchedHead | null;
  #headOnItsWay: { src: string; promise: Promise<FetchedHead> } | null = null;
  #ctx: AudioContext | null = null;
  #gain: GainNode | null = null;
  #loadId = 0;
  #src: string | null = null;
  #contentType: string | null = null;
  #media: Media | null = null;
  #failed = false;
  /** The position while no run plays (paused, loading, or before a run's first audio). */
  #position = 0;
  #paused = true;
  #ended = false;
  #seeking = false;
  #wantsPlay = false;
  #volume = 1;
  #muted = false;
  #rate = 1;
  #run: Run | null = null;
  #runIds = 0;
  #ticker: ReturnType<typeof setInterval> | null = null;
  #waitingSince: number | null = null;
  #disposed = false;

  constructor(options: DecodingEngineOptions = {}) {
    this.#options = options;
    this.#head = options.head ?? null;
  }

  /** Whether this engine plays a sniffed recording (one of our decoders, and a layout to seek by). */
  static plays(sniffed: SniffedAudio): boolean {
    return sniffed.decoder !== null && frameLayoutOf(sniffed) !== null;
  }

  get state(): EngineState {
    if (this.#src === null) return { ...emptyEngineState(), volume: this.#volume, muted: this.#muted, playbackRate: this.#rate };
    const live = !this.#failed;
    const media = this.#media;
    const run = this.#run;
    const buffered = run && media ? [{ start: run.from, end: Math.min(run.scheduledMedia, media.duration) }] : [];
    return {
      src: this.#src,
      currentTime: this.#currentTime(),
      duration: live && media ? media.duration : Number.NaN,
      buffered: live ? buffered : [],
      paused: !live || this.#paused,
      ended: live && this.#ended,
      seeking: live && this.#seeking,
      hasMetadata: live && media !== null,
      waiting: live && !this.#paused && this.#waitingSince !== null,
      volume: this.#volume,
      muted: this.#muted,
      playbackRate: this.#rate,
    };
  }

  load(source: EngineSource): void {
    // The same file again (a player loads what it cued, then plays it): what its head said still holds.
    const known = !this.#failed && this.#src === source.src ? this.#media : null;
    this.#stopRun();
    this.#stopTicker();
    const loadId = ++this.#loadId;
    this.#src = source.src;
    this.#contentType = source.contentType ?? null;
    this.#media = null;
    this.#failed = false;
    this.#position = source.startAt && source.startAt > 0 ? source.startAt : 0;
    this.#paused = true;
    this.#ended = false;
    this.#seeking = false;
    this.#wantsPlay = false;
    this.#waitingSince = null;
    this.#emitState("load");
    if (known) {
      this.#ready(known);
      return;
    }
    const head = this.#head?.src === source.src ? this.#head : null;
    this.#head = null;
    void this.#readHead(loadId, source.src, head);
  }

  unload(): void {
    this.#loadId++;
    this.#stopRun();
    this.#stopTicker();
    this.#src = null;
    this.#media = null;
    this.#failed = false;
    this.#position = 0;
    this.#paused = true;
    this.#ended = false;
    this.#seeking = false;
    this.#wantsPlay = false;
    this.#waitingSince = null;
    this.#emitState("unload");
  }

  async play(): Promise<void> {
    if (this.#src === null || this.#failed) return;
    const loadId = this.#loadId;
    this.#wantsPlay = true;
    const ctx = this.#context();
    if (ctx.state !== "running") {
      await Promise.race([ctx.resume(), new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (loadId !== this.#loadId || !this.#wantsPlay) return;
      if ((ctx.state as AudioContextState) !== "running") {
        this.#wantsPlay = false;
        this.#emitState("pause");
        throw new DOMException("the browser did not let the audio start", "NotAllowedError");
      }
    }
    if (!this.#paused) return;
    if (this.#ended) {
      this.#ended = false;
      this.#position = 0;
    }
    this.#paused = false;
    this.#emitState("play");
    if (this.#run) {
      // Paused mid-run: the context resumed, and its scheduled audio with it.
      this.#startTicker();
      if (this.#waitingSince === null) this.#emitState("playing");
      return;
    }
    // Before the head is read, the run starts when it is (see #readHead).
    if (this.#media) this.#startRun(this.#position);
  }

  pause(): void {
    this.#wantsPlay = false;
    if (this.#paused) return;
    this.#position = this.#currentTime();
    this.#paused = true;
    this.#waitingSince = null;
    this.#stopTicker();
    // The run stays: suspended, its scheduled audio waits where it stands, and play() goes on at once.
    if (this.#run?.started) void this.#ctx?.suspend();
    else this.#stopRun();
    this.#emitState("pause");
  }

  seek(seconds: number): void {
    if (this.#src === null) return;
    const duration = this.#media?.duration ?? Number.NaN;
    const target = Math.max(0, Number.isFinite(duration) ? Math.min(seconds, duration) : seconds);
    this.#position = target;
    this.#ended = false;
    this.#stopRun();
    if (!this.#media || this.#failed) {
      this.#emitState("seeking");
      return;
    }
    if (this.#paused) {
      this.#emitState("seeking");
      this.#emitState("seeked");
      return;
    }
    this.#seeking = true;
    this.#emitState("seeking");
    this.#startRun(target);
  }

  setVolume(volume: number): void {
    this.#volume = Math.min(1, Math.max(0, volume));
    this.#applyGain();
    this.#emitState("volumechange");
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#applyGain();
    this.#emitState("volumechange");
  }

  setPlaybackRate(rate: number): void {
    if (!(rate > 0) || rate === this.#rate) {
      this.#emitState("ratechange");
      return;
    }
    this.#rate = rate;
    // Scheduled buffers keep the rate they were started with: go on from here at the new one.
    if (this.#run && !this.#paused) {
      const at = this.#currentTime();
      this.#stopRun();
      this.#position = at;
      this.#startRun(at);
    } else if (this.#run) {
      this.#position = this.#currentTime();
      this.#stopRun();
    }
    this.#emitState("ratechange");
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
    void this.#ctx?.close().catch(() => undefined);
    this.#ctx = null;
  }

  // ---- loading -------------------------------------------------------------------------

  async #readHead(loadId: number, src: string, given: FetchedHead | null): Promise<void> {
    let head = given;
    if (!head) {
      try {
        // A head already on its way for this file (loaded again before it came) is not asked for twice.
        if (this.#headOnItsWay?.src !== src) {
          const promise = this.#fetchHead(src);
          const pending = { src, promise };
          this.#headOnItsWay = pending;
          const done = () => {
            if (this.#headOnItsWay === pending) this.#headOnItsWay = null;
          };
          promise.then(done, done);
        }
        head = await this.#headOnItsWay!.promise;
      } catch (error) {
        if (loadId === this.#loadId) this.#failWith(loadId, error);
        return;
      }
      if (loadId !== this.#loadId) return;
    }
    const hint = { fileName: fileNameOf(src), contentType: head.contentType ?? this.#contentType };
    const sniffed = sniffAudioFormat(head.bytes, hint);
    const layout = frameLayoutOf(sniffed);
    if (!sniffed.decoder || !layout) {
      const named = sniffed.kind !== "unknown";
      this.#fail(loadId, {
        kind: "unsupported",
        message: named ? unsupportedFormatMessage(sniffed.name) : "the audio is in a format no decoder here plays",
        ...(named ? { format: sniffed.name } : {}),
      });
      return;
    }
    let duration = durationOf(layout, head.size ?? undefined);
    if (sniffed.kind === "wav" && sniffed.factSamples && sniffed.format?.codec === "gsm610") duration = Math.min(duration, sniffed.factSamples / layout.sampleRate);
    this.#ready({ sniffed, decoder: sniffed.decoder, layout, size: head.size, duration });
  }

  /** The file is known: its length, and playing can start. */
  #ready(media: Media): void {
    this.#media = media;
    const { duration } = media;
    if (Number.isFinite(duration)) this.#position = Math.min(this.#position, duration);
    this.#emitState("loadedmetadata");
    this.#emitState("durationchange");
    this.#emitState("canplay");
    if (!this.#paused) this.#startRun(this.#position);
  }

  async #fetchHead(src: string): Promise<FetchedHead> {
    const doFetch = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
    const response = await doFetch(src, { headers: { Range: `bytes=0-${SNIFF_BYTES - 1}` }, cache: "no-store" });
    if (!response.ok) {
      void response.body?.cancel().catch(() => undefined);
      throw new HttpStatusError(response.status);
    }
    const bytes = await readUpTo(response, SNIFF_BYTES);
    return { src, bytes, size: totalSize(response), contentType: response.headers.get("content-type") };
  }

  // ---- playing -------------------------------------------------------------------------

  #context(): AudioContext {
    if (this.#ctx) return this.#ctx;
    const ctx = this.#options.createContext?.() ?? new AudioContext({ latencyHint: "playback" });
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    this.#ctx = ctx;
    this.#gain = gain;
    this.#applyGain();
    return ctx;
  }

  #applyGain(): void {
    if (this.#gain) this.#gain.gain.value = this.#muted ? 0 : this.#volume;
  }

  #currentTime(): number {
    const run = this.#run;
    const ctx = this.#ctx;
    if (!run || !run.started || !ctx) return this.#position;
    const played = run.anchorMedia + Math.max(0, ctx.currentTime - run.anchorCtx) * run.rate;
    return Math.max(run.from, Math.min(played, run.scheduledMedia));
  }

  #startRun(target: number): void {
    const media = this.#media;
    const src = this.#src;
    if (!media || src === null) return;
    const ctx = this.#context();
    if (ctx.state === "suspended") void ctx.resume();
    const run: Run = {
      id: ++this.#runIds,
      abort: new AbortController(),
      from: target,
      rate: this.#rate,
      sources: [],
      anchorCtx: 0,
      anchorMedia: target,
      scheduledCtx: 0,
      scheduledMedia: target,
      started: false,
      finished: false,
      wake: null,
    };
    this.#run = run;
    this.#setWaiting(true);
    this.#startTicker();
    void this.#stream(this.#loadId, run, src, media, target);
  }

  #stopRun(): void {
    const run = this.#run;
    if (!run) return;
    this.#run = null;
    run.abort.abort();
    run.wake?.();
    for (const source of run.sources) {
      source.onended = null;
      try {
        source.stop();
      } catch {
        // never started
      }
      source.disconnect();
    }
    run.sources.length = 0;
    // A run stopped while paused left the context suspended; the next run resumes it.
  }

  async #stream(loadId: number, run: Run, src: string, media: Media, target: number): Promise<void> {
    const { layout } = media;
    const plan = seekPlan(layout, target, PREROLL[media.decoder], media.size ?? undefined);
    const dataEnd = layout.dataLength !== null ? layout.dataOffset + layout.dataLength : media.size;
    const end = dataEnd !== null && media.size !== null ? Math.min(dataEnd, media.size) : dataEnd;
    if (end !== null && plan.byteOffset >= end) {
      this.#finishRun(run);
      return;
    }
    const decoder = makeDecoder(media.decoder);
    let discard = plan.discardSamples;
    let mediaTime = plan.startTime + discard / layout.sampleRate;
    run.from = mediaTime;
    run.anchorMedia = mediaTime;
    run.scheduledMedia = mediaTime;
    // Whole blocks of about half a second per buffer, and of a minute per request.
    const blocksOf = (seconds: number) => Math.max(1, Math.round((seconds * layout.sampleRate) / layout.blockSamples)) * layout.blockBytes;
    const sliceBytes = blocksOf(SLICE_SECONDS);
    const maxDuration = Number.isFinite(media.duration) ? media.duration : Infinity;
    try {
      let pending: Uint8Array = new Uint8Array(0);
      const chunks = this.#bytes(run, src, plan.byteOffset, end, blocksOf(REQUEST_SECONDS));
      for (let next = await chunks.next(); ; next = await chunks.next()) {
        if (this.#run !== run || loadId !== this.#loadId) return;
        const done = next.done === true;
        if (!done) pending = pending.length ? concatBytes(pending, next.value) : next.value;
        // Decode and schedule whole slices (everything left at the end), waiting when far enough ahead.
        while (pending.length >= sliceBytes || (done && pending.length > 0)) {
          const take = Math.min(pending.length, sliceBytes);
          let samples = decoder.decode(pending.subarray(0, take));
          pending = pending.subarray(take);
          if (discard > 0) {
            const dropped = Math.min(discard, samples.length);
            discard -= dropped;
            samples = samples.subarray(dropped);
          }
          if (samples.length === 0) continue;
          // A compressed WAV's last block is padded past its length (the fact chunk's).
          const room = Math.max(0, Math.round((maxDuration - mediaTime) * layout.sampleRate));
          if (samples.length > room) samples = samples.subarray(0, room);
          if (samples.length === 0) break;
          this.#schedule(run, samples, layout.sampleRate, mediaTime);
          mediaTime += samples.length / layout.sampleRate;
          await this.#waitForRoom(run);
          if (this.#run !== run || loadId !== this.#loadId) return;
        }
        if (done) break;
      }
      this.#finishRun(run);
    } catch (error) {
      if (run.abort.signal.aborted || this.#run !== run || loadId !== this.#loadId) return;
      this.#failWith(loadId, error);
    }
  }

  /**
   * The file's bytes from `from` to `end` (exclusive; null: to the end of the file), asked for in
   * ranges of `requestBytes`, each only once the one before was read: what is fetched stays a
   * little ahead of what is played. A connection that drops (or stalls) is asked again from the
   * next byte wanted, twice, before it counts as a failure: the decoder goes on as if nothing
   * happened. A server that ignores Range sends the whole file at once: it is read from `from` on.
   */
  async *#bytes(run: Run, src: string, from: number, end: number | null, requestBytes: number): AsyncGenerator<Uint8Array> {
    const doFetch = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
    let offset = from;
    let retries = 0;
    while (end === null || offset < end) {
      const last = end === null ? offset + requestBytes : Math.min(end, offset + requestBytes);
      let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
      const cancel = () => void reader?.cancel().catch(() => undefined);
      run.abort.signal.addEventListener("abort", cancel, { once: true });
      try {
        const response = await doFetch(src, { headers: { Range: `bytes=${offset}-${last - 1}` }, cache: "no-store", signal: run.abort.signal });
        // Past the end of a file whose size was not known: the end.
        if (response.status === 416) {
          void response.body?.cancel().catch(() => undefined);
          return;
        }
        if (!response.ok) {
          void response.body?.cancel().catch(() => undefined);
          throw new HttpStatusError(response.status);
        }
        const whole = response.status === 200;
        let skip = whole ? offset : 0;
        const stop = whole ? (end ?? Infinity) : last;
        reader = response.body!.getReader();
        while (offset < stop) {
          const { done, value } = await this.#read(reader, run);
          if (done || !value) break;
          let bytes = value;
          if (skip > 0) {
            const dropped = Math.min(skip, bytes.length);
            skip -= dropped;
            bytes = bytes.subarray(dropped);
          }
          if (bytes.length > stop - offset) bytes = bytes.subarray(0, stop - offset);
          offset += bytes.length;
          if (bytes.length > 0) {
            retries = 0;
            yield bytes;
          }
        }
        // The whole file came, or less than asked for: the file ends here.
        if (whole || offset < last) return;
      } catch (error) {
        if (run.abort.signal.aborted || error instanceof HttpStatusError || retries >= STREAM_RETRIES) throw error;
        retries++;
        await new Promise((resolve) => setTimeout(resolve, 200 * retries));
      } finally {
        run.abort.signal.removeEventListener("abort", cancel);
        cancel();
      }
    }
  }

  /** Reads the next chunk, failing the run when nothing arrives for too long while the listener waits. */
  #read(reader: ReadableStreamDefaultReader<Uint8Array>, run: Run): Promise<ReadableStreamReadResult<Uint8Array>> {
    const timeout = this.#options.stallTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const check = setInterval(() => {
        if (this.#run !== run) return clearInterval(check);
        if (this.#waitingSince !== null && !this.#paused && Date.now() - this.#waitingSince > timeout) {
          clearInterval(check);
          reject(new Error("no data arrived for too long"));
        }
      }, Math.min(500, Math.max(50, timeout / 4)));
      reader.read().then(
        (result) => {
          clearInterval(check);
          resolve(result);
        },
        (error: unknown) => {
          clearInterval(check);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  #schedule(run: Run, samples: Int16Array, sampleRate: number, mediaTime: number): void {
    const ctx = this.#ctx!;
    const buffer = ctx.createBuffer(1, samples.length, sampleRate);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < samples.length; i++) channel[i] = samples[i]! / 32768;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.playbackRate.value = run.rate;
    source.connect(this.#gain!);
    const now = ctx.currentTime;
    let when = run.scheduledCtx;
    if (!run.started || when < now + START_LEAD / 2) {
      // The first audio of the run, or after running dry: the media time continues from here.
      when = now + START_LEAD;
      run.anchorCtx = when;
      run.anchorMedia = mediaTime;
    }
    source.start(when);
    source.onended = () => {
      const at = run.sources.indexOf(source);
      if (at >= 0) run.sources.splice(at, 1);
      source.disconnect();
    };
    run.sources.push(source);
    run.scheduledCtx = when + buffer.duration / run.rate;
    run.scheduledMedia = mediaTime + samples.length / sampleRate;
    const first = !run.started;
    run.started = true;
    if (this.#waitingSince !== null || first) {
      this.#setWaiting(false);
      if (this.#seeking) {
        this.#seeking = false;
        this.#emitState("seeked");
      }
      if (!this.#paused) this.#emitState("playing");
    }
  }

  /** Waits while more than the high mark is scheduled ahead of the listener. */
  async #waitForRoom(run: Run): Promise<void> {
    while (this.#run === run) {
      const ctx = this.#ctx;
      if (!ctx) return;
      const ahead = run.scheduledCtx - ctx.currentTime;
      if (ahead < AHEAD_HIGH) return;
      await new Promise<void>((resolve) => {
        run.wake = resolve;
        // While suspended (paused) the clock stands still: the reader waits until it moves again.
        setTimeout(resolve, Math.max(50, (ahead - AHEAD_LOW) * 1000 / Math.max(1, run.rate)));
      });
      run.wake = null;
    }
  }

  #finishRun(run: Run): void {
    if (this.#run !== run) return;
    run.finished = true;
    if (!run.started) {
      // Nothing left to play from here: the end.
      this.#end();
      return;
    }
  }

  #end(): void {
    const src = this.#src;
    if (src === null) return;
    const duration = this.#media?.duration;
    this.#stopRun();
    this.#stopTicker();
    this.#position = duration !== undefined && Number.isFinite(duration) ? duration : this.#position;
    this.#paused = true;
    this.#ended = true;
    this.#seeking = false;
    this.#wantsPlay = false;
    this.#waitingSince = null;
    this.#emitState("timeupdate");
    this.#emitState("pause");
    this.#emit({ type: "ended", src });
  }

  #startTicker(): void {
    if (this.#ticker !== null) return;
    this.#ticker = setInterval(() => this.#tick(), TICK_MS);
  }

  #stopTicker(): void {
    if (this.#ticker !== null) clearInterval(this.#ticker);
    this.#ticker = null;
  }

  #tick(): void {
    const run = this.#run;
    const ctx = this.#ctx;
    if (this.#paused || !run || !ctx) return;
    if (run.started && ctx.currentTime >= run.scheduledCtx) {
      if (run.finished) {
        this.#end();
        return;
      }
      // Played everything that arrived: waiting for data.
      if (this.#waitingSince === null) this.#setWaiting(true);
    }
    run.wake?.();
    this.#emitState("timeupdate");
  }

  #setWaiting(waiting: boolean): void {
    if (waiting === (this.#waitingSince !== null)) return;
    this.#waitingSince = waiting ? Date.now() : null;
    if (waiting && !this.#paused) this.#emitState("waiting");
  }

  // ---- failing -------------------------------------------------------------------------

  #failWith(loadId: number, error: unknown): void {
    if (error instanceof HttpStatusError) {
      this.#fail(loadId, { kind: classifyStatus(error.status), message: error.message, status: error.status });
    } else {
      this.#fail(loadId, { kind: "network", message: error instanceof Error ? error.message : String(error) });
    }
  }

  #fail(loadId: number, error: EngineError): void {
    const src = this.#src;
    if (loadId !== this.#loadId || this.#failed || src === null) return;
    // Keep the position to resume from.
    this.#position = this.#currentTime();
    this.#stopRun();
    this.#stopTicker();
    this.#failed = true;
    this.#paused = true;
    this.#seeking = false;
    this.#wantsPlay = false;
    this.#waitingSince = null;
    this.#emitState("pause");
    this.#emit({ type: "error", src, error });
  }

  #emitState(cause: EngineCause): void {
    if (this.#listeners.size === 0) return;
    this.#emit({ type: "state", cause, state: this.state });
  }

  #emit(event: EngineEvent): void {
    notifyListeners(this.#listeners, event);
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}


