import { expect, fixture, html } from "@open-wc/testing";
import { render } from "lit";
import type { RecordingPlayer } from "../../components/index.js";
import { ResumeController } from "../../components/recording-player/resume-controller.js";
import { MediaElementEngine } from "../../src/player/media-element-engine.js";
import { EVERYTHING_TAKEN_OVER } from "../../src/player/playback-engine.js";
import { memoryPreferenceStore } from "../../src/player/player-preferences.js";
import type { RecordingUpdate } from "../../src/player/player-state.js";
import { freshSessionStore, parts, sessionFixture, WAIT_MS, waitFor, waitForStatus } from "../support/session-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

/** An engine the browser will not let play until the user does something. */
class AutoplayBlockedEngine extends MediaElementEngine {
  allowed = false;
  override play(): Promise<void> {
    return this.allowed ? super.play() : Promise.reject(new DOMException("play() needs a user gesture", "NotAllowedError"));
  }
}

/** An engine that plays elsewhere (as the extension's does). */
class BackgroundEngine extends MediaElementEngine {
  readonly takesOver = EVERYTHING_TAKEN_OVER;
}

/** Plays recording 2 of c-transfer from 30 s and leaves the page; returns where it stood. */
async function playAndLeave(): Promise<number> {
  const { section, player } = await sessionFixture({ callId: "c-transfer" });
  await waitForStatus(section, "ready");
  await ResumeController.for(player).restored;
  parts(section, "play-button")[1]!.click();
  await waitFor(() => player.currentIndex === 1 && !player.paused && player.currentTime > 0.2, "playing");
  player.seekTo(30);
  await waitFor(() => player.currentTime > 31, "past 31 s");
  dispatchEvent(new PageTransitionEvent("pagehide", { persisted: false }));
  const left = player.currentTime;
  section.parentElement!.remove();
  return left;
}

/** The next page: a section for another call, and the site's empty docked player. */
async function nextPage(engine?: MediaElementEngine): Promise<{ player: RecordingPlayer }> {
  const root = await fixture<HTMLElement>(html`<div>
    <call-session-recordings call-id="c-alice"></call-session-recordings>
    <recording-player docked .preferences=${memoryPreferenceStore()} .engine=${engine ?? new MediaElementEngine()}></recording-player>
  </div>`);
  const player = root.querySelector("recording-player")!;
  // The section gives the page's docked player the controller (a player may also attach it itself).
  await waitFor(() => ResumeController.attachedTo(player) !== null, "the resume controller on the docked player");
  return { player };
}

/**
 * Each test's limit: five waits (playing, past 31 s, the next page's controller, resumed…) on a
 * machine that may be busy, each with the helpers' default limit, so a slow step says which it was.
 */
const RESUME_TEST_MS = 5 * WAIT_MS;

describe("call-session-recordings: playback carries on across page loads", () => {
  const session = freshSessionStore("admin");

  it("the next page's docked player plays on from the same recording and point", async function () {
    this.timeout(RESUME_TEST_MS);
    const left = await playAndLeave();
    const saved = await session.store.load();
    expect(saved).to.include({ callId: "c-transfer", index: 1, playing: true });
    expect(saved!.position).to.be.closeTo(left, 1.1);

    const { player } = await nextPage();
    expect(await ResumeController.for(player).restored).to.deep.include({ action: "play", index: 1 });
    await waitFor(() => player.currentIndex === 1 && !player.paused && player.currentTime >= left - 0.5, `resumed (at ${player.currentTime})`);
    expect(player.currentTime).to.be.closeTo(left, 2.5);
    expect(player.recordings.map((r) => r.title)).to.deep.equal(["Segment 2 · \u2068Bob Tester\u2069", "Segment 3 · \u2068Alice Tester\u2069"]);
    expect(player.callTitle).to.contain("Inbound call from");

    // On this page no section shows c-transfer, yet expired links are still renewed: the saved call and API say where.
    let answer: Promise<RecordingUpdate> | null = null;
    player.dispatchEvent(
      new CustomEvent("crec-refresh-url", {
        bubbles: true,
        composed: true,
        detail: { recording: player.currentRecording, index: 1, respondWith: (update: Promise<RecordingUpdate>) => (answer = update) },
      }),
    );
    expect(answer).to.not.equal(null);
    expect(new URL((await answer!).src).pathname).to.equal(`/api/recordings/${player.currentRecording!.id}/audio`);
    player.pause();
  });

  it("where the browser blocks autoplay, offers Resume at the saved point, and plays on from there", async function () {
    this.timeout(RESUME_TEST_MS);
    const left = await playAndLeave();
    const engine = new AutoplayBlockedEngine();
    const { player } = await nextPage(engine);
    const resume = ResumeController.for(player);
    await resume.restored;
    await waitFor(() => resume.offer !== null, "the offer");
    expect(player.paused).to.equal(true);
    expect(resume.offer!.index).to.equal(1);
    expect(resume.offer!.position).to.be.closeTo(left, 1.1);

    // Inside the player once it renders the offer; until then, rendered here the same way.
    let button = player.shadowRoot!.querySelector<HTMLButtonElement>('[part="resume-button"]');
    if (!button) {
      const holder = document.createElement("div");
      document.body.append(holder);
      render(resume.renderOffer(), holder);
      button = holder.querySelector("button");
    }
    const clock = `${Math.floor(resume.offer!.position / 60)}:${String(Math.floor(resume.offer!.position % 60)).padStart(2, "0")}`;
    expect(button!.textContent!.trim()).to.equal(`Resume at ${clock}`);
    engine.allowed = true;
    button!.click();
    await waitFor(() => !player.paused && player.currentIndex === 1 && player.currentTime > left - 0.5, "playing on after the click");
    expect(player.currentTime).to.be.closeTo(left, 2.5);
    expect(resume.offer).to.equal(null);
    button!.closest("div:not([part])")?.remove();
    player.pause();
  });

  it("brings a recent paused session back paused, and forgets an old one", async () => {
    const recordings = [{ id: "x1", src: "/audio-fixture/x1.wav?seconds=20", title: "Segment 1", durationSeconds: 20 }];
    await session.store.save({ callId: "c-x", apiBase: null, callTitle: "Earlier call", recordings, index: 0, position: 8, playing: true, savedAt: Date.now() - 5 * 60_000 });
    const { player } = await nextPage();
    expect(await ResumeController.for(player).restored).to.deep.include({ action: "restore" });
    expect(player.callTitle).to.equal("Earlier call");
    expect(player.paused).to.equal(true);
    expect(ResumeController.for(player).offer).to.equal(null);
    player.parentElement!.remove();

    await session.store.save({ callId: "c-x", apiBase: null, callTitle: "Yesterday's call", recordings, index: 0, position: 8, playing: true, savedAt: Date.now() - 3 * 3600_000 });
    const second = await nextPage();
    expect(await ResumeController.for(second.player).restored).to.equal(null);
    expect(second.player.recordings).to.have.length(0);
    expect(await session.store.load()).to.equal(null);
  });

  it("forgets what played when the player is closed or the call plays to its end", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    parts(section, "play-button")[0]!.click();
    await waitFor(() => !player.paused && player.currentTime > 0.2, "playing");
    expect(await session.store.load()).to.not.equal(null);
    player.remove();
    expect(await session.store.load()).to.equal(null);

    const again = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(again.section, "ready");
    parts(again.section, "play-button")[1]!.click();
    await waitFor(() => again.player.currentIndex === 1 && !again.player.paused && again.player.currentTime > 0.2, "playing the last");
    again.player.seekTo(119);
    await waitFor(() => again.player.status === "ended", "ended");
    await nothingShouldHappenFor(50); // the ended call must not be saved again
    expect(await session.store.load()).to.equal(null);
  });

  it("leaves a player alone that the page gave recordings, or that plays through a background engine", async () => {
    await session.store.save({
      callId: "c-x",
      apiBase: null,
      callTitle: "Earlier call",
      recordings: [{ id: "x1", src: "/audio-fixture/x1.wav?seconds=20", title: "Segment 1", durationSeconds: 20 }],
      index: 0,
      position: 8,
      playing: true,
      savedAt: Date.now(),
    });
    const own = [{ id: "own-1", src: "/audio-fixture/own-1.wav?seconds=5", title: "Own", durationSeconds: 5 }];
    const withOwn = await fixture<RecordingPlayer>(html`<recording-player docked .preferences=${memoryPreferenceStore()} .recordings=${own}></recording-player>`);
    expect(await ResumeController.for(withOwn).restored).to.equal(null);
    expect(withOwn.recordings.map((r) => r.id)).to.deep.equal(["own-1"]);
    withOwn.remove();

    const { player } = await nextPage(new BackgroundEngine());
    expect(await ResumeController.for(player).restored).to.equal(null);
    expect(player.recordings).to.have.length(0);
    expect(await session.store.load()).to.not.equal(null);
  });
});
