/**
 * The player's pure rules (times, timeline, speed, resume, recovery, status, failures, keys),
 * in node: moved from the browser suite test/components/player-core.test.ts, which keeps only
 * what needs a DOM.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hotkeyAction, type KeyLike } from "../../components/recording-player/player-hotkeys.js";
import { formatClock, speakDuration, speakPosition } from "../../src/player/format-time.js";
import { classifyFailure, MEDIA_ERR, sniffAudioFormat, stallFromSlowness } from "../../src/player/playback-engine.js";
import {
  buildTimeline,
  clampRate,
  formatRate,
  locate,
  previousTarget,
  recoveryFor,
  resumePosition,
  statusFor,
  stepRate,
  timelineTime,
} from "../../src/player/player-state.js";
import { emptyEngineState } from "../../src/player/playback-engine.js";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods });

describe("player core: times", () => {
  it("shows clock times", () => {
    assert.equal(formatClock(0), "0:00");
    assert.equal(formatClock(65.9), "1:05");
    assert.equal(formatClock(3723), "1:02:03");
    assert.equal(formatClock(Number.NaN), "--:--");
  });

  it("speaks times as words", () => {
    assert.equal(speakDuration(65), "1 minute 5 seconds");
    assert.equal(speakDuration(3600), "1 hour");
    assert.equal(speakDuration(3723), "1 hour 2 minutes 3 seconds");
    assert.equal(speakDuration(1), "1 second");
    assert.equal(speakDuration(0), "0 seconds");
    assert.equal(speakPosition(65, 180), "1 minute 5 seconds of 3 minutes");
    assert.equal(speakPosition(5, Number.NaN), "5 seconds");
  });
});

describe("player core: timeline of a sequence", () => {
  const timeline = buildTimeline([10, 20, undefined, 5]);

  it("lays recordings end to end, unknown lengths as nothing", () => {
    assert.deepEqual(timeline.offsets, [0, 10, 30, 30]);
    assert.equal(timeline.total, 35);
  });

  it("finds the recording under a point of the timeline", () => {
    assert.deepEqual(locate(timeline, 0), { index: 0, offset: 0 });
    assert.deepEqual(locate(timeline, 12), { index: 1, offset: 2 });
    assert.deepEqual(locate(timeline, 30), { index: 3, offset: 0 });
    assert.deepEqual(locate(timeline, 99), { index: 3, offset: 5 });
    assert.deepEqual(locate(timeline, -4), { index: 0, offset: 0 });
    assert.equal(timelineTime(timeline, 1, 2), 12);
  });

  it("goes back to the start of the segment, or to the one before near its start", () => {
    assert.deepEqual(previousTarget(2, 10), { index: 2, at: 0 });
    assert.deepEqual(previousTarget(2, 1), { index: 1, at: 0 });
    assert.deepEqual(previousTarget(0, 1), { index: 0, at: 0 });
  });
});

describe("player core: rules", () => {
  it("steps the speed through 0.5× to 2×", () => {
    assert.equal(stepRate(1, 1), 1.25);
    assert.equal(stepRate(1, -1), 0.75);
    assert.equal(stepRate(2, 1), 2);
    assert.equal(stepRate(0.5, -1), 0.5);
    assert.equal(stepRate(1.1, 1), 1.25);
    assert.equal(clampRate(5), 2);
    assert.equal(formatRate(1.25), "1.25×");
  });

  it("resumes only from a position away from both ends", () => {
    assert.equal(resumePosition(undefined, 60), 0);
    assert.equal(resumePosition(2, 60), 0);
    assert.equal(resumePosition(30, 60), 30);
    assert.equal(resumePosition(58.5, 60), 0);
    assert.equal(resumePosition(30, Number.NaN), 30);
  });

  it("retries network failures, renews expired and missing links once, and gives up on the rest at once", () => {
    const policy = { retryDelaysMs: [100, 300], maxRefreshes: 1 };
    assert.deepEqual(recoveryFor("network", { retries: 0, refreshes: 0 }, policy), { action: "retry", delayMs: 100, attempt: 1 });
    assert.deepEqual(recoveryFor("network", { retries: 1, refreshes: 0 }, policy), { action: "retry", delayMs: 300, attempt: 2 });
    assert.deepEqual(recoveryFor("network", { retries: 2, refreshes: 0 }, policy), { action: "give-up" });
    assert.deepEqual(recoveryFor("expired", { retries: 0, refreshes: 0 }, policy), { action: "refresh" });
    assert.deepEqual(recoveryFor("expired", { retries: 0, refreshes: 1 }, policy), { action: "give-up" });
    assert.deepEqual(recoveryFor("unsupported", { retries: 0, refreshes: 0 }, policy), { action: "give-up" });
    // Missing may mean the user's access was removed: renewing the link is what tells the two apart.
    assert.deepEqual(recoveryFor("not-found", { retries: 0, refreshes: 0 }, policy), { action: "refresh" });
    assert.deepEqual(recoveryFor("not-found", { retries: 0, refreshes: 1 }, policy), { action: "give-up" });
    assert.deepEqual(recoveryFor("forbidden", { retries: 0, refreshes: 0 }, policy), { action: "give-up" });
  });

  it("names the state a person sees", () => {
    const engine = { ...emptyEngineState(), src: "a", hasMetadata: true };
    const facts = { hasRecording: true, engine, wantsToPlay: false, recovering: null, error: null, sequenceEnded: false };
    assert.equal(statusFor({ ...facts, hasRecording: false }), "empty");
    assert.equal(statusFor({ ...facts, engine: { ...engine, hasMetadata: false } }), "loading");
    assert.equal(statusFor(facts), "ready");
    assert.equal(statusFor({ ...facts, wantsToPlay: true, engine: { ...engine, paused: false } }), "playing");
    assert.equal(statusFor({ ...facts, wantsToPlay: true, engine: { ...engine, paused: false, waiting: true } }), "buffering");
    assert.equal(statusFor({ ...facts, recovering: "retrying" }), "retrying");
    assert.equal(statusFor({ ...facts, error: { kind: "network", message: "", position: 0 } }), "error");
    assert.equal(statusFor({ ...facts, sequenceEnded: true }), "ended");
  });
});

describe("player core: failures", () => {
  const wav = (codec: number) => {
    const h = new Uint8Array(44);
    const view = new DataView(h.buffer);
    h.set([..."RIFF"].map((c) => c.charCodeAt(0)), 0);
    h.set([..."WAVE"].map((c) => c.charCodeAt(0)), 8);
    h.set([..."fmt "].map((c) => c.charCodeAt(0)), 12);
    view.setUint32(16, 16, true);
    view.setUint16(20, codec, true);
    return h;
  };

  it("tells formats the browser plays from those it cannot", () => {
    assert.equal(sniffAudioFormat(wav(1)), "playable");
    assert.equal(sniffAudioFormat(wav(7)), "playable");
    assert.equal(sniffAudioFormat(wav(6)), "playable");
    assert.equal(sniffAudioFormat(wav(0x31)), "unplayable");
    assert.equal(sniffAudioFormat(wav(0x11)), "unplayable");
    assert.equal(sniffAudioFormat(new TextEncoder().encode("ID3\u0004rest")), "playable");
    assert.equal(sniffAudioFormat(new TextEncoder().encode("<!doctype html>")), "unplayable");
  });

  it("classifies a failure by what the server and the bytes say", () => {
    const base = { mediaErrorCode: MEDIA_ERR.SRC_NOT_SUPPORTED, hadMetadata: false };
    assert.equal(classifyFailure({ ...base, probe: { status: 403 } }), "expired");
    assert.equal(classifyFailure({ ...base, probe: { status: 404 } }), "not-found");
    assert.equal(classifyFailure({ ...base, probe: { status: 503 } }), "network");
    assert.equal(classifyFailure({ ...base, probe: { failed: true } }), "network");
    assert.equal(classifyFailure({ ...base, probe: { status: 206, format: "unplayable" } }), "unsupported");
    assert.equal(classifyFailure({ ...base, probe: { status: 206, format: "playable" } }), "network");
    assert.equal(classifyFailure({ ...base, hadMetadata: true, probe: { status: 206, format: "unplayable" } }), "network");
    assert.equal(classifyFailure({ hadMetadata: false, stalled: true, probe: { status: 206 } }), "network");
    assert.equal(classifyFailure({ ...base, probe: null }), "unknown");
  });

  it("waits longer after a stall only when slowness explains it, not when the stream broke off", () => {
    const quick = { probe: { status: 206 }, probeMs: 10, stallTimeoutMs: 10_000 } as const;
    // Firefox short of CPU, seeking an hour into a file whose metadata it has read.
    assert.equal(stallFromSlowness({ ...quick, seeking: true, hadMetadata: true }), true);
    // A server on cold storage: the probe answers, 6 s later.
    assert.equal(stallFromSlowness({ ...quick, seeking: false, hadMetadata: false, probeMs: 6000 }), true);
    // Chromium after a connection cut mid-stream, its server answering at once: tried at the same pace.
    assert.equal(stallFromSlowness({ ...quick, seeking: false, hadMetadata: false }), false);
    assert.equal(stallFromSlowness({ ...quick, seeking: false, hadMetadata: true }), false);
    // Seeking before the file's head is read is not a seek the browser is working through.
    assert.equal(stallFromSlowness({ ...quick, seeking: true, hadMetadata: false }), false);
    // A server that refuses or does not answer is a failure, whatever the browser was doing.
    assert.equal(stallFromSlowness({ ...quick, seeking: true, hadMetadata: true, probe: { status: 503 } }), false);
    assert.equal(stallFromSlowness({ ...quick, seeking: true, hadMetadata: true, probe: { failed: true }, probeMs: 20_000 }), false);
    assert.equal(stallFromSlowness({ ...quick, seeking: true, hadMetadata: true, probe: null }), false);
  });
});

describe("player core: keys", () => {
  it("maps the media-chrome and YouTube keys", () => {
    assert.deepEqual(hotkeyAction(key(" "), "other"), { type: "toggle-play" });
    assert.equal(hotkeyAction(key(" "), "button"), null);
    assert.deepEqual(hotkeyAction(key("k"), "button"), { type: "toggle-play" });
    assert.deepEqual(hotkeyAction(key("j"), "other"), { type: "seek-by", seconds: -10 });
    assert.deepEqual(hotkeyAction(key("ArrowRight"), "seek-slider"), { type: "seek-by", seconds: 5 });
    assert.deepEqual(hotkeyAction(key("ArrowRight"), "volume-slider"), { type: "volume-by", delta: 0.05 });
    assert.deepEqual(hotkeyAction(key("ArrowUp"), "seek-slider"), { type: "volume-by", delta: 0.05 });
    assert.deepEqual(hotkeyAction(key("7"), "other"), { type: "seek-fraction", fraction: 0.7 });
    assert.deepEqual(hotkeyAction(key(">", { shiftKey: true }), "other"), { type: "rate-step", direction: 1 });
    assert.deepEqual(hotkeyAction(key("N", { shiftKey: true }), "other"), { type: "next" });
    assert.equal(hotkeyAction(key("k", { ctrlKey: true }), "other"), null);
    assert.equal(hotkeyAction(key("F5"), "other"), null);
  });
});
