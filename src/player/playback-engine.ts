/**
 * The playback engine: what a player UI drives and listens to, as plain data that can cross a
 * message channel. The page's own media element is one engine (media-element-engine.ts); the
 * extension's plays in a background context and reports the same state, so the same
 * `<recording-player>` works with either. The contract is {@link PlaybackEngine}'s.
 */

import type { ChannelMix } from "./channel-mix.js";

/** What to play. */
export interface EngineSource {
  /** The audio URL. */
  src: string;
  /** The server's content type, if known (a hint only: never a reason to refuse playback). */
  contentType?: string;
  /** Seconds from the start to begin at. */
  startAt?: number;
}

/** A span of media time the engine holds, in seconds. */
export interface TimeSpan {
  start: number;
  end: number;
}

/** A snapshot of the engine. */
export interface EngineState {
  /** The loaded source, or null. */
  src: string | null;
  /** Seconds into the source (the pending start position while loading). */
  currentTime: number;
  /** Seconds; NaN until known. */
  duration: number;
  /** What is downloaded, for the seek bar. */
  buffered: TimeSpan[];
  paused: boolean;
  /** The source played to its end. */
  ended: boolean;
  seeking: boolean;
  /** The duration and format are known (the source is playable as far as can be told). */
  hasMetadata: boolean;
  /** Playback is wanted but data is missing: loading or buffering. */
  waiting: boolean;
  /** 0..1 */
  volume: number;
  muted: boolean;
  playbackRate: number;
  /**
   * The gain of each channel of a two-channel recording (src/player/channel-mix.ts), when an
   * engine that mixes them was given one; absent means both at full level, as recorded.
   */
  channelMix?: ChannelMix;
}

/** Why playback failed, in terms a player can act on. */
export type EngineErrorKind =
  /** The connection failed or the server answered with an error: retrying may help. */
  | "network"
  /** The signed URL is no longer accepted (HTTP 403): renew it. */
  | "expired"
  /** The server does not have it (HTTP 404/410). */
  | "not-found"
  /** The signed-in user may no longer play it: their access was removed (found when renewing). */
  | "forbidden"
  /** The bytes arrived but this browser cannot decode them (e.g. GSM 6.10 WAV). */
  | "unsupported"
  | "unknown";

export interface EngineError {
  kind: EngineErrorKind;
  /** A technical description, for logs. */
  message: string;
  /** The HTTP status the source answered with, when one was learned. */
  status?: number;
  /** The MediaError code, when the failure came from a media element. */
  mediaErrorCode?: number;
  /** For `unsupported`: the audio's format, when it was recognised ("AMR-NB", "G.726 in WAV"). */
  format?: string;
}

const UNSUPPORTED_FORMAT = "unsupported audio format: ";

/**
 * The technical message of an `unsupported` error that names the format. The name is in the
 * message too, so it survives contexts that pass on only the kind and the message (the extension's).
 */
export function unsupportedFormatMessage(format: string): string {
  return `${UNSUPPORTED_FORMAT}${format}`;
}

/** The format an `unsupported` error names, from its `format` or its message; null when none. */
export function unsupportedFormatName(error: { format?: string | undefined; message: string }): string | null {
  if (error.format) return error.format;
  return error.message.startsWith(UNSUPPORTED_FORMAT) ? error.message.slice(UNSUPPORTED_FORMAT.length, UNSUPPORTED_FORMAT.length + 80) || null : null;
}

/** The DOM media event (or engine condition) behind a state report. */
export type EngineCause =
  | "load"
  | "loadedmetadata"
  | "durationchange"
  | "timeupdate"
  | "progress"
  | "play"
  | "playing"
  | "pause"
  | "waiting"
  | "canplay"
  | "seeking"
  | "seeked"
  | "volumechange"
  | "ratechange"
  | "unload";

export type EngineEvent =
  /**
   * `outside`: a change the player did not ask for, on an engine other views also command (the
   * extension's: the popup paused, a shortcut skipped, another tab started). The player takes up
   * what the engine plays then.
   */
  | { type: "state"; cause: EngineCause; state: EngineState; outside?: boolean }
  /** The source played to its end. */
  | { type: "ended"; src: string }
  | { type: "error"; src: string; error: EngineError };

export type EngineListener = (event: EngineEvent) => void;

/** Tells every listener of an engine about `event`; one broken listener does not silence the others. */
export function notifyListeners(listeners: ReadonlySet<EngineListener>, event: EngineEvent): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch (error) {
      console.error("call recordings: a playback engine listener failed", error);
    }
  }
}

/**
 * What an engine keeps by itself, as whoever made it says: the player leaves each of these to
 * it. The page's own media element keeps none; the extension's background engine keeps them all.
 */
export interface EngineTakesOver {
  /** The audio goes on when the player is removed (it is not unloaded with the player). */
  lifetime: boolean;
  /** Volume, mute and rate: the player neither applies its saved ones nor saves them. */
  settings: boolean;
  /** Where the playing recording stands: the player notes only where one was left. */
  position: boolean;
  /** What plays across page loads: the page's own resume store stays out of it. */
  session: boolean;
  /** One recording at a time across players and tabs: the player does not yield to others. */
  onePlayer: boolean;
}

const NOTHING_TAKEN_OVER: EngineTakesOver = { lifetime: false, settings: false, position: false, session: false, onePlayer: false };

/** Everything: the extension's background playback, shared by every page and tab. */
export const EVERYTHING_TAKEN_OVER: Readonly<EngineTakesOver> = { lifetime: true, settings: true, position: true, session: true, onePlayer: true };

/** What `engine` takes over from the player (nothing, unless it says). */
export function takenOver(engine: PlaybackEngine | null | undefined): EngineTakesOver {
  return engine?.takesOver ?? NOTHING_TAKEN_OVER;
}

/**
 * The interface a player drives.
 *
 * The contract:
 * - Commands are fire-and-forget (`play()` returns a promise only so a caller can learn that
 *   autoplay was refused). The engine's truth arrives as events.
 * - `load()` replaces the source; events about an older source are never reported after it.
 * - Failures are reported once per load as an `error` event with a classified `kind`; after
 *   one, the engine is idle until the next `load()`. Recovery (retrying, renewing a signed URL)
 *   is the caller's, unless the engine `recovers` by itself.
 * - An engine streams: it starts playing before the file is all there and seeks by asking for
 *   the bytes it needs (HTTP ranges), never downloading or decoding the whole file first.
 */
export interface PlaybackEngine {
  /**
   * True when the engine recovers failures by itself (retrying, renewing links; see
   * src/player/recovery.ts) and reports only what it gave up on: the player then does not try again.
   */
  readonly recovers?: boolean;
  /** What it keeps by itself, so the player leaves it alone (see `takenOver`). */
  readonly takesOver?: EngineTakesOver;
  /** The latest state (also sent with every `state` event). */
  readonly state: EngineState;
  /** Starts loading a source, replacing the current one; paused until `play()`. */
  load(source: EngineSource): void;
  /** Stops and forgets the source. */
  unload(): void;
  /** Plays; rejects with a DOMException named NotAllowedError when the browser refuses autoplay. */
  play(): Promise<void>;
  pause(): void;
  seek(seconds: number): void;
  setVolume(volume: number): void;
  setMuted(muted: boolean): void;
  setPlaybackRate(rate: number): void;
  /**
   * Sets the gain of each channel of a two-channel recording (both heard in both ears), for the
   * current and later sources until set again. Optional: an engine without it plays as recorded.
   */
  setChannelMix?(mix: ChannelMix): void;
  /** Listens to the engine; returns the function that stops listening. */
  subscribe(listener: EngineListener): () => void;
  /** Releases everything; the engine is not used again. */
  dispose(): void;
}

/** The state of an engine with nothing loaded. */
export function emptyEngineState(): EngineState {
  return {
    src: null,
    currentTime: 0,
    duration: Number.NaN,
    buffered: [],
    paused: true,
    ended: false,
    seeking: false,
    hasMetadata: false,
    waiting: false,
    volume: 1,
    muted: false,
    playbackRate: 1,
  };
}

/** MediaError codes (the constants, without needing the DOM). */
export const MEDIA_ERR = { ABORTED: 1, NETWORK: 2, DECODE: 3, SRC_NOT_SUPPORTED: 4 } as const;

/** Whether the first bytes of a file are in a format these browsers decode. */
export type SniffedFormat = "playable" | "unplayable" | "unknown";

/** What a quick request for the source's first bytes found out. */
export type ProbeResult = { status: number; format?: SniffedFormat } | { failed: true } | null;

/** WAV codecs Chromium and Firefox decode: PCM, IEEE float, A-law, mu-law. */
const PLAYABLE_WAV_CODECS = new Set([0x0001, 0x0003, 0x0006, 0x0007]);
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Tells from a file's first bytes (64 are plenty) whether it is audio these browsers play.
 * WAV is read down to its codec, because telephony recorders often store GSM 6.10 or ADPCM in
 * WAV files that no browser decodes; other containers are recognised by their signature.
 */
export function sniffAudioFormat(bytes: Uint8Array): SniffedFormat {
  if (bytes.length < 4) return "unknown";
  const ascii = (at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
  const u16 = (at: number) => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
  if (ascii(0, "RIFF") && ascii(8, "WAVE")) {
    // The fmt chunk comes first in every recorder's output; look for it in what we have.
    for (let at = 12; at + 10 <= bytes.length; ) {
      const size = (bytes[at + 4] ?? 0) | ((bytes[at + 5] ?? 0) << 8) | ((bytes[at + 6] ?? 0) << 16) | ((bytes[at + 7] ?? 0) << 24);
      if (ascii(at, "fmt ")) {
        let codec = u16(at + 8);
        if (codec === WAVE_FORMAT_EXTENSIBLE) {
          if (bytes.length < at + 34) return "unknown";
          codec = u16(at + 32);
        }
        return PLAYABLE_WAV_CODECS.has(codec) ? "playable" : "unplayable";
      }
      at += 8 + size + (size & 1);
    }
    return "unknown";
  }
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  if (ascii(0, "ID3") || ascii(0, "OggS") || ascii(0, "fLaC") || ascii(4, "ftyp")) return "playable";
  if (b0 === 0x1a && b1 === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return "playable"; // WebM / Matroska
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0) return "playable"; // MPEG audio or ADTS AAC frame sync
  return "unplayable";
}

/**
 * Classifies a playback failure. Media elements hide HTTP statuses (Chromium reports a 403, and
 * even a connection dropped before the format is known, as a "format error"), so the engine
 * asks for the source's first bytes itself: a 403 is an expired signature, a 404 a missing
 * file, another error status or no answer a network problem. If the bytes are there, their
 * format decides: one the browser plays means the failure was the network's; another is
 * unsupported. Once the format was known, later failures are the network's.
 */
export function classifyFailure(facts: {
  mediaErrorCode?: number;
  hadMetadata: boolean;
  probe: ProbeResult;
  /** The engine gave up waiting for data (no media error). */
  stalled?: boolean;
}): EngineErrorKind {
  const { probe } = facts;
  if (probe && "failed" in probe) return "network";
  if (probe && "status" in probe) {
    if (probe.status === 403 || probe.status === 401) return "expired";
    if (probe.status === 404 || probe.status === 410) return "not-found";
    if (probe.status >= 400) return "network";
  }
  if (facts.stalled) return "network";
  if (facts.hadMetadata) return "network";
  switch (facts.mediaErrorCode) {
    case MEDIA_ERR.NETWORK:
      return "network";
    case MEDIA_ERR.DECODE:
    case MEDIA_ERR.SRC_NOT_SUPPORTED:
      if (!probe) return "unknown";
      return probe.format === "playable" ? "network" : "unsupported";
    default:
      return "unknown";
  }
}

/**
 * Whether slowness explains a stall, so that the next try of the same recording should wait
 * longer rather than be given up on as soon: the browser was still seeking in a file it had
 * opened (its metadata read: a browser short of CPU, seeking far into a long file with the data
 * arriving), or the server answered the probe, but later than half the stall timeout (recordings
 * on cold storage). A stream that broke off while its server answers at once is a failure (a
 * proxy cutting connections, a dropping line), and so is a server that does not answer or refuses.
 */
export function stallFromSlowness(facts: {
  /** The element was seeking when the wait ran out. */
  seeking: boolean;
  /** The current load had read the file's metadata. */
  hadMetadata: boolean;
  probe: ProbeResult;
  /** How long the probe took to answer, in ms. */
  probeMs: number;
  stallTimeoutMs: number;
}): boolean {
  const { probe } = facts;
  if (!probe || !("status" in probe) || probe.status >= 400) return false;
  return (facts.seeking && facts.hadMetadata) || facts.probeMs > facts.stallTimeoutMs / 2;
}

/**
 * Renewing a recording's links found that the signed-in user may no longer play it (their
 * access was removed, or someone else is signed in). Recognised by name across contexts.
 */
export class AccessRemovedError extends Error {
  override name = "AccessRemovedError";
}

/** Whether a failure (perhaps from another context, serialized) is an AccessRemovedError. */
export function isAccessRemoved(error: unknown): boolean {
  return typeof error === "object" && error !== null && ((error as { name?: unknown }).name === "AccessRemovedError" || /AccessRemovedError/.test(String((error as { message?: unknown }).message)));
}
