import { expect, fixture, html } from "@open-wc/testing";
import { emulateMedia, setViewport } from "@web/test-runner-commands";
import type { RecordingPlayer } from "../../components/index.js";
import {
  audioUrl,
  axeViolations,
  click,
  part,
  playerFixture,
  recording,
  waitFor,
  waitForStatus,
  waitForTime,
} from "../support/player-test-helpers.js";

const call = () => [
  recording("a11y-1", { seconds: 180, title: "Segment 1 · Alice Jones" }),
  recording("a11y-2", { seconds: 60, title: "Segment 2 · Bob Smith" }),
];

async function expectNoViolations(el: Element): Promise<void> {
  const violations = await axeViolations(el);
  expect(violations, violations.join("\n")).to.deep.equal([]);
}

/**
 * puppeteer's Firefox (WebDriver BiDi) cannot emulate media features, so the tests that switch the
 * colour scheme or reduced motion are defined only where the browser can: the CSS they check is the
 * same in both browsers, and Firefox still runs every other test here.
 */
const emulates = !navigator.userAgent.includes("Firefox/");
const itEmulating = emulates ? it : undefined;

describe("recording-player accessibility", () => {
  afterEach(async () => {
    if (emulates) await emulateMedia({ colorScheme: "light", reducedMotion: "no-preference" });
    await setViewport({ width: 800, height: 600 });
  });

  it("has no axe violations when empty, ready, playing a call, failed, or with the speed menu open", async () => {
    const empty = await playerFixture();
    await expectNoViolations(empty);
    empty.remove();

    const el = await playerFixture({ recordings: call(), callTitle: "Inbound call from +44 1632 960001" });
    await waitForStatus(el, "ready");
    await expectNoViolations(el);
    el.play();
    await waitForTime(el, 0.2);
    await expectNoViolations(el);
    await click(part(el, "rate-button"));
    await el.updateComplete;
    await expectNoViolations(el);

    const failed = await playerFixture({ recordings: [{ id: "bad", src: audioUrl("bad", { seconds: 5, fail: 500 }), title: "Bad" }] });
    failed.playRecording(0);
    await waitForStatus(failed, "error");
    await failed.updateComplete;
    await expectNoViolations(failed);
  });

  itEmulating?.("has no axe violations in the dark colour scheme, docked", async () => {
    await emulateMedia({ colorScheme: "dark" });
    const el = await playerFixture({ recordings: call(), docked: true });
    await waitForStatus(el, "ready");
    await expectNoViolations(el);
  });

  it("speaks times as words on the seek slider, and the volume as a percentage", async () => {
    const el = await playerFixture({ recordings: call() });
    await waitForStatus(el, "ready");
    el.seekTo(65);
    await waitFor(() => Math.abs(el.currentTime - 65) < 0.2, "at 1:05");
    await el.updateComplete;
    const seek = part(el, "seek-slider");
    expect(seek.getAttribute("role")).to.equal("slider");
    expect(seek.getAttribute("aria-label")).to.equal("Seek");
    expect(seek.getAttribute("aria-valuetext")).to.equal("1 minute 5 seconds of 4 minutes, Segment 1 · Alice Jones");
    expect(seek.getAttribute("aria-valuenow")).to.equal("65");
    expect(seek.getAttribute("aria-valuemax")).to.equal("240");
    el.volume = 0.6;
    await el.updateComplete;
    expect(part(el, "volume-slider").getAttribute("aria-valuetext")).to.equal("60 percent");
  });

  it("takes --crec-* theme properties", async () => {
    const el = await playerFixture({ recordings: call() });
    expect(getComputedStyle(el).backgroundColor).to.equal("rgb(255, 255, 255)");
    el.style.setProperty("--crec-background", "rgb(1, 2, 3)");
    expect(getComputedStyle(el).backgroundColor).to.equal("rgb(1, 2, 3)");
  });

  itEmulating?.("follows the colour scheme", async () => {
    const el = await playerFixture({ recordings: call() });
    expect(getComputedStyle(el).backgroundColor).to.equal("rgb(255, 255, 255)");
    await emulateMedia({ colorScheme: "dark" });
    await waitFor(() => getComputedStyle(el).backgroundColor === "rgb(22, 27, 34)", `dark background (${getComputedStyle(el).backgroundColor})`);
  });

  it("takes the host page's colour scheme when the page names it", async () => {
    const el = await playerFixture({ recordings: call() });
    el.setAttribute("color-scheme", "dark");
    await waitFor(() => getComputedStyle(el).backgroundColor === "rgb(22, 27, 34)", `dark background (${getComputedStyle(el).backgroundColor})`);
    el.colorScheme = "light";
    await el.updateComplete;
    expect(el.getAttribute("color-scheme")).to.equal("light");
    expect(getComputedStyle(el).backgroundColor).to.equal("rgb(255, 255, 255)");
  });

  itEmulating?.("stays light on a light page in the browser's dark mode", async () => {
    const el = await playerFixture({ recordings: call() });
    el.colorScheme = "light";
    await el.updateComplete;
    await emulateMedia({ colorScheme: "dark" });
    // The unnamed one beside it turns dark; the one told "light" does not.
    const other = await playerFixture({ recordings: call() });
    await waitFor(() => getComputedStyle(other).backgroundColor === "rgb(22, 27, 34)", "the browser's dark mode applies");
    expect(getComputedStyle(el).backgroundColor).to.equal("rgb(255, 255, 255)");
    expect(getComputedStyle(part(el, "play-button")).color).to.not.equal(getComputedStyle(part(other, "play-button")).color);
  });

  itEmulating?.("honours reduced motion", async () => {
    const el = await playerFixture({ recordings: call() });
    const track = part(el, "seek-slider").querySelector(".track")!;
    expect(getComputedStyle(track).transitionDuration).to.not.equal("0s");
    await emulateMedia({ reducedMotion: "reduce" });
    await waitFor(() => getComputedStyle(track).transitionDuration === "0s", "no transitions");
  });
});

describe("recording-player docked", () => {
  afterEach(async () => {
    document.body.style.removeProperty("padding-bottom");
    await setViewport({ width: 800, height: 600 });
  });

  it("pins itself to the bottom and keeps the page's last lines above it", async () => {
    const page = await fixture<HTMLDivElement>(html`<div>${Array.from({ length: 60 }, (_, i) => html`<p>Report line ${i + 1}</p>`)}</div>`);
    const el = await playerFixture({ recordings: call(), docked: true });
    await el.updateComplete;
    await waitFor(() => document.body.style.paddingBottom !== "", "body padded");
    const rect = el.getBoundingClientRect();
    expect(getComputedStyle(el).position).to.equal("fixed");
    expect(Math.round(rect.bottom)).to.equal(innerHeight);
    expect(parseFloat(document.body.style.paddingBottom)).to.be.at.least(Math.floor(rect.height));
    scrollTo(0, document.documentElement.scrollHeight);
    await new Promise((r) => requestAnimationFrame(r));
    const last = page.lastElementChild!.getBoundingClientRect();
    expect(last.bottom).to.be.at.most(el.getBoundingClientRect().top + 1);
  });

  it("follows its own height, and gives the padding back when undocked or removed", async () => {
    document.body.style.paddingBottom = "7px";
    const el = await playerFixture({ recordings: call(), docked: true });
    await waitFor(() => document.body.style.paddingBottom !== "7px", "padded");
    const wide = parseFloat(document.body.style.paddingBottom);
    expect(wide).to.be.closeTo(7 + el.getBoundingClientRect().height, 1);
    // Narrow screens put the controls on two rows: the padding grows with the player.
    await setViewport({ width: 400, height: 600 });
    await waitFor(() => parseFloat(document.body.style.paddingBottom) > wide + 10, `padding follows (${document.body.style.paddingBottom})`);
    expect(parseFloat(document.body.style.paddingBottom)).to.be.closeTo(7 + el.getBoundingClientRect().height, 1);
    el.docked = false;
    await el.updateComplete;
    expect(document.body.style.paddingBottom).to.equal("7px");
    expect(getComputedStyle(el).position).to.equal("static");
    el.docked = true;
    await el.updateComplete;
    await waitFor(() => document.body.style.paddingBottom !== "7px", "padded again");
    el.remove();
    expect(document.body.style.paddingBottom).to.equal("7px");
  });
});

describe("recording-player in a page", () => {
  it("is registered once, by components/index.ts, and defines nothing twice", async () => {
    const { RecordingPlayer } = await import("../../components/index.js");
    expect(customElements.get("recording-player")).to.equal(RecordingPlayer);
    await import("../../components/recording-player/recording-player.js");
    const el = (await fixture(html`<recording-player></recording-player>`)) as RecordingPlayer;
    expect(el).to.be.instanceOf(RecordingPlayer);
  });
});
