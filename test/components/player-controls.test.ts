import { expect, oneEvent } from "@open-wc/testing";
import { resetMouse, sendMouse } from "@web/test-runner-commands";
import {
  audioUrl,
  click,
  part,
  playbackSpeed,
  playerFixture,
  recording,
  serverStats,
  uniqueToken,
  waitFor,
  waitForStatus,
  waitForTime,
} from "../support/player-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

describe("recording-player controls", () => {
  it("shows its parts in the design's order, each named for screen readers", async () => {
    const el = await playerFixture({ recordings: [recording("order", { seconds: 8 })] });
    const parts = [...el.shadowRoot!.querySelectorAll("[part]")].map((n) => n.getAttribute("part"));
    const order = ["play-button", "seek-slider", "time", "download-button", "mute-button", "volume-slider", "rate-button"];
    const positions = order.map((name) => parts.indexOf(name));
    expect(positions.every((p) => p >= 0), `parts present: ${parts.join(", ")}`).to.equal(true);
    expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions);
    for (const name of [...order.filter((n) => n !== "time"), "skip-back-button", "skip-forward-button"]) {
      expect(part(el, name).getAttribute("aria-label"), name).to.be.a("string").and.not.equal("");
    }
    // The download icon sits left of the volume control, on screen too.
    expect(part(el, "download-button").getBoundingClientRect().right).to.be.at.most(part(el, "volume-slider").getBoundingClientRect().left);
  });

  it("streams an hour-long recording: starts at once far into it, fetching only ranges", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ recordings: [{ id: "hour", src: audioUrl("hour", { seconds: 3600, token }), title: "An hour" }] });
    el.playRecording(0, 3000);
    await waitFor(() => el.status === "playing" && el.currentTime > 3000.3, `playing past 3000 s (${el.status} ${el.currentTime})`);
    expect(el.duration).to.be.closeTo(3600, 0.5);
    const requests = await serverStats(token);
    expect(requests.every((r) => r.range !== null && r.status === 206), JSON.stringify(requests)).to.equal(true);
    const fileSize = 58 + 3600 * 8000;
    const sent = requests.reduce((sum, r) => sum + r.bytes, 0);
    expect(sent).to.be.below(fileSize / 2);
  });

  it("plays, pauses and resumes with the play button", async () => {
    const el = await playerFixture({ recordings: [recording("play", { seconds: 12 })] });
    await waitForStatus(el, "ready");
    const button = part(el, "play-button");
    expect(button.getAttribute("aria-label")).to.equal("Play");
    const played = oneEvent(el, "crec-play");
    await click(button);
    await played;
    await waitForTime(el, 0.3);
    expect(button.getAttribute("aria-label")).to.equal("Pause");
    const paused = oneEvent(el, "crec-pause");
    await click(button);
    expect((await paused).detail.reason).to.equal("user");
    expect(el.paused).to.equal(true);
    const at = el.currentTime;
    await nothingShouldHappenFor(300); // a paused player must not move on
    expect(el.currentTime).to.be.closeTo(at, 0.05);
    await click(button);
    await waitForTime(el, at + 0.2);
    expect(el.status).to.equal("playing");
  });

  it("seeks where the seek slider is clicked and shows the time", async () => {
    const el = await playerFixture({ recordings: [recording("seek", { seconds: 20 })] });
    await waitForStatus(el, "ready");
    await click(part(el, "seek-slider"), 0.5);
    await waitFor(() => Math.abs(el.currentTime - 10) < 0.6, `seeked to the middle (at ${el.currentTime})`);
    await el.updateComplete;
    expect(part(el, "time").textContent!.replace(/\s+/g, " ").trim()).to.match(/^0:(09|10) \/ 0:20$/);
    expect(part(el, "seek-slider").getAttribute("aria-valuetext")).to.match(/^(9|10) seconds of 20 seconds$/);
  });

  it("scrubs where the seek slider is dragged, showing the time under the pointer", async () => {
    const el = await playerFixture({ recordings: [recording("drag", { seconds: 40 })] });
    await waitForStatus(el, "ready");
    const slider = part(el, "seek-slider");
    const rect = slider.getBoundingClientRect();
    const y = Math.round(rect.top + rect.height / 2);
    await sendMouse({ type: "move", position: [Math.round(rect.left + rect.width * 0.2), y] });
    await sendMouse({ type: "down" });
    await sendMouse({ type: "move", position: [Math.round(rect.left + rect.width * 0.5), y] });
    await sendMouse({ type: "move", position: [Math.round(rect.left + rect.width * 0.75), y] });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector(".tip")!.textContent!.trim()).to.match(/^0:(29|30)$/);
    await sendMouse({ type: "up" });
    await waitFor(() => Math.abs(el.currentTime - 30) < 0.8, `dragged to 30 s (at ${el.currentTime})`);
    await resetMouse();
  });

  it("skips back and forward ten seconds with the skip buttons", async () => {
    const el = await playerFixture({ recordings: [recording("skip", { seconds: 30 })] });
    await waitForStatus(el, "ready");
    await click(part(el, "skip-forward-button"));
    await waitFor(() => Math.abs(el.currentTime - 10) < 0.3, `forward 10 (at ${el.currentTime})`);
    await click(part(el, "skip-forward-button"));
    await waitFor(() => Math.abs(el.currentTime - 20) < 0.3, `forward 20 (at ${el.currentTime})`);
    await click(part(el, "skip-back-button"));
    await waitFor(() => Math.abs(el.currentTime - 10) < 0.3, `back to 10 (at ${el.currentTime})`);
  });

  it("mutes and unmutes with the mute button, and sets the volume where the slider is clicked", async () => {
    const el = await playerFixture({ recordings: [recording("volume", { seconds: 8 })] });
    const mute = part(el, "mute-button");
    const muted = oneEvent(el, "crec-volumechange");
    await click(mute);
    expect((await muted).detail.muted).to.equal(true);
    await el.updateComplete;
    expect(mute.getAttribute("aria-label")).to.equal("Unmute");
    expect(part(el, "volume-slider").getAttribute("aria-valuetext")).to.match(/^muted/);
    await click(mute);
    await waitFor(() => !el.muted, "unmuted");
    await click(part(el, "volume-slider"), 0.25);
    await waitFor(() => Math.abs(el.volume - 0.25) < 0.06, `volume about 25% (is ${el.volume})`);
    await el.updateComplete;
    expect(Number(part(el, "volume-slider").getAttribute("aria-valuenow"))).to.be.closeTo(25, 6);
  });

  it("changes the speed from the rate menu, and playback follows", async function () {
    // Up to five spans of 1.5 s of audio, each waited for (see playbackSpeed).
    this.timeout(60_000);
    const el = await playerFixture({ recordings: [recording("rate", { seconds: 20 })] });
    const button = part(el, "rate-button");
    expect(button.textContent!.trim()).to.equal("1×");
    await click(button);
    await el.updateComplete;
    const options = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="rate-option"]')];
    expect(options.map((o) => o.textContent!.trim())).to.deep.equal(["0.5×", "0.75×", "1×", "1.25×", "1.5×", "1.75×", "2×"]);
    expect(button.getAttribute("aria-expanded")).to.equal("true");
    await click(options[4]!);
    await waitFor(() => el.playbackRate === 1.5, "rate 1.5");
    await el.updateComplete;
    expect(part(el, "rate-button").textContent!.trim()).to.equal("1.5×");
    expect(el.shadowRoot!.querySelector('[part="rate-menu"]')).to.equal(null);
    el.play();
    await waitForTime(el, 0.2);
    // Audio moves on faster than the clock on the wall (the fastest of five spans of 1.5 s).
    const speed = await playbackSpeed(el, 1.5, 5);
    expect(speed, `${speed.toFixed(2)} seconds of audio per second`).to.be.above(1.2);
  });

  it("offers the download as a link to the download URL, falling back to the audio URL", async () => {
    const withDownload = { ...recording("dl-1", { seconds: 5 }), downloadUrl: "/audio-fixture/dl-1.wav?download=1" };
    const el = await playerFixture({ recordings: [withDownload, recording("dl-2", { seconds: 5 })] });
    const link = part<HTMLAnchorElement>(el, "download-button");
    expect(link.tagName).to.equal("A");
    expect(link.hasAttribute("download")).to.equal(true);
    expect(link.getAttribute("href")).to.equal(withDownload.downloadUrl);
    el.next();
    await el.updateComplete;
    expect(part(el, "download-button").getAttribute("href")).to.equal(el.recordings[1]!.src);
  });

  it("plays a single recording given by the src attribute", async () => {
    const el = await playerFixture();
    el.setAttribute("src", audioUrl("attr", { seconds: 6 }));
    await waitForStatus(el, "ready");
    expect(el.recordings).to.have.length(1);
    await el.play();
    await waitForTime(el, 0.2);
  });
});
