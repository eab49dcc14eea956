import { expect, oneEvent, waitUntil } from "@open-wc/testing";
import { MediaElementEngine } from "../../src/player/media-element-engine.js";
import {
  audioUrl,
  openTab,
  part,
  playerFixture,
  recording,
  showTestPage,
  uniqueToken,
  waitFor,
  waitForTime,
} from "../support/player-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

describe("recording-player: one plays at a time", () => {
  it("starting one player pauses another on the page, and says why", async () => {
    const a = await playerFixture({ recordings: [recording("one-a", { seconds: 20 })] });
    const b = await playerFixture({ recordings: [recording("one-b", { seconds: 20 })] });
    a.playRecording(0, 0);
    await waitForTime(a, 0.2);
    const yielded = oneEvent(a, "crec-pause");
    b.playRecording(0, 0);
    expect((await yielded).detail.reason).to.equal("other-player");
    await waitForTime(b, 0.2);
    expect(a.paused).to.equal(true);
    await a.updateComplete;
    expect(part(a, "status").textContent!.trim()).to.equal("Paused: another player started.");
    const at = a.currentTime;
    await nothingShouldHappenFor(300); // the paused player must not move on
    expect(a.currentTime).to.be.closeTo(at, 0.05);
  });

  it("a player showing a background playback (the extension's engine) is not paused by another player", async () => {
    /** Plays in the page, but says it is the background's: what the rule looks at. */
    class BackgroundEngine extends MediaElementEngine {
      readonly takesOver = { lifetime: false, settings: false, position: false, session: false, onePlayer: true };
    }
    const view = await playerFixture({ recordings: [recording("bg-view", { seconds: 20 })] });
    view.engine = new BackgroundEngine();
    const other = await playerFixture({ recordings: [recording("bg-other", { seconds: 20 })] });
    view.playRecording(0, 0);
    await waitForTime(view, 0.2);
    let yielded = false;
    view.addEventListener("crec-pause", () => (yielded = true));
    other.playRecording(0, 0);
    await waitForTime(other, 0.2);
    const at = view.currentTime;
    await waitFor(() => view.currentTime > at + 0.2, "the background playback plays on");
    expect(yielded, "no pause for the other player").to.equal(false);
    expect(view.paused).to.equal(false);
  });

  it("starting a player pauses the one playing in another tab, and the other way round", async function () {
    this.timeout(60_000);
    const id = `tab-${uniqueToken()}`;
    const recordings = JSON.stringify([{ id, src: audioUrl(id, { seconds: 30 }), title: "In the other tab" }]);
    const tab = await openTab(`/test/support/player-page.html?recordings=${encodeURIComponent(recordings)}`);
    try {
      await tab.eval(`customElements.whenDefined("recording-player").then(() => player.playRecording(0, 0))`);
      await waitUntil(() => tab.eval<boolean>("player.currentTime >= 0.2"), "the other tab playing", { timeout: 8000, interval: 50 });
      await showTestPage();
      const local = await playerFixture({ recordings: [recording("tab-local", { seconds: 30 })] });
      local.playRecording(0, 0);
      await waitForTime(local, 0.2);
      await waitUntil(() => tab.eval<boolean>("player.paused"), "the other tab paused", { timeout: 3000, interval: 50 });
      await tab.eval("player.play()");
      await waitFor(() => local.paused, "this tab paused when the other played again");
    } finally {
      await tab.close();
    }
  });
});
