/**
 * The background's logic without a browser: who may ask what (authorize), and the playback
 * service with a memory store and a fake audio context.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { authorize, RefusedError, type AuthorizeDependencies } from "../../extension/background/authorize.js";
import type { AudioHost } from "../../extension/background/audio-host.js";
import { PlaybackService, type UrlRenewer } from "../../extension/background/playback-service.js";
import { loadSession, pause, play, type AudioReport, type AudioTarget, type PlaybackState } from "../../src/extension/background-playback-state.js";
import { backgroundRequest } from "../../src/extension/extension-messages.js";
import { AccessRemovedError } from "../../src/player/playback-engine.js";
import { until } from "../support/until.js";

const ORIGIN = "http://127.0.0.1:8787";
const OTHER = "https://reports.example.com";

const session = (origin = ORIGIN) => ({
  callId: "c-1",
  callTitle: "Call 1",
  sessionUrl: `${origin}/reports/call-session?call=c-1`,
  apiBase: `${origin}/api`,
  recordings: [
    { id: "r-1", src: `${origin}/api/recordings/r-1/audio?sig=1`, title: "Segment 1", durationSeconds: 60 },
    { id: "r-2", src: `${origin}/api/recordings/r-2/audio?sig=1`, title: "Segment 2", durationSeconds: 60 },
  ],
});

describe("authorize", () => {
  const deps = (playing: string | null = null, user: string[] = [OTHER]): AuthorizeDependencies => ({
    userOrigins: async () => user,
    playingOrigin: async () => playing,
  });
  const page = { sender: "page" as const, origin: ORIGIN };
  const refused = async (request: unknown, context: Parameters<typeof authorize>[1], d = deps(), reason?: RegExp) => {
    await assert.rejects(authorize(backgroundRequest(request), context, d), (error: unknown) => error instanceof RefusedError && (!reason || reason.test(error.message)));
  };

  test("a page loads a call of its own origin", async () => {
    await authorize(backgroundRequest({ type: "player/load", session: session(), index: 0, startAt: 0 }), page, deps());
  });

  test("audio from a site that is not enabled is refused", async () => {
    const s = session();
    s.recordings[1]!.src = "https://attacker.example/a.wav";
    await refused({ type: "player/load", session: s, index: 0, startAt: 0 }, page, deps(), /not on an enabled reporting origin/);
  });

  test("a page may not name another site's session or API, even an enabled one", async () => {
    const s = { ...session(), apiBase: `${OTHER}/api` };
    await refused({ type: "player/load", session: s, index: 0, startAt: 0 }, page, deps(), /not on the page's own origin/);
  });

  test("a page may not hand over another enabled site's audio or download URLs", async () => {
    const audio = session();
    audio.recordings[1]!.src = `${OTHER}/api/recordings/r-9/audio?sig=1`;
    await refused({ type: "player/load", session: audio, index: 0, startAt: 0 }, page, deps(), /not on the page's own origin/);
    const download = session();
    (download.recordings[0] as { downloadUrl?: string }).downloadUrl = `${OTHER}/invoice.pdf.exe`;
    await refused({ type: "player/load", session: download, index: 0, startAt: 0 }, page, deps(), /not on the page's own origin/);
    await refused({ type: "player/urls", updates: [{ id: "r-1", src: `${OTHER}/a.wav` }] }, page, deps(ORIGIN), /not on the page's own origin/);
    // The same port of another enabled host is another origin.
    await refused({ type: "player/urls", updates: [{ id: "r-1", src: "http://localhost:8787/a.wav" }] }, page, deps(ORIGIN), /not on the page's own origin/);
    await authorize(backgroundRequest({ type: "player/urls", updates: [{ id: "r-1", src: `${ORIGIN}/a.wav` }] }), page, deps(ORIGIN));
  });

  test("a site's profile may name another origin for its recordings", async () => {
    const s = session();
    s.recordings[1]!.src = `${OTHER}/media/r-2.wav`;
    const d = { ...deps(), recordingOrigins: async (origin: string) => (origin === ORIGIN ? [OTHER] : []) };
    await authorize(backgroundRequest({ type: "player/load", session: s, index: 0, startAt: 0 }), page, d);
  });

  test("a page controls only what its own origin started", async () => {
    await authorize(backgroundRequest({ type: "player/pause" }), page, deps(ORIGIN));
    await authorize(backgroundRequest({ type: "player/pause" }), page, deps(null));
    await refused({ type: "player/pause" }, page, deps(OTHER), /another site/);
    await refused({ type: "player/download", recordingId: "r-1" }, page, deps(OTHER));
  });

  test("requests go only to the senders that may send them", async () => {
    await refused({ type: "origins/add", origin: OTHER }, page);
    await refused({ type: "origins/add", origin: OTHER }, { sender: "popup", origin: null });
    await authorize(backgroundRequest({ type: "origins/add", origin: OTHER }), { sender: "options", origin: null }, deps());
    await refused({ type: "audio/ready" }, page);
    await refused({ type: "player/load", session: session(), index: 0, startAt: 0 }, { sender: "popup", origin: null });
    await authorize(backgroundRequest({ type: "player/toggle" }), { sender: "popup", origin: null }, deps(OTHER));
  });
});

class FakeAudio implements AudioHost {
  running = false;
  targets: AudioTarget[] = [];
  async apply(target: AudioTarget): Promise<void> {
    if (target.playing) this.running = true;
    this.targets.push(target);
  }
  async isRunning(): Promise<boolean> {
    return this.running;
  }
  async warm(): Promise<void> {
    this.running = true;
  }
  get last(): AudioTarget | undefined {
    return this.targets.at(-1);
  }
}

const services: PlaybackService[] = [];
after(() => services.forEach((s) => s.dispose()));

function harness(options: { stored?: unknown; audio?: FakeAudio; renew?: UrlRenewer; retryDelaysMs?: number[]; watchdogMs?: number; restarted?: boolean } = {}) {
  let now = 1_000_000;
  let stored: unknown = options.stored;
  const saves: PlaybackState[] = [];
  const audio = options.audio ?? new FakeAudio();
  const service = new PlaybackService({
    audio,
    now: () => now,
    renew: options.renew ?? (async () => []),
    recovery: { retryDelaysMs: options.retryDelaysMs ?? [1], maxRefreshes: 1 },
    watchdogMs: options.watchdogMs ?? 60_000,
    ...(options.restarted !== undefined ? { restarted: async () => options.restarted! } : {}),
    store: {
      load: async () => stored,
      save: async (state) => {
        stored = JSON.parse(JSON.stringify(state));
        saves.push(state);
      },
    },
  });
  services.push(service);
  return {
    service,
    audio,
    saves,
    stored: () => stored,
    tick: (ms: number) => {
      now += ms;
    },
    now: () => now,
    start: (index = 0, at = 0) => service.update((s, n) => loadSession(s, { session: { origin: ORIGIN, ...session() }, index, startAt: at, play: true }, n)),
  };
}

const report = (cue: number, patch: Partial<AudioReport> = {}): AudioReport => ({
  cue,
  event: "state",
  cause: "timeupdate",
  position: 0,
  duration: 60,
  paused: false,
  waiting: false,
  hasMetadata: true,
  ...patch,
});

describe("the playback service", () => {
  test("a change is stored and handed to the audio as a target", async () => {
    const h = harness();
    const state = await h.start(0, 5);
    assert.equal((h.stored() as PlaybackState).revision, state.revision);
    assert.deepEqual(h.audio.last, { cue: 1, src: `${ORIGIN}/api/recordings/r-1/audio?sig=1`, position: 5, playing: true, volume: 1, muted: false, rate: 1 });
  });

  test("reports move the stored position without troubling the audio again", async () => {
    const h = harness();
    const { cue } = await h.start();
    const sent = h.audio.targets.length;
    for (let i = 1; i <= 3; i++) {
      h.tick(1000);
      await h.service.report(report(cue, { position: i }));
    }
    assert.equal((h.stored() as PlaybackState).position, 3);
    assert.equal(h.audio.targets.length, sent, "the audio already does what the state says");
  });

  test("a restart of the background finds the state as it was; with the audio gone, paused where it was heard", async () => {
    const first = harness();
    const { cue } = await first.start(0, 10);
    first.tick(1000);
    await first.service.report(report(cue, { position: 11 }));
    const second = harness({ stored: first.stored() });
    first.tick(30_000);
    const state = await second.service.get();
    assert.equal(state.paused, true);
    assert.equal(state.position, 11);
    assert.equal(state.session?.callId, "c-1");
    const resumed = await second.service.update(play);
    assert.equal(second.audio.last?.position, 11);
    assert.equal(second.audio.last?.playing, true);
    assert.equal(resumed.cue, cue, "the same cue: a new audio context loads it at the position");
  });

  test("a background started again while the browser runs, its audio context gone meanwhile, plays on in a new one from where it was heard", async () => {
    const first = harness();
    const { cue } = await first.start(0, 10);
    first.tick(1000);
    await first.service.report(report(cue, { position: 11 }));
    // The service worker was stopped, and the offscreen document closed before anything woke it.
    const second = harness({ stored: first.stored(), restarted: true });
    const state = await second.service.get();
    assert.equal(state.paused, false);
    assert.equal(state.waiting, true, "waiting for the new audio context");
    assert.deepEqual(second.audio.last && { position: second.audio.last.position, playing: second.audio.last.playing, cue: second.audio.last.cue }, { position: 11, playing: true, cue });
    assert.equal((second.stored() as PlaybackState).paused, false);
  });

  test("a background started again while the browser runs leaves paused playback paused", async () => {
    const first = harness();
    await first.start(0, 10);
    await first.service.update(pause);
    const second = harness({ stored: first.stored(), restarted: true });
    assert.equal((await second.service.get()).paused, true);
    assert.equal(second.audio.targets.length, 0, "no audio context opened to stay silent");
  });

  test("a restart while the audio still plays (the service worker was stopped) leaves it playing", async () => {
    const first = harness();
    await first.start(0, 10);
    const audio = new FakeAudio();
    audio.running = true;
    const second = harness({ stored: first.stored(), audio });
    assert.equal((await second.service.get()).paused, false);
  });

  test("a damaged stored state is set aside for a fresh one", async () => {
    const h = harness({ stored: { version: 1, session: "garbage" } });
    assert.equal((await h.service.get()).session, null);
  });

  test("changes run one after another, each on the state the last left", async () => {
    const h = harness();
    await h.start();
    const results = await Promise.all([h.service.update(pause), h.service.update(play), h.service.update(pause)]);
    assert.deepEqual(
      results.map((s) => s.paused),
      [true, false, true],
    );
  });

  test("a lost connection is retried from the same position before the listener hears of it", async () => {
    const h = harness({ retryDelaysMs: [5] });
    const { cue } = await h.start(0, 20);
    await h.service.report(report(cue, { event: "error", position: 21, error: { kind: "network", message: "reset" } }));
    let state = await h.service.get();
    assert.equal(state.error, null);
    assert.equal(state.waiting, true);
    await until(async () => (await h.service.get()).cue !== cue, "the retry");
    state = await h.service.get();
    assert.equal(state.cue, cue + 1);
    assert.equal(h.audio.last?.position, 21);
    assert.equal(h.audio.last?.playing, true);
    // It fails again, with no retries left: now the listener is told, and playback pauses there.
    await h.service.report(report(state.cue, { event: "error", position: 21, error: { kind: "network", message: "reset again" } }));
    state = await h.service.get();
    assert.equal(state.error?.kind, "network");
    assert.equal(state.paused, true);
  });

  test("an expired link is renewed from the reporting server and playback resumes where it was", async () => {
    const renewed: string[] = [];
    const h = harness({
      renew: async (s) => {
        renewed.push(s.callId);
        return [{ id: "r-1", src: `${ORIGIN}/api/recordings/r-1/audio?sig=2` }];
      },
    });
    const { cue } = await h.start(0, 30);
    await h.service.report(report(cue, { event: "error", position: 31, error: { kind: "expired", message: "403", status: 403 } }));
    const state = await h.service.get();
    assert.deepEqual(renewed, ["c-1"]);
    assert.equal(state.error, null);
    assert.equal(h.audio.last?.src, `${ORIGIN}/api/recordings/r-1/audio?sig=2`);
    assert.equal(h.audio.last?.position, 31);
  });

  test("when renewing fails (signed out), the failure is shown", async () => {
    const h = harness({ renew: async () => Promise.reject(new Error("401 (signed out)")) });
    const { cue } = await h.start(0, 30);
    await h.service.report(report(cue, { event: "error", position: 31, error: { kind: "expired", message: "403" } }));
    const state = await h.service.get();
    assert.equal(state.error?.kind, "expired");
    assert.match(state.error?.message ?? "", /signed out/);
  });

  test("a recording the user may no longer play (renewing no longer lists it) is said to be access removed", async () => {
    for (const renew of [async () => [{ id: "r-2", src: `${ORIGIN}/api/recordings/r-2/audio?sig=2` }], async () => Promise.reject(new AccessRemovedError("call c-1 is no longer there for this user"))]) {
      const h = harness({ renew });
      const { cue } = await h.start(0, 30);
      await h.service.report(report(cue, { event: "error", position: 31, error: { kind: "not-found", message: "404", status: 404 } }));
      const state = await h.service.get();
      assert.equal(state.error?.kind, "forbidden");
    }
  });

  test("when the audio context is closed while playing (Chrome: 30 s not audible), it carries on in a new one from where it had got to", async () => {
    const h = harness({ watchdogMs: 20 });
    const { cue } = await h.start(0, 10);
    await h.service.report(report(cue, { position: 10, cause: "playing" }));
    h.tick(2000);
    h.audio.running = false;
    const sent = h.audio.targets.length;
    await until(() => h.audio.targets.length > sent, "the audio told to carry on");
    assert.equal(h.audio.targets.length, sent + 1);
    assert.equal(h.audio.last?.playing, true);
    assert.equal(h.audio.last?.position, 12);
    assert.equal((await h.service.get()).waiting, true, "waiting for the new audio context");
  });

  test("the audio context asking on start gets the current target", async () => {
    const h = harness();
    await h.start(1, 7);
    const target = await h.service.target();
    assert.equal(target.src, `${ORIGIN}/api/recordings/r-2/audio?sig=1`);
    assert.equal(target.position, 7);
  });
});

