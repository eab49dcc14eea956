import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  applyReport,
  audioLost,
  audioTarget,
  closeSession,
  currentPosition,
  failed,
  initialPlaybackState,
  loadSession,
  pause,
  play,
  recovering,
  reload,
  replaceUrls,
  seek,
  selectRecording,
  setRate,
  setVolume,
  skip,
  togglePlay,
  type AudioReport,
  type PlaybackSession,
  type PlaybackState,
} from "../../src/extension/background-playback-state.js";

const T0 = 1_700_000_000_000;

const session = (callId = "c-1", ids = ["r-1", "r-2"]): PlaybackSession => ({
  origin: "http://127.0.0.1:8787",
  callId,
  callTitle: `Call ${callId}`,
  sessionUrl: `http://127.0.0.1:8787/reports/call-session?call=${callId}`,
  apiBase: "http://127.0.0.1:8787/api",
  recordings: ids.map((id, i) => ({ id, src: `http://127.0.0.1:8787/api/recordings/${id}/audio?sig=a`, title: `Segment ${i + 1}`, durationSeconds: 60 })),
});

const report = (state: PlaybackState, patch: Partial<AudioReport> = {}): AudioReport => ({
  cue: state.cue,
  event: "state",
  cause: "timeupdate",
  position: state.position,
  duration: 60,
  paused: state.paused,
  waiting: false,
  hasMetadata: true,
  ...patch,
});

/** A call playing recording `index` from `at`, the audio reporting it plays. */
function playing(index = 0, at = 10, now = T0): PlaybackState {
  const loaded = loadSession(initialPlaybackState(now), { session: session(), index, startAt: at, play: true }, now);
  return applyReport(loaded, report(loaded, { cause: "playing", position: at, paused: false }), now);
}

describe("loading a call", () => {
  test("starts the chosen recording at the chosen point, waiting for the audio", () => {
    const s = loadSession(initialPlaybackState(T0), { session: session(), index: 1, startAt: 12, play: true }, T0);
    assert.equal(s.index, 1);
    assert.equal(s.position, 12);
    assert.equal(s.paused, false);
    assert.equal(s.waiting, true);
    assert.equal(s.duration, 60);
    assert.equal(s.cue, 1);
    assert.equal(currentPosition(s, T0 + 5000), 12, "the position does not move before the audio says it plays");
  });

  test("without play, loads paused (a player cueing a recording)", () => {
    const s = loadSession(initialPlaybackState(T0), { session: session(), index: 0, startAt: 0 }, T0);
    assert.equal(s.paused, true);
    assert.equal(audioTarget(s, T0).playing, false);
  });

  test("an unknown index changes nothing", () => {
    const before = initialPlaybackState(T0);
    assert.equal(loadSession(before, { session: session(), index: 5, startAt: 0 }, T0), before);
  });

  test("a page that opens while the same recording plays keeps the audio going, and takes its fresher URLs", () => {
    const s = playing(0, 10);
    const fresh = session();
    fresh.recordings[0]!.src = "http://127.0.0.1:8787/api/recordings/r-1/audio?sig=fresh";
    const later = T0 + 2000;
    const next = loadSession(s, { session: fresh, index: 0, startAt: currentPosition(s, later) - 0.4 }, later);
    assert.equal(next.cue, s.cue, "no reload");
    assert.equal(next.paused, false, "still playing");
    assert.equal(next.session?.recordings[0]?.src, fresh.recordings[0]!.src);
    assert.ok(Math.abs(currentPosition(next, later) - 12) < 1e-9);
  });

  test("loading the same recording elsewhere in it jumps there", () => {
    const s = playing(0, 10);
    const next = loadSession(s, { session: session(), index: 0, startAt: 40, play: true }, T0 + 1000);
    assert.equal(next.cue, s.cue + 1);
    assert.equal(next.position, 40);
  });

  test("another call replaces the one playing: one recording at a time", () => {
    const s = playing(0, 10);
    const next = loadSession(s, { session: session("c-2", ["r-9"]), index: 0, startAt: 0, play: true }, T0 + 1000);
    assert.equal(next.session?.callId, "c-2");
    assert.equal(next.cue, s.cue + 1);
    assert.equal(audioTarget(next, T0 + 1000).src, "http://127.0.0.1:8787/api/recordings/r-9/audio?sig=a");
  });
});

describe("playing and pausing", () => {
  test("the position moves on at the playback rate while the audio plays", () => {
    const s = setRate(playing(0, 10), 1.5, T0);
    assert.ok(Math.abs(currentPosition(s, T0 + 2000) - 13) < 1e-9);
  });

  test("pausing keeps the position reached, and resuming continues there, however long after", () => {
    const paused = pause(playing(0, 10), T0 + 4000);
    assert.equal(paused.paused, true);
    assert.equal(paused.position, 14);
    const hourLater = T0 + 3_600_000;
    assert.equal(currentPosition(paused, hourLater), 14);
    const resumed = play(paused, hourLater);
    assert.equal(resumed.paused, false);
    assert.equal(resumed.position, 14);
    assert.equal(resumed.cue, paused.cue, "resuming is not a new load");
    assert.equal(audioTarget(resumed, hourLater).position, 14);
  });

  test("toggle plays when paused and pauses when playing", () => {
    const s = playing();
    assert.equal(togglePlay(s, T0).paused, true);
    assert.equal(togglePlay(togglePlay(s, T0), T0).paused, false);
  });

  test("play after the end of the sequence starts over from the first recording", () => {
    let s = playing(1, 59);
    s = applyReport(s, report(s, { event: "ended", position: 60 }), T0 + 1000);
    assert.equal(s.ended, true);
    const again = play(s, T0 + 2000);
    assert.equal(again.index, 0);
    assert.equal(again.position, 0);
    assert.equal(again.ended, false);
  });

  test("nothing loaded: play and pause change nothing", () => {
    const s = initialPlaybackState(T0);
    assert.equal(play(s, T0), s);
    assert.equal(pause(s, T0), s);
  });
});

describe("moving within a recording", () => {
  test("seeking is a new cue, clamped to the recording", () => {
    const s = playing();
    const sought = seek(s, 500, T0);
    assert.equal(sought.position, 60);
    assert.equal(sought.cue, s.cue + 1);
    assert.equal(seek(s, -5, T0).position, 0);
  });

  test("skipping moves from where playback stands now", () => {
    const s = playing(0, 10);
    assert.equal(skip(s, 10, T0 + 3000).position, 23);
    assert.equal(skip(s, -10, T0 + 3000).position, 3);
  });

  test("selecting another recording of the call plays it from the chosen point", () => {
    const s = selectRecording(playing(), 1, 5, true, T0);
    assert.equal(s.index, 1);
    assert.equal(s.position, 5);
    assert.equal(s.paused, false);
  });
});

describe("what the audio reports", () => {
  test("a report about an older cue is ignored", () => {
    const s = seek(playing(0, 10), 30, T0);
    assert.equal(applyReport(s, report(s, { cue: s.cue - 1, position: 11 }), T0), s);
  });

  test("the end of a recording moves the sequence on, still playing, and counts the end", () => {
    let s = playing(0, 59);
    s = applyReport(s, report(s, { event: "ended", position: 60 }), T0);
    assert.equal(s.index, 1);
    assert.equal(s.position, 0);
    assert.equal(s.paused, false);
    assert.equal(s.endedCount, 1);
    assert.equal(s.endedId, "r-1");
  });

  test("the end of the last recording ends the sequence, paused at its end", () => {
    let s = playing(1, 59);
    s = applyReport(s, report(s, { event: "ended", position: 60 }), T0);
    assert.equal(s.ended, true);
    assert.equal(s.paused, true);
    assert.equal(s.position, 60);
  });

  test("a pause from outside (the system's media controls) is taken as the listener's", () => {
    const s = playing(0, 10);
    const next = applyReport(s, report(s, { cause: "pause", paused: true, position: 20 }), T0);
    assert.equal(next.paused, true);
    assert.equal(next.position, 20);
  });

  test("the pause that comes with the end is not taken as the listener's", () => {
    const s = playing(0, 59.8);
    assert.equal(applyReport(s, report(s, { cause: "pause", paused: true, position: 59.9 }), T0).paused, false);
  });

  test("while the audio buffers, the position waits", () => {
    const s = playing(0, 10);
    const buffering = applyReport(s, report(s, { cause: "waiting", waiting: true, position: 12 }), T0);
    assert.equal(currentPosition(buffering, T0 + 5000), 12);
  });
});

describe("failures and restarts", () => {
  test("after the audio is lost (browser restart), playback is paused where it was last heard", () => {
    const s = playing(0, 10);
    const lost = audioLost(s, T0 + 1500);
    assert.equal(lost.paused, true);
    assert.equal(lost.position, 11.5);
    assert.equal(audioLost(lost, T0 + 9000), lost);
  });

  test("a browser closed for an hour comes back where the audio was last reported, not an hour on", () => {
    // Playing audio reports (and the background stores) its position every second: the last
    // stored state was heard at most a report or two before the browser closed.
    const s = playing(0, 10);
    const lost = audioLost(s, T0 + 3_600_000);
    assert.equal(lost.paused, true);
    assert.ok(lost.position >= 10 && lost.position <= 12, `paused at ${lost.position}`);
    assert.equal(lost.at, T0 + 3_600_000);
  });

  test("recovering waits at the same position; reloading is a new cue there", () => {
    const s = playing(0, 10);
    const r = recovering(s, 10.4, T0);
    assert.equal(r.waiting, true);
    assert.equal(currentPosition(r, T0 + 9000), 10.4);
    const again = reload(r, T0);
    assert.equal(again.cue, s.cue + 1);
    assert.equal(audioTarget(again, T0).position, 10.4);
    assert.equal(audioTarget(again, T0).playing, true);
  });

  test("a failure given up shows, paused; play tries again from there", () => {
    const s = failed(playing(0, 10), { kind: "network", message: "gone" }, 10.2, T0);
    assert.equal(s.paused, true);
    assert.equal(audioTarget(s, T0).playing, false);
    const retry = play(s, T0 + 1000);
    assert.equal(retry.error, null);
    assert.equal(retry.cue, s.cue + 1);
    assert.equal(retry.position, 10.2);
  });

  test("renewed URLs replace the old ones by recording id, without a reload", () => {
    const s = playing();
    const next = replaceUrls(s, [{ id: "r-2", src: "http://127.0.0.1:8787/new", downloadUrl: "http://127.0.0.1:8787/dl" }]);
    assert.equal(next.session?.recordings[1]?.src, "http://127.0.0.1:8787/new");
    assert.equal(next.session?.recordings[1]?.downloadUrl, "http://127.0.0.1:8787/dl");
    assert.equal(next.cue, s.cue);
    assert.equal(replaceUrls(next, [{ id: "r-2", src: "http://127.0.0.1:8787/new", downloadUrl: "http://127.0.0.1:8787/dl" }]), next);
  });
});

describe("settings and closing", () => {
  test("volume is clamped; closing forgets the call but keeps volume, mute and rate", () => {
    const s = setRate(setVolume(playing(), 3), 1.25, T0);
    assert.equal(s.volume, 1);
    const closed = closeSession(setVolume(s, 0.3), T0);
    assert.equal(closed.session, null);
    assert.equal(closed.volume, 0.3);
    assert.equal(closed.rate, 1.25);
    assert.equal(audioTarget(closed, T0).src, null);
    assert.ok(closed.revision > s.revision, "views notice the change");
  });

  test("every change counts a revision; no change returns the same state", () => {
    const s = playing();
    assert.equal(setVolume(s, s.volume), s);
    assert.ok(pause(s, T0).revision > s.revision);
  });
});
