import { expect } from "@open-wc/testing";
import type { RecordingPlayer } from "../../components/index.js";
import {
  axeViolations,
  callPayload,
  deepActiveElement,
  onePart,
  parts,
  press,
  removeCreatedPlayers,
  sessionFixture,
  signInAs,
  signOut,
  sourceOf,
  waitFor,
  waitForStatus,
} from "../support/session-test-helpers.js";

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(target: Element, max = 20): Promise<void> {
  for (let i = 0; i < max && deepActiveElement() !== target; i++) await press("Tab");
  expect(deepActiveElement()).to.equal(target);
}

const isPlaying = (player: RecordingPlayer, index: number) =>
  waitFor(() => player.currentIndex === index && !player.paused && player.currentTime > 0.2, `recording ${index} playing (is ${player.currentIndex}, paused ${player.paused})`);

describe("call-session-recordings for keyboard and screen readers", () => {
  afterEach(removeCreatedPlayers);

  it("plays and pauses any recording with the keyboard alone, through the list", async () => {
    await signInAs("alice");
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    (document.activeElement as HTMLElement | null)?.blur();
    const secondPlay = parts(section, "play-button")[1]!;
    // The order a keyboard meets things: Play all, then each row's play and download.
    await tabTo(onePart(section, "play-all-button"));
    await press("Tab");
    expect(deepActiveElement()).to.equal(parts(section, "play-button")[0]);
    await press("Tab");
    expect(deepActiveElement()).to.equal(parts(section, "download-link")[0]);
    await press("Tab");
    expect(deepActiveElement()).to.equal(secondPlay);
    expect(secondPlay.getAttribute("aria-label")).to.equal("Play Segment 3, \u2068Alice Tester\u2069");
    await press("Enter");
    await isPlaying(player, 1);
    await section.updateComplete;
    // Still focused, now a pause button for the same recording.
    expect(deepActiveElement()).to.equal(secondPlay);
    expect(secondPlay.getAttribute("aria-label")).to.equal("Pause Segment 3, \u2068Alice Tester\u2069");
    await press(" ");
    await waitFor(() => player.paused, "paused with Space");
    await section.updateComplete;
    expect(secondPlay.getAttribute("aria-label")).to.equal("Play Segment 3, \u2068Alice Tester\u2069");
    // Play all from the keyboard too.
    onePart(section, "play-all-button").focus();
    await press("Enter");
    await isPlaying(player, 0);
    player.pause();
  });

  it("names the list by the section's heading and marks the current row", async () => {
    await signInAs("alice");
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    const heading = onePart(section, "heading");
    expect(heading.getAttribute("role")).to.equal("heading");
    expect(heading.getAttribute("aria-level")).to.equal("3");
    expect(onePart(section, "list").getAttribute("aria-labelledby")).to.equal(heading.id);
    expect(onePart(section, "timeline").getAttribute("aria-hidden")).to.equal("true");
    section.headingLevel = 2;
    await section.updateComplete;
    expect(heading.getAttribute("aria-level")).to.equal("2");
    parts(section, "play-button")[0]!.click();
    await isPlaying(player, 0);
    await section.updateComplete;
    expect(parts(section, "list-row")[0]!.getAttribute("aria-current")).to.equal("true");
    player.pause();
  });

  it("has no axe-core violations: loaded, playing, with an error, loading", async () => {
    await signInAs("admin");
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    expect(await axeViolations(section)).to.deep.equal([]);
    parts(section, "play-button")[1]!.click();
    await isPlaying(player, 1);
    await section.updateComplete;
    expect(await axeViolations(section)).to.deep.equal([]);
    player.pause();

    section.callId = "c-conference";
    await waitForStatus(section, "ready");
    expect(await axeViolations(section)).to.deep.equal([]);

    await signOut();
    section.callId = "c-alice";
    await waitForStatus(section, "error");
    expect(await axeViolations(section)).to.deep.equal([]);

    section.source = sourceOf(() => callPayload("c-slow"), 2000);
    section.callId = "c-slow";
    await waitFor(() => section.shadowRoot!.querySelector(".skeleton") !== null, "the loading state shown");
    expect(await axeViolations(section)).to.deep.equal([]);
  });
});
