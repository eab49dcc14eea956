/**
 * The recordings section and its player against the real reference server when things go
 * wrong (test/support/api-proxy-middleware.ts puts this browser's own server behind the page):
 * the server answers 500 or is restarted (stopped, then started again on the same port and
 * database) while the call loads or while a recording plays, and a signed audio URL expires
 * during a long pause. Each test asserts what the user sees afterwards.
 */
import { expect } from "@open-wc/testing";
import type { RecordingPlayer } from "../../components/index.js";
import { click, onePart, parts, readable, removeCreatedPlayers, sessionFixture, signInAs, waitFor, waitForStatus } from "../support/session-test-helpers.js";

async function proxy(query: string): Promise<void> {
  const response = await fetch(`/api-proxy/control?${query}`);
  if (!response.ok) throw new Error(`proxy control ${query}: ${response.status}`);
}

const statusOf = (player: RecordingPlayer) => readable(player.shadowRoot!.querySelector('[part="status"]'));
const playerPart = (player: RecordingPlayer, name: string) => player.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

/**
 * How long starting far into the long call may take. Over the tests' slow lines it takes 2-5 s on
 * a quiet machine, 7-10 s with four busy loops beside it; with a whole second test run beside
 * this one (a load average of about 9 on 2 cores) it once took more than 30 s, in both browsers.
 */
const START = 60_000;

/** The long call's recording playing past `from` s (and not yet past `to`). */
const playingBetween = (player: RecordingPlayer, from: number, to: number, timeout = 10_000) =>
  waitFor(
    () => player.status === "playing" && player.currentTime > from && player.currentTime < to,
    `playing between ${from} and ${to} s (is ${player.status} at ${player.currentTime.toFixed(1)} s: "${statusOf(player)}")`,
    timeout,
  );

// Where the server goes away mid-stream, the player's engine gives up waiting for bytes after 4 s
// rather than its default 10 s (the player tests' own fixtures take 1.5 s; the reference server
// behind the proxy can be slower than that to start a long recording far in, on a busy machine).
const QUICK_STALL = { stallTimeoutMs: 4000 };
// A line ten times as fast as the audio plays: without a limit the browser reads far ahead, all
// made by the reference server (this file took 39-45 s of CPU in Chromium, 31 s with it).
const LINE = 80_000;

describe("call-session-recordings when the server fails", () => {
  beforeEach(() => signInAs("admin"));
  afterEach(async () => {
    await proxy("heal=1&start=1");
    removeCreatedPlayers();
  });

  it("the server answers 500 while the call loads: the section says so with Retry, and Retry shows the call", async () => {
    await proxy("fail=500&times=1&path=/api/calls/");
    const { section } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "error");
    const status = onePart(section, "status");
    expect(status.getAttribute("role")).to.equal("alert");
    expect(readable(status)).to.equal("The server could not list this call's recordings (error 500). Retry");
    expect(parts(section, "recording-bar")).to.have.length(0);
    await click(onePart(section, "retry-button"));
    await waitForStatus(section, "ready");
    expect(parts(section, "recording-bar")).to.have.length(2);
  });

  it("the server is restarted while the call loads: the section says so with Retry; after the restart, Retry shows the call, still signed in", async function () {
    // A server started again on a busy machine: more than the default.
    this.timeout(60_000);
    await proxy("stop=1");
    const { section } = await sessionFixture({ callId: "c-transfer" });
    await waitForStatus(section, "error");
    expect(readable(onePart(section, "status"))).to.equal("The server could not list this call's recordings (error 502). Retry");
    await proxy("start=1");
    await click(onePart(section, "retry-button"));
    await waitForStatus(section, "ready");
    expect(parts(section, "recording-bar")).to.have.length(2);
  });

  it("the server is restarted during playback: the player retries, then offers Retry; after the restart, Retry plays on from the same point", async function () {
    // Its waits allow the player its own retries, and the machine may be busy: more than the default.
    this.timeout(180_000);
    await proxy(`throttle=${LINE}`);
    const { section, player } = await sessionFixture({ callId: "c-long", ...QUICK_STALL });
    await waitForStatus(section, "ready");
    section.playRecording(0, 3600);
    await playingBetween(player, 3600.2, 3630, START);
    const errors: string[] = [];
    player.addEventListener("crec-error", (e) => errors.push(e.detail.kind));

    // The server goes down, cutting the audio it was sending; the listener moves on in the recording.
    await proxy("stop=1");
    player.seekTo(5400);
    await waitFor(() => player.status === "error", `the player gives up (is ${player.status}: "${statusOf(player)}")`);
    await player.updateComplete;
    expect(errors).to.deep.equal(["network"]);
    expect(statusOf(player)).to.match(/could not send this recording \(error 502\)|connection to the server was lost/);
    expect(player.paused).to.equal(true);
    expect(playerPart(player, "retry-button"), "a Retry button").to.not.equal(null);

    await proxy("start=1");
    await click(playerPart(player, "retry-button")!);
    // Started again an hour and a half in, by a server that has just started.
    // Polled: a busy machine may first look once it has played a few seconds on.
    await playingBetween(player, 5400.2, 5430, START);
    expect(playerPart(player, "retry-button")).to.equal(null);
    expect(statusOf(player)).to.equal("");
    player.pause();
  });

  it("access is removed during playback: the player says so, not that the recording could not be found", async function () {
    // Its waits allow the player its own retries, and the machine may be busy: more than the default.
    this.timeout(120_000);
    await signInAs("dave");
    await proxy(`throttle=${LINE}`);
    try {
      // The refused bytes are a media error in both browsers, not a stall: the player's own stall
      // limit stands. A shorter one has a browser short of CPU (a second test run beside this one)
      // give up the start 600 s in, reading at a few tens of KB a second, and begin it again.
      const { section, player } = await sessionFixture({ callId: "c-long" });
      await waitForStatus(section, "ready");
      section.playRecording(0, 600);
      await playingBetween(player, 600.2, 640, START);
      // An administrator revokes Dave's playback; the next bytes he asks for are refused.
      await proxy("playback=dave:none");
      player.seekTo(4000);
      await waitFor(() => player.status === "error", `the player gives up (is ${player.status}: "${statusOf(player)}")`, 20_000);
      expect(statusOf(player)).to.match(/^Access to this recording was removed\. Ask your administrator if you still need it\./);
      expect(statusOf(player)).not.to.match(/could not be found/);
    } finally {
      await proxy("playback=dave:all");
      await signInAs("admin");
    }
  });

  it("a signed audio URL expires during a long pause: playing again renews it through the section and plays on from the same point", async function () {
    // It waits for what the browser holds ahead to be played out (its own waits allow up to 35 s),
    // and for a fresh link where it held little ahead.
    this.timeout(180_000);
    // A slow line: the browser holds only seconds of audio ahead, and needs the server again soon.
    await proxy("throttle=24000");
    const { section, player } = await sessionFixture({ callId: "c-long" });
    await waitForStatus(section, "ready");
    const asked: string[] = [];
    player.addEventListener("crec-refresh-url", (e) => asked.push(e.detail.recording.id));
    // Twice as fast, so that what the browser holds ahead is played sooner.
    player.playbackRate = 2;
    section.playRecording(0, 1800);
    // The line is slower than playback at 2x: playing comes in short spells between refills, and a
    // busy machine may see a spell only once the position is well past the start.
    await playingBetween(player, 1800.5, 1840, START);
    player.pause();
    await waitFor(() => player.paused && player.status !== "playing", "paused");
    const pausedAt = player.currentTime;
    const oldSrc = player.currentRecording!.src;

    // A quarter of an hour passes: every link signed so far has expired, and the connection the
    // paused player held was closed long ago. Links signed from now on are fresh.
    await proxy("expire=1&drop=1");
    const times: number[] = [];
    player.addEventListener("crec-timeupdate", () => times.push(player.currentTime));
    await click(playerPart(player, "play-button")!);
    // On a busy machine the browser may hold little ahead, and need the fresh link first.
    await playingBetween(player, pausedAt + 0.2, pausedAt + 15, START);
    // Once what it held ahead is played, it needs the server: the old link is refused, a new one asked for.
    await waitFor(() => asked.length > 0, `the player asks for a fresh link (at ${player.currentTime.toFixed(1)} s, ${player.status})`, 20_000);
    await playingBetween(player, player.currentTime + 1, pausedAt + 60, 30_000);
    expect(asked, "the player asked for a fresh link once").to.deep.equal([section.call!.recordings[0]!.id]);
    expect(times.filter((t) => t < pausedAt - 0.3), `never back before ${pausedAt}: ${times.join(", ")}`).to.deep.equal([]);
    const fresh = player.currentRecording!.src;
    expect(fresh).to.not.equal(oldSrc);
    expect(Number(new URL(fresh).searchParams.get("exp"))).to.be.greaterThan(Number(new URL(oldSrc).searchParams.get("exp")));
    expect(statusOf(player)).to.equal("");
    expect(playerPart(player, "retry-button")).to.equal(null);
    // The section's own download link is the fresh one too.
    expect(parts<HTMLAnchorElement>(section, "download-link")[0]!.href).to.equal(section.call!.recordings[0]!.downloadUrl);
    player.pause();
  });
});
