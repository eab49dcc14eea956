import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { applyReport, closeSession, failed, initialPlaybackState, loadSession, pause, type PlaybackState } from "../../src/extension/background-playback-state.js";
import type { BackgroundRequest } from "../../src/extension/extension-messages.js";
import type { EngineEvent, EngineState } from "../../src/player/playback-engine.js";
import { ExtensionEngine } from "../../extension/shared/extension-engine.js";
import { nothingShouldHappenFor, until } from "../support/until.js";

const ORIGIN = "http://127.0.0.1:8787";
const background = (id: string) => `${ORIGIN}/api/recordings/${id}/audio?sig=old`;
const page = (id: string) => `${ORIGIN}/api/recordings/${id}/audio?sig=page`;

function playingState(index = 0, at = 10): PlaybackState {
  const now = Date.now();
  const s = loadSession(
    initialPlaybackState(now),
    {
      session: {
        origin: ORIGIN,
        callId: "c-1",
        callTitle: "Call 1",
        sessionUrl: `${ORIGIN}/reports/call-session?call=c-1`,
        apiBase: `${ORIGIN}/api`,
        recordings: ["r-1", "r-2"].map((id) => ({ id, src: background(id), title: id, durationSeconds: 60 })),
      },
      index,
      startAt: at,
      play: true,
    },
    now,
  );
  return applyReport(s, { cue: s.cue, event: "state", cause: "playing", position: at, duration: 60, paused: false, waiting: false, hasMetadata: true }, now);
}

function harness(answer: (request: BackgroundRequest) => unknown = () => null) {
  const sent: BackgroundRequest[] = [];
  const events: EngineEvent[] = [];
  const engine = new ExtensionEngine({
    send: async (request) => {
      sent.push(request);
      return answer(request);
    },
    loadRequest: (source) => ({ type: "player/select", index: source.src.includes("r-2") ? 1 : 0, startAt: source.startAt ?? 0, play: false }),
    // The page knows the recordings by its own signed URLs.
    srcFor: (id) => page(id),
  });
  engine.subscribe((event) => events.push(event));
  return { engine, sent, events };
}

describe("the extension's engine", () => {
  test("shows the background's playback, by the page's own URLs, moving on between reports", async (t) => {
    const { engine } = harness();
    t.after(() => engine.dispose());
    engine.receive(playingState(0, 10));
    const state = engine.state;
    assert.equal(state.src, page("r-1"));
    assert.equal(state.paused, false);
    assert.equal(state.duration, 60);
    assert.equal(state.hasMetadata, true);
    await until(() => engine.state.currentTime > 10.2, "the time to move on between reports");
    assert.ok(engine.state.currentTime > 10.2, `extrapolated: ${engine.state.currentTime}`);
  });

  test("nothing playing looks like an engine with nothing loaded", (t) => {
    const { engine } = harness();
    t.after(() => engine.dispose());
    engine.receive(null);
    assert.equal(engine.state.src, null);
    assert.equal(engine.state.paused, true);
  });

  test("commands go to the background one at a time, in order, and their answers are taken in", async (t) => {
    let state = playingState();
    const { engine, sent } = harness((request) => {
      if (request.type === "player/pause") state = pause(state, Date.now());
      return state;
    });
    t.after(() => engine.dispose());
    engine.receive(state);
    engine.pause();
    await Promise.resolve();
    assert.equal(engine.state.paused, true, "shown before the background answers");
    engine.seek(20);
    engine.setVolume(0.5);
    await engine.play();
    assert.deepEqual(
      sent.map((r) => r.type),
      ["player/pause", "player/seek", "player/volume", "player/play"],
    );
  });

  test("closing waits for the commands before it: a load still waiting for its answer cannot bring the call back after it", async (t) => {
    // The background as it runs: each request is taken in the order it arrives.
    let state: PlaybackState = playingState();
    let answerLoad: () => void = () => undefined;
    const loadAnswered = new Promise<void>((resolve) => (answerLoad = resolve));
    const { engine, sent } = harness(async (request) => {
      if (request.type === "player/select") {
        state = playingState(request.index, request.startAt);
        // Slow to answer, as a load is while the background asks the site who is signed in.
        await loadAnswered;
      }
      if (request.type === "player/close") state = closeSession(state, Date.now());
      if (request.type === "player/pause") state = pause(state, Date.now());
      return state;
    });
    t.after(() => engine.dispose());
    engine.receive(state);
    engine.load({ src: page("r-2"), startAt: 4 });
    void engine.play();
    const closed = engine.close();
    engine.pause();
    assert.equal(engine.state.paused, true, "shown paused at once");
    await nothingShouldHappenFor(50);
    assert.deepEqual(sent.map((r) => r.type), ["player/select"], "nothing overtakes the load");
    answerLoad();
    await closed;
    await until(() => sent.length === 4, "the pause after the close");
    assert.deepEqual(sent.map((r) => r.type), ["player/select", "player/play", "player/close", "player/pause"]);
    assert.equal(state.session, null, "the call is forgotten");
    await until(() => engine.state.src === null, "the player to show nothing loaded");
  });

  test("loading shows the new source at once and asks the background with the view's own request", async (t) => {
    const { engine, sent, events } = harness();
    t.after(() => engine.dispose());
    engine.receive(playingState());
    engine.load({ src: page("r-2"), startAt: 4 });
    assert.equal(engine.state.src, page("r-2"));
    assert.equal(engine.state.currentTime, 4);
    const last = events.at(-1);
    assert.equal(last?.type === "state" ? last.cause : null, "load");
    await until(() => sent.length > 0, "the request to the background");
    assert.deepEqual(sent, [{ type: "player/select", index: 1, startAt: 4, play: false }]);
  });

  test("unloading stops nothing: the audio belongs to every view of it", (t) => {
    const { engine, sent } = harness();
    t.after(() => engine.dispose());
    engine.receive(playingState());
    engine.unload();
    assert.equal(engine.state.src, null);
    assert.deepEqual(sent, []);
    assert.equal(engine.takesOver.lifetime, true, "the audio goes on without the player");
  });

  test("a recording that played to its end is reported as ended, by the page's URL", (t) => {
    const { engine, events } = harness();
    t.after(() => engine.dispose());
    const s = playingState(0, 59.9);
    engine.receive(s);
    engine.receive(applyReport(s, { cue: s.cue, event: "ended", position: 60, duration: 60, paused: true, waiting: false, hasMetadata: true }, Date.now()));
    const ended = events.filter((e) => e.type === "ended");
    assert.deepEqual(ended, [{ type: "ended", src: page("r-1") }]);
    assert.equal(engine.state.src, page("r-2"), "the sequence moved on in the background");
  });

  test("a failure the background gave up on is reported once", (t) => {
    const { engine, events } = harness();
    t.after(() => engine.dispose());
    const s = failed(playingState(), { kind: "expired", message: "403" }, 12, Date.now());
    engine.receive(s);
    engine.receive({ ...s, revision: s.revision + 1 });
    const errors = events.filter((e) => e.type === "error");
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0], { type: "error", src: page("r-1"), error: { kind: "expired", message: "403" } });
  });

  test("changes made elsewhere are told apart from the engine's own", async (t) => {
    let state = playingState();
    const { engine } = harness((request) => (request.type === "player/pause" ? (state = pause(state, Date.now())) : state));
    t.after(() => engine.dispose());
    const outside: EngineState[] = [];
    engine.subscribe((event) => {
      if (event.type === "state" && event.outside) outside.push(event.state);
    });
    engine.receive(state);
    engine.pause();
    await nothingShouldHappenFor(0); // no report of its own pause may follow
    assert.equal(engine.state.paused, true);
    assert.equal(outside.length, 0, "its own pause is not news");
    const played = { ...state, paused: false, revision: state.revision + 1 };
    engine.receive(played);
    assert.equal(outside.length, 1, "someone else played it");
    assert.equal(outside[0]!.paused, false);
    engine.receive({ ...played, position: 30, revision: played.revision + 1 });
    assert.equal(outside.length, 1, "a moving position is no news");
  });

  test("an older state arriving late is ignored", (t) => {
    const { engine } = harness();
    t.after(() => engine.dispose());
    const s = playingState();
    const newer = pause(s, Date.now());
    engine.receive(newer);
    engine.receive(s);
    assert.equal(engine.state.paused, true);
  });
});
