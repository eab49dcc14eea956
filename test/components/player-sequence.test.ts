import { expect, oneEvent } from "@open-wc/testing";
import type { RecordingPlayer } from "../../components/index.js";
import { click, part, playerFixture, recording, waitFor, waitForStatus, waitForTime } from "../support/player-test-helpers.js";

const segments = (seconds: number, prefix: string) => [
  recording(`${prefix}-1`, { seconds, voice: 0, title: "Segment 1 · Alice Jones" }),
  recording(`${prefix}-2`, { seconds, voice: 1, title: "Segment 2 · Bob Smith" }),
  recording(`${prefix}-3`, { seconds, voice: 2, title: "Segment 3 · Carol White" }),
];

const segmentName = (el: RecordingPlayer) => part(el, "segment-name").textContent!.replace(/\s+/g, " ").trim();

describe("recording-player sequences", () => {
  it("plays the segments one after another, naming the current one, then ends", async () => {
    const el = await playerFixture({ recordings: segments(1.5, "seq") });
    await waitForStatus(el, "ready");
    expect(el.shadowRoot!.querySelectorAll('[part~="segment-mark"]')).to.have.length(2);
    expect(segmentName(el)).to.equal("Segment 1 · Alice Jones (1 of 3)");
    el.playbackRate = 2;
    const changes: number[] = [];
    const names: string[] = [];
    el.addEventListener("crec-recordingchange", async (e) => {
      changes.push(e.detail.index);
      await el.updateComplete;
      names.push(segmentName(el));
    });
    const ended = oneEvent(el, "crec-ended");
    el.playSequence(0);
    expect((await ended).detail.index).to.equal(2);
    expect(changes).to.deep.equal([1, 2]);
    expect(names).to.deep.equal(["Segment 2 · Bob Smith (2 of 3)", "Segment 3 · Carol White (3 of 3)"]);
    await waitForStatus(el, "ended");
    expect(el.paused).to.equal(true);
    await el.updateComplete;
    expect(part(el, "play-button").getAttribute("aria-label")).to.equal("Play again");
  });

  it("treats the call as one timeline: clicking past a mark plays that segment", async () => {
    const el = await playerFixture({ recordings: segments(10, "timeline") });
    await waitForStatus(el, "ready");
    expect(part(el, "time").textContent!.trim()).to.equal("0:00 / 0:30");
    await click(part(el, "seek-slider"), 0.55);
    await waitFor(() => el.currentIndex === 1 && Math.abs(el.currentTime - 6.5) < 0.7, `segment 2 at 6.5 s (${el.currentIndex} ${el.currentTime})`);
    await el.updateComplete;
    expect(segmentName(el)).to.equal("Segment 2 · Bob Smith (2 of 3)");
    expect(part(el, "seek-slider").getAttribute("aria-valuetext")).to.match(/^16 seconds of 30 seconds, Segment 2 · Bob Smith$/);
    // Skipping back crosses the mark too.
    await click(part(el, "skip-back-button"));
    await waitFor(() => el.currentIndex === 0 && Math.abs(el.currentTime - 6.5) < 0.7, `back into segment 1 (${el.currentIndex} ${el.currentTime})`);
  });

  it("moves between segments with the previous and next buttons", async () => {
    const el = await playerFixture({ recordings: segments(10, "prevnext") });
    await waitForStatus(el, "ready");
    await click(part(el, "next-button"));
    await waitFor(() => el.currentIndex === 1, "next to segment 2");
    el.play();
    await waitForTime(el, 0.2);
    el.seekTo(5);
    await waitForTime(el, 5);
    // Past the first seconds, "previous" restarts the segment; pressed again, it goes back one.
    await click(part(el, "previous-button"));
    await waitFor(() => el.currentIndex === 1 && el.currentTime < 2, `restarted segment 2 (${el.currentIndex} ${el.currentTime})`);
    await click(part(el, "previous-button"));
    await waitFor(() => el.currentIndex === 0, "back to segment 1");
    expect(el.paused).to.equal(false);
    await waitForTime(el, 0.2);
    await click(part(el, "next-button"));
    await click(part(el, "next-button"));
    await waitFor(() => el.currentIndex === 2, "on to segment 3");
    await el.updateComplete;
    expect(part<HTMLButtonElement>(el, "next-button").disabled).to.equal(true);
  });

  it("shows the call and segment in Media Session, whose controls drive the player", async function () {
    expect("mediaSession" in navigator && typeof MediaMetadata === "function", "both browsers have Media Session").to.equal(true);
    const session = navigator.mediaSession;
    const handlers = new Map<string, MediaSessionActionHandler | null>();
    const original = session.setActionHandler.bind(session);
    session.setActionHandler = (action, handler) => {
      handlers.set(action, handler);
      original(action, handler);
    };
    try {
      const el = await playerFixture({ recordings: segments(10, "session"), callTitle: "Inbound call from +44 1632 960001" });
      await waitForStatus(el, "ready");
      el.play();
      await waitForTime(el, 0.2);
      await waitFor(() => session.metadata?.title === "Segment 1 · Alice Jones", "metadata names the segment");
      expect(session.metadata!.artist).to.equal("Inbound call from +44 1632 960001");
      expect(session.playbackState).to.equal("playing");
      handlers.get("nexttrack")!({ action: "nexttrack" });
      await waitFor(() => el.currentIndex === 1, "next track: segment 2");
      await waitFor(() => session.metadata?.title === "Segment 2 · Bob Smith", "metadata follows");
      handlers.get("seekto")!({ action: "seekto", seekTime: 4 });
      await waitFor(() => el.currentTime >= 4, "seek to 4 s");
      handlers.get("previoustrack")!({ action: "previoustrack" });
      await waitFor(() => el.currentIndex === 1 && el.currentTime < 2, "previous track restarts segment 2");
      handlers.get("previoustrack")!({ action: "previoustrack" });
      await waitFor(() => el.currentIndex === 0, "previous track: segment 1");
      handlers.get("pause")!({ action: "pause" });
      await waitFor(() => el.paused, "paused from the OS");
      await el.updateComplete;
      expect(session.playbackState).to.equal("paused");
      handlers.get("play")!({ action: "play" });
      await waitFor(() => !el.paused, "played from the OS");
    } finally {
      session.setActionHandler = original;
    }
  });
});
