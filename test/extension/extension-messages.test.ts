import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { initialPlaybackState, loadSession } from "../../src/extension/background-playback-state.js";
import {
  audioCommand,
  backgroundRequest,
  CHANNEL_HELLO,
  classifySender,
  isChannelHello,
  PAGE_REQUEST_TYPES,
  pageToContent,
  playbackStateShape,
  RemoteError,
  requestUrls,
  SENDERS,
  stateForPage,
  unwrapReply,
  type SelfFacts,
  type SessionInput,
} from "../../src/extension/extension-messages.js";
import { check } from "../../src/shape.js";
import { isEnabledOrigin } from "../../src/extension/origins.js";

const ORIGIN = "http://127.0.0.1:8787";
const EXT = "chrome-extension://fpkcpcfiphkmobdkoilabmmoinkdodpm";
const self: SelfFacts = {
  id: "fpkcpcfiphkmobdkoilabmmoinkdodpm",
  popupUrl: `${EXT}/extension/popup/popup.html`,
  optionsUrl: `${EXT}/extension/options/options.html`,
  offscreenUrl: `${EXT}/extension/offscreen/offscreen.html`,
};

const sessionInput = (): SessionInput => ({
  callId: "c-1234",
  callTitle: "27 Nov 2026, 11:39 · +441632960973 → +441632960110",
  sessionUrl: `${ORIGIN}/reports/call-session?call=c-1234`,
  apiBase: `${ORIGIN}/api`,
  recordings: [{ id: "r234-1", src: `${ORIGIN}/api/recordings/r234-1/audio?sig=x`, downloadUrl: `${ORIGIN}/api/recordings/r234-1/download?sig=y`, title: "Segment 1 · Eve", durationSeconds: 280, contentType: "audio/wav" }],
});

const load = () => ({ type: "player/load", session: sessionInput(), index: 0, startAt: 12.5, play: true });

describe("request shapes", () => {
  test("every well-formed request passes and comes back as it was", () => {
    const requests: unknown[] = [
      load(),
      { type: "player/play" },
      { type: "player/seek", seconds: 30 },
      { type: "player/skip", seconds: -10 },
      { type: "player/select", index: 1, startAt: 0, play: true },
      { type: "player/volume", volume: 0.4 },
      { type: "player/muted", muted: true },
      { type: "player/rate", rate: 1.5 },
      { type: "player/urls", updates: [{ id: "r-1", src: `${ORIGIN}/a` }] },
      { type: "player/download", recordingId: "r-1" },
      { type: "origins/add", origin: "https://reports.example.com" },
      { type: "audio/report", report: { cue: 3, event: "state", cause: "timeupdate", position: 1, duration: null, paused: false, waiting: false, hasMetadata: true } },
    ];
    for (const request of requests) assert.deepEqual(backgroundRequest(request), request);
  });

  test("an unknown type, a missing field, a wrong type or an extra key is refused, naming the path", () => {
    const cases: [unknown, RegExp][] = [
      [{ type: "player/explode" }, /request\.type: is not a known type/],
      [{ type: "player/seek" }, /request\.seconds: expected a finite number, got undefined/],
      [{ type: "player/seek", seconds: "10" }, /request\.seconds: expected a finite number/],
      [{ type: "player/seek", seconds: Number.NaN }, /finite number/],
      [{ type: "player/play", script: "alert(1)" }, /request\.script: is not expected here/],
      [{ ...load(), index: 1.5 }, /request\.index: must be a whole number/],
      [{ ...load(), session: { ...sessionInput(), recordings: [] } }, /request\.session\.recordings: must have at least 1 item/],
      [{ ...load(), session: { ...sessionInput(), callId: "x".repeat(201) } }, /request\.session\.callId: must have at most 200 characters/],
      [{ ...load(), session: { ...sessionInput(), recordings: [{ ...sessionInput().recordings[0], src: 42 }] } }, /request\.session\.recordings\[0\]\.src: expected a string/],
      [{ type: "player/volume", volume: 2 }, /request\.volume: must be from 0 to 1/],
      ["player/play", /request: expected an object, got string/],
      [null, /request: expected an object, got null/],
      [[{ type: "player/play" }], /expected an object, got an array/],
    ];
    for (const [value, problem] of cases) {
      const result = check(backgroundRequest, value, "request");
      assert.equal(result.ok, false, JSON.stringify(value)?.slice(0, 80));
      if (!result.ok) assert.match(result.problem, problem);
    }
  });

  test("what passes is a fresh plain copy holding only the named keys", () => {
    const original = { type: "player/seek", seconds: 3 };
    const checked = backgroundRequest(original);
    assert.notEqual(checked, original);
    assert.equal(Object.getPrototypeOf(checked), Object.prototype);
    assert.deepEqual(Object.keys(checked), ["type", "seconds"]);
  });

  test("the page's world may send only the player's requests", () => {
    assert.ok(PAGE_REQUEST_TYPES.includes("player/load"));
    assert.ok(PAGE_REQUEST_TYPES.includes("player/warm"), "a page may have the audio context made ready");
    assert.ok(!PAGE_REQUEST_TYPES.some((t) => t.startsWith("origins/") || t.startsWith("audio/")));
    assert.equal(check(pageToContent, { kind: "request", id: 1, request: { type: "origins/add", origin: "https://evil.example" } }).ok, false);
    assert.equal(check(pageToContent, { kind: "request", id: 1, request: { type: "audio/ready" } }).ok, false);
    assert.equal(check(pageToContent, { kind: "request", id: 1, request: { type: "player/pause" } }).ok, true);
  });

  test("the channel handover is recognised only in its exact form", () => {
    assert.ok(isChannelHello({ type: CHANNEL_HELLO, version: 1 }));
    assert.ok(!isChannelHello({ type: CHANNEL_HELLO, version: 2 }));
    assert.ok(!isChannelHello({ type: CHANNEL_HELLO, version: 1, extra: true }));
    assert.ok(!isChannelHello("crec-extension-channel"));
  });

  test("commands to the audio context are checked too", () => {
    const target = { cue: 1, src: `${ORIGIN}/a`, position: 0, playing: true, volume: 1, muted: false, rate: 1 };
    assert.equal(check(audioCommand, { to: "offscreen", type: "audio/target", target }).ok, true);
    assert.equal(check(audioCommand, { to: "offscreen", type: "audio/target", target: { ...target, rate: 9 } }).ok, false);
  });

  test("the stored playback state round-trips, and a damaged one is refused", () => {
    const state = loadSession(initialPlaybackState(1), { session: { origin: ORIGIN, ...sessionInput() }, index: 0, startAt: 3 }, 2);
    assert.deepEqual(playbackStateShape(JSON.parse(JSON.stringify(state))), state);
    assert.equal(check(playbackStateShape, { ...state, version: 2 }).ok, false);
    assert.equal(check(playbackStateShape, { ...state, index: "0" }).ok, false);
  });
});

describe("senders", () => {
  const enabled = (origin: string) => isEnabledOrigin(origin, ["https://reports.example.com"]);

  test("a content script in a tab of an enabled reporting origin is a page", () => {
    assert.equal(classifySender({ id: self.id, url: `${ORIGIN}/reports/call-list`, fromTab: true }, self, enabled), "page");
    assert.equal(classifySender({ id: self.id, url: "https://reports.example.com/x", fromTab: true, origin: "https://reports.example.com" }, self, enabled), "page");
  });

  test("a tab of any other origin, another extension, or a mismatched origin is no one", () => {
    assert.equal(classifySender({ id: self.id, url: "https://evil.example/", fromTab: true }, self, enabled), null);
    assert.equal(classifySender({ id: "someone-else", url: `${ORIGIN}/`, fromTab: true }, self, enabled), null);
    assert.equal(classifySender({ id: self.id, url: `${ORIGIN}/`, fromTab: true, origin: "https://evil.example" }, self, enabled), null);
    assert.equal(classifySender({ id: self.id, fromTab: true }, self, enabled), null);
    assert.equal(classifySender({ id: self.id, url: "not a url", fromTab: true }, self, enabled), null);
  });

  test("our own pages are told apart by their address", () => {
    assert.equal(classifySender({ id: self.id, url: `${self.popupUrl}?x#y`, fromTab: false }, self, enabled), "popup");
    assert.equal(classifySender({ id: self.id, url: self.optionsUrl, fromTab: false }, self, enabled), "options");
    assert.equal(classifySender({ id: self.id, url: self.offscreenUrl, fromTab: false }, self, enabled), "offscreen");
    assert.equal(classifySender({ id: self.id, url: `${EXT}/other.html`, fromTab: false }, self, enabled), null);
    // The options page opens in a tab, and so may the popup.
    assert.equal(classifySender({ id: self.id, url: self.optionsUrl, fromTab: true }, self, enabled), "options");
    assert.equal(classifySender({ id: self.id, url: self.popupUrl, fromTab: true }, self, enabled), "popup");
    assert.equal(classifySender({ id: self.id, url: `${EXT}/other.html`, fromTab: true }, self, enabled), null);
  });

  test("each request names who may send it; the options are the options page's alone", () => {
    assert.deepEqual(SENDERS["origins/add"], ["options"]);
    assert.deepEqual(SENDERS["audio/report"], ["offscreen"]);
    assert.deepEqual(SENDERS["player/load"], ["page"]);
    assert.ok(SENDERS["player/pause"].includes("popup"));
  });

  test("the URLs a request carries are all named, for the origin check", () => {
    const urls = requestUrls(backgroundRequest(load()));
    assert.deepEqual(urls.sort(), [
      `${ORIGIN}/api`,
      `${ORIGIN}/api/recordings/r234-1/audio?sig=x`,
      `${ORIGIN}/api/recordings/r234-1/download?sig=y`,
      `${ORIGIN}/reports/call-session?call=c-1234`,
    ]);
    assert.deepEqual(requestUrls(backgroundRequest({ type: "player/play" })), []);
  });
});

describe("what pages see, and errors across the boundary", () => {
  test("a page sees the playback of its own origin only", () => {
    const state = loadSession(initialPlaybackState(1), { session: { origin: ORIGIN, ...sessionInput() }, index: 0, startAt: 0 }, 1);
    assert.equal(stateForPage(state, ORIGIN), state);
    assert.equal(stateForPage(state, "https://reports.example.com"), null);
    const idle = initialPlaybackState(1);
    assert.equal(stateForPage(idle, "https://reports.example.com"), idle);
  });

  test("a failure comes back as a RemoteError with the original as its cause", () => {
    assert.equal(unwrapReply({ ok: true, value: 3 }, "x"), 3);
    assert.throws(
      () => unwrapReply({ ok: false, error: { name: "RefusedError", message: "no" } }, "player/load"),
      (error: unknown) => error instanceof RemoteError && error.message === "player/load: no" && (error.cause as { name: string }).name === "RefusedError",
    );
    assert.throws(() => unwrapReply("garbage", "x"), /reply: expected an object/);
  });
});
