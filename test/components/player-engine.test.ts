import { expect, fixture, html } from "@open-wc/testing";
import type { RecordingPlayer } from "../../components/index.js";
import {
  emptyEngineState,
  type EngineCause,
  type EngineError,
  type EngineListener,
  type EngineSource,
  type EngineState,
  EVERYTHING_TAKEN_OVER,
  type PlaybackEngine,
} from "../../src/player/playback-engine.js";
import { memoryPreferenceStore } from "../../src/player/player-preferences.js";
import { click, part, press, waitFor, waitForStatus } from "../support/player-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

/** An engine that plays nowhere: what the extension's background engine looks like to the player. */
class FakeBackgroundEngine implements PlaybackEngine {
  readonly takesOver = EVERYTHING_TAKEN_OVER;
  readonly calls: string[] = [];
  state: EngineState = emptyEngineState();
  #listeners = new Set<EngineListener>();

  load(source: EngineSource): void {
    this.calls.push(`load ${source.src} @${source.startAt ?? 0}`);
    this.#set("load", { ...emptyEngineState(), volume: this.state.volume, muted: this.state.muted, playbackRate: this.state.playbackRate, src: source.src, currentTime: source.startAt ?? 0 });
    queueMicrotask(() => this.#set("loadedmetadata", { hasMetadata: true, duration: 100 }));
  }
  unload(): void {
    this.calls.push("unload");
    this.#set("unload", { ...emptyEngineState() });
  }
  async play(): Promise<void> {
    this.calls.push("play");
    this.#set("playing", { paused: false });
  }
  pause(): void {
    this.calls.push("pause");
    this.#set("pause", { paused: true });
  }
  seek(seconds: number): void {
    this.calls.push(`seek ${seconds}`);
    this.#set("seeked", { currentTime: seconds });
  }
  setVolume(volume: number): void {
    this.#set("volumechange", { volume });
  }
  setMuted(muted: boolean): void {
    this.calls.push(`muted ${muted}`);
    this.#set("volumechange", { muted });
  }
  setPlaybackRate(rate: number): void {
    this.#set("ratechange", { playbackRate: rate });
  }
  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  dispose(): void {
    this.#listeners.clear();
  }

  /** What the background context reports. */
  report(cause: EngineCause, change: Partial<EngineState>): void {
    this.#set(cause, change);
  }
  fail(error: EngineError): void {
    this.#set("pause", { paused: true, hasMetadata: false });
    for (const l of this.#listeners) l({ type: "error", src: this.state.src!, error });
  }

  #set(cause: EngineCause, change: Partial<EngineState>): void {
    this.state = { ...this.state, ...change };
    for (const l of this.#listeners) l({ type: "state", cause, state: this.state });
  }
}

describe("recording-player with another engine", () => {
  it("drives any engine that implements the interface, and shows what it reports", async () => {
    const engine = new FakeBackgroundEngine();
    const el = await fixture<RecordingPlayer>(html`<recording-player
      .preferences=${memoryPreferenceStore()}
      .engine=${engine}
      .retryDelays=${[50]}
      .recordings=${[{ id: "bg", src: "https://reports.example/audio/bg?sig=1", title: "Background", durationSeconds: 100 }]}
    ></recording-player>`);
    await waitForStatus(el, "ready");
    expect(engine.calls.filter((c) => c.startsWith("load") || c === "unload")).to.deep.equal(["load https://reports.example/audio/bg?sig=1 @0"]);
    await click(part(el, "play-button"));
    await waitForStatus(el, "playing");
    engine.report("timeupdate", { currentTime: 42 });
    await el.updateComplete;
    expect(part(el, "time").textContent!.trim()).to.equal("0:42 / 1:40");
    part(el, "play-button").focus();
    await press("m");
    expect(engine.calls).to.include("muted true");
    await press("l");
    expect(engine.calls).to.include("seek 52");

    // A failure the engine reports is recovered the same way: reloaded where it stood.
    engine.fail({ kind: "network", message: "offscreen document closed" });
    await waitFor(() => engine.calls.filter((c) => c.startsWith("load")).length === 2, "reloaded");
    expect(engine.calls.filter((c) => c.startsWith("load"))[1]).to.equal("load https://reports.example/audio/bg?sig=1 @52");
    await waitForStatus(el, "playing");

    // The audio plays outside the page: removing the player leaves it playing.
    el.remove();
    await nothingShouldHappenFor(20); // no unload may follow
    expect(engine.calls).to.not.include("unload");
    expect(engine.state.paused).to.equal(false);
  });

  it("does not retry what an engine that recovers by itself gave up on: one retry policy, not two", async () => {
    /** The extension's engine: its background has already retried and renewed before it reports. */
    class RecoveringEngine extends FakeBackgroundEngine {
      readonly recovers = true;
    }
    const engine = new RecoveringEngine();
    const el = await fixture<RecordingPlayer>(html`<recording-player
      .preferences=${memoryPreferenceStore()}
      .engine=${engine}
      .retryDelays=${[50, 50]}
      .recordings=${[{ id: "bg", src: "https://reports.example/audio/bg?sig=1", title: "Background", durationSeconds: 100 }]}
    ></recording-player>`);
    await waitForStatus(el, "ready");
    await click(part(el, "play-button"));
    await waitForStatus(el, "playing");
    engine.report("timeupdate", { currentTime: 30 });
    for (const kind of ["network", "expired"] as const) {
      const refresh: string[] = [];
      el.addEventListener("crec-refresh-url", () => refresh.push(kind), { once: true });
      const loads = engine.calls.filter((c) => c.startsWith("load")).length;
      engine.fail({ kind, message: "the background gave up" });
      await waitForStatus(el, "error");
      // Longer than every retry delay: nothing more was tried here, and no new link was asked of the page.
      await nothingShouldHappenFor(200);
      expect(engine.calls.filter((c) => c.startsWith("load")).length, kind).to.equal(loads);
      expect(refresh, kind).to.deep.equal([]);
      // Retry is the listener's: it loads again where it stood.
      await click(part(el, "retry-button"));
      await waitFor(() => engine.calls.filter((c) => c.startsWith("load")).length === loads + 1, "reloaded on Retry");
      expect(engine.calls.filter((c) => c.startsWith("load")).at(-1)).to.equal("load https://reports.example/audio/bg?sig=1 @30");
      engine.report("playing", { paused: false, currentTime: 30 });
    }
  });

  it("leaves the listener's settings to a background engine, and notes where a recording was left only when it is left", async () => {
    const store = memoryPreferenceStore();
    // This page once saved other settings; the background has its own, which stay.
    await store.savePreferences({ volume: 0.2, muted: true, playbackRate: 2 });
    const recordings = [{ id: "seg-1", src: "https://reports.example/audio/seg-1", title: "Segment 1", durationSeconds: 100 }];
    const engine = new FakeBackgroundEngine();
    const el = await fixture<RecordingPlayer>(html`<recording-player .preferences=${store} .engine=${engine} .recordings=${recordings}></recording-player>`);
    await waitForStatus(el, "ready");
    await nothingShouldHappenFor(50); // the page's old settings must not reach the background
    expect({ volume: engine.state.volume, muted: engine.state.muted, rate: engine.state.playbackRate }).to.deep.equal({ volume: 1, muted: false, rate: 1 });
    // Changed here, the settings go to the background, not into the page's store.
    el.volume = 0.5;
    await waitFor(() => engine.state.volume === 0.5, "the background's volume at 0.5");
    // Longer than the 250 ms the player waits before it saves settings: none are saved here.
    await nothingShouldHappenFor(400);
    expect(await store.loadPreferences()).to.deep.equal({ volume: 0.2, muted: true, playbackRate: 2, skipSilence: false });

    await el.play();
    engine.report("timeupdate", { currentTime: 30 });
    expect(await store.loadPositions(["seg-1"]), "nothing written while it plays").to.deep.equal([]);
    el.pause();
    expect((await store.loadPositions(["seg-1"])).map((p) => p.position), "noted where it was paused").to.deep.equal([30]);

    // Another page shows the call, with nothing playing in the background: it offers to continue there.
    el.remove();
    const next = new FakeBackgroundEngine();
    const again = await fixture<RecordingPlayer>(html`<recording-player .preferences=${store} .engine=${next} .recordings=${recordings}></recording-player>`);
    await waitFor(() => next.calls.some((c) => c.startsWith("load")), `cued (${next.calls.join(", ")})`);
    expect(next.calls.filter((c) => c.startsWith("load"))).to.deep.equal(["load https://reports.example/audio/seg-1 @30"]);
    expect(again.paused).to.equal(true);
  });

  it("takes over what the engine is already playing when a new page shows the call", async () => {
    const engine = new FakeBackgroundEngine();
    engine.load({ src: "https://reports.example/audio/seg-2?sig=old", startAt: 30 });
    await engine.play();
    engine.calls.length = 0;
    const el = await fixture<RecordingPlayer>(html`<recording-player
      .preferences=${memoryPreferenceStore()}
      .engine=${engine}
      .recordings=${[
        { id: "seg-1", src: "https://reports.example/audio/seg-1?sig=new", title: "Segment 1", durationSeconds: 100 },
        { id: "seg-2", src: "https://reports.example/audio/seg-2?sig=new", title: "Segment 2", durationSeconds: 100 },
      ]}
    ></recording-player>`);
    await waitForStatus(el, "playing");
    expect(el.currentIndex).to.equal(1);
    expect(el.currentTime).to.equal(30);
    expect(el.paused).to.equal(false);
    expect(engine.calls.filter((c) => c.startsWith("load") || c === "unload" || c === "pause")).to.deep.equal([]);
    // The next load takes this page's freshly signed URL.
    el.playRecording(0, 10);
    expect(engine.calls.filter((c) => c.startsWith("load"))).to.deep.equal(["load https://reports.example/audio/seg-1?sig=new @10"]);
  });
});
