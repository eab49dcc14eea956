import { expect, oneEvent } from "@open-wc/testing";
import type { PlayerStatus, RecordingPlayer } from "../../components/index.js";
import {
  audioUrl,
  click,
  maybePart,
  mulawOffset,
  part,
  playerFixture,
  serverControl,
  serverStats,
  uniqueToken,
  waitFor,
  waitForStatus,
  positionsReported,
  waitForTime,
} from "../support/player-test-helpers.js";

const statusText = (el: RecordingPlayer) => part(el, "status").textContent!.replace(/\s+/g, " ").trim();

function recordStatuses(el: RecordingPlayer): PlayerStatus[] {
  const seen: PlayerStatus[] = [];
  el.addEventListener("crec-statuschange", (e) => seen.push(e.detail.status));
  return seen;
}

describe("recording-player states", () => {
  it("shows that it is loading while the server is slow to answer", async () => {
    const el = await playerFixture({ stallTimeoutMs: 10_000 });
    el.recordings = [{ id: "slow", src: audioUrl("slow", { seconds: 8, delay: 1500 }), title: "Slow" }];
    el.playRecording(0);
    await waitFor(() => statusText(el) === "Loading…", `says Loading… (says "${statusText(el)}")`);
    expect(el.status).to.equal("loading");
    expect(part(el, "play-button").querySelector(".spinner"), "spinner on the play button").to.not.equal(null);
    await waitForStatus(el, "playing");
    await el.updateComplete;
    expect(statusText(el)).to.equal("");
  });

  it("shows that it is buffering when a seek needs data that is slow to come", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ stallTimeoutMs: 10_000 });
    el.recordings = [{ id: "buffer", src: audioUrl("buffer", { seconds: 3600, token, delay: 1500, delayFrom: mulawOffset(600) }), title: "Long" }];
    el.playRecording(0, 0);
    await waitForTime(el, 0.2);
    el.seekTo(3000);
    await waitFor(() => statusText(el) === "Buffering…", `says Buffering… (says "${statusText(el)}", ${el.status})`);
    expect(el.status).to.equal("buffering");
    await waitFor(() => el.status === "playing" && el.currentTime > 3000.2, "plays on at 3000 s");
  });

  it("retries a lost connection by itself, then says so and offers a retry that resumes where it stopped", async function () {
    // Three waits of 1.5 s for data and two reloads, on a busy machine too.
    this.timeout(60_000);
    const token = uniqueToken();
    const el = await playerFixture();
    const statuses = recordStatuses(el);
    el.recordings = [{ id: "drop", src: audioUrl("drop", { seconds: 20, token, failAfter: mulawOffset(6), always: true }), title: "Drop" }];
    const failed = oneEvent(el, "crec-error");
    el.playRecording(0, 2);
    const error = (await failed).detail;
    expect(error.kind).to.equal("network");
    expect(statuses).to.include("retrying");
    await waitForStatus(el, "error");
    await el.updateComplete;
    expect(statusText(el)).to.match(/connection to the server was lost/);
    expect(el.paused).to.equal(true);
    const loads = (await serverStats(token)).filter((r) => r.range !== "bytes=0-0").length;
    expect(loads, "the first try and two retries").to.be.at.least(3);
    // The network comes back; the retry button picks up at the same position.
    await serverControl(token, "heal");
    const after = positionsReported(el);
    await click(part(el, "retry-button"));
    await waitFor(() => el.status === "playing" && el.currentTime > 2.2, `playing again (${el.status} ${el.currentTime})`);
    expect(after[0], `plays on from about 2 s: ${after.join(", ")}`).to.be.within(1.5, 4);
    expect(maybePart(el, "retry-button")).to.equal(null);
  });

  it("tries again by itself when the browser comes back online", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ retryDelays: [] });
    el.recordings = [{ id: "offline", src: audioUrl("offline", { seconds: 20, token, failAfter: mulawOffset(6), always: true }), title: "Offline" }];
    el.playRecording(0, 3);
    await waitForStatus(el, "error");
    await serverControl(token, "heal");
    window.dispatchEvent(new Event("online"));
    await waitFor(() => el.status === "playing" && el.currentTime > 3.2, `playing again (${el.status} ${el.currentTime})`);
  });

  it("carries on by itself when the connection drops once mid-stream", async () => {
    const token = uniqueToken();
    const el = await playerFixture({ stallTimeoutMs: 3000 });
    let errors = 0;
    el.addEventListener("crec-error", () => errors++);
    el.recordings = [{ id: "blip", src: audioUrl("blip", { seconds: 5, token, failAfter: mulawOffset(2.5) }), title: "Blip" }];
    el.playbackRate = 2;
    const ended = oneEvent(el, "crec-ended");
    el.playRecording(0, 0);
    await ended;
    expect(errors).to.equal(0);
  });

  it("picks up a connection dropped mid-stream where the listener is, far into a long recording, and says nothing", async function () {
    this.timeout(60_000);
    const token = uniqueToken();
    // Time for the browser's own pick-up, on a busy machine too: the player's (a reload, which
    // reads the file's head again) is for a browser that does not pick up at all.
    const el = await playerFixture({ stallTimeoutMs: 8000 });
    const statuses = recordStatuses(el);
    const times: number[] = [];
    el.addEventListener("crec-timeupdate", () => times.push(el.currentTime));
    // The connection drops half a second of audio after the point where listening starts.
    const cut = mulawOffset(2400.5);
    el.recordings = [{ id: "cut", src: audioUrl("cut", { seconds: 3600, token, failAfter: cut }), title: "Cut" }];
    el.playRecording(0, 2400);
    await waitFor(() => el.status === "playing" && el.currentTime > 2402, `playing on past the drop (${el.status} ${el.currentTime})`, 30_000);
    expect(statuses, "never an error").to.not.include("error");
    expect(maybePart(el, "retry-button")).to.equal(null);
    expect(times.filter((t) => t < 2399.5), `never back before the start point: ${times.join(", ")}`).to.deep.equal([]);
    for (let i = 1; i < times.length; i++) expect(times[i]!, `the position went back: ${times.slice(i - 1, i + 1).join(" → ")}`).to.be.at.least(times[i - 1]! - 0.25);
    const requests = await serverStats(token);
    const dropped = requests.findIndex((r) => r.start < cut && r.start + r.bytes === cut);
    expect(dropped, `a request cut at byte ${cut}: ${JSON.stringify(requests)}`).to.be.at.least(0);
    // The audio read after the drop; a reload's read of the file's head (its format, then a seek
    // away) is not audio listened to.
    const audioAfter = requests.slice(dropped + 1).filter((r) => r.bytes > 1000 && (r.start > 0 || r.bytes > 512 * 1024));
    expect(audioAfter.length, `asked again after the drop: ${JSON.stringify(requests)}`).to.be.at.least(1);
    for (const r of audioAfter) expect(r.start, `asked again near where it broke off, not from the start: ${JSON.stringify(requests)}`).to.be.at.least(mulawOffset(2390));
  });

  it("plays at last where each try takes longer than the stall timeout to get going, and says nothing", async function () {
    this.timeout(60_000);
    // A slow server (recordings on cold storage) or a browser short of CPU: every answer comes
    // 1.6 s late, where the player gives up waiting after 1 s and loads again. Each try in a row
    // waits twice as long as the last (up to 8 s), so a later one gets there, however busy the
    // machine: the player may try six times.
    const token = uniqueToken();
    const el = await playerFixture({ stallTimeoutMs: 1000, retryDelays: [100, 100, 100, 100, 100] });
    const statuses = recordStatuses(el);
    el.recordings = [{ id: "slow", src: audioUrl("slow", { seconds: 3600, token, delay: 1600 }), title: "Slow" }];
    el.playRecording(0, 2400);
    await waitFor(() => el.status === "playing" && el.currentTime > 2400.3, `playing at 2400 s (${el.status} ${el.currentTime})`, 30_000);
    expect(el.currentTime).to.be.below(2410);
    expect(statuses, "never an error").to.not.include("error");
    expect(maybePart(el, "retry-button")).to.equal(null);
  });

  it("retries when the server starts failing during playback, then says so; once it is back, Retry plays on from the same point", async function () {
    // Its waits allow the player its own retries, on a busy machine too.
    this.timeout(60_000);
    const token = uniqueToken();
    const el = await playerFixture();
    const statuses = recordStatuses(el);
    el.recordings = [{ id: "failing", src: audioUrl("failing", { seconds: 3600, token }), title: "Failing" }];
    el.playRecording(0, 0);
    await waitForTime(el, 0.3);
    // The server starts answering 500; the next range the player needs (a seek) gets it.
    await serverControl(token, "fail=500");
    const failed = oneEvent(el, "crec-error");
    el.seekTo(2400);
    const detail = (await failed).detail;
    expect(detail.status).to.equal(500);
    expect(statuses).to.include("retrying");
    await waitForStatus(el, "error");
    await el.updateComplete;
    expect(statusText(el)).to.match(/server could not send this recording \(error 500\)/);
    expect(el.paused).to.equal(true);
    const refused = (await serverStats(token)).filter((r) => r.status === 500).length;
    expect(refused, "the first try and two retries").to.be.at.least(3);
    await serverControl(token, "heal");
    const after = positionsReported(el);
    await click(part(el, "retry-button"));
    await waitFor(() => el.status === "playing" && el.currentTime > 2400.2, `playing at 2400 s (${el.status} ${el.currentTime})`);
    expect(after[0], `plays on from 2400 s, not elsewhere: ${after.join(", ")}`).to.be.within(2399.5, 2401.5);
    expect(maybePart(el, "retry-button")).to.equal(null);
  });

  it("says when the server fails, with a retry", async () => {
    const token = uniqueToken();
    const el = await playerFixture();
    el.recordings = [{ id: "500", src: audioUrl("err500", { seconds: 5, token, fail: 500 }), title: "Broken" }];
    const failed = oneEvent(el, "crec-error");
    el.playRecording(0);
    const detail = (await failed).detail;
    expect(detail.kind).to.equal("network");
    expect(detail.status).to.equal(500);
    await el.updateComplete;
    expect(statusText(el)).to.match(/server could not send this recording \(error 500\)/);
    expect(maybePart(el, "retry-button")).to.not.equal(null);
    // Nothing is broken for good: the player still works with another recording.
    el.recordings = [{ id: "fine", src: audioUrl("fine", { seconds: 5 }), title: "Fine" }];
    el.playRecording(0);
    await waitForTime(el, 0.2);
  });

  it("says when a recording is not on the server", async () => {
    const el = await playerFixture();
    el.recordings = [{ id: "404", src: audioUrl("err404", { seconds: 5, fail: 404 }), title: "Gone" }];
    const failed = oneEvent(el, "crec-error");
    el.playRecording(0);
    expect((await failed).detail.kind).to.equal("not-found");
    await el.updateComplete;
    expect(statusText(el)).to.match(/could not be found/);
  });

  // GSM 6.10 plays through our decoders now, and a format nothing plays is named
  // (test/components/player-formats.test.ts).
  for (const [name, options] of [["bytes that are not audio", { garbage: true }]] as const) {
    it(`says the browser cannot play ${name}, and still offers the download`, async () => {
      const el = await playerFixture();
      const src = audioUrl("unplayable", { seconds: 5, ...options });
      el.recordings = [{ id: "unplayable", src, downloadUrl: `${src}&download=1`, title: "Old recorder" }];
      const failed = oneEvent(el, "crec-error");
      el.playRecording(0);
      expect((await failed).detail.kind).to.equal("unsupported");
      await el.updateComplete;
      expect(statusText(el)).to.match(/cannot play this recording's audio format/);
      expect(maybePart(el, "retry-button")).to.equal(null);
      expect(part(el, "download-button").getAttribute("href")).to.equal(`${src}&download=1`);
      expect(part(el, "status-download-link").getAttribute("href")).to.equal(`${src}&download=1`);
      expect(part<HTMLButtonElement>(el, "play-button").disabled).to.equal(true);
    });
  }

  it("renews an expired signed URL through crec-refresh-url and resumes at the same position", async () => {
    const token = uniqueToken();
    const src = audioUrl("signed", { seconds: 3600, token });
    const el = await playerFixture();
    el.recordings = [{ id: "signed", src, downloadUrl: `${src}&download=1`, title: "Signed" }];
    let asked = 0;
    el.addEventListener("crec-refresh-url", (e) => {
      asked++;
      expect(e.detail.recording.id).to.equal("signed");
      e.detail.respondWith(
        new Promise((resolve) => setTimeout(() => resolve({ src: `${src}&fresh=1`, downloadUrl: `${src}&fresh=1&download=1` }), 50)),
      );
    });
    el.playRecording(0, 0);
    await waitForTime(el, 0.2);
    // The signature expires while the recording plays; the next range request is refused.
    await serverControl(token, "expire");
    const after = positionsReported(el);
    el.seekTo(2400);
    await waitFor(() => el.status === "playing" && el.currentTime > 2400.2, `playing at 2400 s (${el.status} ${el.currentTime})`);
    expect(after[0], `plays from 2400 s: ${after.join(", ")}`).to.be.within(2399.5, 2401.5);
    expect(asked).to.equal(1);
    expect(el.recordings[0]!.src).to.equal(`${src}&fresh=1`);
    await el.updateComplete;
    expect(part(el, "download-button").getAttribute("href")).to.equal(`${src}&fresh=1&download=1`);
  });

  it("renews a URL that had expired before it was opened, keeping the requested start", async () => {
    const src = audioUrl("stale", { seconds: 30, expired: true });
    const el = await playerFixture();
    el.recordings = [{ id: "stale", src, title: "Stale" }];
    el.addEventListener("crec-refresh-url", (e) => e.detail.respondWith({ src: `${src}&fresh=1` }));
    const positions = positionsReported(el);
    el.playRecording(0, 12);
    await waitFor(() => el.status === "playing" && el.currentTime > 12.1, `playing from 12 s (${el.status} ${el.currentTime})`);
    expect(positions.filter((t) => t > 0)[0], `plays from 12 s: ${positions.join(", ")}`).to.be.within(11.5, 13.5);
  });

  it("says the link expired, with a retry, when no page renews it", async () => {
    const el = await playerFixture();
    el.recordings = [{ id: "orphan", src: audioUrl("orphan", { seconds: 10, expired: true }), title: "Orphan" }];
    const failed = oneEvent(el, "crec-error");
    el.playRecording(0, 3);
    expect((await failed).detail.kind).to.equal("expired");
    await el.updateComplete;
    expect(statusText(el)).to.match(/link to this recording has expired/);
    expect(maybePart(el, "retry-button")).to.not.equal(null);
    expect(el.currentTime).to.equal(3);
  });
});
