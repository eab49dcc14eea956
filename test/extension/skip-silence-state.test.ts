/**
 * Issue 16, skip silence under the extension: the background keeps the choice for every page
 * (a "player/skip-silence" request, checked like every other), reads the playing recording's
 * silences from its peaks, and seeks past a silence over 2 s when the audio reports playing into
 * it, or meets one about to start with a timer, since reports come about once a second.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  closeSession,
  initialPlaybackState,
  loadSession,
  setSkipSilence,
  signOut,
  type AudioReport,
  type AudioTarget,
  type PlaybackSession,
} from "../../src/extension/background-playback-state.js";
import { backgroundRequest, playbackStateShape, requestUrls, SENDERS } from "../../src/extension/extension-messages.js";
import { PlaybackService } from "../../extension/background/playback-service.js";
import type { AudioHost } from "../../extension/background/audio-host.js";
import { until } from "../support/until.js";

const ORIGIN = "http://127.0.0.1:8787";
const T0 = 1_700_000_000_000;
const input = () => ({
  callId: "c-1",
  callTitle: "Call",
  sessionUrl: `${ORIGIN}/reports/call-session?call=c-1`,
  apiBase: `${ORIGIN}/api`,
  recordings: [{ id: "r-1", src: `${ORIGIN}/api/recordings/r-1/audio?sig=a`, title: "Segment 1", durationSeconds: 60, peaksUrl: `${ORIGIN}/api/recordings/r-1/peaks?sig=a` }],
});
const session = (): PlaybackSession => ({ origin: ORIGIN, ...input() });

describe("skip silence in the background's state", () => {
  test("on and off, kept through closing the player, forgotten at sign-out, stored and checked", () => {
    const loaded = loadSession(initialPlaybackState(T0), { session: session(), index: 0, startAt: 0 }, T0);
    const on = setSkipSilence(loaded, true);
    assert.equal(on.skipSilence, true);
    assert.equal(setSkipSilence(on, true), on, "the same again is no change");
    assert.equal(Object.hasOwn(setSkipSilence(on, false), "skipSilence"), false);
    assert.equal(closeSession(on, T0).skipSilence, true, "a preference, like the volume");
    assert.equal(signOut(on, T0).skipSilence, undefined, "nothing of it for the next person");
    assert.deepEqual(playbackStateShape(on), on);
    assert.throws(() => playbackStateShape({ ...on, skipSilence: "yes" }), /skipSilence: expected true or false/);
  });

  test("the request is checked, only players send it, and a recording's peaks URL must be on an enabled origin", () => {
    assert.deepEqual(backgroundRequest({ type: "player/skip-silence", on: true }), { type: "player/skip-silence", on: true });
    assert.throws(() => backgroundRequest({ type: "player/skip-silence", on: 1 }), /on: expected true or false/);
    assert.throws(() => backgroundRequest({ type: "player/skip-silence", on: true, extra: 1 }));
    assert.deepEqual(SENDERS["player/skip-silence"], ["page", "popup"]);
    const load = backgroundRequest({ type: "player/load", session: input(), index: 0, startAt: 0 });
    assert.ok(requestUrls(load).includes(`${ORIGIN}/api/recordings/r-1/peaks?sig=a`), "the peaks URL is among the URLs the sender's origin must allow");
    assert.throws(() => backgroundRequest({ type: "player/load", session: { ...input(), recordings: [{ ...input().recordings[0], peaksUrl: "" }] }, index: 0, startAt: 0 }), /peaksUrl: must not be empty/);
  });
});

class FakeAudio implements AudioHost {
  targets: AudioTarget[] = [];
  async apply(target: AudioTarget): Promise<void> {
    this.targets.push(target);
  }
  async isRunning(): Promise<boolean> {
    return true;
  }
  async warm(): Promise<void> {}
}

const services: PlaybackService[] = [];
after(() => services.forEach((s) => s.dispose()));

function harness(options: { expired?: string } = {}) {
  let now = T0;
  const audio = new FakeAudio();
  const asked: string[] = [];
  const service = new PlaybackService({
    audio,
    now: () => now,
    // The site signs fresh links, the peaks' too.
    renew: async () => [{ id: "r-1", src: `${ORIGIN}/api/recordings/r-1/audio?sig=b`, peaksUrl: `${ORIGIN}/api/recordings/r-1/peaks?sig=b` }],
    watchdogMs: 60_000,
    store: { load: async () => undefined, save: async () => undefined },
    silences: async (id, url) => {
      asked.push(`${id} ${url}`);
      if (url === options.expired) throw new Error(`${url} answered HTTP 403`);
      return [{ start: 20, end: 26 }];
    },
  });
  services.push(service);
  const report = (cue: number, position: number): AudioReport => ({ cue, event: "state", cause: "timeupdate", position, duration: 60, paused: false, waiting: false, hasMetadata: true });
  return { service, audio, asked, report, tick: (ms: number) => (now += ms) };
}

describe("the background skips silence", () => {
  test("playing into a silence over 2 s goes to 0.3 s before its end; off, it plays on", async () => {
    const h = harness();
    let state = await h.service.update((s, n) => loadSession(s, { session: session(), index: 0, startAt: 19, play: true }, n));
    await h.service.report(h.report(state.cue, 19));
    assert.deepEqual(h.asked, [], "off: the peaks are not even read");
    await h.service.report(h.report(state.cue, 21));
    assert.equal((await h.service.get()).position, 21, "off: the silence plays");

    state = await h.service.update((s) => setSkipSilence(s, true));
    await h.service.report(h.report(state.cue, 21.2));
    assert.deepEqual(h.asked, [`r-1 ${ORIGIN}/api/recordings/r-1/peaks?sig=a`]);
    await until(async () => (await h.service.report(h.report(state.cue, 21.5)), (await h.service.get()).cue !== state.cue), "the background seeks");
    const skipped = await h.service.get();
    assert.equal(skipped.position, 25.7);
    assert.equal(h.audio.targets.at(-1)?.position, 25.7, "the audio is told to go there");
    assert.equal(h.audio.targets.at(-1)?.playing, true);
    // Past the skip, reports go on in the recording's own time.
    await h.service.report(h.report(skipped.cue, 26.5));
    assert.equal((await h.service.get()).position, 26.5);
    assert.equal(h.asked.length, 1, "the silences are read once");
  });

  test("turned on after the peaks link expired, it asks the site for a fresh one", async () => {
    const h = harness({ expired: `${ORIGIN}/api/recordings/r-1/peaks?sig=a` });
    const state = await h.service.update((s, n) => setSkipSilence(loadSession(s, { session: session(), index: 0, startAt: 21, play: true }, n), true));
    await h.service.report(h.report(state.cue, 21));
    await until(async () => (await h.service.report(h.report(state.cue, 21.5)), (await h.service.get()).cue !== state.cue), "the background seeks");
    assert.deepEqual(h.asked, [`r-1 ${ORIGIN}/api/recordings/r-1/peaks?sig=a`, `r-1 ${ORIGIN}/api/recordings/r-1/peaks?sig=b`]);
    assert.equal((await h.service.get()).position, 25.7);
  });

  test("a silence starting before the next report is met by a timer", async () => {
    const h = harness();
    let state = await h.service.update((s, n) => setSkipSilence(loadSession(s, { session: session(), index: 0, startAt: 18, play: true }, n), true));
    await h.service.report(h.report(state.cue, 18));
    await until(() => h.asked.length === 1, "the silences are read");
    await h.service.report(h.report(state.cue, 19.9));
    // The clock moves past the silence's start; the timer (0.1 s away) fires without a report.
    h.tick(300);
    await until(async () => (await h.service.get()).cue !== state.cue, "the timer seeks", 3000);
    state = await h.service.get();
    assert.equal(state.position, 25.7);
  });
});
