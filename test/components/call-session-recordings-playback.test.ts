import { expect, fixture, html } from "@open-wc/testing";
import { sendMouse } from "@web/test-runner-commands";
import type { CallSessionRecordings } from "../../components/call-session-recordings/call-session-recordings.js";
import type { RecordingPlayer } from "../../components/index.js";
import type { MediaElementEngine } from "../../src/player/media-element-engine.js";
import { memoryPreferenceStore } from "../../src/player/player-preferences.js";
import type { RecordingUpdate } from "../../src/player/player-state.js";
import { click, onePart, parts, readable, removeCreatedPlayers, sessionFixture, signInAs, waitFor, waitForStatus } from "../support/session-test-helpers.js";

/** The playhead's place across the plot, as a fraction. */
function playheadAt(section: CallSessionRecordings): number {
  const head = onePart(section, "playhead").getBoundingClientRect();
  const plot = onePart(section, "plot").getBoundingClientRect();
  return (head.left + head.width / 2 - plot.left) / plot.width;
}

const playing = (player: RecordingPlayer, index: number, from: number, to: number) =>
  waitFor(
    () => player.currentIndex === index && !player.paused && player.currentTime >= from && player.currentTime <= to,
    `recording ${index} playing between ${from} and ${to} s (is ${player.currentIndex} at ${player.currentTime.toFixed(1)}, paused ${player.paused})`,
    10_000,
  );

describe("call-session-recordings playback", () => {
  beforeEach(() => signInAs("admin"));
  afterEach(removeCreatedPlayers);

  it("clicking halfway along a recording's bar plays it from its middle in the docked player", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    const alice = parts(section, "recording-bar")[1]!;
    alice.scrollIntoView({ block: "center" });
    const rect = alice.getBoundingClientRect();
    await sendMouse({ type: "move", position: [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)] });
    await waitFor(() => readable(section.shadowRoot!.querySelector('[part="hover-time"]')) === "Play from 1:00", "the hover time");
    await click(alice, 0.5);
    // Alice's segment is two minutes long: its middle is one minute in.
    await playing(player, 1, 58.5, 64);
    expect(player.recordings.map((r) => r.id)).to.deep.equal(section.call!.recordings.map((r) => r.id));
    expect(player.callTitle).to.equal("Inbound call from \u2068+441632960003\u2069 to \u2068+441632960100\u2069");
    expect(player.currentRecording!.title).to.equal("Segment 3 · \u2068Alice Tester\u2069");
    player.pause();
  });

  it("clicking another point on the bar of the recording already playing seeks the audio the player has, without loading it again", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    const alice = () => parts(section, "recording-bar")[1]!;
    await click(alice(), 0.25);
    await playing(player, 1, 28, 34);
    const media = (player.engine as MediaElementEngine).mediaElement;
    // The audio itself is playing there (the player says so as soon as it has been asked to).
    await waitFor(() => !media.paused && media.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA && media.currentTime > 29, "the audio playing from 0:30");
    const src = media.currentSrc;
    const loads: string[] = [];
    for (const type of ["emptied", "abort", "loadstart"]) media.addEventListener(type, () => loads.push(type));
    await click(alice(), 0.75);
    // Three quarters of Alice's two minutes: 1:30.
    await playing(player, 1, 88, 94);
    expect(media.currentSrc).to.equal(src);
    expect(loads).to.deep.equal([]);
    player.pause();
  });

  it("shows the recording now playing and the position in it, following the player", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    await click(parts(section, "recording-bar")[1]!, 0.5);
    await playing(player, 1, 59, 64);
    await section.updateComplete;
    const bars = parts(section, "recording-bar");
    expect(bars[1]!.getAttribute("part")).to.equal("recording-bar recording-bar-current");
    expect(bars[0]!.getAttribute("part")).to.equal("recording-bar");
    // Alice's bar spans the second half of the call; a minute into it is three quarters along.
    expect(playheadAt(section)).to.be.closeTo(0.75, 0.02);
    const rows = parts(section, "list-row");
    expect(rows[1]!.getAttribute("aria-current")).to.equal("true");
    expect(rows[0]!.hasAttribute("aria-current")).to.equal(false);
    expect(readable(onePart(section, "now-playing"))).to.match(/^Playing 1:0\d$/);

    player.pause();
    await waitFor(() => readable(section.shadowRoot!.querySelector('[part="now-playing"]')).startsWith("Paused at"), "paused in the list");
    expect(parts(section, "play-button")[1]!.getAttribute("aria-label")).to.equal("Play Segment 3, \u2068Alice Tester\u2069");

    // The player moves on by itself (here: told to by something else): the timeline follows.
    player.playRecording(0, 45);
    await playing(player, 0, 45, 50);
    await waitFor(() => parts(section, "recording-bar")[0]!.getAttribute("part") === "recording-bar recording-bar-current", "Bob's bar current");
    expect(playheadAt(section)).to.be.closeTo((30 + 45) / 240, 0.02);
    player.pause();
  });

  it("Play all plays the call's recordings in order, from the first", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    onePart(section, "play-all-button").click();
    await playing(player, 0, 0, 3);
    // Near the end of the first, the sequence carries on into the second, and so does the timeline.
    player.seekTo(88.5);
    await playing(player, 1, 0, 3);
    await waitFor(() => parts(section, "list-row")[1]!.getAttribute("aria-current") === "true", "the second row current");
    player.pause();
  });

  it("plays in the player its player attribute names", async () => {
    const root = await fixture<HTMLElement>(html`<div>
      <call-session-recordings call-id="c-alice" player="inline-player"></call-session-recordings>
      <recording-player id="inline-player" .preferences=${memoryPreferenceStore()}></recording-player>
      <recording-player docked .preferences=${memoryPreferenceStore()}></recording-player>
    </div>`);
    const section = root.querySelector("call-session-recordings")!;
    const [inline, docked] = root.querySelectorAll("recording-player");
    await waitForStatus(section, "ready");
    parts(section, "play-button")[0]!.click();
    await playing(inline!, 0, 0, 5);
    expect(docked!.recordings).to.have.length(0);
    inline!.pause();
  });

  it("docks a player at the bottom of the page when the page has none", async () => {
    const { section } = await sessionFixture({ callId: "c-alice", withPlayer: false });
    await waitForStatus(section, "ready");
    expect(document.querySelector("recording-player")).to.equal(null);
    await click(parts(section, "recording-bar")[0]!, 0.25);
    const created = document.querySelector<RecordingPlayer>("body > recording-player[docked]");
    expect(created).to.not.equal(null);
    await playing(created!, 0, 28, 34);
    expect(getComputedStyle(created!).position).to.equal("fixed");
    created!.pause();
  });

  it("stops marking its recording as playing when a fresh docked player takes the old one's place to play another call", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    parts(section, "play-button")[0]!.click();
    await playing(player, 0, 0.3, 5);
    expect(parts(section, "recording-bar-current")).to.have.length(1);
    // As the extension does when another tab starts another call: a new docked player replaces the page's.
    const fresh = document.createElement("recording-player");
    fresh.docked = true;
    fresh.preferences = memoryPreferenceStore();
    fresh.recordings = [{ id: "elsewhere", src: "/audio-fixture/elsewhere.wav?seconds=20", title: "Another call" }];
    player.pause();
    player.replaceWith(fresh);
    fresh.playRecording(0, 0);
    await playing(fresh, 0, 0.3, 5);
    await waitFor(() => parts(section, "recording-bar-current").length === 0, "no bar marked as playing");
    expect(parts(section, "list-row").map((row) => row.getAttribute("aria-current"))).to.deep.equal([null, null]);
    expect(section.shadowRoot!.querySelector('[part~="playhead"]')).to.equal(null);
    fresh.pause();
    fresh.remove();
  });

  it("a section that loads while the player plays its call shows where it is at once", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    parts(section, "play-button")[0]!.click();
    await playing(player, 0, 0.3, 5);
    const again = await fixture<CallSessionRecordings>(html`<call-session-recordings call-id="c-transfer"></call-session-recordings>`);
    await waitForStatus(again, "ready");
    expect(parts(again, "list-row")[0]!.getAttribute("aria-current")).to.equal("true");
    expect(parts(again, "recording-bar")[0]!.getAttribute("part")).to.contain("recording-bar-current");
    player.pause();
  });

  it("answers the player's crec-refresh-url with fresh signed URLs from the server", async () => {
    const { section, player } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "ready");
    parts(section, "play-button")[1]!.click();
    await playing(player, 1, 0, 5);
    player.pause();
    let answer: Promise<RecordingUpdate> | null = null;
    player.dispatchEvent(
      new CustomEvent("crec-refresh-url", {
        bubbles: true,
        composed: true,
        detail: {
          recording: player.currentRecording,
          index: 1,
          respondWith(update: Promise<RecordingUpdate>) {
            if (answer) throw new DOMException("answered", "InvalidStateError");
            answer = update;
          },
        },
      }),
    );
    expect(answer).to.not.equal(null);
    const update = await answer!;
    const id = section.call!.recordings[1]!.id;
    expect(new URL(update.src).pathname).to.equal(`/api/recordings/${id}/audio`);
    expect(new URL(update.downloadUrl!).pathname).to.equal(`/api/recordings/${id}/download`);
    const audio = await fetch(update.src, { headers: { range: "bytes=0-99" } });
    expect(audio.status).to.equal(206);
  });
});
