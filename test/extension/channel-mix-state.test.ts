/**
 * Issue 13, point 4, under the extension: a two-channel recording's mix is kept in the
 * background's playback state (a "player/channels" request from a player), handed to the audio
 * context in its target, and applied there through the engine's `setChannelMix`.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  applyReport,
  audioTarget,
  closeSession,
  initialPlaybackState,
  loadSession,
  reload,
  selectRecording,
  setChannelMix,
  type PlaybackSession,
  type PlaybackState,
} from "../../src/extension/background-playback-state.js";
import { audioTargetShape, backgroundRequest, playbackStateShape, SENDERS } from "../../src/extension/extension-messages.js";
import { AudioPlayer } from "../../extension/audio/audio-player.js";
import type { ChannelMix } from "../../src/player/channel-mix.js";
import { emptyEngineState, type EngineState } from "../../src/player/playback-engine.js";
import type { MediaElementEngine } from "../../src/player/media-element-engine.js";

const T0 = 1_700_000_000_000;
const session = (): PlaybackSession => ({
  origin: "http://127.0.0.1:8787",
  callId: "c-stereo",
  callTitle: "Call",
  sessionUrl: "http://127.0.0.1:8787/reports/call-session?call=c-stereo",
  apiBase: "http://127.0.0.1:8787/api",
  recordings: [
    { id: "r-1", src: "http://127.0.0.1:8787/api/recordings/r-1/audio?sig=a", title: "Segment 1", durationSeconds: 6, channels: ["Agent: Alice Jones", "Caller: +441632960001"] },
    { id: "r-2", src: "http://127.0.0.1:8787/api/recordings/r-2/audio?sig=a", title: "Segment 2", durationSeconds: 6 },
  ],
});
const loaded = (): PlaybackState => loadSession(initialPlaybackState(T0), { session: session(), index: 0, startAt: 0, play: true }, T0);

describe("the background's channel mix", () => {
  test("a player's mix is kept, given to the audio context, and both at full level leaves none", () => {
    const state = setChannelMix(loaded(), { left: 1, right: 0 });
    assert.deepEqual(state.channelMix, { left: 1, right: 0 });
    assert.equal(state.revision, loaded().revision + 1);
    assert.deepEqual(audioTarget(state, T0).channelMix, { left: 1, right: 0 });
    // The same mix again is no change; out-of-range gains are clamped.
    assert.equal(setChannelMix(state, { left: 1, right: 0 }), state);
    assert.deepEqual(setChannelMix(state, { left: 3, right: -1 }).channelMix, { left: 1, right: 0 });
    const full = setChannelMix(state, { left: 1, right: 1 });
    assert.equal(Object.hasOwn(full, "channelMix"), false);
    assert.equal(Object.hasOwn(audioTarget(full, T0), "channelMix"), false);
    // Nothing playing: nothing to mix.
    assert.equal(setChannelMix(initialPlaybackState(T0), { left: 1, right: 0 }).channelMix, undefined);
  });

  test("the same recording keeps its mix (a seek, a reload); another recording, the next at the end, or closing drops it", () => {
    const mixed = setChannelMix(loaded(), { left: 0.4, right: 1 });
    assert.deepEqual(reload(mixed, T0 + 1000).channelMix, { left: 0.4, right: 1 });
    assert.deepEqual(selectRecording(mixed, 0, 3, true, T0).channelMix, { left: 0.4, right: 1 });
    assert.equal(selectRecording(mixed, 1, 0, true, T0).channelMix, undefined);
    assert.equal(applyReport(mixed, { cue: mixed.cue, event: "ended", position: 6, duration: 6, paused: true, waiting: false, hasMetadata: true }, T0).channelMix, undefined);
    assert.equal(closeSession(mixed, T0).channelMix, undefined);
  });

  test("the request, the stored state and the target are validated, and only players send the request", () => {
    assert.deepEqual(backgroundRequest({ type: "player/channels", mix: { left: 0, right: 1 } }), { type: "player/channels", mix: { left: 0, right: 1 } });
    assert.throws(() => backgroundRequest({ type: "player/channels", mix: { left: 2, right: 1 } }));
    assert.throws(() => backgroundRequest({ type: "player/channels", mix: { left: 1 } }));
    assert.deepEqual(SENDERS["player/channels"], ["page", "popup"]);
    const state = setChannelMix(loaded(), { left: 1, right: 0 });
    assert.deepEqual(playbackStateShape(state), state);
    assert.deepEqual(audioTargetShape(audioTarget(state, T0)).channelMix, { left: 1, right: 0 });
  });
});

describe("the audio context applies the mix", () => {
  test("through the engine's setChannelMix, only when it differs", () => {
    const calls: ChannelMix[] = [];
    let engineState: EngineState = { ...emptyEngineState() };
    const engine = {
      get state() {
        return engineState;
      },
      subscribe: () => () => undefined,
      setVolume: () => undefined,
      setMuted: () => undefined,
      setPlaybackRate: () => undefined,
      load: (source: { src: string }) => {
        engineState = { ...engineState, src: source.src };
      },
      unload: () => undefined,
      seek: () => undefined,
      play: () => Promise.resolve(),
      pause: () => undefined,
      dispose: () => undefined,
      setChannelMix: (mix: ChannelMix) => {
        calls.push(mix);
        engineState = { ...engineState, channelMix: mix };
      },
    };
    const player = new AudioPlayer(() => undefined, engine as unknown as MediaElementEngine);
    const state = loaded();
    player.apply(audioTarget(state, T0));
    assert.deepEqual(calls, [], "as recorded: no mix is set");
    const mixed = setChannelMix(state, { left: 0, right: 1 });
    player.apply(audioTarget(mixed, T0));
    player.apply(audioTarget(mixed, T0));
    assert.deepEqual(calls, [{ left: 0, right: 1 }]);
    player.apply(audioTarget(setChannelMix(mixed, { left: 1, right: 1 }), T0));
    assert.deepEqual(calls, [{ left: 0, right: 1 }, { left: 1, right: 1 }]);
  });
});
