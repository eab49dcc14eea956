import { expect, fixture, html } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import {
  deepActiveElement,
  part,
  playerFixture,
  press,
  recording,
  waitFor,
  waitForStatus,
  waitForTime,
} from "../support/player-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

const near = (actual: number, expected: number, tolerance = 0.3) => Math.abs(actual - expected) < tolerance;

async function pressShifted(key: string): Promise<void> {
  await sendKeys({ down: "Shift" });
  await sendKeys({ press: key });
  await sendKeys({ up: "Shift" });
}

describe("recording-player keyboard", () => {
  it("Space and K play and pause; a focused button keeps Space for itself", async () => {
    const el = await playerFixture({ recordings: [recording("keys-play", { seconds: 12 })] });
    await waitForStatus(el, "ready");
    part(el, "seek-slider").focus();
    await press(" ");
    await waitForTime(el, 0.2);
    expect(el.paused).to.equal(false);
    await press("k");
    await waitFor(() => el.paused, "paused by K");
    await press("K");
    await waitFor(() => !el.paused, "playing again by K");
    part(el, "mute-button").focus();
    await press(" ");
    await waitFor(() => el.muted, "Space pressed the mute button");
    expect(el.paused).to.equal(false);
    part(el, "play-button").focus();
    await press("Enter");
    await waitFor(() => el.paused, "Enter pressed the play button");
  });

  it("J and L move 10 seconds, Left and Right 5, PageUp and PageDown a minute on the seek slider", async () => {
    const el = await playerFixture({ recordings: [recording("keys-seek", { seconds: 120 })] });
    await waitForStatus(el, "ready");
    el.seekTo(30);
    part(el, "seek-slider").focus();
    await press("l");
    await waitFor(() => near(el.currentTime, 40), `L to 40 (at ${el.currentTime})`);
    await press("j");
    await waitFor(() => near(el.currentTime, 30), `J to 30 (at ${el.currentTime})`);
    await press("ArrowRight");
    await waitFor(() => near(el.currentTime, 35), `Right to 35 (at ${el.currentTime})`);
    await press("ArrowLeft");
    await press("ArrowLeft");
    await waitFor(() => near(el.currentTime, 25), `Left twice to 25 (at ${el.currentTime})`);
    await press("PageUp");
    await waitFor(() => near(el.currentTime, 85), `PageUp to 85 (at ${el.currentTime})`);
    await press("PageDown");
    await waitFor(() => near(el.currentTime, 25), `PageDown to 25 (at ${el.currentTime})`);
  });

  it("Up and Down change the volume, M mutes, and the volume slider takes its own arrows", async () => {
    const el = await playerFixture({ recordings: [recording("keys-volume", { seconds: 8 })] });
    part(el, "play-button").focus();
    await press("ArrowDown");
    await press("ArrowDown");
    await waitFor(() => near(el.volume, 0.9, 0.01), `volume 0.9 (is ${el.volume})`);
    await press("ArrowUp");
    await waitFor(() => near(el.volume, 0.95, 0.01), `volume 0.95 (is ${el.volume})`);
    await press("m");
    await waitFor(() => el.muted, "muted by M");
    await press("M");
    await waitFor(() => !el.muted, "unmuted by M");
    part(el, "volume-slider").focus();
    await press("ArrowLeft");
    await waitFor(() => near(el.volume, 0.9, 0.01), `Left on volume: 0.9 (is ${el.volume})`);
    await press("Home");
    await waitFor(() => el.volume === 0, "Home on volume: silent");
    await press("End");
    await waitFor(() => el.volume === 1, "End on volume: full");
    expect(el.currentTime).to.equal(0);
  });

  it("0 to 9 jump to tenths, Home and End to the start and the end", async () => {
    const el = await playerFixture({ recordings: [recording("keys-digits", { seconds: 20 })] });
    await waitForStatus(el, "ready");
    part(el, "play-button").focus();
    await press("5");
    await waitFor(() => near(el.currentTime, 10), `5 to 10 s (at ${el.currentTime})`);
    await press("9");
    await waitFor(() => near(el.currentTime, 18), `9 to 18 s (at ${el.currentTime})`);
    await press("0");
    await waitFor(() => near(el.currentTime, 0), `0 to the start (at ${el.currentTime})`);
    await press("End");
    await waitForStatus(el, "ended");
    await press("Home");
    await waitFor(() => near(el.currentTime, 0) && el.status !== "ended", `Home to the start (at ${el.currentTime}, ${el.status})`);
  });

  it("< and > step the speed between 0.5× and 2×", async () => {
    const el = await playerFixture({ recordings: [recording("keys-rate", { seconds: 8 })] });
    part(el, "play-button").focus();
    await press(">");
    await waitFor(() => el.playbackRate === 1.25, "1.25×");
    await press(">");
    await waitFor(() => el.playbackRate === 1.5, "1.5×");
    for (let i = 0; i < 6; i++) await press(">");
    await waitFor(() => el.playbackRate === 2, "capped at 2×");
    for (let i = 0; i < 8; i++) await press("<");
    await waitFor(() => el.playbackRate === 0.5, "floored at 0.5×");
  });

  it("reaches every control with Tab", async () => {
    const el = await playerFixture({ recordings: [recording("tab-1", { seconds: 5 }), recording("tab-2", { seconds: 5 })] });
    await waitForStatus(el, "ready");
    part(el, "play-button").focus();
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const active = deepActiveElement();
      const name = active?.getAttribute("part");
      if (!name || seen.includes(name)) break;
      seen.push(name);
      // The rate button is the last control; tabbing on would leave the page.
      if (name === "rate-button") break;
      await press("Tab");
    }
    expect(seen).to.include.members([
      "play-button",
      "skip-back-button",
      "skip-forward-button",
      "previous-button",
      "next-button",
      "seek-slider",
      "download-button",
      "mute-button",
      "volume-slider",
      "rate-button",
    ]);
    expect(seen.indexOf("play-button")).to.be.below(seen.indexOf("seek-slider"));
    expect(seen.indexOf("download-button")).to.be.below(seen.indexOf("volume-slider"));
  });

  it("opens the rate menu from the keyboard, moves with arrows and chooses with Enter", async () => {
    const el = await playerFixture({ recordings: [recording("keys-menu", { seconds: 8 })] });
    part(el, "rate-button").focus();
    await press("Enter");
    await waitFor(() => deepActiveElement()?.getAttribute("role") === "menuitemradio", "focus in the menu");
    expect(deepActiveElement()!.textContent!.trim()).to.equal("1×");
    await press("ArrowDown");
    await press("ArrowDown");
    expect(deepActiveElement()!.textContent!.trim()).to.equal("1.5×");
    await press("Enter");
    await waitFor(() => el.playbackRate === 1.5, "1.5× chosen");
    await waitFor(() => deepActiveElement()?.getAttribute("part") === "rate-button", "focus back on the rate button");
    await press("Enter");
    await waitFor(() => deepActiveElement()?.getAttribute("role") === "menuitemradio", "menu open again");
    await press("Escape");
    await waitFor(() => el.shadowRoot!.querySelector('[part="rate-menu"]') === null, "Escape closed it");
    expect(el.playbackRate).to.equal(1.5);
  });

  it("never takes a key typed into a text field", async () => {
    const host = await fixture<HTMLDivElement>(html`<div><input id="outside" /></div>`);
    const el = await playerFixture({ recordings: [recording("keys-text", { seconds: 20 })] });
    await waitForStatus(el, "ready");
    const outside = host.querySelector("input")!;
    outside.focus();
    await sendKeys({ type: "km5 " });
    expect(outside.value).to.equal("km5 ");
    // A text field inside the player (as a host might slot or add one) is left alone as well.
    const inside = document.createElement("input");
    el.shadowRoot!.append(inside);
    inside.focus();
    await sendKeys({ type: "k5m " });
    expect(inside.value).to.equal("k5m ");
    expect(el.paused).to.equal(true);
    expect(el.muted).to.equal(false);
    expect(el.currentTime).to.equal(0);
    inside.remove();
  });

  it("lets a page switch keys off, one by one or all", async () => {
    const el = await playerFixture({ recordings: [recording("keys-off", { seconds: 20 })] });
    await waitForStatus(el, "ready");
    el.hotkeys = "nok nom";
    part(el, "play-button").focus();
    await press("k");
    await press("m");
    await press("5");
    await waitFor(() => near(el.currentTime, 10), "5 still works");
    expect(el.paused).to.equal(true);
    expect(el.muted).to.equal(false);
    el.nohotkeys = true;
    await press("0");
    await nothingShouldHappenFor(100); // the switched-off key must not seek
    expect(near(el.currentTime, 10)).to.equal(true);
  });

  it("Shift+N and Shift+P move between the segments of a sequence", async () => {
    const el = await playerFixture({
      recordings: [recording("seg-k1", { seconds: 6 }), recording("seg-k2", { seconds: 6 }), recording("seg-k3", { seconds: 6 })],
    });
    await waitForStatus(el, "ready");
    part(el, "play-button").focus();
    await pressShifted("N");
    await waitFor(() => el.currentIndex === 1, "Shift+N to segment 2");
    await pressShifted("N");
    await waitFor(() => el.currentIndex === 2, "Shift+N to segment 3");
    await pressShifted("P");
    await waitFor(() => el.currentIndex === 1, "Shift+P back to segment 2");
    await press("n");
    await nothingShouldHappenFor(100); // n without Shift must not change the segment
    expect(el.currentIndex).to.equal(1);
  });
});
