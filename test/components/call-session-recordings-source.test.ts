import { expect } from "@open-wc/testing";
import type { CallPayload, CallSource } from "../../components/call-session-recordings/call-session-recordings.js";
import { callPayload, onePart, parts, readable, removeCreatedPlayers, sessionFixture, sourceOf, waitFor, waitForStatus } from "../support/session-test-helpers.js";
import { nothingShouldHappenFor } from "../support/until.js";

const good = () => callPayload("c-host", 2) as unknown as Record<string, unknown>;
const withRecording = (change: Record<string, unknown>) => {
  const call = good();
  const [first, ...rest] = call.recordings as Record<string, unknown>[];
  return { ...call, recordings: [{ ...first, ...change }, ...rest] };
};

/** Answers a host's source might give that the section must refuse, by what is wrong with them. */
const MALFORMED: Record<string, () => unknown> = {
  "a string": () => "<html>Gateway timeout</html>",
  "an array": () => [good()],
  "no id": () => ({ ...good(), id: undefined }),
  "a start that is not a date": () => ({ ...good(), start: "yesterday" }),
  "recordings that are not a list": () => ({ ...good(), recordings: { 0: {} } }),
  "a recording that is null": () => ({ ...good(), recordings: [null] }),
  "a recording without audio": () => withRecording({ audioUrl: undefined }),
  "a download link that runs script": () => withRecording({ downloadUrl: "javascript:alert(1)" }),
  "audio from a data URL": () => withRecording({ audioUrl: "data:audio/wav;base64,UklGRg==" }),
  "a negative duration": () => withRecording({ durationSeconds: -5 }),
  "a duration that is text": () => withRecording({ durationSeconds: "30" }),
  "a recording of a segment the call does not have": () => withRecording({ segment: 7 }),
  "the same recording twice": () => {
    const call = good();
    const [first] = call.recordings as unknown[];
    return { ...call, recordings: [first, first] };
  },
  "a participant whose name is a number": () => withRecording({ participants: [{ id: "x", name: 42 }] }),
  "a segment that ends before it starts": () => {
    const call = good();
    const [first, ...rest] = call.segments as Record<string, unknown>[];
    return { ...call, segments: [{ ...first, end: "2026-11-20T08:00:00Z" }, ...rest] };
  },
  "another call than the one asked for": () => callPayload("c-other", 1),
  "more recordings than any call has": () => ({ ...good(), recordings: Array.from({ length: 501 }, (_, i) => ({ id: `r${i}`, start: "2026-11-20T09:00:00Z", durationSeconds: 1, audioUrl: "/a.wav" })) }),
  "an object that throws when read": () => {
    const call = good();
    Object.defineProperty(call, "recordings", { enumerable: true, get: () => { throw new TypeError("boom"); } });
    return call;
  },
};

describe("call-session-recordings with a host's source", () => {
  const uncaught: unknown[] = [];
  const onError = (event: ErrorEvent) => uncaught.push(event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => uncaught.push(event.reason);

  beforeEach(() => {
    uncaught.length = 0;
    addEventListener("error", onError);
    addEventListener("unhandledrejection", onRejection);
  });
  afterEach(() => {
    removeEventListener("error", onError);
    removeEventListener("unhandledrejection", onRejection);
    removeCreatedPlayers();
  });

  for (const [problem, answer] of Object.entries(MALFORMED)) {
    it(`shows an error, never throws, for an answer with ${problem}`, async () => {
      const errors: string[] = [];
      const { section } = await sessionFixture();
      section.addEventListener("crec-load-error", (e) => errors.push(e.detail.kind));
      section.source = sourceOf(answer);
      section.callId = "c-host";
      await waitForStatus(section, "error");
      expect(errors).to.deep.equal(["malformed"]);
      expect(readable(onePart(section, "status"))).to.equal("The server's answer about this call's recordings could not be read. Retry");
      expect(parts(section, "recording-bar")).to.have.length(0);
      expect(section.shadowRoot!.querySelector('a[href^="javascript:"]')).to.equal(null);
      await nothingShouldHappenFor(20); // nothing may be thrown late
      expect(uncaught).to.deep.equal([]);
    });
  }

  it("shows an error when a host's source throws something that is not an Error", async () => {
    const source: CallSource = { getCall: () => Promise.reject("nope") };
    const { section } = await sessionFixture({ callId: "c-host", source });
    await waitForStatus(section, "error");
    expect(readable(onePart(section, "status"))).to.contain("could not be loaded");
    expect(uncaught).to.deep.equal([]);
  });

  it("draws a host's call that has recordings but no segments: a lane per recording, named by who is on it", async () => {
    const call: CallPayload = {
      id: "c-minimal",
      start: "2026-11-20T09:00:00Z",
      recordings: [
        { id: "m1", start: "2026-11-20T09:00:00Z", durationSeconds: 20, participants: [{ name: "Ann" }], audioUrl: "/audio-fixture/m1.wav?seconds=20" },
        { id: "m2", start: "2026-11-20T09:00:20Z", end: "2026-11-20T09:00:40Z", participants: [{ name: "Ben" }, { name: "Cy" }], audioUrl: "/audio-fixture/m2.wav?seconds=20" },
      ],
    };
    const asked: string[] = [];
    const source: CallSource = {
      getCall: async (callId, { signal }) => {
        asked.push(callId);
        expect(signal).to.be.instanceOf(AbortSignal);
        return call;
      },
    };
    const { section, player } = await sessionFixture({ callId: "c-minimal", source });
    await waitForStatus(section, "ready");
    expect(asked).to.deep.equal(["c-minimal"]);
    expect(parts(section, "lane-label").map(readable)).to.deep.equal(["Ann", "Ben, Cy"]);
    expect(parts(section, "recording-bar")).to.have.length(2);
    // Relative URLs are the host's: resolved against the page, and the download falls back to the audio.
    expect(parts<HTMLAnchorElement>(section, "download-link")[1]!.href).to.equal(new URL("/audio-fixture/m2.wav?seconds=20", location.href).href);
    parts(section, "play-button")[1]!.click();
    await waitFor(() => player.currentIndex === 1 && !player.paused && player.currentTime > 0.2, "the host's second recording playing");
    player.pause();
  });
});
