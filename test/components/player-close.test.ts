import { expect } from "@open-wc/testing";
import { setViewport } from "@web/test-runner-commands";
import type { RecordingPlayer } from "../../components/index.js";
import { ResumeController } from "../../components/recording-player/resume-controller.js";
import {
  axeViolations,
  click,
  deepActiveElement,
  maybePart,
  part,
  playerFixture,
  press,
  recording,
  waitFor,
  waitForTime,
} from "../support/player-test-helpers.js";
import { freshSessionStore, parts, sessionFixture, waitForStatus } from "../support/session-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

const call = () => [recording("close-1", { seconds: 60, title: "Segment 1 · Alice Jones" }), recording("close-2", { seconds: 30, title: "Segment 2 · Bob Smith" })];

/** Whether a person sees the player: laid out with a size, not display:none. */
const shown = (el: HTMLElement) => el.getBoundingClientRect().height > 0 && getComputedStyle(el).display !== "none";

async function dockedPlaying(): Promise<RecordingPlayer> {
  const el = await playerFixture({ recordings: call(), docked: true, callTitle: "Inbound call from +44 1632 960001" });
  el.callUrl = "/reports/call-session?call=c-1001";
  el.play();
  await waitForTime(el, 0.2);
  await el.updateComplete;
  return el;
}

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(target: Element, max = 30): Promise<void> {
  for (let i = 0; i < max && deepActiveElement() !== target; i++) await press("Tab");
  expect(deepActiveElement()).to.equal(target);
}

describe("recording-player docked: close it, and open the call", () => {
  freshSessionStore();

  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it("a title too long for a narrow bar can still be read whole, in its tooltip", async () => {
    await setViewport({ width: 400, height: 600 });
    const el = await dockedPlaying();
    const names = el.shadowRoot!.querySelector<HTMLElement>(".names")!;
    expect(names.title).to.equal("Inbound call from +44 1632 960001 · Segment 1 · Alice Jones (1 of 2)");
    expect(names.scrollWidth, "cut at 400 px").to.be.greaterThan(names.clientWidth);
  });

  it("the close button stops playback and hides the player, which says so in a crec-close event; playing again shows it", async () => {
    const el = await dockedPlaying();
    expect(shown(el)).to.equal(true);
    const close = part<HTMLButtonElement>(el, "close-button");
    expect(close.localName).to.equal("button");
    expect(close.getAttribute("aria-label")).to.equal("Close player");
    expect(close.title).to.equal("Close player");

    const heard: CustomEvent[] = [];
    document.addEventListener("crec-close", (e) => heard.push(e), { once: true });
    await click(close);
    await el.updateComplete;
    expect(heard).to.have.length(1);
    expect(heard[0]!.bubbles && heard[0]!.composed).to.equal(true);
    expect(heard[0]!.detail).to.include({ recordingId: "close-1", index: 0 });
    expect(el.paused).to.equal(true);
    expect(el.status).to.not.equal("playing");
    expect(el.hidden).to.equal(true);
    expect(shown(el)).to.equal(false);
    // And it stays stopped: no audio moves on behind the hidden bar.
    const at = el.currentTime;
    await nothingShouldHappenFor(400);
    expect(el.currentTime).to.equal(at);
    expect(el.paused).to.equal(true);

    // Something is played in it again: the player is back, playing.
    el.recordings = call();
    el.playRecording(1, 0);
    await waitFor(() => !el.paused && el.currentIndex === 1 && el.currentTime > 0.2, "playing again");
    await el.updateComplete;
    expect(el.hidden).to.equal(false);
    expect(shown(el)).to.equal(true);
    el.pause();
  });

  it("closes from the keyboard: Tab reaches the call link and the close button, Enter closes", async () => {
    const el = await dockedPlaying();
    (document.activeElement as HTMLElement | null)?.blur();
    const link = part<HTMLAnchorElement>(el, "call-link");
    const close = part<HTMLButtonElement>(el, "close-button");
    await tabTo(link);
    await press("Tab");
    expect(deepActiveElement()).to.equal(close);
    await press("Enter");
    await waitFor(() => el.hidden && el.paused, "closed with Enter");
    expect(shown(el)).to.equal(false);
  });

  it("closes with Space on the close button too (and Space does not toggle playback there)", async () => {
    const el = await dockedPlaying();
    const close = part<HTMLButtonElement>(el, "close-button");
    close.focus();
    await press(" ");
    await waitFor(() => el.hidden && el.paused, "closed with Space");
  });

  it("links to the playing call's page, named for people, and only to a web address", async () => {
    const el = await dockedPlaying();
    const link = part<HTMLAnchorElement>(el, "call-link");
    expect(link.localName).to.equal("a");
    expect(link.href).to.equal(new URL("/reports/call-session?call=c-1001", location.href).href);
    expect(link.getAttribute("aria-label")).to.equal("Open the call");
    expect(link.hasAttribute("target")).to.equal(false);

    el.setAttribute("call-url", "https://reports.example.com/calls/c-1001");
    await el.updateComplete;
    expect(part<HTMLAnchorElement>(el, "call-link").href).to.equal("https://reports.example.com/calls/c-1001");

    // Unknown, or not a web address: no link at all.
    for (const url of [null, "", "javascript:alert(1)", "data:text/html,<b>x</b>"]) {
      el.callUrl = url;
      await el.updateComplete;
      expect(maybePart(el, "call-link"), String(url)).to.equal(null);
    }

    // Not docked (a player in the page, the toolbar popup's): neither; the host offers its own.
    el.callUrl = "/reports/call-session?call=c-1001";
    el.docked = false;
    await el.updateComplete;
    expect(maybePart(el, "close-button")).to.equal(null);
    expect(maybePart(el, "call-link")).to.equal(null);
    el.docked = true;
    await el.updateComplete;
    expect(maybePart(el, "call-link")).to.not.equal(null);
    el.pause();
  });

  it("has no axe violations docked with the call link and close button, wide and narrow", async () => {
    const el = await dockedPlaying();
    for (const width of [1280, 400]) {
      await setViewport({ width, height: 600 });
      await el.updateComplete;
      expect(shown(part(el, "close-button")) && shown(part(el, "call-link")), `both visible at ${width} px`).to.equal(true);
      const violations = await axeViolations(el);
      expect(violations, violations.join("\n")).to.deep.equal([]);
    }
    el.pause();
  });
});

describe("call-session-recordings with the docked player's close button and call link", () => {
  const session = freshSessionStore("admin");

  it("plays with a link to this call's page; closed, the player is gone and the next page does not bring it back; playing again shows it", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    parts(section, "play-button")[1]!.click();
    await waitFor(() => !player.paused && player.currentIndex === 1 && player.currentTime > 0.2, "playing");
    await player.updateComplete;
    // This page is the call's: the link leads back here, without a moment to play in it.
    const here = new URL(location.href);
    here.hash = "";
    expect(part<HTMLAnchorElement>(player, "call-link").href).to.equal(here.href);
    expect(await session.store.load(), "what plays is written down for the next page").to.not.equal(null);

    await click(part(player, "close-button"));
    await waitFor(() => player.hidden && player.paused, "closed");
    expect(shown(player)).to.equal(false);
    // Leaving the page after closing writes nothing down either.
    dispatchEvent(new PageTransitionEvent("pagehide", { persisted: false }));
    dispatchEvent(new PageTransitionEvent("pageshow", { persisted: false }));
    expect(await session.store.load(), "nothing left for the next page to resume").to.equal(null);
    expect(await ResumeController.hasSomethingToResume(null, session.store)).to.equal(false);

    // Played again from the list: the player is back, with the call's link.
    parts(section, "play-button")[0]!.click();
    await waitFor(() => !player.paused && player.currentIndex === 0 && player.currentTime > 0.2, "playing again");
    await player.updateComplete;
    expect(shown(player)).to.equal(true);
    expect(part<HTMLAnchorElement>(player, "call-link").href).to.equal(here.href);
    player.pause();
  });

  it("links to the page the host names with call-url", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    section.setAttribute("call-url", "/reports/call-session?call=c-transfer");
    await waitForStatus(section, "ready");
    section.playRecording(0, 0);
    await waitFor(() => !player.paused && player.currentTime > 0.2, "playing");
    await player.updateComplete;
    expect(part<HTMLAnchorElement>(player, "call-link").href).to.equal(new URL("/reports/call-session?call=c-transfer", location.href).href);
    player.pause();
  });
});
