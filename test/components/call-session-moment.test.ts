/**
 * Issue 16, point 4: `<call-session-recordings recording at>` starts that recording at that
 * moment once the call loads; what it cannot use is a console warning, never a throw; the
 * player's *Copy link to this moment* copies the call's page with `recording` and `t`.
 */
import { expect, fixture, fixtureCleanup, html } from "@open-wc/testing";
import type { CallSessionRecordings } from "../../components/call-session-recordings/call-session-recordings.js";
import type { RecordingPlayer } from "../../components/index.js";
import { memoryPreferenceStore } from "../../src/player/player-preferences.js";
import { axeViolations, press, readable, removeCreatedPlayers, signInAs, waitFor, waitForStatus } from "../support/session-test-helpers.js";

interface Moment {
  recording?: string;
  at?: string;
}

async function momentFixture(callId: string, moment: Moment): Promise<{ section: CallSessionRecordings; player: RecordingPlayer }> {
  const root = await fixture<HTMLElement>(html`<div>
    <call-session-recordings call-id=${callId} api-base="/api" call-url="/reports/call-session?call=${callId}"></call-session-recordings>
    <recording-player docked .preferences=${memoryPreferenceStore()}></recording-player>
  </div>`);
  const section = root.querySelector("call-session-recordings")!;
  if (moment.recording !== undefined) section.setAttribute("recording", moment.recording);
  if (moment.at !== undefined) section.setAttribute("at", moment.at);
  return { section, player: root.querySelector("recording-player")! };
}

const playingAt = (player: RecordingPlayer, index: number, from: number, to: number) =>
  waitFor(
    () => player.currentIndex === index && !player.paused && player.currentTime >= from && player.currentTime <= to,
    `recording ${index} playing between ${from} and ${to} s (is ${player.currentIndex} at ${player.currentTime.toFixed(1)}, paused ${player.paused})`,
    10_000,
  );

/** The console warnings made while `run` runs. */
async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    seen.push(args.map(String).join(" "));
    original.apply(console, args);
  };
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return seen;
}

/** The recording ids of a call, as the signed-in user may play them. */
async function recordingIds(callId: string): Promise<string[]> {
  const body = (await (await fetch(`/api/calls/${callId}`)).json()) as { recordings: { id: string }[] };
  return body.recordings.map((r) => r.id);
}

describe("call-session-recordings: a link to a moment", () => {
  beforeEach(() => signInAs("admin"));
  afterEach(removeCreatedPlayers);

  it("recording and at start that recording at that moment once the call loads", async () => {
    const [, second] = await recordingIds("c-transfer");
    const { section, player } = await momentFixture("c-transfer", { recording: second!, at: "90" });
    await waitForStatus(section, "ready");
    await playingAt(player, 1, 89.5, 95);
    await section.updateComplete;
    expect(readable(section.shadowRoot!.querySelector('[part~="now-playing"]'))).to.match(/^Playing 1:3\d$/);
    player.pause();
  });

  it("at alone is a point on the call's recordings end to end, as the player's time counts", async () => {
    const { section, player } = await momentFixture("c-transfer", { at: "100" });
    await waitForStatus(section, "ready");
    // The first recording is 90 s long: 100 s is 10 s into the second.
    await playingAt(player, 1, 9.5, 15);
    expect(player.shadowRoot!.querySelector('[part="time"]')!.textContent).to.match(/^1:4\d \/ 3:30$/);
    player.pause();
  });

  it("a recording that is not the call's plays nothing, with a warning that names it", async () => {
    let section!: CallSessionRecordings;
    let player!: RecordingPlayer;
    const warnings = await warningsDuring(async () => {
      ({ section, player } = await momentFixture("c-transfer", { recording: "r-nobody", at: "30" }));
      await waitForStatus(section, "ready");
      await section.updateComplete;
    });
    expect(warnings.some((w) => w.includes('recording "r-nobody" is not one of this call\'s recordings'))).to.equal(true, warnings.join("\n"));
    expect(player.paused).to.equal(true);
    expect(player.recordings).to.have.length(0);
    expect(section.status).to.equal("ready");
  });

  it("a time that is not a number, negative or past the end plays the recording from its start, with a warning", async () => {
    const [first] = await recordingIds("c-transfer");
    for (const at of ["soon", "-20", "500"]) {
      let player!: RecordingPlayer;
      const warnings = await warningsDuring(async () => {
        let section: CallSessionRecordings;
        ({ section, player } = await momentFixture("c-transfer", { recording: first!, at }));
        await waitForStatus(section, "ready");
        await playingAt(player, 0, 0, 5);
      });
      expect(warnings.some((w) => w.includes("playing it from the start") || w.includes("playing from the start")), `at=${at}: ${warnings.join("\n")}`).to.equal(true);
      player.pause();
      // One docked player in the page at a time: the next section plays in the page's.
      fixtureCleanup();
      removeCreatedPlayers();
    }
  });

  it("a moment set once the call is shown plays at once", async () => {
    const [first] = await recordingIds("c-transfer");
    const { section, player } = await momentFixture("c-transfer", {});
    await waitForStatus(section, "ready");
    expect(player.paused).to.equal(true);
    section.setAttribute("at", "40");
    section.setAttribute("recording", first!);
    await playingAt(player, 0, 39.5, 45);
    player.pause();
  });

  it("Copy link to this moment: labelled, keyboard, copies the call's page at the current recording and second", async () => {
    const [, second] = await recordingIds("c-transfer");
    const { section, player } = await momentFixture("c-transfer", { recording: second!, at: "75" });
    await waitForStatus(section, "ready");
    await playingAt(player, 1, 74.5, 80);
    player.pause();
    player.seekTo(81.6);
    await waitFor(() => Math.abs(player.currentTime - 81.6) < 0.3, "sought to 1:21");
    await player.updateComplete;
    const button = player.shadowRoot!.querySelector<HTMLButtonElement>('[part="copy-link-button"]')!;
    expect(button.getAttribute("aria-label")).to.equal("Copy link to this moment");
    const expected = new URL(`/reports/call-session?call=c-transfer&recording=${encodeURIComponent(second!)}&t=81`, location.href).href;
    button.focus();
    await press("Enter");
    const status = () => player.shadowRoot!.querySelector('[part="status"]')!;
    // Pressed, the page may write to the clipboard in both browsers: the player says it did.
    await waitFor(() => readable(status()) === "Link copied", `"Link copied" (status: ${readable(status())})`);
    expect(status().getAttribute("role")).to.equal("status");
    expect(await player.copyLink()).to.equal(expected);
    expect(await axeViolations(player)).to.deep.equal([]);
  });
});
