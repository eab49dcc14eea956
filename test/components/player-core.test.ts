import { expect } from "@open-wc/testing";
import { hotkeyAction, isTextEntry, type KeyLike } from "../../components/player-hotkeys.js";
import { formatClock, speakDuration, speakPosition } from "../../src/format-time.js";
import { classifyFailure, MEDIA_ERR, sniffAudioFormat } from "../../src/playback-engine.js";
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
} from "../../src/player-state.js";
import { emptyEngineState } from "../../src/playback-engine.js";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods });

describe("player core: times", () => {
  it("shows clock times", () => {
    expect(formatClock(0)).to.equal("0:00");
    expect(formatClock(65.9)).to.equal("1:05");
    expect(formatClock(3723)).to.equal("1:02:03");
    expect(formatClock(Number.NaN)).to.equal("--:--");
  });

  it("speaks times as words", () => {
    expect(speakDuration(65)).to.equal("1 minute 5 seconds");
    expect(speakDuration(3600)).to.equal("1 hour");
    expect(speakDuration(3723)).to.equal("1 hour 2 minutes 3 seconds");
    expect(speakDuration(1)).to.equal("1 second");
    expect(speakDuration(0)).to.equal("0 seconds");
    expect(speakPosition(65, 180)).to.equal("1 minute 5 seconds of 3 minutes");
    expect(speakPosition(5, Number.NaN)).to.equal("5 seconds");
  });
});

describe("player core: timeline of a sequence", () => {
  const timeline = buildTimeline([10, 20, undefined, 5]);

  it("lays recordings end to end, unknown lengths as nothing", () => {
    expect(timeline.offsets).to.deep.equal([0, 10, 30, 30]);
    expect(timeline.total).to.equal(35);
  });

  it("finds the recording under a point of the timeline", () => {
    expect(locate(timeline, 0)).to.deep.equal({ index: 0, offset: 0 });
    expect(locate(timeline, 12)).to.deep.equal({ index: 1, offset: 2 });
    expect(locate(timeline, 30)).to.deep.equal({ index: 3, offset: 0 });
    expect(locate(timeline, 99)).to.deep.equal({ index: 3, offset: 5 });
    expect(locate(timeline, -4)).to.deep.equal({ index: 0, offset: 0 });
    expect(timelineTime(timeline, 1, 2)).to.equal(12);
  });

  it("goes back to the start of the segment, or to the one before near its start", () => {
    expect(previousTarget(2, 10)).to.deep.equal({ index: 2, at: 0 });
    expect(previousTarget(2, 1)).to.deep.equal({ index: 1, at: 0 });
    expect(previousTarget(0, 1)).to.deep.equal({ index: 0, at: 0 });
  });
});

describe("player core: rules", () => {
  it("steps the speed through 0.5× to 2×", () => {
    expect(stepRate(1, 1)).to.equal(1.25);
    expect(stepRate(1, -1)).to.equal(0.75);
    expect(stepRate(2, 1)).to.equal(2);
    expect(stepRate(0.5, -1)).to.equal(0.5);
    expect(stepRate(1.1, 1)).to.equal(1.25);
    expect(clampRate(5)).to.equal(2);
    expect(formatRate(1.25)).to.equal("1.25×");
  });

  it("resumes only from a position away from both ends", () => {
    expect(resumePosition(undefined, 60)).to.equal(0);
    expect(resumePosition(2, 60)).to.equal(0);
    expect(resumePosition(30, 60)).to.equal(30);
    expect(resumePosition(58.5, 60)).to.equal(0);
    expect(resumePosition(30, Number.NaN)).to.equal(30);
  });

  it("retries network failures, renews expired and missing links once, and gives up on the rest at once", () => {
    const policy = { retryDelaysMs: [100, 300], maxRefreshes: 1 };
    expect(recoveryFor("network", { retries: 0, refreshes: 0 }, policy)).to.deep.equal({ action: "retry", delayMs: 100, attempt: 1 });
    expect(recoveryFor("network", { retries: 1, refreshes: 0 }, policy)).to.deep.equal({ action: "retry", delayMs: 300, attempt: 2 });
    expect(recoveryFor("network", { retries: 2, refreshes: 0 }, policy)).to.deep.equal({ action: "give-up" });
    expect(recoveryFor("expired", { retries: 0, refreshes: 0 }, policy)).to.deep.equal({ action: "refresh" });
    expect(recoveryFor("expired", { retries: 0, refreshes: 1 }, policy)).to.deep.equal({ action: "give-up" });
    expect(recoveryFor("unsupported", { retries: 0, refreshes: 0 }, policy)).to.deep.equal({ action: "give-up" });
    // Missing may mean the user's access was removed: renewing the link is what tells the two apart.
    expect(recoveryFor("not-found", { retries: 0, refreshes: 0 }, policy)).to.deep.equal({ action: "refresh" });
    expect(recoveryFor("not-found", { retries: 0, refreshes: 1 }, policy)).to.deep.equal({ action: "give-up" });
    expect(recoveryFor("forbidden", { retries: 0, refreshes: 0 }, policy)).to.deep.equal({ action: "give-up" });
  });

  it("names the state a person sees", () => {
    const engine = { ...emptyEngineState(), src: "a", hasMetadata: true };
    const facts = { hasRecording: true, engine, wantsToPlay: false, recovering: null, error: null, sequenceEnded: false };
    expect(statusFor({ ...facts, hasRecording: false })).to.equal("empty");
    expect(statusFor({ ...facts, engine: { ...engine, hasMetadata: false } })).to.equal("loading");
    expect(statusFor(facts)).to.equal("ready");
    expect(statusFor({ ...facts, wantsToPlay: true, engine: { ...engine, paused: false } })).to.equal("playing");
    expect(statusFor({ ...facts, wantsToPlay: true, engine: { ...engine, paused: false, waiting: true } })).to.equal("buffering");
    expect(statusFor({ ...facts, recovering: "retrying" })).to.equal("retrying");
    expect(statusFor({ ...facts, error: { kind: "network", message: "", position: 0 } })).to.equal("error");
    expect(statusFor({ ...facts, sequenceEnded: true })).to.equal("ended");
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
    expect(sniffAudioFormat(wav(1))).to.equal("playable");
    expect(sniffAudioFormat(wav(7))).to.equal("playable");
    expect(sniffAudioFormat(wav(6))).to.equal("playable");
    expect(sniffAudioFormat(wav(0x31))).to.equal("unplayable");
    expect(sniffAudioFormat(wav(0x11))).to.equal("unplayable");
    expect(sniffAudioFormat(new TextEncoder().encode("ID3\u0004rest"))).to.equal("playable");
    expect(sniffAudioFormat(new TextEncoder().encode("<!doctype html>"))).to.equal("unplayable");
  });

  it("classifies a failure by what the server and the bytes say", () => {
    const base = { mediaErrorCode: MEDIA_ERR.SRC_NOT_SUPPORTED, hadMetadata: false };
    expect(classifyFailure({ ...base, probe: { status: 403 } })).to.equal("expired");
    expect(classifyFailure({ ...base, probe: { status: 404 } })).to.equal("not-found");
    expect(classifyFailure({ ...base, probe: { status: 503 } })).to.equal("network");
    expect(classifyFailure({ ...base, probe: { failed: true } })).to.equal("network");
    expect(classifyFailure({ ...base, probe: { status: 206, format: "unplayable" } })).to.equal("unsupported");
    expect(classifyFailure({ ...base, probe: { status: 206, format: "playable" } })).to.equal("network");
    expect(classifyFailure({ ...base, hadMetadata: true, probe: { status: 206, format: "unplayable" } })).to.equal("network");
    expect(classifyFailure({ hadMetadata: false, stalled: true, probe: { status: 206 } })).to.equal("network");
    expect(classifyFailure({ ...base, probe: null })).to.equal("unknown");
  });
});

describe("player core: keys", () => {
  it("maps the media-chrome and YouTube keys", () => {
    expect(hotkeyAction(key(" "), "other")).to.deep.equal({ type: "toggle-play" });
    expect(hotkeyAction(key(" "), "button")).to.equal(null);
    expect(hotkeyAction(key("k"), "button")).to.deep.equal({ type: "toggle-play" });
    expect(hotkeyAction(key("j"), "other")).to.deep.equal({ type: "seek-by", seconds: -10 });
    expect(hotkeyAction(key("ArrowRight"), "seek-slider")).to.deep.equal({ type: "seek-by", seconds: 5 });
    expect(hotkeyAction(key("ArrowRight"), "volume-slider")).to.deep.equal({ type: "volume-by", delta: 0.05 });
    expect(hotkeyAction(key("ArrowUp"), "seek-slider")).to.deep.equal({ type: "volume-by", delta: 0.05 });
    expect(hotkeyAction(key("7"), "other")).to.deep.equal({ type: "seek-fraction", fraction: 0.7 });
    expect(hotkeyAction(key(">", { shiftKey: true }), "other")).to.deep.equal({ type: "rate-step", direction: 1 });
    expect(hotkeyAction(key("N", { shiftKey: true }), "other")).to.deep.equal({ type: "next" });
    expect(hotkeyAction(key("k", { ctrlKey: true }), "other")).to.equal(null);
    expect(hotkeyAction(key("F5"), "other")).to.equal(null);
  });

  it("knows a text field when it sees one", () => {
    const input = document.createElement("input");
    expect(isTextEntry(input)).to.equal(true);
    input.type = "range";
    expect(isTextEntry(input)).to.equal(false);
    expect(isTextEntry(document.createElement("textarea"))).to.equal(true);
    const editable = document.createElement("div");
    editable.contentEditable = "true";
    document.body.append(editable);
    expect(isTextEntry(editable)).to.equal(true);
    editable.remove();
    expect(isTextEntry(document.createElement("button"))).to.equal(false);
  });
});
