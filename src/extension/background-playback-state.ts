/**
 * The companion extension's playback state: what plays for the whole browser (one recording at
 * a time), where it stands and how it sounds, as plain data and plain transitions. The
 * background keeps it in extension storage, so it outlives the service worker, the offscreen
 * document and a restart of the extension; every page's docked player and the popup render it.
 */
import { clampMix, FULL_MIX, sameMix, type ChannelMix } from "../player/channel-mix.js";
import type { EngineErrorKind } from "../player/playback-engine.js";
import { clampRate, clampVolume, sameRecordingIds, type PlayerRecording } from "../player/player-state.js";

/** A recording as the extension plays it: the same as a player's. */
export type SessionRecording = PlayerRecording;

/** The call whose recordings are playing. */
export interface PlaybackSession {
  /** The reporting origin the call was played from (taken from the sender, never the message). */
  origin: string;
  callId: string;
  /** What the player calls it, e.g. "20 Nov 09:14 · +441632960001 → +441632960100". */
  callTitle: string;
  /** The call's Call Session view: where "open the playing call's session" goes. */
  sessionUrl: string;
  /** The JSON API base, to renew expired signed URLs, e.g. "http://127.0.0.1:8787/api". */
  apiBase: string;
  recordings: SessionRecording[];
  /**
   * Who was signed in when it was loaded (the site's user id, asked of the site by the
   * background, never taken from the page), or null where the site does not say.
   */
  owner?: string | null;
}

export interface PlaybackError {
  kind: EngineErrorKind;
  message: string;
}

/**
 * Time is given, never read: a position is `position` seconds at the instant `at` (ms since the
 * epoch), and while playing it moves on at `rate`. The audio context reports the truth about once
 * a second; in between, views extrapolate.
 *
 * `cue` identifies one load-or-jump of the audio: the audio context (re)loads or seeks when the cue
 * changes, and reports carry the cue they describe, so a late report about an older cue is ignored.
 */
export interface PlaybackState {
  version: 1;
  session: PlaybackSession | null;
  /** The current recording in `session.recordings`, -1 for none. */
  index: number;
  /** Seconds into the current recording at `at`. */
  position: number;
  /** When `position` was true, in ms since the epoch. */
  at: number;
  /** The current recording's length in seconds, null while unknown. */
  duration: number | null;
  /** What the listener wants: true unless playing was asked for (and not since paused). */
  paused: boolean;
  /** Playing is wanted but the audio waits for data (loading, buffering, recovering). */
  waiting: boolean;
  /** The audio context knows the current recording's format and length. */
  hasMetadata: boolean;
  /** The last recording played to its end. */
  ended: boolean;
  /** Counts recordings played to their end, so views notice each one. */
  endedCount: number;
  /** The id of the recording that last played to its end. */
  endedId: string | null;
  /** 0..1 */
  volume: number;
  muted: boolean;
  rate: number;
  /** The current two-channel recording's mix, once a listener set one (absent: both channels, as recorded). */
  channelMix?: ChannelMix;
  /** Skip silences over 2 s (from each recording's peaks), for every page, like the volume; absent: off. */
  skipSilence?: boolean;
  /** Why playback stopped, once the background gave up recovering. */
  error: PlaybackError | null;
  cue: number;
  /** Counts changes, for views that want to skip repeats. */
  revision: number;
}

/** What the background asks the audio context to be doing. */
export interface AudioTarget {
  cue: number;
  src: string | null;
  contentType?: string;
  /** Where to be whenever `cue` is new to the audio context, in seconds. */
  position: number;
  playing: boolean;
  volume: number;
  muted: boolean;
  rate: number;
  /** The two channels' gains; absent: as recorded. */
  channelMix?: ChannelMix;
}

/** What the audio context reports. */
export interface AudioReport {
  /** The cue the report is about. */
  cue: number;
  event: "state" | "ended" | "error";
  /** For `state`: the media event behind it ("timeupdate", "pause", ...). */
  cause?: string;
  position: number;
  duration: number | null;
  paused: boolean;
  waiting: boolean;
  hasMetadata: boolean;
  error?: { kind: EngineErrorKind; message: string; status?: number };
}

/** A load at most this far from where the same recording stands keeps the audio going. */
export const SAME_POSITION_SECONDS = 1.5;
/** Reported pauses this close to the end are the end arriving, not someone pausing. */
const END_MARGIN_SECONDS = 0.5;

export function initialPlaybackState(now = 0): PlaybackState {
  return {
    version: 1,
    session: null,
    index: -1,
    position: 0,
    at: now,
    duration: null,
    paused: true,
    waiting: false,
    hasMetadata: false,
    ended: false,
    endedCount: 0,
    endedId: null,
    volume: 1,
    muted: false,
    rate: 1,
    error: null,
    cue: 0,
    revision: 0,
  };
}

/** The recording that is current, if any. */
export function currentRecording(state: PlaybackState): SessionRecording | undefined {
  return state.session?.recordings[state.index];
}

/** Whether the position is moving (the audio plays, as far as the background knows). */
export function isAdvancing(state: PlaybackState): boolean {
  return !state.paused && !state.waiting && state.hasMetadata && !state.ended && state.error === null;
}

/** Seconds into the current recording at `now`. */
export function currentPosition(state: PlaybackState, now: number): number {
  if (!isAdvancing(state)) return state.position;
  const moved = state.position + (Math.max(0, now - state.at) / 1000) * state.rate;
  return state.duration !== null ? Math.min(moved, state.duration) : moved;
}

const changed = (state: PlaybackState, patch: Partial<PlaybackState>): PlaybackState => ({ ...state, ...patch, revision: state.revision + 1 });

const clampPosition = (seconds: number, duration: number | null): number => {
  const s = Number.isFinite(seconds) ? Math.max(0, seconds) : 0;
  return duration !== null ? Math.min(s, duration) : s;
};

const knownDuration = (recording: SessionRecording | undefined): number | null =>
  recording?.durationSeconds !== undefined && Number.isFinite(recording.durationSeconds) && recording.durationSeconds > 0 ? recording.durationSeconds : null;

/** Makes recording `index` current at `startAt`, loading it afresh. */
function cueRecording(state: PlaybackState, session: PlaybackSession, index: number, startAt: number, paused: boolean, now: number): PlaybackState {
  const duration = knownDuration(session.recordings[index]);
  // Another recording's channels are other parties: it starts with both heard.
  if (state.channelMix && currentRecording(state)?.id !== session.recordings[index]?.id) state = withoutMix(state);
  return changed(state, {
    session,
    index,
    position: clampPosition(startAt, duration),
    at: now,
    duration,
    paused,
    waiting: !paused,
    hasMetadata: false,
    ended: false,
    error: null,
    cue: state.cue + 1,
  });
}

const sameRecordings = (a: PlaybackSession, b: PlaybackSession): boolean => a.origin === b.origin && a.callId === b.callId && sameRecordingIds(a.recordings, b.recordings);

/**
 * A player loads recording `index` of `session` at `startAt` (and plays it when `play`). When
 * that recording is already current at about that point, the audio goes on undisturbed (a page
 * that opens while it plays, or several views reacting to the same end) and only the session's
 * details and URLs are taken, since a page's are the freshest. Otherwise the audio loads afresh,
 * paused unless `play`.
 */
export function loadSession(
  state: PlaybackState,
  request: { session: PlaybackSession; index: number; startAt: number; play?: boolean },
  now: number,
): PlaybackState {
  const { session, index, startAt, play = false } = request;
  if (!session.recordings[index]) return state;
  const current = state.session;
  if (
    current &&
    state.error === null &&
    !state.ended &&
    index === state.index &&
    sameRecordings(current, session) &&
    Math.abs(currentPosition(state, now) - startAt) <= SAME_POSITION_SECONDS
  ) {
    const kept = changed(state, { session, position: currentPosition(state, now), at: now });
    return play ? playState(kept, now) : kept;
  }
  return cueRecording(state, session, index, startAt, !play, now);
}

/** Moves to another recording of the current session. */
export function selectRecording(state: PlaybackState, index: number, startAt: number, play: boolean, now: number): PlaybackState {
  if (!state.session?.recordings[index]) return state;
  return cueRecording(state, state.session, index, startAt, !play, now);
}

function playState(state: PlaybackState, now: number): PlaybackState {
  if (!state.paused) return state;
  return changed(state, { position: state.position, at: now, paused: false, waiting: true });
}

/**
 * Plays (or resumes, at the same position). After the end of the sequence it starts over from the
 * first recording; after a failure it tries again from where it stopped.
 */
export function play(state: PlaybackState, now: number): PlaybackState {
  const session = state.session;
  if (!session || !currentRecording(state)) return state;
  if (state.ended) return cueRecording(state, session, 0, 0, false, now);
  if (state.error) return cueRecording(state, session, state.index, state.position, false, now);
  if (state.duration !== null && state.position >= state.duration - 0.05) return cueRecording(state, session, state.index, 0, false, now);
  return playState(state, now);
}

/** Pauses where it stands. */
export function pause(state: PlaybackState, now: number): PlaybackState {
  if (state.paused) return state;
  return changed(state, { position: currentPosition(state, now), at: now, paused: true, waiting: false });
}

export function togglePlay(state: PlaybackState, now: number): PlaybackState {
  return state.paused ? play(state, now) : pause(state, now);
}

/** Jumps within the current recording. */
export function seek(state: PlaybackState, seconds: number, now: number): PlaybackState {
  if (!currentRecording(state)) return state;
  return changed(state, {
    position: clampPosition(seconds, state.duration),
    at: now,
    waiting: !state.paused,
    ended: false,
    error: null,
    cue: state.cue + 1,
  });
}

/** Moves by `seconds` (negative: back) within the current recording. */
export function skip(state: PlaybackState, seconds: number, now: number): PlaybackState {
  return seek(state, currentPosition(state, now) + seconds, now);
}

export function setVolume(state: PlaybackState, volume: number): PlaybackState {
  const v = clampVolume(volume);
  return v === state.volume ? state : changed(state, { volume: v });
}

export function setMuted(state: PlaybackState, muted: boolean): PlaybackState {
  return muted === state.muted ? state : changed(state, { muted });
}

export function setRate(state: PlaybackState, rate: number, now: number): PlaybackState {
  const r = clampRate(rate);
  // The position so far moved at the old rate.
  return r === state.rate ? state : changed(state, { rate: r, position: currentPosition(state, now), at: now });
}

/**
 * A two-channel recording's mix (src/player/channel-mix.ts): one party alone, or a balance. Both
 * at full level is the recording as it is, and leaves no mix in the state.
 */
export function setChannelMix(state: PlaybackState, mix: ChannelMix): PlaybackState {
  if (!currentRecording(state)) return state;
  const next = clampMix(mix);
  if (sameMix(next, state.channelMix)) return state;
  return sameMix(next, FULL_MIX) ? changed(withoutMix(state), {}) : changed(state, { channelMix: next });
}

/** Skip silence on or off (the background skips, see extension/background/playback-service.ts). */
export function setSkipSilence(state: PlaybackState, on: boolean): PlaybackState {
  if ((state.skipSilence ?? false) === on) return state;
  if (on) return changed(state, { skipSilence: true });
  const { skipSilence: _off, ...rest } = state;
  return changed(rest, {});
}

function withoutMix(state: PlaybackState): PlaybackState {
  const { channelMix: _mix, ...rest } = state;
  return rest;
}

/** Takes fresher signed URLs for recordings of the current session (matched by id). */
export function replaceUrls(state: PlaybackState, updates: readonly { id: string; src: string; downloadUrl?: string }[]): PlaybackState {
  const session = state.session;
  if (!session) return state;
  let any = false;
  const recordings = session.recordings.map((r) => {
    const update = updates.find((u) => u.id === r.id);
    if (!update || (update.src === r.src && update.downloadUrl === r.downloadUrl)) return r;
    any = true;
    return { ...r, src: update.src, ...(update.downloadUrl !== undefined ? { downloadUrl: update.downloadUrl } : {}) };
  });
  return any ? changed(state, { session: { ...session, recordings } }) : state;
}

/** Forgets what was playing (the listener closed the player). Volume, mute and rate stay. */
export function closeSession(state: PlaybackState, now: number): PlaybackState {
  if (!state.session) return state;
  return {
    ...initialPlaybackState(now),
    volume: state.volume,
    muted: state.muted,
    rate: state.rate,
    ...(state.skipSilence ? { skipSilence: true } : {}),
    cue: state.cue + 1,
    endedCount: state.endedCount,
    revision: state.revision + 1,
  };
}

/**
 * Whoever started what plays signed out: it stops, and nothing of it stays for the next person
 * at the browser, not even their volume or speed.
 */
export function signOut(state: PlaybackState, now: number): PlaybackState {
  return { ...initialPlaybackState(now), cue: state.cue + 1, endedCount: state.endedCount, revision: state.revision + 1 };
}

/** How often the audio context reports a playing recording's position, in ms (each report is stored). */
export const AUDIO_REPORT_EVERY_MS = 1000;

/**
 * The audio context is gone (the browser or the extension restarted): whatever played is now
 * paused where it was last heard, ready to resume there. Playing audio reports its position every
 * second, and each report is stored, so it was heard at most a report or two after the stored
 * state's `at`: not until `now`, which after the browser was closed may be hours later.
 */
export function audioLost(state: PlaybackState, now: number): PlaybackState {
  if (state.paused && !state.waiting) return state;
  return changed(state, { position: heardPosition(state, now), at: now, paused: true, waiting: false });
}

/**
 * Where the audio was last heard: the position its reports (one a second) had got to, not
 * further on. Time after that was not played.
 */
function heardPosition(state: PlaybackState, now: number): number {
  return currentPosition(state, Math.min(now, state.at + 2 * AUDIO_REPORT_EVERY_MS));
}

/**
 * The audio context went while only the background had stopped, not the browser: playing goes
 * on in a new one from where it was last heard. A paused state stays as it is.
 */
export function audioResumed(state: PlaybackState, now: number): PlaybackState {
  if (state.paused) return state;
  return recovering(state, heardPosition(state, now), now);
}

/** Playback is being recovered (retrying, renewing the URL): waiting, not failed. */
export function recovering(state: PlaybackState, position: number, now: number): PlaybackState {
  return changed(state, { position, at: now, waiting: !state.paused, hasMetadata: false });
}

/** Recovery is given up: the failure is shown, playback is paused where it stopped. */
export function failed(state: PlaybackState, error: PlaybackError, position: number, now: number): PlaybackState {
  return changed(state, { error, position, at: now, paused: true, waiting: false });
}

/** Reloads the current recording where it stands (after a retry delay or with a renewed URL). */
export function reload(state: PlaybackState, now: number): PlaybackState {
  const session = state.session;
  if (!session || !currentRecording(state)) return state;
  return cueRecording(state, session, state.index, state.position, state.paused, now);
}

/**
 * Takes in what the audio context reports. Reports about an older cue are ignored; a recording
 * that played to its end moves the sequence on. Errors are left to the caller (see `failed` and
 * `recovering`), which decides whether to recover.
 */
export function applyReport(state: PlaybackState, report: AudioReport, now: number): PlaybackState {
  if (report.cue !== state.cue || !state.session || report.event === "error") return state;
  if (report.event === "ended") {
    const recording = currentRecording(state);
    const done = {
      endedCount: state.endedCount + 1,
      endedId: recording?.id ?? null,
    };
    if (state.index + 1 < state.session.recordings.length) {
      return changed(cueRecording(state, state.session, state.index + 1, 0, state.paused, now), done);
    }
    const end = report.duration ?? state.duration ?? report.position;
    return changed(state, { ...done, ended: true, paused: true, waiting: false, position: end, duration: end, at: now });
  }
  const duration = report.duration !== null && report.duration > 0 ? report.duration : state.duration;
  const patch: Partial<PlaybackState> = {
    position: clampPosition(report.position, duration),
    at: now,
    duration,
    hasMetadata: report.hasMetadata,
    waiting: !state.paused && (report.waiting || report.paused || !report.hasMetadata),
  };
  // Paused from outside (the system's media controls), away from the end: the listener's wish.
  if (
    report.cause === "pause" &&
    report.paused &&
    !state.paused &&
    report.hasMetadata &&
    (duration === null || report.position < duration - END_MARGIN_SECONDS)
  ) {
    patch.paused = true;
    patch.waiting = false;
  }
  return changed(state, patch);
}

/** What the audio context should be doing in this state. */
export function audioTarget(state: PlaybackState, now: number): AudioTarget {
  const recording = currentRecording(state);
  return {
    cue: state.cue,
    src: recording?.src ?? null,
    ...(recording?.contentType ? { contentType: recording.contentType } : {}),
    position: currentPosition(state, now),
    playing: recording !== undefined && !state.paused && !state.ended && state.error === null,
    volume: state.volume,
    muted: state.muted,
    rate: state.rate,
    ...(state.channelMix ? { channelMix: { ...state.channelMix } } : {}),
  };
}
